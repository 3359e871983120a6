/**
 * The requests-per-minute token bucket of src/gateway/rate-limiter.ts, kept in Redis so that
 * every node takes from one bucket per workspace (60 RPM over three nodes is a burst of 60, not
 * 180). One Lua script reads, refills, takes and writes the bucket atomically: the same
 * arithmetic as MemoryRateLimiter, on the same doubles (stored with 17 significant digits, so
 * nothing is rounded between calls), so both answer the same RateDecision for the same calls
 * (test/rate-limiter-contract.test.ts).
 *
 * One difference, for several clocks: a bucket's time never moves back by less than
 * MAX_CLOCK_SKEW_MS. Nodes' clocks differ a little; were the bucket to take each caller's time,
 * every call from a node behind the others would give the next call from one ahead a refill of
 * the difference again. A larger step back is taken as the time (a clock that was set back).
 *
 * Failures are the caller's: a call rejects when Redis is down or does not answer within the
 * connection's command timeout (src/gateway/shared-rate-limiter.ts answers locally then).
 */
import { createHash } from "node:crypto";
import type { RateDecision, RateLimiter } from "../gateway/rate-limiter.js";
import type { SharedRedis } from "./connection.js";

/** Clock differences between nodes that a shared bucket absorbs. */
export const MAX_CLOCK_SKEW_MS = 1_000;

/**
 * An untouched bucket is full again after 60 s whatever its limit (capacity `perMinute`, refilled
 * at `perMinute` a minute), and a full bucket answers as a missing one: it may then vanish.
 */
const IDLE_EXPIRY_MS = 60_000 + MAX_CLOCK_SKEW_MS;

// KEYS[1]: the bucket, a hash of tokens (t), the bucket's time (u) and its capacity (c).
// ARGV: perMinute, nowMs, max clock skew (ms), idle expiry (ms), amount.
// The bucket as it is now: refilled since its time, its capacity moved to the limit's (a missing
// bucket is full).
const REFILLED = `
local capacity = tonumber(ARGV[1])
local now = tonumber(ARGV[2])
local skew = tonumber(ARGV[3])
local amount = tonumber(ARGV[5])
local rate = capacity / 60000
local saved = redis.call('HMGET', KEYS[1], 't', 'u', 'c')
local tokens, updated, held = tonumber(saved[1]), tonumber(saved[2]), tonumber(saved[3])
if tokens == nil or updated == nil or held == nil then
  tokens, updated, held = capacity, now, capacity
end
if held ~= capacity then
  tokens = math.max(0, math.min(capacity, tokens + (capacity - held)))
end
local elapsed = math.max(0, now - updated)
tokens = math.min(capacity, tokens + elapsed * rate)
if now > updated or updated - now > skew then
  updated = now
end
`;
const SAVE = `
redis.call('HSET', KEYS[1], 't', string.format('%.17g', tokens), 'u', string.format('%.17g', updated), 'c', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
`;

// Takes `amount` when it is all there. Returns allowed (0/1), remaining, resetAtMs, retryAfterMs.
const TAKE_SCRIPT = `${REFILLED}
local allowed = 0
if tokens >= amount then
  allowed = 1
  tokens = tokens - amount
end
${SAVE}
local reset = now
if rate > 0 then
  reset = now + math.ceil((capacity - tokens) / rate)
end
local retry = 0
if allowed == 0 and rate > 0 then
  retry = math.ceil((math.min(amount, capacity + 1) - tokens) / rate)
end
return {allowed, math.max(0, math.floor(tokens)), string.format('%.17g', reset), string.format('%.17g', retry)}
`;

// Adds `amount` within [0, capacity]: what a request took beyond its real use given back.
const GIVE_SCRIPT = `${REFILLED}
tokens = math.max(0, math.min(capacity, tokens + amount))
${SAVE}
return 1
`;

const TAKE_SHA = createHash("sha1").update(TAKE_SCRIPT).digest("hex");
const GIVE_SHA = createHash("sha1").update(GIVE_SCRIPT).digest("hex");
const SKEW_ARG = String(MAX_CLOCK_SKEW_MS);

export interface RedisRateLimiterOptions {
  /**
   * How long an untouched bucket is kept: at least the time it takes to fill again. A caller
   * whose clock runs faster than real time (a limit per hour read as per "minute") keeps its
   * buckets for its real period. IDLE_EXPIRY_MS by default.
   */
  idleExpiryMs?: number;
}

export class RedisRateLimiter implements RateLimiter {
  readonly #expiryArg: string;

  constructor(
    private readonly redis: SharedRedis,
    options: RedisRateLimiterOptions = {},
  ) {
    this.#expiryArg = String(Math.max(IDLE_EXPIRY_MS, Math.ceil(options.idleExpiryMs ?? 0)));
  }

  async take(bucket: string, perMinute: number, nowMs: number, amount = 1): Promise<RateDecision> {
    const reply = await this.#evaluate(TAKE_SHA, TAKE_SCRIPT, this.redis.key(`rl:${bucket}`), [
      String(perMinute),
      String(nowMs),
      SKEW_ARG,
      this.#expiryArg,
      String(amount),
    ]);
    if (!Array.isArray(reply) || reply.length !== 4) {
      throw new Error(`redis rate limiter: unexpected reply ${JSON.stringify(reply)}`);
    }
    const allowed = Number(reply[0]) === 1;
    return {
      allowed,
      limit: perMinute,
      remaining: Number(reply[1]),
      resetAtMs: Number(reply[2]),
      retryAfterMs: Number(reply[3]),
    };
  }

  async give(bucket: string, perMinute: number, amount: number, nowMs: number): Promise<void> {
    await this.#evaluate(GIVE_SHA, GIVE_SCRIPT, this.redis.key(`rl:${bucket}`), [
      String(perMinute),
      String(nowMs),
      SKEW_ARG,
      this.#expiryArg,
      String(amount),
    ]);
  }

  /** EVALSHA, and EVAL once when Redis does not know the script (a restart, a flush). */
  async #evaluate(sha: string, script: string, key: string, args: string[]): Promise<unknown> {
    const { client } = this.redis;
    try {
      return await client.evalsha(sha, 1, key, ...args);
    } catch (error) {
      if (error instanceof Error && error.message.startsWith("NOSCRIPT")) {
        return client.eval(script, 1, key, ...args);
      }
      throw error;
    }
  }
}
