import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAdminKeyIn } from "../src/core/admin-keys/admin-key.service.js";
import { operatorContext } from "../src/core/context.js";
import type { AuditEventRow } from "../src/core/records.js";
import { ADMIN_KEY_PREFIX } from "../src/core/secrets.js";
import {
  ask,
  expectApiError,
  failure,
  type GatewayEnv,
  startGatewayEnv,
} from "./gateway-support.js";
import {
  type ApiResponse,
  describeEachBackend,
  errorOf,
  expectError,
  type TestServer,
} from "./harness.js";
import { present } from "./support/narrow.js";

let emailCounter = 0;
function uniqueEmail(tag = "person"): string {
  return `${tag}-${++emailCounter}-${randomBytes(3).toString("hex")}@example.com`;
}

/** Every row onboarding or offboarding could touch, in a stable order: "nothing changed" is equality. */
async function snapshot(server: TestServer) {
  const db = server.database.db;
  const org = server.org.id;
  return {
    users: await db
      .selectFrom("users")
      .select(["id", "role", "removed_at"])
      .where("organization_id", "=", org)
      .orderBy("id")
      .execute(),
    invites: await db
      .selectFrom("invites")
      .select(["id", "accepted_at", "deleted_at"])
      .where("organization_id", "=", org)
      .orderBy("id")
      .execute(),
    apiKeys: await db
      .selectFrom("api_keys")
      .select(["id", "status", "owner_user_id"])
      .where("organization_id", "=", org)
      .orderBy("id")
      .execute(),
    adminKeys: await db
      .selectFrom("admin_keys")
      .select(["id", "revoked_at"])
      .where("organization_id", "=", org)
      .orderBy("id")
      .execute(),
    members: await db
      .selectFrom("workspace_members")
      .select(["workspace_id", "user_id", "workspace_role"])
      .where("organization_id", "=", org)
      .orderBy("workspace_id")
      .orderBy("user_id")
      .execute(),
    grants: await db
      .selectFrom("invite_grants")
      .selectAll()
      .where("organization_id", "=", org)
      .orderBy("invite_id")
      .orderBy("target_id")
      .execute(),
    audit: (await server.services.deps.store.read.audit.list(org)).length,
  };
}

async function auditOf(server: TestServer, response: ApiResponse): Promise<AuditEventRow[]> {
  const requestId = response.headers["request-id"];
  expect(requestId).toMatch(/^req_/);
  const all = await server.services.deps.store.read.audit.list(server.org.id);
  return all.filter((r) => r.request_id === requestId);
}

function ok<T extends ApiResponse>(response: T, what: string): T {
  if (response.status !== 200) {
    throw new Error(`${what}: ${response.status} ${JSON.stringify(response.body)}`);
  }
  return response;
}

describeEachBackend("onboarding and offboarding", (backend) => {
  let env: GatewayEnv;
  let server: TestServer;
  let workspaceA: string;
  let workspaceB: string;
  let archived: string;

  const newWorkspace = async (name: string): Promise<string> =>
    ok(await server.post("/v1/workspaces", { name }), "workspace").body.id;

  /** Invites and accepts through the basic endpoints. */
  const addMember = async (role = "developer"): Promise<{ id: string; email: string }> => {
    const email = uniqueEmail("member");
    const invite = ok(await server.post("/v1/users/invite", { email, role }), "invite");
    const user = ok(
      await server.post(
        "/v1/invites/accept",
        { token: invite.body.token, name: "Member" },
        { key: null },
      ),
      "accept",
    );
    return { id: user.body.id, email };
  };

  /** An admin key acting for `userId`, so that keys it creates are `created_by` them. */
  const adminKeyFor = async (userId: string): Promise<string> => {
    const secret = ADMIN_KEY_PREFIX + randomBytes(32).toString("base64url");
    await server.services.deps.store.transaction((repos) =>
      createAdminKeyIn(repos, server.services.deps, operatorContext(server.org.id), {
        name: `key of ${userId}`,
        secret,
        userId,
        expiresAt: null,
      }),
    );
    return secret;
  };

  const works = async (key: string): Promise<void> => {
    const message = await env.client(key).messages.create(ask());
    expect(message.type).toBe("message");
  };
  const refused = async (key: string): Promise<void> => {
    expectApiError(
      await failure(env.client(key).messages.create(ask())),
      401,
      "authentication_error",
    );
  };

  beforeAll(async () => {
    env = await startGatewayEnv(backend);
    server = env.server;
    workspaceA = await newWorkspace("Lifecycle A");
    workspaceB = await newWorkspace("Lifecycle B");
    archived = await newWorkspace("Lifecycle archived");
    ok(await server.post(`/v1/workspaces/${archived}/archive`), "archive");
  });
  afterAll(async () => {
    await env?.close();
  });

  describe("POST /v1/users/onboard", () => {
    it("should invite, grant pending memberships and issue a working key in one request", async () => {
      const email = uniqueEmail("newdev");
      const response = await server.post("/v1/users/onboard", {
        email,
        role: "developer",
        workspaces: [
          { workspace_id: workspaceA, workspace_role: "workspace_developer" },
          { workspace_id: workspaceB, workspace_role: "workspace_user" },
        ],
        api_key: { name: "New Dev - Payments", workspace_id: workspaceA, expires_at: null },
      });
      expect(response.status).toBe(200);
      const { invite, workspace_memberships } = response.body;
      const api_key = present(response.body.api_key, "the issued key");
      expect(response.body.type).toBe("user_onboarded");
      expect(invite).toMatchObject({ type: "invite", email, role: "developer", status: "pending" });
      expect(invite.token).toMatch(/^stw-invite01-/);
      expect(workspace_memberships).toEqual([
        {
          type: "pending_workspace_member",
          invite_id: invite.id,
          workspace_id: workspaceA,
          workspace_role: "workspace_developer",
        },
        {
          type: "pending_workspace_member",
          invite_id: invite.id,
          workspace_id: workspaceB,
          workspace_role: "workspace_user",
        },
      ]);
      expect(api_key).toMatchObject({
        type: "api_key",
        name: "New Dev - Payments",
        status: "active",
        workspace_id: workspaceA,
        created_by: { id: server.org.ownerId, type: "user" },
        principal: null,
      });
      expect(api_key.key).toMatch(/^sk-ant-api03-/);

      // The key is shown once, works at the gateway at once, and is nowhere else in clear.
      const read = ok(await server.get(`/v1/api_keys/${api_key.id}`), "get key");
      // The key is not in the contract's ApiKey: read as plain JSON, to show it is not there.
      expect((read.body as { key?: unknown }).key).toBeUndefined();
      await works(api_key.key);

      const records = await auditOf(server, response);
      expect(records.map((r) => r.action)).toEqual([
        "invite.created",
        "workspace_member.invited",
        "workspace_member.invited",
        "api_key.created",
        "user.onboarded",
      ]);
      for (const record of records) {
        expect(record.changes).not.toContain(api_key.key);
        expect(record.changes).not.toContain(invite.token);
      }
      const summary = JSON.parse(records.at(-1)?.changes ?? "{}").after;
      expect(summary).toMatchObject({
        invite_id: invite.id,
        email,
        api_key_id: api_key.id,
        workspace_memberships: [
          { workspace_id: workspaceA, workspace_role: "workspace_developer" },
          { workspace_id: workspaceB, workspace_role: "workspace_user" },
        ],
      });

      // No member yet; on accepting, the memberships take effect and the key becomes theirs.
      const users = ok(await server.get("/v1/users", { query: { email } }), "users").body;
      expect(users.data).toEqual([]);
      const accepted = await server.post(
        "/v1/invites/accept",
        { token: invite.token, name: "New Dev" },
        { key: null },
      );
      expect(accepted.status).toBe(200);
      const userId = accepted.body.id;
      for (const [workspaceId, role] of [
        [workspaceA, "workspace_developer"],
        [workspaceB, "workspace_user"],
      ]) {
        const member = await server.get(
          `/v1/organizations/workspaces/${workspaceId}/members/${userId}`,
        );
        expect(member.body).toEqual({
          type: "workspace_member",
          user_id: userId,
          workspace_id: workspaceId,
          workspace_role: role,
        });
      }
      const owned = ok(await server.get(`/v1/api_keys/${api_key.id}`), "get key").body;
      expect(owned.principal).toEqual({ type: "user_actor", user_id: userId });
      expect(owned.created_by?.id).toBe(server.org.ownerId);
      expect((await auditOf(server, accepted)).map((r) => r.action)).toEqual([
        "invite.accepted",
        "user.created",
        "workspace_member.added",
        "workspace_member.added",
        "api_key.updated",
      ]);
      await works(api_key.key);

      // Offboarding the new member revokes the key they were issued, at the gateway at once.
      const off = ok(await server.post(`/v1/users/${userId}/offboard`), "offboard").body;
      expect(off.revoked_api_key_ids).toEqual([api_key.id]);
      expect(off.removed_workspace_memberships).toHaveLength(2);
      await refused(api_key.key);
    });

    it("should take the bare invite on the Anthropic path, with no memberships and no key", async () => {
      const email = uniqueEmail("bare");
      const response = await server.post("/v1/organizations/users/onboard", {
        email,
        role: "billing",
      });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        type: "user_onboarded",
        invite: { email, role: "billing", status: "pending" },
        workspace_memberships: [],
        api_key: null,
      });
      expect((await auditOf(server, response)).map((r) => r.action)).toEqual([
        "invite.created",
        "user.onboarded",
      ]);
    });

    it("should put the key in the default workspace when api_key names none", async () => {
      const response = await server.post("/v1/users/onboard", {
        email: uniqueEmail("default"),
        role: "user",
        api_key: { name: "default workspace key" },
      });
      expect(response.status).toBe(200);
      expect(response.body.api_key?.workspace_id).toBe(server.org.defaultWorkspaceId);
    });

    describe("refusals leave nothing written", () => {
      const cases: Array<{
        name: string;
        body: () => Promise<Record<string, unknown>>;
        status: number;
        type: string;
        code?: string;
        message?: RegExp;
      }> = [
        {
          name: "an email that is already a member",
          body: async () => ({ email: (await addMember()).email, role: "developer" }),
          status: 400,
          type: "invalid_request_error",
          code: "already_member",
        },
        {
          name: "an email with a pending invite (whatever its case)",
          body: async () => {
            const email = uniqueEmail("pending");
            ok(await server.post("/v1/users/invite", { email, role: "developer" }), "invite");
            return {
              email: email.toUpperCase(),
              role: "developer",
              workspaces: [{ workspace_id: workspaceA, workspace_role: "workspace_user" }],
              api_key: { name: "k", workspace_id: workspaceA },
            };
          },
          status: 400,
          type: "invalid_request_error",
          code: "invite_already_exists",
        },
        {
          name: "an unknown workspace",
          body: async () => ({
            email: uniqueEmail(),
            role: "developer",
            workspaces: [
              { workspace_id: workspaceA, workspace_role: "workspace_user" },
              { workspace_id: "wrkspc_nope", workspace_role: "workspace_user" },
            ],
          }),
          status: 404,
          type: "not_found_error",
          message: /workspace "wrkspc_nope" not found/,
        },
        {
          name: "another organization's workspace",
          body: async () => {
            const other = await server.createOrganization();
            return {
              email: uniqueEmail(),
              role: "developer",
              workspaces: [
                { workspace_id: other.defaultWorkspaceId, workspace_role: "workspace_user" },
              ],
            };
          },
          status: 404,
          type: "not_found_error",
        },
        {
          name: "an archived workspace to join",
          body: async () => ({
            email: uniqueEmail(),
            role: "developer",
            workspaces: [{ workspace_id: archived, workspace_role: "workspace_user" }],
          }),
          status: 400,
          type: "invalid_request_error",
          code: "workspace_archived",
        },
        {
          name: "a key in an unknown workspace (after the invite was written)",
          body: async () => ({
            email: uniqueEmail(),
            role: "developer",
            workspaces: [{ workspace_id: workspaceA, workspace_role: "workspace_user" }],
            api_key: { name: "k", workspace_id: "wrkspc_missing" },
          }),
          status: 404,
          type: "not_found_error",
        },
        {
          name: "a key in an archived workspace (after the invite was written)",
          body: async () => ({
            email: uniqueEmail(),
            role: "developer",
            workspaces: [{ workspace_id: workspaceA, workspace_role: "workspace_user" }],
            api_key: { name: "k", workspace_id: archived },
          }),
          status: 400,
          type: "invalid_request_error",
          code: "workspace_archived",
        },
        {
          name: "a key expiring in the past",
          body: async () => ({
            email: uniqueEmail(),
            role: "developer",
            api_key: { name: "k", expires_at: "2020-01-01T00:00:00Z" },
          }),
          status: 400,
          type: "invalid_request_error",
          message: /expires_at/,
        },
        {
          name: "a workspace listed twice",
          body: async () => ({
            email: uniqueEmail(),
            role: "developer",
            workspaces: [
              { workspace_id: workspaceA, workspace_role: "workspace_user" },
              { workspace_id: workspaceA, workspace_role: "workspace_admin" },
            ],
          }),
          status: 400,
          type: "invalid_request_error",
          message: /workspaces\[1\]\.workspace_id|workspaces\.1\.workspace_id|listed twice/,
        },
        {
          name: "the workspace_billing role",
          body: async () => ({
            email: uniqueEmail(),
            role: "developer",
            workspaces: [{ workspace_id: workspaceA, workspace_role: "workspace_billing" }],
          }),
          status: 400,
          type: "invalid_request_error",
          code: "workspace_role_not_assignable",
        },
        {
          name: "a principal in api_key (the invitee is the principal)",
          body: async () => ({
            email: uniqueEmail(),
            role: "developer",
            api_key: { name: "k", user_id: server.org.ownerId },
          }),
          status: 400,
          type: "invalid_request_error",
        },
        {
          name: "an invalid email",
          body: async () => ({ email: "not-an-email", role: "developer" }),
          status: 400,
          type: "invalid_request_error",
        },
        {
          name: "an unknown role",
          body: async () => ({ email: uniqueEmail(), role: "superuser" }),
          status: 400,
          type: "invalid_request_error",
        },
        {
          name: "an unknown field",
          body: async () => ({ email: uniqueEmail(), role: "developer", team: "Payments" }),
          status: 400,
          type: "invalid_request_error",
        },
      ];
      it.each(cases)("should refuse $name", async (c) => {
        const body = await c.body();
        const before = await snapshot(server);
        const response = await server.post("/v1/users/onboard", body);
        const error = expectError(response, c.status, c.type);
        if (c.code !== undefined) {
          expect(error.details?.error_code).toBe(c.code);
        }
        if (c.message !== undefined) {
          expect(error.message).toMatch(c.message);
        }
        expect(await snapshot(server)).toEqual(before);
      });
    });

    it("should answer the same errors as the basic endpoints", async () => {
      const email = (await addMember()).email;
      const basic = await server.post("/v1/users/invite", { email, role: "developer" });
      const onboard = await server.post("/v1/users/onboard", { email, role: "developer" });
      expect(onboard.status).toBe(basic.status);
      expect(errorOf(onboard)).toEqual(errorOf(basic));

      const key = await server.post("/v1/api_keys", { name: "k", workspace_id: archived });
      const onboardKey = await server.post("/v1/users/onboard", {
        email: uniqueEmail(),
        role: "developer",
        api_key: { name: "k", workspace_id: archived },
      });
      expect(errorOf(onboardKey)).toEqual(errorOf(key));

      const member = await server.post(`/v1/organizations/workspaces/${archived}/members`, {
        user_id: server.org.ownerId,
        workspace_role: "workspace_user",
      });
      const onboardMember = await server.post("/v1/users/onboard", {
        email: uniqueEmail(),
        role: "developer",
        workspaces: [{ workspace_id: archived, workspace_role: "workspace_user" }],
      });
      expect(errorOf(onboardMember)).toEqual(errorOf(member));
    });

    it("should revoke the invitee's key when their invite is deleted before they join", async () => {
      const response = ok(
        await server.post("/v1/users/onboard", {
          email: uniqueEmail("cancelled"),
          role: "developer",
          workspaces: [{ workspace_id: workspaceA, workspace_role: "workspace_user" }],
          api_key: { name: "never used", workspace_id: workspaceA },
        }),
        "onboard",
      ).body;
      const issued = present(response.api_key, "the issued key");
      await works(issued.key);
      const deleted = await server.delete(`/v1/organizations/invites/${response.invite.id}`);
      expect(deleted.status).toBe(200);
      await refused(issued.key);
      const key = ok(await server.get(`/v1/api_keys/${issued.id}`), "key").body;
      expect(key.status).toBe("archived");
      expect((await auditOf(server, deleted)).map((r) => r.action)).toEqual([
        "invite.deleted",
        "api_key.revoked",
      ]);
      const accept = await server.post(
        "/v1/invites/accept",
        { token: response.invite.token },
        { key: null },
      );
      expect(errorOf(accept).details?.error_code).toBe("invite_not_pending");
    });

    it("should skip a granted workspace archived before the invitee joins", async () => {
      const later = await newWorkspace("Archived later");
      const response = ok(
        await server.post("/v1/users/onboard", {
          email: uniqueEmail("late"),
          role: "developer",
          workspaces: [
            { workspace_id: later, workspace_role: "workspace_admin" },
            { workspace_id: workspaceB, workspace_role: "workspace_admin" },
          ],
        }),
        "onboard",
      ).body;
      ok(await server.post(`/v1/workspaces/${later}/archive`), "archive");
      const user = ok(
        await server.post("/v1/invites/accept", { token: response.invite.token }, { key: null }),
        "accept",
      ).body;
      expect(
        (await server.get(`/v1/organizations/workspaces/${later}/members/${user.id}`)).status,
      ).toBe(404);
      expect(
        (await server.get(`/v1/organizations/workspaces/${workspaceB}/members/${user.id}`)).body
          .workspace_role,
      ).toBe("workspace_admin");
    });
  });

  describe("POST /v1/users/{user_id}/offboard", () => {
    /**
     * A member with everything offboarding must undo: two workspaces, a key issued to them, a key
     * they created with their own admin key, one they created and already revoked, their admin
     * key, and a pending invite for their email (as imported data could leave). Plus a key of
     * someone else that must survive.
     */
    const setUp = async () => {
      // An admin: only admins and owners may hold admin keys.
      const user = await addMember("admin");
      for (const [ws, role] of [
        [workspaceA, "workspace_developer"],
        [workspaceB, "workspace_admin"],
      ]) {
        ok(
          await server.post(`/v1/organizations/workspaces/${ws}/members`, {
            user_id: user.id,
            workspace_role: role,
          }),
          "add member",
        );
      }
      const issued = ok(
        await server.post("/v1/api_keys", {
          name: "issued",
          workspace_id: workspaceA,
          user_id: user.id,
        }),
        "issued key",
      ).body;
      const adminKey = await adminKeyFor(user.id);
      const created = ok(
        await server.post(
          "/v1/api_keys",
          { name: "created", workspace_id: workspaceB },
          { key: adminKey },
        ),
        "created key",
      ).body;
      const old = ok(
        await server.post("/v1/api_keys", { name: "old" }, { key: adminKey }),
        "old key",
      ).body;
      ok(await server.delete(`/v1/api_keys/${old.id}`), "revoke old");
      const bystander = ok(
        await server.post("/v1/api_keys", { name: "bystander", workspace_id: workspaceA }),
        "bystander key",
      ).body;
      const inviteId = server.services.deps.ids.next("invite");
      const now = server.services.deps.clock.now();
      await server.services.deps.store.transaction((repos) =>
        repos.invites.insert({
          id: inviteId,
          organization_id: server.org.id,
          email: user.email,
          email_lower: user.email.toLowerCase(),
          role: "admin",
          token_hash: randomBytes(32).toString("hex"),
          invited_at: now.toISOString(),
          expires_at: new Date(now.getTime() + 86_400_000).toISOString(),
          accepted_at: null,
          accepted_user_id: null,
          deleted_at: null,
        }),
      );
      return { user, issued, created, old, bystander, adminKey, inviteId };
    };
    type Fixture = Awaited<ReturnType<typeof setUp>>;

    /** What is left of a fixture, in terms that do not depend on ids. */
    const endState = async (f: Fixture) => {
      const keyStatus = async (id: string) =>
        ok(await server.get(`/v1/api_keys/${id}`), "key").body.status;
      const memberships = await server.database.db
        .selectFrom("workspace_members")
        .selectAll()
        .where("user_id", "=", f.user.id)
        .execute();
      const users = ok(await server.get("/v1/users", { query: { limit: 1000 } }), "users").body;
      const invite = ok(await server.get(`/v1/organizations/invites/${f.inviteId}`), "invite").body;
      return {
        user: (await server.get(`/v1/users/${f.user.id}`)).status,
        listed: users.data.some((u: { id: string }) => u.id === f.user.id),
        memberships: memberships.length,
        keys: {
          issued: await keyStatus(f.issued.id),
          created: await keyStatus(f.created.id),
          old: await keyStatus(f.old.id),
          bystander: await keyStatus(f.bystander.id),
        },
        adminKey: (await server.get("/v1/organizations/me", { key: f.adminKey })).status,
        invite: invite.status,
      };
    };

    it("should end where the seed's client-side flow through the basic endpoints ends", async () => {
      const mine = await setUp();
      const twin = await setUp();
      await works(mine.issued.key);
      await works(mine.created.key);

      const response = await server.post(`/v1/users/${mine.user.id}/offboard`);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        id: mine.user.id,
        type: "user_offboarded",
        deleted: true,
        user: { id: mine.user.id, email: mine.user.email, role: "admin" },
        revoked_api_key_ids: [mine.issued.id, mine.created.id].sort(),
        cancelled_invite_ids: [mine.inviteId],
      });
      expect(response.body.revoked_admin_key_ids).toHaveLength(1);
      expect(
        response.body.removed_workspace_memberships.map(
          (m: { workspace_id: string; workspace_role: string }) => [
            m.workspace_id,
            m.workspace_role,
          ],
        ),
      ).toEqual(
        expect.arrayContaining([
          [workspaceA, "workspace_developer"],
          [workspaceB, "workspace_admin"],
        ]),
      );
      // Revocations are in force at the gateway by the time the response arrives.
      await refused(mine.issued.key);
      await refused(mine.created.key);
      await works(mine.bystander.key);

      // The twin, the seed's UserLifecycleManager.offboard_developer way: revoke the keys whose
      // created_by is the user, cancel the pending invite, then DELETE the user.
      let after: string | undefined;
      const keys: Array<{ id: string; created_by: { id: string } | null }> = [];
      for (;;) {
        const page = ok(
          await server.get("/v1/api_keys", {
            query: { limit: 100, ...(after !== undefined && { after_id: after }) },
          }),
          "list keys",
        ).body;
        keys.push(...page.data);
        if (!page.has_more) {
          break;
        }
        after = present(page.last_id, "a cursor");
      }
      for (const key of keys.filter((k) => k.created_by?.id === twin.user.id)) {
        ok(await server.delete(`/v1/api_keys/${key.id}`), "revoke");
      }
      const pending = ok(
        await server.get("/v1/organizations/invites", {
          query: { email: twin.user.email, statuses: ["pending"] },
        }),
        "invites",
      ).body.data;
      for (const invite of pending) {
        ok(await server.delete(`/v1/organizations/invites/${invite.id}`), "cancel invite");
      }
      const removal = ok(await server.delete(`/v1/users/${twin.user.id}`), "remove").body;
      expect(removal.deleted).toBe(true);

      const mineEnd = await endState(mine);
      expect(mineEnd).toEqual(await endState(twin));
      expect(mineEnd).toEqual({
        user: 404,
        listed: false,
        memberships: 0,
        keys: { issued: "archived", created: "archived", old: "archived", bystander: "active" },
        adminKey: 401,
        invite: "deleted",
      });
      await refused(twin.issued.key);
      await refused(twin.created.key);
    });

    it("should audit every change and the offboarding itself", async () => {
      const f = await setUp();
      const response = ok(
        await server.post(`/v1/organizations/users/${f.user.id}/offboard`),
        "offboard",
      );
      const records = await auditOf(server, response);
      const actions = records.map((r) => r.action);
      expect(actions).toEqual([
        "invite.deleted",
        "api_key.revoked",
        "api_key.revoked",
        "workspace_member.removed",
        "workspace_member.removed",
        "admin_key.revoked",
        "user.removed",
        "user.offboarded",
      ]);
      const revoked = records.filter((r) => r.action === "api_key.revoked");
      expect(revoked.map((r) => r.target_id).sort()).toEqual([f.issued.id, f.created.id].sort());
      for (const record of revoked) {
        expect(JSON.parse(record.changes).after).toMatchObject({
          status: "archived",
          reason: "user_offboarded",
          user_id: f.user.id,
        });
      }
      const last = records.at(-1);
      expect(last).toMatchObject({ target_type: "user", target_id: f.user.id });
      expect(JSON.parse(last?.changes ?? "{}").after).toMatchObject({
        revoked_api_key_ids: [f.issued.id, f.created.id].sort(),
        cancelled_invite_ids: [f.inviteId],
      });
      for (const record of records) {
        expect(record.actor_type).toBe("admin_key");
        expect(record.actor_id).toBe(server.org.adminKeyId);
      }
    });

    describe("dry run", () => {
      it("should answer exactly what the offboarding that follows does, changing nothing", async () => {
        const f = await setUp();
        const before = await snapshot(server);
        const idempotencyRows = async () =>
          (await server.database.db.selectFrom("idempotency_keys").select("key_hash").execute())
            .length;
        const keysRecorded = await idempotencyRows();
        const preview = ok(
          await server.post(
            `/v1/organizations/users/${f.user.id}/offboard`,
            { dry_run: true },
            { headers: { "idempotency-key": `dry-${f.user.id}` } },
          ),
          "dry run",
        ).body;
        expect(preview).toMatchObject({ deleted: false, dry_run: true });
        expect(preview.revoked_api_key_ids).toEqual([f.issued.id, f.created.id].sort());
        expect(preview.revoked_admin_key_ids).toHaveLength(1);
        expect(preview.cancelled_invite_ids).toEqual([f.inviteId]);
        // Nothing written: no row, no audit record, no Idempotency-Key record; keys still work.
        expect(await snapshot(server)).toEqual(before);
        expect(await idempotencyRows()).toBe(keysRecorded);
        await works(f.issued.key);
        await works(f.created.key);
        expect((await server.get("/v1/organizations/me", { key: f.adminKey })).status).toBe(200);

        const real = ok(
          await server.post(`/v1/organizations/users/${f.user.id}/offboard`, {
            dry_run: false,
          }),
          "offboard",
        ).body;
        const { deleted, dry_run, ...previewed } = preview;
        expect({ ...previewed, deleted: true }).toEqual(real);
        expect(real.dry_run).toBeUndefined();
        await refused(f.issued.key);
      });

      it("should refuse as the real offboarding does, changing nothing", async () => {
        const before = await snapshot(server);
        expectError(
          await server.post("/v1/users/user_01NOBODY/offboard", { dry_run: true }),
          404,
          "not_found_error",
        );
        const error = expectError(
          await server.post(`/v1/users/${server.org.ownerId}/offboard`, { dry_run: true }),
          400,
          "invalid_request_error",
        );
        expect(error.details?.error_code).toBe("cannot_remove_last_member");
        const bad = expectError(
          await server.post(`/v1/users/${server.org.ownerId}/offboard`, { dry_run: "yes" }),
          400,
          "invalid_request_error",
        );
        expect(bad.message).toMatch(/dry_run/);
        expect(await snapshot(server)).toEqual(before);
      });
    });

    describe("refusals change nothing", () => {
      it("should answer 404 for an unknown user", async () => {
        const before = await snapshot(server);
        const response = await server.post("/v1/users/user_01NOBODY/offboard");
        expect(expectError(response, 404, "not_found_error").message).toMatch(/not found/);
        expect(await snapshot(server)).toEqual(before);
      });

      it("should answer 404 for another organization's user, as for an unknown one", async () => {
        const other = await server.createOrganization();
        const before = await snapshot(server);
        const response = await server.post(`/v1/users/${other.ownerId}/offboard`);
        expect(expectError(response, 404, "not_found_error").message).toBe(
          `user ${JSON.stringify(other.ownerId)} not found`,
        );
        expect(await snapshot(server)).toEqual(before);
      });

      it("should refuse the last owner with cannot_remove_last_member", async () => {
        const before = await snapshot(server);
        for (const path of [
          `/v1/users/${server.org.ownerId}/offboard`,
          `/v1/organizations/users/${server.org.ownerId}/offboard`,
        ]) {
          const error = expectError(await server.post(path), 400, "invalid_request_error");
          expect(error.details?.error_code).toBe("cannot_remove_last_member");
        }
        expect(await snapshot(server)).toEqual(before);
      });

      it("should offboard an owner when another owner remains", async () => {
        const second = await addMember("owner");
        const response = await server.post(`/v1/users/${second.id}/offboard`);
        expect(response.status).toBe(200);
        expect(response.body.user.role).toBe("owner");
      });

      it("should say so for a user already removed, changing nothing", async () => {
        const f = await setUp();
        ok(await server.post(`/v1/users/${f.user.id}/offboard`), "offboard");
        const before = await snapshot(server);
        for (const path of [`/v1/users/${f.user.id}/offboard`]) {
          const error = expectError(await server.post(path), 404, "not_found_error");
          expect(error.message).toMatch(/already removed/);
        }
        const removedByDelete = await addMember();
        ok(await server.delete(`/v1/users/${removedByDelete.id}`), "remove");
        const middle = await snapshot(server);
        const error = expectError(
          await server.post(`/v1/organizations/users/${removedByDelete.id}/offboard`),
          404,
          "not_found_error",
        );
        expect(error.message).toMatch(/already removed/);
        expect(await snapshot(server)).toEqual(middle);
        expect(middle.audit).toBeGreaterThan(before.audit);
      });
    });
  });

  it("should document both operations in /openapi.json", async () => {
    // The OpenAPI document describes the contract and is not part of it.
    const doc = ok(await server.get("/openapi.json", { key: null }), "openapi").body as {
      paths: Record<string, { post?: unknown } | undefined>;
    };
    for (const path of [
      "/v1/users/onboard",
      "/v1/organizations/users/onboard",
      "/v1/users/{user_id}/offboard",
      "/v1/organizations/users/{user_id}/offboard",
    ]) {
      expect(doc.paths[path]?.post, path).toBeDefined();
    }
  });
});
