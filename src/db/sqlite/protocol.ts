/**
 * The messages between a SqliteThread (src/db/sqlite-thread.ts) and its connection's worker
 * (connection-worker.ts): each operation carries an id, and its reply the same id.
 */

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
   * The rows are usage events, organization_id and id first, and `sql` inserts one (`on conflict
   * do nothing`): the id index decides which are new (src/db/sqlite/event-id-index.ts).
   */
  usageEvents?: boolean;
}

/**
 * Parameter rows as one message carries them cheaply: every cell's kind (0 a number, 1 a string,
 * 2 null) and number (the value, or the string's index), and each distinct string once. As
 * arrays of values, a 10,000-event batch was 10,000 arrays and 300,000 values to serialize, and to
 * rebuild on the database's thread, where collecting them took a tenth of its time.
 */
export interface PackedRows {
  width: number;
  kinds: Uint8Array;
  numbers: Float64Array;
  strings: string[];
}

const NUMBER = 0;
const STRING = 1;
const NULL = 2;

/**
 * The rows packed, or undefined when a value is not a number, a string or null (or when the rows
 * have no parameters to pack).
 */
export function packRows(rows: readonly (readonly unknown[])[]): PackedRows | undefined {
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
        kinds[cell] = STRING;
        numbers[cell] = index;
      } else if (value === null) {
        kinds[cell] = NULL;
      } else {
        return undefined;
      }
    }
  }
  return { width, kinds, numbers, strings };
}

/**
 * Runs `run` on each packed row, with one parameter array filled again for every row (nothing per
 * row is left for the collector), and returns what each run returned.
 */
export function forEachPackedRow(
  packed: PackedRows,
  run: (params: unknown[]) => number,
): Uint32Array {
  const { width, kinds, numbers, strings } = packed;
  const count = kinds.length / width;
  const results = new Uint32Array(count);
  const params: unknown[] = new Array(width);
  for (let row = 0, cell = 0; row < count; row++) {
    for (let column = 0; column < width; column++, cell++) {
      const kind = kinds[cell];
      params[column] =
        kind === NUMBER ? numbers[cell] : kind === STRING ? strings[numbers[cell] ?? 0] : null;
    }
    results[row] = run(params);
  }
  return results;
}

export type Operation =
  | { op: "open" }
  | { op: "query"; sql: string; params: readonly unknown[] }
  | { op: "raw"; sql: string; params: readonly unknown[] }
  | { op: "runMany"; batches: ReadonlyArray<StatementBatch & { packed?: PackedRows }> }
  | { op: "close" };

/** An operation as sent: `begin` opens an immediate transaction before it, in the same message. */
export type Request = Operation & { id: number; begin?: boolean };

export interface Reply {
  id: number;
  result?: unknown;
  error?: { message: string; code?: string | undefined };
}

/** A statement's answer: a reader's rows as objects, or a writer's changes. */
export interface StatementResult {
  rows?: Record<string, unknown>[];
  changes?: number;
  lastInsertRowid?: number;
}

/** What a connection's worker is started with. */
export interface ConnectionOptions {
  path: string;
  pragmas: readonly string[];
  /** Never create the file. */
  fileMustExist?: boolean | undefined;
  /** The usage events' id index's sizes (tests shrink them). */
  recentIdsFoldAt?: number | undefined;
}
