import {
  UsageEventInput,
  type UsageEventInput as UsageEventInputType,
  type UsageEventsIngestResult,
} from "../../contract/usage.js";
import { recordAudit } from "../audit.js";
import type { RequestContext, ServiceDeps } from "../context.js";
import { yieldToEventLoop } from "../event-loop.js";
import type { UsageListener } from "../ports.js";
import { DAY_MS, MINUTE_MS } from "./buckets.js";
import { noCostParts, type PriceTable, type TokenUsage } from "./prices.js";
import { MAX_EVENT_COST_NANOS } from "./usage-dead-letters.js";
import { prepareUsageEventsInSlices, storeUsageEvents, usageEventRow } from "./usage-events.js";
import type { UsageEventRow } from "./usage-store.js";

export interface UsageIngestionOptions {
  prices: PriceTable;
  /** Raw events are kept this long; older ones could not be deduplicated, so they are refused. */
  rawRetentionDays: number;
  /** Told about every newly stored event after its transaction commits. */
  listener?: UsageListener;
}

/** How far ahead of this server's clock an event may be stamped (other machines' clocks drift). */
const CLOCK_SKEW_MS = 5 * MINUTE_MS;

type Rejection = UsageEventsIngestResult["rejected"][number];

/**
 * A call holds up to 10,000 events, tens of milliseconds of checking: the work is cut into slices
 * between which the event loop runs, so the gateway's requests, and the database thread's answers
 * to the transaction of the call before (which waits on this thread for each next statement), are
 * not kept waiting for all of it.
 */
const EVENTS_BETWEEN_YIELDS = 1000;

/**
 * `POST /v1/usage/events`: usage that did not pass through the gateway (another gateway, direct
 * calls, imports) joins the same store and reports. Each event is checked on its own; the valid
 * ones are written in one transaction with their rollups and one audit record.
 */
export class UsageIngestionService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly options: UsageIngestionOptions,
  ) {}

  async ingest(ctx: RequestContext, events: readonly unknown[]): Promise<UsageEventsIngestResult> {
    const rejected: Rejection[] = [];
    const parsed: Array<{ index: number; event: UsageEventInputType }> = [];
    for (let index = 0; index < events.length; index++) {
      if (index > 0 && index % EVENTS_BETWEEN_YIELDS === 0) {
        await yieldToEventLoop();
      }
      const raw = events[index];
      const result = UsageEventInput.safeParse(raw);
      if (result.success) {
        parsed.push({ index, event: result.data });
        continue;
      }
      const issue = result.error.issues[0];
      rejected.push({
        index,
        id: idOf(raw),
        field: issue && issue.path.length > 0 ? issue.path.join(".") : null,
        message: issue?.message ?? "invalid event",
      });
    }

    const now = this.deps.clock.now().getTime();
    const oldest = now - this.options.rawRetentionDays * DAY_MS;
    const workspaces = new Set(
      (
        await this.deps.store.read.workspaces.findMany(ctx.organizationId, [
          ...new Set(parsed.map((p) => p.event.workspace_id)),
        ])
      ).map((w) => w.id),
    );
    const keyIds = [...new Set(parsed.flatMap((p) => p.event.api_key_id ?? []))];
    const keyWorkspace = new Map(
      (await this.deps.store.read.apiKeys.findManyByIds(keyIds))
        .filter((key) => key.organization_id === ctx.organizationId)
        .map((key) => [key.id, key.workspace_id]),
    );

    const rows: UsageEventRow[] = [];
    for (const [position, { index, event }] of parsed.entries()) {
      if (position > 0 && position % EVENTS_BETWEEN_YIELDS === 0) {
        await yieldToEventLoop();
      }
      const reject = (field: string, message: string) =>
        rejected.push({ index, id: event.id, field, message });
      const at = Date.parse(event.timestamp);
      const split = event.cache_creation;
      if (at > now + CLOCK_SKEW_MS) {
        reject("timestamp", "is in the future");
      } else if (at < oldest) {
        reject(
          "timestamp",
          `is older than the ${this.options.rawRetentionDays}-day retention of raw events, so it could not be deduplicated`,
        );
      } else if (!workspaces.has(event.workspace_id)) {
        reject("workspace_id", `workspace ${JSON.stringify(event.workspace_id)} not found`);
      } else if (event.api_key_id && !keyWorkspace.has(event.api_key_id)) {
        reject("api_key_id", `API key ${JSON.stringify(event.api_key_id)} not found`);
      } else if (event.api_key_id && keyWorkspace.get(event.api_key_id) !== event.workspace_id) {
        reject("api_key_id", "the key belongs to another workspace");
      } else if (
        split &&
        event.cache_creation_input_tokens != null &&
        event.cache_creation_input_tokens !==
          split.ephemeral_5m_input_tokens + split.ephemeral_1h_input_tokens
      ) {
        reject(
          "cache_creation_input_tokens",
          "must equal cache_creation.ephemeral_5m_input_tokens + ephemeral_1h_input_tokens",
        );
      } else {
        const row = this.#row(ctx, event, at);
        // `cost_usd`'s maximum, given or computed (NaN never passes).
        if (!(row.cost_nanos <= MAX_EVENT_COST_NANOS)) {
          // Its sums would no longer be exact, or would overflow PostgreSQL's bigint.
          reject("cost_usd", "at the price table's rates this event costs more than $1,000,000");
        } else {
          rows.push(row);
        }
      }
    }
    rejected.sort((a, b) => a.index - b.index);

    const prepared = await prepareUsageEventsInSlices(rows);
    const inserted = await this.deps.store.transaction(async (repos) => {
      const stored = await storeUsageEvents(repos, prepared);
      await recordAudit(repos, this.deps, ctx, {
        action: "usage_events.ingest",
        targetType: "usage_events",
        targetId: null,
        after: {
          received: events.length,
          accepted: stored.length,
          duplicates: rows.length - stored.length,
          rejected: rejected.length,
        },
      });
      return stored;
    });
    if (inserted.length > 0) {
      this.options.listener?.usageRecorded(inserted);
    }
    return { accepted: inserted.length, duplicates: rows.length - inserted.length, rejected };
  }

  #row(ctx: RequestContext, event: UsageEventInputType, at: number): UsageEventRow {
    const split = event.cache_creation;
    const usage: TokenUsage = {
      inputTokens: event.input_tokens,
      outputTokens: event.output_tokens,
      cacheCreation5mTokens: split
        ? split.ephemeral_5m_input_tokens
        : (event.cache_creation_input_tokens ?? 0),
      cacheCreation1hTokens: split ? split.ephemeral_1h_input_tokens : 0,
      cacheReadTokens: event.cache_read_input_tokens ?? 0,
      webSearchRequests: event.web_search_requests ?? 0,
      serviceTier: event.service_tier ?? null,
      inferenceGeo: event.inference_geo ?? null,
    };
    const cost =
      event.cost_usd != null
        ? {
            nanos: Math.round(event.cost_usd * 1e9),
            priced: true,
            source: "given" as const,
            parts: noCostParts(),
          }
        : this.options.prices.cost(event.model, usage);
    return usageEventRow(
      {
        organizationId: ctx.organizationId,
        id: event.id,
        workspaceId: event.workspace_id,
        apiKeyId: event.api_key_id ?? null,
        model: event.model,
        occurredAt: new Date(at).toISOString(),
        status: 200,
        errorType: null,
        latencyMs: 0,
        stream: false,
        source: "ingest",
      },
      usage,
      cost,
    );
  }
}

function idOf(raw: unknown): string | null {
  const id = (raw as { id?: unknown } | null)?.id;
  return typeof id === "string" ? id : null;
}
