/**
 * Usage's records and the storage ports core needs for them. src/db implements the ports once per
 * engine (src/db/usage/usage-adapters.ts chooses); nothing here knows which.
 */
import type { MeteredColumn, RollupSums, SumColumn } from "./metered.js";

/**
 * One metered request or ingested event: its metered columns (src/core/usage/metered.ts) and what
 * it was. Timestamps are `Date#toISOString()` text; booleans are 0/1.
 */
export interface UsageEventRow extends Record<MeteredColumn, number> {
  organization_id: string;
  id: string;
  workspace_id: string;
  api_key_id: string | null;
  model: string;
  occurred_at: string;
  priced: number;
  /** table | fallback | given (null: stored before migration 0013). */
  price_source: string | null;
  /** 0-200k | 200k-1M, from the request's whole input. */
  context_window: string;
  service_tier: string | null;
  inference_geo: string | null;
  status: number;
  error_type: string | null;
  latency_ms: number;
  stream: number;
  source: string;
}

/**
 * One row of a usage rollup: the sums of every event in one bucket with the same dimensions.
 * `api_key_id` is '' for events without a key and in the rollups that leave the key out;
 * `workspace_id` is '' in the organization-level ones.
 */
export interface UsageRollupRow extends RollupSums {
  organization_id: string;
  bucket_start: string;
  workspace_id: string;
  api_key_id: string;
  model: string;
  service_tier: string;
  context_window: string;
  inference_geo: string;
}

/** A usage event that was refused or could not be written (migration 0013). */
export interface UsageDeadLetterRow {
  id: string;
  organization_id: string;
  /** The event's id: for the gateway, the request id. */
  event_id: string;
  recorded_at: string;
  /** invalid_tokens | cost_out_of_range | write_failed */
  reason: string;
  detail: string;
  /** The event's row, JSON. */
  event: string;
}

export type RollupTable =
  | "usage_key_hour"
  | "usage_key_day"
  | "usage_workspace_hour"
  | "usage_workspace_day"
  | "usage_org_hour"
  | "usage_org_day"
  | "usage_workspace_model_day";

/** A batch's rows per rollup table. */
export type RolledUp = Array<[RollupTable, UsageRollupRow[]]>;

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

/**
 * Where a report's sums come from: a rollup table, or, for minute buckets, the raw events (a
 * minute report spans at most a day; no rollup by the minute is kept).
 */
export type UsageSource = RollupTable | "usage_events";

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

export interface RollupGroup {
  bucket: string;
  dimensions: Partial<Record<Dimension, string>>;
  sums: RollupSums;
}

/**
 * A field of a report's JSON result (`UsageRollups.sumAsJson`): one of the sums, a grouped
 * dimension (with '' as null when `emptyAsNull`), null, or an object of fields.
 */
export type JsonField =
  | { sum: SumColumn }
  | { dimension: Dimension; emptyAsNull?: boolean }
  | { fields: JsonShape }
  | null;
export type JsonShape = ReadonlyArray<readonly [name: string, field: JsonField]>;

export interface SpendTotal {
  scopeId: string;
  nanos: number;
}

/** The raw usage events. */
export interface UsageEvents {
  /**
   * Inserts a batch of events with distinct ids and returns those that were new: an id already
   * stored for its organization is skipped, so nothing is counted twice. When every event was new
   * it also adds `rollups` (the batch's, summed in advance) and says so with `rolledUp` (false when
   * none were given); otherwise the caller adds the new events' own. Call it inside a transaction.
   */
  insertNew(
    rows: readonly UsageEventRow[],
    rollups?: RolledUp,
  ): Promise<{ inserted: UsageEventRow[]; rolledUp: boolean }>;
  /**
   * Deletes the oldest events before `before`, about `limit` at a time (all of those sharing the
   * last one's timestamp go too); returns how many went. Call it inside a transaction, which the
   * store may need to keep its own indexes in step.
   */
  deleteOlderThan(before: string, limit: number): Promise<number>;
  /** An organization's events, oldest first. */
  list(organizationId: string): Promise<UsageEventRow[]>;
  /** Refreshes each key's last_used_at to the given time, never moving it backwards. */
  touchApiKeys(lastUsed: Map<string, string>): Promise<void>;
}

/** The rollup tables: adding batches to them and summing them for reports and spend. */
export interface UsageRollups {
  /**
   * Adds each row's sums to the stored row with the same key in its table, or stores it. Rows of
   * a table must have distinct keys and, so that concurrent writers lock rows in the same order,
   * come sorted.
   */
  add(tables: ReadonlyArray<readonly [RollupTable, readonly UsageRollupRow[]]>): Promise<void>;
  /** Sums rows per bucket and per value of the grouped dimensions, in bucket then group order. */
  sum(query: RollupQuery): Promise<RollupGroup[]>;
  /**
   * The groups of `sum(query)`, each as the JSON object `shape` describes, as one JSON array per
   * bucket (groups in the same order), in UTF-8 bytes.
   */
  sumAsJson(query: RollupQuery, shape: JsonShape): Promise<Map<string, Uint8Array>>;
  /**
   * Spend per organization or per workspace since a UTC day start (inclusive), in nano-USD: what
   * the spend ledger starts from.
   */
  spendSince(from: string, scope: "organization_id" | "workspace_id"): Promise<SpendTotal[]>;
  /**
   * Spend between two UTC day starts (`end` excluded), in nano-USD, of the organization or of one
   * of its workspaces.
   */
  spend(
    organizationId: string,
    period: { start: string; end: string },
    workspaceId?: string,
  ): Promise<number>;
}

/** Usage events kept apart: refused, or failed to write. */
export interface UsageDeadLetters {
  /** Inserts dead letters; an event already kept (same organization and event id) is skipped. */
  insert(rows: readonly UsageDeadLetterRow[]): Promise<void>;
  find(organizationId: string, id: string): Promise<UsageDeadLetterRow | undefined>;
  /** A page of an organization's dead letters by id (the cursors as core's Cursor has them). */
  list(
    organizationId: string,
    filter: { reason?: string | undefined },
    page: { limit: number; after_id?: string | undefined; before_id?: string | undefined },
  ): Promise<{ data: UsageDeadLetterRow[]; hasMore: boolean }>;
}

/**
 * The JS value of a JSON field of `shape` for a group: what `sumAsJson` writes, as an object
 * (the messages report's results are built here on every engine that does not write JSON itself).
 */
export function objectOfShape(shape: JsonShape, group: RollupGroup): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  for (const [name, field] of shape) {
    object[name] =
      field === null
        ? null
        : "sum" in field
          ? group.sums[field.sum]
          : "dimension" in field
            ? field.emptyAsNull
              ? group.dimensions[field.dimension] || null
              : (group.dimensions[field.dimension] ?? null)
            : objectOfShape(field.fields, group);
  }
  return object;
}
