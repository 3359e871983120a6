import { type Kysely, sql } from "kysely";
import type { Dialect } from "../connect.js";

// Migrations are written once for both engines: only types and constraints that SQLite and
// PostgreSQL share (text, integer, bigint, partial unique indexes).
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  // Ids are time-sortable in byte order, and lists page by comparing them. PostgreSQL would
  // compare text by the database's locale (en_US folds case), so id columns use the C collation.
  const id = dialect === "postgres" ? sql`text collate "C"` : "text";

  await db.schema
    .createTable("organizations")
    .addColumn("id", id, (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("plan", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("default_model", "text")
    .addColumn("require_mfa", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("allowed_ip_ranges", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("usage_limit_micros", "bigint")
    .execute();

  await db.schema
    .createTable("users")
    .addColumn("id", id, (c) => c.primaryKey())
    .addColumn("organization_id", id, (c) => c.notNull().references("organizations.id"))
    .addColumn("email", "text", (c) => c.notNull())
    .addColumn("email_lower", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("role", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("last_active_at", "text")
    .addColumn("removed_at", "text")
    .execute();
  // One live member per email and organization; removed members keep their row for history.
  await db.schema
    .createIndex("users_org_email_live")
    .on("users")
    .columns(["organization_id", "email_lower"])
    .unique()
    .where(sql.ref("removed_at"), "is", null)
    .execute();

  await db.schema
    .createTable("invites")
    .addColumn("id", id, (c) => c.primaryKey())
    .addColumn("organization_id", id, (c) => c.notNull().references("organizations.id"))
    .addColumn("email", "text", (c) => c.notNull())
    .addColumn("email_lower", "text", (c) => c.notNull())
    .addColumn("role", "text", (c) => c.notNull())
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("invited_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .addColumn("accepted_at", "text")
    .addColumn("accepted_user_id", id)
    .addColumn("deleted_at", "text")
    .execute();
  await db.schema
    .createIndex("invites_org_email")
    .on("invites")
    .columns(["organization_id", "email_lower"])
    .execute();

  await db.schema
    .createTable("workspaces")
    .addColumn("id", id, (c) => c.primaryKey())
    .addColumn("organization_id", id, (c) => c.notNull().references("organizations.id"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("is_default", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("archived_at", "text")
    .addColumn("display_color", "text", (c) => c.notNull())
    .addColumn("workspace_geo", "text", (c) => c.notNull())
    .addColumn("allowed_inference_geos", "text", (c) => c.notNull())
    .addColumn("default_inference_geo", "text", (c) => c.notNull())
    .addColumn("tags", "text", (c) => c.notNull().defaultTo("{}"))
    .addColumn("monthly_spend_limit_micros", "bigint")
    .addColumn("requests_per_minute", "integer")
    .execute();
  await db.schema
    .createIndex("workspaces_org_default")
    .on("workspaces")
    .column("organization_id")
    .unique()
    .where(sql.ref("is_default"), "=", 1)
    .execute();

  await db.schema
    .createTable("workspace_members")
    .addColumn("organization_id", id, (c) => c.notNull().references("organizations.id"))
    .addColumn("workspace_id", id, (c) => c.notNull().references("workspaces.id"))
    .addColumn("user_id", id, (c) => c.notNull().references("users.id"))
    .addColumn("workspace_role", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("workspace_members_pk", ["workspace_id", "user_id"])
    .execute();
  await db.schema
    .createIndex("workspace_members_user")
    .on("workspace_members")
    .column("user_id")
    .execute();

  await db.schema
    .createTable("api_keys")
    .addColumn("id", id, (c) => c.primaryKey())
    .addColumn("organization_id", id, (c) => c.notNull().references("organizations.id"))
    .addColumn("workspace_id", id, (c) => c.notNull().references("workspaces.id"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("key_hash", "text", (c) => c.notNull().unique())
    .addColumn("partial_key", "text", (c) => c.notNull())
    .addColumn("partial_key_hint", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text")
    .addColumn("archived_at", "text")
    .addColumn("last_used_at", "text")
    .addColumn("created_by_user_id", id)
    .addColumn("owner_user_id", id)
    .execute();
  await db.schema
    .createIndex("api_keys_org_workspace")
    .on("api_keys")
    .columns(["organization_id", "workspace_id"])
    .execute();
  await db.schema
    .createIndex("api_keys_created_by")
    .on("api_keys")
    .column("created_by_user_id")
    .execute();

  await db.schema
    .createTable("admin_keys")
    .addColumn("id", id, (c) => c.primaryKey())
    .addColumn("organization_id", id, (c) => c.notNull().references("organizations.id"))
    .addColumn("user_id", id)
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("key_hash", "text", (c) => c.notNull().unique())
    .addColumn("partial_key_hint", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text")
    .addColumn("revoked_at", "text")
    .addColumn("last_used_at", "text")
    .execute();

  await db.schema
    .createTable("audit_events")
    // The insertion order of audit records; the hash chain of a later issue follows it.
    .addColumn("seq", dialect === "postgres" ? "bigserial" : "integer", (c) => c.primaryKey())
    .addColumn("id", id, (c) => c.notNull().unique())
    .addColumn("organization_id", id, (c) => c.notNull())
    .addColumn("occurred_at", "text", (c) => c.notNull())
    .addColumn("actor_type", "text", (c) => c.notNull())
    .addColumn("actor_id", id)
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("target_type", "text", (c) => c.notNull())
    .addColumn("target_id", id)
    .addColumn("outcome", "text", (c) => c.notNull())
    .addColumn("request_id", "text")
    .addColumn("client_ip", "text")
    .addColumn("user_agent", "text")
    .addColumn("changes", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("audit_events_org_time")
    .on("audit_events")
    .columns(["organization_id", "occurred_at"])
    .execute();
}
