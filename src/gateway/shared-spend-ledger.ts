/**
 * The spend ledger of a node among several: Redis (RedisSpendLedger) while it answers, a local
 * share of each limit while it does not. Redis down, slow (a call past SharedRedis's command
 * timeout) or failing never turns into a 5xx or a refusal of a request within its limit, and no
 * spend is lost or counted twice.
 *
 * Degraded policy. When a call fails, or Redis is known down (then it is not asked at all), the
 * node enforces from a local tally of what it spent since it last heard from Redis: it admits a
 * request only while that tally (settled + reserved + estimate) stays within its share
 *
 *     share = (limit − lastKnownSpent) / liveNodes
 *
 * where lastKnownSpent is the scope's spent as Redis last told this node (the database's total at
 * start, before Redis ever answered) and liveNodes the last count of the node heartbeat. With every
 * node degraded, the N nodes together add at most Σ (limit − L_i)/N ≤ limit − min L_i to the
 * spent S Redis had: the total stays ≤ limit + (S − min L_i), i.e. within the limit but for what
 * was spent after a node's last look, plus the requests in flight when Redis went (as on one
 * node). When only some nodes are cut off, the connected ones enforce the whole limit on Redis's
 * count, which lacks the cut-off nodes' spend until they return: the overshoot is then at most
 * the cut-off nodes' shares.
 *
 * What is settled or added while degraded is kept in batches (each with an id) and applied when
 * Redis answers again, before the node uses Redis for admission again: once (the batch id; a
 * settlement also by its reservation's id), and an amount not at all in a month seeded after it
 * was first counted (Redis lost its data — a new generation, logged — and the month was seeded
 * again from the database, which has that usage already). What Redis's count may then lack, an
 * undercount never a double count: usage still in a recorder's queue when a month is seeded
 * again, amounts counted in the few seconds (SEAL_AFTER_MS) before that seed, and what a node
 * that stops while Redis is still away had kept (the database has it; Redis's count gets it when
 * the month is next seeded).
 */
import type { Logger } from "../core/logger.js";
import { monthOf } from "../core/months.js";
import type { Clock } from "../core/ports.js";
import type { SharedRedis } from "../redis/connection.js";
import type { RedisSpendLedger, SpendBatch } from "../redis/spend-ledger.js";
import {
  MemorySpendLedger,
  type Reservation,
  type ReserveResult,
  type SpendLedger,
  type SpendScope,
  type SpendSeedSource,
} from "./spend-ledger.js";

export interface SharedSpendLedgerOptions {
  clock: Clock;
  log: Logger;
  /** This month's spend from the database: what the node knows before Redis answers. */
  seedSource: SpendSeedSource;
  /** How often a degraded node tries Redis again (also on reconnection). Default 1 s. */
  retryIntervalMs?: number;
  /** Counts each reservation answered from the local share: Redis down, or a call failed. */
  onFallback?: (reason: "down" | "failed") => void;
}

/** A reservation made from the local share, while Redis did not answer. */
interface LocalReservation extends Reservation {
  episode: MemorySpendLedger;
}

/** Spend counted here and not yet applied to Redis. */
interface OpenBatch {
  /** When it was opened: a degraded node seals it after SEAL_AFTER_MS. */
  openedAt: number;
  deltas: Map<string, SpendBatch["deltas"][number]>;
  settles: SpendBatch["settles"];
}

/**
 * While Redis is away, the open batch is sealed this often, so that a delta's `since` is at most
 * this old: a month seeded again meanwhile drops only what was counted before its seed (which
 * the database has) and what falls in one such window.
 */
const SEAL_AFTER_MS = 5_000;

export type SpendLedgerMode = "shared" | "degraded";

export class SharedSpendLedger implements SpendLedger {
  readonly #remote: RedisSpendLedger;
  readonly #redis: SharedRedis;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #seedSource: SpendSeedSource;
  readonly #retryIntervalMs: number;
  readonly #onFallback: (reason: "down" | "failed") => void;
  #degraded = false;
  /** What this node spent and reserved since it went degraded, against its shares. */
  #episode: MemorySpendLedger | undefined;
  /** Scopes the episode touched, read again from Redis when it ends. */
  #episodeKeys = new Set<string>();
  #open: OpenBatch | undefined;
  readonly #sealed: SpendBatch[] = [];
  #flushing: Promise<void> | undefined;
  #flushAgain = false;
  #recovering: Promise<void> | undefined;
  readonly #inflight = new Set<Promise<void>>();
  #retryTimer: NodeJS.Timeout | undefined;
  /** The database's totals at start, for the month they were read in. */
  #started: { month: string; spent: Map<string, number> } = { month: "", spent: new Map() };
  readonly #unsubscribe: Array<() => void> = [];
  #closed = false;

  constructor(remote: RedisSpendLedger, redis: SharedRedis, options: SharedSpendLedgerOptions) {
    this.#remote = remote;
    this.#redis = redis;
    this.#clock = options.clock;
    this.#log = options.log;
    this.#seedSource = options.seedSource;
    this.#retryIntervalMs = options.retryIntervalMs ?? 1_000;
    this.#onFallback = options.onFallback ?? (() => {});
    this.#unsubscribe.push(
      redis.onStateChange((state) => {
        if (state === "up") {
          void this.#recover();
        }
      }),
      remote.onGenerationChange((generation, previous) =>
        this.#log.warn(
          { generation, previous },
          "spend ledger: Redis lost its data (new generation); months are seeded again from the database",
        ),
      ),
    );
  }

  /** "shared" while Redis decides, "degraded" while the node enforces its local share. */
  get mode(): SpendLedgerMode {
    return this.#degraded ? "degraded" : "shared";
  }

  /** Batches of spend waiting for Redis (settled or added while it did not answer). */
  get pendingBatches(): number {
    return this.#sealed.length + (this.#open ? 1 : 0);
  }

  /**
   * Reads this month's spend from the database (what the node enforces against should Redis not
   * answer before it ever did) and seeds Redis's month with it unless a node did already.
   */
  async start(): Promise<void> {
    const stampMs = this.#clock.now().getTime();
    const month = monthOf(this.#clock.now());
    const totals = await this.#seedSource(month);
    this.#started = { month, spent: new Map(totals.map((t) => [t.key, t.nanos])) };
    if (this.#redis.state === "up") {
      await this.#remote.seedIfAbsent(month, totals, stampMs).catch((error: unknown) => {
        // The first reservation of the month seeds it instead.
        this.#log.warn({ err: error }, "spend ledger: seeding Redis at start failed");
      });
    }
  }

  reserve(
    scopes: SpendScope[],
    estimateNanos: number,
    month: string,
  ): ReserveResult | Promise<ReserveResult> {
    if (this.#degraded || this.#redis.state !== "up") {
      this.#degrade(undefined);
      return this.#reserveLocally(scopes, estimateNanos, month);
    }
    return this.#remote.reserve(scopes, estimateNanos, month).then(undefined, (error: unknown) => {
      this.#degrade(error);
      return this.#reserveLocally(scopes, estimateNanos, month);
    });
  }

  settle(reservation: Reservation, actualNanos: number): void | Promise<void> {
    const episode = (reservation as Partial<LocalReservation>).episode;
    if (episode !== undefined) {
      episode.settle(reservation, actualNanos);
      this.#count(reservation.keys, reservation.month, actualNanos);
      return this.#degraded ? undefined : this.#flush();
    }
    if (this.#degraded || this.#redis.state !== "up") {
      this.#degrade(undefined);
      this.#keepSettle(reservation, actualNanos);
      return;
    }
    const settling = this.#remote.settle(reservation, actualNanos).catch((error: unknown) => {
      // It may still have been applied (a timeout): settles are keyed by reservation id, so
      // sending it again in a batch counts it once either way.
      this.#degrade(error);
      this.#keepSettle(reservation, actualNanos);
    });
    this.#track(settling);
    return settling;
  }

  add(keys: readonly string[], month: string, nanos: number): void | Promise<void> {
    if (this.#degraded || this.#redis.state !== "up") {
      this.#degrade(undefined);
      this.#episodeOf().add(keys, month, nanos);
      this.#noteEpisodeKeys(keys, month);
      this.#count(keys, month, nanos);
      return;
    }
    this.#count(keys, month, nanos);
    return this.#flush();
  }

  spent(key: string, month: string): number | Promise<number> {
    if (this.#degraded || this.#redis.state !== "up") {
      return this.#spentLocally(key, month);
    }
    return this.#remote.spent(key, month).catch(() => this.#spentLocally(key, month));
  }

  async close(): Promise<void> {
    if (this.#closed) {
      return;
    }
    this.#closed = true;
    for (const unsubscribe of this.#unsubscribe.splice(0)) {
      unsubscribe();
    }
    clearInterval(this.#retryTimer);
    this.#retryTimer = undefined;
    await Promise.all(this.#inflight);
    if (this.#degraded) {
      await this.#recover();
    } else {
      await this.#flush();
    }
    if (this.pendingBatches > 0) {
      this.#log.error(
        { batches: this.pendingBatches },
        "spend ledger: spend settled while Redis was unreachable could not be applied before stopping; the database has it, Redis's count lacks it until the month is seeded again",
      );
    }
  }

  // --- degraded mode -------------------------------------------------------------------------

  #degrade(error: unknown): void {
    if (this.#degraded) {
      return;
    }
    this.#degraded = true;
    this.#episode = new MemorySpendLedger();
    this.#episodeKeys = new Set();
    this.#log.warn(
      { err: error, liveNodes: this.#redis.liveNodes },
      "spend ledger: Redis unavailable; enforcing this node's share of each limit until it answers",
    );
    if (this.#retryTimer === undefined && !this.#closed) {
      this.#retryTimer = setInterval(() => void this.#recover(), this.#retryIntervalMs);
      this.#retryTimer.unref();
    }
  }

  #episodeOf(): MemorySpendLedger {
    this.#episode ??= new MemorySpendLedger();
    return this.#episode;
  }

  #noteEpisodeKeys(keys: readonly string[], month: string): void {
    if (month === monthOf(this.#clock.now())) {
      for (const key of keys) {
        this.#episodeKeys.add(key);
      }
    }
  }

  /** The scope's spent as this node last knew it from Redis, or from the database at start. */
  #lastKnown(key: string, month: string): number {
    return (
      this.#remote.seenSpent(key, month) ??
      (month === this.#started.month ? this.#started.spent.get(key) : undefined) ??
      0
    );
  }

  #reserveLocally(scopes: SpendScope[], estimateNanos: number, month: string): ReserveResult {
    this.#onFallback(this.#redis.state === "up" ? "failed" : "down");
    const episode = this.#episodeOf();
    const nodes = Math.max(1, this.#redis.liveNodes);
    const shares = scopes.map((scope) => ({
      key: scope.key,
      limitNanos:
        scope.limitNanos === null
          ? null
          : Math.max(0, Math.floor((scope.limitNanos - this.#lastKnown(scope.key, month)) / nodes)),
    }));
    const result = episode.reserve(shares, estimateNanos, month);
    if (!result.ok) {
      const refused = scopes.find((scope) => scope.key === result.scope);
      return {
        ok: false,
        scope: result.scope,
        spentNanos: this.#lastKnown(result.scope, month) + episode.spent(result.scope, month),
        limitNanos: refused?.limitNanos ?? result.limitNanos,
      };
    }
    this.#noteEpisodeKeys(
      scopes.map((scope) => scope.key),
      month,
    );
    const reservation: LocalReservation = { ...result.reservation, episode };
    return { ok: true, reservation };
  }

  #spentLocally(key: string, month: string): number {
    return this.#lastKnown(key, month) + (this.#episode?.spent(key, month) ?? 0);
  }

  /** A Redis reservation settled while Redis does not answer: kept, and counted locally. */
  #keepSettle(reservation: Reservation, actualNanos: number): void {
    this.#episodeOf().add(reservation.keys, reservation.month, actualNanos);
    this.#noteEpisodeKeys(reservation.keys, reservation.month);
    this.#openBatch().settles.push({
      id: reservation.id as string,
      month: reservation.month,
      nanos: actualNanos,
    });
  }

  // --- batches of spend for Redis -----------------------------------------------------------

  #openBatch(): OpenBatch {
    this.#open ??= { openedAt: Date.now(), deltas: new Map(), settles: [] };
    return this.#open;
  }

  /** Spend to add to Redis's accounts, in the open batch (sent by the next flush). */
  #count(keys: readonly string[], month: string, nanos: number): void {
    const batch = this.#openBatch();
    for (const key of keys) {
      const id = `${month}\n${key}`;
      const delta = batch.deltas.get(id);
      if (delta) {
        delta.nanos += nanos;
      } else {
        batch.deltas.set(id, { month, key, nanos, since: this.#clock.now().getTime() });
      }
    }
  }

  #seal(): void {
    const open = this.#open;
    if (open === undefined) {
      return;
    }
    this.#open = undefined;
    this.#sealed.push({
      id: this.#remote.nextId("b"),
      deltas: [...open.deltas.values()],
      settles: open.settles,
    });
  }

  /**
   * Applies the sealed batches in order; a batch that fails stays first (sent again later with
   * the same id). Resolves (never rejects) once done or given up on for now.
   */
  #flush(): Promise<void> {
    if (this.#flushing) {
      this.#flushAgain = true;
      return this.#flushing;
    }
    const flushing = (async () => {
      try {
        do {
          this.#flushAgain = false;
          await this.#applyPending();
        } while (this.#flushAgain && !this.#degraded);
      } finally {
        this.#flushing = undefined;
      }
    })();
    this.#flushing = flushing;
    this.#track(flushing);
    return flushing;
  }

  /** True when nothing is left to apply. */
  async #applyPending(): Promise<boolean> {
    this.#seal();
    while (this.#sealed.length > 0) {
      const batch = this.#sealed[0] as SpendBatch;
      try {
        const outcome = await this.#remote.applyBatch(batch);
        if (outcome.dropped > 0) {
          this.#log.info(
            { batch: batch.id, dropped: outcome.dropped },
            "spend ledger: amounts of a month seeded again from the database since were not applied (the database has them)",
          );
        }
      } catch (error) {
        this.#degrade(error);
        return false;
      }
      this.#shiftApplied(batch);
    }
    return true;
  }

  /** Back to Redis: once it answers and every kept batch is applied. */
  #recover(): Promise<void> {
    if (this.#open !== undefined && Date.now() - this.#open.openedAt >= SEAL_AFTER_MS) {
      this.#seal();
    }
    if (!this.#degraded || this.#redis.state !== "up") {
      return Promise.resolve();
    }
    this.#recovering ??= (async () => {
      try {
        await this.#remote.probe();
        const month = monthOf(this.#clock.now());
        // Batches are sealed and applied until none is left; no await between the last check
        // and the switch, so nothing counted meanwhile is left behind.
        while (this.#open !== undefined || this.#sealed.length > 0) {
          this.#seal();
          while (this.#sealed.length > 0) {
            const batch = this.#sealed[0] as SpendBatch;
            await this.#remote.applyBatch(batch);
            this.#shiftApplied(batch);
          }
        }
        // What the episode spent is in Redis now: the shares to come start from there.
        await this.#remote.refreshSeen(month, [...this.#episodeKeys]);
        if (this.#open !== undefined || this.#sealed.length > 0) {
          return; // counted during the read: the next try applies it
        }
        this.#degraded = false;
        this.#episode = undefined;
        this.#episodeKeys = new Set();
        clearInterval(this.#retryTimer);
        this.#retryTimer = undefined;
        this.#log.info({}, "spend ledger: Redis answers again; limits are shared again");
      } catch {
        // Still unavailable: the retry timer (or the next reconnection) tries again.
      } finally {
        this.#recovering = undefined;
      }
    })();
    return this.#recovering;
  }

  /**
   * Drops the applied batch from the queue. A flush and a recovery may both have sent it (the
   * same id: applied once); only the first to finish removes it.
   */
  #shiftApplied(batch: SpendBatch): void {
    if (this.#sealed[0] === batch) {
      this.#sealed.shift();
    }
  }

  #track(promise: Promise<void>): void {
    this.#inflight.add(promise);
    const done = () => this.#inflight.delete(promise);
    promise.then(done, done);
  }
}
