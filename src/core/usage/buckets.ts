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
