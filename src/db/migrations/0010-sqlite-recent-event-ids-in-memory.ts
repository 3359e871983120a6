import { type Kysely, sql } from "kysely";
import type { Dialect } from "../connect.js";

/**
 * SQLite: the newest level of the usage events' id index (migration 0009) moves from a table into
 * the writer's memory (src/db/sqlite-thread.ts).
 *
 * Its entries are keyed by random hashes, so each event's entry landed on a page of its own: a
 * gateway batch of a few hundred events dirtied a few hundred pages of that table, each written
 * to the WAL at commit and again at checkpoint. It cost more than the events' own rows: about 15
 * µs of the database thread's time per event in gateway-sized batches, 3 µs in ingestion's.
 *
 * - The writer keeps the hash and `seq` of every event stored since the last fold in a map, filled
 *   by the insert trigger (`steward_recent_add`) and read by the insert's duplicate check
 *   (`steward_recent_seq`). When it opens, it reloads the map from the events past the fold.
 * - `usage_event_ids_folded` holds the last `seq` folded into `usage_event_ids`: every event after
 *   it is in the map (or, below, in `usage_event_ids`). Every 2^18 events the writer folds them
 *   into `usage_event_ids` in hash order, as the trigger did, and moves the mark. Deleting the
 *   newest events moves it back (the delete trigger), so that events stored later, which may
 *   reuse their `seq`s, still come after it.
 * - A map entry is one `seq` per hash. An event whose hash already has an entry (another event's,
 *   or one whose insert was rolled back) goes into `usage_event_ids` at once, by the trigger, in
 *   the event's own transaction. An entry only narrows the search, as before: the event it points
 *   at is compared.
 *
 * PostgreSQL keeps its primary key, and is not changed.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  if (dialect !== "sqlite") {
    return;
  }
  await db.transaction().execute(async (trx) => {
    await sql`insert or ignore into usage_event_ids (id_hash, seq)
      select id_hash, seq from usage_event_ids_recent order by id_hash, seq`.execute(trx);
    await sql`drop trigger usage_event_ids_fold`.execute(trx);
    await sql`drop trigger usage_events_id_added`.execute(trx);
    await sql`drop trigger usage_events_id_removed`.execute(trx);
    await sql`drop table usage_event_ids_recent`.execute(trx);

    await sql`create table usage_event_ids_folded (seq integer not null)`.execute(trx);
    await sql`insert into usage_event_ids_folded (seq)
      select coalesce(max(seq), 0) from usage_events`.execute(trx);

    await sql`create trigger usage_events_id_added after insert on usage_events begin
      insert into usage_event_ids (id_hash, seq) select new.id_hash, new.seq
      where steward_recent_add(new.id_hash, new.seq) = 0;
    end`.execute(trx);
    // The mark moves back to the newest event left when the deleted one was the newest: the next
    // events take the seqs after it. (Retention deletes the oldest events, which costs each a
    // lookup of the one after it.)
    await sql`create trigger usage_events_id_removed after delete on usage_events begin
      delete from usage_event_ids where id_hash = old.id_hash and seq = old.seq;
      update usage_event_ids_folded set seq = (select coalesce(max(seq), 0) from usage_events)
      where not exists (select 1 from usage_events where seq > old.seq)
        and seq > (select coalesce(max(seq), 0) from usage_events);
    end`.execute(trx);
  });
}
