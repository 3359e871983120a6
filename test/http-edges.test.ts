/**
 * The edges of the HTTP surface: what Fastify's router and Node's HTTP parser refuse before any
 * handler runs is answered in the Anthropic error envelope with a request id; the gateway forwards
 * only the normalized paths of the routes it serves; names refuse control characters.
 */

import type { AddressInfo } from "node:net";
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../src/core/errors.js";
import { upstreamPathOf } from "../src/gateway/gateway.js";
import { gatewayRouteOf } from "../src/http/gateway-front-door.js";
import { ask, type GatewayEnv, startGatewayEnv } from "./gateway-support.js";
import { type ApiResponse, BACKENDS, createTestServer, type TestServer } from "./harness.js";

const SQLITE = BACKENDS[0] as (typeof BACKENDS)[number];

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: any;
}

/**
 * Writes `bytes` on a fresh connection and reads the answer until the server closes it: the only
 * way to send what an HTTP client refuses to (control characters, non-ASCII bytes, dot segments).
 */
function rawRequest(port: number, bytes: string | Buffer): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("error", reject);
    socket.on("close", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const end = text.indexOf("\r\n\r\n");
      if (end === -1) {
        reject(new Error(`no HTTP answer: ${JSON.stringify(text)}`));
        return;
      }
      const [statusLine = "", ...lines] = text.slice(0, end).split("\r\n");
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(":");
        headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
      }
      const rest = text.slice(end + 4);
      let body: unknown = rest;
      try {
        body = JSON.parse(rest);
      } catch {
        // not JSON: kept as text, and the assertions say so
      }
      resolve({ status: Number(statusLine.split(" ")[1]), headers, body });
    });
    socket.write(bytes);
  });
}

/** A request line and headers (the connection closes after the answer), and an optional body. */
function requestBytes(
  head: string,
  headers: Record<string, string> = {},
  body: string | Buffer = "",
): Buffer {
  const lines = [head, "host: steward.test", "connection: close"];
  for (const [name, value] of Object.entries(headers)) {
    lines.push(`${name}: ${value}`);
  }
  if (body.length > 0) {
    lines.push(`content-length: ${Buffer.byteLength(body)}`);
  }
  return Buffer.concat([Buffer.from(`${lines.join("\r\n")}\r\n\r\n`), Buffer.from(body)]);
}

/** The Anthropic error envelope, its request id the same in the body and the header. */
function expectEnvelope(
  response: { status: number; headers: Record<string, unknown>; body: any },
  status: number,
  type: string,
): string {
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  expect(response.body).toMatchObject({ type: "error", error: { type } });
  expect(typeof response.body.error.message).toBe("string");
  expect(response.body.request_id).toMatch(/^req_/);
  expect(response.headers["request-id"]).toBe(response.body.request_id);
  return response.body.error.message;
}

describe("framework errors answer in the envelope", () => {
  let server: TestServer;
  let port: number;

  beforeAll(async () => {
    server = await createTestServer(SQLITE);
    await server.app.listen({ port: 0, host: "127.0.0.1" });
    port = (server.app.server.address() as AddressInfo).port;
  });
  afterAll(() => server.close());

  it("refuses a path that is not valid percent-encoded UTF-8 with a 400", async () => {
    for (const path of [
      "/v1/workspaces/%C0%AF",
      "/v1/workspaces/%ED%A0%80",
      "/v1/organizations/workspaces/%C0%AF",
      "/v1/api_keys/%FF",
    ]) {
      const message = expectEnvelope(await server.get(path), 400, "invalid_request_error");
      expect(message).toContain("percent-encoded UTF-8");
    }
  });

  it("refuses an over-long path parameter with a 414, and takes one at the limit", async () => {
    const message = expectEnvelope(
      await server.get(`/v1/workspaces/${"w".repeat(101)}`),
      414,
      "invalid_request_error",
    );
    expect(message).toBe("path: a path parameter is longer than 100 characters");
    expectEnvelope(await server.get(`/v1/workspaces/${"w".repeat(100)}`), 404, "not_found_error");
  });

  it("answers other refusals before the handler in the envelope", async () => {
    expectEnvelope(await server.get("/v1/no_such_thing"), 404, "not_found_error");
    expectEnvelope(await server.request("PUT", "/v1/organizations"), 404, "not_found_error");
    expectEnvelope(
      await server.post("/v1/workspaces", "{not json", {}),
      400,
      "invalid_request_error",
    );
    expectEnvelope(await server.post("/v1/workspaces", ""), 400, "invalid_request_error");
    expectEnvelope(
      await server.post("/v1/workspaces", '{"name":"p","__proto__":{"admin":true}}'),
      400,
      "invalid_request_error",
    );
    expectEnvelope(
      await server.post("/v1/workspaces", "name=x", { headers: { "content-type": "text/plain" } }),
      400,
      "invalid_request_error",
    );
    expectEnvelope(
      await server.post("/v1/workspaces", JSON.stringify({ name: "x".repeat(2 * 1024 * 1024) })),
      413,
      "request_too_large",
    );
    expectEnvelope(
      await server.get("/v1/organizations", { headers: { "anthropic-version": "latest" } }),
      400,
      "invalid_request_error",
    );
  });

  it("answers what Node's HTTP parser refuses in the envelope, on the socket", async () => {
    const refused: Array<[string, Buffer, number, string]> = [
      [
        "a control character in a header value",
        Buffer.concat([
          Buffer.from("GET /v1/organizations HTTP/1.1\r\nhost: x\r\nx-note: a"),
          Buffer.from([0x01]),
          Buffer.from("b\r\n\r\n"),
        ]),
        400,
        "invalid_request_error",
      ],
      [
        "a space in a header name",
        requestBytes("GET /v1/organizations HTTP/1.1", { "x bad": "1" }),
        400,
        "invalid_request_error",
      ],
      [
        "a non-ASCII byte in the path",
        Buffer.concat([
          Buffer.from("GET /v1/workspaces/"),
          Buffer.from([0xc0, 0xaf]),
          Buffer.from(" HTTP/1.1\r\nhost: x\r\n\r\n"),
        ]),
        400,
        "invalid_request_error",
      ],
      [
        "an unknown method",
        requestBytes("BREW /v1/organizations HTTP/1.1"),
        400,
        "invalid_request_error",
      ],
      ["not HTTP at all", Buffer.from("HELLO\r\n\r\n"), 400, "invalid_request_error"],
      [
        "headers over the size limit",
        requestBytes("GET /v1/organizations HTTP/1.1", { "x-big": "a".repeat(20_000) }),
        431,
        "request_too_large",
      ],
    ];
    for (const [what, bytes, status, type] of refused) {
      const response = await rawRequest(port, bytes);
      expect(response.headers["content-type"], what).toBe("application/json");
      expectEnvelope(response, status, type);
    }
  });

  it("reads header bytes that are not UTF-8 as they are, and answers in the envelope", async () => {
    // Node passes obs-text (0x80-0xFF) through as latin1: no parser error, Steward answers.
    const bytes = Buffer.concat([
      Buffer.from("GET /v1/organizations HTTP/1.1\r\nhost: x\r\nconnection: close\r\nx-api-key: "),
      Buffer.from([0xc0, 0xaf, 0xed, 0xa0, 0x80, 0xff]),
      Buffer.from("\r\n\r\n"),
    ]);
    expectEnvelope(await rawRequest(port, bytes), 401, "authentication_error");
  });
});

describe("the gateway forwards only normalized paths of the routes it serves", () => {
  let env: GatewayEnv;
  let port: number;
  let key: string;

  beforeAll(async () => {
    env = await startGatewayEnv(SQLITE);
    port = Number(new URL(env.baseURL).port);
    key = (await env.issueKey()).key;
  });
  afterAll(() => env.close());

  const gatewayHeaders = () => ({ "x-api-key": key, "anthropic-version": "2023-06-01" });

  /** What the upstream received while `send` ran. */
  async function reached(send: () => Promise<unknown>): Promise<string[]> {
    const before = env.upstream.requests.length;
    await send();
    await env.settle();
    return env.upstream.requests.slice(before).map((r) => `${r.method} ${r.path}`);
  }

  it("takes every form of its paths at the front door, and leaves the rest to Fastify", () => {
    expect(gatewayRouteOf("GET", "/v1/models/claude-sonnet-4-6")).toBe("models");
    expect(gatewayRouteOf("GET", "/v1/models/claude-3.5@2024:x_y")).toBe("models");
    // The gateway refuses these itself (upstreamPathOf): they are not plain model ids.
    for (const url of [
      "/v1/models/..%2F..%2Fv1%2Fmessages%2Fbatches",
      "/v1/models/%2e%2e",
      "/v1/models/..",
      "/v1/models/.",
      "/v1/models/a%2Fb",
      "/v1/models/claude%2Dx",
      `/v1/models/${"m".repeat(101)}`,
    ]) {
      expect(gatewayRouteOf("GET", url), url).toBe("models");
    }
    expect(gatewayRouteOf("POST", "/v1/%6Dessages/")).toBe("messages");
    for (const url of ["/v1/models//x", "/v1/models/a/b", "/v1/models/%C0%AF", "/v1%2Fmessages"]) {
      expect(gatewayRouteOf(url.includes("messages") ? "POST" : "GET", url), url).toBeUndefined();
    }
  });

  it("builds the upstream path from the route, keeping the query", () => {
    expect(upstreamPathOf("messages", "/v1/messages")).toBe("/v1/messages");
    expect(upstreamPathOf("messages", "/v1/messages/?beta=true")).toBe("/v1/messages?beta=true");
    expect(upstreamPathOf("messages", "/v1/%6Dessages")).toBe("/v1/messages");
    expect(upstreamPathOf("count_tokens", "/v1/messages/count_tokens/")).toBe(
      "/v1/messages/count_tokens",
    );
    expect(upstreamPathOf("models", "/v1/models/?limit=2")).toBe("/v1/models?limit=2");
    expect(upstreamPathOf("models", "/v1/models/claude-sonnet-4-6/")).toBe(
      "/v1/models/claude-sonnet-4-6",
    );
    expect(
      upstreamPathOf("models", "/v1/models/..%2F..%2Fv1%2Fmessages%2Fbatches"),
    ).toBeUndefined();
    expect(upstreamPathOf("models", "/v1/models/%2e%2e?x=1")).toBeUndefined();
  });

  it("refuses encoded slashes and dot segments without reaching the upstream", async () => {
    const paths = [
      "/v1/models/..%2F..%2Fv1%2Fmessages%2Fbatches",
      "/v1/models/..%2f..%2fv1%2fmessages%2fbatches",
      "/v1/models/%2e%2e",
      "/v1/models/%2E%2E%2Fmessages",
      "/v1/models/..",
      "/v1/models/.",
      "/v1/models/a%2Fb",
      "/v1/models/%2F",
      "/v1/models//x",
      "/v1//models",
      "//v1/models",
      "/v1/models/x/../../messages/batches",
      "/v1/./models",
      "/v1/models/%00",
    ];
    for (const path of paths) {
      const viaSocket = await reached(async () => {
        const response = await rawRequest(
          port,
          requestBytes(`GET ${path} HTTP/1.1`, gatewayHeaders()),
        );
        expect(response.status, path).toBeGreaterThanOrEqual(400);
        expect(response.status, path).toBeLessThan(500);
        expectEnvelope(
          response,
          response.status,
          response.status === 404 ? "not_found_error" : "invalid_request_error",
        );
      });
      expect(viaSocket, path).toEqual([]);
    }
    for (const path of [
      "/v1/./messages",
      "/v1/x/../messages",
      "//v1/messages",
      "/v1/messages/..%2Fcount_tokens",
    ]) {
      const sent = await reached(async () => {
        const response = await rawRequest(
          port,
          requestBytes(
            `POST ${path} HTTP/1.1`,
            { ...gatewayHeaders(), "content-type": "application/json" },
            JSON.stringify(ask()),
          ),
        );
        expectEnvelope(response, 404, "not_found_error");
      });
      expect(sent, path).toEqual([]);
    }
  });

  it("still forwards the routes it serves, normalized", async () => {
    const send = (method: string, path: string, body = "") =>
      rawRequest(
        port,
        requestBytes(
          `${method} ${path} HTTP/1.1`,
          { ...gatewayHeaders(), ...(body !== "" && { "content-type": "application/json" }) },
          body,
        ),
      );
    const message = JSON.stringify(ask());
    const expectations: Array<[string, string, string, string]> = [
      ["GET", "/v1/models/claude-sonnet-4-6", "", "GET /v1/models/claude-sonnet-4-6"],
      ["GET", "/v1/models?limit=2", "", "GET /v1/models?limit=2"],
      ["GET", "/v1/models/", "", "GET /v1/models"],
      ["POST", "/v1/messages?beta=true", message, "POST /v1/messages?beta=true"],
      ["POST", "/v1/messages/", message, "POST /v1/messages"],
      ["POST", "/v1/messages/count_tokens", message, "POST /v1/messages/count_tokens"],
    ];
    for (const [method, path, body, upstreamSaw] of expectations) {
      const sent = await reached(async () => {
        const response = await send(method, path, body);
        expect(response.status, `${path}: ${JSON.stringify(response.body)}`).toBe(200);
      });
      expect(sent, path).toEqual([upstreamSaw]);
    }
  });
});

describe("shutdown", () => {
  it("answers requests that arrive once shutdown has begun with a 503 in the envelope", async () => {
    const server = await createTestServer(SQLITE);
    const closing = server.app.close();
    const late = await server.get("/v1/organizations/me");
    await closing;
    await server.close();
    expect(expectEnvelope(late, 503, "unavailable_error")).toContain("shutting down");
    expect(late.headers["retry-after"]).toBe("1");
  });
});

describe("names refuse control characters", () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await createTestServer(SQLITE);
  });
  afterAll(() => server.close());

  const CONTROL = [
    "Acme\r\nX-Injected: 1",
    "a\u0000b",
    "\nleading",
    "trailing\n",
    "tab\there",
    "del\u007f",
  ];

  function expectRefused(response: ApiResponse, field: string): void {
    const message = expectEnvelope(response, 400, "invalid_request_error");
    // NUL is refused before validation, by its own rule (src/http/nul-guard.ts).
    expect(message).toMatch(
      new RegExp(
        `^body\\.${field.replaceAll(".", "\\.")}: must not contain (control|NUL) characters`,
      ),
    );
  }

  it("refuses them in every name and free-text identifier, naming the field", async () => {
    const workspace = await server.post("/v1/workspaces", { name: "Edges" });
    expect(workspace.status).toBe(200);
    const id = workspace.body.id as string;
    const owner = server.org.ownerId;
    for (const bad of CONTROL) {
      expectRefused(await server.patch("/v1/organizations", { name: bad }), "name");
      expectRefused(
        await server.patch("/v1/organizations", { settings: { default_model: bad } }),
        "settings.default_model",
      );
      expectRefused(await server.post("/v1/workspaces", { name: bad }), "name");
      expectRefused(await server.post("/v1/organizations/workspaces", { name: bad }), "name");
      expectRefused(await server.patch(`/v1/workspaces/${id}`, { name: bad }), "name");
      expectRefused(await server.post(`/v1/organizations/workspaces/${id}`, { name: bad }), "name");
      expectRefused(
        await server.patch(`/v1/workspaces/${id}`, { tags: { team: bad } }),
        "tags.team",
      );
      expectRefused(await server.post("/v1/api_keys", { name: bad }), "name");
      expectRefused(await server.patch("/v1/api_keys/apikey_x", { name: bad }), "name");
      expectRefused(
        await server.post("/v1/organizations/api_keys/apikey_x", { name: bad }),
        "name",
      );
      expectRefused(await server.patch(`/v1/users/${owner}`, { name: bad }), "name");
      expectRefused(await server.post(`/v1/organizations/users/${owner}`, { name: bad }), "name");
      expectRefused(
        await server.post("/v1/invites/accept", { token: "t", name: bad }, { key: null }),
        "name",
      );
      expectRefused(
        await server.post("/v1/organizations/alert_rules", {
          name: bad,
          scope: { type: "organization" },
          thresholds: [{ type: "usd", amount_usd: 10 }],
          channels: [{ type: "email", to: ["ops@example.com"] }],
        }),
        "name",
      );
    }
    const tagKey = await server.patch(`/v1/workspaces/${id}`, { tags: { "a\nb": "x" } });
    expect(expectEnvelope(tagKey, 400, "invalid_request_error")).toBe(
      "body.tags.a\nb: key must not contain control characters (CR, LF, NUL, tab)",
    );
    // Nothing was changed by the refusals.
    const organization = await server.get("/v1/organizations");
    expect(organization.body.name).toBe("Acme Corporation");
  });

  it("rejects an ingested usage event whose model holds one, naming the field", async () => {
    const workspace = await server.post("/v1/workspaces", { name: "Ingest" });
    const response = await server.post("/v1/usage/events", {
      events: [
        {
          id: "evt_control",
          timestamp: "2025-04-28T11:00:00Z",
          workspace_id: workspace.body.id,
          model: "claude\r\nopus",
          input_tokens: 1,
          output_tokens: 1,
        },
      ],
    });
    expect(response.status).toBe(200);
    expect(response.body.accepted).toBe(0);
    expect(response.body.rejected).toEqual([expect.objectContaining({ index: 0, field: "model" })]);
  });

  it("still takes names in any script, trimmed", async () => {
    const created = await server.post("/v1/workspaces", { name: "  Ünïcødé 名前 🚀  " });
    expect(created.status).toBe(200);
    expect(created.body.name).toBe("Ünïcødé 名前 🚀");
  });

  it("refuses them where services take names without HTTP (CLI, bootstrap)", async () => {
    const { services } = server;
    const ctx = {
      organizationId: server.org.id,
      actor: { type: "system" as const, id: null },
      requestId: null,
      clientIp: null,
      userAgent: null,
    };
    const refused = async (promise: Promise<unknown>, field: string) => {
      const error = await promise.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).status).toBe(400);
      expect((error as AppError).message).toBe(
        `${field}: must not contain control characters (CR, LF, NUL, tab)`,
      );
    };
    await refused(services.adminKeys.create(ctx, { name: "ops\r\nkey" }), "name");
    await refused(
      services.organizations.create(
        { name: "Org\u0000", ownerEmail: "o@example.com", ownerName: "Olivia" },
        { type: "system", id: null },
      ),
      "organization name",
    );
    await refused(
      services.organizations.create(
        { name: "Org", ownerEmail: "o@example.com", ownerName: "Olivia\nOwner" },
        { type: "system", id: null },
      ),
      "owner name",
    );
  });
});
