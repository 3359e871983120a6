import { parse } from "csv-parse/sync";

/**
 * Reads the onboarding CSV with csv-parse: RFC 4180 quoting (delimiters, line breaks and doubled
 * quotes inside quoted fields), as spreadsheets export it. The encoding is told by a byte-order
 * mark (UTF-8, UTF-16 LE or BE), else UTF-16 by the zero bytes of its ASCII header, else UTF-8.
 * The delimiter is the one of `,` `;` tab `|` the header row uses most (a spreadsheet set to a
 * language with a decimal comma exports `;`). Blank rows are skipped; each record keeps the line
 * it starts on, for messages.
 */

export interface CsvRecord {
  line: number;
  fields: string[];
}

export class CsvError extends Error {}

/** The file's text, decoded as its byte-order mark (or the zero bytes of UTF-16) says. */
export function decodeCsv(bytes: Uint8Array): string {
  const [b0, b1, b2] = bytes;
  let encoding = "utf-8";
  if (b0 === 0xff && b1 === 0xfe) {
    encoding = "utf-16le";
  } else if (b0 === 0xfe && b1 === 0xff) {
    encoding = "utf-16be";
  } else if (!(b0 === 0xef && b1 === 0xbb && b2 === 0xbf) && b0 !== undefined && b1 !== undefined) {
    // No mark: a header row starts with an ASCII letter, which UTF-16 writes next to a zero byte.
    if (b0 !== 0 && b1 === 0) {
      encoding = "utf-16le";
    } else if (b0 === 0 && b1 !== 0) {
      encoding = "utf-16be";
    }
  }
  try {
    // The decoder drops the byte-order mark.
    return new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch {
    const where = encoding === "utf-8" ? `line ${firstBadUtf8Line(bytes)}: ` : "";
    throw new CsvError(
      `${where}the file is not ${encoding === "utf-8" ? "UTF-8" : encoding.toUpperCase()} text: save it as "CSV UTF-8" (or UTF-16 with a byte-order mark)`,
    );
  }
}

/** The first line that is not UTF-8 (a line break is one byte in UTF-8, never inside a character). */
function firstBadUtf8Line(bytes: Uint8Array): number {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let line = 1;
  let start = 0;
  for (;;) {
    const end = bytes.indexOf(0x0a, start);
    try {
      decoder.decode(bytes.subarray(start, end === -1 ? bytes.length : end));
    } catch {
      return line;
    }
    if (end === -1) {
      return line;
    }
    line++;
    start = end + 1;
  }
}

const DELIMITERS = [",", ";", "\t", "|"] as const;

/** The delimiter the header row (the text up to its first line break outside quotes) uses most. */
export function detectDelimiter(text: string): string {
  const counts = new Map<string, number>();
  let quoted = false;
  for (const c of text) {
    if (c === '"') {
      quoted = !quoted;
    } else if (!quoted && (c === "\n" || c === "\r")) {
      break;
    } else if (!quoted && (DELIMITERS as readonly string[]).includes(c)) {
      counts.set(c, (counts.get(c) ?? 0) + 1);
    }
  }
  // Ties go to the earlier of DELIMITERS; a header of one column is read with commas.
  let best: string = ",";
  for (const delimiter of DELIMITERS) {
    if ((counts.get(delimiter) ?? 0) > (counts.get(best) ?? 0)) {
      best = delimiter;
    }
  }
  return best;
}

/** csv-parse's error codes, said for people. */
const PROBLEMS: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: "a quoted field is not closed",
  INVALID_OPENING_QUOTE: "a quote inside an unquoted field (quote the whole field)",
  CSV_INVALID_CLOSING_QUOTE: "text after a closing quote",
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: "text after a closing quote",
};

const LINE_BREAK = /\r\n|\r|\n/g;

/** The records of CSV text (a leading byte-order mark is dropped). */
export function parseCsv(text: string): CsvRecord[] {
  // One kind of line break, so that csv-parse counts lines as editors do whatever the file mixes.
  const input = text.replace(/^\uFEFF/, "").replace(LINE_BREAK, "\n");
  let parsed: Array<{ info: { lines: number }; record: string[] }>;
  try {
    // With `info`, csv-parse answers `{ info, record }` for each record (its types miss that).
    parsed = parse(input, {
      delimiter: detectDelimiter(input),
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
    }) as unknown as typeof parsed;
  } catch (error) {
    const { code, lines } = error as { code?: string; lines?: number };
    const problem = (code !== undefined && PROBLEMS[code]) || (error as Error).message;
    throw new CsvError(lines === undefined ? problem : `line ${lines}: ${problem}`);
  }
  return parsed.map(({ info, record }) => ({
    // csv-parse counts the line a record ends on; its quoted line breaks are in its fields.
    line: info.lines - record.reduce((n, field) => n + (field.match(LINE_BREAK)?.length ?? 0), 0),
    fields: record,
  }));
}

/** The records of a CSV file's bytes. */
export function readCsv(bytes: Uint8Array): CsvRecord[] {
  return parseCsv(decodeCsv(bytes));
}
