/**
 * Requests per minute per workspace, as a token bucket like Anthropic's: capacity refills
 * continuously (a 60 RPM limit admits one request a second once the burst is spent), never
 * resetting at fixed times. A port: memory for one node; Redis for several
 * (src/redis/rate-limiter.ts). The gateway limits workspaces with it, the core sign-in links.
 */
export interface RateDecision {
  allowed: boolean;
  limit: number;
  /** Whole requests left in the bucket after this one. */
  remaining: number;
  /** When the bucket is full again (epoch ms). */
  resetAtMs: number;
  /** When refused: how long until one request fits (ms). */
  retryAfterMs: number;
}

export interface RateLimiter {
  take(bucket: string, perMinute: number, nowMs: number): RateDecision | Promise<RateDecision>;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
  capacity: number;
}

export class MemoryRateLimiter implements RateLimiter {
  readonly #buckets = new Map<string, Bucket>();

  take(key: string, perMinute: number, nowMs: number): RateDecision {
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
    const allowed = bucket.tokens >= 1;
    if (allowed) {
      bucket.tokens -= 1;
    }
    const missing = capacity - bucket.tokens;
    return {
      allowed,
      limit: capacity,
      remaining: Math.max(0, Math.floor(bucket.tokens)),
      resetAtMs: ratePerMs > 0 ? nowMs + Math.ceil(missing / ratePerMs) : nowMs,
      retryAfterMs: allowed || ratePerMs === 0 ? 0 : Math.ceil((1 - bucket.tokens) / ratePerMs),
    };
  }
}
