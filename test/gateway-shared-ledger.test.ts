/**
 * The gateway over a spend ledger that answers with promises, as the shared (Redis) one does:
 * the reservation is awaited, a refusal is the same as on one node, and every reservation is
 * settled exactly once however its request ends: answered, streamed, timed out upstream, left by
 * its client, or still in flight at shutdown. Then the runtime over a real Redis
 * (TEST_REDIS_URL): its spend limits are Redis's, and what Redis counts is what was recorded.
 */
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger } from "../src/core/logger.js";
import { monthOf } from "../src/core/months.js";
import { SharedSpendLedger } from "../src/gateway/shared-spend-ledger.js";
import {
  MemorySpendLedger,
  type Reservation,
  type ReserveResult,
  type SpendLedger,
  type SpendScope,
} from "../src/gateway/spend-ledger.js";
import { SharedRedis } from "../src/redis/connection.js";
import {
  ask,
  expectApiError,
  failure,
  type GatewayEnv,
  rawMessages,
  sendAndDisconnect,
  startGatewayEnv,
  until,
} from "./gateway-support.js";
import { BACKENDS } from "./harness.js";
import { deleteRedisKeys, uniqueRedisPrefix } from "./support/redis-fixtures.js";

const sqlite = BACKENDS[0] as (typeof BACKENDS)[number];

/** Memory behind a turn of the event loop, keeping every settlement of every reservation. */
class AsyncLedger implements SpendLedger {
  readonly memory = new MemorySpendLedger();
  readonly settlements = new Map<Reservation, number[]>();

  reserve(scopes: SpendScope[], estimateNanos: number, month: string): Promise<ReserveResult> {
    return new Promise((resolve) =>
      setImmediate(() => {
        const result = this.memory.reserve(scopes, estimateNanos, month);
        if (result.ok) {
          this.settlements.set(result.reservation, []);
        }
        resolve(result);
      }),
    );
  }

  settle(reservation: Reservation, actualNanos: number): Promise<void> {
    const settled = this.settlements.get(reservation);
    if (!settled) {
      throw new Error("settled a reservation this ledger never made");
    }
    settled.push(actualNanos);
    return new Promise((resolve) =>
      setImmediate(() => {
        this.memory.settle(reservation, actualNanos);
        resolve();
      }),
    );
  }

  add(keys: readonly string[], month: string, nanos: number): void {
    this.memory.add(keys, month, nanos);
  }

  spent(key: string, month: string): Promise<number> {
    return Promise.resolve(this.memory.spent(key, month));
  }

  /** Reservations by how often they were settled: all must be 1. */
  settleCounts(): number[] {
    return [...this.settlements.values()].map((settled) => settled.length);
  }
}

describe("gateway over a spend ledger that answers later", () => {
  let env: GatewayEnv;
  let ledger: AsyncLedger;
  const month = () => monthOf(env.clock.now());

  beforeAll(async () => {
    ledger = new AsyncLedger();
    env = await startGatewayEnv(sqlite, { ledger, timeoutMs: 300 });
  });
  afterAll(async () => {
    await env?.close();
  });

  it("admits, streams and settles each request once with its cost", async () => {
    const { key, workspaceId } = await env.newKey({ monthly_spend_usd: 100 });
    const client = env.client(key);
    expect((await client.messages.create(ask())).type).toBe("message");
    expect((await client.messages.stream(ask()).finalMessage()).type).toBe("message");
    await env.settle();
    const events = (await env.events()).filter((e) => e.workspace_id === workspaceId);
    expect(events).toHaveLength(2);
    await until(async () => (await ledger.spent(`ws:${workspaceId}`, month())) > 0, "settled");
    expect(await ledger.spent(`ws:${workspaceId}`, month())).toBe(
      events.reduce((sum, e) => sum + e.cost_nanos, 0),
    );
    expect(ledger.settleCounts().every((count) => count === 1)).toBe(true);
  });

  it("refuses past the limit as one node does", async () => {
    const { key } = await env.newKey({ monthly_spend_usd: 0 });
    const refused = await failure(env.client(key).messages.create(ask()));
    expectApiError(refused, 400, "invalid_request_error", "workspace_spend_limit_reached");
  });

  it("settles once, with nothing, a request the upstream did not answer in time", async () => {
    const { key } = await env.newKey();
    env.upstream.script({ kind: "hang" });
    const response = await rawMessages(env, key, JSON.stringify(ask()));
    expect(response.status).toBe(504);
    await env.settle();
    env.upstream.reset();
    const last = [...ledger.settlements.values()].at(-1);
    expect(last).toEqual([0]);
  });

  it("settles once a request whose client left mid-stream, when the upstream finished", async () => {
    const { key } = await env.newKey();
    env.upstream.script({ kind: "slow-stream", chunks: 4, intervalMs: 20 });
    const before = ledger.settlements.size;
    await sendAndDisconnect(env, key, JSON.stringify(ask({ stream: true })));
    await until(() => env.upstream.counts.completed === 1, "the upstream finished");
    await env.settle();
    env.upstream.reset();
    const settled = [...ledger.settlements.values()].slice(before);
    expect(settled).toHaveLength(1);
    expect(settled[0]).toHaveLength(1);
    expect(settled[0]?.[0]).toBeGreaterThan(0);
  });

  it("settles every request in flight at shutdown once", async () => {
    const own = new AsyncLedger();
    const node = await startGatewayEnv(sqlite, { ledger: own });
    try {
      const { key } = await node.newKey();
      node.upstream.script({ kind: "slow-stream", chunks: 5, intervalMs: 20 });
      const inFlight = [1, 2, 3].map(() =>
        node
          .client(key)
          .messages.stream(ask())
          .finalMessage()
          .catch(() => undefined),
      );
      await until(() => node.upstream.counts.streams === 3, "three streams upstream");
      await node.server.close();
      await Promise.all(inFlight);
      expect(own.settleCounts()).toEqual([1, 1, 1]);
    } finally {
      await node.upstream.close();
    }
  });
});

const REDIS_URL = process.env.TEST_REDIS_URL;

describe.skipIf(!REDIS_URL)("gateway runtime over Redis", () => {
  const prefix = uniqueRedisPrefix();
  let redis: SharedRedis;
  let env: GatewayEnv;

  beforeAll(async () => {
    redis = new SharedRedis(REDIS_URL as string, silentLogger, { prefix, commandTimeoutMs: 2_000 });
    await redis.start();
    env = await startGatewayEnv(sqlite, { redis });
  });
  afterAll(async () => {
    await env?.close();
    await redis?.close();
    await deleteRedisKeys(REDIS_URL as string, prefix);
  });

  it("holds the limit in Redis and counts there exactly what was recorded", async () => {
    const ledger = env.runtime.ledger;
    expect(ledger).toBeInstanceOf(SharedSpendLedger);
    const { key, workspaceId } = await env.newKey();
    const client = env.client(key);
    expect((await client.messages.create(ask())).type).toBe("message");
    await env.settle();
    const month = monthOf(env.clock.now());
    const spent = await ledger.spent(`ws:${workspaceId}`, month);
    expect(spent).toBeGreaterThan(0);
    // Room for what was spent and a little: the next reservation (its upper bound) does not fit.
    await env.setWorkspaceLimits(workspaceId, {
      monthly_spend_usd: Math.ceil((spent + 1_000) / 1_000) / 1e6,
    });
    const refused = await failure(client.messages.create(ask()));
    expectApiError(refused, 400, "invalid_request_error", "workspace_spend_limit_reached");
    const events = (await env.events()).filter((e) => e.workspace_id === workspaceId);
    expect(await ledger.spent(`ws:${workspaceId}`, month)).toBe(
      events.reduce((sum, e) => sum + e.cost_nanos, 0),
    );
    expect((ledger as SharedSpendLedger).mode).toBe("shared");
    // Usage ingested through the Admin API reaches Redis's account once.
    const ingested = await env.server.post("/v1/usage/events", {
      events: [
        {
          id: `ingested-${workspaceId}`,
          timestamp: new Date(env.clock.now().getTime() - 60_000).toISOString(),
          workspace_id: workspaceId,
          model: "claude-haiku-4-5",
          input_tokens: 100,
          output_tokens: 10,
          cost_usd: 0.25,
        },
      ],
    });
    expect(ingested.status, JSON.stringify(ingested.body)).toBe(200);
    await until(
      async () => (await ledger.spent(`ws:${workspaceId}`, month)) !== spent,
      "the ingested usage counted",
    );
    expect(await ledger.spent(`ws:${workspaceId}`, month)).toBe(spent + 250_000_000);
    const admin = new Redis(REDIS_URL as string);
    const account = await admin.hgetall(`${prefix}spend:acct:${month}`);
    admin.disconnect();
    expect(Number(account[`s:ws:${workspaceId}`])).toBe(spent + 250_000_000);
    expect(Number(account[`r:ws:${workspaceId}`])).toBe(0);
  });
});
