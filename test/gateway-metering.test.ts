/**
 * Metering: every /v1/messages request becomes one usage event whose token counts are the ones the
 * upstream reported (JSON `usage`, or message_start plus the last message_delta of a stream), and
 * whose cost is computed from config/prices.json — checked here against hand computations. Errors,
 * mid-stream errors, clients that leave mid-stream, last_used_at and /metrics.
 */
import { APIError } from "@anthropic-ai/sdk";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { UsageEventRow } from "../src/core/usage/usage-store.js";
import { type FakeUsage, inputTokensFor } from "./fixtures/fake-upstream.js";
import {
  ask,
  expectApiError,
  failure,
  type GatewayEnv,
  metric,
  parseSse,
  rawMessages,
  START,
  sendAndDisconnect,
  startGatewayEnv,
  until,
} from "./gateway-support.js";
import { describeEachBackend } from "./harness.js";

/** Usage with every field the gateway meters set, distinct, so no two can be confused. */
const FULL_USAGE: Partial<FakeUsage> = {
  input_tokens: 1000,
  output_tokens: 500,
  cache_creation: { ephemeral_5m_input_tokens: 2000, ephemeral_1h_input_tokens: 3000 },
  cache_read_input_tokens: 4000,
  server_tool_use: { web_search_requests: 3 },
};
/**
 * claude-opus-4-6 in config/prices.json: $5 input, $6.25 5-minute cache write, $10 1-hour cache
 * write, $0.50 cache read, $25 output per million tokens; web search $10 per 1000 requests.
 *   1000 × 5 + 2000 × 6.25 + 3000 × 10 + 4000 × 0.5 + 500 × 25 = 62 000 micro-dollars
 *   3 web searches × $0.01 = 30 000 micro-dollars
 * = $0.092 = 92 000 000 nano-dollars.
 */
const FULL_USAGE_COST_NANOS = 92_000_000;

describeEachBackend("gateway metering", (backend) => {
  let env: GatewayEnv;
  let key: string;
  let keyId: string;
  let workspaceId: string;

  beforeAll(async () => {
    env = await startGatewayEnv(backend);
    ({ key, id: keyId, workspaceId } = await env.newKey());
  });
  afterAll(async () => {
    await env?.close();
  });
  beforeEach(() => {
    env.upstream.reset();
    env.clock.set(START);
  });

  /** The usage event named by a gateway response's x-steward-request-id. */
  async function eventOf(stewardRequestId: string | null): Promise<UsageEventRow> {
    expect(stewardRequestId).toMatch(/^req_01/);
    const event = (await env.events()).find((e) => e.id === stewardRequestId);
    if (!event) {
      throw new Error(`no usage event ${stewardRequestId}`);
    }
    return event;
  }

  /** The token columns, in the upstream's terms. */
  const tokensOf = (event: UsageEventRow) => ({
    input_tokens: event.input_tokens,
    output_tokens: event.output_tokens,
    cache_creation_5m: event.cache_creation_5m_tokens,
    cache_creation_1h: event.cache_creation_1h_tokens,
    cache_read_input_tokens: event.cache_read_tokens,
    web_search_requests: event.web_search_requests,
  });
  const reportedTokens = (usage: FakeUsage) => ({
    input_tokens: usage.input_tokens,
    output_tokens: usage.output_tokens,
    cache_creation_5m: usage.cache_creation?.ephemeral_5m_input_tokens ?? 0,
    cache_creation_1h: usage.cache_creation?.ephemeral_1h_input_tokens ?? 0,
    cache_read_input_tokens: usage.cache_read_input_tokens ?? 0,
    web_search_requests: usage.server_tool_use?.web_search_requests ?? 0,
  });

  describe("successful calls", () => {
    it("records a JSON call with the upstream's usage and its cost from the price table", async () => {
      env.upstream.script({ kind: "message", usage: FULL_USAGE });
      const { data: message, response } = await env
        .client(key)
        .messages.create(ask({ model: "claude-opus-4-6", max_tokens: 1000 }))
        .withResponse();
      const reported = env.upstream.reported.at(-1)!;
      expect(message.usage).toMatchObject({
        input_tokens: 1000,
        output_tokens: 500,
        cache_read_input_tokens: 4000,
        cache_creation_input_tokens: 5000,
      });

      const event = await eventOf(response.headers.get("x-steward-request-id"));
      expect(tokensOf(event)).toEqual(reportedTokens(reported));
      expect(tokensOf(event)).toEqual({
        input_tokens: 1000,
        output_tokens: 500,
        cache_creation_5m: 2000,
        cache_creation_1h: 3000,
        cache_read_input_tokens: 4000,
        web_search_requests: 3,
      });
      expect(event).toMatchObject({
        organization_id: env.server.org.id,
        workspace_id: workspaceId,
        api_key_id: keyId,
        model: "claude-opus-4-6",
        occurred_at: START,
        cost_nanos: FULL_USAGE_COST_NANOS,
        priced: 1,
        service_tier: "standard",
        inference_geo: "global",
        status: 200,
        error_type: null,
        stream: 0,
        source: "gateway",
      });
      expect(event.latency_ms).toBeGreaterThanOrEqual(0);
    });

    it("shows the month's recorded spend as the organization's current_month_usage_usd", async () => {
      await env.server.app.gateway!.recorder.drain();
      const before = (await env.server.get("/v1/organizations")).body.billing
        .current_month_usage_usd;
      env.upstream.script({ kind: "message", usage: FULL_USAGE });
      await env.client(key).messages.create(ask({ model: "claude-opus-4-6", max_tokens: 1000 }));
      await env.server.app.gateway!.gateway.idle();
      await env.server.app.gateway!.recorder.drain();
      const after = (await env.server.get("/v1/organizations")).body.billing
        .current_month_usage_usd;
      expect(after - before).toBeCloseTo(FULL_USAGE_COST_NANOS / 1e9, 6);
    });

    it("records a streamed call from message_start and the last message_delta", async () => {
      env.upstream.script({ kind: "message", usage: FULL_USAGE });
      const stream = env
        .client(key)
        .messages.stream(ask({ model: "claude-opus-4-6", max_tokens: 1000 }));
      const final = await stream.finalMessage();
      const { response } = await stream.withResponse();
      expect(final.usage).toMatchObject({ input_tokens: 1000, output_tokens: 500 });

      const event = await eventOf(response.headers.get("x-steward-request-id"));
      expect(tokensOf(event)).toEqual(reportedTokens(env.upstream.reported.at(-1)!));
      expect(event).toMatchObject({
        model: "claude-opus-4-6",
        cost_nanos: FULL_USAGE_COST_NANOS,
        priced: 1,
        status: 200,
        error_type: null,
        stream: 1,
      });
    });

    it("applies the inference-geo and service-tier multipliers to token costs", async () => {
      // claude-sonnet-4-6: $3 input, $15 output. 1000 × 3 + 100 × 15 = 4500 micro-dollars.
      const usage = { input_tokens: 1000, output_tokens: 100 };
      const cases = [
        { over: { inference_geo: "us" }, nanos: 4_950_000 }, // × 1.1
        { over: { service_tier: "batch" }, nanos: 2_250_000 }, // × 0.5
        // The multiplier applies to tokens only: 3 searches add exactly $0.03.
        {
          over: { inference_geo: "us", server_tool_use: { web_search_requests: 3 } },
          nanos: 4_950_000 + 30_000_000,
        },
      ];
      for (const { over, nanos } of cases) {
        env.upstream.script({ kind: "message", usage: { ...usage, ...over } });
        const stream = env.client(key).messages.stream(ask({ model: "claude-sonnet-4-6" }));
        await stream.finalMessage();
        const { response } = await stream.withResponse();
        const event = await eventOf(response.headers.get("x-steward-request-id"));
        expect({
          cost: event.cost_nanos,
          geo: event.inference_geo,
          tier: event.service_tier,
        }).toEqual({
          cost: nanos,
          geo: over.inference_geo ?? "global",
          tier: over.service_tier ?? "standard",
        });
      }
    });

    it("prices a dated model id as its family and records the id as answered", async () => {
      const { data, response } = await env
        .client(key)
        .messages.create(ask({ model: "claude-haiku-4-5-20251001", max_tokens: 10 }))
        .withResponse();
      const event = await eventOf(response.headers.get("x-steward-request-id"));
      // claude-haiku-4-5: $1 input, $5 output.
      const input = data.usage.input_tokens;
      expect(event).toMatchObject({
        model: "claude-haiku-4-5-20251001",
        input_tokens: input,
        output_tokens: 10,
        priced: 1,
        cost_nanos: (input * 1 + 10 * 5) * 1000,
      });
    });

    it("records an unknown model with its tokens, charged at the fallback rates", async () => {
      const json = await env
        .client(key)
        .messages.create(ask({ model: "claude-imaginary-9" }))
        .withResponse();
      const stream = env.client(key).messages.stream(ask({ model: "claude-imaginary-9" }));
      await stream.finalMessage();
      for (const [response, streamed] of [
        [json.response, 0],
        [(await stream.withResponse()).response, 1],
      ] as const) {
        const event = await eventOf(response.headers.get("x-steward-request-id"));
        expect(event).toMatchObject({
          model: "claude-imaginary-9",
          output_tokens: 20,
          priced: 0,
          price_source: "fallback",
          status: 200,
          stream: streamed,
        });
        expect(event.input_tokens).toBeGreaterThan(0);
        // Each rate at its highest over config/prices.json: $15 input, $75 output per MTok.
        expect(event.cost_nanos).toBe((event.input_tokens * 15 + 20 * 75) * 1000);
      }
    });

    it("turns every request into exactly one event, named by Steward's request id", async () => {
      const before = (await env.events()).length;
      const client = env.client(key);
      const ids = await Promise.all(
        Array.from({ length: 10 }, async (_, i) => {
          const call =
            i % 2 === 0
              ? (await client.messages.create(ask()).withResponse()).response
              : (await client.messages.stream(ask()).withResponse()).response;
          return call.headers.get("x-steward-request-id");
        }),
      );
      await client.models.list();
      await client.messages.countTokens({ model: "claude-haiku-4-5", messages: ask().messages });
      const events = await env.events();
      // Model listings and token counts cost nothing and are not metered.
      expect(events).toHaveLength(before + 10);
      expect(new Set(ids).size).toBe(10);
      for (const id of ids) {
        expect(events.filter((e) => e.id === id)).toHaveLength(1);
      }
    });
  });

  describe("errors", () => {
    it("records an upstream error status with its error type and no cost", async () => {
      const cases = [
        { status: 500, type: "api_error" },
        { status: 529, type: "overloaded_error" },
        { status: 429, type: "rate_limit_error" },
        { status: 400, type: "invalid_request_error" },
      ];
      const spentBefore = env.runtime.ledger.spent(`ws:${workspaceId}`, "2026-01");
      for (const { status, type } of cases) {
        env.upstream.script({ kind: "error", status, type });
        const error = await failure(env.client(key).messages.create(ask()));
        expectApiError(error, status, type);
        const event = await eventOf(error.headers!.get("x-steward-request-id"));
        expect(event).toMatchObject({
          status,
          error_type: type,
          input_tokens: 0,
          output_tokens: 0,
          cost_nanos: 0,
          stream: 0,
        });
      }
      // A streaming request the upstream refuses before streaming: the same.
      env.upstream.script({ kind: "error", status: 529, type: "overloaded_error" });
      const refused = await failure(env.client(key).messages.stream(ask()).finalMessage());
      expectApiError(refused, 529, "overloaded_error");
      const event = await eventOf(refused.headers!.get("x-steward-request-id"));
      expect(event).toMatchObject({ status: 529, error_type: "overloaded_error", cost_nanos: 0 });
      // Nothing was spent, and no reservation is left behind.
      expect(env.runtime.ledger.spent(`ws:${workspaceId}`, "2026-01")).toBe(spentBefore);
    });

    it("records a mid-stream error event with what the stream had reported", async () => {
      env.upstream.script({ kind: "stream-error", afterEvents: 4, type: "overloaded_error" });
      const stream = env.client(key).messages.stream(ask({ model: "claude-opus-4-6" }));
      const types: string[] = [];
      const error = await (async () => {
        try {
          for await (const event of stream) {
            types.push(event.type);
          }
        } catch (caught) {
          return caught;
        }
        throw new Error("the stream should have failed");
      })();
      expect(error).toBeInstanceOf(APIError);
      expect((error as APIError).type).toBe("overloaded_error");
      expect(types[0]).toBe("message_start");
      expect(types).not.toContain("message_stop");

      const { response } = await stream.withResponse();
      const event = await eventOf(response.headers.get("x-steward-request-id"));
      const input = inputTokensFor(env.upstream.requests.at(-1)!.body);
      // message_start reported the input and 1 output token: $5 and $25 per MTok.
      expect(event).toMatchObject({
        status: 200,
        error_type: "overloaded_error",
        stream: 1,
        input_tokens: input,
        output_tokens: 1,
        cost_nanos: (input * 5 + 1 * 25) * 1000,
      });

      // On the wire, the error event reaches the client as the upstream sent it.
      env.upstream.script({ kind: "stream-error", afterEvents: 2, type: "api_error" });
      const raw = await rawMessages(env, key, JSON.stringify(ask({ stream: true })));
      const events = parseSse(await raw.text());
      expect(events.map((e) => e.event)).toEqual(["message_start", "content_block_start", "error"]);
      expect(events[2]!.data.error.type).toBe("api_error");
      const rawEvent = await eventOf(raw.headers.get("x-steward-request-id"));
      expect(rawEvent).toMatchObject({ status: 200, error_type: "api_error" });
    });

    it("records an upstream that does not answer in time (504) or is gone (502)", async () => {
      const slow = await startGatewayEnv(backend, { timeoutMs: 150 });
      try {
        const { key: slowKey, workspaceId: slowWorkspace } = await slow.newKey({
          monthly_spend_usd: 1,
        });
        slow.upstream.script({ kind: "hang" });
        const error = await failure(slow.client(slowKey).messages.create(ask()));
        expectApiError(error, 504, "timeout_error");
        const events = await slow.events();
        expect(events).toHaveLength(1);
        expect(events[0]).toMatchObject({
          status: 504,
          error_type: "timeout_error",
          cost_nanos: 0,
          output_tokens: 0,
        });
        expect(slow.runtime.ledger.spent(`ws:${slowWorkspace}`, "2026-01")).toBe(0);

        // An upstream that is gone: 502 api_error, recorded the same way.
        await slow.upstream.close();
        const gone = await failure(slow.client(slowKey).messages.stream(ask()).finalMessage());
        expectApiError(gone, 502, "api_error");
        const after = await slow.events();
        expect(after).toHaveLength(2);
        expect(after.find((e) => e.id === gone.requestID)).toMatchObject({
          status: 502,
          error_type: "api_error",
          cost_nanos: 0,
        });
        expect(slow.runtime.ledger.spent(`ws:${slowWorkspace}`, "2026-01")).toBe(0);
      } finally {
        await slow.close();
      }
    });
  });

  describe("clients that leave", () => {
    it("charges a client that aborts an SDK stream for everything the upstream produced", async () => {
      env.upstream.script({
        kind: "slow-stream",
        chunks: 6,
        intervalMs: 25,
        usage: { output_tokens: 321 },
      });
      const stream = env.client(key).messages.stream(ask({ model: "claude-opus-4-6" }));
      const { response } = await stream.withResponse();
      for await (const event of stream) {
        if (event.type === "content_block_delta") {
          stream.abort();
          break;
        }
      }
      expect(stream.controller.signal.aborted).toBe(true);
      expect(env.upstream.counts.completed).toBe(0);
      // The gateway keeps reading the upstream to its end, so the upstream is not cut off.
      await until(() => env.upstream.counts.completed === 1, "the upstream finished");
      expect(env.upstream.counts.aborted).toBe(0);

      const event = await eventOf(response.headers.get("x-steward-request-id"));
      const reported = env.upstream.reported.at(-1)!;
      expect(tokensOf(event)).toEqual(reportedTokens(reported));
      expect(event).toMatchObject({
        output_tokens: 321,
        status: 200,
        error_type: null,
        stream: 1,
        cost_nanos: (reported.input_tokens * 5 + 321 * 25) * 1000,
      });
    });

    it("charges a raw client that disconnects mid-stream", async () => {
      env.upstream.script({ kind: "slow-stream", chunks: 6, intervalMs: 25 });
      const left = await sendAndDisconnect(env, key, JSON.stringify(ask({ stream: true })));
      expect(left.firstBytes).toContain("event: message_start");
      expect(env.upstream.counts.completed).toBe(0);
      await until(() => env.upstream.counts.completed === 1, "the upstream finished");
      expect(env.upstream.counts.aborted).toBe(0);

      const event = await eventOf(left.stewardRequestId!);
      expect(tokensOf(event)).toEqual(reportedTokens(env.upstream.reported.at(-1)!));
      expect(event).toMatchObject({ status: 200, error_type: null, stream: 1 });
    });

    it("charges a raw client that disconnects before a JSON answer arrives", async () => {
      env.upstream.script({ kind: "slow-stream", chunks: 4, intervalMs: 25 });
      const before = (await env.events()).length;
      const left = await sendAndDisconnect(
        env,
        key,
        JSON.stringify(ask()),
        until(() => env.upstream.counts.messages === 1, "the upstream got the request"),
      );
      expect(left.stewardRequestId).toBeUndefined();
      expect(env.upstream.counts.completed).toBe(0);
      await until(() => env.upstream.counts.completed === 1, "the upstream finished");

      const events = await env.events();
      expect(events).toHaveLength(before + 1);
      const event = events.at(-1)!;
      expect(tokensOf(event)).toEqual(reportedTokens(env.upstream.reported.at(-1)!));
      expect(event).toMatchObject({ status: 200, error_type: null, stream: 0 });
      expect(event.cost_nanos).toBeGreaterThan(0);
    });
  });

  describe("bookkeeping", () => {
    it("updates the key's last_used_at, in batches, to its latest use", async () => {
      const fresh = await env.issueKey({ workspace_id: workspaceId });
      const read = async () => (await env.server.get(`/v1/api_keys/${fresh.id}`)).body.last_used_at;
      expect(await read()).toBeNull();
      const client = env.client(fresh.key);
      env.clock.set("2026-01-15T12:00:05.000Z");
      await client.messages.create(ask());
      env.clock.set("2026-01-15T12:00:09.000Z");
      await client.messages.stream(ask()).finalMessage();
      env.clock.set("2026-01-15T12:00:07.000Z");
      await client.messages.create(ask());
      await env.settle();
      expect(await read()).toBe("2026-01-15T12:00:09.000Z");
      // Also on the Anthropic surface.
      const anthropic = await env.server.get(`/v1/organizations/api_keys/${fresh.id}`);
      expect(anthropic.body.last_used_at).toBe("2026-01-15T12:00:09.000Z");
    });

    it("exposes request, refusal, latency and metering counters on /metrics", async () => {
      const scrape = async () => {
        const response = await fetch(`${env.baseURL}/metrics`);
        expect(response.status).toBe(200);
        expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
        return response.text();
      };
      await env.settle();
      const before = await scrape();
      const client = env.client(key);
      await client.messages.create(ask());
      await client.messages.stream(ask()).finalMessage();
      await client.models.list();
      env.upstream.script({ kind: "error", status: 500, type: "api_error" });
      await failure(client.messages.create(ask()));
      await failure(env.client("sk-ant-api03-unknown").messages.create(ask()));
      await env.settle();
      const after = await scrape();

      const delta = (name: string, labels: Record<string, string> = {}) =>
        metric(after, name, labels) - metric(before, name, labels);
      expect(delta("steward_gateway_requests_total", { route: "messages", status: "200" })).toBe(2);
      expect(delta("steward_gateway_requests_total", { route: "messages", status: "500" })).toBe(1);
      expect(delta("steward_gateway_requests_total", { route: "messages", status: "401" })).toBe(1);
      expect(delta("steward_gateway_requests_total", { route: "models", status: "200" })).toBe(1);
      expect(delta("steward_gateway_admissions_refused_total", { reason: "invalid_key" })).toBe(1);
      expect(delta("steward_gateway_upstream_latency_seconds_count", { route: "messages" })).toBe(
        3,
      );
      expect(delta("steward_usage_events_written_total")).toBe(3);
      expect(metric(after, "steward_usage_events_written_total")).toBe((await env.events()).length);
      expect(metric(after, "steward_metering_queue_depth")).toBe(0);
      expect(metric(after, "steward_metering_write_failures_total")).toBe(0);
    });
  });
});
