import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../src/core/ports.js";
import {
  createTestServer,
  describeEachBackend,
  expectError,
  type OrgFixture,
  type TestServer,
} from "./harness.js";
import { present } from "./support/narrow.js";

/** The server's clock: every event below is stamped relative to it. */
const NOW = "2025-04-28T12:00:00.000Z";
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

let eventCounter = 0;

/** A valid event of the given workspace, an hour before NOW, with a fresh id. */
function event(workspaceId: string, overrides: Record<string, unknown> = {}) {
  eventCounter += 1;
  return {
    id: `evt_${eventCounter}`,
    timestamp: "2025-04-28T11:00:00Z",
    workspace_id: workspaceId,
    model: "claude-opus-4-5",
    input_tokens: 1000,
    output_tokens: 500,
    ...overrides,
  };
}

describeEachBackend("usage ingestion (POST /v1/usage/events)", (backend) => {
  let server: TestServer;
  let clock: ManualClock;
  let other: OrgFixture;
  let wsA: string;
  let wsB: string;
  let keyA: string;
  let keyB: string;
  let otherKey: string;

  beforeAll(async () => {
    clock = new ManualClock(NOW);
    server = await createTestServer(backend, { clock });
    other = await server.createOrganization("Other Org");
    const a = await server.post("/v1/workspaces", { name: "Ingest A" });
    const b = await server.post("/v1/workspaces", { name: "Ingest B" });
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    wsA = a.body.id;
    wsB = b.body.id;
    const ka = await server.post("/v1/api_keys", { name: "key A", workspace_id: wsA });
    const kb = await server.post("/v1/api_keys", { name: "key B", workspace_id: wsB });
    expect(ka.status).toBe(200);
    expect(kb.status).toBe(200);
    keyA = ka.body.id;
    keyB = kb.body.id;
    const ko = await server.post(
      "/v1/api_keys",
      { name: "other org's key", workspace_id: other.defaultWorkspaceId },
      { key: other.adminKey },
    );
    expect(ko.status).toBe(200);
    otherKey = ko.body.id;
  });
  afterAll(async () => {
    await server?.close();
  });

  const ingest = (events: unknown[], key?: string) =>
    server.post("/v1/usage/events", { events }, key === undefined ? {} : { key });

  /** A workspace of its own, so that its report holds exactly what one test ingested. */
  async function freshWorkspace(name: string): Promise<string> {
    const created = await server.post("/v1/workspaces", { name });
    expect(created.status).toBe(200);
    return created.body.id;
  }

  /** The seed report's totals of one workspace over the days around NOW. */
  async function totals(workspaceId: string) {
    const report = await server.get("/v1/usage", {
      query: { start_date: "2025-04-20", end_date: "2025-04-28", workspace_id: workspaceId },
    });
    expect(report.status, JSON.stringify(report.body)).toBe(200);
    return report.body.total;
  }

  describe("counts", () => {
    it("should accept valid events and answer the counts", async () => {
      const ws = await freshWorkspace("counts");
      const response = await ingest([event(ws), event(ws, { api_key_id: null }), event(ws)]);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ accepted: 3, duplicates: 0, rejected: [] });
      const total = await totals(ws);
      expect(total).toMatchObject({ requests: 3, input_tokens: 3000, output_tokens: 1500 });
    });

    it("should count an id repeated in one call once, keeping the first", async () => {
      const ws = await freshWorkspace("dup in call");
      const first = event(ws);
      const response = await ingest([
        first,
        { ...first, input_tokens: 7, output_tokens: 7 },
        event(ws),
      ]);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ accepted: 2, duplicates: 1, rejected: [] });
      expect(await totals(ws)).toMatchObject({
        requests: 2,
        input_tokens: 2000,
        output_tokens: 1000,
      });
    });

    it("should count an id sent again in a later call once, whatever the retry carries", async () => {
      const ws = await freshWorkspace("dup across calls");
      const batch = [event(ws), event(ws)];
      expect((await ingest(batch)).body).toEqual({ accepted: 2, duplicates: 0, rejected: [] });
      const before = await totals(ws);

      expect((await ingest(batch)).body).toEqual({ accepted: 0, duplicates: 2, rejected: [] });
      const changed = { ...batch[0], input_tokens: 99_999 };
      const retried = await ingest([changed, event(ws)]);
      expect(retried.body).toEqual({ accepted: 1, duplicates: 1, rejected: [] });

      const after = await totals(ws);
      expect(after.requests).toBe(before.requests + 1);
      expect(after.input_tokens).toBe(before.input_tokens + 1000);
      // The messages report and the cost report agree: the duplicate is nowhere.
      const messages = await server.get("/v1/organizations/usage_report/messages", {
        query: { starting_at: "2025-04-28T00:00:00Z", workspace_ids: [ws], limit: 1 },
      });
      const bucket = present(messages.body.data[0], "a bucket");
      expect(bucket.results).toHaveLength(1);
      expect(bucket.results[0]?.uncached_input_tokens).toBe(3000);
    });

    it("should treat the same id in two organizations as two events", async () => {
      const ws = await freshWorkspace("same id, two orgs");
      const mine = event(ws, { id: "shared-id-1" });
      const theirs = event(other.defaultWorkspaceId, { id: "shared-id-1" });
      expect((await ingest([theirs], other.adminKey)).body).toEqual({
        accepted: 1,
        duplicates: 0,
        rejected: [],
      });
      expect((await ingest([mine])).body).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
      expect((await totals(ws)).requests).toBe(1);
    });
  });

  describe("rejections", () => {
    it("should reject each bad event with its index, id, field and reason, and store the rest", async () => {
      const ws = await freshWorkspace("mixed batch");
      const future = new Date(Date.parse(NOW) + 6 * MINUTE).toISOString();
      const tooOld = new Date(Date.parse(NOW) - 401 * DAY).toISOString();
      const batch = [
        event(ws), // 0: fine
        event(ws, { timestamp: "yesterday" }), // 1
        event(ws, { timestamp: future }), // 2
        event(ws, { workspace_id: "wrkspc_01nope" }), // 3
        event(ws, { api_key_id: "apikey_01nope" }), // 4
        event(other.defaultWorkspaceId, { api_key_id: otherKey }), // 5: another org's workspace
        event(ws, { api_key_id: otherKey }), // 6: another org's key
        event(ws, { api_key_id: keyA }), // 7: a key of workspace A
        event(ws, { input_tokens: -1 }), // 8
        event(ws, {
          cache_creation_input_tokens: 100,
          cache_creation: { ephemeral_5m_input_tokens: 30, ephemeral_1h_input_tokens: 60 },
        }), // 9
        event(ws, { service_tier: "turbo" }), // 10
        event(ws, { timestamp: tooOld }), // 11
        event(ws, { output_tokens: 1.5 }), // 12
        "not an event", // 13
        event(ws), // 14: fine
      ];
      const theirs = () =>
        server.get("/v1/usage", {
          query: { start_date: "2025-04-28", end_date: "2025-04-28" },
          key: other.adminKey,
        });
      const theirsBefore = (await theirs()).body.total.requests;
      const response = await ingest(batch);
      expect(response.status).toBe(200);
      expect(response.body.accepted).toBe(2);
      expect(response.body.duplicates).toBe(0);
      const rejected = response.body.rejected as Array<{
        index: number;
        id: string | null;
        field: string | null;
        message: string;
      }>;
      expect(rejected.map((r) => [r.index, r.field])).toEqual([
        [1, "timestamp"],
        [2, "timestamp"],
        [3, "workspace_id"],
        [4, "api_key_id"],
        [5, "workspace_id"],
        [6, "api_key_id"],
        [7, "api_key_id"],
        [8, "input_tokens"],
        [9, "cache_creation_input_tokens"],
        [10, "service_tier"],
        [11, "timestamp"],
        [12, "output_tokens"],
        [13, null],
      ]);
      for (const r of rejected) {
        expect(r.message.length, JSON.stringify(r)).toBeGreaterThan(0);
        const sent = batch[r.index] as { id?: string } | string;
        expect(r.id).toBe(typeof sent === "string" ? null : sent.id);
      }
      const byIndex = new Map(rejected.map((r) => [r.index, r.message]));
      expect(byIndex.get(2)).toMatch(/future/);
      expect(byIndex.get(3)).toBe('workspace "wrkspc_01nope" not found');
      expect(byIndex.get(4)).toBe('API key "apikey_01nope" not found');
      expect(byIndex.get(7)).toMatch(/another workspace/);
      expect(byIndex.get(9)).toMatch(/ephemeral_5m_input_tokens \+ ephemeral_1h_input_tokens/);
      expect(byIndex.get(11)).toMatch(/retention/);

      // Only the two good events were stored.
      expect(await totals(ws)).toMatchObject({ requests: 2, input_tokens: 2000 });
      expect((await theirs()).body.total.requests).toBe(theirsBefore);
    });

    it("should reject another organization's workspace and key exactly as unknown ones", async () => {
      const foreign = await ingest([
        event(other.defaultWorkspaceId),
        event(wsA, { api_key_id: otherKey }),
      ]);
      expect(foreign.body.rejected.map((r: { message: string }) => r.message)).toEqual([
        `workspace ${JSON.stringify(other.defaultWorkspaceId)} not found`,
        `API key ${JSON.stringify(otherKey)} not found`,
      ]);
      // And the other way round: our workspace is unknown to the other organization.
      const reverse = await ingest([event(wsA)], other.adminKey);
      expect(reverse.body).toMatchObject({ accepted: 0, duplicates: 0 });
      expect(reverse.body.rejected).toEqual([
        expect.objectContaining({
          index: 0,
          field: "workspace_id",
          message: `workspace ${JSON.stringify(wsA)} not found`,
        }),
      ]);
    });

    it("should reject timestamps without an offset, or on a day that does not exist", async () => {
      const ws = await freshWorkspace("bad timestamps");
      const stamps = ["2025-04-28T11:00:00", "2025-02-29T11:00:00Z", "2025-04-28 11:00:00Z", ""];
      const response = await ingest(stamps.map((timestamp) => event(ws, { timestamp })));
      expect(response.body.accepted).toBe(0);
      expect(response.body.rejected.map((r) => r.field)).toEqual(stamps.map(() => "timestamp"));
    });

    it("should accept an event stamped within the allowed clock skew and refuse one past it", async () => {
      const ws = await freshWorkspace("skew");
      const justAhead = new Date(Date.parse(NOW) + 4 * MINUTE).toISOString();
      const tooFar = new Date(Date.parse(NOW) + 5 * MINUTE + 1000).toISOString();
      const response = await ingest([
        event(ws, { timestamp: justAhead }),
        event(ws, { timestamp: tooFar }),
      ]);
      expect(response.body.accepted).toBe(1);
      expect(response.body.rejected).toEqual([
        expect.objectContaining({ index: 1, field: "timestamp" }),
      ]);
    });

    it("should take a key that belongs to the event's workspace, and a key of either workspace only with it", async () => {
      const response = await ingest([
        event(wsA, { api_key_id: keyA }),
        event(wsB, { api_key_id: keyB }),
        event(wsB, { api_key_id: keyA }),
      ]);
      expect(response.body.accepted).toBe(2);
      expect(response.body.rejected).toEqual([
        expect.objectContaining({ index: 2, field: "api_key_id" }),
      ]);
    });

    it("should accept a cache split that matches the total, and one given alone", async () => {
      const ws = await freshWorkspace("cache split");
      const response = await ingest([
        event(ws, {
          cache_creation_input_tokens: 90,
          cache_creation: { ephemeral_5m_input_tokens: 30, ephemeral_1h_input_tokens: 60 },
        }),
        event(ws, { cache_creation: { ephemeral_1h_input_tokens: 10 } }),
        event(ws, { cache_creation_input_tokens: 5 }),
      ]);
      expect(response.body).toEqual({ accepted: 3, duplicates: 0, rejected: [] });
      const report = await server.get("/v1/organizations/usage_report/messages", {
        query: { starting_at: "2025-04-28T00:00:00Z", workspace_ids: [ws], limit: 1 },
      });
      expect(report.body.data[0]?.results[0]?.cache_creation).toEqual({
        ephemeral_5m_input_tokens: 35,
        ephemeral_1h_input_tokens: 70,
      });
    });

    it("should store an event of an archived workspace (usage is history)", async () => {
      const ws = await freshWorkspace("archived later");
      expect((await server.post(`/v1/workspaces/${ws}/archive`, {})).status).toBe(200);
      expect((await ingest([event(ws)])).body).toEqual({
        accepted: 1,
        duplicates: 0,
        rejected: [],
      });
    });
  });

  describe("cost", () => {
    it("should compute the cost from the price table when cost_usd is absent", async () => {
      const ws = await freshWorkspace("priced");
      // claude-opus-4-5: $5 in, $25 out, $6.25 5m write, $10 1h write, $0.50 read per MTok;
      // web search $10 per 1,000. A dated id is priced as its model.
      const response = await ingest([
        event(ws, {
          model: "claude-opus-4-5-20251101",
          input_tokens: 1000,
          output_tokens: 500,
          cache_creation: { ephemeral_5m_input_tokens: 2000, ephemeral_1h_input_tokens: 4000 },
          cache_read_input_tokens: 10_000,
          web_search_requests: 3,
        }),
      ]);
      expect(response.body.accepted).toBe(1);
      // 0.005 + 0.0125 + 0.0125 + 0.04 + 0.005 + 0.03
      expect((await totals(ws)).total_cost_usd).toBe(0.105);
    });

    it("should apply the price table's batch and geography multipliers", async () => {
      const ws = await freshWorkspace("batch us");
      await ingest([
        event(ws, {
          input_tokens: 1_000_000,
          output_tokens: 0,
          service_tier: "batch",
          inference_geo: "us",
        }),
      ]);
      // $5 × 0.5 × 1.1
      expect((await totals(ws)).total_cost_usd).toBe(2.75);
    });

    it("should take cost_usd as given when present, even if it differs from the price table", async () => {
      const ws = await freshWorkspace("given cost");
      await ingest([event(ws, { cost_usd: 1.2345 }), event(ws, { cost_usd: 0 })]);
      const total = await totals(ws);
      expect(total.total_cost_usd).toBe(1.2345);
      expect(total.requests).toBe(2);
    });

    it("should charge a model missing from the price table at the fallback rates", async () => {
      const ws = await freshWorkspace("unpriced");
      await ingest([event(ws, { model: "my-local-model" })]);
      // Each rate at its highest over config/prices.json: $15 input, $75 output per MTok.
      expect(await totals(ws)).toMatchObject({
        requests: 1,
        input_tokens: 1000,
        output_tokens: 500,
        total_cost_usd: 0.0525,
      });
    });

    it("should reject an event whose computed cost is over an event's maximum, and keep the batch", async () => {
      const ws = await freshWorkspace("too dear");
      const response = await ingest([
        event(ws),
        // 9 × 10^15 input tokens of claude-opus-4-5 would be $45 billion.
        event(ws, { input_tokens: 9_000_000_000_000_000 }),
        event(ws, { cost_usd: 1_000_001 }),
        // The largest event allowed: $1,000,000 at $5 per million tokens.
        event(ws, { input_tokens: 200_000_000_000, output_tokens: 0 }),
      ]);
      expect(response.status).toBe(200);
      expect(response.body.accepted).toBe(2);
      expect(response.body.rejected).toEqual([
        expect.objectContaining({ index: 1, field: "cost_usd" }),
        expect.objectContaining({ index: 2, field: "cost_usd" }),
      ]);
      expect(await totals(ws)).toMatchObject({
        requests: 2,
        input_tokens: 200_000_001_000,
        total_cost_usd: 1_000_000.0175,
      });
    });

    it("should place an event stamped with an offset in its UTC hour", async () => {
      const ws = await freshWorkspace("offset");
      await ingest([event(ws, { timestamp: "2025-04-28T12:30:00+02:00" })]);
      const report = await server.get("/v1/usage", {
        query: {
          start_date: "2025-04-28",
          end_date: "2025-04-28",
          granularity: "hour",
          workspace_id: ws,
        },
      });
      const used = report.body.data.filter((b: { requests: number }) => b.requests > 0);
      expect(used.map((b: { date: string }) => b.date)).toEqual(["2025-04-28T10:00:00Z"]);
    });
  });

  describe("the call itself", () => {
    it("should refuse more than 10,000 events in one call with a 400, storing nothing", async () => {
      const ws = await freshWorkspace("too many");
      const events = Array.from({ length: 10_001 }, (_, i) =>
        event(ws, { id: `bulk-over-${i}`, input_tokens: 1, output_tokens: 1 }),
      );
      expectError(await ingest(events), 400, "invalid_request_error");
      expect((await totals(ws)).requests).toBe(0);
    });

    it("should take exactly 10,000 events in one call", async () => {
      const ws = await freshWorkspace("bulk");
      const events = Array.from({ length: 10_000 }, (_, i) =>
        event(ws, {
          id: `bulk-${i}`,
          timestamp: new Date(Date.parse(NOW) - (i + 1) * MINUTE).toISOString(),
          input_tokens: 1,
          output_tokens: 2,
        }),
      );
      const response = await ingest(events);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ accepted: 10_000, duplicates: 0, rejected: [] });
      expect(await totals(ws)).toMatchObject({
        requests: 10_000,
        input_tokens: 10_000,
        output_tokens: 20_000,
      });
    }, 60_000);

    it.each([
      ["an empty list", { events: [] }],
      ["no events field", {}],
      ["events that are not a list", { events: "x" }],
      ["a list as the body", []],
    ])("should answer 400 for %s", async (_label, body) => {
      expectError(await server.post("/v1/usage/events", body), 400, "invalid_request_error");
    });

    it("should require an admin key", async () => {
      const ws = await freshWorkspace("no key");
      expectError(
        await server.post("/v1/usage/events", { events: [event(ws)] }, { key: null }),
        401,
        "authentication_error",
      );
      expectError(
        await server.post(
          "/v1/usage/events",
          { events: [event(ws)] },
          { key: "sk-ant-admin01-not-a-real-key" },
        ),
        401,
        "authentication_error",
      );
      expect((await totals(ws)).requests).toBe(0);
    });

    it("should write one audit record with the counts", async () => {
      const ws = await freshWorkspace("audited");
      const audit = () => server.services.deps.store.read.audit.list(server.org.id);
      const before = (await audit()).length;
      const stored = event(ws);
      await ingest([stored]);
      const response = await ingest([stored, event(ws), event(ws, { input_tokens: -5 })]);
      expect(response.body).toMatchObject({ accepted: 1, duplicates: 1 });
      const records = (await audit()).slice(before);
      expect(records.map((r) => r.action)).toEqual(["usage_events.ingest", "usage_events.ingest"]);
      const last = records[1];
      expect(last).toMatchObject({
        target_type: "usage_events",
        actor_type: "admin_key",
        actor_id: server.org.adminKeyId,
        outcome: "success",
        occurred_at: NOW,
      });
      expect(JSON.parse(last?.changes ?? "{}").after).toEqual({
        received: 3,
        accepted: 1,
        duplicates: 1,
        rejected: 1,
      });
      // Another organization's audit log does not see it.
      const theirs = await server.services.deps.store.read.audit.list(other.id);
      expect(
        theirs.some(
          (r) => r.action === "usage_events.ingest" && r.changes.includes('"received":3'),
        ),
      ).toBe(false);
    });
  });
});
