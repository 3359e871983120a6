/**
 * Spend per organization and workspace in the current UTC calendar month, with the cost of
 * in-flight requests reserved. Admission reserves an upper-bound estimate and refuses a request
 * when spent + reserved + estimate would pass a limit, so concurrent requests cannot overshoot:
 * the check and the reservation happen in one atomic step (synchronous in memory, one Lua script
 * in Redis). Completion settles the reservation with the real cost.
 *
 * A port: `MemorySpendLedger` for one node answers at once; the shared one (Redis, through
 * src/gateway/shared-spend-ledger.ts) answers with promises. Callers handle both without making
 * a promise of their own when the answer is already there.
 */
export interface SpendScope {
  /** `org:<id>` or `ws:<id>`. */
  key: string;
  /** Nano-dollars, or null for no limit. */
  limitNanos: number | null;
}

export interface Reservation {
  month: string;
  keys: string[];
  nanos: number;
  /** The reservation's id where the ledger keeps it elsewhere (Redis); absent in memory. */
  id?: string;
}

export type ReserveResult =
  | { ok: true; reservation: Reservation }
  | { ok: false; scope: string; spentNanos: number; limitNanos: number };

/** This month's spend per scope key (`org:<id>`, `ws:<id>`), from the recorded usage. */
export type SpendSeedSource = (
  month: string,
) => Promise<ReadonlyArray<{ key: string; nanos: number }>>;

export interface SpendLedger {
  reserve(
    scopes: SpendScope[],
    estimateNanos: number,
    month: string,
  ): ReserveResult | Promise<ReserveResult>;
  /**
   * Releases the reservation and counts the real cost, once per reservation. Never rejects: a
   * ledger that cannot reach its store keeps the amount and applies it later.
   */
  settle(reservation: Reservation, actualNanos: number): void | Promise<void>;
  /** Adds spend recorded elsewhere (usage ingested through the Admin API); never rejects. */
  add(keys: readonly string[], month: string, nanos: number): void | Promise<void>;
  /** Spent (settled) nano-dollars of a scope in a month. */
  spent(key: string, month: string): number | Promise<number>;
  /** Applies what is still pending, then stops; after the gateway is idle. */
  close?(): Promise<void>;
}

interface Account {
  month: string;
  spent: number;
  reserved: number;
}

export class MemorySpendLedger implements SpendLedger {
  readonly #accounts = new Map<string, Account>();

  /** Seeds settled spend (from the usage already recorded this month). */
  seed(key: string, month: string, spentNanos: number): void {
    this.#accounts.set(key, { month, spent: spentNanos, reserved: 0 });
  }

  reserve(scopes: SpendScope[], estimateNanos: number, month: string): ReserveResult {
    for (const scope of scopes) {
      if (scope.limitNanos === null) {
        continue;
      }
      const account = this.#account(scope.key, month);
      if (account.spent + account.reserved + estimateNanos > scope.limitNanos) {
        return {
          ok: false,
          scope: scope.key,
          spentNanos: account.spent,
          limitNanos: scope.limitNanos,
        };
      }
    }
    for (const scope of scopes) {
      this.#account(scope.key, month).reserved += estimateNanos;
    }
    return {
      ok: true,
      reservation: { month, keys: scopes.map((s) => s.key), nanos: estimateNanos },
    };
  }

  settle(reservation: Reservation, actualNanos: number): void {
    for (const key of reservation.keys) {
      const account = this.#accounts.get(key);
      if (!account || account.month !== reservation.month) {
        continue; // the month rolled over while the request ran; the new month starts clean
      }
      account.reserved = Math.max(0, account.reserved - reservation.nanos);
      account.spent += actualNanos;
    }
  }

  spent(key: string, month: string): number {
    const account = this.#accounts.get(key);
    return account && account.month === month ? account.spent : 0;
  }

  /** Adds spend recorded elsewhere (ingested usage) to this month's accounts of its scopes. */
  add(keys: readonly string[], month: string, nanos: number): void {
    for (const key of keys) {
      this.#account(key, month).spent += nanos;
    }
  }

  #account(key: string, month: string): Account {
    let account = this.#accounts.get(key);
    if (!account || account.month !== month) {
      account = { month, spent: 0, reserved: 0 };
      this.#accounts.set(key, account);
    }
    return account;
  }
}
