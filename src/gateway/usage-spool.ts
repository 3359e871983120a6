import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { type FileHandle, open } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { UsageEventRow } from "../core/usage/usage-store.js";

/**
 * Usage events the database could not take, on local disk: while the database is unreachable the
 * recorder holds events in memory up to a bound, and appends the rest here. An append is written
 * and fsynced before the recorder lets go of its events, so what the gateway metered survives a
 * restart during the outage; on start, and when the database answers again, the recorder replays
 * each segment and deletes it only once its events have committed. Events keep their ids, and the
 * database skips an id it already has (rollups included), so a segment replayed twice (a crash
 * between the commit and the delete) is counted once.
 *
 * Files: `usage-<time>-<pid>-<seq>.jsonl`, one event's row as JSON per line, appended to the
 * newest segment; a segment is never appended to after a restart, so a write torn by a crash can
 * only be its last line, which is skipped (its events were not acknowledged as spooled). One
 * process per directory: a lock file names its pid.
 */
export interface SpoolSegment {
  readonly events: UsageEventRow[];
  /** Lines that were not whole events (a torn write), skipped. */
  readonly skipped: number;
  /** Deletes the segment: call only after its events have committed. */
  commit(): void;
}

export const DEFAULT_SPOOL_SEGMENT_BYTES = 16 * 1024 * 1024;
const LOCK_FILE = "spool.lock";
const SEGMENT = /^usage-\d{13}-\d+-\d+\.jsonl$/;

export class SpoolLockedError extends Error {
  constructor(dir: string, pid: number) {
    super(
      `the usage spool ${dir} is in use by process ${pid}: give each Steward process its own METERING_SPOOL_DIR`,
    );
    this.name = "SpoolLockedError";
  }
}

interface SegmentInfo {
  name: string;
  bytes: number;
  events: number;
}

export class UsageSpool {
  readonly #dir: string;
  readonly #segmentBytes: number;
  /** Oldest first: every segment on disk, the one being appended to last. */
  readonly #segments: SegmentInfo[] = [];
  #current: { info: SegmentInfo; handle: FileHandle } | undefined;
  #appending: Promise<void> = Promise.resolve();
  #seq = 0;
  #closed = false;

  private constructor(dir: string, segmentBytes: number) {
    this.#dir = dir;
    this.#segmentBytes = segmentBytes;
  }

  /** Opens (creating) the directory, takes its lock and finds the segments a previous run left. */
  static open(dir: string, options: { segmentBytes?: number } = {}): UsageSpool {
    mkdirSync(dir, { recursive: true });
    takeLock(dir);
    const spool = new UsageSpool(dir, options.segmentBytes ?? DEFAULT_SPOOL_SEGMENT_BYTES);
    for (const name of readdirSync(dir)
      .filter((n) => SEGMENT.test(n))
      .sort()) {
      const text = readFileSync(join(dir, name), "utf8");
      spool.#segments.push({ name, bytes: Buffer.byteLength(text), events: countLines(text) });
    }
    return spool;
  }

  get dir(): string {
    return this.#dir;
  }

  /** Events on disk (a torn last line counted as one). */
  get events(): number {
    let events = 0;
    for (const segment of this.#segments) {
      events += segment.events;
    }
    return events;
  }

  get bytes(): number {
    let bytes = 0;
    for (const segment of this.#segments) {
      bytes += segment.bytes;
    }
    return bytes;
  }

  get empty(): boolean {
    return this.#segments.length === 0;
  }

  /**
   * Appends the events and fsyncs them: once this resolves they are on disk. If it rejects
   * (a full disk), nothing of them counts as spooled; the segment is closed, so a partial line it
   * may hold stays its last one.
   */
  append(events: readonly UsageEventRow[]): Promise<void> {
    const run = this.#appending.then(() => this.#append(events));
    this.#appending = run.catch(() => {});
    return run;
  }

  async #append(events: readonly UsageEventRow[]): Promise<void> {
    if (this.#closed) {
      throw new Error("the usage spool is closed");
    }
    if (events.length === 0) {
      return;
    }
    let text = "";
    for (const event of events) {
      text += `${JSON.stringify(event)}\n`;
    }
    const data = Buffer.from(text);
    const current = await this.#segmentFor(data.length);
    try {
      await current.handle.write(data);
      await current.handle.sync();
    } catch (error) {
      await this.#closeCurrent();
      throw error;
    }
    current.info.bytes += data.length;
    current.info.events += events.length;
  }

  async #segmentFor(bytes: number): Promise<{ info: SegmentInfo; handle: FileHandle }> {
    if (this.#current !== undefined && this.#current.info.bytes + bytes > this.#segmentBytes) {
      await this.#closeCurrent();
    }
    if (this.#current === undefined) {
      this.#seq += 1;
      const name = `usage-${String(Date.now()).padStart(13, "0")}-${process.pid}-${this.#seq}.jsonl`;
      const handle = await open(join(this.#dir, name), "ax");
      // The new name must survive a crash as well as the bytes written under it.
      syncDirectory(this.#dir);
      const info: SegmentInfo = { name, bytes: 0, events: 0 };
      this.#segments.push(info);
      this.#current = { info, handle };
    }
    return this.#current;
  }

  async #closeCurrent(): Promise<void> {
    const current = this.#current;
    this.#current = undefined;
    await current?.handle.close().catch(() => {});
  }

  /**
   * The oldest segment's events, for replay; undefined when the spool is empty. The segment being
   * appended to is closed first, so appends meanwhile go to a new one.
   */
  async oldest(): Promise<SpoolSegment | undefined> {
    await this.#appending;
    const info = this.#segments[0];
    // Closed: the segments are the next process's to replay.
    if (info === undefined || this.#closed) {
      return undefined;
    }
    if (this.#current?.info === info) {
      await this.#closeCurrent();
    }
    const path = join(this.#dir, info.name);
    const { events, skipped } = parseSegment(readFileSync(path, "utf8"));
    return {
      events,
      skipped,
      commit: () => {
        if (this.#closed) {
          throw new Error("the usage spool is closed: its segments are the next start's");
        }
        unlinkSync(path);
        syncDirectory(this.#dir);
        const index = this.#segments.indexOf(info);
        if (index >= 0) {
          this.#segments.splice(index, 1);
        }
      },
    };
  }

  /** Finishes the appends under way, closes the segment and releases the lock. */
  async close(): Promise<void> {
    if (this.#closed) {
      return;
    }
    await this.#appending;
    this.#closed = true;
    await this.#closeCurrent();
    try {
      unlinkSync(join(this.#dir, LOCK_FILE));
    } catch {
      // already gone
    }
  }
}

function countLines(text: string): number {
  let lines = 0;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) {
    lines += 1;
  }
  // A last line without its newline (a torn write) is counted until replay skips it.
  return text.length > 0 && !text.endsWith("\n") ? lines + 1 : lines;
}

function parseSegment(text: string): { events: UsageEventRow[]; skipped: number } {
  const events: UsageEventRow[] = [];
  let skipped = 0;
  for (const line of text.split("\n")) {
    if (line === "") {
      continue;
    }
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch {
      skipped += 1;
      continue;
    }
    if (isEventRow(row)) {
      events.push(row);
    } else {
      skipped += 1;
    }
  }
  return { events, skipped };
}

function isEventRow(row: unknown): row is UsageEventRow {
  if (row === null || typeof row !== "object" || Array.isArray(row)) {
    return false;
  }
  const { id, organization_id: organizationId } = row as Record<string, unknown>;
  return typeof id === "string" && typeof organizationId === "string";
}

function syncDirectory(dir: string): void {
  const fd = openSync(dir, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * One process per spool: two would replay and delete each other's segments. A lock left by a
 * process that is gone (or by this one: an app restarted in the same process) is taken over.
 */
function takeLock(dir: string): void {
  const path = join(dir, LOCK_FILE);
  try {
    writeFileSync(path, String(process.pid), { flag: "wx" });
    return;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") {
      throw error;
    }
  }
  const holder = Number.parseInt(readFileSync(path, "utf8"), 10);
  if (Number.isInteger(holder) && holder !== process.pid && processAlive(holder)) {
    throw new SpoolLockedError(dir, holder);
  }
  writeFileSync(path, String(process.pid));
}

/** The pid of a live process that holds the spool in `dir` (a running server), if any. */
export function spoolHolder(dir: string): number | undefined {
  let holder: number;
  try {
    holder = Number.parseInt(readFileSync(join(dir, LOCK_FILE), "utf8"), 10);
  } catch {
    return undefined;
  }
  return Number.isInteger(holder) && holder !== process.pid && processAlive(holder)
    ? holder
    : undefined;
}

/** The spool directory a configuration names: METERING_SPOOL_DIR, or the default below. */
export function spoolDirOf(config: {
  METERING_SPOOL_DIR?: string | undefined;
  DATABASE_URL: string;
}): string {
  return config.METERING_SPOOL_DIR ?? defaultSpoolDir(config.DATABASE_URL);
}

/** Beside a SQLite database's file; `./data/spool` with PostgreSQL. */
export function defaultSpoolDir(databaseUrl: string): string {
  return databaseUrl.startsWith("sqlite:")
    ? join(dirname(databaseUrl.slice("sqlite:".length)), "spool")
    : join("data", "spool");
}
