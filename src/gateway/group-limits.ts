import { groupById } from "../core/rate-limits/groups.js";
import { isPromiseLike } from "./admission.js";
import type { GroupLimits } from "./gateway-state.js";
import type { RateDecision, RateLimiter } from "./rate-limiter.js";

/** The decisions of a request's limits, for its `anthropic-ratelimit-*` headers. */
export interface Rates {
  requests?: RateDecision | undefined;
  inputTokens?: RateDecision | undefined;
  outputTokens?: RateDecision | undefined;
}

/** Tokens taken at admission from an upper bound, to settle with the real counts at the end. */
export interface TokenHold {
  input?: { bucket: string; perMinute: number; amount: number } | undefined;
  output?: { bucket: string; perMinute: number; amount: number } | undefined;
}

export type LimitsTaken =
  | { ok: true; rates: Rates; hold: TokenHold }
  | { ok: false; rates: Rates; message: string; retryAfterMs: number };

type Step = "requests" | "inputTokens" | "outputTokens";

const UNITS: Record<Step, string> = {
  requests: "requests",
  inputTokens: "input tokens",
  outputTokens: "output tokens",
};

const groupName = (groupId: string) => {
  const group = groupById(groupId);
  return group?.displayName ?? group?.type ?? groupId;
};

/** `fn(value)`, at once when `value` is there, after it when it is a promise. */
function andThen<T, U>(value: T | PromiseLike<T>, fn: (v: T) => U | Promise<U>): U | Promise<U> {
  return isPromiseLike(value) ? Promise.resolve(value).then(fn) : fn(value);
}

/**
 * Takes a request's share of its workspace's limits in its rate-limit group, in order: one
 * request, then its input-token bound, then its output-token bound (max_tokens). The first that
 * does not fit refuses the request, and what was taken before it is given back, so a refused
 * request costs nothing. Answers at once with an in-memory limiter, with a promise with a shared
 * one. No limits (`limits` undefined) takes nothing.
 */
export function takeLimits(
  limiter: RateLimiter,
  workspaceId: string,
  groupId: string,
  limits: GroupLimits | undefined,
  tokens: { input: number; output: number } | undefined,
  nowMs: number,
): LimitsTaken | Promise<LimitsTaken> {
  const rates: Rates = {};
  const hold: TokenHold = {};
  if (limits === undefined) {
    return { ok: true, rates, hold };
  }
  const base = `ws:${workspaceId}:${groupId}`;
  const steps: Array<{ step: Step; bucket: string; perMinute: number; amount: number }> = [];
  if (limits.requestsPerMinute !== null) {
    steps.push({ step: "requests", bucket: base, perMinute: limits.requestsPerMinute, amount: 1 });
  }
  if (tokens !== undefined && limits.inputTokensPerMinute !== null) {
    const amount = tokens.input;
    steps.push({
      step: "inputTokens",
      bucket: `${base}:in`,
      perMinute: limits.inputTokensPerMinute,
      amount,
    });
  }
  if (tokens !== undefined && limits.outputTokensPerMinute !== null) {
    const amount = tokens.output;
    steps.push({
      step: "outputTokens",
      bucket: `${base}:out`,
      perMinute: limits.outputTokensPerMinute,
      amount,
    });
  }
  const next = (index: number): LimitsTaken | Promise<LimitsTaken> => {
    const current = steps[index];
    if (current === undefined) {
      return { ok: true, rates, hold };
    }
    const decision = limiter.take(current.bucket, current.perMinute, nowMs, current.amount);
    return andThen(decision, (decided) => {
      rates[current.step] = decided;
      if (!decided.allowed) {
        for (const taken of steps.slice(0, index)) {
          giveBack(limiter, taken.bucket, taken.perMinute, taken.amount, nowMs);
          const before = rates[taken.step];
          if (before !== undefined) {
            const remaining = Math.min(before.limit, before.remaining + taken.amount);
            rates[taken.step] = { ...before, remaining };
          }
        }
        return {
          ok: false,
          rates,
          retryAfterMs: decided.retryAfterMs,
          message:
            current.amount > current.perMinute
              ? `this request's ${UNITS[current.step]} (at most ${current.amount}) exceed this workspace's limit of ${current.perMinute} ${UNITS[current.step]} per minute for ${groupName(groupId)}`
              : `this workspace's limit of ${current.perMinute} ${UNITS[current.step]} per minute for ${groupName(groupId)} is reached`,
        };
      }
      if (current.step === "inputTokens") {
        hold.input = current;
      } else if (current.step === "outputTokens") {
        hold.output = current;
      }
      return next(index + 1);
    });
  };
  return next(0);
}

/**
 * Gives back what a request's token bounds took beyond its real counts (all of it when nothing
 * went upstream). Never fails the request: a shared limiter's failure leaves the tokens taken.
 */
export function settleTokens(
  limiter: RateLimiter,
  hold: TokenHold,
  used: { input: number; output: number },
  nowMs: number,
): void {
  for (const [held, count] of [
    [hold.input, used.input],
    [hold.output, used.output],
  ] as const) {
    if (held !== undefined && held.amount !== count) {
      giveBack(limiter, held.bucket, held.perMinute, held.amount - count, nowMs);
    }
  }
  hold.input = undefined;
  hold.output = undefined;
}

function giveBack(
  limiter: RateLimiter,
  bucket: string,
  perMinute: number,
  amount: number,
  nowMs: number,
): void {
  const giving = limiter.give(bucket, perMinute, amount, nowMs);
  if (giving !== undefined && isPromiseLike(giving)) {
    Promise.resolve(giving).catch(() => {}); // the port's give never rejects; should one, no harm
  }
}
