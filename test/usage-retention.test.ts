/**
 * Retention: raw events go after their retention; hour and day rollups, and so every report that
 * reads them, keep their sums; 1m buckets, summed from raw events, go with them.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { ManualClock } from "../src/core/ports.js";
import { UsageRetention } from "../src/core/usage/usage-retention.js";
import { createTestServer, describeEachBackend, errorOf, type TestServer } from "./harness.js";

const DAY = 86_400_000;
const RETENTION = { rawDays: 20 };

describeEachBackend("usage retention", (backend) => {
  const clock = new ManualClock("2026-03-01T12:00:00.000Z");
  let server: TestServer;
  let retention: UsageRetention;

  const event = (id: string, timestamp: string, inputTokens: number) => ({
    id,
    timestamp,
    workspace_id: server.org.defaultWorkspaceId,
    model: "claude-opus-4-5",
    input_tokens: inputTokens,
    output_tokens: 10,
  });

  const dailyInput = async () => {
    const { status, body } = await server.get("/v1/usage", {
      query: { start_date: "2026-02-01", end_date: "2026-03-01", granularity: "day" },
    });
    expect(status).toBe(200);
    return body.total.input_tokens as number;
  };

  beforeAll(async () => {
    server = await createTestServer(backend, { clock, retention: RETENTION });
    retention = new UsageRetention(server.services.deps.store, clock, RETENTION);
    const { status, body } = await server.post("/v1/usage/events", {
      events: [
        event("old", "2026-02-10T08:30:00Z", 1000), // 19 days old now: kept for a day more
        event("recent", "2026-02-26T09:15:00Z", 200), // 3 days old
        event("today", "2026-03-01T12:00:00Z", 30),
      ],
    });
    expect(status).toBe(200);
    expect(body).toEqual({ accepted: 3, duplicates: 0, rejected: [] });
  });
  afterAll(async () => {
    await server?.close();
  });

  it("should keep everything within retention", async () => {
    expect(await retention.prune()).toEqual({ events: 0 });
    expect((await server.services.deps.store.read.usage.list(server.org.id)).length).toBe(3);
  });

  it("should serve 1m buckets from raw events within retention", async () => {
    const minutes = await server.get("/v1/organizations/usage_report/messages", {
      query: { starting_at: "2026-02-10T08:00:00Z", bucket_width: "1m", limit: 60 },
    });
    expect(minutes.status).toBe(200);
    expect(minutes.body.data[30]?.results).toEqual([
      expect.objectContaining({ uncached_input_tokens: 1000, output_tokens: 10 }),
    ]);
    expect(
      minutes.body.data.filter((bucket: { results: unknown[] }) => bucket.results.length > 0),
    ).toHaveLength(1);
  });

  it("should delete raw events past retention, and keep hour and day sums", async () => {
    clock.advance(5 * DAY); // 2026-03-06: "old" is 24 days old, "recent" 8
    expect(await retention.prune()).toEqual({ events: 1 });
    const ids = (await server.services.deps.store.read.usage.list(server.org.id)).map((e) => e.id);
    expect(ids.sort()).toEqual(["recent", "today"]);
    expect(await dailyInput()).toBe(1230);
    const hourly = await server.get("/v1/organizations/usage_report/messages", {
      query: {
        starting_at: "2026-02-10T08:00:00Z",
        ending_at: "2026-02-10T09:00:00Z",
        bucket_width: "1h",
      },
    });
    expect(hourly.body.data[0]?.results[0]?.uncached_input_tokens).toBe(1000);
  });

  it("should refuse 1m buckets older than the raw retention, and serve newer ones", async () => {
    const old = await server.get("/v1/organizations/usage_report/messages", {
      query: { starting_at: "2026-02-10T08:00:00Z", bucket_width: "1m", limit: 60 },
    });
    expect(old.status).toBe(400);
    expect(errorOf(old).message).toMatch(
      /starting_at.*1m buckets are summed from raw events, which are kept for 20 days/,
    );
    const recent = await server.get("/v1/organizations/usage_report/messages", {
      query: { starting_at: "2026-02-26T09:00:00Z", bucket_width: "1m", limit: 60 },
    });
    expect(recent.status).toBe(200);
    expect(recent.body.data[15]?.results).toEqual([
      expect.objectContaining({ uncached_input_tokens: 200 }),
    ]);
  });

  it("should refuse to ingest an event older than the raw retention, which it could not deduplicate", async () => {
    const { body } = await server.post("/v1/usage/events", {
      events: [event("old", "2026-02-10T08:30:00Z", 1000)],
    });
    expect(body.accepted).toBe(0);
    expect(body.rejected).toEqual([
      expect.objectContaining({ index: 0, id: "old", field: "timestamp" }),
    ]);
    expect(await dailyInput()).toBe(1230);
  });

  it("should prune nothing the second time", async () => {
    expect(await retention.prune()).toEqual({ events: 0 });
  });
});
