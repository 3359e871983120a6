import { randomBytes } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { byteLengthOf, parseJsonBytes, textOf } from "../src/gateway/json-bytes.js";
import { readMessageRequest } from "../src/gateway/message-request.js";
import { usageFromMessage } from "../src/gateway/usage.js";

/** Every string of a parsed value, keys included. */
function stringsIn(value: unknown, into: unknown[] = []): unknown[] {
  if (typeof value === "string") {
    into.push(value);
  } else if (Array.isArray(value)) {
    for (const item of value) {
      stringsIn(item, into);
    }
  } else if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      into.push(key);
      stringsIn(item, into);
    }
  }
  return into;
}

/** The value with every stand-in replaced by its string's text, read from the body. */
function restored(body: Buffer, value: unknown): unknown {
  if (typeof value === "string") {
    return textOf(body, value);
  }
  if (Array.isArray(value)) {
    return value.map((item) => restored(body, item));
  }
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [textOf(body, key), restored(body, item)]),
    );
  }
  return value;
}

/** Strings rich in what can fool a search for quotes: backslash runs, escaped quotes, non-ASCII. */
const trickyString = fc
  .array(fc.constantFrom("\\", '"', "\\\\", '\\"', "a", "é", "☕", "\n", "\u0000", "/"), {
    maxLength: 40,
  })
  .map((parts) => parts.join(""));

const trickyJson = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    trickyString,
    fc.string({ unit: "binary" }),
    fc.integer(),
    fc.constantFrom(true, false, null),
    fc.array(tie("value"), { maxLength: 5 }),
    fc.dictionary(fc.oneof(trickyString, fc.string()), tie("value"), { maxKeys: 5 }),
  ),
})).value;

describe(parseJsonBytes.name, () => {
  it("should parse a skeleton whose stand-ins read back as the body's strings, whatever they hold", () => {
    fc.assert(
      fc.property(trickyJson, fc.integer({ min: 0, max: 12 }), (value, longStringBytes) => {
        // An object, as every body the gateway reads: its strings are checked for text beyond
        // ASCII (read as latin1 otherwise), not an array's or a scalar's.
        const body = Buffer.from(JSON.stringify({ value }));
        const whole = JSON.parse(body.toString("utf8"));
        const skeleton = parseJsonBytes(body, (parsed) => stringsIn(parsed), {
          skeletonFromBytes: 0,
          longStringBytes,
        });
        expect(restored(body, skeleton)).toEqual(whole);
        // The body is JSON.stringify's: each string is written there as JSON.stringify writes it.
        for (const string of stringsIn(skeleton) as string[]) {
          const text = textOf(body, string) as string;
          const written = Buffer.byteLength(JSON.stringify(text)) - 2;
          const standIn = text !== string;
          expect(standIn).toBe(written >= longStringBytes);
          expect(byteLengthOf(string)).toBe(standIn ? written : string.length);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("should leave a body below the skeleton size whole, and refuse a string that never ends", () => {
    const text = "x".repeat(2000);
    const small = Buffer.from(JSON.stringify({ text }));
    expect(parseJsonBytes(small, () => [])).toEqual({ text });
    const large = Buffer.from(JSON.stringify({ text, more: "y".repeat(70_000) }));
    const parsed = parseJsonBytes(large, () => []) as { text: string };
    expect(parsed.text).not.toBe(text);
    expect(textOf(large, parsed.text)).toBe(text);
    expect(() => parseJsonBytes(Buffer.from(`{"text": "${"z".repeat(70_000)}`), () => [])).toThrow(
      SyntaxError,
    );
  });
});

describe(`${parseJsonBytes.name} of a body thick with short strings`, () => {
  const tools = Array.from({ length: 400 }, (_, i) => ({
    name: `tool_${i}`,
    input_schema: { type: "object", properties: { path: { type: "string" } } },
  }));
  // 3,600 short strings in the tools; an image of 400 KB is worth finding 6,250 of them.
  const data = "A".repeat(400_000);
  const image = { type: "image", source: { type: "base64", data } };

  it("should read it whole once short strings pass what finding them is worth", () => {
    // Thousands of short strings before the first long one: decoding them is cheaper.
    const body = Buffer.from(JSON.stringify({ tools, messages: [{ content: [image] }] }));
    const parsed = parseJsonBytes(body, () => []) as { messages: [{ content: [typeof image] }] };
    expect(parsed.messages[0].content[0].source.data).toBe(data);
    expect(parsed).toEqual(JSON.parse(body.toString()));
  });

  it("should keep to the skeleton when long strings came first", () => {
    const body = Buffer.from(JSON.stringify({ messages: [{ content: [image] }], tools }));
    const parsed = parseJsonBytes(body, () => []) as { messages: [{ content: [typeof image] }] };
    const standIn = parsed.messages[0].content[0].source.data;
    expect(standIn).not.toBe(data);
    expect(byteLengthOf(standIn)).toBe(data.length);
    expect(restored(body, parsed)).toEqual(JSON.parse(body.toString()));
  });
});

describe(readMessageRequest.name, () => {
  /** A request with one base64 image of `imageBytes` bytes (as base64), and a few tools. */
  function request(imageBytes: number, extra: Record<string, unknown> = {}) {
    const data = randomBytes(Math.ceil((imageBytes * 3) / 4))
      .toString("base64")
      .slice(0, imageBytes);
    return {
      data,
      body: Buffer.from(
        JSON.stringify({
          model: "claude-sonnet-4-5",
          max_tokens: 1024,
          stream: true,
          system: [{ type: "text", text: "Be brief. ".repeat(200) }],
          messages: [
            {
              role: "user",
              content: [
                { type: "image", source: { type: "base64", media_type: "image/png", data } },
                { type: "text", text: "What is in this image?" },
              ],
            },
            {
              role: "user",
              content: [
                {
                  type: "tool_result",
                  tool_use_id: "toolu_1",
                  content: [{ type: "document", source: { type: "url", url: "https://x/y.pdf" } }],
                },
              ],
            },
          ],
          tools: [
            { type: "web_search_20250305", name: "web_search", max_uses: 3 },
            {
              type: "web_fetch_20250910",
              name: "web_fetch",
              max_uses: 2,
              max_content_tokens: 5000,
            },
          ],
          ...extra,
        }),
      ),
    };
  }

  it("should read the same of a small body and of a large one, whose long strings it skips", () => {
    for (const imageBytes of [2_000, 3_000_000]) {
      const { body, data } = request(imageBytes);
      expect(body.length >= 64 * 1024).toBe(imageBytes > 64 * 1024);
      expect(readMessageRequest(body)).toEqual({
        model: "claude-sonnet-4-5",
        maxTokens: 1024,
        stream: true,
        webSearches: 3,
        // The image at its token ceiling, not its bytes; the PDF and the fetches at theirs.
        inputBytes: body.length - data.length + 1600 + 300_000 + 2 * 5000,
      });
    }
  });

  it("should read a model whole from a large body, however long and in whatever script", () => {
    for (const model of ["modèle-ß-☕", `claude-${"é".repeat(700)}`]) {
      expect(readMessageRequest(request(100_000, { model }).body)).toMatchObject({ model });
    }
  });

  it("should refuse a large body that is not a JSON object, or whose strings do not end", () => {
    const { body } = request(100_000);
    expect(readMessageRequest(body.subarray(0, body.length - 5000))).toBe("body: malformed JSON");
    expect(readMessageRequest(Buffer.concat([Buffer.from("["), body, Buffer.from("]")]))).toBe(
      "body: expected a JSON object",
    );
    expect(readMessageRequest(request(100_000, { model: "" }).body)).toBe(
      "body.model: required string",
    );
  });
});

describe(`${usageFromMessage.name} of a large answer`, () => {
  it("should read the same usage and model as of a short one", () => {
    const answer = (text: string, model = "claude-opus-4-5", tier = "priority", geo = "us") =>
      Buffer.from(
        JSON.stringify({
          id: "msg_1",
          type: "message",
          model,
          content: [{ type: "text", text }],
          usage: {
            input_tokens: 12,
            output_tokens: 40_000,
            service_tier: tier,
            inference_geo: geo,
          },
        }),
      );
    const long = 'A "long" answer, \\ with escapes. é☕ '.repeat(5000);
    const short = usageFromMessage(answer("Hello."));
    expect(short?.usage.outputTokens).toBe(40_000);
    expect(usageFromMessage(answer(long))).toEqual(short);
    // Strings it keeps are read whole, even ones long enough to be left out of the skeleton.
    const model = `claude-${"é".repeat(600)}`;
    const tier = "t".repeat(1500);
    const geo = "g".repeat(1200);
    expect(usageFromMessage(answer(long, model, tier, geo))).toMatchObject({
      model,
      usage: { serviceTier: tier, inferenceGeo: geo },
    });
  });
});
