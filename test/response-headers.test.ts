import { createServer, get, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import type { RateDecision } from "../src/gateway/rate-limiter.js";
import {
  clientHeaders,
  HeaderKind,
  HeaderNameTable,
  headerKindOf,
  writeHeadList,
} from "../src/gateway/response-headers.js";

/** Raw headers as undici's parser hands them over: name and value buffers, alternating. */
const raw = (...pairs: Array<[string, string]>) =>
  pairs.flatMap(([name, value]) => [Buffer.from(name, "latin1"), Buffer.from(value, "latin1")]);

const pairsOf = (list: string[]) =>
  Array.from({ length: list.length / 2 }, (_, i) => [list[2 * i], list[2 * i + 1]]);

describe("the client's headers for an upstream answer", () => {
  const rate: RateDecision = {
    allowed: true,
    limit: 100,
    remaining: 99,
    resetAtMs: Date.UTC(2026, 0, 15, 12, 0, 1, 500),
    retryAfterMs: 0,
  };

  it("keeps the upstream's headers in order, repeated ones repeated, names lowercased", () => {
    const headers = clientHeaders(
      raw(
        ["Content-Type", "application/json"],
        ["Set-Cookie", "a=1"],
        ["x-upstream-marker", "kept"],
        ["set-cookie", "b=2"],
        ["anthropic-ratelimit-tokens-limit", "12345"],
        ["request-id", "req_upstream"],
      ),
      undefined,
      "req_steward",
    );
    expect(pairsOf(headers.list)).toEqual([
      ["content-type", "application/json"],
      ["set-cookie", "a=1"],
      ["x-upstream-marker", "kept"],
      ["set-cookie", "b=2"],
      ["anthropic-ratelimit-tokens-limit", "12345"],
      ["request-id", "req_upstream"],
      ["x-steward-request-id", "req_steward"],
    ]);
    expect(headers.contentType).toBe("application/json");
    expect(headers.contentLengthAt).toBe(-1);
  });

  it("drops hop-by-hop headers and the upstream's request counts, and adds the workspace's", () => {
    const headers = clientHeaders(
      raw(
        ["Connection", "keep-alive"],
        ["keep-alive", "timeout=30"],
        ["Transfer-Encoding", "chunked"],
        ["trailer", "x"],
        ["upgrade", "h2c"],
        ["anthropic-ratelimit-requests-limit", "4000"],
        ["Anthropic-RateLimit-Requests-Remaining", "3999"],
        ["anthropic-ratelimit-requests-reset", "2026-01-15T12:00:00Z"],
        ["content-length", "568"],
      ),
      { requests: rate },
      "req_steward",
    );
    expect(pairsOf(headers.list)).toEqual([
      ["content-length", "568"],
      ["anthropic-ratelimit-requests-limit", "100"],
      ["anthropic-ratelimit-requests-remaining", "99"],
      ["anthropic-ratelimit-requests-reset", "2026-01-15T12:00:01Z"],
      ["x-steward-request-id", "req_steward"],
      ["request-id", "req_steward"],
    ]);
    expect(headers.list[headers.contentLengthAt]).toBe("568");
  });

  it("replaces the upstream's token counts with the workspace's where it has token limits", () => {
    const upstream = raw(
      ["anthropic-ratelimit-input-tokens-limit", "2000000"],
      ["anthropic-ratelimit-input-tokens-remaining", "1999000"],
      ["anthropic-ratelimit-output-tokens-limit", "400000"],
      ["anthropic-ratelimit-tokens-limit", "2400000"],
    );
    const outputTokens: RateDecision = { ...rate, limit: 8000, remaining: 7000 };
    const headers = clientHeaders(upstream, { outputTokens }, "req_steward");
    expect(pairsOf(headers.list)).toEqual([
      ["anthropic-ratelimit-input-tokens-limit", "2000000"],
      ["anthropic-ratelimit-input-tokens-remaining", "1999000"],
      ["anthropic-ratelimit-tokens-limit", "2400000"],
      ["anthropic-ratelimit-output-tokens-limit", "8000"],
      ["anthropic-ratelimit-output-tokens-remaining", "7000"],
      ["anthropic-ratelimit-output-tokens-reset", "2026-01-15T12:00:01Z"],
      ["x-steward-request-id", "req_steward"],
      ["request-id", "req_steward"],
    ]);
    // Without the workspace's, the upstream's pass.
    expect(pairsOf(clientHeaders(upstream, undefined, "r").list).slice(0, 4)).toHaveLength(4);
  });

  it("reads the first content-type, and passes names that are Object.prototype's", () => {
    const headers = clientHeaders(
      raw(
        ["content-type", "text/event-stream; charset=utf-8"],
        ["content-type", "application/json"],
        ["__proto__", "p"],
        ["constructor", "c"],
      ),
      undefined,
      "req_1",
    );
    expect(headers.contentType).toBe("text/event-stream; charset=utf-8");
    expect(pairsOf(headers.list).slice(2, 4)).toEqual([
      ["__proto__", "p"],
      ["constructor", "c"],
    ]);
  });

  it("classifies names", () => {
    expect(headerKindOf("connection")).toBe(HeaderKind.drop);
    expect(headerKindOf("anthropic-ratelimit-requests-limit")).toBe(HeaderKind.drop);
    expect(headerKindOf("anthropic-ratelimit-tokens-limit")).toBe(HeaderKind.pass);
    expect(headerKindOf("content-type")).toBe(HeaderKind.contentType);
    expect(headerKindOf("content-length")).toBe(HeaderKind.contentLength);
    expect(headerKindOf("request-id")).toBe(HeaderKind.requestId);
  });
});

describe("header names by their bytes", () => {
  it("answers a name seen before with the same entry, and tells apart names that share a key", () => {
    const table = new HeaderNameTable();
    // Same length, same middle byte and same last two bytes: the same key, different names.
    const a = table.lookup(Buffer.from("aaaaa-m-bzz"));
    const b = table.lookup(Buffer.from("bbbbb-m-bzz"));
    expect(a.name).toBe("aaaaa-m-bzz");
    expect(b.name).toBe("bbbbb-m-bzz");
    expect(table.lookup(Buffer.from("aaaaa-m-bzz"))).toBe(a);
    expect(table.lookup(Buffer.from("bbbbb-m-bzz"))).toBe(b);
    expect(table.lookup(Buffer.from("AAAAA-M-BZZ")).name).toBe("aaaaa-m-bzz");
    expect(table.lookup(Buffer.from("x"))).toMatchObject({ name: "x", kind: HeaderKind.pass });
    expect(table.size).toBe(4);
  });

  it("keeps its own copy of a name's bytes: the parser's buffer is reused", () => {
    const table = new HeaderNameTable();
    const chunk = Buffer.from("content-type");
    expect(table.lookup(chunk).kind).toBe(HeaderKind.contentType);
    chunk.write("x-something!");
    expect(table.lookup(chunk)).toMatchObject({ name: "x-something!", kind: HeaderKind.pass });
    expect(table.lookup(Buffer.from("content-type")).kind).toBe(HeaderKind.contentType);
  });

  it("stops growing at its capacity and still answers every name", () => {
    const table = new HeaderNameTable(3);
    for (let i = 0; i < 10; i++) {
      expect(table.lookup(Buffer.from(`X-Invented-${i}`)).name).toBe(`x-invented-${i}`);
    }
    expect(table.size).toBe(3);
    expect(table.lookup(Buffer.from("X-Invented-9")).name).toBe("x-invented-9");
  });
});

describe("writeHeadList", () => {
  const serve = async (handler: Parameters<typeof createServer>[1]) => {
    const server = createServer(handler);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      get(`http://127.0.0.1:${port}/`, resolve).on("error", reject);
    });
    response.resume();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return response;
  };
  const wire = (response: IncomingMessage) =>
    pairsOf(response.rawHeaders).filter(([name]) => name !== "Date" && name !== "Connection");

  it("writes the list as it is, repeated names included", async () => {
    const response = await serve((_req, res) => {
      writeHeadList(res, 201, ["set-cookie", "a=1", "x-one", "1", "set-cookie", "b=2"]);
      res.end();
    });
    expect(response.statusCode).toBe(201);
    expect(wire(response).slice(0, 3)).toEqual([
      ["set-cookie", "a=1"],
      ["x-one", "1"],
      ["set-cookie", "b=2"],
    ]);
  });

  it("loses no repeated name when headers were set on the response before", async () => {
    const response = await serve((_req, res) => {
      res.setHeader("connection", "close");
      writeHeadList(res, 200, ["set-cookie", "a=1", "__proto__", "p", "set-cookie", "b=2"]);
      res.end();
    });
    expect(response.headers["set-cookie"]).toEqual(["a=1", "b=2"]);
    expect(response.headers.connection).toBe("close");
    expect(wire(response)).toContainEqual(["__proto__", "p"]);
  });
});
