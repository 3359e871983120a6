/**
 * NUL in any text of a request is a 400 naming the field, on both engines: PostgreSQL's text
 * cannot hold it, and reached the database as a 500 from ids in paths, query filters and bodies.
 * A gateway request's model must be a model id: it is stored and indexed with the usage.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fieldWithNul } from "../src/http/nul-guard.js";
import { ask, type GatewayEnv, startGatewayEnv } from "./gateway-support.js";
import { describeEachBackend, expectError } from "./harness.js";

describe("fieldWithNul", () => {
  it("names the first string or key that holds NUL, however deep", () => {
    expect(fieldWithNul({ a: ["x", { b: "y\0" }] }, "body")).toBe("body.a[1].b");
    expect(fieldWithNul({ tags: { "k\0": "v" } }, "body")).toBe("body.tags.k\0");
    expect(fieldWithNul("\0", "query")).toBe("query");
    expect(fieldWithNul({ a: "clean", b: [1, null, true] }, "body")).toBeUndefined();
    let deep: unknown = "end\0";
    for (let i = 0; i < 50_000; i++) {
      deep = [deep];
    }
    expect(fieldWithNul(deep, "body")).toMatch(/^body(\[0\])+$/);
  });
});

describeEachBackend("NUL in requests", (backend) => {
  let env: GatewayEnv;
  let apiKey: string;

  beforeAll(async () => {
    env = await startGatewayEnv(backend);
    apiKey = (await env.issueKey()).key;
  });
  afterAll(() => env.close());

  it("refuses NUL in a path parameter, a query value, a body field and a body key", async () => {
    const server = env.server;
    const cases: Array<[Promise<{ status: number; body: any; headers: any }>, string]> = [
      [server.post("/v1/workspaces/a%00b/archive", {}), "path.workspace_id"],
      [server.get("/v1/users/%00"), "path.user_id"],
      [server.get("/v1/api_keys", { query: { workspace_id: "a\0b" } }), "query.workspace_id"],
      [server.get("/v1/api_keys", { query: { after_id: "a\0b" } }), "query.after_id"],
      [server.post("/v1/api_keys", { name: "k", workspace_id: "a\0b" }), "body.workspace_id"],
      [server.post("/v1/workspaces", { name: "Tagged", tags: { "k\0": "v" } }), "body.tags.k\0"],
    ];
    for (const [answer, field] of cases) {
      const response = await answer;
      const error = expectError(response, 400, "invalid_request_error");
      expect(error.message).toBe(`${field}: must not contain NUL characters (\\u0000)`);
    }
  });

  it("refuses a gateway model that is not a model id, without forwarding it", async () => {
    const before = env.upstream.requests.length;
    const refused = ["claude\0", "claude sonnet", "claude\r\nx", "a\u0085b", "é".repeat(1025)];
    for (const model of refused) {
      const response = await fetch(`${env.baseURL}/v1/messages`, {
        method: "POST",
        headers: {
          "x-api-key": apiKey,
          "anthropic-version": "2023-06-01",
          "content-type": "application/json",
        },
        body: JSON.stringify(ask({ model })),
      });
      expect(response.status, model).toBe(400);
      const body = (await response.json()) as { error: { message: string } };
      expect(body.error.message).toMatch(/^body\.model: must be a model id/);
    }
    for (const model of ["m".repeat(2048), "modèle-ß-☕", "org/model:tag"]) {
      const ok = await env.client(apiKey).messages.create(ask({ model }) as never);
      expect(ok).toMatchObject({ type: "message" });
    }
    expect(env.upstream.requests.length - before).toBe(3);
    // The longest id is stored and indexed with its usage, not set apart as a dead letter.
    const stored = (await env.events()).map((event) => event.model);
    expect(stored).toEqual(expect.arrayContaining(["m".repeat(2048), "modèle-ß-☕"]));
  });
});
