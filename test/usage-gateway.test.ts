/**
 * Gateway traffic and ingested events land in the same store and the same reports (issue 4):
 * requests through the gateway (the official SDK's messages.create and messages.stream against
 * the fake upstream) appear in `/v1/usage`, the messages usage report and the cost report with
 * exactly the tokens the upstream reported, by their real API key; usage ingested for the current
 * month counts against a workspace's monthly_spend_usd at the gateway (and after a restart); and a
 * batch the recorder writes again after a failure, or events stored twice, are counted once.
 */
import type { AddressInfo } from "node:net";
import Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { monthOf } from "../src/core/months.js";
import { PriceTable } from "../src/core/usage/prices.js";
import { prepareUsageEvents, storeUsageEvents } from "../src/core/usage/usage-events.js";
import type { UsageEventRow } from "../src/core/usage/usage-store.js";
import type { GatewayRuntime } from "../src/gateway/runtime.js";
import { startRuntime } from "../src/runtime.js";
import type { FakeUsage } from "./fixtures/fake-upstream.js";
import {
  ask,
  expectApiError,
  failure,
  type GatewayEnv,
  START,
  startGatewayEnv,
  UPSTREAM_KEY,
} from "./gateway-support.js";
import { describeEachBackend } from "./harness.js";

const MINUTE = 60_000;
const HOUR = 3_600_000;
const at = (offsetMs: number) => new Date(Date.parse(START) + offsetMs).toISOString();
const nanos = (usd: number) => Math.round(usd * 1e9);

/** Every usage field the gateway meters, distinct (as in test/gateway-metering.test.ts). */
const FULL_USAGE: Partial<FakeUsage> = {
  input_tokens: 1000,
  output_tokens: 500,
  cache_creation: { ephemeral_5m_input_tokens: 2000, ephemeral_1h_input_tokens: 3000 },
  cache_read_input_tokens: 4000,
  server_tool_use: { web_search_requests: 3 },
};
/** claude-opus-4-6: 1000 × $5 + 2000 × $6.25 + 3000 × $10 + 4000 × $0.50 + 500 × $25 per MTok, + 3 × $0.01. */
const FULL_USAGE_COST_NANOS = 92_000_000;

/** A request as the upstream answered it, and who sent it. */
interface Sent {
  keyId: string;
  model: string;
  at: string;
  usage: FakeUsage;
}

interface Tokens {
  requests: number;
  uncached_input_tokens: number;
  cache_5m: number;
  cache_1h: number;
  cache_read_input_tokens: number;
  output_tokens: number;
  web_search_requests: number;
}

function tokensOf(sent: readonly Sent[]): Tokens {
  const sums: Tokens = {
    requests: 0,
    uncached_input_tokens: 0,
    cache_5m: 0,
    cache_1h: 0,
    cache_read_input_tokens: 0,
    output_tokens: 0,
    web_search_requests: 0,
  };
  for (const { usage } of sent) {
    sums.requests += 1;
    sums.uncached_input_tokens += usage.input_tokens;
    sums.cache_5m += usage.cache_creation?.ephemeral_5m_input_tokens ?? 0;
    sums.cache_1h += usage.cache_creation?.ephemeral_1h_input_tokens ?? 0;
    sums.cache_read_input_tokens += usage.cache_read_input_tokens ?? 0;
    sums.output_tokens += usage.output_tokens;
    sums.web_search_requests += usage.server_tool_use?.web_search_requests ?? 0;
  }
  return sums;
}

/** A messages usage report result, in the same terms (no requests count there). */
function resultTokens(result: Record<string, any>): Omit<Tokens, "requests"> {
  return {
    uncached_input_tokens: result.uncached_input_tokens,
    cache_5m: result.cache_creation.ephemeral_5m_input_tokens,
    cache_1h: result.cache_creation.ephemeral_1h_input_tokens,
    cache_read_input_tokens: result.cache_read_input_tokens,
    output_tokens: result.output_tokens,
    web_search_requests: result.server_tool_use.web_search_requests,
  };
}

const withoutRequests = ({ requests: _, ...tokens }: Tokens) => tokens;

/** An exact cents string in nano-dollars (1e7 nanos to the cent). */
function centsToNanos(amount: string): number {
  const match = /^(\d+)(?:\.(\d{1,7}))?$/.exec(amount);
  if (!match) {
    throw new Error(`not an exact cents amount: ${JSON.stringify(amount)}`);
  }
  return Number(match[1]) * 1e7 + Number((match[2] ?? "").padEnd(7, "0"));
}

describeEachBackend("gateway usage in the reports", (backend) => {
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

  const month = () => monthOf(env.clock.now());
  // The suite's runtime has the memory ledger, which answers at once.
  const spentIn = (workspaceId: string) =>
    env.runtime.ledger.spent(`ws:${workspaceId}`, month()) as number;
  const eventsOf = async (workspaceId: string) =>
    (await env.events()).filter((e) => e.workspace_id === workspaceId);
  const costOf = (events: readonly UsageEventRow[]) => events.reduce((n, e) => n + e.cost_nanos, 0);

  /** Sends one request through the gateway at `offsetMs` after START; returns what the upstream reported. */
  async function send(
    key: { id: string; key: string },
    how: "create" | "stream",
    offsetMs: number,
    params: Record<string, unknown>,
    usage?: Partial<FakeUsage>,
  ): Promise<Sent> {
    env.clock.set(at(offsetMs));
    env.upstream.script(usage ? { kind: "message", usage } : { kind: "message" });
    const client = env.client(key.key);
    const body = ask(params);
    const message =
      how === "create"
        ? await client.messages.create(body)
        : await client.messages.stream(body).finalMessage();
    expect(message.type).toBe("message");
    const reported = env.upstream.reported.at(-1) as FakeUsage;
    return { keyId: key.id, model: body.model, at: at(offsetMs), usage: reported };
  }

  /** The messages usage report, every page. */
  async function messagesReport(query: Record<string, string | string[]>) {
    const data: Array<{ starting_at: string; ending_at: string; results: any[] }> = [];
    let page: string | undefined;
    do {
      const response = await env.server.get("/v1/organizations/usage_report/messages", {
        query: page === undefined ? query : { ...query, page },
      });
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      data.push(...response.body.data);
      page = response.body.next_page ?? undefined;
    } while (page !== undefined);
    return data;
  }

  describe("reports", () => {
    let workspaceId: string;
    let keyA: { id: string; key: string };
    let keyB: { id: string; key: string };
    let sent: Sent[];

    beforeAll(async () => {
      env.upstream.reset();
      const a = await env.newKey();
      workspaceId = a.workspaceId;
      keyA = a;
      keyB = await env.issueKey({ workspace_id: workspaceId });
      sent = [
        await send(keyA, "create", 0, { model: "claude-opus-4-6", max_tokens: 1000 }, FULL_USAGE),
        // Same minute (12:00:59.999), streamed, default usage.
        await send(keyA, "stream", MINUTE - 1, { model: "claude-haiku-4-5" }),
        // The last millisecond of the 12:00 hour, with a tier and a geo of its own.
        await send(
          keyB,
          "create",
          HOUR - 1,
          { model: "claude-haiku-4-5" },
          {
            input_tokens: 10,
            output_tokens: 5,
            cache_read_input_tokens: 7,
            service_tier: "batch",
            inference_geo: "us",
          },
        ),
        // The first millisecond of the next hour, streamed.
        await send(
          keyB,
          "stream",
          HOUR,
          { model: "claude-opus-4-6", max_tokens: 1000 },
          FULL_USAGE,
        ),
      ];
      await env.settle();
    });

    it("records one event per request, with the upstream's tokens", async () => {
      const events = await eventsOf(workspaceId);
      expect(events).toHaveLength(sent.length);
      for (const s of sent) {
        const matching = events.filter((e) => e.occurred_at === s.at);
        expect(matching).toHaveLength(1);
        const event = matching[0] as UsageEventRow;
        expect({ key: event.api_key_id, model: event.model, source: event.source }).toEqual({
          key: s.keyId,
          model: s.model,
          source: "gateway",
        });
      }
    });

    it("shows them in /v1/usage by hour, day and month, with the cost of each event", async () => {
      const events = await eventsOf(workspaceId);
      const hourly = await env.server.get("/v1/usage", {
        query: {
          start_date: "2026-01-15",
          end_date: "2026-01-15",
          granularity: "hour",
          workspace_id: workspaceId,
        },
      });
      expect(hourly.status, JSON.stringify(hourly.body)).toBe(200);
      expect(hourly.body.data).toHaveLength(24);
      const seedTokens = (list: readonly Sent[]) => {
        const t = tokensOf(list);
        return {
          input_tokens: t.uncached_input_tokens,
          output_tokens: t.output_tokens,
          cache_creation_tokens: t.cache_5m + t.cache_1h,
          cache_read_tokens: t.cache_read_input_tokens,
          web_search_requests: t.web_search_requests,
          requests: t.requests,
        };
      };
      for (const bucket of hourly.body.data) {
        const start = Date.parse(bucket.starting_at);
        const inBucket = (iso: string) =>
          Date.parse(iso) >= start && Date.parse(iso) < start + HOUR;
        const { total_cost_usd, model_breakdown, date, starting_at, ending_at, ...tokens } = bucket;
        expect(tokens, bucket.date).toEqual(seedTokens(sent.filter((s) => inBucket(s.at))));
        expect(nanos(total_cost_usd), bucket.date).toBe(
          costOf(events.filter((e) => inBucket(e.occurred_at))),
        );
        expect(Object.keys(model_breakdown).sort()).toEqual(
          [...new Set(sent.filter((s) => inBucket(s.at)).map((s) => s.model))].sort(),
        );
      }
      const noon = hourly.body.data[12];
      if (!noon) {
        throw new Error("no bucket at noon");
      }
      expect(noon.date).toBe("2026-01-15T12:00:00Z");
      expect(noon.requests).toBe(3);
      expect(nanos(noon.model_breakdown["claude-opus-4-6"]?.cost_usd ?? Number.NaN)).toBe(
        FULL_USAGE_COST_NANOS,
      );
      expect(hourly.body.data[13]?.requests).toBe(1);

      for (const granularity of ["day", "month"]) {
        const report = await env.server.get("/v1/usage", {
          query: {
            start_date: "2026-01-01",
            end_date: "2026-01-31",
            granularity,
            workspace_id: workspaceId,
          },
        });
        expect(report.status).toBe(200);
        const { total_cost_usd, ...total } = report.body.total;
        expect(total).toEqual(seedTokens(sent));
        expect(nanos(total_cost_usd)).toBe(costOf(events));
        expect(nanos(total_cost_usd)).toBeGreaterThan(2 * FULL_USAGE_COST_NANOS);
      }
    });

    it("shows them in the messages usage report by their real API key, at every bucket width", async () => {
      const groupBy = ["api_key_id", "model", "service_tier", "inference_geo", "context_window"];
      const expected = (list: readonly Sent[]) => {
        const groups = new Map<string, Sent[]>();
        for (const s of list) {
          const key = JSON.stringify([
            s.keyId,
            s.model,
            s.usage.service_tier ?? "standard",
            s.usage.inference_geo ?? "not_available",
          ]);
          groups.set(key, [...(groups.get(key) ?? []), s]);
        }
        return [...groups.values()]
          .map((group) => {
            const first = group[0] as Sent;
            return {
              api_key_id: first.keyId,
              workspace_id: null,
              model: first.model,
              service_tier: first.usage.service_tier ?? "standard",
              inference_geo: first.usage.inference_geo ?? "not_available",
              context_window: "0-200k",
              ...withoutRequests(tokensOf(group)),
            };
          })
          .sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
      };
      const actual = (results: any[]) =>
        results
          .map((r) => ({
            api_key_id: r.api_key_id,
            workspace_id: r.workspace_id,
            model: r.model,
            service_tier: r.service_tier,
            inference_geo: r.inference_geo,
            context_window: r.context_window,
            ...resultTokens(r),
          }))
          .sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));

      const widths = [
        { width: "1m", ms: MINUTE, from: at(-MINUTE), to: at(HOUR + 2 * MINUTE) },
        { width: "1h", ms: HOUR, from: "2026-01-15T00:00:00Z", to: "2026-01-16T00:00:00Z" },
        { width: "1d", ms: 24 * HOUR, from: "2026-01-10T00:00:00Z", to: "2026-01-20T00:00:00Z" },
      ];
      for (const { width, ms, from, to } of widths) {
        const data = await messagesReport({
          starting_at: from,
          ending_at: to,
          bucket_width: width,
          group_by: groupBy,
          workspace_ids: [workspaceId],
        });
        expect(data).toHaveLength((Date.parse(to) - Date.parse(from)) / ms);
        let nonEmpty = 0;
        for (const bucket of data) {
          const start = Date.parse(bucket.starting_at);
          const inBucket = sent.filter(
            (s) => Date.parse(s.at) >= start && Date.parse(s.at) < start + ms,
          );
          nonEmpty += inBucket.length > 0 ? 1 : 0;
          expect(actual(bucket.results), `${width} ${bucket.starting_at}`).toEqual(
            expected(inBucket),
          );
        }
        expect(nonEmpty).toBe({ "1m": 3, "1h": 2, "1d": 1 }[width]);
      }

      // Filtered by one key, without grouping: that key's tokens only.
      const byKey = await messagesReport({
        starting_at: "2026-01-15T00:00:00Z",
        ending_at: "2026-01-16T00:00:00Z",
        bucket_width: "1d",
        api_key_ids: [keyB.id],
      });
      expect(byKey).toHaveLength(1);
      expect(byKey[0]?.results.map(resultTokens)).toEqual([
        withoutRequests(tokensOf(sent.filter((s) => s.keyId === keyB.id))),
      ]);
      expect(byKey[0]?.results[0].api_key_id).toBeNull();
    });

    it("shows their cost in the cost report, by line item, to the nano-dollar", async () => {
      const events = await eventsOf(workspaceId);
      const response = await env.server.get("/v1/organizations/cost_report", {
        query: {
          starting_at: "2026-01-15T00:00:00Z",
          ending_at: "2026-01-16T00:00:00Z",
          group_by: ["workspace_id", "description"],
        },
      });
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      expect(response.body.data).toHaveLength(1);
      const lines = ((response.body.data[0]?.results ?? []) as any[]).filter(
        (r) => r.workspace_id === workspaceId,
      );
      expect(lines.reduce((n, line) => n + centsToNanos(line.amount), 0)).toBe(costOf(events));

      // Both FULL_USAGE requests are Claude Opus 4.6, standard tier, global: one line per token type.
      const opus = (label: string) =>
        lines.find((line) => line.description === `Claude Opus 4.6 Usage - ${label}`);
      expect(opus("Input Tokens")).toMatchObject({
        amount: "1", // 2 × 1000 × $5/MTok = $0.01
        currency: "USD",
        cost_type: "tokens",
        model: "claude-opus-4-6",
        service_tier: "standard",
        inference_geo: "global",
        context_window: "0-200k",
        token_type: "uncached_input_tokens",
      });
      expect(opus("Output Tokens")?.amount).toBe("2.5"); // 2 × 500 × $25/MTok
      expect(opus("Cache Write (5m)")?.amount).toBe("2.5"); // 2 × 2000 × $6.25/MTok
      expect(opus("Cache Write (1h)")?.amount).toBe("6"); // 2 × 3000 × $10/MTok
      expect(opus("Cache Read Input Tokens")?.amount).toBe("0.4"); // 2 × 4000 × $0.50/MTok
      const webSearch = lines.filter((line) => line.cost_type === "web_search");
      expect(webSearch).toEqual([
        {
          amount: "6", // 6 searches × $0.01
          currency: "USD",
          workspace_id: workspaceId,
          api_key_id: null,
          description: "Web Search Usage",
          cost_type: "web_search",
          model: null,
          service_tier: null,
          token_type: null,
          context_window: null,
          inference_geo: null,
          fallback_amount: "0",
        },
      ]);
      // The batch request in the us geo is a line group of its own.
      const batch = lines.filter((line) => line.service_tier === "batch");
      expect(batch.length).toBeGreaterThan(0);
      expect(batch.every((line) => line.inference_geo === "us")).toBe(true);
      const batchEvent = events.find((e) => e.service_tier === "batch") as UsageEventRow;
      expect(batch.reduce((n, line) => n + centsToNanos(line.amount), 0)).toBe(
        batchEvent.cost_nanos,
      );
    });

    it("counts the gateway's own requests once against the month's spend", async () => {
      expect(spentIn(workspaceId)).toBe(costOf(await eventsOf(workspaceId)));
    });
  });

  describe("ingested usage and spend limits", () => {
    async function ingest(events: Array<Record<string, unknown>>) {
      const response = await env.server.post("/v1/usage/events", { events });
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      return response.body as { accepted: number; duplicates: number; rejected: unknown[] };
    }
    const event = (workspaceId: string, id: string, costUsd: number, timestamp = at(-HOUR)) => ({
      id,
      timestamp,
      workspace_id: workspaceId,
      model: "claude-haiku-4-5",
      input_tokens: 100,
      output_tokens: 10,
      cost_usd: costUsd,
    });

    it("refuses a workspace's requests once ingested spend for this month reaches monthly_spend_usd", async () => {
      const key = await env.newKey({ monthly_spend_usd: 1 });
      const { workspaceId } = key;
      const client = env.client(key.key);
      await send(key, "create", 0, {});
      await env.settle();
      const gatewaySpend = spentIn(workspaceId);
      expect(gatewaySpend).toBeGreaterThan(0);

      expect(await ingest([event(workspaceId, `${workspaceId}-a`, 0.6)])).toMatchObject({
        accepted: 1,
      });
      expect(spentIn(workspaceId)).toBe(gatewaySpend + 600_000_000);
      // The same id again, and last month's usage: neither counts.
      expect(await ingest([event(workspaceId, `${workspaceId}-a`, 0.6)])).toMatchObject({
        accepted: 0,
        duplicates: 1,
      });
      expect(
        await ingest([event(workspaceId, `${workspaceId}-old`, 50, "2025-12-31T23:59:59.999Z")]),
      ).toMatchObject({ accepted: 1 });
      expect(spentIn(workspaceId)).toBe(gatewaySpend + 600_000_000);
      expect((await client.messages.create(ask())).type).toBe("message");
      await env.settle();
      const before = spentIn(workspaceId);
      expect(before).toBeLessThan(1e9);

      // Enough to reach the limit: the next request is refused, JSON or streamed.
      expect(
        await ingest([event(workspaceId, `${workspaceId}-b`, (1e9 - before) / 1e9)]),
      ).toMatchObject({
        accepted: 1,
      });
      expect(spentIn(workspaceId)).toBeGreaterThanOrEqual(1e9);
      const refused = await failure(client.messages.create(ask()));
      expectApiError(refused, 400, "invalid_request_error", "workspace_spend_limit_reached");
      expectApiError(
        await failure(client.messages.stream(ask()).finalMessage()),
        400,
        "invalid_request_error",
        "workspace_spend_limit_reached",
      );

      // The month's spend, seeded from the rollups after a restart, is the same and still refuses.
      const monthEvents = (await eventsOf(workspaceId)).filter((e) => e.occurred_at >= "2026-01");
      expect(monthEvents).toHaveLength(4);
      expect(spentIn(workspaceId)).toBe(costOf(monthEvents));
      const second = await startRuntime({
        database: env.server.database,
        clock: env.clock,
        gateway: {
          upstream: { url: env.upstream.url, apiKey: UPSTREAM_KEY, timeoutMs: 10_000 },
          prices: PriceTable.load(),
          recorder: { maxDelayMs: 5 },
        },
      });
      const { app } = second;
      try {
        await app.listen({ port: 0, host: "127.0.0.1" });
        const runtime = app.gateway as GatewayRuntime;
        expect(runtime.ledger.spent(`ws:${workspaceId}`, month())).toBe(costOf(monthEvents));
        const restarted = new Anthropic({
          baseURL: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`,
          apiKey: key.key,
          maxRetries: 0,
        });
        expectApiError(
          await failure(restarted.messages.create(ask())),
          400,
          "invalid_request_error",
          "workspace_spend_limit_reached",
        );
      } finally {
        await second.close();
      }
    });
  });

  describe("writing a batch again", () => {
    /** The key and hour rollup's sums for a workspace, straight from the table. */
    async function rollupSums(workspaceId: string) {
      const rows = await env.server.database.db
        .selectFrom("usage_key_hour")
        .selectAll()
        .where("workspace_id", "=", workspaceId)
        .execute();
      return rows.reduce(
        (sums, row) => ({
          requests: sums.requests + Number(row.requests),
          input: sums.input + Number(row.input_tokens),
          output: sums.output + Number(row.output_tokens),
          cost: sums.cost + Number(row.cost_nanos),
        }),
        { requests: 0, input: 0, output: 0, cost: 0 },
      );
    }
    const sumsOf = (events: readonly UsageEventRow[]) => ({
      requests: events.length,
      input: events.reduce((n, e) => n + e.input_tokens, 0),
      output: events.reduce((n, e) => n + e.output_tokens, 0),
      cost: costOf(events),
    });

    /** Runs the requests while the store's next transaction fails as `how` says. */
    async function withFailingWrite(
      how: "after commit" | "before commit",
      requests: () => Promise<Sent[]>,
    ): Promise<{ sent: Sent[]; failures: number }> {
      const store = env.server.services.deps.store;
      const original = store.transaction;
      let failures = 0;
      store.transaction = async <T>(work: Parameters<typeof original<T>>[0]): Promise<T> => {
        if (failures > 0) {
          return original.call(store, work) as Promise<T>;
        }
        failures += 1;
        if (how === "after commit") {
          await original.call(store, work);
          throw new Error("connection reset before the commit was acknowledged");
        }
        return original.call(store, async (repos) => {
          await work(repos);
          throw new Error("disk full");
        }) as Promise<T>;
      };
      try {
        const sent = await requests();
        await env.settle();
        return { sent, failures };
      } finally {
        store.transaction = original;
      }
    }

    for (const how of ["after commit", "before commit"] as const) {
      it(`counts each event once when a batch's write fails ${how} and is retried`, async () => {
        const key = await env.newKey();
        const { sent, failures } = await withFailingWrite(how, async () => [
          await send(key, "create", 0, {}),
          await send(key, "stream", 1, {}, { input_tokens: 11, output_tokens: 3 }),
          await send(key, "create", 2, { model: "claude-opus-4-6" }, FULL_USAGE),
        ]);
        expect(failures).toBe(1);
        const events = await eventsOf(key.workspaceId);
        expect(events).toHaveLength(3);
        const totals = tokensOf(sent);
        expect(await rollupSums(key.workspaceId)).toEqual(sumsOf(events));
        expect(sumsOf(events)).toMatchObject({
          input: totals.uncached_input_tokens,
          output: totals.output_tokens,
        });
        const report = await messagesReport({
          starting_at: "2026-01-15T00:00:00Z",
          ending_at: "2026-01-16T00:00:00Z",
          workspace_ids: [key.workspaceId],
        });
        expect(report.flatMap((bucket) => bucket.results).map(resultTokens)).toEqual([
          withoutRequests(totals),
        ]);
        expect(spentIn(key.workspaceId)).toBe(costOf(events));
      });
    }

    it("counts events stored again in another transaction once", async () => {
      const key = await env.newKey();
      await send(key, "create", 0, {});
      await send(key, "stream", MINUTE, {});
      await env.settle();
      const events = await eventsOf(key.workspaceId);
      expect(events).toHaveLength(2);
      const before = await rollupSums(key.workspaceId);
      expect(before).toEqual(sumsOf(events));

      const store = env.server.services.deps.store;
      for (let i = 0; i < 2; i++) {
        const again = await store.transaction((repos) =>
          storeUsageEvents(repos, prepareUsageEvents([...events, ...events])),
        );
        expect(again).toEqual([]);
      }
      expect(await rollupSums(key.workspaceId)).toEqual(before);
      const seed = await env.server.get("/v1/usage", {
        query: { start_date: "2026-01-15", end_date: "2026-01-15", workspace_id: key.workspaceId },
      });
      expect(seed.body.total.requests).toBe(2);
      expect(nanos(seed.body.total.total_cost_usd)).toBe(costOf(events));
    });
  });
});
