import type { APIPromise } from "../core/api-promise.js";
import type { PagePromise } from "../core/pagination.js";
import { APIResource } from "../core/resource.js";
import type { components, operations } from "../generated/api.js";
import type { RequestOptions } from "../internal/request-options.js";
import type { BodyOf, QueryOf } from "../internal/types.js";
import { WorkspaceRateLimits } from "./rate-limits.js";
import { WorkspaceServiceAccounts } from "./service-accounts.js";
import { Members } from "./workspace-members.js";

/** A workspace, with its `usage_limits` and `is_default`. */
export type Workspace = components["schemas"]["Workspace"];
/** `{name, display_color?, data_residency?, tags?, usage_limits?}`. */
export type WorkspaceCreateParams = BodyOf<operations["createWorkspace"]>;
/** Any of the create fields; `tags` merges (`null` removes a tag). */
export type WorkspaceUpdateParams = BodyOf<operations["updateWorkspace"]>;
/** Paging and `include_archived`, `include_default`, `ids`. */
export type WorkspaceListParams = QueryOf<operations["listWorkspaces"]>;

export class Workspaces extends APIResource {
  /** The members of a workspace. */
  readonly members: Members = new Members(this._client);
  /** The service accounts of a workspace. */
  readonly serviceAccounts: WorkspaceServiceAccounts = new WorkspaceServiceAccounts(this._client);
  /** The workspace's rate limits, per rate-limit group. */
  readonly rateLimits: WorkspaceRateLimits = new WorkspaceRateLimits(this._client);

  /**
   * Workspaces, oldest first; the default workspace only with `include_default: true`, archived
   * ones only with `include_archived: true`.
   *
   * @example
   * ```ts
   * for await (const workspace of admin.workspaces.list({ include_default: true })) {
   *   console.log(workspace.id, workspace.name);
   * }
   * ```
   */
  list(query: WorkspaceListParams = {}, options?: RequestOptions): PagePromise<Workspace> {
    return this._client._list("workspaces.list", { query }, options);
  }

  /**
   * Creates a workspace.
   *
   * @example
   * ```ts
   * const workspace = await admin.workspaces.create(
   *   { name: "Research", usage_limits: { monthly_spend_usd: 500, requests_per_minute: 60 } },
   *   { idempotencyKey: "create-research-workspace" },
   * );
   * ```
   */
  create(body: WorkspaceCreateParams, options?: RequestOptions): APIPromise<Workspace> {
    return this._client._call("workspaces.create", { body }, options);
  }

  /**
   * One workspace.
   *
   * @example
   * ```ts
   * const workspace = await admin.workspaces.retrieve("wrkspc_01…");
   * ```
   */
  retrieve(workspaceId: string, options?: RequestOptions): APIPromise<Workspace> {
    return this._client._call(
      "workspaces.retrieve",
      { params: { workspace_id: workspaceId } },
      options,
    );
  }

  /**
   * Updates a workspace's name, colour, tags or limits.
   *
   * @example
   * ```ts
   * await admin.workspaces.update("wrkspc_01…", { usage_limits: { monthly_spend_usd: 1000 } });
   * ```
   */
  update(
    workspaceId: string,
    body: WorkspaceUpdateParams,
    options?: RequestOptions,
  ): APIPromise<Workspace> {
    return this._client._call(
      "workspaces.update",
      { params: { workspace_id: workspaceId }, body },
      options,
    );
  }

  /**
   * Archives a workspace and every key in it. The default workspace cannot be archived (400,
   * `default_workspace_protected`); archiving twice is harmless.
   *
   * @example
   * ```ts
   * const archived = await admin.workspaces.archive("wrkspc_01…");
   * console.log(archived.archived_at);
   * ```
   */
  archive(workspaceId: string, options?: RequestOptions): APIPromise<Workspace> {
    return this._client._call(
      "workspaces.archive",
      { params: { workspace_id: workspaceId } },
      options,
    );
  }
}
