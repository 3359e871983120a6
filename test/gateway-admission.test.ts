/**
 * The gateway's front door, driven with the official `@anthropic-ai/sdk` (and raw fetch for wire
 * details): what passes through to the upstream untouched and what never does, and the admission
 * checks in their order — the key (unknown, revoked through every path, inactive, expired), then
 * the organization's IP allow-list (with and without a trusted proxy), then the workspace's rate.
 */
import { randomBytes } from "node:crypto";
import Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FAKE_MODELS, inputTokensFor } from "./fixtures/fake-upstream.js";
import {
  ask,
  expectApiError,
  failure,
  type GatewayEnv,
  parseSse,
  rawMessages,
  START,
  startGatewayEnv,
  UPSTREAM_KEY,
} from "./gateway-support.js";
import { describeEachBackend } from "./harness.js";

const STREAM_EVENTS = [
  "message_start",
  "content_block_start",
  "ping",
  "content_block_delta",
  "content_block_delta",
  "content_block_delta",
  "content_block_delta",
  "content_block_stop",
  "message_delta",
  "message_delta",
  "message_stop",
];

describeEachBackend("gateway passthrough and admission", (backend) => {
  let env: GatewayEnv;
  let key: string;

  beforeAll(async () => {
    env = await startGatewayEnv(backend);
    ({ key } = await env.issueKey());
  });
  afterAll(async () => {
    await env?.close();
  });
  beforeEach(() => {
    env.upstream.reset();
    env.clock.set(START);
  });

  /** The upstream was not asked anything since the last reset. */
  const upstreamUntouched = () => expect(env.upstream.counts.requests).toBe(0);

  describe("passthrough", () => {
    it("answers messages.create with Steward's upstream credential, never the client's key", async () => {
      const client = env.client(key);
      const { data: message, response } = await client.messages.create(ask()).withResponse();
      expect(message.type).toBe("message");
      expect(message.content[0]).toMatchObject({ type: "text" });
      expect(message.usage.output_tokens).toBe(20);

      expect(env.upstream.requests).toHaveLength(1);
      const seen = env.upstream.requests[0]!;
      expect(seen).toMatchObject({ method: "POST", path: "/v1/messages" });
      expect(seen.headers["x-api-key"]).toBe(UPSTREAM_KEY);
      expect(seen.headers.authorization).toBeUndefined();
      expect(JSON.stringify(seen.headers)).not.toContain(key);
      // The version the SDK sent (checked byte for byte with raw fetch below).
      expect(seen.headers["anthropic-version"]).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      // The upstream's own request id comes back; Steward's, which names the usage event, beside it.
      expect(response.headers.get("request-id")).toMatch(/^req_011C/);
      expect(response.headers.get("x-steward-request-id")).toMatch(/^req_01/);
      expect(response.headers.get("anthropic-organization-id")).toMatch(/^[0-9a-f-]{36}$/);
    });

    it("accepts the key as a bearer token too, and still forwards only its own", async () => {
      const bearer = new Anthropic({
        baseURL: env.baseURL,
        apiKey: null,
        authToken: key,
        maxRetries: 0,
      });
      const message = await bearer.messages.create(ask());
      expect(message.type).toBe("message");
      const seen = env.upstream.requests[0]!;
      expect(seen.headers["x-api-key"]).toBe(UPSTREAM_KEY);
      expect(seen.headers.authorization).toBeUndefined();
      expect(JSON.stringify(seen.headers)).not.toContain(key);
    });

    it("passes anthropic-version, anthropic-beta and the body byte for byte", async () => {
      const client = env.client(key);
      await client.beta.messages.create({
        ...ask(),
        betas: ["context-1m-2025-08-07", "interleaved-thinking-2025-05-14"],
      });
      expect(env.upstream.requests[0]!.headers["anthropic-beta"]).toBe(
        "context-1m-2025-08-07,interleaved-thinking-2025-05-14",
      );

      // Odd spacing, key order, escapes and multi-byte text: nothing is re-serialized.
      const body = `{ "messages" : [ {"role":"user","content":"naïve café \\u2603 ☕ —"} ],\n  "max_tokens":7, "model":"claude-haiku-4-5", "metadata": {"user_id": "u-1"}  }`;
      const response = await rawMessages(env, key, body, {
        "anthropic-version": "2023-06-01",
        "anthropic-beta": "files-api-2025-04-14",
      });
      expect(response.status).toBe(200);
      const seen = env.upstream.requests[1]!;
      expect(seen.body.equals(Buffer.from(body))).toBe(true);
      expect(seen.headers["anthropic-version"]).toBe("2023-06-01");
      expect(seen.headers["anthropic-beta"]).toBe("files-api-2025-04-14");
      expect(seen.headers["content-type"]).toBe("application/json");
      expect((await response.json()).usage.input_tokens).toBe(inputTokensFor(body));
    });

    it("passes a body of megabytes (a base64 image) byte for byte, and meters it", async () => {
      // Of a body this large the gateway decodes only short strings (src/gateway/json-bytes.ts).
      const data = randomBytes(1_500_000).toString("base64");
      const image = { type: "base64", media_type: "image/png", data };
      const body = JSON.stringify({
        model: "claude-haiku-4-5",
        max_tokens: 7,
        messages: [
          {
            role: "user",
            content: [
              { type: "image", source: image },
              { type: "text", text: 'What is "this"? \\ ☕' },
            ],
          },
        ],
      });
      const response = await rawMessages(env, key, body);
      expect(response.status).toBe(200);
      expect(env.upstream.requests[0]!.body.equals(Buffer.from(body))).toBe(true);
      const answer = await response.json();
      expect(answer.usage.input_tokens).toBe(inputTokensFor(body));
      await env.settle();
      const event = (await env.events()).find(
        (e) => e.id === response.headers.get("x-steward-request-id"),
      );
      expect(event).toMatchObject({
        model: "claude-haiku-4-5",
        input_tokens: answer.usage.input_tokens,
        output_tokens: answer.usage.output_tokens,
        status: 200,
      });
    });

    it("returns the upstream's status, headers and body untouched", async () => {
      env.upstream.script({
        kind: "message",
        text: "Exactly this text.",
        headers: { "x-upstream-marker": "kept", "anthropic-ratelimit-tokens-limit": "12345" },
      });
      const response = await rawMessages(env, key, JSON.stringify(ask()));
      const text = await response.text();
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("application/json");
      expect(Number(response.headers.get("content-length"))).toBe(Buffer.byteLength(text));
      expect(response.headers.get("x-upstream-marker")).toBe("kept");
      expect(response.headers.get("anthropic-ratelimit-tokens-limit")).toBe("12345");
      expect(response.headers.get("request-id")).toMatch(/^req_011C/);
      const message = JSON.parse(text);
      expect(message.content).toEqual([{ type: "text", text: "Exactly this text." }]);

      // Errors too: the upstream's status, envelope, request id and retry-after.
      env.upstream.script({ kind: "error", status: 429, type: "rate_limit_error" });
      const limited = await rawMessages(env, key, JSON.stringify(ask()));
      expect(limited.status).toBe(429);
      expect(limited.headers.get("retry-after")).toBe("1");
      const envelope = await limited.json();
      expect(envelope).toMatchObject({ type: "error", error: { type: "rate_limit_error" } });
      expect(envelope.request_id).toBe(limited.headers.get("request-id"));

      env.upstream.script({ kind: "error", status: 529, type: "overloaded_error" });
      const overloaded = await failure(env.client(key).messages.create(ask()));
      expectApiError(overloaded, 529, "overloaded_error");
      expect(overloaded.requestID).toMatch(/^req_011C/);
    });

    it("streams messages.stream as the upstream's events, in order", async () => {
      const client = env.client(key);
      const stream = client.messages.stream(ask());
      const types: string[] = [];
      for await (const event of stream) {
        types.push(event.type);
      }
      const final = await stream.finalMessage();
      expect(types).toEqual(STREAM_EVENTS.filter((t) => t !== "ping"));
      expect(final.usage.output_tokens).toBe(20);
      expect(env.upstream.requests[0]!.headers["x-api-key"]).toBe(UPSTREAM_KEY);

      // On the wire: every event, pings and both message_deltas included, as SSE.
      const response = await rawMessages(env, key, JSON.stringify(ask({ stream: true })));
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
      const events = parseSse(await response.text());
      expect(events.map((e) => e.event)).toEqual(STREAM_EVENTS);
      const text = events
        .filter((e) => e.event === "content_block_delta")
        .map((e) => e.data.delta.text)
        .join("");
      expect(text.split(" ")).toHaveLength(20);
    });

    it("does not buffer: the first events reach the client before the upstream has finished", async () => {
      const chunks = 5;
      env.upstream.script({ kind: "slow-stream", chunks, intervalMs: 60 });
      const stream = env.client(key).messages.stream(ask());
      let firstEventWhileUpstreamBusy: boolean | undefined;
      let deltasBeforeUpstreamDone = 0;
      for await (const event of stream) {
        firstEventWhileUpstreamBusy ??= env.upstream.counts.completed === 0;
        if (event.type === "content_block_delta" && env.upstream.counts.completed === 0) {
          deltasBeforeUpstreamDone++;
        }
      }
      expect(firstEventWhileUpstreamBusy).toBe(true);
      // Each delta is written 60 ms after the previous one: they arrive one by one while the
      // upstream is still producing (the last ones may race its end).
      expect(deltasBeforeUpstreamDone).toBeGreaterThanOrEqual(chunks - 2);
      expect(env.upstream.counts.completed).toBe(1);
      expect((await stream.finalMessage()).content[0]).toMatchObject({
        type: "text",
        text: "Chunk 1. Chunk 2. Chunk 3. Chunk 4. Chunk 5. ",
      });
    });

    it("lists and retrieves models, and counts tokens, through the upstream", async () => {
      const client = env.client(key);
      const ids: string[] = [];
      for await (const model of client.models.list({ limit: 2 })) {
        ids.push(model.id);
      }
      expect(ids).toEqual(FAKE_MODELS.map((m) => m.id));
      const model = await client.models.retrieve("claude-opus-4-5");
      expect(model.id).toBe("claude-opus-4-5-20251101");
      const counted = await client.messages.countTokens({
        model: "claude-haiku-4-5",
        messages: [{ role: "user", content: "How many tokens is this?" }],
      });
      const countRequest = env.upstream.requests.at(-1)!;
      expect(countRequest.path).toBe("/v1/messages/count_tokens");
      expect(counted.input_tokens).toBe(inputTokensFor(countRequest.body));
      for (const seen of env.upstream.requests) {
        expect(seen.headers["x-api-key"]).toBe(UPSTREAM_KEY);
      }
      expect(env.upstream.requests.map((r) => r.path)).toEqual([
        "/v1/models?limit=2",
        "/v1/models?limit=2&after_id=claude-opus-4-6",
        "/v1/models?limit=2&after_id=claude-haiku-4-5-20251001",
        "/v1/models/claude-opus-4-5",
        "/v1/messages/count_tokens",
      ]);
      // An unknown model is the upstream's 404, passed through.
      expectApiError(
        await failure(client.models.retrieve("claude-nonexistent")),
        404,
        "not_found_error",
      );
    });
  });

  describe("keys", () => {
    it("refuses a missing or unknown key with 401 before reaching the upstream", async () => {
      const unknown = await failure(
        env.client(`sk-ant-api03-${"x".repeat(64)}`).messages.create(ask()),
      );
      expectApiError(unknown, 401, "authentication_error");
      // An admin key is not an API key.
      expectApiError(
        await failure(env.client(env.server.org.adminKey).messages.create(ask())),
        401,
        "authentication_error",
      );
      const missing = await rawMessages(env, undefined, JSON.stringify(ask()));
      expect(missing.status).toBe(401);
      const body = await missing.json();
      expect(body).toMatchObject({ type: "error", error: { type: "authentication_error" } });
      expect(body.request_id).toBe(missing.headers.get("request-id"));
      // Streams are refused the same way, before any event.
      expectApiError(
        await failure(env.client("sk-ant-api03-nope").messages.stream(ask()).finalMessage()),
        401,
        "authentication_error",
      );
      expectApiError(
        await failure(env.client("sk-ant-api03-nope").models.list()),
        401,
        "authentication_error",
      );
      upstreamUntouched();
    });

    /** A fresh key that works, then `revoke`, then the very next request is a 401. */
    async function expectRevokedBy(
      revoke: (issued: { id: string; key: string; workspaceId: string }) => Promise<void>,
      issue?: () => Promise<{ id: string; key: string; workspaceId: string }>,
    ): Promise<void> {
      const issued = await (issue ?? (() => env.newKey()))();
      const client = env.client(issued.key);
      await client.messages.create(ask());
      await revoke(issued);
      env.upstream.reset();
      expectApiError(await failure(client.messages.create(ask())), 401, "authentication_error");
      expectApiError(
        await failure(client.messages.stream(ask()).finalMessage()),
        401,
        "authentication_error",
      );
      upstreamUntouched();
    }

    it("takes a seed DELETE into account on the very next request", async () => {
      await expectRevokedBy(async ({ id }) => {
        const deleted = await env.server.delete(`/v1/api_keys/${id}`);
        expect(deleted.body).toMatchObject({ id, deleted: true });
      });
    });

    it("takes an archive through the Anthropic surface into account on the very next request", async () => {
      await expectRevokedBy(async ({ id }) => {
        const archived = await env.server.post(`/v1/organizations/api_keys/${id}`, {
          status: "archived",
        });
        expect(archived.body.status).toBe("archived");
      });
    });

    it("revokes the keys of a removed user on the very next request", async () => {
      let userId = "";
      await expectRevokedBy(
        async ({ id }) => {
          const removed = await env.server.delete(`/v1/users/${userId}`);
          expect(removed.status).toBe(200);
          expect(removed.body.revoked_api_key_ids).toContain(id);
        },
        async () => {
          const invite = await env.server.post("/v1/organizations/invites", {
            email: `leaver.${Date.now()}@example.com`,
            role: "developer",
          });
          const accepted = await env.server.post(
            "/v1/invites/accept",
            { token: invite.body.token },
            { key: null },
          );
          userId = accepted.body.id;
          const workspaceId = await env.newWorkspace();
          const issued = await env.issueKey({ workspace_id: workspaceId, user_id: userId });
          return { ...issued, workspaceId };
        },
      );
    });

    it("refuses every key of an archived workspace on the very next request", async () => {
      await expectRevokedBy(async ({ workspaceId }) => {
        const archived = await env.server.post(`/v1/workspaces/${workspaceId}/archive`, {});
        expect(archived.body.archived_at).not.toBeNull();
      });
    });

    it("refuses an inactive key at once and admits it again once reactivated", async () => {
      const { id, key: inactive } = await env.newKey();
      const client = env.client(inactive);
      await client.messages.create(ask());

      expect((await env.server.patch(`/v1/api_keys/${id}`, { status: "inactive" })).status).toBe(
        200,
      );
      expectApiError(await failure(client.messages.create(ask())), 401, "authentication_error");
      expect((await env.server.patch(`/v1/api_keys/${id}`, { status: "active" })).status).toBe(200);
      expect((await client.messages.create(ask())).type).toBe("message");

      // The same through the Anthropic surface.
      await env.server.post(`/v1/organizations/api_keys/${id}`, { status: "inactive" });
      expectApiError(await failure(client.models.list()), 401, "authentication_error");
      await env.server.post(`/v1/organizations/api_keys/${id}`, { status: "active" });
      expect((await client.models.list()).data.length).toBeGreaterThan(0);
    });

    it("refuses a key from the instant it expires", async () => {
      const expiresAt = new Date(Date.parse(START) + 3_600_000);
      const { key: expiring } = await env.issueKey({ expires_at: expiresAt.toISOString() });
      const client = env.client(expiring);
      env.clock.set(new Date(expiresAt.getTime() - 1));
      expect((await client.messages.create(ask())).type).toBe("message");
      env.clock.set(expiresAt);
      env.upstream.reset();
      const expired = await failure(client.messages.create(ask()));
      expectApiError(expired, 401, "authentication_error");
      expect(expired.message).toMatch(/expired/);
      upstreamUntouched();
    });
  });

  describe("IP allow-list (no trusted proxy)", () => {
    afterAll(async () => {
      await env.updateOrganization({ settings: { allowed_ip_ranges: [] } });
    });

    it("refuses other addresses with 403 permission_error, after the key check", async () => {
      const client = env.client(key);
      await env.updateOrganization({ settings: { allowed_ip_ranges: ["10.0.0.0/8", "::1/128"] } });
      const refused = await failure(client.messages.create(ask()));
      expectApiError(refused, 403, "permission_error");
      expect(refused.message).toContain("127.0.0.1");
      expectApiError(await failure(client.models.list()), 403, "permission_error");
      // An unknown key is still a 401: the key is checked first.
      expectApiError(
        await failure(env.client("sk-ant-api03-unknown").messages.create(ask())),
        401,
        "authentication_error",
      );
      upstreamUntouched();

      await env.updateOrganization({ settings: { allowed_ip_ranges: ["127.0.0.0/8"] } });
      expect((await client.messages.create(ask())).type).toBe("message");
    });

    it("ignores X-Forwarded-For from a proxy it does not trust", async () => {
      const client = env.client(key);
      await env.updateOrganization({ settings: { allowed_ip_ranges: ["203.0.113.0/24"] } });
      const spoofed = await failure(
        client.messages.create(ask(), { headers: { "x-forwarded-for": "203.0.113.9" } }),
      );
      expectApiError(spoofed, 403, "permission_error");
      await env.updateOrganization({ settings: { allowed_ip_ranges: ["127.0.0.1/32"] } });
      await client.messages.create(ask(), { headers: { "x-forwarded-for": "203.0.113.9" } });
      // Forwarding headers describe a hop: they are not passed upstream.
      expect(env.upstream.requests[0]!.headers["x-forwarded-for"]).toBeUndefined();
    });

    it("checks the IP before the rate: refused requests take nothing from the bucket", async () => {
      const limited = await env.newKey({ requests_per_minute: 1 });
      const client = env.client(limited.key);
      await env.updateOrganization({ settings: { allowed_ip_ranges: ["192.0.2.0/24"] } });
      for (let i = 0; i < 3; i++) {
        expectApiError(await failure(client.messages.create(ask())), 403, "permission_error");
      }
      await env.updateOrganization({ settings: { allowed_ip_ranges: [] } });
      const { response } = await client.messages.create(ask()).withResponse();
      expect(response.headers.get("anthropic-ratelimit-requests-remaining")).toBe("0");
      expectApiError(await failure(client.messages.create(ask())), 429, "rate_limit_error");
    });
  });

  describe("IP allow-list behind a trusted proxy", () => {
    let proxied: GatewayEnv;
    let proxiedKey: string;

    beforeAll(async () => {
      proxied = await startGatewayEnv(backend, { trustProxy: ["127.0.0.1"] });
      proxiedKey = (await proxied.issueKey()).key;
    });
    afterAll(async () => {
      await proxied?.close();
    });

    const from = (address: string | undefined) =>
      proxied
        .client(proxiedKey)
        .messages.create(
          ask(),
          address === undefined ? {} : { headers: { "x-forwarded-for": address } },
        );

    it("judges the forwarded client address, IPv4 and IPv6", async () => {
      await proxied.updateOrganization({
        settings: { allowed_ip_ranges: ["203.0.113.0/24", "2001:db8:abcd::/48"] },
      });
      expect((await from("203.0.113.9")).type).toBe("message");
      expect((await from("2001:db8:abcd:12::1")).type).toBe("message");
      expectApiError(await failure(from("198.51.100.7")), 403, "permission_error");
      expectApiError(await failure(from("2001:db8:abce::1")), 403, "permission_error");
      // Without the header, the proxy's own address is the client's.
      expectApiError(await failure(from(undefined)), 403, "permission_error");
      // Only the hop the trusted proxy saw counts: an entry the client wrote itself does not.
      expectApiError(await failure(from("203.0.113.9, 198.51.100.7")), 403, "permission_error");
      expect((await from("198.51.100.7, 203.0.113.9")).type).toBe("message");
      expect(
        proxied.upstream.requests.every((r) => r.headers["x-forwarded-for"] === undefined),
      ).toBe(true);
    });

    it("matches IPv4 clients written as IPv4-mapped IPv6 addresses", async () => {
      await proxied.updateOrganization({ settings: { allowed_ip_ranges: ["203.0.113.0/24"] } });
      expect((await from("::ffff:203.0.113.20")).type).toBe("message");
      expectApiError(await failure(from("::ffff:198.51.100.1")), 403, "permission_error");
    });
  });
});
