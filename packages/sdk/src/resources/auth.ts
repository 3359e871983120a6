import type { APIPromise } from "../core/api-promise.js";
import { APIResource } from "../core/resource.js";
import type { components, operations } from "../generated/api.js";
import type { RequestOptions } from "../internal/request-options.js";
import type { BodyOf } from "../internal/types.js";

/** Which sign-in methods the server offers its web console: OIDC, an email link, an admin key. */
export type AuthMethods = components["schemas"]["AuthMethods"];
/** A console session: its member, its `csrf_token`, how it was opened and when it ends. */
export type Session = components["schemas"]["Session"];
export type AdminKeySignInParams = BodyOf<operations["signInWithAdminKey"]>;
export type EmailLinkParams = BodyOf<operations["requestEmailLink"]>;
/** The email-link request's answer: `{}` (202), whether or not the address is a member's. */
export type EmailLinkSent = components["schemas"]["EmailLinkSent"];

/**
 * The web console's sign-in (`/auth/*`). Used from a page served by Steward, with a client in
 * session mode (`new StewardAdmin({ session: { csrfToken } })`): the session cookie these set
 * and end is the browser's, and an admin-key client has no session to read.
 */
export class Auth extends APIResource {
  /**
   * The sign-in methods this server offers.
   *
   * @example
   * ```ts
   * const { oidc, email_link } = await admin.auth.methods();
   * ```
   */
  methods(options?: RequestOptions): APIPromise<AuthMethods> {
    return this._client._call("auth.methods", {}, options);
  }

  /**
   * Signs in with an admin key held by an owner or admin: the answer sets the session cookie.
   *
   * @example
   * ```ts
   * const session = await admin.auth.signInWithAdminKey({ key: "sk-ant-admin01-…" });
   * ```
   */
  signInWithAdminKey(body: AdminKeySignInParams, options?: RequestOptions): APIPromise<Session> {
    return this._client._call("auth.signInWithAdminKey", { body }, options);
  }

  /**
   * Emails a one-time sign-in link to a member (when SMTP is configured). The answer is the same
   * whether or not the address is a member's.
   *
   * @example
   * ```ts
   * await admin.auth.requestEmailLink({ email: "ada@example.com", return_to: "/console/keys" });
   * ```
   */
  requestEmailLink(body: EmailLinkParams, options?: RequestOptions): APIPromise<EmailLinkSent> {
    return this._client._call("auth.requestEmailLink", { body }, options);
  }

  /**
   * The current session (401 `AuthenticationError` when there is none), with its `csrf_token`.
   *
   * @example
   * ```ts
   * const session = await admin.auth.session();
   * ```
   */
  session(options?: RequestOptions): APIPromise<Session> {
    return this._client._call("auth.session", {}, options);
  }

  /**
   * Ends the current session and clears its cookie.
   *
   * @example
   * ```ts
   * await admin.auth.signOut();
   * ```
   */
  signOut(options?: RequestOptions): APIPromise<void> {
    return this._client._call("auth.signOut", {}, options);
  }
}
