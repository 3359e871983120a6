import { mayHoldAdminKeys } from "../admin-keys/admin-roles.js";
import type { RequestContext } from "../context.js";
import { AppError } from "../errors.js";
import type { ApiKeyRow } from "../records.js";
import type { Repositories } from "../repositories.js";

/**
 * What a request may see and change, from who makes it. Admin keys, the operator and owner or
 * admin sessions act for the whole organization (owner-only rules stay, src/core/admin-keys).
 * A developer's session sees the workspaces they belong to and their keys; a user's session sees
 * the keys issued to them (their principal) and their usage.
 */
export type Access =
  | { scope: "organization" }
  | { scope: "workspaces"; role: string; userId: string; workspaceIds: string[] }
  | { scope: "own_keys"; role: string; userId: string };

/** Roles a console session may have beyond owner and admin, and what they may call. */
export const LIMITED_ROLES = ["developer", "user"] as const;

export function refusedFor(role: string, what: string): AppError {
  return new AppError("permission_error", `the ${role} role may not ${what}`);
}

export async function accessOf(repos: Repositories, ctx: RequestContext): Promise<Access> {
  const actor = ctx.actor;
  if (actor.type !== "session" || mayHoldAdminKeys(actor.role)) {
    return { scope: "organization" };
  }
  if (actor.role === "developer") {
    const memberships = await repos.members.listForUser(actor.userId);
    return {
      scope: "workspaces",
      role: actor.role,
      userId: actor.userId,
      workspaceIds: memberships.map((m) => m.workspace_id),
    };
  }
  if (actor.role === "user") {
    return { scope: "own_keys", role: actor.role, userId: actor.userId };
  }
  throw refusedFor(actor.role, "use the Admin API with a console session");
}

/** The ids a filter may name: the caller's own, narrowed further by what they asked for. */
export function narrowed(allowed: readonly string[], asked: readonly string[] | undefined) {
  return asked === undefined ? [...allowed] : asked.filter((id) => allowed.includes(id));
}

/**
 * Whether the member created or was issued the key. A service account's key is the account's,
 * whoever created it: no member holds it.
 */
function holds(userId: string, key: ApiKeyRow): boolean {
  return (
    key.service_account_id === null &&
    (key.owner_user_id === userId || key.created_by_user_id === userId)
  );
}

/** Whether the caller may read this key: its workspace is theirs, or it was issued to them. */
export function mayRead(access: Access, key: ApiKeyRow): boolean {
  switch (access.scope) {
    case "organization":
      return true;
    case "workspaces":
      return access.workspaceIds.includes(key.workspace_id);
    case "own_keys":
      return holds(access.userId, key);
  }
}

/** Whether the caller may rename, deactivate or revoke this key: they created it or hold it. */
export function mayChange(access: Access, key: ApiKeyRow): boolean {
  return (
    access.scope === "organization" ||
    (access.scope === "workspaces" && mayRead(access, key) && holds(access.userId, key))
  );
}
