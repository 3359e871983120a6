/**
 * Rate limits through the official `@anthropic-ai/sdk` 1.10.0 (`client.organization.rateLimits`,
 * `client.organization.workspaces.rateLimits` and their `beta` twins), over a real socket, on every
 * backend: each method driven, each answer checked against the SDK's declared type (here at run
 * time; `tsc` checks the types below), the bad input of each answered 4xx naming the field, and
 * a workspace's `usage_limits.requests_per_minute` shown to be a view of the same stored limits.
 */
import type Anthropic from "@anthropic-ai/sdk";
import { BadRequestError, NotFoundError } from "@anthropic-ai/sdk";
import type { OrganizationRateLimit as SdkOrganizationRateLimit } from "@anthropic-ai/sdk/resources/organization/rate-limits";
import type { WorkspaceRateLimit as SdkWorkspaceRateLimit } from "@anthropic-ai/sdk/resources/organization/workspaces/rate-limits";
import { afterAll, beforeAll, expect, expectTypeOf, it } from "vitest";
import type { OrganizationRateLimit, WorkspaceRateLimit } from "../src/contract/rate-limits.js";
import { ManualClock } from "../src/core/ports.js";
import { createTestServer, describeEachBackend, type TestServer } from "./harness.js";
import { collect, officialSdkFor } from "./support/official-sdk.js";

// ----- type level: what Steward answers is assignable to what the SDK declares -----

expectTypeOf<OrganizationRateLimit>().toExtend<SdkOrganizationRateLimit>();
expectTypeOf<WorkspaceRateLimit>().toExtend<SdkWorkspaceRateLimit>();

// ----- run time: every declared field present with its declared type -----

const GROUP_TYPES = ["model_group", "token_count", "batch", "files", "web_search", "skills"];

function expectGroup(group: unknown, where: string): void {
  const g = group as Record<string, unknown>;
  expect(typeof g.id, `${where}.group.id`).toBe("string");
  expect(GROUP_TYPES, `${where}.group.type`).toContain(g.type);
  if (g.type === "model_group") {
    expect(typeof g.display_name, `${where}.group.display_name`).toBe("string");
  }
}

function expectModels(entry: { group: { type: string }; models: unknown }, where: string): void {
  if (entry.group.type === "model_group") {
    expect(Array.isArray(entry.models), `${where}.models`).toBe(true);
    for (const model of entry.models as unknown[]) {
      expect(typeof model, `${where}.models[]`).toBe("string");
    }
  } else {
    expect(entry.models, `${where}.models`).toBeNull();
  }
}

function expectOrganizationEntry(entry: SdkOrganizationRateLimit, where: string): void {
  for (const key of ["id", "group", "limits", "models", "type"]) {
    expect(entry, `${where}: ${key} missing`).toHaveProperty([key]);
  }
  expect(entry.id).toMatch(/^rl_/);
  expect(entry.type).toBe("rate_limit");
  expectGroup(entry.group, where);
  expectModels(entry, where);
  for (const limit of entry.limits) {
    expect(typeof limit.type).toBe("string");
    expect(Number.isInteger(limit.value)).toBe(true);
  }
}

function expectWorkspaceEntry(entry: SdkWorkspaceRateLimit, where: string): void {
  for (const key of ["group", "limits", "models", "rate_limit_id", "type", "workspace_id"]) {
    expect(entry, `${where}: ${key} missing`).toHaveProperty([key]);
  }
  expect(entry.type).toBe("workspace_rate_limit");
  expect(entry.rate_limit_id).toMatch(/^rl_/);
  expect(typeof entry.workspace_id).toBe("string");
  expectGroup(entry.group, where);
  expectModels(entry, where);
  for (const limit of entry.limits) {
    for (const key of ["org_limit", "source", "type", "value"]) {
      expect(limit, `${where}.limits[]: ${key} missing`).toHaveProperty([key]);
    }
    expect(typeof limit.type).toBe("string");
    expect(Number.isInteger(limit.value)).toBe(true);
    expect(limit.org_limit === null || Number.isInteger(limit.org_limit)).toBe(true);
    expect(["workspace", "organization"]).toContain(limit.source.type);
  }
}

describeEachBackend("rate limits through the official SDK", (backend) => {
  let server: TestServer;
  let client: Anthropic;
  let workspace = "";
  let counter = 0;

  beforeAll(async () => {
    server = await createTestServer(backend, {
      clock: new ManualClock(new Date("2026-03-10T12:00:00Z")),
    });
    client = await officialSdkFor(server);
  });
  afterAll(async () => {
    await server?.close();
  });

  const newWorkspace = async () =>
    (await client.organization.workspaces.create({ name: `Limits ${++counter}` })).id;
  const groupOf = async (model: string) => {
    const page = await client.organization.rateLimits.list({ model });
    expect(page.data).toHaveLength(1);
    return page.data[0]!;
  };

  it("organization.rateLimits.list: every group, each field as declared, paged and filtered", async () => {
    const all = await client.organization.rateLimits.list();
    expect(all.next_page).toBeNull();
    expect(all.data.map((e) => e.group.type)).toEqual(
      expect.arrayContaining(["model_group", "token_count", "batch", "files", "web_search"]),
    );
    all.data.forEach((entry, i) => {
      expectOrganizationEntry(entry, `data[${i}]`);
    });
    // Steward has no organization-level values of its own.
    expect(all.data.every((e) => e.limits.length === 0)).toBe(true);
    const sonnet = all.data.find(
      (e) => e.group.type === "model_group" && e.models?.includes("claude-sonnet-4-5"),
    );
    expect(sonnet?.group).toMatchObject({ display_name: "Claude Sonnet 4.x" });

    // Paged: three at a time, followed to the end by the SDK, in the same order.
    const paged = await collect(client.organization.rateLimits.list({ limit: 3 }));
    expect(paged.map((e) => e.id)).toEqual(all.data.map((e) => e.id));
    const first = await client.organization.rateLimits.list({ limit: 3 });
    expect(first.data).toHaveLength(3);
    expect(first.next_page).toBe(all.data[3]?.group.id);

    // Filters: a type, and the group of a model (a dated version too).
    const batch = await client.organization.rateLimits.list({ group_type: "batch" });
    expect(batch.data.map((e) => e.group.type)).toEqual(["batch"]);
    expect((await groupOf("claude-sonnet-4-5-20250929")).id).toBe(sonnet?.id);
    // The beta twin answers the same.
    const beta = await client.beta.organization.rateLimits.list({ model: "claude-haiku-4-5" });
    expect(beta.data[0]?.id).toBe((await groupOf("claude-haiku-4-5")).id);

    await expect(
      client.organization.rateLimits.list({ group_type: "nope" as "batch" }),
    ).rejects.toThrow(/group_type/);
    await expect(client.organization.rateLimits.list({ page: "rlg_none" })).rejects.toThrow(/page/);
  });

  it("workspaces.rateLimits.update and list: set, cleared, listed as declared, audited", async () => {
    workspace = await newWorkspace();
    const haiku = await groupOf("claude-haiku-4-5");
    const limits = () => client.organization.workspaces.rateLimits;
    expect((await limits().list(workspace)).data).toEqual([]);

    const updated = await limits().update(haiku.id, {
      workspace_id: workspace,
      limits: [
        { type: "requests_per_minute", value: 50 },
        { type: "output_tokens_per_minute", value: 8000 },
      ],
    });
    expectWorkspaceEntry(updated, "update");
    expect(updated).toMatchObject({
      workspace_id: workspace,
      rate_limit_id: haiku.id,
      group: haiku.group,
      models: haiku.models,
    });
    expect(updated.limits).toEqual([
      { type: "requests_per_minute", value: 50, org_limit: null, source: { type: "workspace" } },
      {
        type: "output_tokens_per_minute",
        value: 8000,
        org_limit: null,
        source: { type: "workspace" },
      },
    ]);

    // Types not named keep their value; null clears one.
    const beta = await client.beta.organization.workspaces.rateLimits.update(haiku.id, {
      workspace_id: workspace,
      limits: [
        { type: "requests_per_minute", value: null },
        { type: "input_tokens_per_minute", value: 40000 },
      ],
    });
    expect(beta.limits.map((l) => [l.type, l.value])).toEqual([
      ["input_tokens_per_minute", 40000],
      ["output_tokens_per_minute", 8000],
    ]);

    const listed = await collect(limits().list(workspace));
    expect(listed).toHaveLength(1);
    expectWorkspaceEntry(listed[0]!, "list");
    expect(listed[0]).toEqual(beta);
    const inherited = await collect(limits().list(workspace, { include_inherited: true }));
    expect(inherited.length).toBe((await client.organization.rateLimits.list()).data.length);
    inherited.forEach((entry, i) => {
      expectWorkspaceEntry(entry, `inherited[${i}]`);
    });
    const betaListed = await client.beta.organization.workspaces.rateLimits.list(workspace, {
      group_type: "model_group",
    });
    expect(betaListed.data).toEqual([beta]);

    const audit = await server.get("/v1/organizations/audit_logs", {
      query: { target_id: workspace, action: "workspace.rate_limit_updated" },
    });
    const records = (
      audit.body as { data: Array<{ changes: { before: unknown; after: unknown } }> }
    ).data;
    expect(records).toHaveLength(2);
  });

  it("refuses bad input with 4xx naming the field, and changes nothing", async () => {
    const ws = await newWorkspace();
    const haiku = await groupOf("claude-haiku-4-5");
    const limits = client.organization.workspaces.rateLimits;
    const refused = await limits
      .update(haiku.id, { workspace_id: ws, limits: [{ type: "tokens_per_day", value: 5 }] })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(BadRequestError);
    expect((refused as Error).message).toContain("body.limits[0].type");
    for (const bad of [
      [{ type: "requests_per_minute" as const, value: -1 }],
      [{ type: "requests_per_minute" as const, value: 1.5 }],
      [],
      [
        { type: "requests_per_minute" as const, value: 1 },
        { type: "requests_per_minute" as const, value: 2 },
      ],
    ]) {
      await expect(limits.update(haiku.id, { workspace_id: ws, limits: bad })).rejects.toThrow(
        /limits/,
      );
    }
    await expect(
      limits.update("rl_000000000000000000000000", {
        workspace_id: ws,
        limits: [{ type: "requests_per_minute", value: 1 }],
      }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      limits.update(haiku.id, {
        workspace_id: "wrkspc_missing",
        limits: [{ type: "requests_per_minute", value: 1 }],
      }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(limits.list("wrkspc_missing")).rejects.toBeInstanceOf(NotFoundError);
    await client.organization.workspaces.archive(ws);
    await expect(
      limits.update(haiku.id, {
        workspace_id: ws,
        limits: [{ type: "requests_per_minute", value: 1 }],
      }),
    ).rejects.toThrow(/archived/);
    expect((await limits.list(ws)).data).toEqual([]);
  });

  it("usage_limits.requests_per_minute reads and writes the same stored limits", async () => {
    const ws = await newWorkspace();
    const haiku = await groupOf("claude-haiku-4-5");
    const rpm = async () =>
      (
        (await server.get(`/v1/organizations/workspaces/${ws}`)).body as {
          usage_limits: { requests_per_minute: number | null };
        }
      ).usage_limits.requests_per_minute;
    expect(await rpm()).toBeNull();

    // Written as a workspace field: every group gets it.
    const written = await server.post(`/v1/organizations/workspaces/${ws}`, {
      usage_limits: { requests_per_minute: 77 },
    });
    expect(written.status).toBe(200);
    const all = await collect(client.organization.workspaces.rateLimits.list(ws));
    expect(all.length).toBe((await client.organization.rateLimits.list()).data.length);
    expect(
      all.every((e) => e.limits.some((l) => l.type === "requests_per_minute" && l.value === 77)),
    ).toBe(true);

    // Lowered in one group: the field shows the lowest.
    await client.organization.workspaces.rateLimits.update(haiku.id, {
      workspace_id: ws,
      limits: [{ type: "requests_per_minute", value: 5 }],
    });
    expect(await rpm()).toBe(5);

    // Cleared as a field: gone from every group, other types kept.
    await client.organization.workspaces.rateLimits.update(haiku.id, {
      workspace_id: ws,
      limits: [{ type: "output_tokens_per_minute", value: 900 }],
    });
    await server.post(`/v1/organizations/workspaces/${ws}`, {
      usage_limits: { requests_per_minute: null },
    });
    expect(await rpm()).toBeNull();
    const left = (await client.organization.workspaces.rateLimits.list(ws)).data;
    expect(left.map((e) => [e.rate_limit_id, e.limits.map((l) => l.type)])).toEqual([
      [haiku.id, ["output_tokens_per_minute"]],
    ]);

    // Created with it.
    const created = await server.post("/v1/organizations/workspaces", {
      name: `Limits ${++counter}`,
      usage_limits: { requests_per_minute: 12 },
    });
    expect(created.body).toMatchObject({ usage_limits: { requests_per_minute: 12 } });
    const createdLimits = await client.organization.workspaces.rateLimits.list(created.body.id);
    expect(createdLimits.data.length).toBeGreaterThan(1);
  });
});
