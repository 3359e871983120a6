import { createHmac, timingSafeEqual } from "node:crypto";
import type { Session } from "../../contract/sessions.js";
import type { OrganizationRole } from "../../contract/users.js";
import { recordAudit } from "../audit.js";
import type { RequestContext, ServiceDeps } from "../context.js";
import type { ConsoleSessionRow, ConsoleSessionWithUser } from "../records.js";
import type { Repositories } from "../repositories.js";
import { generateSecret, hashSecret } from "../secrets.js";

/** A session cookie's secret: `stw-session01-` and 384 random bits, as every Steward secret. */
export const SESSION_SECRET_PREFIX = "stw-session01-";

export type SignInMethod = "admin_key" | "oidc" | "email_link";

/** Why a session ended, in `ended_reason` and in the `session.ended` audit record. */
export type SessionEndReason =
  | "sign_out"
  | "idle_timeout"
  | "expired"
  | "member_removed"
  | "role_changed";

export interface SessionTimeouts {
  /** Ends a session nobody used for this long (SESSION_IDLE_TIMEOUT). */
  idleTimeoutMs: number;
  /** Ends a session this long after sign-in, used or not (SESSION_MAX_AGE). */
  maxAgeMs: number;
}

export const DEFAULT_SESSION_TIMEOUTS: SessionTimeouts = {
  idleTimeoutMs: 30 * 60_000,
  maxAgeMs: 12 * 60 * 60_000,
};

/** What GET /auth/session answers. */
export type SessionInfo = Session;

/**
 * The CSRF token is derived from the session's secret, so it needs no storage and only the
 * holder of the cookie can know it; a page of another origin can send the cookie but not read it.
 */
export function csrfTokenOf(secret: string): string {
  return createHmac("sha256", secret).update("steward console csrf").digest("base64url");
}

export function csrfTokenMatches(secret: string, presented: string | undefined): boolean {
  if (presented === undefined) {
    return false;
  }
  const expected = Buffer.from(csrfTokenOf(secret));
  const given = Buffer.from(presented);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** When an unused session ends: the idle limit, but never after the absolute one. */
export function idleExpiry(row: ConsoleSessionRow, timeouts: SessionTimeouts): string {
  const idle = Date.parse(row.last_seen_at) + timeouts.idleTimeoutMs;
  return new Date(Math.min(idle, Date.parse(row.expires_at))).toISOString();
}

export function presentSession(
  row: ConsoleSessionWithUser,
  secret: string,
  timeouts: SessionTimeouts,
): SessionInfo {
  return {
    type: "session",
    id: row.id,
    user: {
      id: row.user_id,
      email: row.user_email,
      name: row.user_name,
      role: row.user_role as OrganizationRole,
    },
    organization_id: row.organization_id,
    csrf_token: csrfTokenOf(secret),
    method: row.method as SignInMethod,
    created_at: row.created_at,
    expires_at: row.expires_at,
    idle_expires_at: idleExpiry(row, timeouts),
  };
}

/** The audit view of a session: never its secret. */
function auditView(row: ConsoleSessionRow) {
  return {
    id: row.id,
    user_id: row.user_id,
    method: row.method,
    created_at: row.created_at,
    expires_at: row.expires_at,
    ended_at: row.ended_at,
    ended_reason: row.ended_reason,
  };
}

/**
 * Opens a session for an active member in the caller's transaction, with its `session.created`
 * record. Answers the cookie's secret, which is stored only as its hash.
 */
export async function openSessionIn(
  repos: Repositories,
  deps: Pick<ServiceDeps, "clock" | "ids">,
  ctx: RequestContext,
  input: { userId: string; method: SignInMethod; maxAgeMs: number },
): Promise<{ secret: string; row: ConsoleSessionRow }> {
  const secret = generateSecret(SESSION_SECRET_PREFIX);
  const now = deps.clock.now();
  const row: ConsoleSessionRow = {
    id: deps.ids.next("session"),
    secret_hash: hashSecret(secret),
    organization_id: ctx.organizationId,
    user_id: input.userId,
    method: input.method,
    created_at: now.toISOString(),
    last_seen_at: now.toISOString(),
    expires_at: new Date(now.getTime() + input.maxAgeMs).toISOString(),
    ended_at: null,
    ended_reason: null,
  };
  await repos.sessions.insert(row);
  await recordAudit(repos, deps, ctx, {
    action: "session.created",
    targetType: "session",
    targetId: row.id,
    after: auditView(row),
  });
  return { secret, row };
}

/** Ends one session (unless it already ended) with its `session.ended` record; true if it did. */
export async function endSessionIn(
  repos: Repositories,
  deps: Pick<ServiceDeps, "clock" | "ids">,
  ctx: RequestContext,
  row: ConsoleSessionRow,
  reason: SessionEndReason,
): Promise<boolean> {
  const now = deps.clock.now().toISOString();
  if (!(await repos.sessions.end(row.id, now, reason))) {
    return false;
  }
  await recordAudit(repos, deps, ctx, {
    action: "session.ended",
    targetType: "session",
    targetId: row.id,
    before: auditView(row),
    after: auditView({ ...row, ended_at: now, ended_reason: reason }),
  });
  return true;
}

/**
 * Ends every live session of a member in the caller's transaction: they are removed, offboarded
 * or their role changed, and their next request must be refused. Answers the sessions' ids.
 */
export async function endSessionsOfUserIn(
  repos: Repositories,
  deps: Pick<ServiceDeps, "clock" | "ids">,
  ctx: RequestContext,
  userId: string,
  reason: SessionEndReason,
): Promise<string[]> {
  const ended: string[] = [];
  for (const row of await repos.sessions.listLiveForUser(userId)) {
    if (await endSessionIn(repos, deps, ctx, row, reason)) {
      ended.push(row.id);
    }
  }
  return ended;
}
