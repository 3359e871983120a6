import { ERROR_TYPES, type ErrorCode, type ErrorType } from "../contract/errors.js";
import { hashSecret } from "../core/secrets.js";
import { addressAllowed, type GatewayState } from "./gateway-state.js";
import type { Rates } from "./group-limits.js";
import type { KeyEntry } from "./key-index.js";

export type RefusalReason =
  | "missing_key"
  | "invalid_key"
  | "inactive_key"
  | "expired_key"
  | "ip_not_allowed"
  | "rate_limited"
  | "spend_limit"
  | "bad_request";

export interface Refusal {
  ok: false;
  reason: RefusalReason;
  type: ErrorType;
  status: number;
  message: string;
  errorCode?: ErrorCode;
  /** The limits' decisions so far, for the refusal's headers. */
  rates?: Rates | undefined;
  /** A rate limit's refusal: when the request would fit. */
  retryAfterMs?: number | undefined;
  /** The key, when the refusal came after it was found (for the access log). */
  key?: KeyEntry | undefined;
}

export interface Admitted {
  ok: true;
  key: KeyEntry;
  /** The decisions of the workspace's limits in the request's group, once taken. */
  rates: Rates | undefined;
}

/** A refusal answered with its type's status (the catalogue's, src/contract/errors.ts). */
export const refuse = (
  reason: RefusalReason,
  type: ErrorType,
  message: string,
  extra: Partial<Refusal> = {},
): Refusal => ({ ok: false, reason, type, status: ERROR_TYPES[type], message, ...extra });

// Hashing the presented key is the costliest step of admission; clients send the same few keys
// again and again. A bounded map remembers recent hashes (it holds keys already in memory for
// every request that uses them).
// Trick: saves a SHA-256 per request (bench/README.md#gateway-tricks).
const HASH_CACHE_LIMIT = 10_000;
const hashes = new Map<string, string>();

function hashOf(presentedKey: string): string {
  let hash = hashes.get(presentedKey);
  if (hash === undefined) {
    hash = hashSecret(presentedKey);
    if (hashes.size >= HASH_CACHE_LIMIT) {
      hashes.clear();
    }
    hashes.set(presentedKey, hash);
  }
  return hash;
}

/**
 * The checks every gateway request passes, in order: the key (unknown, inactive, archived or
 * expired is a 401), then the organization's IP allow-list (403). The workspace's rate limits
 * (429) and spend are checked after, by the caller, once the body names the request's model
 * (src/gateway/group-limits.ts). Refusals are values, not exceptions: this runs on every request.
 */
export function admit(
  state: GatewayState,
  presentedKey: string | undefined,
  clientIp: string,
  nowMs: number,
): Admitted | Refusal {
  if (presentedKey === undefined) {
    return refuse("missing_key", "authentication_error", "x-api-key header is required");
  }
  const key = state.keys.get(hashOf(presentedKey));
  if (!key) {
    return refuse("invalid_key", "authentication_error", "invalid x-api-key");
  }
  if (key.status !== "active") {
    return refuse("inactive_key", "authentication_error", "this API key is inactive");
  }
  if (key.expiresAt !== null && key.expiresAt <= nowMs) {
    return refuse("expired_key", "authentication_error", "this API key has expired");
  }
  const organization = state.organization(key.organizationId);
  const workspace = state.workspace(key.workspaceId);
  if (!organization || !workspace || workspace.archived) {
    return refuse("invalid_key", "authentication_error", "invalid x-api-key");
  }
  if (!addressAllowed(clientIp, organization.allowedRanges)) {
    return refuse(
      "ip_not_allowed",
      "permission_error",
      `requests from ${clientIp} are not allowed by this organization's IP allow-list`,
      { key },
    );
  }
  return { ok: true, key, rates: undefined };
}

export function isPromiseLike<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as PromiseLike<T> | null)?.then === "function";
}
