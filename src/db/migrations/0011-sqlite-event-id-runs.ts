import { type Kysely, sql } from "kysely";
import type { Dialect } from "../connect.js";

/**
 * SQLite: the usage events' id index (migrations 0009 and 0010) becomes a set of sorted runs, each
 * with a Bloom filter the writer holds in memory (src/db/sqlite-event-id-index.ts).
 *
 * `usage_event_ids` was one B-tree keyed by hash. Measured on a 10-million-event database (2
 * cores), it cost the writer two things that grow with the events stored:
 *
 * - every new event's duplicate check looked its hash up in it: 4.8 µs, mostly reading a random
 *   page that was not in the cache;
 * - every fold of the newest 262,144 ids into it, in hash order, landed a few entries on each of
 *   its pages, so it rewrote the whole table: 2.3 s and 194 MB of WAL a fold, 8.8 µs an event.
 *
 * Now `usage_event_ids` is keyed by (run, id_hash, seq). A run takes the entries of up to 8 folds
 * (about 2 million), then the next run, with the highest number, starts at the end of the table:
 * a fold rewrites at most its run. `usage_event_id_runs` lists the runs, with their filters. A new
 * event is looked up only in the runs whose filter may hold its hash, about 1 in 200 per run, so
 * the lookup is skipped for nearly every new event.
 *
 * Run 0 holds the entries the insert trigger writes at once (an event whose hash an entry in the
 * writer's memory already holds); it has no filter: the writer keeps its hashes in a set.
 *
 * The entries already in the index become one full run (no fold adds to it), whose filter the
 * writer builds at its first write (a few seconds at 10 million events), and stores.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  if (dialect !== "sqlite") {
    return;
  }
  await db.transaction().execute(async (trx) => {
    // folds: how many folds the run took (8 at most); capacity: the entries its filter is sized
    // for; filter: null until the writer builds it.
    await sql`create table usage_event_id_runs (
      run integer primary key,
      folds integer not null,
      entries integer not null,
      capacity integer not null,
      filter blob)`.execute(trx);
    await sql`create table usage_event_ids_by_run (
      run integer not null, id_hash integer not null, seq integer not null,
      primary key (run, id_hash, seq)) without rowid`.execute(trx);

    await sql`insert into usage_event_id_runs (run, folds, entries, capacity)
      values (0, 0, 0, 0)`.execute(trx);
    await sql`insert into usage_event_ids_by_run (run, id_hash, seq)
      select 1, id_hash, seq from usage_event_ids order by id_hash, seq`.execute(trx);
    // Full: later folds start a run of their own.
    await sql`insert into usage_event_id_runs (run, folds, entries, capacity)
      select 1, 8, count(*), count(*) from usage_event_ids_by_run having count(*) > 0`.execute(trx);

    await sql`drop trigger usage_events_id_added`.execute(trx);
    await sql`drop trigger usage_events_id_removed`.execute(trx);
    await sql`drop table usage_event_ids`.execute(trx);
    await sql`alter table usage_event_ids_by_run rename to usage_event_ids`.execute(trx);

    await sql`create trigger usage_events_id_added after insert on usage_events begin
      insert into usage_event_ids (run, id_hash, seq) select 0, new.id_hash, new.seq
      where steward_recent_add(new.id_hash, new.seq) = 0;
    end`.execute(trx);
    // As in 0010, with the entry looked for in the runs whose filters may hold it. (A writer that
    // has not loaded the filters yet leaves the entry: one that points at no event only costs a
    // lookup.)
    await sql`create trigger usage_events_id_removed after delete on usage_events begin
      delete from usage_event_ids
      where run in (select value from json_each(steward_id_runs(old.id_hash)))
        and id_hash = old.id_hash and seq = old.seq;
      update usage_event_ids_folded set seq = (select coalesce(max(seq), 0) from usage_events)
      where not exists (select 1 from usage_events where seq > old.seq)
        and seq > (select coalesce(max(seq), 0) from usage_events);
    end`.execute(trx);
  });
}
