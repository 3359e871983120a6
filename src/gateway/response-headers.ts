import type { OutgoingHttpHeaders, ServerResponse } from "node:http";
import type { Rates } from "./group-limits.js";
import type { RateDecision } from "./rate-limiter.js";

/**
 * The headers of an upstream answer as they go to the client, built from the raw name/value
 * buffers undici's parser hands over, as the flat `[name, value, name, value, …]` list that
 * `res.writeHead` takes: in the upstream's order, a repeated header repeated, hop-by-hop headers
 * dropped, and the upstream's request counts replaced by the workspace's own.
 *
 * The upstream sends the same few dozen names in every answer, so each name is looked up by its
 * bytes in a table of names already seen, without making a string of it (which costs V8 a hash
 * and a string-table lookup of every name of every answer); a list also spares Node the object's
 * keys when it writes the head.
 * Trick: saves the serving thread part of every answer's headers (bench/README.md#gateway-tricks).
 */

/** What the gateway does with an upstream header. */
export const HeaderKind = {
  /** Passed to the client as it is. */
  pass: 0,
  /** Not passed: it describes one hop, or Steward's own upstream key. */
  drop: 1,
  contentType: 2,
  contentLength: 3,
  requestId: 4,
  /** The upstream's input-token counts: passed unless the workspace has its own. */
  inputTokens: 5,
  /** The upstream's output-token counts: passed unless the workspace has its own. */
  outputTokens: 6,
} as const;
export type HeaderKind = (typeof HeaderKind)[keyof typeof HeaderKind];

const HOP_BY_HOP = new Set(["connection", "keep-alive", "transfer-encoding", "trailer", "upgrade"]);

/** What a lowercased header name is to the gateway. */
export function headerKindOf(name: string): HeaderKind {
  // Request counts are the workspace's own (or none): the upstream's describe Steward's shared
  // upstream key, not this client.
  if (HOP_BY_HOP.has(name) || name.startsWith("anthropic-ratelimit-requests-")) {
    return HeaderKind.drop;
  }
  if (name.startsWith("anthropic-ratelimit-input-tokens-")) {
    return HeaderKind.inputTokens;
  }
  if (name.startsWith("anthropic-ratelimit-output-tokens-")) {
    return HeaderKind.outputTokens;
  }
  switch (name) {
    case "content-type":
      return HeaderKind.contentType;
    case "content-length":
      return HeaderKind.contentLength;
    case "request-id":
      return HeaderKind.requestId;
    default:
      return HeaderKind.pass;
  }
}

/** A header name seen before: its bytes as received, its name for the client, what it is. */
interface KnownName {
  readonly bytes: Buffer;
  readonly name: string;
  readonly kind: HeaderKind;
}

/**
 * Header names by their bytes. Bounded, for an upstream that would invent names: past the bound,
 * a new name is worked out each time it comes, and not copied.
 */
export class HeaderNameTable {
  readonly #byKey = new Map<number, KnownName[]>();
  #size = 0;

  constructor(readonly capacity = 512) {}

  get size(): number {
    return this.#size;
  }

  lookup(raw: Buffer): KnownName {
    const key = keyOf(raw);
    const candidates = this.#byKey.get(key);
    if (candidates !== undefined) {
      for (const known of candidates) {
        if (sameBytes(known.bytes, raw)) {
          return known;
        }
      }
    }
    const name = raw.toString("latin1").toLowerCase();
    const kind = headerKindOf(name);
    if (this.#size >= this.capacity) {
      return { bytes: raw, name, kind };
    }
    // A copy: `raw` is a view of the socket's chunk, which is reused.
    const known: KnownName = { bytes: Buffer.from(raw), name, kind };
    this.#size += 1;
    if (candidates === undefined) {
      this.#byKey.set(key, [known]);
    } else {
      candidates.push(known);
    }
    return known;
  }
}

/**
 * A small integer from a name's length and a few of its bytes: names that share it are told
 * apart byte by byte. The bytes are taken from the end, where names of one family differ
 * (anthropic-ratelimit-tokens-limit, -remaining, -reset).
 */
function keyOf(raw: Buffer): number {
  const length = raw.length;
  if (length < 2) {
    return length === 0 ? 0 : (raw[0] as number) << 8;
  }
  return (
    (length & 0xff) |
    ((raw[length - 1] as number) << 8) |
    ((raw[length >> 1] as number) << 16) |
    (((raw[length - 2] as number) & 0x3f) << 24)
  );
}

function sameBytes(a: Buffer, b: Buffer): boolean {
  if (a.length !== b.length) {
    return false;
  }
  for (let i = a.length - 1; i >= 0; i--) {
    if (a[i] !== b[i]) {
      return false;
    }
  }
  return true;
}

/** The headers of one answer for the client, and what the gateway reads of them. */
export interface ClientHeaders {
  /** `[name, value, name, value, …]`, as `res.writeHead` takes it. */
  list: string[];
  /** The upstream's first content-type, or undefined. */
  contentType: string | undefined;
  /** Where in `list` the upstream's content-length value is, or -1. */
  contentLengthAt: number;
}

const names = new HeaderNameTable();

/**
 * The client's headers for an answer with the upstream's `raw` headers: the upstream's, but for
 * the dropped ones (and its token counts where the workspace has its own), then the workspace's
 * counts where it has limits, Steward's request id, and that id as `request-id` when the upstream
 * sent none.
 */
export function clientHeaders(
  raw: Buffer[],
  rates: Rates | undefined,
  requestId: string,
  table: HeaderNameTable = names,
): ClientHeaders {
  const list: string[] = [];
  let contentType: string | undefined;
  let contentLengthAt = -1;
  let hasRequestId = false;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const known = table.lookup(raw[i] as Buffer);
    if (
      known.kind === HeaderKind.drop ||
      (known.kind === HeaderKind.inputTokens && rates?.inputTokens !== undefined) ||
      (known.kind === HeaderKind.outputTokens && rates?.outputTokens !== undefined)
    ) {
      continue;
    }
    const value = (raw[i + 1] as Buffer).toString("latin1");
    switch (known.kind) {
      case HeaderKind.contentType:
        contentType ??= value;
        break;
      case HeaderKind.contentLength:
        contentLengthAt = list.length + 1;
        break;
      case HeaderKind.requestId:
        hasRequestId = true;
        break;
    }
    list.push(known.name, value);
  }
  appendRateHeaders(list, rates);
  list.push("x-steward-request-id", requestId);
  if (!hasRequestId) {
    list.push("request-id", requestId);
  }
  return { list, contentType, contentLengthAt };
}

/**
 * Appends the workspace's counts to `list` as Anthropic names them
 * (`anthropic-ratelimit-{requests,input-tokens,output-tokens}-{limit,remaining,reset}`), for each
 * limit it has in the request's group.
 */
function appendRateHeaders(list: string[], rates: Rates | undefined): void {
  if (rates === undefined) {
    return;
  }
  appendOne(list, "anthropic-ratelimit-requests-", rates.requests);
  appendOne(list, "anthropic-ratelimit-input-tokens-", rates.inputTokens);
  appendOne(list, "anthropic-ratelimit-output-tokens-", rates.outputTokens);
}

function appendOne(list: string[], prefix: string, rate: RateDecision | undefined): void {
  if (rate) {
    list.push(
      `${prefix}limit`,
      String(rate.limit),
      `${prefix}remaining`,
      String(rate.remaining),
      `${prefix}reset`,
      resetTime(rate.resetAtMs),
    );
  }
}

/** The workspace's counts, for an answer Steward writes itself (a refusal, an error). */
export function rateHeaders(rates: Rates | undefined): OutgoingHttpHeaders {
  const list: string[] = [];
  appendRateHeaders(list, rates);
  const headers: OutgoingHttpHeaders = {};
  for (let i = 0; i + 1 < list.length; i += 2) {
    headers[list[i] as string] = list[i + 1];
  }
  return headers;
}

// The reset time is written to the second; consecutive requests mostly share it.
let lastResetSecond = Number.NaN;
let lastResetText = "";

/** `resetAtMs` as RFC 3339 without milliseconds, e.g. 2026-01-15T12:00:01Z. */
function resetTime(resetAtMs: number): string {
  const second = Math.floor(resetAtMs / 1000);
  if (second !== lastResetSecond) {
    lastResetText = new Date(second * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
    lastResetSecond = second;
  }
  return lastResetText;
}

/**
 * `res.writeHead(status, list)`. Node merges a list into headers already set on `res` with
 * setHeader, which keeps only the last of a repeated name; then the list goes in as an object,
 * repeated names as arrays, so none is lost.
 */
export function writeHeadList(res: ServerResponse, status: number, list: string[]): void {
  if (res.getHeaderNames().length === 0) {
    res.writeHead(status, list);
    return;
  }
  // Without a prototype, a name like "__proto__" or "constructor" is an own key like any other.
  const merged: Record<string, string | string[]> = Object.create(null);
  for (let i = 0; i + 1 < list.length; i += 2) {
    const name = list[i] as string;
    const value = list[i + 1] as string;
    const previous = merged[name];
    if (previous === undefined) {
      merged[name] = value;
    } else if (Array.isArray(previous)) {
      previous.push(value);
    } else {
      merged[name] = [previous, value];
    }
  }
  res.writeHead(status, merged);
}
