import type { TokenUsage } from "../core/usage/prices.js";
import { parseJsonBytes, textOf } from "./json-bytes.js";

/**
 * Token usage (core's TokenUsage) as the upstream reports it, read from a JSON Message or from an
 * SSE stream as its bytes pass. For streams, `message_start` carries the input side and each
 * `message_delta` carries cumulative counts: the last one wins, nothing is added up.
 */
export interface Usage extends TokenUsage {
  /**
   * The first count the upstream sent that is not a non-negative safe integer (`output_tokens:
   * 1e+21`), or null. Such a count is not taken: the request's usage cannot be trusted, so it is
   * kept apart (a dead letter), never summed.
   */
  invalid: string | null;
}

export const emptyUsage = (): Usage => ({
  inputTokens: 0,
  outputTokens: 0,
  cacheCreation5mTokens: 0,
  cacheCreation1hTokens: 0,
  cacheReadTokens: 0,
  webSearchRequests: 0,
  serviceTier: null,
  inferenceGeo: null,
  invalid: null,
});

/**
 * A token count: absent (undefined or null) is undefined; a non-negative safe integer is taken
 * as it is; anything else (a fraction, a negative, 1e21, a string) is not taken and marks `into`.
 */
function count(into: Usage, field: string, value: unknown): number | undefined {
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) {
    return value;
  }
  if (value !== undefined && value !== null && into.invalid === null) {
    into.invalid = `usage.${field} is ${typeof value === "number" ? String(value) : JSON.stringify(value)?.slice(0, 100)}`;
  }
  return undefined;
}

/** Folds one upstream `usage` object into `into`; absent fields keep their previous value. */
export function mergeUsage(into: Usage, raw: unknown): void {
  if (raw === null || typeof raw !== "object") {
    return;
  }
  const u = raw as Record<string, unknown>;
  into.inputTokens = count(into, "input_tokens", u.input_tokens) ?? into.inputTokens;
  into.outputTokens = count(into, "output_tokens", u.output_tokens) ?? into.outputTokens;
  into.cacheReadTokens =
    count(into, "cache_read_input_tokens", u.cache_read_input_tokens) ?? into.cacheReadTokens;
  const split = u.cache_creation as Record<string, unknown> | null | undefined;
  const fiveMinutes = count(
    into,
    "cache_creation.ephemeral_5m_input_tokens",
    split?.ephemeral_5m_input_tokens,
  );
  const oneHour = count(
    into,
    "cache_creation.ephemeral_1h_input_tokens",
    split?.ephemeral_1h_input_tokens,
  );
  if (fiveMinutes !== undefined || oneHour !== undefined) {
    into.cacheCreation5mTokens = fiveMinutes ?? 0;
    into.cacheCreation1hTokens = oneHour ?? 0;
  } else {
    // Without the split, cache writes are the 5-minute kind (the default TTL), unless the total
    // merely repeats the split an earlier event gave.
    const total = count(into, "cache_creation_input_tokens", u.cache_creation_input_tokens);
    if (total !== undefined && total !== into.cacheCreation5mTokens + into.cacheCreation1hTokens) {
      into.cacheCreation5mTokens = total;
      into.cacheCreation1hTokens = 0;
    }
  }
  const tools = u.server_tool_use as Record<string, unknown> | null | undefined;
  into.webSearchRequests =
    count(into, "server_tool_use.web_search_requests", tools?.web_search_requests) ??
    into.webSearchRequests;
  if (typeof u.service_tier === "string") {
    into.serviceTier = u.service_tier;
  }
  if (typeof u.inference_geo === "string") {
    into.inferenceGeo = u.inference_geo;
  }
}

export interface StreamOutcome {
  usage: Usage;
  model: string | null;
  sawMessageStart: boolean;
  sawMessageStop: boolean;
  /** The type of an `event: error` the upstream sent mid-stream, if any. */
  errorType: string | null;
}

const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const COLON = 0x3a;
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);
/** The events that carry usage or say how a stream ended; the others are not decoded. */
const USAGE_EVENTS = new Set(["message_start", "message_delta", "message_stop", "error"]);
/** Their names' lengths: content_block_start, _delta, _stop and ping have other lengths. */
const USAGE_EVENT_NAME_LENGTHS = new Set([...USAGE_EVENTS].map((name) => name.length));

/** Whether the line at `at` is an `event:` field. */
const isEventField = (bytes: Buffer, at: number): boolean =>
  bytes[at] === 0x65 && // e
  bytes[at + 1] === 0x76 && // v
  bytes[at + 2] === 0x65 && // e
  bytes[at + 3] === 0x6e && // n
  bytes[at + 4] === 0x74 && // t
  bytes[at + 5] === COLON;

/**
 * Reads Server-Sent Events incrementally: feed it chunks as they pass, in any split. Events are
 * framed on the bytes, line by line, and only those whose name says they carry usage are decoded
 * and their JSON parsed: the text deltas that make up most of a stream are passed over. An event
 * is decoded once complete, so a multi-byte character split between chunks is whole by then.
 */
export class SseUsageParser {
  readonly outcome: StreamOutcome = {
    usage: emptyUsage(),
    model: null,
    sawMessageStart: false,
    sawMessageStop: false,
    errorType: null,
  };
  /** The bytes of an event not yet ended by a blank line (a copy: chunks are not kept). */
  #pending: Buffer | undefined = undefined;
  /** Where in #pending its first line not yet read begins. */
  #pendingLine = 0;
  /** Whether the pending event's name (so far) is one of USAGE_EVENTS. */
  #pendingUsage = false;
  #started = false;

  push(chunk: Buffer): void {
    let bytes = chunk;
    let event = 0;
    let line = 0;
    let usage = false;
    if (this.#pending !== undefined) {
      bytes = Buffer.concat([this.#pending, chunk]);
      line = this.#pendingLine;
      usage = this.#pendingUsage;
      this.#pending = undefined;
    }
    if (!this.#started) {
      // A stream may begin with a byte order mark, which is not part of its first event.
      if (bytes.length < UTF8_BOM.length && UTF8_BOM.subarray(0, bytes.length).equals(bytes)) {
        this.#keep(bytes, 0, 0, false);
        return;
      }
      this.#started = true;
      if (bytes.subarray(0, UTF8_BOM.length).equals(UTF8_BOM)) {
        event = line = UTF8_BOM.length;
      }
    }
    for (let lf = bytes.indexOf(LF, line); lf !== -1; lf = bytes.indexOf(LF, line)) {
      const end = lf > line && bytes[lf - 1] === CR ? lf - 1 : lf;
      if (end === line) {
        // A blank line ends the event.
        if (usage) {
          this.#handle(bytes.toString("utf8", event, line));
        }
        event = lf + 1;
        usage = false;
      } else if (isEventField(bytes, line)) {
        // The last event field names the event.
        const name = bytes[line + 6] === SPACE ? line + 7 : line + 6;
        usage =
          USAGE_EVENT_NAME_LENGTHS.has(end - name) &&
          USAGE_EVENTS.has(bytes.toString("latin1", name, end));
      }
      line = lf + 1;
    }
    if (event < bytes.length) {
      this.#keep(bytes, event, line, usage);
    }
  }

  #keep(bytes: Buffer, event: number, line: number, usage: boolean): void {
    this.#pending = Buffer.from(bytes.subarray(event));
    this.#pendingLine = line - event;
    this.#pendingUsage = usage;
  }

  /** Flushes a final event that was not followed by a blank line. */
  end(): StreamOutcome {
    const rest = this.#pending;
    this.#pending = undefined;
    if (rest !== undefined) {
      const bom = !this.#started && rest.subarray(0, UTF8_BOM.length).equals(UTF8_BOM);
      const text = rest.toString("utf8", bom ? UTF8_BOM.length : 0);
      if (text.trim() !== "") {
        this.#handle(text);
      }
    }
    return this.outcome;
  }

  #handle(block: string): void {
    let event = "message";
    const data: string[] = [];
    for (const rawLine of block.split("\n")) {
      const line = rawLine.endsWith("\r") ? rawLine.slice(0, -1) : rawLine;
      if (line.startsWith("event:")) {
        event = line.slice(6).trim();
      } else if (line.startsWith("data:")) {
        data.push(line.slice(5).trimStart());
      }
    }
    if (
      event !== "message_start" &&
      event !== "message_delta" &&
      event !== "message_stop" &&
      event !== "error"
    ) {
      return; // content deltas and pings carry no usage
    }
    if (event === "message_stop") {
      this.outcome.sawMessageStop = true;
      return;
    }
    let payload: Record<string, unknown>;
    try {
      payload = JSON.parse(data.join("\n")) as Record<string, unknown>;
    } catch {
      return;
    }
    if (event === "message_start") {
      this.outcome.sawMessageStart = true;
      const message = payload.message as Record<string, unknown> | undefined;
      if (typeof message?.model === "string") {
        this.outcome.model = message.model;
      }
      mergeUsage(this.outcome.usage, message?.usage);
    } else if (event === "message_delta") {
      mergeUsage(this.outcome.usage, payload.usage);
    } else {
      const error = payload.error as Record<string, unknown> | undefined;
      this.outcome.errorType = typeof error?.type === "string" ? error.type : "api_error";
    }
  }
}

/** The strings of a Message that usageFromMessage keeps. */
const messageStrings = (message: Record<string, unknown>): ReadonlyArray<unknown> => {
  const usage = message.usage as Record<string, unknown> | null | undefined;
  return [message.type, message.model, usage?.service_tier, usage?.inference_geo];
};

/** Usage from a complete JSON Message body; undefined when the body is not one. */
export function usageFromMessage(body: Buffer): { usage: Usage; model: string | null } | undefined {
  try {
    const parsed = parseJsonBytes(body, messageStrings) as Record<string, unknown>;
    if (parsed === null || typeof parsed !== "object" || parsed.type !== "message") {
      return undefined;
    }
    const usage = emptyUsage();
    mergeUsage(usage, parsed.usage);
    // Of a large answer, long strings come back as stand-ins (src/gateway/json-bytes.ts): the
    // ones kept are read whole.
    usage.serviceTier = textOf(body, usage.serviceTier) as string | null;
    usage.inferenceGeo = textOf(body, usage.inferenceGeo) as string | null;
    const model = textOf(body, parsed.model);
    return { usage, model: typeof model === "string" ? model : null };
  } catch {
    return undefined;
  }
}
