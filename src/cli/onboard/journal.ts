import { closeSync, existsSync, fsyncSync, openSync, readFileSync, writeSync } from "node:fs";

/**
 * The onboarding journal: an append-only NDJSON log next to the CSV, each line fsynced before
 * anything depends on it. Before a row's request is sent, an `attempt` line records the random
 * idempotency key and the exact body; after the answer, a `result` line records the outcome. On a
 * later run, finished rows are skipped, and unfinished ones are sent again with the same key and
 * body, so the server replays its first answer instead of onboarding anyone twice. It holds no
 * secrets (those go to the keys file). A line torn by a crash mid-write is ignored.
 */

export type Outcome = "onboarded" | "exists" | "failed";

export interface RunEntry {
  type: "run";
  at: string;
  base_url: string;
  organization_id: string;
}

export interface AttemptEntry {
  type: "attempt";
  at: string;
  /** The row's email, lower case. */
  id: string;
  line: number;
  idempotency_key: string;
  body: unknown;
}

export interface ResultEntry {
  type: "result";
  at: string;
  id: string;
  idempotency_key: string;
  outcome: Outcome;
  /** A failure the same request may get past (a network error, a 5xx, a 429). */
  retryable?: boolean;
  invite_id?: string | null;
  api_key_id?: string | null;
  message?: string;
}

export type Entry = RunEntry | AttemptEntry | ResultEntry;

/** Where a row stands after the runs so far. */
export interface RowState {
  attempt?: AttemptEntry;
  result?: ResultEntry;
}

export class Journal {
  readonly path: string;
  readonly #fd: number;
  readonly states = new Map<string, RowState>();
  run: RunEntry | undefined;

  private constructor(path: string, fd: number, entries: Entry[]) {
    this.path = path;
    this.#fd = fd;
    for (const entry of entries) {
      this.#apply(entry);
    }
  }

  static open(path: string): Journal {
    const entries: Entry[] = [];
    const text = existsSync(path) ? readFileSync(path, "utf8") : "";
    for (const line of text.split("\n")) {
      try {
        if (line.trim() !== "") {
          entries.push(JSON.parse(line) as Entry);
        }
      } catch {
        // A line torn by a crash mid-write: the write it belonged to never completed (an attempt
        // never sent, or a result to be learned again by sending the attempt again).
      }
    }
    const fd = openSync(path, "a", 0o600);
    const journal = new Journal(path, fd, entries);
    if (text !== "" && !text.endsWith("\n")) {
      // Start the next entry on a line of its own after a torn one.
      writeSync(fd, "\n");
    }
    return journal;
  }

  #apply(entry: Entry): void {
    if (entry.type === "run") {
      this.run ??= entry;
      return;
    }
    const state = this.states.get(entry.id) ?? {};
    if (entry.type === "attempt") {
      state.attempt = entry;
      delete state.result;
    } else if (state.attempt?.idempotency_key === entry.idempotency_key) {
      state.result = entry;
    }
    this.states.set(entry.id, state);
  }

  /** Appends an entry and waits for it to reach the disk. */
  append(entry: Entry): void {
    writeSync(this.#fd, `${JSON.stringify(entry)}\n`);
    fsyncSync(this.#fd);
    this.#apply(entry);
  }

  close(): void {
    closeSync(this.#fd);
  }
}
