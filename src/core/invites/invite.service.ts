import type {
  Invite,
  InviteAcceptParams,
  InviteCreateParams,
  InviteListQuery,
} from "../../contract/invites.js";
import type { User } from "../../contract/users.js";
import { ensureOwnerPowers } from "../admin-keys/admin-roles.js";
import { revokeKeysIn } from "../api-keys/api-key.service.js";
import { recordAudit } from "../audit.js";
import type { RequestContext, ServiceDeps } from "../context.js";
import { AppError, invalidRequest, notFound } from "../errors.js";
import { checkCursor, type Page, toPage } from "../pagination.js";
import { presentInvite, presentMember, presentUser } from "../presenters.js";
import type { ApiKeyRow, InviteRow, UserRow } from "../records.js";
import type { Repositories } from "../repositories.js";
import { generateSecret, hashSecret, INVITE_TOKEN_PREFIX } from "../secrets.js";
import { type InviteMailOptions, invitationMessage } from "./invite-mail.js";

/** The seed chapter's invites expire after 7 days (Anthropic's after 21); the seed holds. */
export const INVITE_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * Invites a person in the caller's transaction (under the organization's lock): refuses a member
 * (`already_member`) and an email with a pending invite (`invite_already_exists`), and records
 * `invite.created`. The token is in the result only.
 */
export async function createInviteIn(
  repos: Repositories,
  deps: Pick<ServiceDeps, "clock" | "ids">,
  ctx: RequestContext,
  params: InviteCreateParams,
): Promise<Invite & { token: string }> {
  if (params.role === "owner") {
    await ensureOwnerPowers(repos, ctx, "invite an owner");
  }
  const token = generateSecret(INVITE_TOKEN_PREFIX);
  const now = deps.clock.now();
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
    id: deps.ids.next("invite"),
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
  await recordAudit(repos, deps, ctx, {
    action: "invite.created",
    targetType: "invite",
    targetId: row.id,
    after: invite,
  });
  return { ...invite, token };
}

/**
 * Withdraws a pending or expired invite in the caller's transaction (under the organization's
 * lock, which accept takes too): records `invite.deleted`, and revokes the API keys issued to the
 * invitee at onboarding (nobody will ever own them). Returns the ids of the keys it revoked.
 */
export async function deleteInviteIn(
  repos: Repositories,
  deps: Pick<ServiceDeps, "clock" | "ids">,
  ctx: RequestContext,
  row: InviteRow,
  because: Record<string, string> = {},
): Promise<string[]> {
  const now = deps.clock.now();
  const before = presentInvite(row, now);
  if (before.status === "accepted") {
    throw invalidRequest(
      `invite ${row.id} was already accepted; remove the user instead`,
      "invite_not_pending",
    );
  }
  await repos.invites.update(row.id, { deleted_at: now.toISOString() });
  await recordAudit(repos, deps, ctx, {
    action: "invite.deleted",
    targetType: "invite",
    targetId: row.id,
    before,
    after: { ...before, status: "deleted", ...because },
  });
  const keys: ApiKeyRow[] = [];
  for (const grant of await repos.inviteGrants.listForInvite(row.id, "api_key")) {
    const key = await repos.apiKeys.find(ctx.organizationId, grant.target_id);
    if (key && key.status !== "archived") {
      keys.push(key);
    }
  }
  return revokeKeysIn(repos, deps, ctx, keys, now.toISOString(), {
    reason: "invite_deleted",
    invite_id: row.id,
  });
}

/**
 * Gives a new member what their invite was granted at onboarding: the workspace memberships
 * (except in workspaces archived meanwhile) and the API keys issued to them, which become theirs.
 */
async function applyInviteGrantsIn(
  repos: Repositories,
  deps: Pick<ServiceDeps, "clock" | "ids">,
  ctx: RequestContext,
  inviteId: string,
  userId: string,
): Promise<void> {
  const now = deps.clock.now().toISOString();
  for (const grant of await repos.inviteGrants.listForInvite(inviteId, "workspace_member")) {
    const workspace = await repos.workspaces.find(ctx.organizationId, grant.target_id);
    if (!workspace || workspace.archived_at !== null || grant.workspace_role === null) {
      continue;
    }
    const member = {
      organization_id: ctx.organizationId,
      workspace_id: workspace.id,
      user_id: userId,
      workspace_role: grant.workspace_role,
      created_at: now,
      updated_at: now,
    };
    await repos.members.insert(member);
    await recordAudit(repos, deps, ctx, {
      action: "workspace_member.added",
      targetType: "workspace_member",
      targetId: `${workspace.id}/${userId}`,
      after: { ...presentMember(member), invite_id: inviteId },
    });
  }
  for (const grant of await repos.inviteGrants.listForInvite(inviteId, "api_key")) {
    const key = await repos.apiKeys.find(ctx.organizationId, grant.target_id);
    if (!key) {
      continue;
    }
    await repos.apiKeys.update(key.id, { owner_user_id: userId, updated_at: now });
    await recordAudit(repos, deps, ctx, {
      action: "api_key.updated",
      targetType: "api_key",
      targetId: key.id,
      before: { principal: null },
      after: { principal: { type: "user_actor", user_id: userId }, invite_id: inviteId },
    });
  }
}

export class InviteService {
  constructor(
    private readonly deps: ServiceDeps,
    /** When set (SMTP configured), invitations are also delivered by email. */
    private readonly mail?: InviteMailOptions,
  ) {}

  async create(
    ctx: RequestContext,
    params: InviteCreateParams,
  ): Promise<Invite & { token: string }> {
    const created = await this.deps.store.transaction(async (repos) => {
      await repos.organizations.lock(ctx.organizationId);
      return createInviteIn(repos, this.deps, ctx, params);
    });
    this.sendInvitation(ctx.organizationId, created);
    return created;
  }

  /**
   * Emails the invitee, when SMTP is configured. Call it once the invite is committed. It works
   * in the background: the caller's answer does not wait for the mail server, and a failure to
   * send is reported (onFailure), never undoing the invite: the admin holds the token from the
   * response either way.
   */
  sendInvitation(organizationId: string, invite: Invite & { token: string }): void {
    const mail = this.mail;
    if (mail === undefined) {
      return;
    }
    const sending = (async () => {
      const organization = await this.deps.store.read.organizations.find(organizationId);
      await mail.mailer.send(
        invitationMessage({
          organizationName: organization?.name ?? organizationId,
          email: invite.email,
          role: invite.role,
          token: invite.token,
          expiresAt: invite.expires_at,
          publicUrl: mail.publicUrl,
        }),
      );
    })();
    sending.catch((error: unknown) => mail.onFailure(error, { id: invite.id, organizationId }));
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
      if (!row || row.deleted_at !== null) {
        throw notFound("invite", id);
      }
      await deleteInviteIn(repos, this.deps, ctx, row);
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
      const { user } = await acceptInviteIn(repos, this.deps, meta, found, params.name);
      return user;
    });
  }
}

/**
 * Accepts a pending invite in the caller's transaction: the member is created with the invite's
 * role, and the grants of onboarding applied, audited with the invitee as actor. Used with the
 * token (`POST /v1/invites/accept`) and on an invited email's first sign-in to the console.
 */
export async function acceptInviteIn(
  repos: Repositories,
  deps: Pick<ServiceDeps, "clock" | "ids">,
  meta: Omit<RequestContext, "organizationId" | "actor">,
  found: InviteRow,
  name?: string | undefined,
): Promise<{ user: User; row: UserRow }> {
  await repos.organizations.lock(found.organization_id);
  // Read again under the lock: a concurrent accept or delete may have won the race.
  const row = await repos.invites.find(found.organization_id, found.id);
  const now = deps.clock.now();
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
    throw invalidRequest(`${row.email} is already a member of this organization`, "already_member");
  }
  const nowIso = now.toISOString();
  const user: UserRow = {
    id: deps.ids.next("user"),
    organization_id: row.organization_id,
    email: row.email,
    email_lower: row.email_lower,
    name: name ?? row.email.split("@")[0] ?? row.email,
    role: row.role,
    created_at: nowIso,
    updated_at: nowIso,
    last_active_at: nowIso,
    removed_at: null,
  };
  await repos.users.insert(user);
  await repos.invites.update(row.id, { accepted_at: nowIso, accepted_user_id: user.id });
  await recordAudit(repos, deps, ctx, {
    action: "invite.accepted",
    targetType: "invite",
    targetId: row.id,
    before: { status: "pending" },
    after: { status: "accepted", user_id: user.id },
  });
  const result = presentUser(user);
  await recordAudit(repos, deps, ctx, {
    action: "user.created",
    targetType: "user",
    targetId: user.id,
    after: result,
  });
  await applyInviteGrantsIn(repos, deps, ctx, row.id, user.id);
  return { user: result, row: user };
}
