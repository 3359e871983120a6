/**
 * The exactness requirement of the usage reports (issue 4): every report, read from rollups only,
 * equals a direct sum of the raw events, over random events (workspaces, keys, models priced and
 * not, every token kind, tiers, geos, costs given or computed, timestamps on bucket edges, repeated
 * ids and rejected events), random ranges, groupings, filters, bucket widths and page sizes.
 *
 * Each run ingests its events into a fresh organization through `POST /v1/usage/events` (in several
 * calls, some sent twice), checks the calls' answers and the stored raw events against a model of
 * ingestion kept here, then compares the seed's `/v1/usage`, the messages usage report (every page)
 * and the cost report with sums computed here from the events. Token counts are compared exactly,
 * costs in integer nano-dollars (`total_cost_usd` × 1e9 rounded; cents strings parsed exactly).
 */
import fc from "fast-check";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ManualClock } from "../src/core/ports.js";
import type { UsageEventRow } from "../src/core/usage/usage-store.js";
import {
  createTestServer,
  describeEachBackend,
  type OrgFixture,
  type TestServer,
} from "./harness.js";

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** The events span a month and a year boundary: 2025-12-30 to 2026-01-02. */
const DAY0 = Date.UTC(2025, 11, 30);
const NOW = DAY0 + 3 * DAY + 20 * HOUR; // 2026-01-02T20:00:00Z
/** The ingestion accepts events stamped up to 5 minutes ahead of the server's clock. */
const SKEW = 5 * MINUTE;

const NUM_RUNS = Number(process.env.USAGE_PROPERTY_RUNS ?? 40);

/** $ per million tokens: input, 5m cache write, 1h cache write, cache read, output (config/prices.json). */
type Rates = readonly [number, number, number, number, number];
const MODELS: ReadonlyArray<{
  id: string;
  name: string;
  rates: Rates | null;
  /** Not in the price table: charged at the fallback rates. */
  fallback?: boolean;
}> = [
  { id: "claude-haiku-4-5", name: "Claude Haiku 4.5", rates: [1, 1.25, 2, 0.1, 5] },
  { id: "claude-opus-4-6", name: "Claude Opus 4.6", rates: [5, 6.25, 10, 0.5, 25] },
  // Priced through its undated name (claude-sonnet-4-5), and the next through claude-3-5-haiku.
  { id: "claude-sonnet-4-5-20250929", name: "Claude Sonnet 4.5", rates: [3, 3.75, 6, 0.3, 15] },
  { id: "claude-3-5-haiku-latest", name: "Claude 3.5 Haiku", rates: [0.8, 1, 1.6, 0.08, 4] },
  // Not in the price table: charged at the fallback rates, each the table's highest.
  { id: "acme-llm-1", name: "acme-llm-1", rates: [15, 18.75, 30, 1.5, 75], fallback: true },
];
const GEO_MULTIPLIER: Record<string, number> = { us: 1.1 };
const TIER_MULTIPLIER: Record<string, number> = { batch: 0.5 };
const WEB_SEARCH_NANOS = 10_000_000; // $10 per 1000 requests

const SERVICE_TIERS = [
  "standard",
  "batch",
  "priority",
  "priority_on_demand",
  "flex",
  "flex_discount",
];
const GEOS = ["global", "us", "not_available"];
const CONTEXT_WINDOWS = ["0-200k", "200k-1M"];
const DIMENSIONS = [
  "api_key_id",
  "workspace_id",
  "model",
  "service_tier",
  "context_window",
  "inference_geo",
] as const;
type Dimension = (typeof DIMENSIONS)[number];

/** Workspace 0 is the organization's default one; each workspace has keys of its own. */
const KEYS_PER_WORKSPACE = [1, 2, 2] as const;

// ----- generated events -----

type Invalid = "none" | "negative" | "unknown_workspace" | "foreign_key" | "future" | "bad_split";

interface GenEvent {
  /** Index into the run's id pool: small pools repeat ids. */
  idIndex: number;
  at: number;
  /** Minutes east of UTC the timestamp is written in (0: `Z`). */
  offset: number;
  workspace: number;
  /** Index into the workspace's keys, or null for no key. */
  key: number | null;
  /** Send `api_key_id: null` rather than leaving it out, when there is no key. */
  explicitNullKey: boolean;
  model: number;
  input: number;
  output: number;
  cache:
    | { kind: "none" }
    | { kind: "total"; tokens: number }
    | { kind: "split"; m5: number | undefined; h1: number | undefined; withTotal: boolean };
  cacheRead: number | undefined;
  web: number | undefined;
  tier: string | null | undefined;
  geo: string | null | undefined;
  cost: number | null | undefined;
  invalid: Invalid;
}

const clusterTime = fc
  .record({
    day: fc.integer({ min: 0, max: 3 }),
    hour: fc.constantFrom(0, 1, 12, 19, 23),
    minute: fc.constantFrom(0, 1, 30, 59),
    ms: fc.oneof(fc.constantFrom(0, 59_999, 59_000, 1), fc.integer({ min: 0, max: 59_999 })),
  })
  .map(({ day, hour, minute, ms }) => DAY0 + day * DAY + hour * HOUR + minute * MINUTE + ms)
  .filter((t) => t <= NOW + SKEW);
const eventTime = fc.oneof(
  { weight: 4, arbitrary: clusterTime },
  { weight: 2, arbitrary: fc.integer({ min: DAY0 - 12 * HOUR, max: NOW + SKEW }) },
  { weight: 1, arbitrary: fc.integer({ min: NOW - 3 * HOUR, max: NOW + SKEW }) },
  { weight: 1, arbitrary: fc.constantFrom(DAY0, DAY0 + DAY - 1, NOW, NOW - 1, NOW + SKEW) },
);
const tokens = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 5000 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 150_000 }) },
  { weight: 1, arbitrary: fc.constantFrom(0, 1, 200_000, 200_001) },
);

const genEvent = (idPool: number): fc.Arbitrary<GenEvent> =>
  fc.record({
    idIndex: fc.integer({ min: 0, max: idPool - 1 }),
    at: eventTime,
    offset: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, fc.constantFrom(330, -480, 60)),
    workspace: fc.integer({ min: 0, max: KEYS_PER_WORKSPACE.length - 1 }),
    key: fc.option(fc.integer({ min: 0, max: 1 }), { freq: 3 }),
    explicitNullKey: fc.boolean(),
    model: fc.integer({ min: 0, max: MODELS.length - 1 }),
    input: tokens,
    output: fc.integer({ min: 0, max: 20_000 }),
    cache: fc.oneof(
      fc.constant({ kind: "none" as const }),
      fc.record({ kind: fc.constant("total" as const), tokens }),
      fc.record({
        kind: fc.constant("split" as const),
        m5: fc.option(tokens, { nil: undefined }),
        h1: fc.option(tokens, { nil: undefined }),
        withTotal: fc.boolean(),
      }),
    ),
    cacheRead: fc.option(tokens, { nil: undefined }),
    web: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
    tier: fc.oneof(
      fc.constantFrom(undefined, null),
      fc.constantFrom("standard", "batch", "priority", "flex"),
    ),
    geo: fc.constantFrom(undefined, null, "global", "us", "not_available"),
    cost: fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(undefined, null) },
      { weight: 1, arbitrary: fc.integer({ min: 0, max: 3_000_000_000 }).map((n) => n / 1e9) },
      { weight: 1, arbitrary: fc.double({ min: 0, max: 1000, noNaN: true }) },
    ),
    invalid: fc.oneof(
      { weight: 20, arbitrary: fc.constant("none" as const) },
      fc.constantFrom<Invalid>(
        "negative",
        "unknown_workspace",
        "foreign_key",
        "future",
        "bad_split",
      ),
    ),
  });

/** RFC 3339 in UTC (`Z`) or at an offset, with milliseconds unless they are 0. */
function timestamp(ms: number, offsetMinutes: number): string {
  const local = new Date(ms + offsetMinutes * MINUTE).toISOString();
  const text = ms % 1000 === 0 ? `${local.slice(0, 19)}` : local.slice(0, 23);
  if (offsetMinutes === 0) {
    return `${text}Z`;
  }
  const abs = Math.abs(offsetMinutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, "0");
  const mm = String(abs % 60).padStart(2, "0");
  return `${text}${offsetMinutes < 0 ? "-" : "+"}${hh}:${mm}`;
}

// ----- the run's organization -----

interface World {
  org: OrgFixture;
  workspaces: string[];
  /** keys[w] are workspace w's key ids. */
  keys: string[][];
  /** Event ids are `<idPrefix>-<idIndex>`. */
  idPrefix: string;
}

/** One stored event as this test models it: what every report must sum. */
interface Stored {
  id: string;
  at: number;
  workspace_id: string;
  api_key_id: string | null;
  model: string;
  service_tier: string;
  context_window: string;
  inference_geo: string;
  input: number;
  output: number;
  c5m: number;
  c1h: number;
  cacheRead: number;
  web: number;
  /** From the stored raw event (checked against the price table), in nano-dollars. */
  cost: number;
  /** The part of `cost` charged at the fallback rates (the model is not in the price table). */
  fallback: number;
  parts: {
    input: number;
    output: number;
    c5m: number;
    c1h: number;
    cacheRead: number;
    web: number;
  };
}

function wire(
  event: GenEvent,
  world: World,
): { body: Record<string, unknown>; stored: Stored | null } {
  const id = `${world.idPrefix}-${event.idIndex}`;
  const workspaceId = world.workspaces[event.workspace] as string;
  const keys = world.keys[event.workspace] as string[];
  const keyId = event.key === null ? null : (keys[event.key % keys.length] as string);
  const model = MODELS[event.model]?.id as string;
  let at = event.at;
  const body: Record<string, unknown> = {
    id,
    timestamp: "",
    workspace_id: workspaceId,
    model,
    input_tokens: event.input,
    output_tokens: event.output,
  };
  if (keyId !== null) {
    body.api_key_id = keyId;
  } else if (event.explicitNullKey) {
    body.api_key_id = null;
  }
  let c5m = 0;
  let c1h = 0;
  const cache = event.cache;
  if (cache.kind === "total") {
    body.cache_creation_input_tokens = cache.tokens;
    c5m = cache.tokens;
  } else if (cache.kind === "split") {
    const split: Record<string, number> = {};
    if (cache.m5 !== undefined) {
      split.ephemeral_5m_input_tokens = cache.m5;
    }
    if (cache.h1 !== undefined) {
      split.ephemeral_1h_input_tokens = cache.h1;
    }
    body.cache_creation = split;
    c5m = cache.m5 ?? 0;
    c1h = cache.h1 ?? 0;
    if (cache.withTotal) {
      body.cache_creation_input_tokens = c5m + c1h;
    }
  }
  if (event.cacheRead !== undefined) {
    body.cache_read_input_tokens = event.cacheRead;
  }
  if (event.web !== undefined) {
    body.web_search_requests = event.web;
  }
  if (event.tier !== undefined) {
    body.service_tier = event.tier;
  }
  if (event.geo !== undefined) {
    body.inference_geo = event.geo;
  }
  if (event.cost !== undefined) {
    body.cost_usd = event.cost;
  }
  switch (event.invalid) {
    case "negative":
      body.output_tokens = -1;
      break;
    case "unknown_workspace":
      body.workspace_id = "wrkspc_does_not_exist";
      break;
    case "foreign_key":
      body.api_key_id = world.keys[(event.workspace + 1) % world.keys.length]?.[0];
      break;
    case "future":
      at = NOW + SKEW + 1 + (event.at % HOUR);
      break;
    case "bad_split":
      body.cache_creation = { ephemeral_5m_input_tokens: c5m, ephemeral_1h_input_tokens: c1h };
      body.cache_creation_input_tokens = c5m + c1h + 1;
      break;
    case "none":
      break;
  }
  body.timestamp = timestamp(at, event.offset);
  if (event.invalid !== "none") {
    return { body, stored: null };
  }
  const cacheRead = event.cacheRead ?? 0;
  return {
    body,
    stored: {
      id,
      at,
      workspace_id: workspaceId,
      api_key_id: keyId,
      model,
      service_tier: event.tier ?? "standard",
      context_window: event.input + c5m + c1h + cacheRead > 200_000 ? "200k-1M" : "0-200k",
      inference_geo: event.geo ?? "not_available",
      input: event.input,
      output: event.output,
      c5m,
      c1h,
      cacheRead,
      web: event.web ?? 0,
      cost: 0,
      fallback: 0,
      parts: { input: 0, output: 0, c5m: 0, c1h: 0, cacheRead: 0, web: 0 },
    },
  };
}

/**
 * The stored cost of an event, checked against the price table: each part within half a
 * nano-dollar of its exact value, the total their sum; a given cost_usd is the total, unsplit.
 */
function checkCost(event: GenEvent, stored: Stored, row: UsageEventRow): void {
  const parts = {
    input: row.cost_input_nanos,
    output: row.cost_output_nanos,
    c5m: row.cost_cache_write_5m_nanos,
    c1h: row.cost_cache_write_1h_nanos,
    cacheRead: row.cost_cache_read_nanos,
    web: row.cost_web_search_nanos,
  };
  const rates = MODELS[event.model]?.rates ?? null;
  if (event.cost != null) {
    expect(row.cost_nanos, stored.id).toBe(Math.round(event.cost * 1e9));
    expect(Object.values(parts).every((p) => p === 0)).toBe(true);
  } else if (rates === null) {
    expect(row.cost_nanos, stored.id).toBe(0);
    expect(row.priced).toBe(0);
  } else {
    expect(row.priced).toBe(MODELS[event.model]?.fallback ? 0 : 1);
    expect(row.price_source).toBe(MODELS[event.model]?.fallback ? "fallback" : "table");
    const multiplier =
      1000 *
      (GEO_MULTIPLIER[stored.inference_geo] ?? 1) *
      (TIER_MULTIPLIER[stored.service_tier] ?? 1);
    const exact = {
      input: stored.input * rates[0] * multiplier,
      c5m: stored.c5m * rates[1] * multiplier,
      c1h: stored.c1h * rates[2] * multiplier,
      cacheRead: stored.cacheRead * rates[3] * multiplier,
      output: stored.output * rates[4] * multiplier,
    };
    for (const [part, value] of Object.entries(exact)) {
      const actual = parts[part as keyof typeof parts];
      expect(Number.isInteger(actual)).toBe(true);
      expect(Math.abs(actual - value), `${stored.id} ${part}`).toBeLessThanOrEqual(0.5 + 1e-6);
    }
    expect(parts.web).toBe(stored.web * WEB_SEARCH_NANOS);
    expect(row.cost_nanos).toBe(Object.values(parts).reduce((a, b) => a + b, 0));
  }
  expect(row.cost_fallback_nanos).toBe(
    row.price_source === "fallback" ? row.cost_nanos - parts.web : 0,
  );
  stored.cost = row.cost_nanos;
  stored.fallback = row.cost_fallback_nanos;
  stored.parts = parts;
}

// ----- direct sums -----

interface Sums {
  requests: number;
  input: number;
  output: number;
  c5m: number;
  c1h: number;
  cacheRead: number;
  web: number;
  cost: number;
}

function sumOf(events: readonly Stored[]): Sums {
  const sums: Sums = {
    requests: 0,
    input: 0,
    output: 0,
    c5m: 0,
    c1h: 0,
    cacheRead: 0,
    web: 0,
    cost: 0,
  };
  for (const e of events) {
    sums.requests += 1;
    sums.input += e.input;
    sums.output += e.output;
    sums.c5m += e.c5m;
    sums.c1h += e.c1h;
    sums.cacheRead += e.cacheRead;
    sums.web += e.web;
    sums.cost += e.cost;
  }
  return sums;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) {
      list.push(item);
    } else {
      groups.set(k, [item]);
    }
  }
  return groups;
}

const rfc3339 = (ms: number) => new Date(ms).toISOString().replace(".000Z", "Z");
const floorTo = (ms: number, width: number) => Math.floor(ms / width) * width;
const nanos = (usd: number) => Math.round(usd * 1e9);
/** Orders results by their content, whatever order their keys were written in. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
const byJson = <T>(a: T, b: T) => (canonical(a) < canonical(b) ? -1 : 1);

/** An exact cents string (`"123.4567891"`) in nano-dollars: 1e7 nanos to the cent. */
function centsToNanos(amount: string): number {
  const match = /^(\d+)(?:\.(\d{1,7}))?$/.exec(amount);
  if (!match) {
    throw new Error(`not an exact cents amount: ${JSON.stringify(amount)}`);
  }
  return Number(match[1]) * 1e7 + Number((match[2] ?? "").padEnd(7, "0"));
}

// ----- queries -----

interface SeedQuery {
  startDay: number;
  days: number;
  granularity: "hour" | "day" | "month";
  workspace: number | null;
}

interface Filters {
  api_key_ids?: number[];
  workspace_ids?: number[];
  models?: string[];
  service_tiers?: string[];
  context_window?: string[];
  inference_geos?: string[];
}

interface MessagesQuery {
  width: "1m" | "1h" | "1d";
  start: number;
  /** ending_at − starting_at; absent: no ending_at (up to the bucket in progress). */
  span: number | undefined;
  limit: number | undefined;
  groupBy: Dimension[];
  filters: Filters;
}

interface CostQuery {
  start: number;
  span: number | undefined;
  limit: number | undefined;
  groupBy: Array<"workspace_id" | "description" | "api_key_id">;
}

const seedQuery: fc.Arbitrary<SeedQuery> = fc.record({
  startDay: fc.integer({ min: -2, max: 3 }),
  days: fc.integer({ min: 0, max: 4 }),
  granularity: fc.constantFrom("hour", "day", "month"),
  workspace: fc.option(fc.integer({ min: 0, max: KEYS_PER_WORKSPACE.length - 1 })),
});

const filters: fc.Arbitrary<Filters> = fc.record(
  {
    api_key_ids: fc.subarray([0, 1, 2, 3, 4], { minLength: 1 }),
    workspace_ids: fc.subarray([0, 1, 2], { minLength: 1 }),
    models: fc.subarray([...MODELS.map((m) => m.id), "claude-none"], { minLength: 1 }),
    service_tiers: fc.subarray(SERVICE_TIERS, { minLength: 1 }),
    context_window: fc.subarray(CONTEXT_WINDOWS, { minLength: 1 }),
    inference_geos: fc.subarray(GEOS, { minLength: 1 }),
  },
  { requiredKeys: [] },
);

const messagesQuery: fc.Arbitrary<MessagesQuery> = fc.oneof(
  // Minute buckets: short ranges around clustered or recent times.
  {
    weight: 2,
    arbitrary: fc.record({
      width: fc.constant("1m" as const),
      start: fc
        .tuple(eventTime, fc.integer({ min: 0, max: 30 * MINUTE }))
        .map(([t, back]) => t - back),
      span: fc.integer({ min: 1, max: 150 * MINUTE }),
      limit: fc.option(fc.integer({ min: 1, max: 200 }), { nil: undefined }),
      groupBy: fc.shuffledSubarray([...DIMENSIONS]),
      filters: fc.oneof(
        { weight: 2, arbitrary: fc.constant({}) },
        { weight: 1, arbitrary: filters },
      ),
    }),
  },
  // Minute buckets up to the one in progress.
  {
    weight: 1,
    arbitrary: fc.record({
      width: fc.constant("1m" as const),
      start: fc.integer({ min: NOW - 90 * MINUTE, max: NOW + 30_000 }),
      span: fc.constant(undefined),
      limit: fc.option(fc.integer({ min: 30, max: 1440 }), { nil: undefined }),
      groupBy: fc.shuffledSubarray([...DIMENSIONS]),
      filters: fc.oneof(
        { weight: 2, arbitrary: fc.constant({}) },
        { weight: 1, arbitrary: filters },
      ),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      width: fc.constantFrom("1h" as const, "1d" as const),
      start: fc.oneof(
        fc.integer({ min: DAY0 - DAY, max: NOW }),
        fc.constantFrom(DAY0, DAY0 + DAY, DAY0 - 1),
      ),
      span: fc.option(fc.integer({ min: 1, max: 5 * DAY }), { nil: undefined }),
      limit: fc.option(fc.integer({ min: 1, max: 31 }), { nil: undefined }),
      groupBy: fc.shuffledSubarray([...DIMENSIONS]),
      filters: fc.oneof(
        { weight: 2, arbitrary: fc.constant({}) },
        { weight: 1, arbitrary: filters },
      ),
    }),
  },
);

const costQuery: fc.Arbitrary<CostQuery> = fc.record({
  start: fc.oneof(fc.integer({ min: DAY0 - DAY, max: NOW }), fc.constantFrom(DAY0, DAY0 - 1)),
  span: fc.option(fc.integer({ min: 1, max: 5 * DAY }), { nil: undefined }),
  limit: fc.option(fc.integer({ min: 1, max: 31 }), { nil: undefined }),
  groupBy: fc.shuffledSubarray(["workspace_id", "description", "api_key_id"] as Array<
    "workspace_id" | "description" | "api_key_id"
  >),
});

/** The analytics reports' dimensions that Steward records (the others are always null). */
const ANALYTICS_DIMENSIONS = [
  "actor",
  "actor_type",
  "api_key_id",
  "workspace_id",
  "model",
  "service_tier",
  "context_window",
  "inference_geo",
  "product",
] as const;
type AnalyticsDimension = (typeof ANALYTICS_DIMENSIONS)[number];

interface AnalyticsQuery {
  report: "usage" | "cost" | "user_usage_report" | "user_cost_report";
  width: "1m" | "1h" | "1d" | null;
  start: number;
  span: number | undefined;
  limit: number;
  groupBy: AnalyticsDimension[];
  split: Array<"cost_type" | "token_type">;
}

const analyticsQuery: fc.Arbitrary<AnalyticsQuery> = fc
  .record({
    report: fc.constantFrom(
      "usage" as const,
      "cost" as const,
      "user_usage_report" as const,
      "user_cost_report" as const,
    ),
    width: fc.constantFrom(null, null, "1h" as const, "1d" as const, "1m" as const),
    start: fc.oneof(
      fc.integer({ min: DAY0 - DAY, max: NOW }),
      fc.constantFrom(DAY0, DAY0 + DAY, DAY0 - 1, NOW - HOUR),
    ),
    span: fc.option(fc.integer({ min: 1, max: 5 * DAY }), { nil: undefined }),
    limit: fc.integer({ min: 1, max: 12 }),
    groupBy: fc.shuffledSubarray([...ANALYTICS_DIMENSIONS], { maxLength: 5 }),
    split: fc.subarray(["cost_type", "token_type"] as Array<"cost_type" | "token_type">),
  })
  .map((q) => {
    // Buckets need an end; minute buckets at most a day of recent events.
    if (q.width === "1m") {
      return {
        ...q,
        start: Math.max(q.start, NOW - 6 * HOUR),
        span: Math.min(q.span ?? HOUR, DAY),
      };
    }
    return q.width !== null && q.span === undefined ? { ...q, span: DAY } : q;
  })
  .map((q) =>
    q.report.startsWith("user_")
      ? {
          ...q,
          groupBy: q.groupBy.filter(
            (d) => d === "model" || d === "context_window" || d === "inference_geo",
          ),
        }
      : q,
  );

interface Run {
  events: GenEvent[];
  /** How the events are cut into calls, and which calls are sent again. */
  cuts: number[];
  repeats: number[];
  seed: SeedQuery[];
  messages: MessagesQuery[];
  cost: CostQuery[];
  analytics: AnalyticsQuery[];
}

const run: fc.Arbitrary<Run> = fc.noBias(fc.integer({ min: 10, max: 200 })).chain((count) =>
  fc.record({
    // Fewer ids than events: some ids repeat, with other contents.
    events: fc.array(genEvent(Math.ceil(count * 0.9)), { minLength: count, maxLength: count }),
    cuts: fc.array(fc.integer({ min: 0, max: count }), { maxLength: 3 }),
    repeats: fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 2 }),
    seed: fc.array(seedQuery, { minLength: 1, maxLength: 4 }),
    messages: fc.array(messagesQuery, { minLength: 2, maxLength: 8 }),
    cost: fc.array(costQuery, { minLength: 1, maxLength: 3 }),
    analytics: fc.array(analyticsQuery, { minLength: 1, maxLength: 4 }),
  }),
);

describeEachBackend("usage reports equal direct sums of the raw events", (backend) => {
  let server: TestServer;
  /** What the runs covered, so that a generator gone vacuous fails the suite. */
  const seen = {
    events: 0,
    seedCosts: 0,
    messageResults: 0,
    minuteResults: 0,
    costLines: 0,
    pages: 0,
    analyticsRows: 0,
    userRows: 0,
  };

  beforeAll(async () => {
    server = await createTestServer(backend, { clock: new ManualClock(new Date(NOW)) });
  });
  afterAll(async () => {
    await server?.close();
  });

  async function newWorld(): Promise<World> {
    const org = await server.createOrganization();
    const workspaces = [org.defaultWorkspaceId];
    for (let i = 1; i < KEYS_PER_WORKSPACE.length; i++) {
      const created = await server.post(
        "/v1/workspaces",
        { name: `Usage ${i}` },
        { key: org.adminKey },
      );
      expect(created.status).toBe(200);
      workspaces.push(created.body.id);
    }
    const keys: string[][] = [];
    for (const [w, count] of KEYS_PER_WORKSPACE.entries()) {
      keys.push([]);
      for (let k = 0; k < count; k++) {
        // The last workspace's keys are issued to the owner: the analytics reports attribute
        // their usage to them, the others' to the keys themselves.
        const created = await server.post(
          "/v1/api_keys",
          {
            name: `key ${w}.${k}`,
            workspace_id: workspaces[w],
            ...(w === KEYS_PER_WORKSPACE.length - 1 && { user_id: org.ownerId }),
          },
          { key: org.adminKey },
        );
        expect(created.status).toBe(200);
        keys[w]?.push(created.body.id);
      }
    }
    // The same ids in every run's organization: an id is unique per organization, not across them.
    return { org, workspaces, keys, idPrefix: "evt" };
  }

  /** Sends the events in calls, checks each answer against the model; returns the stored events. */
  async function ingest(world: World, r: Run): Promise<Stored[]> {
    const cuts = [
      ...new Set([0, ...r.cuts.filter((c) => c < r.events.length), r.events.length]),
    ].sort((a, b) => a - b);
    const calls: GenEvent[][] = [];
    for (let i = 1; i < cuts.length; i++) {
      calls.push(r.events.slice(cuts[i - 1], cuts[i]));
    }
    for (const repeat of r.repeats) {
      const again = calls[repeat % calls.length];
      if (again) {
        calls.push(again);
      }
    }

    const stored = new Map<string, { event: GenEvent; stored: Stored }>();
    for (const call of calls) {
      const wired = call.map((event) => ({ event, ...wire(event, world) }));
      const response = await server.post(
        "/v1/usage/events",
        { events: wired.map((w) => w.body) },
        { key: world.org.adminKey },
      );
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      let accepted = 0;
      let duplicates = 0;
      const rejected: number[] = [];
      wired.forEach((w, index) => {
        if (w.stored === null) {
          rejected.push(index);
        } else if (stored.has(w.stored.id)) {
          duplicates += 1;
        } else {
          stored.set(w.stored.id, { event: w.event, stored: w.stored });
          accepted += 1;
        }
      });
      expect(
        {
          accepted: response.body.accepted,
          duplicates: response.body.duplicates,
          rejected: response.body.rejected.map((x: { index: number }) => x.index),
        },
        JSON.stringify(response.body.rejected),
      ).toEqual({ accepted, duplicates, rejected });
    }

    // The raw events are the model's, and their costs follow the price table.
    const rows = await server.services.deps.store.read.usage.list(world.org.id);
    expect(rows.map((row) => row.id).sort()).toEqual([...stored.keys()].sort());
    for (const row of rows) {
      const entry = stored.get(row.id);
      if (!entry) {
        throw new Error(`unexpected event ${row.id}`);
      }
      const s = entry.stored;
      expect({
        occurred_at: row.occurred_at,
        workspace_id: row.workspace_id,
        api_key_id: row.api_key_id,
        model: row.model,
        input: row.input_tokens,
        output: row.output_tokens,
        c5m: row.cache_creation_5m_tokens,
        c1h: row.cache_creation_1h_tokens,
        cacheRead: row.cache_read_tokens,
        web: row.web_search_requests,
        context_window: row.context_window,
      }).toEqual({
        occurred_at: new Date(s.at).toISOString(),
        workspace_id: s.workspace_id,
        api_key_id: s.api_key_id,
        model: s.model,
        input: s.input,
        output: s.output,
        c5m: s.c5m,
        c1h: s.c1h,
        cacheRead: s.cacheRead,
        web: s.web,
        context_window: s.context_window,
      });
      expect(row.service_tier ?? "standard").toBe(s.service_tier);
      expect(row.inference_geo ?? "not_available").toBe(s.inference_geo);
      checkCost(entry.event, s, row);
    }
    return [...stored.values()].map((entry) => entry.stored);
  }

  async function checkSeed(world: World, events: Stored[], q: SeedQuery): Promise<void> {
    const from = DAY0 + q.startDay * DAY;
    const to = from + (q.days + 1) * DAY;
    const query: Record<string, string> = {
      start_date: new Date(from).toISOString().slice(0, 10),
      end_date: new Date(to - DAY).toISOString().slice(0, 10),
      granularity: q.granularity,
    };
    const workspaceId = q.workspace === null ? undefined : world.workspaces[q.workspace];
    if (workspaceId !== undefined) {
      query.workspace_id = workspaceId;
    }
    const response = await server.get("/v1/usage", { key: world.org.adminKey, query });
    expect(response.status, JSON.stringify(response.body)).toBe(200);

    const buckets: Array<{ start: number; end: number; date: string }> = [];
    for (let t = from; t < to; ) {
      const date = new Date(t);
      let end: number;
      let label: string;
      if (q.granularity === "hour") {
        end = t + HOUR;
        label = `${date.toISOString().slice(0, 13)}:00:00Z`;
      } else if (q.granularity === "day") {
        end = t + DAY;
        label = date.toISOString().slice(0, 10);
      } else {
        end = Math.min(to, Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1));
        label = date.toISOString().slice(0, 7);
      }
      buckets.push({ start: t, end, date: label });
      t = end;
    }
    const selected = events.filter(
      (e) => workspaceId === undefined || e.workspace_id === workspaceId,
    );
    const totals = (s: Sums) => ({
      input_tokens: s.input,
      output_tokens: s.output,
      cache_creation_tokens: s.c5m + s.c1h,
      cache_read_tokens: s.cacheRead,
      web_search_requests: s.web,
      requests: s.requests,
      total_cost_nanos: s.cost,
    });
    const expected = {
      data: buckets.map((bucket) => {
        const inBucket = selected.filter((e) => e.at >= bucket.start && e.at < bucket.end);
        const breakdown: Record<string, unknown> = {};
        for (const [model, list] of groupBy(inBucket, (e) => e.model)) {
          const s = sumOf(list);
          breakdown[model] = {
            input_tokens: s.input,
            output_tokens: s.output,
            cache_creation_tokens: s.c5m + s.c1h,
            cache_read_tokens: s.cacheRead,
            requests: s.requests,
            cost_nanos: s.cost,
          };
        }
        return {
          date: bucket.date,
          starting_at: rfc3339(bucket.start),
          ending_at: rfc3339(bucket.end),
          ...totals(sumOf(inBucket)),
          model_breakdown: breakdown,
        };
      }),
      total: totals(sumOf(selected.filter((e) => e.at >= from && e.at < to))),
    };
    const { total_cost_usd: totalUsd, ...total } = response.body.total;
    const actual = {
      data: response.body.data.map((bucket: Record<string, any>) => {
        const { total_cost_usd, model_breakdown, ...rest } = bucket;
        const breakdown: Record<string, unknown> = {};
        for (const [model, usage] of Object.entries(model_breakdown as Record<string, any>)) {
          const { cost_usd, ...tokens } = usage;
          breakdown[model] = { ...tokens, cost_nanos: nanos(cost_usd) };
        }
        return { ...rest, total_cost_nanos: nanos(total_cost_usd), model_breakdown: breakdown };
      }),
      total: { ...total, total_cost_nanos: nanos(totalUsd) },
    };
    expect(actual, `GET /v1/usage ${JSON.stringify(query)}`).toEqual(expected);
    seen.seedCosts += expected.total.total_cost_nanos > 0 ? 1 : 0;
  }

  /** Every page of a report, following next_page to the end. */
  async function allPages(
    world: World,
    url: "/v1/organizations/usage_report/messages" | "/v1/organizations/cost_report",
    query: Record<string, string | string[]>,
  ): Promise<Array<{ starting_at: string; ending_at: string; results: any[] }>> {
    const data: Array<{ starting_at: string; ending_at: string; results: any[] }> = [];
    let page: string | undefined;
    for (let i = 0; ; i++) {
      expect(i, "pages").toBeLessThan(400);
      const response = await server.get(url, {
        key: world.org.adminKey,
        query: page === undefined ? query : { ...query, page },
      });
      expect(
        response.status,
        `${url} ${JSON.stringify(query)}: ${JSON.stringify(response.body)}`,
      ).toBe(200);
      data.push(...response.body.data);
      seen.pages += 1;
      expect(response.body.has_more).toBe(response.body.next_page !== null);
      if (query.limit !== undefined) {
        expect(response.body.data.length).toBeLessThanOrEqual(Number(query.limit));
      }
      if (response.body.next_page === null) {
        return data;
      }
      expect(response.body.data.length).toBeGreaterThan(0);
      page = response.body.next_page;
    }
  }

  function bucketsOf(start: number, span: number | undefined, width: number) {
    const first = floorTo(start, width);
    const end = span === undefined ? floorTo(NOW, width) + width : floorTo(start + span, width);
    const buckets: Array<{ start: number; end: number }> = [];
    for (let t = first; t < end; t += width) {
      buckets.push({ start: t, end: t + width });
    }
    return buckets;
  }

  function rangeQuery(start: number, span: number | undefined, limit: number | undefined) {
    // Not always on a bucket's start: starting_at and ending_at snap to their bucket.
    const query: Record<string, string | string[]> = { starting_at: new Date(start).toISOString() };
    if (span !== undefined) {
      query.ending_at = new Date(start + span).toISOString();
    }
    if (limit !== undefined) {
      query.limit = String(limit);
    }
    return query;
  }

  async function checkMessages(world: World, events: Stored[], q: MessagesQuery): Promise<void> {
    const width = { "1m": MINUTE, "1h": HOUR, "1d": DAY }[q.width];
    const query = rangeQuery(q.start, q.span, q.limit);
    query.bucket_width = q.width;
    if (q.groupBy.length > 0) {
      query.group_by = q.groupBy;
    }
    const allKeys = world.keys.flat();
    const f = q.filters;
    const values: Partial<Record<Dimension, string[]>> = {};
    if (f.api_key_ids) {
      values.api_key_id = f.api_key_ids.map((k) => allKeys[k] as string);
    }
    if (f.workspace_ids) {
      values.workspace_id = f.workspace_ids.map((w) => world.workspaces[w] as string);
    }
    if (f.models) {
      values.model = f.models;
    }
    if (f.service_tiers) {
      values.service_tier = f.service_tiers;
    }
    if (f.context_window) {
      values.context_window = f.context_window;
    }
    if (f.inference_geos) {
      values.inference_geo = f.inference_geos;
    }
    const params: Record<Dimension, string> = {
      api_key_id: "api_key_ids",
      workspace_id: "workspace_ids",
      model: "models",
      service_tier: "service_tiers",
      context_window: "context_window",
      inference_geo: "inference_geos",
    };
    for (const [dimension, list] of Object.entries(values) as Array<[Dimension, string[]]>) {
      query[params[dimension]] = list;
    }
    const data = await allPages(world, "/v1/organizations/usage_report/messages", query);

    const selected = events.filter((e) =>
      (Object.entries(values) as Array<[Dimension, string[]]>).every(([dimension, list]) =>
        list.includes(e[dimension] as string),
      ),
    );
    const expected = bucketsOf(q.start, q.span, width).map((bucket) => {
      const inBucket = selected.filter((e) => e.at >= bucket.start && e.at < bucket.end);
      const groups = groupBy(inBucket, (e) => JSON.stringify(q.groupBy.map((d) => e[d])));
      const results = [...groups.values()].map((list) => {
        const s = sumOf(list);
        const first = list[0] as Stored;
        const dimension = (d: Dimension) => (q.groupBy.includes(d) ? first[d] : null);
        return {
          uncached_input_tokens: s.input,
          cache_creation: { ephemeral_1h_input_tokens: s.c1h, ephemeral_5m_input_tokens: s.c5m },
          cache_read_input_tokens: s.cacheRead,
          output_tokens: s.output,
          server_tool_use: { web_search_requests: s.web },
          api_key_id: dimension("api_key_id"),
          workspace_id: dimension("workspace_id"),
          model: dimension("model"),
          service_tier: dimension("service_tier"),
          context_window: dimension("context_window"),
          inference_geo: dimension("inference_geo"),
        };
      });
      return {
        starting_at: rfc3339(bucket.start),
        ending_at: rfc3339(bucket.end),
        results: results.sort(byJson),
      };
    });
    const actual = data.map((bucket) => ({ ...bucket, results: [...bucket.results].sort(byJson) }));
    expect(actual, `messages usage ${JSON.stringify(query)}`).toEqual(expected);
    const results = expected.reduce((n, bucket) => n + bucket.results.length, 0);
    seen.messageResults += results;
    seen.minuteResults += q.width === "1m" ? results : 0;
  }

  async function checkCostReport(world: World, events: Stored[], q: CostQuery): Promise<void> {
    const query = rangeQuery(q.start, q.span, q.limit);
    if (q.groupBy.length > 0) {
      query.group_by = q.groupBy;
    }
    const data = await allPages(world, "/v1/organizations/cost_report", query);
    const byWorkspace = q.groupBy.includes("workspace_id");
    const byKey = q.groupBy.includes("api_key_id");
    const byDescription = q.groupBy.includes("description");
    const names = new Map(MODELS.map((m) => [m.id, m.name]));
    const TOKEN_LINES = [
      ["input", "uncached_input_tokens", "Input Tokens"],
      ["output", "output_tokens", "Output Tokens"],
      ["cacheRead", "cache_read_input_tokens", "Cache Read Input Tokens"],
      ["c5m", "cache_creation.ephemeral_5m_input_tokens", "Cache Write (5m)"],
      ["c1h", "cache_creation.ephemeral_1h_input_tokens", "Cache Write (1h)"],
    ] as const;

    const expected = bucketsOf(q.start, q.span, DAY).map((bucket) => {
      const lines = new Map<
        string,
        { line: Record<string, unknown>; nanos: number; fallback: number; group: string }
      >();
      // A model's token cost and its part at the fallback rates, per group of lines (the line
      // without its description): a line's fallback share is in proportion when they differ.
      const groups = new Map<string, { tokens: number; fallback: number }>();
      const add = (line: Record<string, unknown>, amount: number, fallback = 0, group = "") => {
        const key = JSON.stringify(line);
        const entry = lines.get(key);
        if (entry) {
          entry.nanos += amount;
          entry.fallback += fallback;
        } else {
          lines.set(key, { line, nanos: amount, fallback, group });
        }
      };
      for (const e of events.filter((e) => e.at >= bucket.start && e.at < bucket.end)) {
        const base = {
          currency: "USD",
          workspace_id: byWorkspace ? e.workspace_id : null,
          api_key_id: byKey ? e.api_key_id : null,
          description: null as string | null,
          cost_type: null as string | null,
          model: null as string | null,
          service_tier: null as string | null,
          token_type: null as string | null,
          context_window: null as string | null,
          inference_geo: null as string | null,
        };
        if (!byDescription) {
          add(base, e.cost, e.fallback);
          continue;
        }
        const model = {
          ...base,
          cost_type: "tokens",
          model: e.model,
          service_tier: e.service_tier,
          context_window: e.context_window,
          inference_geo: e.inference_geo,
        };
        const group = JSON.stringify(model);
        const sums = groups.get(group) ?? { tokens: 0, fallback: 0 };
        sums.tokens += e.cost - e.parts.web;
        sums.fallback += e.fallback;
        groups.set(group, sums);
        const name = names.get(e.model) as string;
        let split = 0;
        for (const [part, tokenType, label] of TOKEN_LINES) {
          split += e.parts[part];
          add(
            { ...model, description: `${name} Usage - ${label}`, token_type: tokenType },
            e.parts[part],
            0,
            group,
          );
        }
        add({ ...model, description: `${name} Usage` }, e.cost - split - e.parts.web, 0, group);
        add({ ...base, description: "Web Search Usage", cost_type: "web_search" }, e.parts.web);
      }
      const fallbackOf = (entry: { nanos: number; fallback: number; group: string }): number => {
        const sums = groups.get(entry.group);
        if (sums === undefined) {
          return entry.fallback;
        }
        if (sums.fallback === 0) {
          return 0;
        }
        return sums.fallback >= sums.tokens
          ? entry.nanos
          : Math.round((entry.nanos * sums.fallback) / sums.tokens);
      };
      const results = [...lines.values()]
        .filter((entry) => entry.nanos > 0)
        .map((entry) => ({
          ...entry.line,
          amount_nanos: entry.nanos,
          fallback_nanos: fallbackOf(entry),
        }));
      return {
        starting_at: rfc3339(bucket.start),
        ending_at: rfc3339(bucket.end),
        results: results.sort(byJson),
      };
    });
    const actual = data.map((bucket) => ({
      ...bucket,
      results: bucket.results
        .map(
          ({ amount, fallback_amount, ...line }: { amount: string; fallback_amount: string }) => ({
            ...line,
            amount_nanos: centsToNanos(amount),
            fallback_nanos: centsToNanos(fallback_amount),
          }),
        )
        .sort(byJson),
    }));
    expect(actual, `cost report ${JSON.stringify(query)}`).toEqual(expected);
    seen.costLines += expected.reduce((n, bucket) => n + bucket.results.length, 0);
  }

  /**
   * An analytics report (every page, followed by `next_page`) against direct sums: the range
   * rounded down to the hour (without buckets) or the bucket width, one row per bucket and
   * combination of the grouped dimensions, cost split by cost_type and token_type.
   */
  async function checkAnalytics(world: World, events: Stored[], q: AnalyticsQuery): Promise<void> {
    const width = q.width === null ? null : { "1m": MINUTE, "1h": HOUR, "1d": DAY }[q.width];
    const grid = width ?? HOUR;
    const from = floorTo(q.start, grid);
    const endingAt = q.span === undefined ? Math.min(NOW, q.start + 31 * DAY) : q.start + q.span;
    const to = Math.max(from, floorTo(endingAt, grid));
    const perUser = q.report.startsWith("user_");
    const isCost = q.report === "cost" || q.report === "user_cost_report";
    const query: Record<string, string | string[]> = {
      starting_at: new Date(q.start).toISOString(),
      limit: String(q.limit),
    };
    if (q.span !== undefined) {
      query.ending_at = new Date(q.start + q.span).toISOString();
    }
    if (q.width !== null) {
      query[perUser ? "bucket_width" : "time_bucket_width"] = q.width;
    }
    const asked = [...q.groupBy, ...(isCost ? q.split : [])];
    if (asked.length > 0) {
      query.group_by = asked;
    }
    const data: any[] = [];
    let page: string | undefined;
    for (let i = 0; ; i++) {
      expect(i, "pages").toBeLessThan(400);
      const response = await server.get(`/v1/organizations/analytics/${q.report}`, {
        key: world.org.adminKey,
        headers: { "anthropic-beta": "analytics-usage-cost-2026-08-24" },
        query: page === undefined ? query : { ...query, page },
      });
      const body = response.body as any;
      expect(response.status, `${q.report} ${JSON.stringify(query)}: ${JSON.stringify(body)}`).toBe(
        200,
      );
      seen.pages += 1;
      if (q.split.length === 0 || !isCost) {
        expect(body.data.length).toBeLessThanOrEqual(q.limit);
      }
      data.push(...body.data);
      expect(body.has_more).toBe(body.next_page !== null);
      if (body.next_page === null) {
        break;
      }
      page = body.next_page;
    }

    const owners = new Set(world.keys[world.keys.length - 1]);
    const actorOf = (e: Stored) =>
      e.api_key_id === null ? null : owners.has(e.api_key_id) ? world.org.ownerId : e.api_key_id;
    const dimensionOf = (e: Stored, d: AnalyticsDimension): unknown => {
      switch (d) {
        case "actor":
          return actorOf(e);
        case "actor_type":
          return e.api_key_id === null
            ? null
            : owners.has(e.api_key_id)
              ? "user_actor"
              : "api_actor";
        case "product":
          return e.service_tier === "batch" ? "message_batches_api" : "messages_api";
        case "inference_geo":
          return e.inference_geo === "not_available" ? null : e.inference_geo;
        default:
          return e[d];
      }
    };
    const dims: AnalyticsDimension[] = perUser ? ["actor", ...q.groupBy] : q.groupBy;
    const selected = events.filter(
      (e) =>
        e.at >= from &&
        e.at < to &&
        (!perUser || (e.api_key_id !== null && owners.has(e.api_key_id))),
    );
    const bucketOf = (e: Stored) => (width === null ? from : floorTo(e.at, width));
    const groups = groupBy(selected, (e) =>
      JSON.stringify([bucketOf(e), ...dims.map((d) => dimensionOf(e, d))]),
    );
    const expected: unknown[] = [];
    for (const list of groups.values()) {
      const first = list[0] as Stored;
      const start = bucketOf(first);
      const range =
        perUser && width === null
          ? { starting_at: null, ending_at: null }
          : {
              starting_at: rfc3339(start),
              ending_at: rfc3339(width === null ? to : start + width),
            };
      const values = Object.fromEntries(dims.map((d) => [d, dimensionOf(first, d)]));
      const s = sumOf(list);
      if (!isCost) {
        expected.push({
          ...range,
          ...values,
          input: s.input,
          output: s.output,
          c5m: s.c5m,
          c1h: s.c1h,
          cacheRead: s.cacheRead,
          web: s.web,
          requests: s.requests,
          total: s.input + s.output + s.c5m + s.c1h + s.cacheRead,
        });
        continue;
      }
      if (s.cost === 0) {
        continue;
      }
      const line = (cost_type: string | null, token_type: string | null, nanos: number) => {
        if (nanos > 0) {
          expected.push({
            ...range,
            ...values,
            cost_type,
            token_type,
            nanos,
            requests: q.split.length > 0 ? null : s.requests,
          });
        }
      };
      const part = (p: keyof Stored["parts"]) => list.reduce((n, e) => n + e.parts[p], 0);
      const web = part("web");
      if (q.split.length === 0) {
        line(null, null, s.cost);
      } else if (q.split.includes("token_type")) {
        const kinds = [
          ["input", "uncached_input_tokens"],
          ["c5m", "cache_creation.ephemeral_5m_input_tokens"],
          ["c1h", "cache_creation.ephemeral_1h_input_tokens"],
          ["cacheRead", "cache_read_input_tokens"],
          ["output", "output_tokens"],
        ] as const;
        let split = 0;
        for (const [p, tokenType] of kinds) {
          split += part(p);
          line("tokens", tokenType, part(p));
        }
        line("tokens", null, s.cost - web - split);
        line("web_search", null, web);
      } else {
        line("tokens", null, s.cost - web);
        line("web_search", null, web);
      }
    }

    const identity = (actor: any) =>
      actor === null ? null : (actor.user_id ?? actor.api_key_id ?? actor.service_account_id);
    const actual = data.map((row) => {
      const values: Record<string, unknown> = {};
      const source = perUser ? row : row.group;
      for (const d of dims) {
        values[d] = d === "actor" ? identity(source.actor) : source[d];
      }
      // Dimensions not grouped read null.
      for (const d of ANALYTICS_DIMENSIONS) {
        if (!dims.includes(d) && d in source) {
          expect(source[d], `${d} not grouped`).toBeNull();
        }
      }
      const range = { starting_at: row.starting_at, ending_at: row.ending_at };
      if (!isCost) {
        const u = perUser ? row : { ...row.usage };
        return {
          ...range,
          ...values,
          input: u.uncached_input_tokens,
          output: u.output_tokens,
          c5m: u.cache_creation.ephemeral_5m_input_tokens,
          c1h: u.cache_creation.ephemeral_1h_input_tokens,
          cacheRead: u.cache_read_input_tokens,
          web: u.server_tool_use.web_search_requests,
          requests: u.requests,
          total: u.total_tokens,
        };
      }
      const c = perUser ? row : row.cost;
      expect(c.list_amount).toBe(c.amount);
      return {
        ...range,
        ...values,
        cost_type: source.cost_type,
        token_type: source.token_type,
        nanos: centsToNanos(c.amount),
        requests: c.requests,
      };
    });
    expect(actual.sort(byJson), `${q.report} ${JSON.stringify(query)}`).toEqual(
      expected.sort(byJson),
    );
    if (perUser) {
      seen.userRows += expected.length;
    } else {
      seen.analyticsRows += expected.length;
    }
  }

  it("answers every report exactly as the sums of the raw events", async () => {
    await fc.assert(
      fc.asyncProperty(run, async (r) => {
        const world = await newWorld();
        const events = await ingest(world, r);
        seen.events += events.length;
        for (const q of r.seed) {
          await checkSeed(world, events, q);
        }
        for (const q of r.messages) {
          await checkMessages(world, events, q);
        }
        for (const q of r.cost) {
          await checkCostReport(world, events, q);
        }
        for (const q of r.analytics) {
          await checkAnalytics(world, events, q);
        }
      }),
      { numRuns: NUM_RUNS, ...(process.env.FC_SEED && { seed: Number(process.env.FC_SEED) }) },
    );
    console.log(`usage property [${backend.name}]: ${NUM_RUNS} runs, ${JSON.stringify(seen)}`);
    for (const [what, count] of Object.entries(seen)) {
      expect(count, what).toBeGreaterThan(0);
    }
    // A guard against a hung run, not a measure: a full suite on a shared machine takes minutes.
  }, 400_000);
});
