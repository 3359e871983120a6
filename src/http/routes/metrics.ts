import type { FastifyInstance } from "fastify";
import type { Registry } from "prom-client";
import { type MetricsAccess, refusalOf } from "../../observability/metrics-access.js";
import { sendError } from "../errors.js";

/**
 * Prometheus' scrape of the gateway's metrics, for whom `access` lets in (a bearer token, or by
 * default clients on this machine only). The Claude API paths themselves never reach Fastify: the
 * gateway's front door (src/http/gateway-front-door.ts) answers them on the socket.
 */
export function registerMetricsRoute(
  app: FastifyInstance,
  registry: Registry,
  access: MetricsAccess,
): void {
  app.get("/metrics", { schema: { hide: true }, logLevel: "warn" }, async (request, reply) => {
    const refusal = refusalOf(access, request.socket.remoteAddress, request.headers);
    if (refusal !== undefined) {
      if (refusal.bearer) {
        reply.header("www-authenticate", 'Bearer realm="metrics"');
      }
      return sendError(reply, request, refusal.type, refusal.message, undefined, refusal.status);
    }
    reply.type(registry.contentType);
    return registry.metrics();
  });
}
