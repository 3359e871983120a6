import type { RollupTable } from "../../db/repositories/usage-rollups.repository.js";
import type { UsageEventRow, UsageRollupRow } from "../../db/schema.js";
import { yieldToEventLoop } from "../event-loop.js";

export type Grain = "hour" | "day";

// Timestamps are `Date#toISOString()` strings: a bucket's start is a prefix padded back to the
// same fixed width, so buckets and event times compare as text.
const PREFIX_LENGTH: Record<Grain, number> = { hour: 13, day: 10 };
const PADDING: Record<Grain, string> = {
  hour: ":00:00.000Z",
  day: "T00:00:00.000Z",
};

/** The start of the UTC hour or day that holds an RFC 3339 `Z` timestamp. */
export function bucketOf(timestamp: string, grain: Grain): string {
  return timestamp.slice(0, PREFIX_LENGTH[grain]) + PADDING[grain];
}

/**
 * Which dimensions a rollup keeps: all; all but the key; neither workspace nor key; or only
 * workspace and model.
 */
export type RollupLevel = "key" | "workspace" | "organization" | "workspace_model";

/**
 * The rollups, each summed from the smallest one before it that keeps its dimensions at a finer
 * or equal grain (`from`), the first from the events.
 */
export const ROLLUPS: ReadonlyArray<{
  table: RollupTable;
  grain: Grain;
  level: RollupLevel;
  from?: RollupTable;
}> = [
  { table: "usage_key_hour", grain: "hour", level: "key" },
  { table: "usage_key_day", grain: "day", level: "key", from: "usage_key_hour" },
  { table: "usage_workspace_hour", grain: "hour", level: "workspace", from: "usage_key_hour" },
  { table: "usage_workspace_day", grain: "day", level: "workspace", from: "usage_workspace_hour" },
  { table: "usage_org_hour", grain: "hour", level: "organization", from: "usage_workspace_hour" },
  { table: "usage_org_day", grain: "day", level: "organization", from: "usage_org_hour" },
  {
    table: "usage_workspace_model_day",
    grain: "day",
    level: "workspace_model",
    from: "usage_workspace_day",
  },
];

/** Dimension values as rollups store them: absent ones get the report's names for "unknown". */
export const DEFAULT_SERVICE_TIER = "standard";
export const DEFAULT_INFERENCE_GEO = "not_available";

/**
 * Sums a batch of new events into one row per rollup table and key, in a fixed order (bucket,
 * then dimensions): concurrent writers lock shared rows in the same order, so they cannot deadlock
 * on each other. Written for speed, as it runs for every batch: events are summed once, into the
 * finest rollup (by key and hour), and every other rollup from a smaller one (ROLLUPS' `from`).
 * A gateway batch is a few minutes of a few keys, so after one map lookup per event the rest is a
 * handful of rows.
 */
export function rollUp(events: readonly UsageEventRow[]): RolledUp {
  const steps = rollUpInSteps(events, Number.POSITIVE_INFINITY);
  let step = steps.next();
  while (!step.done) {
    step = steps.next();
  }
  return step.value;
}

export type RolledUp = Array<[RollupTable, UsageRollupRow[]]>;

/**
 * rollUp's work as a generator that pauses after about every `rowsPerStep` rows it sums: a
 * caller with a large batch lets the event loop run between steps (see rollUpInSlices).
 */
export function* rollUpInSteps(
  events: readonly UsageEventRow[],
  rowsPerStep: number,
): Generator<void, RolledUp> {
  let untilPause = rowsPerStep;
  const finest = new Map<string, UsageRollupRow>();
  for (const e of events) {
    if (--untilPause <= 0) {
      untilPause = rowsPerStep;
      yield;
    }
    const bucket = bucketOf(e.occurred_at, "hour");
    const key = `${bucket}\u0000${e.organization_id}\u0000${e.workspace_id}\u0000${e.api_key_id ?? ""}\u0000${e.model}\u0000${e.service_tier ?? DEFAULT_SERVICE_TIER}\u0000${e.context_window}\u0000${e.inference_geo ?? DEFAULT_INFERENCE_GEO}`;
    const sum = finest.get(key);
    if (sum === undefined) {
      finest.set(key, rowOfEvent(e, bucket));
    } else {
      addEvent(sum, e);
    }
  }
  const summed = new Map<RollupTable, Map<string, UsageRollupRow>>();
  const result: RolledUp = [];
  for (const { table, grain, level, from } of ROLLUPS) {
    let rows = finest;
    const source = from === undefined ? undefined : summed.get(from);
    if (source !== undefined) {
      rows = new Map();
      for (const row of source.values()) {
        if (--untilPause <= 0) {
          untilPause = rowsPerStep;
          yield;
        }
        const bucket = grain === "hour" ? row.bucket_start : bucketOf(row.bucket_start, grain);
        const projected = project(row, bucket, level);
        const key = `${bucket}\u0000${projected.organization_id}\u0000${projected.workspace_id}\u0000${projected.api_key_id}\u0000${projected.model}\u0000${projected.service_tier}\u0000${projected.context_window}\u0000${projected.inference_geo}`;
        const sum = rows.get(key);
        if (sum === undefined) {
          rows.set(key, projected);
        } else {
          addRow(sum, row);
        }
      }
    }
    summed.set(table, rows);
    untilPause -= rows.size; // for the sort below
    // Keys start with the bucket and '\u0000' sorts before every other character, so key order
    // is bucket order, then dimension order.
    const sorted = [...rows.keys()].sort().map((key) => rows.get(key) as UsageRollupRow);
    result.push([table, sorted]);
  }
  return result;
}

/** rollUp, pausing for the event loop after about every 1,000 rows summed. */
export async function rollUpInSlices(events: readonly UsageEventRow[]): Promise<RolledUp> {
  const steps = rollUpInSteps(events, 1000);
  for (;;) {
    const step = steps.next();
    if (step.done) {
      return step.value;
    }
    await yieldToEventLoop();
  }
}

function rowOfEvent(event: UsageEventRow, bucket: string): UsageRollupRow {
  return {
    organization_id: event.organization_id,
    bucket_start: bucket,
    workspace_id: event.workspace_id,
    api_key_id: event.api_key_id ?? "",
    model: event.model,
    service_tier: event.service_tier ?? DEFAULT_SERVICE_TIER,
    context_window: event.context_window,
    inference_geo: event.inference_geo ?? DEFAULT_INFERENCE_GEO,
    requests: 1,
    input_tokens: event.input_tokens,
    output_tokens: event.output_tokens,
    cache_creation_5m_tokens: event.cache_creation_5m_tokens,
    cache_creation_1h_tokens: event.cache_creation_1h_tokens,
    cache_read_tokens: event.cache_read_tokens,
    web_search_requests: event.web_search_requests,
    cost_nanos: event.cost_nanos,
    cost_input_nanos: event.cost_input_nanos,
    cost_output_nanos: event.cost_output_nanos,
    cost_cache_write_5m_nanos: event.cost_cache_write_5m_nanos,
    cost_cache_write_1h_nanos: event.cost_cache_write_1h_nanos,
    cost_cache_read_nanos: event.cost_cache_read_nanos,
    cost_web_search_nanos: event.cost_web_search_nanos,
  };
}

/** A copy of a finest-grain row at a coarser bucket, with the dimensions `level` drops as ''. */
function project(row: UsageRollupRow, bucket: string, level: RollupLevel): UsageRollupRow {
  const keepsTierAndGeo = level !== "workspace_model";
  return {
    ...row,
    bucket_start: bucket,
    workspace_id: level === "organization" ? "" : row.workspace_id,
    api_key_id: level === "key" ? row.api_key_id : "",
    service_tier: keepsTierAndGeo ? row.service_tier : "",
    context_window: keepsTierAndGeo ? row.context_window : "",
    inference_geo: keepsTierAndGeo ? row.inference_geo : "",
  };
}

function addRow(sum: UsageRollupRow, row: UsageRollupRow): void {
  sum.requests += row.requests;
  sum.input_tokens += row.input_tokens;
  sum.output_tokens += row.output_tokens;
  sum.cache_creation_5m_tokens += row.cache_creation_5m_tokens;
  sum.cache_creation_1h_tokens += row.cache_creation_1h_tokens;
  sum.cache_read_tokens += row.cache_read_tokens;
  sum.web_search_requests += row.web_search_requests;
  sum.cost_nanos += row.cost_nanos;
  sum.cost_input_nanos += row.cost_input_nanos;
  sum.cost_output_nanos += row.cost_output_nanos;
  sum.cost_cache_write_5m_nanos += row.cost_cache_write_5m_nanos;
  sum.cost_cache_write_1h_nanos += row.cost_cache_write_1h_nanos;
  sum.cost_cache_read_nanos += row.cost_cache_read_nanos;
  sum.cost_web_search_nanos += row.cost_web_search_nanos;
}

function addEvent(sum: UsageRollupRow, event: UsageEventRow): void {
  sum.requests += 1;
  sum.input_tokens += event.input_tokens;
  sum.output_tokens += event.output_tokens;
  sum.cache_creation_5m_tokens += event.cache_creation_5m_tokens;
  sum.cache_creation_1h_tokens += event.cache_creation_1h_tokens;
  sum.cache_read_tokens += event.cache_read_tokens;
  sum.web_search_requests += event.web_search_requests;
  sum.cost_nanos += event.cost_nanos;
  sum.cost_input_nanos += event.cost_input_nanos;
  sum.cost_output_nanos += event.cost_output_nanos;
  sum.cost_cache_write_5m_nanos += event.cost_cache_write_5m_nanos;
  sum.cost_cache_write_1h_nanos += event.cost_cache_write_1h_nanos;
  sum.cost_cache_read_nanos += event.cost_cache_read_nanos;
  sum.cost_web_search_nanos += event.cost_web_search_nanos;
}
