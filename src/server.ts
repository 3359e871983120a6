import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { Logger as PinoLogger } from "pino";
import type { Config } from "./config.js";
import { spoolDirOf } from "./gateway/usage-spool.js";
import { createRuntime } from "./runtime.js";

/** Where the first admin key is kept: the data directory (the spool's parent), by its owner only. */
function adminKeyFileOf(config: Config): string {
  const spoolDir = spoolDirOf(config);
  return resolve(join(dirname(spoolDir), "first-admin-key"));
}

/**
 * The first admin key never goes to the structured log, which a container's log collector keeps:
 * it goes to a file only its owner can read (the log says where), and to the terminal as well when
 * there is one.
 */
function handOverAdminKey(key: string, file: string, log: PinoLogger): void {
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(file, `${key}\n`, { mode: 0o600 });
    chmodSync(file, 0o600); // a file that was there keeps its mode through writeFileSync
    log.warn(
      { file },
      "the first admin key is in this file, readable only by its owner: store it in your secrets manager, then delete the file",
    );
  } catch (error) {
    log.error(
      { err: error, file },
      "could not write the first admin key to its file; create another with: steward admin-keys create --name NAME",
    );
  }
  if (process.stdout.isTTY) {
    process.stdout.write(
      [
        "",
        "  Steward created your organization. Its first admin key (also in the file above):",
        "",
        `    ${key}`,
        "",
        "  Use it as the x-api-key header. Create more with: steward admin-keys create --name NAME",
        "",
        "",
      ].join("\n"),
    );
  }
}

/**
 * Runs the server until SIGTERM or SIGINT: `node dist/main.js` and `steward serve`. Resolves once
 * it listens; a failure to start rejects.
 */
export async function serve(config: Config, version: string): Promise<void> {
  const runtime = await createRuntime(config, version);
  const { app, log, boot } = runtime;
  if (boot?.created && !boot.adminKeyInjected) {
    handOverAdminKey(boot.adminKey, adminKeyFileOf(config), log);
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      return;
    }
    stopping = true;
    log.info({ signal }, "shutting down: draining requests");
    // At the deadline, connections still open are cut so that close can finish and the last
    // usage events are written; if even that hangs, exit anyway.
    const cut = setTimeout(() => {
      log.warn("shutdown deadline reached: closing the connections still open");
      app.server.closeAllConnections();
    }, config.SHUTDOWN_TIMEOUT_MS);
    const timer = setTimeout(() => {
      log.error("shutdown timed out; exiting");
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT_MS + 10_000);
    cut.unref();
    timer.unref();
    try {
      await runtime.close();
      log.info("stopped");
      process.exit(0);
    } catch (error) {
      log.error({ err: error }, "error during shutdown");
      process.exit(1);
    }
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));

  await app.listen({ port: config.PORT, host: config.HOST });
}
