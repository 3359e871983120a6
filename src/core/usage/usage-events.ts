import type { Cost, TokenUsage } from "./prices.js";
import { rollUp, rollUpInSlices } from "./rollup.js";
import type { RolledUp, UsageEventRow, UsageEvents, UsageRollups } from "./usage-store.js";

/** Requests whose whole input passes 200k tokens are long-context ones, billed and reported apart. */
const LONG_CONTEXT_TOKENS = 200_000;

export function contextWindowOf(usage: TokenUsage): "0-200k" | "200k-1M" {
  const input =
    usage.inputTokens +
    usage.cacheCreation5mTokens +
    usage.cacheCreation1hTokens +
    usage.cacheReadTokens;
  return input > LONG_CONTEXT_TOKENS ? "200k-1M" : "0-200k";
}

/** What an event records beyond its token usage and cost. */
export interface EventFacts {
  organizationId: string;
  id: string;
  workspaceId: string;
  apiKeyId: string | null;
  model: string;
  /** `Date#toISOString()` text: rollups and reports compare times as text. */
  occurredAt: string;
  status: number;
  errorType: string | null;
  latencyMs: number;
  stream: boolean;
  source: "gateway" | "ingest";
}

/**
 * An event's row, with its cost split by token category. Both the gateway and ingestion build
 * their rows here, one literal with every column in the same order, so every row has the same
 * shape (a spread in the middle of the literal cost a few times more, per event).
 */
export function usageEventRow(facts: EventFacts, usage: TokenUsage, cost: Cost): UsageEventRow {
  return {
    organization_id: facts.organizationId,
    id: facts.id,
    workspace_id: facts.workspaceId,
    api_key_id: facts.apiKeyId,
    model: facts.model,
    occurred_at: facts.occurredAt,
    input_tokens: usage.inputTokens,
    output_tokens: usage.outputTokens,
    cache_creation_5m_tokens: usage.cacheCreation5mTokens,
    cache_creation_1h_tokens: usage.cacheCreation1hTokens,
    cache_read_tokens: usage.cacheReadTokens,
    web_search_requests: usage.webSearchRequests,
    cost_nanos: cost.nanos,
    cost_input_nanos: cost.parts.input,
    cost_output_nanos: cost.parts.output,
    cost_cache_write_5m_nanos: cost.parts.cacheWrite5m,
    cost_cache_write_1h_nanos: cost.parts.cacheWrite1h,
    cost_cache_read_nanos: cost.parts.cacheRead,
    cost_web_search_nanos: cost.parts.webSearch,
    // Web search has its own price, whatever the model: only the tokens' cost is a fallback's.
    cost_fallback_nanos: cost.source === "fallback" ? cost.nanos - cost.parts.webSearch : 0,
    priced: cost.priced ? 1 : 0,
    price_source: cost.source,
    context_window: contextWindowOf(usage),
    service_tier: usage.serviceTier,
    inference_geo: usage.inferenceGeo,
    status: facts.status,
    error_type: facts.errorType,
    latency_ms: facts.latencyMs,
    stream: facts.stream ? 1 : 0,
    source: facts.source,
  };
}

/** A batch of events ready to store: distinct ids, and their rollups summed in advance. */
export interface PreparedUsageEvents {
  readonly events: readonly UsageEventRow[];
  readonly rollups: RolledUp;
}

/**
 * Drops repeated ids from a batch and sums its rollups, before any transaction: a transaction
 * holds SQLite's one writer, and summing a 10,000-event batch there would keep every other write
 * waiting on work that needs no database.
 */
export function prepareUsageEvents(events: readonly UsageEventRow[]): PreparedUsageEvents {
  const distinct = distinctEvents(events);
  return { events: distinct, rollups: rollUp(distinct) };
}

/**
 * prepareUsageEvents for a large batch (an ingestion call), pausing for the event loop as it
 * sums: the database thread's answers to the call before, which wait on this thread for each next
 * statement of its transaction, go on meanwhile.
 */
export async function prepareUsageEventsInSlices(
  events: readonly UsageEventRow[],
): Promise<PreparedUsageEvents> {
  const distinct = distinctEvents(events);
  return { events: distinct, rollups: await rollUpInSlices(distinct) };
}

/** The events with the first of each id in their organization. */
function distinctEvents(events: readonly UsageEventRow[]): UsageEventRow[] {
  // One set of ids per organization: a batch's events share their organization's string, whose
  // hash V8 keeps, where a key joining both was a new string to build and hash for every event.
  const seen = new Map<string, Set<string>>();
  return events.filter((event) => {
    let ids = seen.get(event.organization_id);
    if (ids === undefined) {
      ids = new Set();
      seen.set(event.organization_id, ids);
    }
    if (ids.has(event.id)) {
      return false;
    }
    ids.add(event.id);
    return true;
  });
}

/**
 * Stores prepared events and adds them to every rollup, in the caller's transaction, and returns
 * the events that were new. An id stored before, or repeated in the batch, is skipped: whether a batch is
 * retried after a failure or sent twice, each event is counted exactly once.
 */
export async function storeUsageEvents(
  repos: { usage: UsageEvents; usageRollups: UsageRollups },
  prepared: PreparedUsageEvents,
): Promise<UsageEventRow[]> {
  // The store adds the batch's rollups with the events when every event was new (on SQLite, in
  // the same message); otherwise (a retry, a repeated id) they are summed again from the new ones.
  const { inserted, rolledUp } = await repos.usage.insertNew(prepared.events, prepared.rollups);
  if (!rolledUp) {
    await repos.usageRollups.add(
      inserted.length === prepared.events.length ? prepared.rollups : rollUp(inserted),
    );
  }
  return inserted;
}
