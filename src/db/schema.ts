/**
 * Table shapes as Kysely sees them. Timestamps are RFC 3339 strings from `Date#toISOString()`
 * (fixed width, so they compare correctly as text on both engines); money is integer micro-USD;
 * booleans are 0/1 integers; small structured values are JSON text.
 */
import type { Generated, Insertable, Selectable, Updateable } from "kysely";
import type {
  UsageDeadLetterRow,
  UsageEventRow,
  UsageRollupRow,
} from "../core/usage/usage-store.js";
import type {
  AlertDeliveriesTable,
  AlertDeliveryAttemptsTable,
  AlertFiringsTable,
  AlertRulesTable,
} from "./schema-alerts.js";
import type { AuthFailuresTable } from "./schema-auth-failures.js";
import type { IdempotencyKeysTable } from "./schema-idempotency.js";

export interface OrganizationsTable {
  id: string;
  name: string;
  plan: string;
  created_at: string;
  updated_at: string;
  default_model: string | null;
  require_mfa: number;
  allowed_ip_ranges: string; // JSON array of normalized CIDRs
  usage_limit_micros: number | null;
}

export interface UsersTable {
  id: string;
  organization_id: string;
  email: string;
  email_lower: string;
  name: string;
  role: string;
  created_at: string;
  updated_at: string;
  last_active_at: string | null;
  removed_at: string | null;
}

export interface InvitesTable {
  id: string;
  organization_id: string;
  email: string;
  email_lower: string;
  role: string;
  token_hash: string;
  invited_at: string;
  expires_at: string;
  accepted_at: string | null;
  accepted_user_id: string | null;
  deleted_at: string | null;
}

export interface WorkspacesTable {
  id: string;
  organization_id: string;
  name: string;
  is_default: number;
  created_at: string;
  updated_at: string;
  archived_at: string | null;
  display_color: string;
  workspace_geo: string;
  allowed_inference_geos: string; // JSON: "unrestricted" or an array of geos
  default_inference_geo: string;
  tags: string; // JSON object
  monthly_spend_limit_micros: number | null;
  requests_per_minute: number | null;
}

export interface WorkspaceMembersTable {
  organization_id: string;
  workspace_id: string;
  user_id: string;
  workspace_role: string;
  created_at: string;
  updated_at: string;
}

export interface ApiKeysTable {
  id: string;
  organization_id: string;
  workspace_id: string;
  name: string;
  key_hash: string;
  partial_key: string;
  partial_key_hint: string;
  status: string; // active | inactive | archived (expired is derived from expires_at)
  created_at: string;
  updated_at: string;
  expires_at: string | null;
  archived_at: string | null;
  last_used_at: string | null;
  created_by_user_id: string | null;
  owner_user_id: string | null;
}

export interface AdminKeysTable {
  id: string;
  organization_id: string;
  user_id: string | null;
  name: string;
  key_hash: string;
  partial_key_hint: string;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
  last_used_at: string | null;
}

/** What an invitee receives on accepting (onboarding): a workspace membership or an API key. */
export interface InviteGrantsTable {
  organization_id: string;
  invite_id: string;
  kind: string; // workspace_member | api_key
  target_id: string; // the workspace's id, or the API key's
  workspace_role: string | null;
  created_at: string;
}

export interface AuditEventsTable {
  seq: Generated<number>;
  id: string;
  organization_id: string;
  occurred_at: string;
  actor_type: string; // admin_key | operator | invitee | system
  actor_id: string | null;
  action: string;
  target_type: string;
  target_id: string | null;
  outcome: string;
  request_id: string | null;
  client_ip: string | null;
  user_agent: string | null;
  changes: string; // JSON {before, after}, secrets redacted
  chain_seq: number; // 1, 2, 3… per organization
  prev_hash: string; // the organization's previous record's hash
  hash: string; // SHA-256 of this record and prev_hash (core/audit-chain.ts)
}

/** usage_events, usage_dead_letters and the rollups hold core's usage records (core/usage/usage-store.ts). */
export type UsageEventsTable = UsageEventRow;
export type UsageDeadLettersTable = UsageDeadLetterRow;
export type UsageRollupsTable = UsageRollupRow;

export interface DB {
  organizations: OrganizationsTable;
  users: UsersTable;
  invites: InvitesTable;
  workspaces: WorkspacesTable;
  workspace_members: WorkspaceMembersTable;
  api_keys: ApiKeysTable;
  admin_keys: AdminKeysTable;
  audit_events: AuditEventsTable;
  invite_grants: InviteGrantsTable;
  usage_events: UsageEventsTable;
  usage_dead_letters: UsageDeadLettersTable;
  usage_key_hour: UsageRollupsTable;
  usage_key_day: UsageRollupsTable;
  usage_workspace_hour: UsageRollupsTable;
  usage_workspace_day: UsageRollupsTable;
  usage_org_hour: UsageRollupsTable;
  usage_org_day: UsageRollupsTable;
  alert_rules: AlertRulesTable;
  alert_firings: AlertFiringsTable;
  alert_deliveries: AlertDeliveriesTable;
  alert_delivery_attempts: AlertDeliveryAttemptsTable;
  idempotency_keys: IdempotencyKeysTable;
  auth_failures: AuthFailuresTable;
}

export type OrganizationRow = Selectable<OrganizationsTable>;
export type UserRow = Selectable<UsersTable>;
export type InviteRow = Selectable<InvitesTable>;
export type WorkspaceRow = Selectable<WorkspacesTable>;
export type WorkspaceMemberRow = Selectable<WorkspaceMembersTable>;
export type ApiKeyRow = Selectable<ApiKeysTable>;
export type AdminKeyRow = Selectable<AdminKeysTable>;
export type AuditEventRow = Selectable<AuditEventsTable>;
export type InviteGrantRow = Selectable<InviteGrantsTable>;
export type NewAuditEvent = Insertable<AuditEventsTable>;
export type OrganizationUpdate = Updateable<OrganizationsTable>;
export type { UsageDeadLetterRow, UsageEventRow, UsageRollupRow };
