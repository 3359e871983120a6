/**
 * The usage events' id index on SQLite (migration 0009): ids found through their hashes in two
 * levels, the events they point at compared, both levels kept in step by triggers.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Kysely, sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { connect, type Database, migrate } from "../src/db/connect.js";
import type { UsageEventRow } from "../src/db/schema.js";
import { Store } from "../src/db/store.js";
import { usageEventRow } from "./usage-rows.js";

const ORG = "org_ids";

function event(id: string, occurredAt = "2026-01-15T12:00:00.000Z"): UsageEventRow {
  return usageEventRow({ organization_id: ORG, id, occurred_at: occurredAt });
}

describe("SQLite usage event id index", () => {
  let dir: string;
  let database: Database;
  let store: Store;
  // SQLite-only tables and columns, outside schema.ts.
  let db: Kysely<any>;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "steward-ids-"));
    database = connect(`sqlite:${join(dir, "steward.db")}`);
    await migrate(database);
    store = new Store(database);
    db = database.db;
  });
  afterEach(async () => {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function insert(rows: UsageEventRow[]): Promise<string[]> {
    const { inserted } = await store.transaction((repos) => repos.usage.insertNew(rows));
    return inserted.map((row) => row.id);
  }

  async function count(table: string): Promise<number> {
    const { rows } = await sql<{
      n: number;
    }>`select count(*) as n from ${sql.table(table)}`.execute(db);
    return Number(rows[0]?.n);
  }

  async function hashOf(id: string, organizationId = ORG): Promise<number> {
    const { rows } = await sql<{
      h: number;
    }>`select cast(steward_id_hash(${organizationId}, ${id}) as integer) as h`.execute(db);
    return Number(rows[0]?.h);
  }

  it("counts an id once, across batches, and tells organizations apart", async () => {
    expect(await insert([event("a"), event("b")])).toEqual(["a", "b"]);
    expect(await insert([event("b"), event("c")])).toEqual(["c"]);
    const other = usageEventRow({ organization_id: "org_other", id: "a" });
    expect(await insert([other])).toEqual(["a"]);
    expect(await count("usage_events")).toBe(4);
    expect(await count("usage_event_ids_recent")).toBe(4);
  });

  it("compares the ids behind a hash: an id whose hash is taken by another is still new", async () => {
    await insert([event("x")]);
    const x = await db
      .selectFrom("usage_events")
      .select("seq")
      .where("id", "=", "x")
      .executeTakeFirstOrThrow();
    // As if x's hash were also b's: an entry of b's hash that points at x.
    await db
      .insertInto("usage_event_ids")
      .values({ id_hash: await hashOf("b"), seq: x.seq })
      .execute();
    expect(await insert([event("b")])).toEqual(["b"]);
    expect(await insert([event("b"), event("x")])).toEqual([]);
  });

  it("folds the recent level into the other every 2^18 events, and still finds every id", async () => {
    // An event placed just below a multiple of 2^18, so that the next ones cross it.
    await db
      .insertInto("usage_events")
      .values({ ...event("placed"), seq: 262_140, id_hash: await hashOf("placed") })
      .execute();
    const ids = Array.from({ length: 10 }, (_, i) => `e${i}`);
    expect(await insert(ids.map((id) => event(id)))).toEqual(ids);
    // seq 262,144 (the fourth new event) folded everything up to it; six came after.
    expect(await count("usage_event_ids_recent")).toBe(6);
    expect(await count("usage_event_ids")).toBe(5);
    expect(await insert([...ids, "placed"].map((id) => event(id)))).toEqual([]);
    expect(await insert([event("new")])).toEqual(["new"]);
  });

  it("drops the entries of deleted events (retention), whose ids may then come again", async () => {
    await insert([event("old", "2025-01-01T00:00:00.000Z"), event("kept")]);
    await db
      .insertInto("usage_event_ids")
      .expression(db.selectFrom("usage_event_ids_recent").select(["id_hash", "seq"]))
      .execute();
    await db.deleteFrom("usage_event_ids_recent").where("seq", "=", 1).execute();
    // "old" is now in the folded level only, "kept" in both: deleting must clear either.
    expect(
      await store.transaction((repos) =>
        repos.usage.deleteOlderThan("2026-01-01T00:00:00.000Z", 100),
      ),
    ).toBe(1);
    const seqs = await db.selectFrom("usage_events").select("seq").execute();
    expect(seqs).toHaveLength(1);
    const left = await sql<{
      seq: number;
    }>`select seq from usage_event_ids union all select seq from usage_event_ids_recent`.execute(
      db,
    );
    expect(left.rows.every((row) => row.seq === seqs[0]?.seq)).toBe(true);
    expect(await insert([event("old", "2025-01-01T00:00:00.000Z"), event("kept")])).toEqual([
      "old",
    ]);
  });

  it("is built by the migration from the events already stored", async () => {
    const before = connect(`sqlite:${join(dir, "before.db")}`);
    try {
      await migrate(before, "0008-minute-usage-from-events");
      const rows = [
        event("m1"),
        event("m2"),
        usageEventRow({ organization_id: "org_two", id: "m1" }),
      ];
      await before.db.insertInto("usage_events").values(rows).execute();
      expect(await migrate(before)).toEqual(["0009-sqlite-event-id-index"]);
      const migrated = new Store(before);
      expect(await migrated.read.usage.list(ORG)).toEqual([event("m1"), event("m2")]);
      const { rows: entries } = await sql<{
        n: number;
      }>`select count(*) as n from usage_event_ids`.execute(before.db);
      expect(Number(entries[0]?.n)).toBe(3);
      const { inserted } = await migrated.transaction((repos) =>
        repos.usage.insertNew([
          event("m1"),
          event("m3"),
          usageEventRow({ organization_id: "org_two", id: "m1" }),
        ]),
      );
      expect(inserted.map((row) => row.id)).toEqual(["m3"]);
    } finally {
      await before.close();
    }
  });
});
