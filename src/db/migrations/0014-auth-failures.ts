import type { Kysely } from "kysely";
import type { Dialect } from "../connect.js";

/**
 * Failed admin authentication, aggregated: one row per source address (an IPv6 address's /64)
 * and minute, with how many attempts failed and how many of those were refused with a 429. A
 * flood of bad keys adds to a count instead of writing a record per request; rows older than
 * AUTH_FAILURE_RETENTION_DAYS are pruned. Not scoped to an organization: an unknown key has none.
 */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable("auth_failures")
    .addColumn("minute", "text", (c) => c.notNull()) // RFC 3339, the start of the minute
    .addColumn("client_address", "text", (c) => c.notNull())
    .addColumn("failures", "integer", (c) => c.notNull())
    .addColumn("throttled", "integer", (c) => c.notNull())
    .addColumn("first_at", "text", (c) => c.notNull())
    .addColumn("last_at", "text", (c) => c.notNull())
    .addColumn("last_reason", "text", (c) => c.notNull())
    // Minute first: the prune deletes a prefix, and reads go by time.
    .addPrimaryKeyConstraint("auth_failures_pk", ["minute", "client_address"])
    .execute();
}
