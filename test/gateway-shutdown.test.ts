/**
 * Graceful shutdown under load: the runtime's `close()` (what SIGTERM calls) stops taking requests, waits for
 * the ones in flight — slow streams, JSON answers, and clients that already left while their
 * upstream is still producing — and writes every usage event before it resolves. Nothing is lost.
 */
import { afterEach, beforeEach, expect, it } from "vitest";
import type { Scenario } from "./fixtures/fake-upstream.js";
import {
  ask,
  failure,
  type GatewayEnv,
  sendAndDisconnect,
  startGatewayEnv,
  until,
} from "./gateway-support.js";
import { describeEachBackend } from "./harness.js";

const STREAMS = 24;
const JSONS = 24;
const ABANDONED = 6;
const TOTAL = STREAMS + JSONS + ABANDONED;

describeEachBackend("gateway shutdown", (backend) => {
  let env: GatewayEnv;

  beforeEach(async () => {
    // Small batches, so shutdown has several writes to make.
    env = await startGatewayEnv(backend, { batchSize: 8 });
  });
  afterEach(async () => {
    // Should close() have hung (the failure below says so), do not hang the suite as well.
    env?.server.app.server.closeAllConnections();
    await env?.close();
  });

  /** The runtime's close(), which must finish once the requests in flight are done (not at a timeout). */
  async function shutdown(closing: Promise<unknown> = env.server.runtime.close()): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error("close() still waiting after 5 s (connections left open?)")),
        5000,
      );
    });
    try {
      await Promise.race([closing, deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  it("waits for every request in flight, then every usage event is in the database", async () => {
    const keys = await Promise.all([env.newKey(), env.newKey(), env.newKey()]);
    const clients = keys.map((k) => env.client(k.key));
    // Each request takes the next scenario: a mix of slow streams (slow JSON for JSON requests),
    // delayed answers and immediate ones.
    const scenarios: Scenario[] = [];
    for (let i = 0; i < TOTAL; i++) {
      scenarios.push(
        i % 3 === 0
          ? { kind: "slow-stream", chunks: 12, intervalMs: 50 }
          : i % 3 === 1
            ? { kind: "message", delayMs: 60 }
            : { kind: "message" },
      );
    }
    env.upstream.script(...scenarios);

    const streams = Array.from({ length: STREAMS }, (_, i) =>
      clients[i % 3]!.messages.stream(ask({ max_tokens: 10 + i })).finalMessage(),
    );
    const jsons = Array.from({ length: JSONS }, (_, i) =>
      clients[i % 3]!.messages.create(ask({ max_tokens: 10 + i })),
    );
    // Clients that leave after the first bytes: their upstream keeps producing, and is billed.
    const abandoned = Array.from({ length: ABANDONED }, () =>
      sendAndDisconnect(env, keys[0]!.key, JSON.stringify(ask({ stream: true }))),
    );
    await Promise.all(abandoned);
    await until(() => env.upstream.counts.messages === TOTAL, "every request reached the upstream");
    // Under load: the slow ones (a third) are still streaming when shutdown begins.
    expect(TOTAL - env.upstream.counts.completed).toBeGreaterThanOrEqual(5);

    await shutdown();

    // Every answer was complete.
    const streamed = await Promise.all(streams);
    const answered = await Promise.all(jsons);
    for (const message of [...streamed, ...answered]) {
      expect(message.stop_reason).not.toBeNull();
      expect(message.usage.output_tokens).toBeGreaterThan(0);
    }
    expect(env.upstream.counts.completed).toBe(TOTAL);
    expect(env.upstream.counts.aborted).toBe(0);

    // Everything is written by the time close() resolved: no drain, no settle, no waiting.
    expect(env.runtime.recorder.pending).toBe(0);
    const events = await env.server.services.deps.store.read.usage.list(env.server.org.id);
    expect(events).toHaveLength(TOTAL);
    expect(new Set(events.map((e) => e.id)).size).toBe(TOTAL);
    expect(events.every((e) => e.status === 200 && e.error_type === null)).toBe(true);
    expect(events.filter((e) => e.stream === 1)).toHaveLength(STREAMS + ABANDONED);
    const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
    expect(sum(events.map((e) => e.output_tokens))).toBe(
      sum(env.upstream.reported.map((u) => u.output_tokens)),
    );
    expect(sum(events.map((e) => e.input_tokens))).toBe(
      sum(env.upstream.reported.map((u) => u.input_tokens)),
    );
    // last_used_at was flushed too.
    for (const { id } of keys) {
      const row = await env.server.services.deps.store.read.apiKeys.findManyByIds([id]);
      expect(row[0]!.last_used_at).not.toBeNull();
    }
  });

  it("refuses requests that arrive once shutdown has begun, and still loses none in flight", async () => {
    const { key } = await env.newKey();
    const client = env.client(key);
    env.upstream.script({ kind: "slow-stream", chunks: 10, intervalMs: 20 });
    const inFlight = Array.from({ length: 8 }, () => client.messages.stream(ask()).finalMessage());
    await until(() => env.upstream.counts.messages === 8, "every request reached the upstream");

    const closing = env.server.runtime.close();
    // Once shutdown has begun (new requests get 503, or find the port closed)...
    await until(async () => {
      const health = await fetch(`${env.baseURL}/healthz`).catch(() => undefined);
      return health?.status !== 200;
    }, "shutdown began");
    // ...a late request is turned away, never half-served.
    const late = await failure(client.messages.create(ask()));
    expect(late.status === 503 || late.status === undefined).toBe(true);
    await shutdown(closing);

    expect(await Promise.all(inFlight)).toHaveLength(8);
    const events = await env.server.services.deps.store.read.usage.list(env.server.org.id);
    expect(events).toHaveLength(8);
    expect(env.upstream.counts.messages).toBe(8);
  });
});
