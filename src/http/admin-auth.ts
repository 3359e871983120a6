import type {} from "@fastify/cookie";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { AuthThrottledError } from "../core/admin-keys/auth-failures.js";
import type { RequestContext, RequestMeta } from "../core/context.js";
import { AppError } from "../core/errors.js";
import { ensureSessionMayCall } from "../core/policy/session-policy.js";
import type { Services } from "../core/services.js";
import { EmailLinkThrottledError } from "../core/sessions/email-link-limits.js";
import type { SessionPrincipal } from "../core/sessions/session.service.js";
import { csrfTokenMatches } from "../core/sessions/session-records.js";
import { presentedKey } from "./anthropic-headers.js";

declare module "fastify" {
  interface FastifyRequest {
    /** Set by admin authentication on every admin route. */
    ctx: RequestContext;
  }
}

/** The console's session cookie (docs/console.md). */
export const SESSION_COOKIE = "steward_session";

const UNSAFE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export interface SessionAuthOptions {
  /** STEWARD_PUBLIC_URL: its origin is Steward's own, beside the request's Host. */
  publicUrl?: string | undefined;
}

export function requestMeta(request: FastifyRequest): RequestMeta {
  const agent = request.headers["user-agent"];
  return {
    requestId: String(request.id),
    clientIp: request.ip,
    userAgent: typeof agent === "string" ? agent.slice(0, 500) : null,
  };
}

/** An address over its limit (failed attempts, sign-in links): 429, and when it may retry. */
export function withRetryAfter(reply: FastifyReply): (error: unknown) => never {
  return (error) => {
    if (error instanceof AuthThrottledError || error instanceof EmailLinkThrottledError) {
      reply.header("retry-after", String(error.retryAfterSeconds));
    }
    throw error;
  };
}

/**
 * The session of a request's cookie, or 401. A change (POST, PUT, PATCH, DELETE) must carry the
 * session's CSRF token in `x-csrf-token`, and an `Origin`, when sent, must be Steward's own: a
 * page of another site can make the browser send the cookie, but can neither read the token nor
 * hide where it comes from.
 */
export async function authenticateSession(
  request: FastifyRequest,
  services: Services,
  options: SessionAuthOptions,
): Promise<SessionPrincipal> {
  const principal = await services.sessions.authenticate(
    request.cookies[SESSION_COOKIE],
    requestMeta(request),
  );
  if (UNSAFE_METHODS.has(request.method)) {
    const origin = request.headers.origin;
    if (origin !== undefined && !isOwnOrigin(request, origin, options)) {
      throw new AppError(
        "permission_error",
        `Origin ${JSON.stringify(origin)} is not this Steward's; a change with a session must come from the console`,
      );
    }
    const token = request.headers["x-csrf-token"];
    if (!csrfTokenMatches(principal.secret, typeof token === "string" ? token : undefined)) {
      throw new AppError("permission_error", "missing or wrong x-csrf-token");
    }
  }
  return principal;
}

function isOwnOrigin(
  request: FastifyRequest,
  origin: string,
  options: SessionAuthOptions,
): boolean {
  if (origin === `${request.protocol}://${request.host}`) {
    return true;
  }
  return options.publicUrl !== undefined && origin === new URL(options.publicUrl).origin;
}

/**
 * Authenticates every route registered on `scope` with an admin key, or, when the request has no
 * key header, with the console's session cookie. The key or session is checked against the
 * database on each request, so a revoked key or an ended session fails on its very next use.
 */
export function requireAdminKey(
  scope: FastifyInstance,
  services: Services,
  options: SessionAuthOptions = {},
): void {
  scope.decorateRequest("ctx", null as unknown as RequestContext);
  scope.addHook("onRequest", async (request, reply) => {
    const meta = requestMeta(request);
    const key = presentedKey(request.headers);
    if (key === undefined && request.cookies[SESSION_COOKIE] !== undefined) {
      const principal = await authenticateSession(request, services, options);
      request.ctx = {
        organizationId: principal.organizationId,
        actor: {
          type: "session",
          id: principal.sessionId,
          userId: principal.userId,
          role: principal.role,
        },
        ...meta,
      };
      ensureSessionMayCall(principal.role, request.method, request.routeOptions.url ?? request.url);
      return;
    }
    const principal = await services.adminKeys.authenticate(key, meta).catch(withRetryAfter(reply));
    request.ctx = {
      organizationId: principal.organizationId,
      actor: { type: "admin_key", id: principal.adminKeyId, userId: principal.userId },
      ...meta,
    };
  });
}
