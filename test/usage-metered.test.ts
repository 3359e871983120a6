import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MessagesUsageResult } from "../src/contract/usage.js";
import { ManualClock } from "../src/core/ports.js";
import { centsOf } from "../src/core/usage/buckets.js";
import {
  COST_COLUMNS,
  METERED_COLUMNS,
  type MeteredColumn,
  SUM_COLUMNS,
  TOKEN_COLUMNS,
  TOKEN_KINDS,
} from "../src/core/usage/metered.js";
import { ROLLUPS, rollUp } from "../src/core/usage/rollup.js";
import { prepareUsageEvents, storeUsageEvents } from "../src/core/usage/usage-events.js";
import { Store } from "../src/db/store.js";
import { EVENT_COLUMNS } from "../src/db/usage/usage-columns.js";
import {
  type ApiResponse,
  createTestDatabase,
  createTestServer,
  describeEachBackend,
  type TestServer,
} from "./harness.js";
import { usageEventRow } from "./usage-rows.js";

/**
 * The metered columns are defined once (src/core/usage/metered.ts): these tests hold every place
 * that derives from the definition to it, so that a new token kind cannot reach one and miss
 * another.
 */

/** A distinct value per metered column, so that a column read or summed from another shows. */
function distinctValues(): Record<MeteredColumn, number> {
  return Object.fromEntries(
    METERED_COLUMNS.map((column, i) => [column, 1000 * (i + 1) + 7]),
  ) as Record<MeteredColumn, number>;
}

/** A leaf of a JSON value at a dotted path. */
function at(value: unknown, path: string): unknown {
  return path.split(".").reduce((v, name) => (v as Record<string, unknown>)[name], value);
}

/** The dotted paths of an object schema's leaves. */
function leavesOf(schema: { shape: Record<string, unknown> }, prefix = ""): string[] {
  return Object.entries(schema.shape).flatMap(([name, field]) =>
    field !== null && typeof field === "object" && "shape" in field
      ? leavesOf(field as { shape: Record<string, unknown> }, `${prefix}${name}.`)
      : [`${prefix}${name}`],
  );
}

describe("the metered columns' definition", () => {
  it("lists each column once: tokens, then the total cost, a part per kind, and the fallback", () => {
    expect(new Set(SUM_COLUMNS).size).toBe(SUM_COLUMNS.length);
    expect(METERED_COLUMNS).toEqual([...TOKEN_COLUMNS, ...COST_COLUMNS]);
    expect(COST_COLUMNS).toEqual([
      "cost_nanos",
      ...TOKEN_KINDS.map((kind) => kind.costColumn),
      "cost_fallback_nanos",
    ]);
    expect(SUM_COLUMNS).toEqual(["requests", ...METERED_COLUMNS]);
  });

  it("gives every token kind a field of the contract's messages result, and no field is unknown", () => {
    const leaves = leavesOf(MessagesUsageResult);
    for (const kind of TOKEN_KINDS) {
      expect(leaves).toContain(kind.report);
    }
    const dimensions = leaves.filter((leaf) => !TOKEN_KINDS.some((kind) => kind.report === leaf));
    expect(dimensions.sort()).toEqual(
      [
        "api_key_id",
        "workspace_id",
        "model",
        "service_tier",
        "context_window",
        "inference_geo",
      ].sort(),
    );
  });

  it("has rollUp sum every metered column into every rollup", () => {
    const values = distinctValues();
    const events = [1, 2].map((n) => usageEventRow({ id: `evt_${n}`, ...values }));
    for (const [, rows] of rollUp(events)) {
      expect(rows).toHaveLength(1);
      for (const column of METERED_COLUMNS) {
        expect(rows[0]?.[column], column).toBe(2 * values[column]);
      }
      expect(rows[0]?.requests).toBe(2);
    }
  });
});

describeEachBackend("the metered columns in storage", (backend) => {
  it("exist in usage_events and every rollup table once migrated, and the events' columns are all there", async () => {
    const test = await createTestDatabase(backend);
    try {
      const tables = await test.database.db.introspection.getTables();
      const columnsOf = (name: string) =>
        tables.find((table) => table.name === name)?.columns.map((column) => column.name) ?? [];
      expect(columnsOf("usage_events")).toEqual(expect.arrayContaining([...EVENT_COLUMNS]));
      expect(columnsOf("usage_events")).toEqual(expect.arrayContaining([...METERED_COLUMNS]));
      for (const { table } of ROLLUPS) {
        expect(columnsOf(table), table).toEqual(expect.arrayContaining([...SUM_COLUMNS]));
      }
    } finally {
      await test.drop();
    }
  });

  it("stores, lists and sums every metered column as it was given", async () => {
    const test = await createTestDatabase(backend);
    try {
      const store = new Store(test.database);
      const values = distinctValues();
      const event = usageEventRow({ id: "evt_metered", ...values });
      const inserted = await store.transaction((repos) =>
        storeUsageEvents(repos, prepareUsageEvents([event])),
      );
      expect(inserted).toHaveLength(1);
      const [listed] = await store.read.usage.list(event.organization_id);
      for (const column of METERED_COLUMNS) {
        expect(Number(listed?.[column]), column).toBe(values[column]);
      }
      for (const { table } of ROLLUPS) {
        const [group] = await store.read.usageRollups.sum({
          table,
          organizationId: event.organization_id,
          from: "2026-01-15T00:00:00.000Z",
          to: "2026-01-16T00:00:00.000Z",
          bucket: "start",
          groupBy: [],
          filters: {},
          sums: SUM_COLUMNS,
        });
        for (const column of METERED_COLUMNS) {
          expect(group?.sums[column], `${table}.${column}`).toBe(values[column]);
        }
      }
    } finally {
      await test.drop();
    }
  });
});

describeEachBackend("the metered columns in reports", (backend) => {
  let server: TestServer;
  const values = distinctValues();
  const MESSAGES = "/v1/organizations/usage_report/messages";
  const query = { starting_at: "2026-01-15T00:00:00Z", ending_at: "2026-01-16T00:00:00Z" };

  beforeAll(async () => {
    server = await createTestServer(backend, { clock: new ManualClock("2026-01-20T00:00:00Z") });
    const event = usageEventRow({
      id: "evt_report",
      organization_id: server.org.id,
      workspace_id: server.org.defaultWorkspaceId,
      ...values,
    });
    await server.services.deps.store.transaction((repos) =>
      storeUsageEvents(repos, prepareUsageEvents([event])),
    );
  });
  afterAll(async () => {
    await server?.close();
  });

  function ok(response: ApiResponse): any {
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body;
  }

  it("answers each token kind's sum at its field of the messages report, in JSON and in CSV", async () => {
    const [result] = ok(await server.get(MESSAGES, { query })).data[0].results;
    for (const kind of TOKEN_KINDS) {
      expect(at(result, kind.report), kind.report).toBe(values[kind.column]);
    }
    const csv = ok(await server.get(MESSAGES, { query, headers: { accept: "text/csv" } }));
    const [header, row] = (csv as string).trim().split("\r\n");
    const names = header?.split(",") ?? [];
    const cells = row?.split(",") ?? [];
    expect(names.slice(-TOKEN_KINDS.length)).toEqual(TOKEN_KINDS.map((kind) => kind.csv));
    for (const kind of TOKEN_KINDS) {
      expect(cells[names.indexOf(kind.csv)], kind.csv).toBe(String(values[kind.column]));
    }
  });

  it("answers a cost line per token kind that has one, at its cost column's amount", async () => {
    const body = ok(
      await server.get("/v1/organizations/cost_report", {
        query: { ...query, group_by: ["description"] },
      }),
    );
    const lines: Array<{ token_type: string | null; amount: string; description: string }> =
      body.data[0].results;
    for (const kind of TOKEN_KINDS) {
      const line = lines.find((l) => l.token_type === kind.report);
      if (kind.costLine === null) {
        expect(line).toBeUndefined();
      } else {
        expect(line?.description.endsWith(`Usage - ${kind.costLine}`), kind.costLine).toBe(true);
        expect(line?.amount, kind.costLine).toBe(centsOf(values[kind.costColumn]));
      }
    }
  });
});
