import "./keep-tick-shape.js";
import { readFileSync } from "node:fs";
import type { FastifyBaseLogger } from "fastify";
import { type Config, loadConfig } from "./config.js";
import { AuditAnchorer } from "./core/audit-log/audit-anchorer.js";
import { bootstrap } from "./core/bootstrap.js";
import { SmtpMailer } from "./core/mail/mailer.js";
import { hashSecret } from "./core/secrets.js";
import { createServices, type Services } from "./core/services.js";
import { PriceTable } from "./core/usage/prices.js";
import { UsageRetention } from "./core/usage/usage-retention.js";
import { connect, type Database, migrate } from "./db/connect.js";
import { Store } from "./db/store.js";
import { defaultSpoolDir } from "./gateway/usage-spool.js";
import { buildApp, LOG_REDACT_PATHS } from "./http/app.js";

/** How often failed admin authentications, aggregated per address and minute, are written. */
const AUTH_FAILURE_FLUSH_INTERVAL_MS = 10_000;

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
  return String(pkg.version);
}

/** Printed once, to the terminal, never to the structured log. */
function announceAdminKey(key: string): void {
  process.stdout.write(
    [
      "",
      "  Steward created your organization. Its first admin key (shown only this once):",
      "",
      `    ${key}`,
      "",
      "  Use it as the x-api-key header. Create more with: npx steward admin-keys create --name NAME",
      "",
      "",
    ].join("\n"),
  );
}

async function main(config: Config): Promise<void> {
  // A connection lost while idle is logged (by the app's logger once it exists), never thrown.
  const databaseLog: { warn?: (error: Error) => void } = {};
  const database = connect(config.DATABASE_URL, {
    connectTimeoutMs: config.DATABASE_CONNECT_TIMEOUT_MS,
    statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT_MS,
    onConnectionError: (error) =>
      databaseLog.warn
        ? databaseLog.warn(error)
        : process.emitWarning(`database connection error: ${error.message}`),
  });
  const applied = await migrateWithoutStatementTimeout(database, config);
  const prices = PriceTable.load(config.PRICES_FILE);
  const retention = { rawDays: config.USAGE_RAW_RETENTION_DAYS };
  const mailer =
    config.SMTP_URL === undefined
      ? undefined
      : new SmtpMailer({ url: config.SMTP_URL, from: config.SMTP_FROM ?? "" });
  const services = createServices(new Store(database), {
    prices,
    authFailures: {
      limit: config.AUTH_FAILURE_LIMIT,
      windowMs: config.AUTH_FAILURE_WINDOW_MS,
      retentionDays: config.AUTH_FAILURE_RETENTION_DAYS,
    },
    retention,
    mailer,
    publicUrl: config.STEWARD_PUBLIC_URL,
    outbound: { allow: config.OUTBOUND_ALLOW },
    alertDispatch: {
      timeoutMs: config.ALERT_DELIVERY_TIMEOUT_MS,
      onError: (error) =>
        app.log.error({ err: error }, "cost alerts: evaluation or delivery failed"),
    },
    // Mail is sent only on admin requests, so once the app (and its logger) exists.
    onMailFailure: (error, mail) =>
      app.log.error(
        { err: error, [`${mail.kind}_id`]: mail.id, organization_id: mail.organizationId },
        `could not email the ${mail.kind}; it stands, and its token is in the create response`,
      ),
  });
  const boot = await bootstrap(services, {
    organizationName: config.STEWARD_ORG_NAME,
    ownerEmail: config.STEWARD_OWNER_EMAIL,
    ownerName: config.STEWARD_OWNER_NAME,
    adminKey: config.STEWARD_BOOTSTRAP_ADMIN_KEY,
  });
  const app = await buildApp(services, {
    version: packageVersion(),
    bodyLimit: config.BODY_LIMIT_BYTES,
    logger: { level: config.LOG_LEVEL, redact: { paths: LOG_REDACT_PATHS, censor: "[REDACTED]" } },
    trustProxy: config.TRUST_PROXY,
    alerts: { dispatchIntervalMs: config.ALERT_DISPATCH_INTERVAL_MS },
    readiness: { timeoutMs: config.READINESS_TIMEOUT_MS },
    authFailures: { flushIntervalMs: AUTH_FAILURE_FLUSH_INTERVAL_MS },
    gateway: {
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
        spoolDir: config.METERING_SPOOL_DIR ?? defaultSpoolDir(config.DATABASE_URL),
      },
      bodyLimit: config.GATEWAY_BODY_LIMIT_BYTES,
    },
  });
  if (config.UPSTREAM_API_KEY === undefined) {
    app.log.warn("UPSTREAM_API_KEY is not set: requests reach the upstream without a credential");
  }
  app.log.info({ database: database.description, migrations: applied }, "database ready");
  databaseLog.warn = (error) =>
    app.log.warn({ err: error }, "database connection lost; a new one is opened when needed");
  if (mailer !== undefined) {
    app.addHook("onClose", () => mailer.close());
    app.log.info(
      { smtp_host: new URL(config.SMTP_URL ?? "").host },
      "invitations are delivered by email",
    );
  }
  if (!boot.created && config.STEWARD_BOOTSTRAP_ADMIN_KEY !== undefined) {
    const known = await services.deps.store.read.adminKeys.findByHash(
      hashSecret(config.STEWARD_BOOTSTRAP_ADMIN_KEY),
    );
    if (!known) {
      app.log.warn(
        "STEWARD_BOOTSTRAP_ADMIN_KEY is ignored: this database was bootstrapped before with another key",
      );
    }
  }
  if (boot.created) {
    app.log.info(
      {
        organization_id: boot.organizationId,
        admin_key_source: boot.adminKeyInjected ? "env" : "generated",
      },
      "bootstrapped a new organization",
    );
    if (!boot.adminKeyInjected) {
      announceAdminKey(boot.adminKey);
    }
  }

  const anchorer = await startAuditAnchorer(config, services, app.log);

  const pruner = new UsageRetention(services.deps.store, services.deps.clock, retention);
  pruner.start(config.USAGE_PRUNE_INTERVAL_MS, (error) =>
    app.log.error({ err: error }, "pruning old usage failed; retrying at the next interval"),
  );
  app.addHook("onClose", () => pruner.stop());

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      return;
    }
    stopping = true;
    app.log.info({ signal }, "shutting down: draining requests");
    // At the deadline, connections still open are cut so that close can finish and the last
    // usage events are written; if even that hangs, exit anyway.
    const cut = setTimeout(() => {
      app.log.warn("shutdown deadline reached: closing the connections still open");
      app.server.closeAllConnections();
    }, config.SHUTDOWN_TIMEOUT_MS);
    const timer = setTimeout(() => {
      app.log.error("shutdown timed out; exiting");
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT_MS + 10_000);
    cut.unref();
    timer.unref();
    try {
      await app.close();
      // After the last requests and usage writes, so that their audit records are anchored too.
      await anchorer
        ?.stop()
        .catch((error) => app.log.error({ err: error }, "could not anchor the audit chains"));
      await database.close();
      app.log.info("stopped");
      process.exit(0);
    } catch (error) {
      app.log.error({ err: error }, "error during shutdown");
      process.exit(1);
    }
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));

  await app.listen({ port: config.PORT, host: config.HOST });
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

/**
 * Signs the audit chains' heads now and every AUDIT_ANCHOR_INTERVAL_MS (src/core/audit-anchor.ts),
 * to the anchor file and the log. A file that cannot be written to at start stops the start.
 */
async function startAuditAnchorer(
  config: Config,
  services: Services,
  log: FastifyBaseLogger,
): Promise<AuditAnchorer | undefined> {
  if (config.AUDIT_ANCHOR_KEY === undefined) {
    log.warn(
      "AUDIT_ANCHOR_KEY is not set: the audit chains are not anchored, and steward audit verify cannot detect their newest records deleted, a chain deleted, or a chain rewritten and rehashed",
    );
    return undefined;
  }
  if (config.AUDIT_ANCHOR_FILE === undefined) {
    log.warn(
      "AUDIT_ANCHOR_FILE is not set: audit chain anchors go to this log only; keep its audit_anchor lines where the database's administrators cannot change them",
    );
  }
  const anchorer = new AuditAnchorer(services.deps.store.read, services.deps.clock, {
    key: config.AUDIT_ANCHOR_KEY,
    file: config.AUDIT_ANCHOR_FILE,
    onAnchor: (anchor) => log.info({ audit_anchor: anchor }, "audit chain anchored"),
  });
  await anchorer.anchor().catch((error: Error) => {
    throw new Error(`could not anchor the audit chains at start: ${error.message}`);
  });
  anchorer.start(config.AUDIT_ANCHOR_INTERVAL_MS, (error) =>
    log.error({ err: error }, "anchoring the audit chains failed; retrying at the next interval"),
  );
  return anchorer;
}

try {
  await main(loadConfig());
} catch (error) {
  process.stderr.write(`steward: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
