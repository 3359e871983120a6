/**
 * One contract for every spend ledger: the in-memory one (one node), the Redis one, and the shared
 * one the gateway uses over it (Redis with its degraded policy). Then what only several nodes on
 * one Redis show: exact admission under concurrency, expired reservations, Redis unreachable or
 * slow, recovery, and Redis restarted empty. The Redis half runs when TEST_REDIS_URL is set,
 * under a key prefix of its own, deleted at the end.
 */
import { createServer, type Server, type Socket, connect as tcpConnect } from "node:net";
import { Redis } from "ioredis";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { silentLogger } from "../src/core/logger.js";
import { ManualClock } from "../src/core/ports.js";
import { SharedSpendLedger } from "../src/gateway/shared-spend-ledger.js";
import {
  MemorySpendLedger,
  type Reservation,
  type ReserveResult,
  type SpendLedger,
  type SpendScope,
} from "../src/gateway/spend-ledger.js";
import { SharedRedis } from "../src/redis/connection.js";
import { RedisSpendLedger } from "../src/redis/spend-ledger.js";
import { deleteRedisKeys, uniqueRedisPrefix } from "./support/redis-fixtures.js";

const REDIS_URL = process.env.TEST_REDIS_URL;
const RUN_PREFIX = uniqueRedisPrefix();
const MAY = "2026-05";
const JUNE = "2026-06";

/** Spend per month and scope, as the database's rollups would say. */
type Totals = Record<string, Record<string, number>>;

const seedSourceOf = (totals: Totals) => async (month: string) =>
  Object.entries(totals[month] ?? {}).map(([key, nanos]) => ({ key, nanos }));

/** Polls `condition` until it holds, or fails after a generous deadline: no fixed sleeps. */
async function until(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error(`${what}: not met within ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const connections: SharedRedis[] = [];
const closers: Array<() => Promise<void>> = [];
let prefixes = 0;

/** A node's connection to the test Redis (or through `url`), under a prefix of the run's. */
async function node(
  prefix: string,
  options: { url?: string; commandTimeoutMs?: number; heartbeatIntervalMs?: number } = {},
): Promise<SharedRedis> {
  const redis = new SharedRedis(options.url ?? (REDIS_URL as string), silentLogger, {
    prefix,
    commandTimeoutMs: options.commandTimeoutMs ?? 2_000,
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? 1_000,
  });
  connections.push(redis);
  await redis.start();
  return redis;
}

const freshPrefix = () => `${RUN_PREFIX}${++prefixes}:`;

interface Subject {
  name: string;
  redis: boolean;
  make(clock: ManualClock, totals: Totals): Promise<SpendLedger>;
}

const subjects: Subject[] = [
  {
    name: "MemorySpendLedger",
    redis: false,
    async make(clock, totals) {
      const ledger = new MemorySpendLedger();
      const month = clock.now().toISOString().slice(0, 7);
      for (const { key, nanos } of await seedSourceOf(totals)(month)) {
        ledger.seed(key, month, nanos);
      }
      return ledger;
    },
  },
  {
    name: "RedisSpendLedger",
    redis: true,
    async make(clock, totals) {
      const redis = await node(freshPrefix());
      const seedSource = seedSourceOf(totals);
      const ledger = new RedisSpendLedger(redis, { clock, seedSource, reservationTtlMs: 60_000 });
      // As the runtime does at start (later months are seeded by their first reservation).
      const month = clock.now().toISOString().slice(0, 7);
      await ledger.seedIfAbsent(month, await seedSource(month), clock.now().getTime());
      return ledger;
    },
  },
  {
    name: "SharedSpendLedger over Redis",
    redis: true,
    async make(clock, totals) {
      const redis = await node(freshPrefix());
      const seedSource = seedSourceOf(totals);
      const remote = new RedisSpendLedger(redis, { clock, seedSource, reservationTtlMs: 60_000 });
      const ledger = new SharedSpendLedger(remote, redis, {
        clock,
        log: silentLogger,
        seedSource,
        // With Redis up, every answer must be Redis's: a fallback would hide a broken script.
        onFallback: (reason) => {
          throw new Error(`the shared ledger answered locally (${reason})`);
        },
      });
      closers.push(() => ledger.close());
      await ledger.start();
      return ledger;
    },
  },
];

async function reserved(result: ReserveResult | Promise<ReserveResult>): Promise<Reservation> {
  const answer = await result;
  if (!answer.ok) {
    throw new Error(`expected a reservation, got a refusal on ${answer.scope}`);
  }
  return answer.reservation;
}

afterAll(async () => {
  for (const close of closers.splice(0)) {
    await close();
  }
  for (const redis of connections.splice(0)) {
    await redis.close();
  }
  if (REDIS_URL) {
    await deleteRedisKeys(REDIS_URL, RUN_PREFIX);
  }
});

for (const subject of subjects) {
  describe.skipIf(subject.redis && !REDIS_URL)(`spend ledger contract: ${subject.name}`, () => {
    const clock = () => new ManualClock("2026-05-10T12:00:00.000Z");

    it("reserves within the limits and refuses past one, saying which scope, its spent and its limit", async () => {
      const ledger = await subject.make(clock(), { [MAY]: { "ws:a": 90 } });
      const scopes: SpendScope[] = [
        { key: "org:o", limitNanos: 1_000 },
        { key: "ws:a", limitNanos: 100 },
      ];
      const first = await reserved(ledger.reserve(scopes, 6, MAY));
      expect(await ledger.reserve(scopes, 6, MAY)).toEqual({
        ok: false,
        scope: "ws:a",
        spentNanos: 90,
        limitNanos: 100,
      });
      await ledger.settle(first, 2);
      expect(await ledger.spent("ws:a", MAY)).toBe(92);
      expect(await ledger.spent("org:o", MAY)).toBe(2);
      expect((await ledger.reserve(scopes, 6, MAY)).ok).toBe(true);
    });

    it("refuses on the organization, and reserves nothing when any scope refuses", async () => {
      const ledger = await subject.make(clock(), { [MAY]: { "org:o": 40 } });
      expect(
        await ledger.reserve(
          [
            { key: "org:o", limitNanos: 45 },
            { key: "ws:w", limitNanos: null },
          ],
          10,
          MAY,
        ),
      ).toEqual({ ok: false, scope: "org:o", spentNanos: 40, limitNanos: 45 });
      expect((await ledger.reserve([{ key: "ws:w", limitNanos: 10 }], 10, MAY)).ok).toBe(true);
    });

    it("admits anything under no limit, and still counts what it cost", async () => {
      const ledger = await subject.make(clock(), {});
      const scopes: SpendScope[] = [
        { key: "org:o", limitNanos: null },
        { key: "ws:w", limitNanos: null },
      ];
      const big = await reserved(ledger.reserve(scopes, 1e12, MAY));
      await reserved(ledger.reserve(scopes, 1e12, MAY));
      await ledger.settle(big, 7e11);
      expect(await ledger.spent("org:o", MAY)).toBe(7e11);
      expect(await ledger.spent("ws:w", MAY)).toBe(7e11);
    });

    it("settles less or more than reserved: the reservation goes, the real cost stays", async () => {
      const ledger = await subject.make(clock(), {});
      const scopes: SpendScope[] = [{ key: "ws:w", limitNanos: 30 }];
      await ledger.settle(await reserved(ledger.reserve(scopes, 10, MAY)), 4);
      expect(await ledger.spent("ws:w", MAY)).toBe(4);
      const rest = await reserved(ledger.reserve(scopes, 26, MAY)); // 4 + 26 = 30: fits
      expect((await ledger.reserve(scopes, 1, MAY)).ok).toBe(false);
      await ledger.settle(rest, 40);
      expect(await ledger.spent("ws:w", MAY)).toBe(44);
      expect(await ledger.reserve(scopes, 1, MAY)).toMatchObject({
        ok: false,
        scope: "ws:w",
        spentNanos: 44,
      });
    });

    it("starts each calendar month from zero", async () => {
      const ledger = await subject.make(clock(), { [MAY]: { "org:o": 1_000 } });
      const scopes: SpendScope[] = [{ key: "org:o", limitNanos: 1_000 }];
      expect(await ledger.reserve(scopes, 1, MAY)).toMatchObject({ ok: false, spentNanos: 1_000 });
      const june = await reserved(ledger.reserve(scopes, 600, JUNE));
      expect((await ledger.reserve(scopes, 600, JUNE)).ok).toBe(false);
      await ledger.settle(june, 100);
      expect(await ledger.spent("org:o", JUNE)).toBe(100);
    });

    it("adds spend recorded elsewhere to the month's scopes", async () => {
      const ledger = await subject.make(clock(), { [MAY]: { "ws:w": 5 } });
      await ledger.add(["org:o", "ws:w"], MAY, 50);
      expect(await ledger.spent("org:o", MAY)).toBe(50);
      expect(await ledger.spent("ws:w", MAY)).toBe(55);
      expect(await ledger.reserve([{ key: "ws:w", limitNanos: 60 }], 6, MAY)).toMatchObject({
        ok: false,
        spentNanos: 55,
      });
    });
  });
}

/** A TCP proxy in front of Redis that the test cuts, restores, or stalls. */
class RedisProxy {
  #server: Server | undefined;
  #sockets = new Set<Socket>();
  #stalled = false;
  #held: Array<() => void> = [];
  port = 0;

  constructor(private readonly target: URL) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Listens (again, on the same port after a cut); nothing when it listens already. */
  async start(): Promise<void> {
    if (this.#server) {
      return;
    }
    const server = createServer((client) => {
      const upstream = tcpConnect(Number(this.target.port || 6379), this.target.hostname);
      this.#sockets.add(client).add(upstream);
      client.on("data", (chunk) => {
        const send = () => upstream.write(chunk);
        if (this.#stalled) {
          this.#held.push(send);
        } else {
          send();
        }
      });
      upstream.on("data", (chunk) => client.write(chunk));
      const end = () => {
        client.destroy();
        upstream.destroy();
      };
      for (const socket of [client, upstream]) {
        socket.on("error", end);
        socket.on("close", end);
      }
    });
    await new Promise<void>((resolve) => server.listen(this.port, "127.0.0.1", resolve));
    this.port = (server.address() as { port: number }).port;
    this.#server = server;
  }

  /** Redis becomes unreachable: connections drop, new ones are refused. */
  async cut(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    for (const socket of this.#sockets) {
      socket.destroy();
    }
    this.#sockets.clear();
    await new Promise<void>((resolve) => server?.close(() => resolve()) ?? resolve());
  }

  /** Redis still accepts commands but answers none until `unstall`. */
  stall(): void {
    this.#stalled = true;
  }

  unstall(): void {
    this.#stalled = false;
    for (const send of this.#held.splice(0)) {
      send();
    }
  }

  async close(): Promise<void> {
    await this.cut();
  }
}

describe.skipIf(!REDIS_URL)("spend ledger on several nodes sharing Redis", () => {
  const ESTIMATE = 1_000;

  it("admits exactly the limit's worth out of 300 concurrent reservations over three nodes, and settles them to the sum", async () => {
    const prefix = freshPrefix();
    const clock = new ManualClock("2026-05-10T12:00:00.000Z");
    const seedSource = seedSourceOf({});
    const ledgers = await Promise.all(
      [1, 2, 3].map(async () => {
        const redis = await node(prefix, { commandTimeoutMs: 10_000 });
        return new RedisSpendLedger(redis, { clock, seedSource, reservationTtlMs: 60_000 });
      }),
    );
    const scopes: SpendScope[] = [
      { key: "org:o", limitNanos: 50 * ESTIMATE },
      { key: "ws:w", limitNanos: null },
    ];
    const results = await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        (ledgers[i % 3] as RedisSpendLedger).reserve(scopes, ESTIMATE, MAY),
      ),
    );
    const admitted = results.filter((r) => r.ok);
    expect(admitted).toHaveLength(50);
    for (const refusal of results.filter((r) => !r.ok)) {
      expect(refusal).toMatchObject({ scope: "org:o", limitNanos: 50 * ESTIMATE });
    }
    let sum = 0;
    await Promise.all(
      admitted.map((result, i) => {
        const cost = 100 + i; // each less than reserved, all different
        sum += cost;
        return (ledgers[i % 3] as RedisSpendLedger).settle(
          (result as { reservation: Reservation }).reservation,
          cost,
        );
      }),
    );
    expect(await (ledgers[0] as RedisSpendLedger).spent("org:o", MAY)).toBe(sum);
    expect(await (ledgers[1] as RedisSpendLedger).spent("ws:w", MAY)).toBe(sum);
    // Nothing is left reserved: the rest of the limit is there for the taking.
    const left = 50 * ESTIMATE - sum;
    expect((await (ledgers[2] as RedisSpendLedger).reserve(scopes, left, MAY)).ok).toBe(true);
  });

  it("releases the reservations of a node that died once their deadline passes, and still counts a late settlement once", async () => {
    const prefix = freshPrefix();
    const clock = new ManualClock("2026-05-10T12:00:00.000Z");
    const seedSource = seedSourceOf({ [MAY]: { "ws:w": 10 } });
    const options = { clock, seedSource, reservationTtlMs: 30_000 };
    const dying = new RedisSpendLedger(await node(prefix), options);
    const living = new RedisSpendLedger(await node(prefix), options);
    const scopes: SpendScope[] = [{ key: "ws:w", limitNanos: 10 + 3 * ESTIMATE }];
    const held = await Promise.all(
      [1, 2, 3].map(() => reserved(dying.reserve(scopes, ESTIMATE, MAY))),
    );
    expect((await living.reserve(scopes, ESTIMATE, MAY)).ok).toBe(false);
    clock.advance(29_999);
    expect((await living.reserve(scopes, ESTIMATE, MAY)).ok).toBe(false);
    clock.advance(2);
    const after = await reserved(living.reserve(scopes, 3 * ESTIMATE, MAY));
    await living.settle(after, 0);
    // A request that outlived its deadline (a long stream) settles: its cost counts, once.
    await dying.settle(held[0] as Reservation, 7);
    await dying.settle(held[0] as Reservation, 7);
    await living.settle(held[1] as Reservation, 5); // from any node
    expect(await living.spent("ws:w", MAY)).toBe(10 + 7 + 5);
  });

  describe("degraded", () => {
    let proxy: RedisProxy;

    beforeAll(() => {
      proxy = new RedisProxy(new URL(REDIS_URL as string));
    });
    beforeEach(async () => {
      await proxy.start();
    });
    afterAll(async () => {
      await proxy.close();
    });

    /**
     * Three nodes on one prefix: the first through the proxy, all three counted alive. The
     * workspace's limit is 90 estimates and 9 of it spent, so each node's share is 27.
     */
    async function cluster(totals: Totals) {
      const prefix = freshPrefix();
      const clock = new ManualClock("2026-05-10T12:00:00.000Z");
      const seedSource = seedSourceOf(totals);
      const redises = [
        await node(prefix, { url: proxy.url, commandTimeoutMs: 200, heartbeatIntervalMs: 50 }),
        await node(prefix, { heartbeatIntervalMs: 50 }),
        await node(prefix, { heartbeatIntervalMs: 50 }),
      ];
      await until(() => redises.every((r) => r.liveNodes === 3), "three live nodes", 10_000);
      const ledgers = redises.map((redis) => {
        const remote = new RedisSpendLedger(redis, { clock, seedSource, reservationTtlMs: 60_000 });
        const ledger = new SharedSpendLedger(remote, redis, {
          clock,
          log: silentLogger,
          seedSource,
          retryIntervalMs: 20,
        });
        closers.push(() => ledger.close());
        return { redis, remote, ledger };
      });
      for (const { ledger } of ledgers) {
        await ledger.start();
      }
      return { clock, prefix, ledgers, first: ledgers[0] as (typeof ledgers)[number] };
    }

    const scopes: SpendScope[] = [
      { key: "org:o", limitNanos: null },
      { key: "ws:w", limitNanos: 90 * ESTIMATE },
    ];

    /** Reserves until refused; returns the reservations and the refusal. */
    async function fill(ledger: SpendLedger) {
      const held: Reservation[] = [];
      for (;;) {
        const result = await ledger.reserve(scopes, ESTIMATE, MAY);
        if (!result.ok) {
          return { held, refusal: result };
        }
        held.push(result.reservation);
        if (held.length > 1_000) {
          throw new Error("no limit enforced");
        }
      }
    }

    it("enforces the node's share of what is left when Redis is unreachable, answering at once and never throwing", async () => {
      const { first } = await cluster({ [MAY]: { "ws:w": 9 * ESTIMATE } });
      await reserved(first.ledger.reserve(scopes, ESTIMATE, MAY)); // Redis answers: 10 known
      await proxy.cut();
      await until(() => first.redis.state === "down", "the connection noticed down");
      const answer = first.ledger.reserve(scopes, ESTIMATE, MAY);
      expect(answer).not.toBeInstanceOf(Promise); // known down: not waited on
      const { held, refusal } = await fill(first.ledger);
      // (90 − 9 spent as last known) / 3 nodes = 27 estimates, one taken above.
      expect(held.length + 1).toBe(27);
      expect(refusal).toMatchObject({ ok: false, scope: "ws:w", limitNanos: 90 * ESTIMATE });
      expect(first.ledger).toMatchObject({ mode: "degraded" });
    });

    it("falls back when Redis is slow (calls time out), and a settlement that timed out but still ran counts once", async () => {
      const { first, ledgers } = await cluster({});
      const other = (ledgers[1] as (typeof ledgers)[number]).ledger;
      const made = await reserved(first.ledger.reserve(scopes, ESTIMATE, MAY));
      proxy.stall();
      try {
        // Both are sent to Redis, time out, and are answered here: the reservation from the
        // local share, the settlement kept for later. Redis still runs both once unstalled.
        const [, answer] = await Promise.all([
          first.ledger.settle(made, 321),
          first.ledger.reserve(scopes, ESTIMATE, MAY),
        ]);
        expect(answer.ok).toBe(true);
        expect(first.ledger).toMatchObject({ mode: "degraded" });
      } finally {
        proxy.unstall();
      }
      await until(() => first.ledger.mode === "shared", "back to Redis", 10_000);
      expect(await other.spent("ws:w", MAY)).toBe(321);
    });

    it("enforces from the database's totals on a node that starts while Redis is unreachable, and applies its spend once Redis answers", async () => {
      const prefix = freshPrefix();
      const clock = new ManualClock("2026-05-10T12:00:00.000Z");
      const seedSource = seedSourceOf({ [MAY]: { "ws:w": 9 * ESTIMATE } });
      const ledgerOn = (redis: SharedRedis) => {
        const remote = new RedisSpendLedger(redis, { clock, seedSource, reservationTtlMs: 60_000 });
        const ledger = new SharedSpendLedger(remote, redis, {
          clock,
          log: silentLogger,
          seedSource,
          retryIntervalMs: 20,
        });
        closers.push(() => ledger.close());
        return ledger;
      };
      const other = ledgerOn(await node(prefix));
      await other.start(); // seeds the month in Redis
      await proxy.cut();
      const redis = await node(prefix, { url: proxy.url, commandTimeoutMs: 200 });
      expect(redis.state).toBe("down");
      const late = ledgerOn(redis);
      await late.start();
      // It never heard of another node: its share is all that is left, 90 − 9.
      const { held } = await fill(late);
      expect(held).toHaveLength(81);
      for (const reservation of held.slice(0, 5)) {
        await late.settle(reservation, 10);
      }
      await proxy.start();
      await until(() => late.mode === "shared", "back to Redis", 10_000);
      expect(await other.spent("ws:w", MAY)).toBe(9 * ESTIMATE + 5 * 10);
    });

    it("applies what was settled while degraded once Redis answers again, exactly once", async () => {
      const { first, ledgers } = await cluster({ [MAY]: { "ws:w": 9 * ESTIMATE } });
      const other = (ledgers[1] as (typeof ledgers)[number]).ledger;
      const before = await reserved(first.ledger.reserve(scopes, ESTIMATE, MAY)); // in Redis
      await proxy.cut();
      await until(() => first.redis.state === "down", "the connection noticed down");
      const local = [1, 2, 3].map(
        () => first.ledger.reserve(scopes, ESTIMATE, MAY) as ReserveResult,
      );
      await first.ledger.add(["org:o", "ws:w"], MAY, 11); // ingested here meanwhile
      await first.ledger.settle(before, 500); // made in Redis, settled while it is away
      for (const result of local) {
        await first.ledger.settle((result as { reservation: Reservation }).reservation, 100);
      }
      expect(first.ledger.pendingBatches).toBeGreaterThan(0);
      await proxy.start();
      await until(() => first.ledger.mode === "shared", "back to Redis", 10_000);
      const expected = 9 * ESTIMATE + 11 + 500 + 3 * 100;
      expect(await other.spent("ws:w", MAY)).toBe(expected);
      expect(await other.spent("org:o", MAY)).toBe(11 + 500 + 3 * 100);
      // The reservation made in Redis was released with its settlement.
      await reserved(
        other.reserve([{ key: "ws:w", limitNanos: 90 * ESTIMATE }], 90 * ESTIMATE - expected, MAY),
      );
      // A second outage and recovery with nothing new applies nothing again.
      await proxy.cut();
      await until(() => first.redis.state === "down", "the connection noticed down");
      first.ledger.reserve(scopes, 0, MAY);
      await proxy.start();
      await until(() => first.ledger.mode === "shared", "back to Redis", 10_000);
      expect(await first.ledger.spent("ws:w", MAY)).toBe(expected + 0);
      // A batch sent twice (its first answer lost) counts once.
      const batch = {
        id: first.remote.nextId("b"),
        deltas: [{ month: MAY, key: "ws:w", nanos: 1, since: Date.parse("2026-05-10T12:00:00Z") }],
        settles: [],
      };
      expect(await first.remote.applyBatch(batch)).toMatchObject({ duplicate: false, applied: 1 });
      expect(await first.remote.applyBatch(batch)).toMatchObject({ duplicate: true, applied: 0 });
      expect(await other.spent("ws:w", MAY)).toBe(expected + 1);
    });

    it("does not count twice what was settled while degraded when Redis came back empty: the month is seeded again from the database", async () => {
      const totals: Totals = { [MAY]: { "ws:w": 9 * ESTIMATE } };
      const { first, ledgers, clock, prefix } = await cluster(totals);
      const other = (ledgers[1] as (typeof ledgers)[number]).ledger;
      await reserved(first.ledger.reserve(scopes, ESTIMATE, MAY)).then((r) =>
        first.ledger.settle(r, 100),
      );
      const generation = first.remote.generation;
      await proxy.cut();
      await until(() => first.redis.state === "down", "the connection noticed down");
      for (let i = 0; i < 4; i++) {
        const result = first.ledger.reserve(scopes, ESTIMATE, MAY) as ReserveResult;
        await first.ledger.settle((result as { reservation: Reservation }).reservation, 250);
      }
      // The recorder wrote all of it to the database; then Redis restarts with nothing.
      (totals[MAY] as Record<string, number>)["ws:w"] = 9 * ESTIMATE + 100 + 4 * 250;
      const admin = new Redis(REDIS_URL as string);
      const keys = await admin.keys(`${prefix}spend:*`);
      await admin.del(...keys);
      admin.disconnect();
      clock.advance(1_000);
      await proxy.start();
      await until(() => first.ledger.mode === "shared", "back to Redis", 10_000);
      expect(await other.spent("ws:w", MAY)).toBe(9 * ESTIMATE + 100 + 4 * 250);
      expect(await first.ledger.spent("ws:w", MAY)).toBe(9 * ESTIMATE + 100 + 4 * 250);
      expect(first.remote.generation).not.toBe(generation);
    });
  });
});
