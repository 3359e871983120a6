/**
 * Tables as Kysely sees them. Each row is the record services use (src/core/records.ts), declared
 * there once; only what storage adds (the audit log's generated `seq`) and the usage tables are
 * declared here.
 */
import type { Generated, Selectable } from "kysely";
import type {
  AdminKeyRow,
  AlertDeliveryAttemptRow,
  AlertDeliveryRow,
  AlertFiringRow,
  AlertRuleRow,
  ApiKeyRow,
  AuthFailureRow,
  IdempotencyKeyRow,
  InviteGrantRow,
  InviteRow,
  NewAuditEvent,
  OrganizationRow,
  UserRow,
  WorkspaceMemberRow,
  WorkspaceRow,
} from "../core/records.js";

/** `seq` numbers records in storage order; the database assigns it. */
export interface AuditEventsTable extends NewAuditEvent {
  seq: Generated<number>;
}

export interface UsageEventsTable {
  organization_id: string;
  id: string;
  workspace_id: string;
  api_key_id: string | null;
  model: string;
  occurred_at: string;
  input_tokens: number;
  output_tokens: number;
  cache_creation_5m_tokens: number;
  cache_creation_1h_tokens: number;
  cache_read_tokens: number;
  web_search_requests: number;
  cost_nanos: number;
  cost_input_nanos: number;
  cost_output_nanos: number;
  cost_cache_write_5m_nanos: number;
  cost_cache_write_1h_nanos: number;
  cost_cache_read_nanos: number;
  cost_web_search_nanos: number;
  cost_fallback_nanos: number; // of cost_nanos, what was charged at the fallback rates
  priced: number;
  price_source: string | null; // table | fallback | given (null: stored before migration 0013)
  context_window: string; // 0-200k | 200k-1M, from the request's whole input
  service_tier: string | null;
  inference_geo: string | null;
  status: number;
  error_type: string | null;
  latency_ms: number;
  stream: number;
  source: string;
}

/** A usage event that was refused or could not be written (migration 0013). */
export interface UsageDeadLettersTable {
  id: string;
  organization_id: string;
  event_id: string; // the event's id: for the gateway, the request id
  recorded_at: string;
  reason: string; // invalid_tokens | cost_out_of_range | write_failed
  detail: string;
  event: string; // the event's row, JSON
}

/**
 * One row of a usage rollup: the sums of every event in one bucket (minute, hour or day) with the
 * same dimensions. `api_key_id` is '' for events without a key and in the rollups that leave the
 * key out; `workspace_id` is '' in the organization-level ones.
 */
export interface UsageRollupsTable {
  organization_id: string;
  bucket_start: string;
  workspace_id: string;
  api_key_id: string;
  model: string;
  service_tier: string;
  context_window: string;
  inference_geo: string;
  requests: number;
  input_tokens: number;
  output_tokens: number;
  cache_creation_5m_tokens: number;
  cache_creation_1h_tokens: number;
  cache_read_tokens: number;
  web_search_requests: number;
  cost_nanos: number;
  cost_input_nanos: number;
  cost_output_nanos: number;
  cost_cache_write_5m_nanos: number;
  cost_cache_write_1h_nanos: number;
  cost_cache_read_nanos: number;
  cost_web_search_nanos: number;
  cost_fallback_nanos: number;
}

export interface DB {
  organizations: OrganizationRow;
  users: UserRow;
  invites: InviteRow;
  workspaces: WorkspaceRow;
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
}

export type UsageEventRow = Selectable<UsageEventsTable>;
export type UsageRollupRow = Selectable<UsageRollupsTable>;
export type UsageDeadLetterRow = Selectable<UsageDeadLettersTable>;
