import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Registry } from "prom-client";
import { type ErrorType, errorBody } from "../contract/errors.js";
import { refusalOf } from "./metrics-access.js";

export interface MetricsListener {
  /** `http://host:port` it listens on. */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * METRICS_LISTEN: `/metrics` on an address of its own (an internal interface, a port the
 * firewall keeps in), and on no other. `GET /metrics` is all it serves; with METRICS_TOKEN it asks
 * for the token too.
 */
export async function startMetricsListener(
  registry: Registry,
  options: { host: string; port: number; token: string | undefined; nextId: () => string },
): Promise<MetricsListener> {
  const access = { token: options.token, open: true };
  const server: Server = createServer((req, res) => {
    const send = (status: number, type: ErrorType, message: string) => {
      const id = options.nextId();
      const body = errorBody(type, message, id);
      res.writeHead(status, {
        "content-type": "application/json",
        "content-length": Buffer.byteLength(body),
        "request-id": id,
        ...(status === 401 && { "www-authenticate": 'Bearer realm="metrics"' }),
      });
      res.end(body);
    };
    const path = (req.url ?? "/").split("?")[0];
    if (path !== "/metrics" || (req.method !== "GET" && req.method !== "HEAD")) {
      send(404, "not_found_error", "only GET /metrics is served on this address");
      return;
    }
    const refusal = refusalOf(access, req.socket.remoteAddress, req.headers);
    if (refusal !== undefined) {
      send(refusal.status, refusal.type, refusal.message);
      return;
    }
    registry.metrics().then(
      (text) => {
        res.writeHead(200, { "content-type": registry.contentType });
        res.end(req.method === "HEAD" ? undefined : text);
      },
      () => send(500, "api_error", "Internal server error"),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      }),
  };
}
