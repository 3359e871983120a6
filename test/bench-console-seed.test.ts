/**
 * The console benchmark's seeding (bench/console-seed.ts) on a tiny size: the rows it writes have
 * the shapes the services and reports expect, its events and rollups agree, and the same
 * parameters give the same events. The 10-million-event run itself is bench/console-pages.ts's.
 */
import { afterEach, beforeEach, expect, it } from "vitest";
import {
  DEFAULT_SEED_PARAMS,
  EventGenerator,
  type SeedParams,
  seedOrganization,
} from "../bench/console-seed.js";
import { operatorContext } from "../src/core/context.js";
import { createServices } from "../src/core/services.js";
import { Store } from "../src/db/store.js";
import { createTestDatabase, describeEachBackend, type TestDatabase } from "./harness.js";

const TINY: SeedParams = {
  ...DEFAULT_SEED_PARAMS,
  events: 3_000,
  days: 5,
  workspaces: 4,
  keys: 12,
  users: 6,
  models: 10,
  auditRecords: 1_200,
  alertRules: 2,
  pendingInvites: 3,
  batch: 1_000,
};

const NOW = Date.parse("2026-12-10T15:30:00Z");

describeEachBackend("console benchmark seeding", (backend) => {
  let testDb: TestDatabase;
  beforeEach(async () => {
    testDb = await createTestDatabase(backend);
  });
  afterEach(async () => {
    await testDb.drop();
  });

  it("should seed an organization every console page has data for", async () => {
    const stages: string[] = [];
    const seeded = await seedOrganization(testDb.database, TINY, NOW, (stage) =>
      stages.push(stage),
    );
    expect(stages).toContain("usage events");
    expect(seeded.workspaceIds).toHaveLength(TINY.workspaces);
    expect(seeded.apiKeyIds).toHaveLength(TINY.keys);
    expect(seeded.userIds).toHaveLength(TINY.users);
    expect(seeded.totals.events).toBe(TINY.events);
    expect(seeded.eventsTo).toBe("2026-12-10T15:00:00.000Z");
    expect(seeded.eventsFrom).toBe("2026-12-05T15:00:00.000Z");

    const db = testDb.database.db;
    const count = async (table: "users" | "invites" | "workspace_members" | "alert_rules") =>
      Number(
        (
          await db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      );
    expect(await count("users")).toBe(TINY.users + 1); // and the owner
    expect(await count("workspace_members")).toBeGreaterThan(0);
    expect(await count("alert_rules")).toBe(TINY.alertRules);

    const events = await db
      .selectFrom("usage_events")
      .select(["occurred_at", "api_key_id", "workspace_id", "model", "source", "cost_nanos"])
      .execute();
    expect(events).toHaveLength(TINY.events);
    for (const event of events) {
      expect(event.occurred_at >= seeded.eventsFrom && event.occurred_at < seeded.eventsTo).toBe(
        true,
      );
      expect(seeded.workspaceIds).toContain(event.workspace_id);
      expect(["gateway", "ingest"]).toContain(event.source);
    }
    expect(new Set(events.map((e) => e.model)).size).toBe(10);
    expect(events.some((e) => e.api_key_id === null)).toBe(true);

    // Read back as the console reads it: the services over the seeded database.
    const services = createServices(new Store(testDb.database));
    const ctx = operatorContext(seeded.organizationId);
    const audit = await services.auditLog.list(ctx, { limit: 1000, order: "desc" });
    expect(audit.data.length).toBeGreaterThanOrEqual(TINY.auditRecords > 1000 ? 1000 : 1);
    const deliveries = await services.alerts.listDeliveries(ctx, { limit: 100, order: "asc" });
    expect(deliveries.data).toHaveLength(TINY.alertRules * 3);
    const invites = await services.invites.list(ctx, { limit: 100, statuses: ["pending"] });
    expect(invites.data).toHaveLength(TINY.pendingInvites);

    // The rollups hold what the events hold: the cost report's total is the events' cost.
    const report = await services.usageReports.costReport(ctx, {
      starting_at: seeded.eventsFrom,
      // Whole days: the report's last day is the one that ends at or before ending_at.
      ending_at: "2026-12-11T00:00:00Z",
      bucket_width: "1d",
      limit: 31,
    });
    const cents = report.data
      .flatMap((day) => day.results)
      .reduce((sum, line) => sum + Number(line.amount), 0);
    const expected = events.reduce((sum, e) => sum + e.cost_nanos, 0) / 1e7;
    expect(cents).toBeCloseTo(expected, 2);
    expect(seeded.totals.costNanos / 1e7).toBeCloseTo(expected, 2);
  });
});

it("should generate the same events for the same seed", () => {
  const keys = [
    { id: "apikey_a", workspaceId: "wrkspc_a" },
    { id: "apikey_b", workspaceId: "wrkspc_b" },
  ];
  const start = Date.parse("2026-12-01T00:00:00Z");
  const params = { events: 200, days: 2, models: 3, seed: 4 };
  const one = new EventGenerator("org_x", keys, start, params).next(200);
  const two = new EventGenerator("org_x", keys, start, params).next(200);
  expect(two).toEqual(one);
  const times = one.map((row) => row.occurred_at);
  expect(times).toEqual([...times].sort());
  expect(new Set(one.map((row) => row.model)).size).toBe(3);
});
