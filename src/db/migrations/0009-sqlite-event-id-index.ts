import { type Kysely, sql } from "kysely";
import type { Dialect } from "../connect.js";

/**
 * SQLite: the usage events' ids are found through a small index of their hashes, in two levels,
 * instead of the primary key on (organization_id, id).
 *
 * Event ids are the idempotency keys of ingestion, and are random (Anthropic's message ids are).
 * Inserting into a B-tree in random order dirties about one index page per event once the index
 * outgrows what a transaction touches, and every dirty page is written to the WAL at commit and
 * again at checkpoint: at 10 million events, 60-byte (organization_id, id) entries made ingestion
 * a third as fast as at the start. Now:
 *
 * - `usage_events` is keyed by `seq`, in insertion order (an explicit INTEGER PRIMARY KEY, which
 *   VACUUM keeps), and carries `id_hash` = steward_id_hash(organization_id, id), a function the
 *   connection defines (src/db/sqlite-thread.ts);
 * - `usage_event_ids_recent` holds the (id_hash, seq) of the latest events: a few MB, all in cache,
 *   so a batch dirties few of its pages;
 * - `usage_event_ids` holds the rest: every 2^18 events the recent level is folded into it in
 *   hash order, which writes each of its pages once for many entries.
 *
 * An event is new when neither level has an entry with its hash whose event has its organization
 * and id: a hash only narrows the search, so two ids sharing one are still told apart. Triggers
 * keep both levels in step with every insert and delete of an event (retention included).
 *
 * PostgreSQL keeps its primary key, and is not changed.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  if (dialect !== "sqlite") {
    return;
  }
  const { rows: columns } = await sql<{
    name: string;
    type: string;
    notnull: number;
    dflt_value: string | null;
  }>`pragma table_info(usage_events)`.execute(db);
  const definitions = columns.map(
    (c) =>
      `${c.name} ${c.type}${c.notnull ? " not null" : ""}${c.dflt_value === null ? "" : ` default ${c.dflt_value}`}`,
  );
  const names = columns.map((c) => c.name).join(", ");
  // One transaction: the table is rebuilt, and a failure must leave the old one as it was.
  await db.transaction().execute(async (trx) => {
    await sql
      .raw(
        `create table usage_events_keyed (seq integer primary key, id_hash integer not null, ${definitions.join(", ")})`,
      )
      .execute(trx);
    // In time order, so that seq follows time for the events already there, as it does for new ones.
    await sql
      .raw(
        `insert into usage_events_keyed (id_hash, ${names})
         select cast(steward_id_hash(organization_id, id) as integer), ${names}
         from usage_events order by occurred_at, organization_id, id`,
      )
      .execute(trx);
    await sql`drop table usage_events`.execute(trx);
    await sql`alter table usage_events_keyed rename to usage_events`.execute(trx);
    await sql`create index usage_events_time on usage_events (occurred_at)`.execute(trx);

    await sql`create table usage_event_ids (
      id_hash integer not null, seq integer not null, primary key (id_hash, seq)) without rowid`.execute(
      trx,
    );
    await sql`create table usage_event_ids_recent (
      id_hash integer not null, seq integer not null, primary key (id_hash, seq)) without rowid`.execute(
      trx,
    );
    await sql`insert into usage_event_ids (id_hash, seq)
      select id_hash, seq from usage_events order by id_hash, seq`.execute(trx);

    await sql`create trigger usage_events_id_added after insert on usage_events begin
      insert into usage_event_ids_recent (id_hash, seq) values (new.id_hash, new.seq);
    end`.execute(trx);
    await sql`create trigger usage_events_id_removed after delete on usage_events begin
      delete from usage_event_ids_recent where id_hash = old.id_hash and seq = old.seq;
      delete from usage_event_ids where id_hash = old.id_hash and seq = old.seq;
    end`.execute(trx);
    // seq grows by one an event, so this fires once every 262,144 events. The fold reads the
    // recent level in hash order and appends it to the other in that order.
    await sql`create trigger usage_event_ids_fold after insert on usage_event_ids_recent
      when new.seq % 262144 = 0 begin
      insert into usage_event_ids (id_hash, seq) select id_hash, seq from usage_event_ids_recent;
      delete from usage_event_ids_recent;
    end`.execute(trx);
  });
}
