import type { AdminKeyService } from "../admin-keys/admin-key.service.js";
import { mayHoldAdminKeys } from "../admin-keys/admin-roles.js";
import type { RequestContext, RequestMeta, ServiceDeps } from "../context.js";
import { AppError } from "../errors.js";
import type { ConsoleSessionRow, ConsoleSessionWithUser, UserRow } from "../records.js";
import type { Repositories } from "../repositories.js";
import { hashSecret } from "../secrets.js";
import {
  DEFAULT_SESSION_TIMEOUTS,
  endSessionIn,
  idleExpiry,
  openSessionIn,
  presentSession,
  SESSION_SECRET_PREFIX,
  type SessionEndReason,
  type SessionInfo,
  type SessionTimeouts,
  type SignInMethod,
} from "./session-records.js";

/** Who a valid session cookie speaks for. */
export interface SessionPrincipal {
  sessionId: string;
  organizationId: string;
  userId: string;
  /** The member's role as it is now (a role change ends their sessions anyway). */
  role: string;
  /** The cookie's secret, from which the CSRF token is derived. */
  secret: string;
  session: SessionInfo;
}

export interface OpenedSession {
  /** The cookie's value: shown to the browser once, stored only as its hash. */
  secret: string;
  session: SessionInfo;
}

// A write per request is waste: last_seen_at moves at most once a minute, so the idle timeout is
// exact to within a minute.
const LAST_SEEN_RESOLUTION_MS = 60_000;

const NO_SESSION = "no console session: sign in at /console/sign-in";

/**
 * People signed in to the web console. A session belongs to one member of one organization; its
 * cookie's secret is stored hashed; it ends on sign-out, after SESSION_IDLE_TIMEOUT without a
 * request, SESSION_MAX_AGE after sign-in, and at once when its member is removed, offboarded or
 * their role changes (src/core/users, src/core/lifecycle). Every start and end is audited.
 */
export class SessionService {
  readonly timeouts: SessionTimeouts;

  constructor(
    private readonly deps: ServiceDeps,
    private readonly adminKeys: AdminKeyService,
    timeouts: Partial<SessionTimeouts> = {},
  ) {
    this.timeouts = { ...DEFAULT_SESSION_TIMEOUTS, ...timeouts };
  }

  /**
   * Signs in with an admin key (the bootstrap path): the key is checked, counted and throttled
   * as on the Admin API, and must be held by a member, who must be an owner or admin. A key
   * without a holder (organization-level) is refused: a session always belongs to a person.
   */
  async signInWithAdminKey(key: string, meta: RequestMeta): Promise<OpenedSession> {
    const principal = await this.adminKeys.authenticate(key, meta);
    if (principal.userId === null) {
      throw new AppError(
        "permission_error",
        "this admin key is organization-level (it has no holder), and a console session belongs to a member: sign in with an admin key held by an owner or admin (steward admin-keys create --user <id>)",
      );
    }
    const userId = principal.userId;
    const ctx: RequestContext = {
      organizationId: principal.organizationId,
      actor: { type: "admin_key", id: principal.adminKeyId, userId },
      ...meta,
    };
    return this.deps.store.transaction(async (repos) => {
      const user = await repos.users.findActive(principal.organizationId, userId);
      // authenticate() refuses a removed or demoted holder; read again in this transaction.
      if (!user || !mayHoldAdminKeys(user.role)) {
        throw new AppError("authentication_error", "invalid x-api-key");
      }
      return this.openIn(repos, ctx, user, "admin_key");
    });
  }

  /**
   * Opens a session for an active member in the caller's transaction (OpenID Connect and email
   * links, after their own checks), audited with `ctx`'s actor.
   */
  async openIn(
    repos: Repositories,
    ctx: RequestContext,
    user: UserRow,
    method: SignInMethod,
  ): Promise<OpenedSession> {
    const { secret, row } = await openSessionIn(repos, this.deps, ctx, {
      userId: user.id,
      method,
      maxAgeMs: this.timeouts.maxAgeMs,
    });
    return { secret, session: presentSession(withUser(row, user), secret, this.timeouts) };
  }

  /**
   * The principal of a session cookie, or 401. Expiry and the member's removal are read from the
   * database on every call; a session found past its idle or absolute limit is ended then.
   */
  async authenticate(secret: string | undefined, meta: RequestMeta): Promise<SessionPrincipal> {
    const row =
      secret?.startsWith(SESSION_SECRET_PREFIX) === true
        ? await this.deps.store.read.sessions.findBySecretHash(hashSecret(secret))
        : undefined;
    if (secret === undefined || !row || row.ended_at !== null || row.user_removed_at !== null) {
      throw new AppError("authentication_error", NO_SESSION);
    }
    const now = this.deps.clock.now();
    const at = now.toISOString();
    const ended: SessionEndReason | undefined =
      at >= row.expires_at
        ? "expired"
        : at >= idleExpiry(row, this.timeouts)
          ? "idle_timeout"
          : undefined;
    if (ended !== undefined) {
      await this.#end(row, ended, { type: "system", id: null }, meta);
      throw new AppError(
        "authentication_error",
        ended === "expired"
          ? "your console session has expired: sign in again"
          : "your console session ended after a time without use: sign in again",
      );
    }
    let current = row;
    if (now.getTime() - Date.parse(row.last_seen_at) > LAST_SEEN_RESOLUTION_MS) {
      await this.deps.store.read.sessions.touch(row.id, at);
      current = { ...row, last_seen_at: at };
    }
    return {
      sessionId: row.id,
      organizationId: row.organization_id,
      userId: row.user_id,
      role: row.user_role,
      secret,
      session: presentSession(current, secret, this.timeouts),
    };
  }

  /** Ends the signed-in session (sign-out), audited with the session as actor. */
  async signOut(principal: SessionPrincipal, meta: RequestMeta): Promise<void> {
    const row = await this.deps.store.read.sessions.findBySecretHash(hashSecret(principal.secret));
    if (row) {
      await this.#end(
        row,
        "sign_out",
        {
          type: "session",
          id: principal.sessionId,
          userId: principal.userId,
          role: principal.role,
        },
        meta,
      );
    }
  }

  async #end(
    row: ConsoleSessionWithUser,
    reason: SessionEndReason,
    actor: RequestContext["actor"],
    meta: RequestMeta,
  ): Promise<void> {
    const ctx: RequestContext = { organizationId: row.organization_id, actor, ...meta };
    await this.deps.store.transaction((repos) => endSessionIn(repos, this.deps, ctx, row, reason));
  }
}

function withUser(row: ConsoleSessionRow, user: UserRow): ConsoleSessionWithUser {
  return {
    ...row,
    user_email: user.email,
    user_name: user.name,
    user_role: user.role,
    user_removed_at: user.removed_at,
  };
}
