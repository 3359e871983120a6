import type { APIPromise } from "../core/api-promise.js";
import type { CursorPagePromise } from "../core/pagination.js";
import { APIResource } from "../core/resource.js";
import type { components, operations } from "../generated/api.js";
import type { RequestOptions } from "../internal/request-options.js";
import type { BodyOf, QueryOf } from "../internal/types.js";

/** A service account: `{id: "svac_…", name, description, organization_role, archived_at, …}`. */
export type ServiceAccount = components["schemas"]["ServiceAccount"];
/** `{name, description?, organization_role?}`. */
export type ServiceAccountCreateParams = BodyOf<operations["createServiceAccount"]>;
/** `{description?, organization_role?}`. */
export type ServiceAccountUpdateParams = BodyOf<operations["updateServiceAccount"]>;
/** `limit`, `page` and `include_archived`. */
export type ServiceAccountListParams = QueryOf<operations["listServiceAccounts"]>;
/** A service account's role in a workspace; `implicit` for the default workspace's. */
export type ServiceAccountWorkspaceMember = components["schemas"]["ServiceAccountWorkspaceMember"];
/** `{type: "service_account_workspace_member_deleted", service_account_id, workspace_id}`. */
export type ServiceAccountWorkspaceMemberDeleteResponse =
  components["schemas"]["ServiceAccountWorkspaceMemberDeleteResponse"];
/** `limit` and `page`. */
export type ServiceAccountWorkspaceListParams = QueryOf<operations["listServiceAccountWorkspaces"]>;
/** `{workspace_id, workspace_role}`. */
export type ServiceAccountWorkspaceAddParams = BodyOf<operations["addServiceAccountWorkspace"]>;
/** `{service_account_id, workspace_role}`. */
export type WorkspaceServiceAccountAddParams = BodyOf<operations["addWorkspaceServiceAccount"]>;
/** `{workspace_role}`. */
export type WorkspaceServiceAccountUpdateParams = BodyOf<
  operations["updateWorkspaceServiceAccount"]
>;

/** `admin.serviceAccounts.workspaces`: the workspaces of a service account. */
export class ServiceAccountWorkspaces extends APIResource {
  /**
   * The service account's workspace memberships; the default workspace's implicit one first.
   *
   * @example
   * ```ts
   * for await (const m of admin.serviceAccounts.workspaces.list("svac_01…")) {
   *   console.log(m.workspace_id, m.workspace_role, m.implicit);
   * }
   * ```
   */
  list(
    serviceAccountId: string,
    query: ServiceAccountWorkspaceListParams = {},
    options?: RequestOptions,
  ): CursorPagePromise<ServiceAccountWorkspaceMember> {
    return this._client._cursorList(
      "serviceAccounts.workspaces.list",
      { params: { service_account_id: serviceAccountId }, query },
      options,
    );
  }

  /**
   * Adds the service account to a workspace, or replaces its role there.
   *
   * @example
   * ```ts
   * await admin.serviceAccounts.workspaces.add("svac_01…", {
   *   workspace_id: "wrkspc_01…",
   *   workspace_role: "workspace_developer",
   * });
   * ```
   */
  add(
    serviceAccountId: string,
    body: ServiceAccountWorkspaceAddParams,
    options?: RequestOptions,
  ): APIPromise<ServiceAccountWorkspaceMember> {
    return this._client._call(
      "serviceAccounts.workspaces.add",
      { params: { service_account_id: serviceAccountId }, body },
      options,
    );
  }

  /**
   * Removes the service account from a workspace (idempotent).
   *
   * @example
   * ```ts
   * await admin.serviceAccounts.workspaces.remove("svac_01…", "wrkspc_01…");
   * ```
   */
  remove(
    serviceAccountId: string,
    workspaceId: string,
    options?: RequestOptions,
  ): APIPromise<ServiceAccountWorkspaceMemberDeleteResponse> {
    return this._client._call(
      "serviceAccounts.workspaces.remove",
      { params: { service_account_id: serviceAccountId, workspace_id: workspaceId } },
      options,
    );
  }
}

/** `admin.serviceAccounts`: identities that API keys can belong to instead of a person. */
export class ServiceAccounts extends APIResource {
  /** The workspaces of a service account. */
  readonly workspaces: ServiceAccountWorkspaces = new ServiceAccountWorkspaces(this._client);

  /**
   * Service accounts, newest first; archived ones only with `include_archived: true`.
   *
   * @example
   * ```ts
   * for await (const account of admin.serviceAccounts.list()) {
   *   console.log(account.id, account.name);
   * }
   * ```
   */
  list(
    query: ServiceAccountListParams = {},
    options?: RequestOptions,
  ): CursorPagePromise<ServiceAccount> {
    return this._client._cursorList("serviceAccounts.list", { query }, options);
  }

  /**
   * Creates a service account (`name` is a slug, unique in the organization).
   *
   * @example
   * ```ts
   * const account = await admin.serviceAccounts.create({ name: "ci-deploy-bot" });
   * ```
   */
  create(body: ServiceAccountCreateParams, options?: RequestOptions): APIPromise<ServiceAccount> {
    return this._client._call("serviceAccounts.create", { body }, options);
  }

  /**
   * One service account, archived or not.
   *
   * @example
   * ```ts
   * const account = await admin.serviceAccounts.retrieve("svac_01…");
   * ```
   */
  retrieve(serviceAccountId: string, options?: RequestOptions): APIPromise<ServiceAccount> {
    return this._client._call(
      "serviceAccounts.retrieve",
      { params: { service_account_id: serviceAccountId } },
      options,
    );
  }

  /**
   * Changes the description or the organization role.
   *
   * @example
   * ```ts
   * await admin.serviceAccounts.update("svac_01…", { description: "Deploys from CI" });
   * ```
   */
  update(
    serviceAccountId: string,
    body: ServiceAccountUpdateParams,
    options?: RequestOptions,
  ): APIPromise<ServiceAccount> {
    return this._client._call(
      "serviceAccounts.update",
      { params: { service_account_id: serviceAccountId }, body },
      options,
    );
  }

  /**
   * Archives the service account and revokes its API keys.
   *
   * @example
   * ```ts
   * await admin.serviceAccounts.archive("svac_01…");
   * ```
   */
  archive(serviceAccountId: string, options?: RequestOptions): APIPromise<ServiceAccount> {
    return this._client._call(
      "serviceAccounts.archive",
      { params: { service_account_id: serviceAccountId } },
      options,
    );
  }
}

/** `admin.workspaces.serviceAccounts`: the service accounts of a workspace. */
export class WorkspaceServiceAccounts extends APIResource {
  /**
   * The workspace's service accounts (explicit memberships of active accounts).
   *
   * @example
   * ```ts
   * for await (const m of admin.workspaces.serviceAccounts.list("wrkspc_01…")) {
   *   console.log(m.service_account_id, m.workspace_role);
   * }
   * ```
   */
  list(
    workspaceId: string,
    query: ServiceAccountWorkspaceListParams = {},
    options?: RequestOptions,
  ): CursorPagePromise<ServiceAccountWorkspaceMember> {
    return this._client._cursorList(
      "workspaces.serviceAccounts.list",
      { params: { workspace_id: workspaceId }, query },
      options,
    );
  }

  /**
   * Adds a service account to the workspace, or replaces its role there.
   *
   * @example
   * ```ts
   * await admin.workspaces.serviceAccounts.add("wrkspc_01…", {
   *   service_account_id: "svac_01…",
   *   workspace_role: "workspace_developer",
   * });
   * ```
   */
  add(
    workspaceId: string,
    body: WorkspaceServiceAccountAddParams,
    options?: RequestOptions,
  ): APIPromise<ServiceAccountWorkspaceMember> {
    return this._client._call(
      "workspaces.serviceAccounts.add",
      { params: { workspace_id: workspaceId }, body },
      options,
    );
  }

  /**
   * A service account's membership of the workspace.
   *
   * @example
   * ```ts
   * const m = await admin.workspaces.serviceAccounts.retrieve("wrkspc_01…", "svac_01…");
   * ```
   */
  retrieve(
    workspaceId: string,
    serviceAccountId: string,
    options?: RequestOptions,
  ): APIPromise<ServiceAccountWorkspaceMember> {
    return this._client._call(
      "workspaces.serviceAccounts.retrieve",
      { params: { workspace_id: workspaceId, service_account_id: serviceAccountId } },
      options,
    );
  }

  /**
   * Changes a service account's role in the workspace.
   *
   * @example
   * ```ts
   * await admin.workspaces.serviceAccounts.update("wrkspc_01…", "svac_01…", {
   *   workspace_role: "workspace_admin",
   * });
   * ```
   */
  update(
    workspaceId: string,
    serviceAccountId: string,
    body: WorkspaceServiceAccountUpdateParams,
    options?: RequestOptions,
  ): APIPromise<ServiceAccountWorkspaceMember> {
    return this._client._call(
      "workspaces.serviceAccounts.update",
      { params: { workspace_id: workspaceId, service_account_id: serviceAccountId }, body },
      options,
    );
  }

  /**
   * Removes a service account from the workspace (idempotent).
   *
   * @example
   * ```ts
   * await admin.workspaces.serviceAccounts.remove("wrkspc_01…", "svac_01…");
   * ```
   */
  remove(
    workspaceId: string,
    serviceAccountId: string,
    options?: RequestOptions,
  ): APIPromise<ServiceAccountWorkspaceMemberDeleteResponse> {
    return this._client._call(
      "workspaces.serviceAccounts.remove",
      { params: { workspace_id: workspaceId, service_account_id: serviceAccountId } },
      options,
    );
  }
}
