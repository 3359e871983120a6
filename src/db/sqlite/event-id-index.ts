import type BetterSqlite3 from "better-sqlite3";

/**
 * Which usage events are new, on SQLite, as the writer's thread decides it (migrations 0009 to
 * 0012, and 0017). Event ids are ingestion's idempotency keys, and a usage batch may come twice (a
 * client's retry, the gateway's spool replayed after a crash), so an id already stored for its
 * organization is skipped.
 *
 * Ids of two kinds, each checked where it is cheap:
 *
 * - Steward's own request ids (`req_01…`, the gateway's events) grow with time, so a plain unique
 *   index on (organization_id, id) takes each new one at its end (migration 0017,
 *   `usage_events_steward_ids`): SQLite refuses a repeat by itself, `on conflict do nothing`.
 * - Any other id is the client's (ingestion), random like Anthropic's message ids. In a B-tree,
 *   random keys dirty about a page an event once the index outgrows the cache, which made
 *   ingestion a third as fast at 10 million events. Those ids are found through a 53-bit hash
 *   (`idHash`) instead, here:
 *   - the events stored since the last fold are in `#recent`, a map from hash to seq;
 *   - the others are in `usage_event_ids`, keyed by (run, id_hash, seq): every `foldAt` events the
 *     map's entries are added to the run being filled, up to FOLDS_PER_RUN folds a run, then a new
 *     run starts (the highest number, so at the end of the table). A fold rewrites its run only;
 *   - each run has a Bloom filter, held here and stored in `usage_event_id_runs`: an id is looked
 *     up only in the runs whose filters may hold its hash, for a new id nearly never;
 *   - run 0 holds an event whose hash another entry of the map holds (a map entry is one seq),
 *     with its hashes in `#overflow`.
 *
 * Entries only narrow the search: the event an entry points at is compared. So an entry of a
 * rolled-back insert (whose seq a later event may take), of a deleted event, or a filter's false
 * positive costs a lookup and no more. What must hold is that every committed event with a client's
 * id has its hash in the map, in `#overflow` with its entry in run 0, or in the filter of a run
 * holding its entry:
 *
 * - as a transaction begins (holding the write lock), the map is loaded from the events past the
 *   fold's mark the first time, and afterwards from those past the last seen, which another
 *   connection (the operator CLI, the `sqlite3` shell) may have stored. When the mark moved (another
 *   process folded, or the newest events were deleted: a plain trigger moves it back, so that the
 *   events taking their seqs come after it), the stored filters are loaded again;
 * - folds run as a transaction begins, in a transaction of their own.
 *
 * Nothing in the file needs this code to be read or repaired: no trigger or index calls a function
 * of Steward's, so a plain `sqlite3` can delete and insert events. An event an operator deletes
 * leaves its entry until retention drops its run; one an operator inserts is taken in at the
 * writer's next transaction.
 */
export interface EventIdIndexOptions {
  /** How many ids the writer holds in memory before folding them into a run (2^18). */
  recentIdsFoldAt?: number | undefined;
}

/**
 * The prefix of Steward's own request ids (`req` and the format's version, core/ids.ts), which
 * `usage_events_steward_ids` (migration 0017) holds, and which therefore never come here. The same
 * test as that index's: never change one without a migration for the other.
 */
export const STEWARD_ID_PREFIX = "req_01";

/** True for an id `usage_events_steward_ids` keeps unique: one Steward made. */
export function madeBySteward(id: string): boolean {
  return id.startsWith(STEWARD_ID_PREFIX);
}

/**
 * Drops the runs none of whose events are left: those whose highest seq is below every stored
 * event's, except the newest, which folds fill (and run 0). A trigger drops their entries.
 * Retention runs it as it deletes (UsageRepository.deleteOlderThan), and so does a fold that starts
 * a run, for the run before it. The writer forgets a dropped run's filter as its next transaction
 * begins. (Once every event is deleted, the next take seqs from 1 again: the runs of the old ones
 * then stay until retention has passed their seqs once more.)
 */
export const DROP_EMPTIED_RUNS_SQL = `delete from usage_event_id_runs
  where run > 0
    and run < (select max(run) from usage_event_id_runs)
    and last_seq < (select coalesce(min(seq), 9007199254740991) from usage_events)`;

const DEFAULT_FOLD_AT = 262_144;
/**
 * A run takes the entries of up to this many folds, and its filter is sized for them all: fewer
 * runs, so fewer filters to ask for each event. A fold lands among the run's earlier entries, which
 * dirties up to the whole run (at most 2 million entries, about 40 MB), not the whole index.
 */
const FOLDS_PER_RUN = 8;
/** 12 to 24 bits an entry (blocks are counted in powers of two): 1 false positive in 200 at worst. */
const FILTER_BITS_PER_ENTRY = 12;
/** 2^21: a hash is the high lane times this plus the low lane's top 21 bits. */
const LOW = 2_097_152;

/**
 * A 53-bit hash of an organization's event id: two 32-bit FNV-1a lanes, each finished with
 * murmur3's mixer. Stored hashes must stay valid: never change this function, add another.
 * (Migration 0009 calls it as the SQL function `steward_id_hash`.)
 */
export function idHash(organizationId: string, id: string): number {
  const text = `${organizationId}\u0000${id}`;
  let a = 0x811c9dc5;
  let b = 0x050c5d1f;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  return (mix(a) >>> 0) * LOW + (mix(b) >>> 11);
}

function mix(lane: number): number {
  let h = lane;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}

/**
 * A blocked Bloom filter: a hash sets 8 bits in one 512-bit block (one cache line), chosen by its
 * high lane; the bits come from its low 21. Bytes, not wider words, so that a stored filter reads
 * the same on any machine.
 */
export function newFilter(entries: number): Uint8Array {
  let blocks = 1;
  while (blocks * 512 < entries * FILTER_BITS_PER_ENTRY) {
    blocks *= 2;
  }
  return new Uint8Array(blocks * 64);
}

/** Whether the hash's 8 bits are all set; with `add`, sets those that are not. */
function filterBits(filter: Uint8Array, hash: number, add: boolean): boolean {
  const base = ((hash / LOW) & ((filter.length >>> 6) - 1)) << 6;
  const low = hash % LOW;
  const step = (low >>> 9) | 1;
  let all = true;
  for (let i = 0, bit = low & 511; i < 8; i++, bit = (bit + step) & 511) {
    const byte = base + (bit >>> 3);
    const mask = 1 << (bit & 7);
    if (((filter[byte] ?? 0) & mask) === 0) {
      if (!add) {
        return false;
      }
      filter[byte] = (filter[byte] ?? 0) | mask;
      all = false;
    }
  }
  return all;
}

export function filterAdd(filter: Uint8Array, hash: number): void {
  filterBits(filter, hash, true);
}

export function filterHas(filter: Uint8Array, hash: number): boolean {
  return filterBits(filter, hash, false);
}

/** The run folds are adding to, while it has room. */
interface FillingRun {
  run: number;
  folds: number;
  entries: number;
  capacity: number;
  filter: Uint8Array;
}

/** The id index of one writing connection (the only one of its process). */
export class EventIdIndex {
  readonly #db: BetterSqlite3.Database;
  readonly #foldAt: number;
  /** The statements of this index, prepared once each. */
  readonly #statements = new Map<string, BetterSqlite3.Statement>();
  /** Hash → seq of the events stored since the last fold. */
  readonly #recent = new Map<number, number>();
  #ready = false;
  /** The highest seq whose event this index has accounted for. */
  #seenMaxSeq = 0;
  /** Whether events were stored in the transaction under way. */
  #touched = false;
  readonly #filters = new Map<number, Uint8Array>();
  #overflow = new Set<number>();
  /** The fold's mark as last read or written: another value means another process folded. */
  #mark = 0;
  #filling: FillingRun | undefined;

  constructor(db: BetterSqlite3.Database, options: EventIdIndexOptions = {}) {
    this.#db = db;
    this.#foldAt = options.recentIdsFoldAt || DEFAULT_FOLD_AT;
  }

  /** The ids held in memory, and the runs whose filters are held (for tests and diagnostics). */
  get sizes(): { recent: number; runs: number[] } {
    return { recent: this.#recent.size, runs: [...this.#filters.keys()] };
  }

  /**
   * Stores one usage event unless its id is stored: `insert` takes the event's columns,
   * organization_id and id first, and skips a repeated Steward id by itself (`on conflict do
   * nothing`). Returns the rows it stored, 1 or 0.
   */
  insert(insert: BetterSqlite3.Statement, params: readonly unknown[]): number {
    const organizationId = params[0];
    const id = params[1];
    if (typeof organizationId !== "string" || typeof id !== "string") {
      throw new Error("a usage event's organization_id and id come first, as text");
    }
    if (madeBySteward(id)) {
      return insert.run(params).changes;
    }
    if (!this.#ready) {
      throw new Error("the usage events' id index is not migrated yet (migration 0017)");
    }
    const hash = idHash(organizationId, id);
    if (this.#mayHold(hash) && this.#holds(hash, organizationId, id)) {
      return 0;
    }
    const result = insert.run(params);
    if (result.changes === 1) {
      this.#add(hash, Number(result.lastInsertRowid));
    }
    return result.changes;
  }

  /**
   * Right after a transaction's `begin immediate`: catches up with what another connection stored
   * or deleted, and folds. What it writes commits on its own (the transaction that follows may roll
   * back), through `commit` and `begin` run on the same connection.
   */
  sync(): void {
    let wrote = false;
    if (!this.#ready) {
      if (!this.#migrated()) {
        return;
      }
      this.#ready = true;
      wrote = this.#loadRuns();
      this.#seenMaxSeq = this.#mark;
    } else {
      const [mark, listed] = this.#statement(
        "select (select seq from usage_event_ids_folded), (select count(*) from usage_event_id_runs where run > 0)",
      )
        .raw(true)
        .get() as [number, number];
      if (mark !== this.#mark) {
        wrote = this.#loadRuns();
      } else if (listed !== this.#filters.size) {
        this.#forgetDroppedRuns();
      }
    }
    for (;;) {
      const max = this.#maxEventSeq();
      if (max < this.#seenMaxSeq) {
        // The newest events were deleted: those stored next take their seqs.
        this.#seenMaxSeq = max;
      } else if (max > this.#seenMaxSeq) {
        wrote = this.#catchUp() || wrote;
      }
      const folding = this.#recent.size >= this.#foldAt;
      if (folding) {
        this.#fold(max);
        wrote = true;
      }
      if (!wrote) {
        this.#seenMaxSeq = max;
        return;
      }
      this.#statement("commit").run();
      if (folding) {
        this.#recent.clear();
      }
      this.#seenMaxSeq = max;
      wrote = false;
      this.#statement("begin immediate").run();
    }
  }

  /**
   * Runs a transaction's `commit`: once the events it stored are committed, every event up to the
   * newest is accounted for.
   */
  commit(commit: () => BetterSqlite3.RunResult): BetterSqlite3.RunResult {
    if (!this.#ready || !this.#touched || !this.#db.inTransaction) {
      return commit();
    }
    const max = this.#maxEventSeq();
    const result = commit();
    this.#seenMaxSeq = max;
    this.#touched = false;
    return result;
  }

  close(): void {
    this.#statements.clear();
  }

  #statement(sql: string): BetterSqlite3.Statement {
    let prepared = this.#statements.get(sql);
    if (prepared === undefined) {
      prepared = this.#db.prepare(sql);
      this.#statements.set(sql, prepared);
    }
    return prepared;
  }

  /** Whether the schema is migration 0017's (the index is not used before). */
  #migrated(): boolean {
    return (
      this.#statement(
        "select count(*) from pragma_table_info('usage_event_id_runs') where name = 'last_seq'",
      )
        .pluck()
        .get() === 1
    );
  }

  #mayHold(hash: number): boolean {
    if (this.#recent.has(hash) || this.#overflow.has(hash)) {
      return true;
    }
    for (const filter of this.#filters.values()) {
      if (filterHas(filter, hash)) {
        return true;
      }
    }
    return false;
  }

  /** Whether an event with this organization and id is stored, among those the hash points at. */
  #holds(hash: number, organizationId: string, id: string): boolean {
    const seq = this.#recent.get(hash);
    if (
      seq !== undefined &&
      this.#statement("select 1 from usage_events where seq = ? and organization_id = ? and id = ?")
        .pluck()
        .get(seq, organizationId, id) !== undefined
    ) {
      return true;
    }
    const inRun = this.#statement(`select 1 from usage_event_ids as s
      join usage_events as e on e.seq = s.seq
      where s.run = ? and s.id_hash = ? and e.organization_id = ? and e.id = ?`).pluck();
    if (this.#overflow.has(hash) && inRun.get(0, hash, organizationId, id) !== undefined) {
      return true;
    }
    for (const [run, filter] of this.#filters) {
      if (filterHas(filter, hash) && inRun.get(run, hash, organizationId, id) !== undefined) {
        return true;
      }
    }
    return false;
  }

  /**
   * Accounts for a stored event: in the map, or in run 0 when the map holds its hash for another
   * seq. Returns whether it wrote.
   */
  #add(hash: number, seq: number): boolean {
    this.#touched = true;
    const held = this.#recent.get(hash);
    if (held === undefined) {
      this.#recent.set(hash, seq);
      return false;
    }
    if (held === seq) {
      return false;
    }
    this.#overflow.add(hash);
    this.#statement(
      "insert or ignore into usage_event_ids (run, id_hash, seq) values (0, ?, ?)",
    ).run(hash, seq);
    return true;
  }

  /** Takes in the events past the last seen, which another connection stored. */
  #catchUp(): boolean {
    let wrote = false;
    const rows = this.#statement("select organization_id, id, seq from usage_events where seq > ?")
      .raw(true)
      .iterate(this.#seenMaxSeq) as IterableIterator<[string, string, number]>;
    const added: Array<[number, number]> = [];
    for (const [organizationId, id, seq] of rows) {
      if (!madeBySteward(id)) {
        added.push([idHash(organizationId, id), seq]);
      }
    }
    for (const [hash, seq] of added) {
      wrote = this.#add(hash, seq) || wrote;
    }
    return wrote;
  }

  #maxEventSeq(): number {
    return this.#statement("select coalesce(max(seq), 0) from usage_events")
      .pluck()
      .get() as number;
  }

  #highestRun(): number {
    return this.#statement("select coalesce(max(run), 0) from usage_event_id_runs")
      .pluck()
      .get() as number;
  }

  /** Loads every run's filter, building (and storing) those a migration left without one. */
  #loadRuns(): boolean {
    this.#filters.clear();
    this.#filling = undefined;
    this.#overflow = new Set(
      this.#statement("select id_hash from usage_event_ids where run = 0")
        .pluck()
        .all() as number[],
    );
    let wrote = false;
    const listed = this.#statement(
      "select run, folds, entries, capacity, filter from usage_event_id_runs where run > 0 order by run",
    )
      .raw(true)
      .all() as Array<[number, number, number, number, Uint8Array | null]>;
    for (const [run, folds, entries, capacity, bytes] of listed) {
      let filter: Uint8Array;
      if (bytes === null) {
        filter = this.#buildFilter(run, entries);
        wrote = true;
      } else {
        filter = new Uint8Array(bytes);
      }
      this.#filters.set(run, filter);
      this.#filling = folds < FOLDS_PER_RUN ? { run, folds, entries, capacity, filter } : undefined;
    }
    this.#mark = this.#statement("select seq from usage_event_ids_folded").pluck().get() as number;
    return wrote;
  }

  #buildFilter(run: number, entries: number): Uint8Array {
    const filter = newFilter(entries);
    const hashes = this.#statement("select id_hash from usage_event_ids where run = ?").pluck();
    for (const hash of hashes.iterate(run) as IterableIterator<number>) {
      filterAdd(filter, hash);
    }
    this.#statement("update usage_event_id_runs set filter = ? where run = ?").run(filter, run);
    return filter;
  }

  /** Forgets the filters of the runs retention dropped. The newest, being filled, is never one. */
  #forgetDroppedRuns(): void {
    const listed = new Set(
      this.#statement("select run from usage_event_id_runs where run > 0").pluck().all(),
    );
    for (const run of this.#filters.keys()) {
      if (!listed.has(run)) {
        this.#filters.delete(run);
      }
    }
  }

  /**
   * The map's entries, added in hash order to the run being filled (or a new one) and its filter;
   * the mark moves to the newest event.
   */
  #fold(max: number): void {
    // Sorted in a typed array (a map entry is one seq, so they are distinct): 262,144 [hash, seq]
    // pairs were 20 MB for the collector.
    const hashes = Float64Array.from(this.#recent.keys()).sort();
    let target = this.#filling;
    if (target === undefined || target.entries + hashes.length > target.capacity) {
      const capacity = Math.max(FOLDS_PER_RUN * this.#foldAt, hashes.length);
      target = {
        run: this.#highestRun() + 1,
        folds: 0,
        entries: 0,
        capacity,
        filter: newFilter(capacity),
      };
      this.#statement(
        "insert into usage_event_id_runs (run, folds, entries, capacity, last_seq) values (?, 0, 0, ?, 0)",
      ).run(target.run, capacity);
      // The run before goes if retention emptied it while it was the newest.
      this.#statement(DROP_EMPTIED_RUNS_SQL).run();
      this.#forgetDroppedRuns();
    }
    // Or ignore: another process may have folded some of the same events into this run.
    const insert = this.#statement(
      "insert or ignore into usage_event_ids (run, id_hash, seq) values (?, ?, ?)",
    );
    for (const hash of hashes) {
      insert.run(target.run, hash, this.#recent.get(hash));
      filterAdd(target.filter, hash);
    }
    target.folds++;
    target.entries += hashes.length;
    this.#statement(
      "update usage_event_id_runs set folds = ?, entries = ?, filter = ?, last_seq = max(last_seq, ?) where run = ?",
    ).run(target.folds, target.entries, target.filter, max, target.run);
    this.#statement("update usage_event_ids_folded set seq = ?").run(max);
    // Run 0's entries of events gone, none of whose seqs is stored any more.
    this.#statement(
      "delete from usage_event_ids where run = 0 and seq < (select coalesce(min(seq), 9007199254740991) from usage_events)",
    ).run();
    this.#overflow = new Set(
      this.#statement("select id_hash from usage_event_ids where run = 0")
        .pluck()
        .all() as number[],
    );
    this.#filters.set(target.run, target.filter);
    this.#filling = target.folds < FOLDS_PER_RUN ? target : undefined;
    this.#mark = max;
  }
}
