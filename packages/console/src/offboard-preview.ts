/**
 * What offboarding a member will do, as the server answers it: `admin.users.previewOffboard`
 * runs the real offboarding in a transaction it rolls back, so the lists are exactly what the
 * Offboard button then revokes. Only the names shown beside the ids are looked up here.
 */
import type { ApiKey, User, UserOffboardResponse } from "@steward/sdk";
import { admin } from "./api.ts";

export interface OffboardPreview {
  keys: ApiKey[];
  memberships: { workspaceId: string; workspaceName: string; role: string }[];
  adminKeyCount: number;
  cancelledInviteCount: number;
}

export async function previewOffboard(user: User): Promise<OffboardPreview> {
  const preview: UserOffboardResponse = await admin.users.previewOffboard(user.id);
  const memberships = preview.removed_workspace_memberships;
  const [keys, workspaces] = await Promise.all([
    Promise.all(preview.revoked_api_key_ids.map((id) => admin.apiKeys.retrieve(id))),
    Promise.all(memberships.map((m) => admin.workspaces.retrieve(m.workspace_id))),
  ]);
  return {
    keys,
    memberships: memberships.map((m, i) => ({
      workspaceId: m.workspace_id,
      workspaceName: workspaces[i]?.name ?? m.workspace_id,
      role: m.workspace_role,
    })),
    adminKeyCount: preview.revoked_admin_key_ids.length,
    cancelledInviteCount: preview.cancelled_invite_ids.length,
  };
}
