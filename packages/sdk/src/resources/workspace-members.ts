import type { APIPromise } from "../core/api-promise.js";
import type { PagePromise } from "../core/pagination.js";
import { APIResource } from "../core/resource.js";
import type { components, operations } from "../generated/api.js";
import type { RequestOptions } from "../internal/request-options.js";
import type { BodyOf, QueryOf } from "../internal/types.js";

/** `{type: "workspace_member", user_id, workspace_id, workspace_role}`. */
export type WorkspaceMember = components["schemas"]["WorkspaceMember"];
/** `{user_id, workspace_role}`. */
export type WorkspaceMemberCreateParams = BodyOf<operations["addWorkspaceMember"]>;
/** `{workspace_role}`. */
export type WorkspaceMemberUpdateParams = BodyOf<operations["updateWorkspaceMember"]>;
/** Paging (by `user_id`). */
export type WorkspaceMemberListParams = QueryOf<operations["listWorkspaceMembers"]>;
/** `{type: "workspace_member_deleted", user_id, workspace_id}`. */
export type WorkspaceMemberDeleteResponse = components["schemas"]["WorkspaceMemberDeleteResponse"];

/** `admin.workspaces.members`. */
export class Members extends APIResource {
  /**
   * A workspace's members.
   *
   * @example
   * ```ts
   * for await (const member of admin.workspaces.members.list("wrkspc_01…")) {
   *   console.log(member.user_id, member.workspace_role);
   * }
   * ```
   */
  list(
    workspaceId: string,
    query: WorkspaceMemberListParams = {},
    options?: RequestOptions,
  ): PagePromise<WorkspaceMember> {
    return this._client._list(
      "workspaces.members.list",
      { params: { workspace_id: workspaceId }, query },
      options,
    );
  }

  /**
   * Adds a member of the organization to a workspace (400 `already_member` when they are one).
   *
   * @example
   * ```ts
   * await admin.workspaces.members.create("wrkspc_01…", {
   *   user_id: "user_01…",
   *   workspace_role: "workspace_developer",
   * });
   * ```
   */
  create(
    workspaceId: string,
    body: WorkspaceMemberCreateParams,
    options?: RequestOptions,
  ): APIPromise<WorkspaceMember> {
    return this._client._call(
      "workspaces.members.create",
      { params: { workspace_id: workspaceId }, body },
      options,
    );
  }

  /**
   * One membership.
   *
   * @example
   * ```ts
   * const member = await admin.workspaces.members.retrieve("wrkspc_01…", "user_01…");
   * ```
   */
  retrieve(
    workspaceId: string,
    userId: string,
    options?: RequestOptions,
  ): APIPromise<WorkspaceMember> {
    return this._client._call(
      "workspaces.members.retrieve",
      { params: { workspace_id: workspaceId, user_id: userId } },
      options,
    );
  }

  /**
   * Changes a member's workspace role.
   *
   * @example
   * ```ts
   * await admin.workspaces.members.update("wrkspc_01…", "user_01…", {
   *   workspace_role: "workspace_admin",
   * });
   * ```
   */
  update(
    workspaceId: string,
    userId: string,
    body: WorkspaceMemberUpdateParams,
    options?: RequestOptions,
  ): APIPromise<WorkspaceMember> {
    return this._client._call(
      "workspaces.members.update",
      { params: { workspace_id: workspaceId, user_id: userId }, body },
      options,
    );
  }

  /**
   * Removes a member from a workspace.
   *
   * @example
   * ```ts
   * await admin.workspaces.members.delete("wrkspc_01…", "user_01…");
   * ```
   */
  delete(
    workspaceId: string,
    userId: string,
    options?: RequestOptions,
  ): APIPromise<WorkspaceMemberDeleteResponse> {
    return this._client._call(
      "workspaces.members.delete",
      { params: { workspace_id: workspaceId, user_id: userId } },
      options,
    );
  }
}
