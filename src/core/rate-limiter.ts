/**
 * Limits per minute (requests, input tokens, output tokens) per workspace and rate-limit group,
 * as token buckets like Anthropic's: capacity refills continuously (a 60 RPM limit admits one
 * request a second once the burst is spent), never resetting at fixed times. A take may be of
 * several units (a request's token bound); what was taken beyond the real use is given back
 * when the request ends. A port: memory for one node, Redis for several
 * (src/redis/rate-limiter.ts). The gateway limits workspaces with it, the core sign-in links.
 */
export interface RateDecision {
  allowed: boolean;
  limit: number;
  /** Whole units left in the bucket after this take. */
  remaining: number;
  /** When the bucket is full again (epoch ms). */
  resetAtMs: number;
  /** When refused: how long until the take fits (ms); past a full refill when it never does. */
  retryAfterMs: number;
}

export interface RateLimiter {
  /** Takes `amount` units (1 unless said) when they are all there; none otherwise. */
  take(
    bucket: string,
    perMinute: number,
    nowMs: number,
    amount?: number,
  ): RateDecision | Promise<RateDecision>;
  /**
   * Gives back `amount` units taken beyond the real use (a negative amount takes more, down to
   * empty), within the capacity. Never rejects: a failure leaves the bucket as it was.
   */
  give(bucket: string, perMinute: number, amount: number, nowMs: number): void | Promise<void>;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
  capacity: number;
}

export class MemoryRateLimiter implements RateLimiter {
  readonly #buckets = new Map<string, Bucket>();

  take(key: string, perMinute: number, nowMs: number, amount = 1): RateDecision {
    const capacity = perMinute;
    const ratePerMs = perMinute / 60_000;
    const bucket = this.#refilled(key, perMinute, nowMs);
    const allowed = bucket.tokens >= amount;
    if (allowed) {
      bucket.tokens -= amount;
    }
    const missing = capacity - bucket.tokens;
    return {
      allowed,
      limit: capacity,
      remaining: Math.max(0, Math.floor(bucket.tokens)),
      resetAtMs: ratePerMs > 0 ? nowMs + Math.ceil(missing / ratePerMs) : nowMs,
      retryAfterMs:
        allowed || ratePerMs === 0
          ? 0
          : Math.ceil((Math.min(amount, capacity + 1) - bucket.tokens) / ratePerMs),
    };
  }

  give(key: string, perMinute: number, amount: number, nowMs: number): void {
    const bucket = this.#refilled(key, perMinute, nowMs);
    bucket.tokens = Math.max(0, Math.min(bucket.capacity, bucket.tokens + amount));
  }

  /** The bucket, refilled to `nowMs` (a new one is full). */
  #refilled(key: string, perMinute: number, nowMs: number): Bucket {
    const capacity = perMinute;
    const ratePerMs = perMinute / 60_000;
    let bucket = this.#buckets.get(key);
    if (!bucket) {
      bucket = { tokens: capacity, updatedAt: nowMs, capacity };
      this.#buckets.set(key, bucket);
    }
    if (bucket.capacity !== capacity) {
      // The limit changed: keep what was spent, within the new capacity. Never below empty: a
      // lowered limit must not leave a debt that takes longer than a full refill to pay back.
      bucket.tokens = Math.max(0, Math.min(capacity, bucket.tokens + (capacity - bucket.capacity)));
      bucket.capacity = capacity;
    }
    const elapsed = Math.max(0, nowMs - bucket.updatedAt);
    bucket.tokens = Math.min(capacity, bucket.tokens + elapsed * ratePerMs);
    bucket.updatedAt = nowMs;
    return bucket;
  }
}
