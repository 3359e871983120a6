/**
 * Admin keys act with their holder's current role (issue 22, point 6): only admins and owners
 * hold working keys, an admin cannot touch owners, demoting a holder suspends their keys at the
 * next request (the change's answer and audit record name them), and keys the operator created
 * without a holder are organization-level and listed so.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { operatorContext } from "../src/core/context.js";
import { ManualClock } from "../src/core/ports.js";
import { createTestServer, describeEachBackend, expectError, type TestServer } from "./harness.js";

let emails = 0;

describeEachBackend("admin keys and their holder's role", (backend) => {
  const clock = new ManualClock("2026-06-01T09:00:00.000Z");
  let server: TestServer;
  beforeAll(async () => {
    server = await createTestServer(backend, { clock });
  });
  afterAll(async () => {
    await server?.close();
  });

  /** A new member with `role`, invited and accepted with the owner's key. */
  const join = async (role: string) => {
    const invite = await server.post("/v1/organizations/invites", {
      email: `member-${++emails}@example.com`,
      role,
    });
    expect(invite.status).toBe(200);
    const user = await server.post(
      "/v1/invites/accept",
      { token: invite.body.token },
      { key: null },
    );
    expect(user.status).toBe(200);
    return user.body as { id: string; role: string };
  };
  /** An admin key the operator creates for `userId` (or organization-level without one). */
  const keyFor = (userId?: string) =>
    server.services.adminKeys.create(operatorContext(server.org.id), {
      name: `key of ${userId ?? "the organization"}`,
      ...(userId !== undefined && { userId }),
    });
  const auditCount = async () =>
    (await server.services.deps.store.read.audit.list(server.org.id)).length;
  const listed = async (id: string) =>
    (await server.services.adminKeys.list(server.org.id)).find((k) => k.id === id);

  it("should refuse to issue an admin key to a member who is not an admin or owner", async () => {
    for (const role of ["user", "developer", "billing", "claude_code_user"]) {
      const member = await join(role);
      await expect(keyFor(member.id)).rejects.toMatchObject({
        type: "invalid_request_error",
        message: expect.stringContaining(`role ${role}`),
      });
    }
  });

  it("should not let an admin's key make an owner, invite one, or change or remove an owner", async () => {
    const admin = await join("admin");
    const { key } = await keyFor(admin.id);
    const developer = await join("developer");
    const before = await auditCount();
    const refusals = [
      await server.patch(`/v1/users/${admin.id}`, { role: "owner" }, { key }),
      await server.post(`/v1/organizations/users/${developer.id}`, { role: "owner" }, { key }),
      await server.post("/v1/users/invite", { email: "boss@example.com", role: "owner" }, { key }),
      await server.post(
        "/v1/organizations/invites",
        { email: "boss@example.com", role: "owner" },
        { key },
      ),
      await server.post("/v1/users/onboard", { email: "boss@example.com", role: "owner" }, { key }),
      await server.patch(`/v1/users/${server.org.ownerId}`, { role: "user" }, { key }),
      await server.patch(`/v1/users/${server.org.ownerId}`, { name: "Renamed" }, { key }),
      await server.delete(`/v1/users/${server.org.ownerId}`, { key }),
      await server.post(`/v1/users/${server.org.ownerId}/offboard`, undefined, { key }),
    ];
    for (const response of refusals) {
      const error = expectError(response, 403, "permission_error");
      expect(error.message).toMatch(/only an owner may/);
      expect(error.message).toContain(admin.id);
    }
    expect(await auditCount()).toBe(before);
    expect((await server.get(`/v1/users/${server.org.ownerId}`)).body.role).toBe("owner");

    // Everything below owner is an admin's to manage.
    const promoted = await server.patch(`/v1/users/${developer.id}`, { role: "admin" }, { key });
    expect(promoted.status).toBe(200);
    const invited = await server.post(
      "/v1/users/invite",
      { email: "dev@example.com", role: "developer" },
      { key },
    );
    expect(invited.status).toBe(200);
  });

  it("should let an owner's key and an organization-level key make and change owners", async () => {
    const member = await join("developer");
    const promoted = await server.patch(`/v1/users/${member.id}`, { role: "owner" });
    expect(promoted.status).toBe(200);
    const { key, adminKey } = await keyFor();
    expect(adminKey).toMatchObject({
      user_id: null,
      scope: "organization",
      holder_role: null,
      status: "active",
    });
    expect(await listed(adminKey.id)).toMatchObject({ scope: "organization", status: "active" });
    const demoted = await server.patch(`/v1/users/${member.id}`, { role: "admin" }, { key });
    expect(demoted.status).toBe(200);
    expect(demoted.body.role).toBe("admin");
  });

  it("should suspend a demoted holder's keys at the next request, name them, and resume them on promotion", async () => {
    const admin = await join("admin");
    const first = await keyFor(admin.id);
    const second = await keyFor(admin.id);
    const revoked = await keyFor(admin.id);
    await server.services.adminKeys.revoke(operatorContext(server.org.id), revoked.adminKey.id);
    expect((await server.get("/v1/organizations/me", { key: first.key })).status).toBe(200);
    expect(await listed(first.adminKey.id)).toMatchObject({
      scope: "member",
      holder_role: "admin",
      status: "active",
    });

    const demoted = await server.post(`/v1/organizations/users/${admin.id}`, { role: "user" });
    expect(demoted.status).toBe(200);
    const suspended = [first.adminKey.id, second.adminKey.id].sort();
    expect(demoted.body).toMatchObject({
      id: admin.id,
      type: "user",
      role: "user",
      suspended_admin_key_ids: suspended,
      resumed_admin_key_ids: [],
    });
    const record = (await server.services.deps.store.read.audit.list(server.org.id)).find(
      (r) => r.action === "user.updated" && r.request_id === demoted.headers["request-id"],
    );
    expect(JSON.parse(record?.changes ?? "{}").after).toMatchObject({
      role: "user",
      suspended_admin_key_ids: suspended,
    });

    for (const { key } of [first, second]) {
      const error = expectError(
        await server.get("/v1/organizations/me", { key }),
        403,
        "permission_error",
      );
      expect(error.message).toMatch(/suspended/);
      expect(error.message).toContain("role user");
    }
    expect(await listed(first.adminKey.id)).toMatchObject({
      status: "suspended",
      holder_role: "user",
    });
    expect((await listed(revoked.adminKey.id))?.status).toBe("revoked");
    // A suspended key cannot be rotated into a working one.
    await expect(
      server.services.adminKeys.rotate(operatorContext(server.org.id), first.adminKey.id, {
        graceSeconds: 0,
      }),
    ).rejects.toMatchObject({ type: "invalid_request_error" });

    const restored = await server.patch(`/v1/users/${admin.id}`, { role: "admin" });
    expect(restored.body).toMatchObject({
      suspended_admin_key_ids: [],
      resumed_admin_key_ids: suspended,
    });
    expect((await server.get("/v1/organizations/me", { key: first.key })).status).toBe(200);
  });

  it("should suspend the key that demotes its own holder from the very next request", async () => {
    const admin = await join("admin");
    const { key, adminKey } = await keyFor(admin.id);
    const response = await server.patch(`/v1/users/${admin.id}`, { role: "developer" }, { key });
    expect(response.status).toBe(200);
    expect(response.body.suspended_admin_key_ids).toEqual([adminKey.id]);
    expectError(await server.get("/v1/organizations/me", { key }), 403, "permission_error");
    // A rename is no role change: nothing suspended or resumed.
    const renamed = await server.patch(`/v1/users/${admin.id}`, { name: "Dev" });
    expect(renamed.body).toMatchObject({ suspended_admin_key_ids: [], resumed_admin_key_ids: [] });
  });
});
