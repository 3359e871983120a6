/**
 * Every Admin API method Steward serves, driven through the official `@anthropic-ai/sdk` (pinned in
 * devDependencies) against the app in process, each answer checked against the type the SDK
 * declares for it: every declared field present, with its declared type (test/support/
 * sdk-declared-types.ts reads the types from the SDK's .d.ts files). test/types/
 * anthropic-sdk-conformance.ts checks the same at the type level.
 *
 * CALLS must name every method scripts/admin-api-coverage.ts finds served: a route added without
 * an entry here fails the first test. To add one, add a line to CALLS: `both(...)` for a method
 * of `client.organization` and its `client.beta.organization` twin, `betaOnly(...)` for one the
 * SDK has only under beta.
 */
import type Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { servedSdkMethods } from "../scripts/admin-api-coverage.js";
import { ManualClock } from "../src/core/ports.js";
import { createTestServer, describeEachBackend, type TestServer } from "./harness.js";
import { officialSdkFor } from "./support/official-sdk.js";
import { type DeclaredTypes, loadDeclaredTypes } from "./support/sdk-declared-types.js";

type Org = Anthropic["organization"];
type BetaOrg = Anthropic["beta"]["organization"];

/** What a call needs that the SDK cannot make, or that another call would use up. */
interface Fixtures {
  ownerId: string;
  /** A new member of the organization (invited through the SDK, then accepted). */
  user(): Promise<string>;
  /** A pending invite. */
  invite(): Promise<string>;
  workspace(): Promise<string>;
  /** A workspace with a member in it. */
  member(): Promise<{ workspaceId: string; userId: string }>;
  /** An API key (the SDK has no create: Anthropic creates keys in its Console). */
  apiKey(): Promise<string>;
  serviceAccount(): Promise<string>;
  /** A service account that is an explicit member of a workspace. */
  serviceAccountMember(): Promise<{ workspaceId: string; serviceAccountId: string }>;
  unique(label: string): string;
}

type Drive = (client: Anthropic, fx: Fixtures) => Promise<unknown>;

/** `organization.<name>` and `beta.organization.<name>`: one route, driven the same way. */
function both(name: string, drive: (org: Org, fx: Fixtures) => Promise<unknown>) {
  return [
    [`organization.${name}`, (client, fx) => drive(client.organization, fx)],
    // The beta tree's resources take the same arguments; only their type names differ.
    [
      `beta.organization.${name}`,
      (client, fx) => drive(client.beta.organization as unknown as Org, fx),
    ],
  ] as const satisfies ReadonlyArray<readonly [string, Drive]>;
}

function betaOnly(name: string, drive: (org: BetaOrg, fx: Fixtures) => Promise<unknown>) {
  return [
    [`beta.organization.${name}`, (client, fx) => drive(client.beta.organization, fx)],
  ] as const satisfies ReadonlyArray<readonly [string, Drive]>;
}

const NOW = Date.parse("2026-03-10T12:00:00Z");
const PERIOD = { starting_at: "2026-03-09T00:00:00Z", ending_at: "2026-03-10T12:00:00Z" };

const CALLS: ReadonlyMap<string, Drive> = new Map<string, Drive>([
  ...both("retrieve", (org) => org.retrieve()),

  ...both("users.list", (org) => org.users.list()),
  ...both("users.retrieve", (org, fx) => org.users.retrieve(fx.ownerId)),
  ...both("users.update", async (org, fx) =>
    org.users.update(await fx.user(), { role: "developer" }),
  ),
  ...both("users.remove", async (org, fx) => org.users.remove(await fx.user())),

  ...both("invites.create", (org, fx) =>
    org.invites.create({ email: `${fx.unique("invitee")}@example.com`, role: "user" }),
  ),
  ...both("invites.list", (org) => org.invites.list()),
  ...both("invites.retrieve", async (org, fx) => org.invites.retrieve(await fx.invite())),
  ...both("invites.delete", async (org, fx) => org.invites.delete(await fx.invite())),

  ...both("workspaces.create", (org, fx) => org.workspaces.create({ name: fx.unique("ws") })),
  ...both("workspaces.list", (org) => org.workspaces.list({ include_default: true })),
  ...both("workspaces.retrieve", async (org, fx) => org.workspaces.retrieve(await fx.workspace())),
  ...both("workspaces.update", async (org, fx) =>
    org.workspaces.update(await fx.workspace(), { name: fx.unique("renamed") }),
  ),
  ...both("workspaces.archive", async (org, fx) => org.workspaces.archive(await fx.workspace())),

  ...both("workspaces.members.add", async (org, fx) =>
    org.workspaces.members.add(await fx.workspace(), {
      user_id: await fx.user(),
      workspace_role: "workspace_developer",
    }),
  ),
  ...both("workspaces.members.list", async (org, fx) =>
    org.workspaces.members.list((await fx.member()).workspaceId),
  ),
  ...both("workspaces.members.retrieve", async (org, fx) => {
    const { workspaceId, userId } = await fx.member();
    return org.workspaces.members.retrieve(userId, { workspace_id: workspaceId });
  }),
  ...both("workspaces.members.update", async (org, fx) => {
    const { workspaceId, userId } = await fx.member();
    return org.workspaces.members.update(userId, {
      workspace_id: workspaceId,
      workspace_role: "workspace_admin",
    });
  }),
  ...both("workspaces.members.remove", async (org, fx) => {
    const { workspaceId, userId } = await fx.member();
    return org.workspaces.members.remove(userId, { workspace_id: workspaceId });
  }),

  ...both("apiKeys.list", async (org, fx) => {
    await fx.apiKey();
    return org.apiKeys.list();
  }),
  ...both("apiKeys.retrieve", async (org, fx) => org.apiKeys.retrieve(await fx.apiKey())),
  ...both("apiKeys.update", async (org, fx) =>
    org.apiKeys.update(await fx.apiKey(), { name: fx.unique("key") }),
  ),

  ...both("rateLimits.list", (org) => org.rateLimits.list()),
  ...both("workspaces.rateLimits.update", async (org, fx) => {
    const group = (await org.rateLimits.list({ model: "claude-haiku-4-5" })).data[0];
    return org.workspaces.rateLimits.update(group?.id ?? "", {
      workspace_id: await fx.workspace(),
      limits: [{ type: "input_tokens_per_minute", value: 40_000 }],
    });
  }),
  ...both("workspaces.rateLimits.list", async (org, fx) => {
    const workspaceId = await fx.workspace();
    const group = (await org.rateLimits.list({ model: "claude-haiku-4-5" })).data[0];
    await org.workspaces.rateLimits.update(group?.id ?? "", {
      workspace_id: workspaceId,
      limits: [{ type: "requests_per_minute", value: 600 }],
    });
    return org.workspaces.rateLimits.list(workspaceId);
  }),

  ...both("serviceAccounts.create", (org, fx) =>
    org.serviceAccounts.create({ name: fx.unique("sa") }),
  ),
  ...both("serviceAccounts.list", async (org, fx) => {
    await fx.serviceAccount();
    return org.serviceAccounts.list();
  }),
  ...both("serviceAccounts.retrieve", async (org, fx) =>
    org.serviceAccounts.retrieve(await fx.serviceAccount()),
  ),
  ...both("serviceAccounts.update", async (org, fx) =>
    org.serviceAccounts.update(await fx.serviceAccount(), { description: fx.unique("sa") }),
  ),
  ...both("serviceAccounts.archive", async (org, fx) =>
    org.serviceAccounts.archive(await fx.serviceAccount()),
  ),
  ...both("serviceAccounts.workspaces.list", async (org, fx) =>
    org.serviceAccounts.workspaces.list((await fx.serviceAccountMember()).serviceAccountId),
  ),
  ...both("serviceAccounts.workspaces.add", async (org, fx) =>
    org.serviceAccounts.workspaces.add(await fx.serviceAccount(), {
      workspace_id: await fx.workspace(),
      workspace_role: "workspace_user",
    }),
  ),
  ...both("serviceAccounts.workspaces.remove", async (org, fx) => {
    const { workspaceId, serviceAccountId } = await fx.serviceAccountMember();
    return org.serviceAccounts.workspaces.remove(workspaceId, {
      service_account_id: serviceAccountId,
    });
  }),

  ...both("workspaces.serviceAccounts.list", async (org, fx) =>
    org.workspaces.serviceAccounts.list((await fx.serviceAccountMember()).workspaceId),
  ),
  ...both("workspaces.serviceAccounts.add", async (org, fx) =>
    org.workspaces.serviceAccounts.add(await fx.workspace(), {
      service_account_id: await fx.serviceAccount(),
      workspace_role: "workspace_developer",
    }),
  ),
  ...both("workspaces.serviceAccounts.retrieve", async (org, fx) => {
    const { workspaceId, serviceAccountId } = await fx.serviceAccountMember();
    return org.workspaces.serviceAccounts.retrieve(serviceAccountId, {
      workspace_id: workspaceId,
    });
  }),
  ...both("workspaces.serviceAccounts.update", async (org, fx) => {
    const { workspaceId, serviceAccountId } = await fx.serviceAccountMember();
    return org.workspaces.serviceAccounts.update(serviceAccountId, {
      workspace_id: workspaceId,
      workspace_role: "workspace_admin",
    });
  }),
  ...both("workspaces.serviceAccounts.remove", async (org, fx) => {
    const { workspaceId, serviceAccountId } = await fx.serviceAccountMember();
    return org.workspaces.serviceAccounts.remove(serviceAccountId, { workspace_id: workspaceId });
  }),

  ...betaOnly("analytics.usage.list", (org) =>
    org.analytics.usage.list({ ...PERIOD, group_by: ["actor", "model", "workspace_id"] }),
  ),
  ...betaOnly("analytics.cost.list", (org) =>
    org.analytics.cost.list({ ...PERIOD, group_by: ["actor", "token_type", "cost_type"] }),
  ),
  ...betaOnly("analytics.usageReport.list", (org) =>
    org.analytics.usageReport.list({ ...PERIOD, group_by: ["model", "product"] }),
  ),
  ...betaOnly("analytics.costReport.list", (org) =>
    org.analytics.costReport.list({ ...PERIOD, group_by: ["cost_type", "token_type", "model"] }),
  ),
  ...betaOnly("analytics.userUsageReport.list", (org) =>
    org.analytics.userUsageReport.list(PERIOD),
  ),
  ...betaOnly("analytics.userCostReport.list", (org) => org.analytics.userCostReport.list(PERIOD)),
]);

/**
 * Where Steward answers other than the SDK declares, on purpose (docs/api.md says why): a
 * workspace's `compartment_id` is declared a string, but Steward has no encryption compartment to
 * name and answers null rather than an id that would mean nothing in a key policy.
 */
const DEVIATIONS = [/\.compartment_id: expected string, got null$/];

function unexpected(problems: string[]): string[] {
  return problems.filter((problem) => !DEVIATIONS.some((deviation) => deviation.test(problem)));
}

/** The SDK's declarations, read once for both backends (building the program takes seconds). */
let declaredOnce: DeclaredTypes | undefined;
const declaredTypes = () => {
  declaredOnce ??= loadDeclaredTypes([...CALLS.keys()]);
  return declaredOnce;
};

/** The answers whose arrays carry the objects to check; an empty one would check nothing. */
function itemsOf(answer: unknown): unknown[] | undefined {
  const data = (answer as { data?: unknown }).data;
  return Array.isArray(data) ? data : undefined;
}

describe("CALLS", () => {
  it("should drive exactly the Admin API methods Steward serves (scripts/admin-api-coverage.ts)", async () => {
    const served = (await servedSdkMethods()).map((row) => row.call).sort();
    expect([...CALLS.keys()].sort()).toEqual(served);
  });
});

describeEachBackend(
  "every served Admin method through the official SDK, as it declares",
  (backend) => {
    let server: TestServer;
    let client: Anthropic;
    let declared: DeclaredTypes;
    let counter = 0;
    const unique = (label: string) => `${label}-${++counter}`;

    const fx: Fixtures = {
      ownerId: "",
      unique,
      async user() {
        const invite = (await client.organization.invites.create({
          email: `${unique("member")}@example.com`,
          role: "user",
        })) as { token?: string };
        const accepted = await server.post(
          "/v1/invites/accept",
          { token: invite.token },
          { key: null },
        );
        expect(accepted.status).toBe(200);
        return accepted.body.id;
      },
      async invite() {
        return (
          await client.organization.invites.create({
            email: `${unique("pending")}@example.com`,
            role: "developer",
          })
        ).id;
      },
      async workspace() {
        return (await client.organization.workspaces.create({ name: unique("ws") })).id;
      },
      async member() {
        const workspaceId = await fx.workspace();
        const userId = await fx.user();
        await client.organization.workspaces.members.add(workspaceId, {
          user_id: userId,
          workspace_role: "workspace_user",
        });
        return { workspaceId, userId };
      },
      async apiKey() {
        const created = await server.post("/v1/organizations/api_keys", {
          name: unique("key"),
          workspace_id: await fx.workspace(),
          user_id: fx.ownerId,
        });
        expect(created.status).toBe(200);
        return created.body.id;
      },
      async serviceAccount() {
        return (await client.organization.serviceAccounts.create({ name: unique("sa") })).id;
      },
      async serviceAccountMember() {
        const workspaceId = await fx.workspace();
        const serviceAccountId = await fx.serviceAccount();
        await client.organization.serviceAccounts.workspaces.add(serviceAccountId, {
          workspace_id: workspaceId,
          workspace_role: "workspace_user",
        });
        return { workspaceId, serviceAccountId };
      },
    };

    beforeAll(async () => {
      declared = declaredTypes();
      server = await createTestServer(backend, { clock: new ManualClock(new Date(NOW)) });
      client = await officialSdkFor(server);
      fx.ownerId = server.org.ownerId;
      // Usage of a member's key and of a key without one, so the analytics answers have rows.
      const owned = (
        await server.post("/v1/organizations/api_keys", { name: "owned", user_id: fx.ownerId })
      ).body.id;
      const unowned = await server.post("/v1/organizations/api_keys", { name: "unowned" });
      const event = (id: string, at: string, key: string) => ({
        id,
        timestamp: at,
        workspace_id: server.org.defaultWorkspaceId,
        api_key_id: key,
        model: "claude-haiku-4-5",
        input_tokens: 1000,
        output_tokens: 200,
        cache_read_input_tokens: 50,
        cache_creation: { ephemeral_5m_input_tokens: 10, ephemeral_1h_input_tokens: 5 },
        web_search_requests: 1,
      });
      const ingested = await server.post("/v1/usage/events", {
        events: [
          event("e1", "2026-03-09T10:15:00Z", owned),
          event("e2", "2026-03-10T09:00:00Z", unowned.body.id),
        ],
      });
      expect(ingested.body).toMatchObject({ accepted: 2, rejected: [] });
    }, 120_000);
    afterAll(async () => {
      await server?.close();
    });

    it.each([...CALLS.keys()])("%s answers what the SDK declares", async (call) => {
      const drive = CALLS.get(call) as Drive;
      const answer = await drive(client, fx);
      expect(unexpected(declared.problemsOf(call, answer)), declared.describe(call)).toEqual([]);
      const items = itemsOf(answer);
      if (items !== undefined) {
        // A list checked with nothing in it would check only its envelope.
        expect(items.length, `${call} listed nothing to check`).toBeGreaterThan(0);
      }
    });

    it("should catch a field that is missing or of another type", async () => {
      const workspace = (await client.organization.workspaces.retrieve(
        server.org.defaultWorkspaceId,
      )) as unknown as Record<string, unknown>;
      expect(declared.problemsOf("organization.workspaces.retrieve", workspace)).toEqual([
        "response.compartment_id: expected string, got null",
      ]);
      const typed: Record<string, unknown> = { ...workspace, compartment_id: "cmpt_1" };
      const { user_profile_id: _dropped, ...missing } = typed;
      expect(declared.problemsOf("organization.workspaces.retrieve", missing)).toEqual([
        "response.user_profile_id: missing",
      ]);
      expect(
        declared.problemsOf("organization.workspaces.retrieve", { ...typed, type: "user" }),
      ).toEqual(['response.type: expected "workspace", got "user"']);
      const page = await client.organization.users.list();
      const broken = { ...page, data: [{ ...page.data[0], added_at: 17 }] };
      expect(declared.problemsOf("organization.users.list", broken)).toEqual([
        "response.data[0].added_at: expected string, got 17",
      ]);
    });
  },
);
