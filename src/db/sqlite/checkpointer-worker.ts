/**
 * The background checkpointer's thread (src/db/sqlite-checkpointer.ts): a PASSIVE checkpoint every
 * `intervalMs` on a connection of its own, and a last one when told to stop.
 */
import { parentPort, workerData } from "node:worker_threads";
import SQLite from "better-sqlite3";

export interface CheckpointerOptions {
  path: string;
  intervalMs: number;
}

/** What the thread tells its owner: a checkpoint that failed. */
export interface CheckpointerMessage {
  type: "error";
  message: string;
}

const port = parentPort;
if (port === null) {
  throw new Error("checkpointer-worker.ts runs as a worker thread");
}
const { path, intervalMs } = workerData as CheckpointerOptions;
// An unopenable file throws here, which the owner hears as the worker's error.
const db = new SQLite(path);
db.pragma("busy_timeout = 5000");
db.pragma("synchronous = NORMAL");
let timer: NodeJS.Timeout | undefined;
let stopped = false;

function checkpoint(): void {
  try {
    db.pragma("wal_checkpoint(PASSIVE)");
  } catch (error) {
    const message: CheckpointerMessage = {
      type: "error",
      message: error instanceof Error ? error.message : String(error),
    };
    port?.postMessage(message);
  }
}

function tick(): void {
  checkpoint();
  if (!stopped) {
    timer = setTimeout(tick, intervalMs);
  }
}

port.on("message", (message: unknown) => {
  if (message === "stop") {
    stopped = true;
    clearTimeout(timer);
    checkpoint();
    db.close();
    port.close();
  }
});
timer = setTimeout(tick, intervalMs);
