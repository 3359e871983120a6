import type { FastifyBaseLogger } from "fastify";
import { monthOf, monthStartOf } from "../core/months.js";
import type { Clock } from "../core/ports.js";
import type { Store } from "../db/store.js";
import { Gateway, type UpstreamOptions } from "./gateway.js";
import { GatewayState } from "./gateway-state.js";
import { type KeyIndex, MemoryKeyIndex } from "./key-index.js";
import { GatewayMetrics } from "./metrics.js";
import type { PriceTable } from "./prices.js";
import { MemoryRateLimiter, type RateLimiter } from "./rate-limiter.js";
import { MemorySpendLedger } from "./spend-ledger.js";
import { type RecorderOptions, UsageRecorder } from "./usage-recorder.js";

export interface GatewayConfig {
  upstream: UpstreamOptions;
  prices: PriceTable;
  recorder?: RecorderOptions;
  keyIndex?: KeyIndex;
  limiter?: RateLimiter;
}

export interface GatewayRuntime {
  gateway: Gateway;
  state: GatewayState;
  recorder: UsageRecorder;
  metrics: GatewayMetrics;
  ledger: MemorySpendLedger;
  /** Waits for requests in progress, writes every usage event, closes upstream connections. */
  close(): Promise<void>;
}

/** Loads the gateway's in-memory state and subscribes it to the store's committed changes. */
export async function startGateway(
  store: Store,
  clock: Clock,
  log: FastifyBaseLogger,
  config: GatewayConfig,
): Promise<GatewayRuntime> {
  const state = new GatewayState(store, config.keyIndex ?? new MemoryKeyIndex());
  await state.load();
  store.changeFeed = state;

  const ledger = new MemorySpendLedger();
  const now = clock.now();
  const month = monthOf(now);
  const monthStart = monthStartOf(now);
  for (const total of await store.read.usage.spendSince(monthStart, "organization_id")) {
    ledger.seed(`org:${total.scopeId}`, month, total.nanos);
  }
  for (const total of await store.read.usage.spendSince(monthStart, "workspace_id")) {
    ledger.seed(`ws:${total.scopeId}`, month, total.nanos);
  }

  const metrics = new GatewayMetrics();
  const recorder = new UsageRecorder(store, metrics, log, config.recorder);
  const gateway = new Gateway(
    {
      state,
      limiter: config.limiter ?? new MemoryRateLimiter(),
      ledger,
      prices: config.prices,
      recorder,
      metrics,
      clock,
      log,
    },
    config.upstream,
  );
  return {
    gateway,
    state,
    recorder,
    metrics,
    ledger,
    close: async () => {
      await gateway.idle();
      await recorder.drain();
      await gateway.close();
    },
  };
}
