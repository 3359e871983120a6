import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Kysely, sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { connect, type Database } from "../src/db/connect.js";
import { SqliteThreadError } from "../src/db/sqlite-thread.js";

const directories: string[] = [];
const databases: Database[] = [];

function open(): Database {
  const directory = mkdtempSync(join(tmpdir(), "steward-sqlite-thread-"));
  directories.push(directory);
  const database = connect(`sqlite:${join(directory, "steward.db")}`);
  databases.push(database);
  return database;
}

afterEach(async () => {
  for (const database of databases.splice(0)) {
    await database.close();
  }
  for (const directory of directories.splice(0)) {
    rmSync(directory, { recursive: true, force: true });
  }
});

/** The one table these tests make, with the columns some of them give it. */
type TestTable = Kysely<{ t: { id: number; name?: string; at?: number } }>;

function tableOf(database: Database): TestTable {
  return database.db as unknown as TestTable;
}

/** A promise with its resolve, to hold a transaction open until the test lets it go. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

describe("SQLite on its own threads", () => {
  it("should answer reads outside a transaction while a transaction holds the writer, with committed rows only", async () => {
    const db = tableOf(open());
    await sql`create table t (id integer primary key, name text not null)`.execute(db);
    await db.insertInto("t").values({ id: 1, name: "committed" }).execute();

    const held = gate();
    const inserted = gate();
    const transaction = db.transaction().execute(async (trx) => {
      await trx.insertInto("t").values({ id: 2, name: "pending" }).execute();
      inserted.open();
      await held.opened;
    });
    await inserted.opened;

    // The reader answers at once, and sees the database as of the last commit.
    const during = await db.selectFrom("t").select("name").execute();
    expect(during).toEqual([{ name: "committed" }]);

    held.open();
    await transaction;
    const after = await db.selectFrom("t").select("name").execute();
    expect(after).toEqual([{ name: "committed" }, { name: "pending" }]);
  });

  it("should make a write outside a transaction wait for the transaction holding the writer", async () => {
    const db = tableOf(open());
    await sql`create table t (id integer primary key, at integer not null)`.execute(db);
    const order: string[] = [];
    const held = gate();
    const transaction = db.transaction().execute(async (trx) => {
      await trx.insertInto("t").values({ id: 1, at: 1 }).execute();
      await held.opened;
      order.push("transaction commits");
    });
    const write = db
      .insertInto("t")
      .values({ id: 2, at: 2 })
      .execute()
      .then(() => order.push("write done"));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(order).toEqual([]);
    held.open();
    await Promise.all([transaction, write]);
    expect(order).toEqual(["transaction commits", "write done"]);
  });

  it("should run one transaction after another on a held connection (as Kysely's migrator holds one)", async () => {
    const db = tableOf(open());
    await sql`create table t (id integer primary key)`.execute(db);
    await db.connection().execute(async (connection) => {
      await connection
        .transaction()
        .execute((trx) => trx.insertInto("t").values({ id: 1 }).execute());
      await connection
        .transaction()
        .execute((trx) => trx.insertInto("t").values({ id: 2 }).execute());
    });
    // And the writer is free again afterwards.
    await db.insertInto("t").values({ id: 3 }).execute();
    expect(await db.selectFrom("t").select("id").orderBy("id").execute()).toEqual([
      { id: 1 },
      { id: 2 },
      { id: 3 },
    ]);
  });

  it("should raise SQLite's errors with their codes, and roll the transaction back", async () => {
    const db = tableOf(open());
    await sql`create table t (id integer primary key)`.execute(db);
    await db.insertInto("t").values({ id: 1 }).execute();
    const failed = db.transaction().execute(async (trx) => {
      await trx.insertInto("t").values({ id: 2 }).execute();
      await trx.insertInto("t").values({ id: 1 }).execute();
    });
    await expect(failed).rejects.toBeInstanceOf(SqliteThreadError);
    await expect(failed).rejects.toMatchObject({ code: "SQLITE_CONSTRAINT_PRIMARYKEY" });
    const rows = await db.selectFrom("t").select("id").execute();
    expect(rows).toEqual([{ id: 1 }]);
  });

  it("should keep the reader from writing", async () => {
    const database = open();
    await sql`create table t (id integer primary key)`.execute(database.db);
    await expect(
      database.sqlite?.reader.query("insert into t (id) values (1)", []),
    ).rejects.toThrow(/readonly|read-only/i);
  });

  it("should run a batch of parameter rows in one message and report each row's changes", async () => {
    const database = open();
    await sql`create table t (id integer primary key)`.execute(database.db);
    const writer = database.sqlite?.writer;
    if (writer === undefined) {
      throw new Error("a SQLite database has a writer thread");
    }
    const changes = await database.db.transaction().execute(() =>
      writer.runMany([
        { sql: "insert into t (id) values (?) on conflict do nothing", rows: [[1], [2], [1]] },
        { sql: "delete from t where id = ?", rows: [[2], [3]] },
      ]),
    );
    expect(changes.map((batch) => (batch === null ? null : [...batch]))).toEqual([
      [1, 1, 0],
      [1, 0],
    ]);
  });

  it("should bind every kind of value a batch row holds as it was given", async () => {
    const database = open();
    await sql`create table t (n integer primary key, a any, b any) strict`.execute(database.db);
    const writer = database.sqlite?.writer;
    if (writer === undefined) {
      throw new Error("a SQLite database has a writer thread");
    }
    const rows: unknown[][] = [
      [1, "text", null],
      [2, 2 ** 53 - 1, -1.5],
      [3, "", "text"], // a string repeated across rows and columns
      [4, "ünïcödé 🙂", 0],
      [5, -(2 ** 40), "text"],
    ];
    await database.db
      .transaction()
      .execute(() => writer.runMany([{ sql: "insert into t (n, a, b) values (?, ?, ?)", rows }]));
    // Values a packed batch cannot carry (a blob, a bigint) go as they are.
    const blob = Buffer.from([0, 1, 2]);
    await database.db.transaction().execute(() =>
      writer.runMany([
        {
          sql: "insert into t (n, a, b) values (?, ?, ?)",
          rows: [
            [6, blob, 9007199254740993n],
            [7, "x", null],
          ],
        },
        { sql: "insert into t (n) values (8)", rows: [[]] }, // no parameters: nothing to pack
      ]),
    );
    const stored = await writer.raw("select n, a, b from t where n <> 6 order by n", []);
    expect(stored).toEqual([...rows, [7, "x", null], [8, null, null]]);
    expect(await writer.raw("select a, cast(b as text) from t where n = 6", [])).toEqual([
      [new Uint8Array([0, 1, 2]), "9007199254740993"],
    ]);
  });

  it("should run a batch on the condition that every row of an earlier one changed a row", async () => {
    const database = open();
    await sql`create table t (id integer primary key)`.execute(database.db);
    await sql`create table log (n integer not null)`.execute(database.db);
    const writer = database.sqlite?.writer;
    if (writer === undefined) {
      throw new Error("a SQLite database has a writer thread");
    }
    const insertThenLog = (ids: number[]) =>
      database.db.transaction().execute(() =>
        writer.runMany([
          {
            sql: "insert into t (id) values (?) on conflict do nothing",
            rows: ids.map((id) => [id]),
          },
          { sql: "insert into log (n) values (?)", rows: [[ids.length]], onlyIfAllChanged: 0 },
        ]),
      );
    const [, logged] = await insertThenLog([1, 2]);
    expect(logged ? [...logged] : logged).toEqual([1]);
    // 2 is there already: the log entry is skipped, and said to be.
    expect((await insertThenLog([2, 3]))[1]).toBeNull();
    const { rows } = await sql<{ n: number }>`select n from log`.execute(database.db);
    expect(rows).toEqual([{ n: 2 }]);
  });

  it("should fail queries with why the file could not be opened", async () => {
    const directory = mkdtempSync(join(tmpdir(), "steward-sqlite-thread-"));
    directories.push(directory);
    // A directory where the database file should be.
    mkdirSync(join(directory, "steward.db"));
    const database = connect(`sqlite:${join(directory, "steward.db")}`);
    databases.push(database);
    await expect(sql`select 1`.execute(database.db)).rejects.toThrow(/unable to open|directory/i);
  });

  it("should refuse an in-memory database, which its reader thread could not share", () => {
    expect(() => connect("sqlite::memory:")).toThrow(/needs a file path/);
  });
});
