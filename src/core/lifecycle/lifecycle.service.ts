import type { Invite } from "../../contract/invites.js";
import type {
  OffboardResponse,
  OnboardParams,
  OnboardResponse,
  PendingWorkspaceMember,
} from "../../contract/lifecycle.js";
import type { WorkspaceMember } from "../../contract/workspaces.js";
import { ensureOwnerPowers } from "../admin-keys/admin-roles.js";
import { createApiKeyIn, revokeKeysIn } from "../api-keys/api-key.service.js";
import { recordAudit } from "../audit.js";
import type { RequestContext, ServiceDeps } from "../context.js";
import { AppError, notFound } from "../errors.js";
import { createInviteIn, deleteInviteIn } from "../invites/invite.service.js";
import { presentUser } from "../presenters.js";
import type { Repositories } from "../repositories.js";
import { ensureAnotherOwner, removeUserIn } from "../users/user.service.js";
import {
  ensureOpenForMembers,
  findWorkspaceIn,
  removeMemberIn,
} from "../workspaces/member.service.js";
import { assignableRole } from "../workspaces/roles.js";

/**
 * Onboarding and offboarding: the seed chapter's `UserLifecycleManager` done server-side, each in
 * one transaction, through the same rules (and so the same errors) as the basic endpoints.
 */
export class LifecycleService {
  constructor(
    private readonly deps: ServiceDeps,
    /** Delivers a committed invite by email when SMTP is configured (InviteService's). */
    private readonly sendInvitation: (
      organizationId: string,
      invite: Invite & { token: string },
    ) => void = () => {},
  ) {}

  /**
   * Invites a person, grants them workspace memberships that take effect when they accept, and
   * issues them an API key that works at once and becomes theirs (its principal) when they accept.
   */
  async onboard(ctx: RequestContext, params: OnboardParams): Promise<OnboardResponse> {
    const result = await this.deps.store.transaction(async (repos): Promise<OnboardResponse> => {
      // The lock invites, members, keys and user removal take.
      await repos.organizations.lock(ctx.organizationId);
      const workspaces = [];
      for (const grant of params.workspaces ?? []) {
        const workspace = await findWorkspaceIn(repos, ctx, grant.workspace_id);
        ensureOpenForMembers(workspace);
        workspaces.push({ workspace, role: assignableRole(grant.workspace_role) });
      }
      const invite = await createInviteIn(repos, this.deps, ctx, {
        email: params.email,
        role: params.role,
      });
      const now = this.deps.clock.now().toISOString();
      const memberships: PendingWorkspaceMember[] = [];
      for (const { workspace, role } of workspaces) {
        await repos.inviteGrants.insert({
          organization_id: ctx.organizationId,
          invite_id: invite.id,
          kind: "workspace_member",
          target_id: workspace.id,
          workspace_role: role,
          created_at: now,
        });
        const pending: PendingWorkspaceMember = {
          type: "pending_workspace_member",
          invite_id: invite.id,
          workspace_id: workspace.id,
          workspace_role: role,
        };
        memberships.push(pending);
        await recordAudit(repos, this.deps, ctx, {
          action: "workspace_member.invited",
          targetType: "workspace_member",
          targetId: `${workspace.id}/${invite.id}`,
          after: pending,
        });
      }
      const apiKey =
        params.api_key === undefined
          ? null
          : await createApiKeyIn(repos, this.deps, ctx, params.api_key);
      if (apiKey !== null) {
        await repos.inviteGrants.insert({
          organization_id: ctx.organizationId,
          invite_id: invite.id,
          kind: "api_key",
          target_id: apiKey.id,
          workspace_role: null,
          created_at: now,
        });
      }
      await recordAudit(repos, this.deps, ctx, {
        action: "user.onboarded",
        targetType: "invite",
        targetId: invite.id,
        after: {
          invite_id: invite.id,
          email: invite.email,
          role: invite.role,
          workspace_memberships: memberships.map((m) => ({
            workspace_id: m.workspace_id,
            workspace_role: m.workspace_role,
          })),
          api_key_id: apiKey?.id ?? null,
        },
      });
      return {
        type: "user_onboarded",
        invite,
        workspace_memberships: memberships,
        api_key: apiKey,
      };
    });
    this.sendInvitation(ctx.organizationId, result.invite);
    return result;
  }

  /**
   * Cancels the member's pending invites, revokes every API key they created or were issued,
   * removes them from every workspace and from the organization; all or nothing.
   */
  async offboard(ctx: RequestContext, userId: string): Promise<OffboardResponse> {
    return this.deps.store.transaction((repos) => this.#offboardIn(repos, ctx, userId));
  }

  /**
   * Exactly what `offboard` would answer now, found by running it in a transaction that is rolled
   * back: the same rules and errors, nothing written (no audit record), nothing revoked.
   */
  async previewOffboard(ctx: RequestContext, userId: string): Promise<OffboardResponse> {
    const result = await this.deps.store.rehearse((repos) => this.#offboardIn(repos, ctx, userId));
    return { ...result, deleted: false, dry_run: true };
  }

  async #offboardIn(
    repos: Repositories,
    ctx: RequestContext,
    userId: string,
  ): Promise<OffboardResponse> {
    await repos.organizations.lock(ctx.organizationId);
    const row = await repos.users.findActive(ctx.organizationId, userId);
    if (!row) {
      if (await repos.users.exists(ctx.organizationId, userId)) {
        throw new AppError(
          "not_found_error",
          `user ${JSON.stringify(userId)} was already removed from the organization; nothing to offboard`,
        );
      }
      throw notFound("user", userId);
    }
    if (row.role === "owner") {
      await ensureOwnerPowers(repos, ctx, "offboard an owner");
      await ensureAnotherOwner(repos, ctx, "remove");
    }
    const because = { reason: "user_offboarded", user_id: userId };
    const now = this.deps.clock.now();
    const revoked: string[] = [];

    const invites = await repos.invites.findPendingByEmail(
      ctx.organizationId,
      row.email,
      now.toISOString(),
    );
    for (const invite of invites) {
      revoked.push(...(await deleteInviteIn(repos, this.deps, ctx, invite, because)));
    }

    const keys = await repos.apiKeys.listRevocableForUser(ctx.organizationId, userId);
    revoked.push(...(await revokeKeysIn(repos, this.deps, ctx, keys, now.toISOString(), because)));

    const removedMemberships: WorkspaceMember[] = [];
    for (const member of await repos.members.listForUser(userId)) {
      removedMemberships.push(await removeMemberIn(repos, this.deps, ctx, member, because));
    }

    const removal = await removeUserIn(repos, this.deps, ctx, row);
    revoked.push(...removal.revokedApiKeyIds);

    const result: OffboardResponse = {
      id: userId,
      type: "user_offboarded",
      deleted: true,
      user: presentUser(row),
      revoked_api_key_ids: [...new Set(revoked)].sort(),
      revoked_admin_key_ids: removal.revokedAdminKeyIds,
      removed_workspace_memberships: removedMemberships,
      cancelled_invite_ids: invites.map((i) => i.id),
    };
    await recordAudit(repos, this.deps, ctx, {
      action: "user.offboarded",
      targetType: "user",
      targetId: userId,
      before: presentUser(row),
      after: {
        revoked_api_key_ids: result.revoked_api_key_ids,
        revoked_admin_key_ids: result.revoked_admin_key_ids,
        removed_workspace_memberships: removedMemberships.map((m) => ({
          workspace_id: m.workspace_id,
          workspace_role: m.workspace_role,
        })),
        cancelled_invite_ids: result.cancelled_invite_ids,
      },
    });
    return result;
  }
}
