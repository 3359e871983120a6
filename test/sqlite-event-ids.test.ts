/**
 * The usage events' id index on SQLite (migrations 0009 to 0012, 0017): clients' ids found through
 * their hashes, the newest in the writer's memory and the others in runs with filters, the events
 * they point at compared; Steward's own ids kept unique by a plain index.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import { type Kysely, sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TimeSortableIds } from "../src/core/ids.js";
import { UsageRetention } from "../src/core/usage/usage-retention.js";
import type { UsageEventRow } from "../src/core/usage/usage-store.js";
import { connect, type Database, migrate } from "../src/db/connect.js";
import type { EventIdIndexOptions } from "../src/db/sqlite/event-id-index.js";
import { idHash, madeBySteward, STEWARD_ID_PREFIX } from "../src/db/sqlite/event-id-index.js";
import { Store } from "../src/db/store.js";
import { usageEventRow } from "./usage-rows.js";

const ORG = "org_ids";

/** An INSERT of the row as an operator would type it: the columns and their values. */
function insertStatement(row: UsageEventRow): string {
  const literal = (value: unknown) =>
    value === null ? "null" : typeof value === "number" ? String(value) : `'${value}'`;
  return `insert into usage_events (${Object.keys(row).join(", ")})
    values (${Object.values(row).map(literal).join(", ")});`;
}

/** Whether the standard `sqlite3` shell is installed (Debian: `apt-get install sqlite3`). */
const SQLITE3_SHELL = (() => {
  try {
    execFileSync("sqlite3", ["-version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

function event(id: string, occurredAt = "2026-01-15T12:00:00.000Z"): UsageEventRow {
  return usageEventRow({ organization_id: ORG, id, occurred_at: occurredAt });
}

/** A row as the schema before 0013 (price sources and fallback costs) stores it. */
function beforeDeadLetters(row: UsageEventRow): UsageEventRow {
  const { cost_fallback_nanos: _fallback, price_source: _source, ...older } = row;
  return older as UsageEventRow;
}

describe("SQLite usage event id index", () => {
  let dir: string;
  let database: Database;
  let store: Store;
  // SQLite-only tables and columns, outside schema.ts.
  let db: Kysely<any>;

  const others: Database[] = [];

  /**
   * The database, (re)opened: as after a restart, with this many ids kept in memory (or these
   * sizes of the index).
   */
  async function reopen(sizes?: number | EventIdIndexOptions): Promise<void> {
    await database?.close();
    database = connect(`sqlite:${join(dir, "steward.db")}`, {
      sqliteEventIdIndex: typeof sizes === "number" ? { recentIdsFoldAt: sizes } : (sizes ?? {}),
    });
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

  /**
   * Each id is refused when it comes again, before and after a restart (with this many ids kept in
   * memory), and a new one is stored.
   */
  async function expectFoundAgain(ids: string[], foldAt: number): Promise<void> {
    expect(await insert(ids.map((id) => event(id)))).toEqual([]);
    await reopen(foldAt);
    expect(await insert(ids.map((id) => event(id)))).toEqual([]);
    expect(await insert([event("new")])).toEqual(["new"]);
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

  /** The runs the index lists, past run 0. */
  async function listed(): Promise<number[]> {
    const { rows } = await sql<{
      run: number;
    }>`select run from usage_event_id_runs where run > 0`.execute(db);
    return rows.map((row) => row.run);
  }

  function hashOf(id: string, organizationId = ORG): number {
    return idHash(organizationId, id);
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
    // As if x's hash were also b's: an entry of b's hash that points at x, in run 0, whose hashes
    // the writer loads as it opens.
    await db
      .insertInto("usage_event_ids")
      .values({ run: 0, id_hash: hashOf("b"), seq: await seqOf("x") })
      .execute();
    await reopen();
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
    await expectFoundAgain(ids, 4);
  });

  it("adds up to 8 folds to a run, then starts another, and still finds every id", async () => {
    await reopen(2);
    const ids = Array.from({ length: 20 }, (_, i) => `m${i}`);
    for (let i = 0; i < ids.length; i += 2) {
      expect(await insert([event(`m${i}`), event(`m${i + 1}`)])).toEqual([`m${i}`, `m${i + 1}`]);
    }
    // Folds ran before the 2nd to the 10th batch: 8 into run 1, the 9th into run 2.
    const { rows } = await sql<{ run: number; folds: number; entries: number }>`
      select run, folds, entries from usage_event_id_runs where run > 0`.execute(db);
    expect(rows).toEqual([
      { run: 1, folds: 8, entries: 16 },
      { run: 2, folds: 1, entries: 2 },
    ]);
    expect(await count("usage_event_ids")).toBe(18);
    await expectFoundAgain(ids, 2);
  });

  it("finds every id of runs whose filters span many blocks", async () => {
    await reopen(1000);
    const ids = Array.from({ length: 2400 }, (_, i) => `b${i}`);
    for (let i = 0; i < ids.length; i += 400) {
      const batch = ids.slice(i, i + 400);
      expect(await insert(batch.map((id) => event(id)))).toEqual(batch);
    }
    expect(await insert([...ids, "b-new"].map((id) => event(id)))).toEqual(["b-new"]);
    // Folded as the 4th and the last transactions began: two runs of 1,200, each with a filter of
    // 32 blocks of 512 bits.
    expect(await count("usage_event_ids")).toBe(2400);
  });

  it("loads the filters again when another process folded into a run this writer fills", async () => {
    await reopen(2);
    await insert([event("e0"), event("e1")]);
    await insert([event("e2")]); // folds e0 and e1 into run 1 first
    const other = connect(`sqlite:${join(dir, "steward.db")}`, {
      sqliteEventIdIndex: { recentIdsFoldAt: 2 },
    });
    others.push(other);
    // The other writer holds e2 and o1, and folds them into run 1 as its next transaction begins.
    await insert([event("o1")], new Store(other));
    await insert([event("o2")], new Store(other));
    // This writer folds e2, o1 and o2 into run 1 as its next transaction begins, starting from the
    // filter the other one stored; then it forgets them.
    await insert([event("e3"), event("e4")]);
    const { rows } = await sql<{ run: number; folds: number }>`
      select run, folds from usage_event_id_runs where run > 0`.execute(db);
    expect(rows).toEqual([{ run: 1, folds: 3 }]);
    const ids = ["e0", "e1", "e2", "e3", "e4", "o1", "o2", "new"];
    expect(await insert(ids.map((id) => event(id)))).toEqual(["new"]);
    expect(
      await insert(
        ids.map((id) => event(id)),
        new Store(other),
      ),
    ).toEqual([]);
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

  it("keeps in run 0 an event whose hash the writer holds for another seq (an insert rolled back)", async () => {
    await expect(
      store.transaction(async (repos) => {
        await repos.usage.insertNew([event("r")]);
        throw new Error("the batch failed after its insert");
      }),
    ).rejects.toThrow("the batch failed");
    // s takes the seq r had; r comes after it, while the writer still holds r's hash for that seq.
    expect(await insert([event("s")])).toEqual(["s"]);
    expect(await insert([event("r")])).toEqual(["r"]);
    const entries = await db.selectFrom("usage_event_ids").selectAll().execute();
    expect(entries).toEqual([{ run: 0, id_hash: hashOf("r"), seq: await seqOf("r") }]);
    expect(await insert([event("r"), event("s")])).toEqual([]);
    await reopen(1);
    expect(await insert([event("r"), event("s")])).toEqual([]);
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

  it("stores again the ids of events retention deleted, whose entries only point at nothing", async () => {
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
    // The entry stays, until its run goes: it points at no event.
    expect(await count("usage_event_ids")).toBe(2);
    expect(
      await insert([event("old", "2025-01-01T00:00:00.000Z"), event("kept"), event("recent")]),
    ).toEqual(["old"]);
  });

  it("stores again the folded ids of events retention deleted right after a restart", async () => {
    await reopen(2);
    await insert([event("old", "2025-01-01T00:00:00.000Z"), event("kept")]);
    await insert([event("recent")]); // folds old and kept into run 1 first
    await reopen(2);
    // Retention's first delete is this writer's first statement: its filters are loaded for it.
    const retention = new UsageRetention(
      store,
      { now: () => new Date("2026-02-01T00:00:00Z") },
      {
        rawDays: 365,
      },
    );
    expect(await retention.prune()).toEqual({ events: 1 });
    expect(
      await insert([event("old", "2025-01-01T00:00:00.000Z"), event("kept"), event("recent")]),
    ).toEqual(["old"]);
  });

  it("drops a run whose events retention deleted, and forgets its filter, but never the newest run", async () => {
    await reopen(2);
    const OLD = "2025-01-01T00:00:00.000Z";
    // 8 folds of old events fill run 1; the next fold starts run 2, the newest, also old.
    const old = Array.from({ length: 18 }, (_, i) => `o${i}`);
    for (let i = 0; i < old.length; i += 2) {
      await insert([event(old[i] as string, OLD), event(old[i + 1] as string, OLD)]);
    }
    // Folds o16 and o17 into run 2 first; one id is not enough for the next fold.
    const kept = ["k0"];
    await insert(kept.map((id) => event(id)));
    expect(await listed()).toEqual([1, 2]);
    // Every old event goes: run 1 with them, but run 2, the newest, stays (folds fill it), empty.
    expect(
      await store.transaction((repos) =>
        repos.usage.deleteOlderThan("2026-01-01T00:00:00.000Z", 100),
      ),
    ).toBe(18);
    expect(await listed()).toEqual([2]);
    // Run 1's entries went with it; run 2's stay, pointing at nothing, until it is dropped.
    expect(await count("usage_event_ids")).toBe(2);
    expect(await insert([event("o0", OLD)])).toEqual(["o0"]);
    await expectFoundAgain(kept, 2);
    expect(await listed()).toEqual([2]);
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

  it("drops the run retention emptied while it was the newest once a fold starts the next", async () => {
    await reopen(2);
    const OLD = "2025-01-01T00:00:00.000Z";
    // 8 folds fill run 1: the 8th as k0's transaction begins. (k0 stays, so that the events after
    // it do not take the deleted events' seqs.)
    for (let i = 0; i < 16; i += 2) {
      await insert([event(`o${i}`, OLD), event(`o${i + 1}`, OLD)]);
    }
    await insert([event("k0")]);
    await store.transaction((repos) =>
      repos.usage.deleteOlderThan("2026-01-01T00:00:00.000Z", 100),
    );
    expect(await listed()).toEqual([1]); // empty, but the newest
    await insert([event("n0")]);
    await insert([event("n1")]); // folds k0 and n0 into run 2, the next
    expect(await listed()).toEqual([2]);
    await expectFoundAgain(["k0", "n0", "n1"], 2);
  });

  it("drops, when upgraded, the runs that retention had already emptied, but not the newest", async () => {
    const before = connect(`sqlite:${join(dir, "before.db")}`);
    try {
      await migrate(before, "0011-sqlite-event-id-runs");
      // Runs 1 and 3 empty, 2 not; 3 is the newest.
      await sql`insert into usage_event_id_runs (run, folds, entries, capacity)
        values (1, 8, 16, 16), (2, 8, 16, 16), (3, 1, 2, 16)`.execute(before.db);
      await sql`insert into usage_event_ids (run, id_hash, seq) values (2, 7, 1)`.execute(
        before.db,
      );
      expect(await migrate(before, "0012-sqlite-drop-emptied-id-runs")).toEqual([
        "0012-sqlite-drop-emptied-id-runs",
      ]);
      const { rows } = await sql<{ run: number }>`
        select run from usage_event_id_runs order by run`.execute(before.db);
      expect(rows.map((row) => row.run)).toEqual([0, 2, 3]);
    } finally {
      await before.close();
    }
  });

  it("is built by the migrations from the events already stored", async () => {
    const before = connect(`sqlite:${join(dir, "before.db")}`);
    try {
      await migrate(before, "0008-minute-usage-from-events");
      const rows = [
        event("m1"),
        event("m2"),
        usageEventRow({ organization_id: "org_two", id: "m1" }),
      ].map(beforeDeadLetters);
      await before.db.insertInto("usage_events").values(rows).execute();
      expect(await migrate(before, "0009-sqlite-event-id-index")).toEqual([
        "0009-sqlite-event-id-index",
      ]);
      // Stored under 0009: its entry goes to the recent table, which 0010 folds.
      await before.db
        .insertInto("usage_events")
        .values({
          ...beforeDeadLetters(event("m4")),
          id_hash: sql`cast(steward_id_hash(${ORG}, 'm4') as integer)`,
        } as never)
        .execute();
      expect(await migrate(before, "0012-sqlite-drop-emptied-id-runs")).toEqual([
        "0010-sqlite-recent-event-ids-in-memory",
        "0011-sqlite-event-id-runs",
        "0012-sqlite-drop-emptied-id-runs",
      ]);
      const { rows: runs } = await sql<{ run: number; filter: Uint8Array | null }>`
        select run, filter from usage_event_id_runs`.execute(before.db);
      // The entries already indexed are run 1, whose filter the writer builds as it next writes.
      expect(runs).toEqual([
        { run: 0, filter: null },
        { run: 1, filter: null },
      ]);
      await migrate(before);
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
      const { rows: built } = await sql<{ filter: Uint8Array | null }>`
        select filter from usage_event_id_runs where run = 1`.execute(before.db);
      expect(built[0]?.filter).toBeInstanceOf(Uint8Array);
    } finally {
      await before.close();
    }
  });

  it("keeps Steward's request ids unique by a plain index, out of the hash index, whatever the source", async () => {
    await reopen(2);
    const ids = new TimeSortableIds();
    const metered = Array.from({ length: 6 }, () => ids.next("request"));
    expect(metered.every(madeBySteward)).toBe(true);
    for (const id of metered) {
      expect(await insert([event(id)])).toEqual([id]);
    }
    // A spooled batch replayed, and the same ids sent to ingestion: counted once.
    expect(await insert(metered.map((id) => event(id)))).toEqual([]);
    expect(
      await insert([usageEventRow({ organization_id: ORG, id: metered[0]!, source: "ingest" })]),
    ).toEqual([]);
    // Never held, so never folded.
    expect(await count("usage_event_ids")).toBe(0);
    expect(await listed()).toEqual([]);
    await reopen(2);
    expect(await insert(metered.map((id) => event(id)))).toEqual([]);
    const { rows } = await sql<{ sql: string }>`
      select sql from sqlite_master where name = 'usage_events_steward_ids'`.execute(db);
    expect(rows[0]?.sql).toContain(
      `substr(id, 1, ${STEWARD_ID_PREFIX.length}) = '${STEWARD_ID_PREFIX}'`,
    );
  });

  /**
   * Deletes `deleted` and inserts an event of `inserted` through `write`, a connection that knows
   * nothing of Steward; then Steward's writer, open all along, and again after a restart, stores
   * the deleted id again and refuses the inserted one.
   */
  async function expectRepairedBy(
    write: (statements: string) => void,
    inserted: string,
    deleted: string,
  ): Promise<void> {
    await reopen(2);
    await insert([event(deleted), event("kept")]);
    await insert([event("after")]); // folds the two first
    write(`delete from usage_events where id = '${deleted}'; ${insertStatement(event(inserted))}`);
    expect(await insert([event(inserted), event(deleted), event("kept")])).toEqual([deleted]);
    await reopen(2);
    expect(await insert([event(inserted), event(deleted), event("kept"), event("after")])).toEqual(
      [],
    );
    const { rows } = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(db);
    expect(rows).toEqual([{ integrity_check: "ok" }]);
  }

  it("lets a plain SQLite connection, without Steward's functions, delete and insert events", async () => {
    await expectRepairedBy(
      (statements) => {
        const plain = new SQLite(join(dir, "steward.db"));
        try {
          plain.pragma("busy_timeout = 5000");
          plain.exec(statements);
        } finally {
          plain.close();
        }
      },
      "typed-in",
      "mistaken",
    );
    // A Steward id typed in twice is refused by SQLite itself.
    const plain = new SQLite(join(dir, "steward.db"));
    try {
      const typedIn = insertStatement(event(new TimeSortableIds().next("request")));
      plain.exec(typedIn);
      expect(() => plain.exec(typedIn)).toThrow(/UNIQUE constraint failed/);
    } finally {
      plain.close();
    }
  });

  it.skipIf(!SQLITE3_SHELL)(
    "lets the sqlite3 shell delete and insert events (skipped when sqlite3 is not installed)",
    async () => {
      await expectRepairedBy(
        (statements) => {
          execFileSync("sqlite3", ["-bail", join(dir, "steward.db"), statements], {
            stdio: ["ignore", "pipe", "pipe"],
          });
        },
        "shell-typed",
        "shell-mistaken",
      );
    },
  );
});
