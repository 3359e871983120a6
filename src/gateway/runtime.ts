import type { FastifyBaseLogger } from "fastify";
import { collectDefaultMetrics } from "prom-client";
import { monthOf } from "../core/months.js";
import type { Clock } from "../core/ports.js";
import type { Storage } from "../core/storage.js";
import type { PriceTable } from "../core/usage/prices.js";
import type { UsageFeed } from "../core/usage/usage-feed.js";
import type { AccessLog } from "../observability/access-log.js";
import type { GatewayTracer } from "../observability/tracer.js";
import { UsageMetrics } from "../observability/usage-metrics.js";
import type { SharedRedis } from "../redis/connection.js";
import { RedisRateLimiter } from "../redis/rate-limiter.js";
import { RedisSpendLedger } from "../redis/spend-ledger.js";
import { ChangeFollower, type ChangeFollowerOptions } from "./change-follower.js";
import { Gateway, type UpstreamOptions } from "./gateway.js";
import { GatewayState } from "./gateway-state.js";
import { type KeyIndex, MemoryKeyIndex } from "./key-index.js";
import { GatewayMetrics } from "./metrics.js";
import { MemoryRateLimiter, type RateLimiter } from "./rate-limiter.js";
import { DegradableRateLimiter } from "./shared-rate-limiter.js";
import { SharedSpendLedger } from "./shared-spend-ledger.js";
import { MemorySpendLedger, type SpendLedger, type SpendSeedSource } from "./spend-ledger.js";
import { type RecorderOptions, UsageRecorder } from "./usage-recorder.js";

export interface GatewayConfig {
  upstream: UpstreamOptions;
  prices: PriceTable;
  recorder?: RecorderOptions;
  keyIndex?: KeyIndex;
  limiter?: RateLimiter;
  /** How the node follows the change log (defaults: src/gateway/change-follower.ts). */
  changes?: ChangeFollowerOptions;
  /** Shared state for several nodes (REDIS_URL): the limits are global while it is up. */
  redis?: SharedRedis;
  /** A spend ledger of the caller's (tests); otherwise Redis's with `redis`, or memory. */
  ledger?: SpendLedger;
  /** One line per request; whoever made it flushes it once the runtime is closed. */
  accessLog?: AccessLog;
  /** Spans per request (OTEL_EXPORTER_OTLP_ENDPOINT). */
  tracer?: GatewayTracer;
  metrics?: {
    /** prom-client's process and Node.js metrics on this registry too (the server's, one a process). */
    process?: boolean;
    /** Distinct workspaces with token and spend series of their own (the rest are "other"). */
    workspaceLabels?: number;
  };
}

/** A reservation in Redis outlives the upstream timeout by this much before it is released. */
const RESERVATION_MARGIN_MS = 60_000;

export interface GatewayRuntime {
  gateway: Gateway;
  state: GatewayState;
  /** Follows the database's change log: what other nodes and operator commands change. */
  changes: ChangeFollower;
  recorder: UsageRecorder;
  metrics: GatewayMetrics;
  ledger: SpendLedger;
  accessLog: AccessLog | undefined;
  /** Waits for requests in progress, writes every usage event, closes upstream connections. */
  close(): Promise<void>;
}

/** Loads the gateway's in-memory state and subscribes it to the store's committed changes. */
export async function startGateway(
  store: Storage,
  clock: Clock,
  log: FastifyBaseLogger,
  config: GatewayConfig,
  usageFeed: UsageFeed,
): Promise<GatewayRuntime> {
  const state = new GatewayState(store, config.keyIndex ?? new MemoryKeyIndex(), (error) =>
    log.error(
      { err: error },
      "gateway: reloading a changed key, workspace or organization failed; retrying (changed keys are refused meanwhile)",
    ),
  );
  // Changes made through this node reach its memory before the admin's response; the change log
  // brings everyone else's (other nodes, operator commands) within the follower's bounds.
  const changes = new ChangeFollower(store, state, {
    onError: (error) =>
      log.error(
        { err: error },
        "gateway: reading the change log failed; serving from memory and retrying",
      ),
    ...config.changes,
  });
  await changes.start();
  store.changeFeed = state;

  // Usage a previous run spooled (the database was unreachable when it stopped) is written
  // before the spend ledger is seeded from the rollups, so this month's limits count it.
  const metrics = new GatewayMetrics();
  if (config.redis) {
    metrics.observeRedis(config.redis);
  }
  if (config.metrics?.process) {
    collectDefaultMetrics({ register: metrics.registry });
  }
  const unsubscribeMetrics = usageFeed.subscribe(
    new UsageMetrics(metrics.registry, {
      ...(config.metrics?.workspaceLabels !== undefined && {
        workspaceLabels: config.metrics.workspaceLabels,
      }),
    }),
  );
  const recorder = new UsageRecorder(store, metrics, log, {
    ...config.recorder,
    feed: usageFeed,
    clock,
  });
  try {
    await recorder.replaySpool();
  } catch (error) {
    // Unreachable again: the recorder retries once writes succeed.
    log.error({ err: error, spooled: recorder.spooled }, "replaying spooled usage failed");
  }

  const monthSpend: SpendSeedSource = async (month) => {
    const monthStart = `${month}-01T00:00:00.000Z`;
    const rollups = store.read.usageRollups;
    const [organizations, workspaces] = await Promise.all([
      rollups.spendSince(monthStart, "organization_id"),
      rollups.spendSince(monthStart, "workspace_id"),
    ]);
    return [
      ...organizations.map((total) => ({ key: `org:${total.scopeId}`, nanos: total.nanos })),
      ...workspaces.map((total) => ({ key: `ws:${total.scopeId}`, nanos: total.nanos })),
    ];
  };
  const ledger = await startLedger(config, clock, log, metrics, monthSpend);

  // Usage ingested through the Admin API counts against this month's limits too (the gateway's
  // own requests are settled as they complete), summed per workspace: one add each, which a
  // shared ledger sends to Redis once, from this node.
  const unsubscribe = usageFeed.subscribe({
    usageRecorded(events) {
      const current = monthOf(clock.now());
      // Made only when a batch has ingested usage: most batches are the gateway's own.
      let perWorkspace: Map<string, { organizationId: string; nanos: number }> | undefined;
      for (const event of events) {
        // occurred_at is written by toISOString(), so its month is its first 7 characters: no
        // Date to build for each of an ingestion call's 10,000 events.
        if (event.source !== "gateway" && event.occurred_at.startsWith(current)) {
          perWorkspace ??= new Map();
          const sum = perWorkspace.get(event.workspace_id);
          if (sum) {
            sum.nanos += event.cost_nanos;
          } else {
            perWorkspace.set(event.workspace_id, {
              organizationId: event.organization_id,
              nanos: event.cost_nanos,
            });
          }
        }
      }
      for (const [workspaceId, sum] of perWorkspace ?? []) {
        void ledger.add([`org:${sum.organizationId}`, `ws:${workspaceId}`], current, sum.nanos);
      }
    },
  });

  const gateway = new Gateway(
    {
      state,
      limiter: config.limiter ?? limiterOf(config.redis, metrics, log),
      ledger,
      prices: config.prices,
      recorder,
      metrics,
      clock,
      log,
      accessLog: config.accessLog,
      tracer: config.tracer,
    },
    config.upstream,
  );
  return {
    gateway,
    state,
    changes,
    recorder,
    metrics,
    ledger,
    accessLog: config.accessLog,
    close: async () => {
      unsubscribe();
      await changes.close();
      state.close();
      await gateway.idle();
      await ledger.close?.();
      try {
        await recorder.drain();
      } finally {
        unsubscribeMetrics();
        await recorder.close();
      }
      await gateway.close();
    },
  };
}

/** One node: the in-memory bucket, synchronous. Several: Redis's, degrading to a local share. */
function limiterOf(
  redis: SharedRedis | undefined,
  metrics: GatewayMetrics,
  log: FastifyBaseLogger,
): RateLimiter {
  if (redis === undefined) {
    return new MemoryRateLimiter();
  }
  return new DegradableRateLimiter(new RedisRateLimiter(redis), redis, log, (reason) =>
    metrics.redisFallbacks.inc({ port: "rate_limiter", reason }),
  );
}

/**
 * The spend ledger: the caller's, else Redis's (through the degraded policy of
 * SharedSpendLedger) when the node has Redis, else memory; each starts from this month's spend.
 */
async function startLedger(
  config: GatewayConfig,
  clock: Clock,
  log: FastifyBaseLogger,
  metrics: GatewayMetrics,
  monthSpend: SpendSeedSource,
): Promise<SpendLedger> {
  if (config.ledger) {
    return config.ledger;
  }
  if (config.redis) {
    const remote = new RedisSpendLedger(config.redis, {
      clock,
      seedSource: monthSpend,
      reservationTtlMs: config.upstream.timeoutMs + RESERVATION_MARGIN_MS,
    });
    const shared = new SharedSpendLedger(remote, config.redis, {
      clock,
      log,
      seedSource: monthSpend,
      onFallback: (reason) => metrics.redisFallbacks.inc({ port: "spend_ledger", reason }),
    });
    await shared.start();
    return shared;
  }
  const memory = new MemorySpendLedger();
  const month = monthOf(clock.now());
  for (const total of await monthSpend(month)) {
    memory.seed(total.key, month, total.nanos);
  }
  return memory;
}
