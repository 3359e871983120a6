/**
 * Requests for the gateway's routes (`/v1/messages`, `/v1/messages/count_tokens`, `/v1/models`,
 * `/v1/models/{id}`, and paths next to them), and what the fake upstream answers each with:
 * a normal Message, one reporting hostile usage numbers, an error, or a stream that breaks off.
 */
import fc from "fast-check";
import type { FakeUsage, Scenario } from "../fixtures/fake-upstream.js";
import {
  anthropicVersion,
  contentType,
  HOSTILE_STRINGS,
  hostileValue,
  mutate,
  mutation,
  PROTOTYPE_NAMES,
  rawBody,
} from "./hostile.js";

export type GatewayAuth = "key" | "bearer" | "none" | "bad" | "admin";

export interface GatewayCase {
  method: "GET" | "POST";
  path: string;
  auth: GatewayAuth;
  version: string | undefined;
  contentType: string | undefined;
  body: { kind: "none" } | { kind: "json"; value: unknown } | { kind: "raw"; text: string };
  scenario: Scenario;
}

const models = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      "claude-haiku-4-5",
      "claude-sonnet-4-5",
      "claude-opus-4-6",
      "claude-sonnet-4-6",
    ),
  },
  { weight: 3, arbitrary: fc.constantFrom(...PROTOTYPE_NAMES) },
  { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 1, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 1, arbitrary: hostileValue },
);

const maxTokens = fc.oneof(
  { weight: 9, arbitrary: fc.integer({ min: 1, max: 4096 }) },
  {
    weight: 3,
    arbitrary: fc.constantFrom<unknown>(
      0,
      -1,
      1.5,
      1e21,
      2 ** 53,
      2 ** 63,
      1e308,
      "64",
      null,
      "NaN",
      "Infinity",
      true,
      [64],
      { n: 64 },
    ),
  },
);

const messages = fc.oneof(
  { weight: 8, arbitrary: fc.constant([{ role: "user", content: "Say hello." }]) },
  {
    weight: 2,
    arbitrary: fc.constantFrom<unknown>(
      [],
      null,
      "hello",
      [{ role: "user", content: [{ type: "image", source: { type: "base64", data: "AAAA" } }] }],
      [{ role: "user", content: [{ type: "document", source: { type: "url", url: "http://x" } }] }],
      [
        {
          role: "user",
          content: [{ type: "tool_result", content: [{ type: "image", source: null }] }],
        },
      ],
      [null, 1, "x"],
      [{ role: "__proto__", content: { __proto__: null } }],
    ),
  },
);

const tools = fc.constantFrom<unknown>(
  undefined,
  undefined,
  undefined,
  [{ type: "web_search_20250305", name: "web_search", max_uses: 1e21 }],
  [{ type: "web_search_20250305", name: "web_search", max_uses: -5 }],
  [{ type: "web_fetch_20250910", name: "web_fetch", max_uses: 2 ** 53, max_content_tokens: 1e21 }],
  [null, "tool", { type: 5 }],
  "not-an-array",
);

const messageBody = fc
  .record({
    model: models,
    max_tokens: maxTokens,
    messages,
    stream: fc.constantFrom<unknown>(false, false, false, true, true, true, "true", 1, null),
    tools,
  })
  .map((fields) => {
    const body: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(fields)) {
      if (value !== undefined) {
        body[key] = value;
      }
    }
    return body;
  });

/** Valid Messages whose content blocks nest past any stack: built as text (JSON.stringify would overflow). */
const deepContent = (depth: number, stream: boolean) =>
  `{"model":"claude-haiku-4-5","max_tokens":8,"stream":${stream},"messages":[{"role":"user","content":${'[{"type":"tool_result","content":'.repeat(depth)}"x"${"}]".repeat(depth)}}]}`;

const body = fc.oneof(
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(20, 20_000), fc.boolean())
      .map(([depth, stream]) => ({ kind: "raw" as const, text: deepContent(depth, stream) })),
  },
  { weight: 6, arbitrary: messageBody.map((value) => ({ kind: "json" as const, value })) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(messageBody, mutation)
      .map(([value, change]) => ({ kind: "json" as const, value: mutate(value, change) })),
  },
  { weight: 1, arbitrary: rawBody.map((text) => ({ kind: "raw" as const, text })) },
  { weight: 1, arbitrary: fc.constant({ kind: "none" as const }) },
);

/** Usage numbers no real upstream sends: past 2^53, negative, fractional, strings, NaN (sent as null). */
const hostileCount = fc.constantFrom<unknown>(
  1e21,
  2 ** 53 + 2,
  2 ** 63,
  1e308,
  -1,
  -1e21,
  0.5,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  "12",
  "NaN",
  "1e21",
  null,
  [],
  {},
  true,
);

const hostileUsage = fc
  .record(
    {
      input_tokens: hostileCount,
      output_tokens: hostileCount,
      cache_creation_input_tokens: hostileCount,
      cache_read_input_tokens: hostileCount,
      cache_creation: fc.record({
        ephemeral_5m_input_tokens: hostileCount,
        ephemeral_1h_input_tokens: hostileCount,
      }),
      server_tool_use: fc.record({ web_search_requests: hostileCount }),
      service_tier: fc.constantFrom<unknown>(
        "standard",
        "__proto__",
        "constructor",
        5,
        null,
        "x".repeat(5000),
      ),
      inference_geo: fc.constantFrom<unknown>("global", "us", "toString", 5, null),
    },
    { requiredKeys: [] },
  )
  // The fake upstream's options are typed for honest numbers; this is the point of the test.
  .map((usage) => usage as unknown as Partial<FakeUsage>);

/** Upstream faults whose status the gateway passes on: the only 5xx a case may answer. */
export function provokedServerErrors(c: GatewayCase): number[] {
  if (c.scenario.kind === "error" && c.scenario.status >= 500) {
    return [c.scenario.status];
  }
  if (c.scenario.kind === "stream-error") {
    return [500, 529, 504];
  }
  return [];
}

const scenario: fc.Arbitrary<Scenario> = fc.oneof(
  { weight: 4, arbitrary: fc.constant<Scenario>({ kind: "message" }) },
  { weight: 4, arbitrary: hostileUsage.map((usage): Scenario => ({ kind: "message", usage })) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(
        [400, "invalid_request_error"],
        [404, "not_found_error"],
        [429, "rate_limit_error"],
        [500, "api_error"],
        [529, "overloaded_error"],
      )
      .map(
        ([status, type]): Scenario => ({
          kind: "error",
          status: status as number,
          type: type as string,
        }),
      ),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.integer({ min: 1, max: 6 }),
        fc.constantFrom("overloaded_error", "api_error", "unlisted_error"),
      )
      .map(([afterEvents, type]): Scenario => ({ kind: "stream-error", afterEvents, type })),
  },
);

const routes = fc.oneof(
  { weight: 10, arbitrary: fc.constant({ method: "POST" as const, path: "/v1/messages" }) },
  {
    weight: 3,
    arbitrary: fc.constant({ method: "POST" as const, path: "/v1/messages/count_tokens" }),
  },
  {
    weight: 3,
    arbitrary: fc
      .constantFrom(
        "/v1/models",
        "/v1/models?limit=2",
        "/v1/models?limit=1e21",
        "/v1/models?limit=-1&after_id=__proto__",
        "/v1/models?before_id=constructor",
        "/v1/models/claude-haiku-4-5",
        "/v1/models/__proto__",
        "/v1/models/constructor",
        "/v1/models/toString",
        "/v1/models/%2e%2e",
        "/v1/models/..%2F..%2Fv1%2Fmessages",
        "/v1/models/%C0%AF",
        "/v1/models/%00",
        `/v1/models/${"m".repeat(3000)}`,
      )
      .map((path) => ({ method: "GET" as const, path })),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      { method: "POST" as const, path: "/v1/messages?beta=true" },
      { method: "POST" as const, path: "/v1/messages/" },
      { method: "POST" as const, path: "/v1//messages" },
      { method: "POST" as const, path: "/v1/messages/count_tokens/" },
      { method: "POST" as const, path: "/v1/messages/batches" },
      { method: "POST" as const, path: "/V1/messages" },
      { method: "POST" as const, path: "/v1/models" },
      { method: "GET" as const, path: "/v1/messages" },
      { method: "GET" as const, path: "/v1/models/" },
      { method: "GET" as const, path: "/v1/models/a/b" },
    ),
  },
);

export const gatewayCase: fc.Arbitrary<GatewayCase> = fc
  .record({
    route: routes,
    auth: fc.oneof(
      { weight: 10, arbitrary: fc.constantFrom("key" as const, "bearer" as const) },
      { weight: 1, arbitrary: fc.constantFrom("none" as const, "bad" as const, "admin" as const) },
    ),
    version: anthropicVersion,
    contentType,
    body,
    scenario,
  })
  .map(({ route, ...rest }) => ({ ...rest, method: route.method, path: route.path }));
