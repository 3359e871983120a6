import {
  type CompiledQuery,
  type Expression,
  type Kysely,
  type RawBuilder,
  type SelectQueryBuilder,
  sql,
} from "kysely";
import type { DB, UsageRollupRow } from "../schema.js";
import type { SqliteConnections, StatementBatch } from "../sqlite-thread.js";
import { compileValues, unnestRows } from "./values.js";

export type RollupTable =
  | "usage_key_hour"
  | "usage_key_day"
  | "usage_workspace_hour"
  | "usage_workspace_day"
  | "usage_org_hour"
  | "usage_org_day"
  | "usage_workspace_model_day";

/** What a rollup row is grouped by, besides its bucket and organization. */
export const DIMENSIONS = [
  "workspace_id",
  "api_key_id",
  "model",
  "service_tier",
  "context_window",
  "inference_geo",
] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export const SUM_COLUMNS = [
  "requests",
  "input_tokens",
  "output_tokens",
  "cache_creation_5m_tokens",
  "cache_creation_1h_tokens",
  "cache_read_tokens",
  "web_search_requests",
  "cost_nanos",
  "cost_input_nanos",
  "cost_output_nanos",
  "cost_cache_write_5m_nanos",
  "cost_cache_write_1h_nanos",
  "cost_cache_read_nanos",
  "cost_web_search_nanos",
  "cost_fallback_nanos",
] as const;
export type SumColumn = (typeof SUM_COLUMNS)[number];
export type RollupSums = Record<SumColumn, number>;

const KEY_COLUMNS = ["organization_id", "bucket_start", ...DIMENSIONS] as const;
const ALL_COLUMNS = [...KEY_COLUMNS, ...SUM_COLUMNS] as const;
const valuesOf = compileValues<UsageRollupRow>(ALL_COLUMNS);
const PG_COLUMNS = [
  ...KEY_COLUMNS.map((c) => [c, "text"] as const),
  ...SUM_COLUMNS.map((c) => [c, "bigint"] as const),
];

/**
 * Where a report's sums come from: a rollup table, or, for minute buckets, the raw events (a
 * minute report spans at most a day; no rollup by the minute is kept).
 */
export type UsageSource = RollupTable | "usage_events";

/**
 * A field of a JSON result (`sumAsJson`): one of the sums, a grouped dimension (with '' as null
 * when `emptyAsNull`), null, or an object of fields.
 */
export type JsonField =
  | { sum: SumColumn }
  | { dimension: Dimension; emptyAsNull?: boolean }
  | { fields: JsonShape }
  | null;
export type JsonShape = ReadonlyArray<readonly [name: string, field: JsonField]>;

/** The SQL of a JSON object of `shape` over the columns of `sum`'s query. */
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

export interface RollupQuery {
  table: UsageSource;
  organizationId: string;
  /** First bucket start included. */
  from: string;
  /** First bucket start excluded. */
  to: string;
  /** `month` folds the rows of a day table into calendar months (`YYYY-MM`). */
  bucket: "start" | "month";
  groupBy: readonly Dimension[];
  /** Only rows whose dimension is one of the values. */
  filters: Partial<Record<Dimension, readonly string[]>>;
  /** The sums the report needs; the others come back as 0. */
  sums: readonly SumColumn[];
}

// A raw event's value of each dimension as the rollups hold it: '' for no key, and the
// defaults rollUp (src/core/usage/rollup.ts) gives a missing service tier or geo.
const EVENT_DIMENSIONS: Record<Dimension, RawBuilder<string>> = {
  workspace_id: sql<string>`workspace_id`,
  api_key_id: sql<string>`coalesce(api_key_id, '')`,
  model: sql<string>`model`,
  service_tier: sql<string>`coalesce(service_tier, 'standard')`,
  context_window: sql<string>`context_window`,
  inference_geo: sql<string>`coalesce(inference_geo, 'not_available')`,
};

const EVENT_SUMS = Object.fromEntries(
  SUM_COLUMNS.map((column) => [
    column,
    column === "requests"
      ? sql<number | string>`count(*)`
      : sql<number | string>`sum(${sql.ref(column)})`,
  ]),
) as Record<SumColumn, RawBuilder<number | string>>;

/** The grouped dimensions in `DIMENSIONS` order, the order of a report query's columns. */
function inDimensionOrder(groupBy: readonly Dimension[]): Dimension[] {
  return DIMENSIONS.filter((dimension) => groupBy.includes(dimension));
}

/**
 * Keeps the rows whose dimension is one of the filter's values, for each filtered dimension (none
 * when a filter is empty); `column` is where a row holds a dimension.
 */
// biome-ignore lint/suspicious/noExplicitAny: rollup tables are chosen at run time (see the class)
function whereIn<Select extends SelectQueryBuilder<any, any, any>>(
  select: Select,
  filters: RollupQuery["filters"],
  column: (dimension: Dimension) => Expression<string>,
): Select {
  let filtered = select;
  for (const dimension of DIMENSIONS) {
    const values = filters[dimension];
    if (values !== undefined) {
      filtered = (
        values.length === 0
          ? filtered.where(sql<boolean>`1 = 0`)
          : filtered.where(column(dimension), "in", values)
      ) as Select;
    }
  }
  return filtered;
}

/** All sums at 0 (a literal: it is made for every row of every report). */
export function emptySums(): RollupSums {
  return {
    requests: 0,
    input_tokens: 0,
    output_tokens: 0,
    cache_creation_5m_tokens: 0,
    cache_creation_1h_tokens: 0,
    cache_read_tokens: 0,
    web_search_requests: 0,
    cost_nanos: 0,
    cost_input_nanos: 0,
    cost_output_nanos: 0,
    cost_cache_write_5m_nanos: 0,
    cost_cache_write_1h_nanos: 0,
    cost_cache_read_nanos: 0,
    cost_web_search_nanos: 0,
    cost_fallback_nanos: 0,
  };
}

/** Dimensions a rollup table leaves out, and so holds as '' in every row. */
function constantDimensions(table: RollupTable): Dimension[] {
  if (table === "usage_workspace_model_day") {
    return ["api_key_id", "service_tier", "context_window", "inference_geo"];
  }
  if (table.startsWith("usage_org_")) {
    return ["workspace_id", "api_key_id"];
  }
  return table.startsWith("usage_workspace_") ? ["api_key_id"] : [];
}

export interface SpendTotal {
  scopeId: string;
  nanos: number;
}

export interface RollupGroup {
  bucket: string;
  dimensions: Partial<Record<Dimension, string>>;
  sums: RollupSums;
}

function upsertSql(table: RollupTable): string {
  const additions = SUM_COLUMNS.map((c) => `${c} = ${table}.${c} + excluded.${c}`).join(", ");
  return `insert into ${table} (${ALL_COLUMNS.join(", ")}) values (${ALL_COLUMNS.map(() => "?").join(", ")}) on conflict (${KEY_COLUMNS.join(", ")}) do update set ${additions}`;
}

/**
 * The rollup tables: adding an aggregated batch to them, summing them for reports, and pruning
 * old buckets. Table names vary at run time, so queries go through an untyped view of the
 * database; the column lists above are the schema's.
 */
export class UsageRollupRepository {
  // biome-ignore lint/suspicious/noExplicitAny: the table is chosen at run time among same-shaped ones
  private readonly db: Kysely<any>;

  constructor(
    db: Kysely<DB>,
    /** Present on SQLite: the same connection, for a batch's upserts in one message. */
    private readonly sqlite?: SqliteConnections,
  ) {
    this.db = db;
  }

  /**
   * Adds each row's sums to the stored row with the same key in its table, or stores it. Rows of
   * a table must have distinct keys and, so that concurrent writers lock rows in the same order,
   * come sorted.
   */
  async add(
    tables: ReadonlyArray<readonly [RollupTable, readonly UsageRollupRow[]]>,
  ): Promise<void> {
    const batches = tables.filter(([, rows]) => rows.length > 0);
    if (batches.length === 0) {
      return;
    }
    if (this.sqlite) {
      // Every table's upserts in one message to the database's thread.
      await this.sqlite.writer.runMany(this.sqliteStatements(batches));
      return;
    }
    for (const [table, rows] of batches) {
      const additions = SUM_COLUMNS.map(
        (c) => sql`${sql.ref(c)} = ${sql.table(table)}.${sql.ref(c)} + excluded.${sql.ref(c)}`,
      );
      await sql`
        insert into ${sql.table(table)} (${sql.join(ALL_COLUMNS.map((c) => sql.ref(c)))})
        ${unnestRows(PG_COLUMNS, rows)}
        on conflict (${sql.join(KEY_COLUMNS.map((c) => sql.ref(c)))})
        do update set ${sql.join(additions)}`.execute(this.db);
    }
  }

  /**
   * On SQLite, the statements `add` runs, for the caller to send along with others in one message
   * (UsageRepository.insertNew); on PostgreSQL, none.
   */
  sqliteStatements(
    tables: ReadonlyArray<readonly [RollupTable, readonly UsageRollupRow[]]>,
  ): StatementBatch[] {
    if (!this.sqlite) {
      return [];
    }
    return tables
      .filter(([, rows]) => rows.length > 0)
      .map(([table, rows]) => ({ sql: upsertSql(table), rows: rows.map(valuesOf) }));
  }

  /** Sums rows per bucket and per value of the grouped dimensions, in bucket then group order. */
  async sum(query: RollupQuery): Promise<RollupGroup[]> {
    return this.#groups(this.#sumQuery(query), query.groupBy, query.sums);
  }

  /** Whether `sumAsJson` is offered: on SQLite, whose reader thread can write the JSON. */
  get writesJson(): boolean {
    return this.sqlite !== undefined;
  }

  /**
   * SQLite: the groups of `sum(query)`, each written by the database as a JSON object of `shape`,
   * as one JSON array per bucket (groups in the same order), in UTF-8 bytes. A report of thousands
   * of groups then needs no JavaScript object per group, nor their serialization, on the thread
   * that serves requests: SQLite writes the JSON on its reader's thread. The arrays come as bytes
   * (a blob), not text: the response is bytes too, and a few megabytes of text cost the serving
   * thread a string to flatten and encode again, several milliseconds a request. (PostgreSQL's
   * json_agg of json_build_object took longer than building the objects here.)
   */
  async sumAsJson(query: RollupQuery, shape: JsonShape): Promise<Map<string, Uint8Array>> {
    const sqlite = this.sqlite;
    if (sqlite === undefined) {
      throw new Error("sumAsJson is offered on SQLite only (see writesJson)");
    }
    const compiled = this.#sumQuery(query);
    const groupBy = inDimensionOrder(query.groupBy);
    const order = groupBy.map((dimension) => `"${dimension}"`).join(", ");
    const within = order === "" ? "" : ` order by ${order}`;
    const json = `select "bucket", cast(json_group_array(${jsonObjectSql(shape)}${within}) as blob) from (${compiled.sql}) group by "bucket"`;
    const rows = (await this.#readSqlite(sqlite, json, compiled.parameters)) as Array<
      [string, Uint8Array]
    >;
    return new Map(rows);
  }

  /** The query of `sum`: the bucket, the grouped dimensions in `DIMENSIONS` order, then the sums. */
  #sumQuery(query: RollupQuery): CompiledQuery {
    if (query.table === "usage_events") {
      return this.#sumEventsQuery(query);
    }
    const bucket =
      query.bucket === "month"
        ? sql<string>`substr(bucket_start, 1, 7)`
        : sql<string>`bucket_start`;
    // Grouped in the primary key's column order, whatever order the caller named them in, and
    // through the columns a table holds constant ('' keys in the workspace rollups): the database
    // then groups rows as it reads them along the key, without sorting them first.
    const groupBy = inDimensionOrder(query.groupBy);
    const constant = constantDimensions(query.table);
    const last = Math.max(-1, ...groupBy.map((dimension) => DIMENSIONS.indexOf(dimension)));
    const groupColumns = DIMENSIONS.filter(
      (dimension, i) => groupBy.includes(dimension) || (constant.includes(dimension) && i < last),
    );
    let select = this.db
      .selectFrom(query.table)
      .where("organization_id", "=", query.organizationId)
      .where("bucket_start", ">=", query.from)
      .where("bucket_start", "<", query.to);
    select = whereIn(select, query.filters, (dimension) => sql.ref(dimension));
    // When the groups are the table's own rows (every dimension it keeps is grouped, by its own
    // buckets), its rows are read as they are: a month by workspace and model is thousands of
    // rows, and aggregating each into itself cost a third of the query.
    const rowsAreGroups =
      query.bucket === "start" &&
      DIMENSIONS.every((dimension) => groupBy.includes(dimension) || constant.includes(dimension));
    let grouped = rowsAreGroups
      ? select.select([
          bucket.as("bucket"),
          ...groupBy,
          ...query.sums.map((c) => sql<number | string>`${sql.ref(c)}`.as(c)),
        ])
      : select
          .select([
            bucket.as("bucket"),
            ...groupBy,
            ...query.sums.map((c) => sql<number | string>`sum(${sql.ref(c)})`.as(c)),
          ])
          .groupBy([bucket, ...groupColumns]);
    grouped = grouped.orderBy(bucket);
    for (const dimension of groupColumns) {
      grouped = grouped.orderBy(dimension);
    }
    return grouped.compile();
  }

  /**
   * Minute buckets, summed from the raw events with the values the rollups give a missing
   * dimension (rollUp's defaults), so that they agree with the hour and day reports.
   */
  #sumEventsQuery(query: RollupQuery): CompiledQuery {
    const groupBy = inDimensionOrder(query.groupBy);
    const bucket = sql<string>`substr(occurred_at, 1, 16) || ':00.000Z'`;
    let select = this.db
      .selectFrom("usage_events")
      .where("organization_id", "=", query.organizationId)
      .where("occurred_at", ">=", query.from)
      .where("occurred_at", "<", query.to);
    select = whereIn(select, query.filters, (dimension) => EVENT_DIMENSIONS[dimension]);
    let grouped = select
      .select([
        bucket.as("bucket"),
        ...groupBy.map((dimension) => EVENT_DIMENSIONS[dimension].as(dimension)),
        ...query.sums.map((column) => EVENT_SUMS[column].as(column)),
      ])
      .groupBy([bucket, ...groupBy.map((dimension) => EVENT_DIMENSIONS[dimension])])
      .orderBy(bucket);
    for (const dimension of groupBy) {
      grouped = grouped.orderBy(EVENT_DIMENSIONS[dimension]);
    }
    return grouped.compile();
  }

  /**
   * A report's read on SQLite, rows as arrays. Outside a transaction it goes to the reader, which
   * sees committed batches whole and waits for none; inside one, to the transaction's writer.
   */
  #readSqlite(
    sqlite: SqliteConnections,
    statement: string,
    parameters: readonly unknown[],
  ): Promise<unknown[][]> {
    return (this.db.isTransaction ? sqlite.writer : sqlite.reader).raw(statement, parameters);
  }

  /** Runs a compiled report query whose columns are the bucket, the grouped dimensions, then `sums`. */
  async #groups(
    compiled: CompiledQuery,
    dimensions: readonly Dimension[],
    sums: readonly SumColumn[],
  ): Promise<RollupGroup[]> {
    const groupBy = inDimensionOrder(dimensions);
    const columns = ["bucket", ...groupBy, ...sums];
    const sqlite = this.sqlite;
    let rows: unknown[][];
    if (sqlite) {
      // On SQLite, the rows come back as one JSON text made by SQLite itself: a report can be
      // thousands of rows, and turning each of their values into a JavaScript value on the
      // database's thread, then copying them all to this one, cost twenty times the query. The
      // order is the query's (by bucket, then the grouped dimensions).
      const list = columns.map((column) => `"${column}"`).join(", ");
      const order = ["bucket", ...groupBy].map((column) => `"${column}"`).join(", ");
      const json = `select json_group_array(json_array(${list}) order by ${order}) from (${compiled.sql})`;
      const [[text]] = (await this.#readSqlite(sqlite, json, compiled.parameters)) as [[string]];
      rows = JSON.parse(text) as unknown[][];
    } else {
      rows = (await this.db.executeQuery(compiled)).rows.map((row) =>
        columns.map((column) => (row as Record<string, unknown>)[column]),
      );
    }
    const groups: RollupGroup[] = new Array(rows.length);
    const firstSum = 1 + groupBy.length;
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r] as unknown[];
      const dimensions: Partial<Record<Dimension, string>> = {};
      for (let i = 0; i < groupBy.length; i++) {
        dimensions[groupBy[i] as Dimension] = row[1 + i] as string;
      }
      const values = emptySums();
      for (let i = 0; i < sums.length; i++) {
        // PostgreSQL sums bigints as numeric, which arrives as a string.
        const value = row[firstSum + i];
        values[sums[i] as SumColumn] = typeof value === "number" ? value : Number(value);
      }
      groups[r] = { bucket: row[0] as string, dimensions, sums: values };
    }
    return groups;
  }

  /**
   * Spend per organization or per workspace since a UTC day start (inclusive), in nano-USD, from
   * the day rollup: what the spend ledger starts from.
   */
  async spendSince(from: string, scope: "organization_id" | "workspace_id"): Promise<SpendTotal[]> {
    const rows = await this.db
      .selectFrom("usage_workspace_day")
      .select([`${scope} as scopeId`, sql<number | string>`sum(cost_nanos)`.as("nanos")])
      .where("bucket_start", ">=", from)
      .groupBy(scope)
      .execute();
    return rows.map((row: { scopeId: string; nanos: number | string }) => ({
      scopeId: row.scopeId,
      nanos: Number(row.nanos),
    }));
  }

  /**
   * Spend between two UTC day starts (`to` excluded), in nano-USD: of the organization, or of one
   * of its workspaces, from the smallest day rollup that holds it.
   */
  async spend(
    organizationId: string,
    period: { start: string; end: string },
    workspaceId?: string,
  ): Promise<number> {
    let select = this.db
      .selectFrom(workspaceId === undefined ? "usage_org_day" : "usage_workspace_model_day")
      .select(sql<number | string | null>`sum(cost_nanos)`.as("nanos"))
      .where("organization_id", "=", organizationId)
      .where("bucket_start", ">=", period.start)
      .where("bucket_start", "<", period.end);
    if (workspaceId !== undefined) {
      select = select.where("workspace_id", "=", workspaceId);
    }
    const row = await select.executeTakeFirst();
    return Number(row?.nanos ?? 0);
  }

  /** Organizations with rows in a table, for pruning one organization's range at a time. */
  async organizations(table: RollupTable): Promise<string[]> {
    const rows = await this.db.selectFrom(table).select("organization_id").distinct().execute();
    return rows.map((row: { organization_id: string }) => row.organization_id);
  }

  /** Deletes one organization's buckets that start before `before`; returns how many rows went. */
  async deleteOlderThan(
    table: RollupTable,
    organizationId: string,
    from: string,
    before: string,
  ): Promise<number> {
    const result = await this.db
      .deleteFrom(table)
      .where("organization_id", "=", organizationId)
      .where("bucket_start", ">=", from)
      .where("bucket_start", "<", before)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** The earliest bucket an organization has in a table. */
  async earliestBucket(table: RollupTable, organizationId: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom(table)
      .select(sql<string | null>`min(bucket_start)`.as("earliest"))
      .where("organization_id", "=", organizationId)
      .executeTakeFirst();
    return row?.earliest ?? undefined;
  }
}
