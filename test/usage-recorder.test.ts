import pino from "pino";
import { afterEach, beforeEach, expect, it, vi } from "vitest";
import { Store } from "../src/db/store.js";
import { GatewayMetrics } from "../src/gateway/metrics.js";
import { UsageRecorder } from "../src/gateway/usage-recorder.js";
import {
  type Backend,
  createTestDatabase,
  describeEachBackend,
  type TestDatabase,
} from "./harness.js";
import { usageEventRow } from "./usage-rows.js";

function event(n: number) {
  return usageEventRow({
    organization_id: "org_recorder",
    id: `req_recorder_${n}`,
    occurred_at: new Date(Date.UTC(2026, 0, 15, 12, 0, 0, n)).toISOString(),
  });
}

/**
 * The recorder's delays run on fake timers (its setTimeout and performance.now()); the writes are
 * real, so a test waits for them by the feed's count, polling on setImmediate, which stays real.
 */
async function until(done: () => boolean): Promise<void> {
  for (let turns = 0; !done(); turns++) {
    if (turns > 100_000) {
      throw new Error("the recorder never wrote what the test waits for");
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describeEachBackend("usage recorder batching", (backend: Backend) => {
  let db: TestDatabase;
  let store: Store;
  beforeEach(async () => {
    db = await createTestDatabase(backend);
    store = new Store(db.database);
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] });
  });
  afterEach(async () => {
    vi.useRealTimers();
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
    // Two full batches go out without waiting; the 20 left wait for the delay.
    await until(() => batches.length >= 2);
    expect(batches).toEqual([50, 50]);
    expect(instance.pending).toBe(20);
    await vi.advanceTimersByTimeAsync(199);
    expect(batches).toEqual([50, 50]);
    await vi.advanceTimersByTimeAsync(1);
    await until(() => batches.length >= 3);
    expect(batches).toEqual([50, 50, 20]);
  });

  it("does not write each trickle of events that arrived during the previous write", async () => {
    // An event every 2 ms or so for a quarter of a second. Writing as soon as the previous write
    // ended would make a batch of the few events that came meanwhile, again and again.
    const { instance, batches } = recorder({ batchSize: 1000, maxDelayMs: 100 });
    for (let n = 0; n < 120; n++) {
      instance.record(event(n));
      await vi.advanceTimersByTimeAsync(2);
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
