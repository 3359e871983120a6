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
