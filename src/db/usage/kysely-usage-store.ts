import {
  type CompiledQuery,
  type Expression,
  type Kysely,
  type RawBuilder,
  type SelectQueryBuilder,
  sql,
} from "kysely";
import {
  emptySums,
  type RollupSums,
  SUM_COLUMNS,
  type SumColumn,
} from "../../core/usage/metered.js";
import {
  DIMENSIONS,
  type Dimension,
  type JsonShape,
  type RolledUp,
  type RollupGroup,
  type RollupQuery,
  type RollupTable,
  type SpendTotal,
  type UsageEventRow,
  type UsageEvents,
  type UsageRollupRow,
  type UsageRollups,
} from "../../core/usage/usage-store.js";
import type { DB } from "../schema.js";
import { EVENT_COLUMNS } from "./usage-columns.js";

/**
 * What both engines' usage adapters share: the statements that read the same on SQLite and
 * PostgreSQL. Each engine's adapter (sqlite-usage-store.ts, postgres-usage-store.ts) adds the
 * batch writes and the reads of report rows, which differ.
 */

export abstract class KyselyUsageEvents implements UsageEvents {
  constructor(protected readonly db: Kysely<DB>) {}

  abstract insertNew(
    rows: readonly UsageEventRow[],
    rollups?: RolledUp,
  ): Promise<{ inserted: UsageEventRow[]; rolledUp: boolean }>;

  abstract touchApiKeys(lastUsed: Map<string, string>): Promise<void>;

  async deleteOlderThan(before: string, limit: number): Promise<number> {
    const last = await this.db
      .selectFrom("usage_events")
      .select("occurred_at")
      .where("occurred_at", "<", before)
      .orderBy("occurred_at")
      .offset(limit - 1)
      .limit(1)
      .executeTakeFirst();
    const result = await this.db
      .deleteFrom("usage_events")
      .where("occurred_at", last === undefined ? "<" : "<=", last?.occurred_at ?? before)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  list(organizationId: string): Promise<UsageEventRow[]> {
    return this.db
      .selectFrom("usage_events")
      .select(EVENT_COLUMNS) // not SQLite's seq
      .where("organization_id", "=", organizationId)
      .orderBy("occurred_at")
      .orderBy("id")
      .execute();
  }
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
export function inDimensionOrder(groupBy: readonly Dimension[]): Dimension[] {
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

/**
 * The rollup tables. Table names vary at run time, so queries go through an untyped view of the
 * database; the column lists (usage-columns.ts) are the schema's.
 */
export abstract class KyselyUsageRollups implements UsageRollups {
  // biome-ignore lint/suspicious/noExplicitAny: the table is chosen at run time among same-shaped ones
  protected readonly db: Kysely<any>;

  constructor(db: Kysely<DB>) {
    this.db = db;
  }

  abstract add(
    tables: ReadonlyArray<readonly [RollupTable, readonly UsageRollupRow[]]>,
  ): Promise<void>;

  abstract sum(query: RollupQuery): Promise<RollupGroup[]>;

  abstract sumAsJson(query: RollupQuery, shape: JsonShape): Promise<Map<string, Uint8Array>>;

  /** The query of `sum`: the bucket, the grouped dimensions in `DIMENSIONS` order, then the sums. */
  protected sumQuery(query: RollupQuery): CompiledQuery {
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
    // Dimensions the table's key holds before a grouped one but that are not grouped (by key
    // without its workspace): the rows are summed along the whole key first, as they are read,
    // then those few sums by the groups asked for. Grouped at once, the database sorted every
    // row of the range first (a month by key: 660,000 rows, twice the time).
    const skipped = DIMENSIONS.filter(
      (dimension, i) => i < last && !groupColumns.includes(dimension),
    );
    if (!rowsAreGroups && skipped.length > 0) {
      const alongKey = DIMENSIONS.slice(0, last + 1);
      const inner = select
        .select([
          "bucket_start",
          ...alongKey,
          ...query.sums.map((c) => sql<number | string>`sum(${sql.ref(c)})`.as(c)),
        ])
        .groupBy(["bucket_start", ...alongKey]);
      let outer = this.db
        .selectFrom(inner.as("along_key"))
        .select([
          bucket.as("bucket"),
          ...groupBy,
          ...query.sums.map((c) => sql<number | string>`sum(${sql.ref(c)})`.as(c)),
        ])
        .groupBy([bucket, ...groupBy])
        .orderBy(bucket);
      for (const dimension of groupBy) {
        outer = outer.orderBy(dimension);
      }
      return outer.compile();
    }
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

  /** From the smallest day rollup that holds the organization's or the workspace's spend. */
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
}

/**
 * The groups of a report query's rows as arrays: the bucket, the grouped dimensions (in
 * `DIMENSIONS` order), then `sums`.
 */
export function groupsOf(
  rows: readonly unknown[][],
  dimensions: readonly Dimension[],
  sums: readonly SumColumn[],
): RollupGroup[] {
  const groupBy = inDimensionOrder(dimensions);
  const groups: RollupGroup[] = new Array(rows.length);
  const firstSum = 1 + groupBy.length;
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r] as unknown[];
    const values: Partial<Record<Dimension, string>> = {};
    for (let i = 0; i < groupBy.length; i++) {
      values[groupBy[i] as Dimension] = row[1 + i] as string;
    }
    const summed: RollupSums = emptySums();
    for (let i = 0; i < sums.length; i++) {
      // PostgreSQL sums bigints as numeric, which arrives as a string.
      const value = row[firstSum + i];
      summed[sums[i] as SumColumn] = typeof value === "number" ? value : Number(value);
    }
    groups[r] = { bucket: row[0] as string, dimensions: values, sums: summed };
  }
  return groups;
}
