import type { AdminKeyRow } from "../../db/schema.js";
import type { Repositories } from "../../db/store.js";
import { recordAudit } from "../audit.js";
import type { RequestContext, RequestMeta, ServiceDeps } from "../context.js";
import { AppError, invalidRequest, notFound } from "../errors.js";
import {
  ADMIN_KEY_PREFIX,
  API_KEY_PREFIX,
  generateSecret,
  hashSecret,
  partialKeyHint,
} from "../secrets.js";

export interface AdminKeyInfo {
  id: string;
  type: "admin_key";
  organization_id: string;
  user_id: string | null;
  name: string;
  partial_key_hint: string;
  status: "active" | "revoked" | "expired";
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

function presentAdminKey(row: AdminKeyRow, now: Date): AdminKeyInfo {
  const expired = row.expires_at !== null && row.expires_at <= now.toISOString();
  return {
    id: row.id,
    type: "admin_key",
    organization_id: row.organization_id,
    user_id: row.user_id,
    name: row.name,
    partial_key_hint: row.partial_key_hint,
    status: row.revoked_at !== null ? "revoked" : expired ? "expired" : "active",
    created_at: row.created_at,
    expires_at: row.expires_at,
    revoked_at: row.revoked_at,
    last_used_at: row.last_used_at,
  };
}

/** Inserts an admin key and its audit record with the caller's transaction. */
export async function createAdminKeyIn(
  repos: Repositories,
  deps: Pick<ServiceDeps, "clock" | "ids">,
  ctx: RequestContext,
  input: { name: string; secret: string; userId: string | null; expiresAt: string | null },
): Promise<AdminKeyInfo> {
  checkAdminKeyShape(input.secret);
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
  const info = presentAdminKey(row, now);
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
  constructor(private readonly deps: ServiceDeps) {}

  /**
   * Resolves an admin key to its organization. Revocation and expiry are read from the database
   * on every call, so they take effect on the very next request.
   */
  /**
   * The principal of a presented admin key. Every failure (no key, an unknown, revoked or expired
   * one, an API key where an admin key belongs) is an audit record of the key's organization, or
   * of no organization when the key is unknown, before the error goes back.
   */
  async authenticate(secret: string | undefined, meta: RequestMeta): Promise<AdminPrincipal> {
    const row =
      secret === undefined
        ? undefined
        : await this.deps.store.read.adminKeys.findByHash(hashSecret(secret));
    const now = this.deps.clock.now();
    let failure: AppError | undefined;
    if (secret === undefined) {
      failure = new AppError(
        "authentication_error",
        "x-api-key header is required (an admin key, sk-ant-admin01-…)",
      );
    } else if (!row && secret.startsWith(API_KEY_PREFIX)) {
      failure = new AppError(
        "authentication_error",
        `admin endpoints need an admin key (${ADMIN_KEY_PREFIX}…); this is an API key`,
      );
    } else if (!row || row.revoked_at !== null) {
      failure = new AppError("authentication_error", "invalid x-api-key");
    } else if (row.expires_at !== null && row.expires_at <= now.toISOString()) {
      failure = new AppError("authentication_error", "this admin key has expired");
    }
    if (failure !== undefined || !row) {
      const error = failure ?? new AppError("authentication_error", "invalid x-api-key");
      await this.#recordFailure(row, error.message, meta);
      throw error;
    }
    if (
      row.last_used_at === null ||
      now.getTime() - Date.parse(row.last_used_at) > LAST_USED_RESOLUTION_MS
    ) {
      await this.deps.store.read.adminKeys.update(row.id, { last_used_at: now.toISOString() });
    }
    return { adminKeyId: row.id, organizationId: row.organization_id, userId: row.user_id };
  }

  async #recordFailure(
    row: AdminKeyRow | undefined,
    reason: string,
    meta: RequestMeta,
  ): Promise<void> {
    const ctx: RequestContext = {
      organizationId: row?.organization_id ?? "",
      actor: row
        ? { type: "admin_key", id: row.id, userId: row.user_id }
        : { type: "anonymous", id: null },
      ...meta,
    };
    await this.deps.store.transaction((repos) =>
      recordAudit(repos, this.deps, ctx, {
        action: "admin_key.authenticate",
        targetType: "admin_key",
        targetId: row?.id ?? null,
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
      // An admin key acts for a member: the one named, or else the first owner. Keys it creates
      // name that member as their creator, and leave with them when the member is removed.
      let userId: string | null;
      if (input.userId !== undefined) {
        if (!(await repos.users.findActive(ctx.organizationId, input.userId))) {
          throw notFound("user", input.userId);
        }
        userId = input.userId;
      } else {
        const owner = await repos.users.list(
          ctx.organizationId,
          { roles: ["owner"] },
          { limit: 1 },
        );
        userId = owner.data[0]?.id ?? null;
      }
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
      const current = (await repos.adminKeys.find(id)) ?? row;
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
      const row = await repos.adminKeys.find(id);
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
