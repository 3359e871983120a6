import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import {
  hasZodFastifySchemaValidationErrors,
  isResponseSerializationError,
} from "fastify-type-provider-zod";
import { AppError, ERROR_STATUS, type ErrorType } from "../core/errors.js";

interface Envelope {
  type: "error";
  error: { type: string; message: string; details?: { error_code: string } };
  request_id: string;
}

export function envelope(
  request: FastifyRequest,
  type: ErrorType,
  message: string,
  errorCode?: string,
): Envelope {
  return {
    type: "error",
    error: {
      type,
      message,
      ...(errorCode !== undefined && { details: { error_code: errorCode } }),
    },
    request_id: String(request.id),
  };
}

function sendError(
  reply: FastifyReply,
  request: FastifyRequest,
  type: ErrorType,
  message: string,
  errorCode?: string,
) {
  return reply
    .code(ERROR_STATUS[type])
    .type("application/json")
    .send(envelope(request, type, message, errorCode));
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
      return sendError(reply, request, error.type, error.message, error.errorCode);
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const where = locationOf(error.validationContext);
      const problems = error.validation.map((issue) => {
        const field = fieldName(issue.instancePath);
        // fastify-type-provider-zod puts the zod issue's code in `keyword`, its other fields in `params`.
        const keys = (issue.params as { keys?: unknown } | undefined)?.keys;
        if (issue.keyword === "unrecognized_keys" && Array.isArray(keys)) {
          const prefix = field === "" ? "" : `${field}.`;
          return `${where}: unknown field ${keys.map((k) => `${prefix}${String(k)}`).join(", ")}`;
        }
        return field === "" ? `${where}: ${issue.message}` : `${where}.${field}: ${issue.message}`;
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
