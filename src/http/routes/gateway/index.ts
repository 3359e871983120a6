import type { FastifyInstance } from "fastify";
import type { GatewayRuntime } from "../../../gateway/runtime.js";

/**
 * The Claude API paths, served by the gateway. Bodies arrive as raw bytes (they are forwarded
 * untouched), and per-request logging is off: this is the hot path.
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
    const { gateway } = runtime;
    scope.post("/v1/messages", options, (request, reply) =>
      gateway.handle("messages", request, reply),
    );
    scope.post("/v1/messages/count_tokens", options, (request, reply) =>
      gateway.handle("count_tokens", request, reply),
    );
    scope.get("/v1/models", options, (request, reply) => gateway.handle("models", request, reply));
    scope.get("/v1/models/:model_id", options, (request, reply) =>
      gateway.handle("models", request, reply),
    );
  });

  app.get("/metrics", { schema: { hide: true }, logLevel: "warn" }, async (_request, reply) => {
    reply.type(runtime.metrics.registry.contentType);
    return runtime.metrics.registry.metrics();
  });
}
