import { Counter, Gauge, Registry } from "prom-client";
import type { RedisState } from "../redis/connection.js";
import { RouteHistogram } from "./route-histogram.js";

type Route = "messages" | "count_tokens" | "models";

/** HTTP status codes have three digits: counts are kept for 0 to 999. */
const STATUS_CODES = 1000;

/** The gateway's Prometheus metrics, on a registry of their own (one per app). */
export class GatewayMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: "steward_gateway_requests_total",
    help: "Gateway requests answered, by route and HTTP status",
    labelNames: ["route", "status"] as const,
    registers: [this.registry],
    collect: () => this.#handOverAnswered(),
  });
  readonly refused = new Counter({
    name: "steward_gateway_admissions_refused_total",
    help: "Requests refused before reaching the upstream, by reason",
    labelNames: ["reason"] as const,
    registers: [this.registry],
  });
  readonly upstreamLatency = new RouteHistogram(
    "steward_gateway_upstream_latency_seconds",
    "Time from sending a request upstream to the end of its response",
    "route",
    [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    this.registry,
  );
  readonly upstreamErrors = new Counter({
    name: "steward_gateway_upstream_errors_total",
    help: "Upstream requests that failed without a response (connection errors, timeouts)",
    registers: [this.registry],
  });
  readonly queueDepth = new Gauge({
    name: "steward_metering_queue_depth",
    help: "Usage events waiting to be written",
    registers: [this.registry],
  });
  readonly spoolEvents = new Gauge({
    name: "steward_metering_spool_events",
    help: "Usage events on the local spool, waiting for the database to come back",
    registers: [this.registry],
  });
  readonly spoolBytes = new Gauge({
    name: "steward_metering_spool_bytes",
    help: "Size of the local spool's files",
    registers: [this.registry],
  });
  readonly eventsSpooled = new Counter({
    name: "steward_metering_events_spooled_total",
    help: "Usage events written to the local spool because the database could not take them",
    registers: [this.registry],
  });
  readonly eventsWritten = new Counter({
    name: "steward_usage_events_written_total",
    help: "Usage events written to the database",
    registers: [this.registry],
  });
  // Answers counted here by route and status code, and handed to `requests` when it is read.
  // prom-client builds a string of the labels for every increment, even a labelled child's.
  // Trick: saves the serving thread that string per request (bench/README.md#gateway-tricks).
  readonly #answered = new Map<Route, Float64Array>();

  /** Counts an answered gateway request. */
  answered(route: Route, status: number): void {
    let counts = this.#answered.get(route);
    if (counts === undefined) {
      counts = new Float64Array(STATUS_CODES);
      this.#answered.set(route, counts);
    }
    if (Number.isInteger(status) && status >= 0 && status < STATUS_CODES) {
      counts[status] = (counts[status] as number) + 1;
    } else {
      this.requests.inc({ route, status: String(status) });
    }
  }

  #handOverAnswered(): void {
    for (const [route, counts] of this.#answered) {
      for (let status = 0; status < counts.length; status++) {
        const count = counts[status] as number;
        if (count > 0) {
          this.requests.inc({ route, status: String(status) }, count);
          counts[status] = 0;
        }
      }
    }
  }

  /** Records how long the upstream took, in seconds. */
  upstreamTook(route: Route, seconds: number): void {
    this.upstreamLatency.observe(route, seconds);
  }

  readonly writeFailures = new Counter({
    name: "steward_metering_write_failures_total",
    help: "Batches of usage events whose write failed (they are retried)",
    registers: [this.registry],
  });
  readonly deadLetters = new Counter({
    name: "steward_usage_dead_letters_total",
    help: "Usage events kept apart in usage_dead_letters instead of stored and summed, by reason",
    labelNames: ["reason"] as const,
    registers: [this.registry],
  });
  readonly redisFallbacks = new Counter({
    name: "steward_redis_fallbacks_total",
    help: "Decisions a node took alone because Redis was down (down) or a call to it failed or timed out (failed), by port",
    labelNames: ["port", "reason"] as const,
    registers: [this.registry],
  });

  /** Shows a node's shared Redis: whether it is usable, and how many nodes share it. */
  observeRedis(redis: { readonly state: RedisState; readonly liveNodes: number }): void {
    new Gauge({
      name: "steward_redis_up",
      help: "1 while this node's Redis connection is usable; 0 while it runs degraded",
      registers: [this.registry],
      collect() {
        this.set(redis.state === "up" ? 1 : 0);
      },
    });
    new Gauge({
      name: "steward_cluster_nodes",
      help: "Nodes sharing Redis that said they were alive recently (the last count known while Redis is down)",
      registers: [this.registry],
      collect() {
        this.set(redis.liveNodes);
      },
    });
  }
}
