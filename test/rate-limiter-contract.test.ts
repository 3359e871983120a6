/**
 * The rate limiter's contract, run against each implementation: the in-memory token bucket (one
 * node) and the Redis one (several nodes; its leg runs when TEST_REDIS_URL is set). Then what only
 * the shared one promises: several nodes take from one bucket, and its degraded policy answers
 * from this node's share without waiting on a Redis that is down or does not answer.
 * Times are fixed numbers passed in, never the wall clock.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { silentLogger } from "../src/core/logger.js";
import {
  MemoryRateLimiter,
  type RateDecision,
  type RateLimiter,
} from "../src/gateway/rate-limiter.js";
import {
  DegradableRateLimiter,
  type FallbackReason,
  RETRY_AFTER_FAILURE_MS,
} from "../src/gateway/shared-rate-limiter.js";
import type { SharedRedis } from "../src/redis/connection.js";
import { MAX_CLOCK_SKEW_MS, RedisRateLimiter } from "../src/redis/rate-limiter.js";
import { until } from "./gateway-support.js";
import {
  closedPort,
  deleteRedisKeys,
  startSharedRedis,
  TEST_REDIS_URL,
  uniqueRedisPrefix,
} from "./support/redis-fixtures.js";
import { startTcpProxy, type TcpProxy } from "./support/tcp-proxy.js";

const T0 = Date.parse("2026-01-15T12:00:00.000Z");
let buckets = 0;
/** A bucket no other test (or leg, or run: the Redis prefix is the run's) has touched. */
const freshBucket = () => `ws:contract_${++buckets}`;

const take = (limiter: RateLimiter, bucket: string, perMinute: number, atMs: number) =>
  Promise.resolve(limiter.take(bucket, perMinute, T0 + atMs));

/** A decision with resetAtMs relative to T0, as the expectations are written. */
const relative = (decision: RateDecision) => ({ ...decision, resetAtMs: decision.resetAtMs - T0 });

interface Leg {
  name: string;
  skip: boolean;
  /** The limiter under test; the same one for a whole suite (each test uses fresh buckets). */
  start(): Promise<{ limiter: RateLimiter; close(): Promise<void> }>;
}

const redisLegName = TEST_REDIS_URL
  ? "RedisRateLimiter"
  : "RedisRateLimiter (SKIPPED: set TEST_REDIS_URL to run it)";

const LEGS: Leg[] = [
  {
    name: "MemoryRateLimiter",
    skip: false,
    start: async () => ({ limiter: new MemoryRateLimiter(), close: async () => {} }),
  },
  {
    name: redisLegName,
    skip: TEST_REDIS_URL === undefined,
    async start() {
      const url = TEST_REDIS_URL as string;
      const prefix = uniqueRedisPrefix();
      const redis = await startSharedRedis(url, { prefix });
      return {
        limiter: new RedisRateLimiter(redis),
        async close() {
          await redis.close();
          await deleteRedisKeys(url, prefix);
        },
      };
    },
  },
];

for (const leg of LEGS) {
  describe.skipIf(leg.skip)(`rate limiter contract: ${leg.name}`, () => {
    let limiter: RateLimiter;
    let close: () => Promise<void> = async () => {};
    beforeAll(async () => {
      ({ limiter, close } = await leg.start());
    });
    afterAll(() => close());

    it("admits a burst of the limit, then refuses, saying when one request fits again", async () => {
      const bucket = freshBucket();
      const admitted: RateDecision[] = [];
      for (let i = 0; i < 10; i++) {
        admitted.push(await take(limiter, bucket, 10, 0));
      }
      expect(relative(admitted[0] as RateDecision)).toEqual({
        allowed: true,
        limit: 10,
        remaining: 9,
        resetAtMs: 6_000,
        retryAfterMs: 0,
      });
      expect(admitted.map((decision) => [decision.allowed, decision.remaining])).toEqual(
        Array.from({ length: 10 }, (_, i) => [true, 9 - i]),
      );
      expect(relative(await take(limiter, bucket, 10, 0))).toEqual({
        allowed: false,
        limit: 10,
        remaining: 0,
        resetAtMs: 60_000,
        retryAfterMs: 6_000,
      });
    });

    it("takes a token bound whole or not at all, and gives back what was not used", async () => {
      const bucket = freshBucket();
      const at = (ms: number) => T0 + ms;
      // 6,000 tokens a minute: 100 a second.
      expect(relative(await Promise.resolve(limiter.take(bucket, 6_000, at(0), 4_000)))).toEqual({
        allowed: true,
        limit: 6_000,
        remaining: 2_000,
        resetAtMs: 40_000,
        retryAfterMs: 0,
      });
      // 2,500 do not fit in 2,000: nothing is taken, and they fit in 5 s.
      expect(relative(await Promise.resolve(limiter.take(bucket, 6_000, at(0), 2_500)))).toEqual({
        allowed: false,
        limit: 6_000,
        remaining: 2_000,
        resetAtMs: 40_000,
        retryAfterMs: 5_000,
      });
      // The request used 1,000 of its 4,000: 3,000 come back.
      await limiter.give(bucket, 6_000, 3_000, at(0));
      expect(relative(await Promise.resolve(limiter.take(bucket, 6_000, at(0), 2_500)))).toEqual({
        allowed: true,
        limit: 6_000,
        remaining: 2_500,
        resetAtMs: 35_000,
        retryAfterMs: 0,
      });
      // Given back beyond the capacity: full, no more; taken beyond what is left: empty.
      await limiter.give(bucket, 6_000, 1_000_000, at(0));
      expect((await Promise.resolve(limiter.take(bucket, 6_000, at(0), 6_000))).allowed).toBe(true);
      await limiter.give(bucket, 6_000, -1_000_000, at(0));
      expect(relative(await Promise.resolve(limiter.take(bucket, 6_000, at(0), 1)))).toMatchObject({
        allowed: false,
        remaining: 0,
        retryAfterMs: 10,
      });
      // A bound above the limit never fits.
      expect(
        (await Promise.resolve(limiter.take(freshBucket(), 6_000, at(0), 6_001))).allowed,
      ).toBe(false);
    });

    it("refills continuously, one request at a time, never above the limit", async () => {
      const bucket = freshBucket();
      for (let i = 0; i < 60; i++) {
        expect((await take(limiter, bucket, 60, 0)).allowed).toBe(true);
      }
      expect(relative(await take(limiter, bucket, 60, 500))).toEqual({
        allowed: false,
        limit: 60,
        remaining: 0,
        resetAtMs: 60_000,
        retryAfterMs: 500,
      });
      expect(relative(await take(limiter, bucket, 60, 1_000))).toEqual({
        allowed: true,
        limit: 60,
        remaining: 0,
        resetAtMs: 61_000,
        retryAfterMs: 0,
      });
      expect((await take(limiter, bucket, 60, 1_000)).allowed).toBe(false);
      // Half a minute refills half the bucket; ten minutes no more than all of it.
      expect(relative(await take(limiter, bucket, 60, 31_000))).toMatchObject({
        allowed: true,
        remaining: 29,
        resetAtMs: 62_000,
      });
      expect(relative(await take(limiter, bucket, 60, 600_000))).toMatchObject({
        allowed: true,
        remaining: 59,
        resetAtMs: 601_000,
      });
    });

    it("keeps what was spent when the limit is lowered, never below empty", async () => {
      const bucket = freshBucket();
      for (let i = 0; i < 30; i++) {
        await take(limiter, bucket, 100, 0);
      }
      // 70 left of 100; at 50 the 50 spent stay spent: 20 left, one taken.
      expect(relative(await take(limiter, bucket, 50, 0))).toEqual({
        allowed: true,
        limit: 50,
        remaining: 19,
        resetAtMs: 37_200,
        retryAfterMs: 0,
      });
      // Lowered below what was spent: empty, not in debt; one request fits after 6 s at 10 RPM.
      expect(relative(await take(limiter, bucket, 10, 0))).toEqual({
        allowed: false,
        limit: 10,
        remaining: 0,
        resetAtMs: 60_000,
        retryAfterMs: 6_000,
      });
      expect(relative(await take(limiter, bucket, 10, 3_000))).toMatchObject({
        allowed: false,
        retryAfterMs: 3_000,
      });
    });

    it("gives the difference at once when the limit is raised", async () => {
      const bucket = freshBucket();
      for (let i = 0; i < 10; i++) {
        await take(limiter, bucket, 10, 0);
      }
      expect((await take(limiter, bucket, 10, 3_000)).allowed).toBe(false);
      // Half a token at 3 s, plus the 10 the raise adds: 10.5, one taken.
      expect(relative(await take(limiter, bucket, 20, 3_000))).toEqual({
        allowed: true,
        limit: 20,
        remaining: 9,
        resetAtMs: 34_500,
        retryAfterMs: 0,
      });
    });

    it("keeps each bucket apart", async () => {
      const spent = freshBucket();
      const untouched = freshBucket();
      for (let i = 0; i < 5; i++) {
        await take(limiter, spent, 5, 0);
      }
      expect((await take(limiter, spent, 5, 0)).allowed).toBe(false);
      expect(await take(limiter, untouched, 5, 0)).toMatchObject({ allowed: true, remaining: 4 });
    });

    it("refuses everything at a limit of 0", async () => {
      expect(relative(await take(limiter, freshBucket(), 0, 0))).toEqual({
        allowed: false,
        limit: 0,
        remaining: 0,
        resetAtMs: 0,
        retryAfterMs: 0,
      });
    });
  });
}

describe.skipIf(TEST_REDIS_URL === undefined)(
  TEST_REDIS_URL
    ? "RedisRateLimiter across nodes"
    : "RedisRateLimiter across nodes (SKIPPED: set TEST_REDIS_URL to run it)",
  () => {
    const url = TEST_REDIS_URL as string;
    const prefix = uniqueRedisPrefix();
    const opened: SharedRedis[] = [];
    const node = async () => {
      const redis = await startSharedRedis(url, { prefix, heartbeatIntervalMs: 50 });
      opened.push(redis);
      return redis;
    };
    afterAll(async () => {
      await Promise.all(opened.map((redis) => redis.close()));
      await deleteRedisKeys(url, prefix);
    });

    it("admits exactly 60 of 200 concurrent requests over three nodes at 60 RPM", async () => {
      const nodes = await Promise.all([node(), node(), node()]);
      const limiters = nodes.map((redis) => new RedisRateLimiter(redis));
      const bucket = freshBucket();
      const decisions = await Promise.all(
        Array.from({ length: 200 }, (_, i) => take(limiters[i % 3] as RateLimiter, bucket, 60, 0)),
      );
      expect(decisions.filter((decision) => decision.allowed)).toHaveLength(60);
      // Each whole token went to exactly one request.
      const remaining = decisions.filter((d) => d.allowed).map((d) => d.remaining);
      expect(remaining.sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, i) => i));
    });

    it("answers as the in-memory bucket does, call for call, over a long run of odd times and limits", async () => {
      const limiter = new RedisRateLimiter(await node());
      const reference = new MemoryRateLimiter();
      // A fixed pseudo-random walk: fractions of tokens, limits changed up and down, bursts.
      let seed = 24;
      const next = (n: number) => {
        seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
        return seed % n;
      };
      const limits = [7, 60, 61, 1_000, 3];
      let at = 0;
      let perMinute = 60;
      const bucket = freshBucket();
      for (let i = 0; i < 400; i++) {
        if (next(20) === 0) {
          perMinute = limits[next(limits.length)] as number;
        }
        at += next(4) === 0 ? next(5_000) : next(37);
        const expected = reference.take(bucket, perMinute, T0 + at);
        expect(await take(limiter, bucket, perMinute, at)).toEqual(expected);
      }
    });

    it("lets an idle bucket expire, once it would be full again anyway", async () => {
      const redis = await node();
      const bucket = freshBucket();
      await take(new RedisRateLimiter(redis), bucket, 60, 0);
      const ttl = await redis.client.pttl(redis.key(`rl:${bucket}`));
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(60_000 + MAX_CLOCK_SKEW_MS);
    });

    it("does not refill twice when nodes' clocks differ a little", async () => {
      const [ahead, behind] = [
        new RedisRateLimiter(await node()),
        new RedisRateLimiter(await node()),
      ];
      const bucket = freshBucket();
      for (let i = 0; i < 60; i++) {
        await take(ahead, bucket, 60, 0);
      }
      // A node 900 ms behind the others: its call does not move the bucket's time back...
      expect((await take(behind, bucket, 60, -900)).allowed).toBe(false);
      // ...so 100 ms later, by the first node's clock, 0.1 of a request has refilled, not 1.
      expect(await take(ahead, bucket, 60, 100)).toMatchObject({
        allowed: false,
        retryAfterMs: 900,
      });
    });

    it("loads the script again when Redis has forgotten it (NOSCRIPT)", async () => {
      const redis = await node();
      const forgotten = Object.assign(new Error("NOSCRIPT No matching script. Use EVAL."), {
        name: "ReplyError",
      });
      const evalsha = vi.spyOn(redis.client, "evalsha").mockRejectedValueOnce(forgotten);
      const evaluate = vi.spyOn(redis.client, "eval");
      expect(await take(new RedisRateLimiter(redis), freshBucket(), 60, 0)).toMatchObject({
        allowed: true,
        remaining: 59,
      });
      expect(evalsha).toHaveBeenCalledTimes(1);
      expect(evaluate).toHaveBeenCalledTimes(1);
    });
  },
);

/** The limiter Redis would answer through, counting calls and their failures. */
class CountingLimiter implements RateLimiter {
  calls = 0;
  failures: unknown[] = [];
  constructor(private readonly inner: RateLimiter) {}
  take(bucket: string, perMinute: number, nowMs: number, amount?: number): Promise<RateDecision> {
    this.calls += 1;
    return Promise.resolve(this.inner.take(bucket, perMinute, nowMs, amount)).catch(
      (error: unknown) => {
        this.failures.push(error);
        throw error;
      },
    );
  }
  give(bucket: string, perMinute: number, amount: number, nowMs: number): Promise<void> {
    this.calls += 1;
    return Promise.resolve(this.inner.give(bucket, perMinute, amount, nowMs));
  }
}

function degradable(redis: SharedRedis) {
  const shared = new CountingLimiter(new RedisRateLimiter(redis));
  const fallbacks: FallbackReason[] = [];
  const limiter = new DegradableRateLimiter(shared, redis, silentLogger, (reason) =>
    fallbacks.push(reason),
  );
  return { limiter, shared, fallbacks };
}

describe("DegradableRateLimiter with Redis down", () => {
  it("answers at once from the whole limit when Redis never answered (one node known)", async () => {
    const redis = await startSharedRedis(`redis://127.0.0.1:${await closedPort()}`, {
      prefix: uniqueRedisPrefix(),
      connectTimeoutMs: 500,
    });
    try {
      expect(redis.state).toBe("down");
      const { limiter, shared, fallbacks } = degradable(redis);
      const bucket = freshBucket();
      const decisions: RateDecision[] = [];
      for (let i = 0; i < 11; i++) {
        const decision = limiter.take(bucket, 10, T0);
        // Synchronous: the request did not wait on Redis.
        expect(decision).not.toBeInstanceOf(Promise);
        decisions.push(decision as RateDecision);
      }
      expect(decisions.filter((decision) => decision.allowed)).toHaveLength(10);
      expect(decisions[10]).toMatchObject({ allowed: false, limit: 10, retryAfterMs: 6_000 });
      expect(shared.calls).toBe(0);
      expect(fallbacks).toEqual(Array(11).fill("down"));

      // A token bound taken locally is given back to the local bucket, at once, Redis untouched.
      const tokens = freshBucket();
      expect((limiter.take(tokens, 600, T0, 500) as RateDecision).remaining).toBe(100);
      expect(limiter.give(tokens, 600, 400, T0)).toBeUndefined();
      expect((limiter.take(tokens, 600, T0, 500) as RateDecision).allowed).toBe(true);
      expect(shared.calls).toBe(0);
    } finally {
      await redis.close();
    }
  });
});

describe.skipIf(TEST_REDIS_URL === undefined)(
  TEST_REDIS_URL
    ? "DegradableRateLimiter against a Redis that fails"
    : "DegradableRateLimiter against a Redis that fails (SKIPPED: set TEST_REDIS_URL to run it)",
  () => {
    const url = TEST_REDIS_URL as string;
    const prefix = uniqueRedisPrefix();
    const opened: SharedRedis[] = [];
    let proxy: TcpProxy;
    beforeAll(async () => {
      const target = new URL(url);
      proxy = await startTcpProxy(target.hostname, Number(target.port || 6379));
    });
    afterAll(async () => {
      await Promise.all(opened.map((redis) => redis.close()));
      await proxy.close();
      await deleteRedisKeys(url, prefix);
    });
    const node = async (via: string, commandTimeoutMs = 250) => {
      // Beats far apart enough that a busy machine does not make a node look gone.
      const redis = await startSharedRedis(via, {
        prefix,
        heartbeatIntervalMs: 300,
        commandTimeoutMs,
      });
      opened.push(redis);
      return redis;
    };

    it("enforces this node's share of the limit, ceil(limit / nodes), once its Redis is gone", async () => {
      proxy.restore();
      const others = [await node(url), await node(url)];
      const cutOff = await node(proxy.urlFor(url));
      await until(() => cutOff.liveNodes === 3, "three live nodes counted", 10_000);
      const { limiter, shared, fallbacks } = degradable(cutOff);
      const bucket = freshBucket();
      // Up: the shared bucket answers.
      expect(await take(limiter, bucket, 60, 0)).toMatchObject({ allowed: true, remaining: 59 });
      expect(shared.calls).toBe(1);

      proxy.cut();
      await until(() => cutOff.state === "down", "the connection seen down", 10_000);
      const decisions: RateDecision[] = [];
      for (let i = 0; i < 21; i++) {
        const decision = limiter.take(bucket, 60, T0 + 1);
        expect(decision).not.toBeInstanceOf(Promise);
        decisions.push(decision as RateDecision);
      }
      expect(decisions.filter((decision) => decision.allowed)).toHaveLength(20);
      expect(decisions[20]).toMatchObject({ allowed: false, limit: 20, retryAfterMs: 3_000 });
      expect(shared.calls).toBe(1);
      expect(fallbacks).toEqual(Array(21).fill("down"));
      // The other nodes still share the Redis bucket, untouched by this node's local answers.
      expect(
        await take(new RedisRateLimiter(others[0] as SharedRedis), bucket, 60, 1),
      ).toMatchObject({ allowed: true, remaining: 58 });

      // Back: the Redis bucket answers again, as it was (refilled by the time passed), no resync.
      proxy.restore();
      await until(() => cutOff.state === "up", "the connection back up", 10_000);
      expect(await take(limiter, bucket, 60, 1)).toMatchObject({
        allowed: true,
        remaining: 57,
      });
      expect(shared.calls).toBe(2);
    });

    it("falls back within the command timeout when Redis stops answering, then stops asking for a while", async () => {
      proxy.restore();
      const stalled = await node(proxy.urlFor(url), 100);
      await until(() => stalled.state === "up", "connected through the proxy", 10_000);
      const { limiter, shared, fallbacks } = degradable(stalled);
      const bucket = freshBucket();
      expect(await take(limiter, bucket, 60, 0)).toMatchObject({ allowed: true, remaining: 59 });

      proxy.stall();
      // The connection stays open, so the state stays "up": the call times out, and the request
      // gets the local answer instead of an error.
      const decision = await take(limiter, bucket, 60, 10);
      // From the local share (the previous test's three nodes are still alive: four in all).
      expect(decision).toMatchObject({ allowed: true, limit: Math.ceil(60 / stalled.liveNodes) });
      expect(shared.calls).toBe(2);
      expect(shared.failures).toHaveLength(1);
      expect(String(shared.failures[0])).toMatch(/timed out/i);
      expect(fallbacks).toEqual(["failed"]);

      // Within RETRY_AFTER_FAILURE_MS of the failure, Redis is not asked again.
      const meanwhile = limiter.take(bucket, 60, T0 + 10 + RETRY_AFTER_FAILURE_MS - 1);
      expect(meanwhile).not.toBeInstanceOf(Promise);
      expect(shared.calls).toBe(2);

      // After it, one call tries again (and fails again: still stalled).
      expect(await take(limiter, bucket, 60, 10 + RETRY_AFTER_FAILURE_MS)).toMatchObject({
        allowed: true,
      });
      expect(shared.calls).toBe(3);
      expect(shared.failures).toHaveLength(2);
      expect(fallbacks).toEqual(["failed", "failed", "failed"]);
      proxy.restore();
    });
  },
);
