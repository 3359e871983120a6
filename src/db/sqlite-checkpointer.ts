import { Worker } from "node:worker_threads";
import type { CheckpointerMessage, CheckpointerOptions } from "./sqlite/checkpointer-worker.js";
import { workerUrl } from "./sqlite/worker-url.js";

/**
 * Copies committed WAL pages back into a SQLite file from a thread of its own
 * (src/db/sqlite/checkpointer-worker.ts), so that the thread serving requests never does. Left to
 * SQLite, a checkpoint runs inside whichever commit crosses the auto-checkpoint size: tens of
 * megabytes copied and fsynced while the gateway and every request on the event loop wait. A
 * PASSIVE checkpoint on another connection waits for no writer and blocks none, so the commits on
 * the writer stay small (they still checkpoint what is left, as a fallback, if this thread falls
 * behind or stops).
 */
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
  const workerData: CheckpointerOptions = {
    path,
    intervalMs: options.intervalMs ?? DEFAULT_INTERVAL_MS,
  };
  // None of this process's flags: under tsx, its loader would take half a second to start.
  const worker = new Worker(workerUrl("checkpointer-worker"), { workerData, execArgv: [] });
  // The database's close() stops it; until then it must not hold a process that is done open.
  worker.unref();
  worker.on("message", (message: CheckpointerMessage) => {
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
