/**
 * The composition root: the one place that connects the database, wires the store, the services,
 * the gateway and the background jobs, starts them in a known order, and stops them in the
 * reverse order with one `close()`. `main.ts` is configuration, this, `listen` and signals; the
 * operator CLI uses its services half alone (src/wiring.ts: no jobs, no server); tests start a
 * runtime over their own database.
 *
 * Start order:  services → background jobs → gateway → HTTP app.
 * Stop order:   HTTP app (drains requests) → gateway (writes the last usage) → jobs, newest first
 *               (the audit anchorer last, so that the last writes' records are anchored).
 * What a caller opened (the database, the mailer, Redis), it closes: `createRuntime` closes its own
 * last.
 */
import type { FastifyInstance } from "fastify";
import { type Logger as PinoLogger, pino } from "pino";
import { type Config, oidcRedirectUrl } from "./config.js";
import type { AuditAnchorerOptions } from "./core/audit-log/audit-anchorer.js";
import { type BootstrapOptions, type BootstrapResult, bootstrap } from "./core/bootstrap.js";
import { SmtpMailer } from "./core/mail/mailer.js";
import type { RateLimiter } from "./core/rate-limiter.js";
import type { Services } from "./core/services.js";
import { DEFAULT_EMAIL_LINK_LIMITS } from "./core/sessions/email-link-limits.js";
import { PriceTable } from "./core/usage/prices.js";
import { connect, type Database, migrate, ping } from "./db/connect.js";
import { type GatewayConfig, type GatewayRuntime, startGateway } from "./gateway/runtime.js";
import { DegradableRateLimiter } from "./gateway/shared-rate-limiter.js";
import { spoolDirOf } from "./gateway/usage-spool.js";
import { type AppOptions, buildApp, LOG_REDACT_PATHS } from "./http/app.js";
import { AccessLog, stdoutSink } from "./observability/access-log.js";
import { type MetricsListener, startMetricsListener } from "./observability/metrics-listener.js";
import type { Tracing } from "./observability/tracer.js";
import { SharedRedis } from "./redis/connection.js";
import { MAX_CLOCK_SKEW_MS, RedisRateLimiter } from "./redis/rate-limiter.js";
import { type WireOptions, type Wiring, wire } from "./wiring.js";

/** How often failed admin authentications, aggregated per address and minute, are written. */
const AUTH_FAILURE_FLUSH_INTERVAL_MS = 10_000;

/** Something started, and how to stop it. */
interface Started {
  name: string;
  stop: () => Promise<void>;
}

/** Background work, each off unless asked for (tests ask for none, or the one they test). */
export interface JobOptions {
  /** Deliver cost alerts from the outbox this often (and as soon as one fires). */
  alertDispatchIntervalMs?: number;
  /** Write failed admin authentication's per-address aggregates this often. */
  authFailureFlushIntervalMs?: number;
  /** Delete raw usage past its retention now and this often. */
  usagePruneIntervalMs?: number;
  /** Sign the audit chains' heads now, this often, and at shutdown (core/audit-anchor.ts). */
  auditAnchor?: AuditAnchorerOptions & { intervalMs: number };
}

export interface RuntimeOptions extends WireOptions {
  /** An open, migrated database; whoever opened it closes it. */
  database: Database;
  /** Where the runtime, the gateway and the HTTP app log; nowhere by default. */
  logger?: PinoLogger;
  /** An empty database gets its organization, owner and first admin key. */
  bootstrap?: BootstrapOptions;
  jobs?: JobOptions;
  /** Serve the Claude API paths through the gateway. */
  gateway?: GatewayConfig & { bodyLimit?: number };
  /**
   * Shared state for several nodes, started; whoever opened it closes it. The gateway's limits
   * use it, and `/readyz` says whether it is up.
   */
  redis?: SharedRedis;
  http?: Omit<AppOptions, "logger"> & {
    /** `/readyz` answers 503 when the database has not answered within this time. */
    readinessTimeoutMs?: number;
  };
  /** `/metrics` on an address of its own (METRICS_LISTEN), with `http.metrics.token` if set. */
  metricsListener?: { host: string; port: number };
}

export interface Runtime {
  services: Services;
  /** The gateway's runtime, when the app serves the Claude API paths. */
  gateway: GatewayRuntime | undefined;
  app: FastifyInstance;
  log: PinoLogger;
  /** What bootstrap did, when asked to run. */
  boot: BootstrapResult | undefined;
  /** `/metrics`' own listener, when asked for one. */
  metricsListener: MetricsListener | undefined;
  /** Stops everything in the reverse order of its start; once, however often it is called. */
  close(): Promise<void>;
}

/** Wires and starts everything over an open database (the server's root, and the tests'). */
export async function startRuntime(options: RuntimeOptions): Promise<Runtime> {
  const log = options.logger ?? pino({ level: "silent" });
  const wiring = wire(options.database, {
    ...(options.clock && { clock: options.clock }),
    services: {
      ...(options.redis && {
        emailLinkBuckets: sharedEmailLinkBuckets(options.redis, options.services, log),
      }),
      ...options.services,
    },
    logger: log,
  });
  const { services } = wiring;
  // Stopped from the last started to the first.
  const started: Started[] = [];
  const close = closeOnce(log, started);
  try {
    const boot = options.bootstrap && (await bootstrap(services, options.bootstrap));
    await startJobs(wiring, log, options.jobs ?? {}, started);
    // In the background: an unreachable identity provider must not stop Steward from starting.
    void services.oidc?.discover();
    const gateway =
      options.gateway &&
      (await startGatewayOf(wiring, log, {
        ...options.gateway,
        ...(options.redis && { redis: options.redis }),
      }));
    if (gateway) {
      started.push({ name: "gateway", stop: () => gateway.close() });
    }
    const readinessTimeoutMs = options.http?.readinessTimeoutMs;
    const app = await buildApp(
      {
        services,
        ids: wiring.ids,
        ready: () => ping(options.database, readinessTimeoutMs),
        ...(options.redis && { redis: options.redis }),
        ...(gateway && {
          gateway: { runtime: gateway, bodyLimit: options.gateway?.bodyLimit ?? 32 * 1024 * 1024 },
        }),
      },
      { ...options.http, logger: log },
    );
    started.push({ name: "HTTP server", stop: () => app.close() });
    const metricsListener =
      gateway && options.metricsListener
        ? await startMetricsListener(gateway.metrics.registry, {
            ...options.metricsListener,
            token: options.http?.metrics?.token,
            nextId: () => wiring.ids.next("request"),
          })
        : undefined;
    if (metricsListener) {
      started.push({ name: "metrics listener", stop: () => metricsListener.close() });
    }
    return { services, gateway, app, log, boot, metricsListener, close };
  } catch (error) {
    await close().catch(() => {});
    throw error;
  }
}

async function startJobs(
  wiring: Wiring,
  log: PinoLogger,
  jobs: JobOptions,
  started: Started[],
): Promise<void> {
  const { services } = wiring;
  if (jobs.auditAnchor) {
    const { intervalMs, ...anchorOptions } = jobs.auditAnchor;
    const anchorer = wiring.auditAnchorer({
      ...anchorOptions,
      onAnchor: (anchor) => log.info({ audit_anchor: anchor }, "audit chain anchored"),
    });
    // A file that cannot be written to at start stops the start.
    await anchorer.anchor().catch((error: Error) => {
      throw new Error(`could not anchor the audit chains at start: ${error.message}`);
    });
    anchorer.start(intervalMs, (error) =>
      log.error({ err: error }, "anchoring the audit chains failed; retrying at the next interval"),
    );
    started.push({
      name: "audit anchorer",
      stop: () =>
        anchorer
          .stop()
          .catch((error) => log.error({ err: error }, "could not anchor the audit chains")),
    });
  }
  if (jobs.usagePruneIntervalMs !== undefined) {
    const pruner = wiring.usageRetention;
    pruner.start(jobs.usagePruneIntervalMs, (error) =>
      log.error({ err: error }, "pruning old usage failed; retrying at the next interval"),
    );
    started.push({ name: "usage pruner", stop: () => pruner.stop() });
  }
  // Evaluation follows the usage feed from now on; delivery runs on its own when asked to. On
  // stop, the evaluation in flight finishes and the dispatcher stops after its current send.
  services.alerts.start(jobs.alertDispatchIntervalMs);
  started.push({ name: "cost alerts", stop: () => services.alerts.close() });
  // Failed admin authentication is aggregated in memory and written per address and minute:
  // periodically when asked to, and at stop.
  const failures = services.adminKeys.failures;
  if (jobs.authFailureFlushIntervalMs !== undefined) {
    failures.start(jobs.authFailureFlushIntervalMs, (error) =>
      log.error({ err: error }, "writing failed admin authentications failed; will retry"),
    );
  }
  started.push({
    name: "auth failure writer",
    stop: () =>
      failures
        .close()
        .catch((error) =>
          log.error({ err: error }, "writing failed admin authentications at close failed"),
        ),
  });
}

async function startGatewayOf(
  wiring: Wiring,
  log: PinoLogger,
  config: GatewayConfig,
): Promise<GatewayRuntime> {
  const gateway = await startGateway(
    wiring.store,
    wiring.clock,
    log,
    config,
    wiring.services.usageFeed,
  );
  wiring.services.adminKeys.failures.registerMetrics(gateway.metrics.registry);
  return gateway;
}

function closeOnce(log: PinoLogger, started: Started[]): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () => {
    closing ??= (async () => {
      let failure: unknown;
      for (const { name, stop } of started.splice(0).reverse()) {
        try {
          await stop();
        } catch (error) {
          log.error({ err: error }, `stopping the ${name} failed`);
          failure ??= error;
        }
      }
      if (failure !== undefined) {
        throw failure;
      }
    })();
    return closing;
  };
}

/**
 * The server's runtime from its configuration: connects DATABASE_URL and migrates it, then
 * `startRuntime` with every job; `close()` closes the database last.
 */
export async function createRuntime(config: Config, version: string): Promise<Runtime> {
  const log = pino({
    level: config.LOG_LEVEL,
    redact: { paths: LOG_REDACT_PATHS, censor: "[REDACTED]" },
  });
  const database = connect(config.DATABASE_URL, {
    connectTimeoutMs: config.DATABASE_CONNECT_TIMEOUT_MS,
    statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT_MS,
    // A connection lost while idle is logged, never thrown.
    onConnectionError: (error) =>
      log.warn({ err: error }, "database connection lost; a new one is opened when needed"),
  });
  let runtime: Runtime;
  let mailer: SmtpMailer | undefined;
  let redis: SharedRedis | undefined;
  const accessLog =
    config.ACCESS_LOG === "off"
      ? undefined
      : new AccessLog({ sample: config.ACCESS_LOG_SAMPLE, sink: stdoutSink() });
  // Lines still buffered when the process exits some other way than close (a crash).
  const flushAccessLog = () => accessLog?.flush();
  process.on("exit", flushAccessLog);
  let tracing: Tracing | undefined;
  try {
    tracing = await tracingOf(config, version);
    const applied = await migrateWithoutStatementTimeout(database, config);
    log.info({ database: database.description, migrations: applied }, "database ready");
    const prices = PriceTable.load(config.PRICES_FILE);
    mailer = mailerOf(config);
    redis = await redisOf(config, log);
    runtime = await startRuntime({
      database,
      logger: log,
      ...(redis && { redis }),
      services: { ...serviceOptionsOf(config, prices), mailer },
      bootstrap: {
        organizationName: config.STEWARD_ORG_NAME,
        ownerEmail: config.STEWARD_OWNER_EMAIL,
        ownerName: config.STEWARD_OWNER_NAME,
        adminKey: config.STEWARD_BOOTSTRAP_ADMIN_KEY,
      },
      jobs: jobOptionsOf(config, log),
      gateway: {
        ...gatewayOptionsOf(config, prices),
        ...(accessLog && { accessLog }),
        ...(tracing && { tracer: tracing.gateway }),
        metrics: { process: true, workspaceLabels: config.METRICS_WORKSPACE_LABELS },
      },
      http: {
        version,
        bodyLimit: config.BODY_LIMIT_BYTES,
        trustProxy: config.TRUST_PROXY,
        publicUrl: config.STEWARD_PUBLIC_URL,
        readinessTimeoutMs: config.READINESS_TIMEOUT_MS,
        metrics: {
          token: config.METRICS_TOKEN,
          elsewhere: config.METRICS_LISTEN !== undefined,
        },
        ...(tracing && { tracing }),
      },
      ...(config.METRICS_LISTEN && { metricsListener: config.METRICS_LISTEN }),
    });
  } catch (error) {
    await redis?.close();
    await mailer?.close();
    await database.close();
    await tracing?.shutdown();
    process.off("exit", flushAccessLog);
    throw error;
  }
  if (config.UPSTREAM_API_KEY === undefined) {
    log.warn("UPSTREAM_API_KEY is not set: requests reach the upstream without a credential");
  }
  if (config.SMTP_URL !== undefined) {
    log.info({ smtp_host: new URL(config.SMTP_URL).host }, "invitations are delivered by email");
  }
  logBootstrap(runtime.boot, log);
  logMonitoring(config, runtime, log);
  return {
    ...runtime,
    close: async () => {
      try {
        await runtime.close();
      } finally {
        accessLog?.close();
        process.off("exit", flushAccessLog);
        await tracing?.shutdown();
        await redis?.close();
        await mailer?.close();
        await database.close();
      }
    },
  };
}

/** OpenTelemetry, imported only when an OTLP endpoint is set: without one, nothing is loaded. */
async function tracingOf(config: Config, version: string): Promise<Tracing | undefined> {
  if (
    config.OTEL_EXPORTER_OTLP_ENDPOINT === undefined &&
    config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT === undefined
  ) {
    return undefined;
  }
  const { startTracing } = await import("./observability/tracing.js");
  return startTracing({ serviceVersion: version });
}

function logMonitoring(config: Config, runtime: Runtime, log: PinoLogger): void {
  const tracesTo = config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? config.OTEL_EXPORTER_OTLP_ENDPOINT;
  log.info(
    {
      access_log: config.ACCESS_LOG,
      access_log_sample: config.ACCESS_LOG_SAMPLE,
      metrics:
        runtime.metricsListener?.url ??
        (config.METRICS_TOKEN !== undefined
          ? "main port, bearer token"
          : "main port, loopback only"),
      ...(tracesTo !== undefined && { traces_to: new URL(tracesTo).origin }),
    },
    "monitoring",
  );
}

function serviceOptionsOf(
  config: Config,
  prices: PriceTable,
): NonNullable<WireOptions["services"]> {
  return {
    prices,
    authFailures: {
      limit: config.AUTH_FAILURE_LIMIT,
      windowMs: config.AUTH_FAILURE_WINDOW_MS,
      retentionDays: config.AUTH_FAILURE_RETENTION_DAYS,
    },
    retention: { rawDays: config.USAGE_RAW_RETENTION_DAYS },
    publicUrl: config.STEWARD_PUBLIC_URL,
    outbound: { allow: config.OUTBOUND_ALLOW },
    alertDispatch: { timeoutMs: config.ALERT_DELIVERY_TIMEOUT_MS },
    sessions: { idleTimeoutMs: config.SESSION_IDLE_TIMEOUT, maxAgeMs: config.SESSION_MAX_AGE },
    emailLinkLimits: {
      perAddress: config.EMAIL_LINK_LIMIT_PER_ADDRESS,
      perIp: config.EMAIL_LINK_LIMIT_PER_IP,
      periodMs: config.EMAIL_LINK_LIMIT_PERIOD,
    },
    ...(config.OIDC_ISSUER !== undefined &&
      config.OIDC_CLIENT_ID !== undefined && {
        oidc: {
          issuer: config.OIDC_ISSUER,
          clientId: config.OIDC_CLIENT_ID,
          clientSecret: config.OIDC_CLIENT_SECRET,
          redirectUrl: oidcRedirectUrl(config),
          scopes: config.OIDC_SCOPES,
          label: config.OIDC_LABEL,
        },
      }),
  };
}

/**
 * Several nodes count sign-in link requests in one set of Redis buckets (each node its share of
 * the limits while Redis is down), kept for the limits' period.
 */
function sharedEmailLinkBuckets(
  redis: SharedRedis,
  services: WireOptions["services"],
  log: PinoLogger,
): RateLimiter {
  const periodMs = services?.emailLinkLimits?.periodMs ?? DEFAULT_EMAIL_LINK_LIMITS.periodMs;
  return new DegradableRateLimiter(
    new RedisRateLimiter(redis, { idleExpiryMs: periodMs + MAX_CLOCK_SKEW_MS }),
    redis,
    log,
  );
}

/** REDIS_URL's connection, started: a Redis unreachable now leaves the node degraded, not down. */
async function redisOf(config: Config, log: PinoLogger): Promise<SharedRedis | undefined> {
  if (config.REDIS_URL === undefined) {
    return undefined;
  }
  const redis = new SharedRedis(config.REDIS_URL, log, {
    commandTimeoutMs: config.REDIS_TIMEOUT_MS,
    prefix: config.REDIS_KEY_PREFIX,
  });
  await redis.start();
  log.info({ redis_host: new URL(config.REDIS_URL).host }, "limits are shared through Redis");
  return redis;
}

function mailerOf(config: Config): SmtpMailer | undefined {
  return config.SMTP_URL === undefined
    ? undefined
    : new SmtpMailer({ url: config.SMTP_URL, from: config.SMTP_FROM ?? "" });
}

function jobOptionsOf(config: Config, log: PinoLogger): JobOptions {
  const jobs: JobOptions = {
    alertDispatchIntervalMs: config.ALERT_DISPATCH_INTERVAL_MS,
    authFailureFlushIntervalMs: AUTH_FAILURE_FLUSH_INTERVAL_MS,
    usagePruneIntervalMs: config.USAGE_PRUNE_INTERVAL_MS,
  };
  if (config.AUDIT_ANCHOR_KEY === undefined) {
    log.warn(
      "AUDIT_ANCHOR_KEY is not set: the audit chains are not anchored, and steward audit verify cannot detect their newest records deleted, a chain deleted, or a chain rewritten and rehashed",
    );
    return jobs;
  }
  if (config.AUDIT_ANCHOR_FILE === undefined) {
    log.warn(
      "AUDIT_ANCHOR_FILE is not set: audit chain anchors go to this log only; keep its audit_anchor lines where the database's administrators cannot change them",
    );
  }
  return {
    ...jobs,
    auditAnchor: {
      key: config.AUDIT_ANCHOR_KEY,
      file: config.AUDIT_ANCHOR_FILE,
      intervalMs: config.AUDIT_ANCHOR_INTERVAL_MS,
    },
  };
}

function gatewayOptionsOf(
  config: Config,
  prices: PriceTable,
): GatewayConfig & { bodyLimit: number } {
  return {
    upstream: {
      url: config.UPSTREAM_URL,
      apiKey: config.UPSTREAM_API_KEY,
      timeoutMs: config.UPSTREAM_TIMEOUT_MS,
      connections: config.UPSTREAM_CONNECTIONS,
    },
    prices,
    recorder: {
      batchSize: config.METERING_BATCH_SIZE,
      maxDelayMs: config.METERING_MAX_DELAY_MS,
      memoryLimitEvents: config.METERING_MEMORY_LIMIT_EVENTS,
      spoolDir: spoolDirOf(config),
    },
    bodyLimit: config.GATEWAY_BODY_LIMIT_BYTES,
  };
}

function logBootstrap(boot: BootstrapResult | undefined, log: PinoLogger): void {
  if (boot === undefined) {
    return;
  }
  if (boot.created) {
    log.info(
      {
        organization_id: boot.organizationId,
        admin_key_source: boot.adminKeyInjected ? "env" : "generated",
      },
      "bootstrapped a new organization",
    );
  } else if (boot.adminKeyIgnored) {
    log.warn(
      "STEWARD_BOOTSTRAP_ADMIN_KEY is ignored: this database was bootstrapped before with another key",
    );
  }
}

/**
 * A migration (an index over millions of usage rows) may take longer than any request should: on
 * PostgreSQL it runs on a connection of its own, without DATABASE_STATEMENT_TIMEOUT_MS.
 */
async function migrateWithoutStatementTimeout(database: Database, config: Config) {
  if (database.dialect !== "postgres") {
    return migrate(database);
  }
  const migrating = connect(config.DATABASE_URL, {
    maxConnections: 1,
    connectTimeoutMs: config.DATABASE_CONNECT_TIMEOUT_MS,
    statementTimeoutMs: 0,
  });
  try {
    return await migrate(migrating);
  } finally {
    await migrating.close();
  }
}
