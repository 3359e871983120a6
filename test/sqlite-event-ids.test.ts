/**
 * The usage events' id index on SQLite (migrations 0009 and 0010): ids found through their hashes,
 * the newest in the writer's memory and the others in a table, the events they point at compared.
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

  const others: Database[] = [];

  /** The database, (re)opened: as after a restart, with this many ids kept in memory. */
  async function reopen(foldAt?: number): Promise<void> {
    await database?.close();
    database = connect(
      `sqlite:${join(dir, "steward.db")}`,
      foldAt === undefined ? {} : { sqliteRecentIdsFoldAt: foldAt },
    );
    await migrate(database);
    store = new Store(database);
    db = database.db;
  }

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "steward-ids-"));
    await reopen();
  });
  afterEach(async () => {
    for (const other of others.splice(0)) {
      await other.close();
    }
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function insert(rows: UsageEventRow[], into: Store = store): Promise<string[]> {
    const { inserted } = await into.transaction((repos) => repos.usage.insertNew(rows));
    return inserted.map((row) => row.id);
  }

  async function folded(): Promise<number> {
    const row = await db.selectFrom("usage_event_ids_folded").select("seq").executeTakeFirst();
    return Number(row?.seq);
  }

  async function seqOf(id: string): Promise<number> {
    const row = await db
      .selectFrom("usage_events")
      .select("seq")
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    return Number(row.seq);
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
    // The newest ids are in memory: the index table has none of them yet.
    expect(await count("usage_event_ids")).toBe(0);
  });

  it("compares the ids behind a hash: an id whose hash is taken by another is still new", async () => {
    await insert([event("x")]);
    // As if x's hash were also b's: an entry of b's hash that points at x.
    await db
      .insertInto("usage_event_ids")
      .values({ id_hash: await hashOf("b"), seq: await seqOf("x") })
      .execute();
    expect(await insert([event("b")])).toEqual(["b"]);
    expect(await insert([event("b"), event("x")])).toEqual([]);
  });

  it("finds the newest ids again after a restart", async () => {
    expect(await insert([event("a"), event("b")])).toEqual(["a", "b"]);
    await reopen();
    expect(await insert([event("a"), event("b"), event("c")])).toEqual(["c"]);
    await reopen();
    expect(await insert([event("c")])).toEqual([]);
  });

  it("folds the newest ids into the index when enough are held, and still finds every id", async () => {
    await reopen(4);
    const ids = Array.from({ length: 10 }, (_, i) => `e${i}`);
    for (const id of ids) {
      expect(await insert([event(id)])).toEqual([id]);
    }
    // A fold runs as a transaction begins with 4 ids held: before the 5th event and the 9th.
    expect(await count("usage_event_ids")).toBe(8);
    expect(await folded()).toBe(8);
    expect(await insert(ids.map((id) => event(id)))).toEqual([]);
    await reopen(4);
    expect(await insert(ids.map((id) => event(id)))).toEqual([]);
    expect(await insert([event("new")])).toEqual(["new"]);
  });

  it("stores an id whose insert was rolled back when it comes again", async () => {
    await expect(
      store.transaction(async (repos) => {
        await repos.usage.insertNew([event("r")]);
        throw new Error("the batch failed after its insert");
      }),
    ).rejects.toThrow("the batch failed");
    expect(await count("usage_events")).toBe(0);
    expect(await insert([event("r")])).toEqual(["r"]);
    expect(await insert([event("r")])).toEqual([]);
  });

  it("keeps an event whose hash another entry holds in the index table", async () => {
    await insert([event("x")]);
    // Stored with x's hash (a collision), under another id.
    await db
      .insertInto("usage_events")
      .values({ ...event("y"), id_hash: await hashOf("x") })
      .execute();
    const entries = await db.selectFrom("usage_event_ids").select(["id_hash", "seq"]).execute();
    expect(entries).toEqual([{ id_hash: await hashOf("x"), seq: await seqOf("y") }]);
    expect(await insert([event("x")])).toEqual([]);
  });

  it("catches up with events another connection stored (the operator CLI)", async () => {
    const other = connect(`sqlite:${join(dir, "steward.db")}`);
    others.push(other);
    // This writer has seen the database before the other one writes.
    expect(await insert([event("mine")])).toEqual(["mine"]);
    expect(await insert([event("theirs")], new Store(other))).toEqual(["theirs"]);
    expect(await insert([event("theirs"), event("mine")])).toEqual([]);
    expect(await insert([event("mine")], new Store(other))).toEqual([]);
  });

  it("keeps in the index table an event of another connection whose hash an entry here holds", async () => {
    const other = connect(`sqlite:${join(dir, "steward.db")}`);
    others.push(other);
    await insert([event("x")]);
    // Stored by the other connection with x's hash (a collision), under another id.
    await other.db
      .insertInto("usage_events")
      .values({ ...event("y"), id_hash: await hashOf("x") } as never)
      .execute();
    // This writer catches up as its next transaction begins, and cannot hold both in memory.
    expect(await insert([event("z")])).toEqual(["z"]);
    const entries = await db.selectFrom("usage_event_ids").select(["id_hash", "seq"]).execute();
    expect(entries).toEqual([{ id_hash: await hashOf("x"), seq: await seqOf("y") }]);
    expect(await insert([event("x")])).toEqual([]);
  });

  it("drops the entries of deleted events (retention), whose ids may then come again", async () => {
    await reopen(2);
    await insert([event("old", "2025-01-01T00:00:00.000Z"), event("kept")]);
    // Folded by the next transaction's start: both are in the index table.
    await insert([event("recent")]);
    expect(await count("usage_event_ids")).toBe(2);
    expect(
      await store.transaction((repos) =>
        repos.usage.deleteOlderThan("2026-01-01T00:00:00.000Z", 100),
      ),
    ).toBe(1);
    expect(await count("usage_event_ids")).toBe(1);
    expect(
      await insert([event("old", "2025-01-01T00:00:00.000Z"), event("kept"), event("recent")]),
    ).toEqual(["old"]);
  });

  it("moves the fold back when the newest events are deleted, so that events reusing their seqs are found", async () => {
    await reopen(2);
    await insert([event("a"), event("b", "2025-01-01T00:00:00.000Z")]);
    await insert([event("c", "2025-01-01T00:00:00.000Z")]); // folds a and b first
    expect(await folded()).toBe(2);
    // b and c, the newest, go: the fold's mark moves back to a.
    await store.transaction((repos) =>
      repos.usage.deleteOlderThan("2026-01-01T00:00:00.000Z", 100),
    );
    expect(await folded()).toBe(1);
    expect(await insert([event("d")])).toEqual(["d"]);
    expect(await seqOf("d")).toBe(2); // b's seq, which is past the mark
    await reopen(2);
    expect(await insert([event("d"), event("a")])).toEqual([]);
  });

  it("is built by the migrations from the events already stored", async () => {
    const before = connect(`sqlite:${join(dir, "before.db")}`);
    try {
      await migrate(before, "0008-minute-usage-from-events");
      const rows = [
        event("m1"),
        event("m2"),
        usageEventRow({ organization_id: "org_two", id: "m1" }),
      ];
      await before.db.insertInto("usage_events").values(rows).execute();
      expect(await migrate(before, "0009-sqlite-event-id-index")).toEqual([
        "0009-sqlite-event-id-index",
      ]);
      // Stored under 0009: its entry goes to the recent table, which 0010 folds.
      await before.db
        .insertInto("usage_events")
        .values({
          ...event("m4"),
          id_hash: sql`cast(steward_id_hash(${ORG}, 'm4') as integer)`,
        } as never)
        .execute();
      expect(await migrate(before)).toEqual(["0010-sqlite-recent-event-ids-in-memory"]);
      const migrated = new Store(before);
      expect((await migrated.read.usage.list(ORG)).map((row) => row.id)).toEqual([
        "m1",
        "m2",
        "m4",
      ]);
      const { rows: entries } = await sql<{
        n: number;
      }>`select count(*) as n from usage_event_ids`.execute(before.db);
      expect(Number(entries[0]?.n)).toBe(4);
      const { inserted } = await migrated.transaction((repos) =>
        repos.usage.insertNew([
          event("m1"),
          event("m3"),
          event("m4"),
          usageEventRow({ organization_id: "org_two", id: "m1" }),
        ]),
      );
      expect(inserted.map((row) => row.id)).toEqual(["m3"]);
    } finally {
      await before.close();
    }
  });
});
