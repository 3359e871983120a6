import { isAscii } from "node:buffer";
import { randomBytes } from "node:crypto";

/**
 * Reading the few fields the gateway needs (a request's model and limits, an answer's usage) from
 * JSON bodies it passes on untouched, at a cost that does not grow with the text they carry.
 *
 * Parsing a whole body materializes every string in it: a request with a base64 image is a
 * string of megabytes before JSON.parse starts, and V8 puts a string that large in memory of its
 * own, mapped for it and unmapped after it, while no other request moves. A large body is
 * therefore parsed as a skeleton: each long string is replaced by a short stand-in that records
 * where the string lies in the body, found by searching for quotes (memchr) without decoding what
 * lies between them. The gateway reads only short strings (models, types); the rest it needs only
 * to measure.
 * Trick: saves the event loop most of a large body's parse (bench/README.md#large-request-bodies).
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** From this size a body is parsed as a skeleton; below it, whole (JSON.parse is faster there). */
const SKELETON_FROM_BYTES = 64 * 1024;
/** Strings of at least this many bytes, between their quotes, are left out of a skeleton. */
const LONG_STRING_BYTES = 1024;
// A skeleton is given up for the whole text once the short strings found pass this many, plus one
// for every so many bytes left out so far: the search for a short string costs about what decoding
// that many bytes does, and a body whose long strings come first (the usual order: messages, then
// tools) is still read as a skeleton to its end.
const SHORT_STRINGS_ALLOWED = 1000;
const BYTES_LEFT_OUT_PER_SHORT_STRING = 64;

// A stand-in is this process's random tag, then the string's span in the body: only a body that
// knew the tag could hold a string that reads as one. It starts with U+0000, which a real model
// or type never does.
const TAG = `\u0000skipped-${randomBytes(8).toString("hex")}:`;
const TAG_IN_JSON = JSON.stringify(TAG).slice(1, -1);

export interface SkeletonOptions {
  /** Bodies from this size are parsed as a skeleton. */
  skeletonFromBytes?: number;
  /** Strings of at least this many bytes are left out of a skeleton. */
  longStringBytes?: number;
}

const BEYOND_ASCII = /[\u0080-\uffff]/;

/**
 * A JSON body parsed for the few fields the gateway reads of it. A long string of a large body
 * comes back as a stand-in: read a string with `textOf`, measure one with `byteLengthOf`.
 *
 * One multi-byte character in a body's text (any non-English answer, an emoji) makes the whole
 * body a two-byte string in V8, parsed by its slower two-byte parser. A body is read with each
 * byte as one character (latin1)
 * instead: JSON's structure is ASCII, so that parses to the same structure as UTF-8 decoding, and
 * is valid exactly when that is. Only the strings the caller reads must be real text: when one of
 * `readStrings` has a byte beyond ASCII, the body is parsed again as UTF-8.
 * Trick: saves the two-byte parse of every non-ASCII answer (bench/README.md#gateway-tricks).
 *
 * A skeleton does not check the text inside the strings it leaves out (a raw control character,
 * a bad escape): such a body goes upstream, which refuses it.
 */
export function parseJsonBytes(
  body: Buffer,
  readStrings: (parsed: Record<string, unknown>) => ReadonlyArray<unknown>,
  options: SkeletonOptions = {},
): unknown {
  const skeleton = body.length >= (options.skeletonFromBytes ?? SKELETON_FROM_BYTES);
  const longStringBytes = options.longStringBytes ?? LONG_STRING_BYTES;
  const textIn = (encoding: "latin1" | "utf8") =>
    skeleton ? skeletonOf(body, encoding, longStringBytes) : body.toString(encoding);
  const parsed: unknown = JSON.parse(textIn("latin1"));
  if (!isAscii(body) && parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)) {
    for (const value of readStrings(parsed as Record<string, unknown>)) {
      if (typeof value === "string" && BEYOND_ASCII.test(value)) {
        return JSON.parse(textIn("utf8"));
      }
    }
  }
  return parsed;
}

/** A value of parseJsonBytes' result as it is in the body: a left-out string's real text. */
export function textOf(body: Buffer, value: unknown): unknown {
  const span = spanOf(value);
  if (span === undefined) {
    return value;
  }
  // The string's bytes as written, escapes included, with its quotes.
  return JSON.parse(body.toString("utf8", span.start - 1, span.end + 1));
}

/**
 * The length of a string of parseJsonBytes' result: for a left-out one, its bytes as written in
 * the body (an escape counts as the bytes it takes there), otherwise its UTF-16 length.
 */
export function byteLengthOf(value: string): number {
  const span = spanOf(value);
  return span === undefined ? value.length : span.end - span.start;
}

/** Where a stand-in's string lies in the body: from `start` to `end`, quotes excluded. */
function spanOf(value: unknown): { start: number; end: number } | undefined {
  if (typeof value !== "string" || !value.startsWith(TAG)) {
    return undefined;
  }
  const separator = value.indexOf(":", TAG.length);
  return {
    start: Number(value.slice(TAG.length, separator)),
    end: Number(value.slice(separator + 1)),
  };
}

/**
 * The body's text with each string of at least `longStringBytes` bytes replaced by a stand-in; the
 * whole text when short strings come so thick and long ones so rare that finding them all would
 * cost more than decoding them (a body of tool schemas: thousands of names and types, nothing
 * long). Each string found costs two searches; each byte left out saves its decoding.
 */
function skeletonOf(body: Buffer, encoding: "latin1" | "utf8", longStringBytes: number): string {
  const pieces: string[] = [];
  let copiedTo = 0;
  let from = 0;
  let strings = 0;
  let leftOut = 0;
  for (;;) {
    // Outside strings, a quote in valid JSON can only open one.
    const open = body.indexOf(QUOTE, from);
    if (open === -1) {
      break;
    }
    const close = closingQuote(body, open);
    if (close - open - 1 >= longStringBytes) {
      pieces.push(body.toString(encoding, copiedTo, open), `"${TAG_IN_JSON}${open + 1}:${close}"`);
      copiedTo = close + 1;
      leftOut += close - open - 1;
    } else if (++strings > SHORT_STRINGS_ALLOWED + leftOut / BYTES_LEFT_OUT_PER_SHORT_STRING) {
      return body.toString(encoding);
    }
    from = close + 1;
  }
  pieces.push(body.toString(encoding, copiedTo));
  return pieces.join("");
}

/** The quote that closes the string opened at `open`: the next one not escaped by a backslash. */
function closingQuote(body: Buffer, open: number): number {
  let from = open + 1;
  for (;;) {
    const quote = body.indexOf(QUOTE, from);
    if (quote === -1) {
      throw new SyntaxError(`Unterminated string in JSON at position ${open}`);
    }
    // Escaped when an odd number of backslashes runs up to it (each pair is one escaped backslash).
    let backslashes = 0;
    while (body[quote - 1 - backslashes] === BACKSLASH) {
      backslashes++;
    }
    if (backslashes % 2 === 0) {
      return quote;
    }
    from = quote + 1;
  }
}
