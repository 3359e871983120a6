import { type Kysely, sql } from "kysely";
import type { Dialect } from "../connect.js";

/**
 * Usage rollups, kept up to date in the same transaction as the events they sum, so that no report
 * scans raw events over a long range:
 *
 * - `usage_key_minute`, `usage_key_hour`, `usage_key_day`: every dimension, the API key included;
 * - `usage_workspace_hour`, `usage_workspace_day`: every dimension but the key, for reports that
 *   neither group nor filter by key, which read a few hundred times fewer rows;
 * - `usage_org_hour`, `usage_org_day`: neither workspace nor key, for organization-wide reports
 *   (the seed's /v1/usage, the cost report's totals), a few dozen rows a day;
 * - `usage_workspace_model_day`: workspace and model only, for the most common breakdown (spend
 *   by workspace and model), a few times fewer rows than the workspace day rollup.
 *
 * Events also carry their cost split by token category (for the cost report) and their context
 * window class. The events' own indexes shrink to what retention needs: reports read rollups.
 */
export const ROLLUP_TABLES = [
  "usage_key_minute",
  "usage_key_hour",
  "usage_key_day",
  "usage_workspace_hour",
  "usage_workspace_day",
  "usage_org_hour",
  "usage_org_day",
  "usage_workspace_model_day",
] as const;

const COST_PARTS = [
  "cost_input_nanos",
  "cost_output_nanos",
  "cost_cache_write_5m_nanos",
  "cost_cache_write_1h_nanos",
  "cost_cache_read_nanos",
  "cost_web_search_nanos",
] as const;

const SUMS = [
  "input_tokens",
  "output_tokens",
  "cache_creation_5m_tokens",
  "cache_creation_1h_tokens",
  "cache_read_tokens",
  "web_search_requests",
  "cost_nanos",
  ...COST_PARTS,
] as const;

// Timestamps are `Date#toISOString()` strings, so a bucket's start is a prefix of them padded back
// to the same fixed width.
const BUCKET_OF_EVENT = {
  minute: sql`substr(occurred_at, 1, 16) || ':00.000Z'`,
  hour: sql`substr(occurred_at, 1, 13) || ':00:00.000Z'`,
  day: sql`substr(occurred_at, 1, 10) || 'T00:00:00.000Z'`,
};

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const text = dialect === "postgres" ? sql`text collate "C"` : "text";

  await db.schema
    .alterTable("usage_events")
    .addColumn("context_window", "text", (c) => c.notNull().defaultTo("0-200k"))
    .execute();
  for (const column of COST_PARTS) {
    await db.schema
      .alterTable("usage_events")
      .addColumn(column, "bigint", (c) => c.notNull().defaultTo(0))
      .execute();
  }
  await sql`update usage_events set context_window = '200k-1M'
    where input_tokens + cache_creation_5m_tokens + cache_creation_1h_tokens + cache_read_tokens > 200000`.execute(
    db,
  );
  await db.schema.dropIndex("usage_events_org_time").execute();
  await db.schema.dropIndex("usage_events_workspace_time").execute();
  // For retention, which deletes by age across organizations.
  await db.schema
    .createIndex("usage_events_time")
    .on("usage_events")
    .column("occurred_at")
    .execute();

  for (const table of ROLLUP_TABLES) {
    const keyed = table.startsWith("usage_key_");
    const byWorkspace = keyed || table.startsWith("usage_workspace_");
    // Only workspace and model: the other dimensions are ''.
    const narrow = table === "usage_workspace_model_day";
    let create = db.schema
      .createTable(table)
      .addColumn("organization_id", text, (c) => c.notNull())
      .addColumn("bucket_start", text, (c) => c.notNull())
      .addColumn("workspace_id", text, (c) => c.notNull())
      .addColumn("api_key_id", text, (c) => c.notNull())
      .addColumn("model", text, (c) => c.notNull())
      .addColumn("service_tier", text, (c) => c.notNull())
      .addColumn("context_window", text, (c) => c.notNull())
      .addColumn("inference_geo", text, (c) => c.notNull())
      .addColumn("requests", "bigint", (c) => c.notNull());
    for (const column of SUMS) {
      create = create.addColumn(column, "bigint", (c) => c.notNull());
    }
    create = create.addPrimaryKeyConstraint(`${table}_pk`, [
      "organization_id",
      "bucket_start",
      "workspace_id",
      "api_key_id",
      "model",
      "service_tier",
      "context_window",
      "inference_geo",
    ]);
    // Clustered by the key on SQLite: a report's range is one contiguous run of the table.
    await (dialect === "sqlite" ? create.modifyEnd(sql`without rowid`) : create).execute();
    if (byWorkspace && !keyed) {
      // One workspace's report reads only its own rows.
      await db.schema
        .createIndex(`${table}_workspace`)
        .on(table)
        .columns(["organization_id", "workspace_id", "bucket_start"])
        .execute();
    }

    // Events recorded before this migration, rolled up once.
    const grain = table.endsWith("_minute") ? "minute" : table.endsWith("_hour") ? "hour" : "day";
    const bucket = BUCKET_OF_EVENT[grain];
    const key = keyed ? sql`coalesce(api_key_id, '')` : sql`''`;
    const workspace = byWorkspace ? sql`workspace_id` : sql`''`;
    const sums = sql.join(SUMS.map((column) => sql`sum(${sql.ref(column)})`));
    await sql`insert into ${sql.table(table)}
      (organization_id, bucket_start, workspace_id, api_key_id, model, service_tier, context_window,
       inference_geo, requests, ${sql.join(SUMS.map((column) => sql.ref(column)))})
      select organization_id, ${bucket}, ${workspace}, ${key}, model,
        ${
          narrow
            ? sql`'', '', ''`
            : sql`coalesce(service_tier, 'standard'), context_window, coalesce(inference_geo, 'not_available')`
        },
        count(*), ${sums}
      from usage_events
      group by organization_id, ${bucket}, ${byWorkspace ? sql`workspace_id,` : sql``}
        ${keyed ? sql`api_key_id,` : sql``} model
        ${
          narrow
            ? sql``
            : sql`, coalesce(service_tier, 'standard'), context_window, coalesce(inference_geo, 'not_available')`
        }`.execute(db);
  }
}
