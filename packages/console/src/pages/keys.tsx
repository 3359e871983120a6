/**
 * API keys: create (the key is shown once), rename, deactivate, revoke, filter by workspace and
 * status. Owners and admins act on every key; developers on the keys they created or hold; users
 * see their own keys. The server enforces the same rules.
 */
import type { ApiKey, ApiKeyCreated, Workspace } from "@steward/sdk";
import { useState } from "preact/hooks";
import { admin, collect, errorMessage } from "../api.ts";
import { Button } from "../components/button.tsx";
import { Dialog } from "../components/dialog.tsx";
import { Field, Select } from "../components/field.tsx";
import { NewSecretDialog, RenameKeyDialog, RevokeDialog } from "../components/key-dialogs.tsx";
import { Notice } from "../components/notice.tsx";
import { PageHeader } from "../components/page-header.tsx";
import { ShowMore, useRowsShown } from "../components/show-more.tsx";
import { Table } from "../components/table.tsx";
import { dateTime } from "../format.ts";
import { useLoad, usePageReady, useSubmit } from "../hooks.ts";
import { isAdmin, useSession } from "../session.ts";

type Status = ApiKey["status"];

const STATUSES: { value: string; label: string }[] = [
  { value: "", label: "Any status" },
  { value: "active", label: "Active" },
  { value: "inactive", label: "Inactive" },
  { value: "archived", label: "Revoked" },
  { value: "expired", label: "Expired" },
];

const STATUS_LABEL: Record<Status, string> = {
  active: "Active",
  inactive: "Inactive",
  archived: "Revoked",
  expired: "Expired",
};

/** What the open dialog is about. */
type Action =
  | { kind: "create" }
  | { kind: "created"; key: ApiKeyCreated }
  | { kind: "rename"; key: ApiKey }
  | { kind: "revoke"; key: ApiKey };

export function KeysPage() {
  const session = useSession();
  const me = session.user;
  const [workspaceId, setWorkspaceId] = useState("");
  const [status, setStatus] = useState("active");
  const [action, setAction] = useState<Action>();
  const [notice, setNotice] = useState<{ kind: "success" | "error"; text: string }>();

  const workspaces = useLoad(
    // Users may not list workspaces: the filter is then left out.
    () => collect(admin.workspaces.list({ limit: 1000 })).catch((): Workspace[] => []),
  );
  const keys = useLoad(
    () =>
      collect(
        // Pages of 1,000, the API's largest: each page is a round trip the page waits for in turn.
        admin.apiKeys.list({
          limit: 1000,
          ...(workspaceId && { workspace_id: workspaceId }),
          ...(status && { status: status as Status }),
        }),
        10_000,
      ),
    [workspaceId, status],
  );
  const [shown, showMore] = useRowsShown([workspaceId, status]);
  usePageReady(
    "keys",
    keys.data !== undefined &&
      workspaces.data !== undefined &&
      !keys.loading &&
      !workspaces.loading,
  );

  const workspaceName = (id: string) => workspaces.data?.find((w) => w.id === id)?.name ?? id;
  const canManage = (key: ApiKey) =>
    isAdmin(me.role) ||
    // A service account's key is the account's, whoever created it (as the server rules).
    (me.role === "developer" &&
      key.principal?.type !== "service_account_actor" &&
      (key.created_by?.id === me.id ||
        (key.principal?.type === "user_actor" && key.principal.user_id === me.id)));
  const canCreate = me.role !== "user";

  const run = async (change: () => Promise<unknown>, done: string) => {
    try {
      await change();
      setNotice({ kind: "success", text: done });
      keys.reload();
    } catch (error) {
      setNotice({ kind: "error", text: errorMessage(error) });
    }
  };

  return (
    <>
      <PageHeader title="API keys">
        {canCreate && (
          <Button variant="primary" onClick={() => setAction({ kind: "create" })}>
            Create key
          </Button>
        )}
      </PageHeader>
      <p class="muted">Keys for the Claude API through Steward's gateway.</p>
      {notice && <Notice kind={notice.kind}>{notice.text}</Notice>}
      <div class="toolbar">
        {workspaces.data && workspaces.data.length > 0 && (
          <Select
            label="Workspace"
            value={workspaceId}
            onChange={(event) => setWorkspaceId(event.currentTarget.value)}
            options={[
              { value: "", label: "All workspaces" },
              ...workspaces.data.map((w) => ({ value: w.id, label: w.name })),
            ]}
          />
        )}
        <Select
          label="Status"
          value={status}
          onChange={(event) => setStatus(event.currentTarget.value)}
          options={STATUSES}
        />
      </div>
      {keys.error && <Notice kind="error">{keys.error}</Notice>}
      {keys.data && (
        <Table
          caption="API keys"
          rows={keys.data.slice(0, shown)}
          rowKey={(key) => key.id}
          empty="No keys match these filters."
          columns={[
            { header: "Name", cell: (key) => key.name },
            { header: "Key", cell: (key) => <code>{key.partial_key_hint}</code> },
            { header: "Workspace", cell: (key) => workspaceName(key.workspace_id) },
            { header: "Status", cell: (key) => STATUS_LABEL[key.status] },
            { header: "Last used", cell: (key) => dateTime(key.last_used_at) },
            { header: "Created", cell: (key) => dateTime(key.created_at) },
            {
              header: "Actions",
              cell: (key) =>
                canManage(key) && key.status !== "archived" ? (
                  <div class="actions">
                    <Button
                      aria-label={`Rename ${key.name}`}
                      onClick={() => setAction({ kind: "rename", key })}
                    >
                      Rename
                    </Button>
                    {key.status === "active" ? (
                      <Button
                        aria-label={`Deactivate ${key.name}`}
                        onClick={() =>
                          run(
                            () => admin.apiKeys.update(key.id, { status: "inactive" }),
                            `${key.name} is inactive: requests with it are refused until it is activated.`,
                          )
                        }
                      >
                        Deactivate
                      </Button>
                    ) : key.status === "inactive" ? (
                      <Button
                        aria-label={`Activate ${key.name}`}
                        onClick={() =>
                          run(
                            () => admin.apiKeys.update(key.id, { status: "active" }),
                            `${key.name} is active again.`,
                          )
                        }
                      >
                        Activate
                      </Button>
                    ) : null}
                    <Button
                      variant="danger"
                      aria-label={`Revoke ${key.name}`}
                      onClick={() => setAction({ kind: "revoke", key })}
                    >
                      Revoke
                    </Button>
                  </div>
                ) : null,
            },
          ]}
        />
      )}
      {keys.data && (
        <ShowMore shown={shown} total={keys.data.length} noun="keys" onMore={showMore} />
      )}
      {action?.kind === "create" && (
        <CreateKeyDialog
          workspaces={workspaces.data ?? []}
          onClose={() => setAction(undefined)}
          onCreated={(key) => {
            setAction({ kind: "created", key });
            keys.reload();
          }}
        />
      )}
      {action?.kind === "created" && (
        <NewSecretDialog
          noun="API key"
          copyLabel="Copy key"
          name={action.key.name}
          secret={action.key.key}
          testId="new-key"
          onClose={() => setAction(undefined)}
        />
      )}
      {action?.kind === "rename" && (
        <RenameKeyDialog
          name={action.key.name}
          maxLength={500}
          save={(name) => admin.apiKeys.update(action.key.id, { name })}
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
          confirmLabel="Revoke key"
          onClose={() => setAction(undefined)}
          onRevoke={async () => {
            const key = action.key;
            setAction(undefined);
            await run(() => admin.apiKeys.revoke(key.id), `${key.name} is revoked.`);
          }}
        >
          Requests with this key are refused from now on. A revoked key cannot be used again; this
          cannot be undone.
        </RevokeDialog>
      )}
    </>
  );
}

interface CreateKeyDialogProps {
  workspaces: Workspace[];
  onClose: () => void;
  onCreated: (key: ApiKeyCreated) => void;
}

function CreateKeyDialog({ workspaces, onClose, onCreated }: CreateKeyDialogProps) {
  const open = workspaces.filter((w) => w.archived_at === null);
  const [name, setName] = useState("");
  const [workspaceId, setWorkspaceId] = useState(
    open.find((w) => w.is_default)?.id ?? open[0]?.id ?? "",
  );
  const { busy, error, run } = useSubmit();
  return (
    <Dialog title="Create an API key" onClose={onClose}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          run(async () =>
            onCreated(
              await admin.apiKeys.create({
                name: name.trim(),
                ...(workspaceId && { workspace_id: workspaceId }),
              }),
            ),
          );
        }}
      >
        <Field
          label="Name"
          required
          maxLength={500}
          value={name}
          hint="What the key is for, e.g. the service that uses it."
          onInput={(event) => setName(event.currentTarget.value)}
        />
        {open.length > 0 && (
          <Select
            label="Workspace"
            value={workspaceId}
            onChange={(event) => setWorkspaceId(event.currentTarget.value)}
            options={open.map((w) => ({ value: w.id, label: w.name }))}
          />
        )}
        {error && <Notice kind="error">{error}</Notice>}
        <div class="actions">
          <Button type="submit" variant="primary" busy={busy}>
            Create key
          </Button>
          <Button onClick={onClose}>Cancel</Button>
        </div>
      </form>
    </Dialog>
  );
}
