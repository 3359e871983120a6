/**
 * The reference's sections: one tag per resource, in the order README.md explains the product
 * (the organization and its people, workspaces and keys, usage, cost and the audit trail, then the
 * gateway and running Steward). Swagger UI (/docs) shows tags in this order; `x-tagGroups` gives
 * Redoc-style viewers the groups themselves.
 */
export const TAG = {
  organization: "Organization",
  users: "Users",
  invites: "Invites",
  lifecycle: "Lifecycle",
  workspaces: "Workspaces",
  workspaceMembers: "Workspace members",
  apiKeys: "API keys",
  serviceAccounts: "Service accounts",
  adminKeys: "Admin keys",
  usage: "Usage and cost",
  alerts: "Alerts",
  audit: "Audit log",
  sessions: "Console sign-in",
  gateway: "Gateway",
  operations: "Operations",
} as const;

export type TagName = (typeof TAG)[keyof typeof TAG];

interface TagObject {
  name: TagName;
  description: string;
}

export const TAGS: readonly TagObject[] = [
  {
    name: TAG.organization,
    description:
      "The organization an admin key belongs to: its name, its IP allow-list (enforced by the gateway), and its monthly spend limit. Several organizations can share one database; each admin key sees only its own, and another organization's ids answer 404.",
  },
  {
    name: TAG.users,
    description:
      "The organization's members and their roles (`owner`, `admin`, `developer`, `billing`, `user`, `claude_code_user`). Removing a member revokes every API key they created or were issued, their workspace memberships and the admin keys that act for them.",
  },
  {
    name: TAG.invites,
    description:
      "People join by invitation. An invite carries a one-time token (emailed when SMTP is configured) that the invited person exchanges for a membership at `POST /v1/invites/accept`. Invites expire after 7 days.",
  },
  {
    name: TAG.lifecycle,
    description:
      "Onboarding and offboarding in one transaction each: invite a person with their workspace memberships and API key, or revoke everything a member holds and remove them. Either everything happens, with its audit records, or nothing does.",
  },
  {
    name: TAG.workspaces,
    description:
      "Workspaces group API keys and people and carry their own limits: requests per minute and a monthly spend limit, enforced by the gateway. Every organization has a default workspace, which cannot be archived.",
  },
  {
    name: TAG.workspaceMembers,
    description:
      "Who belongs to a workspace, with a workspace role (`workspace_admin`, `workspace_developer`, `workspace_user`, `workspace_restricted_developer`). Served on Anthropic's Admin API paths only.",
  },
  {
    name: TAG.apiKeys,
    description:
      "API keys (`sk-ant-api03-…`) call the Claude API through the gateway. A key is shown once, stored hashed, and can be renamed, deactivated or revoked; a revocation holds on the very next gateway request.",
  },
  {
    name: TAG.serviceAccounts,
    description:
      "Service accounts are named non-human identities (`svac_…`) that API keys can belong to instead of a person, so that automation outlives whoever set it up: offboarding a member leaves service-account keys alone, and archiving the account revokes them. An account belongs to workspaces with a workspace role; every account is an implicit `workspace_user` member of the default workspace. Served on Anthropic's Admin API paths only.",
  },
  {
    name: TAG.adminKeys,
    description:
      "Admin keys (`sk-ant-admin01-…`) call this Admin API. Owners list, create, rename and revoke them here (a key is shown once, stored hashed); the host operator can also manage them with the CLI (`steward admin-keys …`, docs/cli.md), which alone creates organization-level keys and rotates keys. A key held by a member acts with that member's current role (admins and owners hold working keys); a key without a holder is organization-level and has an owner's powers. Send it as `x-api-key` or `Authorization: Bearer`.",
  },
  {
    name: TAG.usage,
    description:
      "Every request through the gateway is metered: tokens by kind, priced from the price table when recorded. Reports by model, workspace, key and time bucket (JSON or CSV), the cost report, ingestion of usage made elsewhere, and the usage events that could not be stored.",
  },
  {
    name: TAG.alerts,
    description:
      "Cost alert rules fire once per threshold and period (UTC month or day) to signed webhooks, Slack, PagerDuty or email, through an outbox with retries. Deliveries and their attempts can be read back.",
  },
  {
    name: TAG.audit,
    description:
      "Every admin action is recorded in the same transaction as the change, in a hash chain per organization that `steward audit verify` checks. Records cannot be changed or deleted through Steward.",
  },
  {
    name: TAG.sessions,
    description:
      "How people sign in to the web console (`/console`): with their identity provider (OpenID Connect), an emailed link, or an owner's or admin's admin key. A session lives in the HttpOnly cookie `steward_session` and works on every Admin API route in place of an admin key, with the member's role; changes need the session's `x-csrf-token`. Details in docs/console.md.",
  },
  {
    name: TAG.gateway,
    description:
      "The Claude API paths, served by Steward's gateway with the API keys Steward issues and forwarded to the upstream (`UPSTREAM_URL`) with Steward's own credential. Every request passes the key, IP allow-list, requests-per-minute and spend checks, in that order; `POST /v1/messages` is metered. The official Anthropic SDKs work unchanged with `baseURL` pointed at Steward.",
  },
  {
    name: TAG.operations,
    description:
      "For load balancers, orchestrators and Prometheus: liveness, readiness and metrics. No admin key.",
  },
];

/** The groups of `x-tagGroups`, in the README's order. */
export const TAG_GROUPS: ReadonlyArray<{ name: string; tags: readonly TagName[] }> = [
  {
    name: "Organization and people",
    tags: [TAG.organization, TAG.users, TAG.invites, TAG.lifecycle],
  },
  {
    name: "Workspaces and keys",
    tags: [TAG.workspaces, TAG.workspaceMembers, TAG.apiKeys, TAG.serviceAccounts, TAG.adminKeys],
  },
  { name: "Usage, cost and audit", tags: [TAG.usage, TAG.alerts, TAG.audit] },
  { name: "Web console", tags: [TAG.sessions] },
  { name: "Claude API gateway", tags: [TAG.gateway] },
  { name: "Running Steward", tags: [TAG.operations] },
];

/**
 * Tags of the operations the document describes but the Admin API does not serve through
 * Fastify: the gateway answers its paths on the socket, and health and metrics are not admin
 * operations. Suites that drive every admin operation of the document leave these out.
 */
export const NON_ADMIN_TAGS: readonly TagName[] = [TAG.gateway, TAG.operations];
