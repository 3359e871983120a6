/**
 * The dialogs every kind of key shares: its secret, shown once after creation, and the
 * confirmation before it is revoked.
 */
import type { ComponentChildren } from "preact";
import { Button } from "./button.tsx";
import { CopyButton } from "./copy-button.tsx";
import { Dialog } from "./dialog.tsx";

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
