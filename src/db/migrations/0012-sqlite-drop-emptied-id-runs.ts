import { type Kysely, sql } from "kysely";
import type { Dialect } from "../connect.js";

/**
 * SQLite: a run of the usage events' id index (migration 0011) whose events retention has all
 * deleted is dropped, with its filter.
 *
 * Until now a run stayed once folded, and the writer held its filter and asked it about every new
 * event, even after the last of its events had gone. Raw events are kept for a bounded time
 * (`USAGE_RAW_RETENTION_DAYS`), but the runs grew with every event a deployment had ever stored:
 * at a million events a day, 2 MB more of filters each day and one more filter to ask every two
 * days, for as long as it ran. Now retention drops the runs it empties as it deletes events
 * (UsageRepository.deleteOlderThan), except the newest, which folds fill; a fold that starts a
 * run drops the one before if it was emptied meanwhile (src/db/sqlite-event-id-index.ts); and
 * the writer forgets a dropped run's filter as its next transaction begins.
 *
 * The runs already emptied are dropped here.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  if (dialect !== "sqlite") {
    return;
  }
  await sql`delete from usage_event_id_runs
    where run > 0
      and run < (select max(run) from usage_event_id_runs)
      and not exists (select 1 from usage_event_ids as i where i.run = usage_event_id_runs.run)`.execute(
    db,
  );
}
