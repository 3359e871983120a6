import { actingUserId, type RequestContext } from "../context.js";
import { AppError } from "../errors.js";
import type { Repositories } from "../repositories.js";

/**
 * The organization roles whose members may hold working admin keys, as at Anthropic: admins and
 * owners. A key held by anyone else (demoted since) is suspended until they hold one again.
 */
export const ADMIN_KEY_ROLES: readonly string[] = ["owner", "admin"];

export function mayHoldAdminKeys(role: string | null | undefined): boolean {
  return role === "owner" || role === "admin";
}

/**
 * Refuses (403, `permission_error`) an action only an owner may take (making someone an owner,
 * changing or removing an owner, inviting one) when the request acts for a member who is not an
 * owner. The holder's role is read in the caller's transaction, under the organization's lock that
 * role changes take, so a concurrent demotion cannot slip between the check and the change.
 * A console session acts for its member just as a key held by them does. Operators, the system,
 * and organization-level admin keys (created without a holder) have an owner's powers.
 */
export async function ensureOwnerPowers(
  repos: Repositories,
  ctx: RequestContext,
  what: string,
): Promise<void> {
  const userId = actingUserId(ctx);
  if (userId === null) {
    return;
  }
  const holder = await repos.users.findActive(ctx.organizationId, userId);
  if (holder?.role === "owner") {
    return;
  }
  const who = holder === undefined ? "who is no longer a member" : `whose role is ${holder.role}`;
  throw new AppError(
    "permission_error",
    `only an owner may ${what}; this ${ctx.actor.type === "session" ? "session" : "admin key"} acts for ${userId}, ${who}`,
  );
}
