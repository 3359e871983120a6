import type { ReportPagePromise } from "../core/pagination.js";
import { APIResource } from "../core/resource.js";
import type { components, operations } from "../generated/api.js";
import type { RequestOptions } from "../internal/request-options.js";
import type { ItemOf, QueryOf } from "../internal/types.js";

/** One page of the cost report. */
export type CostReport = components["schemas"]["CostReport"];
/** One day of the cost report, with its `results` (`amount` in cents, a decimal string). */
export type CostReportBucket = ItemOf<CostReport>;
/** `starting_at`, `ending_at?`, `bucket_width?` (`1d`), `limit?`, `group_by?`. */
export type CostReportParams = QueryOf<operations["getCostReport"]>;

export class Costs extends APIResource {
  /**
   * The cost report (`/v1/organizations/cost_report`). Await it for one page of days; iterate it
   * for every day, following `next_page`.
   *
   * @example
   * ```ts
   * for await (const day of admin.costs.report({
   *   starting_at: "2026-04-01T00:00:00Z",
   *   group_by: ["workspace_id"],
   * })) {
   *   for (const line of day.results) {
   *     console.log(day.starting_at, line.workspace_id, line.amount, line.currency);
   *   }
   * }
   * ```
   */
  report(query: CostReportParams, options?: RequestOptions): ReportPagePromise<CostReportBucket> {
    return this._client._report("costs.report", { query }, options);
  }

  /**
   * The cost report as CSV (`Accept: text/csv`), every page of the range in one text: a header
   * line, then one row per day and line item (grouped as `group_by` says), with `amount_cents`
   * and `amount_usd`. Pages are followed through the `x-next-page` header.
   *
   * @example
   * ```ts
   * const csv = await admin.costs.reportCsv({
   *   starting_at: "2026-04-01T00:00:00Z",
   *   ending_at: "2026-05-01T00:00:00Z",
   *   group_by: ["api_key_id"],
   * });
   * ```
   */
  async reportCsv(query: CostReportParams, options?: RequestOptions): Promise<string> {
    let csv = "";
    let page: string | undefined;
    for (;;) {
      const { data, response } = await this._client
        ._call<string>(
          "costs.report",
          { query: { ...query, ...(page !== undefined && { page }) } },
          { ...options, headers: { ...options?.headers, accept: "text/csv" } },
        )
        .withResponse();
      const text = typeof data === "string" ? data : "";
      // Every page repeats the header line; the text keeps the first.
      csv += csv === "" ? text : text.slice(text.indexOf("\r\n") + 2);
      const next = response.headers.get("x-next-page");
      if (response.headers.get("x-has-more") !== "true" || next === null) {
        return csv;
      }
      page = next;
    }
  }
}
