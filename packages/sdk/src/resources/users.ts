import type { APIPromise } from "../core/api-promise.js";
import type { PagePromise } from "../core/pagination.js";
import { APIResource } from "../core/resource.js";
import type { components, operations } from "../generated/api.js";
import type { RequestOptions } from "../internal/request-options.js";
import type { BodyOf, QueryOf } from "../internal/types.js";

/** A member of the organization. */
export type User = components["schemas"]["User"];
/** An organization role: `owner`, `admin`, `developer`, `billing`, `user`, `claude_code_user`. */
export type UserRole = User["role"];
/** Paging (`limit`, `after_id`, `before_id`) and the filters `email` and `roles`. */
export type UserListParams = QueryOf<operations["listUsers"]>;
/** `{role}`. */
export type UserUpdateParams = BodyOf<operations["updateUser"]>;
/** The user, with the admin keys the role change suspended or let work again. */
export type UserUpdateResponse = components["schemas"]["UserUpdated"];
/** `{id, type: "user_deleted", deleted: true, revoked_api_key_ids}`. */
export type UserDeleteResponse = components["schemas"]["UserDeleteResponse"];
/** `{email, role, workspaces?, api_key?}`. */
export type UserOnboardParams = BodyOf<operations["onboardUser"]>;
/** The invite (with its one-time `token`), the pending memberships and the key (with `key`). */
export type UserOnboardResponse = components["schemas"]["OnboardResponse"];
/** Everything offboarding revoked, cancelled and removed, and the member as they were. */
export type UserOffboardResponse = components["schemas"]["OffboardResponse"];

export class Users extends APIResource {
  /**
   * The members of the organization, oldest first. Await it for one page; iterate it for every
   * member across pages.
   *
   * @example
   * ```ts
   * for await (const user of admin.users.list({ roles: ["developer"] })) {
   *   console.log(user.email);
   * }
   * const page = await admin.users.list({ limit: 50 });
   * ```
   */
  list(query: UserListParams = {}, options?: RequestOptions): PagePromise<User> {
    return this._client._list("users.list", { query }, options);
  }

  /**
   * One member.
   *
   * @example
   * ```ts
   * const user = await admin.users.retrieve("user_01…");
   * ```
   */
  retrieve(userId: string, options?: RequestOptions): APIPromise<User> {
    return this._client._call("users.retrieve", { params: { user_id: userId } }, options);
  }

  /**
   * Changes a member's role. The organization's last owner cannot be demoted (400,
   * `cannot_remove_last_member`); only an owner may change an owner or make one (403). The
   * answer names the member's admin keys the change suspended or let work again.
   *
   * @example
   * ```ts
   * const user = await admin.users.update("user_01…", { role: "developer" });
   * ```
   */
  update(
    userId: string,
    body: UserUpdateParams,
    options?: RequestOptions,
  ): APIPromise<UserUpdateResponse> {
    return this._client._call("users.update", { params: { user_id: userId }, body }, options);
  }

  /**
   * Removes a member, revoking every API key they created or were issued and their workspace
   * memberships.
   *
   * @example
   * ```ts
   * const { revoked_api_key_ids } = await admin.users.delete("user_01…");
   * ```
   */
  delete(userId: string, options?: RequestOptions): APIPromise<UserDeleteResponse> {
    return this._client._call("users.delete", { params: { user_id: userId } }, options);
  }

  /**
   * Invites someone, grants them workspaces (pending until they accept) and issues them an API
   * key, in one transaction. The invite's `token` and the key's `key` are in this answer only.
   *
   * @example
   * ```ts
   * const onboarded = await admin.users.onboard(
   *   {
   *     email: "dev@acme.example",
   *     role: "developer",
   *     workspaces: [{ workspace_id: "wrkspc_01…", workspace_role: "workspace_developer" }],
   *     api_key: { name: "New Dev - Payments" },
   *   },
   *   { idempotencyKey: crypto.randomUUID() },
   * );
   * console.log(onboarded.invite.token, onboarded.api_key?.key);
   * ```
   */
  onboard(body: UserOnboardParams, options?: RequestOptions): APIPromise<UserOnboardResponse> {
    return this._client._call("users.onboard", { body }, options);
  }

  /**
   * Removes a member in one transaction: cancels their pending invites, revokes every API key
   * they created or own and the admin keys acting for them, removes their workspace memberships.
   *
   * @example
   * ```ts
   * const result = await admin.users.offboard("user_01…");
   * console.log(result.revoked_api_key_ids);
   * ```
   */
  offboard(userId: string, options?: RequestOptions): APIPromise<UserOffboardResponse> {
    return this._client._call("users.offboard", { params: { user_id: userId } }, options);
  }

  /**
   * Exactly what `offboard` would revoke, cancel and remove now, changing nothing: the server runs
   * the real offboarding in a transaction it rolls back (`{"dry_run": true}`), so the answer is
   * the one `offboard` gives next, with `deleted: false` and `dry_run: true`. Refuses as
   * `offboard` would (an unknown member, the last owner).
   *
   * @example
   * ```ts
   * const preview = await admin.users.previewOffboard("user_01…");
   * console.log(preview.revoked_api_key_ids, preview.removed_workspace_memberships);
   * ```
   */
  previewOffboard(userId: string, options?: RequestOptions): APIPromise<UserOffboardResponse> {
    return this._client._call(
      "users.offboard",
      { params: { user_id: userId }, body: { dry_run: true } },
      options,
    );
  }
}
