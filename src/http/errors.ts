import { STATUS_CODES } from "node:http";
import type { Socket } from "node:net";
import type {
  ConnectionError,
  FastifyError,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
} from "fastify";
import {
  hasZodFastifySchemaValidationErrors,
  isResponseSerializationError,
} from "fastify-type-provider-zod";
import {
  ERROR_CODES,
  ERROR_TYPES,
  type ErrorCode,
  type ErrorType,
  errorBody,
  errorEnvelope,
} from "../contract/errors.js";
import { AppError } from "../core/errors.js";
import { isStorageUnavailable } from "../db/unavailable.js";

/** The envelope of an error answered to `request` (errorEnvelope with its id). */
export function envelope(
  request: FastifyRequest,
  type: ErrorType,
  message: string,
  errorCode?: ErrorCode,
) {
  return errorEnvelope(type, message, String(request.id), errorCode);
}

/** Answers in the envelope, with the catalogue's status for the code, or else for the type. */
export function sendError(
  reply: FastifyReply,
  request: FastifyRequest,
  type: ErrorType,
  message: string,
  errorCode?: ErrorCode,
  status: number = errorCode === undefined ? ERROR_TYPES[type] : ERROR_CODES[errorCode].status,
) {
  return reply
    .code(status)
    .type("application/json")
    .send(envelope(request, type, message, errorCode));
}

/** The request's path, without its query string. */
function pathOf(request: FastifyRequest): string {
  const url = request.url;
  const query = url.indexOf("?");
  return query === -1 ? url : url.slice(0, query);
}

/** The router's longest path parameter (Fastify's default); longer ones get a 414. */
export const MAX_PARAM_LENGTH = 100;

/**
 * Fastify's `frameworkErrors`: what its router refuses before any route or hook runs (so before
 * the hook that sets `request-id`): a path that is not valid percent-encoded UTF-8 (`%C0%AF`,
 * `%ED%A0%80`) and a path parameter longer than the router's `maxParamLength` (414).
 */
export function frameworkErrors(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  reply.header("request-id", request.id);
  switch (error.code) {
    case "FST_ERR_BAD_URL":
      sendError(
        reply,
        request,
        "invalid_request_error",
        `path: ${JSON.stringify(pathOf(request))} is not valid percent-encoded UTF-8`,
      );
      return;
    case "FST_ERR_MAX_PARAM_LENGTH":
      sendError(
        reply,
        request,
        "invalid_request_error",
        `path: a path parameter is longer than ${MAX_PARAM_LENGTH} characters`,
        undefined,
        414,
      );
      return;
  }
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
    sendError(reply, request, "invalid_request_error", error.message, undefined, error.statusCode);
    return;
  }
  request.log.error({ err: error }, "router error");
  sendError(reply, request, "api_error", "Internal server error");
}

/**
 * The server's `clientError` listener: Node's HTTP parser refused the bytes (a control character
 * in a header, an unknown method, headers over the size limit, a request that took too long), so
 * no request exists and Fastify never sees one. The answer is written to the socket by hand, in
 * the envelope with a fresh request id, unless a response is already under way on that
 * connection (another one would corrupt it); the connection is then closed, as Node does.
 */
export function clientErrorHandler(
  nextId: () => string,
): (this: FastifyInstance, error: ConnectionError, socket: Socket) => void {
  return function onClientError(this: FastifyInstance, error, socket) {
    if (error.code === "ECONNRESET" || socket.destroyed) {
      return;
    }
    this.log.debug({ err: error }, "malformed request refused");
    const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } | null })
      ._httpMessage;
    if (socket.writable && inFlight?.headersSent !== true) {
      const [status, type, message] = clientErrorAnswer(error);
      const id = nextId();
      const body = errorBody(type, message, id);
      socket.write(
        `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/json\r\n` +
          `content-length: ${Buffer.byteLength(body)}\r\nrequest-id: ${id}\r\n` +
          `connection: close\r\n\r\n${body}`,
      );
    }
    socket.destroy(error);
  };
}

function clientErrorAnswer(error: ConnectionError): [number, ErrorType, string] {
  switch (error.code) {
    case "ERR_HTTP_REQUEST_TIMEOUT":
      return [408, "timeout_error", "the request was not received in time"];
    case "HPE_HEADER_OVERFLOW":
      return [431, "request_too_large", "request headers are too large"];
    case "HPE_CHUNK_EXTENSIONS_OVERFLOW":
      return [413, "request_too_large", "chunk extensions are too large"];
    default:
      // llhttp's reasons are fixed texts ("Invalid header value char"), never the client's bytes.
      return [400, "invalid_request_error", `malformed HTTP request (${error.message})`];
  }
}

function locationOf(context: string | undefined): string {
  switch (context) {
    case "querystring":
      return "query";
    case "params":
      return "path";
    case "headers":
      return "header";
    default:
      return "body";
  }
}

/** A path such as `/settings/allowed_ip_ranges/0` becomes `settings.allowed_ip_ranges[0]`. */
function fieldName(instancePath: string): string {
  return instancePath
    .split("/")
    .filter((part) => part !== "")
    .map((part, i) => (/^\d+$/.test(part) ? `[${part}]` : i === 0 ? part : `.${part}`))
    .join("");
}

/**
 * The only place where failures become responses: AppError from services, schema failures,
 * Fastify's own errors (bad JSON, oversized bodies), and anything unexpected (logged, and answered
 * with a generic 500 that reveals nothing).
 */
export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof AppError) {
      return sendError(reply, request, error.type, error.message, error.errorCode, error.status);
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const where = locationOf(error.validationContext);
      const problems = error.validation.map((issue) => {
        const field = fieldName(issue.instancePath);
        // fastify-type-provider-zod puts the zod issue's code in `keyword`, its other fields in `params`.
        const params = issue.params as { keys?: unknown; issues?: unknown } | undefined;
        const keys = params?.keys;
        if (issue.keyword === "unrecognized_keys" && Array.isArray(keys)) {
          const prefix = field === "" ? "" : `${field}.`;
          return `${where}: unknown field ${keys.map((k) => `${prefix}${String(k)}`).join(", ")}`;
        }
        // A record key refused by its own rule: zod says only "Invalid key in record"; the rule says why.
        const nested = params?.issues;
        const message =
          issue.keyword === "invalid_key" && Array.isArray(nested) && nested.length > 0
            ? `key ${nested.map((n: { message?: unknown }) => String(n.message)).join(", ")}`
            : issue.message;
        return field === "" ? `${where}: ${message}` : `${where}.${field}: ${message}`;
      });
      return sendError(reply, request, "invalid_request_error", problems.join("; "));
    }
    if (isResponseSerializationError(error)) {
      request.log.error(
        { err: error, issues: error.cause.issues },
        "response does not match its schema",
      );
      return sendError(reply, request, "api_error", "Internal server error");
    }
    switch (error.code) {
      case "FST_ERR_CTP_BODY_TOO_LARGE":
        return sendError(reply, request, "request_too_large", "Request body is too large");
      case "FST_ERR_CTP_INVALID_JSON_BODY":
      case "FST_ERR_CTP_EMPTY_JSON_BODY":
        return sendError(
          reply,
          request,
          "invalid_request_error",
          `body: malformed JSON (${error.message})`,
        );
      case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
        return sendError(
          reply,
          request,
          "invalid_request_error",
          "content-type must be application/json",
        );
      case "FST_ERR_CTP_INVALID_CONTENT_LENGTH":
        return sendError(
          reply,
          request,
          "invalid_request_error",
          "content-length does not match the body",
        );
    }
    if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
      return sendError(reply, request, "invalid_request_error", error.message);
    }
    if (isStorageUnavailable(error)) {
      // A lost connection or a full disk, not the request: it may be retried as it is.
      request.log.warn({ err: error }, "database unavailable");
      reply.header("retry-after", "1");
      return sendError(
        reply,
        request,
        "unavailable_error",
        "the database is unavailable; retry the request later",
      );
    }
    request.log.error({ err: error }, "unhandled error");
    return sendError(reply, request, "api_error", "Internal server error");
  });

  app.setNotFoundHandler((request, reply) =>
    sendError(
      reply,
      request,
      "not_found_error",
      `no route for ${request.method} ${request.url.split("?")[0]}`,
    ),
  );
}
