import type { FastifyBaseLogger } from "fastify";
import type { UsageListener } from "../core/ports.js";
import { prepareUsageEvents, storeUsageEvents } from "../core/usage/usage-events.js";
import type { UsageEventRow } from "../db/schema.js";
import type { Store } from "../db/store.js";
import type { GatewayMetrics } from "./metrics.js";

/**
 * A batch's write costs a transaction, its messages to the database thread, the rollups' upserts,
 * a commit that writes every page it touched (the tails of the events table and of its indexes,
 * again in each commit) and the alert check that follows, whatever the batch's size. Under load,
 * 50 ms batches (about 140 events at 2,800 requests per second) spent a third of the SQLite
 * writer's time per event on that: measured on the gateway benchmark, per-thread CPU per event
 * 24 to 29 µs at 50 ms, 20 to 21 at 200 ms, 17 at 500 ms (a slow day). 200 ms keeps usage
 * reports and alerts a fraction of a second behind and the events a crash can lose few (SIGTERM
 * loses none); larger batches would save less and hold the writer's lock longer.
 */
export const DEFAULT_METERING_BATCH_SIZE = 2000;
export const DEFAULT_METERING_MAX_DELAY_MS = 200;

export interface RecorderOptions {
  /** Most events in one write. */
  batchSize?: number;
  /** Longest an event waits before its batch is written. */
  maxDelayMs?: number;
  /** Told about each written batch after it commits. */
  feed?: UsageListener;
}

/**
 * Writes usage events off the response path, in batches (group commit): one transaction per
 * batch, with its rollups and the keys' last_used_at refreshed in the same write. A batch is
 * written when it is full or when its oldest event has waited `maxDelayMs`, not as soon as the
 * previous write ends: under load that would write many small batches, and each write has a cost
 * of its own (a transaction, its statements, the alert check that follows). A failed write keeps
 * its events and retries with backoff; `drain` (on shutdown) writes everything before the process
 * exits.
 */
export class UsageRecorder {
  readonly #queue: UsageEventRow[] = [];
  readonly #lastUsed = new Map<string, string>();
  readonly #batchSize: number;
  readonly #maxDelayMs: number;
  readonly #feed: UsageListener | undefined;
  #timer: NodeJS.Timeout | undefined;
  /** When the oldest queued event was queued (performance.now()). */
  #oldestQueuedAt = 0;
  #flushing: Promise<void> | undefined;
  #failures = 0;

  constructor(
    private readonly store: Store,
    private readonly metrics: GatewayMetrics,
    private readonly log: FastifyBaseLogger,
    options: RecorderOptions = {},
  ) {
    this.#batchSize = options.batchSize ?? DEFAULT_METERING_BATCH_SIZE;
    this.#maxDelayMs = options.maxDelayMs ?? DEFAULT_METERING_MAX_DELAY_MS;
    this.#feed = options.feed;
  }

  get pending(): number {
    return this.#queue.length;
  }

  record(event: UsageEventRow): void {
    if (this.#queue.length === 0) {
      this.#oldestQueuedAt = performance.now();
    }
    this.#queue.push(event);
    if (event.api_key_id !== null) {
      const previous = this.#lastUsed.get(event.api_key_id);
      if (previous === undefined || previous < event.occurred_at) {
        this.#lastUsed.set(event.api_key_id, event.occurred_at);
      }
    }
    this.metrics.queueDepth.set(this.#queue.length);
    if (this.#queue.length >= this.#batchSize) {
      this.#startFlush();
    } else {
      this.#schedule(this.#maxDelayMs);
    }
  }

  /** Writes every queued event; resolves when the queue is empty (or throws after the last retry fails). */
  async drain(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    while (this.#queue.length > 0 || this.#lastUsed.size > 0 || this.#flushing) {
      if (this.#flushing) {
        await this.#flushing;
        continue;
      }
      await this.#flushOnce(true);
    }
  }

  #schedule(delayMs: number): void {
    if (this.#timer === undefined && this.#flushing === undefined) {
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
    this.#flushing = this.#flushOnce(false).finally(() => {
      this.#flushing = undefined;
      if (this.#failures > 0) {
        this.#schedule(this.#backoffMs());
      } else if (this.#queue.length >= this.#batchSize) {
        this.#startFlush();
      } else if (this.#queue.length > 0) {
        const waited = performance.now() - this.#oldestQueuedAt;
        this.#schedule(Math.max(0, this.#maxDelayMs - waited));
      }
    });
  }

  #backoffMs(): number {
    return Math.min(30_000, 100 * 2 ** Math.min(this.#failures, 9));
  }

  async #flushOnce(throwOnError: boolean): Promise<void> {
    // What stays queued keeps the batch's #oldestQueuedAt: its own oldest came later, so the next
    // write is, if anything, early.
    const batch = this.#queue.splice(0, this.#batchSize);
    const lastUsed = new Map(this.#lastUsed);
    this.#lastUsed.clear();
    try {
      const prepared = prepareUsageEvents(batch);
      const written = await this.store.transaction(async (repos) => {
        const inserted = await storeUsageEvents(repos, prepared);
        await repos.usage.touchApiKeys(lastUsed);
        return inserted;
      });
      this.#failures = 0;
      this.metrics.eventsWritten.inc(batch.length);
      this.#feed?.usageRecorded(written);
    } catch (error) {
      this.#failures += 1;
      this.metrics.writeFailures.inc();
      // Put everything back in front, in order; a retry writes it again (ids make it idempotent).
      this.#queue.unshift(...batch);
      for (const [id, at] of lastUsed) {
        const newer = this.#lastUsed.get(id);
        if (newer === undefined || newer < at) {
          this.#lastUsed.set(id, at);
        }
      }
      this.log.error(
        { err: error, events: batch.length, attempt: this.#failures },
        "writing usage events failed",
      );
      if (throwOnError && this.#failures >= 5) {
        throw error;
      }
      if (throwOnError) {
        await new Promise((resolve) => setTimeout(resolve, this.#backoffMs()));
      }
    } finally {
      this.metrics.queueDepth.set(this.#queue.length);
    }
  }
}
