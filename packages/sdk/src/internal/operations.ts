import type { paths } from "../generated/api.js";

export type HttpMethod = "GET" | "POST" | "PATCH" | "DELETE";

type MethodKey = "get" | "post" | "patch" | "delete";

/** The HTTP methods that `/openapi.json` documents for a path (checked when the SDK compiles). */
export type MethodsOf<P extends keyof paths> = {
  [M in MethodKey]: [NonNullable<paths[P][M]>] extends [never] ? never : Uppercase<M>;
}[MethodKey];

/** One SDK method: the HTTP method and the OpenAPI path template it calls. */
export interface OperationDescription {
  httpMethod: HttpMethod;
  path: keyof paths;
}

function op<P extends keyof paths, M extends MethodsOf<P>>(
  httpMethod: M,
  path: P,
): { httpMethod: M; path: P } {
  return { httpMethod, path };
}

/**
 * Every SDK method, by its place on the client (`"workspaces.members.list"` is
 * `admin.workspaces.members.list()`), with the operation it calls. Resources send their requests
 * through this table, so it cannot disagree with them; test/sdk-contract.test.ts checks it
 * against the server's /openapi.json both ways.
 */
export const SDK_OPERATIONS = {
  "auth.methods": op("GET", "/auth/methods"),
  "auth.signInWithAdminKey": op("POST", "/auth/admin-key"),
  "auth.requestEmailLink": op("POST", "/auth/email-link"),
  "auth.session": op("GET", "/auth/session"),
  "auth.signOut": op("POST", "/auth/sign-out"),

  "organization.retrieve": op("GET", "/v1/organizations"),
  "organization.me": op("GET", "/v1/organizations/me"),
  "organization.update": op("PATCH", "/v1/organizations"),

  "users.list": op("GET", "/v1/organizations/users"),
  "users.retrieve": op("GET", "/v1/organizations/users/{user_id}"),
  "users.update": op("POST", "/v1/organizations/users/{user_id}"),
  "users.delete": op("DELETE", "/v1/organizations/users/{user_id}"),
  "users.onboard": op("POST", "/v1/organizations/users/onboard"),
  "users.offboard": op("POST", "/v1/organizations/users/{user_id}/offboard"),

  "invites.list": op("GET", "/v1/organizations/invites"),
  "invites.create": op("POST", "/v1/organizations/invites"),
  "invites.retrieve": op("GET", "/v1/organizations/invites/{invite_id}"),
  "invites.delete": op("DELETE", "/v1/organizations/invites/{invite_id}"),
  "invites.accept": op("POST", "/v1/invites/accept"),

  "workspaces.list": op("GET", "/v1/organizations/workspaces"),
  "workspaces.create": op("POST", "/v1/organizations/workspaces"),
  "workspaces.retrieve": op("GET", "/v1/organizations/workspaces/{workspace_id}"),
  "workspaces.update": op("POST", "/v1/organizations/workspaces/{workspace_id}"),
  "workspaces.archive": op("POST", "/v1/organizations/workspaces/{workspace_id}/archive"),

  "workspaces.members.list": op("GET", "/v1/organizations/workspaces/{workspace_id}/members"),
  "workspaces.members.create": op("POST", "/v1/organizations/workspaces/{workspace_id}/members"),
  "workspaces.members.retrieve": op(
    "GET",
    "/v1/organizations/workspaces/{workspace_id}/members/{user_id}",
  ),
  "workspaces.members.update": op(
    "POST",
    "/v1/organizations/workspaces/{workspace_id}/members/{user_id}",
  ),
  "workspaces.members.delete": op(
    "DELETE",
    "/v1/organizations/workspaces/{workspace_id}/members/{user_id}",
  ),

  "workspaces.serviceAccounts.list": op(
    "GET",
    "/v1/organizations/workspaces/{workspace_id}/service_accounts",
  ),
  "workspaces.serviceAccounts.add": op(
    "POST",
    "/v1/organizations/workspaces/{workspace_id}/service_accounts",
  ),
  "workspaces.serviceAccounts.retrieve": op(
    "GET",
    "/v1/organizations/workspaces/{workspace_id}/service_accounts/{service_account_id}",
  ),
  "workspaces.serviceAccounts.update": op(
    "POST",
    "/v1/organizations/workspaces/{workspace_id}/service_accounts/{service_account_id}",
  ),
  "workspaces.serviceAccounts.remove": op(
    "DELETE",
    "/v1/organizations/workspaces/{workspace_id}/service_accounts/{service_account_id}",
  ),

  "rateLimits.list": op("GET", "/v1/organizations/rate_limits"),
  "workspaces.rateLimits.list": op(
    "GET",
    "/v1/organizations/workspaces/{workspace_id}/rate_limits",
  ),
  "workspaces.rateLimits.update": op(
    "POST",
    "/v1/organizations/workspaces/{workspace_id}/rate_limits/{rate_limit_id}",
  ),

  "serviceAccounts.list": op("GET", "/v1/organizations/service_accounts"),
  "serviceAccounts.create": op("POST", "/v1/organizations/service_accounts"),
  "serviceAccounts.retrieve": op("GET", "/v1/organizations/service_accounts/{service_account_id}"),
  "serviceAccounts.update": op("POST", "/v1/organizations/service_accounts/{service_account_id}"),
  "serviceAccounts.archive": op(
    "POST",
    "/v1/organizations/service_accounts/{service_account_id}/archive",
  ),
  "serviceAccounts.workspaces.list": op(
    "GET",
    "/v1/organizations/service_accounts/{service_account_id}/workspaces",
  ),
  "serviceAccounts.workspaces.add": op(
    "POST",
    "/v1/organizations/service_accounts/{service_account_id}/workspaces",
  ),
  "serviceAccounts.workspaces.remove": op(
    "DELETE",
    "/v1/organizations/service_accounts/{service_account_id}/workspaces/{workspace_id}",
  ),

  "apiKeys.list": op("GET", "/v1/organizations/api_keys"),
  "apiKeys.create": op("POST", "/v1/organizations/api_keys"),
  "apiKeys.retrieve": op("GET", "/v1/organizations/api_keys/{api_key_id}"),
  "apiKeys.update": op("POST", "/v1/organizations/api_keys/{api_key_id}"),
  "apiKeys.revoke": op("DELETE", "/v1/api_keys/{api_key_id}"),

  "adminKeys.list": op("GET", "/v1/organizations/admin_keys"),
  "adminKeys.create": op("POST", "/v1/organizations/admin_keys"),
  "adminKeys.retrieve": op("GET", "/v1/organizations/admin_keys/{admin_key_id}"),
  "adminKeys.update": op("POST", "/v1/organizations/admin_keys/{admin_key_id}"),
  "adminKeys.revoke": op("DELETE", "/v1/organizations/admin_keys/{admin_key_id}"),

  "usage.retrieve": op("GET", "/v1/usage"),
  "usage.messages": op("GET", "/v1/organizations/usage_report/messages"),
  "usage.ingest": op("POST", "/v1/usage/events"),
  "usage.deadLetters": op("GET", "/v1/organizations/usage_dead_letters"),

  "costs.report": op("GET", "/v1/organizations/cost_report"),

  "analytics.usage": op("GET", "/v1/organizations/analytics/usage"),
  "analytics.cost": op("GET", "/v1/organizations/analytics/cost"),
  "analytics.usageReport": op("GET", "/v1/organizations/analytics/usage_report"),
  "analytics.costReport": op("GET", "/v1/organizations/analytics/cost_report"),
  "analytics.userUsageReport": op("GET", "/v1/organizations/analytics/user_usage_report"),
  "analytics.userCostReport": op("GET", "/v1/organizations/analytics/user_cost_report"),

  "alerts.rules.list": op("GET", "/v1/organizations/alert_rules"),
  "alerts.rules.create": op("POST", "/v1/organizations/alert_rules"),
  "alerts.rules.retrieve": op("GET", "/v1/organizations/alert_rules/{alert_rule_id}"),
  "alerts.rules.update": op("POST", "/v1/organizations/alert_rules/{alert_rule_id}"),
  "alerts.rules.delete": op("DELETE", "/v1/organizations/alert_rules/{alert_rule_id}"),
  "alerts.rules.test": op("POST", "/v1/organizations/alert_rules/{alert_rule_id}/test"),
  "alerts.deliveries.list": op("GET", "/v1/organizations/alert_deliveries"),
  "alerts.deliveries.retrieve": op("GET", "/v1/organizations/alert_deliveries/{alert_delivery_id}"),

  "auditLogs.list": op("GET", "/v1/organizations/audit_logs"),
  "auditLogs.export": op("GET", "/v1/organizations/audit_logs"),

  // The seed chapter's surface, path for path, as its Python client calls it.
  "seed.organization.retrieve": op("GET", "/v1/organizations"),
  "seed.organization.update": op("POST", "/v1/organizations"),
  "seed.users.list": op("GET", "/v1/users"),
  "seed.users.invite": op("POST", "/v1/users/invite"),
  "seed.users.retrieve": op("GET", "/v1/users/{user_id}"),
  "seed.users.update": op("PATCH", "/v1/users/{user_id}"),
  "seed.users.delete": op("DELETE", "/v1/users/{user_id}"),
  "seed.users.onboard": op("POST", "/v1/users/onboard"),
  "seed.users.offboard": op("POST", "/v1/users/{user_id}/offboard"),
  "seed.apiKeys.list": op("GET", "/v1/api_keys"),
  "seed.apiKeys.create": op("POST", "/v1/api_keys"),
  "seed.apiKeys.retrieve": op("GET", "/v1/api_keys/{api_key_id}"),
  "seed.apiKeys.update": op("PATCH", "/v1/api_keys/{api_key_id}"),
  "seed.apiKeys.delete": op("DELETE", "/v1/api_keys/{api_key_id}"),
  "seed.workspaces.list": op("GET", "/v1/workspaces"),
  "seed.workspaces.create": op("POST", "/v1/workspaces"),
  "seed.workspaces.retrieve": op("GET", "/v1/workspaces/{workspace_id}"),
  "seed.workspaces.update": op("PATCH", "/v1/workspaces/{workspace_id}"),
  "seed.workspaces.archive": op("POST", "/v1/workspaces/{workspace_id}/archive"),
  "seed.usage.retrieve": op("GET", "/v1/usage"),
} as const satisfies Record<string, OperationDescription>;

export type OperationName = keyof typeof SDK_OPERATIONS;
