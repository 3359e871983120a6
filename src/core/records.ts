/**
 * The records services read and write, one interface per stored table. src/db builds its table
 * types from these, so a column is declared once. Timestamps are RFC 3339 strings from
 * `Date#toISOString()` (fixed width, so they compare correctly as text on both engines); money is
 * integer micro-USD or nano-USD; booleans are 0/1 integers; small structured values are JSON text.
 */

export interface OrganizationRow {
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

export interface UserRow {
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

export interface InviteRow {
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

/** What an invitee receives on accepting (onboarding): a workspace membership or an API key. */
export interface InviteGrantRow {
  organization_id: string;
  invite_id: string;
  kind: string; // an InviteGrantKind
  target_id: string; // the workspace's id, or the API key's
  workspace_role: string | null;
  created_at: string;
}

export type InviteGrantKind = "workspace_member" | "api_key";

export interface WorkspaceRow {
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
  /**
   * A view of the workspace's rate limits (workspace_rate_limits): the lowest
   * `requests_per_minute` of its groups, or null when none has one. Writing it sets (or, null,
   * clears) that limit for every group.
   */
  requests_per_minute: number | null;
}

/** A workspace's value for one limit type of one rate-limit group (src/core/rate-limits). */
export interface WorkspaceRateLimitRow {
  workspace_id: string;
  group_id: string;
  limit_type: string;
  organization_id: string;
  value: number;
  created_at: string;
  updated_at: string;
}

export interface WorkspaceMemberRow {
  organization_id: string;
  workspace_id: string;
  user_id: string;
  workspace_role: string;
  created_at: string;
  updated_at: string;
}

export interface ApiKeyRow {
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
  /** The member the key is issued to (its principal), or null. */
  owner_user_id: string | null;
  /** The service account the key belongs to (its principal) instead of a member, or null. */
  service_account_id: string | null;
}

/** A named non-human identity of an organization (migrations/0024-service-accounts.ts). */
export interface ServiceAccountRow {
  id: string;
  organization_id: string;
  name: string;
  description: string | null;
  organization_role: string; // admin | developer
  created_at: string;
  updated_at: string;
  archived_at: string | null;
  /** The member who acted (a `user_…` id), or null (the operator, an organization-level key). */
  created_by_actor_id: string | null;
  updated_by_actor_id: string | null;
  archived_by_actor_id: string | null;
}

/** A service account's explicit membership of a workspace. */
export interface ServiceAccountMemberRow {
  organization_id: string;
  service_account_id: string;
  workspace_id: string;
  workspace_role: string;
  created_at: string;
  updated_at: string;
  created_by_actor_id: string | null;
}

export interface AdminKeyRow {
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

/** An admin key with its holder's role (null: no holder) and removal, read together. */
export type AdminKeyWithHolder = AdminKeyRow & {
  holder_role: string | null;
  holder_removed_at: string | null;
};

/** Failed admin authentication per address and minute (migrations/0014-auth-failures.ts). */
export interface AuthFailureRow {
  minute: string; // RFC 3339 start of the minute
  client_address: string; // an IPv4 address, an IPv6 /64, `unknown`, or `other` (overflow)
  failures: number;
  throttled: number; // of `failures`, those answered with a 429
  first_at: string;
  last_at: string;
  last_reason: string;
}

/** What the change log says changed (migrations/0018-change-log.ts); `seq` orders the log. */
export interface ChangeRecord {
  seq: number;
  entity: "api_key" | "workspace" | "organization";
  entity_id: string;
  /** Who wrote it: a node's Storage.origin, or null when unknown (SQLite, a shell). */
  origin: string | null;
}

/** An audit record as written; storage numbers it (`seq`) when it is inserted. */
export interface NewAuditEvent {
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

export interface AuditEventRow extends NewAuditEvent {
  /** Storage order, across organizations. */
  seq: number;
}

/** Idempotency-Key records (see migrations/0007-idempotency-keys.ts). */
export interface IdempotencyKeyRow {
  key_hash: string; // hex SHA-256 of (organization id, key): the raw key is never stored
  organization_id: string;
  request_hash: string; // hex HMAC-SHA256 of method, path and body, under a key derived from the key
  status: string; // committed (the work committed, no response yet) | completed
  response_status: number | null;
  response_body: string | null; // AES-256-GCM under a key derived from the key: base64(iv|tag|ct)
  created_at: string;
  expires_at: string;
  completed_at: string | null;
}

// Cost alerts (migrations/0005-cost-alerts.ts).

export interface AlertRuleRow {
  id: string;
  organization_id: string;
  name: string;
  scope_type: string; // organization | workspace
  workspace_id: string | null;
  period: string; // month | day (UTC)
  thresholds: string; // JSON array of AlertThreshold (core/alerts/model.ts)
  channels: string; // JSON array of stored channels, secrets included
  enabled: number;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

/** One crossing of one threshold of one rule in one period: unique, so it fires once. */
export interface AlertFiringRow {
  id: string;
  organization_id: string;
  rule_id: string;
  threshold_key: string; // usd:100 | percent:80
  period_start: string;
  fired_at: string;
  spend_nanos: number;
  threshold_nanos: number;
}

/** The outbox: one row per message to one channel, until delivered or given up. */
export interface AlertDeliveryRow {
  id: string;
  organization_id: string;
  rule_id: string;
  firing_id: string | null; // null for test messages
  kind: string; // alert | test
  channel: string; // JSON of the stored channel, as it was when the message was queued
  message: string; // JSON AlertMessage
  status: string; // pending | delivered | failed
  attempt_count: number;
  next_attempt_at: string; // when pending: due time (or the end of a claim's lease)
  expires_at: string; // retries stop after this
  created_at: string;
  updated_at: string;
  delivered_at: string | null;
  last_error: string | null;
}

export interface AlertDeliveryAttemptRow {
  id: string;
  organization_id: string;
  delivery_id: string;
  attempted_at: string;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
}

// The web console's sign-in (migrations/0019-console-sessions.ts).

export interface ConsoleSessionRow {
  id: string;
  secret_hash: string; // hex SHA-256 of the cookie's secret
  organization_id: string;
  user_id: string;
  method: string; // admin_key | oidc | email_link
  created_at: string;
  last_seen_at: string; // refreshed at most once a minute
  expires_at: string; // the absolute limit
  ended_at: string | null;
  ended_reason: string | null;
}

/** A session with its member as they are now, read together: what authentication needs. */
export type ConsoleSessionWithUser = ConsoleSessionRow & {
  user_email: string;
  user_name: string;
  user_role: string;
  user_removed_at: string | null;
};

/** A one-time email sign-in link, stored by the hash of its token. */
export interface SignInLinkRow {
  token_hash: string;
  organization_id: string;
  user_id: string;
  return_to: string | null;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}
