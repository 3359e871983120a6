import { type Kysely, sql } from "kysely";
import type { Dialect } from "../connect.js";

/** The rollup tables at this migration (0008 dropped the minute one). */
const ROLLUP_TABLES = [
  "usage_key_hour",
  "usage_key_day",
  "usage_workspace_hour",
  "usage_workspace_day",
  "usage_org_hour",
  "usage_org_day",
  "usage_workspace_model_day",
] as const;

/**
 * Usage events that were refused or could not be written, and where an event's cost came from.
 *
 * - `usage_dead_letters`: an event the gateway metered but could not store (token counts that are
 *   not non-negative safe integers, a cost out of range, a write the database refused for this
 *   event's data) is kept here with the reason, instead of blocking the metering queue or being
 *   summed into the rollups. `event` is the event's row as JSON.
 * - `usage_events.price_source`: `table`, `fallback` (the model is not in the price table and was
 *   charged at the fallback rates) or `given` (an ingested event's own `cost_usd`). Null for
 *   events stored before it was recorded (their `priced` column tells table from unpriced).
 * - `cost_fallback_nanos`, on the events and every rollup: the part of `cost_nanos` charged at
 *   the fallback rates (an event's token cost, or 0), summed like the other costs so that the
 *   cost report can show it. 0 for what was stored before: unlisted models then cost nothing.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const id = dialect === "postgres" ? sql`text collate "C"` : "text";
  await db.schema.alterTable("usage_events").addColumn("price_source", "text").execute();
  for (const table of ["usage_events", ...ROLLUP_TABLES]) {
    await db.schema
      .alterTable(table)
      .addColumn("cost_fallback_nanos", "bigint", (c) => c.notNull().defaultTo(0))
      .execute();
  }

  await db.schema
    .createTable("usage_dead_letters")
    .addColumn("id", id, (c) => c.primaryKey())
    .addColumn("organization_id", id, (c) => c.notNull())
    .addColumn("event_id", id, (c) => c.notNull())
    .addColumn("recorded_at", "text", (c) => c.notNull())
    .addColumn("reason", "text", (c) => c.notNull())
    .addColumn("detail", "text", (c) => c.notNull())
    .addColumn("event", "text", (c) => c.notNull())
    .execute();
  // An event is kept here once: a batch retried after a failure finds it again.
  await db.schema
    .createIndex("usage_dead_letters_event")
    .unique()
    .on("usage_dead_letters")
    .columns(["organization_id", "event_id"])
    .execute();
  await db.schema
    .createIndex("usage_dead_letters_org")
    .on("usage_dead_letters")
    .columns(["organization_id", "id"])
    .execute();
}
