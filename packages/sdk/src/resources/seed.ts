import type { APIPromise } from "../core/api-promise.js";
import type { PagePromise } from "../core/pagination.js";
import { APIResource } from "../core/resource.js";
import type { operations } from "../generated/api.js";
import type { RequestOptions } from "../internal/request-options.js";
import type { BodyOf, QueryOf } from "../internal/types.js";
import type {
  ApiKey,
  ApiKeyCreated,
  ApiKeyCreateParams,
  ApiKeyDeleteResponse,
  ApiKeyListParams,
} from "./api-keys.js";
import type { InviteCreated, InviteCreateParams } from "./invites.js";
import type { Organization, OrganizationUpdateParams } from "./organization.js";
import type { UsageReport, UsageRetrieveParams } from "./usage.js";
import type {
  User,
  UserDeleteResponse,
  UserListParams,
  UserOffboardResponse,
  UserOnboardParams,
  UserOnboardResponse,
  UserUpdateResponse,
} from "./users.js";
import type {
  Workspace,
  WorkspaceCreateParams,
  WorkspaceListParams,
  WorkspaceUpdateParams,
} from "./workspaces.js";

/** The seed's user update: `{role, name?}`. */
export type SeedUserUpdateParams = BodyOf<operations["seedUpdateUser"]>;
/** The seed's key update (`PATCH /v1/api_keys/{id}`). */
export type SeedApiKeyUpdateParams = BodyOf<operations["seedUpdateApiKey"]>;
export type SeedUserListParams = QueryOf<operations["seedListUsers"]>;

/** `admin.seed.organization`: `/v1/organizations`. */
export class SeedOrganization extends APIResource {
  /** `GET /v1/organizations`. @example `await admin.seed.organization.retrieve()` */
  retrieve(options?: RequestOptions): APIPromise<Organization> {
    return this._client._call("seed.organization.retrieve", {}, options);
  }

  /** `POST /v1/organizations`, as the seed's client updates. @example `await admin.seed.organization.update({ name: "Acme" })` */
  update(body: OrganizationUpdateParams, options?: RequestOptions): APIPromise<Organization> {
    return this._client._call("seed.organization.update", { body }, options);
  }
}

/** `admin.seed.users`: `/v1/users`. */
export class SeedUsers extends APIResource {
  /** `GET /v1/users`. @example `for await (const user of admin.seed.users.list()) {}` */
  list(query: UserListParams = {}, options?: RequestOptions): PagePromise<User> {
    return this._client._list("seed.users.list", { query }, options);
  }

  /** `POST /v1/users/invite`. @example `await admin.seed.users.invite({ email, role: "developer" })` */
  invite(body: InviteCreateParams, options?: RequestOptions): APIPromise<InviteCreated> {
    return this._client._call("seed.users.invite", { body }, options);
  }

  /** `GET /v1/users/{user_id}`. @example `await admin.seed.users.retrieve("user_01…")` */
  retrieve(userId: string, options?: RequestOptions): APIPromise<User> {
    return this._client._call("seed.users.retrieve", { params: { user_id: userId } }, options);
  }

  /** `PATCH /v1/users/{user_id}`. @example `await admin.seed.users.update("user_01…", { role: "admin" })` */
  update(
    userId: string,
    body: SeedUserUpdateParams,
    options?: RequestOptions,
  ): APIPromise<UserUpdateResponse> {
    return this._client._call("seed.users.update", { params: { user_id: userId }, body }, options);
  }

  /** `DELETE /v1/users/{user_id}`. @example `await admin.seed.users.delete("user_01…")` */
  delete(userId: string, options?: RequestOptions): APIPromise<UserDeleteResponse> {
    return this._client._call("seed.users.delete", { params: { user_id: userId } }, options);
  }

  /** `POST /v1/users/onboard`. @example `await admin.seed.users.onboard({ email, role: "developer" })` */
  onboard(body: UserOnboardParams, options?: RequestOptions): APIPromise<UserOnboardResponse> {
    return this._client._call("seed.users.onboard", { body }, options);
  }

  /** `POST /v1/users/{user_id}/offboard`. @example `await admin.seed.users.offboard("user_01…")` */
  offboard(userId: string, options?: RequestOptions): APIPromise<UserOffboardResponse> {
    return this._client._call("seed.users.offboard", { params: { user_id: userId } }, options);
  }
}

/** `admin.seed.apiKeys`: `/v1/api_keys`. */
export class SeedApiKeys extends APIResource {
  /** `GET /v1/api_keys`. @example `for await (const key of admin.seed.apiKeys.list()) {}` */
  list(query: ApiKeyListParams = {}, options?: RequestOptions): PagePromise<ApiKey> {
    return this._client._list("seed.apiKeys.list", { query }, options);
  }

  /** `POST /v1/api_keys`. @example `await admin.seed.apiKeys.create({ name: "ci" })` */
  create(body: ApiKeyCreateParams, options?: RequestOptions): APIPromise<ApiKeyCreated> {
    return this._client._call("seed.apiKeys.create", { body }, options);
  }

  /** `GET /v1/api_keys/{api_key_id}`. @example `await admin.seed.apiKeys.retrieve("apikey_01…")` */
  retrieve(apiKeyId: string, options?: RequestOptions): APIPromise<ApiKey> {
    return this._client._call(
      "seed.apiKeys.retrieve",
      { params: { api_key_id: apiKeyId } },
      options,
    );
  }

  /** `PATCH /v1/api_keys/{api_key_id}`. @example `await admin.seed.apiKeys.update("apikey_01…", { status: "inactive" })` */
  update(
    apiKeyId: string,
    body: SeedApiKeyUpdateParams,
    options?: RequestOptions,
  ): APIPromise<ApiKey> {
    return this._client._call(
      "seed.apiKeys.update",
      { params: { api_key_id: apiKeyId }, body },
      options,
    );
  }

  /** `DELETE /v1/api_keys/{api_key_id}`: revokes at once. @example `await admin.seed.apiKeys.delete("apikey_01…")` */
  delete(apiKeyId: string, options?: RequestOptions): APIPromise<ApiKeyDeleteResponse> {
    return this._client._call("seed.apiKeys.delete", { params: { api_key_id: apiKeyId } }, options);
  }
}

/** `admin.seed.workspaces`: `/v1/workspaces` (the list includes the default workspace). */
export class SeedWorkspaces extends APIResource {
  /** `GET /v1/workspaces`. @example `for await (const w of admin.seed.workspaces.list()) {}` */
  list(query: WorkspaceListParams = {}, options?: RequestOptions): PagePromise<Workspace> {
    return this._client._list("seed.workspaces.list", { query }, options);
  }

  /** `POST /v1/workspaces`. @example `await admin.seed.workspaces.create({ name: "Research" })` */
  create(body: WorkspaceCreateParams, options?: RequestOptions): APIPromise<Workspace> {
    return this._client._call("seed.workspaces.create", { body }, options);
  }

  /** `GET /v1/workspaces/{workspace_id}`. @example `await admin.seed.workspaces.retrieve("wrkspc_01…")` */
  retrieve(workspaceId: string, options?: RequestOptions): APIPromise<Workspace> {
    return this._client._call(
      "seed.workspaces.retrieve",
      { params: { workspace_id: workspaceId } },
      options,
    );
  }

  /** `PATCH /v1/workspaces/{workspace_id}`. @example `await admin.seed.workspaces.update("wrkspc_01…", { name: "R&D" })` */
  update(
    workspaceId: string,
    body: WorkspaceUpdateParams,
    options?: RequestOptions,
  ): APIPromise<Workspace> {
    return this._client._call(
      "seed.workspaces.update",
      { params: { workspace_id: workspaceId }, body },
      options,
    );
  }

  /** `POST /v1/workspaces/{workspace_id}/archive`. @example `await admin.seed.workspaces.archive("wrkspc_01…")` */
  archive(workspaceId: string, options?: RequestOptions): APIPromise<Workspace> {
    return this._client._call(
      "seed.workspaces.archive",
      { params: { workspace_id: workspaceId } },
      options,
    );
  }
}

/** `admin.seed.usage`: `GET /v1/usage`. */
export class SeedUsage extends APIResource {
  /** `GET /v1/usage`. @example `await admin.seed.usage.retrieve({ start_date: "2026-04-01", end_date: "2026-04-30" })` */
  retrieve(query: UsageRetrieveParams, options?: RequestOptions): APIPromise<UsageReport> {
    return this._client._call("seed.usage.retrieve", { query }, options);
  }
}

/**
 * The seed chapter's paths, one method per route, for code written against its Python client.
 * They act on the same data as the rest of the SDK.
 */
export class Seed extends APIResource {
  readonly organization: SeedOrganization = new SeedOrganization(this._client);
  readonly users: SeedUsers = new SeedUsers(this._client);
  readonly apiKeys: SeedApiKeys = new SeedApiKeys(this._client);
  readonly workspaces: SeedWorkspaces = new SeedWorkspaces(this._client);
  readonly usage: SeedUsage = new SeedUsage(this._client);
}
