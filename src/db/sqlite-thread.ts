import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import {
  CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
  SelectQueryNode,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from "kysely";
import { EVENT_ID_INDEX_SOURCE, type EventIdIndexOptions } from "./sqlite-event-id-index.js";

/**
 * SQLite on threads of its own. better-sqlite3 is synchronous: on the thread that serves
 * requests, every statement (a usage batch's thousands of inserts and rollup upserts, a report's
 * scan) stops the gateway and every other request until it returns. Here each connection lives on
 * a worker thread, and each statement is a message: the event loop goes on serving while SQLite
 * works, and a machine's second core does the database's work.
 *
 * There is still one writing connection, as with better-sqlite3 on the main thread: a mutex (the
 * driver below) hands it to one write or transaction at a time, so transactions keep SQLite's
 * semantics, and nothing of the process contends for SQLite's own write lock. Reads outside a
 * transaction go to a second, read-only connection (SqliteConnections).
 *
 * The worker is plain CommonJS evaluated from a string, like the checkpointer's: it needs no build
 * step (tests run the TypeScript sources), and the driver is passed by its resolved path. It keeps
 * prepared statements by their text, since Kysely asks for the same few hundred statements again
 * and again.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const SQLite = require(workerData.driver);
const STATEMENTS_KEPT = 500;
const statements = new Map();
let db;
let openError;

function statement(sql) {
  let prepared = statements.get(sql);
  if (prepared === undefined) {
    prepared = db.prepare(sql);
    if (statements.size >= STATEMENTS_KEPT) {
      statements.delete(statements.keys().next().value);
    }
    statements.set(sql, prepared);
  }
  return prepared;
}

${EVENT_ID_INDEX_SOURCE}
// How a batch's rows are run, each returning the rows it changed: a usage events' batch (one
// with \`eventsUnchecked\`) by insertEvent (the id index, above), any other by its statement.
function rowRunner(batch) {
  const prepared = statement(batch.sql);
  if (!batch.eventsUnchecked) return (params) => prepared.run(params).changes;
  const unchecked = statement(batch.eventsUnchecked);
  return (params) => insertEvent(prepared, unchecked, params);
}

function runRows(runRow, rows) {
  const changes = new Uint32Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    changes[i] = runRow(rows[i]);
  }
  return changes;
}

// Rows packed by packRows (below, on the other thread): one parameter array, reused for every
// row, filled from the numbers and the shared strings. Nothing per row is left for the collector.
function runPacked(runRow, packed) {
  const { width, kinds, numbers, strings } = packed;
  const count = kinds.length / width;
  const changes = new Uint32Array(count);
  const params = new Array(width);
  for (let row = 0, cell = 0; row < count; row++) {
    for (let column = 0; column < width; column++, cell++) {
      const kind = kinds[cell];
      params[column] = kind === 0 ? numbers[cell] : kind === 1 ? strings[numbers[cell]] : null;
    }
    changes[row] = runRow(params);
  }
  return changes;
}

function failure(error) {
  return {
    message: String((error && error.message) || error),
    code: error && typeof error.code === "string" ? error.code : undefined,
  };
}

function run(message) {
  if (message.op !== "open" && message.op !== "close") {
    if (openError) throw openError;
    if (db === undefined) throw new Error("the database is closed");
  }
  if (message.begin) {
    statement("begin immediate").run();
    syncRecentIds();
  }
  switch (message.op) {
    case "open":
      try {
        db = new SQLite(workerData.path, { fileMustExist: workerData.fileMustExist === true });
        for (const pragma of workerData.pragmas) db.pragma(pragma);
        db.function("steward_id_hash", { deterministic: true }, idHash);
        db.function("steward_recent_seq", recentSeq);
        db.function("steward_recent_add", recentAdd);
        db.function("steward_id_runs", idRuns);
      } catch (error) {
        openError = error;
        throw error;
      }
      return null;
    case "query": {
      // A transaction whose deferred begin failed has nothing to roll back: the begin's error is
      // the one to report, not this one's.
      if (message.sql === "rollback" && !db.inTransaction) return { changes: 0 };
      const prepared = statement(message.sql);
      if (prepared.reader) {
        return { rows: prepared.raw(false).all(message.params) };
      }
      const result =
        message.sql === "commit"
          ? commitKeepingRecentIds(prepared, message.params)
          : prepared.run(message.params);
      return { changes: result.changes, lastInsertRowid: Number(result.lastInsertRowid) };
    }
    case "raw":
      return statement(message.sql).raw(true).all(message.params);
    case "runMany": {
      const results = [];
      for (const batch of message.batches) {
        const condition = batch.onlyIfAllChanged;
        if (condition !== undefined && !results[condition].every((changed) => changed === 1)) {
          results.push(null);
          continue;
        }
        const runRow = rowRunner(batch);
        results.push(batch.packed ? runPacked(runRow, batch.packed) : runRows(runRow, batch.rows));
      }
      return results;
    }
    case "close":
      statements.clear();
      recentStatements.clear();
      if (db) db.close();
      db = undefined;
      return null;
    default:
      throw new Error("unknown operation " + message.op);
  }
}

parentPort.on("message", (message) => {
  try {
    parentPort.postMessage({ id: message.id, result: run(message) });
  } catch (error) {
    parentPort.postMessage({ id: message.id, error: failure(error) });
  }
  if (message.op === "close") parentPort.close();
});
`;

type Operation =
  | { op: "open" }
  | { op: "query"; sql: string; params: readonly unknown[] }
  | { op: "raw"; sql: string; params: readonly unknown[] }
  | { op: "runMany"; batches: ReadonlyArray<StatementBatch & { packed?: PackedRows }> }
  | { op: "close" };

/**
 * Parameter rows as one message carries them cheaply: every cell's kind (0 a number, 1 a string,
 * 2 null) and number (the value, or the string's index), and each distinct string once. As
 * arrays of values, a 10,000-event batch was 10,000 arrays and 300,000 values to serialize here,
 * and to rebuild on the database's thread, where collecting them took a tenth of its time.
 */
interface PackedRows {
  width: number;
  kinds: Uint8Array;
  numbers: Float64Array;
  strings: string[];
}

/**
 * The rows packed, or undefined when a value is not a number, a string or null (or when the rows
 * have no parameters to pack).
 */
function packRows(rows: readonly (readonly unknown[])[]): PackedRows | undefined {
  const width = rows[0]?.length ?? 0;
  if (width === 0) {
    return undefined;
  }
  const kinds = new Uint8Array(rows.length * width);
  const numbers = new Float64Array(rows.length * width);
  const strings: string[] = [];
  const indexes = new Map<string, number>();
  let cell = 0;
  for (const row of rows) {
    if (row.length !== width) {
      return undefined;
    }
    for (let column = 0; column < width; column++, cell++) {
      const value = row[column];
      if (typeof value === "number") {
        numbers[cell] = value;
      } else if (typeof value === "string") {
        let index = indexes.get(value);
        if (index === undefined) {
          index = strings.length;
          strings.push(value);
          indexes.set(value, index);
        }
        kinds[cell] = 1;
        numbers[cell] = index;
      } else if (value === null) {
        kinds[cell] = 2;
      } else {
        return undefined;
      }
    }
  }
  return { width, kinds, numbers, strings };
}

/** A writer and the parameter rows to run it with, one run per row. */
export interface StatementBatch {
  sql: string;
  rows: readonly (readonly unknown[])[];
  /**
   * Runs only if every row of the batch at this index (an earlier one) changed exactly one row:
   * "add these rollups if all of those events were new", in the same message.
   */
  onlyIfAllChanged?: number;
  /**
   * For the usage events' insert, whose rows start with each event's organization and id: the
   * insert without duplicate checks, for the events the id index shows to be new (insertEvent in
   * src/db/sqlite-event-id-index.ts). It takes the id's hash, then the row's values after the two.
   */
  eventsUnchecked?: string;
}

interface Reply {
  id: number;
  result?: unknown;
  error?: { message: string; code?: string };
}

interface StatementResult {
  rows?: Record<string, unknown>[];
  changes?: number;
  lastInsertRowid?: number;
}

/** An error raised by SQLite on the worker, with its code (`SQLITE_CONSTRAINT_UNIQUE`, …). */
export class SqliteThreadError extends Error {
  override readonly name = "SqliteError";
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

/**
 * The main thread's end of the worker: each call is one message, answered in order. Callers
 * outside Kysely (the usage repositories' batch statements) must hold Kysely's connection, in a
 * transaction or through `db.connection()`, as they would hold better-sqlite3's.
 */
export class SqliteThread {
  readonly #worker: Worker;
  readonly #pending = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: Error) => void }
  >();
  #nextId = 1;
  #failed: Error | undefined;
  #closed: Promise<void> | undefined;
  #isOpen = false;
  #beginPending = false;
  /** Settles when the connection is open (rejects when it could not be opened). */
  readonly opened: Promise<void>;

  /**
   * `openAfter`: the connection opens once it settles (a reader waits for its writer).
   * `options`: the usage events' id index's sizes (src/db/sqlite-event-id-index.ts), which tests
   * shrink to reach folds and full runs with a few events; `fileMustExist`: never create the file.
   */
  constructor(
    path: string,
    pragmas: readonly string[],
    openAfter?: Promise<unknown>,
    options: EventIdIndexOptions & { fileMustExist?: boolean } = {},
  ) {
    const driver = createRequire(import.meta.url).resolve("better-sqlite3");
    this.#worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { path, driver, pragmas, ...options },
    });
    // Held only while a statement is in flight: an idle database must not keep a finished
    // process alive, and a process awaiting an answer must not end before it comes.
    this.#worker.unref();
    this.#worker.on("message", (reply: Reply) => this.#settle(reply));
    this.#worker.on("error", (error) => this.#fail(error));
    this.#worker.on("exit", () =>
      this.#fail(new Error("the SQLite thread exited; the database is closed")),
    );
    // Opening is a statement like the others: an unopenable file fails the queries after it.
    const open = () =>
      this.#send({ op: "open" }).then(() => {
        this.#isOpen = true;
      });
    this.opened = openAfter === undefined ? open() : openAfter.then(open, open);
    this.opened.catch(() => {});
  }

  /** Runs one statement: a reader's rows as objects, or a writer's changes. */
  query(sql: string, params: readonly unknown[]): Promise<StatementResult> {
    return this.#call({ op: "query", sql, params }) as Promise<StatementResult>;
  }

  /** Runs a reader, with rows as arrays in column order (no object per row). */
  raw(sql: string, params: readonly unknown[]): Promise<unknown[][]> {
    return this.#call({ op: "raw", sql, params }) as Promise<unknown[][]>;
  }

  /**
   * Runs each batch's writer once per parameter row, the batches in order, all in one message;
   * the changes of each run, per batch (null for a batch whose condition did not hold).
   */
  runMany(batches: readonly StatementBatch[]): Promise<Array<Uint32Array | null>> {
    const sent = batches.map((batch) => {
      const packed = packRows(batch.rows);
      return packed === undefined ? batch : { ...batch, rows: [], packed };
    });
    return this.#call({ op: "runMany", batches: sent }) as Promise<Array<Uint32Array | null>>;
  }

  /**
   * Begins an immediate transaction with the next statement sent, in the same message: a
   * transaction then costs the database thread no round trip of its own to the event loop, which
   * may be busy. An error in beginning is that statement's error.
   */
  beginWithNextStatement(): void {
    this.#beginPending = true;
  }

  /** Closes the connection and ends the thread, after the statements already sent. */
  close(): Promise<void> {
    this.#closed ??= this.#send({ op: "close" }).then(
      () => undefined,
      () => undefined,
    );
    return this.#closed;
  }

  /** A statement, sent once the connection is open (or failed with why it could not open). */
  #call(operation: Operation): Promise<unknown> {
    return this.#isOpen ? this.#send(operation) : this.opened.then(() => this.#send(operation));
  }

  #send(operation: Operation): Promise<unknown> {
    if (this.#failed) {
      return Promise.reject(this.#failed);
    }
    const id = this.#nextId++;
    const answer = new Promise((resolve, reject) => this.#pending.set(id, { resolve, reject }));
    if (this.#pending.size === 1) {
      this.#worker.ref();
    }
    if (this.#beginPending && operation.op !== "open" && operation.op !== "close") {
      this.#beginPending = false;
      this.#worker.postMessage({ id, begin: true, ...operation });
    } else {
      this.#worker.postMessage({ id, ...operation });
    }
    return answer;
  }

  #settle(reply: Reply): void {
    const pending = this.#pending.get(reply.id);
    if (pending === undefined) {
      return;
    }
    this.#pending.delete(reply.id);
    if (this.#pending.size === 0) {
      this.#worker.unref();
    }
    if (reply.error) {
      pending.reject(new SqliteThreadError(reply.error.message, reply.error.code));
    } else {
      pending.resolve(reply.result);
    }
  }

  #fail(error: Error): void {
    this.#failed ??= error;
    for (const { reject } of this.#pending.values()) {
      reject(error);
    }
    this.#pending.clear();
  }
}

/**
 * The connections of one SQLite database: the writer, which runs every transaction and every
 * write, and a reader (a second connection to the same file, `query_only`) for statements outside
 * a transaction that only read. In WAL mode a reader sees every committed transaction and waits
 * for none, so reports and lookups go on while a large usage batch is being written. (Hence no
 * `:memory:` database: a second connection could not open it.)
 */
export interface SqliteConnections {
  writer: SqliteThread;
  reader: SqliteThread;
}

/** A Kysely dialect over SqliteConnections: Kysely's own SQLite dialect, with asynchronous statements. */
export class SqliteThreadDialect implements Dialect {
  constructor(private readonly connections: SqliteConnections) {}

  createAdapter() {
    return new SqliteAdapter();
  }

  createDriver(): Driver {
    return new SqliteThreadDriver(this.connections);
  }

  createQueryCompiler() {
    return new SqliteQueryCompiler();
  }

  // biome-ignore lint/suspicious/noExplicitAny: Kysely's Dialect signature
  createIntrospector(db: Kysely<any>) {
    return new SqliteIntrospector(db);
  }
}

class SqliteThreadDriver implements Driver {
  // One writer, as SQLite has one: transactions and writes take turns on it.
  readonly #writerMutex = new ConnectionMutex();

  constructor(private readonly connections: SqliteConnections) {}

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    return new RoutedConnection(this.connections, this.#writerMutex);
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as RoutedConnection).begin();
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("commit"));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("rollback"));
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    (connection as RoutedConnection).release();
  }

  async destroy(): Promise<void> {
    await this.connections.writer.close();
    await this.connections.reader.close();
  }
}

/**
 * What Kysely sees as a connection: a transaction holds the writer from `begin` to its release; a
 * statement outside one goes to the reader when it is a select, and otherwise takes the writer
 * for itself alone.
 */
class RoutedConnection implements DatabaseConnection {
  #holdsWriter = false;

  constructor(
    private readonly connections: SqliteConnections,
    private readonly writerMutex: ConnectionMutex,
  ) {}

  async begin(): Promise<void> {
    // A connection held across transactions (Kysely's `db.connection()`, as its migrator holds
    // one) still holds the writer from the one before: locking it again would wait forever.
    if (!this.#holdsWriter) {
      await this.writerMutex.lock();
      this.#holdsWriter = true;
    }
    // Immediate: the write lock is taken at the start, so another process's writer (the operator
    // CLI) makes this wait (busy_timeout, on the worker) instead of failing halfway through. Sent
    // with the transaction's first statement.
    this.connections.writer.beginWithNextStatement();
  }

  release(): void {
    if (this.#holdsWriter) {
      this.#holdsWriter = false;
      this.writerMutex.unlock();
    }
  }

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const { writer, reader } = this.connections;
    if (this.#holdsWriter) {
      return this.#run(writer, compiledQuery);
    }
    if (SelectQueryNode.is(compiledQuery.query)) {
      return this.#run(reader, compiledQuery);
    }
    await this.writerMutex.lock();
    try {
      return await this.#run(writer, compiledQuery);
    } finally {
      this.writerMutex.unlock();
    }
  }

  async #run<R>(thread: SqliteThread, compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const result = await thread.query(compiledQuery.sql, compiledQuery.parameters);
    if (result.rows !== undefined) {
      return { rows: result.rows as R[] };
    }
    return {
      rows: [],
      numAffectedRows: BigInt(result.changes ?? 0),
      ...(result.lastInsertRowid === undefined ? {} : { insertId: BigInt(result.lastInsertRowid) }),
    };
  }

  // biome-ignore lint/correctness/useYield: streaming is not offered; the error says so
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error("streaming queries are not supported on SQLite");
  }
}

/** Kysely's own mutex for its one SQLite connection. */
class ConnectionMutex {
  #promise: Promise<void> | undefined;
  #resolve: (() => void) | undefined;

  async lock(): Promise<void> {
    while (this.#promise) {
      await this.#promise;
    }
    this.#promise = new Promise((resolve) => {
      this.#resolve = resolve;
    });
  }

  unlock(): void {
    const resolve = this.#resolve;
    this.#promise = undefined;
    this.#resolve = undefined;
    resolve?.();
  }
}
