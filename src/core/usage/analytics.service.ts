import type {
  AnalyticsCostItem,
  AnalyticsCostPage,
  AnalyticsCostQuery,
  AnalyticsUsagePage,
  AnalyticsUsageQuery,
  CostBucketedResult,
  CostReportBucketsQuery,
  CostReportPage,
  CostUsersItem,
  TimeBucketWidth,
  UsageBucketedResult,
  UsageReportPage,
  UsageReportQuery,
  UsageUsersItem,
  UserCostReportPage,
  UserCostReportQuery,
  UserUsageReportPage,
  UserUsageReportQuery,
} from "../../contract/analytics.js";
import type { RequestContext, ServiceDeps } from "../context.js";
import { invalidRequest } from "../errors.js";
import { accessOf } from "../policy/access.js";
import { type Attribution, actorId, loadAttribution } from "./attribution.js";
import {
  bucketPage,
  centsOf,
  DAY_MS,
  floorTo,
  HOUR_MS,
  iso,
  MINUTE_MS,
  rfc3339,
  WIDTH_MS,
} from "./buckets.js";
import { addSums, emptySums, type RollupSums, SUM_COLUMNS, TOKEN_KINDS } from "./metered.js";
import type { RollupLevel } from "./rollup.js";
import type { Dimension, RollupGroup, RollupTable, UsageSource } from "./usage-store.js";

/**
 * The analytics reports (`/v1/organizations/analytics/*`), read from the same rollups as the
 * messages usage and cost reports, and exact like them: each row is a sum of whole rollup rows,
 * integers all the way (tokens, nano-dollars), cents derived last. Usage is attributed to the
 * principal of its API key (./attribution.ts), looked up when the report is read.
 */

export interface AnalyticsOptions {
  /** Raw events are kept this many days; minute buckets are summed from them. */
  rawRetentionDays: number;
}

/** A dimension a report groups by (cost's `cost_type` and `token_type` split rows instead). */
type Dim = Exclude<NonNullable<AnalyticsCostQuery["group_by"]>[number], "cost_type" | "token_type">;

/** `api`: the analytics endpoints, whose products include the Messages API; `enterprise`: not. */
type ProductVocabulary = "api" | "enterprise";

/** The rollup dimension each dimension Steward records is read from; the others are null. */
const SOURCE: Partial<Record<Dim, Dimension>> = {
  actor: "api_key_id",
  actor_type: "api_key_id",
  api_key_id: "api_key_id",
  workspace_id: "workspace_id",
  model: "model",
  service_tier: "service_tier",
  context_window: "context_window",
  inference_geo: "inference_geo",
  product: "service_tier",
};

const MAX_DAYS = 31;
const MAX_RANGE_MS = MAX_DAYS * DAY_MS;
const MAX_GROUP_BY = 5;
/** Buckets per page of the bucketed reports, as the SDK documents them. */
const BUCKET_LIMITS: Record<TimeBucketWidth, { default: number; max: number }> = {
  "1d": { default: 7, max: 31 },
  "1h": { default: 24, max: 168 },
  "1m": { default: 60, max: 256 },
};
const SERVICE_TIERS = [
  "standard",
  "batch",
  "priority",
  "priority_on_demand",
  "flex",
  "flex_discount",
];
const TOKEN_LINES = TOKEN_KINDS.filter((kind) => kind.costLine !== null);

/** The filters a report asks for, as rollup filters; `nothing` when one can match no usage. */
class Filters {
  readonly values: Partial<Record<Dimension, string[]>> = {};
  nothing = false;

  restrict(dimension: Dimension, values: readonly string[]): void {
    const current = this.values[dimension];
    this.values[dimension] =
      current === undefined ? [...new Set(values)] : current.filter((v) => values.includes(v));
  }
}

/** One row of a report before it is presented: its range, its dimension values and sums. */
interface Row {
  start: number;
  end: number;
  values: Partial<Record<Dim, unknown>>;
  key: string;
  sums: RollupSums;
}

interface Range {
  from: number;
  to: number;
  /** Bucket width; null: one row spans the range. */
  width: TimeBucketWidth | null;
}

type CostSplit = { byType: boolean; byToken: boolean };
interface CostLine {
  cost_type: "tokens" | "web_search" | null;
  token_type: CostBucketedResult["token_type"];
  nanos: number;
}

export class AnalyticsService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly options: AnalyticsOptions,
  ) {}

  /** `GET /v1/organizations/analytics/usage`. */
  async usage(ctx: RequestContext, q: AnalyticsUsageQuery): Promise<AnalyticsUsagePage> {
    const groupBy = checkGroupBy(q.group_by ?? [], q);
    const range = this.#range(q, q.time_bucket_width ?? null, "time_bucket_width");
    const rows = await this.#ranked(ctx, q, groupBy, range, "api");
    const metric = usageMetric(q.order_by === "time" ? "total_tokens" : q.order_by);
    sortRows(rows, metric, q.order, q.order_by === "time" && range.width !== null);
    const page = slicePage(rows, q.limit, q.page);
    return {
      data: page.rows.map((row) => ({
        starting_at: rfc3339(row.start),
        ending_at: rfc3339(row.end),
        group: groupOf(row),
        usage: { ...usageMetrics(row.sums), total_tokens: totalTokens(row.sums) },
      })),
      has_more: page.next !== null,
      next_page: page.next,
      data_refreshed_at: this.#now(),
    };
  }

  /** `GET /v1/organizations/analytics/cost`: rows split by cost_type/token_type after paging. */
  async cost(ctx: RequestContext, q: AnalyticsCostQuery): Promise<AnalyticsCostPage> {
    const asked = q.group_by ?? [];
    const split = costSplit(asked);
    const groupBy = checkGroupBy(dims(asked), q);
    const range = this.#range(q, q.time_bucket_width ?? null, "time_bucket_width");
    const rows = (await this.#ranked(ctx, q, groupBy, range, "api")).filter(
      (row) => row.sums.cost_nanos > 0,
    );
    sortRows(rows, costMetric, q.order, q.order_by === "time" && range.width !== null);
    const page = slicePage(rows, q.limit, q.page);
    const data: AnalyticsCostItem[] = [];
    for (const row of page.rows) {
      const group = groupOf(row);
      for (const line of costLines(row.sums, split)) {
        data.push({
          starting_at: rfc3339(row.start),
          ending_at: rfc3339(row.end),
          group: { ...group, cost_type: line.cost_type, token_type: line.token_type },
          cost: costMetrics(line, row.sums, split),
        });
      }
    }
    return {
      data,
      has_more: page.next !== null,
      next_page: page.next,
      data_refreshed_at: this.#now(),
    };
  }

  /** `GET /v1/organizations/analytics/usage_report`: time buckets of results. */
  async usageReport(ctx: RequestContext, q: UsageReportQuery): Promise<UsageReportPage> {
    const groupBy = unique(q.group_by ?? []);
    checkTagUser(groupBy, q);
    const { page, buckets } = await this.#bucketed(ctx, q, groupBy);
    return {
      data: buckets.map((bucket) => ({
        starting_at: rfc3339(bucket.start),
        ending_at: rfc3339(bucket.end),
        results: bucket.rows
          .sort(byMetric(usageMetric("total_tokens")))
          .map(
            (row): UsageBucketedResult => ({ ...reportGroupOf(row), ...usageMetrics(row.sums) }),
          ),
      })),
      has_more: page.next !== null,
      next_page: page.next,
      data_refreshed_at: this.#now(),
    };
  }

  /** `GET /v1/organizations/analytics/cost_report`. */
  async costReport(ctx: RequestContext, q: CostReportBucketsQuery): Promise<CostReportPage> {
    const asked = q.group_by ?? [];
    const split = costSplit(asked);
    const groupBy = dims(asked);
    checkTagUser(groupBy, q);
    const { page, buckets } = await this.#bucketed(ctx, q, groupBy);
    return {
      data: buckets.map((bucket) => ({
        starting_at: rfc3339(bucket.start),
        ending_at: rfc3339(bucket.end),
        results: bucket.rows
          .filter((row) => row.sums.cost_nanos > 0)
          .sort(byMetric(costMetric))
          .flatMap((row) =>
            costLines(row.sums, split).map(
              (line): CostBucketedResult => ({
                ...reportGroupOf(row),
                ...costMetrics(line, row.sums, split),
                cost_type: line.cost_type,
                token_type: line.token_type,
              }),
            ),
          ),
      })),
      has_more: page.next !== null,
      next_page: page.next,
      data_refreshed_at: this.#now(),
    };
  }

  /** `GET /v1/organizations/analytics/user_usage_report`: rows per member. */
  async userUsageReport(
    ctx: RequestContext,
    q: UserUsageReportQuery,
  ): Promise<UserUsageReportPage> {
    const rows = await this.#perUser(ctx, q, dims(q.group_by ?? []));
    sortRows(rows, usageMetric(q.order_by), q.order, false);
    const page = slicePage(rows, q.limit, q.page);
    const bucketed = q.bucket_width !== undefined;
    return {
      data: page.rows.map(
        (row): UsageUsersItem => ({
          actor: row.values.actor as UsageUsersItem["actor"],
          starting_at: bucketed ? rfc3339(row.start) : null,
          ending_at: bucketed ? rfc3339(row.end) : null,
          ...reportGroupOf(row),
          ...usageMetrics(row.sums),
          total_tokens: totalTokens(row.sums),
        }),
      ),
      has_more: page.next !== null,
      next_page: page.next,
      data_refreshed_at: this.#now(),
    };
  }

  /** `GET /v1/organizations/analytics/user_cost_report`. */
  async userCostReport(ctx: RequestContext, q: UserCostReportQuery): Promise<UserCostReportPage> {
    const asked = q.group_by ?? [];
    const split = costSplit(asked);
    const rows = (await this.#perUser(ctx, q, dims(asked))).filter(
      (row) => row.sums.cost_nanos > 0,
    );
    sortRows(rows, costMetric, q.order, false);
    const page = slicePage(rows, q.limit, q.page);
    const bucketed = q.bucket_width !== undefined;
    const data: CostUsersItem[] = [];
    for (const row of page.rows) {
      for (const line of costLines(row.sums, split)) {
        data.push({
          actor: row.values.actor as CostUsersItem["actor"],
          starting_at: bucketed ? rfc3339(row.start) : null,
          ending_at: bucketed ? rfc3339(row.end) : null,
          ...reportGroupOf(row),
          ...costMetrics(line, row.sums, split),
          cost_type: line.cost_type,
          token_type: line.token_type,
        });
      }
    }
    return {
      data,
      has_more: page.next !== null,
      next_page: page.next,
      data_refreshed_at: this.#now(),
    };
  }

  /** The rows of `usage` and `cost`, unsorted. */
  async #ranked(
    ctx: RequestContext,
    q: AnalyticsUsageQuery | AnalyticsCostQuery,
    groupBy: Dim[],
    range: Range,
    vocabulary: ProductVocabulary,
  ): Promise<Row[]> {
    if (q.exclude_deleted_users === true && !groupBy.includes("actor")) {
      throw invalidRequest("querystring.exclude_deleted_users: requires group_by[]=actor");
    }
    const attribution = await loadAttribution(this.deps.store.read, ctx.organizationId);
    const filters = await this.#filters(ctx, q, attribution, vocabulary);
    if (q.api_key_ids !== undefined) {
      filters.restrict("api_key_id", q.api_key_ids);
    }
    if (q.workspace_ids !== undefined) {
      filters.restrict("workspace_id", q.workspace_ids);
    }
    if (q.service_tiers !== undefined) {
      filters.restrict("service_tier", q.service_tiers);
    }
    if (q.actor_ids !== undefined) {
      const ids = q.actor_ids;
      filters.restrict(
        "api_key_id",
        attribution.keysWhere((actor) => ids.includes(actorId(actor))),
      );
    }
    if (q.actor_types !== undefined) {
      const types = q.actor_types;
      filters.restrict(
        "api_key_id",
        attribution.keysWhere((actor) => types.includes(actor.type)),
      );
    }
    for (const unrecorded of [
      q.agent_ids,
      q.deployment_ids,
      q.environment_ids,
      q.organization_ids,
      q.session_ids,
      q.user_profile_ids,
    ]) {
      if (unrecorded !== undefined) {
        filters.nothing = true;
      }
    }
    const rows = await this.#rows(ctx, range, groupBy, filters, attribution, vocabulary);
    return q.exclude_deleted_users === true
      ? rows.filter((row) => {
          const actor = row.values.actor as { type: string; deleted?: boolean } | null;
          return !(actor?.type === "user_actor" && actor.deleted === true);
        })
      : rows;
  }

  /** The rows of the per-user reports: usage through keys issued to members, by member. */
  async #perUser(
    ctx: RequestContext,
    q: UserUsageReportQuery | UserCostReportQuery,
    groupBy: Dim[],
  ): Promise<Row[]> {
    checkTagUser(groupBy, q);
    const width = q.bucket_width ?? null;
    const range = this.#range(q, width, "bucket_width");
    const attribution = await loadAttribution(this.deps.store.read, ctx.organizationId);
    const filters = await this.#filters(ctx, q, attribution, "enterprise");
    filters.restrict(
      "api_key_id",
      attribution.keysWhere((actor) => actor.type === "user_actor"),
    );
    const rows = await this.#rows(
      ctx,
      range,
      ["actor", ...groupBy],
      filters,
      attribution,
      "enterprise",
    );
    return q.exclude_deleted_users === true
      ? rows.filter((row) => (row.values.actor as { deleted: boolean }).deleted !== true)
      : rows;
  }

  /** A page of buckets of the bucketed reports, each with its rows. */
  async #bucketed(
    ctx: RequestContext,
    q: UsageReportQuery | CostReportBucketsQuery,
    groupBy: Dim[],
  ): Promise<{
    page: { next: string | null };
    buckets: Array<{ start: number; end: number; rows: Row[] }>;
  }> {
    const width = q.bucket_width;
    const { first, last, widthMs, nextPage } = bucketPage(q, width, BUCKET_LIMITS[width], {
      checkEnd: (startingAt, endingAt) => checkSpan(startingAt, endingAt, null),
      openEnd: (start) =>
        Math.min(
          floorTo(this.deps.clock.now().getTime(), WIDTH_MS[width]) + WIDTH_MS[width],
          start + MAX_RANGE_MS,
        ),
    });
    const attribution = await loadAttribution(this.deps.store.read, ctx.organizationId);
    const filters = await this.#filters(ctx, q, attribution, "enterprise");
    const rows = await this.#rows(
      ctx,
      { from: first, to: last, width },
      groupBy,
      filters,
      attribution,
      "enterprise",
    );
    const buckets: Array<{ start: number; end: number; rows: Row[] }> = [];
    const byStart = new Map<number, Row[]>();
    for (let t = first; t < last; t += widthMs) {
      const bucket = { start: t, end: t + widthMs, rows: [] as Row[] };
      buckets.push(bucket);
      byStart.set(t, bucket.rows);
    }
    for (const row of rows) {
      byStart.get(row.start)?.push(row);
    }
    return { page: { next: nextPage }, buckets };
  }

  /**
   * The filters every report takes, and the caller's scope: a developer's session reads the
   * usage of their workspaces, a user's that of their own keys (src/core/policy/access.ts).
   */
  async #filters(
    ctx: RequestContext,
    q: {
      context_windows?: string[] | undefined;
      inference_geos?: string[] | undefined;
      models?: string[] | undefined;
      products?: string[] | undefined;
      user_ids?: string[] | undefined;
      claude_tag_categories?: string[] | undefined;
      claude_tag_user_ids?: string[] | undefined;
      rbac_group_ids?: string[] | undefined;
      slack_channel_ids?: string[] | undefined;
      speeds?: string[] | undefined;
    },
    attribution: Attribution,
    vocabulary: ProductVocabulary,
  ): Promise<Filters> {
    const filters = new Filters();
    const repos = this.deps.store.read;
    const access = await accessOf(repos, ctx);
    if (access.scope === "workspaces") {
      filters.restrict("workspace_id", access.workspaceIds);
    } else if (access.scope === "own_keys") {
      filters.restrict(
        "api_key_id",
        await repos.apiKeys.idsHeldBy(ctx.organizationId, access.userId),
      );
    }
    if (q.context_windows !== undefined) {
      filters.restrict("context_window", q.context_windows);
    }
    if (q.inference_geos !== undefined) {
      filters.restrict("inference_geo", q.inference_geos);
    }
    if (q.models !== undefined) {
      filters.restrict("model", q.models);
    }
    if (q.products !== undefined) {
      const products = q.products;
      filters.restrict(
        "service_tier",
        vocabulary === "enterprise"
          ? []
          : SERVICE_TIERS.filter((tier) => products.includes(productOf(tier))),
      );
    }
    if (q.user_ids !== undefined) {
      const ids = q.user_ids;
      filters.restrict(
        "api_key_id",
        attribution.keysWhere(
          (actor) => actor.type === "user_actor" && ids.includes(actor.user_id),
        ),
      );
    }
    for (const unrecorded of [
      q.claude_tag_categories,
      q.claude_tag_user_ids,
      q.rbac_group_ids,
      q.slack_channel_ids,
      q.speeds,
    ]) {
      if (unrecorded !== undefined) {
        filters.nothing = true;
      }
    }
    return filters;
  }

  /** The report's rows: the rollups' groups, folded by the report's dimensions and range. */
  async #rows(
    ctx: RequestContext,
    range: Range,
    groupBy: Dim[],
    filters: Filters,
    attribution: Attribution,
    vocabulary: ProductVocabulary,
  ): Promise<Row[]> {
    if (filters.nothing || range.from >= range.to) {
      return [];
    }
    const needed = new Set<Dimension>();
    for (const dim of groupBy) {
      const source = dim === "product" && vocabulary === "enterprise" ? undefined : SOURCE[dim];
      if (source !== undefined) {
        needed.add(source);
      }
    }
    const filtered = Object.keys(filters.values) as Dimension[];
    const uses = (d: Dimension) => needed.has(d) || filtered.includes(d);
    const level: RollupLevel = uses("api_key_id")
      ? "key"
      : uses("workspace_id")
        ? "workspace"
        : "organization";
    if (range.width === "1m") {
      const horizon = floorTo(
        this.deps.clock.now().getTime() - this.options.rawRetentionDays * DAY_MS,
        MINUTE_MS,
      );
      if (range.from < horizon) {
        throw invalidRequest(
          `querystring.starting_at: 1m buckets are summed from raw events, which are kept for ${this.options.rawRetentionDays} days; use 1h or 1d for older usage`,
        );
      }
    }
    const table: UsageSource =
      range.width === "1m"
        ? "usage_events"
        : rollupTable(range.width === "1d" ? "day" : "hour", level);
    const groups = await this.deps.store.read.usageRollups.sum({
      table,
      organizationId: ctx.organizationId,
      from: iso(range.from),
      to: iso(range.to),
      bucket: "start",
      groupBy: [...needed],
      filters: filters.values,
      sums: SUM_COLUMNS,
    });
    const widthMs = range.width === null ? null : WIDTH_MS[range.width];
    const rows = new Map<string, Row>();
    for (const group of groups) {
      const start = widthMs === null ? range.from : Date.parse(group.bucket);
      const values: Partial<Record<Dim, unknown>> = {};
      for (const dim of groupBy) {
        values[dim] = dimensionValue(dim, group, attribution, vocabulary);
      }
      const key = JSON.stringify([start, ...groupBy.map((dim) => identity(values[dim]))]);
      const row = rows.get(key);
      if (row === undefined) {
        const sums = emptySums();
        addSums(sums, group.sums);
        rows.set(key, {
          start,
          end: widthMs === null ? range.to : start + widthMs,
          values,
          key,
          sums,
        });
      } else {
        addSums(row.sums, group.sums);
      }
    }
    return [...rows.values()];
  }

  /**
   * The range of the ranked reports: hour-aligned without buckets (rollups are hourly), aligned
   * to the bucket width with them; at most 31 days, and 24 hours of minute buckets.
   */
  #range(
    q: { starting_at: string; ending_at?: string | undefined },
    width: TimeBucketWidth | null,
    widthField: string,
  ): Range {
    const startingAt = Date.parse(q.starting_at);
    let endingAt: number;
    if (q.ending_at === undefined) {
      if (width !== null) {
        throw invalidRequest(`querystring.ending_at: required when ${widthField} is set`);
      }
      endingAt = Math.min(this.deps.clock.now().getTime(), startingAt + MAX_RANGE_MS);
    } else {
      endingAt = Date.parse(q.ending_at);
      checkSpan(startingAt, endingAt, width);
    }
    const grid = width === null ? HOUR_MS : WIDTH_MS[width];
    return {
      from: floorTo(startingAt, grid),
      to: Math.max(floorTo(startingAt, grid), floorTo(endingAt, grid)),
      width,
    };
  }

  #now(): string {
    return this.deps.clock.now().toISOString();
  }
}

function checkSpan(startingAt: number, endingAt: number, width: TimeBucketWidth | null): void {
  if (endingAt <= startingAt) {
    throw invalidRequest("querystring.ending_at: must be after starting_at");
  }
  if (endingAt - startingAt > MAX_RANGE_MS) {
    throw invalidRequest(
      `querystring.ending_at: the range may span at most ${MAX_DAYS} days after starting_at`,
    );
  }
  if (width === "1m" && endingAt - startingAt > DAY_MS) {
    throw invalidRequest(
      "querystring.ending_at: with 1m buckets the range may span at most 24 hours",
    );
  }
}

function checkGroupBy(
  groupBy: readonly Dim[],
  q: { rbac_group_ids?: string[] | undefined },
): Dim[] {
  const distinct = unique(groupBy);
  if (distinct.length > MAX_GROUP_BY) {
    throw invalidRequest(
      `querystring.group_by: at most ${MAX_GROUP_BY} dimensions (besides cost_type and token_type); got ${distinct.length}`,
    );
  }
  checkTagUser(distinct, q);
  return distinct;
}

/** Anthropic's rule: Claude Tag users are not broken out by RBAC group. */
function checkTagUser(groupBy: readonly string[], q: { rbac_group_ids?: string[] | undefined }) {
  if (
    groupBy.includes("claude_tag_user_id") &&
    (groupBy.includes("rbac_group_id") || q.rbac_group_ids !== undefined)
  ) {
    throw invalidRequest(
      "querystring.group_by: claude_tag_user_id cannot be combined with rbac_group_id or rbac_group_ids[]",
    );
  }
}

const dims = (groupBy: readonly string[]): Dim[] =>
  unique(groupBy.filter((d): d is Dim => d !== "cost_type" && d !== "token_type"));

const costSplit = (groupBy: readonly string[]): CostSplit => ({
  byType: groupBy.includes("cost_type"),
  byToken: groupBy.includes("token_type"),
});

/** The product of Messages API usage: the batch tier is the Message Batches API's. */
const productOf = (tier: string): string =>
  tier === "batch" ? "message_batches_api" : "messages_api";

function dimensionValue(
  dim: Dim,
  group: RollupGroup,
  attribution: Attribution,
  vocabulary: ProductVocabulary,
): unknown {
  const d = group.dimensions;
  switch (dim) {
    case "actor":
      return attribution.actorOf(d.api_key_id ?? "");
    case "actor_type":
      return attribution.actorOf(d.api_key_id ?? "")?.type ?? null;
    case "api_key_id":
      // '' is the rollups' "no key".
      return d.api_key_id || null;
    case "workspace_id":
    case "model":
    case "service_tier":
    case "context_window":
      return d[dim] ?? null;
    case "inference_geo":
      return d.inference_geo === "not_available" ? null : (d.inference_geo ?? null);
    case "product":
      return vocabulary === "api" && d.service_tier !== undefined
        ? productOf(d.service_tier)
        : null;
    default:
      return null;
  }
}

/** What tells two values of a dimension apart: an actor by its id. */
function identity(value: unknown): unknown {
  return value !== null && typeof value === "object" && "type" in value
    ? actorId(value as Parameters<typeof actorId>[0])
    : value;
}

function groupOf(row: Row): AnalyticsCostItem["group"] & Record<string, unknown> {
  const v = (dim: Dim) => (row.values[dim] ?? null) as never;
  return {
    actor: v("actor"),
    actor_type: v("actor_type"),
    agent_id: null,
    api_key_id: v("api_key_id"),
    claude_tag_category: null,
    claude_tag_user_id: null,
    context_window: v("context_window"),
    deployment_id: null,
    environment_id: null,
    inference_geo: v("inference_geo"),
    model: v("model"),
    organization_id: null,
    product: v("product"),
    rbac_group_id: null,
    service_tier: v("service_tier"),
    session_id: null,
    slack_channel_id: null,
    speed: null,
    user_profile_id: null,
    workspace_id: v("workspace_id"),
    cost_type: null,
    token_type: null,
  };
}

/** The dimension fields of the Claude Enterprise reports. */
function reportGroupOf(row: Row) {
  const v = (dim: Dim) => (row.values[dim] ?? null) as never;
  return {
    claude_tag_category: null,
    claude_tag_user_id: null,
    context_window: v("context_window"),
    inference_geo: v("inference_geo"),
    model: v("model"),
    product: null,
    rbac_group_id: null,
    slack_channel_id: null,
    speed: null,
  };
}

function usageMetrics(s: RollupSums) {
  return {
    cache_creation: {
      ephemeral_1h_input_tokens: s.cache_creation_1h_tokens,
      ephemeral_5m_input_tokens: s.cache_creation_5m_tokens,
    },
    cache_read_input_tokens: s.cache_read_tokens,
    output_tokens: s.output_tokens,
    requests: s.requests,
    server_tool_use: { web_search_requests: s.web_search_requests },
    uncached_input_tokens: s.input_tokens,
  };
}

const totalTokens = (s: RollupSums): number =>
  s.input_tokens +
  s.cache_creation_5m_tokens +
  s.cache_creation_1h_tokens +
  s.cache_read_tokens +
  s.output_tokens;

function usageMetric(
  orderBy: "output_tokens" | "requests" | "total_tokens" | "uncached_input_tokens",
): (row: Row) => number {
  switch (orderBy) {
    case "output_tokens":
      return (row) => row.sums.output_tokens;
    case "requests":
      return (row) => row.sums.requests;
    case "uncached_input_tokens":
      return (row) => row.sums.input_tokens;
    case "total_tokens":
      return (row) => totalTokens(row.sums);
  }
}

/** `amount` and `list_amount` are the same: Steward applies no discounts. */
const costMetric = (row: Row): number => row.sums.cost_nanos;

/**
 * A row's cost, whole or split: by `cost_type` into tokens and web search; by `token_type` into
 * each token kind (with `cost_type: tokens`) and web search. Usage ingested with its own
 * `cost_usd` has no split by kind: its token cost is a `tokens` line with no `token_type`.
 */
function costLines(s: RollupSums, split: CostSplit): CostLine[] {
  if (!split.byType && !split.byToken) {
    return [{ cost_type: null, token_type: null, nanos: s.cost_nanos }];
  }
  const web = s.cost_web_search_nanos;
  const tokens = s.cost_nanos - web;
  const lines: CostLine[] = [];
  if (split.byToken) {
    let parts = 0;
    for (const kind of TOKEN_LINES) {
      const nanos = s[kind.costColumn];
      parts += nanos;
      lines.push({ cost_type: "tokens", token_type: kind.report, nanos });
    }
    lines.push({ cost_type: "tokens", token_type: null, nanos: tokens - parts });
  } else {
    lines.push({ cost_type: "tokens", token_type: null, nanos: tokens });
  }
  lines.push({ cost_type: "web_search", token_type: null, nanos: web });
  return lines.filter((line) => line.nanos > 0);
}

function costMetrics(line: CostLine, s: RollupSums, split: CostSplit) {
  const amount = centsOf(line.nanos);
  return {
    amount,
    currency: "USD" as const,
    list_amount: amount,
    requests: split.byType || split.byToken ? null : s.requests,
  };
}

/**
 * Ranks rows by a metric in `order`, or by bucket (in `order`) then the metric, highest first;
 * ties by bucket, then by their dimension values, so that pages are stable.
 */
function sortRows(
  rows: Row[],
  metric: (row: Row) => number,
  order: "asc" | "desc",
  byTime: boolean,
): void {
  const sign = order === "asc" ? 1 : -1;
  rows.sort((a, b) => {
    if (byTime && a.start !== b.start) {
      return sign * (a.start - b.start);
    }
    const m = byTime ? metric(b) - metric(a) : sign * (metric(a) - metric(b));
    return m !== 0 ? m : a.start - b.start || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
  });
}

function byMetric(metric: (row: Row) => number): (a: Row, b: Row) => number {
  return (a, b) => metric(b) - metric(a) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

/** Ranked reports page by position: the token names the first row of the next page. */
function slicePage(
  rows: Row[],
  limit: number,
  page: string | undefined,
): { rows: Row[]; next: string | null } {
  let offset = 0;
  if (page !== undefined) {
    const text = page.startsWith("page_")
      ? Buffer.from(page.slice(5), "base64url").toString("utf8")
      : "";
    const match = /^row:(\d{1,9})$/.exec(text);
    offset = match ? Number(match[1]) : -1;
    if (offset < 0 || offset > rows.length) {
      throw invalidRequest(
        "querystring.page: not a page token of this report; pass next_page as it was returned, with the same parameters",
      );
    }
  }
  const end = offset + limit;
  return {
    rows: rows.slice(offset, end),
    next: end < rows.length ? `page_${Buffer.from(`row:${end}`).toString("base64url")}` : null,
  };
}

function rollupTable(grain: "hour" | "day", level: RollupLevel): RollupTable {
  return `usage_${level === "organization" ? "org" : level}_${grain}` as RollupTable;
}

const unique = <T>(values: readonly T[]): T[] => [...new Set(values)];
