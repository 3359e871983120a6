/**
 * The dialogs every kind of key shares: its secret, shown once after creation, its new name, and
 * the confirmation before it is revoked.
 */
import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { useSubmit } from "../hooks.ts";
import { Button } from "./button.tsx";
import { CopyButton } from "./copy-button.tsx";
import { Dialog } from "./dialog.tsx";
import { Field } from "./field.tsx";

interface NewSecretDialogProps {
  /** "API key", "admin key": the dialog's title says it. */
  noun: string;
  copyLabel: string;
  name: string;
  secret: string;
  testId: string;
  onClose: () => void;
}

export function NewSecretDialog({
  noun,
  copyLabel,
  name,
  secret,
  testId,
  onClose,
}: NewSecretDialogProps) {
  return (
    <Dialog title={`Your new ${noun}`} onClose={onClose}>
      <p>
        Copy <strong>{name}</strong> now and keep it somewhere safe. Steward stores only its hash:
        it will not be shown again.
      </p>
      <code class="secret" data-testid={testId}>
        {secret}
      </code>
      <div class="actions">
        <CopyButton value={secret} label={copyLabel} />
        <Button variant="primary" onClick={onClose}>
          Done
        </Button>
      </div>
    </Dialog>
  );
}

interface RevokeDialogProps {
  name: string;
  /** What the key's revocation stops, in a sentence. */
  children: ComponentChildren;
  confirmLabel: string;
  onRevoke: () => void;
  onClose: () => void;
}

export function RevokeDialog({
  name,
  children,
  confirmLabel,
  onRevoke,
  onClose,
}: RevokeDialogProps) {
  return (
    <Dialog title={`Revoke ${name}?`} onClose={onClose}>
      <p>{children}</p>
      <div class="actions">
        <Button variant="danger" onClick={onRevoke}>
          {confirmLabel}
        </Button>
        <Button onClick={onClose}>Cancel</Button>
      </div>
    </Dialog>
  );
}

interface RenameKeyDialogProps {
  name: string;
  /** The longest name the API takes for this kind of key. */
  maxLength: number;
  /** Saves the new name (already trimmed); a rejection is shown under the field. */
  save: (name: string) => Promise<unknown>;
  onClose: () => void;
  onSaved: (name: string) => void;
}

export function RenameKeyDialog({ name, maxLength, save, onClose, onSaved }: RenameKeyDialogProps) {
  const [value, setValue] = useState(name);
  const { busy, error, run } = useSubmit();
  return (
    <Dialog title={`Rename ${name}`} onClose={onClose}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void run(async () => {
            await save(value.trim());
            onSaved(value.trim());
          });
        }}
      >
        <Field
          label="Name"
          required
          maxLength={maxLength}
          value={value}
          error={error}
          onInput={(event) => setValue(event.currentTarget.value)}
        />
        <div class="actions">
          <Button type="submit" variant="primary" busy={busy}>
            Save
          </Button>
          <Button onClick={onClose}>Cancel</Button>
        </div>
      </form>
    </Dialog>
  );
}
