import type { APIPromise } from "../core/api-promise.js";
import type { PagePromise } from "../core/pagination.js";
import { APIResource } from "../core/resource.js";
import type { components, operations } from "../generated/api.js";
import type { RequestOptions } from "../internal/request-options.js";
import type { BodyOf, QueryOf, ResponseOf } from "../internal/types.js";

/** An invitation: `status` is `pending`, `accepted`, `expired` or `deleted`. */
export type Invite = components["schemas"]["Invite"];
/** The invite as created, with its one-time `token` (never shown again). */
export type InviteCreated = components["schemas"]["InviteCreated"];
/** `{email, role}`. */
export type InviteCreateParams = BodyOf<operations["createInvite"]>;
/** Paging and the filters `email`, `roles`, `statuses`. */
export type InviteListParams = QueryOf<operations["listInvites"]>;
/** `{id, type: "invite_deleted"}`. */
export type InviteDeleteResponse = components["schemas"]["InviteDeleteResponse"];
/** `{token, name?}`. */
export type InviteAcceptParams = BodyOf<operations["acceptInvite"]>;
/** The user the accepted invite created. */
export type InviteAcceptResponse = ResponseOf<operations["acceptInvite"]>;

export class Invites extends APIResource {
  /**
   * Pending and expired invites (and accepted ones), oldest first.
   *
   * @example
   * ```ts
   * for await (const invite of admin.invites.list({ statuses: ["pending"] })) {
   *   console.log(invite.email, invite.expires_at);
   * }
   * ```
   */
  list(query: InviteListParams = {}, options?: RequestOptions): PagePromise<Invite> {
    return this._client._list("invites.list", { query }, options);
  }

  /**
   * Invites an email with a role. The answer's `token` is the one-time secret the invitee
   * accepts with (also emailed when the server has SMTP).
   *
   * @example
   * ```ts
   * const invite = await admin.invites.create({ email: "alice@acme.example", role: "developer" });
   * console.log(invite.token);
   * ```
   */
  create(body: InviteCreateParams, options?: RequestOptions): APIPromise<InviteCreated> {
    return this._client._call("invites.create", { body }, options);
  }

  /**
   * One invite (deleted ones too).
   *
   * @example
   * ```ts
   * const invite = await admin.invites.retrieve("invite_01…");
   * ```
   */
  retrieve(inviteId: string, options?: RequestOptions): APIPromise<Invite> {
    return this._client._call("invites.retrieve", { params: { invite_id: inviteId } }, options);
  }

  /**
   * Deletes a pending or expired invite (revoking a key issued with it by onboarding).
   *
   * @example
   * ```ts
   * await admin.invites.delete("invite_01…");
   * ```
   */
  delete(inviteId: string, options?: RequestOptions): APIPromise<InviteDeleteResponse> {
    return this._client._call("invites.delete", { params: { invite_id: inviteId } }, options);
  }

  /**
   * Accepts an invite with its token (`POST /v1/invites/accept`, which needs no admin key) and
   * answers the new user.
   *
   * @example
   * ```ts
   * const user = await admin.invites.accept({ token: "stw-invite01-…", name: "Alice Johnson" });
   * ```
   */
  accept(body: InviteAcceptParams, options?: RequestOptions): APIPromise<InviteAcceptResponse> {
    return this._client._call("invites.accept", { body }, options);
  }
}
