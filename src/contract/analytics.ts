import { z } from "zod";
import { ArrayParam, BooleanParam, Id, Timestamp, TimestampInput } from "./common.js";
import { ContextWindow, InferenceGeo, ServiceTier } from "./usage.js";

/**
 * The usage and cost analytics reports of Anthropic's Admin API, as `@anthropic-ai/sdk` 1.10.0
 * declares them (`client.beta.organization.analytics.*`): `usage` and `cost` (beta
 * `analytics-usage-cost-2026-08-24`), ranked rows by any grouping; `usageReport` and `costReport`,
 * time buckets of results; `userUsageReport` and `userCostReport`, rows per user. Dimensions
 * Steward does not record (Claude products other than the Messages API, Slack, managed agents,
 * RBAC groups, speed, child organizations) are declared so that the SDK's calls validate: grouped,
 * they read null; as filters, they match nothing.
 */

/** The beta the `usage` and `cost` endpoints require in `anthropic-beta`. */
export const ANALYTICS_BETA = "analytics-usage-cost-2026-08-24";

/**
 * An optional query parameter as the official SDK writes it: a parameter set to `null` arrives as
 * `name=`, which means absent.
 */
function Optional<T extends z.ZodType>(schema: T) {
  return z
    .union([z.literal(""), schema])
    .optional()
    .transform((value) => (value === "" ? undefined : value) as z.output<T> | undefined);
}

const Filter = <T extends z.ZodType<string>>(item: T, description: string) =>
  Optional(ArrayParam(item)).describe(description);

const FilterId = z.string().max(200);
const NOT_RECORDED = "Steward does not record this dimension: a value here matches nothing.";

export const ActorType = z.enum([
  "api_actor",
  "federated_actor",
  "service_account_actor",
  "user_actor",
]);
export type ActorType = z.output<typeof ActorType>;
export const ClaudeTagCategory = z.enum(["dm", "engaged", "monitoring", "proactive", "scheduled"]);
export const Speed = z.enum(["fast", "standard"]);
export const TimeBucketWidth = z.enum(["1d", "1h", "1m"]);
export type TimeBucketWidth = z.output<typeof TimeBucketWidth>;
export const SortOrder = z.enum(["asc", "desc"]);
export const AnalyticsProduct = z.enum([
  "chat",
  "chat_cowork_unified",
  "claude_code",
  "claude_console",
  "claude_design",
  "claude_in_chrome",
  "claude_tag",
  "cowork",
  "managed_agents_api",
  "message_batches_api",
  "messages_api",
  "office_agent",
]);
/** The products of the Claude Enterprise reports: none of them goes through Steward. */
export const EnterpriseProduct = z.enum([
  "chat",
  "chat_cowork_unified",
  "claude-tag",
  "claude_code",
  "claude_design",
  "claude_in_chrome",
  "cowork",
  "office_agent",
]);
export const TokenType = z.enum([
  "cache_creation.ephemeral_1h_input_tokens",
  "cache_creation.ephemeral_5m_input_tokens",
  "cache_read_input_tokens",
  "output_tokens",
  "uncached_input_tokens",
]);
export const CostType = z.enum(["code_execution", "session_usage", "tokens", "web_search"]);

/** Every dimension the `usage` endpoint groups by. */
export const ANALYTICS_USAGE_GROUP_BY = [
  "actor",
  "actor_type",
  "agent_id",
  "api_key_id",
  "claude_tag_category",
  "claude_tag_user_id",
  "context_window",
  "deployment_id",
  "environment_id",
  "inference_geo",
  "model",
  "organization_id",
  "product",
  "rbac_group_id",
  "service_tier",
  "session_id",
  "slack_channel_id",
  "speed",
  "user_profile_id",
  "workspace_id",
] as const;
export const AnalyticsUsageGroupBy = z.enum(ANALYTICS_USAGE_GROUP_BY);
export const AnalyticsCostGroupBy = z.enum([
  ...ANALYTICS_USAGE_GROUP_BY,
  "cost_type",
  "token_type",
]);
export type AnalyticsGroupBy = z.output<typeof AnalyticsCostGroupBy>;

/** The dimensions of the Claude Enterprise reports (usage_report, user_usage_report). */
export const REPORT_GROUP_BY = [
  "claude_tag_category",
  "claude_tag_user_id",
  "context_window",
  "inference_geo",
  "model",
  "product",
  "rbac_group_id",
  "slack_channel_id",
  "speed",
] as const;
export const ReportUsageGroupBy = z.enum(REPORT_GROUP_BY);
export const ReportCostGroupBy = z.enum([...REPORT_GROUP_BY, "cost_type", "token_type"]);

const Page = z.string().max(200).describe("The `next_page` token of the previous response");
const RowLimit = z.coerce
  .number()
  .int()
  .min(1)
  .max(1000)
  .default(20)
  .describe("Rows per page, 1 to 1000 (default 20)");

/** The filters every report takes (the Claude Enterprise ones). */
const reportFilters = {
  claude_tag_categories: Filter(ClaudeTagCategory, NOT_RECORDED),
  claude_tag_user_ids: Filter(FilterId, NOT_RECORDED),
  context_windows: Filter(ContextWindow, "Only these context-window pricing tiers"),
  inference_geos: Filter(InferenceGeo, "Only these inference regions (`not_available`: unset)"),
  models: Filter(z.string().min(1).max(200), "Only these models"),
  rbac_group_ids: Filter(FilterId, NOT_RECORDED),
  slack_channel_ids: Filter(FilterId, NOT_RECORDED),
  speeds: Filter(Speed, NOT_RECORDED),
};

// ----- GET /v1/organizations/analytics/usage and /analytics/cost -----

const analyticsQuery = {
  starting_at: TimestampInput.describe("Start of the range, inclusive; rounded down to the hour"),
  ending_at: Optional(TimestampInput).describe(
    "End of the range, exclusive; required with `time_bucket_width`. Default: the earlier of now and `starting_at` + 31 days. At most 31 days after `starting_at` (24 hours with `1m`)",
  ),
  time_bucket_width: Optional(TimeBucketWidth).describe(
    "One row per time bucket (and group) instead of one per group",
  ),
  limit: RowLimit,
  page: Page.optional(),
  order: SortOrder.default("desc"),
  exclude_deleted_users: BooleanParam.optional().describe(
    "Leave out rows whose actor is a removed user; requires `group_by[]=actor`",
  ),
  actor_ids: Filter(
    FilterId,
    "Only usage attributed to these identities: `user_…` (the keys issued to that member) or `apikey_…` (a key issued to nobody)",
  ),
  actor_types: Filter(ActorType, "Only usage attributed to these kinds of identity"),
  api_key_ids: Filter(
    FilterId,
    "Only usage through these API keys; an empty entry also matches usage without a key",
  ),
  workspace_ids: Filter(Id, "Only usage in these workspaces"),
  service_tiers: Filter(ServiceTier, "Only these service tiers"),
  products: Filter(
    AnalyticsProduct,
    "Only these products: Steward meters `messages_api` (and `message_batches_api`, the batch tier); the others match nothing",
  ),
  agent_ids: Filter(FilterId, NOT_RECORDED),
  deployment_ids: Filter(FilterId, NOT_RECORDED),
  environment_ids: Filter(FilterId, NOT_RECORDED),
  organization_ids: Filter(FilterId, NOT_RECORDED),
  session_ids: Filter(FilterId, NOT_RECORDED),
  user_profile_ids: Filter(FilterId, NOT_RECORDED),
  ...reportFilters,
};

export const AnalyticsUsageQuery = z.strictObject({
  ...analyticsQuery,
  group_by: Optional(ArrayParam(AnalyticsUsageGroupBy)).describe(
    "Dimensions to break usage out by, at most 5",
  ),
  order_by: z
    .enum(["output_tokens", "requests", "time", "total_tokens", "uncached_input_tokens"])
    .default("total_tokens"),
});
export type AnalyticsUsageQuery = z.output<typeof AnalyticsUsageQuery>;

export const AnalyticsCostQuery = z.strictObject({
  ...analyticsQuery,
  group_by: Optional(ArrayParam(AnalyticsCostGroupBy)).describe(
    "Dimensions to break cost out by, at most 5 besides `cost_type` and `token_type`",
  ),
  order_by: z.enum(["amount", "list_amount", "time"]).default("amount"),
});
export type AnalyticsCostQuery = z.output<typeof AnalyticsCostQuery>;

// ----- the Claude Enterprise reports -----

const bucketReportQuery = {
  starting_at: TimestampInput.describe("Buckets from the one holding this time"),
  ending_at: Optional(TimestampInput).describe(
    "Buckets that end at or before this time. Default: the earlier of now (its bucket included) and `starting_at` + 31 days. At most 31 days after `starting_at`",
  ),
  bucket_width: TimeBucketWidth.default("1d"),
  limit: Optional(z.coerce.number().int().min(1)).describe(
    "Buckets per page: 1d default 7, at most 31; 1h default 24, at most 168; 1m default 60, at most 256",
  ),
  page: Page.optional(),
  products: Filter(EnterpriseProduct, NOT_RECORDED),
  user_ids: Filter(FilterId, "Only usage through API keys issued to these members"),
  ...reportFilters,
};

export const UsageReportQuery = z.strictObject({
  ...bucketReportQuery,
  group_by: Optional(ArrayParam(ReportUsageGroupBy)),
});
export type UsageReportQuery = z.output<typeof UsageReportQuery>;

export const CostReportBucketsQuery = z.strictObject({
  ...bucketReportQuery,
  group_by: Optional(ArrayParam(ReportCostGroupBy)),
});
export type CostReportBucketsQuery = z.output<typeof CostReportBucketsQuery>;

const userReportQuery = {
  starting_at: TimestampInput.describe("Start of the range, inclusive; rounded down to the hour"),
  ending_at: Optional(TimestampInput).describe(
    "End of the range, exclusive; required with `bucket_width`. Default: the earlier of now and `starting_at` + 31 days. At most 31 days after `starting_at` (24 hours with `1m`)",
  ),
  bucket_width: Optional(TimeBucketWidth).describe("One row per user and time bucket"),
  limit: RowLimit,
  page: Page.optional(),
  order: SortOrder.default("desc"),
  exclude_deleted_users: BooleanParam.optional().describe("Leave out removed members' rows"),
  products: Filter(EnterpriseProduct, NOT_RECORDED),
  user_ids: Filter(FilterId, "Only these members"),
  ...reportFilters,
};

export const UserUsageReportQuery = z.strictObject({
  ...userReportQuery,
  group_by: Optional(ArrayParam(ReportUsageGroupBy)),
  order_by: z
    .enum(["output_tokens", "requests", "total_tokens", "uncached_input_tokens"])
    .default("total_tokens"),
});
export type UserUsageReportQuery = z.output<typeof UserUsageReportQuery>;

export const UserCostReportQuery = z.strictObject({
  ...userReportQuery,
  group_by: Optional(ArrayParam(ReportCostGroupBy)),
  order_by: z.enum(["amount", "list_amount"]).default("amount"),
});
export type UserCostReportQuery = z.output<typeof UserCostReportQuery>;

// ----- responses -----

const Count = z.number().int().min(0);
const Cents = z.string().describe("Decimal string in cents: `123.45` is $1.2345");
const CacheCreation = z.object({
  ephemeral_1h_input_tokens: Count,
  ephemeral_5m_input_tokens: Count,
});
const ServerToolUse = z.object({ web_search_requests: Count });

export const UserActor = z
  .object({
    deleted: z.boolean().describe("The member was removed from the organization"),
    email_address: z.string().nullable(),
    name: z.string().nullable(),
    type: z.literal("user_actor"),
    user_id: z.string(),
  })
  .meta({ id: "AnalyticsUserActor" });
export type UserActor = z.output<typeof UserActor>;

/** Whom usage is attributed to: the member an API key was issued to, else the key itself. */
export const AnalyticsActor = z
  .union([
    UserActor,
    z.object({ service_account_id: z.string(), type: z.literal("service_account_actor") }),
    z.object({ api_key_id: z.string(), type: z.literal("api_actor") }),
  ])
  .meta({ id: "AnalyticsActor" });
export type AnalyticsActor = z.output<typeof AnalyticsActor>;

const NullableText = z.string().nullable();

/** The dimension values of a row: each null unless grouped (and null where Steward has none). */
const groupFields = {
  actor: AnalyticsActor.nullable(),
  actor_type: ActorType.nullable(),
  agent_id: NullableText,
  api_key_id: NullableText,
  claude_tag_category: ClaudeTagCategory.nullable(),
  claude_tag_user_id: NullableText,
  context_window: ContextWindow.nullable(),
  deployment_id: NullableText,
  environment_id: NullableText,
  inference_geo: z.enum(["global", "us"]).nullable(),
  model: NullableText,
  organization_id: NullableText,
  product: NullableText,
  rbac_group_id: NullableText,
  service_tier: ServiceTier.nullable(),
  session_id: NullableText,
  slack_channel_id: NullableText,
  speed: Speed.nullable(),
  user_profile_id: NullableText,
  workspace_id: NullableText,
};

const usageFields = {
  cache_creation: CacheCreation,
  cache_read_input_tokens: Count,
  output_tokens: Count,
  requests: Count.nullable(),
  server_tool_use: ServerToolUse,
  uncached_input_tokens: Count,
};

const costFields = {
  amount: Cents,
  currency: z.literal("USD"),
  list_amount: Cents.describe("Steward applies no discounts: always `amount`"),
  requests: Count.nullable().describe("Null on rows split by `cost_type` or `token_type`"),
};

const Range = {
  starting_at: Timestamp.describe("Start of the row's bucket or range, inclusive"),
  ending_at: Timestamp.describe("End of the row's bucket or range, exclusive"),
};

export const AnalyticsUsageItem = z
  .object({
    ...Range,
    group: z.object(groupFields),
    usage: z.object({ ...usageFields, total_tokens: Count }),
  })
  .meta({ id: "AnalyticsUsageItem" });
export type AnalyticsUsageItem = z.output<typeof AnalyticsUsageItem>;

export const AnalyticsCostItem = z
  .object({
    ...Range,
    group: z.object({
      ...groupFields,
      cost_type: CostType.nullable(),
      token_type: TokenType.nullable(),
    }),
    cost: z.object(costFields),
  })
  .meta({ id: "AnalyticsCostItem" });
export type AnalyticsCostItem = z.output<typeof AnalyticsCostItem>;

const reportGroupFields = {
  claude_tag_category: ClaudeTagCategory.nullable(),
  claude_tag_user_id: NullableText,
  context_window: ContextWindow.nullable(),
  inference_geo: z.enum(["global", "us"]).nullable(),
  model: NullableText,
  product: NullableText,
  rbac_group_id: NullableText,
  slack_channel_id: NullableText,
  speed: Speed.nullable(),
};
const costSplitFields = {
  cost_type: z.enum(["code_execution", "tokens", "web_search"]).nullable(),
  token_type: TokenType.nullable(),
};

export const UsageBucketedResult = z.object({ ...reportGroupFields, ...usageFields });
export type UsageBucketedResult = z.output<typeof UsageBucketedResult>;
export const CostBucketedResult = z.object({
  ...reportGroupFields,
  ...costFields,
  ...costSplitFields,
});
export type CostBucketedResult = z.output<typeof CostBucketedResult>;

const NullableRange = {
  starting_at: Timestamp.nullable().describe("The row's bucket start; null without bucket_width"),
  ending_at: Timestamp.nullable().describe("The row's bucket end; null without bucket_width"),
};

export const UsageUsersItem = z
  .object({
    actor: UserActor,
    ...NullableRange,
    ...reportGroupFields,
    ...usageFields,
    total_tokens: Count,
  })
  .meta({ id: "AnalyticsUsageUsersItem" });
export type UsageUsersItem = z.output<typeof UsageUsersItem>;

export const CostUsersItem = z
  .object({
    actor: UserActor,
    ...NullableRange,
    ...reportGroupFields,
    ...costFields,
    ...costSplitFields,
  })
  .meta({ id: "AnalyticsCostUsersItem" });
export type CostUsersItem = z.output<typeof CostUsersItem>;

/** A page of an analytics report: `next_page` is the next page's `page`. */
function ReportPage<T extends z.ZodType>(item: T, id: string) {
  return z
    .object({
      data: z.array(item),
      has_more: z.boolean(),
      next_page: z.string().nullable(),
      data_refreshed_at: Timestamp.nullable().describe(
        "When the answer was read: reports read live rollups",
      ),
    })
    .meta({ id });
}

export const AnalyticsUsagePage = ReportPage(AnalyticsUsageItem, "AnalyticsUsagePage");
export type AnalyticsUsagePage = z.output<typeof AnalyticsUsagePage>;
export const AnalyticsCostPage = ReportPage(AnalyticsCostItem, "AnalyticsCostPage");
export type AnalyticsCostPage = z.output<typeof AnalyticsCostPage>;
export const UsageReportPage = ReportPage(
  z.object({ ...Range, results: z.array(UsageBucketedResult) }),
  "AnalyticsUsageReportPage",
);
export type UsageReportPage = z.output<typeof UsageReportPage>;
export const CostReportPage = ReportPage(
  z.object({ ...Range, results: z.array(CostBucketedResult) }),
  "AnalyticsCostReportPage",
);
export type CostReportPage = z.output<typeof CostReportPage>;
export const UserUsageReportPage = ReportPage(UsageUsersItem, "AnalyticsUserUsageReportPage");
export type UserUsageReportPage = z.output<typeof UserUsageReportPage>;
export const UserCostReportPage = ReportPage(CostUsersItem, "AnalyticsUserCostReportPage");
export type UserCostReportPage = z.output<typeof UserCostReportPage>;
