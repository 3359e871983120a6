import type { FastifyBaseLogger } from "fastify";
import type { Clock, UsageListener } from "../core/ports.js";
import type { Storage } from "../core/storage.js";
import type { DeadLetterReason } from "../core/usage/usage-dead-letters.js";
import type { UsageEventRow } from "../core/usage/usage-store.js";
import { isStorageUnavailable } from "../db/unavailable.js";
import type { GatewayMetrics } from "./metrics.js";
import { UsageBatchWriter } from "./usage-batch-writer.js";
import { UsageSpool } from "./usage-spool.js";

/**
 * A batch's write costs a transaction, its messages to the database thread, the rollups' upserts,
 * a commit that writes every page it touched (the tails of the events table and of its indexes,
 * again in each commit) and the alert check that follows, whatever the batch's size. 200 ms keeps
 * usage reports and alerts a fraction of a second behind and the events a crash can lose few
 * (SIGTERM loses none); larger batches would save less and hold the writer's lock longer.
 * Trick: saves the SQLite writer a share of its CPU per event (bench/README.md#gateway-tricks).
 */
export const DEFAULT_METERING_BATCH_SIZE = 2000;
export const DEFAULT_METERING_MAX_DELAY_MS = 200;
/**
 * Events held in memory while the database cannot take them, before the rest go to the spool: at
 * about 1 KB an event, some 100 MB.
 */
export const DEFAULT_METERING_MEMORY_LIMIT_EVENTS = 100_000;

export interface RecorderOptions {
  /** Most events in one write. */
  batchSize?: number;
  /** Longest an event waits before its batch is written. */
  maxDelayMs?: number;
  /** Told about each written batch after it commits. */
  feed?: UsageListener;
  /** Dead letters' times. */
  clock?: Clock;
  /**
   * Where events go that the database cannot take once `memoryLimitEvents` are held (see
   * src/gateway/usage-spool.ts); without it, they are all held in memory.
   */
  spoolDir?: string;
  /** Most events held in memory, when there is a spool. */
  memoryLimitEvents?: number;
  /** The first retry's delay after a failed write, doubled for each failure after it. */
  retryBaseMs?: number;
  /** The longest delay between retries. */
  retryMaxMs?: number;
}

/**
 * Writes usage events off the response path, in batches (group commit): one transaction per
 * batch, with its rollups and the keys' last_used_at refreshed in the same write. A batch is
 * written when it is full or when its oldest event has waited `maxDelayMs`, not as soon as the
 * previous write ends: under load that would write many small batches, and each write has a cost
 * of its own (a transaction, its statements, the alert check that follows).
 *
 * A write that fails for some event's data is split until that event stands alone, and it goes
 * to the dead letters (src/gateway/usage-batch-writer.ts): no event can hold up the others. A
 * write that fails because the database is unavailable keeps its events and retries with backoff;
 * past `memoryLimitEvents` held, the newest go to the spool (src/gateway/usage-spool.ts), which is
 * written once the database is back, or at the next start. `drain` (on shutdown) writes
 * everything, or spools it during an outage, before the process exits.
 */
export class UsageRecorder {
  readonly #queue: UsageEventRow[] = [];
  readonly #lastUsed = new Map<string, string>();
  readonly #batchSize: number;
  readonly #maxDelayMs: number;
  #timer: NodeJS.Timeout | undefined;
  /** When the oldest queued event was queued (performance.now()). */
  #oldestQueuedAt = 0;
  #flushing: Promise<void> | undefined;
  #failures = 0;
  /** Batch writes that set a bad event apart (dead letters) instead of failing the batch. */
  readonly #writer: UsageBatchWriter;
  /** The last write's error, while writes fail. */
  #lastError: unknown;
  readonly #spool: UsageSpool | undefined;
  readonly #memoryLimit: number;
  readonly #retryBaseMs: number;
  readonly #retryMaxMs: number;
  /** An append to the spool in progress (its events are still held until it is on disk). */
  #spooling: Promise<void> | undefined;
  #closed = false;

  constructor(
    store: Storage,
    private readonly metrics: GatewayMetrics,
    private readonly log: FastifyBaseLogger,
    options: RecorderOptions = {},
  ) {
    this.#batchSize = options.batchSize ?? DEFAULT_METERING_BATCH_SIZE;
    this.#maxDelayMs = options.maxDelayMs ?? DEFAULT_METERING_MAX_DELAY_MS;
    this.#writer = new UsageBatchWriter(store, metrics, log, options.feed, options.clock);
    this.#memoryLimit = Math.max(
      options.memoryLimitEvents ?? DEFAULT_METERING_MEMORY_LIMIT_EVENTS,
      this.#batchSize,
    );
    this.#retryBaseMs = options.retryBaseMs ?? 100;
    this.#retryMaxMs = options.retryMaxMs ?? 30_000;
    this.#spool = options.spoolDir === undefined ? undefined : UsageSpool.open(options.spoolDir);
    this.#spoolMetrics();
  }

  get pending(): number {
    return this.#queue.length;
  }

  /**
   * Keeps an event apart instead of storing it (its numbers cannot be trusted): it is written to
   * the dead letters after the next batch, and never summed.
   */
  deadLetter(event: UsageEventRow, reason: DeadLetterReason, detail: string): void {
    this.#writer.deadLetter(event, reason, detail);
    this.#schedule(this.#maxDelayMs);
  }

  record(event: UsageEventRow): void {
    if (this.#queue.length === 0) {
      this.#oldestQueuedAt = performance.now();
    }
    this.#queue.push(event);
    if (event.api_key_id !== null) {
      keepLatest(this.#lastUsed, event.api_key_id, event.occurred_at);
    }
    this.metrics.queueDepth.set(this.#queue.length);
    if (this.#queue.length >= this.#batchSize) {
      // While writes fail, the retry waits for its backoff; what is held past the bound is spooled.
      if (this.#failures === 0) {
        this.#startFlush();
      }
      if (this.#queue.length > this.#memoryLimit) {
        this.#spoolExcess();
      }
    } else {
      this.#schedule(this.#maxDelayMs);
    }
  }

  /**
   * Writes every queued event; resolves when the queue is empty (or throws after the last retry
   * fails). With a spool, while the database is unavailable, what is held is spooled instead, for
   * the next start to write.
   */
  async drain(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    // One write is tried even during an outage: the database may be back.
    let tried = false;
    while (
      this.#queue.length > 0 ||
      this.#lastUsed.size > 0 ||
      this.#writer.pendingDeadLetters > 0 ||
      this.#flushing ||
      this.#spooling
    ) {
      if (this.#flushing) {
        await this.#flushing;
        continue;
      }
      if (this.#spooling) {
        await this.#spooling;
        continue;
      }
      if (tried && this.#spoolsInstead(this.#lastError)) {
        await this.#spoolHeld();
        break;
      }
      tried = true;
      await this.#flushOnce(true);
    }
  }

  /**
   * Writes every spooled event (on start, before the spend ledger is seeded from the rollups).
   * If the database fails meanwhile, the rest is retried with the writes' backoff.
   */
  async replaySpool(): Promise<void> {
    try {
      while (await this.#replayOldestSegment()) {
        // the next segment
      }
    } catch (error) {
      this.#failures += 1;
      this.#lastError = error;
      this.metrics.writeFailures.inc();
      this.#schedule(this.#backoffMs());
      throw error;
    } finally {
      this.#spoolMetrics();
    }
  }

  /**
   * Stops for good (after `drain`): no retry is scheduled any more, and the spool is closed (its
   * lock released; what it holds stays for the next start, which must not find it half replayed
   * by a process that is stopping).
   */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#flushing;
    await this.#spool?.close();
  }

  /** Events on the spool, waiting for the database. */
  get spooled(): number {
    return this.#spool?.events ?? 0;
  }

  /** The database is unavailable and there is a spool: events go there rather than wait. */
  #spoolsInstead(error: unknown): boolean {
    return this.#spool !== undefined && this.#failures > 0 && isStorageUnavailable(error);
  }

  /** Spools the events held past the memory bound (the newest), one append at a time. */
  #spoolExcess(): void {
    const spool = this.#spool;
    const excess = this.#queue.length - this.#memoryLimit;
    if (spool === undefined || this.#spooling !== undefined || excess <= 0) {
      return;
    }
    const events = this.#queue.splice(this.#queue.length - excess);
    this.#spooling = spool
      .append(events)
      .then(
        () => this.metrics.eventsSpooled.inc(events.length),
        (error) => {
          // Not on disk: they stay held, and the next append tries again.
          this.#queue.push(...events);
          this.log.error({ err: error, events: events.length }, "spooling usage events failed");
        },
      )
      .finally(() => {
        this.#spooling = undefined;
        this.metrics.queueDepth.set(this.#queue.length);
        this.#spoolMetrics();
      });
  }

  /** Spools every held event (shutdown during an outage); throws if they could not be written. */
  async #spoolHeld(): Promise<void> {
    const spool = this.#spool as UsageSpool;
    const events = this.#queue.splice(0);
    try {
      await spool.append(events);
    } catch (error) {
      this.#queue.unshift(...events);
      throw error;
    } finally {
      this.metrics.queueDepth.set(this.#queue.length);
      this.#spoolMetrics();
    }
    this.metrics.eventsSpooled.inc(events.length);
    // The replay refreshes the keys' last use from the events themselves.
    this.#lastUsed.clear();
    this.log.warn(
      { events: events.length, spool: spool.dir },
      "database unavailable at shutdown: usage events spooled, to be written at the next start",
    );
  }

  /**
   * Writes the oldest spool segment's events, a batch per transaction, and deletes the segment
   * once they have all committed. Ids make the writes idempotent: a segment written again after
   * a crash between the commit and the delete counts each event once.
   */
  async #replayOldestSegment(): Promise<boolean> {
    const spool = this.#spool;
    // Once closed, the spool is the next start's.
    const segment = this.#closed ? undefined : await spool?.oldest();
    if (spool === undefined || segment === undefined) {
      return false;
    }
    if (segment.skipped > 0) {
      this.log.warn(
        { skipped: segment.skipped, spool: spool.dir },
        "spool segment: skipped lines that were not whole events (a write torn by a crash)",
      );
    }
    // The queue's writes: an event whose data the database refuses is set apart (a dead letter).
    // They throw only when the database is unavailable; the segment then stays, whole, and what
    // this replay wrote of it is skipped the next time.
    for (let start = 0; start < segment.events.length; start += this.#batchSize) {
      const batch = segment.events.slice(start, start + this.#batchSize);
      this.metrics.eventsWritten.inc(await this.#writer.write(batch, lastUseOf(batch)));
    }
    await this.#writer.flushDeadLetters();
    segment.commit();
    this.#spoolMetrics();
    this.log.info(
      { events: segment.events.length, spool: spool.dir },
      "spooled usage events written",
    );
    return true;
  }

  /**
   * The next spool segment, if any, once the queue's write succeeded (or with nothing queued, as
   * the probe of whether the database is back). Its failures count as a write's.
   */
  async #replayIfDue(): Promise<void> {
    if (this.#spool === undefined || this.#spool.empty) {
      return;
    }
    if (this.#failures > 0 && this.#queue.length > 0) {
      return;
    }
    try {
      await this.#replayOldestSegment();
      this.#failures = 0;
    } catch (error) {
      this.#failures += 1;
      this.#lastError = error;
      this.metrics.writeFailures.inc();
      this.log.error({ err: error, attempt: this.#failures }, "replaying spooled usage failed");
    }
  }

  #spoolMetrics(): void {
    this.metrics.spoolEvents.set(this.#spool?.events ?? 0);
    this.metrics.spoolBytes.set(this.#spool?.bytes ?? 0);
  }

  #schedule(delayMs: number): void {
    if (this.#timer === undefined && this.#flushing === undefined && !this.#closed) {
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.#startFlush();
      }, delayMs);
    }
  }

  #startFlush(): void {
    if (this.#flushing) {
      return;
    }
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const write =
      this.#queue.length > 0 || this.#lastUsed.size > 0 || this.#writer.pendingDeadLetters > 0
        ? this.#flushOnce(false)
        : Promise.resolve();
    this.#flushing = write
      .then(() => this.#replayIfDue())
      .finally(() => {
        this.#flushing = undefined;
        if (this.#failures > 0) {
          if (this.#queue.length > this.#memoryLimit) {
            this.#spoolExcess();
          }
          this.#schedule(this.#backoffMs());
        } else if (this.#queue.length >= this.#batchSize) {
          this.#startFlush();
        } else if (this.#queue.length > 0) {
          const waited = performance.now() - this.#oldestQueuedAt;
          this.#schedule(Math.max(0, this.#maxDelayMs - waited));
        } else if (this.#writer.pendingDeadLetters > 0) {
          this.#schedule(this.#maxDelayMs);
        } else if (this.#spool !== undefined && !this.#spool.empty) {
          // The database is back: the spool's next segment.
          this.#schedule(0);
        }
      });
  }

  #backoffMs(): number {
    return Math.min(this.#retryMaxMs, this.#retryBaseMs * 2 ** Math.min(this.#failures, 9));
  }

  async #flushOnce(throwOnError: boolean): Promise<void> {
    // What stays queued keeps the batch's #oldestQueuedAt: its own oldest came later, so the next
    // write is, if anything, early.
    const batch = this.#queue.splice(0, this.#batchSize);
    const lastUsed = new Map(this.#lastUsed);
    this.#lastUsed.clear();
    try {
      // An event whose data the database refuses is set apart (a dead letter), not retried.
      if (batch.length > 0 || lastUsed.size > 0) {
        this.metrics.eventsWritten.inc(await this.#writer.write(batch, lastUsed));
      }
      await this.#writer.flushDeadLetters();
      this.#failures = 0;
    } catch (error) {
      this.#failures += 1;
      this.#lastError = error;
      this.metrics.writeFailures.inc();
      // Put everything back in front, in order; a retry writes it again (ids make it idempotent).
      this.#queue.unshift(...batch);
      for (const [id, at] of lastUsed) {
        keepLatest(this.#lastUsed, id, at);
      }
      this.log.error(
        { err: error, events: batch.length, attempt: this.#failures },
        "writing usage events failed",
      );
      // During an outage with a spool, drain spools what it holds instead of waiting.
      if (throwOnError && !this.#spoolsInstead(error)) {
        if (this.#failures >= 5) {
          throw error;
        }
        await new Promise((resolve) => setTimeout(resolve, this.#backoffMs()));
      }
    } finally {
      this.metrics.queueDepth.set(this.#queue.length);
    }
  }
}

/** Each key's latest use among the events. */
function lastUseOf(events: readonly UsageEventRow[]): Map<string, string> {
  const lastUsed = new Map<string, string>();
  for (const event of events) {
    if (event.api_key_id !== null) {
      keepLatest(lastUsed, event.api_key_id, event.occurred_at);
    }
  }
  return lastUsed;
}

/** Records `at` as the key's last use unless a later one is recorded already. */
function keepLatest(lastUsed: Map<string, string>, keyId: string, at: string): void {
  const previous = lastUsed.get(keyId);
  if (previous === undefined || previous < at) {
    lastUsed.set(keyId, at);
  }
}
