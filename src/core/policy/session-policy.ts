import { ADMIN_KEY_ROLES, mayHoldAdminKeys } from "../admin-keys/admin-roles.js";
import { refusedFor } from "./access.js";

const READ_KEYS = [
  "GET /v1/api_keys",
  "GET /v1/api_keys/:api_key_id",
  "GET /v1/organizations/api_keys",
  "GET /v1/organizations/api_keys/:api_key_id",
];
const READ_REPORTS = [
  "GET /v1/organizations/usage_report/messages",
  "GET /v1/organizations/cost_report",
];

/**
 * The Admin API operations a console session of each limited role may call; the services narrow
 * what each answers or changes (src/core/policy/access.ts). Owners and admins may call every
 * operation an admin key they hold may.
 */
const ALLOWED: Readonly<Record<string, ReadonlySet<string>>> = {
  developer: new Set([
    "GET /v1/workspaces",
    "GET /v1/workspaces/:workspace_id",
    "GET /v1/organizations/workspaces",
    "GET /v1/organizations/workspaces/:workspace_id",
    ...READ_KEYS,
    "POST /v1/api_keys",
    "PATCH /v1/api_keys/:api_key_id",
    "DELETE /v1/api_keys/:api_key_id",
    "POST /v1/organizations/api_keys",
    "POST /v1/organizations/api_keys/:api_key_id",
    ...READ_REPORTS,
  ]),
  user: new Set([...READ_KEYS, ...READ_REPORTS]),
};

/** Refuses (403, naming the role) an operation a session's role may not call at all. */
export function ensureSessionMayCall(role: string, method: string, route: string): void {
  if (mayHoldAdminKeys(role) || ALLOWED[role]?.has(`${method} ${route}`) === true) {
    return;
  }
  throw refusedFor(
    role,
    `call ${method} ${route} (${ADMIN_KEY_ROLES.join(" and ")} may; docs/console.md lists what each role may)`,
  );
}
