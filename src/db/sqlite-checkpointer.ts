import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

/**
 * Copies committed WAL pages back into a SQLite file from a thread of its own, so that the thread
 * serving requests never does. Left to SQLite, a checkpoint runs inside whichever commit crosses
 * the auto-checkpoint size: tens of megabytes copied and fsynced while the gateway and every
 * request on the event loop wait. A PASSIVE checkpoint on another connection waits for no writer
 * and blocks none, so the commits on the main thread stay small (they still checkpoint what is
 * left, as a fallback, if this thread falls behind or stops).
 *
 * The worker is plain CommonJS evaluated from a string: it needs no build step (tests run the
 * TypeScript sources), and the driver is passed by its resolved path.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const SQLite = require(workerData.driver);
const db = new SQLite(workerData.path);
db.pragma("busy_timeout = 5000");
db.pragma("synchronous = NORMAL");
let timer;
let stopped = false;
function checkpoint() {
  try {
    db.pragma("wal_checkpoint(PASSIVE)");
  } catch (error) {
    parentPort.postMessage({ type: "error", message: String(error && error.message || error) });
  }
}
function tick() {
  checkpoint();
  if (!stopped) timer = setTimeout(tick, workerData.intervalMs);
}
parentPort.on("message", (message) => {
  if (message === "stop") {
    stopped = true;
    clearTimeout(timer);
    checkpoint();
    db.close();
    parentPort.close();
  }
});
timer = setTimeout(tick, workerData.intervalMs);
`;

export interface SqliteCheckpointer {
  /** Runs a last checkpoint and ends the thread. */
  stop(): Promise<void>;
}

/** How often committed pages are copied back; a pass with nothing to copy costs next to nothing. */
const DEFAULT_INTERVAL_MS = 200;

export function startSqliteCheckpointer(
  path: string,
  options: { intervalMs?: number; onError?: (message: string) => void } = {},
): SqliteCheckpointer {
  const driver = createRequire(import.meta.url).resolve("better-sqlite3");
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { path, driver, intervalMs: options.intervalMs ?? DEFAULT_INTERVAL_MS },
  });
  // The database's close() stops it; until then it must not hold a process that is done open.
  worker.unref();
  worker.on("message", (message: { type: string; message: string }) => {
    if (message.type === "error") {
      options.onError?.(message.message);
    }
  });
  worker.on("error", (error) => options.onError?.(error.message));
  const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
  return {
    async stop() {
      // Held again while it finishes: an unreferenced worker's exit alone would not keep the
      // event loop running, and a process awaiting it would end with the await unsettled.
      worker.ref();
      worker.postMessage("stop");
      await exited;
    },
  };
}
