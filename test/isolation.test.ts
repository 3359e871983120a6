import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { IdKind } from "../src/core/ports.js";
import {
  type ApiResponse,
  createTestServer,
  describeEachBackend,
  errorOf,
  expectError,
  type OrgFixture,
  type TestServer,
} from "./harness.js";

/**
 * One organization's admin key must not reach another's objects: not by id, not through a filter,
 * not through a cursor. A foreign id must look exactly like an id that does not exist.
 */
describeEachBackend("organization isolation", (backend) => {
  let server: TestServer;
  let other: OrgFixture;
  // The first organization's objects.
  let member: any;
  let invite: any;
  let workspace: any;
  let apiKey: any;
  // The second organization's own workspace.
  let otherWorkspace: any;

  const asOther = () => ({ key: other.adminKey });
  const fresh = (kind: IdKind) => server.services.deps.ids.next(kind);

  beforeAll(async () => {
    server = await createTestServer(backend);
    other = await server.createOrganization("Other Corp");

    const invited = await server.post("/v1/organizations/invites", {
      email: "member@acme.example",
      role: "developer",
    });
    member = (await server.post("/v1/invites/accept", { token: invited.body.token }, { key: null }))
      .body;
    invite = (
      await server.post("/v1/users/invite", { email: "pending@acme.example", role: "billing" })
    ).body;
    workspace = (await server.post("/v1/organizations/workspaces", { name: "Acme Team" })).body;
    const added = await server.post(`/v1/organizations/workspaces/${workspace.id}/members`, {
      user_id: member.id,
      workspace_role: "workspace_developer",
    });
    expect(added.status).toBe(200);
    apiKey = (
      await server.post("/v1/api_keys", {
        name: "Acme key",
        workspace_id: workspace.id,
        user_id: member.id,
      })
    ).body;
    expect(apiKey.id).toMatch(/^apikey_/);
    otherWorkspace = (
      await server.post("/v1/organizations/workspaces", { name: "Other Team" }, asOther())
    ).body;
    expect(otherWorkspace.id).toMatch(/^wrkspc_/);
  });
  afterAll(async () => {
    await server?.close();
  });

  /** Everything of the first organization, read with its own key. */
  async function firstOrgState(): Promise<unknown> {
    const all = { query: { limit: 1000 } };
    const workspaces = await server.get("/v1/workspaces", {
      query: { limit: 1000, include_archived: true },
    });
    const members = await Promise.all(
      workspaces.body.data.map(
        async (w: any) =>
          (await server.get(`/v1/organizations/workspaces/${w.id}/members`, all)).body,
      ),
    );
    return {
      org: (await server.get("/v1/organizations")).body,
      users: (await server.get("/v1/organizations/users", all)).body,
      invites: (await server.get("/v1/organizations/invites", all)).body,
      keys: (await server.get("/v1/organizations/api_keys", all)).body,
      workspaces: workspaces.body,
      members,
      audit: (await server.services.deps.store.read.audit.list(server.org.id)).map((r) => r.id),
    };
  }

  async function auditCount(orgId: string): Promise<number> {
    return (await server.services.deps.store.read.audit.list(orgId)).length;
  }

  /** The foreign id's answer and a nonexistent id's answer must be the same 404. */
  function expectSameNotFound(
    foreign: ApiResponse,
    missing: ApiResponse,
    foreignId: string,
    missingId: string,
  ) {
    const foreignError = expectError(foreign, 404, "not_found_error");
    const missingError = expectError(missing, 404, "not_found_error");
    expect(foreign.status).toBe(missing.status);
    expect(errorOf(foreign).type).toBe(errorOf(missing).type);
    expect(foreignError.message.replaceAll(foreignId, "<id>")).toBe(
      missingError.message.replaceAll(missingId, "<id>"),
    );
    expect(foreignError.details).toEqual(missingError.details);
  }

  type Case = [
    label: string,
    kind: IdKind,
    foreignId: () => string,
    call: (id: string) => Promise<ApiResponse>,
  ];

  const cases: Case[] = [
    // Users, on both surfaces.
    [
      "GET /v1/users/:id",
      "user",
      () => member.id,
      (id) => server.get(`/v1/users/${id}`, asOther()),
    ],
    [
      "GET /v1/organizations/users/:id",
      "user",
      () => member.id,
      (id) => server.get(`/v1/organizations/users/${id}`, asOther()),
    ],
    [
      "PATCH /v1/users/:id",
      "user",
      () => member.id,
      (id) => server.patch(`/v1/users/${id}`, { role: "owner" }, asOther()),
    ],
    [
      "POST /v1/organizations/users/:id",
      "user",
      () => member.id,
      (id) =>
        server.post(
          `/v1/organizations/users/${id}`,
          { role: "owner", name: "Hijacked" },
          asOther(),
        ),
    ],
    [
      "PATCH /v1/users/:id (the owner)",
      "user",
      () => server.org.ownerId,
      (id) => server.patch(`/v1/users/${id}`, { role: "user" }, asOther()),
    ],
    [
      "DELETE /v1/users/:id",
      "user",
      () => member.id,
      (id) => server.delete(`/v1/users/${id}`, asOther()),
    ],
    [
      "DELETE /v1/organizations/users/:id",
      "user",
      () => member.id,
      (id) => server.delete(`/v1/organizations/users/${id}`, asOther()),
    ],
    // Invites.
    [
      "GET /v1/organizations/invites/:id",
      "invite",
      () => invite.id,
      (id) => server.get(`/v1/organizations/invites/${id}`, asOther()),
    ],
    [
      "DELETE /v1/organizations/invites/:id",
      "invite",
      () => invite.id,
      (id) => server.delete(`/v1/organizations/invites/${id}`, asOther()),
    ],
    // Workspaces, on both surfaces, the default one included.
    [
      "GET /v1/workspaces/:id",
      "workspace",
      () => workspace.id,
      (id) => server.get(`/v1/workspaces/${id}`, asOther()),
    ],
    [
      "GET /v1/workspaces/:id (default)",
      "workspace",
      () => server.org.defaultWorkspaceId,
      (id) => server.get(`/v1/workspaces/${id}`, asOther()),
    ],
    [
      "GET /v1/organizations/workspaces/:id",
      "workspace",
      () => workspace.id,
      (id) => server.get(`/v1/organizations/workspaces/${id}`, asOther()),
    ],
    [
      "PATCH /v1/workspaces/:id",
      "workspace",
      () => workspace.id,
      (id) => server.patch(`/v1/workspaces/${id}`, { name: "Taken" }, asOther()),
    ],
    [
      "POST /v1/organizations/workspaces/:id",
      "workspace",
      () => workspace.id,
      (id) => server.post(`/v1/organizations/workspaces/${id}`, { name: "Taken" }, asOther()),
    ],
    [
      "POST /v1/workspaces/:id/archive",
      "workspace",
      () => workspace.id,
      (id) => server.post(`/v1/workspaces/${id}/archive`, undefined, asOther()),
    ],
    [
      "POST /v1/organizations/workspaces/:id/archive",
      "workspace",
      () => workspace.id,
      (id) => server.post(`/v1/organizations/workspaces/${id}/archive`, undefined, asOther()),
    ],
    // Members of the first organization's workspace.
    [
      "GET /v1/organizations/workspaces/:id/members",
      "workspace",
      () => workspace.id,
      (id) => server.get(`/v1/organizations/workspaces/${id}/members`, asOther()),
    ],
    [
      "POST /v1/organizations/workspaces/:id/members",
      "workspace",
      () => workspace.id,
      (id) =>
        server.post(
          `/v1/organizations/workspaces/${id}/members`,
          { user_id: other.ownerId, workspace_role: "workspace_admin" },
          asOther(),
        ),
    ],
    [
      "GET /v1/organizations/workspaces/:id/members/:user_id",
      "workspace",
      () => workspace.id,
      (id) => server.get(`/v1/organizations/workspaces/${id}/members/${member.id}`, asOther()),
    ],
    [
      "POST /v1/organizations/workspaces/:id/members/:user_id",
      "workspace",
      () => workspace.id,
      (id) =>
        server.post(
          `/v1/organizations/workspaces/${id}/members/${member.id}`,
          { workspace_role: "workspace_admin" },
          asOther(),
        ),
    ],
    [
      "DELETE /v1/organizations/workspaces/:id/members/:user_id",
      "workspace",
      () => workspace.id,
      (id) => server.delete(`/v1/organizations/workspaces/${id}/members/${member.id}`, asOther()),
    ],
    // The first organization's member, in the second organization's own workspace.
    [
      "POST /v1/organizations/workspaces/:own/members with a foreign user",
      "user",
      () => member.id,
      (id) =>
        server.post(
          `/v1/organizations/workspaces/${otherWorkspace.id}/members`,
          { user_id: id, workspace_role: "workspace_user" },
          asOther(),
        ),
    ],
    [
      "GET /v1/organizations/workspaces/:own/members/:foreign_user",
      "user",
      () => member.id,
      (id) =>
        server.get(`/v1/organizations/workspaces/${otherWorkspace.id}/members/${id}`, asOther()),
    ],
    [
      "POST /v1/organizations/workspaces/:own/members/:foreign_user",
      "user",
      () => member.id,
      (id) =>
        server.post(
          `/v1/organizations/workspaces/${otherWorkspace.id}/members/${id}`,
          { workspace_role: "workspace_admin" },
          asOther(),
        ),
    ],
    [
      "DELETE /v1/organizations/workspaces/:own/members/:foreign_user",
      "user",
      () => member.id,
      (id) =>
        server.delete(`/v1/organizations/workspaces/${otherWorkspace.id}/members/${id}`, asOther()),
    ],
    // API keys, on both surfaces.
    [
      "GET /v1/api_keys/:id",
      "apiKey",
      () => apiKey.id,
      (id) => server.get(`/v1/api_keys/${id}`, asOther()),
    ],
    [
      "GET /v1/organizations/api_keys/:id",
      "apiKey",
      () => apiKey.id,
      (id) => server.get(`/v1/organizations/api_keys/${id}`, asOther()),
    ],
    [
      "PATCH /v1/api_keys/:id",
      "apiKey",
      () => apiKey.id,
      (id) => server.patch(`/v1/api_keys/${id}`, { name: "Taken" }, asOther()),
    ],
    [
      "POST /v1/organizations/api_keys/:id (archive)",
      "apiKey",
      () => apiKey.id,
      (id) => server.post(`/v1/organizations/api_keys/${id}`, { status: "archived" }, asOther()),
    ],
    [
      "DELETE /v1/api_keys/:id",
      "apiKey",
      () => apiKey.id,
      (id) => server.delete(`/v1/api_keys/${id}`, asOther()),
    ],
    [
      "POST /v1/api_keys in a foreign workspace",
      "workspace",
      () => workspace.id,
      (id) => server.post("/v1/api_keys", { name: "Planted", workspace_id: id }, asOther()),
    ],
    [
      "POST /v1/organizations/api_keys issued to a foreign user",
      "user",
      () => member.id,
      (id) =>
        server.post("/v1/organizations/api_keys", { name: "Planted", user_id: id }, asOther()),
    ],
  ];

  describe("reaching another organization's objects by id", () => {
    it.each(cases)(
      "should answer %s like a nonexistent id",
      async (_label, kind, foreignIdOf, call) => {
        const before = await firstOrgState();
        const otherAudit = await auditCount(other.id);
        const foreignId = foreignIdOf();
        const missingId = fresh(kind);
        expectSameNotFound(await call(foreignId), await call(missingId), foreignId, missingId);
        expect(await firstOrgState()).toEqual(before);
        expect(await auditCount(other.id)).toBe(otherAudit);
      },
    );

    it("should still serve the first organization's objects to its own key", async () => {
      expect((await server.get(`/v1/users/${member.id}`)).body.role).toBe("developer");
      expect((await server.get(`/v1/organizations/invites/${invite.id}`)).body.status).toBe(
        "pending",
      );
      expect((await server.get(`/v1/workspaces/${workspace.id}`)).body).toMatchObject({
        name: "Acme Team",
        archived_at: null,
      });
      expect(
        (await server.get(`/v1/organizations/workspaces/${workspace.id}/members/${member.id}`)).body
          .workspace_role,
      ).toBe("workspace_developer");
      expect((await server.get(`/v1/api_keys/${apiKey.id}`)).body).toMatchObject({
        name: "Acme key",
        status: "active",
      });
    });
  });

  describe("lists", () => {
    it("should list only the second organization's users", async () => {
      for (const path of ["/v1/users", "/v1/organizations/users"] as const) {
        const { status, body } = await server.get(path, { ...asOther(), query: { limit: 1000 } });
        expect(status).toBe(200);
        expect(body.data.map((u: any) => u.id)).toEqual([other.ownerId]);
      }
    });

    it("should list none of the first organization's invites", async () => {
      const { status, body } = await server.get("/v1/organizations/invites", {
        ...asOther(),
        query: { limit: 1000 },
      });
      expect(status).toBe(200);
      expect(body.data).toEqual([]);
    });

    it("should list only the second organization's workspaces on both surfaces", async () => {
      const seed = await server.get("/v1/workspaces", {
        ...asOther(),
        query: { limit: 1000, include_archived: true },
      });
      expect(seed.body.data.map((w: any) => w.id).sort()).toEqual(
        [other.defaultWorkspaceId, otherWorkspace.id].sort(),
      );
      const anthropic = await server.get("/v1/organizations/workspaces", {
        ...asOther(),
        query: { limit: 1000, include_archived: true, include_default: true },
      });
      expect(anthropic.body.data.map((w: any) => w.id).sort()).toEqual(
        [other.defaultWorkspaceId, otherWorkspace.id].sort(),
      );
    });

    it("should list none of the first organization's API keys", async () => {
      for (const path of ["/v1/api_keys", "/v1/organizations/api_keys"] as const) {
        const { status, body } = await server.get(path, { ...asOther(), query: { limit: 1000 } });
        expect(status).toBe(200);
        expect(body.data.map((k: any) => k.id)).not.toContain(apiKey.id);
        expect(body.data.every((k: any) => k.workspace_id !== workspace.id)).toBe(true);
      }
    });

    it.each([
      ["/v1/users", "email", () => member.email, () => "nobody@acme.example"],
      [
        "/v1/organizations/users",
        "email",
        () => member.email.toUpperCase(),
        () => "nobody@acme.example",
      ],
      ["/v1/organizations/invites", "email", () => invite.email, () => "nobody@acme.example"],
      ["/v1/api_keys", "workspace_id", () => workspace.id, () => "wrkspc_missing"],
      [
        "/v1/organizations/api_keys",
        "created_by_user_id",
        () => server.org.ownerId,
        () => "user_missing",
      ],
      ["/v1/organizations/api_keys", "workspace_id", () => workspace.id, () => "wrkspc_missing"],
    ])(
      "should answer %s?%s= with a foreign value like an unknown one",
      async (path, param, foreignOf, missingOf) => {
        const foreign = await server.get(path, { ...asOther(), query: { [param]: foreignOf() } });
        const missing = await server.get(path, { ...asOther(), query: { [param]: missingOf() } });
        expect(foreign.status).toBe(200);
        expect(foreign.body).toEqual({ data: [], has_more: false, first_id: null, last_id: null });
        expect(foreign.body).toEqual(missing.body);
      },
    );

    it("should answer a workspace ids filter with a foreign id like an unknown one", async () => {
      const foreign = await server.get("/v1/workspaces", {
        ...asOther(),
        query: { ids: [workspace.id] },
      });
      const missing = await server.get("/v1/workspaces", {
        ...asOther(),
        query: { ids: [fresh("workspace")] },
      });
      expect(foreign.status).toBe(missing.status);
      expect(foreign.body).toEqual(missing.body);
      if (foreign.status === 200) {
        expect(foreign.body.data).toEqual([]);
      }
    });
  });

  describe("cursors from another organization", () => {
    const cursorCases: [string, string, IdKind, () => string][] = [
      ["/v1/users", "user", "user", () => member.id],
      ["/v1/organizations/users", "user", "user", () => server.org.ownerId],
      ["/v1/organizations/invites", "invite", "invite", () => invite.id],
      ["/v1/workspaces", "workspace", "workspace", () => workspace.id],
      [
        "/v1/organizations/workspaces",
        "workspace",
        "workspace",
        () => server.org.defaultWorkspaceId,
      ],
      ["/v1/api_keys", "api key", "apiKey", () => apiKey.id],
      ["/v1/organizations/api_keys", "api key", "apiKey", () => apiKey.id],
    ];

    it.each(cursorCases)(
      "should refuse a foreign cursor on %s (%s) with a 400",
      async (path, _what, kind, cursorOf) => {
        for (const direction of ["after_id", "before_id"]) {
          const foreign = await server.get(path, {
            ...asOther(),
            query: { [direction]: cursorOf() },
          });
          const missing = await server.get(path, {
            ...asOther(),
            query: { [direction]: fresh(kind) },
          });
          const error = expectError(foreign, 400, "invalid_request_error");
          expect(error.details?.error_code).toBe("invalid_cursor");
          expect(missing.status).toBe(400);
          expect(errorOf(missing).details).toEqual(error.details);
        }
      },
    );

    it("should refuse a foreign member as a cursor on the second organization's own workspace", async () => {
      const path = `/v1/organizations/workspaces/${otherWorkspace.id}/members`;
      for (const direction of ["after_id", "before_id"]) {
        const error = expectError(
          await server.get(path, { ...asOther(), query: { [direction]: member.id } }),
          400,
          "invalid_request_error",
        );
        expect(error.details?.error_code).toBe("invalid_cursor");
      }
    });

    it("should accept the second organization's own cursors", async () => {
      const users = await server.get("/v1/organizations/users", {
        ...asOther(),
        query: { after_id: other.ownerId },
      });
      expect(users.status).toBe(200);
      expect(users.body.data).toEqual([]);
    });
  });

  describe("per-organization uniqueness", () => {
    it("should let the second organization invite an email that is a member of the first", async () => {
      const response = await server.post(
        "/v1/organizations/invites",
        { email: member.email.toUpperCase(), role: "user" },
        asOther(),
      );
      expect(response.status).toBe(200);
      const joined = await server.post(
        "/v1/invites/accept",
        { token: response.body.token },
        { key: null },
      );
      expect(joined.status).toBe(200);
      expect(joined.body.id).not.toBe(member.id);

      // Each organization sees its own member under that email, and only that one.
      const mine = await server.get("/v1/users", { query: { email: member.email } });
      expect(mine.body.data.map((u: any) => u.id)).toEqual([member.id]);
      const theirs = await server.get("/v1/users", {
        ...asOther(),
        query: { email: member.email },
      });
      expect(theirs.body.data.map((u: any) => u.id)).toEqual([joined.body.id]);
      const audit = await server.services.deps.store.read.audit.list(server.org.id);
      expect(audit.map((r) => r.target_id)).not.toContain(joined.body.id);
    });

    it("should let the second organization's admin key see its own objects and the first's stay hidden from it", async () => {
      const seen = await server.get(`/v1/users/${other.ownerId}`, asOther());
      expect(seen.status).toBe(200);
      expectError(await server.get(`/v1/users/${other.ownerId}`), 404, "not_found_error");
      expectError(await server.get(`/v1/workspaces/${otherWorkspace.id}`), 404, "not_found_error");
    });
  });
});
