import type { APIPromise } from "../core/api-promise.js";
import type { PagePromise } from "../core/pagination.js";
import { APIResource } from "../core/resource.js";
import type { components, operations } from "../generated/api.js";
import type { RequestOptions } from "../internal/request-options.js";
import type { BodyOf, QueryOf } from "../internal/types.js";

/** An admin key: `status` is `active`, `revoked`, `expired` or `suspended`. */
export type AdminKey = components["schemas"]["AdminKey"];
/** The key as created, with the secret `key` (in this answer only). */
export type AdminKeyCreated = components["schemas"]["AdminKeyCreated"];
/** `{name, user_id?, expires_at?}`: `user_id` defaults to the member making the request. */
export type AdminKeyCreateParams = BodyOf<operations["createAdminKey"]>;
/** `{name}`. */
export type AdminKeyUpdateParams = BodyOf<operations["updateAdminKey"]>;
/** Paging and the filter `status`. */
export type AdminKeyListParams = QueryOf<operations["listAdminKeys"]>;
/** `{id, type: "admin_key_deleted", deleted: true}`. */
export type AdminKeyRevokeResponse = components["schemas"]["AdminKeyDeleteResponse"];

/** Admin keys (`sk-ant-admin01-…`), for owners: every method answers 403 to anyone else. */
export class AdminKeys extends APIResource {
  /**
   * Admin keys, oldest first (revoked ones stay listed).
   *
   * @example
   * ```ts
   * for await (const key of admin.adminKeys.list({ status: "active" })) {
   *   console.log(key.name, key.holder_role, key.last_used_at);
   * }
   * ```
   */
  list(query: AdminKeyListParams = {}, options?: RequestOptions): PagePromise<AdminKey> {
    return this._client._list("adminKeys.list", { query }, options);
  }

  /**
   * Issues an admin key held by an admin or owner (the caller's member by default); the secret
   * `key` is in this answer only.
   *
   * @example
   * ```ts
   * const created = await admin.adminKeys.create({ name: "deploy pipeline" });
   * console.log(created.key);
   * ```
   */
  create(body: AdminKeyCreateParams, options?: RequestOptions): APIPromise<AdminKeyCreated> {
    return this._client._call("adminKeys.create", { body }, options);
  }

  /**
   * One admin key.
   *
   * @example
   * ```ts
   * const key = await admin.adminKeys.retrieve("adminkey_01…");
   * ```
   */
  retrieve(adminKeyId: string, options?: RequestOptions): APIPromise<AdminKey> {
    return this._client._call(
      "adminKeys.retrieve",
      { params: { admin_key_id: adminKeyId } },
      options,
    );
  }

  /**
   * Renames an admin key.
   *
   * @example
   * ```ts
   * await admin.adminKeys.update("adminkey_01…", { name: "CI (EU)" });
   * ```
   */
  update(
    adminKeyId: string,
    body: AdminKeyUpdateParams,
    options?: RequestOptions,
  ): APIPromise<AdminKey> {
    return this._client._call(
      "adminKeys.update",
      { params: { admin_key_id: adminKeyId }, body },
      options,
    );
  }

  /**
   * Revokes an admin key at once: the next request with it answers 401. Revoking twice is
   * harmless. The last working key with an owner's powers is refused (`last_owner_admin_key`)
   * unless the request comes from an owner's console session.
   *
   * @example
   * ```ts
   * await admin.adminKeys.revoke("adminkey_01…");
   * ```
   */
  revoke(adminKeyId: string, options?: RequestOptions): APIPromise<AdminKeyRevokeResponse> {
    return this._client._call(
      "adminKeys.revoke",
      { params: { admin_key_id: adminKeyId } },
      options,
    );
  }
}
