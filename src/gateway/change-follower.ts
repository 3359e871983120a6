import type { ChangeRecord } from "../core/records.js";
import type { Storage } from "../core/storage.js";
import type { GatewayState } from "./gateway-state.js";

export interface ChangeFollowerOptions {
  /**
   * Read the change log this often, whether or not a signal came: what a lost notification or
   * a write from another process (SQLite) costs at most. 0: only when asked (tests).
   */
  pollIntervalMs?: number;
  /** Listen for the database's notifications (PostgreSQL); off, the poll alone reads the log. */
  notifications?: boolean;
  /** Reload every key, workspace and organization this often (drift's upper bound). 0: never. */
  reconcileIntervalMs?: number;
  /** Changes older than this are pruned from the log at each reconciliation. */
  retentionMs?: number;
  /**
   * A seq skipped by the log (its transaction had not committed when a later one was read) is
   * looked for again until it is this old; a rolled-back transaction's seq never comes.
   */
  gapTimeoutMs?: number;
  onError?: (error: unknown) => void;
  now?: () => number;
}

export const DEFAULT_POLL_INTERVAL_MS = 1_000;
/** SQLite has no notifications: another process's commit is found by reading, so more often. */
export const DEFAULT_POLL_INTERVAL_WITHOUT_SIGNALS_MS = 250;
export const DEFAULT_RECONCILE_INTERVAL_MS = 60_000;
const DEFAULT_RETENTION_MS = 24 * 60 * 60_000;
const DEFAULT_GAP_TIMEOUT_MS = 60_000;
const PAGE = 1_000;
const MAX_GAPS = 10_000;

/**
 * Keeps a node's GatewayState in step with the database's change log (migration 0018), which
 * triggers write for every committed change to a key, workspace or organization, whoever made
 * it. The log is read after each signal (PostgreSQL's notification, delivered at commit), on a
 * short poll (a missed signal, or SQLite), and the whole state is reloaded on a long period, which
 * bounds any drift the log cannot see. Reads are serialized: one at a time, and a signal that
 * comes during one is served by another right after it.
 *
 * Seqs are handed out when a row is inserted but become visible when its transaction commits, so
 * on PostgreSQL a later seq can be read before an earlier one: the earlier one is remembered as a
 * gap and looked for again, until it is found or times out (rolled back, or past the reload).
 */
export class ChangeFollower {
  #watermark = 0;
  /** Seqs below the watermark not seen yet, and when each was first missed. */
  readonly #gaps = new Map<number, number>();
  #running: Promise<void> | undefined;
  #again = false;
  #reloadNext = false;
  #pollTimer: NodeJS.Timeout | undefined;
  #reconcileTimer: NodeJS.Timeout | undefined;
  #stopWatching: (() => Promise<void>) | undefined;
  #failing = false;
  #closed = false;
  readonly #options: Required<Omit<ChangeFollowerOptions, "onError" | "now" | "notifications">>;
  readonly #notifications: boolean;
  readonly #onError: (error: unknown) => void;
  readonly #now: () => number;

  constructor(
    private readonly store: Storage,
    private readonly state: GatewayState,
    options: ChangeFollowerOptions = {},
  ) {
    this.#notifications = options.notifications ?? true;
    const signals = this.#notifications && store.watchChanges !== undefined;
    this.#options = {
      pollIntervalMs:
        options.pollIntervalMs ??
        (signals ? DEFAULT_POLL_INTERVAL_MS : DEFAULT_POLL_INTERVAL_WITHOUT_SIGNALS_MS),
      reconcileIntervalMs: options.reconcileIntervalMs ?? DEFAULT_RECONCILE_INTERVAL_MS,
      retentionMs: options.retentionMs ?? DEFAULT_RETENTION_MS,
      gapTimeoutMs: options.gapTimeoutMs ?? DEFAULT_GAP_TIMEOUT_MS,
    };
    this.#onError = options.onError ?? (() => {});
    this.#now = options.now ?? Date.now;
  }

  /** The highest seq applied: every change up to it (gaps aside) is in memory. */
  get watermark(): number {
    return this.#watermark;
  }

  /**
   * Loads the whole state, then starts following. The log's position is read before the load, so
   * that what commits during the load is read again after it: nothing falls between the two.
   */
  async start(): Promise<void> {
    const from = await this.store.read.changeLog.latestSeq();
    await this.state.load();
    this.#watermark = from;
    await this.catchUp();
    if (this.#notifications) {
      this.#stopWatching = await this.store.watchChanges?.(() => void this.catchUp());
    }
    const { pollIntervalMs, reconcileIntervalMs } = this.#options;
    if (pollIntervalMs > 0) {
      this.#pollTimer = setInterval(() => void this.catchUp(), pollIntervalMs);
      this.#pollTimer.unref();
    }
    if (reconcileIntervalMs > 0) {
      this.#reconcileTimer = setInterval(() => void this.reconcile(), reconcileIntervalMs);
      this.#reconcileTimer.unref();
    }
  }

  /** Applies what the log holds past the watermark. Never rejects: failures are reported. */
  catchUp(): Promise<void> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = this.#run().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  /**
   * Reloads everything, then reads the log again from where it stood before the reload, since a
   * change that committed during the reload may have been read back older. Prunes the log.
   */
  reconcile(): Promise<void> {
    this.#reloadNext = true;
    return this.catchUp();
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#pollTimer);
    clearInterval(this.#reconcileTimer);
    await this.#stopWatching?.();
    await this.#running;
  }

  async #run(): Promise<void> {
    do {
      this.#again = false;
      try {
        if (this.#reloadNext) {
          this.#reloadNext = false;
          await this.#reload();
        }
        await this.#readLog();
        this.#failing = false;
      } catch (error) {
        // Reported once per outage; the next signal or poll tries again.
        if (!this.#failing) {
          this.#failing = true;
          this.#onError(error);
        }
        return;
      }
    } while (this.#again && !this.#closed);
  }

  async #reload(): Promise<void> {
    const changeLog = this.store.read.changeLog;
    const from = await changeLog.latestSeq();
    await this.state.load();
    this.#watermark = Math.min(this.#watermark, from);
    const before = new Date(this.#now() - this.#options.retentionMs).toISOString();
    await changeLog.prune(before);
  }

  async #readLog(): Promise<void> {
    for (;;) {
      this.#expireGaps();
      const changes = await this.store.read.changeLog.since(
        this.#watermark,
        [...this.#gaps.keys()],
        PAGE,
      );
      if (changes.length === 0) {
        return;
      }
      await this.#apply(changes);
      this.#advance(changes);
      if (changes.length < PAGE) {
        return;
      }
    }
  }

  async #apply(changes: readonly ChangeRecord[]): Promise<void> {
    const keys = new Set<string>();
    const workspaces = new Set<string>();
    const organizations = new Set<string>();
    const own = this.store.origin;
    for (const change of changes) {
      if (own !== undefined && change.origin === own) {
        // This node's own write: it reloaded the rows before the admin saw the response.
        continue;
      }
      if (change.entity === "api_key") {
        keys.add(change.entity_id);
      } else if (change.entity === "workspace") {
        workspaces.add(change.entity_id);
      } else if (change.entity === "organization") {
        organizations.add(change.entity_id);
      }
    }
    // Limits before keys: a key of a new workspace finds its workspace.
    for (const id of organizations) {
      await this.state.organizationChanged(id);
    }
    for (const id of workspaces) {
      await this.state.workspaceChanged(id);
    }
    if (keys.size > 0) {
      await this.state.apiKeysChanged([...keys]);
    }
  }

  #advance(changes: readonly ChangeRecord[]): void {
    const now = this.#now();
    let expected = this.#watermark + 1;
    for (const { seq } of changes) {
      if (seq <= this.#watermark) {
        this.#gaps.delete(seq); // a gap filled
        continue;
      }
      for (; expected < seq && this.#gaps.size < MAX_GAPS; expected += 1) {
        this.#gaps.set(expected, now);
      }
      expected = seq + 1;
      this.#watermark = seq;
    }
  }

  #expireGaps(): void {
    const oldest = this.#now() - this.#options.gapTimeoutMs;
    for (const [seq, since] of this.#gaps) {
      if (since < oldest) {
        this.#gaps.delete(seq);
      }
    }
  }
}
