/**
 * Errors, as the official Anthropic SDK's `core/error.ts`: one root class, an `APIError` per
 * HTTP status, and the three failures that have no status (connection, timeout, abort).
 */

/** The root of every error this SDK throws. */
export class StewardError extends Error {
  constructor(message?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The body of an error response: `{type: "error", error: {type, message, details?}, request_id}`. */
export interface ErrorBody {
  type?: string;
  error?: {
    type?: string;
    message?: string;
    details?: { error_code?: string; [key: string]: unknown };
    [key: string]: unknown;
  };
  request_id?: string;
  [key: string]: unknown;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** An HTTP error response, or (with `status` undefined) a request that got no response at all. */
export class APIError<
  TStatus extends number | undefined = number | undefined,
  THeaders extends Headers | undefined = Headers | undefined,
  TError extends object | undefined = object | undefined,
> extends StewardError {
  /** The HTTP status of the response. */
  readonly status: TStatus;
  /** The response's headers. */
  readonly headers: THeaders;
  /** The parsed response body (the error envelope), when there was one. */
  readonly error: TError;
  /** `error.type` of the envelope: `invalid_request_error`, `not_found_error`, … */
  readonly type: string | undefined;
  /** `error.details.error_code` of the envelope: `already_member`, `invalid_cursor`, … */
  readonly errorCode: string | undefined;
  /** The server's id of the request (`request-id` header, or `request_id` in the body). */
  readonly requestId: string | undefined;

  constructor(
    status: TStatus,
    error: TError,
    message: string | undefined,
    headers: THeaders,
    options?: { cause?: unknown },
  ) {
    super(APIError.makeMessage(status, error, message), options);
    this.status = status;
    this.headers = headers;
    this.error = error;
    const body: ErrorBody | undefined = isRecord(error) ? (error as ErrorBody) : undefined;
    const inner = isRecord(body?.error) ? body?.error : undefined;
    this.type = typeof inner?.type === "string" ? inner.type : undefined;
    const details = inner?.details;
    this.errorCode =
      isRecord(details) && typeof details.error_code === "string" ? details.error_code : undefined;
    this.requestId =
      headers?.get("request-id") ||
      (typeof body?.request_id === "string" ? body.request_id : undefined);
  }

  private static makeMessage(
    status: number | undefined,
    error: unknown,
    message: string | undefined,
  ): string {
    const inner = isRecord(error) && isRecord(error.error) ? error.error : undefined;
    const text =
      typeof inner?.message === "string"
        ? inner.message
        : isRecord(error) && typeof error.message === "string"
          ? error.message
          : error !== undefined && !isRecord(error)
            ? String(error)
            : message;
    if (status !== undefined && text) {
      return `${status} ${text}`;
    }
    if (status !== undefined) {
      return `${status} status code (no body)`;
    }
    return text ?? "(no status code or body)";
  }

  /** The error for a response's status: `NotFoundError` for a 404, and so on. */
  static generate(
    status: number | undefined,
    errorResponse: object | undefined,
    message: string | undefined,
    headers: Headers | undefined,
  ): APIError {
    if (status === undefined || headers === undefined) {
      return new APIConnectionError({ message, cause: errorResponse });
    }
    const error = errorResponse;
    switch (status) {
      case 400:
        return new BadRequestError(status, error, message, headers);
      case 401:
        return new AuthenticationError(status, error, message, headers);
      case 402:
        return new BillingError(status, error, message, headers);
      case 403:
        return new PermissionDeniedError(status, error, message, headers);
      case 404:
        return new NotFoundError(status, error, message, headers);
      case 409:
        return new ConflictError(status, error, message, headers);
      case 413:
        return new RequestTooLargeError(status, error, message, headers);
      case 422:
        return new UnprocessableEntityError(status, error, message, headers);
      case 429:
        return new RateLimitError(status, error, message, headers);
    }
    if (status >= 500) {
      return new InternalServerError(status, error, message, headers);
    }
    return new APIError(status, error, message, headers);
  }
}

/** The request was aborted through the caller's `signal`. Never retried. */
export class APIUserAbortError extends APIError<undefined, undefined, undefined> {
  constructor({ message }: { message?: string } = {}) {
    super(undefined, undefined, message ?? "Request was aborted.", undefined);
  }
}

/** No response: the server could not be reached, or the connection broke. */
export class APIConnectionError extends APIError<undefined, undefined, undefined> {
  constructor({ message, cause }: { message?: string | undefined; cause?: unknown }) {
    super(undefined, undefined, message ?? "Connection error.", undefined, { cause });
  }
}

/** No response within `timeout` milliseconds. */
export class APIConnectionTimeoutError extends APIConnectionError {
  constructor({ message }: { message?: string } = {}) {
    super({ message: message ?? "Request timed out." });
  }
}

/** 400: a bad field, a bad cursor, a refused change (`errorCode` says which). */
export class BadRequestError extends APIError<400, Headers> {}
/** 401: no admin key, or one that is unknown, revoked or expired. */
export class AuthenticationError extends APIError<401, Headers> {}
/** 402: a billing refusal (`billing_error`). */
export class BillingError extends APIError<402, Headers> {}
/** 403: the key may not do this (`permission_error`). */
export class PermissionDeniedError extends APIError<403, Headers> {}
/** 404: no such object in the key's organization (another organization's ids too). */
export class NotFoundError extends APIError<404, Headers> {}
/** 409: a concurrent request changed the same resource; nothing was written. Retried. */
export class ConflictError extends APIError<409, Headers> {}
/** 413: the request body is over the server's limit (`request_too_large`). */
export class RequestTooLargeError extends APIError<413, Headers> {}
/** 422: the request was understood but cannot be processed. */
export class UnprocessableEntityError extends APIError<422, Headers> {}
/** 429: rate limited. Retried, honouring `retry-after`. */
export class RateLimitError extends APIError<429, Headers> {}
/** 5xx: the server failed. Retried (except 501). */
export class InternalServerError extends APIError<number, Headers> {}
