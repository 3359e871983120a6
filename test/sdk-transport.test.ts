/**
 * The SDK's transport against a scripted local HTTP server: error classes for every status,
 * retries and backoff, `retry-after`, idempotency keys, timeouts, aborts, NDJSON streaming,
 * headers and configuration. No database is involved, so these run once, not per backend (the
 * SDK against the real server is test/sdk.test.ts).
 */
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  AuthenticationError,
  BadRequestError,
  BillingError,
  ConflictError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  RequestTooLargeError,
  StewardAdmin,
  StewardError,
  UnprocessableEntityError,
} from "@steward/sdk";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { errorEnvelope, type FakeServer, startFakeServer } from "./sdk-fake-server.js";

const KEY = "sk-ant-admin01-transport-test-key";
const USER = { id: "user_1", type: "user", email: "a@example.com" };

let servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function fake(...args: Parameters<typeof startFakeServer>): Promise<FakeServer> {
  const server = await startFakeServer(...args);
  servers.push(server);
  return server;
}

function client(
  server: FakeServer,
  options: Partial<ConstructorParameters<typeof StewardAdmin>[0]> = {},
) {
  return new StewardAdmin({ baseURL: server.url, adminKey: KEY, ...options });
}

async function rejection(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}

/**
 * Waits are checked on a fake clock: the SDK's timers and Date are vitest's, and a scripted fetch
 * answers in memory, so the time between attempts is exactly what the SDK chose to wait.
 */
function useFakeClock(): void {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"], now: START });
  });
  afterEach(() => {
    vi.useRealTimers();
  });
}

const START = Date.parse("2026-03-02T10:00:00.000Z");

interface ScriptedAnswer {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Answer after this long on the clock (or fail at once when the request is aborted). */
  delayMs?: number;
}

/** A fetch answering the n-th attempt with `script[n]` (the last repeats); `attempts` holds their times. */
function scriptedFetch(script: ScriptedAnswer[]): {
  fetch: (url: string | URL | Request, init?: RequestInit) => Promise<Response>;
  attempts: number[];
} {
  const attempts: number[] = [];
  const fetch = (_url: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const answer = script[Math.min(attempts.length, script.length - 1)] ?? {};
    attempts.push(Date.now());
    const response = () =>
      new Response(JSON.stringify(answer.body ?? {}), {
        status: answer.status ?? 200,
        headers: { "content-type": "application/json", ...answer.headers },
      });
    if (answer.delayMs === undefined) {
      return Promise.resolve(response());
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => resolve(response()), answer.delayMs);
      init?.signal?.addEventListener("abort", () => {
        clearTimeout(timer);
        reject(new DOMException("This operation was aborted", "AbortError"));
      });
    });
  };
  return { fetch, attempts };
}

const gaps = (times: number[]) => times.slice(1).map((time, i) => time - (times[i] ?? 0));

function inMemoryClient(
  fetch: ReturnType<typeof scriptedFetch>["fetch"],
  options: Partial<ConstructorParameters<typeof StewardAdmin>[0]> = {},
) {
  return new StewardAdmin({ baseURL: "http://steward.test", adminKey: KEY, fetch, ...options });
}

describe("SDK errors", () => {
  const cases: [number, string, new (...args: any[]) => APIError][] = [
    [400, "invalid_request_error", BadRequestError],
    [401, "authentication_error", AuthenticationError],
    [402, "billing_error", BillingError],
    [403, "permission_error", PermissionDeniedError],
    [404, "not_found_error", NotFoundError],
    [409, "conflict_error", ConflictError],
    [413, "request_too_large", RequestTooLargeError],
    [422, "invalid_request_error", UnprocessableEntityError],
    [429, "rate_limit_error", RateLimitError],
    [500, "api_error", InternalServerError],
    [503, "api_error", InternalServerError],
    [504, "timeout_error", InternalServerError],
    [529, "overloaded_error", InternalServerError],
  ];
  for (const [status, type, ErrorClass] of cases) {
    it(`should throw ${ErrorClass.name} for a ${status}, with the envelope's type, code and request id`, async () => {
      const server = await fake([
        {
          status,
          body: errorEnvelope(type, `it failed with ${status}`, "some_code", `req_body_${status}`),
          headers: { "request-id": `req_header_${status}` },
        },
      ]);
      const error = await rejection(client(server, { maxRetries: 0 }).users.retrieve("user_1"));
      expect(error).toBeInstanceOf(ErrorClass);
      expect(error).toBeInstanceOf(APIError);
      expect(error).toBeInstanceOf(StewardError);
      expect(error.status).toBe(status);
      expect(error.type).toBe(type);
      expect(error.errorCode).toBe("some_code");
      expect(error.requestId).toBe(`req_header_${status}`);
      expect(error.headers.get("request-id")).toBe(`req_header_${status}`);
      expect(error.error).toEqual(
        errorEnvelope(type, `it failed with ${status}`, "some_code", `req_body_${status}`),
      );
      expect(error.message).toBe(`${status} it failed with ${status}`);
      expect(error.name).toBe(ErrorClass.name);
    });
  }

  it("should throw a plain APIError for a status without a class of its own", async () => {
    const server = await fake([{ status: 418, body: errorEnvelope("teapot", "short and stout") }]);
    const error = await rejection(client(server).users.retrieve("user_1"));
    expect(error.constructor).toBe(APIError);
    expect(error.status).toBe(418);
    expect(error.errorCode).toBeUndefined();
  });

  it("should take the request id from the body when the header is missing", async () => {
    const server = await fake([
      {
        status: 404,
        body: errorEnvelope("not_found_error", "gone", undefined, "req_from_body"),
        headers: { "request-id": "" },
      },
    ]);
    const error = await rejection(client(server).users.retrieve("user_1"));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.requestId).toBe("req_from_body");
  });

  it("should keep a non-JSON error body as the message", async () => {
    const server = await fake([{ status: 502, body: "Bad gateway from a proxy" }]);
    const error = await rejection(client(server, { maxRetries: 0 }).users.retrieve("user_1"));
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error.message).toBe("502 Bad gateway from a proxy");
    expect(error.error).toBeUndefined();
  });

  it("should be reachable as static members of the client, as the official SDK's are", () => {
    expect(StewardAdmin.NotFoundError).toBe(NotFoundError);
    expect(StewardAdmin.APIConnectionTimeoutError).toBe(APIConnectionTimeoutError);
  });
});

describe("SDK retries", () => {
  it("should retry a GET on 5xx with backoff and send the retry count", async () => {
    const server = await fake([{ status: 503 }, { status: 500 }, { body: USER }]);
    const user = await client(server).users.retrieve("user_1");
    expect(user).toEqual(USER);
    expect(server.requests).toHaveLength(3);
    expect(server.requests.map((r) => r.headers["steward-retry-count"])).toEqual(["0", "1", "2"]);
  });

  it("should give up after maxRetries and throw the last error", async () => {
    const server = await fake([{ status: 500, body: errorEnvelope("api_error", "down") }]);
    const error = await rejection(client(server, { maxRetries: 1 }).users.retrieve("user_1"));
    expect(error).toBeInstanceOf(InternalServerError);
    expect(server.requests).toHaveLength(2);
  });

  it("should take maxRetries per request over the client's", async () => {
    const server = await fake([{ status: 500 }]);
    await rejection(client(server, { maxRetries: 0 }).users.retrieve("user_1", { maxRetries: 2 }));
    expect(server.requests).toHaveLength(3);
  });

  it("should retry 408, 409 and 429, not 400, 404 or 501", async () => {
    for (const status of [408, 409, 429]) {
      const server = await fake([{ status, headers: { "retry-after-ms": "0" } }, { body: USER }]);
      await expect(client(server).users.retrieve("user_1")).resolves.toEqual(USER);
      expect(server.requests, String(status)).toHaveLength(2);
    }
    for (const status of [400, 404, 501]) {
      const server = await fake([{ status, headers: { "retry-after-ms": "0" } }, { body: USER }]);
      await rejection(client(server).users.retrieve("user_1"));
      expect(server.requests, String(status)).toHaveLength(1);
    }
  });

  it("should follow x-should-retry, and not retry a 409 the server calls final", async () => {
    const told = await fake([
      { status: 400, headers: { "x-should-retry": "true" } },
      { body: USER },
    ]);
    await expect(client(told).users.retrieve("user_1")).resolves.toEqual(USER);
    expect(told.requests).toHaveLength(2);

    const forbidden = await fake([{ status: 503, headers: { "x-should-retry": "false" } }]);
    await rejection(client(forbidden).users.retrieve("user_1"));
    expect(forbidden.requests).toHaveLength(1);

    const lost = await fake([
      {
        status: 409,
        body: errorEnvelope("conflict_error", "response lost", "idempotent_response_unavailable"),
      },
    ]);
    const error = await rejection(
      client(lost).apiKeys.create({ name: "k" }, { idempotencyKey: "lost-key" }),
    );
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.errorCode).toBe("idempotent_response_unavailable");
    expect(lost.requests).toHaveLength(1);
  });

  it("should throw RateLimitError once 429s outlast the retries", async () => {
    const server = await fake([
      {
        status: 429,
        headers: { "retry-after-ms": "1" },
        body: errorEnvelope("rate_limit_error", "slow down"),
      },
    ]);
    const error = await rejection(client(server).users.list());
    expect(error).toBeInstanceOf(RateLimitError);
    expect(server.requests).toHaveLength(3);
  });

  describe("retry-after, on a fake clock", () => {
    useFakeClock();

    it("should wait retry-after seconds", async () => {
      const { fetch, attempts } = scriptedFetch([
        { status: 429, headers: { "retry-after": "1" } },
        { body: USER },
      ]);
      const user = inMemoryClient(fetch).users.retrieve("user_1");
      await vi.advanceTimersByTimeAsync(999);
      expect(attempts).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(1);
      await expect(user).resolves.toEqual(USER);
      expect(gaps(attempts)).toEqual([1000]);
    });

    it("should wait until a retry-after HTTP date", async () => {
      // The date has whole seconds: 1.5 s from now is written as 1 s from now.
      const at = new Date(Date.now() + 1500);
      const { fetch, attempts } = scriptedFetch([
        { status: 503, headers: { "retry-after": at.toUTCString() } },
        { body: USER },
      ]);
      const user = inMemoryClient(fetch).users.retrieve("user_1");
      await vi.advanceTimersByTimeAsync(1000);
      await expect(user).resolves.toEqual(USER);
      expect(gaps(attempts)).toEqual([1000]);
    });

    it("should prefer retry-after-ms", async () => {
      const { fetch, attempts } = scriptedFetch([
        { status: 503, headers: { "retry-after-ms": "300", "retry-after": "30" } },
        { body: USER },
      ]);
      const user = inMemoryClient(fetch).users.retrieve("user_1");
      await vi.advanceTimersByTimeAsync(300);
      await expect(user).resolves.toEqual(USER);
      expect(gaps(attempts)).toEqual([300]);
    });

    it("should not wait a retry-after over a minute, but back off as usual", async () => {
      const { fetch, attempts } = scriptedFetch([
        { status: 503, headers: { "retry-after": "3600" } },
        { body: USER },
      ]);
      const user = inMemoryClient(fetch).users.retrieve("user_1");
      // The first retry's backoff: at most 0.5 s.
      await vi.advanceTimersByTimeAsync(500);
      await expect(user).resolves.toEqual(USER);
      expect(gaps(attempts)[0]).toBeLessThanOrEqual(500);
    });
  });

  it("should not retry a POST, PATCH or DELETE without an idempotency key", async () => {
    const server = await fake([{ status: 503 }, { body: USER }]);
    const admin = client(server);
    const error = await rejection(admin.invites.create({ email: "a@example.com", role: "user" }));
    expect(error).toBeInstanceOf(InternalServerError);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.headers["idempotency-key"]).toBeUndefined();

    const patch = await fake([{ status: 503 }, { body: USER }]);
    await rejection(client(patch).organization.update({ name: "x" }));
    expect(patch.requests).toHaveLength(1);

    const del = await fake([{ status: 503 }, { body: USER }]);
    await rejection(client(del).users.delete("user_1"));
    expect(del.requests).toHaveLength(1);
  });

  it("should retry a POST with an idempotency key, sending the same key on every attempt", async () => {
    const server = await fake([
      { status: 503 },
      { status: 409, headers: { "retry-after-ms": "0" } },
      { body: { id: "invite_1" } },
    ]);
    const invite = await client(server).invites.create(
      { email: "a@example.com", role: "user" },
      { idempotencyKey: "key-123" },
    );
    expect(invite).toEqual({ id: "invite_1" });
    expect(server.requests).toHaveLength(3);
    expect(server.requests.map((r) => r.headers["idempotency-key"])).toEqual([
      "key-123",
      "key-123",
      "key-123",
    ]);
    // The same body each time, too.
    expect(new Set(server.requests.map((r) => r.body)).size).toBe(1);
    expect(JSON.parse(server.requests[0]?.body ?? "")).toEqual({
      email: "a@example.com",
      role: "user",
    });
  });

  it("should retry a GET whose connection broke, and not a POST", async () => {
    const server = await fake([{ destroy: true }]);
    const error = await rejection(client(server).users.retrieve("user_1"));
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(error).not.toBeInstanceOf(APIConnectionTimeoutError);
    expect(error.status).toBeUndefined();
    expect(error.cause).toBeDefined();
    expect(server.requests).toHaveLength(3);

    const post = await fake([{ destroy: true }]);
    await expect(client(post).workspaces.create({ name: "x" })).rejects.toBeInstanceOf(
      APIConnectionError,
    );
    expect(post.requests).toHaveLength(1);

    const recovered = await fake([{ destroy: true }, { body: USER }]);
    await expect(client(recovered).users.retrieve("user_1")).resolves.toEqual(USER);
  });

  it("should throw APIConnectionError when nothing listens", async () => {
    const server = await fake([{ status: 200 }]);
    const url = server.url;
    await server.close();
    servers = [];
    const admin = new StewardAdmin({ baseURL: url, adminKey: KEY, maxRetries: 1 });
    await expect(admin.organization.retrieve()).rejects.toBeInstanceOf(APIConnectionError);
  });
});

describe("SDK timeouts and aborts", () => {
  useFakeClock();

  it("should time out an attempt, and retry a GET", async () => {
    const { fetch, attempts } = scriptedFetch([{ delayMs: 2000, body: USER }]);
    const error = rejection(
      inMemoryClient(fetch, { timeout: 100, maxRetries: 1 }).users.retrieve("user_1"),
    );
    // Two attempts of 100 ms, and a backoff of at most 0.5 s between them.
    await vi.advanceTimersByTimeAsync(700);
    expect(await error).toBeInstanceOf(APIConnectionTimeoutError);
    expect((await error).message).toBe("Request timed out.");
    expect(attempts).toHaveLength(2);
  });

  it("should take the timeout per request over the client's", async () => {
    const { fetch } = scriptedFetch([{ delayMs: 300, body: USER }]);
    const admin = inMemoryClient(fetch, { timeout: 50, maxRetries: 0 });
    const patient = admin.users.retrieve("user_1", { timeout: 2000 });
    const hasty = rejection(admin.users.retrieve("user_1"));
    await vi.advanceTimersByTimeAsync(300);
    await expect(patient).resolves.toEqual(USER);
    expect(await hasty).toBeInstanceOf(APIConnectionTimeoutError);
  });

  it("should succeed on the retry after a timeout", async () => {
    const { fetch, attempts } = scriptedFetch([{ delayMs: 1000, body: USER }, { body: USER }]);
    const user = inMemoryClient(fetch, { timeout: 100 }).users.retrieve("user_1");
    await vi.advanceTimersByTimeAsync(600);
    await expect(user).resolves.toEqual(USER);
    expect(attempts).toHaveLength(2);
  });

  it("should abort at once on the caller's signal, without retrying", async () => {
    const { fetch, attempts } = scriptedFetch([{ delayMs: 3000, body: USER }]);
    const controller = new AbortController();
    const error = rejection(
      inMemoryClient(fetch).users.retrieve("user_1", { signal: controller.signal }),
    );
    await vi.advanceTimersByTimeAsync(100);
    controller.abort();
    expect(await error).toBeInstanceOf(APIUserAbortError);
    expect(attempts).toHaveLength(1);
  });

  it("should not send a request whose signal is already aborted", async () => {
    const { fetch, attempts } = scriptedFetch([{ body: USER }]);
    const error = await rejection(
      inMemoryClient(fetch).users.retrieve("user_1", { signal: AbortSignal.abort() }),
    );
    expect(error).toBeInstanceOf(APIUserAbortError);
    expect(attempts).toHaveLength(0);
  });

  it("should abort during the wait before a retry", async () => {
    const { fetch, attempts } = scriptedFetch([
      { status: 503, headers: { "retry-after": "30" } },
      { body: USER },
    ]);
    const controller = new AbortController();
    const error = rejection(
      inMemoryClient(fetch).users.retrieve("user_1", { signal: controller.signal }),
    );
    await vi.advanceTimersByTimeAsync(100);
    controller.abort();
    expect(await error).toBeInstanceOf(APIUserAbortError);
    expect(attempts).toHaveLength(1);
  });
});

describe("SDK requests", () => {
  it("should send the admin key, the version, JSON, default and per-request headers", async () => {
    const server = await fake([{ body: USER }]);
    const admin = client(server, {
      defaultHeaders: { "x-team": "platform", "anthropic-version": "2024-01-01" },
    });
    await admin.users.update(
      "user_1",
      { role: "developer" },
      { headers: { "x-trace": "abc", "x-team": null } },
    );
    const request = server.requests[0]!;
    expect(request.method).toBe("POST");
    expect(request.url).toBe("/v1/organizations/users/user_1");
    expect(request.headers["x-api-key"]).toBe(KEY);
    expect(request.headers["anthropic-version"]).toBe("2024-01-01");
    expect(request.headers["content-type"]).toBe("application/json");
    expect(request.headers.accept).toBe("application/json");
    expect(request.headers["x-trace"]).toBe("abc");
    expect(request.headers["x-team"]).toBeUndefined();
    expect(JSON.parse(request.body)).toEqual({ role: "developer" });
  });

  it("should serialize query arrays as the official SDK does and escape path parameters", async () => {
    const server = await fake([
      { body: { data: [], has_more: false, first_id: null, last_id: null } },
    ]);
    const admin = client(server);
    await admin.users.list({ roles: ["developer", "admin"], email: "a+b@example.com", limit: 5 });
    expect(server.requests[0]?.url).toBe(
      "/v1/organizations/users?roles%5B%5D=developer&roles%5B%5D=admin&email=a%2Bb%40example.com&limit=5",
    );
    await admin.workspaces.list({ include_archived: "true" });
    expect(server.requests[1]?.url).toBe("/v1/organizations/workspaces?include_archived=true");
    await admin.users.retrieve("../api_keys?x=1#");
    expect(server.requests[2]?.url).toBe("/v1/organizations/users/..%2Fapi_keys%3Fx%3D1%23");
    expect(() => admin.users.retrieve("")).toThrow(TypeError);
  });

  it("should keep a base URL's path prefix", async () => {
    const server = await fake([{ body: USER }]);
    await new StewardAdmin({ baseURL: `${server.url}/steward/`, adminKey: KEY }).users.retrieve(
      "u",
    );
    expect(server.requests[0]?.url).toBe("/steward/v1/organizations/users/u");
  });

  it("should go through a custom fetch", async () => {
    const seen: string[] = [];
    const admin = new StewardAdmin({
      baseURL: "http://steward.invalid",
      adminKey: KEY,
      fetch: async (input, init) => {
        seen.push(`${init?.method} ${String(input)}`);
        return Response.json(USER, { headers: { "request-id": "req_custom" } });
      },
    });
    const { data, response, requestId } = await admin.users.retrieve("user_1").withResponse();
    expect(data).toEqual(USER);
    expect(response.status).toBe(200);
    expect(requestId).toBe("req_custom");
    expect(seen).toEqual(["GET http://steward.invalid/v1/organizations/users/user_1"]);
  });

  it("should make a client with other options through withOptions", async () => {
    const server = await fake([{ status: 500 }]);
    const admin = client(server, { maxRetries: 2 }).withOptions({ maxRetries: 0 });
    await rejection(admin.users.retrieve("u"));
    expect(server.requests).toHaveLength(1);
    expect(admin.adminKey).toBe(KEY);
  });
});

describe("SDK NDJSON streaming", () => {
  it("should yield each record as its line arrives, across chunk boundaries", async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const line = (i: number) => `${JSON.stringify({ id: `audit_${i}`, note: "héllo ✓" })}\n`;
    const server = await fake([
      {
        handle: (res) => {
          res.writeHead(200, { "content-type": "application/x-ndjson" });
          res.write(line(1));
          // The next line cut in the middle of a multi-byte character.
          const second = Buffer.from(line(2));
          res.write(second.subarray(0, second.length - 6));
          void released.then(() => {
            res.write(second.subarray(second.length - 6));
            res.write(`\n${line(3)}`);
            res.end(JSON.stringify({ id: "audit_4", note: "no final newline" }));
          });
        },
      },
    ]);
    const admin = client(server);
    const received: string[] = [];
    for await (const record of admin.auditLogs.export({ action: "user.updated" })) {
      received.push((record as { id: string }).id);
      if (received.length === 1) {
        // The server sends the rest only now: the first record was parsed as it arrived.
        release();
      }
    }
    expect(received).toEqual(["audit_1", "audit_2", "audit_3", "audit_4"]);
    const request = server.requests[0]!;
    expect(request.headers.accept).toBe("application/x-ndjson");
    expect(request.url).toBe("/v1/organizations/audit_logs?action=user.updated");
  });

  it("should stop the download when the loop is left early", async () => {
    const server = await fake([
      {
        handle: (res) => {
          res.writeHead(200, { "content-type": "application/x-ndjson" });
          let i = 0;
          const timer = setInterval(() => {
            res.write(`{"id":"audit_${i++}"}\n`);
          }, 5);
          res.on("close", () => clearInterval(timer));
        },
      },
    ]);
    const ids: string[] = [];
    for await (const record of client(server).auditLogs.export()) {
      ids.push((record as { id: string }).id);
      if (ids.length === 3) {
        break;
      }
    }
    expect(ids).toEqual(["audit_0", "audit_1", "audit_2"]);
    await server.requests[0]?.closed;
  });

  it("should end with APIUserAbortError when the signal aborts mid-stream", async () => {
    const server = await fake([
      {
        handle: (res) => {
          res.writeHead(200, { "content-type": "application/x-ndjson" });
          res.write('{"id":"audit_1"}\n');
        },
      },
    ]);
    const controller = new AbortController();
    const stream = await client(server).auditLogs.export({}, { signal: controller.signal });
    const ids: string[] = [];
    const error = await rejection(
      (async () => {
        for await (const record of stream) {
          ids.push((record as { id: string }).id);
          controller.abort();
        }
      })(),
    );
    expect(ids).toEqual(["audit_1"]);
    expect(error).toBeInstanceOf(APIUserAbortError);
  });

  it("should not time out a long stream once its headers arrived", async () => {
    const server = await fake([
      {
        handle: (res) => {
          res.writeHead(200, { "content-type": "application/x-ndjson" });
          res.write('{"id":"a"}\n');
          setTimeout(() => res.end('{"id":"b"}\n'), 300);
        },
      },
    ]);
    const records = await (await client(server, { timeout: 100 }).auditLogs.export()).toArray();
    expect(records).toEqual([{ id: "a" }, { id: "b" }]);
  });

  it("should throw the status's error class for a failed export, and StewardError for a bad line", async () => {
    const failing = await fake([
      { status: 401, body: errorEnvelope("authentication_error", "no") },
    ]);
    const error = await rejection(
      (async () => {
        for await (const _ of client(failing).auditLogs.export()) {
          // nothing arrives
        }
      })(),
    );
    expect(error).toBeInstanceOf(AuthenticationError);

    const garbled = await fake([
      {
        status: 200,
        headers: { "content-type": "application/x-ndjson" },
        body: '{"id":1}\nnot json\n',
      },
    ]);
    const parseError = await rejection(
      client(garbled)
        .auditLogs.export()
        .then((s) => s.toArray()),
    );
    expect(parseError).toBeInstanceOf(StewardError);
    expect(parseError.message).toContain("line 2");
  });
});

describe("SDK configuration", () => {
  const VARS = ["STEWARD_URL", "STEWARD_ADMIN_KEY", "ANTHROPIC_ADMIN_KEY"] as const;
  const saved = Object.fromEntries(VARS.map((name) => [name, process.env[name]]));
  afterEach(() => {
    for (const name of VARS) {
      if (saved[name] === undefined) {
        delete process.env[name];
      } else {
        process.env[name] = saved[name];
      }
    }
  });

  it("should read STEWARD_URL and STEWARD_ADMIN_KEY", async () => {
    const server = await fake([{ body: USER }]);
    process.env.STEWARD_URL = server.url;
    process.env.STEWARD_ADMIN_KEY = "sk-ant-admin01-from-env";
    process.env.ANTHROPIC_ADMIN_KEY = "sk-ant-admin01-seed-env";
    const admin = new StewardAdmin();
    expect(admin.baseURL).toBe(server.url);
    await admin.users.retrieve("u");
    expect(server.requests[0]?.headers["x-api-key"]).toBe("sk-ant-admin01-from-env");
  });

  it("should fall back to the seed's ANTHROPIC_ADMIN_KEY, and prefer options over the environment", () => {
    process.env.STEWARD_URL = "http://env.example";
    delete process.env.STEWARD_ADMIN_KEY;
    process.env.ANTHROPIC_ADMIN_KEY = "sk-ant-admin01-seed-env";
    expect(new StewardAdmin().adminKey).toBe("sk-ant-admin01-seed-env");
    const explicit = new StewardAdmin({ baseURL: "http://opt.example/", adminKey: "k" });
    expect(explicit.baseURL).toBe("http://opt.example");
    expect(explicit.adminKey).toBe("k");
  });

  it("should say what is missing", () => {
    for (const name of VARS) {
      delete process.env[name];
    }
    expect(() => new StewardAdmin({ baseURL: "http://x.example" })).toThrow(
      /adminKey.*STEWARD_ADMIN_KEY.*ANTHROPIC_ADMIN_KEY/,
    );
    expect(() => new StewardAdmin({ adminKey: "k" })).toThrow(/baseURL.*STEWARD_URL/);
    expect(() => new StewardAdmin({ adminKey: "k" })).toThrow(StewardError);
    expect(() => new StewardAdmin({ baseURL: "not a url", adminKey: "k" })).toThrow(/valid URL/);
    expect(() => new StewardAdmin({ baseURL: "http://x", adminKey: "k", timeout: -1 })).toThrow(
      /timeout/,
    );
    expect(() => new StewardAdmin({ baseURL: "http://x", adminKey: "k", maxRetries: 1.5 })).toThrow(
      /maxRetries/,
    );
  });

  it("should work where there is no process (browsers)", () => {
    const g = globalThis as { process?: unknown };
    const proc = g.process;
    let made: StewardAdmin | undefined;
    let missing: unknown;
    try {
      g.process = undefined;
      made = new StewardAdmin({ baseURL: "http://x.example", adminKey: "k" });
      try {
        new StewardAdmin();
      } catch (error) {
        missing = error;
      }
    } finally {
      g.process = proc;
    }
    expect(made?.baseURL).toBe("http://x.example");
    expect(missing).toBeInstanceOf(StewardError);
  });
});

describe("SDK session mode", () => {
  /** A fetch that records what the SDK hands it: `credentials` is not visible to a server. */
  function recordingFetch(seen: { url: string; init: RequestInit | undefined }[]) {
    return async (input: string | URL | Request, init?: RequestInit) => {
      seen.push({ url: String(input), init });
      return Response.json(USER);
    };
  }

  it("should send no key, the cookie's credentials, and the CSRF token on unsafe methods only", async () => {
    const seen: { url: string; init: RequestInit | undefined }[] = [];
    const admin = new StewardAdmin({
      baseURL: "http://steward.invalid",
      session: { csrfToken: "csrf-1" },
      fetch: recordingFetch(seen),
    });
    expect(admin.sessionMode).toBe(true);
    expect(admin.adminKey).toBeUndefined();
    await admin.users.retrieve("user_1");
    await admin.users.update("user_1", { role: "developer" });
    await admin.invites.delete("invite_1");
    const [get, post, del] = seen.map((s) => ({
      credentials: s.init?.credentials,
      headers: new Headers(s.init?.headers),
    }));
    for (const request of [get, post, del]) {
      expect(request?.credentials).toBe("same-origin");
      expect(request?.headers.has("x-api-key")).toBe(false);
    }
    expect(get?.headers.has("x-csrf-token")).toBe(false);
    expect(post?.headers.get("x-csrf-token")).toBe("csrf-1");
    expect(del?.headers.get("x-csrf-token")).toBe("csrf-1");
  });

  it("should ask a token function on every request, so a new session's token is used", async () => {
    const server = await fake([{ body: USER }]);
    let token = "first";
    const admin = new StewardAdmin({ baseURL: server.url, session: { csrfToken: () => token } });
    await admin.users.update("u", { role: "user" });
    token = "second";
    await admin.users.update("u", { role: "user" });
    expect(server.requests.map((r) => r.headers["x-csrf-token"])).toEqual(["first", "second"]);
    expect(server.requests.every((r) => r.headers["x-api-key"] === undefined)).toBe(true);
  });

  it("should default to the page's origin, ignore the key variables, and refuse a key besides", () => {
    const g = globalThis as { location?: unknown };
    const saved = process.env.STEWARD_ADMIN_KEY;
    process.env.STEWARD_ADMIN_KEY = "sk-ant-admin01-from-env";
    let admin: StewardAdmin | undefined;
    try {
      g.location = { origin: "https://steward.example" };
      admin = new StewardAdmin({ session: {} });
    } finally {
      g.location = undefined;
      if (saved === undefined) {
        delete process.env.STEWARD_ADMIN_KEY;
      } else {
        process.env.STEWARD_ADMIN_KEY = saved;
      }
    }
    expect(admin.baseURL).toBe("https://steward.example");
    expect(admin.adminKey).toBeUndefined();
    expect(admin.withOptions({ maxRetries: 0 }).sessionMode).toBe(true);
    expect(
      () => new StewardAdmin({ baseURL: "http://x.example", adminKey: "k", session: {} }),
    ).toThrow(/either `adminKey` or `session`/);
  });
});
