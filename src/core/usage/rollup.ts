import { yieldToEventLoop } from "../event-loop.js";
import { compileOverColumns, METERED_COLUMNS, type MeteredColumn } from "./metered.js";
import type { RolledUp, RollupTable, UsageEventRow, UsageRollupRow } from "./usage-store.js";

export type { RolledUp } from "./usage-store.js";

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
 * A gateway batch is a few minutes of a few keys, so after a few map lookups per event the rest
 * is a handful of rows.
 */
export function rollUp(events: readonly UsageEventRow[]): RolledUp {
  const steps = rollUpInSteps(events, Number.POSITIVE_INFINITY);
  let step = steps.next();
  while (!step.done) {
    step = steps.next();
  }
  return step.value;
}

/** A bucket of the batch: its start, and for an hour the day that holds it. */
interface Bucket {
  readonly start: string;
  readonly day: Bucket | undefined;
}

/**
 * The dimension values of a rollup row (its organization included), interned for the batch:
 * events with the same values share one object, which the sums are then keyed by. A tuple knows
 * the coarser tuples its rows are summed into, and its place in the batch's sort order.
 */
interface Tuple {
  readonly organization_id: string;
  readonly workspace_id: string;
  readonly api_key_id: string;
  readonly model: string;
  readonly service_tier: string;
  readonly context_window: string;
  readonly inference_geo: string;
  coarser: Partial<Record<RollupLevel, Tuple>>;
  rank: number;
}

/**
 * The batch's tuples, found through one map per dimension in turn: a lookup hashes each value
 * once, where one key joining them all (as this used to be) cost a long string per event to build,
 * hash and, for the sort, compare.
 */
class Tuples {
  readonly all: Tuple[] = [];
  readonly #root = new Map<string, unknown>();

  intern(
    organizationId: string,
    workspaceId: string,
    apiKeyId: string,
    model: string,
    serviceTier: string,
    contextWindow: string,
    inferenceGeo: string,
  ): Tuple {
    const byWorkspace = descend(this.#root, organizationId);
    const byKey = descend(byWorkspace, workspaceId);
    const byModel = descend(byKey, apiKeyId);
    const byTier = descend(byModel, model);
    const byWindow = descend(byTier, serviceTier);
    const byGeo = descend(byWindow, contextWindow);
    let tuple = byGeo.get(inferenceGeo) as Tuple | undefined;
    if (tuple === undefined) {
      tuple = {
        organization_id: organizationId,
        workspace_id: workspaceId,
        api_key_id: apiKeyId,
        model,
        service_tier: serviceTier,
        context_window: contextWindow,
        inference_geo: inferenceGeo,
        coarser: {},
        rank: 0,
      };
      byGeo.set(inferenceGeo, tuple);
      this.all.push(tuple);
    }
    return tuple;
  }

  /** The tuple a finest-grain tuple's rows are summed into at `level`. */
  coarser(tuple: Tuple, level: RollupLevel): Tuple {
    let coarser = tuple.coarser[level];
    if (coarser === undefined) {
      const keepsTierAndGeo = level !== "workspace_model";
      coarser = this.intern(
        tuple.organization_id,
        level === "organization" ? "" : tuple.workspace_id,
        level === "key" ? tuple.api_key_id : "",
        tuple.model,
        keepsTierAndGeo ? tuple.service_tier : "",
        keepsTierAndGeo ? tuple.context_window : "",
        keepsTierAndGeo ? tuple.inference_geo : "",
      );
      tuple.coarser[level] = coarser;
    }
    return coarser;
  }

  /** Numbers every tuple in dimension order, the order rows of one bucket are written in. */
  rank(): void {
    const sorted = [...this.all].sort(compareTuples);
    for (let i = 0; i < sorted.length; i++) {
      (sorted[i] as Tuple).rank = i;
    }
  }
}

function descend(map: Map<string, unknown>, value: string): Map<string, unknown> {
  let next = map.get(value) as Map<string, unknown> | undefined;
  if (next === undefined) {
    next = new Map();
    map.set(value, next);
  }
  return next;
}

/** Dimension by dimension, as a key joining them with '\u0000' compares. */
function compareTuples(a: Tuple, b: Tuple): number {
  return (
    compareText(a.organization_id, b.organization_id) ||
    compareText(a.workspace_id, b.workspace_id) ||
    compareText(a.api_key_id, b.api_key_id) ||
    compareText(a.model, b.model) ||
    compareText(a.service_tier, b.service_tier) ||
    compareText(a.context_window, b.context_window) ||
    compareText(a.inference_geo, b.inference_geo)
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A table's rows being summed: per bucket, per tuple. */
type Sums = Map<Bucket, Map<Tuple, UsageRollupRow>>;

/**
 * rollUp's work as a generator that pauses after about every `rowsPerStep` rows it sums: a
 * caller with a large batch lets the event loop run between steps (see rollUpInSlices).
 */
export function* rollUpInSteps(
  events: readonly UsageEventRow[],
  rowsPerStep: number,
): Generator<void, RolledUp> {
  let untilPause = rowsPerStep;
  const tuples = new Tuples();
  const days = new Map<string, Bucket>();
  const hours = new Map<string, Bucket>();
  const finest: Sums = new Map();
  for (const e of events) {
    if (--untilPause <= 0) {
      untilPause = rowsPerStep;
      yield;
    }
    const hourPrefix = e.occurred_at.slice(0, PREFIX_LENGTH.hour);
    let hour = hours.get(hourPrefix);
    if (hour === undefined) {
      const dayPrefix = hourPrefix.slice(0, PREFIX_LENGTH.day);
      let day = days.get(dayPrefix);
      if (day === undefined) {
        day = { start: bucketOf(e.occurred_at, "day"), day: undefined };
        days.set(dayPrefix, day);
      }
      hour = { start: bucketOf(e.occurred_at, "hour"), day };
      hours.set(hourPrefix, hour);
    }
    const tuple = tuples.intern(
      e.organization_id,
      e.workspace_id,
      e.api_key_id ?? "",
      e.model,
      e.service_tier ?? DEFAULT_SERVICE_TIER,
      e.context_window,
      e.inference_geo ?? DEFAULT_INFERENCE_GEO,
    );
    const rows = rowsOf(finest, hour);
    const sum = rows.get(tuple);
    if (sum === undefined) {
      rows.set(tuple, newRow(hour.start, tuple, 1, e));
    } else {
      addSums(sum, 1, e);
    }
  }

  const summed = new Map<RollupTable, Sums>();
  for (const { table, grain, level, from } of ROLLUPS) {
    const source = from === undefined ? undefined : summed.get(from);
    if (source === undefined) {
      summed.set(table, finest);
      continue;
    }
    const sums: Sums = new Map();
    for (const [bucket, rows] of source) {
      // Hour buckets hold their day; a day bucket is its own.
      const target = grain === "hour" ? bucket : (bucket.day ?? bucket);
      const targetRows = rowsOf(sums, target);
      for (const [tuple, row] of rows) {
        if (--untilPause <= 0) {
          untilPause = rowsPerStep;
          yield;
        }
        const coarser = tuples.coarser(tuple, level);
        const sum = targetRows.get(coarser);
        if (sum === undefined) {
          targetRows.set(coarser, newRow(target.start, coarser, row.requests, row));
        } else {
          addSums(sum, row.requests, row);
        }
      }
    }
    summed.set(table, sums);
  }

  tuples.rank();
  const result: RolledUp = [];
  for (const { table } of ROLLUPS) {
    const sums = summed.get(table) as Sums;
    const rows: UsageRollupRow[] = [];
    for (const bucket of [...sums.keys()].sort((a, b) => compareText(a.start, b.start))) {
      const bucketRows = sums.get(bucket) as Map<Tuple, UsageRollupRow>;
      const ordered = [...bucketRows.keys()].sort((a, b) => a.rank - b.rank);
      untilPause -= ordered.length; // for the sort
      for (const tuple of ordered) {
        rows.push(bucketRows.get(tuple) as UsageRollupRow);
      }
    }
    result.push([table, rows]);
  }
  return result;
}

function rowsOf(sums: Sums, bucket: Bucket): Map<Tuple, UsageRollupRow> {
  let rows = sums.get(bucket);
  if (rows === undefined) {
    rows = new Map();
    sums.set(bucket, rows);
  }
  return rows;
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

/** The sums an event and a rollup row both hold, under the same names. */
type MeteredSums = Readonly<Record<MeteredColumn, number>>;

/**
 * A new row of `tuple` at `bucket` holding `requests` and the sums of an event or of a finer row
 * (one literal, compiled from the columns: a spread cost several times more).
 */
const newRow = compileOverColumns<
  (bucket: string, tuple: Tuple, requests: number, sums: MeteredSums) => UsageRollupRow
>(
  ["bucket", "tuple", "requests", "sums"],
  `return {
    organization_id: tuple.organization_id,
    bucket_start: bucket,
    workspace_id: tuple.workspace_id,
    api_key_id: tuple.api_key_id,
    model: tuple.model,
    service_tier: tuple.service_tier,
    context_window: tuple.context_window,
    inference_geo: tuple.inference_geo,
    requests,
    ${METERED_COLUMNS.map((column) => `${column}: sums.${column}`).join(",\n    ")}
  };`,
);

/** Adds `requests` and the sums of an event or of a finer row to a row. */
const addSums = compileOverColumns<
  (sum: UsageRollupRow, requests: number, sums: MeteredSums) => void
>(
  ["sum", "requests", "sums"],
  `sum.requests += requests;
  ${METERED_COLUMNS.map((column) => `sum.${column} += sums.${column};`).join("\n  ")}`,
);
