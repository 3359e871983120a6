import { ID } from "./examples.js";
import type { OperationDoc, OperationDocs } from "./types.js";

const session = {
  type: "session",
  id: "sess_0111pCKxtm7Yq2WbR5vJk8HsN",
  user: { id: ID.owner, email: "olivia@acme.example", name: "Olivia Owner", role: "owner" },
  organization_id: ID.organization,
  csrf_token: "h0Vd3lM3o2yR2vQ2mRz1Yw7hKQ3kYb1mJ6a7c9oXq2E",
  method: "admin_key",
  created_at: "2026-04-28T10:00:00.000Z",
  expires_at: "2026-04-28T22:00:00.000Z",
  idle_expires_at: "2026-04-28T10:30:00.000Z",
};

const COOKIE =
  "Sets the session cookie `steward_session` (HttpOnly, SameSite=Lax, Path=/, Secure under HTTPS).";

const SESSION_ONLY = [{ consoleSession: [] }];

const getSession: OperationDoc = {
  summary: "Get the current session",
  description:
    "Answers the session of the request's `steward_session` cookie: its member and role, its `csrf_token` (send it as `x-csrf-token` on every change) and when it ends. A session ends after `SESSION_IDLE_TIMEOUT` without a request, `SESSION_MAX_AGE` after sign-in, on sign-out, and at once when its member is removed, offboarded or their role changes. No session: 401.",
  access: "The session cookie.",
  security: SESSION_ONLY,
  response: session,
};

/** The web console's sign-in: `/auth/*`. */
export const sessionDocs: OperationDocs = {
  getAuthMethods: {
    summary: "List sign-in methods",
    description:
      "Says which ways to sign in this server offers, for the console's sign-in page: OpenID Connect (when `OIDC_ISSUER` is set and its discovery document could be read), an emailed link (when SMTP is configured), and an admin key (always).",
    access: "Anyone: no credential.",
    response: { oidc: { enabled: true, label: "Okta" }, email_link: true, admin_key: true },
  },
  signInWithAdminKey: {
    summary: "Sign in with an admin key",
    description: `Opens a console session for the member who holds the admin key, who must be an owner or admin. ${COOKIE} A key without a holder (organization-level, such as one the operator made without \`--user\`) is refused with a 403: a session belongs to a person, so sign in with a key held by a member. Failed attempts count toward the same per-address limit as the Admin API's (429 with \`retry-after\`).`,
    access: "Anyone with an admin key held by an owner or admin.",
    audit: ["session.created"],
    request: { key: "sk-ant-admin01-Xk3v…" },
    response: session,
  },
  startOidcSignIn: {
    summary: "Start signing in with the identity provider",
    description:
      "Redirects (302) to the OpenID Connect provider (`OIDC_ISSUER`) with an authorization code request: PKCE (S256), `state` and `nonce`, kept with `return_to` in a 10-minute HttpOnly cookie (`steward_oidc`). `return_to` must be a path under `/console`; anything else is ignored. Without a configured provider the browser goes to `/console/sign-in?error=oidc_failed`; with one not reachable yet, 503.",
    access: "Anyone: a browser signing in.",
    response: null,
  },
  finishOidcSignIn: {
    summary: "Finish signing in with the identity provider",
    description:
      "Where the provider sends the browser back (`OIDC_REDIRECT_URL`). The code is exchanged and the ID token checked (state, nonce, PKCE); its `email` must be verified (`email_verified`), and finds the member, case-insensitively. An email with a pending invite accepts the invite on this first sign-in. An organization with `require_mfa` needs the ID token's `amr` to hold `mfa`, or `otp`, `hwk` or `swk` beside another method. Success: 302 to `return_to` with the session cookie. Failure: 302 to `/console/sign-in?error=` `oidc_failed`, `email_not_verified`, `not_a_member` or `mfa_required`.",
    access: "Anyone: the browser returning from the provider.",
    audit: ["session.created", "invite.accepted", "user.created"],
    response: null,
  },
  requestEmailLink: {
    summary: "Email a sign-in link",
    description:
      "Emails a one-time sign-in link (15 minutes) to the member with this address. The answer is 202 `{}` whether or not the address is a member's, and the email is sent after it, so that the answer tells nobody who is a member. Needs `SMTP_URL` and `STEWARD_PUBLIC_URL` (links point there); without them, 400. At most `EMAIL_LINK_LIMIT_PER_ADDRESS` requests per address and `EMAIL_LINK_LIMIT_PER_IP` per client IP (an IPv6 /64) each `EMAIL_LINK_LIMIT_PERIOD` (5, 20 and 1h by default), counted whether or not the address is a member's: over either, 429 `rate_limit_error` with `retry-after` (seconds), the same for any address.",
    access: "Anyone.",
    request: { email: "olivia@acme.example", return_to: "/console/usage" },
    response: {},
  },
  verifyEmailLink: {
    summary: "Sign in with an emailed link",
    description:
      "The link of the email: used once and within 15 minutes, it redirects (302) to its `return_to` with the session cookie. An unknown, used or expired link goes to `/console/sign-in?error=link_invalid`; an organization with `require_mfa` takes no links (`error=mfa_required`).",
    access: "Anyone holding the link.",
    audit: ["session.created"],
    response: null,
  },
  getSession,
  signOut: {
    summary: "Sign out",
    description:
      "Ends the session of the request's cookie on the server and clears the cookie. Needs the session's `x-csrf-token`.",
    access: "The session cookie, with its `x-csrf-token`.",
    security: SESSION_ONLY,
    audit: ["session.ended"],
    response: null,
  },
};
