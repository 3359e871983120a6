/**
 * The gateway's access log (docs/operations.md#monitoring): one JSON line per request when it
 * ends, with its key, workspace, model, status, tokens, cost and latencies, never its key or body;
 * streams at their end with their final tokens, clients that left included; every error whatever
 * the sampling; and nothing buffered lost when the server stops on SIGTERM.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.js";
import { AccessLog, fileSink } from "../src/observability/access-log.js";
import {
  ask,
  type GatewayEnv,
  rawMessages,
  sendAndDisconnect,
  startGatewayEnv,
  until,
} from "./gateway-support.js";
import { startCluster } from "./support/cluster.js";

type Line = Record<string, unknown>;

/** An access log into a file of its own, as the server's is into stdout (buffered). */
function fileAccessLog(dir: string, name: string, sample?: number) {
  const file = join(dir, name);
  const accessLog = new AccessLog({
    ...(sample !== undefined && { sample }),
    sink: fileSink(file),
  });
  return {
    accessLog,
    /** Every line so far, parsed (after writing what is buffered). */
    lines(): Line[] {
      accessLog.flush();
      return readFileSync(file, "utf8")
        .split("\n")
        .filter((line) => line !== "")
        .map((line) => JSON.parse(line) as Line);
    },
  };
}

const dir = mkdtempSync(join(tmpdir(), "steward-access-log-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("access log", () => {
  const log = fileAccessLog(dir, "all.log");
  let env: GatewayEnv;
  let key: { id: string; key: string; workspaceId: string };
  const lineOf = (requestId: string | null) => {
    const line = log.lines().find((l) => l.request_id === requestId);
    expect(line, `access line of ${requestId}`).toBeDefined();
    return line as Line;
  };

  beforeAll(async () => {
    env = await startGatewayEnv({ name: "sqlite" }, { observe: { accessLog: log.accessLog } });
    key = await env.newKey();
  });
  afterAll(async () => {
    await env?.close();
  });

  it("writes a JSON request's line with its key, workspace, model, tokens, cost and latencies", async () => {
    const response = await rawMessages(env, key.key, JSON.stringify(ask()));
    expect(response.status).toBe(200);
    await response.arrayBuffer();
    const requestId = response.headers.get("x-steward-request-id");
    const [event] = (await env.events()).filter((e) => e.id === requestId);

    const line = lineOf(requestId);
    expect(line).toMatchObject({
      level: 30,
      msg: "gateway request",
      route: "messages",
      client_ip: "127.0.0.1",
      status: 200,
      key_id: key.id,
      workspace_id: key.workspaceId,
      model: "claude-haiku-4-5",
      stream: false,
      error_type: null,
      client_aborted: false,
      input_tokens: event?.input_tokens,
      output_tokens: event?.output_tokens,
      cache_read_tokens: event?.cache_read_tokens,
      cost_usd: (event?.cost_nanos ?? Number.NaN) / 1e9,
    });
    expect(line.cost_usd).toBeGreaterThan(0);
    expect(typeof line.time).toBe("number");
    expect(line.upstream_ms).toBeGreaterThanOrEqual(0);
    expect(line.total_ms).toBeGreaterThanOrEqual(line.upstream_ms as number);
    // Never the key, the prompt or the answer.
    const text = JSON.stringify(log.lines());
    expect(text).not.toContain(key.key);
    expect(text).not.toContain("Say hello");
  });

  it("writes a stream's line at its end, with its final tokens", async () => {
    env.upstream.script({
      kind: "slow-stream",
      chunks: 3,
      intervalMs: 5,
      usage: { output_tokens: 77 },
    });
    const response = await rawMessages(env, key.key, JSON.stringify(ask({ stream: true })));
    await response.text();
    const line = lineOf(response.headers.get("x-steward-request-id"));
    expect(line).toMatchObject({ status: 200, stream: true, output_tokens: 77, error_type: null });
    env.upstream.reset();
  });

  it("logs a client that left mid-stream, with what the upstream went on to produce", async () => {
    env.upstream.script({
      kind: "slow-stream",
      chunks: 6,
      intervalMs: 20,
      usage: { output_tokens: 99 },
    });
    const left = await sendAndDisconnect(env, key.key, JSON.stringify(ask({ stream: true })));
    await until(() => env.upstream.counts.completed > 0, "the upstream finished");
    await env.settle();
    const line = lineOf(left.stewardRequestId ?? null);
    expect(line).toMatchObject({ stream: true, client_aborted: true, output_tokens: 99 });
    env.upstream.reset();
  });

  it("logs refusals: a missing key, a bad anthropic-version at the front door", async () => {
    const missing = await rawMessages(env, undefined, JSON.stringify(ask()));
    expect(missing.status).toBe(401);
    await missing.arrayBuffer();
    expect(lineOf(missing.headers.get("request-id"))).toMatchObject({
      status: 401,
      error_type: "authentication_error",
      key_id: null,
      upstream_ms: null,
    });

    const badVersion = await rawMessages(env, key.key, JSON.stringify(ask()), {
      "anthropic-version": "yesterday",
    });
    expect(badVersion.status).toBe(400);
    await badVersion.arrayBuffer();
    expect(lineOf(badVersion.headers.get("request-id"))).toMatchObject({
      status: 400,
      error_type: "invalid_request_error",
    });
  });

  it("logs an upstream error with the upstream's error type", async () => {
    env.upstream.script({ kind: "error", status: 529, type: "overloaded_error" });
    const response = await rawMessages(env, key.key, JSON.stringify(ask()));
    expect(response.status).toBe(529);
    await response.arrayBuffer();
    expect(lineOf(response.headers.get("x-steward-request-id"))).toMatchObject({
      status: 529,
      error_type: "overloaded_error",
      key_id: key.id,
    });
    env.upstream.reset();
  });
});

describe("access log sampling", () => {
  const log = fileAccessLog(dir, "sampled.log", 0);
  let env: GatewayEnv;

  beforeAll(async () => {
    env = await startGatewayEnv({ name: "sqlite" }, { observe: { accessLog: log.accessLog } });
  });
  afterAll(async () => {
    await env?.close();
  });

  it("at 0 logs no success, and every error", async () => {
    const { key } = await env.newKey();
    const ok = await rawMessages(env, key, JSON.stringify(ask()));
    expect(ok.status).toBe(200);
    await ok.arrayBuffer();
    const refused = await rawMessages(env, "sk-ant-api03-unknown", JSON.stringify(ask()));
    expect(refused.status).toBe(401);
    await refused.arrayBuffer();
    await env.settle();
    expect(log.lines().map((l) => l.status)).toEqual([401]);
  });

  it("keeps every success at 1, none at 0, errors always", () => {
    const sink = { write: () => true, flushSync: () => {} };
    const all = new AccessLog({ sample: 1, sink });
    const none = new AccessLog({ sample: 0, sink });
    expect(all.wants(200, null, false)).toBe(true);
    expect(none.wants(200, null, false)).toBe(false);
    expect(none.wants(429, "rate_limit_error", false)).toBe(true);
    expect(none.wants(200, "overloaded_error", false)).toBe(true); // an error event mid-stream
    expect(none.wants(200, null, true)).toBe(true); // the client left
  });
});

describe("access log buffering", () => {
  const entry = (requestId: string, model: string) => ({
    requestId,
    route: "messages",
    ip: "127.0.0.1",
    status: 200,
    keyId: "apikey_1",
    workspaceId: "wrkspc_1",
    model,
    stream: false,
    errorType: null,
    clientAborted: false,
    usage: undefined,
    upstreamMs: 1,
    totalMs: 2,
  });

  it("writes whole lines in chunks of at most 8 KiB, each kept as given, in order", () => {
    const chunks: Buffer[] = [];
    const log = new AccessLog({
      sink: { write: (data) => chunks.push(data), flushSync: () => {} },
    });
    // Multi-byte models (more bytes than characters) and one line longer than the buffer.
    const models = ["claude-haiku-4-5", "modèle-ünïcode-模型", "m".repeat(9000)];
    for (let i = 0; i < 300; i++) {
      log.write(entry(`req_${i}`, models[i % 37 === 36 ? 2 : i % 2] ?? ""));
    }
    log.flush();
    log.close();
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) {
      expect(chunk.toString("utf8").endsWith("\n")).toBe(true);
      if (chunk.length > 8192) {
        expect(chunk.toString("utf8").split("\n")).toHaveLength(2); // the long line, alone
      }
    }
    const lines = Buffer.concat(chunks).toString("utf8").trimEnd().split("\n");
    expect(lines.map((line) => (JSON.parse(line) as Line).request_id)).toEqual(
      Array.from({ length: 300 }, (_, i) => `req_${i}`),
    );
    expect((JSON.parse(lines[1] ?? "") as Line).model).toBe("modèle-ünïcode-模型");
  });
});

describe("access log settings", () => {
  it("is on by default, sampling every request", () => {
    const config = loadConfig({});
    expect(config.ACCESS_LOG).toBe("stdout");
    expect(config.ACCESS_LOG_SAMPLE).toBe(1);
  });

  it("takes a share between 0 and 1, and off", () => {
    expect(loadConfig({ ACCESS_LOG_SAMPLE: "0.25", ACCESS_LOG: "off" })).toMatchObject({
      ACCESS_LOG_SAMPLE: 0.25,
      ACCESS_LOG: "off",
    });
    expect(() => loadConfig({ ACCESS_LOG_SAMPLE: "1.5" })).toThrow(/ACCESS_LOG_SAMPLE/);
    expect(() => loadConfig({ ACCESS_LOG: "maybe" })).toThrow(/ACCESS_LOG/);
  });
});

describe("access log of a server process", () => {
  it("loses no buffered line when the server stops on SIGTERM", async () => {
    const cluster = await startCluster({ nodes: 1, redis: false });
    try {
      const node = cluster.nodes[0]!;
      const created = await cluster.admin(node, "POST", "/v1/api_keys", { name: "access log" });
      expect(created.status).toBe(200);
      const answer = await cluster.message(node, created.body.key);
      expect(answer.status).toBe(200);
      const requestId = answer.headers.get("x-steward-request-id");
      // At once, before the access log's periodic flush.
      await node.stop();
      const line = node
        .logs()
        .split("\n")
        .find((text) => text.includes(`"request_id":"${requestId}"`));
      expect(line, cluster.logs()).toBeDefined();
      expect(JSON.parse(line as string)).toMatchObject({ msg: "gateway request", status: 200 });
    } finally {
      await cluster.stop();
    }
  }, 120_000);
});
