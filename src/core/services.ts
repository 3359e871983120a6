import type { Store } from "../db/store.js";
import { AdminKeyService } from "./admin-keys/admin-key.service.js";
import { ApiKeyService } from "./api-keys/api-key.service.js";
import { AuditLogService } from "./audit-log/audit-log.service.js";
import type { ServiceDeps } from "./context.js";
import { TimeSortableIds } from "./ids.js";
import { InviteService } from "./invites/invite.service.js";
import { OrganizationService } from "./organizations/organization.service.js";
import { type Clock, type IdSource, systemClock } from "./ports.js";
import { PriceTable } from "./usage/prices.js";
import { UsageFeed } from "./usage/usage-feed.js";
import { UsageIngestionService } from "./usage/usage-ingestion.service.js";
import { UsageReportService } from "./usage/usage-report.service.js";
import { UserService } from "./users/user.service.js";
import { WorkspaceMemberService } from "./workspaces/member.service.js";
import { WorkspaceService } from "./workspaces/workspace.service.js";

export interface Services {
  deps: ServiceDeps;
  organizations: OrganizationService;
  users: UserService;
  invites: InviteService;
  workspaces: WorkspaceService;
  members: WorkspaceMemberService;
  apiKeys: ApiKeyService;
  adminKeys: AdminKeyService;
  auditLog: AuditLogService;
  usageReports: UsageReportService;
  usageIngestion: UsageIngestionService;
  /** Committed usage, for in-memory followers (the gateway's spend ledger, alerts). */
  usageFeed: UsageFeed;
}

export interface UsageRetention {
  /** Raw usage events are deleted after this many days (their rollups stay). */
  rawDays: number;
  /** Minute rollups are deleted after this many days (hour and day rollups stay). */
  minuteDays: number;
}

export const DEFAULT_USAGE_RETENTION: UsageRetention = { rawDays: 400, minuteDays: 35 };

/** Explicit wiring: every service over the same store, clock and id source. */
export function createServices(
  store: Store,
  options: {
    clock?: Clock;
    ids?: IdSource;
    prices?: PriceTable;
    retention?: UsageRetention;
  } = {},
): Services {
  const clock = options.clock ?? systemClock;
  const deps: ServiceDeps = { store, clock, ids: options.ids ?? new TimeSortableIds(clock) };
  const retention = options.retention ?? DEFAULT_USAGE_RETENTION;
  const usageFeed = new UsageFeed();
  return {
    deps,
    organizations: new OrganizationService(deps),
    users: new UserService(deps),
    invites: new InviteService(deps),
    workspaces: new WorkspaceService(deps),
    members: new WorkspaceMemberService(deps),
    apiKeys: new ApiKeyService(deps),
    adminKeys: new AdminKeyService(deps),
    auditLog: new AuditLogService(deps),
    usageReports: new UsageReportService(deps, { minuteRetentionDays: retention.minuteDays }),
    usageIngestion: new UsageIngestionService(deps, {
      prices: options.prices ?? PriceTable.load(),
      rawRetentionDays: retention.rawDays,
      listener: usageFeed,
    }),
    usageFeed,
  };
}
