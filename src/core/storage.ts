import { AsyncLocalStorage } from "node:async_hooks";
import type { ChangeFeed } from "./ports.js";
import type { Repositories } from "./repositories.js";

/**
 * The services' view of storage: repositories for reads, and `transaction` for every mutation,
 * so a change and its audit record commit or roll back together. src/db/store.ts implements it.
 */
export interface Storage {
  readonly read: Repositories;
  /**
   * Runs `work` in one transaction, writing the TransactionClaim of the caller's async context
   * first. A write lost to a concurrent one rolls back whole and throws a `conflict_error`.
   * Committed changes to keys, workspaces and organizations reach the change feed before this
   * returns.
   */
  transaction<T>(work: (repos: Repositories) => Promise<T>): Promise<T>;
  /**
   * Runs `work` in one transaction that is always rolled back: what a mutation would do, answered
   * exactly (the same rules, locks and reads) and nothing written, not even its audit record or an
   * Idempotency-Key's. Nothing reaches the change feed. Errors are thrown as `transaction`'s are.
   */
  rehearse<T>(work: (repos: Repositories) => Promise<T>): Promise<T>;
  /** Who hears about committed changes to keys, workspaces and organizations. */
  set changeFeed(feed: ChangeFeed);
  /** What this node's writes are marked with in the change log; undefined where unmarked. */
  readonly origin: string | undefined;
  /**
   * Calls `onSignal` when another node may have committed a change to the change log (and after
   * reconnecting, since signals may have been missed); returns the stop. Undefined where changes
   * are found only by reading the log periodically (SQLite: one machine, no notifications).
   */
  readonly watchChanges: ((onSignal: () => void) => Promise<() => Promise<void>>) | undefined;
  /** A cheap round trip, for readiness checks, that fails within `timeoutMs`. */
  ping(timeoutMs?: number): Promise<void>;
}

/**
 * A record that must commit atomically with a request's work: an Idempotency-Key's
 * (src/core/idempotency.ts). Every transaction started in its async context calls `write` first;
 * the claim writes once (in the first transaction that commits), so the record and the mutation
 * it guards commit or roll back together.
 */
export interface TransactionClaim {
  /** Writes the record in this transaction, unless it is already written; true when it wrote. */
  write(repos: Repositories): Promise<boolean>;
  /** The transaction `write` wrote in committed. */
  committed(): void;
  /** The transaction `write` wrote in rolled back: nothing was recorded. */
  rolledBack(): void;
}

const claims = new AsyncLocalStorage<TransactionClaim>();

/** Runs `work` so that the transactions it starts write `claim` (see TransactionClaim). */
export function withTransactionClaim<T>(claim: TransactionClaim, work: () => T): T {
  return claims.run(claim, work);
}

/** The claim a transaction starting now must write, if any: for Storage implementations. */
export function currentTransactionClaim(): TransactionClaim | undefined {
  return claims.getStore();
}
