import { type Kysely, sql } from "kysely";
import type { Dialect } from "../connect.js";

/**
 * One row per metered request (and, later, per ingested event). Costs are integer nano-dollars
 * computed at record time, so a price change never rewrites history.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const id = dialect === "postgres" ? sql`text collate "C"` : "text";
  await db.schema
    .createTable("usage_events")
    .addColumn("organization_id", id, (c) => c.notNull())
    .addColumn("id", id, (c) => c.notNull())
    .addColumn("workspace_id", id, (c) => c.notNull())
    .addColumn("api_key_id", id)
    .addColumn("model", "text", (c) => c.notNull())
    .addColumn("occurred_at", "text", (c) => c.notNull())
    .addColumn("input_tokens", "bigint", (c) => c.notNull())
    .addColumn("output_tokens", "bigint", (c) => c.notNull())
    .addColumn("cache_creation_5m_tokens", "bigint", (c) => c.notNull())
    .addColumn("cache_creation_1h_tokens", "bigint", (c) => c.notNull())
    .addColumn("cache_read_tokens", "bigint", (c) => c.notNull())
    .addColumn("web_search_requests", "bigint", (c) => c.notNull())
    .addColumn("cost_nanos", "bigint", (c) => c.notNull())
    .addColumn("priced", "integer", (c) => c.notNull())
    .addColumn("service_tier", "text")
    .addColumn("inference_geo", "text")
    .addColumn("status", "integer", (c) => c.notNull())
    .addColumn("error_type", "text")
    .addColumn("latency_ms", "integer", (c) => c.notNull())
    .addColumn("stream", "integer", (c) => c.notNull())
    .addColumn("source", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("usage_events_pk", ["organization_id", "id"])
    .execute();
  await db.schema
    .createIndex("usage_events_org_time")
    .on("usage_events")
    .columns(["organization_id", "occurred_at"])
    .execute();
  await db.schema
    .createIndex("usage_events_workspace_time")
    .on("usage_events")
    .columns(["workspace_id", "occurred_at"])
    .execute();
}
