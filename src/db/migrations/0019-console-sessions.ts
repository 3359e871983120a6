import { type Kysely, sql } from "kysely";
import type { Dialect } from "../connect.js";

/**
 * The web console's sign-in (src/core/sessions): one row per session a person opened, found by
 * the SHA-256 of its cookie's secret (the secret itself is never stored; the CSRF token is an
 * HMAC of it, so it needs no column). Ended sessions stay, with when and why, until they are old.
 * `console_sign_in_links` holds the one-time email sign-in links, also by hash.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const id = dialect === "postgres" ? sql`text collate "C"` : "text";
  await db.schema
    .createTable("console_sessions")
    .addColumn("id", id, (c) => c.primaryKey())
    .addColumn("secret_hash", "text", (c) => c.notNull().unique())
    .addColumn("organization_id", id, (c) => c.notNull().references("organizations.id"))
    .addColumn("user_id", id, (c) => c.notNull().references("users.id"))
    .addColumn("method", "text", (c) => c.notNull()) // admin_key | oidc | email_link
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("last_seen_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull()) // the absolute limit
    .addColumn("ended_at", "text")
    .addColumn("ended_reason", "text") // sign_out | idle_timeout | expired | member_removed | …
    .execute();
  // Ending every live session of a member when they are removed, offboarded or their role changes.
  await db.schema
    .createIndex("console_sessions_user")
    .on("console_sessions")
    .columns(["user_id", "ended_at"])
    .execute();
  await db.schema
    .createTable("console_sign_in_links")
    .addColumn("token_hash", "text", (c) => c.primaryKey())
    .addColumn("organization_id", id, (c) => c.notNull().references("organizations.id"))
    .addColumn("user_id", id, (c) => c.notNull().references("users.id"))
    .addColumn("return_to", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .addColumn("used_at", "text")
    .execute();
}
