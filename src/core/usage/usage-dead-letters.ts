import type { z } from "zod";
import type { UsageDeadLetterReason } from "../../contract/usage.js";
import type { UsageDeadLetterRow, UsageEventRow } from "./usage-store.js";

/**
 * Why a usage event was kept apart instead of stored and summed (the contract's enum, which says
 * what each reason means): `invalid_tokens`, `cost_out_of_range` or `write_failed`.
 */
export type DeadLetterReason = z.output<typeof UsageDeadLetterReason>;

/** The most an event may cost, in nano-dollars ($1,000,000): its sums stay exact and fit a bigint. */
export const MAX_EVENT_COST_NANOS = 1e6 * 1e9;

/** How much of a database error's message a dead letter keeps. */
const DETAIL_CHARS = 500;

/**
 * Why an event the gateway metered must not be stored, or null: a token count the upstream sent
 * could not be taken, or the cost is not an integer in range (NaN included).
 */
export function refusalOf(
  invalidCount: string | null,
  costNanos: number,
): { reason: DeadLetterReason; detail: string } | null {
  if (invalidCount !== null) {
    return {
      reason: "invalid_tokens",
      detail: `${invalidCount}: token counts must be non-negative safe integers`,
    };
  }
  if (!(Number.isSafeInteger(costNanos) && costNanos >= 0 && costNanos <= MAX_EVENT_COST_NANOS)) {
    return {
      reason: "cost_out_of_range",
      detail: `cost of ${costNanos} nano-USD is not a whole number from 0 to ${MAX_EVENT_COST_NANOS}`,
    };
  }
  return null;
}

/** A short, storable text for a dead letter's detail (an error's message, say). */
export function detailOf(error: unknown): string {
  const message =
    error instanceof Error
      ? error.message
      : typeof error === "string"
        ? error
        : JSON.stringify(error);
  // PostgreSQL's text refuses NUL; a message can quote the data that caused it.
  return String(message ?? "unknown error")
    .replaceAll("\u0000", "\\u0000")
    .slice(0, DETAIL_CHARS);
}

export function deadLetterRow(
  id: string,
  recordedAt: string,
  event: UsageEventRow,
  reason: DeadLetterReason,
  detail: string,
): UsageDeadLetterRow {
  return {
    id,
    organization_id: event.organization_id,
    event_id: event.id,
    recorded_at: recordedAt,
    reason,
    detail: detailOf(detail),
    // JSON.stringify writes NUL as \u0000 and a number that is not finite as null: the text stores.
    event: JSON.stringify(event),
  };
}
