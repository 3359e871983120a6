import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAdminKeyIn } from "../src/core/admin-keys/admin-key.service.js";
import { operatorContext } from "../src/core/context.js";
import { ManualClock } from "../src/core/ports.js";
import { ADMIN_KEY_PREFIX, generateSecret } from "../src/core/secrets.js";
import {
  type ApiResponse,
  createTestServer,
  describeEachBackend,
  expectError,
  type OrgFixture,
  type TestServer,
} from "./harness.js";

/** The seed surface revokes with DELETE and updates with PATCH; Anthropic's updates with POST. */
const SURFACES = [
  { name: "seed", base: "/v1/api_keys", update: "PATCH" },
  { name: "anthropic", base: "/v1/organizations/api_keys", update: "POST" },
] as const;
type Surface = (typeof SURFACES)[number];

const FULL_KEY = /^sk-ant-api03-[A-Za-z0-9_-]{64}$/;
/** A full API or admin key anywhere in a text (partial forms have "..." in them). */
const ANY_FULL_KEY = /sk-ant-(api03|admin01)-[A-Za-z0-9_-]{20,}/;
const DAY = 24 * 60 * 60 * 1000;

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

async function snapshot(server: TestServer) {
  const db = server.database.db;
  return {
    apiKeys: await db.selectFrom("api_keys").selectAll().orderBy("id").execute(),
    audit: await db.selectFrom("audit_events").selectAll().orderBy("seq").execute(),
  };
}

function update(server: TestServer, surface: Surface, id: string, body: unknown) {
  return server.request(surface.update, `${surface.base}/${id}`, { body });
}

const keyIds = (response: ApiResponse<{ data: { id: string }[] }>) =>
  response.body.data.map((k: { id: string }) => k.id);

let userCounter = 0;

async function addUser(server: TestServer, role = "developer", key?: string): Promise<string> {
  const email = `keyholder${++userCounter}@example.com`;
  const invite = await server.post(
    "/v1/organizations/invites",
    { email, role },
    key === undefined ? {} : { key },
  );
  const accepted = await server.post(
    "/v1/invites/accept",
    { token: invite.body.token },
    { key: null },
  );
  expect(accepted.status).toBe(200);
  return accepted.body.id;
}

describeEachBackend("api keys", (backend) => {
  let server: TestServer;
  let clock: ManualClock;
  let ownerEmail: string;
  /** Every plaintext key issued in this suite: none may ever show up again. */
  const issued: string[] = [];

  const audit = () => server.services.deps.store.read.audit.list(server.org.id);
  const create = async (surface: Surface, body: Record<string, unknown>, key?: string) => {
    const response = await server.post(surface.base, body, key === undefined ? {} : { key });
    if (typeof response.body?.key === "string") {
      issued.push(response.body.key);
    }
    return response;
  };

  beforeAll(async () => {
    clock = new ManualClock("2026-01-01T00:00:00.000Z");
    server = await createTestServer(backend, { clock });
    ownerEmail = (await server.get(`/v1/users/${server.org.ownerId}`)).body.email;
  });
  afterAll(async () => {
    await server?.close();
  });

  describe.each(SURFACES)("$name surface", (surface) => {
    let workspaceId: string;
    beforeAll(async () => {
      workspaceId = (await server.post("/v1/workspaces", { name: `Keys ${surface.name}` })).body.id;
    });

    describe("create", () => {
      it("should issue a key with the chapter's body and show the full key only once", async () => {
        const before = (await audit()).length;
        // The body of the chapter's create_api_key() example.
        const created = await create(surface, {
          name: "Customer Portal Service",
          workspace_id: workspaceId,
          expires_at: "2026-04-28T00:00:00Z",
        });
        expect(created.status).toBe(200);
        const key: string = created.body.key;
        expect(key).toMatch(FULL_KEY);
        const body = key.slice("sk-ant-api03-".length);
        expect(created.body).toMatchObject({
          type: "api_key",
          name: "Customer Portal Service",
          workspace_id: workspaceId,
          status: "active",
          created_at: "2026-01-01T00:00:00.000Z",
          expires_at: "2026-04-28T00:00:00.000Z",
          archived_at: null,
          last_used_at: null,
          created_by: { id: server.org.ownerId, type: "user", email: ownerEmail },
          principal: null,
          scope: { type: "workspace", workspace_id: workspaceId },
          partial_key: `sk-ant-api03-...${key.slice(-4)}`,
          partial_key_hint: `sk-ant-api03-${body.slice(0, 3)}...${key.slice(-4)}`,
        });
        expect(created.body.id).toMatch(/^apikey_01/);
        expect(created.body.partial_key).toMatch(/^sk-ant-api03-\.\.\.[A-Za-z0-9_-]{4}$/);
        expect(created.body.partial_key_hint).toMatch(
          /^sk-ant-api03-[A-Za-z0-9_-]{3}\.\.\.[A-Za-z0-9_-]{4}$/,
        );

        // Never again: not in GET, not in any list.
        const fetched = await server.get(`${surface.base}/${created.body.id}`);
        expect(fetched.status).toBe(200);
        expect(fetched.body).not.toHaveProperty("key");
        const { key: _key, ...withoutKey } = created.body;
        expect(fetched.body).toEqual(withoutKey);
        for (const path of ["/v1/api_keys", "/v1/organizations/api_keys"] as const) {
          const listed = await server.get(path, { query: { limit: 1000 } });
          expect(JSON.stringify(listed.body)).not.toContain(key);
          expect(listed.body.data.find((k: { id: string }) => k.id === created.body.id)).toEqual(
            withoutKey,
          );
        }

        // Storage keeps the SHA-256 hash only.
        const row = await server.database.db
          .selectFrom("api_keys")
          .selectAll()
          .where("id", "=", created.body.id)
          .executeTakeFirstOrThrow();
        expect(row.key_hash).toBe(sha256(key));
        expect(row.key_hash).toMatch(/^[0-9a-f]{64}$/);
        for (const value of Object.values(row)) {
          expect(String(value)).not.toContain(body);
        }

        const records = (await audit()).slice(before);
        expect(records).toHaveLength(1);
        expect(records[0]).toMatchObject({
          action: "api_key.created",
          target_type: "api_key",
          target_id: created.body.id,
          actor_type: "admin_key",
          actor_id: server.org.adminKeyId,
        });
        expect(records[0]?.changes).not.toContain(body);
        expect(JSON.parse(records[0]?.changes ?? "{}").after.partial_key_hint).toBe(
          created.body.partial_key_hint,
        );
      });

      it("should put a key without workspace_id in the default workspace, with no expiry", async () => {
        const { status, body } = await create(surface, { name: "Production Backend" });
        expect(status).toBe(200);
        expect(body.workspace_id).toBe(server.org.defaultWorkspaceId);
        expect(body.expires_at).toBeNull();
      });

      it("should issue distinct keys and normalize expires_at offsets to UTC", async () => {
        const a = await create(surface, { name: "a", expires_at: "2026-05-01T02:00:00+02:00" });
        const b = await create(surface, { name: "b", expires_at: null });
        expect(a.body.key).not.toBe(b.body.key);
        expect(a.body.expires_at).toBe("2026-05-01T00:00:00.000Z");
        expect(b.body.expires_at).toBeNull();
      });

      it("should record the member a key is issued to as its principal", async () => {
        const userId = await addUser(server);
        const { body } = await create(surface, { name: "for a member", user_id: userId });
        expect(body.principal).toEqual({ type: "user_actor", user_id: userId });
        expect(body.created_by?.id).toBe(server.org.ownerId);
      });

      it.each([
        [
          "an expires_at in the past",
          { name: "k", expires_at: "2025-12-31T23:59:59Z" },
          /expires_at/,
        ],
        [
          "an expires_at of right now",
          { name: "k", expires_at: "2026-01-01T00:00:00Z" },
          /expires_at/,
        ],
        [
          "an expires_at that is not a timestamp",
          { name: "k", expires_at: "tomorrow" },
          /expires_at/,
        ],
        [
          "an expires_at without a zone",
          { name: "k", expires_at: "2026-06-01T00:00:00" },
          /expires_at/,
        ],
        ["an expires_at as a number", { name: "k", expires_at: 1780000000 }, /expires_at/],
        ["a missing name", {}, /name/],
        ["an empty name", { name: "  " }, /name/],
        ["a name over 500 characters", { name: "n".repeat(501) }, /name/],
        ["a numeric name", { name: 5 }, /name/],
        ["a numeric workspace_id", { name: "k", workspace_id: 5 }, /workspace_id/],
        ["an unknown field", { name: "k", status: "active" }, /unknown field status/],
      ])("should refuse %s with a 400 and write nothing", async (_label, body, field) => {
        const before = await snapshot(server);
        const error = expectError(await create(surface, body), 400, "invalid_request_error");
        expect(error.message).toMatch(field);
        expect(await snapshot(server)).toEqual(before);
      });

      it("should answer 404 for an unknown workspace, a foreign workspace and an unknown user", async () => {
        const other = await server.createOrganization();
        const removed = await addUser(server);
        await server.delete(`/v1/users/${removed}`);
        const before = await snapshot(server);
        for (const body of [
          { name: "k", workspace_id: "wrkspc_01nothing" },
          { name: "k", workspace_id: other.defaultWorkspaceId },
          { name: "k", user_id: "user_01nobody" },
          { name: "k", user_id: removed },
          { name: "k", user_id: other.ownerId },
        ]) {
          expectError(await create(surface, body), 404, "not_found_error");
        }
        expect(await snapshot(server)).toEqual(before);
      });

      it("should refuse a key in an archived workspace (workspace_archived)", async () => {
        const ws = (await server.post("/v1/workspaces", { name: "Archived" })).body.id;
        await server.post(`/v1/workspaces/${ws}/archive`);
        const before = await snapshot(server);
        const error = expectError(
          await create(surface, { name: "k", workspace_id: ws }),
          400,
          "invalid_request_error",
        );
        expect(error.details?.error_code).toBe("workspace_archived");
        expect(await snapshot(server)).toEqual(before);
      });
    });

    describe("get", () => {
      it("should answer 404 for an unknown key and for another organization's key", async () => {
        const other = await server.createOrganization();
        const theirs = await create(surface, { name: "theirs" }, other.adminKey);
        expect(theirs.status).toBe(200);
        expectError(await server.get(`${surface.base}/apikey_01nothing`), 404, "not_found_error");
        expectError(await server.get(`${surface.base}/${theirs.body.id}`), 404, "not_found_error");
      });
    });

    describe("update and status transitions", () => {
      it("should rename a key and write an audit record", async () => {
        const { body: key } = await create(surface, {
          name: "old name",
          workspace_id: workspaceId,
        });
        const before = (await audit()).length;
        const renamed = await update(server, surface, key.id, { name: "new name" });
        expect(renamed.status).toBe(200);
        expect(renamed.body).toMatchObject({ id: key.id, name: "new name", status: "active" });
        expect(renamed.body).not.toHaveProperty("key");
        expect((await server.get(`${surface.base}/${key.id}`)).body.name).toBe("new name");
        const records = (await audit()).slice(before);
        expect(records).toHaveLength(1);
        expect(records[0]).toMatchObject({ action: "api_key.updated", target_id: key.id });
        const changes = JSON.parse(records[0]?.changes ?? "{}");
        expect(changes.before.name).toBe("old name");
        expect(changes.after.name).toBe("new name");
      });

      it("should move between active and inactive both ways", async () => {
        const { body: key } = await create(surface, { name: "toggle" });
        const off = await update(server, surface, key.id, { status: "inactive" });
        expect(off.body.status).toBe("inactive");
        expect((await server.get(`${surface.base}/${key.id}`)).body.status).toBe("inactive");
        const on = await update(server, surface, key.id, { status: "active" });
        expect(on.body.status).toBe("active");
        // Null fields change nothing.
        const same = await update(server, surface, key.id, { name: null, status: null });
        expect(same.body).toMatchObject({ name: "toggle", status: "active" });
      });

      it("should make archiving permanent (api_key_archived)", async () => {
        const { body: key } = await create(surface, { name: "to archive" });
        const before = (await audit()).length;
        const archived = await update(server, surface, key.id, { status: "archived" });
        expect(archived.status).toBe(200);
        expect(archived.body.status).toBe("archived");
        expect(archived.body.archived_at).toBe(clock.now().toISOString());
        const records = (await audit()).slice(before);
        expect(records.map((r) => r.action)).toEqual(["api_key.revoked"]);

        const snap = await snapshot(server);
        for (const status of ["active", "inactive"]) {
          const error = expectError(
            await update(server, surface, key.id, { status }),
            400,
            "invalid_request_error",
          );
          expect(error.details?.error_code).toBe("api_key_archived");
        }
        expect(await snapshot(server)).toEqual(snap);
        expect((await server.get(`${surface.base}/${key.id}`)).body.status).toBe("archived");
      });

      it("should turn a key expired when its time comes, and never reactivate it", async () => {
        const { body: key } = await create(surface, {
          name: "short-lived",
          expires_at: new Date(clock.now().getTime() + DAY).toISOString(),
        });
        expect(key.status).toBe("active");
        clock.advance(DAY);
        try {
          expect((await server.get(`${surface.base}/${key.id}`)).body.status).toBe("expired");
          const expired = await server.get(surface.base, {
            query: { status: "expired", limit: 1000 },
          });
          expect(keyIds(expired)).toContain(key.id);
          const active = await server.get(surface.base, {
            query: { status: "active", limit: 1000 },
          });
          expect(keyIds(active)).not.toContain(key.id);

          const snap = await snapshot(server);
          const error = expectError(
            await update(server, surface, key.id, { status: "active" }),
            400,
            "invalid_request_error",
          );
          expect(error.message).toMatch(/expired/);
          expect(await snapshot(server)).toEqual(snap);
          expect((await server.get(`${surface.base}/${key.id}`)).body.status).toBe("expired");

          // An expired key can still be archived for good.
          const archived = await update(server, surface, key.id, { status: "archived" });
          expect(archived.body.status).toBe("archived");
          const afterArchive = await server.get(surface.base, {
            query: { status: "expired", limit: 1000 },
          });
          expect(keyIds(afterArchive)).not.toContain(key.id);
        } finally {
          clock.advance(-DAY);
        }
      });

      it("should not reactivate an expired key that was inactive", async () => {
        const { body: key } = await create(surface, {
          name: "paused then expired",
          expires_at: new Date(clock.now().getTime() + DAY).toISOString(),
        });
        await update(server, surface, key.id, { status: "inactive" });
        clock.advance(2 * DAY);
        try {
          expect((await server.get(`${surface.base}/${key.id}`)).body.status).toBe("expired");
          expectError(
            await update(server, surface, key.id, { status: "active" }),
            400,
            "invalid_request_error",
          );
          expect((await server.get(`${surface.base}/${key.id}`)).body.status).toBe("expired");
        } finally {
          clock.advance(-2 * DAY);
        }
      });

      it.each([
        ["status expired", { status: "expired" }, /status/],
        ["status deleted", { status: "deleted" }, /status/],
        ["a boolean status", { status: true }, /status/],
        ["an empty name", { name: "" }, /name/],
        ["a name over 500 characters", { name: "n".repeat(501) }, /name/],
        ["a new workspace_id", { workspace_id: "wrkspc_01x" }, /unknown field workspace_id/],
        ["expires_at", { expires_at: "2027-01-01T00:00:00Z" }, /unknown field expires_at/],
      ])("should refuse %s with a 400 and write nothing", async (_label, body, field) => {
        const { body: key } = await create(surface, { name: "stable" });
        const before = await snapshot(server);
        const error = expectError(
          await update(server, surface, key.id, body),
          400,
          "invalid_request_error",
        );
        expect(error.message).toMatch(field);
        expect(await snapshot(server)).toEqual(before);
      });

      it("should answer 404 for an unknown or foreign key and write nothing", async () => {
        const other = await server.createOrganization();
        const theirs = await create(surface, { name: "theirs" }, other.adminKey);
        const before = await snapshot(server);
        expectError(
          await update(server, surface, "apikey_01nothing", { name: "x" }),
          404,
          "not_found_error",
        );
        expectError(
          await update(server, surface, theirs.body.id, { status: "archived" }),
          404,
          "not_found_error",
        );
        expect(await snapshot(server)).toEqual(before);
      });
    });
  });

  describe("seed DELETE /v1/api_keys/{id}", () => {
    it("should revoke the key (status archived), idempotently", async () => {
      const { body: key } = await create(SURFACES[0], { name: "to revoke" });
      const before = (await audit()).length;
      const first = await server.delete(`/v1/api_keys/${key.id}`);
      expect(first.status).toBe(200);
      expect(first.body).toEqual({ id: key.id, type: "api_key_deleted", deleted: true });
      const fetched = await server.get(`/v1/api_keys/${key.id}`);
      expect(fetched.body.status).toBe("archived");
      expect(fetched.body.archived_at).toBe(clock.now().toISOString());
      const records = (await audit()).slice(before);
      expect(records).toHaveLength(1);
      expect(records[0]).toMatchObject({
        action: "api_key.revoked",
        target_id: key.id,
        actor_type: "admin_key",
      });
      const changes = JSON.parse(records[0]?.changes ?? "{}");
      expect(changes.before.status).toBe("active");
      expect(changes.after.status).toBe("archived");

      const snap = await snapshot(server);
      const second = await server.delete(`/v1/api_keys/${key.id}`);
      expect(second.status).toBe(200);
      expect(second.body).toEqual(first.body);
      expect(await snapshot(server)).toEqual(snap);
      expectError(
        await server.patch(`/v1/api_keys/${key.id}`, { status: "active" }),
        400,
        "invalid_request_error",
      );
    });

    it("should answer 404 for an unknown or foreign key", async () => {
      const other = await server.createOrganization();
      const theirs = await create(SURFACES[0], { name: "theirs" }, other.adminKey);
      const before = await snapshot(server);
      expectError(await server.delete("/v1/api_keys/apikey_01nothing"), 404, "not_found_error");
      expectError(await server.delete(`/v1/api_keys/${theirs.body.id}`), 404, "not_found_error");
      expect(await snapshot(server)).toEqual(before);
      expect(
        (await server.get(`/v1/api_keys/${theirs.body.id}`, { key: other.adminKey })).body.status,
      ).toBe("active");
    });

    it("should have no DELETE on the Anthropic surface, which has no key deletion", async () => {
      const { body: key } = await create(SURFACES[1], { name: "kept" });
      expectError(
        await server.delete(`/v1/organizations/api_keys/${key.id}`),
        404,
        "not_found_error",
      );
      expect((await server.get(`/v1/organizations/api_keys/${key.id}`)).body.status).toBe("active");
    });
  });

  describe("listing", () => {
    let org: OrgFixture;
    let wsA: string;
    let wsB: string;
    let memberId: string;
    let memberAdminKey: string;
    const all: string[] = [];
    const byOwnerInA: string[] = [];
    const byMember: string[] = [];
    let inactiveId: string;
    let archivedId: string;
    let expiringId: string;
    let operatorKeyId: string;
    const list = (
      path: "/v1/api_keys" | "/v1/organizations/api_keys",
      query: Record<string, string | number> = {},
    ) => server.get(path, { key: org.adminKey, query });

    beforeAll(async () => {
      org = await server.createOrganization("Listing Org");
      wsA = (await server.post("/v1/workspaces", { name: "A" }, { key: org.adminKey })).body.id;
      wsB = (await server.post("/v1/workspaces", { name: "B" }, { key: org.adminKey })).body.id;
      // An admin (only admins and owners may hold admin keys) with an admin key that acts for
      // them, so that keys it creates are theirs.
      memberId = await addUser(server, "admin", org.adminKey);
      memberAdminKey = generateSecret(ADMIN_KEY_PREFIX);
      await server.services.deps.store.transaction((repos) =>
        createAdminKeyIn(repos, server.services.deps, operatorContext(org.id), {
          name: "member's admin key",
          secret: memberAdminKey,
          userId: memberId,
          expiresAt: null,
        }),
      );
      for (let i = 0; i < 3; i++) {
        const key = await create(
          SURFACES[1],
          { name: `owner A ${i}`, workspace_id: wsA },
          org.adminKey,
        );
        all.push(key.body.id);
        byOwnerInA.push(key.body.id);
      }
      for (let i = 0; i < 2; i++) {
        const key = await create(
          SURFACES[0],
          { name: `member B ${i}`, workspace_id: wsB },
          memberAdminKey,
        );
        expect(key.body.created_by).toMatchObject({ id: memberId, type: "user" });
        all.push(key.body.id);
        byMember.push(key.body.id);
      }
      const expiring = await create(
        SURFACES[0],
        {
          name: "expiring",
          workspace_id: wsB,
          expires_at: new Date(clock.now().getTime() + DAY).toISOString(),
        },
        org.adminKey,
      );
      expiringId = expiring.body.id;
      all.push(expiringId);
      // A key issued by the host operator has no creator.
      const operatorKey = await server.services.apiKeys.create(operatorContext(org.id), {
        name: "operator",
      });
      issued.push(operatorKey.key);
      operatorKeyId = operatorKey.id;
      all.push(operatorKeyId);
      inactiveId = byOwnerInA[1] as string;
      archivedId = byMember[0] as string;
      await server.post(
        `/v1/organizations/api_keys/${inactiveId}`,
        { status: "inactive" },
        { key: org.adminKey },
      );
      await server.delete(`/v1/api_keys/${archivedId}`, { key: org.adminKey });
    });

    it("should list every key of the organization in creation order, without secrets", async () => {
      for (const path of ["/v1/api_keys", "/v1/organizations/api_keys"] as const) {
        const response = await list(path);
        expect(response.status).toBe(200);
        expect(keyIds(response)).toEqual(all);
        expect(response.body).toMatchObject({
          has_more: false,
          first_id: all[0],
          last_id: all.at(-1),
        });
        for (const key of response.body.data) {
          expect(key).not.toHaveProperty("key");
        }
        expect(JSON.stringify(response.body)).not.toMatch(ANY_FULL_KEY);
        const operator = response.body.data.find((k) => k.id === operatorKeyId);
        expect(operator).toBeDefined();
        expect(operator?.created_by).toBeNull();
      }
    });

    it("should filter by workspace_id, status and created_by_user_id, alone and together", async () => {
      const path = "/v1/organizations/api_keys";
      expect(keyIds(await list(path, { workspace_id: wsA }))).toEqual(byOwnerInA);
      expect(keyIds(await list(path, { workspace_id: wsB }))).toEqual([...byMember, expiringId]);
      expect(keyIds(await list(path, { workspace_id: server.org.defaultWorkspaceId }))).toEqual([]);
      expect(keyIds(await list(path, { status: "inactive" }))).toEqual([inactiveId]);
      expect(keyIds(await list(path, { status: "archived" }))).toEqual([archivedId]);
      expect(keyIds(await list(path, { status: "expired" }))).toEqual([]);
      expect(keyIds(await list(path, { status: "active" }))).toEqual(
        all.filter((id) => id !== inactiveId && id !== archivedId),
      );
      expect(keyIds(await list(path, { created_by_user_id: memberId }))).toEqual(byMember);
      expect(keyIds(await list(path, { created_by_user_id: org.ownerId }))).toEqual([
        ...byOwnerInA,
        expiringId,
      ]);
      expect(keyIds(await list(path, { created_by_user_id: memberId, status: "active" }))).toEqual([
        byMember[1],
      ]);
      expect(keyIds(await list(path, { workspace_id: wsA, status: "active" }))).toEqual([
        byOwnerInA[0],
        byOwnerInA[2],
      ]);
      for (const key of (await list(path, { created_by_user_id: memberId })).body.data) {
        expect(key.created_by).toEqual({
          id: memberId,
          type: "user",
          email: expect.stringMatching(/@example\.com$/),
        });
      }
    });

    it("should move a key from active to expired in the filters when the clock passes its expiry", async () => {
      clock.advance(DAY);
      try {
        for (const path of ["/v1/api_keys", "/v1/organizations/api_keys"] as const) {
          expect(keyIds(await list(path, { status: "expired" }))).toEqual([expiringId]);
          expect(keyIds(await list(path, { status: "active" }))).not.toContain(expiringId);
          const listed = await list(path, { workspace_id: wsB });
          expect(listed.body.data.at(-1)).toMatchObject({ id: expiringId, status: "expired" });
        }
      } finally {
        clock.advance(-DAY);
      }
    });

    // Paging forwards and backwards on both surfaces: test/resources.test.ts.
    it("should page within a filter", async () => {
      const path = "/v1/organizations/api_keys";
      const first = await list(path, { limit: 1, created_by_user_id: org.ownerId });
      expect(keyIds(first)).toEqual([byOwnerInA[0]]);
      expect(first.body.has_more).toBe(true);
      const next = await list(path, {
        limit: 2,
        created_by_user_id: org.ownerId,
        after_id: first.body.last_id ?? "",
      });
      expect(keyIds(next)).toEqual(byOwnerInA.slice(1, 3));
      expect(next.body.has_more).toBe(true);
    });

    it.each([
      ["limit=0", { limit: 0 }, /limit/],
      ["limit=1001", { limit: 1001 }, /limit/],
      ["limit=many", { limit: "many" }, /limit/],
      ["limit=2.5", { limit: 2.5 }, /limit/],
      ["status=revoked", { status: "revoked" }, /status/],
    ])("should refuse %s with a 400", async (_label, query, field) => {
      for (const path of ["/v1/api_keys", "/v1/organizations/api_keys"] as const) {
        const error = expectError(await list(path, query), 400, "invalid_request_error");
        expect(error.message).toMatch(field);
      }
    });

    it("should take an empty filter as no filter (the SDK sends null that way)", async () => {
      for (const path of ["/v1/api_keys", "/v1/organizations/api_keys"] as const) {
        const unfiltered = await list(path, { limit: 1000 });
        const empty = await list(path, { limit: 1000, workspace_id: "", status: "" });
        expect(empty.status).toBe(200);
        expect(keyIds(empty)).toEqual(keyIds(unfiltered));
      }
    });

    it("should refuse unknown and foreign cursors, and both cursors at once", async () => {
      const foreign = (await create(SURFACES[0], { name: "foreign cursor" })).body.id;
      for (const path of ["/v1/api_keys", "/v1/organizations/api_keys"] as const) {
        for (const query of [
          { after_id: "apikey_01nothing" },
          { before_id: foreign },
          { after_id: wsA },
          { after_id: all[0] as string, before_id: all[3] as string },
        ]) {
          const error = expectError(await list(path, query), 400, "invalid_request_error");
          expect(error.details?.error_code).toBe("invalid_cursor");
        }
      }
    });
  });

  describe("secrets", () => {
    it("should never write a plaintext key into any audit record", async () => {
      expect(issued.length).toBeGreaterThan(20);
      const rows = await server.database.db.selectFrom("audit_events").selectAll().execute();
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) {
        expect(row.changes).not.toMatch(ANY_FULL_KEY);
        for (const key of issued) {
          expect(row.changes).not.toContain(key.slice("sk-ant-api03-".length));
        }
      }
    });

    it("should store no plaintext key in the api_keys table", async () => {
      const rows = await server.database.db.selectFrom("api_keys").selectAll().execute();
      const hashes = new Set(rows.map((r) => r.key_hash));
      for (const key of issued) {
        expect(hashes.has(sha256(key))).toBe(true);
      }
      const dump = JSON.stringify(rows);
      for (const key of issued) {
        expect(dump).not.toContain(key.slice("sk-ant-api03-".length));
      }
    });
  });
});

describeEachBackend("API key updates that change nothing", (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await createTestServer(backend);
  });
  afterAll(async () => {
    await server?.close();
  });

  it("should write no audit record and keep updated fields as they were", async () => {
    const key = await server.post("/v1/api_keys", { name: "steady" });
    const before = await server.services.deps.store.read.audit.list(server.org.id);
    for (const body of [{}, { name: null, status: null }, { name: "steady", status: "active" }]) {
      const response = await server.post(`/v1/organizations/api_keys/${key.body.id}`, body);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ name: "steady", status: "active" });
    }
    const after = await server.services.deps.store.read.audit.list(server.org.id);
    expect(after).toHaveLength(before.length);
  });
});
