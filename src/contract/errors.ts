import { z } from "zod";

/**
 * The error catalogue: every `error.type` and `error.details.error_code` Steward answers, with its
 * HTTP status, and the one function that writes the envelope (Anthropic's) they travel in. The
 * admin API, the gateway and the HTTP parser's refusals all answer through errorEnvelope.
 */

/** Error types and the status each is answered with, unless the answer's site says otherwise. */
export const ERROR_TYPES = {
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

export type ErrorType = keyof typeof ERROR_TYPES;

/** The types the admin API answers; the others come from the gateway only. */
const ADMIN_ERROR_TYPES = [
  "invalid_request_error",
  "authentication_error",
  "permission_error",
  "not_found_error",
  "conflict_error",
  "request_too_large",
  "rate_limit_error",
  "api_error",
  "unavailable_error",
] as const satisfies readonly ErrorType[];

interface CodeEntry {
  status: number;
  type: ErrorType;
  /** Where the code is answered: the admin API or the gateway. */
  surface: "admin" | "gateway";
}

/**
 * Machine-readable codes (`error.details.error_code`, which the official SDK exposes as
 * `errorCode`), each with the status and type it is always answered with.
 */
export const ERROR_CODES = {
  already_member: { status: 400, type: "invalid_request_error", surface: "admin" },
  invite_already_exists: { status: 400, type: "invalid_request_error", surface: "admin" },
  cannot_remove_last_member: { status: 400, type: "invalid_request_error", surface: "admin" },
  invite_not_pending: { status: 400, type: "invalid_request_error", surface: "admin" },
  workspace_archived: { status: 400, type: "invalid_request_error", surface: "admin" },
  default_workspace_protected: { status: 400, type: "invalid_request_error", surface: "admin" },
  api_key_archived: { status: 400, type: "invalid_request_error", surface: "admin" },
  last_owner_admin_key: { status: 400, type: "invalid_request_error", surface: "admin" },
  invalid_cursor: { status: 400, type: "invalid_request_error", surface: "admin" },
  service_account_archived: { status: 400, type: "invalid_request_error", surface: "admin" },
  workspace_role_not_assignable: {
    status: 400,
    type: "invalid_request_error",
    surface: "admin",
  },
  idempotency_key_in_use: { status: 409, type: "conflict_error", surface: "admin" },
  idempotency_key_reused: { status: 422, type: "invalid_request_error", surface: "admin" },
  idempotent_response_unavailable: { status: 409, type: "conflict_error", surface: "admin" },
  workspace_spend_limit_reached: { status: 400, type: "invalid_request_error", surface: "gateway" },
  organization_spend_limit_reached: {
    status: 400,
    type: "invalid_request_error",
    surface: "gateway",
  },
} as const satisfies Record<string, CodeEntry>;

export type ErrorCode = keyof typeof ERROR_CODES;

export const ErrorEnvelope = z
  .object({
    type: z.literal("error"),
    error: z.object({
      type: z.enum(Object.keys(ERROR_TYPES) as [ErrorType, ...ErrorType[]]),
      message: z.string(),
      details: z
        .object({ error_code: z.enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]) })
        .optional(),
    }),
    request_id: z.string(),
  })
  .meta({ id: "Error" });
export type ErrorEnvelope = z.infer<typeof ErrorEnvelope>;

/** The envelope of an error, its keys in the order Anthropic's API writes them. */
export function errorEnvelope(
  type: ErrorType,
  message: string,
  requestId: string,
  errorCode?: ErrorCode,
): ErrorEnvelope {
  return {
    type: "error",
    error:
      errorCode === undefined
        ? { type, message }
        : { type, message, details: { error_code: errorCode } },
    request_id: requestId,
  };
}

/** errorEnvelope as the JSON text written on the wire. */
export function errorBody(
  type: ErrorType,
  message: string,
  requestId: string,
  errorCode?: ErrorCode,
): string {
  return JSON.stringify(errorEnvelope(type, message, requestId, errorCode));
}

type AdminCode = {
  [C in ErrorCode]: (typeof ERROR_CODES)[C]["surface"] extends "admin" ? C : never;
}[ErrorCode];
export type AdminErrorStatus =
  | (typeof ERROR_TYPES)[(typeof ADMIN_ERROR_TYPES)[number]]
  | (typeof ERROR_CODES)[AdminCode]["status"];

/** Every status the admin API answers an error with, from the catalogue above. */
export const ADMIN_ERROR_STATUSES = [
  ...new Set<AdminErrorStatus>([
    ...ADMIN_ERROR_TYPES.map((type) => ERROR_TYPES[type]),
    ...Object.values(ERROR_CODES)
      .filter((entry) => entry.surface === "admin")
      .map((entry) => entry.status as AdminErrorStatus),
  ]),
].sort((a, b) => a - b);

/** The error responses every admin route can give; spread into a route's `response`. */
export const errorResponses = Object.fromEntries(
  ADMIN_ERROR_STATUSES.map((status) => [status, ErrorEnvelope]),
) as { readonly [S in AdminErrorStatus]: typeof ErrorEnvelope };
