import { type Kysely, sql } from "kysely";
import type { Dialect } from "../connect.js";

/**
 * Cost alerts: rules, their firings (unique per rule, threshold and period, so that a crossing
 * fires once across restarts and nodes) and the delivery outbox with every attempt.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const id = dialect === "postgres" ? sql`text collate "C"` : "text";

  await db.schema
    .createTable("alert_rules")
    .addColumn("id", id, (c) => c.primaryKey())
    .addColumn("organization_id", id, (c) => c.notNull().references("organizations.id"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("scope_type", "text", (c) => c.notNull())
    .addColumn("workspace_id", id)
    .addColumn("period", "text", (c) => c.notNull())
    .addColumn("thresholds", "text", (c) => c.notNull())
    .addColumn("channels", "text", (c) => c.notNull())
    .addColumn("enabled", "integer", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("deleted_at", "text")
    .execute();
  await db.schema
    .createIndex("alert_rules_org")
    .on("alert_rules")
    .columns(["organization_id", "id"])
    .execute();

  await db.schema
    .createTable("alert_firings")
    .addColumn("id", id, (c) => c.primaryKey())
    .addColumn("organization_id", id, (c) => c.notNull())
    .addColumn("rule_id", id, (c) => c.notNull())
    .addColumn("threshold_key", "text", (c) => c.notNull())
    .addColumn("period_start", "text", (c) => c.notNull())
    .addColumn("fired_at", "text", (c) => c.notNull())
    .addColumn("spend_nanos", "bigint", (c) => c.notNull())
    .addColumn("threshold_nanos", "bigint", (c) => c.notNull())
    .addUniqueConstraint("alert_firings_once", ["rule_id", "threshold_key", "period_start"])
    .execute();

  await db.schema
    .createTable("alert_deliveries")
    .addColumn("id", id, (c) => c.primaryKey())
    .addColumn("organization_id", id, (c) => c.notNull())
    .addColumn("rule_id", id, (c) => c.notNull())
    .addColumn("firing_id", id)
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("channel", "text", (c) => c.notNull())
    .addColumn("message", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("attempt_count", "integer", (c) => c.notNull())
    .addColumn("next_attempt_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("delivered_at", "text")
    .addColumn("last_error", "text")
    .execute();
  // The dispatcher's scan: pending rows by due time.
  await db.schema
    .createIndex("alert_deliveries_due")
    .on("alert_deliveries")
    .columns(["status", "next_attempt_at"])
    .execute();
  await db.schema
    .createIndex("alert_deliveries_org")
    .on("alert_deliveries")
    .columns(["organization_id", "id"])
    .execute();

  await db.schema
    .createTable("alert_delivery_attempts")
    .addColumn("id", id, (c) => c.primaryKey())
    .addColumn("organization_id", id, (c) => c.notNull())
    .addColumn("delivery_id", id, (c) => c.notNull())
    .addColumn("attempted_at", "text", (c) => c.notNull())
    .addColumn("status_code", "integer")
    .addColumn("error", "text")
    .addColumn("duration_ms", "integer", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("alert_delivery_attempts_delivery")
    .on("alert_delivery_attempts")
    .columns(["delivery_id", "id"])
    .execute();
}
