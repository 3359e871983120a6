/**
 * The rate limiter of a node that shares Redis with others, and its policy when Redis fails
 * (docs/scaling.md). While Redis is up, every node takes from one bucket per workspace in Redis
 * (src/redis/rate-limiter.ts). When it is down, or a call fails or times out, the node answers
 * from a bucket of its own holding its share of the limit, ceil(perMinute / liveNodes), with
 * liveNodes the last count Redis gave. A valid key is never refused because Redis failed, and
 * a Redis failure never reaches the client: the local answer is the answer.
 *
 * The bound while degraded, for a limit L over N nodes: each node admits at most ceil(L/N) a
 * minute (a burst of that, then ceil(L/N)/60 a second), so all together at most
 * N·ceil(L/N) ≤ L + N − 1 a minute. The local buckets start full when Redis fails (what was
 * taken from the Redis bucket is not known locally), so the minute Redis fails may admit up to
 * that much on top of what Redis had admitted. The count is the last one known: nodes started
 * while Redis is down count 1 (they admit the whole limit), and nodes gone meanwhile still count.
 *
 * Back to Redis, nothing is resynchronized: the Redis buckets kept the state they had and refill
 * by the time that passed, as every bucket does; what was admitted locally meanwhile is not
 * charged to them (it was bounded above), so nothing is counted twice.
 *
 * The hot path never waits on a Redis known to be failing: while the connection is down the
 * answer is local and synchronous, and after a failed call (a Redis that accepts connections but
 * does not answer: each call would wait the whole command timeout) the node answers locally for
 * RETRY_AFTER_FAILURE_MS before trying Redis again.
 */
import type { Logger } from "../core/logger.js";
import type { RedisState } from "../redis/connection.js";
import { MemoryRateLimiter, type RateDecision, type RateLimiter } from "./rate-limiter.js";

/** After a failed call, Redis is tried again this long after (in the callers' clock). */
export const RETRY_AFTER_FAILURE_MS = 1_000;

/** What the policy reads of the shared connection (src/redis/connection.ts: SharedRedis). */
export interface RedisHealth {
  readonly state: RedisState;
  readonly liveNodes: number;
}

export type FallbackReason = "down" | "failed";

export class DegradableRateLimiter implements RateLimiter {
  readonly #local = new MemoryRateLimiter();
  /** When the last call to Redis failed (callers' clock, ms); -Infinity when none did. */
  #failedAtMs = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly shared: RateLimiter,
    private readonly redis: RedisHealth,
    private readonly log: Logger,
    /** Counts every decision answered locally instead of by Redis. */
    private readonly onFallback: (reason: FallbackReason) => void = () => {},
  ) {}

  take(
    bucket: string,
    perMinute: number,
    nowMs: number,
    amount = 1,
  ): RateDecision | Promise<RateDecision> {
    if (this.#answersLocally(nowMs)) {
      return this.#locally(
        bucket,
        perMinute,
        nowMs,
        amount,
        this.redis.state !== "up" ? "down" : "failed",
      );
    }
    let decision: RateDecision | Promise<RateDecision>;
    try {
      decision = this.shared.take(bucket, perMinute, nowMs, amount);
    } catch (error) {
      return this.#failed(error, bucket, perMinute, nowMs, amount);
    }
    return Promise.resolve(decision).then(
      (decided) => {
        this.#failedAtMs = Number.NEGATIVE_INFINITY;
        return decided;
      },
      (error: unknown) => this.#failed(error, bucket, perMinute, nowMs, amount),
    );
  }

  /**
   * Gives back to Redis while it answers, else to this node's own bucket (where a take made while
   * degraded was taken from). A failure is only counted: the units stay taken.
   */
  give(bucket: string, perMinute: number, amount: number, nowMs: number): void | Promise<void> {
    if (this.#answersLocally(nowMs)) {
      this.#local.give(bucket, this.#share(perMinute), amount, nowMs);
      return;
    }
    let giving: void | Promise<void>;
    try {
      giving = this.shared.give(bucket, perMinute, amount, nowMs);
    } catch {
      this.#failedAtMs = nowMs;
      return;
    }
    return Promise.resolve(giving).catch(() => {
      this.#failedAtMs = nowMs;
    });
  }

  /** Whether to answer from this node's share: Redis is down, or failed a moment ago. */
  #answersLocally(nowMs: number): boolean {
    return (
      this.redis.state !== "up" ||
      (nowMs - this.#failedAtMs < RETRY_AFTER_FAILURE_MS && nowMs >= this.#failedAtMs)
    );
  }

  #share(perMinute: number): number {
    return Math.ceil(perMinute / Math.max(1, this.redis.liveNodes));
  }

  /** This node's share of the limit, from a bucket of its own. */
  #locally(
    bucket: string,
    perMinute: number,
    nowMs: number,
    amount: number,
    reason: FallbackReason,
  ): RateDecision {
    this.onFallback(reason);
    return this.#local.take(bucket, this.#share(perMinute), nowMs, amount);
  }

  #failed(
    error: unknown,
    bucket: string,
    perMinute: number,
    nowMs: number,
    amount: number,
  ): RateDecision {
    if (!(nowMs - this.#failedAtMs < RETRY_AFTER_FAILURE_MS)) {
      // Once per failing spell (at most once per RETRY_AFTER_FAILURE_MS), not per request.
      this.log.warn(
        { err: error, liveNodes: this.redis.liveNodes },
        "rate limiter: a Redis call failed; answering from this node's share of each limit",
      );
    }
    this.#failedAtMs = nowMs;
    return this.#locally(bucket, perMinute, nowMs, amount, "failed");
  }
}
