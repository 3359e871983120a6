import { type Kysely, sql } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { AuditChainVerifier } from "../src/core/audit-chain.js";
import type { RollupLevel } from "../src/core/usage/rollup.js";
import { prepareUsageEvents, storeUsageEvents } from "../src/core/usage/usage-events.js";
import { migrate } from "../src/db/connect.js";
import { Store } from "../src/db/store.js";
import {
  createEmptyTestDatabase,
  createTestDatabase,
  describeEachBackend,
  type TestDatabase,
} from "./harness.js";

describeEachBackend("migrations", (backend) => {
  let testDb: TestDatabase;
  beforeAll(async () => {
    testDb = await createTestDatabase(backend); // already migrated once
  });
  afterAll(async () => {
    await testDb?.drop();
  });

  it("should change nothing when run again", async () => {
    expect(await migrate(testDb.database)).toEqual([]);
    expect(await migrate(testDb.database)).toEqual([]);
  });

  it("should read a page of the audit log newest first from an index, sorting nothing (0025)", async () => {
    const db = testDb.database.db;
    // The audit list's query (paginate over audit_events by id, one organization, newest first).
    const page = sql`select * from audit_events where organization_id = ${"org_01PLAN"} order by id desc limit 21`;
    let plan: string;
    if (backend.name === "sqlite") {
      const { rows } = await sql<{ detail: string }>`explain query plan ${page}`.execute(db);
      plan = rows.map((r) => r.detail).join("\n");
    } else {
      // An empty table is cheapest to scan whole: ask for the plan the index makes possible.
      plan = await db.transaction().execute(async (trx) => {
        await sql`set local enable_seqscan = off`.execute(trx);
        const { rows } = await sql<{ "QUERY PLAN": string }>`explain ${page}`.execute(trx);
        return rows.map((r) => r["QUERY PLAN"]).join("\n");
      });
    }
    expect(plan).toContain("audit_events_org_id");
    expect(plan).not.toMatch(/TEMP B-TREE|Sort/);
  });

  it.runIf(backend.name === "postgres")(
    "should wait for another migration of the same database, whatever its schema",
    async () => {
      // Another Steward (any schema of this database) migrating: it holds the lock.
      const other = new pg.Client({ connectionString: backend.url });
      await other.connect();
      try {
        await other.query("select pg_advisory_lock(358435092321)");
        const fresh = await createEmptyTestDatabase(backend);
        let done = false;
        const migrating = migrate(fresh.database).finally(() => {
          done = true;
        });
        // The migration's own session queues behind the lock, not granted (without the lock,
        // the migration ends and the loop with it).
        for (let waiting = 0; waiting === 0 && !done; ) {
          const { rows } = await other.query<{ n: string }>(
            "select count(*) as n from pg_locks where locktype = 'advisory' and not granted",
          );
          waiting = Number(rows[0]?.n);
        }
        expect(done).toBe(false);
        await other.query("select pg_advisory_unlock(358435092321)");
        expect((await migrating).length).toBeGreaterThan(20);
        await fresh.drop();
      } finally {
        await other.end();
      }
    },
  );

  it.runIf(backend.name === "postgres")(
    "should compare ids in byte order whatever the database's locale",
    async () => {
      const { rows } = await sql<{
        table_name: string;
        column_name: string;
        collation_name: string | null;
      }>`
        select table_name, column_name, collation_name
        from information_schema.columns
        where table_schema = current_schema()
          and (column_name = 'id' or column_name like '%\\_id' escape '\\')
          and column_name <> 'request_id'
          and table_name not like 'kysely\\_%' escape '\\'
      `.execute(testDb.database.db);
      expect(rows.length).toBeGreaterThan(10);
      for (const row of rows) {
        expect(row.collation_name, `${row.table_name}.${row.column_name}`).toBe("C");
      }
    },
  );
});

const HOUR_MS = 3_600_000;

/** A usage event as 0002-usage-events stored it: no context window, no cost split. */
interface OldEvent {
  organization_id: string;
  id: string;
  workspace_id: string;
  api_key_id: string | null;
  model: string;
  occurred_at: string;
  input_tokens: number;
  output_tokens: number;
  cache_creation_5m_tokens: number;
  cache_creation_1h_tokens: number;
  cache_read_tokens: number;
  web_search_requests: number;
  cost_nanos: number;
  priced: number;
  service_tier: string | null;
  inference_geo: string | null;
  status: number;
  error_type: string | null;
  latency_ms: number;
  stream: number;
  source: string;
}

/** Old-shape events from a seeded generator: several organizations, keys, tiers, edges. */
function oldEvents(count: number): OldEvent[] {
  let state = 20_251_230;
  const next = (n: number) => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state % n;
  };
  const pick = <T>(values: readonly T[]): T => values[next(values.length)] as T;
  const start = Date.UTC(2025, 11, 31, 22);
  const events: OldEvent[] = [];
  for (let i = 0; i < count; i++) {
    const edge = next(4);
    const at =
      edge === 0
        ? start + next(4) * HOUR_MS - 1 // xx:59:59.999
        : edge === 1
          ? start + next(4) * HOUR_MS // xx:00:00.000
          : start + next(4 * HOUR_MS);
    const big = next(3) === 0;
    const workspace = pick(["wrkspc_a", "wrkspc_b"]);
    events.push({
      organization_id: pick(["org_one", "org_two"]),
      id: `req_${String(i).padStart(4, "0")}`,
      workspace_id: workspace,
      api_key_id: pick([null, `apikey_${workspace}_1`, `apikey_${workspace}_2`]),
      model: pick(["claude-haiku-4-5", "claude-opus-4-6", "acme-llm-1"]),
      occurred_at: new Date(at).toISOString(),
      // The long-context line is 200,000 input tokens of every kind together.
      input_tokens: big ? pick([200_000, 199_999, 150_000, 0]) : next(5000),
      output_tokens: next(3000),
      cache_creation_5m_tokens: big ? pick([0, 1, 25_000]) : next(100),
      cache_creation_1h_tokens: big ? pick([0, 1, 25_000]) : next(100),
      cache_read_tokens: big ? pick([0, 1, 50_000]) : next(1000),
      web_search_requests: next(3),
      cost_nanos: next(50_000_000),
      priced: 1,
      // null and the default name are the same dimension value.
      service_tier: pick([null, "standard", "batch", "priority"]),
      inference_geo: pick([null, "not_available", "us", "global"]),
      status: 200,
      error_type: null,
      latency_ms: next(2000),
      stream: next(2),
      source: pick(["gateway", "ingest"]),
    });
  }
  return events;
}

const ROLLUP_SUMS = [
  "requests",
  "input_tokens",
  "output_tokens",
  "cache_creation_5m_tokens",
  "cache_creation_1h_tokens",
  "cache_read_tokens",
  "web_search_requests",
  "cost_nanos",
  "cost_input_nanos",
  "cost_output_nanos",
  "cost_cache_write_5m_nanos",
  "cost_cache_write_1h_nanos",
  "cost_cache_read_nanos",
  "cost_web_search_nanos",
  "cost_fallback_nanos",
] as const;

const longContext = (e: OldEvent) =>
  e.input_tokens + e.cache_creation_5m_tokens + e.cache_creation_1h_tokens + e.cache_read_tokens >
  200_000;

/** A rollup table's rows, summed here from the old events. */
function expectedRollup(events: OldEvent[], grainMs: number, level: RollupLevel) {
  const rows = new Map<string, Record<string, string | number>>();
  for (const e of events) {
    const at = Date.parse(e.occurred_at);
    const dimensions = {
      organization_id: e.organization_id,
      bucket_start: new Date(Math.floor(at / grainMs) * grainMs).toISOString(),
      workspace_id: level === "organization" ? "" : e.workspace_id,
      api_key_id: level === "key" ? (e.api_key_id ?? "") : "",
      model: e.model,
      ...(level === "workspace_model"
        ? { service_tier: "", context_window: "", inference_geo: "" }
        : {
            service_tier: e.service_tier ?? "standard",
            context_window: longContext(e) ? "200k-1M" : "0-200k",
            inference_geo: e.inference_geo ?? "not_available",
          }),
    };
    const key = JSON.stringify(dimensions);
    const row = rows.get(key) ?? {
      ...dimensions,
      ...Object.fromEntries(ROLLUP_SUMS.map((c) => [c, 0])),
    };
    rows.set(key, row);
    const add = (column: string, value: number) => {
      row[column] = (row[column] as number) + value;
    };
    add("requests", 1);
    for (const column of [
      "input_tokens",
      "output_tokens",
      "cache_creation_5m_tokens",
      "cache_creation_1h_tokens",
      "cache_read_tokens",
      "web_search_requests",
      "cost_nanos",
    ] as const) {
      add(column, e[column]);
    }
  }
  return [...rows.values()].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
}

describeEachBackend("migration 0003-usage-rollups", (backend) => {
  let testDb: TestDatabase;
  beforeAll(async () => {
    testDb = await createEmptyTestDatabase(backend);
  });
  afterAll(async () => {
    await testDb?.drop();
  });

  it("rolls up the events recorded before it, exactly, and classes their context window", async () => {
    const { database } = testDb;
    expect(await migrate(database, "0002-usage-events")).toEqual([
      "0001-init",
      "0002-usage-events",
    ]);
    const events = oldEvents(600);
    // The table as 0002 left it, not as schema.ts has it.
    const db = database.db as Kysely<any>;
    for (let i = 0; i < events.length; i += 100) {
      await db
        .insertInto("usage_events")
        .values(events.slice(i, i + 100))
        .execute();
    }
    expect(events.filter(longContext).length).toBeGreaterThan(20);

    // Later migrations may follow it.
    expect((await migrate(database))[0]).toBe("0003-usage-rollups");

    const stored = await db.selectFrom("usage_events").selectAll().orderBy("id").execute();
    expect(stored).toHaveLength(events.length);
    for (const [i, row] of stored.entries()) {
      const e = events[i] as OldEvent;
      expect(row.id).toBe(e.id);
      expect(row.context_window, e.id).toBe(longContext(e) ? "200k-1M" : "0-200k");
      expect([
        row.cost_input_nanos,
        row.cost_output_nanos,
        row.cost_cache_write_5m_nanos,
        row.cost_cache_write_1h_nanos,
        row.cost_cache_read_nanos,
        row.cost_web_search_nanos,
      ]).toEqual([0, 0, 0, 0, 0, 0]);
      expect(row.cost_nanos).toBe(e.cost_nanos);
    }

    const tables = [
      ["usage_key_hour", HOUR_MS, "key"],
      ["usage_key_day", 24 * HOUR_MS, "key"],
      ["usage_workspace_hour", HOUR_MS, "workspace"],
      ["usage_workspace_day", 24 * HOUR_MS, "workspace"],
      ["usage_org_hour", HOUR_MS, "organization"],
      ["usage_org_day", 24 * HOUR_MS, "organization"],
      ["usage_workspace_model_day", 24 * HOUR_MS, "workspace_model"],
    ] as const;
    for (const [table, grainMs, level] of tables) {
      const rows = (await db.selectFrom(table).selectAll().execute()).map(
        (row: Record<string, unknown>) =>
          Object.fromEntries(
            Object.entries(row).map(([k, v]) => [k, typeof v === "bigint" ? Number(v) : v]),
          ),
      );
      rows.sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
      expect(rows, table).toEqual(expectedRollup(events, grainMs, level));
    }

    // Events written after the migration add to the backfilled rows, and a repeated id is skipped.
    const first = events[0] as OldEvent;
    const later = {
      ...first,
      id: "req_after_migration",
      context_window: longContext(first) ? "200k-1M" : "0-200k",
      price_source: "table",
      cost_fallback_nanos: 0,
      cost_input_nanos: 1,
      cost_output_nanos: 2,
      cost_cache_write_5m_nanos: 3,
      cost_cache_write_1h_nanos: 4,
      cost_cache_read_nanos: 5,
      cost_web_search_nanos: 6,
      cost_nanos: 21,
    };
    const store = new Store(database);
    const inserted = await store.transaction((repos) =>
      storeUsageEvents(repos, prepareUsageEvents([later, { ...first, ...later, id: first.id }])),
    );
    expect(inserted.map((e) => e.id)).toEqual(["req_after_migration"]);
    const all = [...events, later];
    for (const [table, grainMs, level] of tables) {
      const rows = await db.selectFrom(table).selectAll().execute();
      rows.sort((a: object, b: object) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
      const expected = expectedRollup(all, grainMs, level);
      const bucket = new Date(
        Math.floor(Date.parse(first.occurred_at) / grainMs) * grainMs,
      ).toISOString();
      for (const row of expected) {
        if (
          row.bucket_start === bucket &&
          row.organization_id === first.organization_id &&
          row.workspace_id === (level === "organization" ? "" : first.workspace_id) &&
          row.api_key_id === (level === "key" ? (first.api_key_id ?? "") : "") &&
          row.model === first.model &&
          (level === "workspace_model" ||
            (row.context_window === later.context_window &&
              row.service_tier === (first.service_tier ?? "standard") &&
              row.inference_geo === (first.inference_geo ?? "not_available")))
        ) {
          Object.assign(row, {
            cost_input_nanos: 1,
            cost_output_nanos: 2,
            cost_cache_write_5m_nanos: 3,
            cost_cache_write_1h_nanos: 4,
            cost_cache_read_nanos: 5,
            cost_web_search_nanos: 6,
          });
        }
      }
      expect(rows, table).toEqual(expected);
    }
  });
});

describeEachBackend("migration 0004-audit-chain", (backend) => {
  let testDb: TestDatabase;
  beforeAll(async () => {
    testDb = await createEmptyTestDatabase(backend);
  });
  afterAll(async () => {
    await testDb?.drop();
  });

  it("chains the records written before it so that today's rule verifies them", async () => {
    const { database } = testDb;
    await migrate(database, "0003-usage-rollups");
    const db = database.db as Kysely<any>;
    const organizations = ["org_a", "org_b"];
    for (let i = 0; i < 7; i += 1) {
      await db
        .insertInto("audit_events")
        .values({
          id: `audit_${String(i).padStart(3, "0")}`,
          organization_id: organizations[i % 2],
          occurred_at: new Date(Date.UTC(2025, 0, 1, 0, i)).toISOString(),
          actor_type: i === 0 ? "operator" : "admin_key",
          actor_id: i === 0 ? null : "adminkey_1",
          action: "workspace.updated",
          target_type: "workspace",
          target_id: i === 3 ? null : `wrkspc_${i}`,
          outcome: "success",
          request_id: i === 5 ? null : `req_${i}`,
          client_ip: "192.0.2.1",
          user_agent: i === 4 ? null : 'agent "quoted" / ünïcode',
          changes: JSON.stringify({ before: { name: "a" }, after: { name: `b${i}` } }),
        })
        .execute();
    }
    await migrate(database);

    const store = new Store(database);
    for (const organizationId of organizations) {
      const verifier = new AuditChainVerifier();
      for await (const record of store.read.audit.chain(organizationId)) {
        verifier.add(record);
      }
      expect(verifier.verdict(), organizationId).toMatchObject({
        ok: true,
        records: organizationId === "org_a" ? 4 : 3,
      });
    }
  });
});

describeEachBackend("migration 0026-workspace-rate-limits", (backend) => {
  let testDb: TestDatabase;
  beforeAll(async () => {
    testDb = await createEmptyTestDatabase(backend);
  });
  afterAll(async () => {
    await testDb?.drop();
  });

  it("moves each workspace's requests_per_minute into every group, and the view reads it back", async () => {
    const { database } = testDb;
    await migrate(database, "0024-service-accounts");
    const db = database.db as Kysely<any>;
    const at = "2026-01-01T00:00:00.000Z";
    await db
      .insertInto("organizations")
      .values({ id: "org_a", name: "A", plan: "team", created_at: at, updated_at: at })
      .execute();
    const workspace = (id: string, requestsPerMinute: number | null) => ({
      id,
      organization_id: "org_a",
      name: id,
      is_default: 0,
      created_at: at,
      updated_at: at,
      display_color: "#6C5BB9",
      workspace_geo: "us",
      allowed_inference_geos: '"unrestricted"',
      default_inference_geo: "global",
      requests_per_minute: requestsPerMinute,
    });
    await db
      .insertInto("workspaces")
      .values([workspace("wrkspc_limited", 42), workspace("wrkspc_free", null)])
      .execute();
    await migrate(database);

    const rows = await db.selectFrom("workspace_rate_limits").selectAll().execute();
    expect(rows.length).toBe(13);
    expect(
      rows.every(
        (r) =>
          r.workspace_id === "wrkspc_limited" &&
          r.limit_type === "requests_per_minute" &&
          Number(r.value) === 42,
      ),
    ).toBe(true);
    const store = new Store(database);
    expect((await store.read.workspaces.findById("wrkspc_limited"))?.requests_per_minute).toBe(42);
    expect((await store.read.workspaces.findById("wrkspc_free"))?.requests_per_minute).toBeNull();
    // The column is gone: the view is the only place the value lives.
    const columns = await sql<{ name: string }>`select * from workspaces limit 1`.execute(db);
    expect(Object.keys(columns.rows[0] ?? {})).not.toContain("requests_per_minute");
  });
});
