/**
 * A SQLite connection as its worker thread runs it (src/db/sqlite/connection.ts), here in the
 * test's own thread: the requests a SqliteThread sends, and their answers.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Connection } from "../src/db/sqlite/connection.js";
import { type Operation, packRows } from "../src/db/sqlite/protocol.js";

const dirs: string[] = [];
const connections: Connection[] = [];

function opened(options: { fileMustExist?: boolean } = {}): Connection {
  const dir = mkdtempSync(join(tmpdir(), "steward-connection-"));
  dirs.push(dir);
  const connection = new Connection({ path: join(dir, "steward.db"), pragmas: [], ...options });
  connections.push(connection);
  return connection;
}

let nextId = 1;
function ask(connection: Connection, operation: Operation & { begin?: boolean }) {
  return connection.answer({ id: nextId++, ...operation });
}

afterEach(() => {
  for (const connection of connections.splice(0)) {
    connection.handle({ id: 0, op: "close" });
  }
  for (const dir of dirs.splice(0)) {
    rmSync(dir, { recursive: true, force: true });
  }
});

describe("a SQLite connection's requests", () => {
  it("answers statements: a writer's changes, a reader's rows as objects or as arrays", () => {
    const connection = opened();
    expect(ask(connection, { op: "open" }).error).toBeUndefined();
    ask(connection, {
      op: "query",
      sql: "create table t (id integer primary key, name text)",
      params: [],
    });
    expect(
      ask(connection, { op: "query", sql: "insert into t (name) values (?)", params: ["a"] })
        .result,
    ).toEqual({ changes: 1, lastInsertRowid: 1 });
    expect(ask(connection, { op: "query", sql: "select * from t", params: [] }).result).toEqual({
      rows: [{ id: 1, name: "a" }],
    });
    expect(ask(connection, { op: "raw", sql: "select * from t", params: [] }).result).toEqual([
      [1, "a"],
    ]);
  });

  it("runs batches of rows, packed or not, and a batch only if every row of another changed one", () => {
    const connection = opened();
    ask(connection, { op: "open" });
    ask(connection, { op: "query", sql: "create table t (name text unique)", params: [] });
    const rows = [["a"], ["b"], ["a"]];
    const packed = packRows(rows);
    const reply = ask(connection, {
      op: "runMany",
      batches: [
        {
          sql: "insert or ignore into t (name) values (?)",
          rows: [],
          ...(packed ? { packed } : {}),
        },
        { sql: "insert into t (name) values (?)", rows: [["never"]], onlyIfAllChanged: 0 },
        { sql: "insert or ignore into t (name) values (?)", rows: [["c"]] },
        { sql: "insert into t (name) values (?)", rows: [["d"]], onlyIfAllChanged: 2 },
      ],
    });
    expect(reply.result).toEqual([
      new Uint32Array([1, 1, 0]),
      null,
      new Uint32Array([1]),
      new Uint32Array([1]),
    ]);
    expect(
      ask(connection, { op: "raw", sql: "select name from t order by name", params: [] }).result,
    ).toEqual([["a"], ["b"], ["c"], ["d"]]);
  });

  it("begins an immediate transaction with the request that asks, and rolls nothing back without one", () => {
    const connection = opened();
    ask(connection, { op: "open" });
    ask(connection, { op: "query", sql: "create table t (id integer)", params: [] });
    expect(ask(connection, { op: "query", sql: "rollback", params: [] }).result).toEqual({
      changes: 0,
    });
    ask(connection, { op: "query", sql: "insert into t values (1)", params: [], begin: true });
    ask(connection, { op: "query", sql: "rollback", params: [] });
    expect(
      ask(connection, { op: "raw", sql: "select count(*) from t", params: [] }).result,
    ).toEqual([[0]]);
  });

  it("answers SQLite's errors with their codes, and why it could not open to every request", () => {
    const connection = opened();
    ask(connection, { op: "open" });
    ask(connection, { op: "query", sql: "create table t (id integer primary key)", params: [] });
    ask(connection, { op: "query", sql: "insert into t values (1)", params: [] });
    expect(
      ask(connection, { op: "query", sql: "insert into t values (1)", params: [] }).error,
    ).toEqual({
      message: "UNIQUE constraint failed: t.id",
      code: "SQLITE_CONSTRAINT_PRIMARYKEY",
    });

    const missing = opened({ fileMustExist: true });
    expect(ask(missing, { op: "open" }).error?.message).toMatch(/unable to open/);
    expect(ask(missing, { op: "query", sql: "select 1", params: [] }).error?.message).toMatch(
      /unable to open/,
    );
  });

  it("refuses requests once closed", () => {
    const connection = opened();
    ask(connection, { op: "open" });
    ask(connection, { op: "close" });
    expect(ask(connection, { op: "query", sql: "select 1", params: [] }).error?.message).toBe(
      "the database is closed",
    );
  });
});
