import type { User, UserListQuery, UserUpdated, UserUpdateParams } from "../../contract/users.js";
import { ensureOwnerPowers, mayHoldAdminKeys } from "../admin-keys/admin-roles.js";
import { revokeKeysIn } from "../api-keys/api-key.service.js";
import { recordAudit } from "../audit.js";
import type { RequestContext, ServiceDeps } from "../context.js";
import { invalidRequest, notFound } from "../errors.js";
import { checkCursor, type Page, toPage } from "../pagination.js";
import { presentUser } from "../presenters.js";
import type { UserRow } from "../records.js";
import type { Repositories } from "../repositories.js";
import { endSessionsOfUserIn } from "../sessions/session-records.js";

export interface UserRemoval {
  id: string;
  type: "user_deleted";
  deleted: true;
  revoked_api_key_ids: string[];
}

export class UserService {
  constructor(private readonly deps: ServiceDeps) {}

  async list(ctx: RequestContext, query: UserListQuery): Promise<Page<User>> {
    const users = this.deps.store.read.users;
    await checkCursor(query, (id) => users.exists(ctx.organizationId, id));
    const result = await users.list(
      ctx.organizationId,
      { email: query.email, roles: query.roles },
      query,
    );
    return toPage(result, presentUser, (u) => u.id);
  }

  async get(ctx: RequestContext, id: string): Promise<User> {
    const row = await this.deps.store.read.users.findActive(ctx.organizationId, id);
    if (!row) {
      throw notFound("user", id);
    }
    return presentUser(row);
  }

  /**
   * Changes a member's name or role. Only an owner (or an organization-level key, or the
   * operator) may change an owner or make someone an owner. A role change across admin/owner and
   * the other roles suspends the member's admin keys, or lets them work again; the answer and the
   * audit record name those keys.
   */
  async update(ctx: RequestContext, id: string, params: UserUpdateParams): Promise<UserUpdated> {
    return this.deps.store.transaction(async (repos) => {
      await repos.organizations.lock(ctx.organizationId);
      const row = await repos.users.findActive(ctx.organizationId, id);
      if (!row) {
        throw notFound("user", id);
      }
      if (row.role === "owner") {
        await ensureOwnerPowers(repos, ctx, "change an owner");
      } else if (params.role === "owner") {
        await ensureOwnerPowers(repos, ctx, "make a member an owner");
      }
      if (params.role !== undefined && row.role === "owner" && params.role !== "owner") {
        await this.ensureAnotherOwner(repos, ctx, "demote");
      }
      const now = this.deps.clock.now().toISOString();
      // Keys act with their holder's role as it is at each request: nothing to write, only to say.
      let suspended: string[] = [];
      let resumed: string[] = [];
      if (
        params.role !== undefined &&
        mayHoldAdminKeys(row.role) !== mayHoldAdminKeys(params.role)
      ) {
        const live = await repos.adminKeys.listLiveIdsForUser(id, now);
        if (mayHoldAdminKeys(row.role)) {
          suspended = live;
        } else {
          resumed = live;
        }
      }
      // A session acts with the role its member had at sign-in in mind: a new role, a new sign-in.
      if (params.role !== undefined && params.role !== row.role) {
        await endSessionsOfUserIn(repos, this.deps, ctx, id, "role_changed");
      }
      await repos.users.update(id, {
        updated_at: now,
        ...(params.role !== undefined && { role: params.role }),
        ...(params.name !== undefined && { name: params.name }),
      });
      const after = presentUser({
        ...row,
        updated_at: now,
        role: params.role ?? row.role,
        name: params.name ?? row.name,
      });
      const keys = { suspended_admin_key_ids: suspended, resumed_admin_key_ids: resumed };
      await recordAudit(repos, this.deps, ctx, {
        action: "user.updated",
        targetType: "user",
        targetId: id,
        before: presentUser(row),
        after: { ...after, ...keys },
      });
      return { ...after, ...keys };
    });
  }

  /**
   * Removes a member: revokes every API key they created or were issued (the seed chapter's
   * rule), drops their workspace memberships, and keeps the row for history.
   */
  async remove(ctx: RequestContext, id: string): Promise<UserRemoval> {
    return this.deps.store.transaction(async (repos) => {
      await repos.organizations.lock(ctx.organizationId);
      const row = await repos.users.findActive(ctx.organizationId, id);
      if (!row) {
        throw notFound("user", id);
      }
      if (row.role === "owner") {
        await ensureOwnerPowers(repos, ctx, "remove an owner");
        await this.ensureAnotherOwner(repos, ctx, "remove");
      }
      const { revokedApiKeyIds: keyIds } = await removeUserIn(repos, this.deps, ctx, row);
      return { id, type: "user_deleted", deleted: true, revoked_api_key_ids: keyIds };
    });
  }

  private ensureAnotherOwner(
    repos: Repositories,
    ctx: RequestContext,
    verb: "demote" | "remove",
  ): Promise<void> {
    return ensureAnotherOwner(repos, ctx, verb);
  }
}

/** Refuses to leave the organization without an owner (`cannot_remove_last_member`). */
export async function ensureAnotherOwner(
  repos: Repositories,
  ctx: RequestContext,
  verb: "demote" | "remove",
): Promise<void> {
  const owners = await repos.users.countActiveWithRole(ctx.organizationId, "owner");
  if (owners <= 1) {
    throw invalidRequest(
      `cannot ${verb} the last owner of the organization; make another member an owner first`,
      "cannot_remove_last_member",
    );
  }
}

/**
 * Removes a member in the caller's transaction (under the organization's lock, the last-owner
 * check done): revokes every API key they created or were issued and the admin keys that act for
 * them, ends their console sessions, drops their workspace memberships, keeps the row for
 * history, and records `user.removed`.
 */
export async function removeUserIn(
  repos: Repositories,
  deps: Pick<ServiceDeps, "clock" | "ids">,
  ctx: RequestContext,
  row: UserRow,
): Promise<{ revokedApiKeyIds: string[]; revokedAdminKeyIds: string[] }> {
  const id = row.id;
  const now = deps.clock.now().toISOString();
  const keyIds = await revokeKeysIn(
    repos,
    deps,
    ctx,
    await repos.apiKeys.listRevocableForUser(ctx.organizationId, id),
    now,
    { reason: "user_removed", user_id: id },
  );
  // Admin keys act for the member who holds them; they leave with that member.
  const adminKeyIds = await repos.adminKeys.revokeForUser(id, now);
  for (const adminKeyId of adminKeyIds) {
    await recordAudit(repos, deps, ctx, {
      action: "admin_key.revoked",
      targetType: "admin_key",
      targetId: adminKeyId,
      after: { reason: "user_removed", user_id: id },
    });
  }
  await endSessionsOfUserIn(repos, deps, ctx, id, "member_removed");
  const memberships = await repos.members.listForUser(id);
  await repos.members.deleteAllForUser(id);
  await repos.users.update(id, { removed_at: now, updated_at: now });
  await recordAudit(repos, deps, ctx, {
    action: "user.removed",
    targetType: "user",
    targetId: id,
    before: {
      ...presentUser(row),
      workspaces: memberships.map((m) => ({
        workspace_id: m.workspace_id,
        role: m.workspace_role,
      })),
    },
    after: { removed_at: now, revoked_api_key_ids: keyIds },
  });
  return { revokedApiKeyIds: keyIds, revokedAdminKeyIds: adminKeyIds };
}
