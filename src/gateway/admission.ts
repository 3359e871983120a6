import { ERROR_TYPES, type ErrorCode, type ErrorType } from "../contract/errors.js";
import { hashSecret } from "../core/secrets.js";
import { addressAllowed, type GatewayState } from "./gateway-state.js";
import type { KeyEntry } from "./key-index.js";
import type { RateDecision, RateLimiter } from "./rate-limiter.js";

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
  rate?: RateDecision | undefined;
  /** The key, when the refusal came after it was found (for the access log). */
  key?: KeyEntry | undefined;
}

export interface Admitted {
  ok: true;
  key: KeyEntry;
  /** Present when the workspace has a requests-per-minute limit. */
  rate: RateDecision | undefined;
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
 * expired is a 401), the organization's IP allow-list (403), then the workspace's requests per
 * minute (429). Spend is checked after, by the caller, once the body says what the request may
 * cost. Refusals are values, not exceptions: this runs on every request. The answer is a promise
 * only when the rate limiter's is (a shared limiter); the in-memory one answers at once.
 */
export function admit(
  state: GatewayState,
  limiter: RateLimiter,
  presentedKey: string | undefined,
  clientIp: string,
  nowMs: number,
): Admitted | Refusal | Promise<Admitted | Refusal> {
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
  const perMinute = workspace.requestsPerMinute;
  if (perMinute === null) {
    return { ok: true, key, rate: undefined };
  }
  const rate = limiter.take(`ws:${workspace.id}`, perMinute, nowMs);
  if (isPromiseLike(rate)) {
    return Promise.resolve(rate).then((decided) => rated(key, perMinute, decided));
  }
  return rated(key, perMinute, rate);
}

export function isPromiseLike<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as PromiseLike<T> | null)?.then === "function";
}

function rated(key: KeyEntry, perMinute: number, rate: RateDecision): Admitted | Refusal {
  if (!rate.allowed) {
    return refuse(
      "rate_limited",
      "rate_limit_error",
      `this workspace's limit of ${perMinute} requests per minute is reached`,
      { rate, key },
    );
  }
  return { ok: true, key, rate };
}
