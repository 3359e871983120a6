import { ID } from "./examples.js";
import type { OperationDocs } from "./types.js";

const CSV = "With `Accept: text/csv`, the same report as CSV, one row per bucket and group.";
const CSV_PAGED = `${CSV} A CSV page says whether more follow in the \`x-has-more\` and \`x-next-page\` headers.`;
const LAG =
  "Gateway usage is written in batches, so a report is up to `METERING_MAX_DELAY_MS` (200 ms by default) behind the requests.";

const opus = {
  input_tokens: 5000000,
  output_tokens: 2000000,
  cache_creation_tokens: 250000,
  cache_read_tokens: 900000,
  requests: 8123,
  cost_usd: 380.0,
};
const haiku = {
  input_tokens: 7345678,
  output_tokens: 1456789,
  cache_creation_tokens: 0,
  cache_read_tokens: 87654,
  requests: 15333,
  cost_usd: 76.78,
};
const totals = {
  input_tokens: 12345678,
  output_tokens: 3456789,
  cache_creation_tokens: 250000,
  cache_read_tokens: 987654,
  web_search_requests: 12,
  requests: 23456,
  total_cost_usd: 456.78,
};

const usageResult = {
  uncached_input_tokens: 5000000,
  cache_creation: { ephemeral_1h_input_tokens: 0, ephemeral_5m_input_tokens: 250000 },
  cache_read_input_tokens: 900000,
  output_tokens: 2000000,
  server_tool_use: { web_search_requests: 12 },
  api_key_id: null,
  workspace_id: ID.workspace,
  model: "claude-opus-4-5",
  service_tier: null,
  context_window: null,
  inference_geo: null,
};

const costResult = {
  currency: "USD",
  workspace_id: ID.workspace,
  api_key_id: null,
  cost_type: "tokens",
  model: "claude-opus-4-5",
  service_tier: "standard",
  context_window: "0-200k",
  inference_geo: "global",
  fallback_amount: "0",
};

/** Usage and cost: the usage report, ingestion, dead letters, Anthropic's two reports. */
export const usageDocs: OperationDocs = {
  seedGetUsage: {
    summary: "Get usage and cost by day, hour or month",
    description: `Token counts, requests and cost per bucket from \`start_date\` to \`end_date\` (UTC, both inclusive), with a per-model breakdown and the period's total; \`workspace_id\` narrows it to one workspace. Buckets: \`hour\` (at most 31 days), \`day\` (366 days) or \`month\` (36 months). Costs are priced when each request is recorded. ${LAG} ${CSV}`,
    response: {
      data: [
        {
          date: "2026-04-27",
          starting_at: "2026-04-27T00:00:00Z",
          ending_at: "2026-04-28T00:00:00Z",
          ...totals,
          model_breakdown: { "claude-opus-4-5": opus, "claude-haiku-4-5": haiku },
        },
      ],
      total: totals,
    },
  },
  ingestUsageEvents: {
    summary: "Record usage made elsewhere",
    description:
      "Records up to 10,000 usage events that did not pass through the gateway (another proxy, a batch job's own accounting). Each event is checked on its own: the answer counts the stored events and the `duplicates` (an event `id` already stored counts once, so a retried call adds nothing), and names each rejected event's index, field and reason. `cost_usd` is computed from the price table when absent. Ingested usage counts in reports, alerts and this month's spend limits like the gateway's.",
    audit: ["usage_events.ingest"],
    request: {
      events: [
        {
          id: "batch-2026-04-27-0001",
          timestamp: "2026-04-27T13:05:00Z",
          workspace_id: ID.workspace,
          api_key_id: ID.apiKey,
          model: "claude-sonnet-4-5",
          input_tokens: 1200,
          output_tokens: 350,
          cache_read_input_tokens: 4000,
        },
        {
          id: "batch-2026-04-27-0002",
          timestamp: "2026-04-27T13:06:00Z",
          workspace_id: ID.workspace,
          model: "claude-sonnet-4-5",
          input_tokens: -1,
          output_tokens: 10,
        },
      ],
    },
    response: {
      accepted: 1,
      duplicates: 0,
      rejected: [
        {
          index: 1,
          id: "batch-2026-04-27-0002",
          field: "input_tokens",
          message: "Too small: expected number to be >=0",
        },
      ],
    },
  },
  listUsageDeadLetters: {
    summary: "List usage events that could not be stored",
    description:
      "Lists, oldest first, the usage events the gateway metered but could not store and sum: a token count that is not a non-negative safe integer (`invalid_tokens`; the request was charged its whole reservation instead), a cost out of range (`cost_out_of_range`), or a row the database refused (`write_failed`; the rest of its batch was written). Each keeps the event's columns; they count in no report and no spend limit. Filter by `reason`.",
    response: {
      data: [
        {
          id: ID.deadLetter,
          type: "usage_dead_letter",
          event_id: ID.request,
          recorded_at: "2026-04-27T13:05:00.210Z",
          reason: "invalid_tokens",
          detail: "output_tokens: 1e+21: token counts must be non-negative safe integers",
          event: {
            id: ID.request,
            workspace_id: ID.workspace,
            api_key_id: ID.apiKey,
            model: "claude-sonnet-4-5",
            input_tokens: 1200,
          },
        },
      ],
      has_more: false,
      first_id: ID.deadLetter,
      last_id: ID.deadLetter,
    },
  },
  getMessagesUsageReport: {
    summary: "Get the messages usage report",
    description: `Anthropic's usage report: token counts per \`1m\`, \`1h\` or \`1d\` bucket from \`starting_at\`, grouped by \`group_by\` (API key, workspace, model, service tier, context window, inference geo) and filtered by the matching list parameters. Pages by \`next_page\`: pass it as \`page\` for the next. ${LAG} ${CSV_PAGED} Served on Anthropic's Admin API path.`,
    response: {
      data: [
        {
          starting_at: "2026-04-27T00:00:00Z",
          ending_at: "2026-04-28T00:00:00Z",
          results: [usageResult],
        },
      ],
      has_more: true,
      next_page: "page_MjAyNi0wNC0yOFQwMDowMDowMFo=",
    },
  },
  getCostReport: {
    summary: "Get the cost report",
    description: `Anthropic's cost report: cost per day from \`starting_at\`, grouped by \`workspace_id\`, \`description\` (model and token type) and/or \`api_key_id\` (a Steward addition: the cost of each API key). Amounts are decimal strings in cents; \`fallback_amount\` (a Steward addition) is the part charged at the price table's fallback rates because the model is not in it. Pages by \`next_page\`: pass it as \`page\` for the next. ${CSV_PAGED} Served on Anthropic's Admin API path.`,
    response: {
      data: [
        {
          starting_at: "2026-04-27T00:00:00Z",
          ending_at: "2026-04-28T00:00:00Z",
          results: [
            {
              ...costResult,
              amount: "7500.00",
              description: "Claude Opus 4.5 Usage - Input Tokens",
              token_type: "uncached_input_tokens",
            },
            {
              ...costResult,
              amount: "15000.00",
              description: "Claude Opus 4.5 Usage - Output Tokens",
              token_type: "output_tokens",
            },
          ],
        },
      ],
      has_more: false,
      next_page: null,
    },
  },
};
