/**
 * What the fuzz suite asserts of every answer, and how it reports a failure: the request and the
 * answer (long strings cut short), the seed and the replay path.
 */
import fc from "fast-check";

/** Generous: the bound says "did not hang", not "was fast". */
export const HANG_BOUND_MS = 10_000;
/** How long one property may search and shrink before it reports what it has (default runs). */
export const SEARCH_LIMIT_MS = 60_000;

/** SEARCH_LIMIT_MS, or more for a longer search (FUZZ_RUNS). */
export function searchLimitMs(numRuns: number): number {
  return Math.max(SEARCH_LIMIT_MS, numRuns * 400);
}

export interface SentRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string | undefined;
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
}

/** Resolves as `promise` does, or rejects once `ms` have passed without an answer. */
export async function withinBound<T>(
  promise: Promise<T>,
  what: string,
  ms = HANG_BOUND_MS,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms: ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, hang]);
  } finally {
    clearTimeout(timer);
  }
}

export function short(text: string, max = 300): string {
  return text.length <= max ? text : `${text.slice(0, max)}…(${text.length} chars)`;
}

/** JSON, with long strings and arrays cut short, for a failure message. */
export function brief(value: unknown): string {
  try {
    return short(
      JSON.stringify(value, (_key, item) =>
        typeof item === "string" && item.length > 80
          ? `${item.slice(0, 40)}…(${item.length} chars)`
          : item,
      ) ?? String(value),
      2000,
    );
  } catch (error) {
    return `<${(error as Error).message}>`;
  }
}

export function describeExchange(sent: SentRequest, answer: Answer | undefined): string {
  const request = `${sent.method} ${short(sent.url, 400)} headers=${brief(sent.headers)}${
    sent.body === undefined ? "" : ` body=${short(JSON.stringify(sent.body), 600)}`
  }`;
  if (answer === undefined) {
    return request;
  }
  return `${request}\n  -> ${answer.status} ${brief(answer.headers)} ${short(answer.body, 600)}`;
}

function header(answer: Answer, name: string): string | undefined {
  const value = answer.headers[name];
  return value === undefined ? undefined : String(value);
}

export interface AnswerRules {
  /** Statuses of 500 and over that this request was meant to provoke (an upstream fault). */
  allowedServerErrors?: readonly number[];
  /** The answer may be a stream (gateway /v1/messages). */
  mayStream?: boolean;
}

/**
 * The standards for every answer: no 5xx (unless deliberately caused), a `request-id` header,
 * and for an error the Anthropic envelope, as JSON, with a string request_id.
 * Returns what is wrong, or undefined.
 */
export function problemWith(answer: Answer, rules: AnswerRules = {}): string | undefined {
  if (answer.status >= 500 && !rules.allowedServerErrors?.includes(answer.status)) {
    return `server error ${answer.status}`;
  }
  if (answer.status < 100 || answer.status > 599) {
    return `status ${answer.status}`;
  }
  const requestId = header(answer, "request-id");
  if (requestId === undefined || requestId === "") {
    return "no request-id header";
  }
  const contentType = header(answer, "content-type") ?? "";
  if (answer.status < 400) {
    if (rules.mayStream && contentType.startsWith("text/event-stream")) {
      return undefined;
    }
    if (answer.status === 204 || answer.body === "") {
      return undefined;
    }
    if (!/^(application\/json|text\/csv)\b/.test(contentType)) {
      return `success with content-type ${JSON.stringify(contentType)}`;
    }
    return undefined;
  }
  if (!contentType.startsWith("application/json")) {
    return `error with content-type ${JSON.stringify(contentType)}`;
  }
  let body: any;
  try {
    body = JSON.parse(answer.body);
  } catch {
    return "error body is not JSON";
  }
  if (
    body === null ||
    typeof body !== "object" ||
    body.type !== "error" ||
    typeof body.error !== "object" ||
    body.error === null ||
    typeof body.error.type !== "string" ||
    typeof body.error.message !== "string" ||
    typeof body.request_id !== "string" ||
    body.request_id === ""
  ) {
    return "error outside the envelope {type:'error', error:{type,message}, request_id}";
  }
  return undefined;
}

export interface FuzzParams {
  seed: number;
  numRuns: number;
}

/**
 * Runs the property; on failure throws with the shrunk case's own message (the request and
 * answer), the seed and path to replay it, and how many runs passed first.
 */
export async function assertProperty<T>(
  property: fc.IAsyncPropertyWithHooks<T>,
  params: FuzzParams,
  name: string,
): Promise<void> {
  const result = await fc.check(property, {
    ...params,
    maxSkipsPerRun: 0,
    // A failure that hangs costs HANG_BOUND_MS per shrinking step: stop searching after a while
    // and report the smallest case found by then (an interrupted run counts as a failure).
    interruptAfterTimeLimit: searchLimitMs(params.numRuns),
    markInterruptAsFailure: true,
  });
  if (!result.failed) {
    return;
  }
  const cause =
    result.counterexample === null
      ? `interrupted after ${searchLimitMs(params.numRuns)} ms before any case failed: too slow`
      : result.errorInstance instanceof Error
        ? result.errorInstance.message
        : String(result.errorInstance);
  throw new Error(
    `${name}: failed after ${result.numRuns} run(s) (seed ${result.seed}, path "${result.counterexamplePath}", ${result.numShrinks} shrink(s))\n${cause}`,
  );
}
