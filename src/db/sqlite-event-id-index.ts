/**
 * The usage events' id index on SQLite, as the writer thread keeps it (migrations 0009 to 0011).
 * This is part of the writer's source (src/db/sqlite-thread.ts), evaluated in its scope, where
 * `db`, `statement` and `workerData` are defined: plain CommonJS, like the rest of that worker.
 *
 * An event's `id_hash` (steward_id_hash) finds it among the events already stored:
 *
 * - the events stored since the last fold are in `recent.seqs`, a map from hash to seq, filled by
 *   the insert trigger (steward_recent_add) and read by the insert's duplicate check
 *   (steward_recent_seq);
 * - the others are in `usage_event_ids`, keyed by (run, id_hash, seq): every RECENT_FOLD_AT events,
 *   the map's entries are added to the run being filled, up to FOLDS_PER_RUN folds a run, after
 *   which a new run (the highest number, so at the end of the table) starts. Inserting into one
 *   B-tree keyed by hash, as before, a fold rewrote the whole index;
 * - each run has a Bloom filter, held here and stored in `usage_event_id_runs`. The duplicate check
 *   looks only in the runs whose filters may hold the hash (steward_id_runs): for a new event,
 *   almost never one. So does the delete trigger, for the entry of a deleted event;
 * - run 0 holds what the insert trigger writes at once: an event whose hash another entry of the
 *   map holds (a map entry is one seq). Its hashes are kept in `runs.overflow`;
 * - a run whose events retention has all deleted is dropped by retention (or, if it was the
 *   newest, by the fold that starts the next), and its filter forgotten as the next transaction
 *   begins (migration 0012): the filters held and asked grow with the events kept, not with every
 *   event ever stored.
 *
 * Entries only narrow the search: the event an entry points at is compared. So an entry left by a
 * rolled-back insert (whose seq a later event may reuse) or by a deleted event, or a filter's false
 * positive, costs a lookup and no more. What must hold is that every committed event's hash is in
 * the map, in `runs.overflow` with its entry in run 0, or in the filter of a run holding its entry:
 *
 * - when a transaction begins (holding the write lock), the map is loaded from the events past the
 *   fold the first time, and afterwards from those past the last seen, which another process (the
 *   operator CLI) may have stored. A process that deleted the newest events and stored others in
 *   their seqs meanwhile would not be seen; none of Steward's does. When the fold's mark moved
 *   since this writer last saw it (another process folded), the stored filters are loaded again;
 * - folds run as a transaction begins, in a transaction of their own.
 */
export interface EventIdIndexOptions {
  /** How many ids the writer holds in memory before folding them into a run (2^18). */
  recentIdsFoldAt?: number | undefined;
}

/**
 * Drops the runs whose entries are all gone, so whose events were all deleted, except the newest,
 * which folds fill. Retention runs it as it deletes (UsageRepository.deleteOlderThan), and so does
 * a fold that starts a run, for the run before it, emptied while it was the newest (migration
 * 0012). The writer forgets a dropped run's filter as its next transaction begins.
 */
export const DROP_EMPTIED_RUNS_SQL = `delete from usage_event_id_runs
  where run > 0
    and run < (select max(run) from usage_event_id_runs)
    and not exists (select 1 from usage_event_ids as i where i.run = usage_event_id_runs.run)`;

export const EVENT_ID_INDEX_SOURCE = `
// steward_id_hash(organization_id, id): a 53-bit hash (two 32-bit FNV-1a lanes, each finished
// with murmur3's mixer) that keys the usage events' id index on SQLite (migration 0009). It only
// narrows the search: the index's entries point at their events, whose ids are compared. Stored
// hashes must stay valid: never change this function, add another.
function idHash(organizationId, id) {
  const text = organizationId + "\\u0000" + id;
  let a = 0x811c9dc5;
  let b = 0x050c5d1f;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  a ^= a >>> 16; a = Math.imul(a, 0x85ebca6b); a ^= a >>> 13; a = Math.imul(a, 0xc2b2ae35); a ^= a >>> 16;
  b ^= b >>> 16; b = Math.imul(b, 0x85ebca6b); b ^= b >>> 13; b = Math.imul(b, 0xc2b2ae35); b ^= b >>> 16;
  return (a >>> 0) * 2097152 + (b >>> 11);
}

const RECENT_FOLD_AT = workerData.recentIdsFoldAt || 262144;
// A run takes the entries of up to this many folds, and its filter is sized for them all: fewer
// runs, so fewer filters to ask for each event. A fold's entries land among the run's earlier ones,
// which dirties up to the whole run (at most 2 million entries, about 40 MB), not the whole index.
const FOLDS_PER_RUN = 8;
// 12 to 24 bits an entry (blocks are counted in powers of two): about 1 false positive in 200 at
// worst.
const FILTER_BITS_PER_ENTRY = 12;

const recent = { seqs: new Map(), ready: false, seenMaxSeq: 0, touched: false };
const runs = { filters: new Map(), overflow: new Set(), mark: 0, filling: undefined };
// This section's statements: apart from the shared cache, whose statements' modes queries set.
const recentStatements = new Map();

function recentStatement(sql) {
  let prepared = recentStatements.get(sql);
  if (prepared === undefined) {
    prepared = db.prepare(sql);
    recentStatements.set(sql, prepared);
  }
  return prepared;
}

// A blocked Bloom filter: a hash sets 8 bits in one 512-bit block (one cache line), chosen by the
// hash's high 32 bits (FNV lane a); the bits come from its low 21 (lane b). Bytes, not wider
// words, so that the stored filter reads the same on any machine.
function newFilter(entries) {
  let blocks = 1;
  while (blocks * 512 < entries * FILTER_BITS_PER_ENTRY) blocks *= 2;
  return new Uint8Array(blocks * 64);
}

// Whether the hash's 8 bits are all set; with add, sets those that are not.
function filterBits(filter, hash, add) {
  const base = ((hash / 2097152) & ((filter.length >>> 6) - 1)) << 6;
  const low = hash % 2097152;
  const step = (low >>> 9) | 1;
  let all = true;
  for (let i = 0, bit = low & 511; i < 8; i++, bit = (bit + step) & 511) {
    const byte = base + (bit >>> 3);
    const mask = 1 << (bit & 7);
    if ((filter[byte] & mask) === 0) {
      if (!add) return false;
      filter[byte] |= mask;
      all = false;
    }
  }
  return all;
}

function filterAdd(filter, hash) {
  filterBits(filter, hash, true);
}

function filterHas(filter, hash) {
  return filterBits(filter, hash, false);
}

// steward_recent_seq(hash): the seq the map holds for a hash, or null.
function recentSeq(hash) {
  const seq = recent.seqs.get(hash);
  return seq === undefined ? null : seq;
}

// steward_recent_add(hash, seq), from the insert trigger: 0 when another seq holds the hash, and
// the trigger then writes the entry to run 0.
function recentAdd(hash, seq) {
  recent.touched = true;
  const held = recent.seqs.get(hash);
  if (held === undefined) {
    recent.seqs.set(hash, seq);
    return 1;
  }
  if (held === seq) return 1;
  runs.overflow.add(hash);
  return 0;
}

// steward_id_runs(hash): the runs that may hold the hash, as a JSON array, or null for none.
function idRuns(hash) {
  let found = runs.overflow.has(hash) ? "0" : "";
  for (const [run, filter] of runs.filters) {
    if (filterHas(filter, hash)) found = found === "" ? String(run) : found + "," + run;
  }
  return found === "" ? null : "[" + found + "]";
}

// One usage event's insert (UsageRepository.insertNew): \`checked\` takes the event's organization
// and id for its hash, then every column, and stores the event unless one with its id is stored;
// \`unchecked\` takes the hash, then every column but the repeated two, and stores it. An event
// whose hash neither the map nor any run's filter holds is new for certain (nearly every event):
// it goes through \`unchecked\`, without the duplicate checks' subqueries and their three calls
// back into JavaScript per event, which were a third of the insert's cost. For any other, checked
// decides, as it would have alone. The insert trigger still adds the hash to the map.
const uncheckedParams = [];
function insertEvent(checked, unchecked, params) {
  if (!recent.ready) return checked.run(params).changes;
  const hash = idHash(params[0], params[1]);
  if (recent.seqs.has(hash) || idRuns(hash) !== null) return checked.run(params).changes;
  uncheckedParams.length = params.length - 1;
  uncheckedParams[0] = hash;
  for (let i = 2; i < params.length; i++) uncheckedParams[i - 1] = params[i];
  return unchecked.run(uncheckedParams).changes;
}

function maxEventSeq() {
  return recentStatement("select coalesce(max(seq), 0) from usage_events").pluck().get();
}

function foldMark() {
  return recentStatement("select seq from usage_event_ids_folded").pluck().get();
}

// The fold's mark, and how many runs (past run 0) are listed: in one statement, as every
// transaction begins.
function indexMarks() {
  return recentStatement(
    "select (select seq from usage_event_ids_folded), (select count(*) from usage_event_id_runs where run > 0)",
  ).raw(true).get();
}

function highestRun() {
  return recentStatement("select coalesce(max(run), 0) from usage_event_id_runs").pluck().get();
}

// Loads every run's filter, building (and storing) those a migration left without one. Returns
// whether it wrote.
function loadRuns() {
  runs.filters.clear();
  runs.filling = undefined;
  runs.overflow = new Set(
    recentStatement("select id_hash from usage_event_ids where run = 0").pluck().all(),
  );
  let wrote = false;
  const listed = recentStatement(
    "select run, folds, entries, capacity, filter from usage_event_id_runs where run > 0 order by run",
  ).raw(true).all();
  for (const [run, folds, entries, capacity, bytes] of listed) {
    let filter;
    if (bytes === null) {
      filter = buildFilter(run, entries);
      wrote = true;
    } else {
      filter = new Uint8Array(bytes);
    }
    runs.filters.set(run, filter);
    runs.filling = folds < FOLDS_PER_RUN ? { run, folds, entries, capacity, filter } : undefined;
  }
  runs.mark = foldMark();
  return wrote;
}

function buildFilter(run, entries) {
  const filter = newFilter(entries);
  const hashes = recentStatement("select id_hash from usage_event_ids where run = ?").pluck();
  for (const hash of hashes.iterate(run)) filterAdd(filter, hash);
  recentStatement("update usage_event_id_runs set filter = ? where run = ?").run(filter, run);
  return filter;
}

// Drops the filters of the runs no longer listed: retention drops a run whose events it has all
// deleted (migration 0012). The run being filled, the newest, is never one.
function forgetDroppedRuns() {
  const listed = new Set(
    recentStatement("select run from usage_event_id_runs where run > 0").pluck().all(),
  );
  for (const run of runs.filters.keys()) {
    if (!listed.has(run)) runs.filters.delete(run);
  }
}

// The map's entries, added to the run being filled (or a new one) in hash order, with its filter;
// the mark moves to the newest event.
function fold(max) {
  // The hashes sorted in a typed array (a map entry is one seq, so they are distinct): 262,144
  // [hash, seq] pairs were 20 MB for the collector, and the worker kept the heap they grew.
  const hashes = Float64Array.from(recent.seqs.keys()).sort();
  let target = runs.filling;
  if (target === undefined || target.entries + hashes.length > target.capacity) {
    const capacity = Math.max(FOLDS_PER_RUN * RECENT_FOLD_AT, hashes.length);
    target = { run: highestRun() + 1, folds: 0, entries: 0, capacity, filter: newFilter(capacity) };
    recentStatement(
      "insert into usage_event_id_runs (run, folds, entries, capacity) values (?, 0, 0, ?)",
    ).run(target.run, capacity);
    // The run before goes if retention emptied it while it was the newest, which retention keeps.
    recentStatement(${JSON.stringify(DROP_EMPTIED_RUNS_SQL)}).run();
  }
  // Or ignore: another process may have folded some of the same events into this run.
  const insert = recentStatement(
    "insert or ignore into usage_event_ids (run, id_hash, seq) values (?, ?, ?)",
  );
  for (const hash of hashes) {
    insert.run(target.run, hash, recent.seqs.get(hash));
    filterAdd(target.filter, hash);
  }
  target.folds++;
  target.entries += hashes.length;
  recentStatement(
    "update usage_event_id_runs set folds = ?, entries = ?, filter = ? where run = ?",
  ).run(target.folds, target.entries, target.filter, target.run);
  recentStatement("update usage_event_ids_folded set seq = ?").run(max);
  runs.filters.set(target.run, target.filter);
  runs.filling = target.folds < FOLDS_PER_RUN ? target : undefined;
  runs.mark = max;
}

// Right after a transaction's begin immediate: catches up with what another process stored, and
// folds.
function syncRecentIds() {
  let wrote = false;
  if (!recent.ready) {
    const found = recentStatement(
      "select count(*) from sqlite_master where type = 'table' and name = 'usage_event_id_runs'",
    ).pluck().get();
    if (found === 0) return; // not migrated yet
    recent.ready = true;
    recent.seenMaxSeq = foldMark();
    wrote = loadRuns();
  } else {
    const [mark, listed] = indexMarks();
    if (mark !== runs.mark) {
      // Another process folded (or the newest events were deleted): the filters it stored count.
      wrote = loadRuns();
    } else if (listed !== runs.filters.size) {
      forgetDroppedRuns();
    }
  }
  for (;;) {
    const max = maxEventSeq();
    if (max > recent.seenMaxSeq) {
      const rows = recentStatement("select id_hash, seq from usage_events where seq > ?")
        .raw(true)
        .all(recent.seenMaxSeq);
      for (const [hash, seq] of rows) {
        if (recentAdd(hash, seq) === 0) {
          recentStatement(
            "insert or ignore into usage_event_ids (run, id_hash, seq) values (0, ?, ?)",
          ).run(hash, seq);
          wrote = true;
        }
      }
    }
    const folding = recent.seqs.size >= RECENT_FOLD_AT;
    if (folding) {
      fold(max);
      wrote = true;
    }
    if (!wrote) {
      recent.seenMaxSeq = max;
      return;
    }
    // Committed on their own: the transaction that follows may roll back.
    statement("commit").run();
    if (folding) recent.seqs.clear();
    recent.seenMaxSeq = max;
    wrote = false;
    statement("begin immediate").run();
  }
}

// A transaction that stored events commits: every event up to the newest is accounted for.
function commitKeepingRecentIds(prepared, params) {
  if (!recent.ready || !recent.touched || !db.inTransaction) return prepared.run(params);
  const max = maxEventSeq();
  const result = prepared.run(params);
  recent.seenMaxSeq = max;
  recent.touched = false;
  return result;
}
`;
