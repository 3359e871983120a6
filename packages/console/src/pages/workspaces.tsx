/** Workspaces: the list, and each workspace's limits, members, keys and archiving. */

import type { ApiKey, User, Workspace, WorkspaceMember } from "@steward/sdk";
import { formatUsd } from "@steward/sdk";
import { useState } from "preact/hooks";
import { admin, collect, isForbidden } from "../api.ts";
import { Button } from "../components/button.tsx";
import { Dialog } from "../components/dialog.tsx";
import { Field, Select } from "../components/field.tsx";
import { Notice } from "../components/notice.tsx";
import { PageHeader } from "../components/page-header.tsx";
import { Table } from "../components/table.tsx";
import { dateTime } from "../format.ts";
import { useLoad, usePageReady, useSubmit } from "../hooks.ts";
import { href, navigate } from "../router.ts";
import { isAdmin, useSession } from "../session.ts";
import { CheckboxField, parseOptionalNumber } from "./common.tsx";

function limitText(value: number | null, format: (n: number) => string): string {
  return value === null ? "No limit" : format(value);
}

const perMinute = (n: number) => `${n.toLocaleString()} / min`;

export function WorkspacesPage() {
  const session = useSession();
  const [showArchived, setShowArchived] = useState(false);
  const workspaces = useLoad(
    () =>
      collect(
        admin.workspaces.list({
          include_default: true,
          include_archived: showArchived,
          limit: 1000,
        }),
      ),
    [showArchived],
  );
  usePageReady("workspaces", workspaces.data !== undefined && !workspaces.loading);
  return (
    <>
      <PageHeader title="Workspaces" />
      {isAdmin(session.user.role) && (
        <CreateWorkspace onCreated={(id) => navigate(`workspaces/${id}`)} />
      )}
      <CheckboxField
        label="Show archived workspaces"
        checked={showArchived}
        onChange={setShowArchived}
      />
      {workspaces.error && <Notice kind="error">{workspaces.error}</Notice>}
      {workspaces.data && (
        <Table
          caption="Workspaces"
          rows={workspaces.data}
          rowKey={(w) => w.id}
          empty="No workspaces."
          columns={[
            {
              header: "Name",
              cell: (w) => (
                <a href={href(`workspaces/${w.id}`)}>
                  {w.name}
                  {w.is_default && w.name.toLowerCase() !== "default" ? " (default)" : ""}
                </a>
              ),
            },
            {
              header: "Monthly spend limit",
              numeric: true,
              cell: (w) => limitText(w.usage_limits.monthly_spend_usd, formatUsd),
            },
            {
              header: "Requests per minute",
              numeric: true,
              cell: (w) => limitText(w.usage_limits.requests_per_minute, perMinute),
            },
            { header: "Created", cell: (w) => dateTime(w.created_at) },
            { header: "Status", cell: (w) => (w.archived_at ? "Archived" : "Active") },
          ]}
        />
      )}
    </>
  );
}

function CreateWorkspace({ onCreated }: { onCreated: (id: string) => void }) {
  const [name, setName] = useState("");
  const { busy, error, run } = useSubmit();
  return (
    <form
      class="toolbar"
      onSubmit={(event) => {
        event.preventDefault();
        void run(async () => {
          const created = await admin.workspaces.create({ name: name.trim() });
          onCreated(created.id);
        });
      }}
    >
      <Field
        label="New workspace name"
        value={name}
        required
        maxLength={40}
        onInput={(event) => setName(event.currentTarget.value)}
        error={error}
      />
      <Button type="submit" variant="primary" busy={busy}>
        Create workspace
      </Button>
    </form>
  );
}

export function WorkspacePage({ id }: { id: string }) {
  const session = useSession();
  const manage = isAdmin(session.user.role);
  const workspace = useLoad(() => admin.workspaces.retrieve(id), [id]);
  if (workspace.error) {
    return (
      <>
        <PageHeader title="Workspace" />
        <Notice kind="error">{workspace.error}</Notice>
        <a href={href("workspaces")}>All workspaces</a>
      </>
    );
  }
  const w = workspace.data;
  if (!w) {
    return <PageHeader title="Workspace" />;
  }
  return (
    <>
      <PageHeader title={w.name}>
        <a href={href("workspaces")}>All workspaces</a>
      </PageHeader>
      <p class="muted">
        <code>{w.id}</code> · created {dateTime(w.created_at)}
        {w.is_default ? " · the organization's default workspace" : ""}
        {w.archived_at ? ` · archived ${dateTime(w.archived_at)}` : ""}
      </p>
      <Limits workspace={w} manage={manage && !w.archived_at} onSaved={workspace.reload} />
      {/* Only owners and admins may list a workspace's members. */}
      {manage && <Members workspace={w} manage={!w.archived_at} />}
      <Keys workspace={w} />
      {manage && !w.archived_at && !w.is_default && (
        <Archive workspace={w} onArchived={workspace.reload} />
      )}
    </>
  );
}

function Limits({
  workspace,
  manage,
  onSaved,
}: {
  workspace: Workspace;
  manage: boolean;
  onSaved: () => void;
}) {
  const limits = workspace.usage_limits;
  const [spend, setSpend] = useState(limits.monthly_spend_usd?.toString() ?? "");
  const [rpm, setRpm] = useState(limits.requests_per_minute?.toString() ?? "");
  const { busy, error, run } = useSubmit();
  const [saved, setSaved] = useState(false);
  if (!manage) {
    return (
      <section class="card" aria-labelledby="limits-heading">
        <h2 id="limits-heading">Limits</h2>
        <p>Monthly spend: {limitText(limits.monthly_spend_usd, formatUsd)}</p>
        <p>Requests: {limitText(limits.requests_per_minute, perMinute)}</p>
      </section>
    );
  }
  return (
    <section class="card" aria-labelledby="limits-heading">
      <h2 id="limits-heading">Limits</h2>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          setSaved(false);
          void run(async () => {
            const monthly = parseOptionalNumber(spend, "The monthly spend limit");
            const perMinuteLimit = parseOptionalNumber(rpm, "The requests per minute");
            await admin.workspaces.update(workspace.id, {
              usage_limits: { monthly_spend_usd: monthly, requests_per_minute: perMinuteLimit },
            });
            setSaved(true);
            onSaved();
          });
        }}
      >
        <Field
          label="Monthly spend limit (USD)"
          hint="Empty for no limit. Requests are refused once the month's spend reaches it."
          inputMode="decimal"
          value={spend}
          onInput={(event) => setSpend(event.currentTarget.value)}
        />
        <Field
          label="Requests per minute"
          hint="Empty for no limit."
          inputMode="numeric"
          value={rpm}
          onInput={(event) => setRpm(event.currentTarget.value)}
        />
        <Button type="submit" variant="primary" busy={busy}>
          Save limits
        </Button>
        {error && <Notice kind="error">{error}</Notice>}
        {saved && <Notice kind="success">Limits saved.</Notice>}
      </form>
    </section>
  );
}

const WORKSPACE_ROLES = [
  { value: "workspace_user", label: "User" },
  { value: "workspace_developer", label: "Developer" },
  { value: "workspace_restricted_developer", label: "Restricted developer" },
  { value: "workspace_admin", label: "Admin" },
] as const;

type AssignableRole = (typeof WORKSPACE_ROLES)[number]["value"];

function roleLabel(role: string): string {
  return WORKSPACE_ROLES.find((r) => r.value === role)?.label ?? role.replace(/^workspace_/, "");
}

interface MembersData {
  members: WorkspaceMember[];
  /** The organization's members by id; empty when this member may not list them. */
  users: Map<string, User>;
}

function Members({ workspace, manage }: { workspace: Workspace; manage: boolean }) {
  const members = useLoad<MembersData>(async () => {
    const [list, users] = await Promise.all([
      collect(admin.workspaces.members.list(workspace.id, { limit: 1000 })),
      collect(admin.users.list({ limit: 1000 })).catch((error: unknown) => {
        if (isForbidden(error)) {
          return [];
        }
        throw error;
      }),
    ]);
    return { members: list, users: new Map(users.map((u) => [u.id, u])) };
  }, [workspace.id]);
  const { error, run } = useSubmit();
  const change = (action: () => Promise<unknown>) =>
    run(async () => {
      await action();
      members.reload();
    });
  const who = (userId: string) => {
    const user = members.data?.users.get(userId);
    return user ? `${user.name || user.email} (${user.email})` : userId;
  };
  return (
    <section aria-labelledby="members-heading">
      <h2 id="members-heading">Members</h2>
      {members.error && <Notice kind="error">{members.error}</Notice>}
      {error && <Notice kind="error">{error}</Notice>}
      {members.data && (
        <Table
          caption={`Members of ${workspace.name}`}
          rows={members.data.members}
          rowKey={(m) => m.user_id}
          empty="No members."
          columns={[
            { header: "Member", cell: (m) => who(m.user_id) },
            {
              header: "Workspace role",
              cell: (m) =>
                manage && m.workspace_role !== "workspace_billing" ? (
                  <select
                    aria-label={`Workspace role of ${who(m.user_id)}`}
                    value={m.workspace_role}
                    onChange={(event) => {
                      const role = event.currentTarget.value as AssignableRole;
                      void change(() =>
                        admin.workspaces.members.update(workspace.id, m.user_id, {
                          workspace_role: role,
                        }),
                      );
                    }}
                  >
                    {WORKSPACE_ROLES.map((r) => (
                      <option key={r.value} value={r.value}>
                        {r.label}
                      </option>
                    ))}
                  </select>
                ) : (
                  roleLabel(m.workspace_role)
                ),
            },
            ...(manage
              ? [
                  {
                    header: "Actions",
                    cell: (m: WorkspaceMember) => (
                      <Button
                        aria-label={`Remove ${who(m.user_id)} from the workspace`}
                        onClick={() =>
                          change(() => admin.workspaces.members.delete(workspace.id, m.user_id))
                        }
                      >
                        Remove
                      </Button>
                    ),
                  },
                ]
              : []),
          ]}
        />
      )}
      {manage && members.data && (
        <AddMember
          workspace={workspace}
          candidates={[...members.data.users.values()].filter(
            (u) => !members.data?.members.some((m) => m.user_id === u.id),
          )}
          onAdded={members.reload}
        />
      )}
    </section>
  );
}

function AddMember({
  workspace,
  candidates,
  onAdded,
}: {
  workspace: Workspace;
  candidates: User[];
  onAdded: () => void;
}) {
  const [userId, setUserId] = useState("");
  const [role, setRole] = useState<AssignableRole>("workspace_developer");
  const { busy, error, run } = useSubmit();
  if (candidates.length === 0) {
    return <p class="muted">Every member of the organization is in this workspace.</p>;
  }
  const chosen = userId || candidates[0]?.id || "";
  return (
    <form
      class="toolbar"
      onSubmit={(event) => {
        event.preventDefault();
        void run(async () => {
          await admin.workspaces.members.create(workspace.id, {
            user_id: chosen,
            workspace_role: role,
          });
          setUserId("");
          onAdded();
        });
      }}
    >
      <Select
        label="Member to add"
        value={chosen}
        options={candidates.map((u) => ({
          value: u.id,
          label: `${u.name || u.email} (${u.email})`,
        }))}
        onChange={(event) => setUserId(event.currentTarget.value)}
      />
      <Select
        label="Workspace role"
        value={role}
        options={WORKSPACE_ROLES.map((r) => ({ value: r.value, label: r.label }))}
        onChange={(event) => setRole(event.currentTarget.value as AssignableRole)}
      />
      <Button type="submit" busy={busy}>
        Add member
      </Button>
      {error && <Notice kind="error">{error}</Notice>}
    </form>
  );
}

function Keys({ workspace }: { workspace: Workspace }) {
  const keys = useLoad(
    () => collect(admin.apiKeys.list({ workspace_id: workspace.id, limit: 1000 })),
    [workspace.id],
  );
  return (
    <section aria-labelledby="keys-heading">
      <h2 id="keys-heading">API keys</h2>
      {keys.error && <Notice kind="error">{keys.error}</Notice>}
      {keys.data && (
        <Table
          caption={`API keys of ${workspace.name}`}
          rows={keys.data}
          rowKey={(k: ApiKey) => k.id}
          empty="No API keys in this workspace."
          columns={[
            { header: "Name", cell: (k) => k.name },
            { header: "Key", cell: (k) => <code>{k.partial_key_hint}</code> },
            { header: "Status", cell: (k) => k.status },
            { header: "Created by", cell: (k) => k.created_by?.email ?? "—" },
            { header: "Last used", cell: (k) => dateTime(k.last_used_at) },
          ]}
        />
      )}
      <p>
        <a href={`${href("keys")}?${new URLSearchParams({ workspace_id: workspace.id })}`}>
          Manage this workspace's keys
        </a>
      </p>
    </section>
  );
}

function Archive({ workspace, onArchived }: { workspace: Workspace; onArchived: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const { busy, error, run } = useSubmit();
  return (
    <section class="card" aria-labelledby="archive-heading">
      <h2 id="archive-heading">Archive</h2>
      <p>
        Archiving a workspace archives its API keys too: the gateway refuses them from then on. Its
        usage stays in the reports.
      </p>
      <Button variant="danger" onClick={() => setConfirming(true)}>
        Archive workspace
      </Button>
      {confirming && (
        <Dialog title={`Archive ${workspace.name}?`} onClose={() => setConfirming(false)}>
          <p>Its API keys stop working at once. An archived workspace cannot be restored.</p>
          {error && <Notice kind="error">{error}</Notice>}
          <div class="actions">
            <Button
              variant="danger"
              busy={busy}
              onClick={() =>
                run(async () => {
                  await admin.workspaces.archive(workspace.id);
                  setConfirming(false);
                  onArchived();
                })
              }
            >
              Archive
            </Button>
            <Button onClick={() => setConfirming(false)}>Cancel</Button>
          </div>
        </Dialog>
      )}
    </section>
  );
}
