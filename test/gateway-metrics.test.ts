import { describe, expect, it } from "vitest";
import { GatewayMetrics } from "../src/gateway/metrics.js";

/** The value of steward_gateway_requests_total for one route and status, as Prometheus reads it. */
async function answered(metrics: GatewayMetrics, route: string, status: string): Promise<number> {
  const { values } = await metrics.requests.get();
  return values.find((v) => v.labels.route === route && v.labels.status === status)?.value ?? 0;
}

describe("GatewayMetrics.answered", () => {
  it("counts answers by route and status, handed over once however often it is read", async () => {
    const metrics = new GatewayMetrics();
    metrics.answered("messages", 200);
    metrics.answered("messages", 200);
    metrics.answered("messages", 429);
    metrics.answered("models", 200);

    expect(await answered(metrics, "messages", "200")).toBe(2);
    expect(await answered(metrics, "messages", "429")).toBe(1);
    expect(await answered(metrics, "models", "200")).toBe(1);
    // A second read adds nothing new; later answers add to what was read.
    expect(await answered(metrics, "messages", "200")).toBe(2);
    metrics.answered("messages", 200);
    expect(await answered(metrics, "messages", "200")).toBe(3);

    const text = await metrics.registry.metrics();
    expect(text).toContain('steward_gateway_requests_total{route="messages",status="200"} 3');
    expect(text).toContain('steward_gateway_requests_total{route="messages",status="429"} 1');
  });

  it("counts a status outside 0 to 999 too", async () => {
    const metrics = new GatewayMetrics();
    metrics.answered("messages", 1000);
    metrics.answered("messages", 0);
    expect(await answered(metrics, "messages", "1000")).toBe(1);
    expect(await answered(metrics, "messages", "0")).toBe(1);
  });
});
