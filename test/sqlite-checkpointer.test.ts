import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { connect } from "../src/db/connect.js";
import { startSqliteCheckpointer } from "../src/db/sqlite-checkpointer.js";

const dirs: string[] = [];

function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), "steward-checkpoint-"));
  dirs.push(dir);
  return join(dir, "steward.db");
}

afterEach(() => {
  for (const dir of dirs.splice(0)) {
    rmSync(dir, { recursive: true, force: true });
  }
});

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error("timed out");
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("SQLite background checkpoints", () => {
  it("should copy committed pages into the database file without a checkpoint on the writer's thread", async () => {
    const path = tempFile();
    const database = connect(`sqlite:${path}`);
    try {
      await sql`create table t (id integer primary key, payload text not null)`.execute(
        database.db,
      );
      const before = statSync(path).size;
      // ~2 MiB of pages, far below the writer's own auto-checkpoint size: only the background
      // thread can move them out of the WAL.
      await database.db.transaction().execute(async () => {
        await database.sqlite?.writer.runMany([
          {
            sql: "insert into t (payload) values (?)",
            rows: Array.from({ length: 2_000 }, () => ["x".repeat(1_000)]),
          },
        ]);
      });
      expect(statSync(`${path}-wal`).size).toBeGreaterThan(2_000_000);
      await until(() => statSync(path).size > before + 2_000_000);
      const {
        rows: [result],
      } = await sql<{ log: number; checkpointed: number }>`pragma wal_checkpoint(PASSIVE)`.execute(
        database.db,
      );
      expect(result?.checkpointed).toBe(result?.log);
    } finally {
      await database.close();
    }
  });

  it("should stop when the database closes, leaving every row in the file", async () => {
    const path = tempFile();
    const database = connect(`sqlite:${path}`);
    await sql`create table t (id integer primary key)`.execute(database.db);
    await sql`insert into t (id) values (1), (2), (3)`.execute(database.db);
    await database.close();
    const reopened = connect(`sqlite:${path}`);
    try {
      const { rows } = await sql<{ n: number }>`select count(*) as n from t`.execute(reopened.db);
      expect(rows[0]?.n).toBe(3);
    } finally {
      await reopened.close();
    }
  });

  it("should report a database it cannot open instead of failing silently", async () => {
    const errors: string[] = [];
    const checkpointer = startSqliteCheckpointer(join(tempFile(), "missing", "steward.db"), {
      intervalMs: 10,
      onError: (message) => errors.push(message),
    });
    await until(() => errors.length > 0);
    await checkpointer.stop();
    expect(errors[0]).toMatch(/directory does not exist|unable to open/i);
  });
});
