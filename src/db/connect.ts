import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { Kysely, Migrator, PostgresDialect, sql } from "kysely";
import pg from "pg";
import { migrationsFor } from "./migrations/index.js";
import type { DB } from "./schema.js";
import type { EventIdIndexOptions } from "./sqlite/event-id-index.js";
import { startSqliteCheckpointer } from "./sqlite-checkpointer.js";
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
  /**
   * A round trip with a deadline of its own, for readiness: rejects within `timeoutMs` even when
   * the database's network black-holes every packet.
   */
  ping(timeoutMs: number): Promise<void>;
  /** PostgreSQL only: this pool's `application_name`, unique per process, which marks its writes. */
  readonly origin?: string;
  /**
   * PostgreSQL only: calls `onSignal` when the change log may have grown (a notification on its
   * channel for this schema), and after every reconnection of the listening connection, since
   * notifications sent meanwhile are lost. Resolves, with the stop, once the first attempt to
   * listen has succeeded or failed (it keeps trying in the background).
   */
  watchChanges?(onSignal: () => void): Promise<() => Promise<void>>;
  /**
   * PostgreSQL only: runs `work` holding the database's migration lock, which every Steward
   * connected to the database takes to migrate, whatever its schema. Kysely's migrator reads the
   * catalog of every schema, and fails on a column another schema's migration drops meanwhile.
   */
  withMigrationLock?<T>(work: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface ConnectOptions {
  /** PostgreSQL only: keep every table in this schema (tests use one schema per suite). */
  schema?: string;
  /** PostgreSQL only: the pool size. */
  maxConnections?: number;
  /** SQLite only: the usage events' id index's sizes (tests shrink them). */
  sqliteEventIdIndex?: EventIdIndexOptions;
  /** SQLite only: open the file only if it exists, never create it (the operator commands). */
  mustExist?: boolean;
  /** PostgreSQL only: longest wait for a connection (a new one's TCP and startup, or the pool's). */
  connectTimeoutMs?: number;
  /**
   * PostgreSQL only: longest a statement runs on the server (`statement_timeout`); the client
   * gives up on an answer a little later (`query_timeout`), which is what ends a statement sent
   * into a network that drops everything. 0: none (migrations).
   */
  statementTimeoutMs?: number;
  /**
   * Told about connection errors that no query is waiting on (an idle pooled connection lost):
   * logged, never thrown. Process warnings by default.
   */
  onConnectionError?: (error: Error) => void;
}

export const DEFAULT_DATABASE_CONNECT_TIMEOUT_MS = 5000;
export const DEFAULT_DATABASE_STATEMENT_TIMEOUT_MS = 30_000;
/**
 * How much longer than the server's statement_timeout the client waits for an answer: the
 * server's cancel comes first when the server is there.
 */
const queryTimeoutFor = (statementTimeoutMs: number) =>
  statementTimeoutMs + Math.min(2000, Math.ceil(statementTimeoutMs / 10));

/** `sqlite:PATH` or `postgres://…` / `postgresql://…`. */
export function connect(url: string, options: ConnectOptions = {}): Database {
  if (url.startsWith("sqlite:")) {
    return connectSqlite(
      url.slice("sqlite:".length),
      options.sqliteEventIdIndex,
      options.mustExist === true,
    );
  }
  if (url.startsWith("postgres://") || url.startsWith("postgresql://")) {
    return connectPostgres(url, options);
  }
  throw new Error(
    `DATABASE_URL must start with sqlite: or postgres:// (got ${JSON.stringify(redactUrl(url))})`,
  );
}

function connectSqlite(
  path: string,
  eventIdIndex: EventIdIndexOptions = {},
  mustExist = false,
): Database {
  // A reader thread opens the same file beside the writer, which an in-memory database has not.
  if (path === "" || path === ":memory:") {
    throw new Error("DATABASE_URL sqlite: needs a file path, e.g. sqlite:./data/steward.db");
  }
  if (!mustExist) {
    mkdirSync(dirname(path), { recursive: true });
  }
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
    { ...eventIdIndex, fileMustExist: mustExist },
  );
  // Opened once the writer has created the file and set WAL mode.
  const reader = new SqliteThread(
    path,
    ["busy_timeout = 5000", "cache_size = -65536", "temp_store = MEMORY", "query_only = ON"],
    writer.opened,
    { fileMustExist: mustExist },
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
    // On the reader: a long write holds the writer, not the answer to "is the file there".
    ping: (timeoutMs) =>
      withDeadline(timeoutMs, async () => {
        await reader.query("select 1", []);
      }),
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

/**
 * A pooled connection that never crashes the process and never stays stuck. A connection lost
 * while a query holds it emits 'error' on the client, which with no listener is an uncaught
 * exception: the pool listens only while the connection is idle. And a statement whose answer
 * never comes (`query_timeout`) leaves the connection waiting for it, so the next statement on it
 * would wait too: it is closed instead, and the pool drops it when released.
 */
function pooledClientClass(onError: (error: Error) => void) {
  return class PooledClient extends pg.Client {
    constructor(config?: pg.ClientConfig) {
      super(config);
      // The queries it fails already carry the error; this only keeps it from being thrown.
      this.on("error", onError);
    }

    // biome-ignore lint/suspicious/noExplicitAny: pg's overloads
    override query(...args: any[]): any {
      // biome-ignore lint/suspicious/noExplicitAny: pg's overloads
      const result = (super.query as (...a: any[]) => any)(...args);
      if (result !== undefined && typeof result.then === "function") {
        result.then(undefined, (error: unknown) => {
          if (error instanceof Error && error.message === "Query read timeout") {
            // pg's own path for a dead socket marks the client unusable at once (before the
            // pool takes it back); then the socket is closed.
            const { connection } = this as unknown as {
              connection: { emit(event: "error", error: Error): void; stream: { destroy(): void } };
            };
            connection.emit("error", error);
            connection.stream.destroy();
          }
        });
      }
      return result;
    }
  };
}

/** Connection errors reported once per distinct message, as process warnings. */
function warnOncePerMessage(): (error: Error) => void {
  let last = "";
  return (error) => {
    if (error.message !== last) {
      last = error.message;
      process.emitWarning(`PostgreSQL connection error: ${error.message}`);
    }
  };
}

function connectPostgres(url: string, options: ConnectOptions): Database {
  const onError = options.onConnectionError ?? warnOncePerMessage();
  const statementTimeoutMs = options.statementTimeoutMs ?? DEFAULT_DATABASE_STATEMENT_TIMEOUT_MS;
  const origin = `steward/${randomUUID()}`;
  // What every connection of this node has, pooled or the change log's listener.
  const connection: pg.ClientConfig = {
    connectionString: url,
    types: pgTypes,
    connectionTimeoutMillis: options.connectTimeoutMs ?? DEFAULT_DATABASE_CONNECT_TIMEOUT_MS,
    // A peer that vanished (a host down, a NAT entry dropped) is found by the kernel's probes.
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  };
  const pool = new pg.Pool({
    ...connection,
    application_name: origin,
    max: options.maxConnections ?? 10,
    Client: pooledClientClass(onError),
    statement_timeout: statementTimeoutMs,
    query_timeout: queryTimeoutFor(statementTimeoutMs),
  });
  // An idle pooled connection that is lost is reported here; the pool drops it and connects
  // again when next asked. Unhandled, this event would end the process.
  pool.on("error", onError);
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    dialect: "postgres",
    description: redactUrl(url),
    origin,
    ping: (timeoutMs) =>
      withDeadline(timeoutMs, async () => {
        const client = await pool.connect();
        try {
          // pg reads query_timeout from a query's config too; its types leave it out.
          await client.query({ text: "select 1", query_timeout: timeoutMs } as pg.QueryConfig);
          client.release();
        } catch (error) {
          // A connection that failed the ping is not handed out again.
          client.release(error instanceof Error ? error : true);
          throw error;
        }
      }),
    watchChanges: (onSignal) => watchChangeLog(connection, onSignal, onError),
    withMigrationLock: (work) => withMigrationLock(connection, onError, work),
    close: () => db.destroy(),
  };
}

/** The advisory lock's key: any number, the same in every Steward ("Stewa" in ASCII). */
const MIGRATION_LOCK_KEY = 358_435_092_321;
/** Longest a start waits for another's migration before it gives up with an error. */
const MIGRATION_LOCK_TIMEOUT = "10min";

/** A session lock on a connection of its own: released when the connection ends, whatever happens. */
async function withMigrationLock<T>(
  config: pg.ClientConfig,
  onError: (error: Error) => void,
  work: () => Promise<T>,
): Promise<T> {
  const client = new pg.Client(config);
  client.on("error", onError);
  await client.connect();
  try {
    await client.query(`set lock_timeout = '${MIGRATION_LOCK_TIMEOUT}'`);
    await client.query("select pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    return await work();
  } finally {
    await client.end().catch(() => {});
  }
}

const CHANGE_CHANNEL = "steward_changes";
const LISTENER_RETRY_FIRST_MS = 100;
const LISTENER_RETRY_MAX_MS = 5_000;
/** The listening connection is idle by design: a probe finds one that died silently. */
const LISTENER_PROBE_INTERVAL_MS = 10_000;
const LISTENER_PROBE_TIMEOUT_MS = 5_000;

/**
 * One connection per node that LISTENs for the change log's notifications (migration 0018),
 * reconnecting with a capped backoff whenever it is lost, and probing itself so that a network
 * that silently drops everything is noticed within seconds, not when TCP gives up.
 */
async function watchChangeLog(
  config: pg.ClientConfig,
  onSignal: () => void,
  onError: (error: Error) => void,
): Promise<() => Promise<void>> {
  let client: pg.Client | undefined;
  let stopped = false;
  let retryMs = LISTENER_RETRY_FIRST_MS;
  let retryTimer: NodeJS.Timeout | undefined;
  let probeTimer: NodeJS.Timeout | undefined;

  const lost = (lostClient: pg.Client, error?: Error) => {
    if (client !== lostClient) {
      return; // already replaced
    }
    client = undefined;
    clearInterval(probeTimer);
    if (error) {
      onError(error);
    }
    lostClient.end().catch(() => {});
    if (!stopped) {
      retryTimer = setTimeout(connectOnce, retryMs);
      retryMs = Math.min(LISTENER_RETRY_MAX_MS, retryMs * 2);
    }
  };

  const connectOnce = async () => {
    const next = new pg.Client(config);
    client = next;
    next.on("error", (error) => lost(next, error));
    next.on("end", () => lost(next));
    try {
      await next.connect();
      const schema = (await next.query<{ schema: string }>("select current_schema() as schema"))
        .rows[0]?.schema;
      next.on("notification", (message) => {
        if (message.channel === CHANGE_CHANNEL && message.payload === schema) {
          onSignal();
        }
      });
      await next.query(`listen ${CHANGE_CHANNEL}`);
      if (stopped) {
        await next.end();
        return;
      }
      retryMs = LISTENER_RETRY_FIRST_MS;
      probeTimer = setInterval(() => {
        next
          .query({ text: "select 1", query_timeout: LISTENER_PROBE_TIMEOUT_MS } as pg.QueryConfig)
          .catch((error: Error) => {
            // The socket may still look open: close it, so the next connection starts clean.
            (
              next as unknown as { connection: { stream: { destroy(): void } } }
            ).connection.stream.destroy();
            lost(next, error);
          });
      }, LISTENER_PROBE_INTERVAL_MS);
      probeTimer.unref();
      // Whatever committed while not listening is in the log: read it now.
      onSignal();
    } catch (error) {
      lost(next, error instanceof Error ? error : new Error(String(error)));
    }
  };

  await connectOnce();
  return async () => {
    stopped = true;
    clearTimeout(retryTimer);
    clearInterval(probeTimer);
    const current = client;
    client = undefined;
    await current?.end().catch(() => {});
  };
}

/** `work`, or a "database is unavailable" error once `timeoutMs` has passed without its answer. */
async function withDeadline(timeoutMs: number, work: () => Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`database is unavailable: no answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  const attempt = work();
  // Settling after the deadline is nobody's concern; its error must not be unhandled.
  attempt.catch(() => {});
  try {
    await Promise.race([attempt, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):([^@]+)@/, "//$1:***@");
}

/** Kysely's migrator over this code's migrations, keeping its bookkeeping beside our tables. */
export async function migratorFor(database: Database): Promise<Migrator> {
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
  return new Migrator({
    db: database.db,
    provider: migrationsFor(database.dialect),
    ...(migrationTableSchema ? { migrationTableSchema } : {}),
  });
}

/**
 * Brings the schema up to date. Safe to run on every start: applied migrations are skipped.
 * `to` stops after that migration (tests of a later migration start from the schema before it).
 */
export function migrate(database: Database, to?: string): Promise<string[]> {
  return underMigrationLock(database, async () => {
    const migrator = await migratorFor(database);
    await refuseNewerSchema(database, migrator);
    const { error, results } = await (to === undefined
      ? migrator.migrateToLatest()
      : migrator.migrateTo(to));
    if (error) {
      throw error;
    }
    return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
  });
}

/** `work` under the database's migration lock where it has one (PostgreSQL). */
export function underMigrationLock<T>(database: Database, work: () => Promise<T>): Promise<T> {
  return database.withMigrationLock ? database.withMigrationLock(work) : work();
}

/** Kysely's bookkeeping table (its default name). */
const MIGRATION_TABLE = "kysely_migration";

/**
 * A database a newer Steward migrated has migrations this code does not know: running on it could
 * read or write columns this code does not expect, and Kysely's own refusal names neither cause
 * nor cure. Refused here, before anything is written.
 */
async function refuseNewerSchema(database: Database, migrator: Migrator): Promise<void> {
  let executed: string[];
  try {
    const rows = await sql<{
      name: string;
    }>`select name from ${sql.table(MIGRATION_TABLE)}`.execute(database.db);
    executed = rows.rows.map((row) => row.name);
  } catch {
    return; // no bookkeeping table yet: a new database
  }
  const known = new Set((await migrator.getMigrations()).map((m) => m.name));
  const unknown = executed.filter((name) => !known.has(name)).sort();
  if (unknown.length > 0) {
    throw new Error(
      `${database.description} was migrated by a newer Steward (it has run ${unknown.join(", ")}, which this version does not know): run that version or a newer one against it, or restore a backup taken before the upgrade`,
    );
  }
}

export const DEFAULT_READINESS_TIMEOUT_MS = 1500;

/** A cheap round trip, for readiness checks, that fails within `timeoutMs` whatever the network does. */
export function ping(
  database: Database,
  timeoutMs: number = DEFAULT_READINESS_TIMEOUT_MS,
): Promise<void> {
  return database.ping(timeoutMs);
}
