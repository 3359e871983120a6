/**
 * The worker thread of one SQLite connection (SqliteThread, src/db/sqlite-thread.ts): each message
 * is a request, answered in order.
 */
import { parentPort, workerData } from "node:worker_threads";
import { Connection } from "./connection.js";
import type { ConnectionOptions, Request } from "./protocol.js";

const port = parentPort;
if (port === null) {
  throw new Error("connection-worker.ts runs as a worker thread");
}
const connection = new Connection(workerData as ConnectionOptions);
port.on("message", (request: Request) => {
  port.postMessage(connection.answer(request));
  if (request.op === "close") {
    port.close();
  }
});
