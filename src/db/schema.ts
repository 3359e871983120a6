/**
 * Tables as Kysely sees them. Each row is the record services use (src/core/records.ts), declared
 * there once; only what storage adds (the audit log's generated `seq`) and the usage tables are
 * declared here.
 */
import type { Generated } from "kysely";
import type {
  AdminKeyRow,
  AlertDeliveryAttemptRow,
  AlertDeliveryRow,
  AlertFiringRow,
  AlertRuleRow,
  ApiKeyRow,
  AuthFailureRow,
  ChangeRecord,
  ConsoleSessionRow,
  IdempotencyKeyRow,
  InviteGrantRow,
  InviteRow,
  NewAuditEvent,
  OrganizationRow,
  ServiceAccountMemberRow,
  ServiceAccountRow,
  SignInLinkRow,
  UserRow,
  WorkspaceMemberRow,
  WorkspaceRateLimitRow,
  WorkspaceRow,
} from "../core/records.js";
import type {
  UsageDeadLetterRow,
  UsageEventRow,
  UsageRollupRow,
} from "../core/usage/usage-store.js";

/** `seq` numbers records in storage order; the database assigns it. */
export interface AuditEventsTable extends NewAuditEvent {
  seq: Generated<number>;
}

/** usage_events, usage_dead_letters and the rollups hold core's usage records (core/usage/usage-store.ts). */
export type UsageEventsTable = UsageEventRow;
export type UsageDeadLettersTable = UsageDeadLetterRow;
export type UsageRollupsTable = UsageRollupRow;

/** `requests_per_minute` is not a column: it is a view of workspace_rate_limits. */
export type WorkspacesTable = Omit<WorkspaceRow, "requests_per_minute">;

export interface DB {
  organizations: OrganizationRow;
  users: UserRow;
  invites: InviteRow;
  workspaces: WorkspacesTable;
  workspace_rate_limits: WorkspaceRateLimitRow;
  workspace_members: WorkspaceMemberRow;
  api_keys: ApiKeyRow;
  admin_keys: AdminKeyRow;
  audit_events: AuditEventsTable;
  invite_grants: InviteGrantRow;
  usage_events: UsageEventsTable;
  usage_dead_letters: UsageDeadLettersTable;
  usage_key_hour: UsageRollupsTable;
  usage_key_day: UsageRollupsTable;
  usage_workspace_hour: UsageRollupsTable;
  usage_workspace_day: UsageRollupsTable;
  usage_org_hour: UsageRollupsTable;
  usage_org_day: UsageRollupsTable;
  alert_rules: AlertRuleRow;
  alert_firings: AlertFiringRow;
  alert_deliveries: AlertDeliveryRow;
  alert_delivery_attempts: AlertDeliveryAttemptRow;
  idempotency_keys: IdempotencyKeyRow;
  auth_failures: AuthFailureRow;
  change_log: ChangeLogTable;
  console_sessions: ConsoleSessionRow;
  console_sign_in_links: SignInLinkRow;
  service_accounts: ServiceAccountRow;
  service_account_workspace_members: ServiceAccountMemberRow;
}

/** The database numbers changes and stamps their time. */
export interface ChangeLogTable extends Omit<ChangeRecord, "seq"> {
  seq: Generated<number>;
  changed_at: Generated<string>;
}
