import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ApiResponse,
  createTestServer,
  describeEachBackend,
  expectError,
  type TestServer,
} from "./harness.js";

/** The two surfaces serve the same resource; only the paths and the update verb differ. */
const SURFACES = [
  { name: "seed", base: "/v1/workspaces", update: "PATCH" },
  { name: "anthropic", base: "/v1/organizations/workspaces", update: "POST" },
] as const;
type Surface = (typeof SURFACES)[number];

/** Every row a workspace request could write, to prove that a refused one wrote nothing. */
async function snapshot(server: TestServer) {
  const db = server.database.db;
  return {
    workspaces: await db.selectFrom("workspaces").selectAll().orderBy("id").execute(),
    apiKeys: await db.selectFrom("api_keys").selectAll().orderBy("id").execute(),
    members: await db
      .selectFrom("workspace_members")
      .selectAll()
      .orderBy("workspace_id")
      .orderBy("user_id")
      .execute(),
    audit: await db.selectFrom("audit_events").selectAll().orderBy("seq").execute(),
  };
}

function update(server: TestServer, surface: Surface, id: string, body: unknown, key?: string) {
  return server.request(surface.update, `${surface.base}/${id}`, {
    body,
    ...(key !== undefined && { key }),
  });
}

function ids(response: ApiResponse<{ data: { id: string }[] }>): string[] {
  return response.body.data.map((w: { id: string }) => w.id);
}

describeEachBackend("workspaces", (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await createTestServer(backend);
  });
  afterAll(async () => {
    await server?.close();
  });

  const audit = () => server.services.deps.store.read.audit.list(server.org.id);

  describe.each(SURFACES)("$name surface", (surface) => {
    describe("create", () => {
      it("should create a workspace with the seed chapter's body and round-trip usage_limits", async () => {
        const before = (await audit()).length;
        // Exactly the body of the chapter's create_workspace().
        const created = await server.post(surface.base, {
          name: "Production",
          usage_limits: { monthly_spend_usd: 5000.0, requests_per_minute: 1000 },
        });
        expect(created.status).toBe(200);
        expect(created.body).toMatchObject({
          type: "workspace",
          name: "Production",
          archived_at: null,
          is_default: false,
          usage_limits: { monthly_spend_usd: 5000, requests_per_minute: 1000 },
          data_residency: {
            workspace_geo: "us",
            allowed_inference_geos: "unrestricted",
            default_inference_geo: "global",
          },
          tags: {},
        });
        expect(created.body.id).toMatch(/^wrkspc_01/);
        expect(created.body.display_color).toMatch(/^#[0-9A-Fa-f]{6}$/);
        expect(created.body.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);

        const fetched = await server.get(`${surface.base}/${created.body.id}`);
        expect(fetched.status).toBe(200);
        expect(fetched.body).toEqual(created.body);
        const listed = await server.get(surface.base, { query: { limit: 1000 } });
        expect(listed.body.data.find((w: { id: string }) => w.id === created.body.id)).toEqual(
          created.body,
        );

        const records = (await audit()).slice(before);
        expect(records).toHaveLength(1);
        expect(records[0]).toMatchObject({
          action: "workspace.created",
          target_type: "workspace",
          target_id: created.body.id,
          actor_type: "admin_key",
          actor_id: server.org.adminKeyId,
          outcome: "success",
        });
        expect(records[0]?.request_id).toMatch(/^req_/);
        const changes = JSON.parse(records[0]?.changes ?? "{}");
        expect(changes.before).toBeNull();
        expect(changes.after.usage_limits).toEqual({
          monthly_spend_usd: 5000,
          requests_per_minute: 1000,
        });
      });

      it("should keep cents and leave limits null when none are given", async () => {
        const cents = await server.post(surface.base, {
          name: "Development",
          usage_limits: { monthly_spend_usd: 500.25, requests_per_minute: 100 },
        });
        expect(cents.body.usage_limits).toEqual({
          monthly_spend_usd: 500.25,
          requests_per_minute: 100,
        });
        const bare = await server.post(surface.base, { name: "Bare" });
        expect(bare.status).toBe(200);
        expect(bare.body.usage_limits).toEqual({
          monthly_spend_usd: null,
          requests_per_minute: null,
        });
        const partial = await server.post(surface.base, {
          name: "Only RPM",
          usage_limits: { requests_per_minute: 0 },
        });
        expect(partial.body.usage_limits).toEqual({
          monthly_spend_usd: null,
          requests_per_minute: 0,
        });
      });

      it("should accept display_color, tags and a data_residency restricted to us", async () => {
        const { status, body } = await server.post(surface.base, {
          name: "EU-free",
          display_color: "#d97757",
          tags: { env: "prod", team: "platform" },
          data_residency: {
            workspace_geo: "us",
            allowed_inference_geos: ["us"],
            default_inference_geo: "us",
          },
        });
        expect(status).toBe(200);
        expect(body.display_color).toBe("#d97757");
        expect(body.tags).toEqual({ env: "prod", team: "platform" });
        expect(body.data_residency).toEqual({
          workspace_geo: "us",
          allowed_inference_geos: ["us"],
          default_inference_geo: "us",
        });
        expect((await server.get(`${surface.base}/${body.id}`)).body).toEqual(body);
      });

      it("should accept a 40-character name and trim surrounding space", async () => {
        const forty = "w".repeat(40);
        expect((await server.post(surface.base, { name: forty })).body.name).toBe(forty);
        expect((await server.post(surface.base, { name: "  Padded  " })).body.name).toBe("Padded");
      });

      it.each([
        ["a wrong type for name", { name: 123 }, /name/],
        ["a missing name", {}, /name/],
        ["a blank name", { name: "   " }, /name/],
        ["a name over 40 characters", { name: "x".repeat(41) }, /name/],
        ["an unknown field", { name: "ok", surprise: 1 }, /unknown field surprise/],
        ["a color name", { name: "ok", display_color: "red" }, /display_color/],
        ["a five-digit color", { name: "ok", display_color: "#12345" }, /display_color/],
        ["a non-hex color", { name: "ok", display_color: "#GGGGGG" }, /display_color/],
        ["a color as a number", { name: "ok", display_color: 0x6c5bb9 }, /display_color/],
        [
          "a tag key starting with anthropic",
          { name: "ok", tags: { anthropic_team: "x" } },
          /tags/,
        ],
        [
          "a tag key starting with Anthropic",
          { name: "ok", tags: { "Anthropic-env": "x" } },
          /tags/,
        ],
        ["a non-string tag value", { name: "ok", tags: { env: 1 } }, /tags\.env/],
        ["tags as an array", { name: "ok", tags: ["env"] }, /tags/],
        [
          "a negative monthly_spend_usd",
          { name: "ok", usage_limits: { monthly_spend_usd: -1 } },
          /usage_limits\.monthly_spend_usd/,
        ],
        [
          "monthly_spend_usd as a string",
          { name: "ok", usage_limits: { monthly_spend_usd: "5000" } },
          /usage_limits\.monthly_spend_usd/,
        ],
        [
          "a non-integer requests_per_minute",
          { name: "ok", usage_limits: { requests_per_minute: 1.5 } },
          /usage_limits\.requests_per_minute/,
        ],
        [
          "a negative requests_per_minute",
          { name: "ok", usage_limits: { requests_per_minute: -1 } },
          /usage_limits\.requests_per_minute/,
        ],
        [
          "an unknown usage_limits field",
          { name: "ok", usage_limits: { monthly_spend_usd: 1, tokens_per_minute: 5 } },
          /usage_limits\.tokens_per_minute/,
        ],
        [
          "a default geo outside the allowed ones",
          {
            name: "ok",
            data_residency: { allowed_inference_geos: ["us"], default_inference_geo: "global" },
          },
          /default_inference_geo/,
        ],
        [
          "an empty allowed_inference_geos",
          { name: "ok", data_residency: { allowed_inference_geos: [] } },
          /data_residency\.allowed_inference_geos/,
        ],
        [
          "an unknown inference geo",
          { name: "ok", data_residency: { allowed_inference_geos: ["eu"] } },
          /data_residency\.allowed_inference_geos/,
        ],
        [
          "an unknown default geo",
          { name: "ok", data_residency: { default_inference_geo: "mars" } },
          /data_residency\.default_inference_geo/,
        ],
        [
          "a workspace_geo other than us",
          { name: "ok", data_residency: { workspace_geo: "eu" } },
          /data_residency\.workspace_geo/,
        ],
        [
          "an unknown data_residency field",
          { name: "ok", data_residency: { region: "us" } },
          /data_residency\.region/,
        ],
      ])("should refuse %s with a 400 and write nothing", async (_label, body, field) => {
        const before = await snapshot(server);
        const error = expectError(
          await server.post(surface.base, body),
          400,
          "invalid_request_error",
        );
        expect(error.message).toMatch(field);
        expect(await snapshot(server)).toEqual(before);
      });

      it("should refuse a body that is not an object", async () => {
        const before = await snapshot(server);
        expectError(await server.post(surface.base, ["Production"]), 400, "invalid_request_error");
        expectError(
          await server.request("POST", surface.base, { body: '{"name": ' }),
          400,
          "invalid_request_error",
        );
        expect(await snapshot(server)).toEqual(before);
      });
    });

    describe("get", () => {
      it("should return 404 for an unknown id and for another organization's workspace", async () => {
        expectError(await server.get(`${surface.base}/wrkspc_01nothing`), 404, "not_found_error");
        const other = await server.createOrganization();
        const theirs = await server.post(surface.base, { name: "Theirs" }, { key: other.adminKey });
        expect(theirs.status).toBe(200);
        expectError(await server.get(`${surface.base}/${theirs.body.id}`), 404, "not_found_error");
        expectError(
          await server.get(`${surface.base}/${other.defaultWorkspaceId}`),
          404,
          "not_found_error",
        );
      });

      it("should return the default workspace by its id", async () => {
        const { status, body } = await server.get(
          `${surface.base}/${server.org.defaultWorkspaceId}`,
        );
        expect(status).toBe(200);
        expect(body).toMatchObject({
          id: server.org.defaultWorkspaceId,
          is_default: true,
          archived_at: null,
        });
      });
    });

    describe("update", () => {
      let id: string;
      beforeAll(async () => {
        const created = await server.post(surface.base, {
          name: "To update",
          tags: { env: "dev", team: "ml" },
          usage_limits: { monthly_spend_usd: 100, requests_per_minute: 10 },
        });
        id = created.body.id;
      });

      it("should rename, recolor and write an audit record with before and after", async () => {
        const before = (await audit()).length;
        const { status, body } = await update(server, surface, id, {
          name: "Updated",
          display_color: "#3E7CB1",
        });
        expect(status).toBe(200);
        expect(body).toMatchObject({ id, name: "Updated", display_color: "#3E7CB1" });
        expect((await server.get(`${surface.base}/${id}`)).body).toEqual(body);
        const records = (await audit()).slice(before);
        expect(records).toHaveLength(1);
        expect(records[0]).toMatchObject({
          action: "workspace.updated",
          target_id: id,
          actor_type: "admin_key",
        });
        const changes = JSON.parse(records[0]?.changes ?? "{}");
        expect(changes.before.name).toBe("To update");
        expect(changes.after.name).toBe("Updated");
      });

      it("should merge tags: a value sets, null removes one, a null map clears all", async () => {
        const merged = await update(server, surface, id, { tags: { env: null, owner: "alice" } });
        expect(merged.body.tags).toEqual({ team: "ml", owner: "alice" });
        const cleared = await update(server, surface, id, { tags: null });
        expect(cleared.body.tags).toEqual({});
      });

      it("should update usage_limits field by field and clear one with null", async () => {
        const rpm = await update(server, surface, id, {
          usage_limits: { requests_per_minute: 50 },
        });
        expect(rpm.body.usage_limits).toEqual({ monthly_spend_usd: 100, requests_per_minute: 50 });
        const spend = await update(server, surface, id, {
          usage_limits: { monthly_spend_usd: 250.5 },
        });
        expect(spend.body.usage_limits).toEqual({
          monthly_spend_usd: 250.5,
          requests_per_minute: 50,
        });
        const cleared = await update(server, surface, id, {
          usage_limits: { monthly_spend_usd: null },
        });
        expect(cleared.body.usage_limits).toEqual({
          monthly_spend_usd: null,
          requests_per_minute: 50,
        });
        expect((await server.get(`${surface.base}/${id}`)).body.usage_limits).toEqual(
          cleared.body.usage_limits,
        );
      });

      it("should check data_residency against the current settings", async () => {
        const restricted = await update(server, surface, id, {
          data_residency: { allowed_inference_geos: ["us"], default_inference_geo: "us" },
        });
        expect(restricted.status).toBe(200);
        expect(restricted.body.data_residency).toEqual({
          workspace_geo: "us",
          allowed_inference_geos: ["us"],
          default_inference_geo: "us",
        });
        // global is not allowed while allowed_inference_geos stays ["us"].
        const snap = await snapshot(server);
        const error = expectError(
          await update(server, surface, id, {
            data_residency: { default_inference_geo: "global" },
          }),
          400,
          "invalid_request_error",
        );
        expect(error.message).toMatch(/default_inference_geo/);
        expect(await snapshot(server)).toEqual(snap);
        const reopened = await update(server, surface, id, {
          data_residency: {
            allowed_inference_geos: "unrestricted",
            default_inference_geo: "global",
          },
        });
        expect(reopened.body.data_residency.allowed_inference_geos).toBe("unrestricted");
      });

      it.each([
        ["a wrong type for name", { name: 7 }, /name/],
        ["a name over 40 characters", { name: "y".repeat(41) }, /name/],
        ["an empty name", { name: "" }, /name/],
        ["an unknown field", { nickname: "x" }, /unknown field nickname/],
        ["a bad display_color", { display_color: "#ABCDEFG" }, /display_color/],
        ["a null display_color", { display_color: null }, /display_color/],
        ["a tag key starting with anthropic", { tags: { anthropicx: "y" } }, /tags/],
        [
          "a negative monthly_spend_usd",
          { usage_limits: { monthly_spend_usd: -0.01 } },
          /usage_limits\.monthly_spend_usd/,
        ],
        [
          "a non-integer requests_per_minute",
          { usage_limits: { requests_per_minute: 2.5 } },
          /usage_limits\.requests_per_minute/,
        ],
        [
          "a workspace_geo change",
          { data_residency: { workspace_geo: "us" } },
          /data_residency\.workspace_geo/,
        ],
        [
          "a default geo outside the allowed ones",
          { data_residency: { allowed_inference_geos: ["us"], default_inference_geo: "global" } },
          /default_inference_geo/,
        ],
      ])("should refuse %s with a 400 and write nothing", async (_label, body, field) => {
        const before = await snapshot(server);
        const error = expectError(
          await update(server, surface, id, body),
          400,
          "invalid_request_error",
        );
        expect(error.message).toMatch(field);
        expect(await snapshot(server)).toEqual(before);
      });

      it("should return 404 for an unknown or foreign workspace and write nothing", async () => {
        const other = await server.createOrganization();
        const theirs = await server.post(
          surface.base,
          { name: "Foreign" },
          { key: other.adminKey },
        );
        const before = await snapshot(server);
        expectError(
          await update(server, surface, "wrkspc_01nothing", { name: "x" }),
          404,
          "not_found_error",
        );
        expectError(
          await update(server, surface, theirs.body.id, { name: "x" }),
          404,
          "not_found_error",
        );
        expect(await snapshot(server)).toEqual(before);
        expect(
          (await server.get(`${surface.base}/${theirs.body.id}`, { key: other.adminKey })).body
            .name,
        ).toBe("Foreign");
      });
    });

    describe("archive", () => {
      it("should archive the workspace and every key in it, and record which keys", async () => {
        const ws = (await server.post(surface.base, { name: "Doomed" })).body;
        const first = await server.post("/v1/api_keys", { name: "k1", workspace_id: ws.id });
        const second = await server.post("/v1/api_keys", { name: "k2", workspace_id: ws.id });
        await server.patch(`/v1/api_keys/${second.body.id}`, { status: "inactive" });
        const elsewhere = await server.post("/v1/api_keys", { name: "elsewhere" });
        const before = (await audit()).length;

        const archived = await server.post(`${surface.base}/${ws.id}/archive`);
        expect(archived.status).toBe(200);
        expect(archived.body).toMatchObject({ id: ws.id, name: "Doomed" });
        expect(archived.body.archived_at).toMatch(/Z$/);

        for (const key of [first.body, second.body]) {
          const fetched = await server.get(`/v1/api_keys/${key.id}`);
          expect(fetched.body.status).toBe("archived");
          expect(fetched.body.archived_at).toBe(archived.body.archived_at);
        }
        expect((await server.get(`/v1/api_keys/${elsewhere.body.id}`)).body.status).toBe("active");

        // One record per revoked key (every revocation is audited), then the archive itself.
        const records = (await audit()).slice(before);
        expect(records.map((r) => [r.action, r.target_id])).toEqual([
          ["api_key.revoked", first.body.id],
          ["api_key.revoked", second.body.id],
          ["workspace.archived", ws.id],
        ]);
        expect(JSON.parse(records[0]?.changes ?? "{}").after).toMatchObject({
          status: "archived",
          reason: "workspace_archived",
        });
        const changes = JSON.parse(records[2]?.changes ?? "{}");
        expect(changes.before.archived_at).toBeNull();
        expect(changes.after.archived_at).toBe(archived.body.archived_at);
        expect(changes.after.archived_api_key_ids).toEqual([first.body.id, second.body.id]);
      });

      it("should archive without a body even when content-type says JSON", async () => {
        const ws = (await server.post(surface.base, { name: "No body" })).body;
        const response = await server.request("POST", `${surface.base}/${ws.id}/archive`, {
          headers: { "content-type": "application/json" },
        });
        expect(response.status).toBe(200);
        expect(response.body.archived_at).not.toBeNull();
      });

      it("should be idempotent: a second archive changes nothing and writes no record", async () => {
        const ws = (await server.post(surface.base, { name: "Twice" })).body;
        const first = await server.post(`${surface.base}/${ws.id}/archive`);
        const before = await snapshot(server);
        const second = await server.post(`${surface.base}/${ws.id}/archive`);
        expect(second.status).toBe(200);
        expect(second.body).toEqual(first.body);
        expect(await snapshot(server)).toEqual(before);
      });

      it("should refuse to archive the default workspace and write nothing", async () => {
        await server.post("/v1/api_keys", { name: "in default" });
        const before = await snapshot(server);
        const response = await server.post(
          `${surface.base}/${server.org.defaultWorkspaceId}/archive`,
        );
        const error = expectError(response, 400, "invalid_request_error");
        expect(error.details?.error_code).toBe("default_workspace_protected");
        expect(await snapshot(server)).toEqual(before);
        expect(
          (await server.get(`${surface.base}/${server.org.defaultWorkspaceId}`)).body.archived_at,
        ).toBeNull();
      });

      it("should return 404 for an unknown or foreign workspace", async () => {
        const other = await server.createOrganization();
        const before = await snapshot(server);
        expectError(
          await server.post(`${surface.base}/wrkspc_01nothing/archive`),
          404,
          "not_found_error",
        );
        expectError(
          await server.post(`${surface.base}/${other.defaultWorkspaceId}/archive`),
          404,
          "not_found_error",
        );
        expect(await snapshot(server)).toEqual(before);
      });

      it("should refuse updates, new keys and new members once archived (workspace_archived)", async () => {
        const ws = (await server.post(surface.base, { name: "Frozen" })).body;
        await server.post(`${surface.base}/${ws.id}/archive`);
        const before = await snapshot(server);
        const refusals = [
          await update(server, surface, ws.id, { name: "Thawed" }),
          await server.post("/v1/api_keys", { name: "late", workspace_id: ws.id }),
          await server.post("/v1/organizations/api_keys", { name: "late", workspace_id: ws.id }),
          await server.post(`/v1/organizations/workspaces/${ws.id}/members`, {
            user_id: server.org.ownerId,
            workspace_role: "workspace_user",
          }),
        ];
        for (const response of refusals) {
          const error = expectError(response, 400, "invalid_request_error");
          expect(error.details?.error_code).toBe("workspace_archived");
        }
        expect(await snapshot(server)).toEqual(before);
        // Still readable.
        expect((await server.get(`${surface.base}/${ws.id}`)).body.name).toBe("Frozen");
      });
    });
  });

  describe("listing", () => {
    let other: Awaited<ReturnType<TestServer["createOrganization"]>>;
    let created: string[];
    let archivedId: string;
    beforeAll(async () => {
      // A separate organization, so that the lists hold exactly what this block creates.
      other = await server.createOrganization("Listing Org");
      created = [];
      for (const name of ["A", "B", "C", "D", "E"]) {
        const response = await server.post("/v1/workspaces", { name }, { key: other.adminKey });
        created.push(response.body.id);
      }
      archivedId = created[4] as string;
      await server.post(`/v1/workspaces/${archivedId}/archive`, {}, { key: other.adminKey });
    });
    const list = (
      path: "/v1/workspaces" | "/v1/organizations/workspaces",
      query: Record<string, string | number> = {},
    ) => server.get(path, { key: other.adminKey, query });

    it("should include the default workspace on the seed surface and hide archived ones", async () => {
      const response = await list("/v1/workspaces");
      expect(response.status).toBe(200);
      expect(ids(response)).toEqual([other.defaultWorkspaceId, ...created.slice(0, 4)]);
      expect(response.body.data[0]?.is_default).toBe(true);
      expect(response.body).toMatchObject({
        has_more: false,
        first_id: other.defaultWorkspaceId,
        last_id: created[3],
      });
    });

    it("should hide the default workspace on the Anthropic surface unless include_default=true", async () => {
      expect(ids(await list("/v1/organizations/workspaces"))).toEqual(created.slice(0, 4));
      expect(ids(await list("/v1/organizations/workspaces", { include_default: "true" }))).toEqual([
        other.defaultWorkspaceId,
        ...created.slice(0, 4),
      ]);
      expect(ids(await list("/v1/workspaces", { include_default: "false" }))).toEqual(
        created.slice(0, 4),
      );
    });

    it("should show archived workspaces only with include_archived=true", async () => {
      for (const path of ["/v1/workspaces", "/v1/organizations/workspaces"] as const) {
        expect(ids(await list(path))).not.toContain(archivedId);
        const all = await list(path, { include_archived: "true" });
        expect(ids(all)).toContain(archivedId);
        expect(all.body.data.at(-1)?.archived_at).not.toBeNull();
        expect(ids(await list(path, { include_archived: "false" }))).not.toContain(archivedId);
        expect(ids(await list(path, { include_archived: "1" }))).toContain(archivedId);
      }
    });

    it("should page forward with after_id and backward with before_id", async () => {
      const path = "/v1/organizations/workspaces";
      const first = await list(path, { limit: 2 });
      expect(ids(first)).toEqual(created.slice(0, 2));
      expect(first.body).toMatchObject({
        has_more: true,
        first_id: created[0],
        last_id: created[1],
      });
      const second = await list(path, { limit: 2, after_id: first.body.last_id ?? "" });
      expect(ids(second)).toEqual(created.slice(2, 4));
      expect(second.body.has_more).toBe(false);
      const back = await list(path, { limit: 2, before_id: second.body.first_id ?? "" });
      expect(ids(back)).toEqual(created.slice(0, 2));
      expect(back.body.has_more).toBe(false);
      const backOne = await list(path, { limit: 1, before_id: created[3] as string });
      expect(ids(backOne)).toEqual([created[2]]);
      expect(backOne.body.has_more).toBe(true);
      const end = await list(path, { after_id: created[3] as string });
      expect(end.body).toEqual({ data: [], has_more: false, first_id: null, last_id: null });
    });

    it("should page the seed list, default workspace first", async () => {
      const first = await list("/v1/workspaces", { limit: 3 });
      expect(ids(first)).toEqual([other.defaultWorkspaceId, created[0], created[1]]);
      expect(first.body.has_more).toBe(true);
      const rest = await list("/v1/workspaces", { limit: 3, after_id: first.body.last_id ?? "" });
      expect(ids(rest)).toEqual(created.slice(2, 4));
      expect(rest.body.has_more).toBe(false);
    });

    it.each([
      ["limit=0", { limit: 0 }, /limit/],
      ["limit=1001", { limit: 1001 }, /limit/],
      ["limit=abc", { limit: "abc" }, /limit/],
      ["limit=1.5", { limit: 1.5 }, /limit/],
      ["include_archived=yes", { include_archived: "yes" }, /include_archived/],
      ["include_default=maybe", { include_default: "maybe" }, /include_default/],
      ["an unknown after_id", { after_id: "wrkspc_01nothing" }, /after_id/],
      ["an unknown before_id", { before_id: "wrkspc_01nothing" }, /before_id/],
      ["an overlong cursor", { after_id: "w".repeat(101) }, /after_id/],
    ])("should refuse %s with a 400", async (_label, query, field) => {
      for (const path of ["/v1/workspaces", "/v1/organizations/workspaces"] as const) {
        const error = expectError(await list(path, query), 400, "invalid_request_error");
        expect(error.message).toMatch(field);
      }
    });

    it("should refuse a cursor from another organization, and both cursors at once", async () => {
      const foreign = (await server.post("/v1/workspaces", { name: "Foreign" })).body.id;
      for (const path of ["/v1/workspaces", "/v1/organizations/workspaces"] as const) {
        for (const query of [{ after_id: foreign }, { before_id: server.org.defaultWorkspaceId }]) {
          const error = expectError(await list(path, query), 400, "invalid_request_error");
          expect(error.details?.error_code).toBe("invalid_cursor");
        }
        const both = expectError(
          await list(path, { after_id: created[0] as string, before_id: created[2] as string }),
          400,
          "invalid_request_error",
        );
        expect(both.details?.error_code).toBe("invalid_cursor");
      }
    });

    it("should accept the limit bounds 1 and 1000", async () => {
      expect(ids(await list("/v1/organizations/workspaces", { limit: 1 }))).toEqual([created[0]]);
      expect(ids(await list("/v1/organizations/workspaces", { limit: 1000 }))).toHaveLength(4);
    });
  });

  describe("authentication", () => {
    it("should refuse every workspace route without an admin key", async () => {
      for (const surface of SURFACES) {
        expectError(await server.get(surface.base, { key: null }), 401, "authentication_error");
        expectError(
          await server.post(surface.base, { name: "x" }, { key: null }),
          401,
          "authentication_error",
        );
      }
    });
  });
});

describeEachBackend("workspace data residency", (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await createTestServer(backend);
  });
  afterAll(async () => {
    await server?.close();
  });

  it("should refuse a geo listed twice", async () => {
    const error = expectError(
      await server.post("/v1/organizations/workspaces", {
        name: "Twice",
        data_residency: { allowed_inference_geos: ["us", "us"], default_inference_geo: "us" },
      }),
      400,
      "invalid_request_error",
    );
    expect(error.message).toMatch(/data_residency\.allowed_inference_geos/);
  });
});
