import type { UsageListener } from "../ports.js";
import type { UsageEventRow } from "./usage-store.js";

/**
 * Fans committed usage out to whoever listens (the gateway's spend ledger, cost alerts). A
 * listener that throws is reported and skipped: the usage is stored, and the others still hear.
 */
export class UsageFeed implements UsageListener {
  readonly #listeners = new Set<UsageListener>();

  constructor(private readonly onError: (error: unknown) => void = () => {}) {}

  /** Returns a function that unsubscribes. */
  subscribe(listener: UsageListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  usageRecorded(events: readonly UsageEventRow[]): void {
    for (const listener of this.#listeners) {
      try {
        listener.usageRecorded(events);
      } catch (error) {
        this.onError(error);
      }
    }
  }
}
