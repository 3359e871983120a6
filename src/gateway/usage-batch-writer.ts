import type { FastifyBaseLogger } from "fastify";
import { TimeSortableIds } from "../core/ids.js";
import { type Clock, systemClock, type UsageListener } from "../core/ports.js";
import type { Storage } from "../core/storage.js";
import {
  type DeadLetterReason,
  deadLetterRow,
  detailOf,
} from "../core/usage/usage-dead-letters.js";
import { prepareUsageEvents, storeUsageEvents } from "../core/usage/usage-events.js";
import type { UsageDeadLetterRow, UsageEventRow } from "../core/usage/usage-store.js";
import { isStorageUnavailable } from "../db/unavailable.js";
import type { GatewayMetrics } from "./metrics.js";

const NO_KEYS: ReadonlyMap<string, string> = new Map();

/**
 * The recorder's writes, so that no single event can block the metering queue.
 *
 * A batch is one transaction. When the database refuses it because of some event's data (not
 * because the database is unavailable: `isStorageUnavailable`), the batch is split in halves,
 * each written on its own and split again if refused, down to the events that cause it: each
 * goes to the dead letters (usage_dead_letters, reason `write_failed`, with the database's
 * message) and every other event is written. With k bad events in a batch of n, that is about
 * 2·k·log2(n) more writes, only when it happens.
 *
 * Events the gateway decided not to store (token counts that cannot be trusted) are queued here
 * as dead letters and written after the next batch.
 */
export class UsageBatchWriter {
  readonly #ids: TimeSortableIds;
  /** Dead letters not yet written. */
  readonly #deadLetters: UsageDeadLetterRow[] = [];

  constructor(
    private readonly store: Storage,
    private readonly metrics: GatewayMetrics,
    private readonly log: FastifyBaseLogger,
    private readonly feed: UsageListener | undefined,
    private readonly clock: Clock = systemClock,
  ) {
    this.#ids = new TimeSortableIds(clock);
  }

  /** Dead letters waiting to be written. */
  get pendingDeadLetters(): number {
    return this.#deadLetters.length;
  }

  /** Queues an event for the dead letters instead of the events (it is never summed). */
  deadLetter(event: UsageEventRow, reason: DeadLetterReason, detail: string): void {
    this.#deadLetters.push(this.#row(event, reason, detail));
  }

  /**
   * Writes a batch (and the keys' last use) and returns how many of its events were stored or
   * found stored before; the rest went to the dead letters. Throws only when the database is
   * unavailable: then the caller retries the whole batch, and what was written of it already is
   * skipped (ids make writes idempotent), as are dead letters already kept.
   */
  async write(batch: UsageEventRow[], lastUsed: ReadonlyMap<string, string>): Promise<number> {
    try {
      await this.#write(batch, lastUsed);
      return batch.length;
    } catch (error) {
      if (isStorageUnavailable(error)) {
        throw error;
      }
      if (batch.length === 0) {
        this.log.error({ err: error }, "refreshing API keys' last use failed");
        return 0;
      }
      this.log.warn(
        { err: error, events: batch.length },
        "a batch of usage events was refused: writing it in parts to find the events that cause it",
      );
      // A lone event is tried once more on its own before it is set apart: the error may have
      // been a passing one that isStorageUnavailable does not know.
      const written = batch.length === 1 ? await this.#isolate(batch) : await this.#split(batch);
      if (lastUsed.size > 0) {
        try {
          await this.store.transaction((repos) =>
            repos.usage.touchApiKeys(lastUsed as Map<string, string>),
          );
        } catch (touchError) {
          if (isStorageUnavailable(touchError)) {
            throw touchError;
          }
          this.log.error({ err: touchError }, "refreshing API keys' last use failed");
        }
      }
      return written;
    }
  }

  /** Writes the queued dead letters; they stay queued (and this throws) while the database is unavailable. */
  async flushDeadLetters(): Promise<void> {
    if (this.#deadLetters.length === 0) {
      return;
    }
    const rows = this.#deadLetters.splice(0);
    try {
      await this.#store(rows);
    } catch (error) {
      this.#deadLetters.unshift(...rows);
      throw error;
    }
  }

  async #split(events: UsageEventRow[]): Promise<number> {
    const middle = Math.ceil(events.length / 2);
    return (
      (await this.#isolate(events.slice(0, middle))) + (await this.#isolate(events.slice(middle)))
    );
  }

  /** Writes events, split again when refused, down to the events that cause it. */
  async #isolate(events: UsageEventRow[]): Promise<number> {
    let error: unknown;
    try {
      await this.#write(events, NO_KEYS);
      return events.length;
    } catch (writeError) {
      if (isStorageUnavailable(writeError)) {
        throw writeError;
      }
      error = writeError;
    }
    if (events.length > 1) {
      return this.#split(events);
    }
    const event = events[0] as UsageEventRow;
    this.log.error(
      { err: error, organizationId: event.organization_id, eventId: event.id },
      "a usage event could not be written: kept in the dead letters",
    );
    await this.#store([this.#row(event, "write_failed", detailOf(error))]);
    return 0;
  }

  async #write(events: UsageEventRow[], lastUsed: ReadonlyMap<string, string>): Promise<void> {
    const prepared = prepareUsageEvents(events);
    const written = await this.store.transaction(async (repos) => {
      const inserted = await storeUsageEvents(repos, prepared);
      await repos.usage.touchApiKeys(lastUsed as Map<string, string>);
      return inserted;
    });
    this.feed?.usageRecorded(written);
  }

  /**
   * Stores dead letters in a transaction of their own. The database being unavailable throws; the
   * database refusing them (it should not: their data is text) loses them, logged, rather than
   * blocking the queue.
   */
  async #store(rows: UsageDeadLetterRow[]): Promise<void> {
    try {
      await this.store.transaction((repos) => repos.usageDeadLetters.insert(rows));
    } catch (error) {
      if (isStorageUnavailable(error)) {
        throw error;
      }
      this.log.error(
        { err: error, deadLetters: rows.map((row) => `${row.organization_id}/${row.event_id}`) },
        "usage dead letters could not be written: dropped",
      );
      return;
    }
    for (const row of rows) {
      this.metrics.deadLetters.inc({ reason: row.reason });
    }
  }

  #row(event: UsageEventRow, reason: DeadLetterReason, detail: string): UsageDeadLetterRow {
    return deadLetterRow(
      this.#ids.next("usageDeadLetter"),
      this.clock.now().toISOString(),
      event,
      reason,
      detail,
    );
  }
}
