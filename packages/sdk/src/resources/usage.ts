import type { APIPromise } from "../core/api-promise.js";
import type { PagePromise, ReportPagePromise } from "../core/pagination.js";
import { APIResource } from "../core/resource.js";
import type { components, operations } from "../generated/api.js";
import type { RequestOptions } from "../internal/request-options.js";
import type { BodyOf, ItemOf, QueryOf } from "../internal/types.js";

/** The seed's usage report: every bucket of the range (`data`) and the `total`. */
export type UsageReport = components["schemas"]["SeedUsageReport"];
/** `{start_date, end_date, granularity?, workspace_id?}` (dates `YYYY-MM-DD`, both inclusive). */
export type UsageRetrieveParams = QueryOf<operations["seedGetUsage"]>;
/** One page of the messages usage report. */
export type MessagesUsageReport = components["schemas"]["MessagesUsageReport"];
/** One time bucket of the messages usage report, with its `results`. */
export type MessagesUsageBucket = ItemOf<MessagesUsageReport>;
/** `starting_at`, `ending_at?`, `bucket_width?`, `group_by?`, filters; `page` is set by paging. */
export type UsageMessagesParams = QueryOf<operations["getMessagesUsageReport"]>;
/** One usage event to ingest; `id` is its idempotency key. */
export type UsageEvent = components["schemas"]["UsageEventInputInput"];
/** `{events}`: 1 to 10 000 events. */
export type UsageIngestParams = Omit<BodyOf<operations["ingestUsageEvents"]>, "events"> & {
  events: UsageEvent[];
};
/** `{accepted, duplicates, rejected: [{index, id, field, message}]}`. */
export type UsageIngestResponse = components["schemas"]["UsageEventsIngestResult"];
/** A usage event the gateway refused or could not write, with the reason and the event. */
export type UsageDeadLetter = components["schemas"]["UsageDeadLetter"];
/** Paging and the filter `reason`. */
export type UsageDeadLetterListParams = QueryOf<operations["listUsageDeadLetters"]>;

export class Usage extends APIResource {
  /**
   * The seed's usage report (`GET /v1/usage`): tokens, requests and cost per hour, day or month,
   * every bucket of the range.
   *
   * @example
   * ```ts
   * const report = await admin.usage.retrieve({
   *   start_date: "2026-04-01",
   *   end_date: "2026-04-30",
   *   granularity: "day",
   * });
   * console.log(report.total.total_cost_usd);
   * ```
   */
  retrieve(query: UsageRetrieveParams, options?: RequestOptions): APIPromise<UsageReport> {
    return this._client._call("usage.retrieve", { query }, options);
  }

  /**
   * The messages usage report (`/v1/organizations/usage_report/messages`). Await it for one page
   * of buckets; iterate it for every bucket, following `next_page`.
   *
   * @example
   * ```ts
   * for await (const bucket of admin.usage.messages({
   *   starting_at: "2026-04-01T00:00:00Z",
   *   bucket_width: "1d",
   *   group_by: ["model"],
   * })) {
   *   for (const result of bucket.results) {
   *     console.log(bucket.starting_at, result.model, result.output_tokens);
   *   }
   * }
   * ```
   */
  messages(
    query: UsageMessagesParams,
    options?: RequestOptions,
  ): ReportPagePromise<MessagesUsageBucket> {
    return this._client._report("usage.messages", { query }, options);
  }

  /**
   * Ingests usage that did not pass through the gateway. Each event is checked on its own; an
   * event id already stored is counted once (`duplicates`), so a retried call is safe.
   *
   * @example
   * ```ts
   * const result = await admin.usage.ingest({
   *   events: [
   *     {
   *       id: "batch-42-0",
   *       timestamp: new Date().toISOString(),
   *       workspace_id: "wrkspc_01…",
   *       model: "claude-sonnet-4-5",
   *       input_tokens: 1200,
   *       output_tokens: 300,
   *     },
   *   ],
   * });
   * console.log(result.accepted, result.duplicates, result.rejected);
   * ```
   */
  ingest(body: UsageIngestParams, options?: RequestOptions): APIPromise<UsageIngestResponse> {
    return this._client._call("usage.ingest", { body }, options);
  }

  /**
   * Usage events that were refused (token counts that are not non-negative safe integers, a
   * cost out of range) or that the database could not write, oldest first. They are in no report.
   *
   * @example
   * ```ts
   * for await (const letter of admin.usage.deadLetters({ reason: "invalid_tokens" })) {
   *   console.log(letter.event_id, letter.detail);
   * }
   * ```
   */
  deadLetters(
    query: UsageDeadLetterListParams = {},
    options?: RequestOptions,
  ): PagePromise<UsageDeadLetter> {
    return this._client._list("usage.deadLetters", { query }, options);
  }
}
