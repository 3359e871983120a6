/**
 * Shared setup for the gateway suites (test/gateway-*.test.ts): the app over a fresh database,
 * listening on 127.0.0.1 with the gateway pointed at the fake Anthropic upstream, a ManualClock,
 * and helpers to issue keys, set limits, drive the official SDK and read the recorded usage.
 */
import { request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import Anthropic, { APIError } from "@anthropic-ai/sdk";
import { expect } from "vitest";
import { ManualClock } from "../src/core/ports.js";
import type { UsageEventRow } from "../src/core/usage/usage-store.js";
import type { GatewayConfig, GatewayRuntime } from "../src/gateway/runtime.js";
import type { SpendLedger } from "../src/gateway/spend-ledger.js";
import type { SharedRedis } from "../src/redis/connection.js";
import type { Runtime } from "../src/runtime.js";
import { type FakeUpstream, startFakeUpstream } from "./fixtures/fake-upstream.js";
import { type Backend, createTestServer, type TestServer } from "./harness.js";

/** The credential Steward presents upstream; the fake upstream refuses any other key. */
export const UPSTREAM_KEY = "sk-ant-api03-steward-own-upstream-credential";
export const START = "2026-01-15T12:00:00.000Z";
export const REQUEST_ID = /^req_/;

export interface GatewayEnv {
  server: TestServer;
  upstream: FakeUpstream;
  clock: ManualClock;
  baseURL: string;
  runtime: GatewayRuntime;
  /** Issues an API key through the seed surface (`POST /v1/api_keys`). */
  issueKey(body?: Record<string, unknown>): Promise<{ id: string; key: string }>;
  /** A new workspace (optionally with `usage_limits`), so each test has limits of its own. */
  newWorkspace(usageLimits?: Record<string, unknown>): Promise<string>;
  /** A new workspace and a key in it. */
  newKey(
    usageLimits?: Record<string, unknown>,
  ): Promise<{ id: string; key: string; workspaceId: string }>;
  setWorkspaceLimits(workspaceId: string, usageLimits: Record<string, unknown>): Promise<void>;
  updateOrganization(body: Record<string, unknown>): Promise<void>;
  client(apiKey: string): Anthropic;
  /** Waits for every request in progress to finish and every usage event to be written. */
  settle(): Promise<void>;
  /** Usage events of the organization, after `settle`. */
  events(): Promise<UsageEventRow[]>;
  close(): Promise<void>;
}

let workspaceCounter = 0;

export async function startGatewayEnv(
  backend: Backend,
  options: {
    trustProxy?: string[];
    clock?: ManualClock;
    timeoutMs?: number;
    /** Most usage events per write (the recorder's default otherwise). */
    batchSize?: number;
    /** A spend ledger of the test's, or a node's Redis (the runtime's ledger is then Redis's). */
    ledger?: SpendLedger;
    redis?: SharedRedis;
    /** The access log, tracer and metrics options of the gateway. */
    observe?: Pick<GatewayConfig, "accessLog" | "tracer" | "metrics">;
  } = {},
): Promise<GatewayEnv> {
  const upstream = await startFakeUpstream({ apiKey: UPSTREAM_KEY });
  const clock = options.clock ?? new ManualClock(START);
  const server = await createTestServer(backend, {
    clock,
    ...(options.trustProxy && { trustProxy: options.trustProxy }),
    gateway: {
      upstream: { url: upstream.url, apiKey: UPSTREAM_KEY, timeoutMs: options.timeoutMs ?? 10_000 },
      recorder: { maxDelayMs: 5, ...(options.batchSize && { batchSize: options.batchSize }) },
      ...(options.ledger && { ledger: options.ledger }),
      ...(options.redis && { redis: options.redis }),
      ...options.observe,
    },
  });
  await server.app.listen({ port: 0, host: "127.0.0.1" });
  const { port } = server.app.server.address() as AddressInfo;
  const baseURL = `http://127.0.0.1:${port}`;
  const runtime = server.app.gateway as GatewayRuntime;

  const ok = <T extends { status: number; body: unknown }>(response: T, what: string): T => {
    if (response.status !== 200) {
      throw new Error(`${what}: ${response.status} ${JSON.stringify(response.body)}`);
    }
    return response;
  };

  const env: GatewayEnv = {
    server,
    upstream,
    clock,
    baseURL,
    runtime,
    async issueKey(body = {}) {
      const created = ok(
        await server.post("/v1/api_keys", { name: "gateway test key", ...body }),
        "issue key",
      );
      return { id: created.body.id, key: created.body.key };
    },
    async newWorkspace(usageLimits) {
      const created = ok(
        await server.post("/v1/workspaces", {
          name: `Gateway ${++workspaceCounter}`,
          ...(usageLimits && { usage_limits: usageLimits }),
        }),
        "create workspace",
      );
      return created.body.id;
    },
    async newKey(usageLimits) {
      const workspaceId = await env.newWorkspace(usageLimits);
      return { ...(await env.issueKey({ workspace_id: workspaceId })), workspaceId };
    },
    async setWorkspaceLimits(workspaceId, usageLimits) {
      ok(
        await server.patch(`/v1/workspaces/${workspaceId}`, { usage_limits: usageLimits }),
        "update workspace",
      );
    },
    async updateOrganization(body) {
      ok(await server.patch("/v1/organizations", body), "update organization");
    },
    client(apiKey) {
      return new Anthropic({ baseURL, apiKey, maxRetries: 0 });
    },
    async settle() {
      await runtime.gateway.idle();
      await runtime.recorder.drain();
    },
    async events() {
      await env.settle();
      return server.services.deps.store.read.usage.list(server.org.id);
    },
    async close() {
      await server.close();
      await upstream.close();
    },
  };
  return env;
}

/** Awaits a promise that must reject with an SDK API error, and returns it. */
export async function failure(promise: Promise<unknown>): Promise<APIError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof APIError) {
      return error;
    }
    throw error;
  }
  throw new Error("expected the SDK call to fail, but it succeeded");
}

/** The Anthropic error envelope, as the SDK saw it. */
export function expectApiError(
  error: APIError,
  status: number,
  type: string,
  errorCode?: string,
): void {
  expect({ status: error.status, type: error.type }).toEqual({ status, type });
  expect(error.requestID).toMatch(REQUEST_ID);
  expect((error.error as { request_id?: string }).request_id).toBe(error.requestID);
  if (errorCode !== undefined) {
    expect(error.errorCode).toBe(errorCode);
  }
}

/** Polls `condition` until it holds (or fails after `timeoutMs`): no fixed sleeps. */
export async function until(
  condition: () => boolean | Promise<boolean>,
  what = "condition",
  timeoutMs = 5000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) {
      throw new Error(`${what}: not met within ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

export const ask = (overrides: Record<string, unknown> = {}) => ({
  model: "claude-haiku-4-5",
  max_tokens: 64,
  messages: [{ role: "user" as const, content: "Say hello." }],
  ...overrides,
});

/** A raw POST /v1/messages through the gateway. */
export function rawMessages(
  env: GatewayEnv,
  apiKey: string | undefined,
  body: string,
  headers: Record<string, string> = {},
  signal?: AbortSignal,
): Promise<Response> {
  return fetch(`${env.baseURL}/v1/messages`, {
    method: "POST",
    headers: {
      ...(apiKey !== undefined && { "x-api-key": apiKey }),
      "anthropic-version": "2023-06-01",
      "content-type": "application/json",
      ...headers,
    },
    body,
    ...(signal && { signal }),
  });
}

/**
 * A client that sends POST /v1/messages and drops its connection: after the response head and the
 * first bytes, or (`leaveWhen`) as soon as that promise settles, answered or not. On a socket of
 * its own (node:http, no agent): fetch's abort lets undici open a spare connection that would
 * keep the server's close waiting for its headers timeout.
 */
export function sendAndDisconnect(
  env: GatewayEnv,
  apiKey: string,
  body: string,
  leaveWhen?: Promise<unknown>,
): Promise<{ stewardRequestId: string | undefined; firstBytes: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      `${env.baseURL}/v1/messages`,
      {
        method: "POST",
        agent: false,
        headers: {
          "x-api-key": apiKey,
          "anthropic-version": "2023-06-01",
          "content-type": "application/json",
        },
      },
      (response) => {
        response.on("error", () => {});
        response.once("data", (chunk: Buffer) => {
          request.destroy();
          resolve({
            stewardRequestId: String(response.headers["x-steward-request-id"]),
            firstBytes: chunk.toString("utf8"),
          });
        });
      },
    );
    request.on("error", reject);
    request.end(body);
    void leaveWhen?.finally(() => {
      request.destroy();
      resolve({ stewardRequestId: undefined, firstBytes: "" });
    });
  });
}

export interface SseEvent {
  event: string;
  data: any;
}

export function parseSse(text: string): SseEvent[] {
  return text
    .split("\n\n")
    .filter((block) => block.trim() !== "")
    .map((block) => {
      let event = "";
      let data = "";
      for (const line of block.split("\n")) {
        if (line.startsWith("event: ")) {
          event = line.slice(7);
        } else if (line.startsWith("data: ")) {
          data += line.slice(6);
        }
      }
      return { event, data: JSON.parse(data) };
    });
}

/** The value of one sample in a Prometheus text exposition (0 when absent). */
export function metric(text: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of text.split("\n")) {
    if (line.startsWith("#") || !line.startsWith(name)) {
      continue;
    }
    const match = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) {
      continue;
    }
    const found: Record<string, string> = {};
    for (const pair of (match[2] ?? "").matchAll(/(\w+)="([^"]*)"/g)) {
      found[pair[1] as string] = pair[2] as string;
    }
    const wanted = Object.entries(labels);
    if (wanted.length === Object.keys(found).length && wanted.every(([k, v]) => found[k] === v)) {
      return Number(match[3]);
    }
  }
  return 0;
}

/**
 * A runtime of a test's own (startRuntime) listening on 127.0.0.1, with an organization and an
 * API key in its default workspace.
 */
export async function listenWithKey(
  runtime: Runtime,
  name: string,
): Promise<{
  baseURL: string;
  workspaceId: string;
  key: { id: string; key: string };
  /** The request id of the Admin API call that created the key. */
  keyRequestId: string;
}> {
  await runtime.app.listen({ port: 0, host: "127.0.0.1" });
  const { port } = runtime.app.server.address() as AddressInfo;
  const org = await runtime.services.organizations.create(
    { name, ownerEmail: `owner@${name.toLowerCase()}.example`, ownerName: "Olivia Owner" },
    { type: "system", id: null },
  );
  const created = await runtime.app.inject({
    method: "POST",
    url: "/v1/api_keys",
    headers: { "x-api-key": org.adminKey, "anthropic-version": "2023-06-01" },
    payload: { name, workspace_id: org.defaultWorkspaceId },
  });
  const { id, key } = created.json() as { id: string; key: string };
  return {
    baseURL: `http://127.0.0.1:${port}`,
    workspaceId: org.defaultWorkspaceId,
    key: { id, key },
    keyRequestId: String(created.headers["request-id"]),
  };
}
