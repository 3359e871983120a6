import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAdminKeyIn } from "../src/core/admin-keys/admin-key.service.js";
import { operatorContext } from "../src/core/context.js";
import type { AuditEventRow } from "../src/core/records.js";
import { ADMIN_KEY_PREFIX, hashSecret } from "../src/core/secrets.js";
import {
  type AnswerTo,
  type ApiResponse,
  createTestServer,
  describeEachBackend,
  expectError,
  type RequestOptions,
  type TestServer,
} from "./harness.js";
import { present } from "./support/narrow.js";

/** The two paths to the same members: the seed chapter's and Anthropic's. */
interface Surface {
  name: "seed" | "anthropic";
  list: "/v1/users" | "/v1/organizations/users";
  one: (id: string) => `/v1/users/${string}` | `/v1/organizations/users/${string}`;
  update: (
    server: TestServer,
    id: string,
    body: unknown,
    options?: RequestOptions,
  ) => Promise<ApiResponse<AnswerTo<"patch", `/v1/users/${string}`>>>;
  invite: "/v1/users/invite" | "/v1/organizations/invites";
}

const SEED: Surface = {
  name: "seed",
  list: "/v1/users",
  one: (id) => `/v1/users/${id}`,
  update: (server, id, body, options) => server.patch(`/v1/users/${id}`, body, options),
  invite: "/v1/users/invite",
};

const ANTHROPIC: Surface = {
  name: "anthropic",
  list: "/v1/organizations/users",
  one: (id) => `/v1/organizations/users/${id}`,
  update: (server, id, body, options) =>
    server.post(`/v1/organizations/users/${id}`, body, options),
  invite: "/v1/organizations/invites",
};

const SURFACES = [SEED, ANTHROPIC];

const ROLES = ["owner", "admin", "developer", "billing", "user", "claude_code_user"] as const;

let emailCounter = 0;
function uniqueEmail(tag = "member"): string {
  return `${tag}-${++emailCounter}-${randomBytes(3).toString("hex")}@example.com`;
}

/** Invites a person and accepts the invite: the only way a member joins. */
async function addMember(
  server: TestServer,
  options: { email?: string; role?: string; name?: string; key?: string } = {},
) {
  const email = options.email ?? uniqueEmail();
  const invite = await server.post(
    "/v1/organizations/invites",
    { email, role: options.role ?? "developer" },
    options.key === undefined ? {} : { key: options.key },
  );
  expect(invite.status).toBe(200);
  const accepted = await server.post(
    "/v1/invites/accept",
    { token: invite.body.token, name: options.name ?? "Member" },
    { key: null },
  );
  expect(accepted.status).toBe(200);
  return accepted.body;
}

function auditRecords(
  server: TestServer,
  organizationId = server.org.id,
): Promise<AuditEventRow[]> {
  return server.services.deps.store.read.audit.list(organizationId);
}

/** The audit records one request wrote, found by its request-id header. */
async function auditOf(
  server: TestServer,
  response: ApiResponse<unknown>,
): Promise<AuditEventRow[]> {
  const requestId = response.headers["request-id"];
  expect(requestId).toMatch(/^req_/);
  return (await auditRecords(server)).filter((r) => r.request_id === requestId);
}

/** Exactly one record of `action` for `targetId`, by the first organization's admin key; its changes. */
function expectMainRecord(
  server: TestServer,
  records: AuditEventRow[],
  action: string,
  targetId: string,
): { before: any; after: any } {
  const main = records.filter((r) => r.action === action);
  expect(main).toHaveLength(1);
  expect(main[0]).toMatchObject({
    action,
    actor_type: "admin_key",
    actor_id: server.org.adminKeyId,
    target_id: targetId,
    outcome: "success",
    request_id: expect.stringMatching(/^req_/),
  });
  return JSON.parse(main[0]!.changes);
}

/** Everything a refused request could have touched. */
async function snapshot(server: TestServer): Promise<unknown> {
  const all = { query: { limit: 1000 } };
  const [users, invites, keys, workspaces, audit] = await Promise.all([
    server.get("/v1/organizations/users", all),
    server.get("/v1/organizations/invites", all),
    server.get("/v1/organizations/api_keys", all),
    server.get("/v1/workspaces", { query: { limit: 1000, include_archived: true } }),
    auditRecords(server),
  ]);
  const members = await Promise.all(
    workspaces.body.data.map(
      async (w) => (await server.get(`/v1/organizations/workspaces/${w.id}/members`, all)).body,
    ),
  );
  return {
    users: users.body,
    invites: invites.body,
    keys: keys.body,
    workspaces: workspaces.body,
    members,
    audit: audit.map((r) => r.id),
  };
}

async function createApiKey(
  server: TestServer,
  body: { name: string; workspace_id?: string; user_id?: string },
  key?: string,
) {
  const response = await server.post("/v1/api_keys", body, key === undefined ? {} : { key });
  expect(response.status).toBe(200);
  expect(response.body.key).toMatch(/^sk-ant-api03-/);
  return response.body;
}

/** An admin key bound to `userId`, so that the keys it creates name that user as their creator. */
async function adminKeyFor(server: TestServer, userId: string | null): Promise<string> {
  const secret = ADMIN_KEY_PREFIX + randomBytes(32).toString("base64url");
  await server.services.deps.store.transaction((repos) =>
    createAdminKeyIn(repos, server.services.deps, operatorContext(server.org.id), {
      name: `key of ${userId ?? "nobody"}`,
      secret,
      userId,
      expiresAt: null,
    }),
  );
  return secret;
}

describeEachBackend("users", (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await createTestServer(backend);
  });
  afterAll(async () => {
    await server?.close();
  });

  describe.each(SURFACES)("on the $name surface", (surface) => {
    describe(`GET ${surface.list}`, () => {
      it("should list the owner with the user shape and page fields", async () => {
        const { status, body } = await server.get(surface.list, { query: { roles: "owner" } });
        expect(status).toBe(200);
        const owner = body.data.find((u) => u.id === server.org.ownerId);
        expect(owner).toEqual({
          id: server.org.ownerId,
          type: "user",
          email: expect.stringMatching(/^owner\+\d+@example\.com$/),
          name: "Olivia Owner",
          role: "owner",
          status: "active",
          added_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
          created_at: owner?.added_at,
          updated_at: expect.any(String),
          last_active_at: null,
        });
        expect(body.first_id).toBe(body.data[0]?.id);
        expect(body.last_id).toBe(body.data.at(-1)?.id);
        expect(typeof body.has_more).toBe("boolean");
      });

      it("should filter by email case-insensitively", async () => {
        const email = uniqueEmail("Filter.Me");
        const member = await addMember(server, { email });
        const { status, body } = await server.get(surface.list, {
          query: { email: email.toUpperCase() },
        });
        expect(status).toBe(200);
        expect(body.data.map((u) => u.id)).toEqual([member.id]);
        expect(body.data[0]?.email).toBe(email);
        expect(body.has_more).toBe(false);
      });

      it("should answer an email that matches no one with an empty page", async () => {
        const { status, body } = await server.get(surface.list, {
          query: { email: "nobody@example.com" },
        });
        expect(status).toBe(200);
        expect(body).toEqual({ data: [], has_more: false, first_id: null, last_id: null });
      });

      it("should filter by roles[] (any of them) and by a lone roles value", async () => {
        const billing = await addMember(server, { role: "billing" });
        const ccu = await addMember(server, { role: "claude_code_user" });
        const both = await server.get(surface.list, {
          query: { roles: ["billing", "claude_code_user"], limit: 1000 },
        });
        expect(both.status).toBe(200);
        const ids = both.body.data.map((u) => u.id);
        expect(ids).toContain(billing.id);
        expect(ids).toContain(ccu.id);
        expect(both.body.data.every((u) => ["billing", "claude_code_user"].includes(u.role))).toBe(
          true,
        );

        const lone = await server.get(`${surface.list}?roles=claude_code_user&limit=1000`);
        expect(lone.status).toBe(200);
        expect(lone.body.data.map((u) => u.id)).toContain(ccu.id);
        expect(lone.body.data.every((u) => u.role === "claude_code_user")).toBe(true);
      });

      it.each([
        [{ roles: ["bogus"] }, /roles/],
        [{ roles: ["owner", "Admin"] }, /roles/],
        [{ limit: 0 }, /limit/],
        [{ limit: 1001 }, /limit/],
        [{ limit: "abc" }, /limit/],
        [{ limit: -1 }, /limit/],
        [{ limit: 1.5 }, /limit/],
      ])("should refuse the query %j with a 400 naming the parameter", async (query, field) => {
        const error = expectError(
          await server.get(surface.list, { query: query as NonNullable<RequestOptions["query"]> }),
          400,
          "invalid_request_error",
        );
        expect(error.message).toMatch(field);
      });

      it("should take empty parameters (the SDK's nulls) as left out", async () => {
        const plain = await server.get(surface.list, { query: { limit: 5 } });
        const empty = await server.get(surface.list, {
          query: { limit: 5, after_id: "", before_id: "", email: "" },
        });
        expect(empty.status).toBe(200);
        expect(empty.body).toEqual(plain.body);
      });

      it("should accept limit 1 and limit 1000", async () => {
        const one = await server.get(surface.list, { query: { limit: 1 } });
        expect(one.status).toBe(200);
        expect(one.body.data).toHaveLength(1);
        const max = await server.get(surface.list, { query: { limit: 1000 } });
        expect(max.status).toBe(200);
        expect(max.body.has_more).toBe(false);
      });

      it("should refuse after_id and before_id together", async () => {
        const member = await addMember(server);
        const error = expectError(
          await server.get(surface.list, {
            query: { after_id: server.org.ownerId, before_id: member.id },
          }),
          400,
          "invalid_request_error",
        );
        expect(error.details?.error_code).toBe("invalid_cursor");
      });

      it.each([
        ["an unknown user id", () => server.services.deps.ids.next("user")],
        ["an id of another collection", () => server.org.defaultWorkspaceId],
        ["garbage", () => "not-an-id"],
      ])("should refuse %s as a cursor in either direction", async (_label, cursorOf) => {
        const cursor = cursorOf();
        for (const direction of ["after_id", "before_id"]) {
          const error = expectError(
            await server.get(surface.list, { query: { [direction]: cursor } }),
            400,
            "invalid_request_error",
          );
          expect(error.details?.error_code).toBe("invalid_cursor");
          expect(error.message).toContain(direction);
        }
      });
    });

    describe(`GET ${surface.one(":user_id")}`, () => {
      it("should return the member", async () => {
        const member = await addMember(server, { role: "billing", name: "Bill Payer" });
        const { status, body } = await server.get(surface.one(member.id));
        expect(status).toBe(200);
        expect(body).toEqual(member);
        expect(body).toMatchObject({ role: "billing", name: "Bill Payer", type: "user" });
      });

      it.each([
        ["an unknown user id", () => server.services.deps.ids.next("user")],
        ["a workspace id", () => server.org.defaultWorkspaceId],
        ["garbage", () => "nope"],
      ])("should answer %s with a 404", async (_label, idOf) => {
        const id = idOf();
        const error = expectError(await server.get(surface.one(id)), 404, "not_found_error");
        expect(error.message).toContain(id);
      });
    });

    describe(`updating a member (${surface.name === "seed" ? "PATCH" : "POST"})`, () => {
      it.each(ROLES)("should change the role to %s and write one audit record", async (role) => {
        const member = await addMember(server, {
          role: role === "developer" ? "user" : "developer",
        });
        const response = await surface.update(server, member.id, { role });
        expect(response.status).toBe(200);
        expect(response.body).toMatchObject({
          id: member.id,
          role,
          email: member.email,
          name: member.name,
        });
        expect((await server.get(surface.one(member.id))).body.role).toBe(role);

        const records = await auditOf(server, response);
        expect(records).toHaveLength(1);
        const changes = expectMainRecord(server, records, "user.updated", member.id);
        expect(changes.before.role).toBe(member.role);
        expect(changes.after.role).toBe(role);
      });

      it("should change the name, and name and role together", async () => {
        const member = await addMember(server, { role: "user" });
        const renamed = await surface.update(server, member.id, { name: "  Renamed Person  " });
        expect(renamed.status).toBe(200);
        expect(renamed.body).toMatchObject({ name: "Renamed Person", role: "user" });
        const both = await surface.update(server, member.id, { name: "Both", role: "admin" });
        expect(both.status).toBe(200);
        expect(both.body).toMatchObject({ name: "Both", role: "admin" });
        const records = await auditOf(server, both);
        const changes = expectMainRecord(server, records, "user.updated", member.id);
        expect(changes.before).toMatchObject({ name: "Renamed Person", role: "user" });
        expect(changes.after).toMatchObject({ name: "Both", role: "admin" });
      });

      it.each([
        [{}, /at least one of role, name/],
        [{ role: "Admin" }, /role/],
        [{ role: "primary_owner" }, /role/],
        [{ role: "workspace_admin" }, /role/],
        [{ role: "" }, /role/],
        [{ role: 5 }, /role/],
        [{ role: null }, /role/],
        [{ role: ["admin"] }, /role/],
        [{ name: "" }, /name/],
        [{ name: "   " }, /name/],
        [{ name: 42 }, /name/],
        [{ name: "x".repeat(201) }, /name/],
        [{ email: "new@example.com" }, /email/],
        [{ role: "developer", surprise: true }, /surprise/],
      ])("should refuse %j with a 400 and change nothing", async (body, field) => {
        const member = await addMember(server, { role: "user" });
        const before = await snapshot(server);
        const error = expectError(
          await surface.update(server, member.id, body),
          400,
          "invalid_request_error",
        );
        expect(error.message).toMatch(field);
        expect(await snapshot(server)).toEqual(before);
      });

      it.each([
        ["a JSON string", '"developer"'],
        ["a JSON array", '[{"role":"developer"}]'],
        ["malformed JSON", '{"role": '],
      ])("should refuse %s as the body", async (_label, raw) => {
        const member = await addMember(server, { role: "user" });
        const before = await snapshot(server);
        const method = surface.name === "seed" ? "PATCH" : "POST";
        expectError(
          await server.request(method, surface.one(member.id), { body: raw }),
          400,
          "invalid_request_error",
        );
        expect(await snapshot(server)).toEqual(before);
      });

      it("should answer an unknown user with a 404 and write nothing", async () => {
        const before = await snapshot(server);
        expectError(
          await surface.update(server, server.services.deps.ids.next("user"), { role: "user" }),
          404,
          "not_found_error",
        );
        expect(await snapshot(server)).toEqual(before);
      });
    });

    describe("removing a member (DELETE)", () => {
      it("should remove the member, revoke their keys, drop their memberships, and audit it", async () => {
        // An admin: only admins and owners may hold admin keys.
        const member = await addMember(server, { role: "admin" });
        const bystander = await addMember(server, { role: "developer" });
        const workspace = (await server.post("/v1/workspaces", { name: `Team ${surface.name}` }))
          .body;
        for (const user of [member, bystander]) {
          const added = await server.post(`/v1/organizations/workspaces/${workspace.id}/members`, {
            user_id: user.id,
            workspace_role: "workspace_developer",
          });
          expect(added.status).toBe(200);
        }
        // Issued to the member by the organization's admin key.
        const issued = await createApiKey(server, {
          name: "issued",
          workspace_id: workspace.id,
          user_id: member.id,
        });
        const issuedDefault = await createApiKey(server, {
          name: "issued in default",
          workspace_id: server.org.defaultWorkspaceId,
          user_id: member.id,
        });
        // Created by the member, through an admin key of theirs, and issued to someone else.
        const memberAdminKey = await adminKeyFor(server, member.id);
        const created = await createApiKey(
          server,
          { name: "created", workspace_id: workspace.id, user_id: bystander.id },
          memberAdminKey,
        );
        expect(created.created_by?.id).toBe(member.id);
        // Already archived: stays as it is, not revoked a second time.
        const archived = await createApiKey(server, {
          name: "archived",
          workspace_id: workspace.id,
          user_id: member.id,
        });
        expect((await server.delete(`/v1/api_keys/${archived.id}`)).status).toBe(200);
        const archivedBefore = (await server.get(`/v1/api_keys/${archived.id}`)).body;
        // Someone else's key, untouched.
        const other = await createApiKey(server, {
          name: "other",
          workspace_id: workspace.id,
          user_id: bystander.id,
        });

        const response = await server.delete(surface.one(member.id));
        expect(response.status).toBe(200);
        const revoked = [issued.id, issuedDefault.id, created.id].sort();
        expect(response.body).toEqual({
          id: member.id,
          type: "user_deleted",
          deleted: true,
          revoked_api_key_ids: revoked,
        });

        for (const id of revoked) {
          const key = await server.get(`/v1/organizations/api_keys/${id}`);
          expect(key.body.status).toBe("archived");
          expect(key.body.archived_at).not.toBeNull();
        }
        expect((await server.get(`/v1/api_keys/${archived.id}`)).body).toEqual(archivedBefore);
        expect((await server.get(`/v1/api_keys/${other.id}`)).body.status).toBe("active");

        expectError(
          await server.get(`/v1/organizations/workspaces/${workspace.id}/members/${member.id}`),
          404,
          "not_found_error",
        );
        const members = await server.get(`/v1/organizations/workspaces/${workspace.id}/members`);
        expect(members.body.data.map((m) => m.user_id)).toEqual([bystander.id]);

        for (const s of SURFACES) {
          expectError(await server.get(s.one(member.id)), 404, "not_found_error");
          const list = await server.get(s.list, { query: { limit: 1000 } });
          expect(list.body.data.map((u) => u.id)).not.toContain(member.id);
          expect(list.body.data.map((u) => u.id)).toContain(bystander.id);
          const byEmail = await server.get(s.list, { query: { email: member.email } });
          expect(byEmail.body.data).toEqual([]);
        }

        const records = await auditOf(server, response);
        const changes = expectMainRecord(server, records, "user.removed", member.id);
        expect(changes.after.revoked_api_key_ids).toEqual(revoked);
        expect(changes.before.workspaces).toEqual([
          { workspace_id: workspace.id, role: "workspace_developer" },
        ]);
        const keyRecords = records.filter((r) => r.action === "api_key.revoked");
        expect(keyRecords.map((r) => r.target_id).sort()).toEqual(revoked);
        // The member's own admin key leaves with them.
        const adminKeyRecords = records.filter((r) => r.action === "admin_key.revoked");
        expect(adminKeyRecords).toHaveLength(1);
        expect(records).toHaveLength(1 + revoked.length + 1);
        expectError(
          await server.get(SEED.list, { key: memberAdminKey }),
          401,
          "authentication_error",
        );
        expect((await server.get(SEED.list)).status).toBe(200);
        const everything = (await auditRecords(server)).map((r) => r.changes).join("\n");
        for (const key of [issued, issuedDefault, created, archived, other]) {
          expect(everything).not.toContain(key.key);
          expect(everything).not.toContain(hashSecret(key.key));
        }
      });

      it("should answer a second removal, an update, and an unknown id with a 404 that writes nothing", async () => {
        const member = await addMember(server);
        expect((await server.delete(surface.one(member.id))).status).toBe(200);
        const before = await snapshot(server);
        expectError(await server.delete(surface.one(member.id)), 404, "not_found_error");
        expectError(
          await surface.update(server, member.id, { role: "admin" }),
          404,
          "not_found_error",
        );
        expectError(
          await server.delete(surface.one(server.services.deps.ids.next("user"))),
          404,
          "not_found_error",
        );
        expect(await snapshot(server)).toEqual(before);
      });

      it("should let a removed member's email be invited and join again as a new user", async () => {
        const email = uniqueEmail("returning");
        const first = await addMember(server, { email, role: "developer" });
        expect((await server.delete(surface.one(first.id))).status).toBe(200);
        const again = await addMember(server, { email: email.toUpperCase(), role: "user" });
        expect(again.id).not.toBe(first.id);
        expect(again.role).toBe("user");
        expectError(await server.get(surface.one(first.id)), 404, "not_found_error");
        expect((await server.get(surface.one(again.id))).status).toBe(200);
      });
    });
  });

  describe("pagination", () => {
    let paged: TestServer;
    let all: string[];
    beforeAll(async () => {
      paged = await createTestServer(backend);
      for (let i = 0; i < 7; i++) {
        await addMember(paged, { name: `Paged ${i}` });
      }
      const everything = await paged.get("/v1/organizations/users", { query: { limit: 1000 } });
      all = everything.body.data.map((u) => u.id);
    });
    afterAll(async () => {
      await paged?.close();
    });

    it("should list members oldest first", () => {
      expect(all).toHaveLength(8);
      expect(all[0]).toBe(paged.org.ownerId);
      expect([...all].sort()).toEqual(all);
    });

    it.each(SURFACES)("should walk forward with after_id on the $name surface", async (surface) => {
      const pages: AnswerTo<"get", Surface["list"]>[] = [];
      let after: string | undefined;
      do {
        const query: Record<string, string | number> = { limit: 3 };
        if (after !== undefined) {
          query.after_id = after;
        }
        const { status, body } = await paged.get(surface.list, { query });
        expect(status).toBe(200);
        pages.push(body);
        after = body.has_more ? present(body.last_id, "a cursor") : undefined;
      } while (after !== undefined);
      expect(pages.map((p) => p.data.length)).toEqual([3, 3, 2]);
      expect(pages.map((p) => p.has_more)).toEqual([true, true, false]);
      expect(pages.flatMap((p) => p.data.map((u) => u.id))).toEqual(all);
      for (const page of pages) {
        expect(page.first_id).toBe(page.data[0]?.id);
        expect(page.last_id).toBe(page.data.at(-1)?.id);
      }
      const end = await paged.get(surface.list, { query: { after_id: all.at(-1)! } });
      expect(end.body).toEqual({ data: [], has_more: false, first_id: null, last_id: null });
    });

    it.each(SURFACES)(
      "should walk backward with before_id on the $name surface",
      async (surface) => {
        const last = await paged.get(surface.list, { query: { after_id: all[4]!, limit: 3 } });
        expect(last.body.data.map((u) => u.id)).toEqual(all.slice(5));
        const pages: AnswerTo<"get", Surface["list"]>[] = [];
        let before: string | undefined = present(last.body.first_id, "a cursor");
        while (before !== undefined) {
          const query: Record<string, string | number> = { before_id: before, limit: 3 };
          const { status, body } = await paged.get(surface.list, { query });
          expect(status).toBe(200);
          pages.push(body);
          before = body.has_more ? present(body.first_id, "a cursor") : undefined;
        }
        expect(pages.map((p) => p.data.map((u) => u.id))).toEqual([
          all.slice(2, 5),
          all.slice(0, 2),
        ]);
        expect(pages.map((p) => p.has_more)).toEqual([true, false]);
        expect(pages[0]?.first_id).toBe(all[2]);
        expect(pages[0]?.last_id).toBe(all[4]);
        const start = await paged.get(surface.list, { query: { before_id: all[0]! } });
        expect(start.body).toEqual({ data: [], has_more: false, first_id: null, last_id: null });
      },
    );

    it("should give the same pages on both surfaces", async () => {
      for (const query of [
        { limit: 2 },
        { limit: 2, after_id: all[1]! },
        { limit: 2, before_id: all[6]! },
      ]) {
        const seed = await paged.get(SEED.list, { query });
        const anthropic = await paged.get(ANTHROPIC.list, { query });
        expect(seed.body).toEqual(anthropic.body);
      }
    });

    it("should keep paging past a removed member used as the cursor", async () => {
      const removed = all[3]!;
      expect((await paged.delete(SEED.one(removed))).status).toBe(200);
      const next = await paged.get(ANTHROPIC.list, { query: { after_id: removed, limit: 2 } });
      expect(next.status).toBe(200);
      expect(next.body.data.map((u) => u.id)).toEqual(all.slice(4, 6));
      const previous = await paged.get(ANTHROPIC.list, { query: { before_id: removed, limit: 2 } });
      expect(previous.body.data.map((u) => u.id)).toEqual(all.slice(1, 3));
    });

    it("should apply filters and pages together", async () => {
      const billing = await addMember(paged, { role: "billing" });
      const billing2 = await addMember(paged, { role: "billing" });
      const first = await paged.get(ANTHROPIC.list, { query: { roles: ["billing"], limit: 1 } });
      expect(first.body).toMatchObject({
        has_more: true,
        first_id: billing.id,
        last_id: billing.id,
      });
      const second = await paged.get(SEED.list, {
        query: { roles: ["billing"], limit: 1, after_id: billing.id },
      });
      expect(second.body).toMatchObject({
        has_more: false,
        first_id: billing2.id,
        last_id: billing2.id,
      });
    });
  });

  describe("the last owner", () => {
    let owned: TestServer;
    beforeAll(async () => {
      owned = await createTestServer(backend);
    });
    afterAll(async () => {
      await owned?.close();
    });

    it.each(SURFACES)(
      "should refuse to demote the last owner on the $name surface",
      async (surface) => {
        const before = await snapshot(owned);
        for (const role of ROLES.filter((r) => r !== "owner")) {
          const error = expectError(
            await surface.update(owned, owned.org.ownerId, { role }),
            400,
            "invalid_request_error",
          );
          expect(error.details?.error_code).toBe("cannot_remove_last_member");
        }
        expect(await snapshot(owned)).toEqual(before);
        expect((await owned.get(surface.one(owned.org.ownerId))).body.role).toBe("owner");
      },
    );

    it.each(SURFACES)(
      "should refuse to remove the last owner on the $name surface",
      async (surface) => {
        const key = await createApiKey(owned, { name: "owner's", user_id: owned.org.ownerId });
        const before = await snapshot(owned);
        const error = expectError(
          await owned.delete(surface.one(owned.org.ownerId)),
          400,
          "invalid_request_error",
        );
        expect(error.details?.error_code).toBe("cannot_remove_last_member");
        expect(await snapshot(owned)).toEqual(before);
        expect((await owned.get(`/v1/api_keys/${key.id}`)).body.status).toBe("active");
      },
    );

    it.each(SURFACES)(
      "should let the last owner keep the owner role or change name on the $name surface",
      async (surface) => {
        const same = await surface.update(owned, owned.org.ownerId, {
          role: "owner",
          name: `Olivia ${surface.name}`,
        });
        expect(same.status).toBe(200);
        expect(same.body).toMatchObject({ role: "owner", name: `Olivia ${surface.name}` });
      },
    );

    it("should refuse the last owner even while other admins exist", async () => {
      await addMember(owned, { role: "admin" });
      const error = expectError(
        await ANTHROPIC.update(owned, owned.org.ownerId, { role: "admin" }),
        400,
        "invalid_request_error",
      );
      expect(error.details?.error_code).toBe("cannot_remove_last_member");
    });

    it("should allow demoting and then removing an owner once a second owner exists", async () => {
      const second = await addMember(owned, { role: "developer" });
      const promoted = await SEED.update(owned, second.id, { role: "owner" });
      expect(promoted.status).toBe(200);
      expect(promoted.body.role).toBe("owner");

      const demoted = await ANTHROPIC.update(owned, owned.org.ownerId, { role: "admin" });
      expect(demoted.status).toBe(200);
      expect(demoted.body.role).toBe("admin");
      const changes = expectMainRecord(
        owned,
        await auditOf(owned, demoted),
        "user.updated",
        owned.org.ownerId,
      );
      expect(changes.before.role).toBe("owner");
      expect(changes.after.role).toBe("admin");
      // The first owner's key now acts as an admin, who may not remove owners: the operator's
      // organization-level key goes on.
      const operatorKey = await owned.services.adminKeys.create(operatorContext(owned.org.id), {
        name: "organization-level",
      });
      owned.org.adminKey = operatorKey.key;
      owned.org.adminKeyId = operatorKey.adminKey.id;

      // Now `second` is the last owner.
      const error = expectError(
        await owned.delete(SEED.one(second.id)),
        400,
        "invalid_request_error",
      );
      expect(error.details?.error_code).toBe("cannot_remove_last_member");

      const third = await addMember(owned, { role: "owner" });
      const removed = await owned.delete(SEED.one(second.id));
      expect(removed.status).toBe(200);
      expectMainRecord(owned, await auditOf(owned, removed), "user.removed", second.id);
      const owners = await owned.get(ANTHROPIC.list, { query: { roles: ["owner"] } });
      expect(owners.body.data.map((u) => u.id)).toEqual([third.id]);
    });

    it("should count only live owners: a removed owner does not count", async () => {
      const owners = await owned.get(ANTHROPIC.list, { query: { roles: ["owner"] } });
      expect(owners.body.data).toHaveLength(1);
      const last = present(owners.body.data[0], "the owner").id;
      const error = expectError(
        await owned.delete(ANTHROPIC.one(last)),
        400,
        "invalid_request_error",
      );
      expect(error.details?.error_code).toBe("cannot_remove_last_member");
    });
  });

  describe("across surfaces", () => {
    it("should show a member invited on the seed surface on Anthropic's, and the reverse", async () => {
      const seedEmail = uniqueEmail("seed");
      const seedInvite = await server.post(SEED.invite, { email: seedEmail, role: "billing" });
      expect(seedInvite.status).toBe(200);
      const seedUser = (
        await server.post("/v1/invites/accept", { token: seedInvite.body.token }, { key: null })
      ).body;
      const anthropicEmail = uniqueEmail("anthropic");
      const anthropicInvite = await server.post(ANTHROPIC.invite, {
        email: anthropicEmail,
        role: "user",
      });
      const anthropicUser = (
        await server.post(
          "/v1/invites/accept",
          { token: anthropicInvite.body.token },
          { key: null },
        )
      ).body;

      for (const user of [seedUser, anthropicUser]) {
        const seed = await server.get(SEED.one(user.id));
        const anthropic = await server.get(ANTHROPIC.one(user.id));
        expect(seed.body).toEqual(user);
        expect(anthropic.body).toEqual(user);
      }
      const seedList = await server.get(SEED.list, { query: { email: anthropicEmail } });
      expect(seedList.body.data).toEqual([anthropicUser]);
      const anthropicList = await server.get(ANTHROPIC.list, { query: { email: seedEmail } });
      expect(anthropicList.body.data).toEqual([seedUser]);
    });

    it("should show an update made on one surface on the other", async () => {
      const member = await addMember(server, { role: "user" });
      await SEED.update(server, member.id, { role: "claude_code_user" });
      expect((await server.get(ANTHROPIC.one(member.id))).body.role).toBe("claude_code_user");
      await ANTHROPIC.update(server, member.id, { name: "Cross Surface" });
      expect((await server.get(SEED.one(member.id))).body).toMatchObject({
        role: "claude_code_user",
        name: "Cross Surface",
      });
    });

    it("should make a member removed on one surface gone on the other", async () => {
      const a = await addMember(server);
      const b = await addMember(server);
      expect((await server.delete(SEED.one(a.id))).status).toBe(200);
      expectError(await server.get(ANTHROPIC.one(a.id)), 404, "not_found_error");
      expectError(await server.delete(ANTHROPIC.one(a.id)), 404, "not_found_error");
      expect((await server.delete(ANTHROPIC.one(b.id))).status).toBe(200);
      expectError(await server.get(SEED.one(b.id)), 404, "not_found_error");
      expectError(await SEED.update(server, b.id, { role: "user" }), 404, "not_found_error");
    });
  });
});

describeEachBackend("users under concurrency", (backend) => {
  let server: TestServer;
  // Not bound to any member, so that it survives the removal of either owner.
  let key: string;
  beforeAll(async () => {
    server = await createTestServer(backend);
    key = await adminKeyFor(server, null);
  });
  afterAll(async () => {
    await server?.close();
  });

  it("should never leave the organization without an owner when two owners are removed at once", async () => {
    const second = await addMember(server, { role: "owner", key });
    const results = await Promise.all([
      server.delete(SEED.one(server.org.ownerId), { key }),
      server.delete(ANTHROPIC.one(second.id), { key }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 400]);
    const owners = await server.get(ANTHROPIC.list, { key, query: { roles: ["owner"] } });
    expect(owners.body.data).toHaveLength(1);
  });

  it("should not leave an active key issued to a member removed at the same moment", async () => {
    for (let i = 0; i < 8; i++) {
      const member = await addMember(server, { key });
      const [created, removed] = await Promise.all([
        server.post("/v1/api_keys", { name: `race ${i}`, user_id: member.id }, { key }),
        server.delete(SEED.one(member.id), { key }),
      ]);
      expect(removed.status).toBe(200);
      if (created.status === 200) {
        const issued = await server.get(`/v1/api_keys/${created.body.id}`, { key });
        expect(issued.body.status).toBe("archived");
      } else {
        expectError(created, 404, "not_found_error");
      }
    }
  });

  it("should not leave a workspace membership for a member removed at the same moment", async () => {
    const workspace = (await server.post("/v1/organizations/workspaces", { name: "Race" }, { key }))
      .body;
    const path = `/v1/organizations/workspaces/${workspace.id}/members`;
    for (let i = 0; i < 8; i++) {
      const member = await addMember(server, { key });
      const [added, removed] = await Promise.all([
        server.post(path, { user_id: member.id, workspace_role: "workspace_user" }, { key }),
        server.delete(ANTHROPIC.one(member.id), { key }),
      ]);
      expect(removed.status).toBe(200);
      expect([200, 404]).toContain(added.status);
      expectError(await server.get(`${path}/${member.id}`, { key }), 404, "not_found_error");
    }
  });
});
