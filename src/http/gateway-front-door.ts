import type { IncomingMessage, ServerResponse } from "node:http";
import proxyAddr from "@fastify/proxy-addr";
import { type ErrorType, errorBody } from "../contract/errors.js";
import type { IdSource } from "../core/ports.js";
import { type GatewayRoute, MODEL_PATH } from "../gateway/gateway.js";
import type { GatewayRuntime } from "../gateway/runtime.js";
import { BAD_VERSION_MESSAGE, hasBadAnthropicVersion } from "./anthropic-headers.js";

const MODELS_PREFIX = "/v1/models/";

/**
 * The gateway route of a request, or undefined for everything Fastify serves. The exact paths
 * clients send are matched first; then the forms a router would also take for them: one trailing
 * slash, percent-encoded characters other than reserved ones (`%2F` stays encoded), and any one
 * segment after `/v1/models/`, which the gateway refuses unless it is a plain model id
 * (upstreamPathOf). A path that is not valid percent-encoding is left to Fastify, which refuses it.
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
  return path.startsWith("/v1/") ? looseRouteOf(method, path) : undefined;
}

function looseRouteOf(method: string | undefined, raw: string): GatewayRoute | undefined {
  let path = raw;
  if (path.includes("%")) {
    try {
      path = decodeURI(path);
    } catch {
      return undefined;
    }
  }
  if (path.endsWith("/")) {
    path = path.slice(0, -1);
  }
  if (method === "POST") {
    if (path === "/v1/messages") {
      return "messages";
    }
    return path === "/v1/messages/count_tokens" ? "count_tokens" : undefined;
  }
  if (method !== "GET" && method !== "HEAD") {
    return undefined;
  }
  if (
    path === "/v1/models" ||
    (path.startsWith(MODELS_PREFIX) &&
      path.length > MODELS_PREFIX.length &&
      !path.includes("/", MODELS_PREFIX.length))
  ) {
    return "models";
  }
  return undefined;
}

export interface FrontDoorOptions {
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
 * The gateway's one entry point, in front of Fastify: the server hands it every request, and it
 * answers the Claude API paths (returning true) and leaves the rest to Fastify (false). Those
 * paths need no routing table, schema, hooks or per-request logger, only the raw bytes, an id and
 * the client's address. Before the gateway sees a request, it answers as Fastify does for its
 * routes: 503 while closing, 400 for a malformed anthropic-version, 413 over the body limit; and
 * it reads X-Forwarded-For from trusted proxies only.
 * Trick: saves Fastify's routing, hooks and logger per request (bench/README.md#gateway-tricks).
 */
export function createGatewayFrontDoor(
  options: FrontDoorOptions,
): (req: IncomingMessage, res: ServerResponse) => boolean {
  const trust = proxyAddr.compile(options.trustProxy);
  const { runtime, ids, bodyLimit } = options;
  const ipOf = (req: IncomingMessage) =>
    options.trustProxy.length > 0 ? proxyAddr(req, trust) : (req.socket.remoteAddress ?? "");

  const dispatch = (
    route: GatewayRoute,
    req: IncomingMessage,
    res: ServerResponse,
    id: string,
    body: Buffer | undefined,
    receivedAt: number,
  ) => {
    runtime.gateway.serve(
      route,
      {
        id,
        ip: ipOf(req),
        method: req.method ?? "GET",
        url: req.url ?? "/",
        headers: req.headers,
        body,
        receivedAt,
        trace: undefined,
      },
      res,
    );
  };

  /** A refusal before the gateway: answered, and in the access log like the gateway's own. */
  const refuse = (
    route: GatewayRoute,
    req: IncomingMessage,
    res: ServerResponse,
    status: number,
    type: ErrorType,
    message: string,
    id: string,
    receivedAt: number,
  ) => {
    sendError(res, status, type, message, id);
    runtime.accessLog?.write({
      requestId: id,
      route,
      ip: ipOf(req),
      status,
      keyId: undefined,
      workspaceId: undefined,
      model: undefined,
      stream: false,
      errorType: type,
      clientAborted: false,
      usage: undefined,
      upstreamMs: undefined,
      totalMs: performance.now() - receivedAt,
    });
  };

  const tooLarge = (
    route: GatewayRoute,
    req: IncomingMessage,
    res: ServerResponse,
    id: string,
    receivedAt: number,
  ) => {
    res.setHeader("connection", "close");
    refuse(route, req, res, 413, "request_too_large", "Request body is too large", id, receivedAt);
  };

  return (req, res) => {
    const route = gatewayRouteOf(req.method, req.url);
    if (route === undefined) {
      return false;
    }
    const receivedAt = performance.now();
    const id = ids.next("request");
    if (options.isClosing()) {
      res.setHeader("connection", "close");
      refuse(route, req, res, 503, "overloaded_error", "Steward is shutting down", id, receivedAt);
      return true;
    }
    if (hasBadAnthropicVersion(req.headers)) {
      refuse(route, req, res, 400, "invalid_request_error", BAD_VERSION_MESSAGE, id, receivedAt);
      return true;
    }
    if (route === "models") {
      req.resume();
      dispatch(route, req, res, id, undefined, receivedAt);
      return true;
    }
    const declared = Number(req.headers["content-length"]);
    if (declared > bodyLimit) {
      tooLarge(route, req, res, id, receivedAt);
      req.resume();
      return true;
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
        tooLarge(route, req, res, id, receivedAt);
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (!refused) {
        const body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
        dispatch(route, req, res, id, body, receivedAt);
      }
    });
    req.on("error", () => {
      refused = true;
    });
    return true;
  };
}
