import { formatUsd as usd } from "@steward/sdk";
import stringWidth from "string-width";

/**
 * Output for people (tables, bars, sentences) and for scripts (`--json`: JSON on stdout and
 * nothing else; messages and warnings go to stderr).
 */

export interface OutputOptions {
  json?: boolean;
}

export function writeOut(text: string): void {
  process.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
}

export function writeErr(text: string): void {
  process.stderr.write(text.endsWith("\n") ? text : `${text}\n`);
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** JSON for `--json`, else the human form. */
export function print(options: OutputOptions, value: unknown, human: () => string): void {
  if (options.json) {
    printJson(value);
  } else {
    writeOut(human());
  }
}

export interface Column<T> {
  header: string;
  value: (row: T) => string;
  align?: "left" | "right";
}

/** A plain table: upper-case headers, columns two spaces apart, `(none)` when empty. */
export function table<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  if (rows.length === 0) {
    return "(none)";
  }
  const cells = rows.map((row) => columns.map((c) => c.value(row)));
  const headers = columns.map((c) => c.header.toUpperCase());
  const widths = columns.map((_, i) =>
    Math.max(displayWidth(headers[i] ?? ""), ...cells.map((r) => displayWidth(r[i] ?? ""))),
  );
  const line = (values: string[]) =>
    values
      .map((value, i) => {
        const pad = " ".repeat(Math.max(0, (widths[i] ?? 0) - displayWidth(value)));
        return columns[i]?.align === "right" ? pad + value : value + pad;
      })
      .join("  ")
      .trimEnd();
  return [line(headers), ...cells.map(line)].join("\n");
}

/** Every column of plain records, in the first record's key order. */
export function recordTable(rows: readonly Record<string, string>[]): string {
  const keys = Object.keys(rows[0] ?? {});
  return table(
    rows,
    keys.map((key) => ({ header: key, value: (r) => r[key] ?? "" })),
  );
}

/**
 * Columns `text` takes on a terminal: CJK characters and most emoji take two, combining marks and
 * zero-width characters none, ANSI escapes none.
 */
export function displayWidth(text: string): number {
  return stringWidth(text);
}

const EIGHTHS = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];

/** A horizontal bar of `value` against `max`, `width` characters at most, to the eighth. */
export function bar(value: number, max: number, width = 24): string {
  if (!(max > 0) || !(value > 0)) {
    return "";
  }
  const eighths = Math.max(1, Math.round((Math.min(value, max) / max) * width * 8));
  return "█".repeat(Math.floor(eighths / 8)) + (EIGHTHS[eighths % 8] ?? "");
}

const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

export function formatCount(n: number | null | undefined): string {
  return n === null || n === undefined ? "-" : integer.format(n);
}

/** `$1,234.56`, a non-zero amount under a cent with the digits to show it (`$0.0042`); `-` for none. */
export function formatUsd(n: number | null | undefined): string {
  return n === null || n === undefined ? "-" : usd(n);
}

/** A timestamp without its milliseconds, for tables. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) {
    return "never";
  }
  return iso.replace(/\.\d{3}Z$/, "Z");
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
