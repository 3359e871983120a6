import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Registry } from "prom-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.js";
import { PriceTable } from "../src/core/usage/prices.js";
import { GatewayMetrics } from "../src/gateway/metrics.js";
import { UsageMetrics } from "../src/observability/usage-metrics.js";
import { type RuntimeOptions, startRuntime } from "../src/runtime.js";
import { type FakeUpstream, startFakeUpstream } from "./fixtures/fake-upstream.js";
import { listenWithKey, UPSTREAM_KEY } from "./gateway-support.js";
import { createTestDatabase } from "./harness.js";
import { usageEventRow } from "./usage-rows.js";

/** The value of steward_gateway_requests_total for one route and status, as Prometheus reads it. */
async function answered(metrics: GatewayMetrics, route: string, status: string): Promise<number> {
  const { values } = await metrics.requests.get();
  return values.find((v) => v.labels.route === route && v.labels.status === status)?.value ?? 0;
}

describe("GatewayMetrics.answered", () => {
  it("counts answers by route and status, handed over once however often it is read", async () => {
    const metrics = new GatewayMetrics();
    metrics.answered("messages", 200);
    metrics.answered("messages", 200);
    metrics.answered("messages", 429);
    metrics.answered("models", 200);

    expect(await answered(metrics, "messages", "200")).toBe(2);
    expect(await answered(metrics, "messages", "429")).toBe(1);
    expect(await answered(metrics, "models", "200")).toBe(1);
    // A second read adds nothing new; later answers add to what was read.
    expect(await answered(metrics, "messages", "200")).toBe(2);
    metrics.answered("messages", 200);
    expect(await answered(metrics, "messages", "200")).toBe(3);

    const text = await metrics.registry.metrics();
    expect(text).toContain('steward_gateway_requests_total{route="messages",status="200"} 3');
    expect(text).toContain('steward_gateway_requests_total{route="messages",status="429"} 1');
  });

  it("counts a status outside 0 to 999 too", async () => {
    const metrics = new GatewayMetrics();
    metrics.answered("messages", 1000);
    metrics.answered("messages", 0);
    expect(await answered(metrics, "messages", "1000")).toBe(1);
    expect(await answered(metrics, "messages", "0")).toBe(1);
  });
});

describe("UsageMetrics", () => {
  /** A counter's value for labels, as Prometheus reads it. */
  async function seriesValue(registry: Registry, name: string, labels: Record<string, string>) {
    const metric = await registry.getSingleMetric(name)?.get();
    return metric?.values.find((v) =>
      Object.entries(labels).every(([label, value]) => v.labels[label] === value),
    )?.value;
  }

  it("counts tokens by type and spend in USD, by workspace and model", async () => {
    const registry = new Registry();
    const metrics = new UsageMetrics(registry);
    metrics.usageRecorded([
      usageEventRow({ id: "a", input_tokens: 10, output_tokens: 5, cost_nanos: 1_500_000 }),
      usageEventRow({
        id: "b",
        input_tokens: 1,
        output_tokens: 2,
        cache_read_tokens: 7,
        cache_creation_5m_tokens: 3,
        cache_creation_1h_tokens: 4,
        cost_nanos: 500_000,
      }),
    ]);
    const labels = { workspace: "wrkspc_rows", model: "claude-sonnet-4-5" };
    const tokens = "steward_usage_tokens_total";
    expect(await seriesValue(registry, tokens, { ...labels, type: "input" })).toBe(11);
    expect(await seriesValue(registry, tokens, { ...labels, type: "output" })).toBe(7);
    expect(await seriesValue(registry, tokens, { ...labels, type: "cache_read" })).toBe(7);
    expect(await seriesValue(registry, tokens, { ...labels, type: "cache_creation" })).toBe(7);
    expect(await seriesValue(registry, "steward_usage_spend_usd_total", labels)).toBeCloseTo(
      0.002,
      12,
    );
  });

  it("bounds its labels: unpriced models and workspaces past the cap are other", async () => {
    const registry = new Registry();
    const metrics = new UsageMetrics(registry, { workspaceLabels: 2 });
    metrics.usageRecorded([
      usageEventRow({ id: "1", workspace_id: "wrkspc_1" }),
      usageEventRow({ id: "2", workspace_id: "wrkspc_2", model: "made-up-model", priced: 0 }),
      usageEventRow({ id: "3", workspace_id: "wrkspc_3" }),
      usageEventRow({ id: "4", workspace_id: "wrkspc_4" }),
    ]);
    // A workspace seen before the cap keeps its label in later batches.
    metrics.usageRecorded([usageEventRow({ id: "5", workspace_id: "wrkspc_1" })]);
    const series = (await registry.getSingleMetric("steward_usage_spend_usd_total")?.get())?.values;
    expect(series?.map((v) => `${v.labels.workspace} ${v.labels.model}`).sort()).toEqual([
      "other claude-sonnet-4-5",
      "wrkspc_1 claude-sonnet-4-5",
      "wrkspc_2 other",
    ]);
    const input = { model: "claude-sonnet-4-5", type: "input" };
    expect(
      await seriesValue(registry, "steward_usage_tokens_total", {
        ...input,
        workspace: "wrkspc_1",
      }),
    ).toBe(20);
    expect(
      await seriesValue(registry, "steward_usage_tokens_total", { ...input, workspace: "other" }),
    ).toBe(20);
  });
});

describe("/metrics", () => {
  const METRICS_TOKEN = "metrics-token-0123456789abcdef";
  let upstream: FakeUpstream;
  beforeAll(async () => {
    upstream = await startFakeUpstream({ apiKey: UPSTREAM_KEY });
  });
  afterAll(() => upstream.close());

  /** A node over a fresh SQLite database, with the server's metrics options. */
  async function startNode(options: Pick<RuntimeOptions, "http" | "metricsListener"> = {}) {
    const testDb = await createTestDatabase({ name: "sqlite" });
    const runtime = await startRuntime({
      database: testDb.database,
      gateway: {
        upstream: { url: upstream.url, apiKey: UPSTREAM_KEY, timeoutMs: 10_000 },
        prices: PriceTable.load(),
        recorder: { maxDelayMs: 5 },
        metrics: { process: true },
      },
      ...options,
    });
    return {
      runtime,
      scrape: (headers: Record<string, string> = {}, remoteAddress = "127.0.0.1") =>
        runtime.app.inject({ method: "GET", url: "/metrics", headers, remoteAddress }),
      async close() {
        await runtime.close();
        await testDb.drop();
      },
    };
  }

  describe("by default", () => {
    let node: Awaited<ReturnType<typeof startNode>>;
    beforeAll(async () => {
      node = await startNode();
    });
    afterAll(() => node.close());

    it("answers a client on this machine, with process, token and spend metrics", async () => {
      const { runtime } = node;
      const { baseURL, workspaceId, key } = await listenWithKey(runtime, "Metrics");
      const answer = await fetch(`${baseURL}/v1/messages`, {
        method: "POST",
        headers: {
          "x-api-key": key.key,
          "anthropic-version": "2023-06-01",
          "content-type": "application/json",
        },
        body: JSON.stringify({
          model: "claude-haiku-4-5",
          max_tokens: 16,
          messages: [{ role: "user", content: "Say hello." }],
        }),
      });
      expect(answer.status).toBe(200);
      const { usage } = (await answer.json()) as { usage: { output_tokens: number } };
      await runtime.gateway?.gateway.idle();
      await runtime.gateway?.recorder.drain();

      // Over a socket from loopback, as Prometheus on the same machine would.
      const response = await fetch(`${baseURL}/metrics`);
      expect(response.status).toBe(200);
      const text = await response.text();
      expect(text).toContain(
        `steward_usage_tokens_total{workspace="${workspaceId}",model="claude-haiku-4-5",type="output"} ${usage.output_tokens}`,
      );
      expect(text).toMatch(
        new RegExp(
          `steward_usage_spend_usd_total\\{workspace="${workspaceId}",model="claude-haiku-4-5"\\} 0\\.\\d+`,
        ),
      );
      expect(text).toContain("process_cpu_user_seconds_total");
      expect(text).toContain("process_resident_memory_bytes");
      expect(text).toContain("nodejs_eventloop_lag_seconds");
      expect(text).toContain("nodejs_heap_size_used_bytes");
    });

    it("refuses a client elsewhere, and one that came through a proxy on this machine", async () => {
      for (const response of [
        await node.scrape({}, "10.0.0.7"),
        await node.scrape({ "x-forwarded-for": "203.0.113.9" }),
        await node.scrape({ forwarded: "for=203.0.113.9" }),
      ]) {
        expect(response.statusCode).toBe(403);
        expect(response.json()).toMatchObject({
          type: "error",
          error: { type: "permission_error", message: expect.stringContaining("METRICS_TOKEN") },
          request_id: expect.stringMatching(/^req_/),
        });
        expect(response.body).not.toContain("steward_");
      }
      expect((await node.scrape({}, "::1")).statusCode).toBe(200);
      expect((await node.scrape({}, "::ffff:127.0.0.1")).statusCode).toBe(200);
    });
  });

  describe("with METRICS_TOKEN", () => {
    let node: Awaited<ReturnType<typeof startNode>>;
    beforeAll(async () => {
      node = await startNode({ http: { metrics: { token: METRICS_TOKEN } } });
    });
    afterAll(() => node.close());

    it("requires the bearer token, from any address", async () => {
      for (const headers of [
        {},
        { authorization: "Bearer wrong" },
        { authorization: METRICS_TOKEN },
      ]) {
        const refused = await node.scrape(headers);
        expect(refused.statusCode).toBe(401);
        expect(refused.headers["www-authenticate"]).toMatch(/^Bearer/);
        expect(refused.json()).toMatchObject({
          type: "error",
          error: { type: "authentication_error" },
        });
      }
      const scraped = await node.scrape({ authorization: `Bearer ${METRICS_TOKEN}` }, "10.0.0.7");
      expect(scraped.statusCode).toBe(200);
      expect(scraped.body).toContain("steward_gateway_requests_total");
    });
  });

  describe("with METRICS_LISTEN", () => {
    it("serves /metrics on its own address only, with the token when one is set", async () => {
      const node = await startNode({
        http: { metrics: { token: METRICS_TOKEN, elsewhere: true } },
        metricsListener: { host: "127.0.0.1", port: 0 },
      });
      try {
        expect((await node.scrape({ authorization: `Bearer ${METRICS_TOKEN}` })).statusCode).toBe(
          404,
        );
        const url = `${node.runtime.metricsListener?.url}/metrics`;
        const refused = await fetch(url);
        expect(refused.status).toBe(401);
        expect(await refused.json()).toMatchObject({ error: { type: "authentication_error" } });
        const scraped = await fetch(url, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
        expect(scraped.status).toBe(200);
        expect(scraped.headers.get("content-type")).toMatch(/^text\/plain/);
        expect(await scraped.text()).toContain("process_cpu_user_seconds_total");
        const other = await fetch(`${node.runtime.metricsListener?.url}/v1/organizations`);
        expect(other.status).toBe(404);
        expect(await other.json()).toMatchObject({ error: { type: "not_found_error" } });
      } finally {
        await node.close();
      }
    });
  });

  describe("settings", () => {
    it("reads METRICS_LISTEN as host:port and METRICS_TOKEN from a file", () => {
      expect(loadConfig({ METRICS_LISTEN: "0.0.0.0:9464" }).METRICS_LISTEN).toEqual({
        host: "0.0.0.0",
        port: 9464,
      });
      expect(loadConfig({ METRICS_LISTEN: "[::1]:9464" }).METRICS_LISTEN).toEqual({
        host: "::1",
        port: 9464,
      });
      expect(() => loadConfig({ METRICS_LISTEN: "9464" })).toThrow(/METRICS_LISTEN/);
      expect(() => loadConfig({ METRICS_LISTEN: "host:99999" })).toThrow(/METRICS_LISTEN/);
      expect(() => loadConfig({ METRICS_TOKEN: "short" })).toThrow(/METRICS_TOKEN/);
      const dir = mkdtempSync(join(tmpdir(), "steward-metrics-token-"));
      try {
        const file = join(dir, "token");
        writeFileSync(file, `${METRICS_TOKEN}\n`);
        expect(loadConfig({ METRICS_TOKEN_FILE: file }).METRICS_TOKEN).toBe(METRICS_TOKEN);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
