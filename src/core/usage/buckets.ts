import type { BucketWidth } from "../../contract/usage.js";
import { invalidRequest } from "../errors.js";

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

export const WIDTH_MS: Record<BucketWidth, number> = {
  "1m": MINUTE_MS,
  "1h": HOUR_MS,
  "1d": DAY_MS,
};

/** Buckets per report page, as the Admin API documents them. */
export const BUCKET_LIMITS: Record<BucketWidth, { default: number; max: number }> = {
  "1m": { default: 60, max: 1440 },
  "1h": { default: 24, max: 168 },
  "1d": { default: 7, max: 31 },
};

export const floorTo = (ms: number, width: number): number => Math.floor(ms / width) * width;

/** The instant as stored timestamps are written (`Date#toISOString()`). */
export const iso = (ms: number): string => new Date(ms).toISOString();

/** RFC 3339 without milliseconds, as the Admin API writes bucket bounds. */
export const rfc3339 = (ms: number): string => new Date(ms).toISOString().replace(".000Z", "Z");

/** The first instant of the UTC month after the one holding `ms`. */
export function nextMonthStart(ms: number): number {
  const date = new Date(ms);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
}

/**
 * Report pages are named by the start of their first bucket, base64-encoded behind `page_` as
 * the Admin API's own tokens are. The rest of the query is sent again with the token.
 */
export function encodePage(bucketStartMs: number): string {
  return `page_${Buffer.from(rfc3339(bucketStartMs)).toString("base64")}`;
}

export function decodePage(token: string): number {
  const payload = token.startsWith("page_") ? token.slice(5) : "";
  const text = Buffer.from(payload, "base64").toString("utf8");
  const ms = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw invalidRequest(
      "querystring.page: not a page token from this report; pass next_page as it was returned",
    );
  }
  return ms;
}

/** One page of a bucketed report: buckets from `first` to `last` (exclusive). */
export interface BucketPage {
  first: number;
  last: number;
  widthMs: number;
  /** The token of the page after this one; null on the last. */
  nextPage: string | null;
}

/**
 * The page a bucketed report's query asks for: buckets of `width` from `starting_at` (floored to
 * the width) to `ending_at` (floored), or to `openEnd(start)` without one, at most `limit` of them
 * from the page token's bucket. `checkEnd` refuses an `ending_at` the report does not take.
 */
export function bucketPage(
  query: {
    starting_at: string;
    ending_at?: string | undefined;
    limit?: number | undefined;
    page?: string | undefined;
  },
  width: BucketWidth,
  limits: { default: number; max: number },
  bounds: {
    checkEnd(startingAt: number, endingAt: number): void;
    openEnd(start: number): number;
  },
): BucketPage {
  const widthMs = WIDTH_MS[width];
  const limit = query.limit ?? limits.default;
  if (limit > limits.max) {
    throw invalidRequest(
      `querystring.limit: at most ${limits.max} buckets of ${width} per page (got ${limit})`,
    );
  }
  const startingAt = Date.parse(query.starting_at);
  const start = floorTo(startingAt, widthMs);
  let end: number;
  if (query.ending_at !== undefined) {
    const endingAt = Date.parse(query.ending_at);
    bounds.checkEnd(startingAt, endingAt);
    end = floorTo(endingAt, widthMs);
  } else {
    end = bounds.openEnd(start);
  }
  let first = start;
  if (query.page !== undefined) {
    first = decodePage(query.page);
    if (first % widthMs !== 0 || first < start || first >= end) {
      throw invalidRequest(
        "querystring.page: this token belongs to another query; send the same parameters with it",
      );
    }
  }
  const last = Math.max(first, Math.min(end, first + limit * widthMs));
  return { first, last, widthMs, nextPage: last < end ? encodePage(last) : null };
}

/** A decimal string of cents, exact, from integer nano-dollars: 1e7 nanos to the cent. */
export function centsOf(nanos: number): string {
  const whole = Math.floor(nanos / 1e7);
  const fraction = String(nanos - whole * 1e7)
    .padStart(7, "0")
    .replace(/0+$/, "");
  return fraction === "" ? String(whole) : `${whole}.${fraction}`;
}

/** Dollars from integer nano-dollars (one division, so sums stay as exact as a double allows). */
export const usdOf = (nanos: number): number => nanos / 1e9;
