import { InvalidArgumentError } from "commander";

/**
 * The one duration syntax of every flag that takes a duration (`--timeout`, `--grace`,
 * `--key-expires-in`): a number and a unit, `500ms`, `30s`, `5m`, `2h`, `7d`, or several from
 * the largest unit down (`1h30m`, `1d12h`). A bare number is seconds (`0`, `3600`).
 */

const UNIT_MS = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000, ms: 1 } as const;
type Unit = keyof typeof UNIT_MS;
const UNITS = Object.keys(UNIT_MS) as Unit[];

/** For help texts and messages, so that every flag shows the same examples. */
export const DURATION_EXAMPLES = "500ms, 30s, 5m, 2h, 7d or 1h30m";

// `ms` before `m`, so that `500ms` is not read as 500 minutes and a stray `s`.
const PART = /(\d+(?:\.\d+)?)(ms|d|h|m|s)/y;

/** The duration in milliseconds, or undefined when `text` is not one. */
export function durationMs(text: string): number | undefined {
  const value = text.trim();
  if (/^\d+(?:\.\d+)?$/.test(value)) {
    return Number(value) * UNIT_MS.s;
  }
  let total = 0;
  let at = 0;
  let previous = -1;
  while (at < value.length) {
    PART.lastIndex = at;
    const match = PART.exec(value);
    const unit = match?.[2] as Unit | undefined;
    const rank = unit === undefined ? -1 : UNITS.indexOf(unit);
    // Each unit once, largest first: `30m1h` is more likely a typo than a sum.
    if (match === null || unit === undefined || rank <= previous) {
      return undefined;
    }
    total += Number(match[1]) * UNIT_MS[unit];
    previous = rank;
    at = PART.lastIndex;
  }
  return at === 0 ? undefined : total;
}

export interface DurationFlag {
  /** 0 allowed (`--grace 0`: at once); otherwise a duration must be above 0. */
  allowZero?: boolean;
  /** The unit the parsed value is in; seconds must then be whole. */
  unit: "ms" | "s";
}

/** A commander parser for a duration flag: the value in `unit`, or a usage error. */
export function durationFlag(options: DurationFlag): (raw: string) => number {
  return (raw) => {
    const ms = durationMs(raw);
    if (ms === undefined || !Number.isFinite(ms)) {
      throw new InvalidArgumentError(
        `expected a duration such as ${DURATION_EXAMPLES}, not ${JSON.stringify(raw)}`,
      );
    }
    if (ms === 0 ? !options.allowZero : ms < 0) {
      throw new InvalidArgumentError("expected a duration above 0");
    }
    if (options.unit === "ms") {
      return Math.round(ms);
    }
    if (ms % 1000 !== 0) {
      throw new InvalidArgumentError(`expected whole seconds, not ${JSON.stringify(raw)}`);
    }
    return ms / 1000;
  };
}
