import type { PagePromise } from "../core/pagination.js";
import { APIResource } from "../core/resource.js";
import type { NDJSONStreamPromise } from "../core/streaming.js";
import type { components, operations } from "../generated/api.js";
import type { RequestOptions } from "../internal/request-options.js";
import type { QueryOf } from "../internal/types.js";

/** An audit record: actor, action, target, request, outcome, `changes`, `chain`. */
export type AuditLog = components["schemas"]["AuditLog"];
/**
 * Paging (`limit`, `after_id`, `before_id`) and the filters `actor_type`, `actor_id`, `action`,
 * `target_type`, `target_id`, `starting_at` (inclusive), `ending_at` (exclusive).
 */
export type AuditLogListParams = QueryOf<operations["listAuditLogs"]>;
/** The list's filters: an export has no pages. */
export type AuditLogExportParams = Omit<AuditLogListParams, "limit" | "after_id" | "before_id">;

export class AuditLogs extends APIResource {
  /**
   * Audit records, oldest first. Await it for one page; iterate it for every record.
   *
   * @example
   * ```ts
   * for await (const record of admin.auditLogs.list({ action: "api_key.revoked" })) {
   *   console.log(record.occurred_at, record.actor_id, record.target_id);
   * }
   * ```
   */
  list(query: AuditLogListParams = {}, options?: RequestOptions): PagePromise<AuditLog> {
    return this._client._list("auditLogs.list", { query }, options);
  }

  /**
   * Every matching record as one stream (`Accept: application/x-ndjson`), parsed line by line
   * as the bytes arrive: exports of any size in constant memory. The timeout covers the wait for
   * the response's headers only; `signal` (or `break`) stops the download.
   *
   * @example
   * ```ts
   * for await (const record of admin.auditLogs.export({ starting_at: "2026-01-01T00:00:00Z" })) {
   *   process.stdout.write(`${JSON.stringify(record)}\n`);
   * }
   * ```
   */
  export(
    query: AuditLogExportParams = {},
    options?: RequestOptions,
  ): NDJSONStreamPromise<AuditLog> {
    return this._client._stream("auditLogs.export", { query }, options);
  }
}
