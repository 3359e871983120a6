import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SUM_COLUMNS } from "../src/core/usage/metered.js";
import {
  bucketOf,
  DEFAULT_INFERENCE_GEO,
  DEFAULT_SERVICE_TIER,
  ROLLUPS,
  type RolledUp,
  rollUp,
  rollUpInSteps,
} from "../src/core/usage/rollup.js";
import type { UsageEventRow, UsageRollupRow } from "../src/core/usage/usage-store.js";
import { usageEventRow } from "./usage-rows.js";

/**
 * rollUp as plainly as it can be written: every table summed straight from the events, under a
 * key joining the bucket and the dimensions the table keeps, rows in that key's order.
 */
function rollUpDirectly(events: readonly UsageEventRow[]): RolledUp {
  return ROLLUPS.map(({ table, grain, level }) => {
    const rows = new Map<string, UsageRollupRow>();
    for (const e of events) {
      const keepsTierAndGeo = level !== "workspace_model";
      const row: UsageRollupRow = {
        organization_id: e.organization_id,
        bucket_start: bucketOf(e.occurred_at, grain),
        workspace_id: level === "organization" ? "" : e.workspace_id,
        api_key_id: level === "key" ? (e.api_key_id ?? "") : "",
        model: e.model,
        service_tier: keepsTierAndGeo ? (e.service_tier ?? DEFAULT_SERVICE_TIER) : "",
        context_window: keepsTierAndGeo ? e.context_window : "",
        inference_geo: keepsTierAndGeo ? (e.inference_geo ?? DEFAULT_INFERENCE_GEO) : "",
        requests: 1,
        input_tokens: e.input_tokens,
        output_tokens: e.output_tokens,
        cache_creation_5m_tokens: e.cache_creation_5m_tokens,
        cache_creation_1h_tokens: e.cache_creation_1h_tokens,
        cache_read_tokens: e.cache_read_tokens,
        web_search_requests: e.web_search_requests,
        cost_nanos: e.cost_nanos,
        cost_input_nanos: e.cost_input_nanos,
        cost_output_nanos: e.cost_output_nanos,
        cost_cache_write_5m_nanos: e.cost_cache_write_5m_nanos,
        cost_cache_write_1h_nanos: e.cost_cache_write_1h_nanos,
        cost_cache_read_nanos: e.cost_cache_read_nanos,
        cost_web_search_nanos: e.cost_web_search_nanos,
        cost_fallback_nanos: e.cost_fallback_nanos,
      };
      const key = [
        row.bucket_start,
        row.organization_id,
        row.workspace_id,
        row.api_key_id,
        row.model,
        row.service_tier,
        row.context_window,
        row.inference_geo,
      ].join("\u0000");
      const sum = rows.get(key);
      if (sum === undefined) {
        rows.set(key, row);
      } else {
        for (const column of SUM_COLUMNS) {
          sum[column] += row[column];
        }
      }
    }
    const sorted = [...rows.keys()].sort().map((key) => rows.get(key) as UsageRollupRow);
    return [table, sorted];
  });
}

const text = (values: string[]) => fc.constantFrom(...values);

const eventArbitrary = fc.record({
  organization_id: text(["org_a", "org_b"]),
  workspace_id: text(["wrkspc_a", "wrkspc_b", "wrkspc_ab"]),
  api_key_id: fc.option(text(["apikey_1", "apikey_10", "apikey_2"])),
  model: text(["claude-sonnet-4-5", "claude-haiku-4-5", "claude-sonnet-4-5-20250929"]),
  service_tier: fc.option(text(["standard", "batch", "priority"])),
  context_window: text(["0-200k", "200k-1M"]),
  inference_geo: fc.option(text(["us", "global", "not_available"])),
  // Hours across a month's end and a day's, and minutes within them.
  day: fc.constantFrom("2026-01-31", "2026-02-01", "2026-02-10"),
  hour: fc.constantFrom("00", "09", "23"),
  minute: fc.constantFrom("00", "30", "59"),
  input_tokens: fc.nat(1_000_000),
  output_tokens: fc.nat(100_000),
  cache_read_tokens: fc.nat(100_000),
  cost_nanos: fc.nat(1_000_000_000),
});

function eventsOf(
  records: Array<typeof eventArbitrary extends fc.Arbitrary<infer T> ? T : never>,
): UsageEventRow[] {
  return records.map(({ day, hour, minute, ...fields }, i) =>
    usageEventRow({
      ...fields,
      id: `msg_${i}`,
      occurred_at: `${day}T${hour}:${minute}:00.000Z`,
      cost_input_nanos: fields.cost_nanos,
    }),
  );
}

describe("rollUp", () => {
  it("sums every table as a direct sum of the events does, rows in key order", () => {
    fc.assert(
      fc.property(fc.array(eventArbitrary, { maxLength: 200 }), (records) => {
        const events = eventsOf(records);
        expect(rollUp(events)).toEqual(rollUpDirectly(events));
      }),
      { numRuns: 200 },
    );
  });

  it("gives the same rows when it pauses after every row", () => {
    fc.assert(
      fc.property(fc.array(eventArbitrary, { maxLength: 100 }), (records) => {
        const events = eventsOf(records);
        const steps = rollUpInSteps(events, 1);
        let step = steps.next();
        let pauses = 0;
        while (!step.done) {
          pauses++;
          step = steps.next();
        }
        expect(step.value).toEqual(rollUp(events));
        // At least once per event, and per row summed into a coarser table.
        expect(pauses).toBeGreaterThanOrEqual(events.length);
      }),
      { numRuns: 50 },
    );
  });

  it("gives every table no row for no event", () => {
    expect(rollUp([])).toEqual(ROLLUPS.map(({ table }) => [table, []]));
  });
});
