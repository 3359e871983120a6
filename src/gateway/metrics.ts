import { Counter, Gauge, Registry } from "prom-client";
import { RouteHistogram } from "./route-histogram.js";

type Route = "messages" | "count_tokens" | "models";

/** The gateway's Prometheus metrics, on a registry of their own (one per app). */
export class GatewayMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: "steward_gateway_requests_total",
    help: "Gateway requests answered, by route and HTTP status",
    labelNames: ["route", "status"] as const,
    registers: [this.registry],
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
  readonly eventsWritten = new Counter({
    name: "steward_usage_events_written_total",
    help: "Usage events written to the database",
    registers: [this.registry],
  });
  // Labelled children, looked up once: resolving label values is most of a counter's cost.
  readonly #answered = new Map<string, Counter>();

  /** Counts an answered gateway request. */
  answered(route: Route, status: number): void {
    const key = `${route} ${status}`;
    let child = this.#answered.get(key);
    if (!child) {
      child = this.requests.labels(route, String(status)) as unknown as Counter;
      this.#answered.set(key, child);
    }
    child.inc();
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
}
