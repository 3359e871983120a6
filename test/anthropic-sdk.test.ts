/**
 * Conformance with the official `@anthropic-ai/sdk`: its `client.organization.*` resources, driven
 * against the real server over a real socket. Everything the suite asserts goes through SDK
 * methods; the harness is used only for what the SDK cannot do (create API keys, accept invites).
 */
import Anthropic, {
  type APIError,
  AuthenticationError,
  BadRequestError,
  NotFoundError,
} from "@anthropic-ai/sdk";
import {
  AlreadyMemberError,
  CannotRemoveLastMemberError,
  InviteAlreadyExistsError,
  type OrganizationInvite,
  type OrganizationUser,
} from "@anthropic-ai/sdk/resources/organization";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { operatorContext } from "../src/core/context.js";
import { failure } from "./gateway-support.js";
import {
  createTestServer,
  describeEachBackend,
  type OrgFixture,
  type TestServer,
} from "./harness.js";
import { collect } from "./support/official-sdk.js";

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const REQUEST_ID = /^req_/;

type InviteRole = "billing" | "claude_code_user" | "developer" | "user";

/** The checks every SDK error from this server must pass, whatever its class. */
function expectEnvelope(error: APIError, status: number, type: string): void {
  expect(error.status).toBe(status);
  expect(error.type).toBe(type);
  expect(error.requestID).toMatch(REQUEST_ID);
  expect((error.error as { request_id?: string }).request_id).toBe(error.requestID);
}

describeEachBackend("official Anthropic SDK", (backend) => {
  let server: TestServer;
  let client: Anthropic;
  let baseURL: string;
  let counter = 0;

  const clientFor = (apiKey: string) => new Anthropic({ baseURL, apiKey, maxRetries: 0 });
  const uniqueEmail = (label: string) => `${label}.${++counter}@example.com`;

  /** Invites through the SDK, then accepts with the invite's one-time token. */
  async function join(
    email: string,
    role: InviteRole = "user",
    via = client,
  ): Promise<OrganizationUser> {
    const invite = (await via.organization.invites.create({
      email,
      role,
    })) as OrganizationInvite & {
      token: string;
    };
    expect(invite.token).toEqual(expect.any(String));
    const accepted = await server.post(
      "/v1/invites/accept",
      { token: invite.token },
      { key: null },
    );
    expect(accepted.status).toBe(200);
    return via.organization.users.retrieve(accepted.body.id);
  }

  /** The SDK has no create for API keys (Anthropic creates them in its Console only). */
  async function createApiKey(
    body: { name: string; workspace_id?: string; user_id?: string },
    org: OrgFixture = server.org,
  ): Promise<string> {
    const response = await server.post("/v1/organizations/api_keys", body, { key: org.adminKey });
    expect(response.status).toBe(200);
    return response.body.id;
  }

  beforeAll(async () => {
    server = await createTestServer(backend);
    await server.app.listen({ port: 0, host: "127.0.0.1" });
    const address = server.app.server.address();
    if (address === null || typeof address === "string") {
      throw new Error("the server is not listening on a TCP port");
    }
    baseURL = `http://127.0.0.1:${address.port}`;
    client = clientFor(server.org.adminKey);
  });
  afterAll(async () => {
    await server?.close();
  });

  describe("organization", () => {
    it("should retrieve the organization of the calling key", async () => {
      const org = await client.organization.retrieve();
      expect(org.id).toBe(server.org.id);
      expect(org.type).toBe("organization");
      expect(org.name).toBe("Acme Corporation");
    });

    it("should carry the request id on successful responses too", async () => {
      const { response, request_id } = await client.organization.retrieve().withResponse();
      expect(response.status).toBe(200);
      expect(request_id).toMatch(REQUEST_ID);
    });

    it("should authenticate the way the SDK sends the key: Authorization: Bearer", async () => {
      const sent: Headers[] = [];
      const recording = new Anthropic({
        baseURL,
        apiKey: server.org.adminKey,
        maxRetries: 0,
        fetch: (input, init) => {
          sent.push(new Headers(init?.headers));
          return fetch(input, init);
        },
      });
      expect((await recording.organization.retrieve()).id).toBe(server.org.id);
      expect(sent).toHaveLength(1);
      expect(sent[0]?.get("authorization")).toBe(`Bearer ${server.org.adminKey}`);
      expect(sent[0]?.get("x-api-key")).toBeNull();
      expect(sent[0]?.get("anthropic-version")).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    });

    it("should also accept the key in x-api-key", async () => {
      const viaHeader = new Anthropic({
        baseURL,
        apiKey: null,
        defaultHeaders: { "x-api-key": server.org.adminKey },
        maxRetries: 0,
      });
      expect((await viaHeader.organization.retrieve()).id).toBe(server.org.id);
    });
  });

  describe("users", () => {
    it("should list the owner and retrieve them by id", async () => {
      const page = await client.organization.users.list();
      const owner = page.data.find((u) => u.id === server.org.ownerId);
      expect(owner).toMatchObject({ type: "user", role: "owner", name: "Olivia Owner" });
      expect(owner?.email).toMatch(/^owner\+\d+@example\.com$/);
      expect(owner?.added_at).toMatch(ISO);
      expect(await client.organization.users.retrieve(server.org.ownerId)).toEqual(owner);
    });

    it("should filter by email, case-insensitively", async () => {
      const email = uniqueEmail("Dana.Dev");
      const dana = await join(email, "developer");
      const page = await client.organization.users.list({ email: email.toUpperCase() });
      expect(page.data.map((u) => u.id)).toEqual([dana.id]);
      expect(page.data[0]).toMatchObject({ email, role: "developer" });
      expect(page.has_more).toBe(false);
      expect(page.first_id).toBe(dana.id);
      expect(page.last_id).toBe(dana.id);

      const none = await client.organization.users.list({ email: "nobody@example.com" });
      expect(none.data).toEqual([]);
      expect(none.has_more).toBe(false);
      expect(none.first_id).toBeNull();
    });

    it("should filter by roles, sent as roles[]", async () => {
      const dev = await join(uniqueEmail("dev"), "developer");
      const biller = await join(uniqueEmail("bill"), "billing");
      const plain = await join(uniqueEmail("plain"), "user");
      const page = await client.organization.users.list({
        roles: ["developer", "billing"],
        limit: 100,
      });
      const ids = page.data.map((u) => u.id);
      expect(ids).toEqual(expect.arrayContaining([dev.id, biller.id]));
      expect(ids).not.toContain(plain.id);
      expect(ids).not.toContain(server.org.ownerId);
      expect(new Set(page.data.map((u) => u.role))).toEqual(new Set(["developer", "billing"]));

      const owners = await client.organization.users.list({ roles: ["owner"] });
      expect(owners.data.map((u) => u.id)).toEqual([server.org.ownerId]);
    });

    it("should accept the SDK's Enterprise roles as filters, matching nobody", async () => {
      const page = await client.organization.users.list({ roles: ["managed", "primary_owner"] });
      expect(page.data).toEqual([]);
    });

    it("should update a member's role", async () => {
      const user = await join(uniqueEmail("promote"), "user");
      const updated = await client.organization.users.update(user.id, { role: "developer" });
      expect(updated).toMatchObject({
        id: user.id,
        type: "user",
        email: user.email,
        role: "developer",
      });
      expect((await client.organization.users.retrieve(user.id)).role).toBe("developer");
      const listed = await client.organization.users.list({ email: user.email });
      expect(listed.data[0]?.role).toBe("developer");
    });

    it("should remove a member", async () => {
      const user = await join(uniqueEmail("leaver"), "claude_code_user");
      const removed = await client.organization.users.remove(user.id);
      expect(removed).toMatchObject({ id: user.id, type: "user_deleted" });
      expectEnvelope(
        await failure(client.organization.users.retrieve(user.id)),
        404,
        "not_found_error",
      );
      expect((await client.organization.users.list({ email: user.email })).data).toEqual([]);
      expectEnvelope(
        await failure(client.organization.users.remove(user.id)),
        404,
        "not_found_error",
      );
    });

    describe("pagination over 25 members", () => {
      // billing is used by no other test in this group, so the filter isolates these 25.
      const ids: string[] = [];
      let org: OrgFixture;
      let orgClient: Anthropic;

      beforeAll(async () => {
        org = await server.createOrganization("Paging Org");
        orgClient = clientFor(org.adminKey);
        for (let i = 0; i < 25; i++) {
          ids.push((await join(`pager.${i}@example.com`, "billing", orgClient)).id);
        }
      });

      it("should walk every page forward with for await", async () => {
        const seen = await collect(
          orgClient.organization.users.list({ roles: ["billing"], limit: 10 }),
        );
        expect(seen.map((u) => u.id)).toEqual(ids);
        expect(seen.map((u) => u.email)).toEqual(ids.map((_, i) => `pager.${i}@example.com`));
      });

      it("should split the walk into pages of the requested size", async () => {
        const first = await orgClient.organization.users.list({ roles: ["billing"], limit: 10 });
        const sizes: number[] = [];
        for await (const page of first.iterPages()) {
          sizes.push(page.data.length);
        }
        expect(sizes).toEqual([10, 10, 5]);
        expect(first.has_more).toBe(true);
        expect(first.first_id).toBe(ids[0]);
        expect(first.last_id).toBe(ids[9]);

        const second = await first.getNextPage();
        expect(second.data.map((u) => u.id)).toEqual(ids.slice(10, 20));
        const third = await second.getNextPage();
        expect(third.data.map((u) => u.id)).toEqual(ids.slice(20));
        expect(third.has_more).toBe(false);
        expect(third.hasNextPage()).toBe(false);
      });

      it("should page backwards from before_id", async () => {
        const last = ids[24] as string;
        const page = await orgClient.organization.users.list({
          roles: ["billing"],
          limit: 10,
          before_id: last,
        });
        expect(page.data.map((u) => u.id)).toEqual(ids.slice(14, 24));
        expect(page.has_more).toBe(true);
        expect(page.first_id).toBe(ids[14]);
        expect(page.last_id).toBe(ids[23]);

        // The SDK keeps going backwards: the next page is the one before first_id.
        const earlier = await page.getNextPage();
        expect(earlier.data.map((u) => u.id)).toEqual(ids.slice(4, 14));
        expect(earlier.has_more).toBe(true);
        const earliest = await earlier.getNextPage();
        expect(earliest.data.map((u) => u.id)).toEqual(ids.slice(0, 4));
        expect(earliest.has_more).toBe(false);
        expect(earliest.hasNextPage()).toBe(false);

        const walked = await collect(
          orgClient.organization.users.list({ roles: ["billing"], limit: 10, before_id: last }),
        );
        expect(walked).toHaveLength(24);
        expect(new Set(walked.map((u) => u.id))).toEqual(new Set(ids.slice(0, 24)));
      });

      it("should resume forward from after_id", async () => {
        const page = await orgClient.organization.users.list({
          roles: ["billing"],
          limit: 10,
          after_id: ids[19] as string,
        });
        expect(page.data.map((u) => u.id)).toEqual(ids.slice(20));
        expect(page.has_more).toBe(false);
      });
    });
  });

  describe("invites", () => {
    it("should create, retrieve and list an invite", async () => {
      const email = uniqueEmail("invitee");
      const before = Date.now();
      const invite = await client.organization.invites.create({ email, role: "developer" });
      expect(invite).toMatchObject({
        type: "invite",
        email,
        role: "developer",
        status: "pending",
        accepted_at: null,
        rbac_group_ids: [],
      });
      expect(invite.id).toMatch(/^invite_/);
      expect(invite.invited_at).toMatch(ISO);
      expect(invite.expires_at).toMatch(ISO);
      expect(Date.parse(invite.invited_at)).toBeGreaterThanOrEqual(before - 1000);
      expect(Date.parse(invite.expires_at)).toBeGreaterThan(Date.parse(invite.invited_at));

      const { token: _token, ...withoutToken } = invite as OrganizationInvite & { token: string };
      expect(await client.organization.invites.retrieve(invite.id)).toEqual(withoutToken);
      const listed = await client.organization.invites.list({ limit: 1000 });
      expect(listed.data.find((i) => i.id === invite.id)).toEqual(withoutToken);
    });

    it("should filter by email, roles and statuses", async () => {
      const pendingEmail = uniqueEmail("pending");
      const pending = await client.organization.invites.create({
        email: pendingEmail,
        role: "billing",
      });
      const acceptedUser = await join(uniqueEmail("accepted"), "billing");

      const byEmail = await client.organization.invites.list({ email: pendingEmail.toUpperCase() });
      expect(byEmail.data.map((i) => i.id)).toEqual([pending.id]);

      const accepted = await client.organization.invites.list({
        statuses: ["accepted"],
        limit: 1000,
      });
      expect(accepted.data.every((i) => i.status === "accepted" && i.accepted_at !== null)).toBe(
        true,
      );
      expect(accepted.data.map((i) => i.email)).toContain(acceptedUser.email);
      expect(accepted.data.map((i) => i.id)).not.toContain(pending.id);

      const pendingBilling = await client.organization.invites.list({
        statuses: ["pending"],
        roles: ["billing"],
        limit: 1000,
      });
      expect(pendingBilling.data.map((i) => i.id)).toContain(pending.id);
      expect(pendingBilling.data.every((i) => i.status === "pending" && i.role === "billing")).toBe(
        true,
      );

      const both = await client.organization.invites.list({
        statuses: ["pending", "accepted"],
        roles: ["billing"],
        limit: 1000,
      });
      expect(both.data.map((i) => i.id)).toEqual(expect.arrayContaining([pending.id]));
      expect(both.data.map((i) => i.email)).toContain(acceptedUser.email);

      const otherRole = await client.organization.invites.list({
        email: pendingEmail,
        roles: ["user"],
      });
      expect(otherRole.data).toEqual([]);
    });

    it("should delete a pending invite", async () => {
      const invite = await client.organization.invites.create({
        email: uniqueEmail("withdrawn"),
        role: "user",
      });
      const deleted = await client.organization.invites.delete(invite.id);
      expect(deleted).toMatchObject({ id: invite.id, type: "invite_deleted" });
      expect(await client.organization.invites.retrieve(invite.id)).toMatchObject({
        id: invite.id,
        status: "deleted",
      });
      const listed = await client.organization.invites.list({ email: invite.email });
      expect(listed.data).toEqual([]);
      expectEnvelope(
        await failure(client.organization.invites.delete(invite.id)),
        404,
        "not_found_error",
      );
      // With the invite gone, the same address can be invited again.
      const again = await client.organization.invites.create({ email: invite.email, role: "user" });
      expect(again.id).not.toBe(invite.id);
    });

    it("should page through invites with for await", async () => {
      const org = await server.createOrganization("Invite Paging Org");
      const orgClient = clientFor(org.adminKey);
      const ids: string[] = [];
      for (let i = 0; i < 7; i++) {
        ids.push(
          (
            await orgClient.organization.invites.create({
              email: `inv.${i}@example.com`,
              role: "user",
            })
          ).id,
        );
      }
      const seen = await collect(orgClient.organization.invites.list({ limit: 3 }));
      expect(seen.map((i) => i.id)).toEqual(ids);
    });

    it("should raise AlreadyMemberError for a member's email", async () => {
      const member = await join(uniqueEmail("member"), "user");
      const error = await failure(
        client.organization.invites.create({
          email: member.email.toUpperCase(),
          role: "developer",
        }),
      );
      expect(error).toBeInstanceOf(AlreadyMemberError);
      expect(error).toBeInstanceOf(BadRequestError);
      expect(error.errorCode).toBe("already_member");
      expect(error.details).toEqual({ error_code: "already_member" });
      expectEnvelope(error, 400, "invalid_request_error");
    });

    it("should raise InviteAlreadyExistsError for a second pending invite", async () => {
      const email = uniqueEmail("twice");
      const first = await client.organization.invites.create({ email, role: "user" });
      const error = await failure(
        client.organization.invites.create({ email: email.toUpperCase(), role: "billing" }),
      );
      expect(error).toBeInstanceOf(InviteAlreadyExistsError);
      expect(error).toBeInstanceOf(BadRequestError);
      expect(error.errorCode).toBe("invite_already_exists");
      expect(error.message).toContain(first.id);
      expectEnvelope(error, 400, "invalid_request_error");
    });
  });

  describe("workspaces", () => {
    it("should list only the workspaces named in ids", async () => {
      const a = await client.organization.workspaces.create({ name: "Ids A" });
      await client.organization.workspaces.create({ name: "Ids B" });
      const c = await client.organization.workspaces.create({ name: "Ids C" });
      const page = await client.organization.workspaces.list({ ids: [a.id, c.id] });
      expect(page.data.map((w) => w.id)).toEqual([a.id, c.id]);
    });

    it("should create a workspace with defaults", async () => {
      const workspace = await client.organization.workspaces.create({ name: "Plain" });
      expect(workspace).toMatchObject({
        type: "workspace",
        name: "Plain",
        archived_at: null,
        tags: {},
        data_residency: {
          workspace_geo: "us",
          allowed_inference_geos: "unrestricted",
          default_inference_geo: "global",
        },
      });
      expect(workspace.id).toMatch(/^wrkspc_/);
      expect(workspace.created_at).toMatch(ISO);
      expect(workspace.display_color).toMatch(/^#[0-9A-Fa-f]{6}$/);
      expect(await client.organization.workspaces.retrieve(workspace.id)).toEqual(workspace);
    });

    it("should have the SDK's encryption and user-profile fields, null, in every answer", async () => {
      const nothing = { compartment_id: null, external_key_id: null, user_profile_id: null };
      const created = await client.organization.workspaces.create({ name: "Fields" });
      const answers = [
        created,
        await client.organization.workspaces.retrieve(created.id),
        await client.organization.workspaces.update(created.id, { name: "Fields 2" }),
        ...(await client.organization.workspaces.list({ include_default: true, limit: 1000 })).data,
        await client.organization.workspaces.archive(created.id),
      ];
      expect(answers.map((w) => w.id)).toContain(server.org.defaultWorkspaceId);
      for (const workspace of answers) {
        expect(workspace).toMatchObject(nothing);
      }
    });

    it("should create with every field and update them", async () => {
      const workspace = await client.organization.workspaces.create({
        name: "Research",
        display_color: "#4B8B5F",
        tags: { team: "research", cost_center: "42" },
        data_residency: { allowed_inference_geos: ["us"], default_inference_geo: "us" },
      });
      expect(workspace).toMatchObject({
        name: "Research",
        display_color: "#4B8B5F",
        tags: { team: "research", cost_center: "42" },
        data_residency: {
          workspace_geo: "us",
          allowed_inference_geos: ["us"],
          default_inference_geo: "us",
        },
      });

      const updated = await client.organization.workspaces.update(workspace.id, {
        name: "Research & Dev",
        display_color: "#D97757",
        tags: { team: "r-and-d", cost_center: null, owner: "olivia" },
        data_residency: { allowed_inference_geos: "unrestricted", default_inference_geo: "global" },
      });
      expect(updated).toMatchObject({
        id: workspace.id,
        name: "Research & Dev",
        display_color: "#D97757",
        tags: { team: "r-and-d", owner: "olivia" },
        data_residency: {
          workspace_geo: "us",
          allowed_inference_geos: "unrestricted",
          default_inference_geo: "global",
        },
        created_at: workspace.created_at,
      });
      expect(await client.organization.workspaces.retrieve(workspace.id)).toEqual(updated);

      const renamedOnly = await client.organization.workspaces.update(workspace.id, {
        name: "R&D",
      });
      expect(renamedOnly.tags).toEqual({ team: "r-and-d", owner: "olivia" });
      expect(renamedOnly.display_color).toBe("#D97757");
      const cleared = await client.organization.workspaces.update(workspace.id, { tags: null });
      expect(cleared.tags).toEqual({});
    });

    it("should refuse a default geo outside the allowed geos", async () => {
      const error = await failure(
        client.organization.workspaces.create({
          name: "Bad geo",
          data_residency: { allowed_inference_geos: ["us"], default_inference_geo: "global" },
        }),
      );
      expect(error).toBeInstanceOf(BadRequestError);
      expect(error.message).toMatch(/default_inference_geo/);
    });

    it("should list with include_default and include_archived", async () => {
      const kept = await client.organization.workspaces.create({ name: "Kept" });
      const archivedWs = await client.organization.workspaces.create({ name: "Archived" });
      const archived = await client.organization.workspaces.archive(archivedWs.id);
      expect(archived.id).toBe(archivedWs.id);
      expect(archived.archived_at).toMatch(ISO);
      expect((await client.organization.workspaces.retrieve(archivedWs.id)).archived_at).toBe(
        archived.archived_at,
      );

      const plain = (await client.organization.workspaces.list({ limit: 1000 })).data.map(
        (w) => w.id,
      );
      expect(plain).toContain(kept.id);
      expect(plain).not.toContain(archivedWs.id);
      expect(plain).not.toContain(server.org.defaultWorkspaceId);

      const withArchived = await client.organization.workspaces.list({
        include_archived: true,
        limit: 1000,
      });
      expect(withArchived.data.map((w) => w.id)).toEqual(
        expect.arrayContaining([kept.id, archivedWs.id]),
      );
      expect(withArchived.data.map((w) => w.id)).not.toContain(server.org.defaultWorkspaceId);

      const withDefault = await client.organization.workspaces.list({
        include_default: true,
        limit: 1000,
      });
      const defaultWs = withDefault.data.find((w) => w.id === server.org.defaultWorkspaceId);
      expect(defaultWs).toMatchObject({ type: "workspace", archived_at: null });
      expect(withDefault.data.map((w) => w.id)).not.toContain(archivedWs.id);

      const explicitFalse = await client.organization.workspaces.list({
        include_archived: false,
        include_default: false,
        limit: 1000,
      });
      expect(explicitFalse.data.map((w) => w.id)).toEqual(plain);
    });

    it("should refuse to change an archived workspace", async () => {
      const workspace = await client.organization.workspaces.create({ name: "Frozen" });
      await client.organization.workspaces.archive(workspace.id);
      const error = await failure(
        client.organization.workspaces.update(workspace.id, { name: "Thawed" }),
      );
      expect(error).toBeInstanceOf(BadRequestError);
      expect(error.errorCode).toBe("workspace_archived");
      expect((await client.organization.workspaces.retrieve(workspace.id)).name).toBe("Frozen");
    });

    it("should refuse to archive the default workspace", async () => {
      const error = await failure(
        client.organization.workspaces.archive(server.org.defaultWorkspaceId),
      );
      expect(error).toBeInstanceOf(BadRequestError);
      expectEnvelope(error, 400, "invalid_request_error");
    });

    it("should page through workspaces with for await", async () => {
      const org = await server.createOrganization("Workspace Paging Org");
      const orgClient = clientFor(org.adminKey);
      const ids: string[] = [];
      for (let i = 0; i < 12; i++) {
        ids.push((await orgClient.organization.workspaces.create({ name: `ws-${i}` })).id);
      }
      const seen = await collect(orgClient.organization.workspaces.list({ limit: 5 }));
      expect(seen.map((w) => w.id)).toEqual(ids);
      expect(seen.map((w) => w.name)).toEqual(ids.map((_, i) => `ws-${i}`));

      const withDefault = await collect(
        orgClient.organization.workspaces.list({ limit: 5, include_default: true }),
      );
      expect(withDefault).toHaveLength(13);
      expect(withDefault.map((w) => w.id)).toContain(org.defaultWorkspaceId);
    });
  });

  describe("workspace members", () => {
    let workspaceId: string;
    beforeAll(async () => {
      workspaceId = (await client.organization.workspaces.create({ name: "Members" })).id;
    });

    it("should add, retrieve, update, list and remove a member", async () => {
      const user = await join(uniqueEmail("wsmember"), "developer");
      const members = client.organization.workspaces.members;

      const added = await members.add(workspaceId, {
        user_id: user.id,
        workspace_role: "workspace_developer",
      });
      expect(added).toEqual({
        type: "workspace_member",
        user_id: user.id,
        workspace_id: workspaceId,
        workspace_role: "workspace_developer",
      });

      expect(await members.retrieve(user.id, { workspace_id: workspaceId })).toEqual(added);

      const updated = await members.update(user.id, {
        workspace_id: workspaceId,
        workspace_role: "workspace_admin",
      });
      expect(updated).toEqual({ ...added, workspace_role: "workspace_admin" });
      expect((await members.retrieve(user.id, { workspace_id: workspaceId })).workspace_role).toBe(
        "workspace_admin",
      );

      const listed = await members.list(workspaceId);
      expect(listed.data).toContainEqual(updated);

      const removed = await members.remove(user.id, { workspace_id: workspaceId });
      expect(removed).toEqual({
        type: "workspace_member_deleted",
        user_id: user.id,
        workspace_id: workspaceId,
      });
      expectEnvelope(
        await failure(members.retrieve(user.id, { workspace_id: workspaceId })),
        404,
        "not_found_error",
      );
      expect((await members.list(workspaceId)).data.map((m) => m.user_id)).not.toContain(user.id);
      // Leaving the workspace is not leaving the organization.
      expect((await client.organization.users.retrieve(user.id)).id).toBe(user.id);
    });

    it("should page through members with for await", async () => {
      const workspace = await client.organization.workspaces.create({ name: "Crowded" });
      const userIds: string[] = [];
      for (let i = 0; i < 5; i++) {
        const user = await join(uniqueEmail("crowd"), "user");
        await client.organization.workspaces.members.add(workspace.id, {
          user_id: user.id,
          workspace_role: "workspace_user",
        });
        userIds.push(user.id);
      }
      const seen = await collect(
        client.organization.workspaces.members.list(workspace.id, { limit: 2 }),
      );
      expect(seen.map((m) => m.user_id)).toEqual(userIds);
      expect(
        seen.every((m) => m.workspace_id === workspace.id && m.workspace_role === "workspace_user"),
      ).toBe(true);
    });

    it("should refuse a second add of the same member", async () => {
      const user = await join(uniqueEmail("dup"), "user");
      await client.organization.workspaces.members.add(workspaceId, {
        user_id: user.id,
        workspace_role: "workspace_user",
      });
      const error = await failure(
        client.organization.workspaces.members.add(workspaceId, {
          user_id: user.id,
          workspace_role: "workspace_admin",
        }),
      );
      expect(error).toBeInstanceOf(BadRequestError);
      expect(error.errorCode).toBe("already_member");
      const kept = await client.organization.workspaces.members.retrieve(user.id, {
        workspace_id: workspaceId,
      });
      expect(kept.workspace_role).toBe("workspace_user");
    });

    it("should refuse workspace_billing, which the SDK lets update send, with its error_code", async () => {
      const user = await join(uniqueEmail("nobilling"), "billing");
      const members = client.organization.workspaces.members;
      await members.add(workspaceId, { user_id: user.id, workspace_role: "workspace_user" });
      const error = await failure(
        members.update(user.id, { workspace_id: workspaceId, workspace_role: "workspace_billing" }),
      );
      expectEnvelope(error, 400, "invalid_request_error");
      expect(error).toBeInstanceOf(BadRequestError);
      expect(error.errorCode).toBe("workspace_role_not_assignable");
      expect(error.message).toContain("workspace_role");
      const kept = await members.retrieve(user.id, { workspace_id: workspaceId });
      expect(kept.workspace_role).toBe("workspace_user");
    });

    it("should answer 404 for an unknown user or workspace", async () => {
      expectEnvelope(
        await failure(
          client.organization.workspaces.members.add(workspaceId, {
            user_id: "user_01DoesNotExist",
            workspace_role: "workspace_user",
          }),
        ),
        404,
        "not_found_error",
      );
      expectEnvelope(
        await failure(client.organization.workspaces.members.list("wrkspc_01DoesNotExist")),
        404,
        "not_found_error",
      );
    });
  });

  describe("api keys", () => {
    let workspaceId: string;
    let inDefault: string;
    let inWorkspace: string;
    let issuedTo: string;
    let holder: OrganizationUser;

    beforeAll(async () => {
      workspaceId = (await client.organization.workspaces.create({ name: "Keys" })).id;
      holder = await join(uniqueEmail("holder"), "developer");
      inDefault = await createApiKey({ name: "default-key" });
      inWorkspace = await createApiKey({ name: "ws-key", workspace_id: workspaceId });
      issuedTo = await createApiKey({
        name: "holder-key",
        workspace_id: workspaceId,
        user_id: holder.id,
      });
    });

    it("should retrieve a key with Anthropic's fields", async () => {
      const key = await client.organization.apiKeys.retrieve(issuedTo);
      expect(key).toMatchObject({
        id: issuedTo,
        type: "api_key",
        name: "holder-key",
        status: "active",
        expires_at: null,
        created_by: { id: server.org.ownerId, type: "user" },
        principal: { type: "user_actor", user_id: holder.id },
        scope: { type: "workspace", workspace_id: workspaceId },
      });
      expect(key.id).toMatch(/^apikey_/);
      expect(key.created_at).toMatch(ISO);
      expect(key.partial_key_hint).toMatch(/^sk-ant-api03-.+\.\.\..+$/);

      const plain = await client.organization.apiKeys.retrieve(inDefault);
      expect(plain.principal).toBeNull();
      expect(plain.scope).toEqual({
        type: "workspace",
        workspace_id: server.org.defaultWorkspaceId,
      });
    });

    it("should list keys and filter by workspace_id and created_by_user_id", async () => {
      const all = await client.organization.apiKeys.list({ limit: 1000 });
      expect(all.data.map((k) => k.id)).toEqual(
        expect.arrayContaining([inDefault, inWorkspace, issuedTo]),
      );

      const inWs = await client.organization.apiKeys.list({ workspace_id: workspaceId });
      expect(inWs.data.map((k) => k.id)).toEqual([inWorkspace, issuedTo]);
      expect(inWs.has_more).toBe(false);

      const byOwner = await client.organization.apiKeys.list({
        created_by_user_id: server.org.ownerId,
        limit: 1000,
      });
      expect(byOwner.data.map((k) => k.id)).toEqual(
        expect.arrayContaining([inDefault, inWorkspace, issuedTo]),
      );
      expect(byOwner.data.every((k) => k.created_by?.id === server.org.ownerId)).toBe(true);

      const byHolder = await client.organization.apiKeys.list({ created_by_user_id: holder.id });
      expect(byHolder.data).toEqual([]);
    });

    it("should take null filters, which the SDK sends as empty values, as absent", async () => {
      const sent: string[] = [];
      const recording = new Anthropic({
        baseURL,
        apiKey: server.org.adminKey,
        maxRetries: 0,
        fetch: (input, init) => {
          sent.push(String(input));
          return fetch(input, init);
        },
      });
      const all = await client.organization.apiKeys.list({ limit: 1000 });
      const nulls = await recording.organization.apiKeys.list({
        status: null,
        workspace_id: null,
        created_by_user_id: null,
        limit: 1000,
      });
      expect(new URL(sent[0] ?? "").search).toMatch(/status=&/);
      expect(nulls.data.map((k) => k.id)).toEqual(all.data.map((k) => k.id));
      // The same rule for every list, paging and array filters sent as null (`roles=`) included.
      const raw = await server.get("/v1/organizations/users?limit=&after_id=&roles=&email=");
      expect(raw.status).toBe(200);
      expect(raw.body.data.map((u: { id: string }) => u.id)).toContain(server.org.ownerId);
    });

    it("should rename a key and change its status, and filter by status", async () => {
      const keys = client.organization.apiKeys;
      const renamed = await keys.update(inWorkspace, { name: "ws-key renamed" });
      expect(renamed).toMatchObject({ id: inWorkspace, name: "ws-key renamed", status: "active" });

      const paused = await keys.update(inWorkspace, { status: "inactive" });
      expect(paused).toMatchObject({ name: "ws-key renamed", status: "inactive" });
      const inactive = await keys.list({ status: "inactive", workspace_id: workspaceId });
      expect(inactive.data.map((k) => k.id)).toEqual([inWorkspace]);
      const active = await keys.list({ status: "active", workspace_id: workspaceId });
      expect(active.data.map((k) => k.id)).toEqual([issuedTo]);

      expect((await keys.update(inWorkspace, { status: "active" })).status).toBe("active");
      const archived = await keys.update(inWorkspace, { status: "archived" });
      expect(archived.status).toBe("archived");
      expect(
        (await keys.list({ status: "archived", workspace_id: workspaceId })).data.map((k) => k.id),
      ).toEqual([inWorkspace]);

      const error = await failure(keys.update(inWorkspace, { status: "active" }));
      expect(error).toBeInstanceOf(BadRequestError);
      expect(error.errorCode).toBe("api_key_archived");
      expect((await keys.retrieve(inWorkspace)).status).toBe("archived");
    });

    it("should archive a removed member's keys", async () => {
      const leaver = await join(uniqueEmail("keyleaver"), "developer");
      const key = await createApiKey({ name: "leaver-key", user_id: leaver.id });
      await client.organization.users.remove(leaver.id);
      expect((await client.organization.apiKeys.retrieve(key)).status).toBe("archived");
    });

    it("should page through keys with for await", async () => {
      const workspace = await client.organization.workspaces.create({ name: "Many keys" });
      const ids: string[] = [];
      for (let i = 0; i < 7; i++) {
        ids.push(await createApiKey({ name: `k${i}`, workspace_id: workspace.id }));
      }
      const seen = await collect(
        client.organization.apiKeys.list({ workspace_id: workspace.id, limit: 3 }),
      );
      expect(seen.map((k) => k.id)).toEqual(ids);
      expect(seen.map((k) => k.name)).toEqual(ids.map((_, i) => `k${i}`));
    });
  });

  describe("errors", () => {
    it("should raise NotFoundError for unknown ids", async () => {
      const org = client.organization;
      const calls: Array<() => Promise<unknown>> = [
        () => org.users.retrieve("user_01DoesNotExist"),
        () => org.users.update("user_01DoesNotExist", { role: "user" }),
        () => org.users.remove("user_01DoesNotExist"),
        () => org.invites.retrieve("invite_01DoesNotExist"),
        () => org.invites.delete("invite_01DoesNotExist"),
        () => org.workspaces.retrieve("wrkspc_01DoesNotExist"),
        () => org.workspaces.update("wrkspc_01DoesNotExist", { name: "x" }),
        () => org.workspaces.archive("wrkspc_01DoesNotExist"),
        () =>
          org.workspaces.members.retrieve(server.org.ownerId, {
            workspace_id: "wrkspc_01DoesNotExist",
          }),
        () => org.apiKeys.retrieve("apikey_01DoesNotExist"),
        () => org.apiKeys.update("apikey_01DoesNotExist", { name: "x" }),
      ];
      for (const call of calls) {
        const error = await failure(call());
        expect(error).toBeInstanceOf(NotFoundError);
        expectEnvelope(error, 404, "not_found_error");
      }
    });

    it("should raise NotFoundError for another organization's ids, and change nothing there", async () => {
      const other = await server.createOrganization("Other Corp");
      const otherClient = clientFor(other.adminKey);
      const otherInvite = await otherClient.organization.invites.create({
        email: uniqueEmail("other-invitee"),
        role: "user",
      });
      const otherWorkspace = await otherClient.organization.workspaces.create({ name: "Theirs" });
      await otherClient.organization.workspaces.members.add(otherWorkspace.id, {
        user_id: other.ownerId,
        workspace_role: "workspace_admin",
      });
      const otherKey = await createApiKey({ name: "their-key" }, other);

      const org = client.organization;
      const calls: Array<() => Promise<unknown>> = [
        () => org.users.retrieve(other.ownerId),
        () => org.users.update(other.ownerId, { role: "user" }),
        () => org.users.remove(other.ownerId),
        () => org.invites.retrieve(otherInvite.id),
        () => org.invites.delete(otherInvite.id),
        () => org.workspaces.retrieve(otherWorkspace.id),
        () => org.workspaces.update(otherWorkspace.id, { name: "Ours now" }),
        () => org.workspaces.archive(otherWorkspace.id),
        () => org.workspaces.retrieve(other.defaultWorkspaceId),
        () => org.workspaces.members.list(otherWorkspace.id),
        () => org.workspaces.members.retrieve(other.ownerId, { workspace_id: otherWorkspace.id }),
        () =>
          org.workspaces.members.update(other.ownerId, {
            workspace_id: otherWorkspace.id,
            workspace_role: "workspace_user",
          }),
        () => org.workspaces.members.remove(other.ownerId, { workspace_id: otherWorkspace.id }),
        () =>
          org.workspaces.members.add(otherWorkspace.id, {
            user_id: server.org.ownerId,
            workspace_role: "workspace_user",
          }),
        () =>
          org.workspaces.members.add(server.org.defaultWorkspaceId, {
            user_id: other.ownerId,
            workspace_role: "workspace_user",
          }),
        () => org.apiKeys.retrieve(otherKey),
        () => org.apiKeys.update(otherKey, { status: "archived" }),
      ];
      for (const call of calls) {
        const error = await failure(call());
        expect(error).toBeInstanceOf(NotFoundError);
        expectEnvelope(error, 404, "not_found_error");
      }

      // Nothing leaked into lists either.
      expect((await org.users.list({ limit: 1000 })).data.map((u) => u.id)).not.toContain(
        other.ownerId,
      );
      expect((await org.invites.list({ limit: 1000 })).data.map((i) => i.id)).not.toContain(
        otherInvite.id,
      );
      expect(
        (
          await org.workspaces.list({ include_default: true, include_archived: true, limit: 1000 })
        ).data.map((w) => w.id),
      ).not.toContain(otherWorkspace.id);
      expect((await org.apiKeys.list({ limit: 1000 })).data.map((k) => k.id)).not.toContain(
        otherKey,
      );

      // And the other organization is untouched.
      expect(await otherClient.organization.users.retrieve(other.ownerId)).toMatchObject({
        role: "owner",
      });
      expect(await otherClient.organization.invites.retrieve(otherInvite.id)).toMatchObject({
        status: "pending",
      });
      expect(await otherClient.organization.workspaces.retrieve(otherWorkspace.id)).toMatchObject({
        name: "Theirs",
        archived_at: null,
      });
      expect(
        await otherClient.organization.workspaces.members.retrieve(other.ownerId, {
          workspace_id: otherWorkspace.id,
        }),
      ).toMatchObject({ workspace_role: "workspace_admin" });
      expect(await otherClient.organization.apiKeys.retrieve(otherKey)).toMatchObject({
        status: "active",
      });
    });

    it("should raise AuthenticationError for a bad key", async () => {
      const bad = clientFor("sk-ant-admin01-not-a-real-key");
      const error = await failure(bad.organization.retrieve());
      expect(error).toBeInstanceOf(AuthenticationError);
      expectEnvelope(error, 401, "authentication_error");
      expect(await failure(bad.organization.users.list())).toBeInstanceOf(AuthenticationError);
    });

    it("should raise BadRequestError for bad input", async () => {
      const org = client.organization;
      const cases: Array<[() => Promise<unknown>, RegExp]> = [
        [() => org.users.list({ limit: 0 }), /limit/],
        [() => org.users.list({ limit: 1001 }), /limit/],
        [() => org.users.list({ roles: ["emperor"] }), /roles/],
        [() => org.invites.create({ email: "not-an-email", role: "user" }), /email/],
        [() => org.invites.list({ statuses: ["lost" as "pending"] }), /statuses/],
        [() => org.workspaces.create({ name: "" }), /name/],
        [() => org.workspaces.create({ name: "x".repeat(41) }), /name/],
        [
          () => org.workspaces.create({ name: "Tagged", tags: { anthropic_internal: "1" } }),
          /tags/,
        ],
        [
          () => org.workspaces.update(server.org.defaultWorkspaceId, { display_color: "red" }),
          /display_color/,
        ],
        [() => org.workspaces.list({ after_id: "wrkspc_01DoesNotExist" }), /after_id/],
        [() => org.apiKeys.list({ status: "revoked" as "active" }), /status/],
      ];
      for (const [call, field] of cases) {
        const error = await failure(call());
        expect(error).toBeInstanceOf(BadRequestError);
        expectEnvelope(error, 400, "invalid_request_error");
        expect(error.message).toMatch(field);
      }
    });

    it("should raise CannotRemoveLastMemberError for the last owner, removed or demoted", async () => {
      const org = await server.createOrganization("Solo Corp");
      const solo = clientFor(org.adminKey);

      const removal = await failure(solo.organization.users.remove(org.ownerId));
      expect(removal).toBeInstanceOf(CannotRemoveLastMemberError);
      expect(removal).toBeInstanceOf(BadRequestError);
      expect(removal.errorCode).toBe("cannot_remove_last_member");
      expectEnvelope(removal, 400, "invalid_request_error");

      const demotion = await failure(
        solo.organization.users.update(org.ownerId, { role: "developer" }),
      );
      expect(demotion).toBeInstanceOf(CannotRemoveLastMemberError);
      expect(demotion.errorCode).toBe("cannot_remove_last_member");
      expectEnvelope(demotion, 400, "invalid_request_error");
      expect(await solo.organization.users.retrieve(org.ownerId)).toMatchObject({ role: "owner" });

      // With a second owner (made through Steward's own surface: the SDK's types offer no
      // `owner` role), the first can step down.
      const deputy = await join(uniqueEmail("deputy"), "user", solo);
      const promoted = await server.post(
        `/v1/organizations/users/${deputy.id}`,
        { role: "owner" },
        { key: org.adminKey },
      );
      expect(promoted.status).toBe(200);
      const demoted = await solo.organization.users.update(org.ownerId, { role: "developer" });
      expect(demoted.role).toBe("developer");
      // The first owner's key is suspended with their demotion: an organization-level key goes on.
      const operatorKey = await server.services.adminKeys.create(operatorContext(org.id), {
        name: "organization-level",
      });
      const lastOwner = await failure(
        clientFor(operatorKey.key).organization.users.remove(deputy.id),
      );
      expect(lastOwner).toBeInstanceOf(CannotRemoveLastMemberError);
    });
  });
});
