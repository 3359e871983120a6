/**
 * Members and invites (owners and admins): invite, resend, delete an invite, change a role, and
 * offboard with the server's exact preview of what will be revoked.
 */
import type { Invite, InviteCreated, User, UserRole } from "@steward/sdk";
import { useState } from "preact/hooks";
import { admin, collect, errorMessage } from "../api.ts";
import { Button } from "../components/button.tsx";
import { CopyButton } from "../components/copy-button.tsx";
import { Dialog } from "../components/dialog.tsx";
import { Field, Select } from "../components/field.tsx";
import { Notice } from "../components/notice.tsx";
import { PageHeader } from "../components/page-header.tsx";
import { ShowMore, useRowsShown } from "../components/show-more.tsx";
import { Table } from "../components/table.tsx";
import { dateTime } from "../format.ts";
import { useLoad, usePageReady, useSubmit } from "../hooks.ts";
import { type OffboardPreview, previewOffboard } from "../offboard-preview.ts";
import { href } from "../router.ts";
import { useSession } from "../session.ts";

const ROLES: { value: UserRole; label: string }[] = [
  { value: "user", label: "User" },
  { value: "developer", label: "Developer" },
  { value: "admin", label: "Admin" },
  { value: "owner", label: "Owner" },
];

type Message = { kind: "success" | "error"; text: string };

/** The link an invited person opens; the invitation email links to the same page. */
function acceptLink(invite: InviteCreated): string {
  return `${location.origin}${href(`invites/accept?${new URLSearchParams({ token: invite.token })}`)}`;
}

export function MembersPage() {
  const session = useSession();
  // Pages of 1,000, the API's largest: each page is a round trip the page waits for in turn.
  const users = useLoad(() => collect(admin.users.list({ limit: 1000 })));
  const invites = useLoad(() =>
    collect(admin.invites.list({ statuses: ["pending"], limit: 1000 })),
  );
  usePageReady(
    "members",
    users.data !== undefined && invites.data !== undefined && !users.loading && !invites.loading,
  );
  const [shown, showMore] = useRowsShown();
  const [message, setMessage] = useState<Message>();
  const [created, setCreated] = useState<InviteCreated>();
  const [offboarding, setOffboarding] = useState<User>();
  const [deleting, setDeleting] = useState<Invite>();

  const act = async (change: () => Promise<unknown>, done: string) => {
    try {
      await change();
      setMessage({ kind: "success", text: done });
    } catch (error) {
      setMessage({ kind: "error", text: errorMessage(error) });
    }
  };
  const resend = (invite: Invite) =>
    act(async () => {
      // A new invite replaces the pending one: a new link (emailed when SMTP is configured).
      await admin.invites.delete(invite.id);
      setCreated(await admin.invites.create({ email: invite.email, role: invite.role }));
      invites.reload();
    }, `A new invitation for ${invite.email} replaces the old one.`);

  return (
    <>
      <PageHeader title="Members" />
      {message && <Notice kind={message.kind}>{message.text}</Notice>}
      <InviteForm
        onCreated={(invite) => {
          setCreated(invite);
          setMessage({ kind: "success", text: `Invited ${invite.email}.` });
          invites.reload();
        }}
      />
      {created && (
        <section class="card" aria-labelledby="invite-link-heading">
          <h2 id="invite-link-heading">Invitation link for {created.email}</h2>
          <p>
            Send this link if the invitation email does not arrive. It is shown only now, and works
            until {dateTime(created.expires_at)}.
          </p>
          <code class="secret" data-testid="invite-link">
            {acceptLink(created)}
          </code>
          <CopyButton value={acceptLink(created)} label="Copy invitation link" />
        </section>
      )}

      {invites.error && <Notice kind="error">{invites.error}</Notice>}
      {invites.data && (
        <Table
          caption="Pending invites"
          rows={invites.data}
          rowKey={(invite) => invite.id}
          empty="No pending invites."
          columns={[
            { header: "Email", cell: (invite) => invite.email },
            { header: "Role", cell: (invite) => invite.role },
            { header: "Invited", cell: (invite) => dateTime(invite.invited_at) },
            { header: "Expires", cell: (invite) => dateTime(invite.expires_at) },
            {
              header: "Actions",
              cell: (invite) => (
                <div class="actions">
                  <Button
                    aria-label={`Resend invite to ${invite.email}`}
                    onClick={() => resend(invite)}
                  >
                    Resend
                  </Button>
                  <Button
                    variant="danger"
                    aria-label={`Delete invite to ${invite.email}`}
                    onClick={() => setDeleting(invite)}
                  >
                    Delete
                  </Button>
                </div>
              ),
            },
          ]}
        />
      )}

      {users.error && <Notice kind="error">{users.error}</Notice>}
      {users.data && (
        <Table
          caption="Members"
          rows={users.data.slice(0, shown)}
          rowKey={(user) => user.id}
          columns={[
            { header: "Name", cell: (user) => user.name },
            { header: "Email", cell: (user) => user.email },
            {
              header: "Role",
              cell: (user) =>
                user.id === session.user.id ? (
                  `${user.role} (you)`
                ) : (
                  <select
                    aria-label={`Role of ${user.email}`}
                    value={user.role}
                    onChange={(event) => {
                      const role = event.currentTarget.value as UserRole;
                      act(
                        () => admin.users.update(user.id, { role }),
                        `${user.email} is now ${role}.`,
                      ).then(users.reload);
                    }}
                  >
                    {ROLES.map((r) => (
                      <option key={r.value} value={r.value}>
                        {r.label}
                      </option>
                    ))}
                  </select>
                ),
            },
            { header: "Joined", cell: (user) => dateTime(user.added_at) },
            {
              header: "Actions",
              cell: (user) =>
                user.id === session.user.id ? null : (
                  <Button
                    variant="danger"
                    aria-label={`Offboard ${user.email}`}
                    onClick={() => setOffboarding(user)}
                  >
                    Offboard
                  </Button>
                ),
            },
          ]}
        />
      )}
      {users.data && (
        <ShowMore shown={shown} total={users.data.length} noun="members" onMore={showMore} />
      )}

      {deleting && (
        <Dialog
          title={`Delete the invite to ${deleting.email}?`}
          onClose={() => setDeleting(undefined)}
        >
          <p>Its link stops working. You can invite them again later.</p>
          <div class="actions">
            <Button
              variant="danger"
              onClick={async () => {
                const invite = deleting;
                setDeleting(undefined);
                await act(
                  () => admin.invites.delete(invite.id),
                  `Deleted the invite to ${invite.email}.`,
                );
                invites.reload();
              }}
            >
              Delete invite
            </Button>
            <Button onClick={() => setDeleting(undefined)}>Cancel</Button>
          </div>
        </Dialog>
      )}
      {offboarding && (
        <OffboardDialog
          user={offboarding}
          onClose={() => setOffboarding(undefined)}
          onDone={(text) => {
            setOffboarding(undefined);
            setMessage({ kind: "success", text });
            users.reload();
            invites.reload();
          }}
        />
      )}
    </>
  );
}

function InviteForm({ onCreated }: { onCreated: (invite: InviteCreated) => void }) {
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<UserRole>("user");
  const { busy, error, run } = useSubmit();
  return (
    <section class="card" aria-labelledby="invite-heading">
      <h2 id="invite-heading">Invite someone</h2>
      <form
        class="toolbar"
        onSubmit={(event) => {
          event.preventDefault();
          run(async () => {
            onCreated(await admin.invites.create({ email: email.trim(), role }));
            setEmail("");
          });
        }}
      >
        <Field
          label="Email"
          type="email"
          required
          value={email}
          onInput={(event) => setEmail(event.currentTarget.value)}
        />
        <Select
          label="Role"
          value={role}
          onChange={(event) => setRole(event.currentTarget.value as UserRole)}
          options={ROLES}
        />
        <Button type="submit" variant="primary" busy={busy}>
          Send invite
        </Button>
      </form>
      {error && <Notice kind="error">{error}</Notice>}
    </section>
  );
}

interface OffboardDialogProps {
  user: User;
  onClose: () => void;
  onDone: (message: string) => void;
}

function OffboardDialog({ user, onClose, onDone }: OffboardDialogProps) {
  const preview = useLoad(() => previewOffboard(user), [user.id]);
  const { busy, error, run } = useSubmit();
  return (
    <Dialog title={`Offboard ${user.name || user.email}?`} onClose={onClose}>
      {preview.loading && <p aria-busy="true">Finding what will be revoked…</p>}
      {preview.error && <Notice kind="error">{preview.error}</Notice>}
      {preview.data && <PreviewList preview={preview.data} />}
      <p>They are removed from the organization. This cannot be undone.</p>
      {error && <Notice kind="error">{error}</Notice>}
      <div class="actions">
        <Button
          variant="danger"
          busy={busy}
          onClick={() =>
            run(async () => {
              const result = await admin.users.offboard(user.id);
              onDone(
                `Offboarded ${user.email}: ${result.revoked_api_key_ids.length} API keys and ` +
                  `${result.revoked_admin_key_ids.length} admin keys revoked, ` +
                  `${result.removed_workspace_memberships.length} workspace memberships ended.`,
              );
            })
          }
        >
          Offboard {user.email}
        </Button>
        <Button onClick={onClose}>Cancel</Button>
      </div>
    </Dialog>
  );
}

function PreviewList({ preview }: { preview: OffboardPreview }) {
  return (
    <div data-testid="offboard-preview">
      <h3>API keys to revoke ({preview.keys.length})</h3>
      {preview.keys.length === 0 ? (
        <p class="muted">None.</p>
      ) : (
        <ul>
          {preview.keys.map((key) => (
            <li key={key.id}>
              {key.name} <code>{key.partial_key_hint}</code>
            </li>
          ))}
        </ul>
      )}
      <h3>Workspace memberships to end ({preview.memberships.length})</h3>
      {preview.memberships.length === 0 ? (
        <p class="muted">None.</p>
      ) : (
        <ul>
          {preview.memberships.map((m) => (
            <li key={m.workspaceId}>
              {m.workspaceName} ({m.role})
            </li>
          ))}
        </ul>
      )}
      <h3>Admin keys to revoke ({preview.adminKeyCount})</h3>
      {preview.cancelledInviteCount > 0 && (
        <h3>Pending invites to cancel ({preview.cancelledInviteCount})</h3>
      )}
    </div>
  );
}
