/**
 * The analytics reports through the official `@anthropic-ai/sdk` 1.10.0
 * (`client.beta.organization.analytics.*`), over a real socket, on every backend: each of the six
 * methods is driven, every field its declared type has is checked present with that type (here at
 * run time; `tsc` checks the declared types themselves below), and the bad input of each answers
 * 400 naming the field.
 */
import type Anthropic from "@anthropic-ai/sdk";
import { BadRequestError } from "@anthropic-ai/sdk";
import type {
  BetaAnalyticsCostItem,
  BetaAnalyticsCostReportTimeBucket,
  BetaAnalyticsCostUsersItem,
  BetaAnalyticsUsageItem,
  BetaAnalyticsUsageReportTimeBucket,
  BetaAnalyticsUsageUsersItem,
} from "@anthropic-ai/sdk/resources/beta/organization/analytics";
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import type {
  AnalyticsCostItem,
  AnalyticsUsageItem,
  CostBucketedResult,
  CostUsersItem,
  UsageBucketedResult,
  UsageUsersItem,
} from "../src/contract/analytics.js";
import { ManualClock } from "../src/core/ports.js";
import { createTestServer, describeEachBackend, type TestServer } from "./harness.js";
import { collect, officialSdkFor } from "./support/official-sdk.js";

const NOW = Date.parse("2026-03-10T12:00:00Z");
const FROM = "2026-03-09T00:00:00Z";
const TO = "2026-03-10T12:00:00Z";

// ----- type level: what Steward answers is assignable to what the SDK declares -----

expectTypeOf<AnalyticsUsageItem>().toExtend<BetaAnalyticsUsageItem>();
expectTypeOf<AnalyticsCostItem>().toExtend<BetaAnalyticsCostItem>();
expectTypeOf<{
  starting_at: string;
  ending_at: string;
  results: UsageBucketedResult[];
}>().toExtend<BetaAnalyticsUsageReportTimeBucket>();
expectTypeOf<{
  starting_at: string;
  ending_at: string;
  results: CostBucketedResult[];
}>().toExtend<BetaAnalyticsCostReportTimeBucket>();
expectTypeOf<UsageUsersItem>().toExtend<BetaAnalyticsUsageUsersItem>();
expectTypeOf<CostUsersItem>().toExtend<BetaAnalyticsCostUsersItem>();

// ----- run time: every declared field present with its declared type -----

type Spec =
  | "string"
  | "number"
  | "boolean"
  | { nullable: Spec }
  | { literal: string }
  | { object: Record<string, Spec> }
  | { oneOf: Spec[] };

const n = (spec: Spec): Spec => ({ nullable: spec });
const S = "string" as const;
const N = "number" as const;

function conforms(value: unknown, spec: Spec): boolean {
  if (typeof spec === "string") {
    return typeof value === spec && (spec !== "number" || Number.isFinite(value));
  }
  if ("nullable" in spec) {
    return value === null || conforms(value, spec.nullable);
  }
  if ("literal" in spec) {
    return value === spec.literal;
  }
  if ("oneOf" in spec) {
    return spec.oneOf.some((s) => conforms(value, s));
  }
  if (value === null || typeof value !== "object") {
    return false;
  }
  return Object.entries(spec.object).every(
    ([key, s]) => key in value && conforms((value as Record<string, unknown>)[key], s),
  );
}

/** Asserts field by field, so that a failure names the field. */
function expectConforms(value: unknown, spec: { object: Record<string, Spec> }, where: string) {
  for (const [key, s] of Object.entries(spec.object)) {
    expect(value, `${where}: ${key} missing`).toHaveProperty([key]);
    expect(
      conforms((value as Record<string, unknown>)[key], s),
      `${where}.${key} = ${JSON.stringify((value as Record<string, unknown>)[key])}`,
    ).toBe(true);
  }
}

const userActor: Spec = {
  object: {
    deleted: "boolean",
    email_address: n(S),
    name: n(S),
    type: { literal: "user_actor" },
    user_id: S,
  },
};
const actor: Spec = {
  oneOf: [
    userActor,
    { object: { service_account_id: S, type: { literal: "service_account_actor" } } },
    {
      object: {
        provider: { object: { type: S } },
        subject: n(S),
        type: { literal: "federated_actor" },
      },
    },
    { object: { api_key_id: S, type: { literal: "api_actor" } } },
  ],
};
const usageMetrics = {
  cache_creation: { object: { ephemeral_1h_input_tokens: N, ephemeral_5m_input_tokens: N } },
  cache_read_input_tokens: N,
  output_tokens: N,
  requests: n(N),
  server_tool_use: { object: { web_search_requests: N } },
  uncached_input_tokens: N,
} satisfies Record<string, Spec>;
const costMetrics = { amount: S, currency: S, list_amount: S, requests: n(N) } satisfies Record<
  string,
  Spec
>;
const group = {
  actor: n(actor),
  actor_type: n(S),
  agent_id: n(S),
  api_key_id: n(S),
  claude_tag_category: n(S),
  claude_tag_user_id: n(S),
  context_window: n(S),
  deployment_id: n(S),
  environment_id: n(S),
  inference_geo: n(S),
  model: n(S),
  organization_id: n(S),
  product: n(S),
  rbac_group_id: n(S),
  service_tier: n(S),
  session_id: n(S),
  slack_channel_id: n(S),
  speed: n(S),
  user_profile_id: n(S),
  workspace_id: n(S),
} satisfies Record<string, Spec>;
const reportGroup = {
  claude_tag_category: n(S),
  claude_tag_user_id: n(S),
  context_window: n(S),
  inference_geo: n(S),
  model: n(S),
  product: n(S),
  rbac_group_id: n(S),
  slack_channel_id: n(S),
  speed: n(S),
} satisfies Record<string, Spec>;
const split = { cost_type: n(S), token_type: n(S) } satisfies Record<string, Spec>;

const SPECS = {
  usageItem: {
    object: {
      starting_at: S,
      ending_at: S,
      group: { object: group },
      usage: { object: { ...usageMetrics, total_tokens: N } },
    },
  },
  costItem: {
    object: {
      starting_at: S,
      ending_at: S,
      group: { object: { ...group, ...split } },
      cost: { object: costMetrics },
    },
  },
  usageBucket: { object: { starting_at: S, ending_at: S } },
  usageResult: { object: { ...reportGroup, ...usageMetrics } },
  costResult: { object: { ...reportGroup, ...costMetrics, ...split } },
  userUsage: {
    object: {
      actor: userActor,
      starting_at: n(S),
      ending_at: n(S),
      ...reportGroup,
      ...usageMetrics,
      total_tokens: N,
    },
  },
  userCost: {
    object: {
      actor: userActor,
      starting_at: n(S),
      ending_at: n(S),
      ...reportGroup,
      ...costMetrics,
      ...split,
    },
  },
} as const;

describeEachBackend("analytics reports through the official SDK", (backend) => {
  let server: TestServer;
  let client: Anthropic;
  const ids = { user: "", ownedKey: "", unownedKey: "", workspace: "" };

  beforeAll(async () => {
    server = await createTestServer(backend, { clock: new ManualClock(new Date(NOW)) });
    client = await officialSdkFor(server);
    const owner = await server.get("/v1/organizations/users", {});
    ids.user = (owner.body as { data: Array<{ id: string }> }).data[0]?.id ?? "";
    ids.workspace = server.org.defaultWorkspaceId;
    const owned = await server.post("/v1/organizations/api_keys", {
      name: "owned",
      user_id: ids.user,
    });
    expect(owned.status).toBe(200);
    ids.ownedKey = owned.body.id;
    const unowned = await server.post("/v1/organizations/api_keys", { name: "unowned" });
    ids.unownedKey = unowned.body.id;
    const event = (id: string, at: string, extra: Record<string, unknown>) => ({
      id,
      timestamp: at,
      workspace_id: ids.workspace,
      model: "claude-haiku-4-5",
      input_tokens: 1000,
      output_tokens: 200,
      cache_read_input_tokens: 50,
      cache_creation: { ephemeral_5m_input_tokens: 10, ephemeral_1h_input_tokens: 5 },
      web_search_requests: 1,
      ...extra,
    });
    const ingested = await server.post("/v1/usage/events", {
      events: [
        event("a1", "2026-03-09T10:15:00Z", { api_key_id: ids.ownedKey }),
        event("a2", "2026-03-09T11:30:00Z", { api_key_id: ids.ownedKey, service_tier: "batch" }),
        event("b1", "2026-03-10T09:00:00Z", { api_key_id: ids.unownedKey, inference_geo: "us" }),
        event("n1", "2026-03-10T09:30:00Z", { cost_usd: 0.25 }),
      ],
    });
    expect(ingested.body).toMatchObject({ accepted: 4, rejected: [] });
  });
  afterAll(async () => {
    await server?.close();
  });

  const analytics = () => client.beta.organization.analytics;

  it("usage.list: one row per actor and product, every declared field typed", async () => {
    const rows = await collect(
      analytics().usage.list({
        starting_at: FROM,
        ending_at: TO,
        group_by: ["actor", "product", "workspace_id"],
      }),
    );
    for (const row of rows) {
      expectConforms(row, SPECS.usageItem, "usage item");
      expectConforms(row.group, SPECS.usageItem.object.group, "usage group");
    }
    const by = (actorId: string | null, product: string) =>
      rows.find(
        (r) =>
          (r.group.actor === null
            ? null
            : r.group.actor.type === "user_actor"
              ? r.group.actor.user_id
              : r.group.actor.type === "api_actor"
                ? r.group.actor.api_key_id
                : "other") === actorId && r.group.product === product,
      );
    expect(rows).toHaveLength(4);
    expect(by(ids.user, "messages_api")?.usage.requests).toBe(1);
    expect(by(ids.user, "message_batches_api")?.usage.total_tokens).toBe(1265);
    expect(by(ids.unownedKey, "messages_api")?.group.actor).toEqual({
      api_key_id: ids.unownedKey,
      type: "api_actor",
    });
    expect(by(null, "messages_api")?.usage.server_tool_use.web_search_requests).toBe(1);
    expect(rows.every((r) => r.starting_at === FROM && r.ending_at === TO)).toBe(true);
    expect(rows.every((r) => r.group.speed === null && r.group.model === null)).toBe(true);
  });

  it("usage.list pages with limit and time buckets, in time order", async () => {
    const all = await collect(
      analytics().usage.list({
        starting_at: FROM,
        ending_at: TO,
        time_bucket_width: "1h",
        order_by: "time",
        order: "asc",
        limit: 1,
      }),
    );
    expect(all.map((r) => r.starting_at)).toEqual([
      "2026-03-09T10:00:00Z",
      "2026-03-09T11:00:00Z",
      "2026-03-10T09:00:00Z",
    ]);
    expect(all[2]?.usage.requests).toBe(2);
    const first = await analytics().usage.list({ starting_at: FROM, ending_at: TO, limit: 1 });
    expect(first.data).toHaveLength(1);
    expect(first.has_more).toBe(false);
    expect(first.data_refreshed_at).toEqual(expect.any(String));
  });

  it("cost.list: split by token type, fan-out rows beyond limit, exact cents", async () => {
    const page = await analytics().cost.list({
      starting_at: FROM,
      ending_at: TO,
      group_by: ["actor_type", "token_type", "cost_type"],
      actor_types: ["user_actor", "api_actor"],
      limit: 1,
    });
    for (const row of page.data) {
      expectConforms(row, SPECS.costItem, "cost item");
      expectConforms(row.group, SPECS.costItem.object.group, "cost group");
      expect(row.cost.requests).toBeNull();
      expect(row.cost.list_amount).toBe(row.cost.amount);
    }
    // The 5 token kinds and web search of one actor type's row.
    expect(page.data).toHaveLength(6);
    expect(page.has_more).toBe(true);
    expect(new Set(page.data.map((r) => r.group.actor_type)).size).toBe(1);
    const whole = await collect(analytics().cost.list({ starting_at: FROM, ending_at: TO }));
    expect(whole).toHaveLength(1);
    expect(whole[0]?.cost.requests).toBe(4);
    const given = await collect(
      analytics().cost.list({
        starting_at: FROM,
        ending_at: TO,
        api_key_ids: [""],
        group_by: ["token_type"],
      }),
    );
    expect(given.map((r) => [r.group.cost_type, r.group.token_type, r.cost.amount])).toEqual([
      ["tokens", null, "25"],
    ]);
  });

  it("usageReport.list: buckets with their results", async () => {
    const buckets = await collect(
      analytics().usageReport.list({
        starting_at: FROM,
        ending_at: TO,
        bucket_width: "1d",
        group_by: ["model", "inference_geo"],
      }),
    );
    expect(buckets).toHaveLength(1);
    for (const bucket of buckets) {
      expectConforms(bucket, SPECS.usageBucket, "bucket");
      for (const result of bucket.results) {
        expectConforms(result, SPECS.usageResult, "usage result");
      }
    }
    expect(buckets[0]?.results.map((r) => [r.inference_geo, r.requests])).toEqual([[null, 2]]);
    const hourly = await collect(
      analytics().usageReport.list({ starting_at: FROM, ending_at: TO, bucket_width: "1h" }),
    );
    expect(hourly).toHaveLength(36);
  });

  it("costReport.list: buckets of cost results", async () => {
    const buckets = await collect(
      analytics().costReport.list({
        starting_at: FROM,
        ending_at: "2026-03-11T00:00:00Z",
        group_by: ["cost_type"],
        user_ids: [ids.user],
      }),
    );
    expect(buckets).toHaveLength(2);
    for (const bucket of buckets) {
      for (const result of bucket.results) {
        expectConforms(result, SPECS.costResult, "cost result");
      }
    }
    expect(buckets[0]?.results.map((r) => r.cost_type).sort()).toEqual(["tokens", "web_search"]);
    expect(buckets[1]?.results).toEqual([]);
  });

  it("a service account's key is credited to the account, not to a member or the key", async () => {
    const account = await server.post("/v1/organizations/service_accounts", { name: "nightly" });
    expect(account.status, JSON.stringify(account.body)).toBe(200);
    const key = await server.post("/v1/organizations/api_keys", {
      name: "nightly's key",
      service_account_id: account.body.id,
    });
    expect(key.status, JSON.stringify(key.body)).toBe(200);
    // A day before the other events, so that the other tests' sums stay as they are.
    const ingested = await server.post("/v1/usage/events", {
      events: [
        {
          id: "s1",
          timestamp: "2026-03-08T08:00:00Z",
          workspace_id: ids.workspace,
          model: "claude-haiku-4-5",
          input_tokens: 700,
          output_tokens: 70,
          api_key_id: key.body.id,
        },
      ],
    });
    expect(ingested.body).toMatchObject({ accepted: 1, rejected: [] });
    const window = { starting_at: "2026-03-08T00:00:00Z", ending_at: "2026-03-09T00:00:00Z" };
    const rows = await collect(analytics().usage.list({ ...window, group_by: ["actor"] }));
    expect(rows.map((r) => r.group.actor)).toEqual([
      { service_account_id: account.body.id, type: "service_account_actor" },
    ]);
    expect(rows[0]?.usage.total_tokens).toBe(770);
    const byType = await collect(
      analytics().usage.list({
        ...window,
        group_by: ["actor_type"],
        actor_types: ["service_account_actor"],
      }),
    );
    expect(byType.map((r) => [r.group.actor_type, r.usage.total_tokens])).toEqual([
      ["service_account_actor", 770],
    ]);
    // The per-person reports leave service accounts out.
    expect(await collect(analytics().userUsageReport.list(window))).toEqual([]);
  });

  it("userUsageReport.list and userCostReport.list: rows of the keys' members only", async () => {
    const usage = await collect(
      analytics().userUsageReport.list({ starting_at: FROM, ending_at: TO }),
    );
    expect(usage).toHaveLength(1);
    expectConforms(usage[0], SPECS.userUsage, "user usage");
    expect(usage[0]?.actor).toMatchObject({ user_id: ids.user, deleted: false });
    expect(usage[0]?.requests).toBe(2);
    expect(usage[0]?.starting_at).toBeNull();
    const bucketed = await collect(
      analytics().userCostReport.list({
        starting_at: FROM,
        ending_at: TO,
        bucket_width: "1h",
        group_by: ["model"],
      }),
    );
    expect(bucketed).toHaveLength(2);
    for (const row of bucketed) {
      expectConforms(row, SPECS.userCost, "user cost");
      expect(row.model).toBe("claude-haiku-4-5");
    }
    expect(bucketed.map((r) => r.starting_at).sort()).toEqual([
      "2026-03-09T10:00:00Z",
      "2026-03-09T11:00:00Z",
    ]);
  });

  it("filters on what Steward does not record match nothing; grouped, they read null", async () => {
    const none = await analytics().usage.list({
      starting_at: FROM,
      ending_at: TO,
      speeds: ["standard"],
    });
    expect(none.data).toEqual([]);
    const grouped = await analytics().usage.list({
      starting_at: FROM,
      ending_at: TO,
      group_by: ["speed", "rbac_group_id"],
    });
    expect(grouped.data).toHaveLength(1);
    expect(grouped.data[0]?.group.speed).toBeNull();
  });

  describe("bad input answers 400 naming the field", () => {
    const bad: Array<[string, Record<string, string | string[]>, RegExp]> = [
      ["usage", { starting_at: "2026-02-30" }, /starting_at/],
      ["usage", { starting_at: FROM, ending_at: "2026-03-08T00:00:00Z" }, /ending_at/],
      ["usage", { starting_at: FROM, ending_at: "2026-04-20T00:00:00Z" }, /ending_at.*31 days/],
      ["usage", { starting_at: FROM, time_bucket_width: "1h" }, /ending_at: required/],
      ["usage", { starting_at: FROM, group_by: ["colour"] }, /group_by/],
      [
        "usage",
        {
          starting_at: FROM,
          group_by: ["model", "actor", "product", "speed", "api_key_id", "workspace_id"],
        },
        /group_by: at most 5/,
      ],
      ["usage", { starting_at: FROM, limit: "0" }, /limit/],
      ["usage", { starting_at: FROM, limit: "1001" }, /limit/],
      ["usage", { starting_at: FROM, page: "page_bm9wZQ" }, /page/],
      ["usage", { starting_at: FROM, exclude_deleted_users: "true" }, /exclude_deleted_users/],
      ["cost", { starting_at: FROM, order_by: "total_tokens" }, /order_by/],
      [
        "usage_report",
        { starting_at: FROM, ending_at: TO, bucket_width: "1h", limit: "169" },
        /limit: at most 168/,
      ],
      ["usage_report", { starting_at: FROM, bucket_width: "1w" }, /bucket_width/],
      ["cost_report", { starting_at: FROM, group_by: ["actor"] }, /group_by/],
      ["user_usage_report", { starting_at: FROM, bucket_width: "1d" }, /ending_at: required/],
      [
        "user_cost_report",
        { starting_at: FROM, ending_at: "2026-03-10T01:00:00Z", bucket_width: "1m" },
        /24 hours/,
      ],
    ];
    it.each(bad)("%s %j", async (endpoint, query, message) => {
      const response = await server.get(`/v1/organizations/analytics/${endpoint}`, {
        query,
        headers: { "anthropic-beta": "analytics-usage-cost-2026-08-24" },
      });
      const body = response.body as { type: string; error: { type: string; message: string } };
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(body.type).toBe("error");
      expect(body.error.type).toBe("invalid_request_error");
      expect(body.error.message).toMatch(message);
    });

    it("usage and cost require the beta header; the SDK's BadRequestError says so", async () => {
      for (const endpoint of ["usage", "cost"]) {
        const response = await server.get(`/v1/organizations/analytics/${endpoint}`, {
          query: { starting_at: FROM },
        });
        expect(response.status).toBe(400);
        expect((response.body as { error: { message: string } }).error.message).toMatch(
          /anthropic-beta/,
        );
      }
      const ok = await server.get("/v1/organizations/analytics/usage", {
        query: { starting_at: FROM },
        headers: { "anthropic-beta": "files-api-2025-04-14, analytics-usage-cost-2026-08-24" },
      });
      expect(ok.status).toBe(200);
      await expect(analytics().usage.list({ starting_at: "not a time" })).rejects.toBeInstanceOf(
        BadRequestError,
      );
    });
  });
});
