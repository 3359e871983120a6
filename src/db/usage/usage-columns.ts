import { METERED_COLUMNS, SUM_COLUMNS } from "../../core/usage/metered.js";
import type { UsageEventRow, UsageRollupRow } from "../../core/usage/usage-store.js";
import { DIMENSIONS } from "../../core/usage/usage-store.js";
import type { PgType } from "../repositories/values.js";

/**
 * The usage tables' columns, as both engines' adapters list them in their statements: built from
 * the metered columns (src/core/usage/metered.ts), so a new token kind reaches every statement.
 */

/** usage_events' columns (not SQLite's seq), in insert order. */
export const EVENT_COLUMNS = [
  "organization_id",
  "id",
  "workspace_id",
  "api_key_id",
  "model",
  "occurred_at",
  ...METERED_COLUMNS,
  "priced",
  "price_source",
  "context_window",
  "service_tier",
  "inference_geo",
  "status",
  "error_type",
  "latency_ms",
  "stream",
  "source",
] as const satisfies ReadonlyArray<keyof UsageEventRow>;

/**
 * An event row's fields that are not columns: none, so that a field added to the record and not
 * to EVENT_COLUMNS fails to compile.
 */
export const FIELDS_NOT_STORED: Record<
  Exclude<keyof UsageEventRow, (typeof EVENT_COLUMNS)[number]>,
  never
> = {};

const EVENT_TEXT_COLUMNS = new Set<string>([
  "organization_id",
  "id",
  "workspace_id",
  "api_key_id",
  "model",
  "occurred_at",
  "price_source",
  "context_window",
  "service_tier",
  "inference_geo",
  "error_type",
  "source",
]);
const EVENT_INTEGER_COLUMNS = new Set<string>(["priced", "status", "latency_ms", "stream"]);

/** usage_events' columns with their PostgreSQL types; the metered ones are bigints. */
export const PG_EVENT_COLUMNS: ReadonlyArray<readonly [keyof UsageEventRow & string, PgType]> =
  EVENT_COLUMNS.map((name) => [
    name,
    EVENT_TEXT_COLUMNS.has(name) ? "text" : EVENT_INTEGER_COLUMNS.has(name) ? "integer" : "bigint",
  ]);

/** A rollup row's key: its organization, bucket and dimensions. */
export const ROLLUP_KEY_COLUMNS = ["organization_id", "bucket_start", ...DIMENSIONS] as const;

/** A rollup row's columns: its key, then its sums. */
export const ROLLUP_COLUMNS: ReadonlyArray<keyof UsageRollupRow & string> = [
  ...ROLLUP_KEY_COLUMNS,
  ...SUM_COLUMNS,
];

/** A rollup row's columns with their PostgreSQL types. */
export const PG_ROLLUP_COLUMNS: ReadonlyArray<readonly [keyof UsageRollupRow & string, PgType]> = [
  ...ROLLUP_KEY_COLUMNS.map((column) => [column, "text"] as const),
  ...SUM_COLUMNS.map((column) => [column, "bigint"] as const),
];
