import type { APIPromise } from "../core/api-promise.js";
import type { PagePromise } from "../core/pagination.js";
import { APIResource } from "../core/resource.js";
import type { components, operations } from "../generated/api.js";
import type { RequestOptions } from "../internal/request-options.js";
import type { BodyOf, QueryOf } from "../internal/types.js";

/** An API key: `status` is `active`, `inactive`, `archived` or `expired`. */
export type ApiKey = components["schemas"]["ApiKey"];
/** The key as created, with the secret `key` (in this answer only). */
export type ApiKeyCreated = components["schemas"]["ApiKeyCreated"];
/** `{name, workspace_id?, expires_at?, user_id?}`. */
export type ApiKeyCreateParams = BodyOf<operations["createApiKey"]>;
/** `{name?, status?}`: `active` and `inactive` can be switched. */
export type ApiKeyUpdateParams = BodyOf<operations["updateApiKey"]>;
/** Paging and the filters `status`, `workspace_id`, `created_by_user_id`. */
export type ApiKeyListParams = QueryOf<operations["listApiKeys"]>;
/** `{id, type: "api_key_deleted", deleted: true}`. */
export type ApiKeyDeleteResponse = components["schemas"]["ApiKeyDeleteResponse"];
/** What `revoke` answers. */
export type ApiKeyRevokeResponse = ApiKeyDeleteResponse;

export class ApiKeys extends APIResource {
  /**
   * API keys, oldest first (revoked ones stay listed as `archived`).
   *
   * @example
   * ```ts
   * for await (const key of admin.apiKeys.list({ status: "active", workspace_id: "wrkspc_01…" })) {
   *   console.log(key.name, key.partial_key_hint);
   * }
   * ```
   */
  list(query: ApiKeyListParams = {}, options?: RequestOptions): PagePromise<ApiKey> {
    return this._client._list("apiKeys.list", { query }, options);
  }

  /**
   * Issues an API key; the secret `key` is in this answer only. `workspace_id` defaults to the
   * default workspace.
   *
   * @example
   * ```ts
   * const created = await admin.apiKeys.create(
   *   { name: "payments service", workspace_id: "wrkspc_01…" },
   *   { idempotencyKey: "payments-key-2026-04" },
   * );
   * console.log(created.key);
   * ```
   */
  create(body: ApiKeyCreateParams, options?: RequestOptions): APIPromise<ApiKeyCreated> {
    return this._client._call("apiKeys.create", { body }, options);
  }

  /**
   * One API key.
   *
   * @example
   * ```ts
   * const key = await admin.apiKeys.retrieve("apikey_01…");
   * ```
   */
  retrieve(apiKeyId: string, options?: RequestOptions): APIPromise<ApiKey> {
    return this._client._call("apiKeys.retrieve", { params: { api_key_id: apiKeyId } }, options);
  }

  /**
   * Renames a key, or switches it between `active` and `inactive`.
   *
   * @example
   * ```ts
   * await admin.apiKeys.update("apikey_01…", { status: "inactive" });
   * ```
   */
  update(apiKeyId: string, body: ApiKeyUpdateParams, options?: RequestOptions): APIPromise<ApiKey> {
    return this._client._call(
      "apiKeys.update",
      { params: { api_key_id: apiKeyId }, body },
      options,
    );
  }

  /**
   * Revokes a key at once (`DELETE /v1/api_keys/{id}`): it is archived, permanently, and refused
   * by the gateway from the next request. Revoking twice is harmless.
   *
   * @example
   * ```ts
   * await admin.apiKeys.revoke("apikey_01…");
   * ```
   */
  revoke(apiKeyId: string, options?: RequestOptions): APIPromise<ApiKeyRevokeResponse> {
    return this._client._call("apiKeys.revoke", { params: { api_key_id: apiKeyId } }, options);
  }
}
