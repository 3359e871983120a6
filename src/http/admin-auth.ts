import type { FastifyInstance, FastifyRequest } from "fastify";
import { AuthThrottledError } from "../core/admin-keys/auth-failures.js";
import type { RequestContext, RequestMeta } from "../core/context.js";
import type { Services } from "../core/services.js";
import { presentedKey } from "./anthropic-headers.js";

declare module "fastify" {
  interface FastifyRequest {
    /** Set by admin authentication on every admin route. */
    ctx: RequestContext;
  }
}

export function requestMeta(request: FastifyRequest): RequestMeta {
  const agent = request.headers["user-agent"];
  return {
    requestId: String(request.id),
    clientIp: request.ip,
    userAgent: typeof agent === "string" ? agent.slice(0, 500) : null,
  };
}

/**
 * Authenticates every route registered on `scope` with an admin key. The key is checked against
 * the database on each request, so a revoked or expired key fails on its very next use.
 */
export function requireAdminKey(scope: FastifyInstance, services: Services): void {
  scope.decorateRequest("ctx", null as unknown as RequestContext);
  scope.addHook("onRequest", async (request, reply) => {
    const meta = requestMeta(request);
    const principal = await services.adminKeys
      .authenticate(presentedKey(request.headers), meta)
      .catch((error: unknown) => {
        // An address over its limit of failed attempts: 429, and when its window ends.
        if (error instanceof AuthThrottledError) {
          reply.header("retry-after", String(error.retryAfterSeconds));
        }
        throw error;
      });
    request.ctx = {
      organizationId: principal.organizationId,
      actor: { type: "admin_key", id: principal.adminKeyId, userId: principal.userId },
      ...meta,
    };
  });
}
