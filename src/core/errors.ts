import { ERROR_CODES, ERROR_TYPES, type ErrorCode, type ErrorType } from "../contract/errors.js";

export type { ErrorCode, ErrorType };

/**
 * A failure a service reports to its caller, in the catalogue's terms (src/contract/errors.ts).
 * Services throw AppError; the HTTP layer is the only place that turns it into a response. An
 * error with a code is answered with the code's status.
 */
export class AppError extends Error {
  readonly type: ErrorType;
  readonly status: number;
  readonly errorCode: ErrorCode | undefined;

  constructor(type: ErrorType, message: string, options: { errorCode?: ErrorCode } = {}) {
    super(message);
    this.name = "AppError";
    this.type = type;
    this.errorCode = options.errorCode;
    this.status =
      options.errorCode === undefined ? ERROR_TYPES[type] : ERROR_CODES[options.errorCode].status;
  }
}

export const invalidRequest = (message: string, errorCode?: ErrorCode) =>
  new AppError("invalid_request_error", message, errorCode ? { errorCode } : {});

export const notFound = (what: string, id: string) =>
  new AppError("not_found_error", `${what} ${JSON.stringify(id)} not found`);
