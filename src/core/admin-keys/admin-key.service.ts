import type {
  AdminKey,
  AdminKeyCreated,
  AdminKeyCreateParams,
  AdminKeyDeleteResponse,
  AdminKeyListQuery,
  AdminKeyUpdateParams,
} from "../../contract/admin-keys.js";
import { CONTROL_CHARACTERS_MESSAGE, hasControlCharacter } from "../../contract/common.js";
import { recordAudit } from "../audit.js";
import {
  actingUserId,
  type RequestContext,
  type RequestMeta,
  type ServiceDeps,
} from "../context.js";
import { AppError, invalidRequest, notFound } from "../errors.js";
import { checkCursor, type Page, toPage } from "../pagination.js";
import type { AdminKeyRow, AdminKeyWithHolder } from "../records.js";
import type { Repositories } from "../repositories.js";
import {
  ADMIN_KEY_PREFIX,
  API_KEY_PREFIX,
  generateSecret,
  hashSecret,
  partialKeyHint,
} from "../secrets.js";
import { ADMIN_KEY_ROLES, ensureOwnerPowers, mayHoldAdminKeys } from "./admin-roles.js";
import { type AuthFailureOptions, type AuthFailureReason, AuthFailures } from "./auth-failures.js";

/** A key as the Admin API and the CLI present it (src/contract/admin-keys.ts). */
export type AdminKeyInfo = AdminKey;

export interface AdminPrincipal {
  adminKeyId: string;
  organizationId: string;
  userId: string | null;
}

const MIN_SECRET_BODY = 32;

/** The longest a rotated key may keep working beside its successor. */
export const MAX_ROTATION_GRACE_SECONDS = 365 * 24 * 60 * 60;

/** An injected key (STEWARD_BOOTSTRAP_ADMIN_KEY) must look like one we would have generated. */
export function checkAdminKeyShape(secret: string): void {
  if (
    !secret.startsWith(ADMIN_KEY_PREFIX) ||
    secret.length < ADMIN_KEY_PREFIX.length + MIN_SECRET_BODY
  ) {
    throw invalidRequest(
      `an admin key must start with ${ADMIN_KEY_PREFIX} and carry at least ${MIN_SECRET_BODY} random characters after it`,
    );
  }
  if (!/^[A-Za-z0-9_-]+$/.test(secret.slice(ADMIN_KEY_PREFIX.length))) {
    throw invalidRequest(
      "an admin key may only contain letters, digits, '-' and '_' after its prefix",
    );
  }
}

type Holder = Pick<AdminKeyWithHolder, "holder_role" | "holder_removed_at">;

/** Whether a key with a holder is suspended: the holder was removed or lost their admin role. */
function isSuspended(row: Pick<AdminKeyRow, "user_id"> & Holder): boolean {
  return (
    row.user_id !== null && (row.holder_removed_at !== null || !mayHoldAdminKeys(row.holder_role))
  );
}

function presentAdminKey(row: AdminKeyRow & Holder, now: Date): AdminKeyInfo {
  const expired = row.expires_at !== null && row.expires_at <= now.toISOString();
  return {
    id: row.id,
    type: "admin_key",
    organization_id: row.organization_id,
    user_id: row.user_id,
    name: row.name,
    partial_key_hint: row.partial_key_hint,
    status:
      row.revoked_at !== null
        ? "revoked"
        : expired
          ? "expired"
          : isSuspended(row)
            ? "suspended"
            : "active",
    scope: row.user_id === null ? "organization" : "member",
    holder_role: row.user_id === null || row.holder_removed_at !== null ? null : row.holder_role,
    created_at: row.created_at,
    expires_at: row.expires_at,
    revoked_at: row.revoked_at,
    last_used_at: row.last_used_at,
  };
}

/**
 * Inserts an admin key and its audit record with the caller's transaction. A key with a holder
 * (`userId`) needs an active member whose role may hold admin keys (admin or owner); a key
 * without one is organization-level.
 */
export async function createAdminKeyIn(
  repos: Repositories,
  deps: Pick<ServiceDeps, "clock" | "ids">,
  ctx: RequestContext,
  input: { name: string; secret: string; userId: string | null; expiresAt: string | null },
): Promise<AdminKeyInfo> {
  checkAdminKeyShape(input.secret);
  let holderRole: string | null = null;
  if (input.userId !== null) {
    const holder = await repos.users.findActive(ctx.organizationId, input.userId);
    if (!holder) {
      throw notFound("user", input.userId);
    }
    if (!mayHoldAdminKeys(holder.role)) {
      throw invalidRequest(
        `user ${input.userId} has the role ${holder.role}; only members with the ${ADMIN_KEY_ROLES.join(" or ")} role may hold admin keys`,
      );
    }
    holderRole = holder.role;
  }
  const now = deps.clock.now();
  const row: AdminKeyRow = {
    id: deps.ids.next("adminKey"),
    organization_id: ctx.organizationId,
    user_id: input.userId,
    name: input.name,
    key_hash: hashSecret(input.secret),
    partial_key_hint: partialKeyHint(input.secret, ADMIN_KEY_PREFIX),
    created_at: now.toISOString(),
    expires_at: input.expiresAt,
    revoked_at: null,
    last_used_at: null,
  };
  await repos.adminKeys.insert(row);
  const info = presentAdminKey({ ...row, holder_role: holderRole, holder_removed_at: null }, now);
  await recordAudit(repos, deps, ctx, {
    action: "admin_key.created",
    targetType: "admin_key",
    targetId: row.id,
    after: info,
  });
  return info;
}

// Admin traffic is light, but a write per request is still waste: refresh last_used_at at most
// once a minute per key.
const LAST_USED_RESOLUTION_MS = 60_000;

export class AdminKeyService {
  /** Failed attempts: counted, aggregated per address and minute, and throttled per address. */
  readonly failures: AuthFailures;

  constructor(
    private readonly deps: ServiceDeps,
    failureOptions: Partial<AuthFailureOptions> = {},
  ) {
    this.failures = new AuthFailures(deps.store, deps.clock, failureOptions);
  }

  /**
   * The principal of a presented admin key. Revocation, expiry and the holder's role are read
   * from the database on every call, so they take effect on the very next request: a key whose
   * holder is no longer an admin or owner is suspended (403) until they are one again.
   *
   * Every failure is counted by reason and per source address (AuthFailures), aggregated into
   * one `auth_failures` row per address and minute. A known key's failure is also an audit
   * record of its organization, once per key, address and window. An address over its limit of
   * failures gets 429 for each further failure; a valid key is never throttled.
   */
  async authenticate(secret: string | undefined, meta: RequestMeta): Promise<AdminPrincipal> {
    const row =
      secret === undefined
        ? undefined
        : await this.deps.store.read.adminKeys.findByHashWithHolder(hashSecret(secret));
    const now = this.deps.clock.now();
    let reason: AuthFailureReason | undefined;
    let failure: AppError | undefined;
    if (secret === undefined) {
      reason = "missing_key";
      failure = new AppError(
        "authentication_error",
        "x-api-key header is required (an admin key, sk-ant-admin01-…)",
      );
    } else if (!row && secret.startsWith(API_KEY_PREFIX)) {
      reason = "api_key";
      failure = new AppError(
        "authentication_error",
        `admin endpoints need an admin key (${ADMIN_KEY_PREFIX}…); this is an API key`,
      );
    } else if (!row) {
      reason = "unknown_key";
      failure = new AppError("authentication_error", "invalid x-api-key");
    } else if (row.revoked_at !== null) {
      reason = "revoked_key";
      failure = new AppError("authentication_error", "invalid x-api-key");
    } else if (row.expires_at !== null && row.expires_at <= now.toISOString()) {
      reason = "expired_key";
      failure = new AppError("authentication_error", "this admin key has expired");
    } else if (isSuspended(row)) {
      reason = "suspended_key";
      const holder =
        row.holder_removed_at !== null || row.holder_role === null
          ? `its holder ${row.user_id} is no longer a member of the organization`
          : `its holder ${row.user_id} now has the role ${row.holder_role}`;
      failure = new AppError(
        "permission_error",
        `this admin key is suspended: ${holder}; admin keys work only for members with the ${ADMIN_KEY_ROLES.join(" or ")} role`,
      );
    }
    if (failure !== undefined || !row) {
      const error = failure ?? new AppError("authentication_error", "invalid x-api-key");
      const verdict = this.failures.fail(meta.clientIp, reason ?? "unknown_key", row?.id ?? null);
      if (row && verdict.audit) {
        await this.#recordFailure(row, error.message, meta);
      }
      throw verdict.throttled ?? error;
    }
    if (
      row.last_used_at === null ||
      now.getTime() - Date.parse(row.last_used_at) > LAST_USED_RESOLUTION_MS
    ) {
      await this.deps.store.read.adminKeys.update(row.id, { last_used_at: now.toISOString() });
    }
    return { adminKeyId: row.id, organizationId: row.organization_id, userId: row.user_id };
  }

  async #recordFailure(row: AdminKeyRow, reason: string, meta: RequestMeta): Promise<void> {
    const ctx: RequestContext = {
      organizationId: row.organization_id,
      actor: { type: "admin_key", id: row.id, userId: row.user_id },
      ...meta,
    };
    await this.deps.store.transaction((repos) =>
      recordAudit(repos, this.deps, ctx, {
        action: "admin_key.authenticate",
        targetType: "admin_key",
        targetId: row.id,
        outcome: "failure",
        after: { reason },
      }),
    );
  }

  async create(
    ctx: RequestContext,
    input: { name: string; expiresAt?: string | null | undefined; userId?: string | undefined },
  ): Promise<{ key: string; adminKey: AdminKeyInfo }> {
    const name = input.name.trim();
    if (name.length === 0 || name.length > 200) {
      throw invalidRequest("name: must be 1 to 200 characters");
    }
    if (hasControlCharacter(input.name)) {
      throw invalidRequest(`name: ${CONTROL_CHARACTERS_MESSAGE}`);
    }
    const expiresAt = input.expiresAt ?? null;
    if (expiresAt !== null && Date.parse(expiresAt) <= this.deps.clock.now().getTime()) {
      throw invalidRequest("expires_at: must be in the future");
    }
    const secret = generateSecret(ADMIN_KEY_PREFIX);
    return this.deps.store.transaction(async (repos) => {
      const organization = await repos.organizations.find(ctx.organizationId);
      if (!organization) {
        throw notFound("organization", ctx.organizationId);
      }
      // A key with a holder acts for that member, with their current role: the API keys it
      // creates name them as creator, and it leaves with them. Without one it is
      // organization-level (an owner's powers) until the operator revokes it.
      const userId = input.userId ?? null;
      const adminKey = await createAdminKeyIn(repos, this.deps, ctx, {
        name,
        secret,
        userId,
        expiresAt: expiresAt === null ? null : new Date(expiresAt).toISOString(),
      });
      return { key: secret, adminKey };
    });
  }

  /**
   * Issues a successor to an active key (same name, member and organization, and the same expiry
   * unless `expiresAt` says otherwise) and lets the old key work for `graceSeconds` more, then
   * stop: its `expires_at` becomes now + grace, unless it was to expire sooner anyway. A grace of
   * 0 stops the old key at once. Audited as `admin_key.created` and `admin_key.rotated`.
   */
  async rotate(
    ctx: Omit<RequestContext, "organizationId">,
    id: string,
    options: { graceSeconds: number; expiresAt?: string | null | undefined },
  ): Promise<{ key: string; adminKey: AdminKeyInfo; previous: AdminKeyInfo }> {
    const grace = options.graceSeconds;
    if (!Number.isSafeInteger(grace) || grace < 0 || grace > MAX_ROTATION_GRACE_SECONDS) {
      throw invalidRequest(
        `grace: must be a whole number of seconds from 0 to ${MAX_ROTATION_GRACE_SECONDS} (365 days)`,
      );
    }
    const now = this.deps.clock.now();
    if (
      options.expiresAt !== undefined &&
      options.expiresAt !== null &&
      Date.parse(options.expiresAt) <= now.getTime()
    ) {
      throw invalidRequest("expires_at: must be in the future");
    }
    const secret = generateSecret(ADMIN_KEY_PREFIX);
    return this.deps.store.transaction(async (repos) => {
      const row = await repos.adminKeys.find(id);
      if (!row) {
        throw notFound("admin key", id);
      }
      // Under the organization's lock, so that a concurrent revocation of the member (and their
      // keys) cannot miss the successor.
      await repos.organizations.lock(row.organization_id);
      const current = (await repos.adminKeys.findWithHolder(id)) ?? {
        ...row,
        holder_role: null,
        holder_removed_at: null,
      };
      const before = presentAdminKey(current, now);
      if (before.status !== "active") {
        throw invalidRequest(
          `admin key ${id} is ${before.status} and cannot be rotated; create a new key instead`,
        );
      }
      const orgCtx: RequestContext = { ...ctx, organizationId: current.organization_id };
      const expiresAt =
        options.expiresAt === undefined
          ? current.expires_at
          : options.expiresAt === null
            ? null
            : new Date(options.expiresAt).toISOString();
      const adminKey = await createAdminKeyIn(repos, this.deps, orgCtx, {
        name: current.name,
        secret,
        userId: current.user_id,
        expiresAt,
      });
      const graceEnd = new Date(now.getTime() + grace * 1000).toISOString();
      const oldExpiresAt =
        current.expires_at !== null && current.expires_at <= graceEnd
          ? current.expires_at
          : graceEnd;
      if (oldExpiresAt !== current.expires_at) {
        await repos.adminKeys.update(id, { expires_at: oldExpiresAt });
      }
      const previous = presentAdminKey({ ...current, expires_at: oldExpiresAt }, now);
      await recordAudit(repos, this.deps, orgCtx, {
        action: "admin_key.rotated",
        targetType: "admin_key",
        targetId: id,
        before,
        after: { ...previous, successor_id: adminKey.id, grace_seconds: grace },
      });
      return { key: secret, adminKey, previous };
    });
  }

  async list(organizationId?: string): Promise<AdminKeyInfo[]> {
    const now = this.deps.clock.now();
    const rows = await this.deps.store.read.adminKeys.list(organizationId);
    return rows.map((row) => presentAdminKey(row, now));
  }

  async revoke(ctx: Omit<RequestContext, "organizationId">, id: string): Promise<AdminKeyInfo> {
    return this.deps.store.transaction(async (repos) => {
      const row = await repos.adminKeys.findWithHolder(id);
      if (!row) {
        throw notFound("admin key", id);
      }
      const now = this.deps.clock.now();
      const before = presentAdminKey(row, now);
      if (row.revoked_at === null) {
        await repos.adminKeys.update(id, { revoked_at: now.toISOString() });
      }
      const after = presentAdminKey(
        { ...row, revoked_at: row.revoked_at ?? now.toISOString() },
        now,
      );
      await recordAudit(
        repos,
        this.deps,
        { ...ctx, organizationId: row.organization_id },
        {
          action: "admin_key.revoked",
          targetType: "admin_key",
          targetId: id,
          before,
          after,
        },
      );
      return after;
    });
  }

  // The Admin API's operations (/v1/organizations/admin_keys): owners only, within the caller's
  // organization. The operator's CLI uses the methods above, across organizations.

  /** The organization's keys, oldest first, revoked ones included. */
  async page(ctx: RequestContext, query: AdminKeyListQuery): Promise<Page<AdminKey>> {
    const repos = this.deps.store.read;
    await ensureOwnerPowers(repos, ctx, "list admin keys");
    await checkCursor(
      query,
      async (id) =>
        (await repos.adminKeys.findInOrganization(ctx.organizationId, id)) !== undefined,
    );
    const now = this.deps.clock.now();
    const result = await repos.adminKeys.page(
      ctx.organizationId,
      { status: query.status },
      now.toISOString(),
      query,
    );
    return toPage(
      result,
      (row) => presentAdminKey(row, now),
      (key) => key.id,
    );
  }

  async get(ctx: RequestContext, id: string): Promise<AdminKey> {
    const repos = this.deps.store.read;
    await ensureOwnerPowers(repos, ctx, "read admin keys");
    return presentAdminKey(await findOwn(repos, ctx, id), this.deps.clock.now());
  }

  /**
   * Issues a key held by a member who is an admin or owner: `user_id`, or the member making the
   * request. Organization-level keys (no holder) stay the operator's: a request without a member
   * behind it (an organization-level key) must name `user_id`.
   */
  async createForMember(
    ctx: RequestContext,
    params: AdminKeyCreateParams,
  ): Promise<AdminKeyCreated> {
    const now = this.deps.clock.now();
    if (params.expires_at != null && Date.parse(params.expires_at) <= now.getTime()) {
      throw invalidRequest("expires_at: must be in the future");
    }
    const userId = params.user_id ?? actingUserId(ctx);
    if (userId === null) {
      throw invalidRequest(
        "user_id: required, as this request acts for no member; a key created over the API is held by an admin or owner (organization-level keys are the operator's: steward admin-keys create)",
      );
    }
    const secret = generateSecret(ADMIN_KEY_PREFIX);
    return this.deps.store.transaction(async (repos) => {
      // The lock role changes and removals take: the holder's role cannot change under us.
      await repos.organizations.lock(ctx.organizationId);
      await ensureOwnerPowers(repos, ctx, "create admin keys");
      const adminKey = await createAdminKeyIn(repos, this.deps, ctx, {
        name: params.name,
        secret,
        userId,
        expiresAt: params.expires_at == null ? null : new Date(params.expires_at).toISOString(),
      });
      return { ...adminKey, key: secret };
    });
  }

  /** Renames a key; the same name again changes nothing and records nothing. */
  async rename(ctx: RequestContext, id: string, params: AdminKeyUpdateParams): Promise<AdminKey> {
    return this.deps.store.transaction(async (repos) => {
      await repos.organizations.lock(ctx.organizationId);
      await ensureOwnerPowers(repos, ctx, "rename admin keys");
      const row = await findOwn(repos, ctx, id);
      const now = this.deps.clock.now();
      const before = presentAdminKey(row, now);
      if (params.name === row.name) {
        return before;
      }
      await repos.adminKeys.update(id, { name: params.name });
      const after = presentAdminKey({ ...row, name: params.name }, now);
      await recordAudit(repos, this.deps, ctx, {
        action: "admin_key.updated",
        targetType: "admin_key",
        targetId: id,
        before,
        after,
      });
      return after;
    });
  }

  /**
   * Revokes a key at once: the next request with it answers 401. Revoking twice is harmless.
   * The organization's last working key with an owner's powers (organization-level, or held by an
   * owner) may be revoked only from an owner's console session, which stays signed in; with a key
   * it is refused (`last_owner_admin_key`), so that an owner cannot lock every owner out of the
   * Admin API by accident. The operator's CLI can always issue a new key.
   */
  async revokeInOrganization(ctx: RequestContext, id: string): Promise<AdminKeyDeleteResponse> {
    return this.deps.store.transaction(async (repos) => {
      // Under the organization's lock, so that two revocations cannot each leave the other key.
      await repos.organizations.lock(ctx.organizationId);
      await ensureOwnerPowers(repos, ctx, "revoke admin keys");
      const row = await findOwn(repos, ctx, id);
      if (row.revoked_at !== null) {
        return { id, type: "admin_key_deleted", deleted: true };
      }
      const now = this.deps.clock.now();
      const before = presentAdminKey(row, now);
      const ownerSession = ctx.actor.type === "session" && ctx.actor.role === "owner";
      const ownerPowers = row.user_id === null || before.holder_role === "owner";
      if (before.status === "active" && ownerPowers && !ownerSession) {
        const others = await repos.adminKeys.countWithOwnerPowers(
          ctx.organizationId,
          now.toISOString(),
          id,
        );
        if (others === 0) {
          throw invalidRequest(
            `admin key ${id} is the organization's last working key with an owner's powers; create another owner's key first, or revoke it from an owner's console session`,
            "last_owner_admin_key",
          );
        }
      }
      await repos.adminKeys.update(id, { revoked_at: now.toISOString() });
      await recordAudit(repos, this.deps, ctx, {
        action: "admin_key.revoked",
        targetType: "admin_key",
        targetId: id,
        before,
        after: presentAdminKey({ ...row, revoked_at: now.toISOString() }, now),
      });
      return { id, type: "admin_key_deleted", deleted: true };
    });
  }
}

/** The caller's organization's key, or 404 (as another organization's is). */
async function findOwn(
  repos: Repositories,
  ctx: RequestContext,
  id: string,
): Promise<AdminKeyWithHolder> {
  const row = await repos.adminKeys.findInOrganization(ctx.organizationId, id);
  if (!row) {
    throw notFound("admin key", id);
  }
  return row;
}
