/**
 * OpenTelemetry traces (docs/operations.md#monitoring): with an OTLP endpoint, a gateway request
 * has a server span with admission's and the upstream call's below it, the upstream receives the
 * upstream span's W3C traceparent, a client's traceparent is continued, Admin API requests have
 * spans of their own, and everything buffered is exported when the runtime shuts down. The
 * receiver is a local OTLP/HTTP endpoint taking the exporter's JSON.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../src/core/ports.js";
import { PriceTable } from "../src/core/usage/prices.js";
import { startTracing } from "../src/observability/tracing.js";
import { startRuntime } from "../src/runtime.js";
import { type FakeUpstream, startFakeUpstream } from "./fixtures/fake-upstream.js";
import { listenWithKey, START, UPSTREAM_KEY } from "./gateway-support.js";
import { createTestDatabase, type TestDatabase } from "./harness.js";

interface OtlpValue {
  stringValue?: string;
  intValue?: number | string;
  doubleValue?: number;
  boolValue?: boolean;
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: Array<{ key: string; value: OtlpValue }>;
  status?: { code?: number };
}
interface ExportRequest {
  resourceSpans: Array<{
    resource: { attributes: Array<{ key: string; value: OtlpValue }> };
    scopeSpans: Array<{ spans: OtlpSpan[] }>;
  }>;
}

const SPAN_KIND_SERVER = 2;
const SPAN_KIND_CLIENT = 3;

function plainOf(value: OtlpValue): unknown {
  if (value.intValue !== undefined) {
    return Number(value.intValue);
  }
  return value.stringValue ?? value.doubleValue ?? value.boolValue;
}

function attributesOf(list: Array<{ key: string; value: OtlpValue }>): Record<string, unknown> {
  return Object.fromEntries(list.map(({ key, value }) => [key, plainOf(value)]));
}

/** An OTLP/HTTP receiver: keeps every export request's JSON body. */
async function startReceiver(): Promise<{
  url: string;
  exports: ExportRequest[];
  close(): Promise<void>;
}> {
  const exports: ExportRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      if (req.url === "/v1/traces" && req.headers["content-type"]?.includes("json")) {
        exports.push(JSON.parse(Buffer.concat(chunks).toString("utf8")) as ExportRequest);
        res.writeHead(200, { "content-type": "application/json" }).end("{}");
      } else {
        res.writeHead(415).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    exports,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe("OpenTelemetry traces", () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let upstream: FakeUpstream;
  let testDb: TestDatabase;
  const spans: Array<OtlpSpan & { attrs: Record<string, unknown> }> = [];
  let resource: Record<string, unknown> = {};
  const ids: Record<string, string> = {};
  const CLIENT_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  const CLIENT_SPAN = "00f067aa0ba902b7";

  beforeAll(async () => {
    receiver = await startReceiver();
    upstream = await startFakeUpstream({ apiKey: UPSTREAM_KEY });
    testDb = await createTestDatabase({ name: "sqlite" });
    // Read by the SDK as it starts: the service's name, and a batch delay no test run reaches, so
    // that only shutdown can export the spans.
    const settings = { OTEL_SERVICE_NAME: "steward-under-test", OTEL_BSP_SCHEDULE_DELAY: "600000" };
    const saved = Object.fromEntries(
      Object.keys(settings).map((name) => [name, process.env[name]]),
    );
    Object.assign(process.env, settings);
    const tracing = startTracing({ serviceVersion: "9.9.9", url: `${receiver.url}/v1/traces` });
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) {
        delete process.env[name];
      } else {
        process.env[name] = value;
      }
    }
    const runtime = await startRuntime({
      database: testDb.database,
      clock: new ManualClock(START),
      gateway: {
        upstream: { url: upstream.url, apiKey: UPSTREAM_KEY, timeoutMs: 10_000 },
        prices: PriceTable.load(),
        recorder: { maxDelayMs: 5 },
        tracer: tracing.gateway,
      },
      http: { tracing },
    });
    try {
      const served = await listenWithKey(runtime, "Traced");
      ids.adminRequest = served.keyRequestId;
      ids.key = served.key.id;
      ids.workspace = served.workspaceId;
      const message = (key: string | undefined, headers: Record<string, string> = {}) =>
        fetch(`${served.baseURL}/v1/messages`, {
          method: "POST",
          headers: {
            ...(key !== undefined && { "x-api-key": key }),
            "anthropic-version": "2023-06-01",
            "content-type": "application/json",
            ...headers,
          },
          body: JSON.stringify({
            model: "claude-haiku-4-5",
            max_tokens: 16,
            messages: [{ role: "user", content: "Say hello." }],
          }),
        });
      const answered = await message(served.key.key, {
        traceparent: `00-${CLIENT_TRACE}-${CLIENT_SPAN}-01`,
      });
      expect(answered.status).toBe(200);
      await answered.arrayBuffer();
      ids.message = String(answered.headers.get("x-steward-request-id"));
      const refused = await message(undefined);
      expect(refused.status).toBe(401);
      await refused.arrayBuffer();
      ids.refused = String(refused.headers.get("request-id"));
      // Nothing is exported yet: shutdown must send it.
      expect(receiver.exports).toEqual([]);
    } finally {
      await runtime.close();
      await tracing.shutdown();
    }
    for (const request of receiver.exports) {
      for (const resourceSpans of request.resourceSpans) {
        resource = attributesOf(resourceSpans.resource.attributes);
        for (const scope of resourceSpans.scopeSpans) {
          for (const span of scope.spans) {
            spans.push({ ...span, attrs: attributesOf(span.attributes) });
          }
        }
      }
    }
  });
  afterAll(async () => {
    await receiver?.close();
    await upstream?.close();
    await testDb?.drop();
  });

  const spanOf = (requestId: string) => {
    const span = spans.find((s) => s.attrs["steward.request_id"] === requestId);
    expect(span, `the span of ${requestId}`).toBeDefined();
    return span as (typeof spans)[number];
  };
  const childrenOf = (span: OtlpSpan) => spans.filter((s) => s.parentSpanId === span.spanId);

  it("names the service from OTEL_SERVICE_NAME, with Steward's version", () => {
    expect(resource).toMatchObject({
      "service.name": "steward-under-test",
      "service.version": "9.9.9",
    });
  });

  it("traces a gateway request: its span, admission's, and the upstream call's", () => {
    const root = spanOf(ids.message as string);
    expect(root).toMatchObject({
      name: "POST /v1/messages",
      kind: SPAN_KIND_SERVER,
      // The client's trace, continued.
      traceId: CLIENT_TRACE,
      parentSpanId: CLIENT_SPAN,
    });
    expect(root.attrs).toMatchObject({
      "http.request.method": "POST",
      "http.route": "/v1/messages",
      "http.response.status_code": 200,
      "steward.api_key_id": ids.key,
      "steward.workspace_id": ids.workspace,
      "gen_ai.request.model": "claude-haiku-4-5",
    });
    expect(root.attrs["gen_ai.usage.output_tokens"]).toBeGreaterThan(0);
    const children = childrenOf(root);
    expect(children.map((s) => s.name).sort()).toEqual(["POST upstream", "admission"]);
    const call = children.find((s) => s.name === "POST upstream") as (typeof spans)[number];
    expect(call.kind).toBe(SPAN_KIND_CLIENT);
    expect(call.attrs["http.response.status_code"]).toBe(200);

    // The upstream got the upstream span's context, not the client's.
    const forwarded = upstream.requests.find((r) => r.path === "/v1/messages");
    expect(forwarded?.headers.traceparent).toBe(`00-${CLIENT_TRACE}-${call.spanId}-01`);
  });

  it("traces a refused request without an upstream call", () => {
    const root = spanOf(ids.refused as string);
    expect(root.attrs["http.response.status_code"]).toBe(401);
    expect(root.parentSpanId ?? "").toBe("");
    expect(childrenOf(root).map((s) => s.name)).toEqual(["admission"]);
  });

  it("traces Admin API requests", () => {
    const span = spanOf(ids.adminRequest as string);
    expect(span).toMatchObject({ name: "POST /v1/api_keys", kind: SPAN_KIND_SERVER });
    expect(span.attrs).toMatchObject({
      "http.route": "/v1/api_keys",
      "http.response.status_code": 200,
    });
  });
});
