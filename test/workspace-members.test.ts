import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createTestServer,
  describeEachBackend,
  expectError,
  type OrgFixture,
  type TestServer,
} from "./harness.js";
import { present } from "./support/narrow.js";

/** Every row a member request could write, to prove that a refused one wrote nothing. */
async function snapshot(server: TestServer) {
  const db = server.database.db;
  return {
    members: await db
      .selectFrom("workspace_members")
      .selectAll()
      .orderBy("workspace_id")
      .orderBy("user_id")
      .execute(),
    audit: await db.selectFrom("audit_events").selectAll().orderBy("seq").execute(),
  };
}

let userCounter = 0;

/** A member of the organization, joined the way a person joins: invite, then accept. */
async function addUser(server: TestServer, role = "developer", key?: string): Promise<string> {
  const email = `member${++userCounter}@example.com`;
  const invite = await server.post(
    "/v1/organizations/invites",
    { email, role },
    key === undefined ? {} : { key },
  );
  expect(invite.status).toBe(200);
  const accepted = await server.post(
    "/v1/invites/accept",
    { token: invite.body.token },
    { key: null },
  );
  expect(accepted.status).toBe(200);
  return accepted.body.id;
}

describeEachBackend("workspace members", (backend) => {
  let server: TestServer;
  let workspaceId: string;
  const members = (): `/v1/organizations/workspaces/${string}/members` =>
    `/v1/organizations/workspaces/${workspaceId}/members`;
  const audit = () => server.services.deps.store.read.audit.list(server.org.id);

  beforeAll(async () => {
    server = await createTestServer(backend);
    workspaceId = (await server.post("/v1/organizations/workspaces", { name: "Team" })).body.id;
  });
  afterAll(async () => {
    await server?.close();
  });

  describe("add", () => {
    it("should add a member and write an audit record", async () => {
      const userId = await addUser(server);
      const before = (await audit()).length;
      const { status, body } = await server.post(members(), {
        user_id: userId,
        workspace_role: "workspace_developer",
      });
      expect(status).toBe(200);
      expect(body).toEqual({
        type: "workspace_member",
        user_id: userId,
        workspace_id: workspaceId,
        workspace_role: "workspace_developer",
      });
      const records = (await audit()).slice(before);
      expect(records).toHaveLength(1);
      expect(records[0]).toMatchObject({
        action: "workspace_member.added",
        target_type: "workspace_member",
        target_id: `${workspaceId}/${userId}`,
        actor_type: "admin_key",
        actor_id: server.org.adminKeyId,
      });
      expect(JSON.parse(records[0]?.changes ?? "{}").after).toEqual(body);
    });

    it.each(["workspace_user", "workspace_admin", "workspace_restricted_developer"])(
      "should accept the assignable role %s",
      async (role) => {
        const userId = await addUser(server, "user");
        const { status, body } = await server.post(members(), {
          user_id: userId,
          workspace_role: role,
        });
        expect(status).toBe(200);
        expect(body.workspace_role).toBe(role);
      },
    );

    it("should refuse workspace_billing, which cannot be assigned, and write nothing", async () => {
      const userId = await addUser(server, "billing");
      const before = await snapshot(server);
      const error = expectError(
        await server.post(members(), { user_id: userId, workspace_role: "workspace_billing" }),
        400,
        "invalid_request_error",
      );
      expect(error.message).toMatch(/workspace_role/);
      expect(error.details?.error_code).toBe("workspace_role_not_assignable");
      expect(await snapshot(server)).toEqual(before);
    });

    it("should refuse a user who is already a member (already_member) and keep their role", async () => {
      const userId = await addUser(server);
      await server.post(members(), { user_id: userId, workspace_role: "workspace_user" });
      const before = await snapshot(server);
      const error = expectError(
        await server.post(members(), { user_id: userId, workspace_role: "workspace_admin" }),
        400,
        "invalid_request_error",
      );
      expect(error.details?.error_code).toBe("already_member");
      expect(await snapshot(server)).toEqual(before);
      expect((await server.get(`${members()}/${userId}`)).body.workspace_role).toBe(
        "workspace_user",
      );
    });

    it("should answer 404 for an unknown user, a removed user and another organization's user", async () => {
      const removed = await addUser(server);
      expect((await server.delete(`/v1/organizations/users/${removed}`)).status).toBe(200);
      const other = await server.createOrganization();
      const foreign = await addUser(server, "developer", other.adminKey);
      const before = await snapshot(server);
      for (const userId of ["user_01nobody", removed, foreign, other.ownerId]) {
        const error = expectError(
          await server.post(members(), { user_id: userId, workspace_role: "workspace_user" }),
          404,
          "not_found_error",
        );
        expect(error.message).toContain(userId);
      }
      expect(await snapshot(server)).toEqual(before);
    });

    it("should answer 404 for an unknown or foreign workspace", async () => {
      const userId = await addUser(server);
      const other = await server.createOrganization();
      const before = await snapshot(server);
      for (const ws of ["wrkspc_01nothing", other.defaultWorkspaceId]) {
        expectError(
          await server.post(`/v1/organizations/workspaces/${ws}/members`, {
            user_id: userId,
            workspace_role: "workspace_user",
          }),
          404,
          "not_found_error",
        );
      }
      expect(await snapshot(server)).toEqual(before);
    });

    it("should refuse new members in an archived workspace (workspace_archived)", async () => {
      const userId = await addUser(server);
      const ws = (await server.post("/v1/organizations/workspaces", { name: "Closed" })).body.id;
      await server.post(`/v1/organizations/workspaces/${ws}/archive`);
      const before = await snapshot(server);
      const error = expectError(
        await server.post(`/v1/organizations/workspaces/${ws}/members`, {
          user_id: userId,
          workspace_role: "workspace_user",
        }),
        400,
        "invalid_request_error",
      );
      expect(error.details?.error_code).toBe("workspace_archived");
      expect(await snapshot(server)).toEqual(before);
    });

    it.each([
      ["a missing user_id", { workspace_role: "workspace_user" }, /user_id/],
      ["a numeric user_id", { user_id: 42, workspace_role: "workspace_user" }, /user_id/],
      ["an empty user_id", { user_id: "", workspace_role: "workspace_user" }, /user_id/],
      ["a missing workspace_role", { user_id: "user_01x" }, /workspace_role/],
      [
        "an unknown role",
        { user_id: "user_01x", workspace_role: "workspace_owner" },
        /workspace_role/,
      ],
      ["an organization role", { user_id: "user_01x", workspace_role: "admin" }, /workspace_role/],
      [
        "an unknown field",
        { user_id: "user_01x", workspace_role: "workspace_user", role: "x" },
        /unknown field role/,
      ],
    ])("should refuse %s with a 400 and write nothing", async (_label, body, field) => {
      const before = await snapshot(server);
      const error = expectError(await server.post(members(), body), 400, "invalid_request_error");
      expect(error.message).toMatch(field);
      expect(await snapshot(server)).toEqual(before);
    });
  });

  describe("get", () => {
    it("should return a member, and 404 for a non-member, a removed user and a foreign workspace", async () => {
      const userId = await addUser(server);
      await server.post(members(), { user_id: userId, workspace_role: "workspace_admin" });
      const got = await server.get(`${members()}/${userId}`);
      expect(got.status).toBe(200);
      expect(got.body).toEqual({
        type: "workspace_member",
        user_id: userId,
        workspace_id: workspaceId,
        workspace_role: "workspace_admin",
      });

      const outsider = await addUser(server);
      expectError(await server.get(`${members()}/${outsider}`), 404, "not_found_error");
      expectError(await server.get(`${members()}/user_01nobody`), 404, "not_found_error");

      // Removing the user from the organization drops their memberships.
      await server.delete(`/v1/organizations/users/${userId}`);
      expectError(await server.get(`${members()}/${userId}`), 404, "not_found_error");

      const other = await server.createOrganization();
      expectError(
        await server.get(
          `/v1/organizations/workspaces/${other.defaultWorkspaceId}/members/${other.ownerId}`,
        ),
        404,
        "not_found_error",
      );
    });
  });

  describe("update", () => {
    let userId: string;
    beforeAll(async () => {
      userId = await addUser(server);
      await server.post(members(), { user_id: userId, workspace_role: "workspace_user" });
    });

    it("should change the role and write an audit record with before and after", async () => {
      const before = (await audit()).length;
      const { status, body } = await server.post(`${members()}/${userId}`, {
        workspace_role: "workspace_developer",
      });
      expect(status).toBe(200);
      expect(body).toEqual({
        type: "workspace_member",
        user_id: userId,
        workspace_id: workspaceId,
        workspace_role: "workspace_developer",
      });
      expect((await server.get(`${members()}/${userId}`)).body.workspace_role).toBe(
        "workspace_developer",
      );
      const records = (await audit()).slice(before);
      expect(records).toHaveLength(1);
      expect(records[0]).toMatchObject({
        action: "workspace_member.updated",
        target_id: `${workspaceId}/${userId}`,
      });
      const changes = JSON.parse(records[0]?.changes ?? "{}");
      expect(changes.before.workspace_role).toBe("workspace_user");
      expect(changes.after.workspace_role).toBe("workspace_developer");
    });

    it.each([
      ["workspace_billing", { workspace_role: "workspace_billing" }, /workspace_role/],
      ["an unknown role", { workspace_role: "superuser" }, /workspace_role/],
      ["a missing role", {}, /workspace_role/],
      ["a numeric role", { workspace_role: 3 }, /workspace_role/],
      [
        "an unknown field",
        { workspace_role: "workspace_admin", user_id: "x" },
        /unknown field user_id/,
      ],
    ])("should refuse %s with a 400 and write nothing", async (_label, body, field) => {
      const before = await snapshot(server);
      const error = expectError(
        await server.post(`${members()}/${userId}`, body),
        400,
        "invalid_request_error",
      );
      expect(error.message).toMatch(field);
      expect(await snapshot(server)).toEqual(before);
    });

    it("should answer 404 for a non-member and an unknown workspace", async () => {
      const outsider = await addUser(server);
      const before = await snapshot(server);
      expectError(
        await server.post(`${members()}/${outsider}`, { workspace_role: "workspace_admin" }),
        404,
        "not_found_error",
      );
      expectError(
        await server.post(`/v1/organizations/workspaces/wrkspc_01nothing/members/${userId}`, {
          workspace_role: "workspace_admin",
        }),
        404,
        "not_found_error",
      );
      expect(await snapshot(server)).toEqual(before);
    });

    it("should refuse role changes in an archived workspace (workspace_archived)", async () => {
      const ws = (await server.post("/v1/organizations/workspaces", { name: "Archived later" }))
        .body.id;
      await server.post(`/v1/organizations/workspaces/${ws}/members`, {
        user_id: userId,
        workspace_role: "workspace_user",
      });
      await server.post(`/v1/organizations/workspaces/${ws}/archive`);
      const before = await snapshot(server);
      const error = expectError(
        await server.post(`/v1/organizations/workspaces/${ws}/members/${userId}`, {
          workspace_role: "workspace_admin",
        }),
        400,
        "invalid_request_error",
      );
      expect(error.details?.error_code).toBe("workspace_archived");
      expect(await snapshot(server)).toEqual(before);
      // Existing memberships stay readable.
      expect(
        (await server.get(`/v1/organizations/workspaces/${ws}/members/${userId}`)).body
          .workspace_role,
      ).toBe("workspace_user");
    });
  });

  describe("remove", () => {
    it("should remove a member, write an audit record, and answer 404 the second time", async () => {
      const userId = await addUser(server);
      await server.post(members(), { user_id: userId, workspace_role: "workspace_user" });
      const before = (await audit()).length;
      const { status, body } = await server.delete(`${members()}/${userId}`);
      expect(status).toBe(200);
      expect(body).toEqual({
        type: "workspace_member_deleted",
        user_id: userId,
        workspace_id: workspaceId,
      });
      expectError(await server.get(`${members()}/${userId}`), 404, "not_found_error");
      const records = (await audit()).slice(before);
      expect(records).toHaveLength(1);
      expect(records[0]).toMatchObject({
        action: "workspace_member.removed",
        target_id: `${workspaceId}/${userId}`,
      });
      expect(JSON.parse(records[0]?.changes ?? "{}").before.workspace_role).toBe("workspace_user");

      const snap = await snapshot(server);
      expectError(await server.delete(`${members()}/${userId}`), 404, "not_found_error");
      expect(await snapshot(server)).toEqual(snap);
      // The user is still in the organization and can be added again.
      expect((await server.get(`/v1/organizations/users/${userId}`)).status).toBe(200);
      expect(
        (await server.post(members(), { user_id: userId, workspace_role: "workspace_admin" })).body
          .workspace_role,
      ).toBe("workspace_admin");
    });

    it("should answer 404 for an unknown workspace and for another organization's member", async () => {
      const other = await server.createOrganization();
      const theirUser = await addUser(server, "developer", other.adminKey);
      await server.post(
        `/v1/organizations/workspaces/${other.defaultWorkspaceId}/members`,
        { user_id: theirUser, workspace_role: "workspace_user" },
        { key: other.adminKey },
      );
      const before = await snapshot(server);
      expectError(
        await server.delete(`/v1/organizations/workspaces/wrkspc_01nothing/members/${theirUser}`),
        404,
        "not_found_error",
      );
      expectError(
        await server.delete(
          `/v1/organizations/workspaces/${other.defaultWorkspaceId}/members/${theirUser}`,
        ),
        404,
        "not_found_error",
      );
      expect(await snapshot(server)).toEqual(before);
      const theirs = await server.get(
        `/v1/organizations/workspaces/${other.defaultWorkspaceId}/members/${theirUser}`,
        { key: other.adminKey },
      );
      expect(theirs.status).toBe(200);
    });
  });

  describe("list", () => {
    let other: OrgFixture;
    let ws: string;
    let users: string[];
    const path = (): `/v1/organizations/workspaces/${string}/members` =>
      `/v1/organizations/workspaces/${ws}/members`;
    const list = (query: Record<string, string | number> = {}) =>
      server.get(path(), { key: other.adminKey, query });
    const userIds = (response: { body: { data: { user_id: string }[] } }) =>
      response.body.data.map((m) => m.user_id);

    beforeAll(async () => {
      other = await server.createOrganization("Members Org");
      ws = (
        await server.post(
          "/v1/organizations/workspaces",
          { name: "Listed" },
          { key: other.adminKey },
        )
      ).body.id;
      users = [];
      for (let i = 0; i < 5; i++) {
        const userId = await addUser(server, "developer", other.adminKey);
        await server.post(
          path(),
          { user_id: userId, workspace_role: i === 0 ? "workspace_admin" : "workspace_user" },
          { key: other.adminKey },
        );
        users.push(userId);
      }
      users.sort();
    });

    it("should list every member with the page envelope", async () => {
      const response = await list();
      expect(response.status).toBe(200);
      expect(userIds(response)).toEqual(users);
      expect(response.body).toMatchObject({
        has_more: false,
        first_id: users[0],
        last_id: users[4],
      });
      for (const member of response.body.data) {
        expect(member).toMatchObject({ type: "workspace_member", workspace_id: ws });
      }
    });

    it("should page forward with after_id and backward with before_id", async () => {
      const first = await list({ limit: 2 });
      expect(userIds(first)).toEqual(users.slice(0, 2));
      expect(first.body).toMatchObject({ has_more: true, first_id: users[0], last_id: users[1] });
      const second = await list({ limit: 2, after_id: present(first.body.last_id) });
      expect(userIds(second)).toEqual(users.slice(2, 4));
      expect(second.body.has_more).toBe(true);
      const third = await list({ limit: 2, after_id: present(second.body.last_id) });
      expect(userIds(third)).toEqual(users.slice(4));
      expect(third.body.has_more).toBe(false);
      const back = await list({ limit: 2, before_id: present(third.body.first_id) });
      expect(userIds(back)).toEqual(users.slice(2, 4));
      expect(back.body.has_more).toBe(true);
      const start = await list({ limit: 2, before_id: present(back.body.first_id) });
      expect(userIds(start)).toEqual(users.slice(0, 2));
      expect(start.body.has_more).toBe(false);
    });

    it("should list an empty workspace as an empty page", async () => {
      const empty = (
        await server.post(
          "/v1/organizations/workspaces",
          { name: "Empty" },
          { key: other.adminKey },
        )
      ).body.id;
      const response = await server.get(`/v1/organizations/workspaces/${empty}/members`, {
        key: other.adminKey,
      });
      expect(response.body).toEqual({ data: [], has_more: false, first_id: null, last_id: null });
    });

    it.each([
      ["limit=0", { limit: 0 }, /limit/],
      ["limit=1001", { limit: 1001 }, /limit/],
      ["limit=ten", { limit: "ten" }, /limit/],
      ["limit=-1", { limit: -1 }, /limit/],
    ])("should refuse %s with a 400", async (_label, query, field) => {
      const error = expectError(await list(query), 400, "invalid_request_error");
      expect(error.message).toMatch(field);
    });

    it("should refuse cursors that are not members of this workspace", async () => {
      const outsider = await addUser(server, "developer", other.adminKey);
      for (const query of [
        { after_id: "user_01nobody" },
        { before_id: outsider },
        { after_id: server.org.ownerId },
        { after_id: users[0] as string, before_id: users[2] as string },
      ]) {
        const error = expectError(await list(query), 400, "invalid_request_error");
        expect(error.details?.error_code).toBe("invalid_cursor");
      }
    });

    it("should answer 404 for an unknown workspace and another organization's workspace", async () => {
      expectError(
        await server.get("/v1/organizations/workspaces/wrkspc_01nothing/members"),
        404,
        "not_found_error",
      );
      expectError(await server.get(path()), 404, "not_found_error");
    });
  });
});
