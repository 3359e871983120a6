import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MessagesUsageQuery } from "../src/contract/usage.js";
import { operatorContext } from "../src/core/context.js";
import { ManualClock } from "../src/core/ports.js";
import {
  type AnswerTo,
  type ApiResponse,
  createTestServer,
  describeEachBackend,
  expectError,
  type OrgFixture,
  type TestServer,
} from "./harness.js";
import { present } from "./support/narrow.js";

/** The server's clock for the whole file. */
const NOW = "2025-04-28T12:00:00.000Z";
const DAY_MS = 24 * 60 * 60 * 1000;

const MESSAGES = "/v1/organizations/usage_report/messages";
const COST = "/v1/organizations/cost_report";

type Query = Record<string, string | number | boolean | string[]>;

/**
 * The usage of the file, with each event's cost from config/prices.json in nano-dollars:
 * claude-opus-4-5 $5 in / $25 out / $6.25 5m write / $10 1h write; claude-haiku-4-5 $1 / $5 /
 * $0.10 read; claude-sonnet-4-5 $3 / $15; web search $10 per 1,000; batch × 0.5, us × 1.1.
 */
function fixtureEvents(ws: { a: string; b: string; d: string }, key: { a: string; b: string }) {
  return [
    // 2025-04-27, hour 13: workspace A, key A.
    {
      id: "e1",
      timestamp: "2025-04-27T13:05:00Z",
      workspace_id: ws.a,
      api_key_id: key.a,
      model: "claude-opus-4-5",
      input_tokens: 1000,
      output_tokens: 500,
    }, // 5,000,000 + 12,500,000 = 17,500,000
    {
      id: "e2",
      timestamp: "2025-04-27T13:40:00Z",
      workspace_id: ws.a,
      api_key_id: key.a,
      model: "claude-haiku-4-5",
      input_tokens: 2000,
      output_tokens: 1000,
      cache_read_input_tokens: 4000,
    }, // 2,000,000 + 5,000,000 + 400,000 = 7,400,000
    // 2025-04-27, hour 15: workspace B, key B, batch in the US, with cache writes and searches.
    {
      id: "e3",
      timestamp: "2025-04-27T15:10:00Z",
      workspace_id: ws.b,
      api_key_id: key.b,
      model: "claude-opus-4-5",
      input_tokens: 100,
      output_tokens: 100,
      cache_creation: { ephemeral_5m_input_tokens: 1000, ephemeral_1h_input_tokens: 2000 },
      web_search_requests: 3,
      service_tier: "batch",
      inference_geo: "us",
    }, // × 0.55: 275,000 + 1,375,000 + 3,437,500 + 11,000,000, + 30,000,000 = 46,087,500
    // 2025-04-27, hour 20: the default workspace, no key, long context.
    {
      id: "e6",
      timestamp: "2025-04-27T20:00:00Z",
      workspace_id: ws.d,
      model: "claude-haiku-4-5",
      input_tokens: 50,
      output_tokens: 50,
      cache_read_input_tokens: 250_000,
      inference_geo: "global",
    }, // 50,000 + 250,000 + 25,000,000 = 25,300,000
    // 2025-04-28: a cost given with the event.
    {
      id: "e4",
      timestamp: "2025-04-28T09:00:00Z",
      workspace_id: ws.d,
      model: "claude-opus-4-5",
      input_tokens: 10,
      output_tokens: 10,
      cost_usd: 1.2345,
    }, // 1,234,500,000
    // 2025-04-26, the last second of the day.
    {
      id: "e5",
      timestamp: "2025-04-26T23:59:59Z",
      workspace_id: ws.a,
      api_key_id: key.a,
      model: "claude-sonnet-4-5",
      input_tokens: 300,
      output_tokens: 30,
    }, // 900,000 + 450,000 = 1,350,000
    // March.
    {
      id: "e7",
      timestamp: "2025-03-31T23:30:00Z",
      workspace_id: ws.a,
      api_key_id: key.a,
      model: "claude-opus-4-5",
      input_tokens: 1000,
      output_tokens: 0,
    }, // 5,000,000
    {
      id: "e8",
      timestamp: "2025-03-15T10:00:00Z",
      workspace_id: ws.d,
      model: "=cmd",
      input_tokens: 1,
      output_tokens: 1,
      cost_usd: 0.5,
    }, // 500,000,000
  ];
}

/** Exact nano-dollars of a cents string: `"123.45"` is 1,234,500,000. */
function nanosOfCents(amount: string): number {
  const [whole = "0", fraction = ""] = amount.split(".");
  return Number(whole) * 1e7 + Number(fraction.padEnd(7, "0"));
}

/** A CSV answer's lines: its body is text, which the contract's JSON types do not describe. */
function csvLines(text: unknown): string[] {
  if (typeof text !== "string") {
    throw new Error(`expected CSV text, got ${JSON.stringify(text)}`);
  }
  expect(text.endsWith("\r\n")).toBe(true);
  return text.slice(0, -2).split("\r\n");
}

describeEachBackend("usage reports", (backend) => {
  let server: TestServer;
  let clock: ManualClock;
  let other: OrgFixture;
  const ws = { a: "", b: "", d: "" };
  const key = { a: "", b: "" };

  beforeAll(async () => {
    clock = new ManualClock(NOW);
    server = await createTestServer(backend, { clock });
    ws.d = server.org.defaultWorkspaceId;
    ws.a = (await server.post("/v1/workspaces", { name: "Production" })).body.id;
    ws.b = (await server.post("/v1/workspaces", { name: "Research" })).body.id;
    key.a = (await server.post("/v1/api_keys", { name: "A", workspace_id: ws.a })).body.id;
    key.b = (await server.post("/v1/api_keys", { name: "B", workspace_id: ws.b })).body.id;
    const ingested = await server.post("/v1/usage/events", { events: fixtureEvents(ws, key) });
    expect(ingested.body).toEqual({ accepted: 8, duplicates: 0, rejected: [] });

    // Another organization's usage, in the same hour as ours: it must show in none of our reports.
    other = await server.createOrganization("Other Org");
    const theirs = await server.post(
      "/v1/usage/events",
      {
        events: [
          {
            id: "e1",
            timestamp: "2025-04-27T13:10:00Z",
            workspace_id: other.defaultWorkspaceId,
            model: "claude-opus-4-5",
            input_tokens: 999_999,
            output_tokens: 0,
          },
        ],
      },
      { key: other.adminKey },
    );
    expect(theirs.body.accepted).toBe(1);
  });
  afterAll(async () => {
    await server?.close();
  });

  const usage = (query: Query, headers?: Record<string, string>) =>
    server.get("/v1/usage", { query, ...(headers && { headers }) });
  const messages = (query: Query, headers?: Record<string, string>) =>
    server.get(MESSAGES, { query, ...(headers && { headers }) });
  const cost = (query: Query, headers?: Record<string, string>) =>
    server.get(COST, { query, ...(headers && { headers }) });

  function ok<T>(response: ApiResponse<T>): T {
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body;
  }

  describe("GET /v1/usage (the seed's)", () => {
    it("should answer the seed example's shape with exact sums per day and in total", async () => {
      const body = ok(await usage({ start_date: "2025-04-26", end_date: "2025-04-28" }));
      expect(Object.keys(body).sort()).toEqual(["data", "total"]);
      expect(body.data.map((b: { date: string }) => b.date)).toEqual([
        "2025-04-26",
        "2025-04-27",
        "2025-04-28",
      ]);
      const [d26, d27, d28] = body.data;
      expect(d27).toEqual({
        date: "2025-04-27",
        starting_at: "2025-04-27T00:00:00Z",
        ending_at: "2025-04-28T00:00:00Z",
        input_tokens: 3150,
        output_tokens: 1650,
        cache_creation_tokens: 3000,
        cache_read_tokens: 254_000,
        web_search_requests: 3,
        requests: 4,
        total_cost_usd: 0.0962875,
        model_breakdown: {
          "claude-opus-4-5": {
            input_tokens: 1100,
            output_tokens: 600,
            cache_creation_tokens: 3000,
            cache_read_tokens: 0,
            requests: 2,
            cost_usd: 0.0635875,
          },
          "claude-haiku-4-5": {
            input_tokens: 2050,
            output_tokens: 1050,
            cache_creation_tokens: 0,
            cache_read_tokens: 254_000,
            requests: 2,
            cost_usd: 0.0327,
          },
        },
      });
      expect(d26).toMatchObject({
        input_tokens: 300,
        output_tokens: 30,
        requests: 1,
        total_cost_usd: 0.00135,
        model_breakdown: {
          "claude-sonnet-4-5": { input_tokens: 300, output_tokens: 30, cost_usd: 0.00135 },
        },
      });
      expect(Object.keys(d26!.model_breakdown)).toEqual(["claude-sonnet-4-5"]);
      expect(d28).toMatchObject({
        input_tokens: 10,
        output_tokens: 10,
        requests: 1,
        total_cost_usd: 1.2345,
        model_breakdown: {
          "claude-opus-4-5": { input_tokens: 10, output_tokens: 10, cost_usd: 1.2345 },
        },
      });
      expect(body.total).toEqual({
        input_tokens: 3460,
        output_tokens: 1690,
        cache_creation_tokens: 3000,
        cache_read_tokens: 254_000,
        web_search_requests: 3,
        requests: 6,
        total_cost_usd: 1.3321375,
      });
    });

    it("should label hour buckets and return every hour of the range, empty ones with zeros", async () => {
      const body = ok(
        await usage({ start_date: "2025-04-27", end_date: "2025-04-27", granularity: "hour" }),
      );
      expect(body.data).toHaveLength(24);
      body.data.forEach((bucket, hour) => {
        const hh = String(hour).padStart(2, "0");
        expect(bucket.date).toBe(`2025-04-27T${hh}:00:00Z`);
        expect(bucket.starting_at).toBe(`2025-04-27T${hh}:00:00Z`);
        expect(Date.parse(bucket.ending_at) - Date.parse(bucket.starting_at)).toBe(3_600_000);
      });
      const used = body.data.filter((b) => b.requests > 0);
      expect(used.map((b) => [b.date, b.requests, b.input_tokens])).toEqual([
        ["2025-04-27T13:00:00Z", 2, 3000],
        ["2025-04-27T15:00:00Z", 1, 100],
        ["2025-04-27T20:00:00Z", 1, 50],
      ]);
      const empty = body.data[0];
      expect(empty).toMatchObject({
        input_tokens: 0,
        output_tokens: 0,
        cache_read_tokens: 0,
        requests: 0,
        total_cost_usd: 0,
        model_breakdown: {},
      });
      expect(body.total).toMatchObject({ requests: 4, total_cost_usd: 0.0962875 });
    });

    it("should label month buckets and cut the first and last months to the range", async () => {
      const whole = ok(
        await usage({ start_date: "2025-03-01", end_date: "2025-04-28", granularity: "month" }),
      );
      expect(
        whole.data.map((b) => [b.date, b.starting_at, b.ending_at, b.requests, b.total_cost_usd]),
      ).toEqual([
        ["2025-03", "2025-03-01T00:00:00Z", "2025-04-01T00:00:00Z", 2, 0.505],
        ["2025-04", "2025-04-01T00:00:00Z", "2025-04-29T00:00:00Z", 6, 1.3321375],
      ]);
      expect(whole.data[0]!.model_breakdown).toEqual({
        "=cmd": expect.objectContaining({ requests: 1, cost_usd: 0.5 }),
        "claude-opus-4-5": expect.objectContaining({ requests: 1, cost_usd: 0.005 }),
      });
      const cut = ok(
        await usage({ start_date: "2025-03-20", end_date: "2025-04-26", granularity: "month" }),
      );
      expect(
        cut.data.map((b) => [b.date, b.starting_at, b.ending_at, b.requests, b.input_tokens]),
      ).toEqual([
        ["2025-03", "2025-03-20T00:00:00Z", "2025-04-01T00:00:00Z", 1, 1000],
        ["2025-04", "2025-04-01T00:00:00Z", "2025-04-27T00:00:00Z", 1, 300],
      ]);
      expect(cut.total).toMatchObject({ requests: 2, input_tokens: 1300, total_cost_usd: 0.00635 });
    });

    it("should use day granularity by default, one bucket per day across a month boundary", async () => {
      const body = ok(await usage({ start_date: "2025-03-30", end_date: "2025-04-02" }));
      expect(body.data.map((b) => [b.date, b.requests])).toEqual([
        ["2025-03-30", 0],
        ["2025-03-31", 1],
        ["2025-04-01", 0],
        ["2025-04-02", 0],
      ]);
    });

    it("should filter by workspace", async () => {
      const b = ok(
        await usage({ start_date: "2025-04-26", end_date: "2025-04-28", workspace_id: ws.b }),
      );
      expect(b.total).toEqual({
        input_tokens: 100,
        output_tokens: 100,
        cache_creation_tokens: 3000,
        cache_read_tokens: 0,
        web_search_requests: 3,
        requests: 1,
        total_cost_usd: 0.0460875,
      });
      expect(b.data[1]!.model_breakdown).toEqual({
        "claude-opus-4-5": expect.objectContaining({ input_tokens: 100, cost_usd: 0.0460875 }),
      });
      const d = ok(
        await usage({ start_date: "2025-04-26", end_date: "2025-04-28", workspace_id: ws.d }),
      );
      expect(d.total).toMatchObject({ requests: 2, input_tokens: 60, total_cost_usd: 1.2598 });
    });

    it("should answer 404 for a workspace that is unknown or another organization's", async () => {
      for (const id of ["wrkspc_01nope", other.defaultWorkspaceId]) {
        expectError(
          await usage({ start_date: "2025-04-26", end_date: "2025-04-28", workspace_id: id }),
          404,
          "not_found_error",
        );
      }
    });

    it("should answer 400 when end_date is before start_date", async () => {
      const error = expectError(
        await usage({ start_date: "2025-04-28", end_date: "2025-04-27" }),
        400,
        "invalid_request_error",
      );
      expect(error.message).toMatch(/end_date/);
    });

    it.each([
      ["hour", "2025-01-01", "2025-01-31", 744, 768],
      ["day", "2024-01-01", "2024-12-31", 366, 367],
      ["month", "2022-01-01", "2024-12-31", 36, 37],
    ])(
      "should cap a %s report at its maximum range",
      async (granularity, start, end, buckets, over) => {
        expect(
          ok(await usage({ start_date: start, end_date: end, granularity })).data,
        ).toHaveLength(buckets);
        // One day more is one bucket too many.
        const next = new Date(Date.parse(`${end}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
        const error = expectError(
          await usage({ start_date: start, end_date: next, granularity }),
          400,
          "invalid_request_error",
        );
        expect(error.message).toMatch(
          new RegExp(`at most ${buckets} buckets; this range has ${over}$`),
        );
      },
    );

    it("should refuse a very long range with a 400 that counts its buckets right", async () => {
      const hours = expectError(
        await usage({ start_date: "1970-01-01", end_date: "9999-12-31", granularity: "hour" }),
        400,
        "invalid_request_error",
      );
      expect(hours.message).toMatch(/this range has 70389528$/);
      const months = expectError(
        await usage({ start_date: "1970-01-01", end_date: "9999-12-31", granularity: "month" }),
        400,
        "invalid_request_error",
      );
      expect(months.message).toMatch(/this range has 96360$/);
    });

    it.each([
      ["a day that does not exist", { start_date: "2025-02-30", end_date: "2025-03-01" }],
      ["slashes", { start_date: "2025/01/01", end_date: "2025-01-02" }],
      ["a timestamp", { start_date: "2025-01-01T00:00:00Z", end_date: "2025-01-02" }],
      ["no start_date", { end_date: "2025-01-02" }],
      [
        "an unknown granularity",
        { start_date: "2025-01-01", end_date: "2025-01-02", granularity: "week" },
      ],
      ["an unknown parameter", { start_date: "2025-01-01", end_date: "2025-01-02", group_by: "x" }],
    ])("should answer 400 for %s", async (_label, query) => {
      expectError(await usage(query), 400, "invalid_request_error");
    });

    it("should leave out another organization's usage and show it to that organization", async () => {
      const ours = ok(
        await usage({ start_date: "2025-04-27", end_date: "2025-04-27", granularity: "hour" }),
      );
      expect(ours.data[13]!.input_tokens).toBe(3000);
      const theirs = ok(
        await server.get("/v1/usage", {
          query: { start_date: "2025-04-27", end_date: "2025-04-27" },
          key: other.adminKey,
        }),
      );
      expect(theirs.total).toMatchObject({ requests: 1, input_tokens: 999_999 });
    });
  });

  describe("GET /v1/organizations/usage_report/messages", () => {
    const day27 = { starting_at: "2025-04-27T00:00:00Z", ending_at: "2025-04-28T00:00:00Z" };

    it("should answer daily buckets up to the one in progress, with null dimensions", async () => {
      const body = ok(await messages({ starting_at: "2025-04-26T00:00:00Z" }));
      expect(body.has_more).toBe(false);
      expect(body.next_page).toBeNull();
      expect(body.data.map((b) => [b.starting_at, b.ending_at])).toEqual([
        ["2025-04-26T00:00:00Z", "2025-04-27T00:00:00Z"],
        ["2025-04-27T00:00:00Z", "2025-04-28T00:00:00Z"],
        ["2025-04-28T00:00:00Z", "2025-04-29T00:00:00Z"],
      ]);
      expect(body.data[1]!.results).toEqual([
        {
          uncached_input_tokens: 3150,
          cache_creation: { ephemeral_1h_input_tokens: 2000, ephemeral_5m_input_tokens: 1000 },
          cache_read_input_tokens: 254_000,
          output_tokens: 1650,
          server_tool_use: { web_search_requests: 3 },
          api_key_id: null,
          workspace_id: null,
          model: null,
          service_tier: null,
          context_window: null,
          inference_geo: null,
        },
      ]);
    });

    it("should give a bucket without usage empty results", async () => {
      const body = ok(
        await messages({ starting_at: "2025-04-20T00:00:00Z", ending_at: "2025-04-22T00:00:00Z" }),
      );
      expect(body.data).toEqual([
        { starting_at: "2025-04-20T00:00:00Z", ending_at: "2025-04-21T00:00:00Z", results: [] },
        { starting_at: "2025-04-21T00:00:00Z", ending_at: "2025-04-22T00:00:00Z", results: [] },
      ]);
    });

    it.each([
      ["1d", "2025-04-27T13:30:45Z", "2025-04-27T00:00:00Z", "2025-04-28T00:00:00Z"],
      ["1h", "2025-04-27T13:30:45Z", "2025-04-27T13:00:00Z", "2025-04-27T14:00:00Z"],
      ["1m", "2025-04-27T13:05:45Z", "2025-04-27T13:05:00Z", "2025-04-27T13:06:00Z"],
    ])("should snap starting_at to the start of its %s bucket", async (width, at, start, end) => {
      const body = ok(await messages({ starting_at: at, bucket_width: width, limit: 1 }));
      expect(body.data).toHaveLength(1);
      expect(body.data[0]!.starting_at).toBe(start);
      expect(body.data[0]!.ending_at).toBe(end);
      // e1 (13:05, 1,000 input tokens) is in every one of these buckets.
      expect(body.data[0]!.results[0]!.uncached_input_tokens).toBeGreaterThanOrEqual(1000);
    });

    it("should read an offset starting_at as the instant it names", async () => {
      const body = ok(
        await messages({ starting_at: "2025-04-27T15:30:00+02:00", bucket_width: "1h", limit: 1 }),
      );
      expect(body.data[0]!.starting_at).toBe("2025-04-27T13:00:00Z");
      expect(body.data[0]!.results[0]!.uncached_input_tokens).toBe(3000);
    });

    it("should only answer buckets that end at or before ending_at", async () => {
      const body = ok(
        await messages({
          starting_at: "2025-04-27T13:00:00Z",
          ending_at: "2025-04-27T15:30:00Z",
          bucket_width: "1h",
        }),
      );
      expect(body.data.map((b) => b.starting_at)).toEqual([
        "2025-04-27T13:00:00Z",
        "2025-04-27T14:00:00Z",
      ]);
      expect(body.has_more).toBe(false);
    });

    it.each([
      ["1d", "2025-04-01T00:00:00Z", "2025-04-28T00:00:00Z", 7],
      ["1h", "2025-04-26T00:00:00Z", "2025-04-28T00:00:00Z", 24],
      ["1m", "2025-04-28T10:00:00Z", "2025-04-28T11:30:00Z", 60],
    ])("should default a %s page to its documented bucket count", async (width, start, end, n) => {
      const body = ok(await messages({ starting_at: start, ending_at: end, bucket_width: width }));
      expect(body.data).toHaveLength(n);
      expect(body.has_more).toBe(true);
      expect(body.next_page).toMatch(/^page_/);
    });

    it.each([
      ["1d", "2025-03-01T00:00:00Z", 31],
      ["1h", "2025-04-20T00:00:00Z", 168],
      ["1m", "2025-04-26T00:00:00Z", 1440],
    ])(
      "should take up to the maximum of %s buckets and refuse one more",
      async (width, start, max) => {
        const body = ok(
          await messages({ starting_at: start, ending_at: NOW, bucket_width: width, limit: max }),
        );
        expect(body.data).toHaveLength(max);
        const error = expectError(
          await messages({
            starting_at: start,
            ending_at: NOW,
            bucket_width: width,
            limit: max + 1,
          }),
          400,
          "invalid_request_error",
        );
        expect(error.message).toMatch(/limit/);
      },
    );

    it.each([["0"], ["-1"], ["abc"], ["1.5"]])("should refuse limit=%s", async (limit) => {
      expectError(
        await messages({ starting_at: "2025-04-27T00:00:00Z", limit }),
        400,
        "invalid_request_error",
      );
    });

    it("should page through next_page until has_more is false, covering exactly the range", async () => {
      const query = {
        starting_at: "2025-04-27T00:00:00Z",
        ending_at: "2025-04-28T00:00:00Z",
        bucket_width: "1h",
        limit: 5,
        group_by: ["model"],
      };
      const buckets: AnswerTo<"get", typeof MESSAGES>["data"] = [];
      let page: string | undefined;
      let pages = 0;
      for (;;) {
        const body = ok(await messages(page === undefined ? query : { ...query, page }));
        pages += 1;
        buckets.push(...body.data);
        expect(body.has_more).toBe(body.next_page !== null);
        if (!body.has_more) {
          break;
        }
        page = present(body.next_page, "the next page");
        expect(pages).toBeLessThan(10);
      }
      expect(pages).toBe(5);
      expect(buckets).toHaveLength(24);
      buckets.forEach((bucket, i) => {
        expect(Date.parse(bucket.starting_at)).toBe(
          Date.parse("2025-04-27T00:00:00Z") + i * 3_600_000,
        );
        expect(Date.parse(bucket.ending_at)).toBe(Date.parse(bucket.starting_at) + 3_600_000);
      });
      expect(buckets.at(-1)?.ending_at).toBe("2025-04-28T00:00:00Z");
      const sum = buckets
        .flatMap((b) => b.results)
        .reduce((n, r) => n + r.uncached_input_tokens, 0);
      expect(sum).toBe(3150);
    });

    it("should not answer an empty last page when the range is a whole number of pages", async () => {
      const query = {
        starting_at: "2025-04-01T00:00:00Z",
        ending_at: "2025-04-15T00:00:00Z",
        limit: 7,
      };
      const first = ok(await messages(query));
      expect(first.data).toHaveLength(7);
      expect(first.has_more).toBe(true);
      const second = ok(
        await messages({ ...query, page: present(first.next_page, "the next page") }),
      );
      expect(second.data).toHaveLength(7);
      expect(second.data[0]!.starting_at).toBe("2025-04-08T00:00:00Z");
      expect(second.has_more).toBe(false);
      expect(second.next_page).toBeNull();
    });

    const grouped = async (dimension: string) => {
      const body = ok(await messages({ ...day27, group_by: [dimension] }));
      expect(body.data).toHaveLength(1);
      return body.data[0]!.results;
    };
    const DIMENSIONS = [
      "api_key_id",
      "workspace_id",
      "model",
      "service_tier",
      "context_window",
      "inference_geo",
    ] as const;

    it.each([
      ["api_key_id", () => ({ [key.a]: 3000, [key.b]: 100, null: 50 })],
      ["workspace_id", () => ({ [ws.a]: 3000, [ws.b]: 100, [ws.d]: 50 })],
      ["model", () => ({ "claude-opus-4-5": 1100, "claude-haiku-4-5": 2050 })],
      ["service_tier", () => ({ standard: 3050, batch: 100 })],
      ["context_window", () => ({ "0-200k": 3100, "200k-1M": 50 })],
      ["inference_geo", () => ({ not_available: 3000, us: 100, global: 50 })],
    ])("should group by %s, leaving the other dimensions null", async (dimension, expected) => {
      const results = await grouped(dimension);
      // The table's first column is one of DIMENSIONS.
      const field = dimension as (typeof DIMENSIONS)[number];
      const byValue = Object.fromEntries(
        results.map((r) => [String(r[field]), r.uncached_input_tokens]),
      );
      expect(byValue).toEqual(expected());
      expect(results).toHaveLength(Object.keys(expected()).length);
      for (const result of results) {
        for (const other of DIMENSIONS.filter((d) => d !== dimension)) {
          expect(result[other], `${other} when grouped by ${dimension}`).toBeNull();
        }
      }
    });

    it("should group by two dimensions at once, with every token count of each group", async () => {
      const body = ok(await messages({ ...day27, group_by: ["model", "workspace_id"] }));
      const results = body.data[0]!.results;
      const rows = results
        .map((r) => [r.model, r.workspace_id, r.uncached_input_tokens, r.output_tokens])
        .sort((x, y) => String(x).localeCompare(String(y)));
      expect(rows).toEqual(
        [
          ["claude-haiku-4-5", ws.a, 2000, 1000],
          ["claude-haiku-4-5", ws.d, 50, 50],
          ["claude-opus-4-5", ws.a, 1000, 500],
          ["claude-opus-4-5", ws.b, 100, 100],
        ].sort((x, y) => String(x).localeCompare(String(y))),
      );
      const opusB = results.find((r) => r.workspace_id === ws.b);
      expect(opusB).toMatchObject({
        cache_creation: { ephemeral_1h_input_tokens: 2000, ephemeral_5m_input_tokens: 1000 },
        cache_read_input_tokens: 0,
        server_tool_use: { web_search_requests: 3 },
        api_key_id: null,
        service_tier: null,
      });
    });

    it.each([
      ["api_key_ids", () => [key.a], 3000],
      ["workspace_ids", () => [ws.b], 100],
      ["workspace_ids", () => [ws.a, ws.b], 3100],
      ["models", () => ["claude-haiku-4-5"], 2050],
      ["models", () => ["claude-sonnet-4-5"], 0],
      ["service_tiers", () => ["batch"], 100],
      ["context_window", () => ["200k-1M"], 50],
      ["inference_geos", () => ["us", "global"], 150],
    ])("should filter by %s", async (filter, values, input) => {
      const body = ok(await messages({ ...day27, [filter]: values() }));
      const results = body.data[0]!.results;
      expect(results.reduce((n, r) => n + r.uncached_input_tokens, 0)).toBe(input);
      expect(results.length).toBe(input === 0 ? 0 : 1);
      for (const result of results) {
        for (const dimension of DIMENSIONS) {
          expect(result[dimension]).toBeNull();
        }
      }
    });

    it("should filter and group together", async () => {
      const body = ok(
        await messages({
          ...day27,
          api_key_ids: [key.a, key.b],
          group_by: ["api_key_id", "model"],
        }),
      );
      const results = body.data[0]!.results;
      expect(
        results
          .map((r) => `${r.api_key_id === key.a ? "A" : "B"} ${r.model} ${r.uncached_input_tokens}`)
          .sort(),
      ).toEqual(["A claude-haiku-4-5 2000", "A claude-opus-4-5 1000", "B claude-opus-4-5 100"]);
    });

    it("should write the JSON report, result by result in the database, as the same value", async () => {
      const ctx = operatorContext(server.org.id);
      const queries = [
        {
          starting_at: "2025-04-26T00:00:00Z",
          ending_at: "2025-04-28T00:00:00Z",
          bucket_width: "1d",
        },
        { ...day27, group_by: ["model", "workspace_id"] },
        { ...day27, group_by: ["api_key_id", "service_tier", "context_window", "inference_geo"] },
        { ...day27, bucket_width: "1h", group_by: ["workspace_id"], models: ["claude-opus-4-5"] },
        { ...day27, bucket_width: "1h", limit: 3, group_by: ["api_key_id"] },
        {
          starting_at: "2025-04-27T13:00:00Z",
          ending_at: "2025-04-27T14:00:00Z",
          bucket_width: "1m",
          group_by: ["model", "api_key_id"],
        },
      ];
      for (const query of queries) {
        const parsed = MessagesUsageQuery.parse(query);
        const value = await server.services.usageReports.messagesUsage(ctx, parsed);
        const bytes = await server.services.usageReports.messagesUsageJson(ctx, parsed);
        const text = bytes.toString("utf8");
        expect(JSON.parse(text), JSON.stringify(query)).toEqual(value);
        expect(text).toBe(JSON.stringify(value));
      }
    });

    it("should accept a lone group_by without brackets", async () => {
      const body = ok(
        await server.get(
          `${MESSAGES}?starting_at=2025-04-27T00:00:00Z&ending_at=2025-04-28T00:00:00Z&group_by=model`,
        ),
      );
      expect(body.data[0]!.results.map((r) => r.model).sort()).toEqual([
        "claude-haiku-4-5",
        "claude-opus-4-5",
      ]);
    });

    it("should leave out another organization's usage, even when filtered by its workspace", async () => {
      const filtered = ok(await messages({ ...day27, workspace_ids: [other.defaultWorkspaceId] }));
      expect(filtered.data[0]!.results).toEqual([]);
    });

    it.each([
      ["an unknown group_by", { group_by: ["colour"] }],
      ["an unmodelled group_by", { group_by: ["account_id"] }],
      ["an unknown service tier filter", { service_tiers: ["turbo"] }],
      ["an unknown bucket width", { bucket_width: "1w" }],
      ["an unknown parameter", { speeds: ["fast"] }],
    ])("should answer 400 for %s", async (_label, extra) => {
      expectError(await messages({ ...day27, ...extra }), 400, "invalid_request_error");
    });

    it("should answer 400 without starting_at or with one that is not a timestamp", async () => {
      expectError(await messages({}), 400, "invalid_request_error");
      expectError(await messages({ starting_at: "2025-04-27" }), 400, "invalid_request_error");
      expectError(await messages({ starting_at: "yesterday" }), 400, "invalid_request_error");
    });

    it("should answer 400 when ending_at is not after starting_at", async () => {
      for (const ending_at of ["2025-04-26T00:00:00Z", "2025-04-27T00:00:00Z"]) {
        const error = expectError(
          await messages({ starting_at: "2025-04-27T00:00:00Z", ending_at }),
          400,
          "invalid_request_error",
        );
        expect(error.message).toMatch(/ending_at/);
      }
    });

    it("should answer 400 for a page token that is not one, or that belongs to another query", async () => {
      const base = { starting_at: "2025-04-27T00:00:00Z", ending_at: "2025-04-28T00:00:00Z" };
      const hourly = ok(await messages({ ...base, bucket_width: "1h", limit: 5 }));
      const foreign = `page_${Buffer.from("2020-01-01T00:00:00Z").toString("base64")}`;
      for (const [query, page] of [
        [base, "garbage"],
        [base, "page_%%%"],
        [base, `page_${Buffer.from("not a time").toString("base64")}`],
        [base, foreign],
        // 05:00 is not the start of a day.
        [{ ...base, bucket_width: "1d" }, present(hourly.next_page, "the next page")],
      ] as const) {
        const error = expectError(await messages({ ...query, page }), 400, "invalid_request_error");
        expect(error.message).toMatch(/page/);
      }
    });

    it("should refuse 1m buckets older than the raw events' retention, and take them within it", async () => {
      const now = Date.parse(NOW);
      // The default retention of raw events, which 1m buckets are summed from: 400 days.
      const old = new Date(now - 401 * DAY_MS).toISOString();
      const error = expectError(
        await messages({ starting_at: old, bucket_width: "1m" }),
        400,
        "invalid_request_error",
      );
      expect(error.message).toMatch(/1h or 1d/);
      ok(await messages({ starting_at: old, bucket_width: "1h" }));
      const recent = new Date(now - 399 * DAY_MS).toISOString();
      expect(ok(await messages({ starting_at: recent, bucket_width: "1m" })).data).toHaveLength(60);
    });

    it("should count minutes exactly at 1m", async () => {
      const body = ok(
        await messages({
          starting_at: "2025-04-27T13:00:00Z",
          ending_at: "2025-04-27T14:00:00Z",
          bucket_width: "1m",
          group_by: ["api_key_id"],
        }),
      );
      const used = body.data.filter((b) => b.results.length > 0);
      expect(
        used.map((b) => [
          b.starting_at,
          b.results[0]!.api_key_id,
          b.results[0]!.uncached_input_tokens,
        ]),
      ).toEqual([
        ["2025-04-27T13:05:00Z", key.a, 1000],
        ["2025-04-27T13:40:00Z", key.a, 2000],
      ]);
    });
  });

  describe("GET /v1/organizations/cost_report", () => {
    const days = { starting_at: "2025-04-26T00:00:00Z", ending_at: "2025-04-29T00:00:00Z" };
    const empty = {
      api_key_id: null,
      description: null,
      cost_type: null,
      model: null,
      service_tier: null,
      token_type: null,
      context_window: null,
      inference_geo: null,
      // No model here is missing from the price table.
      fallback_amount: "0",
    };

    it("should answer one line per day, the amount in cents as an exact decimal string", async () => {
      const body = ok(await cost(days));
      expect(body.has_more).toBe(false);
      expect(body.next_page).toBeNull();
      expect(body.data).toEqual([
        {
          starting_at: "2025-04-26T00:00:00Z",
          ending_at: "2025-04-27T00:00:00Z",
          results: [{ amount: "0.135", currency: "USD", workspace_id: null, ...empty }],
        },
        {
          starting_at: "2025-04-27T00:00:00Z",
          ending_at: "2025-04-28T00:00:00Z",
          results: [{ amount: "9.62875", currency: "USD", workspace_id: null, ...empty }],
        },
        {
          starting_at: "2025-04-28T00:00:00Z",
          ending_at: "2025-04-29T00:00:00Z",
          results: [{ amount: "123.45", currency: "USD", workspace_id: null, ...empty }],
        },
      ]);
    });

    it("should group by workspace", async () => {
      const body = ok(await cost({ ...days, group_by: ["workspace_id"] }));
      const day27 = body.data[1]!.results;
      expect(Object.fromEntries(day27.map((r) => [r.workspace_id, r.amount]))).toEqual({
        [ws.a]: "2.49",
        [ws.b]: "4.60875",
        [ws.d]: "2.53",
      });
      expect(day27).toHaveLength(3);
      for (const result of day27) {
        expect(result).toMatchObject({ currency: "USD", ...empty });
      }
    });

    it("should group by description: one line per model, tier and token type, and web search apart", async () => {
      const body = ok(await cost({ ...days, group_by: ["description"] }));
      const day27 = body.data[1]!.results;
      const line = (
        model: string,
        name: string,
        label: string,
        token_type: string,
        amount: string,
        dims: { service_tier?: string; context_window?: string; inference_geo?: string } = {},
      ) => ({
        amount,
        currency: "USD",
        workspace_id: null,
        api_key_id: null,
        description: `${name} Usage - ${label}`,
        cost_type: "tokens",
        model,
        service_tier: "standard",
        token_type,
        context_window: "0-200k",
        inference_geo: "not_available",
        fallback_amount: "0",
        ...dims,
      });
      const opus = (label: string, type: string, amount: string, dims = {}) =>
        line("claude-opus-4-5", "Claude Opus 4.5", label, type, amount, dims);
      const haiku = (label: string, type: string, amount: string, dims = {}) =>
        line("claude-haiku-4-5", "Claude Haiku 4.5", label, type, amount, dims);
      const batchUs = { service_tier: "batch", inference_geo: "us" };
      const long = { context_window: "200k-1M", inference_geo: "global" };
      const expected = [
        opus("Input Tokens", "uncached_input_tokens", "0.5"),
        opus("Output Tokens", "output_tokens", "1.25"),
        opus("Input Tokens", "uncached_input_tokens", "0.0275", batchUs),
        opus("Output Tokens", "output_tokens", "0.1375", batchUs),
        opus("Cache Write (5m)", "cache_creation.ephemeral_5m_input_tokens", "0.34375", batchUs),
        opus("Cache Write (1h)", "cache_creation.ephemeral_1h_input_tokens", "1.1", batchUs),
        haiku("Input Tokens", "uncached_input_tokens", "0.2"),
        haiku("Output Tokens", "output_tokens", "0.5"),
        haiku("Cache Read Input Tokens", "cache_read_input_tokens", "0.04"),
        haiku("Input Tokens", "uncached_input_tokens", "0.005", long),
        haiku("Output Tokens", "output_tokens", "0.025", long),
        haiku("Cache Read Input Tokens", "cache_read_input_tokens", "2.5", long),
        {
          amount: "3",
          currency: "USD",
          workspace_id: null,
          ...empty,
          description: "Web Search Usage",
          cost_type: "web_search",
        },
      ];
      expect(day27).toHaveLength(expected.length);
      expect(day27).toEqual(expect.arrayContaining(expected));
      // The lines add up to the day's total, exactly.
      expect(day27.reduce((n, r) => n + nanosOfCents(r.amount), 0)).toBe(96_287_500);

      // An event ingested with its own cost: one line for the model, no token type.
      expect(body.data[2]!.results).toEqual([
        {
          amount: "123.45",
          currency: "USD",
          workspace_id: null,
          api_key_id: null,
          description: "Claude Opus 4.5 Usage",
          cost_type: "tokens",
          model: "claude-opus-4-5",
          service_tier: "standard",
          token_type: null,
          context_window: "0-200k",
          inference_geo: "not_available",
          fallback_amount: "0",
        },
      ]);
    });

    it("should group by workspace and description together", async () => {
      const body = ok(await cost({ ...days, group_by: ["workspace_id", "description"] }));
      const day27 = body.data[1]!.results;
      const web = day27.filter((r) => r.cost_type === "web_search");
      expect(web).toEqual([expect.objectContaining({ workspace_id: ws.b, amount: "3" })]);
      const perWorkspace = new Map<string | null, number>();
      for (const r of day27) {
        perWorkspace.set(
          r.workspace_id,
          (perWorkspace.get(r.workspace_id) ?? 0) + nanosOfCents(r.amount),
        );
      }
      expect(Object.fromEntries(perWorkspace)).toEqual({
        [ws.a]: 24_900_000,
        [ws.b]: 46_087_500,
        [ws.d]: 25_300_000,
      });
    });

    it("should group by API key, each key's cost that of its raw events, to the nano-dollar", async () => {
      const range = { starting_at: "2025-03-01T00:00:00Z", ending_at: "2025-04-29T00:00:00Z" };
      const reported = new Map<string, number>();
      let page: string | undefined;
      for (;;) {
        const body = ok(
          await cost({ ...range, limit: 31, group_by: ["api_key_id"], ...(page && { page }) }),
        );
        for (const bucket of body.data) {
          for (const r of bucket.results) {
            expect(r).toMatchObject({ workspace_id: null, description: null });
            const at = `${bucket.starting_at.slice(0, 10)} ${r.api_key_id}`;
            reported.set(at, (reported.get(at) ?? 0) + nanosOfCents(r.amount));
          }
        }
        if (!body.has_more) {
          break;
        }
        page = present(body.next_page, "the next page");
      }
      const events = await server.database.db
        .selectFrom("usage_events")
        .select(["api_key_id", "occurred_at", "cost_nanos"])
        .where("organization_id", "=", server.org.id)
        .execute();
      const raw = new Map<string, number>();
      for (const e of events) {
        const at = `${e.occurred_at.slice(0, 10)} ${e.api_key_id ?? null}`;
        raw.set(at, (raw.get(at) ?? 0) + Number(e.cost_nanos));
      }
      expect(reported).toEqual(raw);
      expect(reported.get(`2025-04-27 ${key.a}`)).toBe(24_900_000);
      expect(reported.get(`2025-04-27 ${key.b}`)).toBe(46_087_500);
      expect(reported.get("2025-04-27 null")).toBe(25_300_000);

      // With workspaces and line items too: web search stays one line per workspace and key.
      const day27 = ok(
        await cost({
          starting_at: "2025-04-27T00:00:00Z",
          ending_at: "2025-04-28T00:00:00Z",
          group_by: ["api_key_id", "workspace_id", "description"],
        }),
      ).data[0]!.results;
      expect(day27.filter((r) => r.cost_type === "web_search")).toEqual([
        expect.objectContaining({ workspace_id: ws.b, api_key_id: key.b, amount: "3" }),
      ]);
      expect(
        day27.filter((r) => r.api_key_id === key.a).reduce((n, r) => n + nanosOfCents(r.amount), 0),
      ).toBe(24_900_000);
      expect(new Set(day27.map((r) => r.workspace_id))).toEqual(new Set([ws.a, ws.b, ws.d]));
    });

    it("should page by days: default 7, at most 31", async () => {
      const range = { starting_at: "2025-03-01T00:00:00Z", ending_at: "2025-04-28T00:00:00Z" };
      const first = ok(await cost(range));
      expect(first.data).toHaveLength(7);
      expect(first.has_more).toBe(true);
      const second = ok(await cost({ ...range, page: present(first.next_page, "the next page") }));
      expect(second.data[0]!.starting_at).toBe("2025-03-08T00:00:00Z");
      expect(ok(await cost({ ...range, limit: 31 })).data).toHaveLength(31);
      expectError(await cost({ ...range, limit: 32 }), 400, "invalid_request_error");
      // Paging through every day adds up to the total of the range.
      let page: string | undefined;
      let nanos = 0;
      for (let i = 0; i < 20; i++) {
        const body = ok(await cost(page === undefined ? range : { ...range, page }));
        nanos += body.data
          .flatMap((b) => b.results)
          .reduce((n, r) => n + nanosOfCents(r.amount), 0);
        if (!body.has_more) {
          break;
        }
        page = present(body.next_page, "the next page");
      }
      // March (505,000,000) and April 26 and 27; April 28 is after ending_at.
      expect(nanos).toBe(505_000_000 + 1_350_000 + 96_287_500);
    });

    it.each([
      ["a bucket width other than 1d", { bucket_width: "1h" }],
      ["group_by model", { group_by: ["model"] }],
      ["ending_at before starting_at", { ending_at: "2025-04-25T00:00:00Z" }],
      ["a bad page token", { page: "nope" }],
    ])("should answer 400 for %s", async (_label, extra) => {
      expectError(await cost({ ...days, ...extra }), 400, "invalid_request_error");
    });

    it("should leave out another organization's cost", async () => {
      const theirs = ok(await server.get(COST, { query: days, key: other.adminKey }));
      expect(theirs.data[1]!.results).toEqual([
        expect.objectContaining({ amount: "499.9995", workspace_id: null }),
      ]);
      expect(theirs.data[0]!.results).toEqual([]);
    });
  });

  describe("the organization's current month", () => {
    it("should show this month's recorded cost on /v1/organizations and /v1/organizations/me", async () => {
      // April's cost is $1.3321375; the billing block rounds it to the micro-dollar.
      for (const path of ["/v1/organizations", "/v1/organizations/me"] as const) {
        const body = ok(await server.get(path));
        expect(Math.abs(body.billing.current_month_usage_usd - 1.3321375)).toBeLessThanOrEqual(
          1e-6,
        );
      }
      const theirs = ok(await server.get("/v1/organizations/me", { key: other.adminKey }));
      expect(theirs.billing.current_month_usage_usd).toBe(4.999995);
    });

    it("should start again from zero in a new month", async () => {
      try {
        clock.set("2025-05-01T00:00:00.000Z");
        expect(ok(await server.get("/v1/organizations")).billing.current_month_usage_usd).toBe(0);
        expect(ok(await server.get("/v1/organizations/me")).billing.current_month_usage_usd).toBe(
          0,
        );
      } finally {
        clock.set(NOW);
      }
    });
  });

  describe("CSV", () => {
    const CSV = { accept: "text/csv" };
    const days = { starting_at: "2025-04-26T00:00:00Z", ending_at: "2025-04-29T00:00:00Z" };

    it("should answer /v1/usage as CSV, one row per bucket and model", async () => {
      const response = await usage({ start_date: "2025-04-26", end_date: "2025-04-29" }, CSV);
      expect(response.status).toBe(200);
      expect(response.headers["content-type"]).toBe("text/csv; charset=utf-8");
      expect(response.headers["content-disposition"]).toBe('attachment; filename="usage.csv"');
      expect(csvLines(response.body)).toEqual([
        "date,starting_at,ending_at,model,requests,input_tokens,output_tokens,cache_creation_tokens,cache_read_tokens,cost_usd",
        "2025-04-26,2025-04-26T00:00:00Z,2025-04-27T00:00:00Z,claude-sonnet-4-5,1,300,30,0,0,0.00135",
        "2025-04-27,2025-04-27T00:00:00Z,2025-04-28T00:00:00Z,claude-haiku-4-5,2,2050,1050,0,254000,0.0327",
        "2025-04-27,2025-04-27T00:00:00Z,2025-04-28T00:00:00Z,claude-opus-4-5,2,1100,600,3000,0,0.0635875",
        "2025-04-28,2025-04-28T00:00:00Z,2025-04-29T00:00:00Z,claude-opus-4-5,1,10,10,0,0,1.2345",
        "2025-04-29,2025-04-29T00:00:00Z,2025-04-30T00:00:00Z,,0,0,0,0,0,0",
      ]);
    });

    it("should answer the messages report as CSV, saying in headers where the next page starts", async () => {
      const query = {
        starting_at: "2025-04-27T00:00:00Z",
        ending_at: "2025-04-28T00:00:00Z",
        bucket_width: "1h",
        limit: 14,
        group_by: ["workspace_id"],
      };
      const json = ok(await messages(query));
      const response = await messages(query, CSV);
      expect(response.status).toBe(200);
      expect(response.headers["content-type"]).toBe("text/csv; charset=utf-8");
      expect(response.headers["x-has-more"]).toBe("true");
      expect(response.headers["x-next-page"]).toBe(json.next_page);
      const lines = csvLines(response.body);
      expect(lines[0]).toBe(
        "starting_at,ending_at,api_key_id,workspace_id,model,service_tier,context_window,inference_geo,uncached_input_tokens,cache_creation_5m_input_tokens,cache_creation_1h_input_tokens,cache_read_input_tokens,output_tokens,web_search_requests",
      );
      expect(lines.slice(1)).toEqual([
        `2025-04-27T13:00:00Z,2025-04-27T14:00:00Z,,${ws.a},,,,,3000,0,0,4000,1500,0`,
      ]);
      const last = await messages(
        { ...query, page: present(json.next_page, "the next page") },
        CSV,
      );
      expect(last.headers["x-has-more"]).toBe("false");
      expect(last.headers["x-next-page"]).toBeUndefined();
      expect(csvLines(last.body)).toHaveLength(3);
    });

    it("should answer the cost report as CSV, in cents and in dollars", async () => {
      const response = await cost({ ...days, group_by: ["workspace_id"] }, CSV);
      expect(response.status).toBe(200);
      expect(response.headers["content-type"]).toBe("text/csv; charset=utf-8");
      expect(response.headers["x-has-more"]).toBe("false");
      const lines = csvLines(response.body);
      expect(lines[0]).toBe(
        "starting_at,ending_at,workspace_id,api_key_id,description,cost_type,model,service_tier,token_type,context_window,inference_geo,amount_cents,amount_usd,currency",
      );
      expect(lines).toContain(
        `2025-04-28T00:00:00Z,2025-04-29T00:00:00Z,${ws.d},,,,,,,,,123.45,1.2345,USD`,
      );
      expect(lines).toContain(
        `2025-04-26T00:00:00Z,2025-04-27T00:00:00Z,${ws.a},,,,,,,,,0.135,0.00135,USD`,
      );
      expect(lines).toHaveLength(1 + 1 + 3 + 1);
    });

    it("should keep a spreadsheet from running a model name as a formula", async () => {
      const march15 = { start_date: "2025-03-15", end_date: "2025-03-15" };
      const seed = csvLines((await usage(march15, CSV)).body);
      expect(seed[1]).toBe(
        "2025-03-15,2025-03-15T00:00:00Z,2025-03-16T00:00:00Z,'=cmd,1,1,1,0,0,0.5",
      );
      const range = { starting_at: "2025-03-15T00:00:00Z", ending_at: "2025-03-16T00:00:00Z" };
      const report = csvLines((await messages({ ...range, group_by: ["model"] }, CSV)).body);
      expect(report[1]).toBe("2025-03-15T00:00:00Z,2025-03-16T00:00:00Z,,,'=cmd,,,,1,0,0,0,1,0");
      const costs = csvLines((await cost({ ...range, group_by: ["description"] }, CSV)).body);
      expect(costs[1]).toBe(
        "2025-03-15T00:00:00Z,2025-03-16T00:00:00Z,,,'=cmd Usage,tokens,'=cmd,standard,,0-200k,not_available,50,0.5,USD",
      );
      // JSON keeps the name as it is.
      expect(ok(await messages({ ...range, group_by: ["model"] })).data[0]!.results[0]!.model).toBe(
        "=cmd",
      );
    });

    it("should answer JSON when the client prefers it, and JSON errors to a CSV client", async () => {
      const query = { start_date: "2025-04-26", end_date: "2025-04-26" };
      for (const accept of ["application/json, text/csv;q=0.5", "application/json", "*/*"]) {
        const response = await usage(query, { accept });
        expect(response.headers["content-type"]).toMatch(/^application\/json/);
        expect(response.body.total.requests).toBe(1);
      }
      const preferred = await usage(query, { accept: "application/json;q=0.4, text/csv" });
      expect(preferred.headers["content-type"]).toBe("text/csv; charset=utf-8");
      // Media types are case-insensitive.
      const shouted = await usage(query, { accept: "Text/CSV" });
      expect(shouted.headers["content-type"]).toBe("text/csv; charset=utf-8");
      expectError(
        await usage({ start_date: "2025-02-30", end_date: "2025-03-01" }, CSV),
        400,
        "invalid_request_error",
      );
    });
  });
});
