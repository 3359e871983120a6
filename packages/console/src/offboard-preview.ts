/**
 * What offboarding a member will do, gathered from the public API before it is done: the same
 * rules as the server's offboard (src/core/lifecycle): their pending invites are cancelled, the
 * unrevoked keys they created or hold are revoked (never a service account's, whoever created it), their workspace memberships end, and the admin
 * keys they hold are revoked (not listed here: the Admin API has no list of them by holder).
 */
import type { ApiKey, Invite, User, Workspace } from "@steward/sdk";
import { admin, collect } from "./api.ts";

export interface OffboardPreview {
  keys: ApiKey[];
  memberships: { workspace: Workspace; role: string }[];
  invites: Invite[];
}

export async function previewOffboard(user: User): Promise<OffboardPreview> {
  const [keys, workspaces, invites] = await Promise.all([
    collect(admin.apiKeys.list({ limit: 100 }), 10_000),
    collect(admin.workspaces.list({ limit: 100 })),
    collect(admin.invites.list({ email: user.email, statuses: ["pending"], limit: 100 })),
  ]);
  const memberships = await Promise.all(
    workspaces.map(async (workspace) => {
      const members = await collect(admin.workspaces.members.list(workspace.id, { limit: 100 }));
      const mine = members.find((m) => m.user_id === user.id);
      return mine ? { workspace, role: mine.workspace_role } : undefined;
    }),
  );
  return {
    keys: keys.filter(
      (key) =>
        key.status !== "archived" &&
        key.principal?.type !== "service_account_actor" &&
        (key.created_by?.id === user.id ||
          (key.principal?.type === "user_actor" && key.principal.user_id === user.id)),
    ),
    memberships: memberships.filter((m) => m !== undefined),
    invites: invites.filter((invite) => invite.email.toLowerCase() === user.email.toLowerCase()),
  };
}
