/**
 * Service accounts (issue 27, point 3) through the official `@anthropic-ai/sdk` 1.10.0, over a
 * real socket: every method of `organization.serviceAccounts` (and its `workspaces`) and of
 * `organization.workspaces.serviceAccounts`, each answer checked field by field against the SDK's
 * declared types; API keys that belong to a service account; archiving, which revokes them at the
 * gateway on the next request; and offboarding, which leaves them alone.
 */
import Anthropic, { BadRequestError, ConflictError, NotFoundError } from "@anthropic-ai/sdk";
import type {
  APIKey,
  ServiceAccount,
  ServiceAccountWorkspaceMember,
} from "@anthropic-ai/sdk/resources/organization";
import type { WorkspaceRemoveResponse } from "@anthropic-ai/sdk/resources/organization/service-accounts/workspaces";
import type { ServiceAccountRemoveResponse } from "@anthropic-ai/sdk/resources/organization/workspaces/service-accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiKey as StewardApiKey } from "../src/contract/api-keys.js";
import type {
  ServiceAccountWorkspaceMember as StewardMembership,
  ServiceAccountWorkspaceMemberDeleteResponse as StewardMembershipDeleted,
  ServiceAccount as StewardServiceAccount,
} from "../src/contract/service-accounts.js";
import { operatorContext } from "../src/core/context.js";
import {
  ask,
  expectApiError,
  failure,
  type GatewayEnv,
  REQUEST_ID,
  startGatewayEnv,
} from "./gateway-support.js";
import { describeEachBackend } from "./harness.js";
import { collect } from "./support/official-sdk.js";

// Type-level: what Steward's contract answers is assignable to what the SDK declares, so a
// declared field Steward lacks (or types differently) fails `npm run check`.
type Assignable<T, U extends T> = U;
export type ContractMatchesSdk = [
  Assignable<ServiceAccount, StewardServiceAccount>,
  Assignable<ServiceAccountWorkspaceMember, StewardMembership>,
  Assignable<WorkspaceRemoveResponse, StewardMembershipDeleted>,
  Assignable<ServiceAccountRemoveResponse, StewardMembershipDeleted>,
  Assignable<APIKey["principal"], StewardApiKey["principal"]>,
];

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const nullOr = (check: (value: unknown) => void) => (value: unknown) => {
  if (value !== null) {
    check(value);
  }
};
const isString = (value: unknown) => expect(value).toEqual(expect.any(String));
const isIso = (value: unknown) => expect(value).toMatch(ISO);

/** Every field SDK 1.10.0 declares on ServiceAccount, present with its declared type. */
function expectServiceAccount(account: ServiceAccount): void {
  const checks: Record<keyof ServiceAccount, (value: unknown) => void> = {
    id: (v) => expect(v).toMatch(/^svac_/),
    type: (v) => expect(v).toBe("service_account"),
    name: isString,
    description: nullOr(isString),
    organization_role: (v) => expect(["admin", "developer"]).toContain(v),
    created_at: isIso,
    updated_at: isIso,
    archived_at: nullOr(isIso),
    created_by_actor_id: nullOr((v) => expect(v).toMatch(/^(user|svac)_/)),
    updated_by_actor_id: nullOr((v) => expect(v).toMatch(/^(user|svac)_/)),
    archived_by_actor_id: nullOr((v) => expect(v).toMatch(/^(user|svac)_/)),
  };
  expect(Object.keys(account).sort()).toEqual(Object.keys(checks).sort());
  for (const [field, check] of Object.entries(checks)) {
    check(account[field as keyof ServiceAccount]);
  }
}

/** Every field SDK 1.10.0 declares on ServiceAccountWorkspaceMember, with its declared type. */
function expectMembership(member: ServiceAccountWorkspaceMember): void {
  const checks: Record<keyof ServiceAccountWorkspaceMember, (value: unknown) => void> = {
    type: (v) => expect(v).toBe("service_account_workspace_member"),
    service_account_id: (v) => expect(v).toMatch(/^svac_/),
    workspace_id: (v) => expect(v).toMatch(/^wrkspc_/),
    workspace_role: (v) =>
      expect([
        "workspace_admin",
        "workspace_developer",
        "workspace_restricted_developer",
        "workspace_user",
      ]).toContain(v),
    implicit: nullOr((v) => expect(typeof v).toBe("boolean")),
    created_by_actor_id: nullOr((v) => expect(v).toMatch(/^(user|svac)_/)),
  };
  expect(Object.keys(member).sort()).toEqual(Object.keys(checks).sort());
  for (const [field, check] of Object.entries(checks)) {
    check(member[field as keyof ServiceAccountWorkspaceMember]);
  }
}

describeEachBackend("service accounts", (backend) => {
  let env: GatewayEnv;
  let client: Anthropic;
  let counter = 0;
  const uniqueName = (label: string) => `${label}-${++counter}`;

  const accounts = () => client.organization.serviceAccounts;
  const workspaceAccounts = () => client.organization.workspaces.serviceAccounts;

  /** A new workspace through the SDK. */
  async function newWorkspace(): Promise<string> {
    return (await client.organization.workspaces.create({ name: uniqueName("ws") })).id;
  }

  /** The SDK has no create for API keys: Steward's addition on Anthropic's path. */
  async function createKey(
    body: Record<string, unknown>,
    adminKey = env.server.org.adminKey,
  ): Promise<{ id: string; key: string }> {
    const created = await env.server.post(
      "/v1/organizations/api_keys",
      { name: uniqueName("key"), ...body },
      { key: adminKey },
    );
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    return { id: created.body.id, key: created.body.key };
  }

  beforeAll(async () => {
    env = await startGatewayEnv(backend);
    client = new Anthropic({
      baseURL: env.baseURL,
      apiKey: env.server.org.adminKey,
      maxRetries: 0,
    });
  });
  afterAll(async () => {
    await env?.close();
  });

  describe("organization.serviceAccounts", () => {
    it("creates, retrieves, updates and archives a service account with every declared field", async () => {
      const name = uniqueName("ci-deploy-bot");
      const created = await accounts().create({ name });
      expectServiceAccount(created);
      expect(created).toMatchObject({
        name,
        description: null,
        organization_role: "developer",
        archived_at: null,
        archived_by_actor_id: null,
      });
      expect(created.created_at).toBe(created.updated_at);

      const retrieved = await accounts().retrieve(created.id);
      expectServiceAccount(retrieved);
      expect(retrieved).toEqual(created);

      const described = await accounts().update(created.id, {
        description: "Deploys from CI",
        organization_role: "admin",
      });
      expectServiceAccount(described);
      expect(described).toMatchObject({
        name,
        description: "Deploys from CI",
        organization_role: "admin",
      });
      // null clears the description (stored as an empty string); a null role leaves it unchanged.
      const cleared = await accounts().update(created.id, {
        description: null,
        organization_role: null,
      });
      expect(cleared).toMatchObject({ description: "", organization_role: "admin" });

      env.clock.advance(60_000);
      const archived = await accounts().archive(created.id);
      expectServiceAccount(archived);
      expect(archived.archived_at).toMatch(ISO);
      expect(archived.archived_by_actor_id).toBe(archived.updated_by_actor_id);
      // Idempotent: archiving again answers the first archived_at.
      env.clock.advance(60_000);
      const again = await accounts().archive(created.id);
      expect(again.archived_at).toBe(archived.archived_at);
      expect(await accounts().retrieve(created.id)).toEqual(archived);

      const refused = await failure(accounts().update(created.id, { description: "too late" }));
      expect(refused).toBeInstanceOf(BadRequestError);
      expectApiError(refused, 400, "invalid_request_error", "service_account_archived");
    });

    it("creates with a description and the admin role, and refuses a taken name with a 409", async () => {
      const name = uniqueName("nightly-reports");
      const created = await accounts().create({
        name,
        description: "Nightly reports",
        organization_role: "admin",
      });
      expect(created).toMatchObject({ description: "Nightly reports", organization_role: "admin" });
      const taken = await failure(accounts().create({ name }));
      expect(taken).toBeInstanceOf(ConflictError);
      expectApiError(taken, 409, "conflict_error");
      expect(taken.message).toMatch(/name/);
    });

    it("refuses bad input with a 400 naming the field", async () => {
      for (const [body, field] of [
        [{ name: "CI Bot" }, "name"],
        [{ name: "-leading" }, "name"],
        [{ name: "" }, "name"],
        [{ name: "x".repeat(65) }, "name"],
        [{ name: uniqueName("ok"), organization_role: "owner" }, "organization_role"],
        [{ name: uniqueName("ok"), description: "a\nb" }, "description"],
        [{ name: uniqueName("ok"), colour: "red" }, "colour"],
      ] as const) {
        const refused = await failure(accounts().create(body as { name: string }));
        expectApiError(refused, 400, "invalid_request_error");
        expect(refused.message, JSON.stringify(body)).toContain(field);
      }
      const account = await accounts().create({ name: uniqueName("bad-updates") });
      const badRole = await failure(
        accounts().update(account.id, { organization_role: "owner" as "admin" }),
      );
      expectApiError(badRole, 400, "invalid_request_error");
      expect(badRole.message).toContain("organization_role");
      const renamed = await failure(
        accounts().update(account.id, { name: "renamed" } as unknown as { description: string }),
      );
      expectApiError(renamed, 400, "invalid_request_error");
      expect(renamed.message).toContain("name");
      const badLimit = await failure(accounts().list({ limit: 0 }));
      expectApiError(badLimit, 400, "invalid_request_error");
      expect(badLimit.message).toContain("limit");
      const badPage = await failure(accounts().list({ page: "svac_nope" }));
      expectApiError(badPage, 400, "invalid_request_error", "invalid_cursor");
      expect(badPage.message).toContain("page");
    });

    it("answers 404 for an unknown id and for another organization's", async () => {
      const other = await env.server.createOrganization();
      const theirs = await new Anthropic({
        baseURL: env.baseURL,
        apiKey: other.adminKey,
        maxRetries: 0,
      }).organization.serviceAccounts.create({ name: "theirs" });
      for (const id of ["svac_unknown", theirs.id]) {
        const missing = await failure(accounts().retrieve(id));
        expect(missing).toBeInstanceOf(NotFoundError);
        expectApiError(missing, 404, "not_found_error");
        expectApiError(await failure(accounts().archive(id)), 404, "not_found_error");
      }
      // Names are unique per organization, not across them.
      expect((await accounts().create({ name: "theirs" })).name).toBe("theirs");
    });

    it("lists newest first, pages with next_page, and shows archived ones only when asked", async () => {
      const made: ServiceAccount[] = [];
      for (let i = 0; i < 3; i++) {
        env.clock.advance(1000);
        made.push(await accounts().create({ name: uniqueName("listed") }));
      }
      const archived = await accounts().archive((made[1] as ServiceAccount).id);

      const first = await accounts().list({ limit: 1 });
      expect(first.data).toHaveLength(1);
      expectServiceAccount(first.data[0] as ServiceAccount);
      expect(first.data[0]?.id).toBe(made[2]?.id);
      expect(first.next_page).toBe(made[2]?.id);

      const all = await collect(accounts().list({ limit: 1 }));
      const ids = all.map((a) => a.id);
      expect(ids).toEqual([...ids].sort().reverse());
      expect(ids).toContain(made[2]?.id);
      expect(ids).toContain(made[0]?.id);
      expect(ids).not.toContain(archived.id);

      const withArchived = await collect(accounts().list({ include_archived: true, limit: 2 }));
      expect(withArchived.map((a) => a.id)).toContain(archived.id);
      expect(withArchived.length).toBe(all.length + (await archivedCount()));
      for (const account of withArchived) {
        expectServiceAccount(account);
      }

      const last = await accounts().list({ limit: 1000 });
      expect(last.next_page).toBeNull();
    });

    /** Archived accounts of the organization, counted through the SDK. */
    async function archivedCount(): Promise<number> {
      const every = await collect(accounts().list({ include_archived: true, limit: 1000 }));
      return every.filter((a) => a.archived_at !== null).length;
    }

    it("answers the same through the beta mirror", async () => {
      const created = await client.beta.organization.serviceAccounts.create({
        name: uniqueName("beta"),
      });
      expectServiceAccount(created as ServiceAccount);
      expect((await accounts().retrieve(created.id)).name).toBe(created.name);
      const memberships = await collect(
        client.beta.organization.serviceAccounts.workspaces.list(created.id),
      );
      expect(memberships).toHaveLength(1);
    });
  });

  describe("workspace memberships", () => {
    it("has the default workspace's implicit membership, which cannot be updated or removed", async () => {
      const account = await accounts().create({ name: uniqueName("implicit") });
      const defaultId = env.server.org.defaultWorkspaceId;
      const listed = await collect(accounts().workspaces.list(account.id));
      expect(listed).toEqual([
        {
          type: "service_account_workspace_member",
          service_account_id: account.id,
          workspace_id: defaultId,
          workspace_role: "workspace_user",
          implicit: true,
          created_by_actor_id: null,
        },
      ]);
      expectMembership(listed[0] as ServiceAccountWorkspaceMember);
      const retrieved = await workspaceAccounts().retrieve(account.id, { workspace_id: defaultId });
      expect(retrieved).toEqual(listed[0]);
      // Not among the default workspace's listed service accounts.
      const inDefault = await collect(workspaceAccounts().list(defaultId));
      expect(inDefault.map((m) => m.service_account_id)).not.toContain(account.id);

      const update = await failure(
        workspaceAccounts().update(account.id, {
          workspace_id: defaultId,
          workspace_role: "workspace_admin",
        }),
      );
      expectApiError(update, 400, "invalid_request_error");
      expect(update.message).toMatch(/implicit/);

      const removed = await workspaceAccounts().remove(account.id, { workspace_id: defaultId });
      expect(removed).toEqual({
        type: "service_account_workspace_member_deleted",
        service_account_id: account.id,
        workspace_id: defaultId,
      });
      expect(await collect(accounts().workspaces.list(account.id))).toEqual(listed);

      // An explicit default membership replaces the implicit one; removing it reverts.
      const explicit = await workspaceAccounts().add(defaultId, {
        service_account_id: account.id,
        workspace_role: "workspace_developer",
      });
      expect(explicit).toMatchObject({ implicit: false, workspace_role: "workspace_developer" });
      expect(await collect(accounts().workspaces.list(account.id))).toEqual([explicit]);
      expect(
        (await collect(workspaceAccounts().list(defaultId))).map((m) => m.service_account_id),
      ).toContain(account.id);
      await accounts().workspaces.remove(defaultId, { service_account_id: account.id });
      expect(await collect(accounts().workspaces.list(account.id))).toEqual(listed);
    });

    it("adds, lists, retrieves, updates and removes memberships from both sides", async () => {
      const account = await accounts().create({ name: uniqueName("member") });
      const workspaceA = await newWorkspace();
      const workspaceB = await newWorkspace();

      const viaAccount = await accounts().workspaces.add(account.id, {
        workspace_id: workspaceA,
        workspace_role: "workspace_developer",
      });
      expectMembership(viaAccount);
      expect(viaAccount).toMatchObject({
        service_account_id: account.id,
        workspace_id: workspaceA,
        workspace_role: "workspace_developer",
        implicit: false,
        created_by_actor_id: env.server.org.ownerId,
      });
      const viaWorkspace = await workspaceAccounts().add(workspaceB, {
        service_account_id: account.id,
        workspace_role: "workspace_restricted_developer",
      });
      expectMembership(viaWorkspace);

      // Adding again replaces the role.
      const replaced = await workspaceAccounts().add(workspaceA, {
        service_account_id: account.id,
        workspace_role: "workspace_user",
      });
      expect(replaced.workspace_role).toBe("workspace_user");

      const mine = await collect(accounts().workspaces.list(account.id));
      expect(mine.map((m) => [m.workspace_id, m.workspace_role, m.implicit])).toEqual([
        [env.server.org.defaultWorkspaceId, "workspace_user", true],
        ...[
          [workspaceA, "workspace_user", false],
          [workspaceB, "workspace_restricted_developer", false],
        ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
      ]);
      // limit=1: the implicit entry plus one explicit membership, and a cursor to the next.
      const firstPage = await accounts().workspaces.list(account.id, { limit: 1 });
      expect(firstPage.data).toHaveLength(2);
      expect(firstPage.next_page).toBe(firstPage.data[1]?.workspace_id);
      const second = await accounts().workspaces.list(account.id, {
        limit: 1,
        page: firstPage.next_page,
      });
      expect(second.data).toHaveLength(1);
      expect(second.next_page).toBeNull();

      const members = await collect(workspaceAccounts().list(workspaceA, { limit: 1 }));
      expect(members).toEqual([replaced]);
      expectMembership(members[0] as ServiceAccountWorkspaceMember);

      const retrieved = await workspaceAccounts().retrieve(account.id, {
        workspace_id: workspaceB,
      });
      expect(retrieved).toEqual(viaWorkspace);

      const updated = await workspaceAccounts().update(account.id, {
        workspace_id: workspaceB,
        workspace_role: "workspace_admin",
      });
      expectMembership(updated);
      expect(updated.workspace_role).toBe("workspace_admin");

      const removedA = await accounts().workspaces.remove(workspaceA, {
        service_account_id: account.id,
      });
      expect(removedA).toEqual({
        type: "service_account_workspace_member_deleted",
        service_account_id: account.id,
        workspace_id: workspaceA,
      });
      // Idempotent.
      expect(
        await accounts().workspaces.remove(workspaceA, { service_account_id: account.id }),
      ).toEqual(removedA);
      const removedB = await workspaceAccounts().remove(account.id, { workspace_id: workspaceB });
      expect(removedB.workspace_id).toBe(workspaceB);
      expect(await collect(workspaceAccounts().list(workspaceB))).toEqual([]);
      const gone = await failure(
        workspaceAccounts().retrieve(account.id, { workspace_id: workspaceB }),
      );
      expectApiError(gone, 404, "not_found_error");

      const audit = await env.server.get("/v1/organizations/audit_logs", {
        query: { target_id: `${workspaceA}/${account.id}`, limit: 100 },
      });
      expect((audit.body as { data: Array<{ action: string }> }).data.map((r) => r.action)).toEqual(
        [
          "service_account_workspace_member.added",
          "service_account_workspace_member.updated",
          "service_account_workspace_member.removed",
        ],
      );
    });

    it("refuses workspace_billing, archived workspaces and archived accounts", async () => {
      const account = await accounts().create({ name: uniqueName("refused") });
      const workspace = await newWorkspace();
      const billing = await failure(
        accounts().workspaces.add(account.id, {
          workspace_id: workspace,
          workspace_role: "workspace_billing" as "workspace_user",
        }),
      );
      expectApiError(billing, 400, "invalid_request_error");
      expect(billing.message).toContain("workspace_role");
      expect(billing.errorCode).toBe("workspace_role_not_assignable");
      const unknownWorkspace = await failure(
        accounts().workspaces.add(account.id, {
          workspace_id: "wrkspc_nope",
          workspace_role: "workspace_user",
        }),
      );
      expectApiError(unknownWorkspace, 404, "not_found_error");

      await accounts().workspaces.add(account.id, {
        workspace_id: workspace,
        workspace_role: "workspace_user",
      });
      await client.organization.workspaces.archive(workspace);
      for (const call of [
        () => workspaceAccounts().list(workspace),
        () => workspaceAccounts().retrieve(account.id, { workspace_id: workspace }),
        () =>
          workspaceAccounts().add(workspace, {
            service_account_id: account.id,
            workspace_role: "workspace_user",
          }),
        () =>
          workspaceAccounts().update(account.id, {
            workspace_id: workspace,
            workspace_role: "workspace_admin",
          }),
        () => workspaceAccounts().remove(account.id, { workspace_id: workspace }),
      ]) {
        expectApiError(await failure(call()), 400, "invalid_request_error", "workspace_archived");
      }
      // The account's side still shows the archived workspace's membership.
      const page = await accounts().workspaces.list(account.id);
      expect(page.data.map((m) => m.workspace_id)).toContain(workspace);

      const other = await newWorkspace();
      await accounts().archive(account.id);
      const addArchived = await failure(
        workspaceAccounts().add(other, {
          service_account_id: account.id,
          workspace_role: "workspace_user",
        }),
      );
      expectApiError(addArchived, 400, "invalid_request_error", "service_account_archived");
      // An archived account has no memberships; a cursor into them no longer matches.
      const none = await accounts().workspaces.list(account.id);
      expect(none.data).toEqual([]);
      expect(none.next_page).toBeNull();
      expectApiError(
        await failure(accounts().workspaces.list(account.id, { page: workspace })),
        400,
        "invalid_request_error",
        "invalid_cursor",
      );
      expectApiError(
        await failure(
          workspaceAccounts().retrieve(account.id, {
            workspace_id: env.server.org.defaultWorkspaceId,
          }),
        ),
        404,
        "not_found_error",
      );
    });

    it("omits archived accounts from a workspace's list", async () => {
      const workspace = await newWorkspace();
      const kept = await accounts().create({ name: uniqueName("kept") });
      const dropped = await accounts().create({ name: uniqueName("dropped") });
      for (const account of [kept, dropped]) {
        await workspaceAccounts().add(workspace, {
          service_account_id: account.id,
          workspace_role: "workspace_developer",
        });
      }
      await accounts().archive(dropped.id);
      const listed = await collect(workspaceAccounts().list(workspace));
      expect(listed.map((m) => m.service_account_id)).toEqual([kept.id]);
      expectApiError(
        await failure(workspaceAccounts().list(workspace, { page: dropped.id })),
        400,
        "invalid_request_error",
        "invalid_cursor",
      );
    });
  });

  describe("API keys of service accounts", () => {
    it("issues a key whose principal is the service account, only in one of its workspaces", async () => {
      const account = await accounts().create({ name: uniqueName("keyed") });
      const workspace = await newWorkspace();

      const notMember = await env.server.post("/v1/organizations/api_keys", {
        name: "not yet",
        workspace_id: workspace,
        service_account_id: account.id,
      });
      expect(notMember.status).toBe(400);
      expect(JSON.stringify(notMember.body)).toContain("service_account_id");

      // Every account is a member of the default workspace.
      const inDefault = await createKey({ service_account_id: account.id });
      const key = await client.organization.apiKeys.retrieve(inDefault.id);
      expect(key.principal).toEqual({
        type: "service_account_actor",
        service_account_id: account.id,
      });
      expect(key.created_by).toMatchObject({ id: env.server.org.ownerId, type: "user" });

      await accounts().workspaces.add(account.id, {
        workspace_id: workspace,
        workspace_role: "workspace_developer",
      });
      const inWorkspace = await createKey({
        workspace_id: workspace,
        service_account_id: account.id,
      });
      const listed = await env.server.get("/v1/organizations/api_keys", {
        query: { service_account_id: account.id },
      });
      expect((listed.body as { data: Array<{ id: string }> }).data.map((k) => k.id)).toEqual(
        [inDefault.id, inWorkspace.id].sort(),
      );

      const both = await env.server.post("/v1/organizations/api_keys", {
        name: "both",
        user_id: env.server.org.ownerId,
        service_account_id: account.id,
      });
      expect(both.status).toBe(400);
      expect(JSON.stringify(both.body)).toContain("service_account_id");
      const unknown = await env.server.post("/v1/organizations/api_keys", {
        name: "unknown",
        service_account_id: "svac_nope",
      });
      expect(unknown.status).toBe(404);
    });

    it("archiving the account revokes its keys: the gateway refuses them on the next request", async () => {
      const account = await accounts().create({ name: uniqueName("archived-keys") });
      const workspace = await newWorkspace();
      await accounts().workspaces.add(account.id, {
        workspace_id: workspace,
        workspace_role: "workspace_developer",
      });
      const issued = await createKey({ workspace_id: workspace, service_account_id: account.id });
      const other = await createKey({ workspace_id: workspace });
      const gateway = env.client(issued.key);
      expect((await gateway.messages.create(ask())).type).toBe("message");

      await accounts().archive(account.id);
      env.upstream.reset();
      const refused = await failure(gateway.messages.create(ask()));
      expectApiError(refused, 401, "authentication_error");
      expect(refused.requestID).toMatch(REQUEST_ID);
      expectApiError(
        await failure(gateway.messages.stream(ask()).finalMessage()),
        401,
        "authentication_error",
      );
      expect(env.upstream.counts.requests).toBe(0);
      // The workspace's other keys are untouched.
      expect((await env.client(other.key).messages.create(ask())).type).toBe("message");

      expect((await client.organization.apiKeys.retrieve(issued.id)).status).toBe("archived");
      const audit = await env.server.get("/v1/organizations/audit_logs", {
        query: { target_id: issued.id, action: "api_key.revoked" },
      });
      const records = (audit.body as { data: Array<{ changes: { after: unknown } }> }).data;
      expect(records).toHaveLength(1);
      expect(records[0]?.changes.after).toMatchObject({
        status: "archived",
        reason: "service_account_archived",
        service_account_id: account.id,
      });
      const archivedRecord = await env.server.get("/v1/organizations/audit_logs", {
        query: { target_id: account.id, action: "service_account.archived" },
      });
      const after = (archivedRecord.body as { data: Array<{ changes: { after: unknown } }> })
        .data[0]?.changes.after;
      expect(after).toMatchObject({ revoked_api_key_ids: [issued.id] });

      const noMoreKeys = await env.server.post("/v1/organizations/api_keys", {
        name: "after archive",
        service_account_id: account.id,
      });
      expect(noMoreKeys.status).toBe(400);
      expect(JSON.stringify(noMoreKeys.body)).toContain("service_account_archived");
    });

    it("offboarding the person who created a service account's key leaves the key working", async () => {
      const org = env.server.org;
      const invite = await env.server.post("/v1/organizations/invites", {
        email: `automator.${++counter}@example.com`,
        role: "admin",
      });
      const accepted = await env.server.post(
        "/v1/invites/accept",
        { token: invite.body.token },
        { key: null },
      );
      const adminId = accepted.body.id;
      const held = await env.server.services.adminKeys.create(operatorContext(org.id), {
        name: "automator's key",
        userId: adminId,
      });
      const account = await new Anthropic({
        baseURL: env.baseURL,
        apiKey: held.key,
        maxRetries: 0,
      }).organization.serviceAccounts.create({ name: uniqueName("pipeline") });
      expect(account.created_by_actor_id).toBe(adminId);

      const automation = await createKey({ service_account_id: account.id }, held.key);
      const personal = await createKey({}, held.key);
      const automationKey = await client.organization.apiKeys.retrieve(automation.id);
      expect(automationKey.created_by?.id).toBe(adminId);

      const offboarded = await env.server.post(`/v1/organizations/users/${adminId}/offboard`, {});
      expect(offboarded.status).toBe(200);
      expect(offboarded.body.revoked_api_key_ids).toContain(personal.id);
      expect(offboarded.body.revoked_api_key_ids).not.toContain(automation.id);

      expect((await env.client(automation.key).messages.create(ask())).type).toBe("message");
      expectApiError(
        await failure(env.client(personal.key).messages.create(ask())),
        401,
        "authentication_error",
      );
      expect((await client.organization.apiKeys.retrieve(automation.id)).status).toBe("active");
    });
  });
});
