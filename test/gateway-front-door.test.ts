import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createGatewayFrontDoor, gatewayRouteOf } from "../src/http/gateway-front-door.js";
import { ask, type GatewayEnv, rawMessages, startGatewayEnv } from "./gateway-support.js";
import { describeEachBackend, errorOf } from "./harness.js";

it("should take only the Claude API paths at the gateway's front door", () => {
  expect(gatewayRouteOf("POST", "/v1/messages")).toBe("messages");
  expect(gatewayRouteOf("POST", "/v1/messages?beta=true")).toBe("messages");
  expect(gatewayRouteOf("POST", "/v1/messages/count_tokens")).toBe("count_tokens");
  expect(gatewayRouteOf("GET", "/v1/models")).toBe("models");
  expect(gatewayRouteOf("GET", "/v1/models/claude-opus-4-6")).toBe("models");
  expect(gatewayRouteOf("HEAD", "/v1/models/")).toBe("models");
  expect(gatewayRouteOf("POST", "/v1/messages/count_tokens/?x=1")).toBe("count_tokens");
  expect(gatewayRouteOf("GET", "/v1/messages")).toBeUndefined();
  expect(gatewayRouteOf("POST", "/v1/models")).toBeUndefined();
  expect(gatewayRouteOf("GET", "/v1/models/a/b")).toBeUndefined();
  expect(gatewayRouteOf("GET", "/v1/organizations")).toBeUndefined();
});

describeEachBackend("the gateway's front door", (backend) => {
  let env: GatewayEnv;
  let key: string;
  beforeAll(async () => {
    env = await startGatewayEnv(backend);
    ({ key } = await env.newKey());
  });
  afterAll(async () => {
    await env?.close();
  });

  it("should refuse a body over the limit with 413, before reaching the upstream", async () => {
    const before = env.upstream.counts.requests;
    const huge = JSON.stringify(
      ask({ messages: [{ role: "user", content: "x".repeat(33 * 1024 * 1024) }] }),
    );
    const response = await rawMessages(env, key, huge);
    expect(response.status).toBe(413);
    const body = (await response.json()) as { error: { type: string }; request_id: string };
    expect(body.error.type).toBe("request_too_large");
    expect(body.request_id).toBe(response.headers.get("request-id"));
    expect(env.upstream.counts.requests).toBe(before);
  });

  it("should refuse a malformed anthropic-version with 400", async () => {
    const response = await rawMessages(env, key, JSON.stringify(ask()), {
      "anthropic-version": "latest",
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { type: string } }).error.type).toBe(
      "invalid_request_error",
    );
  });

  it("should leave the admin API and everything else to Fastify", async () => {
    const response = await fetch(`${env.baseURL}/v1/organizations`, {
      headers: { "x-api-key": env.server.org.adminKey },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("request-id")).toMatch(/^req_/);
    expect((await fetch(`${env.baseURL}/v1/nothing`)).status).toBe(404);
  });

  it("should be the gateway's only entry: Fastify has no route for its paths", async () => {
    const before = env.upstream.counts.requests;
    const injected = await env.server.post("/v1/messages", ask(), { key });
    expect(injected.status).toBe(404);
    expect(errorOf(injected).type).toBe("not_found_error");
    expect(env.upstream.counts.requests).toBe(before);
  });

  it("should answer a request that arrives while shutting down with 503 and close its connection", async () => {
    // The front door on a server of its own, told that shutdown has begun (in the app, the
    // preClose hook sets it; a real shutdown also stops the listener, which makes it racy).
    const frontDoor = createGatewayFrontDoor({
      runtime: env.runtime,
      ids: env.server.services.deps.ids,
      bodyLimit: 1024,
      trustProxy: [],
      isClosing: () => true,
    });
    const server = createServer((req, res) => {
      if (!frontDoor(req, res)) {
        res.writeHead(500).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const before = env.upstream.counts.requests;
      const response = await fetch(`http://127.0.0.1:${port}/v1/messages`, {
        method: "POST",
        headers: { "x-api-key": key, "content-type": "application/json" },
        body: JSON.stringify(ask()),
      });
      expect(response.status).toBe(503);
      expect(response.headers.get("connection")).toBe("close");
      expect(((await response.json()) as { error: { type: string } }).error.type).toBe(
        "overloaded_error",
      );
      expect(env.upstream.counts.requests).toBe(before);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
