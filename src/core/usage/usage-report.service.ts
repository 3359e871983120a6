import { z } from "zod";
import {
  type BucketWidth,
  type CostReport,
  type CostReportQuery,
  type CostResult,
  type MessagesUsageQuery,
  type MessagesUsageReport,
  MessagesUsageResult,
  type SeedUsageQuery,
  type SeedUsageReport,
  type UsageDeadLetter,
  type UsageDeadLetterListQuery,
} from "../../contract/usage.js";
import type { RequestContext, ServiceDeps } from "../context.js";
import { invalidRequest, notFound } from "../errors.js";
import { checkCursor, type Page, toPage } from "../pagination.js";
import { accessOf, narrowed } from "../policy/access.js";
import {
  BUCKET_LIMITS,
  bucketPage,
  centsOf,
  DAY_MS,
  floorTo,
  HOUR_MS,
  iso,
  MINUTE_MS,
  nextMonthStart,
  rfc3339,
  usdOf,
  WIDTH_MS,
} from "./buckets.js";
import { modelDisplayName } from "./descriptions.js";
import {
  addSums,
  COST_COLUMNS,
  emptySums,
  type RollupSums,
  type SumColumn,
  TOKEN_COLUMNS,
  TOKEN_KINDS,
  type TokenKind,
} from "./metered.js";
import type { RollupLevel } from "./rollup.js";
import {
  DIMENSIONS,
  type Dimension,
  type JsonField,
  type JsonShape,
  objectOfShape,
  type RollupGroup,
  type RollupQuery,
  type RollupTable,
  type UsageDeadLetterRow,
  type UsageSource,
} from "./usage-store.js";

export interface UsageReportOptions {
  /**
   * Raw events are deleted after this many days; 1m buckets, summed from them, cannot be
   * reported further back.
   */
  rawRetentionDays: number;
}

/** The seed's report reads whole buckets in one answer, so its ranges are capped. */
const SEED_MAX_BUCKETS = { hour: 744, day: 366, month: 36 } as const;

/** The token kinds with a cost report line of their own per model (web search has one line). */
const TOKEN_LINES = TOKEN_KINDS.filter(
  (kind): kind is Extract<TokenKind, { costLine: string }> => kind.costLine !== null,
);

/** What a report sums: a table, over a page of buckets, by groups, within filters. */
interface ReportQuery {
  table: UsageSource;
  buckets: Bucket[];
  groupBy: readonly Dimension[];
  filters: Partial<Record<Dimension, readonly string[] | undefined>>;
  sums: readonly SumColumn[];
}

/** What each report reads from the rollups: only the sums it shows. */
const TOKEN_SUMS = TOKEN_COLUMNS;
const COST_SUMS = COST_COLUMNS;

interface Bucket {
  start: number;
  end: number;
}

/** Pieces of the messages usage report's JSON bytes, around the results SQLite writes. */
const EMPTY_ARRAY = Buffer.from("[]");
const CLOSE_BRACE = Buffer.from("}");

/**
 * The usage and cost reports, read from rollups only: the coarsest table whose buckets divide the
 * report's and that keeps the dimensions it needs. Sums are integers (tokens, nano-dollars) all the
 * way; dollars and cents are derived from them last.
 */
export class UsageReportService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly options: UsageReportOptions,
  ) {}

  /** The seed's `GET /v1/usage`: every bucket of the range, with a per-model breakdown. */
  async seedUsage(ctx: RequestContext, query: SeedUsageQuery): Promise<SeedUsageReport> {
    const from = Date.parse(`${query.start_date}T00:00:00Z`);
    const to = Date.parse(`${query.end_date}T00:00:00Z`) + DAY_MS;
    if (to <= from) {
      throw invalidRequest("querystring.end_date: must be on or after start_date");
    }
    const max = SEED_MAX_BUCKETS[query.granularity];
    const count = seedBucketCount(from, to, query.granularity);
    if (count > max) {
      throw invalidRequest(
        `querystring.end_date: a ${query.granularity} report covers at most ${max} buckets; this range has ${count}`,
      );
    }
    const buckets = seedBuckets(from, to, query.granularity);
    if (query.workspace_id !== undefined) {
      await this.#requireWorkspace(ctx, query.workspace_id);
    }
    const groups = await this.deps.store.read.usageRollups.sum({
      // By model, for the organization or one workspace.
      table: rollupTable(
        query.granularity === "hour" ? "hour" : "day",
        query.workspace_id === undefined ? "organization" : "workspace_model",
      ),
      organizationId: ctx.organizationId,
      from: iso(from),
      to: iso(to),
      bucket: query.granularity === "month" ? "month" : "start",
      groupBy: ["model"],
      sums: [...TOKEN_SUMS, "requests", "cost_nanos"],
      filters: query.workspace_id === undefined ? {} : { workspace_id: [query.workspace_id] },
    });
    const byBucket = groupByBucket(groups);
    const total = emptySums();
    const data = buckets.map((bucket) => {
      const key = query.granularity === "month" ? iso(bucket.start).slice(0, 7) : iso(bucket.start);
      const sums = emptySums();
      // Model ids are client text: a Map, made an object at the end, where `__proto__` is a key.
      const breakdown = new Map<
        string,
        SeedUsageReport["data"][number]["model_breakdown"][string]
      >();
      for (const group of byBucket.get(key) ?? []) {
        addSums(sums, group.sums);
        const g = group.sums;
        breakdown.set(group.dimensions.model as string, {
          input_tokens: g.input_tokens,
          output_tokens: g.output_tokens,
          cache_creation_tokens: g.cache_creation_5m_tokens + g.cache_creation_1h_tokens,
          cache_read_tokens: g.cache_read_tokens,
          requests: g.requests,
          cost_usd: usdOf(g.cost_nanos),
        });
      }
      addSums(total, sums);
      return {
        date: seedLabel(bucket.start, query.granularity),
        starting_at: rfc3339(bucket.start),
        ending_at: rfc3339(bucket.end),
        ...seedTotals(sums),
        model_breakdown: Object.fromEntries(breakdown),
      };
    });
    return { data, total: seedTotals(total) };
  }

  /** `GET /v1/organizations/usage_report/messages`. */
  async messagesUsage(
    ctx: RequestContext,
    query: MessagesUsageQuery,
  ): Promise<MessagesUsageReport> {
    const plan = this.#messagesPlan(await this.#scoped(ctx, query));
    const shape = messagesResultShape(plan.query.groupBy);
    const byBucket = groupByBucket(await this.#sum(ctx, plan.query));
    return {
      data: plan.page.buckets.map((bucket) => ({
        starting_at: rfc3339(bucket.start),
        ending_at: rfc3339(bucket.end),
        results: (byBucket.get(iso(bucket.start)) ?? []).map(
          (group) => objectOfShape(shape, group) as MessagesUsageResult,
        ),
      })),
      has_more: plan.page.nextPage !== null,
      next_page: plan.page.nextPage,
    };
  }

  /**
   * `messagesUsage` as JSON, in UTF-8 bytes, the same value: each bucket's results come written
   * by the store (`sumAsJson`; on SQLite, by the database), and only the buckets around them here.
   * A month by workspace and model is thousands of results, and building then serializing an
   * object for each took most of the request's time.
   */
  async messagesUsageJson(ctx: RequestContext, query: MessagesUsageQuery): Promise<Buffer> {
    const plan = this.#messagesPlan(await this.#scoped(ctx, query));
    const shape = messagesResultShape(plan.query.groupBy);
    const results = await this.#sumAsJson(ctx, plan.query, shape);
    // The results' bytes go into the body as they came: one copy, no string of them.
    const parts: Uint8Array[] = [Buffer.from('{"data":[')];
    plan.page.buckets.forEach((bucket, i) => {
      parts.push(
        Buffer.from(
          `${i === 0 ? "" : ","}{"starting_at":"${rfc3339(bucket.start)}","ending_at":"${rfc3339(bucket.end)}","results":`,
        ),
        results.get(iso(bucket.start)) ?? EMPTY_ARRAY,
        CLOSE_BRACE,
      );
    });
    parts.push(
      Buffer.from(
        `],"has_more":${plan.page.nextPage !== null},"next_page":${JSON.stringify(plan.page.nextPage)}}`,
      ),
    );
    return Buffer.concat(parts);
  }

  /**
   * A developer's session reads the usage of their workspaces, a user's that of their own keys:
   * the report's filters are narrowed to those (src/core/policy/access.ts).
   */
  async #scoped<
    Q extends { workspace_ids?: string[] | undefined; api_key_ids?: string[] | undefined },
  >(ctx: RequestContext, query: Q): Promise<Q> {
    const repos = this.deps.store.read;
    const access = await accessOf(repos, ctx);
    switch (access.scope) {
      case "organization":
        return query;
      case "workspaces":
        return { ...query, workspace_ids: narrowed(access.workspaceIds, query.workspace_ids) };
      case "own_keys": {
        const held = await repos.apiKeys.idsHeldBy(ctx.organizationId, access.userId);
        return { ...query, api_key_ids: narrowed(held, query.api_key_ids) };
      }
    }
  }

  /** What a messages usage report reads: the table, the page of buckets, the groups and filters. */
  #messagesPlan(query: MessagesUsageQuery): {
    page: { buckets: Bucket[]; nextPage: string | null };
    query: ReportQuery;
  } {
    const groupBy = unique(query.group_by ?? []);
    const onlyWorkspaceAndModel =
      groupBy.every((dimension) => dimension === "workspace_id" || dimension === "model") &&
      query.service_tiers === undefined &&
      query.context_window === undefined &&
      query.inference_geos === undefined;
    const level: RollupLevel =
      groupBy.includes("api_key_id") || query.api_key_ids !== undefined
        ? "key"
        : groupBy.includes("workspace_id") || query.workspace_ids !== undefined
          ? onlyWorkspaceAndModel
            ? "workspace_model"
            : "workspace"
          : "organization";
    const width = query.bucket_width;
    const page = this.#page(query, width);
    const table: UsageSource =
      width === "1m" ? "usage_events" : rollupTable(width === "1h" ? "hour" : "day", level);
    const firstBucket = page.buckets[0];
    if (width === "1m" && firstBucket !== undefined) {
      const horizon = floorTo(
        this.deps.clock.now().getTime() - this.options.rawRetentionDays * DAY_MS,
        MINUTE_MS,
      );
      if (firstBucket.start < horizon) {
        throw invalidRequest(
          `querystring.starting_at: 1m buckets are summed from raw events, which are kept for ${this.options.rawRetentionDays} days; use 1h or 1d for older usage`,
        );
      }
    }
    return {
      page,
      query: {
        table,
        buckets: page.buckets,
        groupBy,
        filters: {
          workspace_id: query.workspace_ids,
          api_key_id: query.api_key_ids,
          model: query.models,
          service_tier: query.service_tiers,
          context_window: query.context_window,
          inference_geo: query.inference_geos,
        },
        sums: TOKEN_SUMS,
      },
    };
  }

  /**
   * `GET /v1/organizations/cost_report`: daily costs, optionally by workspace, by API key (from
   * the key rollup, which keeps every dimension) and by line item.
   */
  async costReport(ctx: RequestContext, query: CostReportQuery): Promise<CostReport> {
    const groupBy = unique(query.group_by ?? []);
    const scope: { workspace_ids?: string[]; api_key_ids?: string[] } = await this.#scoped(ctx, {});
    const byWorkspace = groupBy.includes("workspace_id");
    const byKey = groupBy.includes("api_key_id");
    // A scoped report reads a table that holds the dimension it is narrowed by.
    const keyLevel = byKey || scope.api_key_ids !== undefined;
    const workspaceLevel = byWorkspace || scope.workspace_ids !== undefined;
    const byDescription = groupBy.includes("description");
    const page = this.#page(query, "1d");
    const dimensions: Dimension[] = [
      ...(byWorkspace ? (["workspace_id"] as const) : []),
      ...(byKey ? (["api_key_id"] as const) : []),
      ...(byDescription
        ? (["model", "service_tier", "context_window", "inference_geo"] as const)
        : []),
    ];
    const table = rollupTable(
      "day",
      keyLevel
        ? "key"
        : byDescription
          ? workspaceLevel
            ? "workspace"
            : "organization"
          : workspaceLevel
            ? "workspace_model"
            : "organization",
    );
    const groups = await this.#sum(ctx, {
      table,
      buckets: page.buckets,
      groupBy: dimensions,
      filters: { workspace_id: scope.workspace_ids, api_key_id: scope.api_key_ids },
      sums: COST_SUMS,
    });
    const byBucket = groupByBucket(groups);
    return {
      data: page.buckets.map((bucket) => ({
        starting_at: rfc3339(bucket.start),
        ending_at: rfc3339(bucket.end),
        results: costResults(byBucket.get(iso(bucket.start)) ?? [], {
          byWorkspace,
          byKey,
          byDescription,
        }),
      })),
      has_more: page.nextPage !== null,
      next_page: page.nextPage,
    };
  }

  /** The buckets of the requested page, and the token of the next one. */
  #page(
    query: {
      starting_at: string;
      ending_at?: string | undefined;
      limit?: number | undefined;
      page?: string | undefined;
    },
    width: BucketWidth,
  ): { buckets: Bucket[]; nextPage: string | null } {
    const { first, last, widthMs, nextPage } = bucketPage(query, width, BUCKET_LIMITS[width], {
      checkEnd: (startingAt, endingAt) => {
        if (endingAt <= startingAt) {
          throw invalidRequest("querystring.ending_at: must be after starting_at");
        }
      },
      // Up to and including the bucket in progress.
      openEnd: () => floorTo(this.deps.clock.now().getTime(), WIDTH_MS[width]) + WIDTH_MS[width],
    });
    const buckets: Bucket[] = [];
    for (let t = first; t < last; t += widthMs) {
      buckets.push({ start: t, end: t + widthMs });
    }
    return { buckets, nextPage };
  }

  #sum(ctx: RequestContext, report: ReportQuery): Promise<RollupGroup[]> {
    const query = this.#rollupQuery(ctx, report);
    return query === undefined ? Promise.resolve([]) : this.deps.store.read.usageRollups.sum(query);
  }

  #sumAsJson(
    ctx: RequestContext,
    report: ReportQuery,
    shape: JsonShape,
  ): Promise<Map<string, Uint8Array>> {
    const query = this.#rollupQuery(ctx, report);
    return query === undefined
      ? Promise.resolve(new Map())
      : this.deps.store.read.usageRollups.sumAsJson(query, shape);
  }

  /** The rollup query of a report's buckets; undefined when the page has none. */
  #rollupQuery(ctx: RequestContext, report: ReportQuery): RollupQuery | undefined {
    const first = report.buckets[0];
    const last = report.buckets.at(-1);
    if (first === undefined || last === undefined) {
      return undefined;
    }
    const defined: Partial<Record<Dimension, readonly string[]>> = {};
    for (const [dimension, values] of Object.entries(report.filters) as [Dimension, string[]][]) {
      if (values !== undefined) {
        defined[dimension] = values;
      }
    }
    return {
      table: report.table,
      organizationId: ctx.organizationId,
      from: iso(first.start),
      to: iso(last.end),
      bucket: "start",
      groupBy: report.groupBy,
      filters: defined,
      sums: report.sums,
    };
  }

  /**
   * `GET /v1/organizations/usage_dead_letters`: usage events that were refused or could not be
   * written, oldest first; they are in no report or sum.
   */
  async deadLetters(
    ctx: RequestContext,
    query: UsageDeadLetterListQuery,
  ): Promise<Page<UsageDeadLetter>> {
    const repo = this.deps.store.read.usageDeadLetters;
    await checkCursor(query, async (id) => (await repo.find(ctx.organizationId, id)) !== undefined);
    const page = await repo.list(ctx.organizationId, { reason: query.reason }, query);
    return toPage(page, presentDeadLetter, (letter) => letter.id);
  }

  async #requireWorkspace(ctx: RequestContext, workspaceId: string): Promise<void> {
    if (!(await this.deps.store.read.workspaces.find(ctx.organizationId, workspaceId))) {
      throw notFound("workspace", workspaceId);
    }
  }
}

/** The rollup of a grain that keeps the dimensions of a level (and drops the finer ones). */
function rollupTable(grain: "hour" | "day", level: RollupLevel): RollupTable {
  if (level === "workspace_model") {
    // Kept by the day only: by the hour, the workspace rollup serves.
    return grain === "day" ? "usage_workspace_model_day" : "usage_workspace_hour";
  }
  return `usage_${level === "organization" ? "org" : level}_${grain}`;
}

function seedBuckets(from: number, to: number, granularity: SeedUsageQuery["granularity"]) {
  const buckets: Bucket[] = [];
  if (granularity === "month") {
    // The first and last months are cut to the range.
    for (let t = from; t < to; t = nextMonthStart(t)) {
      buckets.push({ start: t, end: Math.min(nextMonthStart(t), to) });
    }
    return buckets;
  }
  const step = granularity === "hour" ? HOUR_MS : DAY_MS;
  for (let t = from; t < to; t += step) {
    buckets.push({ start: t, end: t + step });
  }
  return buckets;
}

/** How many buckets `seedBuckets` would list, counted without listing them (ranges may be huge). */
function seedBucketCount(from: number, to: number, granularity: SeedUsageQuery["granularity"]) {
  if (granularity === "month") {
    const first = new Date(from);
    const last = new Date(to - 1);
    return (
      (last.getUTCFullYear() - first.getUTCFullYear()) * 12 +
      last.getUTCMonth() -
      first.getUTCMonth() +
      1
    );
  }
  return Math.ceil((to - from) / (granularity === "hour" ? HOUR_MS : DAY_MS));
}

function seedLabel(start: number, granularity: SeedUsageQuery["granularity"]): string {
  const text = iso(start);
  return granularity === "hour"
    ? `${text.slice(0, 13)}:00:00Z`
    : granularity === "day"
      ? text.slice(0, 10)
      : text.slice(0, 7);
}

function seedTotals(sums: RollupSums) {
  return {
    input_tokens: sums.input_tokens,
    output_tokens: sums.output_tokens,
    cache_creation_tokens: sums.cache_creation_5m_tokens + sums.cache_creation_1h_tokens,
    cache_read_tokens: sums.cache_read_tokens,
    web_search_requests: sums.web_search_requests,
    requests: sums.requests,
    total_cost_usd: usdOf(sums.cost_nanos),
  };
}

function costResults(
  groups: RollupGroup[],
  by: { byWorkspace: boolean; byKey: boolean; byDescription: boolean },
): CostResult[] {
  const { byWorkspace, byKey, byDescription } = by;
  const results: CostResult[] = [];
  const base = (group: RollupGroup) => ({
    currency: "USD" as const,
    workspace_id: byWorkspace ? (group.dimensions.workspace_id ?? null) : null,
    // '' is the rollups' "no key".
    api_key_id: byKey ? group.dimensions.api_key_id || null : null,
  });
  const empty = {
    description: null,
    cost_type: null,
    model: null,
    service_tier: null,
    token_type: null,
    context_window: null,
    inference_geo: null,
  };
  if (!byDescription) {
    for (const group of groups) {
      if (group.sums.cost_nanos > 0) {
        results.push({
          amount: centsOf(group.sums.cost_nanos),
          ...base(group),
          ...empty,
          fallback_amount: centsOf(group.sums.cost_fallback_nanos),
        });
      }
    }
    return results;
  }
  // Web search is one line per workspace (and key) (it is not a token cost of a model).
  const webSearch = new Map<string, { group: RollupGroup; nanos: number }>();
  for (const group of groups) {
    const s = group.sums;
    const line = {
      cost_type: "tokens" as const,
      model: group.dimensions.model ?? null,
      service_tier: group.dimensions.service_tier ?? null,
      context_window: group.dimensions.context_window ?? null,
      inference_geo: group.dimensions.inference_geo ?? null,
    };
    const name = modelDisplayName(group.dimensions.model ?? "");
    // A model's token cost is all at the fallback rates or none of it, unless the price table
    // listed it for part of the day: then each line's share is in proportion.
    const tokens = s.cost_nanos - s.cost_web_search_nanos;
    const fallbackOf = (nanos: number): string =>
      centsOf(
        s.cost_fallback_nanos === 0
          ? 0
          : s.cost_fallback_nanos >= tokens
            ? nanos
            : Math.round((nanos * s.cost_fallback_nanos) / tokens),
      );
    let split = 0;
    for (const kind of TOKEN_LINES) {
      const nanos = s[kind.costColumn];
      split += nanos;
      if (nanos > 0) {
        results.push({
          amount: centsOf(nanos),
          ...base(group),
          ...line,
          description: `${name} Usage - ${kind.costLine}`,
          token_type: kind.report,
          fallback_amount: fallbackOf(nanos),
        });
      }
    }
    // Events ingested with their own cost_usd carry no split: one line for the model.
    const unsplit = tokens - split;
    if (unsplit > 0) {
      results.push({
        amount: centsOf(unsplit),
        ...base(group),
        ...line,
        description: `${name} Usage`,
        token_type: null,
        fallback_amount: fallbackOf(unsplit),
      });
    }
    if (s.cost_web_search_nanos > 0) {
      const key = `${group.dimensions.workspace_id ?? ""}\u0000${group.dimensions.api_key_id ?? ""}`;
      const entry = webSearch.get(key);
      if (entry) {
        entry.nanos += s.cost_web_search_nanos;
      } else {
        webSearch.set(key, { group, nanos: s.cost_web_search_nanos });
      }
    }
  }
  for (const { group, nanos } of webSearch.values()) {
    results.push({
      amount: centsOf(nanos),
      ...base(group),
      ...empty,
      description: "Web Search Usage",
      cost_type: "web_search",
      fallback_amount: "0",
    });
  }
  return results;
}

/**
 * The JSON shape of a messages usage result, walked from the contract's MessagesUsageResult so
 * that its fields keep the contract's order: a token kind's field is its sum (TOKEN_KINDS'
 * `report`), a dimension's is its value when grouped and null otherwise ('' is the rollups' "no
 * key", answered as null).
 */
function messagesResultShape(groupBy: readonly Dimension[]): JsonShape {
  const walk = (object: z.ZodObject, prefix: string): JsonShape =>
    Object.entries(object.shape).map(([name, schema]): [string, JsonField] => {
      const path = `${prefix}${name}`;
      if (schema instanceof z.ZodObject) {
        return [name, { fields: walk(schema, `${path}.`) }];
      }
      const kind = TOKEN_KINDS.find((k) => k.report === path);
      if (kind !== undefined) {
        return [name, { sum: kind.column }];
      }
      const dimension = DIMENSIONS.find((d) => d === path);
      if (dimension === undefined) {
        throw new Error(`MessagesUsageResult.${path} is neither a token kind nor a dimension`);
      }
      return [
        name,
        groupBy.includes(dimension) ? { dimension, emptyAsNull: dimension === "api_key_id" } : null,
      ];
    });
  return walk(MessagesUsageResult, "");
}

function groupByBucket(groups: RollupGroup[]): Map<string, RollupGroup[]> {
  const byBucket = new Map<string, RollupGroup[]>();
  for (const group of groups) {
    const list = byBucket.get(group.bucket);
    if (list) {
      list.push(group);
    } else {
      byBucket.set(group.bucket, [group]);
    }
  }
  return byBucket;
}

const unique = <T>(values: readonly T[]): T[] => [...new Set(values)];

function presentDeadLetter(row: UsageDeadLetterRow): UsageDeadLetter {
  return {
    id: row.id,
    type: "usage_dead_letter",
    event_id: row.event_id,
    recorded_at: row.recorded_at,
    reason: row.reason as UsageDeadLetter["reason"],
    detail: row.detail,
    event: JSON.parse(row.event) as Record<string, unknown>,
  };
}
