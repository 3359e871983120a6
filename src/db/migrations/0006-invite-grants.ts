import { type Kysely, sql } from "kysely";
import type { Dialect } from "../connect.js";

/**
 * What an invitee receives when they accept (onboarding): workspace memberships granted before
 * they had a user id, and the API keys issued to them, which become theirs (their principal).
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const id = dialect === "postgres" ? sql`text collate "C"` : "text";
  await db.schema
    .createTable("invite_grants")
    .addColumn("organization_id", id, (c) => c.notNull().references("organizations.id"))
    .addColumn("invite_id", id, (c) => c.notNull().references("invites.id"))
    .addColumn("kind", "text", (c) => c.notNull()) // workspace_member | api_key
    .addColumn("target_id", id, (c) => c.notNull()) // the workspace, or the API key
    .addColumn("workspace_role", "text") // for workspace_member grants
    .addColumn("created_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("invite_grants_pk", ["invite_id", "kind", "target_id"])
    .execute();
}
