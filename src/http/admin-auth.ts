import type { FastifyInstance, FastifyRequest } from "fastify";
import type { RequestContext } from "../core/context.js";
import { AppError } from "../core/errors.js";
import type { Services } from "../core/services.js";
import { presentedKey } from "./anthropic-headers.js";

declare module "fastify" {
  interface FastifyRequest {
    /** Set by admin authentication on every admin route. */
    ctx: RequestContext;
  }
}

export function requestMeta(
  request: FastifyRequest,
): Omit<RequestContext, "organizationId" | "actor"> {
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
  scope.addHook("onRequest", async (request) => {
    const key = presentedKey(request.headers);
    if (key === undefined) {
      throw new AppError(
        "authentication_error",
        "x-api-key header is required (an admin key, sk-ant-admin01-…)",
      );
    }
    const principal = await services.adminKeys.authenticate(key);
    request.ctx = {
      organizationId: principal.organizationId,
      actor: { type: "admin_key", id: principal.adminKeyId, userId: principal.userId },
      ...requestMeta(request),
    };
  });
}
