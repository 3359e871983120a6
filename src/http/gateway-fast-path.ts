import type { IncomingMessage, ServerResponse } from "node:http";
import proxyAddr from "@fastify/proxy-addr";
import { type ErrorType, errorBody } from "../contract/errors.js";
import type { IdSource } from "../core/ports.js";
import { type GatewayRoute, MODEL_PATH } from "../gateway/gateway.js";
import type { GatewayRuntime } from "../gateway/runtime.js";
import { BAD_VERSION_MESSAGE, hasBadAnthropicVersion } from "./anthropic-headers.js";

/**
 * The gateway route of a request, or undefined for everything Fastify serves. Only the exact,
 * normalized paths: anything else (a trailing slash, a percent-encoded character, a dot segment)
 * goes through Fastify, whose router and the gateway's own path check (upstreamPathOf) answer it.
 */
export function gatewayRouteOf(
  method: string | undefined,
  url: string | undefined,
): GatewayRoute | undefined {
  if (url === undefined) {
    return undefined;
  }
  const query = url.indexOf("?");
  const path = query === -1 ? url : url.slice(0, query);
  if (method === "POST") {
    if (path === "/v1/messages") {
      return "messages";
    }
    if (path === "/v1/messages/count_tokens") {
      return "count_tokens";
    }
  } else if (method === "GET" && (path === "/v1/models" || MODEL_PATH.test(path))) {
    return "models";
  }
  return undefined;
}

export interface FastPathOptions {
  runtime: GatewayRuntime;
  ids: IdSource;
  bodyLimit: number;
  /** Proxies whose X-Forwarded-For is believed, as for Fastify's `trustProxy`. */
  trustProxy: string[];
  isClosing: () => boolean;
}

function sendError(
  res: ServerResponse,
  status: number,
  type: ErrorType,
  message: string,
  id: string,
): void {
  const body = errorBody(type, message, id);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(body),
    "request-id": id,
  });
  res.end(body);
}

/**
 * The gateway's hot path, in front of Fastify: the Claude API routes need no routing table,
 * schema, hooks or per-request logger, only the raw bytes, an id and the client's address. It
 * keeps Fastify's behaviour where it matters: 413 over the body limit, 503 while closing, the
 * anthropic-version check, X-Forwarded-For from trusted proxies only.
 */
export function createGatewayFastPath(
  options: FastPathOptions,
): (route: GatewayRoute, req: IncomingMessage, res: ServerResponse) => void {
  const trust = proxyAddr.compile(options.trustProxy);
  const { runtime, ids, bodyLimit } = options;

  const dispatch = (
    route: GatewayRoute,
    req: IncomingMessage,
    res: ServerResponse,
    id: string,
    body: Buffer | undefined,
  ) => {
    runtime.gateway.serve(
      route,
      {
        id,
        ip:
          options.trustProxy.length > 0 ? proxyAddr(req, trust) : (req.socket.remoteAddress ?? ""),
        method: req.method ?? "GET",
        url: req.url ?? "/",
        headers: req.headers,
        body,
      },
      res,
    );
  };

  return (route, req, res) => {
    const id = ids.next("request");
    if (options.isClosing()) {
      res.setHeader("connection", "close");
      sendError(res, 503, "overloaded_error", "Steward is shutting down", id);
      return;
    }
    if (hasBadAnthropicVersion(req.headers)) {
      sendError(res, 400, "invalid_request_error", BAD_VERSION_MESSAGE, id);
      return;
    }
    if (req.method === "GET") {
      req.resume();
      dispatch(route, req, res, id, undefined);
      return;
    }
    const declared = Number(req.headers["content-length"]);
    if (declared > bodyLimit) {
      res.setHeader("connection", "close");
      sendError(res, 413, "request_too_large", "Request body is too large", id);
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on("data", (chunk: Buffer) => {
      if (refused) {
        return;
      }
      size += chunk.length;
      if (size > bodyLimit) {
        refused = true;
        res.setHeader("connection", "close");
        sendError(res, 413, "request_too_large", "Request body is too large", id);
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (!refused) {
        dispatch(route, req, res, id, chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
      }
    });
    req.on("error", () => {
      refused = true;
    });
  };
}
