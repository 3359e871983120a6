import type { Kysely } from "kysely";

/**
 * Drops the minute rollup. Keyed by every dimension, it held about one row per event at a few
 * thousand events an hour (as many rows as the events themselves, and a fifth of the database),
 * and cost every write an upsert; a `1m` report spans at most a day (1,440 buckets), which the
 * events' time index reads as fast. Minute buckets are now summed from the raw events, which are
 * kept longer than the minute rollup was (USAGE_RAW_RETENTION_DAYS).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("usage_key_minute").execute();
}
