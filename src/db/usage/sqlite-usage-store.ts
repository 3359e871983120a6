import { type Kysely, sql } from "kysely";
import { SUM_COLUMNS } from "../../core/usage/metered.js";
import type {
  JsonShape,
  RolledUp,
  RollupGroup,
  RollupQuery,
  RollupTable,
  UsageEventRow,
  UsageRollupRow,
} from "../../core/usage/usage-store.js";
import { compileValues } from "../repositories/values.js";
import type { DB } from "../schema.js";
import { DROP_EMPTIED_RUNS_SQL } from "../sqlite/event-id-index.js";
import type { SqliteConnections, StatementBatch } from "../sqlite-thread.js";
import {
  groupsOf,
  inDimensionOrder,
  KyselyUsageEvents,
  KyselyUsageRollups,
} from "./kysely-usage-store.js";
import { EVENT_COLUMNS, ROLLUP_COLUMNS, ROLLUP_KEY_COLUMNS } from "./usage-columns.js";

/**
 * Usage on SQLite. The hot statements run on the database's own thread (src/db/sqlite/):
 * a batch of events and its rollups in one message, and a report's rows read as JSON written by
 * SQLite, so that neither costs the thread serving requests a JavaScript value per row.
 */

// Prepared once on the database's thread and run for a whole batch in one message: building and
// preparing a 500-row statement for every batch cost more than the rows' own insertion.
//
// An event is new unless one already stored has its organization and id: the writer's id index
// decides (src/db/sqlite/event-id-index.ts), and a unique index refuses a repeated Steward id.
const INSERT_EVENT = `insert into usage_events (${EVENT_COLUMNS.join(", ")})
  values (${EVENT_COLUMNS.map(() => "?").join(", ")}) on conflict do nothing`;

const insertEventValues = compileValues<UsageEventRow>(EVENT_COLUMNS);

const TOUCH_API_KEY =
  "update api_keys set last_used_at = ? where id = ? and (last_used_at is null or last_used_at < ?)";

const rollupValues = compileValues<UsageRollupRow>(ROLLUP_COLUMNS);

function upsertRollupSql(table: RollupTable): string {
  const additions = SUM_COLUMNS.map((c) => `${c} = ${table}.${c} + excluded.${c}`).join(", ");
  return `insert into ${table} (${ROLLUP_COLUMNS.join(", ")}) values (${ROLLUP_COLUMNS.map(() => "?").join(", ")}) on conflict (${ROLLUP_KEY_COLUMNS.join(", ")}) do update set ${additions}`;
}

/** The upserts that add rollup rows to their tables, one batch per table with rows. */
function rollupStatements(
  tables: ReadonlyArray<readonly [RollupTable, readonly UsageRollupRow[]]>,
): StatementBatch[] {
  return tables
    .filter(([, rows]) => rows.length > 0)
    .map(([table, rows]) => ({ sql: upsertRollupSql(table), rows: rows.map(rollupValues) }));
}

export class SqliteUsageEvents extends KyselyUsageEvents {
  constructor(
    db: Kysely<DB>,
    /** The same connection's threads, for the batch insert. */
    private readonly sqlite: SqliteConnections,
  ) {
    super(db);
  }

  /**
   * The rows go through a prepared statement on the transaction's own connection, and the rollups'
   * upserts in the same message, run there if every event was new.
   */
  async insertNew(
    rows: readonly UsageEventRow[],
    rollups: RolledUp = [],
  ): Promise<{ inserted: UsageEventRow[]; rolledUp: boolean }> {
    if (rows.length === 0) {
      return { inserted: [], rolledUp: false };
    }
    const [changes, ...followers] = await this.sqlite.writer.runMany([
      { sql: INSERT_EVENT, rows: rows.map(insertEventValues), usageEvents: true },
      ...rollupStatements(rollups).map((batch) => ({ ...batch, onlyIfAllChanged: 0 })),
    ]);
    return {
      inserted: rows.filter((_, i) => changes?.[i] === 1),
      rolledUp: followers.length > 0 && followers.every((result) => result !== null),
    };
  }

  /**
   * In the caller's transaction: the writer then has the id index's filters loaded, and the
   * delete trigger finds the entries of the deleted events by them.
   */
  override async deleteOlderThan(before: string, limit: number): Promise<number> {
    const deleted = await super.deleteOlderThan(before, limit);
    // The id index's runs whose events this emptied go, with their filters.
    await sql.raw(DROP_EMPTIED_RUNS_SQL).execute(this.db);
    return deleted;
  }

  async touchApiKeys(lastUsed: Map<string, string>): Promise<void> {
    if (lastUsed.size === 0) {
      return;
    }
    // Every key of a batch in one message to the writer, not a round trip each.
    await this.sqlite.writer.runMany([
      { sql: TOUCH_API_KEY, rows: [...lastUsed].map(([id, at]) => [at, id, at]) },
    ]);
  }
}

/** The SQL of a JSON object of `shape` over the columns of a report query. */
function jsonObjectSql(shape: JsonShape): string {
  const parts = shape.map(([name, field]) => {
    if (!/^[a-z_][a-z0-9_]*$/.test(name)) {
      throw new Error(`not a JSON field name: ${name}`);
    }
    let value: string;
    if (field === null) {
      value = "null";
    } else if ("sum" in field) {
      value = `"${field.sum}"`;
    } else if ("dimension" in field) {
      value = field.emptyAsNull ? `nullif("${field.dimension}", '')` : `"${field.dimension}"`;
    } else {
      value = jsonObjectSql(field.fields);
    }
    return `'${name}', ${value}`;
  });
  return `json_object(${parts.join(", ")})`;
}

export class SqliteUsageRollups extends KyselyUsageRollups {
  constructor(
    db: Kysely<DB>,
    /** The same connection's threads, for a batch's upserts in one message and report reads. */
    private readonly sqlite: SqliteConnections,
  ) {
    super(db);
  }

  async add(
    tables: ReadonlyArray<readonly [RollupTable, readonly UsageRollupRow[]]>,
  ): Promise<void> {
    const statements = rollupStatements(tables);
    if (statements.length > 0) {
      // Every table's upserts in one message to the database's thread.
      await this.sqlite.writer.runMany(statements);
    }
  }

  /**
   * The rows come back as one JSON text made by SQLite itself: a report can be thousands of rows,
   * and turning each of their values into a JavaScript value on the database's thread, then
   * copying them all to this one, cost twenty times the query. The order is the query's (by
   * bucket, then the grouped dimensions).
   */
  async sum(query: RollupQuery): Promise<RollupGroup[]> {
    const compiled = this.sumQuery(query);
    const groupBy = inDimensionOrder(query.groupBy);
    const list = ["bucket", ...groupBy, ...query.sums].map((column) => `"${column}"`).join(", ");
    const order = ["bucket", ...groupBy].map((column) => `"${column}"`).join(", ");
    const json = `select json_group_array(json_array(${list}) order by ${order}) from (${compiled.sql})`;
    const [[text]] = (await this.#read(json, compiled.parameters)) as [[string]];
    return groupsOf(JSON.parse(text) as unknown[][], query.groupBy, query.sums);
  }

  /**
   * Each group written by SQLite as a JSON object, on its reader's thread: a report of thousands
   * of groups then needs no JavaScript object per group, nor their serialization, on the thread
   * that serves requests. The arrays come as bytes (a blob), not text: the response is bytes too,
   * and a few megabytes of text cost the serving thread a string to flatten and encode again,
   * several milliseconds a request.
   */
  async sumAsJson(query: RollupQuery, shape: JsonShape): Promise<Map<string, Uint8Array>> {
    const compiled = this.sumQuery(query);
    const order = inDimensionOrder(query.groupBy)
      .map((dimension) => `"${dimension}"`)
      .join(", ");
    const within = order === "" ? "" : ` order by ${order}`;
    const json = `select "bucket", cast(json_group_array(${jsonObjectSql(shape)}${within}) as blob) from (${compiled.sql}) group by "bucket"`;
    const rows = (await this.#read(json, compiled.parameters)) as Array<[string, Uint8Array]>;
    return new Map(rows);
  }

  /**
   * A report's read, rows as arrays. Outside a transaction it goes to the reader, which sees
   * committed batches whole and waits for none; inside one, to the transaction's writer.
   */
  #read(statement: string, parameters: readonly unknown[]): Promise<unknown[][]> {
    return (this.db.isTransaction ? this.sqlite.writer : this.sqlite.reader).raw(
      statement,
      parameters,
    );
  }
}
