import { createServer } from "node:http";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import Fastify, { type FastifyInstance, type FastifyServerOptions } from "fastify";
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from "fastify-type-provider-zod";
import type { Services } from "../core/services.js";
import { type GatewayConfig, type GatewayRuntime, startGateway } from "../gateway/runtime.js";
import { requireAdminKey } from "./admin-auth.js";
import { BAD_VERSION_MESSAGE, hasBadAnthropicVersion } from "./anthropic-headers.js";
import {
  clientErrorHandler,
  envelope,
  frameworkErrors,
  installErrorHandlers,
  MAX_PARAM_LENGTH,
} from "./errors.js";
import { createGatewayFrontDoor } from "./gateway-front-door.js";
import { installIdempotency } from "./idempotency.js";
import { refuseNul } from "./nul-guard.js";
import { parseQueryString } from "./query.js";
import { registerAlertRoutes } from "./routes/alerts/index.js";
import { registerAnthropicRoutes } from "./routes/anthropic/index.js";
import { registerAuditRoutes } from "./routes/audit/index.js";
import { registerMetricsRoute } from "./routes/gateway/index.js";
import { registerLifecycleRoutes } from "./routes/lifecycle/index.js";
import { registerInviteAcceptRoute } from "./routes/public/invite-accept.js";
import { registerSeedRoutes } from "./routes/seed/index.js";
import { registerUsageRoutes } from "./routes/usage/index.js";

export interface AppOptions {
  logger?: FastifyServerOptions["logger"];
  bodyLimit?: number;
  version?: string;
  /** Proxies whose X-Forwarded-For is believed (addresses or CIDRs); none by default. */
  trustProxy?: string[];
  /** Serve the Claude API paths through the gateway. */
  gateway?: GatewayConfig & { bodyLimit?: number };
  /** Deliver cost alerts from the outbox every `dispatchIntervalMs` (and as soon as one fires). */
  alerts?: { dispatchIntervalMs: number };
  /** Write failed admin authentication's per-address aggregates every `flushIntervalMs`. */
  authFailures?: { flushIntervalMs: number };
  /** `/readyz` answers 503 when the database has not answered within `timeoutMs`. */
  readiness?: { timeoutMs: number };
}

declare module "fastify" {
  interface FastifyInstance {
    /** The gateway's runtime, when the app serves the Claude API paths. */
    gateway: GatewayRuntime | undefined;
  }
}

/** Secrets that may appear in request logs are replaced before they are written. */
export const LOG_REDACT_PATHS = [
  'req.headers["x-api-key"]',
  "req.headers.authorization",
  "req.headers.cookie",
  'req.headers["idempotency-key"]',
  "*.key",
  "*.token",
  "*.adminKey",
];

export async function buildApp(
  services: Services,
  options: AppOptions = {},
): Promise<FastifyInstance> {
  // The gateway's front door answers the Claude API paths before Fastify sees them (set once the
  // gateway has started, below); everything else goes through Fastify. app.inject() reaches
  // Fastify only: the gateway is served on a socket.
  let gatewayFrontDoor: ReturnType<typeof createGatewayFrontDoor> | undefined;
  const app = Fastify({
    serverFactory: (handler) =>
      createServer((req, res) => {
        if (gatewayFrontDoor?.(req, res) !== true) {
          handler(req, res);
        }
      }),
    logger: options.logger ?? false,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    genReqId: () => services.deps.ids.next("request"),
    routerOptions: {
      querystringParser: parseQueryString,
      ignoreTrailingSlash: true,
      maxParamLength: MAX_PARAM_LENGTH,
    },
    // What the router and Node's HTTP parser refuse is answered in the envelope too (errors.ts).
    frameworkErrors,
    clientErrorHandler: clientErrorHandler(() => services.deps.ids.next("request")),
    return503OnClosing: true,
    ...(options.trustProxy && options.trustProxy.length > 0 && { trustProxy: options.trustProxy }),
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandlers(app);

  // Some clients send `content-type: application/json` with an empty body on POSTs that take
  // none (archive); that is no body, not malformed JSON.
  const defaultJsonParser = app.getDefaultJsonParser("error", "error");
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (request, body, done) => {
    const text = body.toString();
    if (text.trim() === "") {
      done(null, undefined);
      return;
    }
    defaultJsonParser(request, text, done);
  });

  // Once shutdown begins, every answer closes its connection: a keep-alive connection left open
  // would hold the server's close (and the last usage write) until it times out.
  let closing = false;
  app.addHook("preClose", (done) => {
    closing = true;
    app.gateway?.gateway.closeConnectionsWhenDone();
    done();
  });
  app.addHook("onSend", (_request, reply, payload, done) => {
    if (closing) {
      reply.header("connection", "close");
    }
    done(null, payload);
  });

  app.addHook("onRequest", async (request, reply) => {
    reply.header("request-id", request.id);
    if (hasBadAnthropicVersion(request.headers)) {
      reply.code(400).send(envelope(request, "invalid_request_error", BAD_VERSION_MESSAGE));
      return reply;
    }
    return undefined;
  });
  app.addHook("preValidation", refuseNul);

  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Steward Admin API",
        version: options.version ?? "0.1.0",
        description:
          "Self-hosted admin plane for Claude API usage. Serves the seed chapter's Admin API (`/v1/organizations`, `/v1/users`, `/v1/api_keys`, `/v1/workspaces`) and the same resources under Anthropic's `/v1/organizations/*` paths.",
      },
      components: {
        securitySchemes: {
          adminKey: { type: "apiKey", in: "header", name: "x-api-key" },
          bearer: { type: "http", scheme: "bearer" },
        },
      },
      security: [{ adminKey: [] }, { bearer: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: "/docs", uiConfig: { deepLinking: true } });

  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());
  app.get("/healthz", { schema: { hide: true } }, async () => ({ status: "ok" }));
  app.get("/readyz", { schema: { hide: true } }, async (request, reply) => {
    try {
      await services.deps.store.ping(options.readiness?.timeoutMs);
      return { status: "ready" };
    } catch (error) {
      request.log.warn({ err: error }, "database is not reachable");
      return reply.code(503).send({ status: "unavailable", reason: "database unreachable" });
    }
  });

  // Cost alerts: evaluation follows the usage feed from the start; delivery runs when asked to.
  // On close, the evaluation in flight finishes and the dispatcher stops after its current send.
  if (options.alerts) {
    services.alerts.dispatcher.start(options.alerts.dispatchIntervalMs);
  }
  app.addHook("onClose", () => services.alerts.close());

  // Failed admin authentication is aggregated in memory and written per address and minute:
  // periodically when asked to, and on close.
  if (options.authFailures) {
    services.adminKeys.failures.start(options.authFailures.flushIntervalMs, (error) =>
      app.log.error({ err: error }, "writing failed admin authentications failed; will retry"),
    );
  }
  app.addHook("onClose", () =>
    services.adminKeys.failures
      .close()
      .catch((error) =>
        app.log.error({ err: error }, "writing failed admin authentications at close failed"),
      ),
  );

  app.decorate("gateway", undefined);
  if (options.gateway) {
    const runtime = await startGateway(
      services.deps.store,
      services.deps.clock,
      app.log,
      options.gateway,
      services.usageFeed,
    );
    app.gateway = runtime;
    services.adminKeys.failures.registerMetrics(runtime.metrics.registry);
    // onClose runs once the server stopped taking requests; the runtime then waits for the ones
    // still being metered and writes every usage event before the process may exit.
    app.addHook("onClose", () => runtime.close());
    registerMetricsRoute(app, runtime.metrics.registry);
    gatewayFrontDoor = createGatewayFrontDoor({
      runtime,
      ids: services.deps.ids,
      bodyLimit: options.gateway.bodyLimit ?? 32 * 1024 * 1024,
      trustProxy: options.trustProxy ?? [],
      isClosing: () => closing,
    });
  }

  await app.register(async (scope) => {
    registerInviteAcceptRoute(scope.withTypeProvider<ZodTypeProvider>(), services);
  });
  await app.register(async (scope) => {
    requireAdminKey(scope, services);
    installIdempotency(scope, services);
    const typed = scope.withTypeProvider<ZodTypeProvider>();
    registerSeedRoutes(typed, services);
    registerAnthropicRoutes(typed, services);
    registerUsageRoutes(typed, services);
    registerAuditRoutes(typed, services);
    registerAlertRoutes(typed, services);
    registerLifecycleRoutes(typed, services);
  });
  return app;
}
