import { Histogram, Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { RouteHistogram } from "../src/gateway/route-histogram.js";

const BOUNDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

/** The same observations through prom-client's Histogram and through RouteHistogram. */
function both(observations: Array<[string, number]>) {
  const theirs = new Registry();
  const reference = new Histogram({
    name: "latency_seconds",
    help: "Time taken",
    labelNames: ["route"] as const,
    buckets: BOUNDS,
    registers: [theirs],
  });
  const ours = new Registry();
  const histogram = new RouteHistogram("latency_seconds", "Time taken", "route", BOUNDS, ours);
  for (const [route, value] of observations) {
    reference.labels(route).observe(value);
    histogram.observe(route, value);
  }
  return { theirs, ours, histogram };
}

describe("RouteHistogram", () => {
  it("exposes the same text as prom-client's Histogram, bounds inclusive, above the last in +Inf only", async () => {
    const { theirs, ours } = both([
      ["messages", 0.003],
      ["messages", 0.005], // on a bound: counted in it (le)
      ["messages", 0.0051],
      ["messages", 0.7],
      ["messages", 121], // beyond the last bound
      ["models", 0],
      ["count_tokens", 2.5],
      ["models", 59.999],
    ]);
    expect(await ours.metrics()).toBe(await theirs.metrics());
    expect(await ours.metrics()).toContain('latency_seconds_bucket{le="0.005",route="messages"} 2');
    expect(await ours.metrics()).toContain('latency_seconds_bucket{le="+Inf",route="messages"} 5');
  });

  it("ignores a value that is not a finite number instead of poisoning the sum", async () => {
    const { ours, histogram } = both([["messages", 0.2]]);
    histogram.observe("messages", Number.NaN);
    histogram.observe("messages", Number.POSITIVE_INFINITY);
    expect(await ours.metrics()).toContain('latency_seconds_count{route="messages"} 1');
    expect(await ours.metrics()).toContain('latency_seconds_sum{route="messages"} 0.2');
  });

  it("starts again from nothing when the registry is reset", async () => {
    const { ours } = both([["messages", 0.2]]);
    ours.resetMetrics();
    expect(await ours.metrics()).not.toContain("latency_seconds_count");
    expect(await ours.metrics()).toContain("# TYPE latency_seconds histogram");
  });
});
