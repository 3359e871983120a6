import type { APIPromise } from "../core/api-promise.js";
import type { CursorPagePromise } from "../core/pagination.js";
import { APIResource } from "../core/resource.js";
import type { components, operations } from "../generated/api.js";
import type { RequestOptions } from "../internal/request-options.js";
import type { BodyOf, QueryOf } from "../internal/types.js";

/** A rate-limit group of the organization: `{id: "rl_…", group, models, limits}`. */
export type OrganizationRateLimit = components["schemas"]["OrganizationRateLimit"];
/** A workspace's limits in one group: `{rate_limit_id, group, models, limits: [{type, value, source}]}`. */
export type WorkspaceRateLimit = components["schemas"]["WorkspaceRateLimit"];
/** `group_type`, `model`, `limit` and `page`. */
export type OrganizationRateLimitListParams = QueryOf<operations["listOrganizationRateLimits"]>;
/** `group_type`, `include_inherited`, `limit` and `page`. */
export type WorkspaceRateLimitListParams = QueryOf<operations["listWorkspaceRateLimits"]>;
/** `{limits: [{type, value}]}`: `value` null clears that type. */
export type WorkspaceRateLimitUpdateParams = BodyOf<operations["updateWorkspaceRateLimit"]>;

/** `admin.rateLimits`: the organization's rate-limit groups. */
export class RateLimits extends APIResource {
  /**
   * One entry per rate-limit group (a model family, token counting, batches, files, web search),
   * with the `rl_…` id that `workspaces.rateLimits.update` takes.
   *
   * @example
   * ```ts
   * const { data } = await admin.rateLimits.list({ model: "claude-sonnet-4-5" });
   * console.log(data[0]?.id, data[0]?.group);
   * ```
   */
  list(
    query: OrganizationRateLimitListParams = {},
    options?: RequestOptions,
  ): CursorPagePromise<OrganizationRateLimit> {
    return this._client._cursorList("rateLimits.list", { query }, options);
  }
}

/** `admin.workspaces.rateLimits`: a workspace's requests and tokens per minute, per group. */
export class WorkspaceRateLimits extends APIResource {
  /**
   * The groups in which the workspace has limits (every group with `include_inherited: true`).
   *
   * @example
   * ```ts
   * for await (const entry of admin.workspaces.rateLimits.list("wrkspc_01…")) {
   *   console.log(entry.group, entry.limits);
   * }
   * ```
   */
  list(
    workspaceId: string,
    query: WorkspaceRateLimitListParams = {},
    options?: RequestOptions,
  ): CursorPagePromise<WorkspaceRateLimit> {
    return this._client._cursorList(
      "workspaces.rateLimits.list",
      { params: { workspace_id: workspaceId }, query },
      options,
    );
  }

  /**
   * Sets or clears (`value: null`) the workspace's limits of the types named, in one group.
   *
   * @example
   * ```ts
   * await admin.workspaces.rateLimits.update("wrkspc_01…", "rl_…", {
   *   limits: [{ type: "output_tokens_per_minute", value: 80000 }],
   * });
   * ```
   */
  update(
    workspaceId: string,
    rateLimitId: string,
    body: WorkspaceRateLimitUpdateParams,
    options?: RequestOptions,
  ): APIPromise<WorkspaceRateLimit> {
    return this._client._call(
      "workspaces.rateLimits.update",
      { params: { workspace_id: workspaceId, rate_limit_id: rateLimitId }, body },
      options,
    );
  }
}
