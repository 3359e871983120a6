/**
 * The workspace's rate limits per rate-limit group: requests, input and output tokens per minute
 * (token buckets, with Anthropic's headers on every response; token bounds taken at admission and
 * settled with the real counts), and the spend limits (workspace monthly_spend_usd, organization
 * billing.usage_limit_usd): refused with the envelope src/gateway/gateway.ts documents, never overshot by concurrent requests (each
 * reserves an upper bound at admission and settles the real cost), restored at the month's turn,
 * and remembered across a restart. Time is a ManualClock.
 */
import type { AddressInfo } from "node:net";
import Anthropic, { type APIError } from "@anthropic-ai/sdk";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { monthOf } from "../src/core/months.js";
import { PriceTable } from "../src/core/usage/prices.js";
import type { GatewayRuntime } from "../src/gateway/runtime.js";
import { startRuntime } from "../src/runtime.js";
import {
  ask,
  expectApiError,
  failure,
  type GatewayEnv,
  rawMessages,
  START,
  startGatewayEnv,
  UPSTREAM_KEY,
  until,
} from "./gateway-support.js";
import { describeEachBackend } from "./harness.js";

const prices = PriceTable.load();
const rfc3339 = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;

describeEachBackend("gateway limits", (backend) => {
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

  const now = () => env.clock.now().getTime();
  const month = () => monthOf(env.clock.now());
  // The suite's runtime has the memory ledger, which answers at once.
  const spentIn = (workspaceId: string) =>
    env.runtime.ledger.spent(`ws:${workspaceId}`, month()) as number;
  /** The reservation of the last request the upstream received (same model and max_tokens). */
  const lastEstimate = (model = "claude-haiku-4-5", maxTokens = 64) =>
    prices.estimate(model, {
      inputBytes: env.upstream.requests.at(-1)!.body.length,
      maxTokens,
      webSearches: 0,
    });
  const usd = (nanos: number) => Math.ceil(nanos / 1000) / 1e6;
  const rateHeaders = (headers: Headers) => ({
    limit: headers.get("anthropic-ratelimit-requests-limit"),
    remaining: headers.get("anthropic-ratelimit-requests-remaining"),
    reset: headers.get("anthropic-ratelimit-requests-reset"),
  });

  describe("requests per minute", () => {
    it("drops the upstream's own request counts without a limit, and passes its token counts", async () => {
      // The fake upstream sends anthropic-ratelimit-requests-* for Steward's upstream key: they
      // are not this client's, so without a limit of its own the client gets none.
      const { key } = await env.newKey();
      for (let i = 0; i < 2; i++) {
        const { response } = await env.client(key).messages.create(ask()).withResponse();
        expect(rateHeaders(response.headers)).toEqual({
          limit: null,
          remaining: null,
          reset: null,
        });
        expect(response.headers.get("anthropic-ratelimit-input-tokens-limit")).toBe("2000000");
        // The upstream's request id passes; Steward's own comes as x-steward-request-id.
        expect(response.headers.get("request-id")).toMatch(/^req_/);
        expect(response.headers.get("request-id")).not.toBe(
          response.headers.get("x-steward-request-id"),
        );
      }
    });

    it("answers 429 rate_limit_error with retry-after once the burst is spent, with the headers on every response", async () => {
      const { key } = await env.newKey({ requests_per_minute: 3 });
      const client = env.client(key);
      const t0 = now();

      const first = await client.messages.create(ask()).withResponse();
      expect(rateHeaders(first.response.headers)).toEqual({
        limit: "3",
        remaining: "2",
        reset: rfc3339(t0 + 20_000),
      });
      // A stream, as raw bytes: the same headers, the workspace's own (not the upstream's 4000).
      const streamed = await rawMessages(env, key, JSON.stringify(ask({ stream: true })));
      expect(streamed.headers.get("content-type")).toMatch(/^text\/event-stream/);
      expect(rateHeaders(streamed.headers)).toEqual({
        limit: "3",
        remaining: "1",
        reset: rfc3339(t0 + 40_000),
      });
      await streamed.text();
      // An upstream error passed through carries them too.
      env.upstream.script({ kind: "error", status: 500, type: "api_error" });
      const upstreamError = await failure(client.messages.create(ask()));
      expectApiError(upstreamError, 500, "api_error");
      expect(rateHeaders(upstreamError.headers!)).toEqual({
        limit: "3",
        remaining: "0",
        reset: rfc3339(t0 + 60_000),
      });

      env.upstream.reset();
      const limited = await failure(client.messages.create(ask()));
      expectApiError(limited, 429, "rate_limit_error");
      expect(limited.headers!.get("retry-after")).toBe("20");
      expect(rateHeaders(limited.headers!)).toEqual({
        limit: "3",
        remaining: "0",
        reset: rfc3339(t0 + 60_000),
      });
      expectApiError(
        await failure(client.messages.stream(ask()).finalMessage()),
        429,
        "rate_limit_error",
      );
      expect(env.upstream.counts.requests).toBe(0);
      // Listing models belongs to no rate-limit group: it passes.
      expect((await client.models.list()).data.length).toBeGreaterThan(0);
    });

    it("refills continuously, one request per 60/limit seconds, up to the full burst", async () => {
      const { key } = await env.newKey({ requests_per_minute: 3 });
      const client = env.client(key);
      for (let i = 0; i < 3; i++) {
        await client.messages.create(ask());
      }
      expectApiError(await failure(client.messages.create(ask())), 429, "rate_limit_error");

      env.clock.advance(19_999);
      const almost = await failure(client.messages.create(ask()));
      expectApiError(almost, 429, "rate_limit_error");
      expect(almost.headers!.get("retry-after")).toBe("1");
      env.clock.advance(1);
      const refilled = await client.messages.create(ask()).withResponse();
      expect(refilled.response.headers.get("anthropic-ratelimit-requests-remaining")).toBe("0");
      expectApiError(await failure(client.messages.create(ask())), 429, "rate_limit_error");

      // A quiet minute refills the whole burst, and no more.
      env.clock.advance(10 * 60_000);
      for (let i = 0; i < 3; i++) {
        await client.messages.create(ask());
      }
      expectApiError(await failure(client.messages.create(ask())), 429, "rate_limit_error");
    });

    it("applies a limit changed through either admin surface to the next request", async () => {
      const { key, workspaceId } = await env.newKey({ requests_per_minute: 2 });
      const client = env.client(key);
      await client.messages.create(ask());
      await client.messages.create(ask());
      expectApiError(await failure(client.messages.create(ask())), 429, "rate_limit_error");

      // Raised (seed surface): the new capacity, less what was spent.
      await env.setWorkspaceLimits(workspaceId, { requests_per_minute: 10 });
      const raised = await client.messages.create(ask()).withResponse();
      expect(rateHeaders(raised.response.headers)).toMatchObject({ limit: "10", remaining: "7" });

      // Removed: nothing is refused.
      await env.setWorkspaceLimits(workspaceId, { requests_per_minute: null });
      for (let i = 0; i < 12; i++) {
        await client.messages.create(ask());
      }

      // Zero (Anthropic surface): everything is refused.
      const zero = await env.server.post(`/v1/organizations/workspaces/${workspaceId}`, {
        usage_limits: { requests_per_minute: 0 },
      });
      expect(zero.body.usage_limits.requests_per_minute).toBe(0);
      expectApiError(await failure(client.messages.create(ask())), 429, "rate_limit_error");
    });

    it("after a lowered limit, the full new burst is at most a minute away", async () => {
      const { key, workspaceId } = await env.newKey({ requests_per_minute: 10 });
      const client = env.client(key);
      for (let i = 0; i < 6; i++) {
        await client.messages.create(ask());
      }
      await env.setWorkspaceLimits(workspaceId, { requests_per_minute: 2 });
      const t = now();
      const limited = await failure(client.messages.create(ask()));
      expectApiError(limited, 429, "rate_limit_error");
      // A bucket of 2 per minute refills one request in 30 s and is full within 60 s.
      expect(Number(limited.headers!.get("retry-after"))).toBeLessThanOrEqual(30);
      expect(
        Date.parse(limited.headers!.get("anthropic-ratelimit-requests-reset")!),
      ).toBeLessThanOrEqual(t + 60_000);
      env.clock.advance(60_000);
      await client.messages.create(ask());
      await client.messages.create(ask());
      expectApiError(await failure(client.messages.create(ask())), 429, "rate_limit_error");
    });

    it("checks the rate before the spend", async () => {
      const { key } = await env.newKey({ requests_per_minute: 1, monthly_spend_usd: 0 });
      const client = env.client(key);
      const spend = await failure(client.messages.create(ask()));
      expectApiError(spend, 400, "invalid_request_error", "workspace_spend_limit_reached");
      expect(spend.headers!.get("anthropic-ratelimit-requests-remaining")).toBe("0");
      expectApiError(await failure(client.messages.create(ask())), 429, "rate_limit_error");
    });
  });

  describe("tokens per minute, per rate-limit group", () => {
    /** Sets the workspace's limits of the group of `model`, through the Admin API. */
    const setGroupLimits = async (
      workspaceId: string,
      model: string,
      limits: Array<{ type: string; value: number | null }>,
    ) => {
      const groups = await env.server.get(`/v1/organizations/rate_limits?model=${model}`);
      expect(groups.body.data).toHaveLength(1);
      const updated = await env.server.post(
        `/v1/organizations/workspaces/${workspaceId}/rate_limits/${groups.body.data[0]!.id}`,
        { limits },
      );
      expect(updated.status).toBe(200);
    };
    const tokenHeaders = (headers: Headers, kind: "input" | "output") => ({
      limit: headers.get(`anthropic-ratelimit-${kind}-tokens-limit`),
      remaining: headers.get(`anthropic-ratelimit-${kind}-tokens-remaining`),
      reset: headers.get(`anthropic-ratelimit-${kind}-tokens-reset`),
    });

    it("reserves max_tokens of the output limit at admission, settles the real count, and refuses with 429 and the output-tokens headers", async () => {
      const { key, workspaceId } = await env.newKey();
      await setGroupLimits(workspaceId, "claude-haiku-4-5", [
        { type: "output_tokens_per_minute", value: 100 },
      ]);
      const client = env.client(key);
      const t0 = now();

      // max_tokens 64 is taken (100 → 36); the answer used 20, so 44 come back (→ 80).
      const first = await client.messages.create(ask()).withResponse();
      expect(first.data.usage.output_tokens).toBe(20);
      // 100 a minute refill 1 every 600 ms: 64 missing are back in 38.4 s.
      expect(tokenHeaders(first.response.headers, "output")).toEqual({
        limit: "100",
        remaining: "36",
        reset: rfc3339(t0 + 38_400),
      });
      // No requests-per-minute limit: no request counts; the upstream's input counts pass.
      expect(first.response.headers.get("anthropic-ratelimit-requests-limit")).toBeNull();
      expect(first.response.headers.get("anthropic-ratelimit-input-tokens-limit")).toBe("2000000");

      const second = await client.messages.create(ask()).withResponse();
      expect(tokenHeaders(second.response.headers, "output")).toMatchObject({ remaining: "16" });

      // 60 left, 64 asked: refused, and told when 64 fit (4 more tokens: 2.4 s, so 3 s).
      const limited = await failure(client.messages.create(ask()));
      expectApiError(limited, 429, "rate_limit_error");
      expect(limited.message).toContain("output tokens per minute for Claude Haiku 4.x");
      expect(limited.headers!.get("retry-after")).toBe("3");
      expect(tokenHeaders(limited.headers!, "output")).toEqual({
        limit: "100",
        remaining: "60",
        reset: rfc3339(t0 + 24_000),
      });
      expect(env.upstream.counts.messages).toBe(2);

      // Another group of the same workspace is not limited.
      await client.messages.create(ask({ model: "claude-opus-4-6" }));
      // A max_tokens above the limit never fits.
      const never = await failure(client.messages.create(ask({ max_tokens: 101 })));
      expectApiError(never, 429, "rate_limit_error");
      expect(never.message).toContain("at most 101");

      env.clock.advance(2_400);
      await client.messages.create(ask());
      expect(env.upstream.counts.messages).toBe(4);
    });

    it("reserves the body's size of the input limit, gives back what the upstream did not count, and replaces the upstream's input headers", async () => {
      const { key, workspaceId } = await env.newKey();
      await setGroupLimits(workspaceId, "claude-haiku-4-5", [
        { type: "input_tokens_per_minute", value: 1_000 },
        { type: "requests_per_minute", value: 50 },
      ]);
      const client = env.client(key);
      const big = ask({ messages: [{ role: "user", content: "x".repeat(1_200) }] });
      const refused = await failure(client.messages.create(big));
      expectApiError(refused, 429, "rate_limit_error");
      expect(refused.message).toContain("input tokens per minute");
      expect(tokenHeaders(refused.headers!, "input")).toMatchObject({
        limit: "1000",
        remaining: "1000",
      });
      // A refused request costs no request either.
      expect(refused.headers!.get("anthropic-ratelimit-requests-remaining")).toBe("50");
      expect(refused.headers!.get("retry-after")).not.toBeNull();

      const small = await client.messages.create(ask()).withResponse();
      const bytes = env.upstream.requests.at(-1)!.body.length;
      expect(tokenHeaders(small.response.headers, "input")).toMatchObject({
        limit: "1000",
        remaining: String(1_000 - bytes),
      });
      expect(small.response.headers.get("anthropic-ratelimit-requests-remaining")).toBe("49");
      // The upstream counted ceil(bytes / 4): the rest came back before the next request.
      const next = await client.messages.create(ask()).withResponse();
      expect(tokenHeaders(next.response.headers, "input").remaining).toBe(
        String(1_000 - Math.ceil(bytes / 4) - bytes),
      );

      // Cleared: nothing is counted, and the upstream's headers pass again.
      await setGroupLimits(workspaceId, "claude-haiku-4-5", [
        { type: "input_tokens_per_minute", value: null },
      ]);
      const cleared = await client.messages.create(big).withResponse();
      expect(cleared.response.headers.get("anthropic-ratelimit-input-tokens-limit")).toBe(
        "2000000",
      );
    });
  });

  describe("the token counting group", () => {
    it("limits /v1/messages/count_tokens in token_count, apart from the model groups", async () => {
      const { key, workspaceId } = await env.newKey();
      const groups = await env.server.get("/v1/organizations/rate_limits", {
        query: { group_type: "token_count" },
      });
      const id = (groups.body as { data: Array<{ id: string }> }).data[0]!.id;
      const updated = await env.server.post(
        `/v1/organizations/workspaces/${workspaceId}/rate_limits/${id}`,
        { limits: [{ type: "requests_per_minute", value: 1 }] },
      );
      expect(updated.status).toBe(200);
      const client = env.client(key);
      const counted = await client.messages.countTokens(ask()).withResponse();
      expect(counted.response.headers.get("anthropic-ratelimit-requests-limit")).toBe("1");
      const limited = await failure(client.messages.countTokens(ask()));
      expectApiError(limited, 429, "rate_limit_error");
      expect(limited.message).toContain("for token_count");
      // Messages are in their model's group, which has no limit.
      const message = await client.messages.create(ask()).withResponse();
      expect(message.response.headers.get("anthropic-ratelimit-requests-limit")).toBeNull();
    });
  });

  describe("spend", () => {
    it("refuses a workspace at its monthly limit with 400 workspace_spend_limit_reached", async () => {
      const { key } = await env.newKey({ monthly_spend_usd: 0 });
      const client = env.client(key);
      const refused = await failure(client.messages.create(ask()));
      expectApiError(refused, 400, "invalid_request_error", "workspace_spend_limit_reached");
      expect(refused.message).toContain("2026-02-01 at 00:00 UTC");
      expectApiError(
        await failure(client.messages.stream(ask()).finalMessage()),
        400,
        "invalid_request_error",
        "workspace_spend_limit_reached",
      );
      // Listing models costs nothing: not refused.
      expect((await client.models.list()).data.length).toBeGreaterThan(0);
      expect(env.upstream.counts.messages).toBe(0);
    });

    it("refuses every workspace at the organization's limit with organization_spend_limit_reached", async () => {
      const a = await env.newKey();
      const b = await env.newKey({ monthly_spend_usd: 1000 });
      const clientA = env.client(a.key);
      const clientB = env.client(b.key);
      await clientA.messages.create(ask());
      await env.settle();
      const spent = env.runtime.ledger.spent(`org:${env.server.org.id}`, month()) as number;
      expect(spent).toBeGreaterThan(0);
      try {
        // The organization is at its limit (to the micro-dollar): nothing more fits, anywhere.
        await env.updateOrganization({ billing: { usage_limit_usd: usd(spent) } });
        const limit = env.runtime.state.organization(env.server.org.id)!.usageLimitNanos!;
        expect(limit - spent).toBeGreaterThanOrEqual(0);
        expect(limit - spent).toBeLessThan(1000);
        for (const client of [clientA, clientB]) {
          expectApiError(
            await failure(client.messages.create(ask())),
            400,
            "invalid_request_error",
            "organization_spend_limit_reached",
          );
        }
        const viaAdmin = await env.server.get("/v1/organizations");
        expect(viaAdmin.body.billing.usage_limit_usd).toBe(limit / 1e9);
        await env.updateOrganization({ billing: { usage_limit_usd: null } });
        expect((await clientB.messages.create(ask())).type).toBe("message");
      } finally {
        await env.updateOrganization({ billing: { usage_limit_usd: null } });
      }
    });

    it("applies a limit set below what was already spent to the next request", async () => {
      const { key, workspaceId } = await env.newKey();
      const client = env.client(key);
      await client.messages.create(ask());
      await client.messages.create(ask());
      await env.settle();
      expect(spentIn(workspaceId)).toBeGreaterThan(0);
      await env.setWorkspaceLimits(workspaceId, { monthly_spend_usd: 0.000001 });
      expectApiError(
        await failure(client.messages.create(ask())),
        400,
        "invalid_request_error",
        "workspace_spend_limit_reached",
      );
    });

    it("never lets concurrent requests overshoot a nearly spent budget, and the rest stays usable", async () => {
      const { key, workspaceId } = await env.newKey();
      const client = env.client(key);
      const params = ask({ model: "claude-opus-4-6", max_tokens: 400 });

      // One request to learn the reservation of this exact body, and its real cost.
      await client.messages.stream(params).finalMessage();
      await env.settle();
      const body = env.upstream.requests.at(-1)!.body;
      const estimate = prices.estimate(params.model, {
        inputBytes: body.length,
        maxTokens: 400,
        webSearches: 0,
      });
      const spent0 = spentIn(workspaceId);
      expect(spent0).toBeGreaterThan(0);
      expect(spent0).toBeLessThan(estimate);

      // Room for exactly 5 reservations on top of what was spent.
      const fit = 5;
      const limitMicros = Math.ceil((spent0 + fit * estimate + estimate / 2) / 1000);
      await env.setWorkspaceLimits(workspaceId, { monthly_spend_usd: limitMicros / 1e6 });
      const limit = env.runtime.state.workspace(workspaceId)!.monthlyLimitNanos!;
      expect(limit).toBe(limitMicros * 1000);

      env.upstream.reset();
      env.upstream.script({ kind: "slow-stream", chunks: 10, intervalMs: 50 });
      let refusals = 0;
      const calls = Array.from({ length: 20 }, () =>
        client.messages
          .stream(params)
          .finalMessage()
          .then(
            (message) => ({ ok: true as const, message }),
            (error: APIError) => {
              refusals++;
              return { ok: false as const, error };
            },
          ),
      );
      // Every request is decided (forwarded or refused) while the admitted ones are all still
      // streaming, so all their reservations are held at once.
      await until(() => env.upstream.counts.messages + refusals === 20, "all admissions decided");
      expect(env.upstream.counts.completed).toBe(0);
      expect(env.upstream.counts.messages).toBe(fit);

      const results = await Promise.all(calls);
      expect(results.filter((r) => r.ok)).toHaveLength(fit);
      for (const result of results) {
        if (!result.ok) {
          expectApiError(
            result.error,
            400,
            "invalid_request_error",
            "workspace_spend_limit_reached",
          );
        }
      }
      const recorded = async () =>
        (await env.events())
          .filter((e) => e.workspace_id === workspaceId)
          .reduce((sum, e) => sum + e.cost_nanos, 0);
      expect(await recorded()).toBeLessThanOrEqual(limit);
      expect(await recorded()).toBe(spentIn(workspaceId));

      // Settled at the real (smaller) cost, the budget left over is usable until a reservation no
      // longer fits.
      env.upstream.script({ kind: "message" });
      let more = 0;
      for (;;) {
        try {
          await client.messages.create(params);
          more++;
        } catch (error) {
          expectApiError(
            error as never,
            400,
            "invalid_request_error",
            "workspace_spend_limit_reached",
          );
          break;
        }
      }
      expect(more).toBeGreaterThan(0);
      const total = await recorded();
      expect(total).toBe(spentIn(workspaceId));
      expect(total).toBeLessThanOrEqual(limit);
      // Refused only when the reservation really would not fit.
      expect(
        total +
          prices.estimate(params.model, {
            inputBytes: body.length,
            maxTokens: 400,
            webSearches: 0,
          }),
      ).toBeGreaterThan(limit);
    });

    it("remembers the month's spend across a restart", async () => {
      const { key, workspaceId } = await env.newKey();
      const client = env.client(key);
      for (let i = 0; i < 3; i++) {
        await client.messages.create(ask());
      }
      await env.settle();
      const spent = spentIn(workspaceId);
      const orgSpent = env.runtime.ledger.spent(`org:${env.server.org.id}`, month()) as number;
      expect(spent).toBeGreaterThan(0);
      // Room for one more request (its reservation, then its real cost), not two.
      const cost = spent / 3;
      await env.setWorkspaceLimits(workspaceId, {
        monthly_spend_usd: usd(spent + lastEstimate() + cost / 2),
      });

      // A second app over the same database, as after a restart.
      const second = await startRuntime({
        database: env.server.database,
        clock: env.clock,
        gateway: {
          upstream: { url: env.upstream.url, apiKey: UPSTREAM_KEY, timeoutMs: 10_000 },
          prices,
          recorder: { maxDelayMs: 5 },
        },
      });
      const { app } = second;
      try {
        await app.listen({ port: 0, host: "127.0.0.1" });
        const runtime = app.gateway as GatewayRuntime;
        expect(runtime.ledger.spent(`ws:${workspaceId}`, month())).toBe(spent);
        expect(runtime.ledger.spent(`org:${env.server.org.id}`, month())).toBe(orgSpent);

        const restarted = new Anthropic({
          baseURL: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`,
          apiKey: key,
          maxRetries: 0,
        });
        expect((await restarted.messages.create(ask())).type).toBe("message");
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

    it("restores access when the month turns (UTC)", async () => {
      const { key, workspaceId } = await env.newKey();
      const client = env.client(key);
      env.clock.set("2026-01-31T23:59:59.000Z");
      await client.messages.create(ask());
      await env.settle();
      // One reservation fits in an empty month; not on top of this one's spend.
      await env.setWorkspaceLimits(workspaceId, {
        monthly_spend_usd: usd(lastEstimate() + spentIn(workspaceId) / 2),
      });
      const refused = await failure(client.messages.create(ask()));
      expectApiError(refused, 400, "invalid_request_error", "workspace_spend_limit_reached");
      expect(refused.message).toContain("2026-02-01 at 00:00 UTC");

      env.clock.set("2026-02-01T00:00:00.000Z");
      expect((await client.messages.create(ask())).type).toBe("message");
      const events = (await env.events()).filter((e) => e.workspace_id === workspaceId);
      expect(events.map((e) => e.occurred_at)).toEqual([
        "2026-01-31T23:59:59.000Z",
        "2026-02-01T00:00:00.000Z",
      ]);
      expect(env.runtime.ledger.spent(`ws:${workspaceId}`, "2026-02")).toBe(events[1]!.cost_nanos);
    });
  });
});
