import pino from "pino";
import { afterEach, beforeEach, expect, it } from "vitest";
import type { UsageEventRow } from "../src/db/schema.js";
import { Store } from "../src/db/store.js";
import { GatewayMetrics } from "../src/gateway/metrics.js";
import { UsageRecorder } from "../src/gateway/usage-recorder.js";
import {
  type Backend,
  createTestDatabase,
  describeEachBackend,
  type TestDatabase,
} from "./harness.js";

function event(n: number): UsageEventRow {
  return {
    organization_id: "org_recorder",
    id: `req_recorder_${n}`,
    workspace_id: "wrkspc_recorder",
    api_key_id: null,
    model: "claude-sonnet-4-5",
    occurred_at: new Date(Date.UTC(2026, 0, 15, 12, 0, 0, n)).toISOString(),
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
    priced: 1,
    context_window: "0-200k",
    service_tier: "standard",
    inference_geo: null,
    status: 200,
    error_type: null,
    latency_ms: 1,
    stream: 0,
    source: "gateway",
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describeEachBackend("usage recorder batching", (backend: Backend) => {
  let db: TestDatabase;
  let store: Store;
  beforeEach(async () => {
    db = await createTestDatabase(backend);
    store = new Store(db.database);
  });
  afterEach(async () => {
    await db.drop();
  });

  function recorder(options: { batchSize: number; maxDelayMs: number }) {
    const batches: number[] = [];
    const instance = new UsageRecorder(store, new GatewayMetrics(), pino({ level: "silent" }), {
      ...options,
      feed: { usageRecorded: (events) => batches.push(events.length) },
    });
    return { instance, batches };
  }

  it("writes a full batch at once and the rest once its oldest event has waited", async () => {
    const { instance, batches } = recorder({ batchSize: 50, maxDelayMs: 200 });
    for (let n = 0; n < 120; n++) {
      instance.record(event(n));
    }
    await sleep(100);
    // Two full batches went out without waiting; the 20 left wait for the delay.
    expect(batches).toEqual([50, 50]);
    expect(instance.pending).toBe(20);
    await sleep(250);
    expect(batches).toEqual([50, 50, 20]);
  });

  it("does not write each trickle of events that arrived during the previous write", async () => {
    // An event every 2 ms or so for a quarter of a second. Writing as soon as the previous write
    // ended would make a batch of the few events that came meanwhile, again and again.
    const { instance, batches } = recorder({ batchSize: 1000, maxDelayMs: 100 });
    for (let n = 0; n < 120; n++) {
      instance.record(event(n));
      await sleep(2);
    }
    await instance.drain();
    expect(batches.reduce((sum, size) => sum + size, 0)).toBe(120);
    // About one write per 100 ms, and the last from drain().
    expect(batches.length).toBeLessThanOrEqual(4);
    const stored = await db.database.db
      .selectFrom("usage_events")
      .select((eb) => eb.fn.countAll<number>().as("count"))
      .executeTakeFirstOrThrow();
    expect(Number(stored.count)).toBe(120);
  });
});
