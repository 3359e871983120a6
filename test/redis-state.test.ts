/**
 * A node's shared Redis, seen from outside: `/readyz` stays 200 while only Redis is down (a valid
 * key must never be refused, so the node stays in the load balancer) and says it runs degraded;
 * `/metrics` shows whether Redis is up, how many nodes share it, and the decisions taken without
 * it; the gateway serves through Redis's bucket while it is up and from its share while down,
 * never answering a Redis failure with a 5xx.
 */

import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../src/core/ports.js";
import { modelGroupOf } from "../src/core/rate-limits/groups.js";
import { PriceTable } from "../src/core/usage/prices.js";
import { buildApp } from "../src/http/app.js";
import type { SharedRedis } from "../src/redis/connection.js";
import { RedisRateLimiter } from "../src/redis/rate-limiter.js";
import { type Runtime, startRuntime } from "../src/runtime.js";
import { wire } from "../src/wiring.js";
import { type FakeUpstream, startFakeUpstream } from "./fixtures/fake-upstream.js";
import { metric, START, UPSTREAM_KEY } from "./gateway-support.js";
import { BACKENDS, createTestDatabase, type TestDatabase } from "./harness.js";
import {
  closedPort,
  deleteRedisKeys,
  startSharedRedis,
  TEST_REDIS_URL,
  uniqueRedisPrefix,
} from "./support/redis-fixtures.js";

const SQLITE = BACKENDS[0] as (typeof BACKENDS)[number];

interface Node {
  runtime: Runtime;
  baseURL: string;
  /** An API key in a workspace of its own, limited to `perMinute`. */
  keyLimitedTo(perMinute: number): Promise<{ key: string; workspaceId: string }>;
  /** Sets the workspace's limits in the rate-limit group of `model`, through the Admin API. */
  setGroupLimits(
    workspaceId: string,
    model: string,
    limits: Array<{ type: string; value: number | null }>,
  ): Promise<void>;
  /** POST /v1/messages with `key`: the status. */
  message(key: string): Promise<number>;
  metrics(): Promise<string>;
  readyz(): Promise<{ status: number; body: unknown }>;
  close(): Promise<void>;
}

let upstream: FakeUpstream;
beforeAll(async () => {
  upstream = await startFakeUpstream({ apiKey: UPSTREAM_KEY });
});
afterAll(() => upstream.close());

let workspaces = 0;

/** A node (runtime, gateway and app, listening) over a fresh SQLite database. */
async function startNode(redis: SharedRedis | undefined): Promise<Node> {
  const testDb: TestDatabase = await createTestDatabase(SQLITE);
  const runtime = await startRuntime({
    database: testDb.database,
    clock: new ManualClock(START),
    gateway: {
      upstream: { url: upstream.url, apiKey: UPSTREAM_KEY, timeoutMs: 10_000 },
      prices: PriceTable.load(),
      recorder: { maxDelayMs: 5 },
    },
    ...(redis && { redis }),
  });
  await runtime.app.listen({ port: 0, host: "127.0.0.1" });
  const { port } = runtime.app.server.address() as AddressInfo;
  const baseURL = `http://127.0.0.1:${port}`;
  const org = await runtime.services.organizations.create(
    { name: "Redis state", ownerEmail: "owner@redis.example", ownerName: "Olivia Owner" },
    { type: "system", id: null },
  );
  const admin = async (url: string, body: object) => {
    const response = await runtime.app.inject({
      method: "POST",
      url,
      headers: { "x-api-key": org.adminKey, "anthropic-version": "2023-06-01" },
      payload: body,
    });
    if (response.statusCode !== 200) {
      throw new Error(`${url}: ${response.statusCode} ${response.body}`);
    }
    return response.json() as { id: string; key: string };
  };
  return {
    runtime,
    baseURL,
    async keyLimitedTo(perMinute) {
      const workspace = await admin("/v1/workspaces", {
        name: `Limited ${++workspaces}`,
        usage_limits: { requests_per_minute: perMinute },
      });
      const { key } = await admin("/v1/api_keys", { name: "k", workspace_id: workspace.id });
      return { key, workspaceId: workspace.id };
    },
    async setGroupLimits(workspaceId, model, limits) {
      const groups = await runtime.app.inject({
        method: "GET",
        url: `/v1/organizations/rate_limits?model=${model}`,
        headers: { "x-api-key": org.adminKey, "anthropic-version": "2023-06-01" },
      });
      const { data } = groups.json() as { data: Array<{ id: string }> };
      await admin(`/v1/organizations/workspaces/${workspaceId}/rate_limits/${data[0]?.id ?? ""}`, {
        limits,
      });
    },
    async message(key) {
      const response = await fetch(`${baseURL}/v1/messages`, {
        method: "POST",
        headers: {
          "x-api-key": key,
          "anthropic-version": "2023-06-01",
          "content-type": "application/json",
        },
        body: JSON.stringify({
          model: "claude-haiku-4-5",
          max_tokens: 16,
          messages: [{ role: "user", content: "Say hello." }],
        }),
      });
      await response.arrayBuffer();
      return response.status;
    },
    async metrics() {
      return (await runtime.app.inject({ method: "GET", url: "/metrics" })).body;
    },
    async readyz() {
      const response = await runtime.app.inject({ method: "GET", url: "/readyz" });
      return { status: response.statusCode, body: response.json() };
    },
    async close() {
      await runtime.close();
      await testDb.drop();
    },
  };
}

describe("a node without Redis", () => {
  it("answers /readyz as before and shows no Redis metrics", async () => {
    const node = await startNode(undefined);
    try {
      expect(await node.readyz()).toEqual({ status: 200, body: { status: "ready" } });
      const metrics = await node.metrics();
      expect(metrics).toContain("steward_gateway_requests_total");
      expect(metrics).not.toContain("steward_redis_up");
      expect(metrics).not.toContain("steward_cluster_nodes");
    } finally {
      await node.close();
    }
  });
});

describe("a node whose Redis is down", () => {
  let redis: SharedRedis;
  let node: Node;
  beforeAll(async () => {
    redis = await startSharedRedis(`redis://127.0.0.1:${await closedPort()}`, {
      prefix: uniqueRedisPrefix(),
      connectTimeoutMs: 500,
    });
    node = await startNode(redis);
  });
  afterAll(async () => {
    await node.close();
    await redis.close();
  });

  it("stays ready (200), saying it runs degraded", async () => {
    expect(redis.state).toBe("down");
    expect(await node.readyz()).toEqual({
      status: 200,
      body: { status: "ready", redis: "down", degraded: true },
    });
    const metrics = await node.metrics();
    expect(metrics).toMatch(/^steward_redis_up 0$/m);
    expect(metrics).toMatch(/^steward_cluster_nodes 1$/m);
  });

  it("serves valid keys within this node's share, counting each decision taken without Redis", async () => {
    const { key } = await node.keyLimitedTo(2);
    expect([await node.message(key), await node.message(key), await node.message(key)]).toEqual([
      200, 200, 429,
    ]);
    expect(
      metric(await node.metrics(), "steward_redis_fallbacks_total", {
        port: "rate_limiter",
        reason: "down",
      }),
    ).toBe(3);
  });

  it("still answers 503 when the database is down too", async () => {
    const testDb = await createTestDatabase(SQLITE);
    const wiring = wire(testDb.database);
    const app = await buildApp({
      services: wiring.services,
      ids: wiring.ids,
      ready: () => Promise.reject(new Error("database unreachable")),
      redis,
    });
    try {
      const ready = await app.inject({ method: "GET", url: "/readyz" });
      expect(ready.statusCode).toBe(503);
      expect(ready.json()).toEqual({ status: "unavailable", reason: "database unreachable" });
    } finally {
      await app.close();
      await testDb.drop();
    }
  });
});

describe.skipIf(TEST_REDIS_URL === undefined)(
  TEST_REDIS_URL
    ? "a node whose Redis is up"
    : "a node whose Redis is up (SKIPPED: set TEST_REDIS_URL to run it)",
  () => {
    const url = TEST_REDIS_URL as string;
    const prefix = uniqueRedisPrefix();
    let redis: SharedRedis;
    let node: Node;
    beforeAll(async () => {
      redis = await startSharedRedis(url, { prefix });
      node = await startNode(redis);
    });
    afterAll(async () => {
      await node?.close();
      await redis?.close();
      await deleteRedisKeys(url, prefix);
    });

    it("is ready, with Redis up, and shows it in /metrics", async () => {
      expect(await node.readyz()).toEqual({ status: 200, body: { status: "ready", redis: "up" } });
      const metrics = await node.metrics();
      expect(metrics).toMatch(/^steward_redis_up 1$/m);
      expect(metrics).toMatch(/^steward_cluster_nodes 1$/m);
    });

    it("limits through the Redis bucket, which every node of the workspace shares", async () => {
      const { key, workspaceId } = await node.keyLimitedTo(2);
      expect(await node.message(key)).toBe(200);
      // Another node spends the workspace's last request: this node refuses the next.
      const otherNode = new RedisRateLimiter(redis);
      // The bucket of the workspace's requests in the group of the node's model (Claude Haiku 4.x).
      const bucket = `ws:${workspaceId}:${modelGroupOf("claude-haiku-4-5")}`;
      expect(await otherNode.take(bucket, 2, Date.parse(START))).toMatchObject({
        allowed: true,
        remaining: 0,
      });
      expect(await node.message(key)).toBe(429);
      expect(
        metric(await node.metrics(), "steward_redis_fallbacks_total", {
          port: "rate_limiter",
          reason: "down",
        }),
      ).toBe(0);
    });

    it("takes a request's input bound from the Redis bucket and gives back what was not used", async () => {
      const { key, workspaceId } = await node.keyLimitedTo(100);
      // The body's bytes are the bound; the fake upstream counts ceil(bytes / 4).
      const bytes = Buffer.byteLength(
        JSON.stringify({
          model: "claude-haiku-4-5",
          max_tokens: 16,
          messages: [{ role: "user", content: "Say hello." }],
        }),
      );
      const limit = 2 * bytes + 10;
      await node.setGroupLimits(workspaceId, "claude-haiku-4-5", [
        { type: "input_tokens_per_minute", value: limit },
      ]);
      // Without the give-back, the third would not fit.
      for (let i = 0; i < 3; i++) {
        expect(await node.message(key)).toBe(200);
      }
      const otherNode = new RedisRateLimiter(redis);
      const bucket = `ws:${workspaceId}:${modelGroupOf("claude-haiku-4-5")}:in`;
      expect(await otherNode.take(bucket, limit, Date.parse(START), 0)).toMatchObject({
        allowed: true,
        remaining: limit - 3 * Math.ceil(bytes / 4),
      });
    });
  },
);
