/**
 * The web console's sessions, server side (issue 26, point 2): sign-in with an admin key, the
 * cookie and its flags, the session on the Admin API with its CSRF and Origin checks, idle and
 * absolute timeouts on a clock the test moves, sign-out, and the end of a member's sessions when
 * they are removed or their role changes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.js";
import { operatorContext } from "../src/core/context.js";
import { ManualClock } from "../src/core/ports.js";
import {
  type ApiResponse,
  createTestServer,
  describeEachBackend,
  expectError,
  type TestServer,
} from "./harness.js";

const MINUTE = 60_000;

interface SignedIn {
  cookie: string;
  csrf: string;
  id: string;
}

describeEachBackend("console sessions", (backend) => {
  const clock = new ManualClock("2026-06-01T09:00:00.000Z");
  let server: TestServer;
  let emails = 0;
  beforeAll(async () => {
    server = await createTestServer(backend, { clock });
  });
  afterAll(async () => {
    await server?.close();
  });

  const inject = async (
    method: "GET" | "POST" | "PATCH" | "DELETE",
    url: string,
    options: { cookie?: string; headers?: Record<string, string>; body?: unknown } = {},
  ) => {
    const response = await server.app.inject({
      method,
      url,
      headers: {
        ...(options.cookie !== undefined && { cookie: `steward_session=${options.cookie}` }),
        ...(options.body !== undefined && { "content-type": "application/json" }),
        ...options.headers,
      },
      ...(options.body !== undefined && { payload: JSON.stringify(options.body) }),
    });
    const body: unknown = response.body === "" ? null : response.json();
    return {
      status: response.statusCode,
      body,
      headers: response.headers,
      cookies: response.cookies,
    } as ApiResponse<Record<string, unknown>> & { cookies: typeof response.cookies };
  };

  const signIn = async (key = server.org.adminKey): Promise<SignedIn> => {
    const response = await inject("POST", "/auth/admin-key", { body: { key } });
    expect(response.status).toBe(200);
    const cookie = response.cookies.find((c) => c.name === "steward_session");
    expect(cookie).toBeDefined();
    return {
      cookie: cookie?.value ?? "",
      csrf: response.body.csrf_token as string,
      id: response.body.id as string,
    };
  };

  /** A new member with `role`, invited and accepted with the owner's key. */
  const join = async (role: string) => {
    const invite = await server.post("/v1/organizations/invites", {
      email: `session-member-${++emails}@example.com`,
      role,
    });
    const user = await server.post(
      "/v1/invites/accept",
      { token: invite.body.token },
      { key: null },
    );
    expect(user.status).toBe(200);
    return user.body as { id: string };
  };

  const auditOf = async (action: string) =>
    (await server.services.deps.store.read.audit.list(server.org.id)).filter(
      (r) => r.action === action,
    );

  it("should say which sign-in methods this server offers", async () => {
    const response = await inject("GET", "/auth/methods");
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      oidc: { enabled: false, label: null },
      email_link: false,
      admin_key: true,
    });
  });

  it("should sign in with an owner's admin key and set an HttpOnly, SameSite=Lax cookie", async () => {
    const response = await inject("POST", "/auth/admin-key", {
      body: { key: server.org.adminKey },
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      type: "session",
      id: expect.stringMatching(/^sess_/),
      user: { id: server.org.ownerId, role: "owner" },
      organization_id: server.org.id,
      method: "admin_key",
      created_at: "2026-06-01T09:00:00.000Z",
      expires_at: "2026-06-01T21:00:00.000Z",
      idle_expires_at: "2026-06-01T09:30:00.000Z",
    });
    const cookie = response.cookies.find((c) => c.name === "steward_session");
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/" });
    expect(cookie?.secure).toBeFalsy();
    expect(cookie?.value).toMatch(/^stw-session01-/);
    // The secret is stored only as its hash, and is not the session's id nor its CSRF token.
    expect(response.body.id).not.toBe(cookie?.value);
    expect(response.body.csrf_token).not.toBe(cookie?.value);
    const created = await auditOf("session.created");
    expect(created.at(-1)).toMatchObject({ actor_type: "admin_key", target_id: response.body.id });
    expect(created.at(-1)?.changes).not.toContain(cookie?.value);
  });

  it("should mark the cookie Secure when the request came over HTTPS through a trusted proxy", async () => {
    const proxied = await createTestServer(backend, { trustProxy: ["127.0.0.1"] });
    try {
      const response = await proxied.app.inject({
        method: "POST",
        url: "/auth/admin-key",
        headers: { "content-type": "application/json", "x-forwarded-proto": "https" },
        payload: JSON.stringify({ key: proxied.org.adminKey }),
      });
      expect(response.statusCode).toBe(200);
      expect(response.cookies.find((c) => c.name === "steward_session")?.secure).toBe(true);
    } finally {
      await proxied.close();
    }
  });

  it("should answer the current session, and 401 without one", async () => {
    const session = await signIn();
    const current = await inject("GET", "/auth/session", { cookie: session.cookie });
    expect(current.status).toBe(200);
    expect(current.body).toMatchObject({ id: session.id, csrf_token: session.csrf });
    expectError(await inject("GET", "/auth/session"), 401, "authentication_error");
    const unknown = await inject("GET", "/auth/session", { cookie: "stw-session01-nope" });
    expect(expectError(unknown, 401, "authentication_error").message).toContain("sign in");
  });

  it("should refuse a bad admin key with 401, a key without a holder with 403", async () => {
    const bad = await inject("POST", "/auth/admin-key", {
      body: { key: "sk-ant-admin01-not-a-key-of-ours-at-all-0000000000000000" },
    });
    expectError(bad, 401, "authentication_error");
    expectError(
      await inject("POST", "/auth/admin-key", { body: {} }),
      400,
      "invalid_request_error",
    );
    const organizationKey = await server.services.adminKeys.create(operatorContext(server.org.id), {
      name: "organization-level",
    });
    const refused = await inject("POST", "/auth/admin-key", { body: { key: organizationKey.key } });
    expect(expectError(refused, 403, "permission_error").message).toContain("held by");
  });

  it("should serve the Admin API to a session, and record it as the actor", async () => {
    const session = await signIn();
    const users = await inject("GET", "/v1/users", { cookie: session.cookie });
    expect(users.status).toBe(200);
    const created = await inject("POST", "/v1/workspaces", {
      cookie: session.cookie,
      headers: { "x-csrf-token": session.csrf },
      body: { name: "Made in the console" },
    });
    expect(created.status).toBe(200);
    const record = (await auditOf("workspace.created")).at(-1);
    expect(record).toMatchObject({ actor_type: "session", actor_id: session.id });
    const listed = await server.get("/v1/organizations/audit_logs", {
      query: { action: "workspace.created", order: "desc", limit: 1 },
    });
    expect(listed.body.data[0]?.actor).toEqual({ type: "session", id: session.id });
  });

  it("should refuse a change without the right x-csrf-token or from another origin", async () => {
    const session = await signIn();
    const body = { name: "Forged" };
    const missing = await inject("POST", "/v1/workspaces", { cookie: session.cookie, body });
    expect(expectError(missing, 403, "permission_error").message).toBe(
      "missing or wrong x-csrf-token",
    );
    const other = await signIn();
    const wrong = await inject("POST", "/v1/workspaces", {
      cookie: session.cookie,
      headers: { "x-csrf-token": other.csrf },
      body,
    });
    expectError(wrong, 403, "permission_error");
    const foreign = await inject("POST", "/v1/workspaces", {
      cookie: session.cookie,
      headers: { "x-csrf-token": session.csrf, origin: "https://evil.example" },
      body,
    });
    expect(expectError(foreign, 403, "permission_error").message).toContain("Origin");
    const own = await inject("POST", "/v1/workspaces", {
      cookie: session.cookie,
      headers: { "x-csrf-token": session.csrf, origin: "http://localhost:80" },
      body: { name: "From our own origin" },
    });
    expect(own.status).toBe(200);
  });

  it("should prefer a key header over the cookie", async () => {
    const response = await inject("GET", "/v1/users", {
      cookie: "stw-session01-ended-or-unknown",
      headers: { "x-api-key": server.org.adminKey },
    });
    expect(response.status).toBe(200);
  });

  it("should end a session left idle, and keep one in use until its absolute limit", async () => {
    const idle = await signIn();
    clock.advance(29 * MINUTE);
    expect((await inject("GET", "/auth/session", { cookie: idle.cookie })).status).toBe(200);
    clock.advance(29 * MINUTE); // 58 minutes after sign-in, 29 after its last use
    expect((await inject("GET", "/auth/session", { cookie: idle.cookie })).status).toBe(200);
    clock.advance(31 * MINUTE);
    const ended = await inject("GET", "/auth/session", { cookie: idle.cookie });
    expect(expectError(ended, 401, "authentication_error").message).toContain("without use");
    const record = (await auditOf("session.ended")).at(-1);
    expect(record).toMatchObject({ actor_type: "system", target_id: idle.id });
    expect(JSON.parse(record?.changes ?? "{}").after.ended_reason).toBe("idle_timeout");

    const busy = await signIn();
    for (let minutes = 0; minutes < 12 * 60 - 20; minutes += 20) {
      clock.advance(20 * MINUTE);
      expect((await inject("GET", "/v1/users", { cookie: busy.cookie })).status).toBe(200);
    }
    clock.advance(20 * MINUTE);
    const expired = await inject("GET", "/v1/users", { cookie: busy.cookie });
    expect(expectError(expired, 401, "authentication_error").message).toContain("expired");
  });

  it("should sign out with the CSRF token: 204, cookie cleared, session ended", async () => {
    const session = await signIn();
    expectError(
      await inject("POST", "/auth/sign-out", { cookie: session.cookie }),
      403,
      "permission_error",
    );
    const out = await inject("POST", "/auth/sign-out", {
      cookie: session.cookie,
      headers: { "x-csrf-token": session.csrf },
    });
    expect(out.status).toBe(204);
    const cleared = out.cookies.find((c) => c.name === "steward_session");
    expect(cleared?.value).toBe("");
    expectError(
      await inject("GET", "/auth/session", { cookie: session.cookie }),
      401,
      "authentication_error",
    );
    const record = (await auditOf("session.ended")).at(-1);
    expect(record).toMatchObject({ actor_type: "session", actor_id: session.id });
  });

  describe("a member's sessions", () => {
    /** An admin who signs in with an admin key the operator issued them. */
    const signedInAdmin = async () => {
      const admin = await join("admin");
      const key = await server.services.adminKeys.create(operatorContext(server.org.id), {
        name: "admin's key",
        userId: admin.id,
      });
      return { admin, session: await signIn(key.key) };
    };

    it("should list what a member did, through their admin key or their session, by actor_user_id", async () => {
      const { admin, session } = await signedInAdmin();
      const viaKey = await server.post(
        "/v1/workspaces",
        { name: "By the admin's key" },
        {
          key: (
            await server.services.adminKeys.create(operatorContext(server.org.id), {
              name: "admin's second key",
              userId: admin.id,
            })
          ).key,
        },
      );
      expect(viaKey.status).toBe(200);
      const viaSession = await inject("POST", "/v1/workspaces", {
        cookie: session.cookie,
        headers: { "x-csrf-token": session.csrf },
        body: { name: "By the admin's session" },
      });
      expect(viaSession.status).toBe(200);
      // The owner acts too: their records must not match the admin.
      await server.post("/v1/workspaces", { name: "By the owner" });
      const byAdmin = await server.get("/v1/organizations/audit_logs", {
        query: { actor_user_id: admin.id, action: "workspace.created", limit: 100 },
      });
      expect(byAdmin.status).toBe(200);
      expect(byAdmin.body.data.map((r) => r.target.id)).toEqual([
        viaKey.body.id,
        viaSession.body.id as string,
      ]);
      expect(byAdmin.body.data.map((r) => r.actor.type)).toEqual(["admin_key", "session"]);
      const byOwner = await server.get("/v1/organizations/audit_logs", {
        query: { actor_user_id: server.org.ownerId, action: "workspace.created", limit: 100 },
      });
      expect(byOwner.body.data.map((r) => r.target.id)).not.toContain(viaKey.body.id);
      expect(byOwner.body.data.at(-1)?.actor).toEqual({
        type: "admin_key",
        id: server.org.adminKeyId,
      });
      const nobody = await server.get("/v1/organizations/audit_logs", {
        query: { actor_user_id: "user_nobody" },
      });
      expect(nobody.body.data).toEqual([]);
    });

    it("should end at once when the member's role changes, in the same transaction", async () => {
      const { admin, session } = await signedInAdmin();
      const changed = await server.patch(`/v1/users/${admin.id}`, { role: "developer" });
      expect(changed.status).toBe(200);
      expectError(
        await inject("GET", "/auth/session", { cookie: session.cookie }),
        401,
        "authentication_error",
      );
      const ended = (await auditOf("session.ended")).at(-1);
      expect(JSON.parse(ended?.changes ?? "{}").after.ended_reason).toBe("role_changed");
    });

    it("should end at once when the member is removed or offboarded", async () => {
      const removed = await signedInAdmin();
      expect((await server.delete(`/v1/users/${removed.admin.id}`)).status).toBe(200);
      expectError(
        await inject("GET", "/v1/users", { cookie: removed.session.cookie }),
        401,
        "authentication_error",
      );
      const offboarded = await signedInAdmin();
      const result = await server.services.lifecycle.offboard(
        operatorContext(server.org.id),
        offboarded.admin.id,
      );
      expect(result).toBeDefined();
      expectError(
        await inject("GET", "/auth/session", { cookie: offboarded.session.cookie }),
        401,
        "authentication_error",
      );
    });
  });
});

describe("session timeouts' configuration", () => {
  it("should read SESSION_IDLE_TIMEOUT and SESSION_MAX_AGE in the CLI's duration syntax", () => {
    expect(loadConfig({})).toMatchObject({
      SESSION_IDLE_TIMEOUT: 30 * MINUTE,
      SESSION_MAX_AGE: 12 * 60 * MINUTE,
    });
    expect(loadConfig({ SESSION_IDLE_TIMEOUT: "1h30m", SESSION_MAX_AGE: "1d" })).toMatchObject({
      SESSION_IDLE_TIMEOUT: 90 * MINUTE,
      SESSION_MAX_AGE: 24 * 60 * MINUTE,
    });
    expect(() => loadConfig({ SESSION_IDLE_TIMEOUT: "soon" })).toThrow(/SESSION_IDLE_TIMEOUT/);
    expect(() => loadConfig({ SESSION_MAX_AGE: "10s" })).toThrow(/at least 1m/);
  });
});
