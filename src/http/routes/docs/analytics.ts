import { ID } from "./examples.js";
import type { OperationDocs } from "./types.js";

const SOURCE =
  "Read from the same rollups as the messages usage and cost reports, and exact against the raw events. Usage is attributed to the member its API key was issued to (the key's `principal`), else to the key itself (`api_actor`); usage ingested without a key, to nobody.";
const UNRECORDED =
  "Dimensions Steward does not record (Claude products other than the Messages API, Claude Tag and Slack, managed agents, RBAC groups, speed, user profiles, child organizations) read null when grouped, and a filter on them matches nothing.";
const RANKED_PAGES =
  "Rows page by `next_page`: pass it as `page`, with the same parameters, for the next.";
const BUCKET_PAGES =
  "Pages by bucket (`limit` buckets per page); pass `next_page` as `page`, with the same parameters, for the next.";
const BETA =
  "In beta at Anthropic: requests must send `anthropic-beta: analytics-usage-cost-2026-08-24` (the SDK does), or are answered 400.";

const usage = {
  cache_creation: { ephemeral_1h_input_tokens: 0, ephemeral_5m_input_tokens: 250000 },
  cache_read_input_tokens: 900000,
  output_tokens: 2000000,
  requests: 8123,
  server_tool_use: { web_search_requests: 12 },
  uncached_input_tokens: 5000000,
};

const actor = {
  deleted: false,
  email_address: "ada@example.com",
  name: "Ada Lovelace",
  type: "user_actor",
  user_id: ID.user,
};

const emptyGroup = {
  actor: null,
  actor_type: null,
  agent_id: null,
  api_key_id: null,
  claude_tag_category: null,
  claude_tag_user_id: null,
  context_window: null,
  deployment_id: null,
  environment_id: null,
  inference_geo: null,
  model: null,
  organization_id: null,
  product: null,
  rbac_group_id: null,
  service_tier: null,
  session_id: null,
  slack_channel_id: null,
  speed: null,
  user_profile_id: null,
  workspace_id: null,
};

const reportGroup = {
  claude_tag_category: null,
  claude_tag_user_id: null,
  context_window: null,
  inference_geo: null,
  model: "claude-opus-4-5",
  product: null,
  rbac_group_id: null,
  slack_channel_id: null,
  speed: null,
};

const cost = { amount: "38000", currency: "USD", list_amount: "38000", requests: 8123 };
const NEXT = "page_cm93OjIw";

/** The analytics reports: `client.beta.organization.analytics.*`. */
export const analyticsDocs: OperationDocs = {
  getAnalyticsUsage: {
    summary: "Get token usage by any grouping",
    description: `One row per combination of the \`group_by[]\` dimensions (at most 5: actor, actor_type, api_key_id, workspace_id, model, service_tier, context_window, inference_geo, product, …) with usage in the range, and per time bucket with \`time_bucket_width\`; without either, one row for the whole range. Without buckets the range is whole hours (\`starting_at\` and \`ending_at\` rounded down); \`ending_at\` defaults to the earlier of now and \`starting_at\` + 31 days, and is required with buckets. Rows are ranked by \`order_by\` (default \`total_tokens\`) in \`order\` (default \`desc\`); \`time\` orders by bucket. \`product\` is \`messages_api\`, or \`message_batches_api\` for the batch tier. ${SOURCE} ${UNRECORDED} ${RANKED_PAGES} ${BETA}`,
    response: {
      data: [
        {
          starting_at: "2026-04-01T00:00:00Z",
          ending_at: "2026-04-28T00:00:00Z",
          group: { ...emptyGroup, actor, model: "claude-opus-4-5" },
          usage: { ...usage, total_tokens: 8150000 },
        },
      ],
      has_more: true,
      next_page: NEXT,
      data_refreshed_at: "2026-04-28T00:00:05.120Z",
    },
  },
  getAnalyticsCost: {
    summary: "Get cost by any grouping",
    description: `Cost in cents (decimal strings, exact) per combination of the \`group_by[]\` dimensions with cost in the range, as the usage analytics report groups usage. \`cost_type\` splits a row into its token and web search cost; \`token_type\` into the cost of each token kind (\`cost_type: tokens\`) and web search; split rows do not count toward \`limit\` and have \`requests: null\`. Usage ingested with its own \`cost_usd\` has no split by token kind: it is a \`tokens\` row with \`token_type: null\`. \`list_amount\` equals \`amount\` (no discounts). Ranked by \`order_by\` (\`amount\` by default). ${SOURCE} ${UNRECORDED} ${RANKED_PAGES} ${BETA}`,
    response: {
      data: [
        {
          starting_at: "2026-04-01T00:00:00Z",
          ending_at: "2026-04-28T00:00:00Z",
          group: {
            ...emptyGroup,
            workspace_id: ID.workspace,
            cost_type: null,
            token_type: null,
          },
          cost,
        },
      ],
      has_more: false,
      next_page: null,
      data_refreshed_at: "2026-04-28T00:00:05.120Z",
    },
  },
  getAnalyticsUsageReport: {
    summary: "Get token usage per time bucket",
    description: `Anthropic's Claude Enterprise usage report: token usage per \`1m\`, \`1h\` or \`1d\` bucket (default \`1d\`) from the bucket holding \`starting_at\`, each bucket's \`results\` one per group of \`group_by[]\` (context_window, inference_geo, model; the others read null), highest total first, every group (no cap). \`user_ids\` keeps the usage of keys issued to those members. ${SOURCE} ${UNRECORDED} ${BUCKET_PAGES}`,
    response: {
      data: [
        {
          starting_at: "2026-04-27T00:00:00Z",
          ending_at: "2026-04-28T00:00:00Z",
          results: [{ ...reportGroup, ...usage }],
        },
      ],
      has_more: false,
      next_page: null,
      data_refreshed_at: "2026-04-28T00:00:05.120Z",
    },
  },
  getAnalyticsCostReport: {
    summary: "Get cost per time bucket",
    description: `Anthropic's Claude Enterprise cost report: cost per bucket, as the usage report buckets usage, split by \`cost_type\` and \`token_type\` as the cost analytics report splits it. ${SOURCE} ${UNRECORDED} ${BUCKET_PAGES}`,
    response: {
      data: [
        {
          starting_at: "2026-04-27T00:00:00Z",
          ending_at: "2026-04-28T00:00:00Z",
          results: [{ ...reportGroup, ...cost, cost_type: null, token_type: null }],
        },
      ],
      has_more: false,
      next_page: null,
      data_refreshed_at: "2026-04-28T00:00:05.120Z",
    },
  },
  getAnalyticsUserUsageReport: {
    summary: "Get token usage per member",
    description: `One row per member (and per group of \`group_by[]\`, and per bucket with \`bucket_width\`), ranked by \`order_by\`: the usage of the API keys issued to them. Usage through keys issued to nobody, or without a key, is left out. Removed members keep their rows, marked \`deleted\`, unless \`exclude_deleted_users\`. Without \`bucket_width\` the range is whole hours and the rows' \`starting_at\`/\`ending_at\` are null. ${UNRECORDED} ${RANKED_PAGES}`,
    response: {
      data: [
        {
          actor,
          starting_at: null,
          ending_at: null,
          ...reportGroup,
          ...usage,
          total_tokens: 8150000,
        },
      ],
      has_more: true,
      next_page: NEXT,
      data_refreshed_at: "2026-04-28T00:00:05.120Z",
    },
  },
  getAnalyticsUserCostReport: {
    summary: "Get cost per member",
    description: `One row per member, as the per-member usage report, with cost instead of tokens, ranked by \`amount\`; split by \`cost_type\` and \`token_type\` as the cost analytics report splits it. ${UNRECORDED} ${RANKED_PAGES}`,
    response: {
      data: [
        {
          actor,
          starting_at: null,
          ending_at: null,
          ...reportGroup,
          ...cost,
          cost_type: null,
          token_type: null,
        },
      ],
      has_more: false,
      next_page: null,
      data_refreshed_at: "2026-04-28T00:00:05.120Z",
    },
  },
};
