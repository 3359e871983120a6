import { afterAll, beforeAll } from "vitest";
import { createTestServer, describeEachBackend, type TestServer } from "./harness.js";
import { describeResourceBasics, type ResourceSpec } from "./support/resource-suites.js";

/**
 * What every resource does (test/support/resource-suites.ts), for each resource on each surface.
 * The resources' own files test what is particular to them.
 */

const expectId = (response: { status: number; body: unknown }): string => {
  const id = (response.body as { id?: unknown }).id;
  if (response.status !== 200 || typeof id !== "string") {
    throw new Error(`could not create: ${response.status} ${JSON.stringify(response.body)}`);
  }
  return id;
};

const workspaces = (list: string): ResourceSpec => ({
  name: `workspaces at ${list}`,
  list,
  one: (id) => `${list}/${id}`,
  kind: "workspace",
  create: async (server, key, n) =>
    expectId(await server.post(list, { name: `Workspace ${n}` }, { key })),
  idempotentCreate: { path: list, body: (n) => ({ name: `Replayed workspace ${n}` }) },
});

const apiKeys = (list: string): ResourceSpec => ({
  name: `API keys at ${list}`,
  list,
  one: (id) => `${list}/${id}`,
  kind: "apiKey",
  create: async (server, key, n) =>
    expectId(await server.post(list, { name: `Key ${n}` }, { key })),
  idempotentCreate: { path: "/v1/api_keys", body: (n) => ({ name: `Replayed key ${n}` }) },
});

const invite = async (server: TestServer, key: string, n: number) =>
  server.post(
    "/v1/organizations/invites",
    { email: `person${n}@example.com`, role: "user" },
    { key },
  );

const invites: ResourceSpec = {
  name: "invites",
  list: "/v1/organizations/invites",
  one: (id) => `/v1/organizations/invites/${id}`,
  kind: "invite",
  create: async (server, key, n) => expectId(await invite(server, key, n)),
  idempotentCreate: {
    path: "/v1/organizations/invites",
    body: (n) => ({ email: `replayed${n}@example.com`, role: "user" }),
  },
};

const users = (list: string): ResourceSpec => ({
  name: `users at ${list}`,
  list,
  one: (id) => `${list}/${id}`,
  kind: "user",
  create: async (server, key, n) => {
    const invited = await invite(server, key, n);
    const token = (invited.body as { token?: string }).token;
    return expectId(
      await server.post("/v1/invites/accept", { token, name: `Person ${n}` }, { key: null }),
    );
  },
});

const alertRules: ResourceSpec = {
  name: "alert rules",
  list: "/v1/organizations/alert_rules",
  one: (id) => `/v1/organizations/alert_rules/${id}`,
  kind: "alertRule",
  create: async (server, key, n) =>
    expectId(
      await server.post(
        "/v1/organizations/alert_rules",
        {
          name: `Budget ${n}`,
          scope: { type: "organization" },
          thresholds: [{ type: "usd", amount_usd: 1 }],
          channels: [{ type: "pagerduty", routing_key: "R0UTINGKEY1234" }],
        },
        { key },
      ),
    ),
};

describeEachBackend("resources", (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await createTestServer(backend);
  });
  afterAll(async () => {
    await server?.close();
  });
  const current = () => server;

  for (const spec of [
    workspaces("/v1/workspaces"),
    workspaces("/v1/organizations/workspaces"),
    apiKeys("/v1/api_keys"),
    apiKeys("/v1/organizations/api_keys"),
    invites,
    users("/v1/users"),
    users("/v1/organizations/users"),
    alertRules,
  ]) {
    describeResourceBasics(current, spec);
  }
});
