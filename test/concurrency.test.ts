import { afterAll, beforeAll, expect, it } from "vitest";
import { operatorContext } from "../src/core/context.js";
import { createTestServer, describeEachBackend, errorOf, type TestServer } from "./harness.js";

/** Rules that read before they write must hold when requests race (PostgreSQL runs them in parallel). */
describeEachBackend("concurrent admin requests", (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await createTestServer(backend);
  });
  afterAll(async () => {
    await server?.close();
  });

  async function join(email: string, role: string): Promise<string> {
    const invite = await server.post("/v1/organizations/invites", { email, role });
    expect(invite.status).toBe(200);
    const user = await server.post(
      "/v1/invites/accept",
      { token: invite.body.token },
      { key: null },
    );
    expect(user.status).toBe(200);
    return user.body.id;
  }

  it("should never leave the organization without an owner", async () => {
    const second = await join("second-owner@example.com", "owner");
    // An organization-level key: the owner's own would act as a developer once their demotion
    // won, and be refused (403) for that rather than for the last owner.
    const { key } = await server.services.adminKeys.create(operatorContext(server.org.id), {
      name: "organization-level",
    });
    const results = await Promise.all([
      server.patch(`/v1/users/${server.org.ownerId}`, { role: "developer" }, { key }),
      server.patch(`/v1/users/${second}`, { role: "developer" }, { key }),
    ]);
    // The first owner's key may be suspended now: the organization-level key goes on.
    server.org.adminKey = key;
    expect(results.map((r) => r.status).sort()).toEqual([200, 400]);
    const owners = await server.get("/v1/organizations/users", { query: { roles: ["owner"] } });
    expect(owners.body.data).toHaveLength(1);
  });

  it("should create one pending invite when the same email is invited twice at once", async () => {
    const results = await Promise.all(
      Array.from({ length: 4 }, () =>
        server.post("/v1/users/invite", { email: "race@example.com", role: "developer" }),
      ),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    for (const refused of results.filter((r) => r.status !== 200)) {
      expect(errorOf(refused).details?.error_code).toBe("invite_already_exists");
    }
    const invites = await server.get("/v1/organizations/invites", {
      query: { email: "race@example.com" },
    });
    expect(invites.body.data).toHaveLength(1);
  });

  it("should let an invite token be accepted once when it is used twice at once", async () => {
    const invite = await server.post("/v1/organizations/invites", {
      email: "twice@example.com",
      role: "user",
    });
    const results = await Promise.all([
      server.post("/v1/invites/accept", { token: invite.body.token }, { key: null }),
      server.post("/v1/invites/accept", { token: invite.body.token }, { key: null }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 400]);
    const users = await server.get("/v1/organizations/users", {
      query: { email: "twice@example.com" },
    });
    expect(users.body.data).toHaveLength(1);
  });
});

describeEachBackend("concurrent writes that collide in the database", (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await createTestServer(backend);
  });
  afterAll(async () => {
    await server?.close();
  });

  it("should answer a lost race with a 409 or the rule's 400, never a 500", async () => {
    const workspace = await server.post("/v1/organizations/workspaces", { name: "Race" });
    const path = `/v1/organizations/workspaces/${workspace.body.id}/members` as const;
    const results = await Promise.all(
      Array.from({ length: 4 }, () =>
        server.post(path, { user_id: server.org.ownerId, workspace_role: "workspace_user" }),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.every((s) => s === 200 || s === 400 || s === 409)).toBe(true);
    const members = await server.get(path);
    expect(members.body.data).toHaveLength(1);
  });
});
