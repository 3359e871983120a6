import type { UsageEventRow } from "../src/core/usage/usage-store.js";

/** A usage event row as the gateway records it, for tests that write rows below the services. */
export function usageEventRow(
  fields: Partial<UsageEventRow> & Pick<UsageEventRow, "id">,
): UsageEventRow {
  return {
    organization_id: "org_rows",
    workspace_id: "wrkspc_rows",
    api_key_id: null,
    model: "claude-sonnet-4-5",
    occurred_at: "2026-01-15T12:00:00.000Z",
    input_tokens: 10,
    output_tokens: 5,
    cache_creation_5m_tokens: 0,
    cache_creation_1h_tokens: 0,
    cache_read_tokens: 0,
    web_search_requests: 0,
    cost_nanos: 1000,
    cost_input_nanos: 600,
    cost_output_nanos: 400,
    cost_cache_write_5m_nanos: 0,
    cost_cache_write_1h_nanos: 0,
    cost_cache_read_nanos: 0,
    cost_web_search_nanos: 0,
    cost_fallback_nanos: 0,
    priced: 1,
    price_source: "table",
    context_window: "0-200k",
    service_tier: "standard",
    inference_geo: null,
    status: 200,
    error_type: null,
    latency_ms: 1,
    stream: 0,
    source: "gateway",
    ...fields,
  };
}
