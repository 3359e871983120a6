/** A tiny local HTTP server for the SDK's transport tests: it answers a script of responses. */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface ScriptedResponse {
  status?: number;
  headers?: Record<string, string>;
  /** An object is sent as JSON; a string as it is. */
  body?: unknown;
  /** Wait this long before answering. */
  delayMs?: number;
  /** Cut the connection instead of answering. */
  destroy?: boolean;
  /** Answer by hand (streams). */
  handle?: (res: ServerResponse, req: RecordedRequest) => void;
}

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** Resolves when the client goes away (the response is finished or the socket closed). */
  closed: Promise<void>;
}

export interface FakeServer {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/**
 * Answers the n-th request with `script[n]` (the last entry repeats), or with what a function of
 * the request number gives.
 */
export async function startFakeServer(
  script: ScriptedResponse[] | ((n: number, request: RecordedRequest) => ScriptedResponse),
): Promise<FakeServer> {
  const requests: RecordedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const n = requests.length;
      const recorded: RecordedRequest = {
        method: req.method ?? "GET",
        url: req.url ?? "/",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
        closed: new Promise((resolve) => res.on("close", () => resolve())),
      };
      requests.push(recorded);
      const step =
        typeof script === "function"
          ? script(n, recorded)
          : (script[Math.min(n, script.length - 1)] ?? { status: 200 });
      const answer = () => {
        if (step.destroy) {
          req.socket.destroy();
          return;
        }
        if (step.handle) {
          step.handle(res, recorded);
          return;
        }
        const status = step.status ?? 200;
        const isText = typeof step.body === "string";
        const headers: Record<string, string> = {
          "request-id": `req_fake_${n}`,
          ...(step.body !== undefined && {
            "content-type": isText ? "text/plain" : "application/json",
          }),
          ...step.headers,
        };
        res.writeHead(status, headers);
        res.end(
          step.body === undefined ? "" : isText ? (step.body as string) : JSON.stringify(step.body),
        );
      };
      if (step.delayMs) {
        const timer = setTimeout(() => {
          timers.delete(timer);
          if (!res.destroyed) {
            answer();
          }
        }, step.delayMs);
        timers.add(timer);
      } else {
        answer();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) {
          clearTimeout(timer);
        }
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The Anthropic-style error envelope. */
export function errorEnvelope(
  type: string,
  message: string,
  errorCode?: string,
  requestId?: string,
) {
  return {
    type: "error",
    error: { type, message, ...(errorCode && { details: { error_code: errorCode } }) },
    ...(requestId && { request_id: requestId }),
  };
}
