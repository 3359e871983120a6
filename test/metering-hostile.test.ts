/**
 * Hostile input and faults in the metering pipeline (issue 22, points 1 to 3):
 * - model ids (and tier and geo names) that are keys of Object.prototype price nothing by accident:
 *   every lookup uses own keys, metering goes on for everyone, limits still refuse;
 * - a model the price table does not list is charged at the fallback rates, and recorded so;
 * - a batch the database refuses for one event's data is split: the event goes to the dead
 *   letters, every other event is written, the queue drains;
 * - token counts that are not non-negative safe integers are never stored or summed.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ManualClock } from "../src/core/ports.js";
import { PriceTable } from "../src/core/usage/prices.js";
import type { UsageDeadLetterRow, UsageEventRow } from "../src/core/usage/usage-store.js";
import type { GatewayRuntime } from "../src/gateway/runtime.js";
import { emptyUsage, mergeUsage } from "../src/gateway/usage.js";
import {
  ask,
  type GatewayEnv,
  metric,
  rawMessages,
  START,
  startGatewayEnv,
  UPSTREAM_KEY,
} from "./gateway-support.js";
import { createTestServer, describeEachBackend } from "./harness.js";
import { usageEventRow } from "./usage-rows.js";

const prices = PriceTable.load();
const INHERITED_NAMES = ["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf"];

describe("PriceTable with hostile names", () => {
  const usage = { ...emptyUsage(), inputTokens: 1000, outputTokens: 100 };

  it("prices a model id named like an Object.prototype key at the fallback rates", () => {
    const fallback = prices.cost("claude-imaginary-9", usage);
    expect(fallback.nanos).toBeGreaterThan(0);
    for (const model of INHERITED_NAMES) {
      expect(prices.priceOf(model)).toBeUndefined();
      expect(prices.cost(model, usage)).toEqual({ ...fallback, source: "fallback" });
      expect(
        Number.isSafeInteger(
          prices.estimate(model, { inputBytes: 10, maxTokens: 10, webSearches: 0 }),
        ),
      ).toBe(true);
    }
  });

  it("applies no multiplier for a tier or geo named like an Object.prototype key", () => {
    const plain = prices.cost("claude-opus-4-6", usage);
    expect(plain).toMatchObject({ priced: true, source: "table" });
    for (const name of INHERITED_NAMES) {
      expect(prices.cost("claude-opus-4-6", { ...usage, serviceTier: name })).toEqual(plain);
      expect(prices.cost("claude-opus-4-6", { ...usage, inferenceGeo: name })).toEqual(plain);
    }
  });

  it("charges an unlisted model each rate at its highest over the table, unless the file names a fallback", () => {
    // Highest rates in config/prices.json: $15 input, $18.75 and $30 cache writes, $1.50 cache
    // read, $75 output per million tokens.
    const all = {
      ...emptyUsage(),
      inputTokens: 1_000_000,
      cacheCreation5mTokens: 1_000_000,
      cacheCreation1hTokens: 1_000_000,
      cacheReadTokens: 1_000_000,
      outputTokens: 1_000_000,
    };
    expect(prices.cost("claude-3-7-sonnet-20250219", all)).toMatchObject({
      nanos: (15 + 18.75 + 30 + 1.5 + 75) * 1e9,
      priced: false,
      source: "fallback",
    });
    const own = new PriceTable({
      web_search_per_1000_requests: 10,
      inference_geo_multipliers: {},
      service_tier_multipliers: {},
      models: { a: { input: 1, cache_write_5m: 1, cache_write_1h: 1, cache_read: 1, output: 1 } },
      fallback: { input: 2, cache_write_5m: 2, cache_write_1h: 2, cache_read: 2, output: 2 },
    });
    expect(own.cost("b", all).nanos).toBe(10e9);
    expect(own.cost("a", all).nanos).toBe(5e9);
  });

  it("takes only non-negative safe integers from the upstream's usage, and says which was not", () => {
    for (const bad of [1e21, -1, 1.5, Number.MAX_SAFE_INTEGER + 2, "12"]) {
      const into = emptyUsage();
      mergeUsage(into, { input_tokens: 10, output_tokens: bad });
      expect(into.outputTokens).toBe(0);
      expect(into.inputTokens).toBe(10);
      expect(into.invalid).toMatch(/^usage\.output_tokens is /);
    }
    const nested = emptyUsage();
    mergeUsage(nested, { cache_creation: { ephemeral_1h_input_tokens: 2.5 } });
    expect(nested.invalid).toBe("usage.cache_creation.ephemeral_1h_input_tokens is 2.5");
    const fine = emptyUsage();
    mergeUsage(fine, {
      input_tokens: 0,
      output_tokens: Number.MAX_SAFE_INTEGER,
      cache_read_input_tokens: null,
    });
    expect(fine).toMatchObject({ outputTokens: Number.MAX_SAFE_INTEGER, invalid: null });
  });
});

describeEachBackend("metering hostile input", (backend) => {
  let env: GatewayEnv;

  beforeAll(async () => {
    env = await startGatewayEnv(backend);
  });
  afterAll(async () => {
    await env?.close();
  });
  beforeEach(() => {
    env.upstream.reset();
    env.clock.set(START);
  });

  const month = () => "2026-01";
  const store = () => env.server.services.deps.store;
  const deadLetters = async (): Promise<UsageDeadLetterRow[]> => {
    await env.settle();
    return (await store().read.usageDeadLetters.list(env.server.org.id, {}, { limit: 1000 })).data;
  };
  const metrics = async () => (await fetch(`${env.baseURL}/metrics`)).text();
  const eventById = async (id: string | null): Promise<UsageEventRow | undefined> =>
    (await env.events()).find((event) => event.id === id);

  describe("model ids named like Object.prototype keys", () => {
    it("are metered at the fallback price, and metering goes on for everyone", async () => {
      const { key } = await env.newKey();
      const other = await env.newKey();
      const failuresBefore = metric(await metrics(), "steward_metering_write_failures_total");
      for (const model of INHERITED_NAMES) {
        const hostile = await rawMessages(env, key, JSON.stringify(ask({ model })));
        expect(hostile.status).toBe(200);
        const normal = await env.client(other.key).messages.create(ask()).withResponse();
        const event = await eventById(hostile.headers.get("x-steward-request-id"));
        expect(event).toMatchObject({ model, priced: 0, price_source: "fallback", status: 200 });
        expect(event?.cost_nanos).toBe(
          prices.cost("claude-imaginary-9", {
            ...emptyUsage(),
            inputTokens: event?.input_tokens ?? 0,
            outputTokens: event?.output_tokens ?? 0,
            serviceTier: "standard",
            inferenceGeo: "global",
          }).nanos,
        );
        const normalEvent = await eventById(normal.response.headers.get("x-steward-request-id"));
        expect(normalEvent).toMatchObject({ model: "claude-haiku-4-5", price_source: "table" });
      }
      expect(env.runtime.recorder.pending).toBe(0);
      expect(metric(await metrics(), "steward_metering_write_failures_total")).toBe(failuresBefore);
    });

    it("still meet the workspace's spend limit", async () => {
      // Each request reserves about $0.004 at the fallback rates and costs about $0.001.
      const { key, workspaceId } = await env.newKey({ monthly_spend_usd: 0.02 });
      let served = 0;
      let refused = 0;
      for (let i = 0; i < 40; i++) {
        const response = await rawMessages(
          env,
          key,
          JSON.stringify(
            ask({ model: INHERITED_NAMES[i % INHERITED_NAMES.length], max_tokens: 8 }),
          ),
        );
        await response.arrayBuffer();
        if (response.status === 200) {
          served++;
        } else {
          expect(response.status).toBe(400);
          refused++;
        }
      }
      expect(served).toBeGreaterThan(0);
      expect(refused).toBeGreaterThan(0);
      expect(served).toBeLessThan(40);
      const spent = env.runtime.ledger.spent(`ws:${workspaceId}`, month());
      expect(Number.isSafeInteger(spent)).toBe(true);
      expect(spent).toBeLessThanOrEqual(0.02e9);
    });

    it("are accepted by POST /v1/usage/events and priced at the fallback", async () => {
      const workspaceId = await env.newWorkspace();
      const response = await env.server.post("/v1/usage/events", {
        events: INHERITED_NAMES.map((model, i) => ({
          id: `hostile-${backend.name}-${i}`,
          timestamp: START,
          workspace_id: workspaceId,
          model,
          input_tokens: 1000,
          output_tokens: 100,
        })),
      });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ accepted: INHERITED_NAMES.length, rejected: [] });
      const stored = (await env.events()).filter((e) => e.id.startsWith(`hostile-${backend.name}`));
      expect(stored).toHaveLength(INHERITED_NAMES.length);
      for (const event of stored) {
        expect(event).toMatchObject({
          price_source: "fallback",
          cost_nanos: (15 * 1000 + 75 * 100) * 1000,
        });
      }
      // The seed's report names each of them in its per-model breakdown.
      const report = await env.server.get("/v1/usage", {
        query: { start_date: "2026-01-15", end_date: "2026-01-15", workspace_id: workspaceId },
      });
      expect(report.status).toBe(200);
      expect(Object.keys(report.body.data[0]?.model_breakdown ?? {}).sort()).toEqual(
        [...INHERITED_NAMES].sort(),
      );
    });
  });

  describe("models the price table does not list", () => {
    it("are charged at the fallback rates, so the spend limit refuses", async () => {
      const { key, workspaceId } = await env.newKey({ monthly_spend_usd: 0.01 });
      let served = 0;
      for (let i = 0; i < 30; i++) {
        const response = await rawMessages(
          env,
          key,
          JSON.stringify(ask({ model: "claude-3-7-sonnet-20250219", max_tokens: 8 })),
        );
        await response.arrayBuffer();
        if (response.status === 200) {
          served++;
        }
      }
      expect(served).toBeGreaterThan(0);
      expect(served).toBeLessThan(30);
      const events = (await env.events()).filter((e) => e.workspace_id === workspaceId);
      expect(events).toHaveLength(served);
      for (const event of events) {
        expect(event).toMatchObject({ priced: 0, price_source: "fallback" });
        expect(event.cost_nanos).toBeGreaterThan(0);
      }
      expect(env.runtime.ledger.spent(`ws:${workspaceId}`, month())).toBe(
        events.reduce((sum, e) => sum + e.cost_nanos, 0),
      );
    });

    it("show in the cost report as the part charged at the fallback rates", async () => {
      const workspaceId = await env.newWorkspace();
      const base = {
        timestamp: START,
        workspace_id: workspaceId,
        input_tokens: 1000,
        output_tokens: 100,
      };
      const ingested = await env.server.post("/v1/usage/events", {
        events: [
          // $15 and $75 per MTok: 2.25 cents of tokens; 2 web searches at the table's price: 2 cents.
          { ...base, id: "fallback-1", model: "acme-x", web_search_requests: 2 },
          // $1 and $5 per MTok: 0.15 cents.
          { ...base, id: "table-1", model: "claude-haiku-4-5" },
        ],
      });
      expect(ingested.body).toMatchObject({ accepted: 2 });
      const report = async (groupBy: string[]) => {
        const response = await env.server.get("/v1/organizations/cost_report", {
          query: {
            starting_at: "2026-01-15T00:00:00Z",
            ending_at: "2026-01-16T00:00:00Z",
            group_by: groupBy,
          },
        });
        expect(response.status).toBe(200);
        return (response.body.data[0]?.results ?? []).filter((r) => r.workspace_id === workspaceId);
      };
      expect(await report(["workspace_id"])).toEqual([
        expect.objectContaining({ amount: "4.4", fallback_amount: "2.25" }),
      ]);
      const lines = await report(["workspace_id", "description"]);
      expect(
        lines.map((r) => [r.model, r.cost_type, r.token_type, r.amount, r.fallback_amount]),
      ).toEqual(
        expect.arrayContaining([
          ["acme-x", "tokens", "uncached_input_tokens", "1.5", "1.5"],
          ["acme-x", "tokens", "output_tokens", "0.75", "0.75"],
          ["claude-haiku-4-5", "tokens", "uncached_input_tokens", "0.1", "0"],
          ["claude-haiku-4-5", "tokens", "output_tokens", "0.05", "0"],
          [null, "web_search", null, "2", "0"],
        ]),
      );
      expect(lines).toHaveLength(5);
    });

    it("are priced when the stream ends in an error event", async () => {
      const { key } = await env.newKey();
      env.upstream.script({ kind: "stream-error", afterEvents: 4, type: "overloaded_error" });
      const response = await rawMessages(
        env,
        key,
        JSON.stringify(ask({ model: "claude-imaginary-9", stream: true })),
      );
      await response.text();
      const event = await eventById(response.headers.get("x-steward-request-id"));
      expect(event).toMatchObject({ error_type: "overloaded_error", price_source: "fallback" });
      expect(event?.input_tokens).toBeGreaterThan(0);
      expect(event?.cost_nanos).toBe((event!.input_tokens * 15 + event!.output_tokens * 75) * 1000);
    });
  });

  describe("absurd token counts from the upstream", () => {
    it("are served, kept in the dead letters with the request id, and never summed", async () => {
      const { key, workspaceId } = await env.newKey();
      const before = metric(await metrics(), "steward_usage_dead_letters_total", {
        reason: "invalid_tokens",
      });
      const cases = [{ output_tokens: 1e21 }, { input_tokens: -5 }, { output_tokens: 2.5 }];
      const ids: string[] = [];
      for (const usage of cases) {
        env.upstream.script({ kind: "message", usage });
        const response = await rawMessages(
          env,
          key,
          JSON.stringify(ask({ model: "claude-opus-4-6" })),
        );
        expect(response.status).toBe(200);
        await response.json();
        ids.push(response.headers.get("x-steward-request-id") as string);
      }
      const events = await env.events();
      for (const id of ids) {
        expect(events.find((e) => e.id === id)).toBeUndefined();
      }
      const letters = (await deadLetters()).filter((l) => ids.includes(l.event_id));
      expect(letters.map((l) => [l.event_id, l.reason])).toEqual(
        ids.map((id) => [id, "invalid_tokens"]),
      );
      expect(letters[0]?.detail).toContain("usage.output_tokens is 1e+21");
      expect(JSON.parse(letters[0]?.event ?? "{}")).toMatchObject({
        id: ids[0],
        workspace_id: workspaceId,
        model: "claude-opus-4-6",
      });
      expect(
        metric(await metrics(), "steward_usage_dead_letters_total", { reason: "invalid_tokens" }),
      ).toBe(before + 3);

      // Nothing of them reaches the rollups; the spend limit keeps what admission reserved.
      const report = await env.server.get("/v1/usage", {
        query: { start_date: "2026-01-15", end_date: "2026-01-15", workspace_id: workspaceId },
      });
      expect(report.body.total).toMatchObject({ requests: 0, output_tokens: 0, total_cost_usd: 0 });
      const estimate = prices.estimate("claude-opus-4-6", {
        inputBytes: env.upstream.requests.at(-1)!.body.length,
        maxTokens: 64,
        webSearches: 0,
      });
      expect(env.runtime.ledger.spent(`ws:${workspaceId}`, month())).toBe(3 * estimate);

      // The Admin API lists them.
      const listed = await env.server.get("/v1/organizations/usage_dead_letters", {
        query: { reason: "invalid_tokens", limit: "1000" },
      });
      expect(listed.status).toBe(200);
      const mine = listed.body.data.filter((l: { event_id: string }) => ids.includes(l.event_id));
      expect(mine).toHaveLength(3);
      expect(mine[0]).toMatchObject({
        type: "usage_dead_letter",
        event_id: ids[0],
        reason: "invalid_tokens",
        event: { id: ids[0], workspace_id: workspaceId },
      });

      // Another organization sees none of them, nor can page from one of them.
      const stranger = await env.server.createOrganization();
      const theirs = await env.server.get("/v1/organizations/usage_dead_letters", {
        key: stranger.adminKey,
      });
      expect(theirs.body).toMatchObject({ data: [], has_more: false });
      const cursor = await env.server.get("/v1/organizations/usage_dead_letters", {
        key: stranger.adminKey,
        query: { after_id: mine[0]?.id ?? "" },
      });
      expect(cursor.status).toBe(400);
    });

    it("are refused by POST /v1/usage/events, naming the field", async () => {
      const workspaceId = await env.newWorkspace();
      const response = await env.server.post("/v1/usage/events", {
        events: [
          {
            id: "ok",
            timestamp: START,
            workspace_id: workspaceId,
            model: "m",
            input_tokens: 1,
            output_tokens: 1,
          },
          {
            id: "big",
            timestamp: START,
            workspace_id: workspaceId,
            model: "m",
            input_tokens: 1,
            output_tokens: 1e21,
          },
          {
            id: "neg",
            timestamp: START,
            workspace_id: workspaceId,
            model: "m",
            input_tokens: -1,
            output_tokens: 1,
          },
          {
            id: "frac",
            timestamp: START,
            workspace_id: workspaceId,
            model: "m",
            input_tokens: 1,
            output_tokens: 1,
            cache_read_input_tokens: 0.5,
          },
        ],
      });
      expect(response.status).toBe(200);
      expect(response.body.accepted).toBe(1);
      expect(response.body.rejected.map((r) => [r.id, r.field])).toEqual([
        ["big", "output_tokens"],
        ["neg", "input_tokens"],
        ["frac", "cache_read_input_tokens"],
      ]);
    });
  });

  describe("a batch the database refuses for one event", () => {
    it("writes every other event once and keeps the bad one in the dead letters", async () => {
      const runtime = env.runtime as GatewayRuntime;
      const org = env.server.org.id;
      const workspaceId = await env.newWorkspace();
      const before = metric(await metrics(), "steward_usage_dead_letters_total", {
        reason: "write_failed",
      });
      const row = (id: string, fields: Partial<UsageEventRow> = {}) =>
        usageEventRow({
          organization_id: org,
          workspace_id: workspaceId,
          occurred_at: START,
          id,
          ...fields,
        });
      // NaN is refused by both engines: SQLite stores it as NULL (NOT NULL fails), PostgreSQL
      // cannot read it as a bigint.
      const events = [
        row(`batch-${backend.name}-1`),
        row(`batch-${backend.name}-2`),
        row(`batch-${backend.name}-bad`, { cost_nanos: Number.NaN }),
        row(`batch-${backend.name}-3`),
        row(`batch-${backend.name}-4`),
      ];
      for (const event of events) {
        runtime.recorder.record(event);
      }
      await runtime.recorder.drain();
      expect(runtime.recorder.pending).toBe(0);
      const stored = (await store().read.usage.list(org)).filter((e) =>
        e.id.startsWith(`batch-${backend.name}`),
      );
      expect(stored.map((e) => e.id).sort()).toEqual(
        [1, 2, 3, 4].map((n) => `batch-${backend.name}-${n}`),
      );
      const letters = (await deadLetters()).filter((l) =>
        l.event_id.startsWith(`batch-${backend.name}`),
      );
      expect(letters).toHaveLength(1);
      expect(letters[0]).toMatchObject({
        event_id: `batch-${backend.name}-bad`,
        reason: "write_failed",
      });
      expect(letters[0]?.detail).not.toBe("");
      expect(
        metric(await metrics(), "steward_usage_dead_letters_total", { reason: "write_failed" }),
      ).toBe(before + 1);
      // Each good event counted once in the rollups.
      const report = await env.server.get("/v1/usage", {
        query: { start_date: "2026-01-15", end_date: "2026-01-15", workspace_id: workspaceId },
      });
      expect(report.body.total).toMatchObject({ requests: 4, total_cost_usd: (4 * 1000) / 1e9 });

      // The same batch again (a retry after a crash): nothing is written or kept twice.
      for (const event of events) {
        runtime.recorder.record(event);
      }
      await runtime.recorder.drain();
      const again = await env.server.get("/v1/usage", {
        query: { start_date: "2026-01-15", end_date: "2026-01-15", workspace_id: workspaceId },
      });
      expect(again.body.total.requests).toBe(4);
      expect(
        (await deadLetters()).filter((l) => l.event_id.startsWith(`batch-${backend.name}`)),
      ).toHaveLength(1);
    });
  });
});

describeEachBackend("metering of streams the upstream cuts off", (backend) => {
  let upstream: Server;
  let server: Awaited<ReturnType<typeof createTestServer>>;
  let baseURL: string;

  beforeAll(async () => {
    // message_start and a message_delta, then the connection is destroyed mid-stream.
    upstream = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk) => {
        body += chunk;
      });
      req.on("end", () => {
        const { model } = JSON.parse(body) as { model: string };
        res.writeHead(200, { "content-type": "text/event-stream", "request-id": "req_upstream" });
        const start = {
          type: "message_start",
          message: {
            id: "msg_1",
            type: "message",
            role: "assistant",
            model,
            content: [],
            stop_reason: null,
            usage: { input_tokens: 1000, output_tokens: 1 },
          },
        };
        const delta = {
          type: "message_delta",
          delta: { stop_reason: null },
          usage: { output_tokens: 200 },
        };
        res.write(
          `event: message_start\ndata: ${JSON.stringify(start)}\n\nevent: message_delta\ndata: ${JSON.stringify(delta)}\n\n`,
          () => setImmediate(() => res.socket?.destroy()),
        );
      });
    });
    await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
    const { port } = upstream.address() as AddressInfo;
    server = await createTestServer(backend, {
      clock: new ManualClock(START),
      gateway: {
        upstream: { url: `http://127.0.0.1:${port}`, apiKey: UPSTREAM_KEY, timeoutMs: 10_000 },
        recorder: { maxDelayMs: 5 },
      },
    });
    await server.app.listen({ port: 0, host: "127.0.0.1" });
    baseURL = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await server?.close();
    await new Promise((resolve) => upstream?.close(resolve));
  });

  it("stores them with their tokens and their price, listed or not", async () => {
    const key = (await server.post("/v1/api_keys", { name: "cut" })).body.key as string;
    const ids: string[] = [];
    for (const model of ["claude-opus-4-6", "claude-imaginary-9"]) {
      const response = await fetch(`${baseURL}/v1/messages`, {
        method: "POST",
        headers: {
          "x-api-key": key,
          "anthropic-version": "2023-06-01",
          "content-type": "application/json",
        },
        body: JSON.stringify(ask({ model, stream: true })),
      });
      ids.push(response.headers.get("x-steward-request-id") as string);
      await response.text().catch(() => "");
    }
    const runtime = server.app.gateway as GatewayRuntime;
    await runtime.gateway.idle();
    await runtime.recorder.drain();
    const events = await server.services.deps.store.read.usage.list(server.org.id);
    const [listed, unlisted] = ids.map((id) => events.find((e) => e.id === id));
    expect(listed).toMatchObject({
      input_tokens: 1000,
      output_tokens: 200,
      price_source: "table",
      cost_nanos: (1000 * 5 + 200 * 25) * 1000,
      stream: 1,
    });
    expect(listed?.error_type).not.toBeNull();
    expect(unlisted).toMatchObject({
      input_tokens: 1000,
      output_tokens: 200,
      price_source: "fallback",
      cost_nanos: (1000 * 15 + 200 * 75) * 1000,
    });
  });
});
