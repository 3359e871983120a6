import type { FastifyInstance } from "fastify";
import type { Registry } from "prom-client";

/**
 * Prometheus' scrape of the gateway's metrics. The Claude API paths themselves never reach
 * Fastify: the gateway's front door (src/http/gateway-front-door.ts) answers them on the socket.
 */
export function registerMetricsRoute(app: FastifyInstance, registry: Registry): void {
  app.get("/metrics", { schema: { hide: true }, logLevel: "warn" }, async (_request, reply) => {
    reply.type(registry.contentType);
    return registry.metrics();
  });
}
