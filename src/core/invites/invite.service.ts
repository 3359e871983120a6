import type {
  Invite,
  InviteAcceptParams,
  InviteCreateParams,
  InviteListQuery,
} from "../../contract/invites.js";
import type { User } from "../../contract/users.js";
import { recordAudit } from "../audit.js";
import type { RequestContext, ServiceDeps } from "../context.js";
import { AppError, invalidRequest, notFound } from "../errors.js";
import { checkCursor, type Page, toPage } from "../pagination.js";
import { presentInvite, presentUser } from "../presenters.js";
import { generateSecret, hashSecret, INVITE_TOKEN_PREFIX } from "../secrets.js";

/** The seed chapter's invites expire after 7 days (Anthropic's after 21); the seed holds. */
export const INVITE_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export class InviteService {
  constructor(private readonly deps: ServiceDeps) {}

  async create(
    ctx: RequestContext,
    params: InviteCreateParams,
  ): Promise<Invite & { token: string }> {
    const token = generateSecret(INVITE_TOKEN_PREFIX);
    return this.deps.store.transaction(async (repos) => {
      await repos.organizations.lock(ctx.organizationId);
      const now = this.deps.clock.now();
      if (await repos.users.findActiveByEmail(ctx.organizationId, params.email)) {
        throw invalidRequest(
          `${params.email} is already a member of this organization`,
          "already_member",
        );
      }
      const pending = await repos.invites.findPendingByEmail(
        ctx.organizationId,
        params.email,
        now.toISOString(),
      );
      if (pending.length > 0) {
        throw invalidRequest(
          `${params.email} already has a pending invite (${pending[0]?.id}); delete it to invite again`,
          "invite_already_exists",
        );
      }
      const row = {
        id: this.deps.ids.next("invite"),
        organization_id: ctx.organizationId,
        email: params.email,
        email_lower: params.email.toLowerCase(),
        role: params.role,
        token_hash: hashSecret(token),
        invited_at: now.toISOString(),
        expires_at: new Date(now.getTime() + INVITE_TTL_MS).toISOString(),
        accepted_at: null,
        accepted_user_id: null,
        deleted_at: null,
      };
      await repos.invites.insert(row);
      const invite = presentInvite(row, now);
      await recordAudit(repos, this.deps, ctx, {
        action: "invite.created",
        targetType: "invite",
        targetId: row.id,
        after: invite,
      });
      return { ...invite, token };
    });
  }

  async list(ctx: RequestContext, query: InviteListQuery): Promise<Page<Invite>> {
    const invites = this.deps.store.read.invites;
    await checkCursor(
      query,
      async (id) => (await invites.find(ctx.organizationId, id)) !== undefined,
    );
    const now = this.deps.clock.now();
    const result = await invites.list(
      ctx.organizationId,
      { email: query.email, roles: query.roles, statuses: query.statuses },
      now.toISOString(),
      query,
    );
    return toPage(
      result,
      (row) => presentInvite(row, now),
      (i) => i.id,
    );
  }

  async get(ctx: RequestContext, id: string): Promise<Invite> {
    const row = await this.deps.store.read.invites.find(ctx.organizationId, id);
    if (!row) {
      throw notFound("invite", id);
    }
    return presentInvite(row, this.deps.clock.now());
  }

  /** Withdraws a pending invite; its token stops working at once. */
  async delete(
    ctx: RequestContext,
    id: string,
  ): Promise<{ id: string; type: "invite_deleted"; deleted: true }> {
    return this.deps.store.transaction(async (repos) => {
      // Under the lock accept takes, so that an invite is never both accepted and deleted.
      await repos.organizations.lock(ctx.organizationId);
      const row = await repos.invites.find(ctx.organizationId, id);
      const now = this.deps.clock.now();
      if (!row || row.deleted_at !== null) {
        throw notFound("invite", id);
      }
      const before = presentInvite(row, now);
      if (before.status === "accepted") {
        throw invalidRequest(
          `invite ${id} was already accepted; remove the user instead`,
          "invite_not_pending",
        );
      }
      await repos.invites.update(id, { deleted_at: now.toISOString() });
      await recordAudit(repos, this.deps, ctx, {
        action: "invite.deleted",
        targetType: "invite",
        targetId: id,
        before,
        after: { ...before, status: "deleted" },
      });
      return { id, type: "invite_deleted", deleted: true };
    });
  }

  /**
   * The invited person joins with the one-time token from the invite. No admin key is needed:
   * the token is the credential, and it works once, before the invite expires.
   */
  async accept(
    params: InviteAcceptParams,
    meta: Omit<RequestContext, "organizationId" | "actor">,
  ): Promise<User> {
    return this.deps.store.transaction(async (repos) => {
      const found = await repos.invites.findByTokenHash(hashSecret(params.token));
      if (!found) {
        throw new AppError("authentication_error", "invalid invite token");
      }
      await repos.organizations.lock(found.organization_id);
      // Read again under the lock: a concurrent accept or delete may have won the race.
      const row = await repos.invites.find(found.organization_id, found.id);
      const now = this.deps.clock.now();
      if (!row) {
        throw new AppError("authentication_error", "invalid invite token");
      }
      const status = presentInvite(row, now).status;
      if (status !== "pending") {
        throw invalidRequest(
          `this invite is ${status} and can no longer be accepted`,
          "invite_not_pending",
        );
      }
      const ctx: RequestContext = {
        ...meta,
        organizationId: row.organization_id,
        actor: { type: "invitee", id: row.id },
      };
      if (await repos.users.findActiveByEmail(row.organization_id, row.email)) {
        throw invalidRequest(
          `${row.email} is already a member of this organization`,
          "already_member",
        );
      }
      const nowIso = now.toISOString();
      const user = {
        id: this.deps.ids.next("user"),
        organization_id: row.organization_id,
        email: row.email,
        email_lower: row.email_lower,
        name: params.name ?? row.email.split("@")[0] ?? row.email,
        role: row.role,
        created_at: nowIso,
        updated_at: nowIso,
        last_active_at: nowIso,
        removed_at: null,
      };
      await repos.users.insert(user);
      await repos.invites.update(row.id, { accepted_at: nowIso, accepted_user_id: user.id });
      await recordAudit(repos, this.deps, ctx, {
        action: "invite.accepted",
        targetType: "invite",
        targetId: row.id,
        before: { status: "pending" },
        after: { status: "accepted", user_id: user.id },
      });
      const result = presentUser(user);
      await recordAudit(repos, this.deps, ctx, {
        action: "user.created",
        targetType: "user",
        targetId: user.id,
        after: result,
      });
      return result;
    });
  }
}
