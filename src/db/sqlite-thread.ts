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
import type { EventIdIndexOptions } from "./sqlite/event-id-index.js";
import {
  type ConnectionOptions,
  type Operation,
  packRows,
  type Reply,
  type Request,
  type StatementBatch,
  type StatementResult,
} from "./sqlite/protocol.js";
import { workerUrl } from "./sqlite/worker-url.js";

export type { StatementBatch } from "./sqlite/protocol.js";

/**
 * SQLite on threads of its own. better-sqlite3 is synchronous: on the thread that serves
 * requests, every statement (a usage batch's thousands of inserts and rollup upserts, a report's
 * scan) stops the gateway and every other request until it returns. Here each connection lives on
 * a worker thread (src/db/sqlite/connection-worker.ts), and each statement is a message: the event
 * loop goes on serving while SQLite works, and a machine's second core does the database's work.
 *
 * There is still one writing connection, as with better-sqlite3 on the main thread: a mutex (the
 * driver below) hands it to one write or transaction at a time, so transactions keep SQLite's
 * semantics, and nothing of the process contends for SQLite's own write lock. Reads outside a
 * transaction go to a second, read-only connection (SqliteConnections).
 */

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
   * `options`: the usage events' id index's sizes (src/db/sqlite/event-id-index.ts), which tests
   * shrink to reach folds and full runs with a few events; `fileMustExist`: never create the file.
   */
  constructor(
    path: string,
    pragmas: readonly string[],
    openAfter?: Promise<unknown>,
    options: EventIdIndexOptions & { fileMustExist?: boolean } = {},
  ) {
    const workerData: ConnectionOptions = {
      path,
      pragmas,
      fileMustExist: options.fileMustExist,
      recentIdsFoldAt: options.recentIdsFoldAt,
    };
    // None of this process's flags: under tsx, its loader would take half a second to start.
    this.#worker = new Worker(workerUrl("connection-worker"), { workerData, execArgv: [] });
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
      this.#worker.postMessage({ id, begin: true, ...operation } satisfies Request);
    } else {
      this.#worker.postMessage({ id, ...operation } satisfies Request);
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
