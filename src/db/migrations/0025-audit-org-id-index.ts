import type { Kysely } from "kysely";

/**
 * The audit log's list (`GET /v1/organizations/audit_logs`, the console's newest first) reads one
 * organization's records in id order, a page at a time. With (organization_id, id) it walks that
 * index from either end and stops after the page; without it, the database read the
 * organization's whole log and sorted it for every page.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex("audit_events_org_id")
    .ifNotExists()
    .on("audit_events")
    .columns(["organization_id", "id"])
    .execute();
}
