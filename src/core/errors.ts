/**
 * The one catalog of error types, following the Anthropic API's error envelope. Services throw
 * AppError; the HTTP layer is the only place that turns it into a response.
 */
export const ERROR_STATUS = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  conflict_error: 409,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  /** Steward's database cannot be reached or cannot write right now: retry later. */
  unavailable_error: 503,
  timeout_error: 504,
  overloaded_error: 529,
} as const;

export type ErrorType = keyof typeof ERROR_STATUS;

/** Machine-readable codes the official SDK maps to its own error classes (`error.details.error_code`). */
export type ErrorCode =
  | "already_member"
  | "invite_already_exists"
  | "cannot_remove_last_member"
  | "invite_not_pending"
  | "workspace_archived"
  | "default_workspace_protected"
  | "api_key_archived"
  | "invalid_cursor"
  | "idempotency_key_in_use"
  | "idempotency_key_reused"
  | "idempotent_response_unavailable";

export class AppError extends Error {
  readonly type: ErrorType;
  readonly status: number;
  readonly errorCode: ErrorCode | undefined;

  constructor(type: ErrorType, message: string, options: { errorCode?: ErrorCode } = {}) {
    super(message);
    this.name = "AppError";
    this.type = type;
    this.status = ERROR_STATUS[type];
    this.errorCode = options.errorCode;
  }
}

export const invalidRequest = (message: string, errorCode?: ErrorCode) =>
  new AppError("invalid_request_error", message, errorCode ? { errorCode } : {});

export const notFound = (what: string, id: string) =>
  new AppError("not_found_error", `${what} ${JSON.stringify(id)} not found`);
