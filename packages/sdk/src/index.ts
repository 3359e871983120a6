export { type ClientOptions, type Fetch, type SessionOptions, StewardAdmin } from "./client.js";
export { APIPromise, type WithResponse } from "./core/api-promise.js";
export {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  AuthenticationError,
  BadRequestError,
  BillingError,
  ConflictError,
  type ErrorBody,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  RequestTooLargeError,
  StewardError,
  UnprocessableEntityError,
} from "./core/error.js";
export {
  AbstractPage,
  CursorPage,
  type CursorPageParams,
  CursorPagePromise,
  type CursorPageResponse,
  Page,
  type PageParams,
  PagePromise,
  type PageResponse,
  ReportPage,
  ReportPagePromise,
  type ReportPageResponse,
} from "./core/pagination.js";
export { APIResource } from "./core/resource.js";
export { NDJSONStream, NDJSONStreamPromise } from "./core/streaming.js";
export type { components, operations, paths } from "./generated/api.js";
export {
  type HttpMethod,
  type OperationDescription,
  type OperationName,
  SDK_OPERATIONS,
} from "./internal/operations.js";
export type { RequestOptions } from "./internal/request-options.js";
export { formatUsd } from "./money.js";
export * from "./resources/index.js";
export { VERSION as SDK_VERSION } from "./version.js";
