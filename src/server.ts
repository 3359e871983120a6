import type { Config } from "./config.js";
import { createRuntime } from "./runtime.js";

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

/**
 * Runs the server until SIGTERM or SIGINT: `node dist/main.js` and `steward serve`. Resolves once
 * it listens; a failure to start rejects.
 */
export async function serve(config: Config, version: string): Promise<void> {
  const runtime = await createRuntime(config, version);
  const { app, log, boot } = runtime;
  if (boot?.created && !boot.adminKeyInjected) {
    announceAdminKey(boot.adminKey);
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
