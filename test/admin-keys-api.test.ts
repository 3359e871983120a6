/**
 * Admin keys on the Admin API (`/v1/organizations/admin_keys`, issue 26 point 3 "Settings"):
 * owners only (an owner's session or key, or an organization-level key); the secret is in the
 * create answer only; a revoked key fails on its very next request; every change is audited in
 * its transaction; the last working key with an owner's powers is kept unless an owner's console
 * session revokes it.
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

const BASE = "/v1/organizations/admin_keys";

interface Session {
  cookie: string;
  csrf: string;
}

describeEachBackend("admin keys on the Admin API", (backend) => {
  const clock = new ManualClock("2026-07-01T09:00:00.000Z");
  let server: TestServer;
  let emails = 0;

  /** A member with `role`, invited and accepted with the owner's key. */
  const join = async (role: string, organizationKey?: string) => {
    const key = organizationKey ?? server.org.adminKey;
    const invite = await server.post(
      "/v1/organizations/invites",
      { email: `admin-keys-${++emails}@example.com`, role },
      { key },
    );
    expect(invite.status).toBe(200);
    const user = await server.post(
      "/v1/invites/accept",
      { token: invite.body.token },
      { key: null },
    );
    expect(user.status).toBe(200);
    return (user.body as { id: string }).id;
  };

  /** A console session for the member, as OpenID Connect would open it. */
  const sessionOf = async (organizationId: string, userId: string): Promise<Session> => {
    const ctx = {
      ...operatorContext(organizationId),
      actor: { type: "system", id: null } as const,
    };
    const opened = await server.services.deps.store.transaction(async (repos) => {
      const row = await repos.users.findActive(organizationId, userId);
      if (!row) {
        throw new Error("no such member");
      }
      return server.services.sessions.openIn(repos, ctx, row, "oidc");
    });
    return { cookie: opened.secret, csrf: opened.session.csrf_token };
  };

  const as = (session: Session, options: RequestOptions = {}): RequestOptions => ({
    ...options,
    key: null,
    headers: { cookie: `steward_session=${session.cookie}`, "x-csrf-token": session.csrf },
  });

  const auditOf = async (organizationId: string, targetId: string) =>
    (await server.services.deps.store.read.audit.list(organizationId)).filter(
      (record) => record.target_id === targetId,
    );

  beforeAll(async () => {
    server = await createTestServer(backend, { clock });
  });
  afterAll(async () => {
    await server?.close();
  });

  it("should show the secret once, and let the new key work at once", async () => {
    const created = await server.post(BASE, { name: "deploy pipeline" });
    expect(created.status).toBe(200);
    const { key, ...adminKey } = created.body;
    expect(key).toMatch(/^sk-ant-admin01-[A-Za-z0-9_-]{32,}$/);
    expect(adminKey).toMatchObject({
      type: "admin_key",
      name: "deploy pipeline",
      status: "active",
      scope: "member",
      user_id: server.org.ownerId,
      holder_role: "owner",
      organization_id: server.org.id,
      revoked_at: null,
      last_used_at: null,
    });
    expect(key.endsWith(adminKey.partial_key_hint.slice(-4))).toBe(true);

    const fetched = await server.get(`${BASE}/${adminKey.id}`);
    expect(fetched.status).toBe(200);
    expect(fetched.body).toEqual(adminKey);
    const listed = await server.get(BASE, { query: { limit: 1000 } });
    expect(listed.status).toBe(200);
    expect(listed.body.data.map((k) => k.id)).toContain(adminKey.id);
    for (const text of [JSON.stringify(fetched.body), JSON.stringify(listed.body)]) {
      expect(text).not.toContain(key);
      expect(text).not.toContain('"key"');
    }

    expect((await server.get("/v1/organizations/me", { key })).status).toBe(200);
    const used = await server.get(`${BASE}/${adminKey.id}`);
    expect(used.body.last_used_at).toBe(clock.now().toISOString());

    const audit = await auditOf(server.org.id, adminKey.id);
    expect(audit.map((r) => [r.action, r.actor_type, r.actor_id])).toEqual([
      ["admin_key.created", "admin_key", server.org.adminKeyId],
    ]);
    expect(audit[0]?.changes).not.toContain(key);
  });

  it("should rename a key, audited once, and refuse a bad name naming the field", async () => {
    const { id } = (await server.post(BASE, { name: "before" })).body;
    const renamed = await server.post(`${BASE}/${id}`, { name: "after" });
    expect(renamed.status).toBe(200);
    expect(renamed.body.name).toBe("after");
    expect((await server.post(`${BASE}/${id}`, { name: "after" })).status).toBe(200);
    const actions = (await auditOf(server.org.id, id)).map((r) => r.action);
    expect(actions).toEqual(["admin_key.created", "admin_key.updated"]);

    for (const body of [{ name: "" }, { name: "a\nb" }, {}, { name: "x", status: "inactive" }]) {
      const error = expectError(
        await server.post(`${BASE}/${id}`, body),
        400,
        "invalid_request_error",
      );
      expect(error.message).toMatch(/name|status/);
    }
    expectError(await server.post(BASE, { name: "" }), 400, "invalid_request_error");
    const past = expectError(
      await server.post(BASE, { name: "old", expires_at: "2020-01-01T00:00:00Z" }),
      400,
      "invalid_request_error",
    );
    expect(past.message).toMatch(/expires_at/);
  });

  it("should stop a revoked key on its very next request, and keep it listed as revoked", async () => {
    const { id, key } = (await server.post(BASE, { name: "to revoke" })).body;
    expect((await server.get("/v1/organizations/me", { key })).status).toBe(200);
    const revoked = await server.delete(`${BASE}/${id}`);
    expect(revoked.status).toBe(200);
    expect(revoked.body).toEqual({ id, type: "admin_key_deleted", deleted: true });
    expectError(await server.get("/v1/organizations/me", { key }), 401, "authentication_error");

    const listed = await server.get(`${BASE}/${id}`);
    expect(listed.body).toMatchObject({ status: "revoked", revoked_at: clock.now().toISOString() });
    expect((await server.delete(`${BASE}/${id}`)).status).toBe(200);
    // Revoking twice records nothing more; the refused attempt is recorded as a failure.
    const records = (await auditOf(server.org.id, id)).map((r) => [r.action, r.outcome]);
    expect(records).toEqual([
      ["admin_key.created", "success"],
      ["admin_key.revoked", "success"],
      ["admin_key.authenticate", "failure"],
    ]);

    const onlyRevoked = await server.get(BASE, { query: { status: "revoked", limit: 1000 } });
    expect(onlyRevoked.body.data.map((k) => k.id)).toContain(id);
    expect(onlyRevoked.body.data.every((k) => k.status === "revoked")).toBe(true);
    const active = await server.get(BASE, { query: { status: "active", limit: 1000 } });
    expect(active.body.data.map((k) => k.id)).not.toContain(id);
    expect(active.body.data.every((k) => k.status === "active")).toBe(true);
  });

  it("should refuse admins, developers and users, by key or session, and let an owner's session in", async () => {
    const adminId = await join("admin");
    const adminKey = await server.services.adminKeys.create(operatorContext(server.org.id), {
      name: "admin's",
      userId: adminId,
    });
    const target = (await server.post(BASE, { name: "target" })).body.id;
    const callers: Array<[string, RequestOptions]> = [
      ["admin key", { key: adminKey.key }],
      ["admin session", as(await sessionOf(server.org.id, adminId))],
      ["developer session", as(await sessionOf(server.org.id, await join("developer")))],
      ["user session", as(await sessionOf(server.org.id, await join("user")))],
    ];
    for (const [who, options] of callers) {
      const refusals = [
        await server.get(BASE, options),
        await server.post(BASE, { name: "mine" }, options),
        await server.get(`${BASE}/${target}`, options),
        await server.post(`${BASE}/${target}`, { name: "renamed" }, options),
        await server.delete(`${BASE}/${target}`, options),
      ];
      for (const response of refusals) {
        const error = expectError(response, 403, "permission_error");
        expect(error.message, who).toMatch(/owner|role/);
      }
    }
    expect((await server.get(`${BASE}/${target}`)).body).toMatchObject({
      name: "target",
      status: "active",
    });

    const owner = as(await sessionOf(server.org.id, server.org.ownerId));
    const created = await server.post(BASE, { name: "from the console" }, owner);
    expect(created.status).toBe(200);
    expect(created.body.user_id).toBe(server.org.ownerId);
    const audit = await auditOf(server.org.id, created.body.id);
    expect(audit[0]?.actor_type).toBe("session");
  });

  it("should issue keys to admins and owners only, and require user_id from an organization-level key", async () => {
    const adminId = await join("admin");
    const forAdmin = await server.post(BASE, { name: "for the admin", user_id: adminId });
    expect(forAdmin.status).toBe(200);
    expect(forAdmin.body).toMatchObject({ user_id: adminId, holder_role: "admin" });

    const developerId = await join("developer");
    const refused = expectError(
      await server.post(BASE, { name: "nope", user_id: developerId }),
      400,
      "invalid_request_error",
    );
    expect(refused.message).toMatch(/role developer/);

    const organizationKey = await server.services.adminKeys.create(operatorContext(server.org.id), {
      name: "organization-level",
    });
    const options = { key: organizationKey.key };
    expect((await server.get(BASE, options)).status).toBe(200);
    const missing = expectError(
      await server.post(BASE, { name: "whose?" }, options),
      400,
      "invalid_request_error",
    );
    expect(missing.message).toMatch(/^user_id/);
    expect(
      (await server.post(BASE, { name: "owner's", user_id: server.org.ownerId }, options)).status,
    ).toBe(200);
  });

  it("should answer 404 for another organization's key, and page with cursors of its own", async () => {
    const other = await server.createOrganization("Other Org");
    const theirs = (await server.post(BASE, { name: "theirs" }, { key: other.adminKey })).body.id;
    expectError(await server.get(`${BASE}/${theirs}`), 404, "not_found_error");
    expectError(await server.post(`${BASE}/${theirs}`, { name: "mine" }), 404, "not_found_error");
    expectError(await server.delete(`${BASE}/${theirs}`), 404, "not_found_error");
    expectError(
      await server.get(BASE, { query: { after_id: theirs } }),
      400,
      "invalid_request_error",
    );
    expect((await server.get(`${BASE}/${theirs}`, { key: other.adminKey })).status).toBe(200);

    const all = (await server.get(BASE, { query: { limit: 1000 } })).body.data.map((k) => k.id);
    expect(all).not.toContain(theirs);
    const first = await server.get(BASE, { query: { limit: 2 } });
    expect(first.body.has_more).toBe(true);
    expect(first.body.data.map((k) => k.id)).toEqual(all.slice(0, 2));
    const next = await server.get(BASE, {
      query: { limit: 2, after_id: first.body.last_id ?? "" },
    });
    expect(next.body.data.map((k) => k.id)).toEqual(all.slice(2, 4));
  });

  it("should keep the last working owner's key unless an owner's session revokes it", async () => {
    const org = await server.createOrganization("Lone Owner Inc");
    const ownKey = { key: org.adminKey };
    const refused = expectError(
      await server.delete(`${BASE}/${org.adminKeyId}`, ownKey),
      400,
      "invalid_request_error",
    );
    expect(refused.details?.error_code).toBe("last_owner_admin_key");
    expect((await server.get("/v1/organizations/me", ownKey)).status).toBe(200);
    expect((await auditOf(org.id, org.adminKeyId)).map((r) => r.action)).toEqual([
      "admin_key.created",
    ]);

    // An admin's key has no owner's powers: it does not count, and it may be revoked.
    const adminId = await join("admin", org.adminKey);
    const adminsKey = (await server.post(BASE, { name: "admin's", user_id: adminId }, ownKey)).body;
    expectError(
      await server.delete(`${BASE}/${org.adminKeyId}`, ownKey),
      400,
      "invalid_request_error",
    );
    expect((await server.delete(`${BASE}/${adminsKey.id}`, ownKey)).status).toBe(200);

    // With a second owner's key, either may go.
    const second = (await server.post(BASE, { name: "second" }, ownKey)).body;
    expect((await server.delete(`${BASE}/${org.adminKeyId}`, { key: second.key })).status).toBe(
      200,
    );
    expectError(await server.get("/v1/organizations/me", ownKey), 401, "authentication_error");
    expectError(
      await server.delete(`${BASE}/${second.id}`, { key: second.key }),
      400,
      "invalid_request_error",
    );

    // An owner signed in to the console may revoke the last one: their session stays.
    const owner = as(await sessionOf(org.id, org.ownerId));
    expect((await server.delete(`${BASE}/${second.id}`, owner)).status).toBe(200);
    expectError(
      await server.get("/v1/organizations/me", { key: second.key }),
      401,
      "authentication_error",
    );
    expect((await server.get(BASE, owner)).status).toBe(200);
  });

  it("should leave the operator's CLI operations working on the same keys", async () => {
    const { id } = (await server.post(BASE, { name: "for the CLI" })).body;
    const listed = await server.services.adminKeys.list(server.org.id);
    expect(listed.find((k) => k.id === id)).toMatchObject({
      name: "for the CLI",
      status: "active",
    });
    const rotated = await server.services.adminKeys.rotate(
      { ...operatorContext(server.org.id) },
      id,
      {
        graceSeconds: 0,
      },
    );
    expect(rotated.previous.status).toBe("expired");
    expect((await server.get(`${BASE}/${rotated.adminKey.id}`)).body.name).toBe("for the CLI");
  });
});
