import { describe, expect, it } from "vitest";
import { monthOf } from "../src/core/months.js";
import { PriceTable } from "../src/core/usage/prices.js";
import { MemoryRateLimiter } from "../src/gateway/rate-limiter.js";
import { MemorySpendLedger } from "../src/gateway/spend-ledger.js";
import { emptyUsage, SseUsageParser, usageFromMessage } from "../src/gateway/usage.js";

const sse = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

const STREAM = [
  sse("message_start", {
    type: "message_start",
    message: {
      id: "msg_1",
      type: "message",
      role: "assistant",
      content: [],
      model: "claude-opus-4-5-20251101",
      usage: {
        input_tokens: 25,
        cache_creation_input_tokens: 300,
        cache_read_input_tokens: 1000,
        cache_creation: { ephemeral_5m_input_tokens: 100, ephemeral_1h_input_tokens: 200 },
        output_tokens: 1,
        service_tier: "standard",
      },
    },
  }),
  sse("content_block_start", {
    type: "content_block_start",
    index: 0,
    content_block: { type: "text", text: "" },
  }),
  sse("ping", { type: "ping" }),
  sse("content_block_delta", {
    type: "content_block_delta",
    index: 0,
    delta: { type: "text_delta", text: "Hi" },
  }),
  sse("content_block_stop", { type: "content_block_stop", index: 0 }),
  sse("message_delta", {
    type: "message_delta",
    delta: { stop_reason: null },
    usage: { output_tokens: 7 },
  }),
  sse("message_delta", {
    type: "message_delta",
    delta: { stop_reason: "end_turn", stop_sequence: null },
    usage: {
      input_tokens: 25,
      cache_creation_input_tokens: 300,
      cache_read_input_tokens: 1000,
      output_tokens: 15,
      server_tool_use: { web_search_requests: 2 },
    },
  }),
  sse("message_stop", { type: "message_stop" }),
].join("");

describe(SseUsageParser.name, () => {
  const expected = {
    inputTokens: 25,
    outputTokens: 15,
    cacheCreation5mTokens: 100,
    cacheCreation1hTokens: 200,
    cacheReadTokens: 1000,
    webSearchRequests: 2,
    serviceTier: "standard",
    inferenceGeo: null,
    invalid: null,
  };

  it("should take message_start's input side and the last cumulative message_delta", () => {
    const parser = new SseUsageParser();
    parser.push(Buffer.from(STREAM));
    const outcome = parser.end();
    expect(outcome.usage).toEqual(expected);
    expect(outcome.model).toBe("claude-opus-4-5-20251101");
    expect(outcome.sawMessageStop).toBe(true);
    expect(outcome.errorType).toBeNull();
  });

  it.each([1, 2, 3, 7, 64])(
    "should give the same result when the bytes arrive in %i-byte pieces",
    (size) => {
      const bytes = Buffer.from(STREAM);
      const parser = new SseUsageParser();
      for (let i = 0; i < bytes.length; i += size) {
        parser.push(bytes.subarray(i, i + size));
      }
      expect(parser.end().usage).toEqual(expected);
    },
  );

  it("should split multi-byte characters safely and accept CRLF line ends", () => {
    const text = STREAM.replace('"Hi"', '"héllo → 世界"').replaceAll("\n", "\r\n");
    const bytes = Buffer.from(text);
    const parser = new SseUsageParser();
    for (let i = 0; i < bytes.length; i += 5) {
      parser.push(bytes.subarray(i, i + 5));
    }
    expect(parser.end().usage).toEqual(expected);
  });

  it("should skip a leading byte order mark, even when it arrives a byte at a time", () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(STREAM)]);
    for (const size of [1, bytes.length]) {
      const parser = new SseUsageParser();
      for (let i = 0; i < bytes.length; i += size) {
        parser.push(bytes.subarray(i, i + size));
      }
      expect(parser.end().usage).toEqual(expected);
    }
  });

  it("should name an event by its last event field, in any order of fields, among comments", () => {
    const data = (usage: unknown) => `data: ${JSON.stringify({ type: "message_delta", usage })}`;
    const stream = [
      `: keep-alive\n\n`,
      // Data before the name, and a comment between.
      `${data({ output_tokens: 3 })}\n: note\nevent: message_delta\n\n`,
      // The last event field wins: this is a delta, not a ping...
      `event: ping\n${data({ output_tokens: 5 })}\nevent:message_delta\n\n`,
      // ...and this is a ping, whose data is not read.
      `event: message_delta\n${data({ output_tokens: 99 })}\nevent: ping\n\n`,
    ].join("");
    const parser = new SseUsageParser();
    parser.push(Buffer.from(stream));
    expect(parser.end().usage.outputTokens).toBe(5);
  });

  it("should read a last event that no blank line ended", () => {
    const parser = new SseUsageParser();
    // The stream without the blank line after its last event, message_stop.
    parser.push(Buffer.from(STREAM.slice(0, -2)));
    expect(parser.end()).toMatchObject({ usage: expected, sawMessageStop: true });
  });

  it("should record a mid-stream error event and a stream that never stopped", () => {
    const broken = `${STREAM.split("event: message_delta")[0]}${sse("error", {
      type: "error",
      error: { type: "overloaded_error", message: "Overloaded" },
    })}`;
    const parser = new SseUsageParser();
    parser.push(Buffer.from(broken));
    const outcome = parser.end();
    expect(outcome.errorType).toBe("overloaded_error");
    expect(outcome.sawMessageStop).toBe(false);
    expect(outcome.usage.inputTokens).toBe(25);
    expect(outcome.usage.outputTokens).toBe(1);
  });
});

describe(usageFromMessage.name, () => {
  it("should read a JSON Message's usage", () => {
    const body = Buffer.from(
      JSON.stringify({
        type: "message",
        model: "claude-haiku-4-5",
        usage: {
          input_tokens: 10,
          output_tokens: 5,
          cache_creation_input_tokens: 40,
          cache_read_input_tokens: 3,
        },
      }),
    );
    const result = usageFromMessage(body);
    expect(result?.model).toBe("claude-haiku-4-5");
    expect(result?.usage).toEqual({
      ...emptyUsage(),
      inputTokens: 10,
      outputTokens: 5,
      cacheCreation5mTokens: 40,
      cacheReadTokens: 3,
    });
  });

  it("should read the same from a body with multi-byte text, and keep multi-byte strings it reads", () => {
    const message = (model: string, text: string) =>
      Buffer.from(
        JSON.stringify({
          type: "message",
          model,
          content: [{ type: "text", text }],
          usage: {
            input_tokens: 7,
            output_tokens: 2,
            service_tier: "priorité",
            inference_geo: "us",
          },
        }),
      );
    const plain = usageFromMessage(message("claude-haiku-4-5", "plain text"));
    const accented = usageFromMessage(message("claude-haiku-4-5", "café ☕ naïve résumé 日本語"));
    expect(accented).toEqual(plain);
    expect(accented?.usage.serviceTier).toBe("priorité");
    expect(usageFromMessage(message("modèle-ß", "☕"))?.model).toBe("modèle-ß");
    // Bytes that are not UTF-8 inside a string are no reason to refuse what the upstream sent.
    const invalid = Buffer.concat([
      Buffer.from('{"type":"message","model":"m","content":"'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('","usage":{"input_tokens":3}}'),
    ]);
    expect(usageFromMessage(invalid)?.usage.inputTokens).toBe(3);
  });

  it("should answer undefined for an error body or garbage", () => {
    expect(usageFromMessage(Buffer.from('{"type":"error","error":{}}'))).toBeUndefined();
    expect(usageFromMessage(Buffer.from("not json"))).toBeUndefined();
  });
});

describe(PriceTable.name, () => {
  const prices = PriceTable.load();

  it("should price every token category at its own rate, in nano-dollars", () => {
    const usage = {
      ...emptyUsage(),
      inputTokens: 1_000_000,
      outputTokens: 1_000_000,
      cacheCreation5mTokens: 1_000_000,
      cacheCreation1hTokens: 1_000_000,
      cacheReadTokens: 1_000_000,
      webSearchRequests: 1000,
    };
    // Opus 4.5: $5 in + $25 out + $6.25 5m write + $10 1h write + $0.50 read = $46.75; 1000 searches $10.
    expect(prices.cost("claude-opus-4-5", usage)).toEqual({
      nanos: 46.75e9 + 10e9,
      priced: true,
      source: "table",
      parts: {
        input: 5e9,
        output: 25e9,
        cacheWrite5m: 6.25e9,
        cacheWrite1h: 10e9,
        cacheRead: 0.5e9,
        webSearch: 10e9,
      },
    });
  });

  it("should match dated and -latest model ids", () => {
    const usage = { ...emptyUsage(), inputTokens: 1000 };
    expect(prices.cost("claude-haiku-4-5-20251001", usage).nanos).toBe(1_000_000);
    expect(prices.cost("claude-3-5-haiku-latest", usage).nanos).toBe(800_000);
  });

  it("should answer each model id the same however many ids it has seen", () => {
    const table = PriceTable.load();
    const opus = table.priceOf("claude-opus-4-5");
    for (let i = 0; i < 3000; i++) {
      expect(table.priceOf(`claude-opus-4-5-${i}`)).toBe(opus); // a priced prefix
      expect(table.priceOf(`unknown-model-${i}`)).toBeUndefined();
      expect(table.priceOf("claude-opus-4-5-20251101")).toBe(opus);
    }
  });

  it("should apply the US inference geo multiplier", () => {
    const usage = { ...emptyUsage(), outputTokens: 1000, inferenceGeo: "us" };
    expect(prices.cost("claude-sonnet-4-5", usage).nanos).toBe(Math.round(15_000_000 * 1.1));
  });

  it("should flag an unknown model and charge it at the fallback rates", () => {
    // The fallback: each rate at its highest over the table ($15 per million input tokens).
    expect(prices.cost("gpt-4o", { ...emptyUsage(), inputTokens: 5 })).toMatchObject({
      nanos: 5 * 15 * 1000,
      priced: false,
      source: "fallback",
    });
  });

  it("should estimate an upper bound: never below the real cost of the same request", () => {
    const estimate = prices.estimate("claude-opus-4-5", {
      inputBytes: 4000,
      maxTokens: 1000,
      webSearches: 0,
    });
    const worst = prices.cost("claude-opus-4-5", {
      ...emptyUsage(),
      cacheCreation1hTokens: 4000,
      outputTokens: 1000,
      inferenceGeo: "us",
    });
    expect(estimate).toBeGreaterThanOrEqual(worst.nanos);
  });
});

describe(MemoryRateLimiter.name, () => {
  it("should allow a full bucket, refuse the next, and refill continuously", () => {
    const limiter = new MemoryRateLimiter();
    const t0 = 1_000_000;
    for (let i = 0; i < 60; i++) {
      expect(limiter.take("ws", 60, t0).allowed).toBe(true);
    }
    const refused = limiter.take("ws", 60, t0);
    expect(refused).toMatchObject({ allowed: false, limit: 60, remaining: 0, retryAfterMs: 1000 });
    expect(refused.resetAtMs).toBe(t0 + 60_000);
    expect(limiter.take("ws", 60, t0 + 999).allowed).toBe(false);
    expect(limiter.take("ws", 60, t0 + 1000).allowed).toBe(true);
  });

  it("should keep buckets apart and follow a changed limit", () => {
    const limiter = new MemoryRateLimiter();
    expect(limiter.take("a", 1, 0).allowed).toBe(true);
    expect(limiter.take("a", 1, 0).allowed).toBe(false);
    expect(limiter.take("b", 1, 0).allowed).toBe(true);
    expect(limiter.take("a", 3, 0)).toMatchObject({ allowed: true, remaining: 1 });
  });

  it("should refuse everything at a limit of zero", () => {
    expect(new MemoryRateLimiter().take("z", 0, 0).allowed).toBe(false);
  });
});

describe(MemorySpendLedger.name, () => {
  const month = monthOf(new Date("2026-05-10T00:00:00Z"));

  it("should refuse a reservation that could pass a limit, counting what is in flight", () => {
    const ledger = new MemorySpendLedger();
    ledger.seed("ws:a", month, 90);
    const scopes = [{ key: "ws:a", limitNanos: 100 }];
    const first = ledger.reserve(scopes, 6, month);
    expect(first.ok).toBe(true);
    expect(ledger.reserve(scopes, 6, month)).toMatchObject({ ok: false, scope: "ws:a" });
    if (first.ok) {
      ledger.settle(first.reservation, 2);
    }
    expect(ledger.spent("ws:a", month)).toBe(92);
    expect(ledger.reserve(scopes, 6, month).ok).toBe(true);
  });

  it("should reserve nothing when any scope refuses", () => {
    const ledger = new MemorySpendLedger();
    const result = ledger.reserve(
      [
        { key: "org:o", limitNanos: null },
        { key: "ws:w", limitNanos: 5 },
      ],
      10,
      month,
    );
    expect(result).toMatchObject({ ok: false, scope: "ws:w" });
    expect(ledger.reserve([{ key: "org:o", limitNanos: 10 }], 10, month).ok).toBe(true);
  });

  it("should start each calendar month from zero", () => {
    const ledger = new MemorySpendLedger();
    ledger.seed("org:o", "2026-05", 1000);
    expect(ledger.reserve([{ key: "org:o", limitNanos: 1000 }], 1, "2026-05").ok).toBe(false);
    expect(ledger.reserve([{ key: "org:o", limitNanos: 1000 }], 1, "2026-06").ok).toBe(true);
  });
});
