/**
 * The writer's id index (src/db/sqlite/event-id-index.ts) on its own: run here, on a better-sqlite3
 * connection of the test's, over the schema the migrations make, with no worker thread.
 */
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { TimeSortableIds } from "../src/core/ids.js";
import type { UsageEventRow } from "../src/core/usage/usage-store.js";
import { connect, migrate } from "../src/db/connect.js";
import {
  DROP_EMPTIED_RUNS_SQL,
  EventIdIndex,
  filterAdd,
  filterHas,
  idHash,
  newFilter,
} from "../src/db/sqlite/event-id-index.js";
import { usageEventRow } from "./usage-rows.js";

const ORG = "org_index";
// organization_id and id first, as the index reads them.
const COLUMNS = [
  "organization_id",
  "id",
  ...Object.keys(usageEventRow({ id: "x" })).filter((c) => c !== "organization_id" && c !== "id"),
] as Array<keyof UsageEventRow>;
const INSERT = `insert into usage_events (${COLUMNS.join(", ")})
  values (${COLUMNS.map(() => "?").join(", ")}) on conflict do nothing`;

/** An event's parameters for INSERT. */
function params(id: string): unknown[] {
  const row = usageEventRow({ organization_id: ORG, id });
  return COLUMNS.map((column) => row[column]);
}

let dir: string;
/** A database the migrations made, empty, copied for each test. */
let migrated: string;
const open: SQLite.Database[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "steward-id-index-"));
  migrated = join(dir, "migrated.db");
  const database = connect(`sqlite:${migrated}`);
  await migrate(database);
  await database.close();
});
afterEach(() => {
  for (const db of open.splice(0)) {
    db.close();
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let copies = 0;
function freshCopy(): string {
  const path = join(dir, `copy-${copies++}.db`);
  copyFileSync(migrated, path);
  return path;
}

/** A writer on the file: its index, and transactions run as the connection's worker runs them. */
function writer(path: string, foldAt?: number) {
  const db = new SQLite(path);
  open.push(db);
  const index = new EventIdIndex(db, { recentIdsFoldAt: foldAt });
  const insert = db.prepare(INSERT);
  /** Stores the events with these ids in one transaction; returns those that were new. */
  const store = (ids: readonly string[]): string[] => {
    db.prepare("begin immediate").run();
    index.sync();
    const stored = ids.filter((id) => index.insert(insert, params(id)) === 1);
    index.commit(() => db.prepare("commit").run());
    return stored;
  };
  return { db, index, store };
}

describe("idHash", () => {
  it("gives the hashes stored by every version since migration 0009", () => {
    // Computed by the function as it was written into the worker's source before 0017.
    expect(idHash("org_ids", "a")).toBe(4462921528526481);
    expect(idHash("org_1", "msg_01XFDUDYJgAACzvnptvVoYEL")).toBe(6235042822549142);
    expect(idHash("", "")).toBe(192506396754080);
  });

  it("stays within 53 bits and tells the organization from the id", () => {
    expect(idHash("org_a", "b")).not.toBe(idHash("org_ab", ""));
    for (let i = 0; i < 1000; i++) {
      const hash = idHash(ORG, `id-${i}`);
      expect(Number.isSafeInteger(hash) && hash >= 0).toBe(true);
    }
  });
});

describe("the runs' Bloom filters", () => {
  it("hold every hash added, and few others (about 1 in 200 at their size)", () => {
    const entries = 5000;
    const filter = newFilter(entries);
    expect(filter.length % 64).toBe(0);
    for (let i = 0; i < entries; i++) {
      filterAdd(filter, idHash(ORG, `in-${i}`));
    }
    for (let i = 0; i < entries; i++) {
      expect(filterHas(filter, idHash(ORG, `in-${i}`))).toBe(true);
    }
    let falsePositives = 0;
    for (let i = 0; i < 20_000; i++) {
      falsePositives += filterHas(filter, idHash(ORG, `out-${i}`)) ? 1 : 0;
    }
    expect(falsePositives).toBeLessThan(200);
  });
});

describe("EventIdIndex", () => {
  it("stores a client's id once, in a transaction and after a restart", () => {
    const path = freshCopy();
    const first = writer(path);
    expect(first.store(["a", "b"])).toEqual(["a", "b"]);
    expect(first.store(["b", "c"])).toEqual(["c"]);
    expect(first.index.sizes.recent).toBe(3);
    first.db.close();
    expect(writer(path).store(["a", "b", "c", "d"])).toEqual(["d"]);
  });

  it("folds the ids it holds into runs, keeps finding them, and forgets the runs retention drops", () => {
    const path = freshCopy();
    const { db, index, store } = writer(path, 2);
    for (let i = 0; i < 20; i += 2) {
      store([`e${i}`, `e${i + 1}`]);
    }
    // Folded as each transaction after the first began: 8 folds fill run 1, the 9th starts run 2.
    expect(index.sizes).toEqual({ recent: 2, runs: [1, 2] });
    expect(store(Array.from({ length: 20 }, (_, i) => `e${i}`))).toEqual([]);
    // Retention deletes the events of run 1 and drops it; the writer forgets its filter as its
    // next transaction begins.
    db.prepare("delete from usage_events where seq <= 16").run();
    db.prepare(DROP_EMPTIED_RUNS_SQL).run();
    expect(store(["e0", "e16"])).toEqual(["e0"]);
    expect(index.sizes.runs).toEqual([2]);
    expect(db.prepare("select count(*) from usage_event_ids where run = 1").pluck().get()).toBe(0);
  });

  it("takes in the events another connection stored, and lets go of deleted ones", () => {
    const path = freshCopy();
    const { index, store } = writer(path);
    store(["mine"]);
    const other = new SQLite(path);
    open.push(other);
    other.prepare(INSERT).run(params("theirs"));
    other.prepare("delete from usage_events where id = 'mine'").run();
    expect(store(["theirs", "mine"])).toEqual(["mine"]);
    expect(index.sizes.recent).toBe(2);
  });

  it("leaves Steward's own ids to the unique index", () => {
    const { index, store } = writer(freshCopy());
    const ids = new TimeSortableIds();
    const metered = [ids.next("request"), ids.next("request")];
    expect(store(metered)).toEqual(metered);
    expect(store(metered)).toEqual([]);
    expect(index.sizes.recent).toBe(0);
  });

  it("does nothing on a schema before migration 0017, and refuses to store a client's id there", async () => {
    const path = join(dir, "before.db");
    const database = connect(`sqlite:${path}`);
    await migrate(database, "0016-alert-delivery-error-classes");
    await database.close();
    const db = new SQLite(path);
    open.push(db);
    const index = new EventIdIndex(db);
    db.prepare("begin immediate").run();
    index.sync();
    expect(index.sizes).toEqual({ recent: 0, runs: [] });
    // (That schema's triggers call functions this connection lacks: no insert could be prepared.)
    const anyStatement = db.prepare("select 1");
    expect(() => index.insert(anyStatement, params("a"))).toThrow(/not migrated yet/);
    db.prepare("rollback").run();
  });
});
