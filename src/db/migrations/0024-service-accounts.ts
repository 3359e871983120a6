import { type Kysely, sql } from "kysely";
import type { Dialect } from "../connect.js";

/**
 * Service accounts (src/core/service-accounts): named non-human identities of an organization,
 * with their own workspace memberships, that API keys can belong to instead of a person. A name
 * is unique within its organization, archived accounts included. Archiving keeps the row and its
 * memberships (hidden while archived); it revokes the account's keys.
 *
 * `api_keys.service_account_id` names the account a key belongs to (its principal); such a key
 * has no `owner_user_id`, and offboarding whoever created it leaves it alone.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const id = dialect === "postgres" ? sql`text collate "C"` : "text";
  await db.schema
    .createTable("service_accounts")
    .addColumn("id", id, (c) => c.primaryKey())
    .addColumn("organization_id", id, (c) => c.notNull().references("organizations.id"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("description", "text")
    .addColumn("organization_role", "text", (c) => c.notNull()) // admin | developer
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("archived_at", "text")
    .addColumn("created_by_actor_id", id)
    .addColumn("updated_by_actor_id", id)
    .addColumn("archived_by_actor_id", id)
    .addUniqueConstraint("service_accounts_org_name", ["organization_id", "name"])
    .execute();
  await db.schema
    .createTable("service_account_workspace_members")
    .addColumn("organization_id", id, (c) => c.notNull().references("organizations.id"))
    .addColumn("service_account_id", id, (c) => c.notNull().references("service_accounts.id"))
    .addColumn("workspace_id", id, (c) => c.notNull().references("workspaces.id"))
    .addColumn("workspace_role", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("created_by_actor_id", id)
    .addPrimaryKeyConstraint("service_account_workspace_members_pk", [
      "workspace_id",
      "service_account_id",
    ])
    .execute();
  // A service account's workspaces, in workspace order.
  await db.schema
    .createIndex("service_account_workspace_members_account")
    .on("service_account_workspace_members")
    .columns(["service_account_id", "workspace_id"])
    .execute();
  await db.schema
    .alterTable("api_keys")
    .addColumn("service_account_id", id, (c) => c.references("service_accounts.id"))
    .execute();
  // The keys archiving a service account revokes.
  await db.schema
    .createIndex("api_keys_service_account")
    .on("api_keys")
    .column("service_account_id")
    .execute();
}
