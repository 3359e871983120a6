/** Local HTTP receivers for the cost alert suites: they record every POST and answer as told. */
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  raw: string;
  body: any;
  /** The status the receiver answered. */
  status: number;
}

export interface Receiver {
  url(path: string): string;
  /** Every request, in arrival order; `ok()` only those answered 2xx. */
  received: Received[];
  ok(path?: string): Received[];
  /** What `path` answers from now on (200 by default). */
  setStatus(path: string, status: number): void;
  /** The whole answer of `path` from now on: a status, headers (a redirect's location) and body. */
  setAnswer(path: string, answer: Answer): void;
  close(): Promise<void>;
}

export interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export async function startReceiver(): Promise<Receiver> {
  const statuses = new Map<string, number>();
  const answers = new Map<string, Answer>();
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      const path = req.url ?? "/";
      const answer = answers.get(path);
      const status = answer?.status ?? statuses.get(path) ?? (path.startsWith("/pd") ? 202 : 200);
      let body: unknown = raw;
      try {
        body = JSON.parse(raw);
      } catch {
        // keep the text
      }
      received.push({ path, headers: req.headers, raw, body, status });
      if (answer) {
        res.writeHead(status, { "content-type": "text/plain", ...answer.headers });
        res.end(answer.body ?? "");
        return;
      }
      res.writeHead(status, { "content-type": "application/json" });
      res.end(status < 300 ? '{"status":"success"}' : '{"error":"down"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    received,
    ok: (path) => received.filter((r) => r.status < 300 && (path === undefined || r.path === path)),
    setStatus: (path, status) => statuses.set(path, status),
    setAnswer: (path, answer) => answers.set(path, answer),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * What a receiver of Steward's webhooks does (docs/alerts.md): recompute the HMAC over
 * `<t>.<raw body>` and reject a signature that does not match or is older than `toleranceS`.
 */
export function verifySignature(
  header: string | string[] | undefined,
  raw: string,
  secret: string,
  nowS: number,
  toleranceS = 300,
): boolean {
  if (typeof header !== "string") {
    return false;
  }
  const parts = new Map(
    header.split(",").map((part) => {
      const i = part.indexOf("=");
      return [part.slice(0, i), part.slice(i + 1)] as const;
    }),
  );
  const t = Number(parts.get("t"));
  const v1 = parts.get("v1") ?? "";
  if (!Number.isInteger(t) || Math.abs(nowS - t) > toleranceS) {
    return false;
  }
  const expected = createHmac("sha256", secret).update(`${t}.${raw}`).digest("hex");
  return v1.length === expected.length && timingSafeEqual(Buffer.from(v1), Buffer.from(expected));
}
