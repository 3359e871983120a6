import type { AlertMessage } from "../../contract/alerts.js";
import type { Clock, IdSource } from "../ports.js";
import type { AlertDeliveryRow } from "../records.js";
import type { Storage } from "../storage.js";
import type { ChannelSender } from "./channels.js";
import type { StoredChannel } from "./model.js";

export interface DispatcherOptions {
  /** Each send is abandoned after this long (and counts as a failed attempt). */
  timeoutMs: number;
  /** Deliveries claimed per round. */
  batchSize: number;
  /** First retry delay; doubles per attempt up to `maxBackoffMs`, with jitter. */
  baseBackoffMs: number;
  maxBackoffMs: number;
  /** Jitter source, [0, 1). */
  random: () => number;
  onError: (error: unknown) => void;
}

export const DEFAULT_DISPATCHER_OPTIONS: DispatcherOptions = {
  timeoutMs: 10_000,
  batchSize: 50,
  baseBackoffMs: 30_000,
  maxBackoffMs: 3_600_000,
  random: Math.random,
  onError: () => {},
};

/** How long a claim lasts: past it, a delivery whose dispatcher died mid-send comes due again. */
const LEASE_MARGIN_MS = 60_000;

/**
 * Sends the outbox: claims due deliveries (another node's claims are skipped), sends each with a
 * timeout, records the attempt, and either marks it delivered or schedules the next attempt with
 * exponential backoff and jitter, until the delivery's 24 hours are up and it is marked failed.
 * Runs are serialized within a process; across processes the claim keeps them apart.
 */
export class AlertDispatcher {
  #chain: Promise<unknown> = Promise.resolve();
  #timer: NodeJS.Timeout | undefined;
  #kicked = false;
  #stopped = false;

  constructor(
    private readonly store: Storage,
    private readonly clock: Clock,
    private readonly ids: IdSource,
    private readonly sender: ChannelSender,
    private readonly options: DispatcherOptions,
  ) {}

  /** Runs every `intervalMs` until `stop()`. */
  start(intervalMs: number): void {
    this.#stopped = false;
    if (this.#timer) {
      return;
    }
    this.#timer = setInterval(() => this.kick(), intervalMs);
    this.#timer.unref();
    this.kick();
  }

  /** Stops the timer and waits for the run in progress. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
    await this.#chain.catch(() => {});
  }

  get running(): boolean {
    return this.#timer !== undefined;
  }

  /** A run soon, when started (new deliveries were queued); coalesces repeated kicks. */
  kick(): void {
    if (!this.#timer || this.#stopped || this.#kicked) {
      return;
    }
    this.#kicked = true;
    void this.runDue()
      .catch(this.options.onError)
      .finally(() => {
        this.#kicked = false;
      });
  }

  /**
   * Sends every delivery due now (or only those of `ids`); returns how many attempts were made.
   * Tests call it directly with a ManualClock.
   */
  runDue(ids?: readonly string[]): Promise<number> {
    const run = this.#chain.catch(() => {}).then(() => this.#run(ids));
    this.#chain = run;
    return run;
  }

  async #run(ids?: readonly string[]): Promise<number> {
    let attempts = 0;
    for (;;) {
      const now = this.clock.now();
      const lease = new Date(now.getTime() + this.options.timeoutMs + LEASE_MARGIN_MS);
      const claimed = await this.store.transaction((repos) =>
        repos.alerts.claimDue(now.toISOString(), lease.toISOString(), this.options.batchSize, ids),
      );
      if (claimed.length === 0) {
        return attempts;
      }
      await Promise.all(claimed.map((row) => this.#attempt(row)));
      attempts += claimed.length;
      if (claimed.length < this.options.batchSize) {
        return attempts;
      }
    }
  }

  async #attempt(row: AlertDeliveryRow): Promise<void> {
    const channel = JSON.parse(row.channel) as StoredChannel;
    const message = JSON.parse(row.message) as AlertMessage;
    const started = performance.now();
    const outcome = await this.sender.send(channel, {
      message,
      deliveryId: row.id,
      dedupKey: `steward:${row.firing_id ?? row.id}`,
      now: Math.floor(this.clock.now().getTime() / 1000),
    });
    const duration = Math.round(performance.now() - started);
    const at = this.clock.now();
    const attemptedAt = at.toISOString();
    const attempt = {
      id: this.ids.next("alertAttempt"),
      organization_id: row.organization_id,
      delivery_id: row.id,
      attempted_at: attemptedAt,
      status_code: outcome.statusCode,
      error: outcome.error,
      duration_ms: duration,
    };
    let changes: Partial<AlertDeliveryRow>;
    if (outcome.ok) {
      changes = {
        status: "delivered",
        delivered_at: attemptedAt,
        last_error: null,
        updated_at: attemptedAt,
      };
    } else if (at.toISOString() >= row.expires_at) {
      changes = { status: "failed", last_error: outcome.error, updated_at: attemptedAt };
    } else {
      const next = Math.min(
        at.getTime() + this.#backoff(Number(row.attempt_count) + 1),
        Date.parse(row.expires_at),
      );
      changes = {
        next_attempt_at: new Date(next).toISOString(),
        last_error: outcome.error,
        updated_at: attemptedAt,
      };
    }
    await this.store.transaction((repos) => repos.alerts.finishAttempt(row.id, changes, attempt));
  }

  /** The delay before attempt `n + 1` after `n` failed: doubling, capped, jittered to 50–100%. */
  #backoff(failed: number): number {
    const { baseBackoffMs, maxBackoffMs, random } = this.options;
    const full = Math.min(maxBackoffMs, baseBackoffMs * 2 ** Math.min(failed - 1, 30));
    return Math.round(full * (0.5 + random() * 0.5));
  }
}
