/** Cost alert tables (see migrations/0005-cost-alerts.ts); part of `DB` in schema.ts. */
import type { Selectable } from "kysely";

export interface AlertRulesTable {
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
export interface AlertFiringsTable {
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
export interface AlertDeliveriesTable {
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

export interface AlertDeliveryAttemptsTable {
  id: string;
  organization_id: string;
  delivery_id: string;
  attempted_at: string;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
}

export type AlertRuleRow = Selectable<AlertRulesTable>;
export type AlertFiringRow = Selectable<AlertFiringsTable>;
export type AlertDeliveryRow = Selectable<AlertDeliveriesTable>;
export type AlertDeliveryAttemptRow = Selectable<AlertDeliveryAttemptsTable>;
