import { CONTROL_CHARACTERS_MESSAGE, hasControlCharacter } from "../../contract/common.js";
import { recordAudit } from "../audit.js";
import type { RequestContext, RequestMeta, ServiceDeps } from "../context.js";
import { AppError, invalidRequest, notFound } from "../errors.js";
import type { AdminKeyRow, AdminKeyWithHolder } from "../records.js";
import type { Repositories } from "../repositories.js";
import {
  ADMIN_KEY_PREFIX,
  API_KEY_PREFIX,
  generateSecret,
  hashSecret,
  partialKeyHint,
} from "../secrets.js";
import { ADMIN_KEY_ROLES, mayHoldAdminKeys } from "./admin-roles.js";
import { type AuthFailureOptions, type AuthFailureReason, AuthFailures } from "./auth-failures.js";

export interface AdminKeyInfo {
  id: string;
  type: "admin_key";
  organization_id: string;
  user_id: string | null;
  name: string;
  partial_key_hint: string;
  /** `suspended`: its holder no longer has a role that may hold admin keys (admin, owner). */
  status: "active" | "revoked" | "expired" | "suspended";
  /**
   * `organization`: created by the operator without a holder; acts with an owner's powers.
   * `member`: acts for `user_id`, with that member's current role.
   */
  scope: "organization" | "member";
  /** The holder's current role (null: no holder, or the holder was removed). */
  holder_role: string | null;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
  last_used_at: string | null;
}

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
}
