import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { GatewayRoute } from "../../../gateway/gateway.js";
import type { GatewayRuntime } from "../../../gateway/runtime.js";

/**
 * The Claude API paths as Fastify routes. Traffic on a real socket takes the fast path in front of
 * Fastify (see gateway-fast-path.ts); these routes serve `app.inject()` and keep one code path:
 * both hand the raw request to the same Gateway.
 */
export async function registerGatewayRoutes(
  app: FastifyInstance,
  runtime: GatewayRuntime,
  bodyLimit: number,
): Promise<void> {
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser("*", { parseAs: "buffer", bodyLimit }, (_request, body, done) => {
      done(null, body);
    });
    const options = { logLevel: "warn" as const, bodyLimit, schema: { hide: true } };
    const serve = (route: GatewayRoute) => (request: FastifyRequest, reply: FastifyReply) => {
      reply.hijack();
      return runtime.gateway.handle(
        route,
        {
          id: String(request.id),
          ip: request.ip,
          method: request.method,
          url: request.url,
          headers: request.headers,
          body: request.body instanceof Buffer ? request.body : undefined,
        },
        reply.raw,
      );
    };
    scope.post("/v1/messages", options, serve("messages"));
    scope.post("/v1/messages/count_tokens", options, serve("count_tokens"));
    scope.get("/v1/models", options, serve("models"));
    scope.get("/v1/models/:model_id", options, serve("models"));
  });

  app.get("/metrics", { schema: { hide: true }, logLevel: "warn" }, async (_request, reply) => {
    reply.type(runtime.metrics.registry.contentType);
    return runtime.metrics.registry.metrics();
  });
}
