import ipaddr from "ipaddr.js";
import { Counter, type Registry } from "prom-client";
import { AppError } from "../errors.js";
import type { Clock } from "../ports.js";
import type { AuthFailureRow } from "../records.js";
import type { Storage } from "../storage.js";

/** Why an admin key was refused; the label of `steward_admin_auth_failures_total`. */
export type AuthFailureReason =
  | "missing_key"
  | "unknown_key"
  | "api_key"
  | "revoked_key"
  | "expired_key"
  | "suspended_key";

const REASONS: readonly AuthFailureReason[] = [
  "missing_key",
  "unknown_key",
  "api_key",
  "revoked_key",
  "expired_key",
  "suspended_key",
];

export interface AuthFailureOptions {
  /** Failed attempts one address may make in a window before the rest are refused with 429. */
  limit: number;
  windowMs: number;
  /** Aggregated rows are deleted after this many days. */
  retentionDays: number;
  /** Most addresses followed at once (throttle state, and rows waiting to be written per minute). */
  maxAddresses: number;
  /** Most distinct known keys audited per address and window. */
  maxAuditedKeysPerAddress: number;
}

export const DEFAULT_AUTH_FAILURE_OPTIONS: AuthFailureOptions = {
  limit: 20,
  windowMs: 60_000,
  retentionDays: 30,
  maxAddresses: 10_000,
  maxAuditedKeysPerAddress: 16,
};

/** The address failures are counted under when the table of addresses is full. */
export const OVERFLOW_ADDRESS = "other";

/**
 * A refusal of a failed attempt from an address over its limit: a 429 with `retry-after`. It is
 * given only for attempts that failed anyway, so it tells an attacker nothing a 401 would not.
 */
export class AuthThrottledError extends AppError {
  readonly retryAfterSeconds: number;
  constructor(retryAfterSeconds: number) {
    super(
      "rate_limit_error",
      `too many failed authentication attempts from this address; retry after ${retryAfterSeconds} s with a valid admin key`,
    );
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** What the caller should do with a failure it just reported. */
export interface FailureVerdict {
  /** Answer 429 (this error) instead of the failure's own error. */
  throttled: AuthThrottledError | undefined;
  /** Write the failure's own audit record (a known key's first failure from here this window). */
  audit: boolean;
}

interface AddressWindow {
  startMs: number;
  failures: number;
  auditedKeys: Set<string> | undefined;
}

interface PendingRow {
  minute: string;
  address: string;
  failures: number;
  throttled: number;
  firstAt: string;
  lastAt: string;
  lastReason: AuthFailureReason;
}

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * 60 * 1000;
const PRUNE_EVERY_MS = 60 * 60 * 1000;

/**
 * The address failures are counted under: an IPv4 address, or the /64 of an IPv6 address (a
 * single host commonly holds a whole /64, so counting its addresses apart would let it escape
 * both the limit and the bound on records). IPv4-mapped IPv6 counts as IPv4.
 */
export function failureAddressOf(clientIp: string | null): string {
  if (clientIp === null || clientIp === "") {
    return "unknown";
  }
  try {
    const address = ipaddr.process(clientIp);
    if (address.kind() === "ipv4") {
      return address.toString();
    }
    return `${ipaddr.IPv6.networkAddressFromCIDR(`${address.toString()}/64`).toString()}/64`;
  } catch {
    return clientIp.slice(0, 64);
  }
}

/**
 * Failed admin authentication: counted (metrics by reason; per address in memory and in the
 * `auth_failures` table, one row per address and minute), and throttled per address. Memory is
 * bounded: at most `maxAddresses` addresses are followed (the least recently failing is
 * forgotten first) and at most `maxAddresses` rows wait per flush (the rest are summed under
 * `other`). Valid keys never reach this class, so they are never slowed or refused.
 */
export class AuthFailures {
  readonly options: AuthFailureOptions;
  readonly #clock: Clock;
  readonly #store: Storage;
  readonly #windows = new Map<string, AddressWindow>();
  #pending = new Map<string, PendingRow>();
  readonly #counts = new Map<AuthFailureReason, number>(REASONS.map((r) => [r, 0]));
  #throttledCount = 0;
  #lastPruneMs = Number.NEGATIVE_INFINITY;
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> | undefined;

  constructor(store: Storage, clock: Clock, options: Partial<AuthFailureOptions> = {}) {
    this.#store = store;
    this.#clock = clock;
    this.options = { ...DEFAULT_AUTH_FAILURE_OPTIONS, ...options };
  }

  /** Failures counted by reason, and how many were answered 429 (for tests and /metrics). */
  get counts(): { byReason: Record<AuthFailureReason, number>; throttled: number } {
    return {
      byReason: Object.fromEntries(this.#counts) as Record<AuthFailureReason, number>,
      throttled: this.#throttledCount,
    };
  }

  /** Addresses followed now (bounded by `maxAddresses`). */
  get trackedAddresses(): number {
    return this.#windows.size;
  }

  /**
   * Counts a failed attempt from `clientIp`, and says whether to refuse it with a 429 and
   * whether its own audit record is due (`keyId`: the known key presented, if any).
   */
  fail(clientIp: string | null, reason: AuthFailureReason, keyId: string | null): FailureVerdict {
    const nowMs = this.#clock.now().getTime();
    const address = failureAddressOf(clientIp);
    const window = this.#windowOf(address, nowMs);
    window.failures++;
    const over = window.failures > this.options.limit;
    this.#counts.set(reason, (this.#counts.get(reason) ?? 0) + 1);
    if (over) {
      this.#throttledCount++;
    }
    this.#aggregate(address, nowMs, reason, over);
    let audit = false;
    if (!over && keyId !== null) {
      window.auditedKeys ??= new Set();
      if (
        !window.auditedKeys.has(keyId) &&
        window.auditedKeys.size < this.options.maxAuditedKeysPerAddress
      ) {
        window.auditedKeys.add(keyId);
        audit = true;
      }
    }
    const retryAfter = Math.max(
      1,
      Math.ceil((window.startMs + this.options.windowMs - nowMs) / 1000),
    );
    return { throttled: over ? new AuthThrottledError(retryAfter) : undefined, audit };
  }

  #windowOf(address: string, nowMs: number): AddressWindow {
    let window = this.#windows.get(address);
    if (window !== undefined && nowMs - window.startMs < this.options.windowMs) {
      // Most recently failing last: the first entry is the one to forget when full.
      this.#windows.delete(address);
      this.#windows.set(address, window);
      return window;
    }
    if (window !== undefined) {
      this.#windows.delete(address);
    } else if (this.#windows.size >= this.options.maxAddresses) {
      const oldest = this.#windows.keys().next().value;
      if (oldest !== undefined) {
        this.#windows.delete(oldest);
      }
    }
    window = { startMs: nowMs, failures: 0, auditedKeys: undefined };
    this.#windows.set(address, window);
    return window;
  }

  #aggregate(from: string, nowMs: number, reason: AuthFailureReason, throttled: boolean) {
    const minute = new Date(nowMs - (nowMs % MINUTE_MS)).toISOString();
    const at = new Date(nowMs).toISOString();
    let address = from;
    let key = `${minute} ${address}`;
    let row = this.#pending.get(key);
    if (row === undefined && this.#pending.size >= this.options.maxAddresses) {
      address = OVERFLOW_ADDRESS;
      key = `${minute} ${address}`;
      row = this.#pending.get(key);
    }
    if (row === undefined) {
      row = {
        minute,
        address,
        failures: 0,
        throttled: 0,
        firstAt: at,
        lastAt: at,
        lastReason: reason,
      };
      this.#pending.set(key, row);
    }
    row.failures++;
    row.throttled += throttled ? 1 : 0;
    row.lastAt = at;
    row.lastReason = reason;
  }

  /**
   * Writes the aggregated rows waiting (one per address and minute, added to what the table has)
   * and prunes rows past retention at most once an hour. On failure the rows are kept for the
   * next flush, as far as the bound allows.
   */
  flush(): Promise<void> {
    // One flush at a time: a second waits for the first, then writes what came since.
    const run = (this.#flushing ?? Promise.resolve()).then(() => this.#flushNow());
    const settled = run.then(
      () => {},
      () => {},
    );
    this.#flushing = settled;
    void settled.then(() => {
      if (this.#flushing === settled) {
        this.#flushing = undefined;
      }
    });
    return run;
  }

  async #flushNow(): Promise<void> {
    const nowMs = this.#clock.now().getTime();
    const batch = this.#pending;
    this.#pending = new Map();
    const rows: AuthFailureRow[] = [...batch.values()].map((r) => ({
      minute: r.minute,
      client_address: r.address,
      failures: r.failures,
      throttled: r.throttled,
      first_at: r.firstAt,
      last_at: r.lastAt,
      last_reason: r.lastReason,
    }));
    const prune = nowMs - this.#lastPruneMs >= PRUNE_EVERY_MS;
    const cutoff = new Date(nowMs - this.options.retentionDays * DAY_MS).toISOString();
    try {
      if (rows.length > 0 || prune) {
        await this.#store.transaction(async (repos) => {
          await repos.adminKeys.addAuthFailures(rows);
          if (prune) {
            await repos.adminKeys.pruneAuthFailures(cutoff);
          }
        });
      }
      if (prune) {
        this.#lastPruneMs = nowMs;
      }
    } catch (error) {
      for (const [key, row] of batch) {
        const newer = this.#pending.get(key);
        if (newer !== undefined) {
          newer.failures += row.failures;
          newer.throttled += row.throttled;
          newer.firstAt = row.firstAt;
        } else if (this.#pending.size < this.options.maxAddresses) {
          this.#pending.set(key, row);
        }
      }
      throw error;
    }
  }

  /** Flushes every `intervalMs` until `stop`; a failed flush is reported and retried. */
  start(intervalMs: number, onError: (error: unknown) => void): void {
    if (this.#timer !== undefined) {
      return;
    }
    this.#timer = setInterval(() => {
      this.flush().catch(onError);
    }, intervalMs);
    this.#timer.unref();
  }

  /** Stops the timer and writes what is waiting. */
  async close(): Promise<void> {
    if (this.#timer !== undefined) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
    await this.flush();
  }

  /**
   * Registers the counters on a Prometheus registry (the app's /metrics). Per address counts are
   * not labels, which would let an attacker grow the series without bound: they are in the
   * `auth_failures` table.
   */
  registerMetrics(registry: Registry): void {
    const self = this;
    new Counter({
      name: "steward_admin_auth_failures_total",
      help: "Failed admin key authentications, by reason (per address: the auth_failures table)",
      labelNames: ["reason"] as const,
      registers: [registry],
      collect() {
        this.reset();
        for (const [reason, count] of self.#counts) {
          this.inc({ reason }, count);
        }
      },
    });
    new Counter({
      name: "steward_admin_auth_throttled_total",
      help: "Failed admin key authentications answered 429: their address was over AUTH_FAILURE_LIMIT",
      registers: [registry],
      collect() {
        this.reset();
        this.inc(self.#throttledCount);
      },
    });
  }
}
