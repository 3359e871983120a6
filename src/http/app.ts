import { createServer } from "node:http";
import cookie from "@fastify/cookie";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from "fastify";
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from "fastify-type-provider-zod";
import type { IdSource } from "../core/ports.js";
import type { Services } from "../core/services.js";
import type { GatewayRuntime } from "../gateway/runtime.js";
import type { Tracing } from "../observability/tracer.js";
import type { RedisState } from "../redis/connection.js";
import { requireAdminKey } from "./admin-auth.js";
import { BAD_VERSION_MESSAGE, hasBadAnthropicVersion } from "./anthropic-headers.js";
import { registerConsole } from "./console.js";
import {
  clientErrorHandler,
  frameworkErrors,
  installErrorHandlers,
  MAX_PARAM_LENGTH,
  sendError,
} from "./errors.js";
import { createGatewayFrontDoor } from "./gateway-front-door.js";
import { installIdempotency } from "./idempotency.js";
import { refuseNul } from "./nul-guard.js";
import { parseQueryString } from "./query.js";
import { registerAuthRoutes } from "./routes/auth.js";
import { completeDocument } from "./routes/docs/index.js";
import { registerAdminRoutes, registerPublicRoutes } from "./routes/index.js";
import { registerMetricsRoute } from "./routes/metrics.js";

/** What the app serves: the services, and the gateway when it serves the Claude API paths. */
export interface AppParts {
  services: Services;
  /** Request ids (`req_…`), from the source every other id comes from. */
  ids: IdSource;
  /** Resolves once the database answers, rejects when it does not: `/readyz`. */
  ready: () => Promise<void>;
  /**
   * The shared Redis, when several nodes share one: `/readyz` says whether it is up. Down is
   * degraded, not unready: the node keeps serving valid keys (src/gateway/shared-rate-limiter.ts).
   */
  redis?: { readonly state: RedisState };
  gateway?: { runtime: GatewayRuntime; bodyLimit: number };
}

export interface AppOptions {
  logger?: FastifyBaseLogger;
  bodyLimit?: number;
  version?: string;
  /** Proxies whose X-Forwarded-For is believed (addresses or CIDRs); none by default. */
  trustProxy?: string[];
  /** The web console's build output (dist/console by default): served at /console/. */
  consoleDir?: string;
  /** STEWARD_PUBLIC_URL: the console's own origin, and whether its cookie is Secure. */
  publicUrl?: string | undefined;
  /**
   * `/metrics`: a bearer token it requires (else it answers clients on this machine only), or
   * served on a listener of its own and not here (METRICS_LISTEN).
   */
  metrics?: { token?: string | undefined; elsewhere?: boolean };
  /** A span per request (OTEL_EXPORTER_OTLP_ENDPOINT). */
  tracing?: Tracing;
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

/**
 * Registers the routes and hooks over what it is given; starts nothing and owns nothing it must
 * stop (src/runtime.ts starts and stops the services' jobs and the gateway).
 */
export async function buildApp(
  parts: AppParts,
  options: AppOptions = {},
): Promise<FastifyInstance> {
  const { services, ids } = parts;
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
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    genReqId: () => ids.next("request"),
    routerOptions: {
      querystringParser: parseQueryString,
      ignoreTrailingSlash: true,
      maxParamLength: MAX_PARAM_LENGTH,
    },
    // What the router and Node's HTTP parser refuse is answered in the envelope too (errors.ts).
    frameworkErrors,
    clientErrorHandler: clientErrorHandler(() => ids.next("request")),
    // Requests that arrive once shutdown has begun get the envelope's 503 (onRequest, below).
    return503OnClosing: false,
    ...(options.trustProxy && options.trustProxy.length > 0 && { trustProxy: options.trustProxy }),
  });
  options.tracing?.instrument(app);
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
    if (closing) {
      reply.header("retry-after", "1");
      return sendError(
        reply,
        request,
        "unavailable_error",
        "Steward is shutting down; retry the request",
      );
    }
    if (hasBadAnthropicVersion(request.headers)) {
      return sendError(reply, request, "invalid_request_error", BAD_VERSION_MESSAGE);
    }
    return undefined;
  });
  app.addHook("preValidation", refuseNul);

  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: { title: "Steward API", version: options.version ?? "0.1.0" },
    },
    transform: jsonSchemaTransform,
    // The routes' schemas make the document; src/http/routes/docs adds the text people read,
    // the examples, the tags, and the paths no Fastify route describes (the gateway's).
    transformObject: (input) => completeDocument(jsonSchemaTransformObject(input)),
  });
  await app.register(swaggerUi, {
    routePrefix: "/docs",
    uiConfig: { deepLinking: true, docExpansion: "list", filter: true },
  });

  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());
  app.get("/healthz", { schema: { hide: true } }, async () => ({ status: "ok" }));
  app.get("/readyz", { schema: { hide: true } }, async (request, reply) => {
    try {
      await parts.ready();
      const redis = parts.redis?.state;
      if (redis === undefined) {
        return { status: "ready" };
      }
      return redis === "up"
        ? { status: "ready", redis }
        : { status: "ready", redis, degraded: true };
    } catch (error) {
      request.log.warn({ err: error }, "database is not reachable");
      return reply.code(503).send({ status: "unavailable", reason: "database unreachable" });
    }
  });

  registerConsole(app, { dir: options.consoleDir });

  app.decorate("gateway", undefined);
  if (parts.gateway) {
    const { runtime, bodyLimit: gatewayBodyLimit } = parts.gateway;
    app.gateway = runtime;
    if (options.metrics?.elsewhere !== true) {
      registerMetricsRoute(app, runtime.metrics.registry, {
        token: options.metrics?.token,
        open: false,
      });
    }
    gatewayFrontDoor = createGatewayFrontDoor({
      runtime,
      ids,
      bodyLimit: gatewayBodyLimit,
      trustProxy: options.trustProxy ?? [],
      isClosing: () => closing,
    });
  }

  // The console's session cookie (src/http/routes/auth.ts), read on the Admin API too.
  await app.register(cookie);
  const sessionOptions = { publicUrl: options.publicUrl };
  await app.register(async (scope) => {
    requireAdminKey(scope, services, sessionOptions);
    installIdempotency(scope, services);
    registerAdminRoutes(scope.withTypeProvider<ZodTypeProvider>(), services);
  });
  await app.register(async (scope) => {
    registerPublicRoutes(scope.withTypeProvider<ZodTypeProvider>(), services);
    registerAuthRoutes(scope.withTypeProvider<ZodTypeProvider>(), services, sessionOptions);
  });
  return app;
}
