import type { Services } from "../../core/services.js";
import type { ZodApp } from "../types.js";
import { registerAdminKeyRoutes } from "./admin-keys.js";
import { registerAlertRoutes } from "./alerts.js";
import { registerAnalyticsRoutes } from "./analytics.js";
import { registerApiKeyRoutes } from "./api-keys.js";
import { registerAuditRoutes } from "./audit.js";
import { registerInviteAcceptRoute, registerInviteRoutes } from "./invites.js";
import { registerLifecycleRoutes } from "./lifecycle.js";
import { registerOrganizationRoutes } from "./organizations.js";
import { registerRateLimitRoutes } from "./rate-limits.js";
import { registerServiceAccountRoutes } from "./service-accounts.js";
import { registerUsageRoutes } from "./usage.js";
import { registerUserRoutes } from "./users.js";
import { registerWorkspaceMemberRoutes } from "./workspace-members.js";
import { registerWorkspaceRoutes } from "./workspaces.js";

/**
 * The Admin API, one module per resource. Most resources answer on two sets of paths, and each
 * module registers both for its noun:
 *
 * - Steward paths (`/v1/organizations`, `/v1/users`, `/v1/api_keys`, `/v1/workspaces`,
 *   `/v1/usage`): Steward's own, from its first release, with PATCH and DELETE;
 * - Anthropic-compatible paths (`/v1/organizations/*`): those of Anthropic's Admin API, which its
 *   official SDKs call (`client.organization.*`), where updates are POSTs to the resource.
 *
 * Both run the same service method. The Steward paths' operation ids keep their `seed` prefix,
 * which generated clients depend on. Handlers only pick arguments and call one service method.
 * What the reference (/docs) says about each operation, and its examples, is in ./docs/, keyed by
 * operation id.
 */
export function registerAdminRoutes(app: ZodApp, services: Services): void {
  registerOrganizationRoutes(app, services);
  registerUserRoutes(app, services);
  registerInviteRoutes(app, services);
  registerWorkspaceRoutes(app, services);
  registerWorkspaceMemberRoutes(app, services);
  registerApiKeyRoutes(app, services);
  registerAdminKeyRoutes(app, services);
  registerServiceAccountRoutes(app, services);
  registerRateLimitRoutes(app, services);
  registerUsageRoutes(app, services);
  registerAnalyticsRoutes(app, services);
  registerAuditRoutes(app, services);
  registerAlertRoutes(app, services);
  registerLifecycleRoutes(app, services);
}

/** The routes that take no admin key. */
export function registerPublicRoutes(app: ZodApp, services: Services): void {
  registerInviteAcceptRoute(app, services);
}
