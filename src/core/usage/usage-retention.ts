import { yieldToEventLoop } from "../event-loop.js";
import type { Clock } from "../ports.js";
import { DAY_MS, iso } from "./buckets.js";
import type { UsageEvents } from "./usage-store.js";

/** What retention needs of the store: a transaction over the usage events. */
export interface UsageEventTransactions {
  transaction<T>(work: (repos: { usage: UsageEvents }) => Promise<T>): Promise<T>;
}

export interface UsageRetentionOptions {
  /** Raw events older than this many days are deleted (the rollups keep their sums). */
  rawDays: number;
}

export interface PruneResult {
  events: number;
}

/** Rows deleted per statement: each delete is a short write, never a long lock. */
const EVENTS_PER_DELETE = 5000;

/**
 * Deletes raw usage events past their retention, in small steps so that the gateway's writes and
 * the reports go on meanwhile. Reports of hour and day buckets read rollups, which are kept; 1m
 * buckets are summed from the raw events, and refused further back than their retention.
 * Running on several nodes at once is harmless: each delete is idempotent.
 */
export class UsageRetention {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<PruneResult> | undefined;

  constructor(
    private readonly store: UsageEventTransactions,
    private readonly clock: Clock,
    private readonly options: UsageRetentionOptions,
  ) {}

  async prune(): Promise<PruneResult> {
    const now = this.clock.now().getTime();
    const result: PruneResult = { events: 0 };

    const eventsBefore = iso(now - this.options.rawDays * DAY_MS);
    for (;;) {
      const deleted = await this.store.transaction((repos) =>
        repos.usage.deleteOlderThan(eventsBefore, EVENTS_PER_DELETE),
      );
      result.events += deleted;
      if (deleted < EVENTS_PER_DELETE) {
        break;
      }
      await yieldToEventLoop();
    }

    return result;
  }

  /** Prunes now and then every `intervalMs`, until `stop`. */
  start(intervalMs: number, onError: (error: unknown) => void): void {
    const run = () => {
      if (this.#running) {
        return;
      }
      this.#running = this.prune()
        .catch((error) => {
          onError(error);
          return { events: 0 };
        })
        .finally(() => {
          this.#running = undefined;
        });
    };
    run();
    this.#timer = setInterval(run, intervalMs);
    this.#timer.unref();
  }

  /** Stops the schedule and waits for a prune in progress. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }
}
