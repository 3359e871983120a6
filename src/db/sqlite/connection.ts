import SQLite from "better-sqlite3";
import { EventIdIndex, idHash } from "./event-id-index.js";
import {
  type ConnectionOptions,
  forEachPackedRow,
  type Reply,
  type Request,
  type StatementBatch,
} from "./protocol.js";

/**
 * Prepared statements kept by their text: Kysely asks for the same few hundred statements again
 * and again.
 */
const STATEMENTS_KEPT = 500;

/**
 * One better-sqlite3 connection answering a SqliteThread's requests, on the worker thread that
 * holds it (connection-worker.ts). Each request is answered synchronously, in order.
 */
export class Connection {
  readonly #options: ConnectionOptions;
  readonly #statements = new Map<string, SQLite.Statement>();
  #db: SQLite.Database | undefined;
  #index: EventIdIndex | undefined;
  #openError: unknown;

  constructor(options: ConnectionOptions) {
    this.#options = options;
  }

  /** The request's result, or its error as a reply carries it. */
  answer(request: Request): Reply {
    try {
      return { id: request.id, result: this.handle(request) };
    } catch (error) {
      return { id: request.id, error: failure(error) };
    }
  }

  /** The request's result; throws SQLite's error. */
  handle(request: Request): unknown {
    if (request.op === "open") {
      this.#open();
      return null;
    }
    if (request.op === "close") {
      this.#close();
      return null;
    }
    const { db, index } = this.#opened();
    if (request.begin) {
      this.#statement("begin immediate").run();
      index.sync();
    }
    switch (request.op) {
      case "query": {
        // A transaction whose deferred begin failed has nothing to roll back: the begin's error is
        // the one to report, not this one's.
        if (request.sql === "rollback" && !db.inTransaction) {
          return { changes: 0 };
        }
        const prepared = this.#statement(request.sql);
        if (prepared.reader) {
          return { rows: prepared.raw(false).all(request.params) };
        }
        const result =
          request.sql === "commit"
            ? index.commit(() => prepared.run(request.params))
            : prepared.run(request.params);
        return { changes: result.changes, lastInsertRowid: Number(result.lastInsertRowid) };
      }
      case "raw":
        return this.#statement(request.sql).raw(true).all(request.params);
      case "runMany": {
        const results: Array<Uint32Array | null> = [];
        for (const batch of request.batches) {
          const condition = batch.onlyIfAllChanged;
          if (condition !== undefined && !results[condition]?.every((changed) => changed === 1)) {
            results.push(null);
            continue;
          }
          const run = this.#rowRunner(batch, index);
          results.push(
            batch.packed ? forEachPackedRow(batch.packed, run) : runRows(batch.rows, run),
          );
        }
        return results;
      }
    }
  }

  #open(): void {
    const { path, pragmas, fileMustExist, recentIdsFoldAt } = this.#options;
    try {
      const db = new SQLite(path, { fileMustExist: fileMustExist === true });
      for (const pragma of pragmas) {
        db.pragma(pragma);
      }
      // Only migration 0009 calls it, to fill the column it added (0017 drops it): no trigger or
      // index needs a function of Steward's, so that a plain `sqlite3` can write to the file.
      db.function("steward_id_hash", { deterministic: true }, (organizationId, id) =>
        idHash(String(organizationId), String(id)),
      );
      this.#db = db;
      this.#index = new EventIdIndex(db, { recentIdsFoldAt });
    } catch (error) {
      this.#openError = error;
      throw error;
    }
  }

  #close(): void {
    this.#statements.clear();
    this.#index?.close();
    this.#db?.close();
    this.#db = undefined;
    this.#index = undefined;
  }

  #opened(): { db: SQLite.Database; index: EventIdIndex } {
    if (this.#openError !== undefined) {
      throw this.#openError;
    }
    if (this.#db === undefined || this.#index === undefined) {
      throw new Error("the database is closed");
    }
    return { db: this.#db, index: this.#index };
  }

  #statement(sql: string): SQLite.Statement {
    let prepared = this.#statements.get(sql);
    if (prepared === undefined) {
      prepared = this.#opened().db.prepare(sql);
      if (this.#statements.size >= STATEMENTS_KEPT) {
        const oldest = this.#statements.keys().next();
        if (!oldest.done) {
          this.#statements.delete(oldest.value);
        }
      }
      this.#statements.set(sql, prepared);
    }
    return prepared;
  }

  /** How a batch's rows are run, each returning the rows it changed. */
  #rowRunner(batch: StatementBatch, index: EventIdIndex): (params: unknown[]) => number {
    const prepared = this.#statement(batch.sql);
    if (batch.usageEvents) {
      return (params) => index.insert(prepared, params);
    }
    return (params) => prepared.run(params).changes;
  }
}

function runRows(
  rows: readonly (readonly unknown[])[],
  run: (params: unknown[]) => number,
): Uint32Array {
  const changes = new Uint32Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    changes[i] = run(rows[i] as unknown[]);
  }
  return changes;
}

function failure(error: unknown): { message: string; code?: string } {
  const { message, code } = (error ?? {}) as { message?: unknown; code?: unknown };
  return {
    message: typeof message === "string" ? message : String(error),
    ...(typeof code === "string" ? { code } : {}),
  };
}
