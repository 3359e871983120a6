import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { Kysely, Migrator, PostgresDialect, sql } from "kysely";
import pg from "pg";
import { migrationsFor } from "./migrations/index.js";
import type { DB } from "./schema.js";
import { startSqliteCheckpointer } from "./sqlite-checkpointer.js";
import type { EventIdIndexOptions } from "./sqlite-event-id-index.js";
import { type SqliteConnections, SqliteThread, SqliteThreadDialect } from "./sqlite-thread.js";

export type Dialect = "sqlite" | "postgres";

export interface Database {
  readonly db: Kysely<DB>;
  readonly dialect: Dialect;
  /** Where the data lives, with any password removed, for logs. */
  readonly description: string;
  /**
   * SQLite only: the connections' threads, for the few hot statements that run a batch of rows in
   * one message (on the writer, inside a Kysely transaction) or read a report's rows as arrays.
   */
  readonly sqlite?: SqliteConnections;
  close(): Promise<void>;
}

export interface ConnectOptions {
  /** PostgreSQL only: keep every table in this schema (tests use one schema per suite). */
  schema?: string;
  /** PostgreSQL only: the pool size. */
  maxConnections?: number;
  /** SQLite only: the usage events' id index's sizes (tests shrink them). */
  sqliteEventIdIndex?: EventIdIndexOptions;
}

/** `sqlite:PATH` or `postgres://…` / `postgresql://…`. */
export function connect(url: string, options: ConnectOptions = {}): Database {
  if (url.startsWith("sqlite:")) {
    return connectSqlite(url.slice("sqlite:".length), options.sqliteEventIdIndex);
  }
  if (url.startsWith("postgres://") || url.startsWith("postgresql://")) {
    return connectPostgres(url, options);
  }
  throw new Error(
    `DATABASE_URL must start with sqlite: or postgres:// (got ${JSON.stringify(redactUrl(url))})`,
  );
}

function connectSqlite(path: string, eventIdIndex: EventIdIndexOptions = {}): Database {
  // A reader thread opens the same file beside the writer, which an in-memory database has not.
  if (path === "" || path === ":memory:") {
    throw new Error("DATABASE_URL sqlite: needs a file path, e.g. sqlite:./data/steward.db");
  }
  mkdirSync(dirname(path), { recursive: true });
  const writer = new SqliteThread(
    path,
    [
      "journal_mode = WAL",
      "synchronous = NORMAL",
      "foreign_keys = ON",
      // Only another process (the operator CLI) can hold the write lock: wait for it, on the
      // database's thread.
      "busy_timeout = 5000",
      // Usage tables grow to millions of rows: a 64 MiB page cache (SQLite's default is 2 MiB)
      // keeps their indexes' hot pages in memory for the rollup upserts and the reports.
      "cache_size = -65536",
      "temp_store = MEMORY",
      // Checkpoints run on a thread of their own (below), which copies committed pages back as
      // they come. Under writes without a pause the WAL cannot restart from there, so a commit
      // still checkpoints once the WAL passes 256 MiB: by then little is left to copy, and the WAL
      // is bounded if that thread falls behind or stops.
      "wal_autocheckpoint = 65536",
    ],
    undefined,
    eventIdIndex,
  );
  // Opened once the writer has created the file and set WAL mode.
  const reader = new SqliteThread(
    path,
    ["busy_timeout = 5000", "cache_size = -65536", "temp_store = MEMORY", "query_only = ON"],
    writer.opened,
  );
  const sqlite: SqliteConnections = { writer, reader };
  const db = new Kysely<DB>({ dialect: new SqliteThreadDialect(sqlite) });
  // A failing background checkpoint is reported once per distinct error.
  let lastCheckpointError = "";
  // Started on a file the writer has opened in WAL mode.
  const checkpointer = writer.opened.then(
    () =>
      startSqliteCheckpointer(path, {
        onError: (message) => {
          if (message !== lastCheckpointError) {
            lastCheckpointError = message;
            process.emitWarning(`SQLite background checkpoint failed: ${message}`);
          }
        },
      }),
    () => undefined,
  );
  return {
    db,
    dialect: "sqlite",
    description: `sqlite:${path}`,
    sqlite,
    close: async () => {
      await (await checkpointer)?.stop();
      await db.destroy();
    },
  };
}

// BIGINT (int8, oid 20) holds micro-USD amounts well inside 2^53: read it as a number.
const pgTypes = {
  getTypeParser: (oid: number, format?: string) =>
    oid === 20 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format as "text"),
};

function connectPostgres(url: string, options: ConnectOptions): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    types: pgTypes,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  });
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    dialect: "postgres",
    description: redactUrl(url),
    close: () => db.destroy(),
  };
}

export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):([^@]+)@/, "//$1:***@");
}

/**
 * Brings the schema up to date. Safe to run on every start: applied migrations are skipped.
 * `to` stops after that migration (tests of a later migration start from the schema before it).
 */
export async function migrate(database: Database, to?: string): Promise<string[]> {
  // Unless told a schema, Kysely takes its bookkeeping tables in *any* PostgreSQL schema for ours
  // (another app's, a parallel test's) and then fails to find them. Name the connection's own.
  const migrationTableSchema =
    database.dialect === "postgres"
      ? (
          await sql<{ schema: string | null }>`select current_schema() as schema`.execute(
            database.db,
          )
        ).rows[0]?.schema
      : undefined;
  const migrator = new Migrator({
    db: database.db,
    provider: migrationsFor(database.dialect),
    ...(migrationTableSchema ? { migrationTableSchema } : {}),
  });
  const { error, results } = await (to === undefined
    ? migrator.migrateToLatest()
    : migrator.migrateTo(to));
  if (error) {
    throw error;
  }
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}

/** A cheap round trip, for readiness checks. */
export async function ping(database: Database): Promise<void> {
  await sql`select 1`.execute(database.db);
}
