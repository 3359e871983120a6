import { z } from "zod";
import { ArrayParam, Id, ListQuery, Page, Text, Timestamp, TimestampInput } from "./common.js";

/**
 * Usage and cost: the seed's `GET /v1/usage`, the Admin API's messages usage report and cost
 * report, and `POST /v1/usage/events` for usage that did not pass through the gateway.
 */

const Count = z.number().int().min(0);
const TokenCount = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** A calendar date, `YYYY-MM-DD`, that exists (no 2025-02-30). */
export const DateParam = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "expected a date as YYYY-MM-DD")
  .refine((value) => {
    const date = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
  }, "not a calendar date")
  .meta({ format: "date", example: "2025-04-27" });

export const Granularity = z.enum(["hour", "day", "month"]);
export type Granularity = z.output<typeof Granularity>;

// ----- GET /v1/usage (seed) -----

export const SeedUsageQuery = z.strictObject({
  start_date: DateParam.describe("First day, UTC, inclusive"),
  end_date: DateParam.describe("Last day, UTC, inclusive"),
  granularity: Granularity.default("day").describe(
    "Bucket size: hour (at most 31 days), day (at most 366 days), month (at most 36 months)",
  ),
  workspace_id: Id.optional().describe("Only this workspace's usage"),
});
export type SeedUsageQuery = z.output<typeof SeedUsageQuery>;

const ModelUsage = z.object({
  input_tokens: Count,
  output_tokens: Count,
  cache_creation_tokens: Count,
  cache_read_tokens: Count,
  requests: Count,
  cost_usd: z.number(),
});

const UsageTotals = z.object({
  input_tokens: Count.describe("Uncached input tokens"),
  output_tokens: Count,
  cache_creation_tokens: Count.describe("Cache writes, 5-minute and 1-hour"),
  cache_read_tokens: Count,
  web_search_requests: Count,
  requests: Count,
  total_cost_usd: z.number(),
});

export const SeedUsageBucket = UsageTotals.extend({
  date: z
    .string()
    .describe(
      "The bucket's label: `2025-04-27T13:00:00Z` (hour), `2025-04-27` (day), `2025-04` (month)",
    ),
  starting_at: Timestamp.describe("Start of the bucket, inclusive"),
  ending_at: Timestamp.describe("End of the bucket, exclusive"),
  model_breakdown: z.record(z.string(), ModelUsage),
});

export const SeedUsageReport = z
  .object({ data: z.array(SeedUsageBucket), total: UsageTotals })
  .meta({ id: "SeedUsageReport" });
export type SeedUsageReport = z.output<typeof SeedUsageReport>;

// ----- GET /v1/organizations/usage_report/messages -----

export const BucketWidth = z.enum(["1m", "1h", "1d"]);
export type BucketWidth = z.output<typeof BucketWidth>;

export const UsageGroupBy = z.enum([
  "api_key_id",
  "workspace_id",
  "model",
  "service_tier",
  "context_window",
  "inference_geo",
]);
export type UsageGroupBy = z.output<typeof UsageGroupBy>;

export const ServiceTier = z.enum([
  "standard",
  "batch",
  "priority",
  "priority_on_demand",
  "flex",
  "flex_discount",
]);
export const ContextWindow = z.enum(["0-200k", "200k-1M"]);
export const InferenceGeo = z.enum(["global", "us", "not_available"]);

const ReportPage = z.string().max(200).describe("The `next_page` token of the previous response");
const BucketLimit = z.coerce.number().int().min(1);

export const MessagesUsageQuery = z.strictObject({
  starting_at: TimestampInput.describe(
    "Buckets that start at or after this time, snapped to the start of its minute, hour or day",
  ),
  ending_at: TimestampInput.optional().describe("Buckets that end at or before this time"),
  bucket_width: BucketWidth.default("1d"),
  limit: BucketLimit.optional().describe(
    "Buckets per page: 1d default 7, at most 31; 1h default 24, at most 168; 1m default 60, at most 1440",
  ),
  page: ReportPage.optional(),
  group_by: ArrayParam(UsageGroupBy).optional(),
  api_key_ids: ArrayParam(Id).optional(),
  workspace_ids: ArrayParam(Id).optional(),
  models: ArrayParam(z.string().min(1).max(200)).optional(),
  service_tiers: ArrayParam(ServiceTier).optional(),
  context_window: ArrayParam(ContextWindow).optional(),
  inference_geos: ArrayParam(InferenceGeo).optional(),
});
export type MessagesUsageQuery = z.output<typeof MessagesUsageQuery>;

export const MessagesUsageResult = z.object({
  uncached_input_tokens: Count,
  cache_creation: z.object({
    ephemeral_1h_input_tokens: Count,
    ephemeral_5m_input_tokens: Count,
  }),
  cache_read_input_tokens: Count,
  output_tokens: Count,
  server_tool_use: z.object({ web_search_requests: Count }),
  api_key_id: z.string().nullable(),
  workspace_id: z.string().nullable(),
  model: z.string().nullable(),
  service_tier: z.string().nullable(),
  context_window: z.string().nullable(),
  inference_geo: z.string().nullable(),
});
export type MessagesUsageResult = z.output<typeof MessagesUsageResult>;

function Report<T extends z.ZodType>(result: T, id: string) {
  return z
    .object({
      data: z.array(
        z.object({
          starting_at: Timestamp,
          ending_at: Timestamp.describe("Exclusive"),
          results: z.array(result),
        }),
      ),
      has_more: z.boolean(),
      next_page: z.string().nullable(),
    })
    .meta({ id });
}

export const MessagesUsageReport = Report(MessagesUsageResult, "MessagesUsageReport");
export type MessagesUsageReport = z.output<typeof MessagesUsageReport>;

// ----- GET /v1/organizations/cost_report -----

export const CostGroupBy = z
  .enum(["workspace_id", "description", "api_key_id"])
  .describe("api_key_id is Steward's addition: the cost of each API key");
export type CostGroupBy = z.output<typeof CostGroupBy>;

export const CostReportQuery = z.strictObject({
  starting_at: TimestampInput.describe(
    "Days that start at or after this time (snapped to 00:00 UTC)",
  ),
  ending_at: TimestampInput.optional().describe("Days that end at or before this time"),
  bucket_width: z.literal("1d").default("1d"),
  limit: BucketLimit.optional().describe("Days per page: default 7, at most 31"),
  page: ReportPage.optional(),
  group_by: ArrayParam(CostGroupBy).optional(),
});
export type CostReportQuery = z.output<typeof CostReportQuery>;

export const CostResult = z.object({
  amount: z.string().describe("Decimal string in cents: `123.45` is $1.2345"),
  currency: z.literal("USD"),
  workspace_id: z.string().nullable(),
  api_key_id: z
    .string()
    .nullable()
    .describe(
      "Steward's addition: the API key, when grouped by api_key_id (null there for usage without a key); null otherwise",
    ),
  description: z.string().nullable(),
  cost_type: z.enum(["tokens", "web_search"]).nullable(),
  model: z.string().nullable(),
  service_tier: z.string().nullable(),
  token_type: z
    .enum([
      "uncached_input_tokens",
      "output_tokens",
      "cache_read_input_tokens",
      "cache_creation.ephemeral_1h_input_tokens",
      "cache_creation.ephemeral_5m_input_tokens",
    ])
    .nullable(),
  context_window: z.string().nullable(),
  inference_geo: z.string().nullable(),
  fallback_amount: z
    .string()
    .describe(
      "Steward's addition: the part of `amount` (cents, like it) charged at the price table's fallback rates because the model is not in the table; `0` when none",
    ),
});
export type CostResult = z.output<typeof CostResult>;

export const CostReport = Report(CostResult, "CostReport");
export type CostReport = z.output<typeof CostReport>;

// ----- POST /v1/usage/events -----

export const MAX_EVENTS_PER_CALL = 10_000;

export const UsageEventInput = z
  .object({
    id: Text(1, 200).describe("Idempotency key: an id already stored is counted once"),
    timestamp: TimestampInput.describe("When the usage happened (RFC 3339)"),
    workspace_id: Id,
    api_key_id: Id.nullish(),
    model: Text(1, 200),
    input_tokens: TokenCount.describe("Uncached input tokens"),
    output_tokens: TokenCount,
    cache_creation_input_tokens: TokenCount.nullish().describe(
      "Cache writes; without the split below they count as 5-minute writes",
    ),
    cache_creation: z
      .object({
        ephemeral_5m_input_tokens: TokenCount.default(0),
        ephemeral_1h_input_tokens: TokenCount.default(0),
      })
      .nullish(),
    cache_read_input_tokens: TokenCount.nullish(),
    web_search_requests: TokenCount.nullish(),
    service_tier: ServiceTier.nullish(),
    inference_geo: InferenceGeo.nullish(),
    cost_usd: z
      .number()
      .finite()
      .min(0)
      .max(1e6)
      .nullish()
      .describe("The event's cost; computed from the price table when absent"),
  })
  .meta({ id: "UsageEventInput" });
export type UsageEventInput = z.output<typeof UsageEventInput>;

export const UsageEventsIngestParams = z.object({
  events: z
    .array(z.unknown())
    .min(1)
    .max(MAX_EVENTS_PER_CALL)
    .describe(
      "Up to 10,000 events, each a UsageEventInput; each is checked on its own, so one bad event does not sink the batch",
    ),
});

export const UsageEventsIngestResult = z
  .object({
    accepted: Count.describe("Events stored by this call"),
    duplicates: Count.describe("Valid events whose id was already stored: counted once, not again"),
    rejected: z.array(
      z.object({
        index: Count,
        id: z.string().nullable(),
        field: z.string().nullable(),
        message: z.string(),
      }),
    ),
  })
  .meta({ id: "UsageEventsIngestResult" });
export type UsageEventsIngestResult = z.output<typeof UsageEventsIngestResult>;

// ----- GET /v1/organizations/usage_dead_letters -----

export const UsageDeadLetterReason = z
  .enum(["invalid_tokens", "cost_out_of_range", "write_failed"])
  .describe(
    "invalid_tokens: the upstream reported a token count that is not a non-negative safe integer; cost_out_of_range: the cost is not a whole number of nano-dollars from 0 to $1,000,000; write_failed: the database refused the event's row (the rest of its batch was written)",
  );

export const UsageDeadLetter = z
  .object({
    id: z.string(),
    type: z.literal("usage_dead_letter"),
    event_id: z.string().describe("The usage event's id: for the gateway, Steward's request id"),
    recorded_at: Timestamp,
    reason: UsageDeadLetterReason,
    detail: z.string().describe("What was wrong: the count, or the database's message"),
    event: z
      .record(z.string(), z.unknown())
      .describe("The usage event as it would have been stored (its columns); not summed anywhere"),
  })
  .meta({ id: "UsageDeadLetter" });
export type UsageDeadLetter = z.output<typeof UsageDeadLetter>;

export const UsageDeadLetterPage = Page(UsageDeadLetter);
export const UsageDeadLetterListQuery = ListQuery.extend({
  reason: UsageDeadLetterReason.optional().describe("Only dead letters with this reason"),
});
export type UsageDeadLetterListQuery = z.output<typeof UsageDeadLetterListQuery>;
