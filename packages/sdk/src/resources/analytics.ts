import type { ReportPagePromise } from "../core/pagination.js";
import { APIResource } from "../core/resource.js";
import type { components, operations } from "../generated/api.js";
import type { RequestOptions } from "../internal/request-options.js";
import type { QueryOf } from "../internal/types.js";

/** One row of the usage analytics report: its range, its `group` and its `usage`. */
export type AnalyticsUsageItem = components["schemas"]["AnalyticsUsageItem"];
/** One row of the cost analytics report: its range, its `group` and its `cost` (cents). */
export type AnalyticsCostItem = components["schemas"]["AnalyticsCostItem"];
/** One time bucket of the analytics usage report, with its `results`. */
export type AnalyticsUsageReportBucket =
  components["schemas"]["AnalyticsUsageReportPage"]["data"][number];
/** One time bucket of the analytics cost report, with its `results`. */
export type AnalyticsCostReportBucket =
  components["schemas"]["AnalyticsCostReportPage"]["data"][number];
/** One member's usage (per group and bucket when asked). */
export type AnalyticsUserUsageItem = components["schemas"]["AnalyticsUsageUsersItem"];
/** One member's cost (per group, bucket and cost split when asked). */
export type AnalyticsCostUsersItem = components["schemas"]["AnalyticsCostUsersItem"];
export type AnalyticsUsageParams = QueryOf<operations["getAnalyticsUsage"]>;
export type AnalyticsCostParams = QueryOf<operations["getAnalyticsCost"]>;
export type AnalyticsUsageReportParams = QueryOf<operations["getAnalyticsUsageReport"]>;
export type AnalyticsCostReportParams = QueryOf<operations["getAnalyticsCostReport"]>;
export type AnalyticsUserUsageReportParams = QueryOf<operations["getAnalyticsUserUsageReport"]>;
export type AnalyticsUserCostReportParams = QueryOf<operations["getAnalyticsUserCostReport"]>;

/** The beta `usage` and `cost` require, sent with every call of theirs. */
const BETA = "analytics-usage-cost-2026-08-24";

function withBeta(options: RequestOptions | undefined): RequestOptions {
  return { ...options, headers: { "anthropic-beta": BETA, ...options?.headers } };
}

/**
 * The analytics reports (`/v1/organizations/analytics/*`), as Anthropic's SDK has them under
 * `beta.organization.analytics`. Await a method for one page; iterate it for every row (or
 * bucket), following `next_page`.
 */
export class Analytics extends APIResource {
  /**
   * Token usage by any grouping: one row per combination of `group_by` (and time bucket).
   *
   * @example
   * ```ts
   * for await (const row of admin.analytics.usage({
   *   starting_at: "2026-04-01T00:00:00Z",
   *   group_by: ["actor", "model"],
   * })) {
   *   console.log(row.group.actor, row.group.model, row.usage.total_tokens);
   * }
   * ```
   */
  usage(
    query: AnalyticsUsageParams,
    options?: RequestOptions,
  ): ReportPagePromise<AnalyticsUsageItem> {
    return this._client._report("analytics.usage", { query }, withBeta(options));
  }

  /**
   * Cost (cents) by any grouping; `cost_type` and `token_type` split rows.
   *
   * @example
   * ```ts
   * for await (const row of admin.analytics.cost({
   *   starting_at: "2026-04-01T00:00:00Z",
   *   group_by: ["workspace_id"],
   * })) {
   *   console.log(row.group.workspace_id, row.cost.amount);
   * }
   * ```
   */
  cost(query: AnalyticsCostParams, options?: RequestOptions): ReportPagePromise<AnalyticsCostItem> {
    return this._client._report("analytics.cost", { query }, withBeta(options));
  }

  /**
   * Token usage per time bucket, with a result per group.
   *
   * @example
   * ```ts
   * for await (const bucket of admin.analytics.usageReport({
   *   starting_at: "2026-04-01T00:00:00Z",
   *   bucket_width: "1d",
   * })) {
   *   console.log(bucket.starting_at, bucket.results);
   * }
   * ```
   */
  usageReport(
    query: AnalyticsUsageReportParams,
    options?: RequestOptions,
  ): ReportPagePromise<AnalyticsUsageReportBucket> {
    return this._client._report("analytics.usageReport", { query }, options);
  }

  /**
   * Cost per time bucket, with a result per group.
   *
   * @example
   * ```ts
   * const page = await admin.analytics.costReport({ starting_at: "2026-04-01T00:00:00Z" });
   * console.log(page.data[0]?.results);
   * ```
   */
  costReport(
    query: AnalyticsCostReportParams,
    options?: RequestOptions,
  ): ReportPagePromise<AnalyticsCostReportBucket> {
    return this._client._report("analytics.costReport", { query }, options);
  }

  /**
   * Token usage per member: the usage of the API keys issued to them.
   *
   * @example
   * ```ts
   * for await (const row of admin.analytics.userUsageReport({
   *   starting_at: "2026-04-01T00:00:00Z",
   * })) {
   *   console.log(row.actor.email_address, row.total_tokens);
   * }
   * ```
   */
  userUsageReport(
    query: AnalyticsUserUsageReportParams,
    options?: RequestOptions,
  ): ReportPagePromise<AnalyticsUserUsageItem> {
    return this._client._report("analytics.userUsageReport", { query }, options);
  }

  /**
   * Cost per member.
   *
   * @example
   * ```ts
   * for await (const row of admin.analytics.userCostReport({
   *   starting_at: "2026-04-01T00:00:00Z",
   * })) {
   *   console.log(row.actor.email_address, row.amount);
   * }
   * ```
   */
  userCostReport(
    query: AnalyticsUserCostReportParams,
    options?: RequestOptions,
  ): ReportPagePromise<AnalyticsCostUsersItem> {
    return this._client._report("analytics.userCostReport", { query }, options);
  }
}
