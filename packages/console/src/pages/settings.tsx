/**
 * The organization's settings: name, monthly spend limit, default model, require MFA and the IP
 * allow-list; and, for owners, the admin keys: list, create (the key is shown once), rename,
 * revoke. The server refuses admin keys to anyone but owners, whatever the page shows.
 */

import type { AdminKey, AdminKeyCreated, Organization, User } from "@steward/sdk";
import { formatUsd } from "@steward/sdk";
import { useId, useState } from "preact/hooks";
import { admin, collect, errorMessage } from "../api.ts";
import { Button } from "../components/button.tsx";
import { Dialog } from "../components/dialog.tsx";
import { Field } from "../components/field.tsx";
import { NewSecretDialog, RenameKeyDialog, RevokeDialog } from "../components/key-dialogs.tsx";
import { Notice } from "../components/notice.tsx";
import { PageHeader } from "../components/page-header.tsx";
import { Table } from "../components/table.tsx";
import { dateTime } from "../format.ts";
import { useLoad, usePageReady, useSubmit } from "../hooks.ts";
import { useSession } from "../session.ts";
import { CheckboxField, parseOptionalNumber } from "./common.tsx";

export function SettingsPage() {
  const session = useSession();
  const organization = useLoad(() => admin.organization.retrieve(), []);
  usePageReady("settings", organization.data !== undefined && !organization.loading);
  return (
    <>
      <PageHeader title="Settings" />
      {organization.error && <Notice kind="error">{organization.error}</Notice>}
      {organization.data && (
        <OrganizationForm organization={organization.data} onSaved={organization.reload} />
      )}
      {session.user.role === "owner" && <AdminKeys />}
    </>
  );
}

function OrganizationForm({
  organization,
  onSaved,
}: {
  organization: Organization;
  onSaved: () => void;
}) {
  const { settings, billing } = organization;
  const [name, setName] = useState(organization.name);
  const [limit, setLimit] = useState(billing.usage_limit_usd?.toString() ?? "");
  const [defaultModel, setDefaultModel] = useState(settings.default_model ?? "");
  const [requireMfa, setRequireMfa] = useState(settings.require_mfa);
  const [ranges, setRanges] = useState(settings.allowed_ip_ranges.join("\n"));
  const { busy, error, run } = useSubmit();
  const [saved, setSaved] = useState(false);
  const rangesId = useId();

  return (
    <form
      class="card"
      aria-labelledby={`${rangesId}-heading`}
      onSubmit={(event) => {
        event.preventDefault();
        setSaved(false);
        void run(async () => {
          const updated = await admin.organization.update({
            name: name.trim(),
            billing: { usage_limit_usd: parseOptionalNumber(limit, "The monthly spend limit") },
            settings: {
              default_model: defaultModel.trim() === "" ? null : defaultModel.trim(),
              require_mfa: requireMfa,
              allowed_ip_ranges: ranges
                .split(/[\s,]+/)
                .map((range) => range.trim())
                .filter((range) => range !== ""),
            },
          });
          // The server writes CIDRs in their normal form: show what it kept.
          setRanges(updated.settings.allowed_ip_ranges.join("\n"));
          setSaved(true);
          onSaved();
        });
      }}
    >
      <h2 id={`${rangesId}-heading`}>Organization</h2>
      <Field
        label="Organization name"
        required
        value={name}
        onInput={(event) => setName(event.currentTarget.value)}
      />
      <Field
        label="Monthly spend limit (USD)"
        hint={`Empty for no limit. This month so far: ${formatUsd(billing.current_month_usage_usd)}.`}
        inputMode="decimal"
        value={limit}
        onInput={(event) => setLimit(event.currentTarget.value)}
      />
      <Field
        label="Default model"
        hint="Stored for the organization's tools and clients to read; Steward does not rewrite requests. Empty for none."
        value={defaultModel}
        onInput={(event) => setDefaultModel(event.currentTarget.value)}
      />
      <CheckboxField
        label="Require multi-factor authentication"
        hint="Members signing in through the identity provider must have used a second factor."
        checked={requireMfa}
        onChange={setRequireMfa}
      />
      <div class="field">
        <label for={rangesId}>IP allow-list</label>
        <textarea
          id={rangesId}
          rows={5}
          value={ranges}
          aria-describedby={`${rangesId}-hint`}
          onInput={(event) => setRanges(event.currentTarget.value)}
        />
        <p class="hint" id={`${rangesId}-hint`}>
          One CIDR per line, e.g. 203.0.113.0/24. The gateway refuses the organization's API keys
          from other addresses. Empty allows every address.
        </p>
      </div>
      <Button type="submit" variant="primary" busy={busy}>
        Save settings
      </Button>
      {error && <Notice kind="error">{error}</Notice>}
      {saved && <Notice kind="success">Settings saved.</Notice>}
    </form>
  );
}

const ADMIN_KEY_STATUS: Record<AdminKey["status"], string> = {
  active: "Active",
  revoked: "Revoked",
  expired: "Expired",
  suspended: "Suspended",
};

/** What the open dialog is about. */
type AdminKeyAction =
  | { kind: "create" }
  | { kind: "created"; key: AdminKeyCreated }
  | { kind: "rename"; key: AdminKey }
  | { kind: "revoke"; key: AdminKey };

/** The organization's admin keys, for owners. */
function AdminKeys() {
  const me = useSession().user;
  const [action, setAction] = useState<AdminKeyAction>();
  const [notice, setNotice] = useState<{ kind: "success" | "error"; text: string }>();
  const keys = useLoad(() => collect(admin.adminKeys.list({ limit: 100 })), []);
  const members = useLoad(
    () => collect(admin.users.list({ limit: 100 })).catch((): User[] => []),
    [],
  );

  const holder = (key: AdminKey) => {
    if (key.user_id === null) {
      return "Organization (operator's key)";
    }
    const who =
      key.user_id === me.id
        ? "You"
        : (members.data?.find((m) => m.id === key.user_id)?.email ?? key.user_id);
    return `${who} (${key.holder_role ?? "removed"})`;
  };

  return (
    <section class="card" aria-labelledby="admin-keys-heading">
      <h2 id="admin-keys-heading">Admin keys</h2>
      <p class="muted">
        Admin keys (<code>sk-ant-admin01-…</code>) call the Admin API with their holder's current
        role. Only owners see and manage them. The host operator can also manage them with{" "}
        <code>steward admin-keys</code>, which alone rotates keys and creates organization-level
        ones.
      </p>
      <div class="actions">
        <Button variant="primary" onClick={() => setAction({ kind: "create" })}>
          Create admin key
        </Button>
      </div>
      {notice && <Notice kind={notice.kind}>{notice.text}</Notice>}
      {keys.error && <Notice kind="error">{keys.error}</Notice>}
      {keys.data && (
        <Table
          caption="Admin keys"
          rows={keys.data}
          rowKey={(key) => key.id}
          empty="No admin keys."
          columns={[
            { header: "Name", cell: (key) => key.name },
            { header: "Key", cell: (key) => <code>{key.partial_key_hint}</code> },
            { header: "Held by", cell: holder },
            { header: "Status", cell: (key) => ADMIN_KEY_STATUS[key.status] },
            { header: "Created", cell: (key) => dateTime(key.created_at) },
            { header: "Last used", cell: (key) => dateTime(key.last_used_at) },
            {
              header: "Actions",
              cell: (key) =>
                key.status === "revoked" ? null : (
                  <div class="actions">
                    <Button
                      aria-label={`Rename ${key.name}`}
                      onClick={() => setAction({ kind: "rename", key })}
                    >
                      Rename
                    </Button>
                    <Button
                      variant="danger"
                      aria-label={`Revoke ${key.name}`}
                      onClick={() => setAction({ kind: "revoke", key })}
                    >
                      Revoke
                    </Button>
                  </div>
                ),
            },
          ]}
        />
      )}
      {action?.kind === "create" && (
        <CreateAdminKeyDialog
          onClose={() => setAction(undefined)}
          onCreated={(key) => {
            setAction({ kind: "created", key });
            keys.reload();
          }}
        />
      )}
      {action?.kind === "created" && (
        <NewSecretDialog
          noun="admin key"
          copyLabel="Copy admin key"
          name={action.key.name}
          secret={action.key.key}
          testId="new-admin-key"
          onClose={() => setAction(undefined)}
        />
      )}
      {action?.kind === "rename" && (
        <RenameKeyDialog
          name={action.key.name}
          maxLength={200}
          save={(name) => admin.adminKeys.update(action.key.id, { name })}
          onClose={() => setAction(undefined)}
          onSaved={(name) => {
            setAction(undefined);
            setNotice({ kind: "success", text: `Renamed to ${name}.` });
            keys.reload();
          }}
        />
      )}
      {action?.kind === "revoke" && (
        <RevokeDialog
          name={action.key.name}
          confirmLabel="Revoke admin key"
          onClose={() => setAction(undefined)}
          onRevoke={async () => {
            const key = action.key;
            setAction(undefined);
            try {
              await admin.adminKeys.revoke(key.id);
              setNotice({ kind: "success", text: `${key.name} is revoked.` });
              keys.reload();
            } catch (error) {
              setNotice({ kind: "error", text: errorMessage(error) });
            }
          }}
        >
          Admin API requests with this key are refused from now on. A revoked key cannot be used
          again; this cannot be undone.
        </RevokeDialog>
      )}
    </section>
  );
}

function CreateAdminKeyDialog({
  onClose,
  onCreated,
}: {
  onClose: () => void;
  onCreated: (key: AdminKeyCreated) => void;
}) {
  const [name, setName] = useState("");
  const { busy, error, run } = useSubmit();
  return (
    <Dialog title="Create an admin key" onClose={onClose}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void run(async () => onCreated(await admin.adminKeys.create({ name: name.trim() })));
        }}
      >
        <Field
          label="Name"
          required
          maxLength={200}
          value={name}
          hint="What the key is for. It is held by you and acts with your role."
          onInput={(event) => setName(event.currentTarget.value)}
        />
        {error && <Notice kind="error">{error}</Notice>}
        <div class="actions">
          <Button type="submit" variant="primary" busy={busy}>
            Create admin key
          </Button>
          <Button onClick={onClose}>Cancel</Button>
        </div>
      </form>
    </Dialog>
  );
}
