/**
 * The spend ledger in Redis, shared by every node: reserve (check every scope, then reserve on
 * all) is one Lua script, settle is one, so N nodes admit exactly what one node would.
 *
 * Keys (under SharedRedis's prefix):
 * - `spend:gen`: the generation, created with SET NX at first use. Redis restarted empty has
 *   none, so the next script creates a new one and every node learns that the data was lost.
 * - `spend:seeded:<month>`: when the month's accounts were seeded from the database (epoch ms of
 *   the start of the read). No reservation is made in an unseeded month: the node that finds it
 *   so reads the rollups and seeds, set-if-absent, so two nodes seeding at once do not double it.
 * - `spend:acct:<month>`: a HASH of `s:<scope>` (spent) and `r:<scope>` (reserved) nano-dollars.
 *   It and the stamp expire `accountRetentionMs` after the month ends.
 * - `spend:resv` (ZSET id → deadline) and `spend:resv:amounts` (HASH id → amount, month, scopes):
 *   reservations in flight. A node that dies leaves its reservations behind; the reserve script
 *   releases those past their deadline (the upstream timeout plus a margin) first, and keeps
 *   them a while as tombstones (`spend:expired`, `spend:expired:amounts`) so that a request that
 *   outlived its deadline (a long stream) still has its cost counted when it settles.
 * - `spend:batch:<id>`: batches of spend applied (usage ingested here, or settled while Redis was
 *   unreachable), so that a batch sent again is applied once.
 *
 * Every script is safe to run twice: a settle is keyed by its reservation's id, a batch by its
 * id, a seed is set-if-absent, and a reserve that ran unanswered only holds its amount until its
 * deadline. That matters because a command that timed out may still run, and ioredis resends
 * unanswered commands after a reconnect. Times (deadlines, stamps, expiries) are the ledger's
 * clock, not Redis's: nodes' clocks are assumed synchronized well within the deadline margin.
 * The scripts build account keys of other months from the prefix, so this is for one Redis (or
 * a replicated pair), not Redis Cluster.
 *
 * The methods reject when Redis fails; `SharedSpendLedger` (src/gateway/shared-spend-ledger.ts)
 * turns that into the degraded policy, and is what the gateway uses.
 */
import type { Clock } from "../core/ports.js";
import type {
  Reservation,
  ReserveResult,
  SpendLedger,
  SpendScope,
  SpendSeedSource,
} from "../gateway/spend-ledger.js";
import type { SharedRedis } from "./connection.js";

export interface RedisSpendLedgerOptions {
  clock: Clock;
  /** This month's spend from the database, to seed an unseeded month. */
  seedSource: SpendSeedSource;
  /** A reservation not settled by then is released: the upstream timeout plus a margin. */
  reservationTtlMs: number;
  /** How long an expired reservation's late settlement still counts. Default a day. */
  tombstoneMs?: number;
  /** How long a month's accounts are kept after it ends. Default 7 days. */
  accountRetentionMs?: number;
  /** After a failed seed (the database unreachable), reserve fails at once for this long. */
  seedRetryMs?: number;
}

/** Spend to apply in one step, once (see `applyBatch`). */
export interface SpendBatch {
  id: string;
  /**
   * Amounts added to a month's scope, each with when its first part was counted (epoch ms): a
   * month seeded later read it from the database already.
   */
  deltas: Array<{ month: string; key: string; nanos: number; since: number }>;
  /** Reservations settled while Redis could not be reached. */
  settles: Array<{ id: string; month: string; nanos: number }>;
}

export interface BatchOutcome {
  duplicate: boolean;
  /** Deltas applied, and dropped because their month was seeded after them (or not at all). */
  applied: number;
  dropped: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

// Lua: an entry of spend:resv:amounts is "nanos\nmonth\nscope\nscope…".
const LUA_PARSE = `
local function parse(entry)
  local parts = {}
  for part in string.gmatch(entry, '[^\\n]+') do parts[#parts + 1] = part end
  return parts
end
local function generation(key, proposed)
  local gen = redis.call('GET', key)
  if not gen then
    redis.call('SET', key, proposed)
    gen = proposed
  end
  return gen
end
-- Settles reservation id with actual nanos: a live one releases its amount and counts the cost, a
-- tombstone (expired) only counts the cost, an unknown one (settled already, or lost with the
-- data) nothing. Returns 1 when counted.
local function settle(resv_z, resv_h, exp_z, exp_h, acct_prefix, id, actual)
  local entry = redis.call('HGET', resv_h, id)
  local live = true
  if not entry then
    entry = redis.call('HGET', exp_h, id)
    live = false
    if not entry then return 0 end
  end
  local parts = parse(entry)
  local acct = acct_prefix .. parts[2]
  for i = 3, #parts do
    if live and parts[1] ~= '0' then redis.call('HINCRBY', acct, 'r:' .. parts[i], '-' .. parts[1]) end
    redis.call('HINCRBY', acct, 's:' .. parts[i], actual)
  end
  if live then
    redis.call('HDEL', resv_h, id)
    redis.call('ZREM', resv_z, id)
  else
    redis.call('HDEL', exp_h, id)
    redis.call('ZREM', exp_z, id)
  end
  return 1
end
`;

// KEYS: gen, stamp, acct, resv_z, resv_h, exp_z, exp_h
// ARGV: proposed gen, now, id, nanos, deadline, acct ttl, tombstone ms, acct prefix, month,
//       then per scope: key, limit ('' for none)
const RESERVE = `${LUA_PARSE}
local gen = generation(KEYS[1], ARGV[1])
if redis.call('EXISTS', KEYS[2]) == 0 then return {gen, 'unseeded'} end
local now = tonumber(ARGV[2])
-- Release reservations past their deadline (their node died, or the request outlived it).
local expired = redis.call('ZRANGEBYSCORE', KEYS[4], '-inf', now, 'LIMIT', 0, 100)
for _, id in ipairs(expired) do
  local entry = redis.call('HGET', KEYS[5], id)
  if entry then
    local parts = parse(entry)
    local acct = ARGV[8] .. parts[2]
    if parts[1] ~= '0' and redis.call('EXISTS', acct) == 1 then
      for i = 3, #parts do redis.call('HINCRBY', acct, 'r:' .. parts[i], '-' .. parts[1]) end
    end
    redis.call('HSET', KEYS[7], id, entry)
    redis.call('ZADD', KEYS[6], now, id)
    redis.call('HDEL', KEYS[5], id)
  end
  redis.call('ZREM', KEYS[4], id)
end
local forgotten = redis.call('ZRANGEBYSCORE', KEYS[6], '-inf', now - tonumber(ARGV[7]), 'LIMIT', 0, 100)
for _, id in ipairs(forgotten) do
  redis.call('HDEL', KEYS[7], id)
  redis.call('ZREM', KEYS[6], id)
end
local nanos = tonumber(ARGV[4])
local reply = {gen, 'ok'}
for i = 10, #ARGV, 2 do
  local spent = tonumber(redis.call('HGET', KEYS[3], 's:' .. ARGV[i]) or '0')
  local reserved = tonumber(redis.call('HGET', KEYS[3], 'r:' .. ARGV[i]) or '0')
  if ARGV[i + 1] ~= '' then
    local limit = tonumber(ARGV[i + 1])
    if spent + reserved + nanos > limit then return {gen, 'refused', ARGV[i], spent, limit} end
  end
  reply[#reply + 1] = spent
end
local entry = ARGV[4] .. '\\n' .. ARGV[9]
for i = 10, #ARGV, 2 do
  redis.call('HINCRBY', KEYS[3], 'r:' .. ARGV[i], ARGV[4])
  entry = entry .. '\\n' .. ARGV[i]
end
redis.call('HSET', KEYS[5], ARGV[3], entry)
redis.call('ZADD', KEYS[4], tonumber(ARGV[5]), ARGV[3])
redis.call('PEXPIRE', KEYS[3], ARGV[6])
return reply
`;

// KEYS: resv_z, resv_h, exp_z, exp_h, acct;  ARGV: id, actual, acct prefix, acct ttl
const SETTLE = `${LUA_PARSE}
local counted = settle(KEYS[1], KEYS[2], KEYS[3], KEYS[4], ARGV[3], ARGV[1], ARGV[2])
if counted == 1 then redis.call('PEXPIRE', KEYS[5], ARGV[4]) end
return counted
`;

// KEYS: gen, stamp, acct;  ARGV: proposed gen, stamp ms, ttl, then pairs scope, nanos
const SEED = `${LUA_PARSE}
local gen = generation(KEYS[1], ARGV[1])
if redis.call('EXISTS', KEYS[2]) == 1 then return {gen, 0} end
for i = 4, #ARGV, 2 do
  redis.call('HSET', KEYS[3], 's:' .. ARGV[i], ARGV[i + 1])
end
redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
if redis.call('EXISTS', KEYS[3]) == 1 then redis.call('PEXPIRE', KEYS[3], ARGV[3]) end
return {gen, 1}
`;

// KEYS: gen, batch marker, resv_z, resv_h, exp_z, exp_h
// ARGV: proposed gen, marker ttl, acct prefix, stamp prefix, delta count,
//       deltas (month, scope, nanos, ttl, since)…, then settles (id, nanos)…
const APPLY_BATCH = `${LUA_PARSE}
local gen = generation(KEYS[1], ARGV[1])
if not redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[2]) then return {gen, 'duplicate', 0, 0} end
local applied, dropped = 0, 0
local last = 5 + 5 * tonumber(ARGV[5])
for i = 6, last, 5 do
  -- A month seeded (from the database) after these amounts were first counted has them already,
  -- or some of them; an unseeded one will read them from the database when it is seeded.
  local stamp = redis.call('GET', ARGV[4] .. ARGV[i])
  if stamp and tonumber(stamp) <= tonumber(ARGV[i + 4]) then
    local acct = ARGV[3] .. ARGV[i]
    redis.call('HINCRBY', acct, 's:' .. ARGV[i + 1], ARGV[i + 2])
    redis.call('PEXPIRE', acct, ARGV[i + 3])
    applied = applied + 1
  else
    dropped = dropped + 1
  end
end
for i = last + 1, #ARGV, 2 do
  settle(KEYS[3], KEYS[4], KEYS[5], KEYS[6], ARGV[3], ARGV[i], ARGV[i + 1])
end
return {gen, 'applied', applied, dropped}
`;

// KEYS: gen;  ARGV: proposed gen
const GENERATION = `${LUA_PARSE}
return generation(KEYS[1], ARGV[1])
`;

type Script = (...args: Array<string | number>) => Promise<unknown>;

interface Scripts {
  reserve: Script;
  settle: Script;
  seed: Script;
  applyBatch: Script;
  generation: Script;
}

/** Defines the scripts on the node's client once (EVALSHA, with EVAL after a Redis restart). */
function scriptsOf(redis: SharedRedis): Scripts {
  const client = redis.client as unknown as Record<string, Script | undefined> & {
    defineCommand(name: string, definition: { numberOfKeys: number; lua: string }): void;
  };
  const define = (name: string, numberOfKeys: number, lua: string): Script => {
    const command = `stewardSpend${name}`;
    if (client[command] === undefined) {
      client.defineCommand(command, { numberOfKeys, lua });
    }
    const script = client[command] as Script;
    return (...args) => script.apply(client, args);
  };
  return {
    reserve: define("Reserve", 7, RESERVE),
    settle: define("Settle", 5, SETTLE),
    seed: define("Seed", 3, SEED),
    applyBatch: define("ApplyBatch", 6, APPLY_BATCH),
    generation: define("Generation", 1, GENERATION),
  };
}

/** The instant (epoch ms) a month's accounts may be dropped: its end plus the retention. */
function expiryOf(month: string, retentionMs: number): number {
  const year = Number(month.slice(0, 4));
  const index = Number(month.slice(5, 7)); // 1-based: Date.UTC's next month
  return Date.UTC(year, index, 1) + retentionMs;
}

export class RedisSpendLedger implements SpendLedger {
  readonly #redis: SharedRedis;
  readonly #scripts: Scripts;
  readonly #clock: Clock;
  readonly #seedSource: SpendSeedSource;
  readonly #reservationTtlMs: number;
  readonly #tombstoneMs: number;
  readonly #retentionMs: number;
  readonly #seedRetryMs: number;
  readonly #keys: {
    gen: string;
    resvZ: string;
    resvH: string;
    expZ: string;
    expH: string;
    acctPrefix: string;
    stampPrefix: string;
    batchPrefix: string;
  };
  /** Generation proposed should Redis have none; replaced once used. */
  #proposal: string;
  #proposals = 0;
  #generation: string | undefined;
  #sequence = 0;
  readonly #seeding = new Map<string, Promise<void>>();
  #seedFailedAt = Number.NEGATIVE_INFINITY;
  /** The spent of each scope as Redis last said, for the current month. */
  #seen = new Map<string, number>();
  #seenMonth = "";
  readonly #generationListeners = new Set<(generation: string, previous: string) => void>();

  constructor(redis: SharedRedis, options: RedisSpendLedgerOptions) {
    this.#redis = redis;
    this.#scripts = scriptsOf(redis);
    this.#clock = options.clock;
    this.#seedSource = options.seedSource;
    this.#reservationTtlMs = options.reservationTtlMs;
    this.#tombstoneMs = options.tombstoneMs ?? DAY_MS;
    this.#retentionMs = options.accountRetentionMs ?? 7 * DAY_MS;
    this.#seedRetryMs = options.seedRetryMs ?? 1_000;
    this.#keys = {
      gen: redis.key("spend:gen"),
      resvZ: redis.key("spend:resv"),
      resvH: redis.key("spend:resv:amounts"),
      expZ: redis.key("spend:expired"),
      expH: redis.key("spend:expired:amounts"),
      acctPrefix: redis.key("spend:acct:"),
      stampPrefix: redis.key("spend:seeded:"),
      batchPrefix: redis.key("spend:batch:"),
    };
    this.#proposal = this.#newProposal();
  }

  /** The generation last seen, undefined before the first answer. */
  get generation(): string | undefined {
    return this.#generation;
  }

  /** Calls `listener` when Redis's generation changes (it lost its data); returns the unsubscribe. */
  onGenerationChange(listener: (generation: string, previous: string) => void): () => void {
    this.#generationListeners.add(listener);
    return () => this.#generationListeners.delete(listener);
  }

  /** The scope's spent in the month as Redis last said (undefined if never heard this month). */
  seenSpent(key: string, month: string): number | undefined {
    return month === this.#seenMonth ? this.#seen.get(key) : undefined;
  }

  /** Reads the scopes' spent in the month again, so that `seenSpent` has what Redis has now. */
  async refreshSeen(month: string, keys: readonly string[]): Promise<void> {
    if (keys.length === 0) {
      return;
    }
    const replies = await this.#redis.client
      .multi()
      .exists(this.#keys.stampPrefix + month)
      .hmget(this.#keys.acctPrefix + month, ...keys.map((key) => `s:${key}`))
      .exec();
    const failure = replies?.find(([error]) => error !== null)?.[0];
    if (failure) {
      throw failure;
    }
    if (month !== this.#seenMonth) {
      this.#seen = new Map();
      this.#seenMonth = month;
    }
    const seeded = Number(replies?.[0]?.[1] ?? 0) === 1;
    const values = (replies?.[1]?.[1] ?? []) as Array<string | null>;
    for (const [i, key] of keys.entries()) {
      if (seeded) {
        this.#seen.set(key, Number(values[i] ?? 0));
      } else {
        this.#seen.delete(key); // unseeded (Redis lost its data): nothing to go by
      }
    }
  }

  async reserve(
    scopes: SpendScope[],
    estimateNanos: number,
    month: string,
  ): Promise<ReserveResult> {
    let reply = await this.#reserveOnce(scopes, estimateNanos, month);
    if (reply === "unseeded") {
      await this.#seed(month);
      reply = await this.#reserveOnce(scopes, estimateNanos, month);
      if (reply === "unseeded") {
        throw new Error(`spend ledger: month ${month} still unseeded after seeding`);
      }
    }
    return reply;
  }

  async settle(reservation: Reservation, actualNanos: number): Promise<void> {
    if (reservation.id === undefined) {
      throw new TypeError("spend ledger: a reservation without an id was not made in Redis");
    }
    const k = this.#keys;
    await this.#scripts.settle(
      k.resvZ,
      k.resvH,
      k.expZ,
      k.expH,
      k.acctPrefix + reservation.month,
      reservation.id,
      Math.round(actualNanos),
      k.acctPrefix,
      this.#ttlOf(reservation.month),
    );
  }

  /** Adds ingested spend, once (a batch of its own, so a resent command does not add twice). */
  async add(keys: readonly string[], month: string, nanos: number): Promise<void> {
    const since = this.#clock.now().getTime();
    await this.applyBatch({
      id: this.nextId("b"),
      deltas: keys.map((key) => ({ month, key, nanos, since })),
      settles: [],
    });
  }

  async spent(key: string, month: string): Promise<number> {
    const k = this.#keys;
    const read = async () =>
      this.#redis.client
        .multi()
        .exists(k.stampPrefix + month)
        .hget(k.acctPrefix + month, `s:${key}`)
        .exec();
    let replies = await read();
    if (Number(replies?.[0]?.[1] ?? 0) === 0) {
      await this.#seed(month);
      replies = await read();
    }
    const failure = replies?.find(([error]) => error !== null)?.[0];
    if (failure) {
      throw failure;
    }
    return Number(replies?.[1]?.[1] ?? 0);
  }

  /**
   * Seeds the month from `totals` (read from the database starting at `stampMs`) unless it is
   * seeded already: the first seed wins, whichever node made it.
   */
  async seedIfAbsent(
    month: string,
    totals: ReadonlyArray<{ key: string; nanos: number }>,
    stampMs: number,
  ): Promise<void> {
    const k = this.#keys;
    const args: Array<string | number> = [
      k.gen,
      k.stampPrefix + month,
      k.acctPrefix + month,
      this.#proposal,
      stampMs,
      this.#ttlOf(month),
    ];
    for (const total of totals) {
      args.push(total.key, Math.round(total.nanos));
    }
    const reply = (await this.#scripts.seed(...args)) as [string, number];
    this.#observeGeneration(reply[0]);
  }

  /**
   * Applies a batch of spend in one step, once per batch id: a delta counts only in a month
   * seeded no later than its `since` (a later seed read it from the database already), and the
   * settles count like `settle`.
   */
  async applyBatch(batch: SpendBatch): Promise<BatchOutcome> {
    const k = this.#keys;
    let ttl = DAY_MS;
    const args: Array<string | number> = [
      k.gen,
      k.batchPrefix + batch.id,
      k.resvZ,
      k.resvH,
      k.expZ,
      k.expH,
      this.#proposal,
      0, // the marker's time to live, set below
      k.acctPrefix,
      k.stampPrefix,
      batch.deltas.length,
    ];
    for (const delta of batch.deltas) {
      const deltaTtl = this.#ttlOf(delta.month);
      ttl = Math.max(ttl, deltaTtl);
      args.push(delta.month, delta.key, Math.round(delta.nanos), deltaTtl, delta.since);
    }
    for (const settle of batch.settles) {
      ttl = Math.max(ttl, this.#ttlOf(settle.month));
      args.push(settle.id, Math.round(settle.nanos));
    }
    args[7] = ttl;
    const reply = (await this.#scripts.applyBatch(...args)) as [string, string, number, number];
    this.#observeGeneration(reply[0]);
    return { duplicate: reply[1] === "duplicate", applied: reply[2], dropped: reply[3] };
  }

  /** Asks Redis its generation (creating it if it has none): a cheap check that Redis answers. */
  async probe(): Promise<string> {
    const generation = (await this.#scripts.generation(this.#keys.gen, this.#proposal)) as string;
    this.#observeGeneration(generation);
    return generation;
  }

  /** An id unique across nodes and runs: the node's id and a counter. */
  nextId(kind: string): string {
    this.#sequence += 1;
    return `${this.#redis.nodeId}:${kind}${this.#sequence}`;
  }

  async #reserveOnce(
    scopes: SpendScope[],
    estimateNanos: number,
    month: string,
  ): Promise<ReserveResult | "unseeded"> {
    const k = this.#keys;
    const now = this.#clock.now().getTime();
    const id = this.nextId("r");
    const nanos = Math.round(estimateNanos);
    const args: Array<string | number> = [
      k.gen,
      k.stampPrefix + month,
      k.acctPrefix + month,
      k.resvZ,
      k.resvH,
      k.expZ,
      k.expH,
      this.#proposal,
      now,
      id,
      nanos,
      now + this.#reservationTtlMs,
      this.#ttlOf(month),
      this.#tombstoneMs,
      k.acctPrefix,
      month,
    ];
    for (const scope of scopes) {
      args.push(scope.key, scope.limitNanos === null ? "" : Math.round(scope.limitNanos));
    }
    const reply = (await this.#scripts.reserve(...args)) as Array<string | number>;
    this.#observeGeneration(reply[0] as string);
    if (reply[1] === "unseeded") {
      return "unseeded";
    }
    if (month !== this.#seenMonth) {
      this.#seen = new Map();
      this.#seenMonth = month;
    }
    if (reply[1] === "refused") {
      const scope = reply[2] as string;
      const spentNanos = Number(reply[3]);
      this.#seen.set(scope, spentNanos);
      return { ok: false, scope, spentNanos, limitNanos: Number(reply[4]) };
    }
    for (let i = 0; i < scopes.length; i++) {
      this.#seen.set((scopes[i] as SpendScope).key, Number(reply[2 + i]));
    }
    return {
      ok: true,
      reservation: { month, keys: scopes.map((s) => s.key), nanos, id },
    };
  }

  /** Seeds the month from the database, once at a time per month on this node. */
  #seed(month: string): Promise<void> {
    let seeding = this.#seeding.get(month);
    if (seeding) {
      return seeding;
    }
    if (this.#clock.now().getTime() - this.#seedFailedAt < this.#seedRetryMs) {
      return Promise.reject(new Error("spend ledger: seeding failed moments ago; not retried yet"));
    }
    seeding = (async () => {
      try {
        const stampMs = this.#clock.now().getTime();
        const totals = await this.#seedSource(month);
        await this.seedIfAbsent(month, totals, stampMs);
      } catch (error) {
        this.#seedFailedAt = this.#clock.now().getTime();
        throw error;
      } finally {
        this.#seeding.delete(month);
      }
    })();
    this.#seeding.set(month, seeding);
    return seeding;
  }

  /**
   * How long a month's keys live from now (the ledger's clock, not Redis's): to its end plus the
   * retention, and at least an hour (a late settlement of a month long gone).
   */
  #ttlOf(month: string): number {
    return Math.max(
      60 * 60 * 1000,
      expiryOf(month, this.#retentionMs) - this.#clock.now().getTime(),
    );
  }

  #observeGeneration(generation: string): void {
    if (generation === this.#proposal) {
      this.#proposal = this.#newProposal(); // used: a later loss must make a new one
    }
    const previous = this.#generation;
    if (generation === previous) {
      return;
    }
    this.#generation = generation;
    if (previous === undefined) {
      return;
    }
    this.#seen = new Map(); // numbers from the lost data
    for (const listener of this.#generationListeners) {
      listener(generation, previous);
    }
  }

  #newProposal(): string {
    this.#proposals += 1;
    return `${this.#redis.nodeId}:g${this.#proposals}:${Date.now()}`;
  }
}
