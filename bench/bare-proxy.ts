/**
 * The bare pass-through proxy of the gateway benchmark: `node:http` in front of an undici Pool,
 * request and response bodies streamed through, hop-by-hop headers dropped, and nothing else: no
 * key, no limits, no parsing, no metering. It is the most any Node gateway can do on the machine,
 * and the bar Steward's throughput and latency are measured against.
 *
 * `npx tsx bench/bare-proxy.ts UPSTREAM_URL [port]`. Started by bench/gateway.ts with an IPC
 * channel, it sends `{ type: "ready", url }` once listening; otherwise it prints its URL.
 */
import { createServer, type IncomingHttpHeaders, type OutgoingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { type Dispatcher, Pool } from "undici";

const upstreamUrl = process.argv[2];
if (upstreamUrl === undefined) {
  console.error("usage: bare-proxy.ts UPSTREAM_URL [port]");
  process.exit(2);
}
const port = Number(process.argv[3] ?? 0);

const HOP_BY_HOP = new Set([
  "host",
  "connection",
  "keep-alive",
  "proxy-connection",
  "transfer-encoding",
  "te",
  "trailer",
  "upgrade",
]);

function forwardable(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const name in headers) {
    if (!HOP_BY_HOP.has(name)) {
      out[name] = headers[name];
    }
  }
  return out;
}

const pool = new Pool(upstreamUrl, { connections: 256, keepAliveTimeout: 30_000 });

// `stream` is undici's proxy path: the response goes straight into `res`, with no Readable in
// between; the request body is piped from `req` as it arrives.
const server = createServer({ keepAlive: true, noDelay: true }, (req, res) => {
  pool
    .stream(
      {
        path: req.url ?? "/",
        method: (req.method ?? "GET") as Dispatcher.HttpMethod,
        headers: forwardable(req.headers) as IncomingHttpHeaders,
        body: req.method === "GET" || req.method === "HEAD" ? null : req,
      },
      ({ statusCode, headers }) => {
        res.writeHead(statusCode, forwardable(headers));
        return res;
      },
    )
    .catch(() => {
      if (!res.headersSent) {
        res.writeHead(502, { "content-type": "application/json" });
      }
      res.end();
    });
});
server.keepAliveTimeout = 30_000;

server.listen(port, "127.0.0.1", () => {
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  if (process.send) {
    process.send({ type: "ready", url });
    process.on("disconnect", () => process.exit(0));
  } else {
    console.log(url);
  }
});

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    server.close();
    server.closeAllConnections();
    void pool.close().then(() => process.exit(0));
  });
}
