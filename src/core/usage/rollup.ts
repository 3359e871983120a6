import type { RollupTable } from "../../db/repositories/usage-rollups.repository.js";
import type { UsageEventRow, UsageRollupRow } from "../../db/schema.js";

export type Grain = "minute" | "hour" | "day";

// Timestamps are `Date#toISOString()` strings: a bucket's start is a prefix padded back to the
// same fixed width, so buckets and event times compare as text.
const PREFIX_LENGTH: Record<Grain, number> = { minute: 16, hour: 13, day: 10 };
const PADDING: Record<Grain, string> = {
  minute: ":00.000Z",
  hour: ":00:00.000Z",
  day: "T00:00:00.000Z",
};

/** The start of the UTC minute, hour or day that holds an RFC 3339 `Z` timestamp. */
export function bucketOf(timestamp: string, grain: Grain): string {
  return timestamp.slice(0, PREFIX_LENGTH[grain]) + PADDING[grain];
}

/**
 * Which dimensions a rollup keeps: all; all but the key; neither workspace nor key; or only
 * workspace and model.
 */
export type RollupLevel = "key" | "workspace" | "organization" | "workspace_model";

export const ROLLUPS: ReadonlyArray<{ table: RollupTable; grain: Grain; level: RollupLevel }> = [
  { table: "usage_key_minute", grain: "minute", level: "key" },
  { table: "usage_key_hour", grain: "hour", level: "key" },
  { table: "usage_key_day", grain: "day", level: "key" },
  { table: "usage_workspace_hour", grain: "hour", level: "workspace" },
  { table: "usage_workspace_day", grain: "day", level: "workspace" },
  { table: "usage_org_hour", grain: "hour", level: "organization" },
  { table: "usage_org_day", grain: "day", level: "organization" },
  { table: "usage_workspace_model_day", grain: "day", level: "workspace_model" },
];

/** Dimension values as rollups store them: absent ones get the report's names for "unknown". */
export const DEFAULT_SERVICE_TIER = "standard";
export const DEFAULT_INFERENCE_GEO = "not_available";

/**
 * Sums a batch of new events into one row per rollup table and key, in a fixed order (bucket,
 * then dimensions): concurrent writers lock shared rows in the same order, so they cannot deadlock
 * on each other. Written for speed, as it runs for every batch on the thread that serves
 * requests: each event's dimensions become one string, hashed once and reused by every table.
 */
export function rollUp(events: readonly UsageEventRow[]): Array<[RollupTable, UsageRollupRow[]]> {
  const dimensionsOf: Record<RollupLevel, string[]> = {
    key: [],
    workspace: [],
    organization: [],
    workspace_model: [],
  };
  for (const e of events) {
    const rest = `${e.model}\u0000${e.service_tier ?? DEFAULT_SERVICE_TIER}\u0000${e.context_window}\u0000${e.inference_geo ?? DEFAULT_INFERENCE_GEO}`;
    dimensionsOf.key.push(
      `${e.organization_id}\u0000${e.workspace_id}\u0000${e.api_key_id ?? ""}\u0000${rest}`,
    );
    dimensionsOf.workspace.push(`${e.organization_id}\u0000${e.workspace_id}\u0000${rest}`);
    dimensionsOf.organization.push(`${e.organization_id}\u0000${rest}`);
    dimensionsOf.workspace_model.push(
      `${e.organization_id}\u0000${e.workspace_id}\u0000${e.model}`,
    );
  }
  const result: Array<[RollupTable, UsageRollupRow[]]> = [];
  for (const { table, grain, level } of ROLLUPS) {
    const dimensions = dimensionsOf[level];
    const buckets = new Map<string, Map<string, UsageRollupRow>>();
    events.forEach((event, i) => {
      const bucket = bucketOf(event.occurred_at, grain);
      let rows = buckets.get(bucket);
      if (rows === undefined) {
        rows = new Map();
        buckets.set(bucket, rows);
      }
      const dimension = dimensions[i] as string;
      const sum = rows.get(dimension);
      if (sum === undefined) {
        rows.set(dimension, newRow(event, bucket, level));
      } else {
        addTo(sum, event);
      }
    });
    const sorted: UsageRollupRow[] = [];
    for (const bucket of [...buckets.keys()].sort()) {
      const rows = buckets.get(bucket) as Map<string, UsageRollupRow>;
      for (const dimension of [...rows.keys()].sort()) {
        sorted.push(rows.get(dimension) as UsageRollupRow);
      }
    }
    result.push([table, sorted]);
  }
  return result;
}

function newRow(event: UsageEventRow, bucket: string, level: RollupLevel): UsageRollupRow {
  return {
    organization_id: event.organization_id,
    bucket_start: bucket,
    workspace_id: level === "organization" ? "" : event.workspace_id,
    api_key_id: level === "key" ? (event.api_key_id ?? "") : "",
    model: event.model,
    ...(level === "workspace_model"
      ? { service_tier: "", context_window: "", inference_geo: "" }
      : {
          service_tier: event.service_tier ?? DEFAULT_SERVICE_TIER,
          context_window: event.context_window,
          inference_geo: event.inference_geo ?? DEFAULT_INFERENCE_GEO,
        }),
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

function addTo(sum: UsageRollupRow, event: UsageEventRow): void {
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
