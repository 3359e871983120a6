/**
 * What a console session may do by its member's role (issue 26, point 3, enforced by the server):
 * a developer sees the workspaces they belong to and manages the keys they created or hold; a user
 * sees their own keys and usage; anything else is a 403 that names the role.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { operatorContext } from "../src/core/context.js";
import { ManualClock } from "../src/core/ports.js";
import {
  createTestServer,
  describeEachBackend,
  expectError,
  type RequestOptions,
  type TestServer,
} from "./harness.js";

interface Session {
  cookie: string;
  csrf: string;
  userId: string;
}

const NOW = "2026-06-10T12:00:00.000Z";

describeEachBackend("console sessions by role", (backend) => {
  const clock = new ManualClock(NOW);
  let server: TestServer;
  let emails = 0;
  let wsA: string;
  let wsB: string;
  let developer: Session;
  let user: Session;
  let ownerKeyInA: string;
  let usersKey: string;
  let othersKey: string;

  /** A member with `role`, invited and accepted with the owner's key. */
  const join = async (role: string) => {
    const invite = await server.post("/v1/organizations/invites", {
      email: `role-member-${++emails}@example.com`,
      role,
    });
    const accepted = await server.post(
      "/v1/invites/accept",
      { token: invite.body.token },
      { key: null },
    );
    expect(accepted.status).toBe(200);
    return (accepted.body as { id: string }).id;
  };

  /** A session for the member, as OpenID Connect or an email link would open it. */
  const sessionOf = async (userId: string): Promise<Session> => {
    const ctx = { ...operatorContext(server.org.id), actor: { type: "system", id: null } as const };
    const opened = await server.services.deps.store.transaction(async (repos) => {
      const row = await repos.users.findActive(server.org.id, userId);
      if (!row) {
        throw new Error("no such member");
      }
      return server.services.sessions.openIn(repos, ctx, row, "oidc");
    });
    return { cookie: opened.secret, csrf: opened.session.csrf_token, userId };
  };

  /** A request made with a session: no key, the cookie, and the CSRF token. */
  const as = (session: Session, options: RequestOptions = {}): RequestOptions => ({
    ...options,
    key: null,
    headers: {
      cookie: `steward_session=${session.cookie}`,
      "x-csrf-token": session.csrf,
      ...options.headers,
    },
  });

  beforeAll(async () => {
    server = await createTestServer(backend, { clock });
    wsA = (await server.post("/v1/workspaces", { name: "Team A" })).body.id;
    wsB = (await server.post("/v1/workspaces", { name: "Team B" })).body.id;
    const developerId = await join("developer");
    const added = await server.post(`/v1/organizations/workspaces/${wsA}/members`, {
      user_id: developerId,
      workspace_role: "workspace_developer",
    });
    expect(added.status).toBe(200);
    developer = await sessionOf(developerId);
    user = await sessionOf(await join("user"));
    ownerKeyInA = (await server.post("/v1/api_keys", { name: "owner's", workspace_id: wsA })).body
      .id;
    usersKey = (
      await server.post("/v1/api_keys", { name: "user's", workspace_id: wsB, user_id: user.userId })
    ).body.id;
    othersKey = (await server.post("/v1/api_keys", { name: "someone's", workspace_id: wsB })).body
      .id;
    const events = [
      { key: usersKey, workspace: wsB, tokens: 100 },
      { key: othersKey, workspace: wsB, tokens: 7000 },
      { key: ownerKeyInA, workspace: wsA, tokens: 300 },
    ].map((e, i) => ({
      id: `role-evt-${i}`,
      timestamp: "2026-06-09T11:00:00Z",
      workspace_id: e.workspace,
      api_key_id: e.key,
      model: "claude-opus-4-5",
      input_tokens: e.tokens,
      output_tokens: 0,
    }));
    expect((await server.post("/v1/usage/events", { events })).status).toBe(200);
  });
  afterAll(async () => {
    await server?.close();
  });

  it("should show a developer only the workspaces they belong to", async () => {
    const listed = await server.get("/v1/organizations/workspaces", as(developer));
    expect(listed.status).toBe(200);
    expect(listed.body.data.map((w) => w.id)).toEqual([wsA]);
    expect((await server.get(`/v1/workspaces/${wsA}`, as(developer))).status).toBe(200);
    expectError(await server.get(`/v1/workspaces/${wsB}`, as(developer)), 404, "not_found_error");
  });

  it("should let a developer create keys in their workspaces, issued to themselves", async () => {
    const created = await server.post(
      "/v1/api_keys",
      { name: "mine", workspace_id: wsA },
      as(developer),
    );
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      workspace_id: wsA,
      created_by: { id: developer.userId },
    });
    const stored = await server.services.deps.store.read.apiKeys.find(
      server.org.id,
      created.body.id,
    );
    expect(stored?.owner_user_id).toBe(developer.userId);
    const elsewhere = await server.post(
      "/v1/api_keys",
      { name: "x", workspace_id: wsB },
      as(developer),
    );
    expect(expectError(elsewhere, 403, "permission_error").message).toContain("developer role");
    const forOthers = await server.post(
      "/v1/api_keys",
      { name: "x", workspace_id: wsA, user_id: user.userId },
      as(developer),
    );
    expect(expectError(forOthers, 403, "permission_error").message).toContain("developer role");

    const listed = await server.get("/v1/api_keys", as(developer));
    const ids = listed.body.data.map((k) => k.id);
    expect(ids).toContain(created.body.id);
    expect(ids).toContain(ownerKeyInA);
    expect(ids).not.toContain(usersKey);

    const renamed = await server.patch(
      `/v1/api_keys/${created.body.id}`,
      { name: "renamed" },
      as(developer),
    );
    expect(renamed.status).toBe(200);
    const notTheirs = await server.patch(
      `/v1/api_keys/${ownerKeyInA}`,
      { name: "taken" },
      as(developer),
    );
    expect(expectError(notTheirs, 403, "permission_error").message).toContain("developer role");
    expect((await server.delete(`/v1/api_keys/${created.body.id}`, as(developer))).status).toBe(
      200,
    );
  });

  it("should refuse a developer what is not theirs to call, naming the role", async () => {
    for (const [method, url] of [
      ["post", "/v1/workspaces"],
      ["get", "/v1/users"],
      ["get", "/v1/organizations/audit_logs"],
      ["patch", `/v1/workspaces/${wsA}`],
    ] as const) {
      const response = await server.request(method, url, as(developer, { body: { name: "n" } }));
      expect(expectError(response, 403, "permission_error").message, url).toContain(
        "the developer role may not",
      );
    }
  });

  it("should limit a developer's usage and cost reports to their workspaces", async () => {
    const usage = await server.get(
      "/v1/organizations/usage_report/messages",
      as(developer, { query: { starting_at: "2026-06-09T00:00:00Z", group_by: ["workspace_id"] } }),
    );
    expect(usage.status).toBe(200);
    const results = usage.body.data.flatMap((b) => b.results);
    expect(results.map((r) => [r.workspace_id, r.uncached_input_tokens])).toEqual([[wsA, 300]]);
    const cost = await server.get(
      "/v1/organizations/cost_report",
      as(developer, { query: { starting_at: "2026-06-09T00:00:00Z" } }),
    );
    expect(cost.status).toBe(200);
    const all = await server.get("/v1/organizations/cost_report", {
      query: { starting_at: "2026-06-09T00:00:00Z" },
    });
    const total = (body: typeof cost.body) =>
      body.data.flatMap((b) => b.results).reduce((sum, r) => sum + Number(r.amount), 0);
    expect(total(cost.body)).toBeGreaterThan(0);
    expect(total(cost.body)).toBeLessThan(total(all.body));
  });

  it("should show a user only their own keys and usage, and nothing else", async () => {
    const keys = await server.get("/v1/api_keys", as(user));
    expect(keys.body.data.map((k) => k.id)).toEqual([usersKey]);
    expectError(await server.get(`/v1/api_keys/${othersKey}`, as(user)), 404, "not_found_error");
    const usage = await server.get(
      "/v1/organizations/usage_report/messages",
      as(user, { query: { starting_at: "2026-06-09T00:00:00Z", group_by: ["api_key_id"] } }),
    );
    const results = usage.body.data.flatMap((b) => b.results);
    expect(results.map((r) => [r.api_key_id, r.uncached_input_tokens])).toEqual([[usersKey, 100]]);
    const cost = await server.get(
      "/v1/organizations/cost_report",
      as(user, { query: { starting_at: "2026-06-09T00:00:00Z", group_by: ["api_key_id"] } }),
    );
    expect(cost.body.data.flatMap((b) => b.results).map((r) => r.api_key_id)).toEqual([usersKey]);
    for (const [method, url] of [
      ["post", "/v1/api_keys"],
      ["patch", `/v1/api_keys/${usersKey}`],
      ["get", "/v1/organizations/workspaces"],
    ] as const) {
      const response = await server.request(method, url, as(user, { body: { name: "n" } }));
      expect(expectError(response, 403, "permission_error").message, url).toContain(
        "the user role may not",
      );
    }
  });

  it("should refuse roles without console access to the Admin API", async () => {
    const billing = await sessionOf(await join("billing"));
    const response = await server.get("/v1/api_keys", as(billing));
    expect(expectError(response, 403, "permission_error").message).toContain("billing role");
    expect((await server.get("/auth/session", as(billing))).status).toBe(200);
  });
});
