import { bar, displayWidth } from "../output.js";

export interface Counts {
  onboarded: number;
  exists: number;
  failed: number;
}

/**
 * Progress on stderr: a bar redrawn in place when stderr is a terminal, otherwise a plain line
 * every few seconds (logs and CI).
 */
export class Progress {
  readonly #total: number;
  readonly #tty: boolean;
  readonly #intervalMs: number;
  #last = 0;
  #drawn = false;

  constructor(total: number, options: { tty?: boolean; intervalMs?: number } = {}) {
    this.#total = total;
    this.#tty = options.tty ?? process.stderr.isTTY === true;
    this.#intervalMs = options.intervalMs ?? (this.#tty ? 100 : 5000);
  }

  #text(done: number, c: Counts): string {
    return `${done}/${this.#total} (${c.onboarded} onboarded, ${c.exists} already there, ${c.failed} failed)`;
  }

  update(done: number, counts: Counts, final = false): void {
    const now = Date.now();
    if (!final && now - this.#last < this.#intervalMs) {
      return;
    }
    this.#last = now;
    if (this.#tty) {
      const width = 30;
      const filled = bar(done, this.#total, width);
      const line = `onboarding [${filled}${" ".repeat(Math.max(0, width - displayWidth(filled)))}] ${this.#text(done, counts)}`;
      process.stderr.write(`\r\x1b[2K${line}${final ? "\n" : ""}`);
      this.#drawn = !final;
    } else if (final || done > 0) {
      process.stderr.write(`steward: onboarding ${this.#text(done, counts)}\n`);
    }
  }

  /** Ends the bar's line before other output. */
  clear(): void {
    if (this.#drawn) {
      process.stderr.write("\r\x1b[2K");
      this.#drawn = false;
    }
  }
}
