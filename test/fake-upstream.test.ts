/**
 * The fake Anthropic upstream (test/fixtures/fake-upstream.ts) checked on its own: with plain
 * `fetch` for the wire details, and with the official `@anthropic-ai/sdk` pointed straight at it, so
 * the gateway's tests and benchmarks stand on a fixture the real client accepts.
 */
import Anthropic, {
  APIError,
  AuthenticationError,
  BadRequestError,
  NotFoundError,
  OverloadedError,
  RateLimitError,
} from "@anthropic-ai/sdk";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import {
  FAKE_MODELS,
  type FakeUpstream,
  type FakeUsage,
  inputTokensFor,
  outputTokensFor,
  startFakeUpstream,
} from "./fixtures/fake-upstream.js";
import { parseSse, type SseEvent } from "./gateway-support.js";

const API_KEY = "sk-ant-api03-fake-upstream-test";
const HEADERS = {
  "x-api-key": API_KEY,
  "anthropic-version": "2023-06-01",
  "content-type": "application/json",
};
const MODEL = "claude-haiku-4-5-20251001";
const REQUEST_ID = /^req_\w{20,}$/;
const MESSAGE_ID = /^msg_01\w{20,}$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/** The usage a client ends with: message_start's, each message_delta's fields overwriting it. */
function foldUsage(events: SseEvent[]): Record<string, unknown> {
  const start = events.find((e) => e.event === "message_start");
  const usage = { ...start?.data.message.usage };
  for (const e of events) {
    if (e.event === "message_delta") {
      for (const [key, value] of Object.entries(e.data.usage as Record<string, unknown>)) {
        if (value !== null) {
          usage[key] = value;
        }
      }
    }
  }
  return usage;
}

const messageBody = (overrides: Record<string, unknown> = {}): string =>
  JSON.stringify({
    model: MODEL,
    max_tokens: 64,
    messages: [{ role: "user", content: "Say hello." }],
    ...overrides,
  });

/** What the fixture reports when no scenario sets usage. */
function defaultUsage(body: string, maxTokens: number): FakeUsage {
  return {
    input_tokens: inputTokensFor(body),
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
    cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
    output_tokens: outputTokensFor(maxTokens),
    server_tool_use: null,
    service_tier: "standard",
    inference_geo: "global",
  };
}

/** Awaits a promise that must reject, and returns what it rejected with. */
async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a failure, got a success");
}

/** Waits for the upstream to have seen something (the test's timeout bounds the wait). */
async function until(condition: () => boolean): Promise<void> {
  await vi.waitFor(
    () => {
      if (!condition()) {
        throw new Error("condition not met yet");
      }
    },
    { timeout: 30_000, interval: 5 },
  );
}

let upstream: FakeUpstream;

beforeAll(async () => {
  upstream = await startFakeUpstream();
});

afterAll(async () => {
  await upstream.close();
});

beforeEach(() => {
  upstream.reset();
});

const post = (path: string, body: string, headers: Record<string, string> = HEADERS) =>
  fetch(`${upstream.url}${path}`, { method: "POST", headers, body });
const get = (path: string) => fetch(`${upstream.url}${path}`, { headers: HEADERS });

describe("fake upstream over plain fetch", () => {
  it("answers a JSON Message with deterministic usage, Anthropic's headers, and records both", async () => {
    const body = messageBody();
    const response = await post("/v1/messages", body);
    const text = await response.text();
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(Number(response.headers.get("content-length"))).toBe(Buffer.byteLength(text));
    expect(response.headers.get("request-id")).toMatch(REQUEST_ID);
    expect(response.headers.get("anthropic-organization-id")).toMatch(/^[0-9a-f-]{36}$/);
    for (const kind of ["requests", "tokens", "input-tokens", "output-tokens"]) {
      expect(Number(response.headers.get(`anthropic-ratelimit-${kind}-limit`))).toBeGreaterThan(0);
      expect(Number(response.headers.get(`anthropic-ratelimit-${kind}-remaining`))).toBeGreaterThan(
        0,
      );
      expect(response.headers.get(`anthropic-ratelimit-${kind}-reset`)).toMatch(RFC3339);
    }

    const message = JSON.parse(text);
    const usage = defaultUsage(body, 64);
    expect(message).toMatchObject({
      type: "message",
      role: "assistant",
      model: MODEL,
      stop_reason: "end_turn",
      stop_sequence: null,
      usage,
    });
    expect(message.id).toMatch(MESSAGE_ID);
    expect(message.content).toEqual([{ type: "text", text: expect.any(String) }]);
    expect(message.content[0].text.split(" ")).toHaveLength(usage.output_tokens);
    expect(upstream.reported).toEqual([usage]);
    expect(upstream.requests).toHaveLength(1);
    expect(upstream.requests[0]).toMatchObject({ method: "POST", path: "/v1/messages" });
    expect(upstream.requests[0]?.headers["x-api-key"]).toBe(API_KEY);
    expect(upstream.requests[0]?.body.toString()).toBe(body);
    expect(upstream.counts).toMatchObject({ requests: 1, messages: 1, streams: 0, completed: 1 });
  });

  it("stops at max_tokens when the output reaches it", async () => {
    const response = await post("/v1/messages", messageBody({ max_tokens: 5 }));
    const message = await response.json();
    expect(message.stop_reason).toBe("max_tokens");
    expect(message.usage.output_tokens).toBe(5);
  });

  it("streams Anthropic's exact event order with cumulative message_delta usage", async () => {
    const body = messageBody({ stream: true });
    const response = await post("/v1/messages", body);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    expect(response.headers.get("request-id")).toMatch(REQUEST_ID);
    expect(response.headers.get("anthropic-ratelimit-requests-limit")).not.toBeNull();

    const events = parseSse(await response.text());
    const names = events.map((e) => e.event);
    expect(names).toEqual([
      "message_start",
      "content_block_start",
      "ping",
      "content_block_delta",
      "content_block_delta",
      "content_block_delta",
      "content_block_delta",
      "content_block_stop",
      "message_delta",
      "message_delta",
      "message_stop",
    ]);
    for (const e of events) {
      expect(e.data.type).toBe(e.event);
    }

    const usage = defaultUsage(body, 64);
    const start = events[0]?.data.message;
    expect(start).toMatchObject({ model: MODEL, content: [], stop_reason: null });
    expect(start.id).toMatch(MESSAGE_ID);
    expect(start.usage).toEqual({ ...usage, output_tokens: 1 });

    const deltas = events.filter((e) => e.event === "message_delta");
    expect(deltas[0]?.data.usage).toEqual({ output_tokens: 10 });
    expect(deltas[1]?.data).toEqual({
      type: "message_delta",
      delta: { stop_reason: "end_turn", stop_sequence: null },
      usage: {
        input_tokens: usage.input_tokens,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
        output_tokens: 20,
        server_tool_use: null,
      },
    });
    // Adding the deltas up would over-count: the last one is the total.
    expect(foldUsage(events)).toEqual(usage);
    expect(upstream.reported).toEqual([usage]);
    expect(upstream.counts).toMatchObject({ messages: 1, streams: 1, completed: 1 });

    // The streamed text is the JSON answer's text, multi-byte characters intact.
    const text = events
      .filter((e) => e.event === "content_block_delta")
      .map((e) => e.data.delta.text)
      .join("");
    const json = await (await post("/v1/messages", messageBody())).json();
    expect(text).toBe(json.content[0].text);
    expect(text).toContain("café");
  });

  it("reports scripted usage: cache-write split, cache reads, server tools, tier, geo", async () => {
    upstream.script({
      kind: "message",
      usage: {
        input_tokens: 7,
        output_tokens: 300,
        cache_creation: { ephemeral_5m_input_tokens: 100, ephemeral_1h_input_tokens: 50 },
        cache_read_input_tokens: 2048,
        server_tool_use: { web_search_requests: 3 },
        service_tier: "priority",
        inference_geo: "us",
      },
      text: "scripted",
      headers: { "x-extra": "yes" },
    });
    const response = await post("/v1/messages", messageBody({ max_tokens: 1000 }));
    expect(response.headers.get("x-extra")).toBe("yes");
    const message = await response.json();
    const expected: FakeUsage = {
      input_tokens: 7,
      cache_creation_input_tokens: 150,
      cache_read_input_tokens: 2048,
      cache_creation: { ephemeral_5m_input_tokens: 100, ephemeral_1h_input_tokens: 50 },
      output_tokens: 300,
      server_tool_use: { web_search_requests: 3 },
      service_tier: "priority",
      inference_geo: "us",
    };
    expect(message.usage).toEqual(expected);
    expect(message.content[0].text).toBe("scripted");

    const streamed = parseSse(
      await (await post("/v1/messages", messageBody({ max_tokens: 1000, stream: true }))).text(),
    );
    // The search count is known only at the end: message_start says 0, the last delta says 3.
    expect(streamed[0]?.data.message.usage.server_tool_use).toEqual({ web_search_requests: 0 });
    expect(foldUsage(streamed)).toEqual(expected);
    expect(upstream.reported).toEqual([expected, expected]);
  });

  it("derives the 5-minute split from a bare cache_creation_input_tokens", async () => {
    upstream.script({ kind: "message", usage: { cache_creation_input_tokens: 40 } });
    const message = await (await post("/v1/messages", messageBody())).json();
    expect(message.usage.cache_creation).toEqual({
      ephemeral_5m_input_tokens: 40,
      ephemeral_1h_input_tokens: 0,
    });
  });

  it("requires x-api-key and anthropic-version, with Anthropic's error envelopes", async () => {
    const { "x-api-key": _key, ...noKey } = HEADERS;
    const missingKey = await post("/v1/messages", messageBody(), noKey);
    expect(missingKey.status).toBe(401);
    const envelope = await missingKey.json();
    expect(envelope).toEqual({
      type: "error",
      error: { type: "authentication_error", message: "x-api-key header is required" },
      request_id: missingKey.headers.get("request-id"),
    });

    const { "anthropic-version": _version, ...noVersion } = HEADERS;
    const missingVersion = await post("/v1/messages", messageBody(), noVersion);
    expect(missingVersion.status).toBe(400);
    expect((await missingVersion.json()).error.type).toBe("invalid_request_error");

    const models = await fetch(`${upstream.url}/v1/models`, { headers: noKey });
    expect(models.status).toBe(401);
    expect(upstream.counts).toMatchObject({ requests: 3, messages: 0, errors: 3 });
    expect(upstream.reported).toEqual([]);

    // A Bearer token stands in for x-api-key (the SDK sends its key that way).
    const bearer = await post("/v1/messages", messageBody(), {
      ...noKey,
      authorization: `Bearer ${API_KEY}`,
    });
    expect(bearer.status).toBe(200);
  });

  it("accepts only the configured key when started with apiKey", async () => {
    const keyed = await startFakeUpstream({ apiKey: "sk-right" });
    try {
      const wrong = await fetch(`${keyed.url}/v1/messages`, {
        method: "POST",
        headers: { ...HEADERS, "x-api-key": "sk-wrong" },
        body: messageBody(),
      });
      expect(wrong.status).toBe(401);
      expect((await wrong.json()).error.message).toBe("invalid x-api-key");
      const right = await fetch(`${keyed.url}/v1/messages`, {
        method: "POST",
        headers: { ...HEADERS, "x-api-key": "sk-right" },
        body: messageBody(),
      });
      expect(right.status).toBe(200);
    } finally {
      await keyed.close();
    }
  });

  it("rejects malformed bodies with 400 without taking a scenario", async () => {
    upstream.script({ kind: "message", text: "kept for the valid call" });
    const cases = [
      "{not json",
      "[]",
      JSON.stringify({ max_tokens: 5, messages: [] }),
      JSON.stringify({ model: MODEL, messages: [{ role: "user", content: "x" }] }),
      JSON.stringify({ model: MODEL, max_tokens: 0, messages: [{ role: "user", content: "x" }] }),
      JSON.stringify({ model: MODEL, max_tokens: 5, messages: [] }),
    ];
    for (const body of cases) {
      const response = await post("/v1/messages", body);
      expect(response.status).toBe(400);
      expect((await response.json()).error.type).toBe("invalid_request_error");
    }
    expect(upstream.counts.messages).toBe(0);
    const ok = await (await post("/v1/messages", messageBody())).json();
    expect(ok.content[0].text).toBe("kept for the valid call");
  });

  it("counts tokens, lists models in pages, and finds one model or 404", async () => {
    const body = JSON.stringify({ model: MODEL, messages: [{ role: "user", content: "Hi" }] });
    const count = await post("/v1/messages/count_tokens", body);
    expect(count.status).toBe(200);
    expect(await count.json()).toEqual({ input_tokens: inputTokensFor(body) });
    expect(upstream.counts.messages).toBe(0);

    const list = await (await get("/v1/models")).json();
    expect(list).toEqual({
      data: FAKE_MODELS,
      has_more: false,
      first_id: FAKE_MODELS[0]?.id,
      last_id: FAKE_MODELS.at(-1)?.id,
    });
    for (const model of list.data) {
      expect(Object.keys(model).sort()).toEqual(["created_at", "display_name", "id", "type"]);
    }
    const first = await (await get("/v1/models?limit=2")).json();
    expect(first.data.map((m: { id: string }) => m.id)).toEqual(
      FAKE_MODELS.slice(0, 2).map((m) => m.id),
    );
    expect(first.has_more).toBe(true);
    const second = await (await get(`/v1/models?limit=2&after_id=${first.last_id}`)).json();
    expect(second.first_id).toBe(FAKE_MODELS[2]?.id);
    const back = await (await get(`/v1/models?limit=2&before_id=${second.first_id}`)).json();
    expect(back.data).toEqual(first.data);
    expect(back.has_more).toBe(false);
    expect((await get("/v1/models?limit=0")).status).toBe(400);

    const one = await get("/v1/models/claude-haiku-4-5");
    expect(one.status).toBe(200);
    expect((await one.json()).id).toBe("claude-haiku-4-5-20251001");
    const missing = await get("/v1/models/claude-nonexistent");
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({
      type: "error",
      error: { type: "not_found_error", message: "model: claude-nonexistent" },
    });
    expect((await get("/v1/nothing-here")).status).toBe(404);
  });

  it("plays the script as a queue whose last scenario repeats, until reset", async () => {
    upstream.script(
      { kind: "error", status: 429, type: "rate_limit_error" },
      { kind: "message", text: "second" },
    );
    const limited = await post("/v1/messages", messageBody());
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("1");
    expect(limited.headers.get("anthropic-ratelimit-requests-limit")).not.toBeNull();
    const envelope = await limited.json();
    expect(envelope.error.type).toBe("rate_limit_error");
    expect(envelope.request_id).toBe(limited.headers.get("request-id"));

    for (let i = 0; i < 2; i++) {
      expect((await (await post("/v1/messages", messageBody())).json()).content[0].text).toBe(
        "second",
      );
    }
    expect(upstream.reported).toHaveLength(2);

    upstream.script({
      kind: "error",
      status: 429,
      type: "rate_limit_error",
      message: "spend cap",
      headers: { "retry-after": "" },
    });
    const capped = await post("/v1/messages", messageBody());
    expect(capped.headers.get("retry-after")).toBeNull();
    expect((await capped.json()).error.message).toBe("spend cap");

    upstream.reset();
    expect(upstream.requests).toEqual([]);
    expect(upstream.reported).toEqual([]);
    expect(upstream.counts.requests).toBe(0);
    expect((await post("/v1/messages", messageBody())).status).toBe(200);
  });

  it("delays a scripted message by delayMs", async () => {
    upstream.script({ kind: "message", delayMs: 120 });
    const started = performance.now();
    const response = await post("/v1/messages", messageBody());
    await response.json();
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
  });

  it("ends a stream-error after afterEvents events with an error event and no message_stop", async () => {
    upstream.script({ kind: "stream-error", afterEvents: 4 });
    const response = await post("/v1/messages", messageBody({ stream: true }));
    expect(response.status).toBe(200);
    const events = parseSse(await response.text());
    expect(events.map((e) => e.event)).toEqual([
      "message_start",
      "content_block_start",
      "ping",
      "content_block_delta",
      "error",
    ]);
    expect(events[4]?.data).toEqual({
      type: "error",
      error: { type: "overloaded_error", message: "Overloaded" },
      request_id: response.headers.get("request-id"),
    });
    expect(upstream.reported).toEqual([]);
    expect(upstream.counts.errors).toBe(1);

    // Without stream:true, the same upstream trouble is an HTTP status.
    const json = await post("/v1/messages", messageBody());
    expect(json.status).toBe(529);
    expect((await json.json()).error.type).toBe("overloaded_error");
  });

  it("spaces slow-stream deltas, and notices a client that leaves mid-stream", async () => {
    upstream.script({ kind: "slow-stream", chunks: 5, intervalMs: 30 });
    const started = performance.now();
    const full = await post("/v1/messages", messageBody({ stream: true }));
    const events = parseSse(await full.text());
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(events.filter((e) => e.event === "content_block_delta")).toHaveLength(5);
    expect(events.at(-1)?.event).toBe("message_stop");
    expect(upstream.reported).toHaveLength(1);

    upstream.reset();
    upstream.script({ kind: "slow-stream", chunks: 50, intervalMs: 20 });
    const controller = new AbortController();
    const partial = await fetch(`${upstream.url}/v1/messages`, {
      method: "POST",
      headers: HEADERS,
      body: messageBody({ stream: true }),
      signal: controller.signal,
    });
    const reader = (partial.body as ReadableStream<Uint8Array>).getReader();
    const first = await reader.read();
    expect(Buffer.from(first.value ?? []).toString()).toContain("event: message_start");
    controller.abort();
    await until(() => upstream.counts.aborted === 1);
    expect(upstream.reported).toEqual([]);
  });

  it("hangs until the client gives up, and close() ends hung requests", async () => {
    upstream.script({ kind: "hang" });
    const error = await failure(
      fetch(`${upstream.url}/v1/messages`, {
        method: "POST",
        headers: HEADERS,
        body: messageBody(),
        signal: AbortSignal.timeout(100),
      }),
    );
    expect((error as Error).name).toBe("TimeoutError");
    await until(() => upstream.counts.aborted === 1);
    expect(upstream.counts).toMatchObject({ messages: 1, completed: 0 });

    const own = await startFakeUpstream();
    own.script({ kind: "hang" });
    const pending = fetch(`${own.url}/v1/messages`, {
      method: "POST",
      headers: HEADERS,
      body: messageBody({ stream: true }),
    }).then(
      (response) => response.status,
      (reason: unknown) => reason,
    );
    await until(() => own.counts.messages === 1);
    // Closing cuts the hanging request: waiting for it would never return.
    await own.close();
    expect(await pending).toBeInstanceOf(Error);
    await own.close(); // idempotent
  });

  it("bounds requests and reported to the last 1000 while counting everything", async () => {
    const total = 1005;
    let next = 0;
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        while (next < total) {
          const i = next++;
          const response = await post(
            "/v1/messages",
            messageBody({ metadata: { user_id: `u${i}` } }),
          );
          await response.arrayBuffer();
        }
      }),
    );
    expect(upstream.counts).toMatchObject({ requests: total, messages: total, completed: total });
    expect(upstream.requests).toHaveLength(1000);
    expect(upstream.reported).toHaveLength(1000);
    // Keep-alive: 20 concurrent clients need about 20 connections, not one per request.
    expect(upstream.counts.connections).toBeLessThan(100);
  });
});

describe("fake upstream through the official SDK", () => {
  let client: Anthropic;

  beforeAll(() => {
    client = new Anthropic({ baseURL: upstream.url, apiKey: API_KEY, maxRetries: 0 });
  });

  const params = {
    model: MODEL,
    max_tokens: 64,
    messages: [{ role: "user" as const, content: "Say hello." }],
  };

  it("messages.create returns the usage the fixture reports", async () => {
    const message = await client.messages.create(params);
    expect(message.id).toMatch(MESSAGE_ID);
    expect(message.model).toBe(MODEL);
    expect(message._request_id).toMatch(REQUEST_ID);
    expect(upstream.reported).toHaveLength(1);
    expect(message.usage).toEqual(upstream.reported[0]);
    // SDK 1.14 sends its key as a Bearer token (no x-api-key) and its own anthropic-version.
    const headers = upstream.requests[0]?.headers ?? {};
    expect(headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(headers["x-api-key"]).toBeUndefined();
    expect(headers["anthropic-version"]).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it("works the same when the key goes as x-api-key through defaultHeaders", async () => {
    const viaHeader = new Anthropic({
      baseURL: upstream.url,
      apiKey: API_KEY,
      defaultHeaders: { authorization: null, "x-api-key": API_KEY },
      maxRetries: 0,
    });
    const message = await viaHeader.messages.create(params);
    expect(message.usage).toEqual(upstream.reported[0]);
    expect(upstream.requests[0]?.headers["x-api-key"]).toBe(API_KEY);
    expect(upstream.requests[0]?.headers.authorization).toBeUndefined();
  });

  it("messages.stream yields the events in order and finalMessage().usage equals reported", async () => {
    upstream.script({
      kind: "message",
      usage: {
        output_tokens: 42,
        cache_read_input_tokens: 900,
        cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 64 },
        server_tool_use: { web_search_requests: 2 },
      },
    });
    const stream = client.messages.stream(params);
    const types: string[] = [];
    for await (const event of stream) {
      types.push(event.type);
    }
    // The SDK drops `ping` before the caller sees the events.
    expect(types).toEqual([
      "message_start",
      "content_block_start",
      "content_block_delta",
      "content_block_delta",
      "content_block_delta",
      "content_block_delta",
      "content_block_stop",
      "message_delta",
      "message_delta",
      "message_stop",
    ]);
    const final = await stream.finalMessage();
    expect(upstream.reported).toHaveLength(1);
    expect(final.usage).toEqual(upstream.reported[0]);
    expect(final.usage.server_tool_use).toEqual({ web_search_requests: 2 });
    expect(final.usage.output_tokens).toBe(42);
    expect(final.stop_reason).toBe("end_turn");

    const again = client.messages.stream(params);
    expect((await again.finalMessage()).usage).toEqual(upstream.reported[1]);
    const json = await client.messages.create(params);
    expect(await client.messages.stream(params).finalText()).toBe(
      (json.content[0] as { text: string }).text,
    );
  });

  it("messages.create({ stream: true }) yields raw events ending in message_stop", async () => {
    const stream = await client.messages.create({ ...params, stream: true });
    const events = [];
    for await (const event of stream) {
      events.push(event);
    }
    expect(events[0]?.type).toBe("message_start");
    expect(events.at(-1)?.type).toBe("message_stop");
    expect(events.some((event) => (event.type as string) === "ping")).toBe(false);
  });

  it("counts tokens and lists models, auto-paginating", async () => {
    const count = await client.messages.countTokens({ model: MODEL, messages: params.messages });
    expect(count.input_tokens).toBe(inputTokensFor(upstream.requests[0]?.body ?? ""));

    const ids: string[] = [];
    for await (const model of client.models.list({ limit: 2 })) {
      ids.push(model.id);
    }
    expect(ids).toEqual(FAKE_MODELS.map((m) => m.id));
    expect(upstream.requests.map((r) => r.path).filter((p) => p.startsWith("/v1/models"))).toEqual([
      "/v1/models?limit=2",
      `/v1/models?limit=2&after_id=${FAKE_MODELS[1]?.id}`,
      `/v1/models?limit=2&after_id=${FAKE_MODELS[3]?.id}`,
    ]);
    const page = await client.models.list();
    expect(page.data).toHaveLength(FAKE_MODELS.length);
    expect((await client.models.retrieve("claude-opus-4-5")).id).toBe("claude-opus-4-5-20251101");
    expect(await failure(client.models.retrieve("claude-nope"))).toBeInstanceOf(NotFoundError);
  });

  it("surfaces scripted errors as the SDK's typed errors", async () => {
    upstream.script(
      { kind: "error", status: 429, type: "rate_limit_error" },
      { kind: "error", status: 529, type: "overloaded_error" },
      { kind: "error", status: 400, type: "invalid_request_error", message: "prompt is too long" },
      { kind: "error", status: 401, type: "authentication_error" },
    );
    const limited = (await failure(client.messages.create(params))) as RateLimitError;
    expect(limited).toBeInstanceOf(RateLimitError);
    expect(limited.status).toBe(429);
    expect(limited.type).toBe("rate_limit_error");
    expect(limited.requestID).toMatch(REQUEST_ID);
    expect(limited.headers.get("retry-after")).toBe("1");

    const overloaded = (await failure(client.messages.create(params))) as OverloadedError;
    expect(overloaded).toBeInstanceOf(OverloadedError);
    expect(overloaded.status).toBe(529);

    const bad = (await failure(client.messages.stream(params).finalMessage())) as BadRequestError;
    expect(bad).toBeInstanceOf(BadRequestError);
    expect(bad.apiMessage).toBe("prompt is too long");

    expect(await failure(client.messages.create(params))).toBeInstanceOf(AuthenticationError);
    expect(upstream.requests).toHaveLength(4); // maxRetries: 0
  });

  it("a wrong key on a keyed upstream is an AuthenticationError", async () => {
    const keyed = await startFakeUpstream({ apiKey: "sk-right" });
    try {
      const wrong = new Anthropic({ baseURL: keyed.url, apiKey: "sk-wrong", maxRetries: 0 });
      const error = (await failure(wrong.models.list())) as AuthenticationError;
      expect(error).toBeInstanceOf(AuthenticationError);
      expect(error.apiMessage).toBe("invalid x-api-key");
    } finally {
      await keyed.close();
    }
  });

  it("stream-error makes the SDK's stream throw an untyped APIError", async () => {
    upstream.script({ kind: "stream-error", afterEvents: 5 });
    const stream = client.messages.stream(params);
    const seen: string[] = [];
    const error = await failure(
      (async () => {
        for await (const event of stream) {
          seen.push(event.type);
        }
      })(),
    );
    expect(seen).toEqual([
      "message_start",
      "content_block_start",
      "content_block_delta",
      "content_block_delta",
    ]);
    expect(error).toBeInstanceOf(APIError);
    // A mid-stream error has no HTTP status, so the SDK cannot pick a status class.
    expect(error).not.toBeInstanceOf(OverloadedError);
    expect((error as APIError).status).toBeUndefined();
    expect((error as APIError).type).toBe("overloaded_error");
    expect((error as APIError).requestID).toMatch(REQUEST_ID);
    expect(await failure(stream.finalMessage())).toBe(error);
    expect(upstream.reported).toEqual([]);
  });
});
