import { type Kysely, sql } from "kysely";
import type { Dialect } from "../connect.js";

/**
 * SQLite: the usage events' id index (migrations 0009 to 0012) no longer needs Steward to write
 * to the file. Its triggers called functions that only Steward's writer defines, so the standard
 * `sqlite3` shell could neither delete nor insert an event (`no such function: steward_id_runs`),
 * and an insert had to give `id_hash`, which only Steward computes. Now:
 *
 * - `usage_events` loses `id_hash`, and the insert and delete triggers that kept the index go. The
 *   writer computes an id's hash itself and keeps the index as it stores events; it takes in the
 *   events another connection stored as its next transaction begins
 *   (src/db/sqlite/event-id-index.ts). A deleted event's entry stays until its run is dropped: an
 *   entry only narrows the search.
 * - The gateway's events have ids Steward makes (`req_01…`), which grow with time: a plain unique
 *   index on (organization_id, id) for those takes each new id at its end, so they leave the hash
 *   index, and SQLite itself refuses a repeat. The hash index keeps the clients' ids (ingestion),
 *   random ones, for which a B-tree was a third as fast at 10 million events.
 * - A run is dropped when no event is left at or below its highest seq (`last_seq`), instead of
 *   when its last entry was deleted; a plain trigger drops its entries with it.
 * - A plain trigger still moves the fold's mark back when the newest events are deleted, so that
 *   the events that take their seqs come after it.
 *
 * Dropping the column rewrites the table: about as long as migration 0009 took on the same file.
 * PostgreSQL keeps its primary key, and is not changed.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  if (dialect !== "sqlite") {
    return;
  }
  await db.transaction().execute(async (trx) => {
    await sql`drop trigger usage_events_id_added`.execute(trx);
    await sql`drop trigger usage_events_id_removed`.execute(trx);
    await sql`alter table usage_events drop column id_hash`.execute(trx);
    await sql`create unique index usage_events_steward_ids on usage_events (organization_id, id)
      where substr(id, 1, 6) = 'req_01'`.execute(trx);
    await sql`create trigger usage_events_fold_mark after delete on usage_events begin
      update usage_event_ids_folded set seq = (select coalesce(max(seq), 0) from usage_events)
      where not exists (select 1 from usage_events where seq > old.seq)
        and seq > (select coalesce(max(seq), 0) from usage_events);
    end`.execute(trx);

    await sql`alter table usage_event_id_runs add column last_seq integer not null default 0`.execute(
      trx,
    );
    await sql`update usage_event_id_runs set last_seq = coalesce(
      (select max(seq) from usage_event_ids as i where i.run = usage_event_id_runs.run), 0)`.execute(
      trx,
    );
    await sql`create trigger usage_event_id_runs_dropped after delete on usage_event_id_runs begin
      delete from usage_event_ids where run = old.run;
    end`.execute(trx);
  });
}
