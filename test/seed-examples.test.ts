/**
 * Replays every request and response example of the seed chapter (sections 64.3 to 64.8) against
 * the server, on each backend. For each response example, Steward's response must carry every
 * field the example shows, with the same JSON type, and the same value wherever the value follows
 * from the request. Extra fields (Anthropic's `type`, `scope`, …) are allowed.
 *
 * Section 64.7's `GET /v1/usage` example is replayed with the example's own usage, recorded through
 * `POST /v1/usage/events` (the chapter has no way to record usage), and so is the CostAlertSystem's
 * month query built on it.
 *
 * The chapter's Python client itself runs against a listening server in test/seed-python.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAdminKeyIn } from "../src/core/admin-keys/admin-key.service.js";
import { operatorContext } from "../src/core/context.js";
import { ManualClock } from "../src/core/ports.js";
import { ADMIN_KEY_PREFIX, generateSecret } from "../src/core/secrets.js";
import {
  type AnswerTo,
  type Backend,
  createTestServer,
  describeEachBackend,
  expectError,
  type TestServer,
  type TestServerOptions,
} from "./harness.js";
import { present } from "./support/narrow.js";

// ---------------------------------------------------------------------------------------------
// The chapter's examples, verbatim (their email addresses are as the chapter prints them).
// ---------------------------------------------------------------------------------------------

const ORGANIZATION_EXAMPLE = {
  id: "org_01XXXXXXXXXXXXXXXXXX",
  name: "Acme Corporation",
  created_at: "2024-01-15T08:00:00Z",
  billing: {
    plan: "enterprise",
    usage_limit_usd: 10000.0,
    current_month_usage_usd: 2345.67,
  },
  settings: {
    default_model: "claude-opus-4-5",
    require_mfa: true,
    allowed_ip_ranges: ["203.0.113.0/24", "198.51.100.0/24"],
  },
};

const USER_LIST_EXAMPLE = {
  data: [
    {
      id: "user_01XXXXXXXXXXXXXXXXXX",
      email: "[email protected]",
      name: "Alice Johnson",
      role: "developer",
      created_at: "2024-03-01T10:00:00Z",
      last_active_at: "2025-04-27T15:30:00Z",
      status: "active",
    },
    {
      id: "user_02XXXXXXXXXXXXXXXXXX",
      email: "[email protected]",
      name: "Bob Smith",
      role: "admin",
      created_at: "2024-01-20T09:00:00Z",
      last_active_at: "2025-04-28T08:00:00Z",
      status: "active",
    },
  ],
  has_more: true,
  first_id: "user_01XXXXXXXXXXXXXXXXXX",
  last_id: "user_02XXXXXXXXXXXXXXXXXX",
};

const INVITE_EXAMPLE = {
  id: "invite_01XXXXXXXXXXXXXXXXXX",
  email: "[email protected]",
  role: "developer",
  status: "pending",
  invited_at: "2025-04-28T10:00:00Z",
  expires_at: "2025-05-05T10:00:00Z",
};

const USER_UPDATE_EXAMPLE = {
  id: "user_01XXXXXXXXXXXXXXXXXX",
  email: "[email protected]",
  name: "Alice Johnson",
  role: "admin",
  updated_at: "2025-04-28T10:05:00Z",
};

const USER_DELETE_EXAMPLE = { id: "user_01XXXXXXXXXXXXXXXXXX", deleted: true };

const API_KEY_LIST_EXAMPLE = {
  data: [
    {
      id: "apikey_01XXXXXXXXXXXXXXXXXX",
      name: "Production Backend",
      created_at: "2024-06-01T00:00:00Z",
      last_used_at: "2025-04-28T09:45:00Z",
      status: "active",
      workspace_id: "workspace_01XXXXXXXXXXXXXXXX",
      created_by: {
        id: "user_01XXXXXXXXXXXXXXXXXX",
        email: "[email protected]",
      },
      partial_key: "sk-ant-api03-...ABCD",
    },
  ],
  has_more: false,
};

const API_KEY_CREATE_REQUEST_EXAMPLE = {
  name: "Customer Portal Service",
  workspace_id: "workspace_01XXXXXXXXXXXXXXXX",
  expires_at: "2026-04-28T00:00:00Z",
};

const API_KEY_CREATE_EXAMPLE = {
  id: "apikey_03XXXXXXXXXXXXXXXXXX",
  name: "Customer Portal Service",
  key: "sk-ant-api03-XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
  workspace_id: "workspace_01XXXXXXXXXXXXXXXX",
  created_at: "2025-04-28T10:10:00Z",
  expires_at: "2026-04-28T00:00:00Z",
  status: "active",
};

const API_KEY_DELETE_EXAMPLE = { id: "apikey_01XXXXXXXXXXXXXXXXXX", deleted: true };

const WORKSPACE_LIST_EXAMPLE = {
  data: [
    {
      id: "workspace_01XXXXXXXXXXXXXXXX",
      name: "Production",
      created_at: "2024-01-15T08:00:00Z",
      usage_limits: { monthly_spend_usd: 5000.0, requests_per_minute: 1000 },
    },
    {
      id: "workspace_02XXXXXXXXXXXXXXXX",
      name: "Development",
      created_at: "2024-01-15T08:00:00Z",
      usage_limits: { monthly_spend_usd: 500.0, requests_per_minute: 100 },
    },
  ],
};

const USAGE_EXAMPLE = {
  data: [
    {
      date: "2025-04-27",
      input_tokens: 12345678,
      output_tokens: 3456789,
      cache_read_tokens: 987654,
      total_cost_usd: 456.78,
      requests: 23456,
      model_breakdown: {
        "claude-opus-4-5": {
          input_tokens: 5000000,
          output_tokens: 2000000,
          cost_usd: 380.0,
        },
        "claude-haiku-4-5": {
          input_tokens: 7345678,
          output_tokens: 1456789,
          cost_usd: 76.78,
        },
      },
    },
  ],
  total: {
    input_tokens: 12345678,
    output_tokens: 3456789,
    total_cost_usd: 456.78,
  },
};

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

const DAY_MS = 24 * 60 * 60 * 1000;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

function jsonType(value: unknown): string {
  if (value === null) {
    return "null";
  }
  if (Array.isArray(value)) {
    return "array";
  }
  return typeof value;
}

/**
 * Every field of `example` is present in `actual` with the same JSON type, recursively. Arrays:
 * every element of `actual` is checked against the example's first element. Returns the problems.
 */
function shapeProblems(actual: unknown, example: unknown, path = "$"): string[] {
  const want = jsonType(example);
  const got = jsonType(actual);
  if (want !== got) {
    return [
      `${path}: expected ${want} (example ${JSON.stringify(example)}), got ${got} (${JSON.stringify(actual)})`,
    ];
  }
  if (want === "array") {
    const sample = (example as unknown[])[0];
    if (sample === undefined) {
      return [];
    }
    return (actual as unknown[]).flatMap((item, i) => shapeProblems(item, sample, `${path}[${i}]`));
  }
  if (want === "object") {
    const a = actual as Record<string, unknown>;
    return Object.entries(example as Record<string, unknown>).flatMap(([key, value]) =>
      key in a ? shapeProblems(a[key], value, `${path}.${key}`) : [`${path}.${key}: missing`],
    );
  }
  return [];
}

function expectShape(actual: unknown, example: unknown): void {
  expect(shapeProblems(actual, example)).toEqual([]);
}

/**
 * A page of users against the example. Known difference: the owner made at bootstrap has never
 * been active (there is no sign-in), so their `last_active_at` is null; members who joined through
 * an invite have a timestamp, as in the example. The owner's other fields are checked all the same.
 */
function expectUserPageShape(
  page: AnswerTo<"get", "/v1/users">,
  ownerId: string,
  example: unknown,
): void {
  const owner = page.data.find((u) => u.id === ownerId);
  if (owner !== undefined) {
    expect(owner.last_active_at === null || typeof owner.last_active_at === "string").toBe(true);
  }
  const data = page.data.map((u) =>
    u.id === ownerId ? { ...u, last_active_at: u.last_active_at ?? "(never active)" } : u,
  );
  expectShape({ ...page, data }, example);
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}

/**
 * What the chapter's onboarding writes: `(datetime.now() + timedelta(days=365)).isoformat() + "Z"`,
 * a naive datetime with microseconds (omitted by Python when they are zero) and a bare `Z`.
 */
function pythonIsoformatZ(date: Date, microsecond: number): string {
  const base =
    `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}` +
    `T${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
  return `${base}${microsecond === 0 ? "" : `.${pad(microsecond, 6)}`}Z`;
}

/** The same instant, to the millisecond the server keeps. */
function expectSameInstant(actual: string | null, requested: string): void {
  expect(actual).toMatch(TIMESTAMP);
  expect(Date.parse(present(actual))).toBe(Date.parse(requested));
}

/** A fresh server for one `describe` block, closed after it. */
function useServer(backend: Backend, options: TestServerOptions = {}): () => TestServer {
  let server: TestServer | undefined;
  beforeAll(async () => {
    server = await createTestServer(backend, options);
  });
  afterAll(async () => {
    await server?.close();
  });
  return () => {
    if (!server) {
      throw new Error("server not started");
    }
    return server;
  };
}

let emailCounter = 0;
function uniqueEmail(local: string): string {
  emailCounter += 1;
  return `${local}+${emailCounter}@acme.example`;
}

/** invite_user, then the invited person accepts with the one-time token: a member. */
async function addMember(
  server: TestServer,
  email: string,
  role: string,
  name: string,
): Promise<{ id: string; email: string; name: string; role: string; [k: string]: unknown }> {
  const invite = await server.post("/v1/users/invite", { email, role });
  expect(invite.status, JSON.stringify(invite.body)).toBe(200);
  const accepted = await server.post(
    "/v1/invites/accept",
    { token: invite.body.token, name },
    { key: null },
  );
  expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
  return accepted.body;
}

/** An admin key bound to a member, so that the keys it creates carry `created_by.id` = that member. */
async function adminKeyFor(server: TestServer, userId: string): Promise<string> {
  const secret = generateSecret(ADMIN_KEY_PREFIX);
  await server.services.deps.store.transaction((repos) =>
    createAdminKeyIn(repos, server.services.deps, operatorContext(server.org.id), {
      name: `admin key of ${userId}`,
      secret,
      userId,
      expiresAt: null,
    }),
  );
  return secret;
}

/** The seed's list_api_keys: one GET, `data` only (the seed does not page). */
async function listApiKeys(server: TestServer, workspaceId?: string) {
  const response = await server.get(
    "/v1/api_keys",
    workspaceId === undefined ? {} : { query: { workspace_id: workspaceId } },
  );
  expect(response.status).toBe(200);
  return response.body.data ?? [];
}

type Workspace = Awaited<ReturnType<typeof createWorkspace>>;
type User = AnswerTo<"get", "/v1/users">["data"][number];

async function createWorkspace(server: TestServer, name: string, monthly: number, rpm = 100) {
  const response = await server.post("/v1/workspaces", {
    name,
    usage_limits: { monthly_spend_usd: monthly, requests_per_minute: rpm },
  });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body;
}

describe("the shape check itself", () => {
  it("reports missing fields, changed types and bad array items", () => {
    expect(shapeProblems({ a: 1 }, { a: 1 })).toEqual([]);
    expect(shapeProblems({ a: 1, extra: true }, { a: 2 })).toEqual([]);
    expect(shapeProblems({}, { a: 1 })).toEqual(["$.a: missing"]);
    expect(shapeProblems({ a: null }, { a: "x" })).toHaveLength(1);
    expect(shapeProblems({ a: { b: "1" } }, { a: { b: 1 } })).toHaveLength(1);
    expect(shapeProblems({ d: [{ x: 1 }, { y: 1 }] }, { d: [{ x: 1 }] })).toEqual([
      "$.d[1].x: missing",
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// The examples
// ---------------------------------------------------------------------------------------------

describeEachBackend("seed chapter examples", (backend) => {
  describe("64.3 organization (/v1/organizations)", () => {
    const server = useServer(backend);

    it("64.3.1 GET /v1/organizations has every field of the example", async () => {
      // The example's organization has a usage limit and a default model; Steward's start with
      // none (null), so set them as that organization would have (PATCH is Steward's extension).
      const configured = await server().patch("/v1/organizations", {
        settings: {
          default_model: "claude-opus-4-5",
          require_mfa: true,
          allowed_ip_ranges: ["203.0.113.0/24", "198.51.100.0/24"],
        },
        billing: { usage_limit_usd: 10000.0 },
      });
      expect(configured.status).toBe(200);

      const { status, body } = await server().get("/v1/organizations", {
        headers: { "anthropic-version": "2023-06-01" },
      });
      expect(status).toBe(200);
      expectShape(body, ORGANIZATION_EXAMPLE);
      expect(body.id).toBe(server().org.id);
      expect(body.name).toBe("Acme Corporation");
      expect(body.created_at).toMatch(TIMESTAMP);
      expect(body.billing.usage_limit_usd).toBe(10000);
      expect(body.billing.current_month_usage_usd).toBeGreaterThanOrEqual(0);
      expect(body.settings).toEqual(ORGANIZATION_EXAMPLE.settings);
    });

    it("64.3.2 updates settings with POST, exactly as the chapter's client sends them", async () => {
      const { status, body } = await server().post("/v1/organizations", {
        settings: {
          require_mfa: true,
          allowed_ip_ranges: ["203.0.113.0/24"],
        },
      });
      expect(status).toBe(200);
      expectShape(body, ORGANIZATION_EXAMPLE);
      expect(body.settings.require_mfa).toBe(true);
      expect(body.settings.allowed_ip_ranges).toEqual(["203.0.113.0/24"]);
      // Settings it was not given are kept.
      expect(body.settings.default_model).toBe("claude-opus-4-5");
      expect((await server().get("/v1/organizations")).body).toEqual(body);
    });
  });

  describe("64.4 users (/v1/users)", () => {
    const server = useServer(backend);
    let alice: Awaited<ReturnType<typeof addMember>>;
    let bob: Awaited<ReturnType<typeof addMember>>;

    beforeAll(async () => {
      alice = await addMember(server(), uniqueEmail("alice"), "developer", "Alice Johnson");
      bob = await addMember(server(), uniqueEmail("bob"), "admin", "Bob Smith");
    });

    it("64.4.1 GET /v1/users has every field of the example", async () => {
      // The owner plus Alice and Bob: a page of two has more, as in the example.
      const { status, body } = await server().get("/v1/users", { query: { limit: 2 } });
      expect(status).toBe(200);
      expectUserPageShape(body, server().org.ownerId, USER_LIST_EXAMPLE);
      expect(body.data).toHaveLength(2);
      expect(body.has_more).toBe(true);
      expect(body.first_id).toBe(body.data[0]?.id);
      expect(body.last_id).toBe(body.data[1]?.id);
      const rest = await server().get("/v1/users", {
        query: { limit: 2, after_id: present(body.last_id) },
      });
      expectUserPageShape(rest.body, server().org.ownerId, {
        ...USER_LIST_EXAMPLE,
        has_more: false,
      });
      const all = [...body.data, ...rest.body.data];
      expect(all).toHaveLength(3);
      for (const user of all) {
        expect(user.status).toBe("active");
        expect(user.created_at).toMatch(TIMESTAMP);
      }
      for (const member of [alice, bob]) {
        expect(all.find((u) => u.id === member.id)?.last_active_at).toMatch(TIMESTAMP);
      }
      expect(all.find((u) => u.id === alice.id)).toMatchObject({
        email: alice.email,
        name: "Alice Johnson",
        role: "developer",
        status: "active",
      });
      expect(all.find((u) => u.id === bob.id)).toMatchObject({
        email: bob.email,
        name: "Bob Smith",
        role: "admin",
        status: "active",
      });
    });

    it("64.4.1 list_all_users: the after_id loop with limit 100 collects more than 100 users", async () => {
      const emails = new Set([alice.email, bob.email]);
      for (let i = 0; i < 110; i++) {
        const email = uniqueEmail(`member${i}`);
        await addMember(server(), email, i % 2 === 0 ? "developer" : "user", `Member ${i}`);
        emails.add(email);
      }

      // The chapter's loop, step for step.
      const allUsers: User[] = [];
      const pages: AnswerTo<"get", "/v1/users">[] = [];
      let afterCursor: string | null = null;
      while (true) {
        const params: Record<string, string | number> = { limit: 100 };
        if (afterCursor) {
          params.after_id = afterCursor;
        }
        const response = await server().get("/v1/users", { query: params });
        expect(response.status).toBe(200);
        pages.push(response.body);
        const users = response.body.data ?? [];
        allUsers.push(...users);
        if (!response.body.has_more) {
          break;
        }
        afterCursor = users.at(-1)?.id ?? null;
        expect(pages.length).toBeLessThan(10);
      }

      expect(pages).toHaveLength(2);
      expect(pages[0]?.data).toHaveLength(100);
      expect(pages[0]?.has_more).toBe(true);
      expect(pages[1]?.has_more).toBe(false);
      for (const page of pages) {
        expectUserPageShape(page, server().org.ownerId, {
          ...USER_LIST_EXAMPLE,
          has_more: page.has_more,
        });
      }
      expect(allUsers).toHaveLength(113); // owner + Alice + Bob + 110
      expect(new Set(allUsers.map((u) => u.id)).size).toBe(113);
      const listed = new Set(allUsers.map((u) => u.email));
      for (const email of emails) {
        expect(listed.has(email)).toBe(true);
      }
    });

    it("64.4.2 invite_user: the example's request gets the example's response", async () => {
      const before = Date.now();
      const email = uniqueEmail("newdev");
      const { status, body } = await server().post("/v1/users/invite", {
        email,
        role: "developer",
      });
      expect(status).toBe(200);
      expectShape(body, INVITE_EXAMPLE);
      expect(body.id).toMatch(/^invite_/);
      expect(body.email).toBe(email);
      expect(body.role).toBe("developer");
      expect(body.status).toBe("pending");
      expect(body.invited_at).toMatch(TIMESTAMP);
      expect(Date.parse(body.invited_at)).toBeGreaterThanOrEqual(before - 1000);
      expect(Date.parse(body.invited_at)).toBeLessThanOrEqual(Date.now() + 1000);
      // The example's invite expires seven days after it was sent.
      expect(body.expires_at).toMatch(TIMESTAMP);
      expect(Date.parse(body.expires_at) - Date.parse(body.invited_at)).toBe(7 * DAY_MS);
    });

    it.each(["owner", "admin", "developer", "billing"])(
      "64.4.2 invite_user accepts the documented role %s",
      async (role) => {
        const email = uniqueEmail(role);
        const { status, body } = await server().post("/v1/users/invite", { email, role });
        expect(status).toBe(200);
        expectShape(body, INVITE_EXAMPLE);
        expect(body).toMatchObject({ email, role, status: "pending" });
      },
    );

    it("64.4.2 an invite body without a role is refused (invite_user always sends one)", async () => {
      expectError(
        await server().post("/v1/users/invite", { email: uniqueEmail("norole") }),
        400,
        "invalid_request_error",
      );
    });

    it("64.4.3 update_user_role: PATCH /v1/users/{id} with the example's response", async () => {
      const { status, body } = await server().patch(`/v1/users/${alice.id}`, { role: "admin" });
      expect(status).toBe(200);
      expectShape(body, USER_UPDATE_EXAMPLE);
      expect(body).toMatchObject({
        id: alice.id,
        email: alice.email,
        name: "Alice Johnson",
        role: "admin",
      });
      expect(body.updated_at).toMatch(TIMESTAMP);
      expect(Date.parse(body.updated_at)).toBeGreaterThanOrEqual(
        Date.parse(alice.created_at as string),
      );
      expect((await server().get(`/v1/users/${alice.id}`)).body.role).toBe("admin");
    });

    it("64.4.4 remove_user: DELETE answers the example and revokes the user's keys", async () => {
      const carol = await addMember(server(), uniqueEmail("carol"), "developer", "Carol");
      const issued: string[] = [];
      for (const name of ["Carol laptop", "Carol CI"]) {
        const created = await server().post("/v1/api_keys", { name, user_id: carol.id });
        expect(created.status).toBe(200);
        issued.push(created.body.id as string);
      }
      const unrelated = await server().post("/v1/api_keys", { name: "Someone else's" });

      const { status, body } = await server().delete(`/v1/users/${carol.id}`);
      expect(status).toBe(200);
      expectShape(body, USER_DELETE_EXAMPLE);
      expect(body.id).toBe(carol.id);
      expect(body.deleted).toBe(true);
      expect([...body.revoked_api_key_ids].sort()).toEqual([...issued].sort());

      for (const id of issued) {
        const key = await server().get(`/v1/api_keys/${id}`);
        expect(key.body.status).toBe("archived");
      }
      expect((await server().get(`/v1/api_keys/${unrelated.body.id}`)).body.status).toBe("active");
      expectError(await server().get(`/v1/users/${carol.id}`), 404, "not_found_error");
      const listed = await server().get("/v1/users", { query: { email: carol.email } });
      expect(listed.body.data).toEqual([]);
    });

    it("64.4.4 remove_user also revokes the keys the user created", async () => {
      const dave = await addMember(server(), uniqueEmail("dave"), "admin", "Dave");
      const daveKey = await adminKeyFor(server(), dave.id);
      const created = await server().post(
        "/v1/api_keys",
        { name: "Dave's service" },
        { key: daveKey },
      );
      expect(created.body.created_by?.id).toBe(dave.id);

      const removal = await server().delete(`/v1/users/${dave.id}`);
      expect(removal.body).toMatchObject({ id: dave.id, deleted: true });
      expect(removal.body.revoked_api_key_ids).toEqual([created.body.id]);
      expect((await server().get(`/v1/api_keys/${created.body.id}`)).body.status).toBe("archived");
    });
  });

  describe("64.5 API keys (/v1/api_keys)", () => {
    const server = useServer(backend);
    let production: Workspace;
    let development: Workspace;

    beforeAll(async () => {
      production = await createWorkspace(server(), "Production", 5000, 1000);
      development = await createWorkspace(server(), "Development", 500, 100);
    });

    it("64.5.1 list_api_keys with a workspace_id filter has every field of the example", async () => {
      const created = await server().post("/v1/api_keys", {
        name: "Production Backend",
        workspace_id: production.id,
      });
      expect(created.status).toBe(200);
      await server().post("/v1/api_keys", { name: "Dev sandbox", workspace_id: development.id });
      // The example's key has been used. Nothing in Steward uses keys yet (until then
      // last_used_at is null), so record a use the way a later proxy would.
      const usedAt = "2026-04-28T09:45:00.000Z";
      await server()
        .database.db.updateTable("api_keys")
        .set({ last_used_at: usedAt })
        .where("id", "=", created.body.id)
        .execute();

      const { status, body } = await server().get("/v1/api_keys", {
        query: { workspace_id: production.id },
      });
      expect(status).toBe(200);
      expectShape(body, API_KEY_LIST_EXAMPLE);
      expect(body.has_more).toBe(false);
      expect(body.data).toHaveLength(1);
      const key = present(body.data[0], "the key");
      expect(key).toMatchObject({
        id: created.body.id,
        name: "Production Backend",
        status: "active",
        workspace_id: production.id,
        last_used_at: usedAt,
      });
      const owner = (await server().get(`/v1/users/${server().org.ownerId}`)).body;
      expect(key.created_by).toMatchObject({ id: owner.id, email: owner.email });
      expect(key.created_at).toMatch(TIMESTAMP);
      expect(key.partial_key).toMatch(/^sk-ant-api03-\.\.\.[A-Za-z0-9_-]{4}$/);
      expect(key.partial_key.slice(-4)).toBe(created.body.key.slice(-4));
      expect(key).not.toHaveProperty("key");

      // The seed's helper: list_api_keys(admin, workspace_id) returns `data` only.
      expect((await listApiKeys(server(), development.id)).map((k) => k.name)).toEqual([
        "Dev sandbox",
      ]);
      expect((await listApiKeys(server())).map((k) => k.name).sort()).toEqual(
        ["Dev sandbox", "Production Backend"].sort(),
      );
    });

    it("64.5.2 create_api_key: the example's request gets the example's response", async () => {
      const year = new Date().getUTCFullYear() + 1;
      // The example's expiry has passed by now; the same form, a year ahead.
      const expiresAt = `${year}-04-28T00:00:00Z`;
      const request = {
        ...API_KEY_CREATE_REQUEST_EXAMPLE,
        workspace_id: production.id,
        expires_at: expiresAt,
      };
      const { status, body } = await server().post("/v1/api_keys", request);
      expect(status).toBe(200);
      expectShape(body, API_KEY_CREATE_EXAMPLE);
      expect(body.id).toMatch(/^apikey_/);
      expect(body.name).toBe("Customer Portal Service");
      expect(body.workspace_id).toBe(production.id);
      expect(body.status).toBe("active");
      expect(body.created_at).toMatch(TIMESTAMP);
      expectSameInstant(body.expires_at, expiresAt);
      expect(body.key).toMatch(/^sk-ant-api03-[A-Za-z0-9_-]{40,}$/);
      // The full key is shown this once only.
      const again = await server().get(`/v1/api_keys/${body.id}`);
      expect(again.body).not.toHaveProperty("key");
      expectSameInstant(again.body.expires_at, expiresAt);
    });

    it.each([
      ["with microseconds", 123456],
      ["on a whole second (Python then omits the fraction)", 0],
    ])(
      "64.5.2 create_api_key takes expires_at in the onboarding's Python format, %s",
      async (_label, microsecond) => {
        const inAYear = new Date(Date.now() + 365 * DAY_MS);
        const expires = pythonIsoformatZ(inAYear, microsecond);
        expect(expires).toMatch(
          microsecond === 0
            ? /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/
            : /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/,
        );
        const { status, body } = await server().post("/v1/api_keys", {
          name: "Python-format expiry",
          workspace_id: production.id,
          expires_at: expires,
        });
        expect(status, JSON.stringify(body)).toBe(200);
        expectShape(body, API_KEY_CREATE_EXAMPLE);
        expect(body.status).toBe("active");
        // Kept to the millisecond: .123456 → .123.
        expectSameInstant(body.expires_at, expires);
        expect(body.expires_at?.slice(0, 19)).toBe(expires.slice(0, 19));
      },
    );

    it("64.5.3 revoke_api_key: DELETE answers the example and the key is revoked at once", async () => {
      const created = await server().post("/v1/api_keys", {
        name: "To revoke",
        workspace_id: development.id,
      });
      const { status, body } = await server().delete(`/v1/api_keys/${created.body.id}`);
      expect(status).toBe(200);
      expectShape(body, API_KEY_DELETE_EXAMPLE);
      expect(body).toMatchObject({ id: created.body.id, deleted: true });
      const after = await server().get(`/v1/api_keys/${created.body.id}`);
      expect(after.body.status).toBe("archived");
      expect(after.body.archived_at).toMatch(TIMESTAMP);
      const listed = (await listApiKeys(server(), development.id)).find(
        (k) => k.id === created.body.id,
      );
      expect(listed?.status).toBe("archived");
      // Revoking again is harmless.
      expect((await server().delete(`/v1/api_keys/${created.body.id}`)).body).toMatchObject({
        id: created.body.id,
        deleted: true,
      });
    });

    it("64.5.3 revoke_api_key on an unknown key is a 404", async () => {
      expectError(await server().delete("/v1/api_keys/apikey_01nope"), 404, "not_found_error");
    });
  });

  describe("64.6 workspaces (/v1/workspaces)", () => {
    const server = useServer(backend);

    it("64.6.2 create_workspace, then 64.6.1 list_workspaces has every field of the example", async () => {
      const created: Workspace[] = [];
      for (const example of WORKSPACE_LIST_EXAMPLE.data) {
        // create_workspace(admin, name, monthly_spend_limit, rpm_limit)
        const body = await createWorkspace(
          server(),
          example.name,
          example.usage_limits.monthly_spend_usd,
          example.usage_limits.requests_per_minute,
        );
        expectShape(body, example);
        expect(body.id).toMatch(/^wrkspc_/);
        expect(body.name).toBe(example.name);
        expect(body.usage_limits).toEqual(example.usage_limits);
        created.push(body);
      }

      const { status, body } = await server().get("/v1/workspaces");
      expect(status).toBe(200);
      // The organization's default workspace is listed too; it has no limits (null), so the
      // example's shape is checked on the two workspaces the example shows.
      const listed = body.data.filter((w) => created.some((c) => c.id === w.id));
      expectShape({ ...body, data: listed }, WORKSPACE_LIST_EXAMPLE);
      expect(listed.map((w) => [w.name, w.usage_limits])).toEqual(
        WORKSPACE_LIST_EXAMPLE.data.map((w) => [w.name, w.usage_limits]),
      );
      const fallback = body.data.find((w) => w.is_default);
      expect(fallback).toBeDefined();
      expectShape(fallback, { id: "", name: "", created_at: "", usage_limits: {} });
    });

    it("64.6.2 create_workspace keeps cents and uses the chapter's default rpm_limit of 100", async () => {
      const body = await createWorkspace(server(), "Data Science", 1234.56);
      expect(body.usage_limits).toEqual({ monthly_spend_usd: 1234.56, requests_per_minute: 100 });
      const listed = (await server().get("/v1/workspaces")).body.data.find((w) => w.id === body.id);
      expect(listed?.usage_limits).toEqual({
        monthly_spend_usd: 1234.56,
        requests_per_minute: 100,
      });
    });
  });

  describe("64.7 usage (/v1/usage)", () => {
    // The day after the example's, so that its usage is recent enough to be recorded.
    const server = useServer(backend, { clock: new ManualClock("2025-04-28T10:00:00.000Z") });
    const [day] = USAGE_EXAMPLE.data;

    beforeAll(async () => {
      // The example's usage in two events, one per model, each with the example's cost: a request
      // count of 23,456 would take as many events, so `requests` is the one value that differs.
      const opus = day?.model_breakdown["claude-opus-4-5"];
      const haiku = day?.model_breakdown["claude-haiku-4-5"];
      const recorded = await server().post("/v1/usage/events", {
        events: [
          {
            id: "example-opus",
            timestamp: "2025-04-27T09:00:00Z",
            workspace_id: server().org.defaultWorkspaceId,
            model: "claude-opus-4-5",
            input_tokens: opus?.input_tokens,
            output_tokens: opus?.output_tokens,
            cost_usd: opus?.cost_usd,
          },
          {
            id: "example-haiku",
            timestamp: "2025-04-27T17:30:00Z",
            workspace_id: server().org.defaultWorkspaceId,
            model: "claude-haiku-4-5",
            input_tokens: haiku?.input_tokens,
            output_tokens: haiku?.output_tokens,
            cache_read_input_tokens: day?.cache_read_tokens,
            cost_usd: haiku?.cost_usd,
          },
        ],
      });
      expect(recorded.body).toEqual({ accepted: 2, duplicates: 0, rejected: [] });
    });

    it("64.7.1 get_usage: the example's day has every field and value of the example", async () => {
      // get_usage(admin, "2025-04-27", "2025-04-27"): granularity "day", no workspace.
      const { status, body } = await server().get("/v1/usage", {
        query: { start_date: "2025-04-27", end_date: "2025-04-27", granularity: "day" },
      });
      expect(status).toBe(200);
      expectShape(body, USAGE_EXAMPLE);
      expect(body.data).toHaveLength(1);
      expect(body.data[0]).toMatchObject({ ...day, requests: 2 });
      expect(Object.keys(present(body.data[0]).model_breakdown).sort()).toEqual(
        Object.keys(day?.model_breakdown ?? {}).sort(),
      );
      expect(body.total).toMatchObject(USAGE_EXAMPLE.total);
    });

    it("64.7.1 get_usage with a workspace_id counts only that workspace", async () => {
      const other = await createWorkspace(server(), "Quiet", 100);
      const { status, body } = await server().get("/v1/usage", {
        query: { start_date: "2025-04-27", end_date: "2025-04-27", workspace_id: other.id },
      });
      expect(status).toBe(200);
      expectShape({ ...body, data: [] }, { ...USAGE_EXAMPLE, data: [] });
      expect(body.data[0]).toMatchObject({ date: "2025-04-27", requests: 0, model_breakdown: {} });
      expect(body.total).toMatchObject({ input_tokens: 0, output_tokens: 0, total_cost_usd: 0 });
    });

    it("64.7.2 CostAlertSystem: the month query's total_cost_usd decides the alert", async () => {
      // check_and_alert() on 2025-04-28: month_start "2025-04-01", today "2025-04-28", month.
      const { status, body } = await server().get("/v1/usage", {
        query: { start_date: "2025-04-01", end_date: "2025-04-28", granularity: "month" },
      });
      expect(status).toBe(200);
      expect(body.data.map((b: { date: string }) => b.date)).toEqual(["2025-04"]);
      const totalCost = body.total?.total_cost_usd ?? 0;
      // CostAlertSystem(admin, 400) alerts; CostAlertSystem(admin, 500) does not.
      expect(totalCost).toBe(456.78);
    });
  });

  describe("64.8 UserLifecycleManager", () => {
    const server = useServer(backend);
    let workspace: Workspace;

    beforeAll(async () => {
      workspace = await createWorkspace(server(), "Onboarding", 1000, 100);
    });

    it("onboard_developer: invite, a one-year key in the workspace, credentials returned", async () => {
      const email = uniqueEmail("erin");
      const name = "Erin Example";
      const team = "Payments";

      const invite = await server().post("/v1/users/invite", { email, role: "developer" });
      expect(invite.status).toBe(200);
      const expires = pythonIsoformatZ(new Date(Date.now() + 365 * DAY_MS), 654321);
      const apiKey = await server().post("/v1/api_keys", {
        name: `${name} - ${team}`,
        workspace_id: workspace.id,
        expires_at: expires,
      });
      expect(apiKey.status, JSON.stringify(apiKey.body)).toBe(200);

      const result = {
        invite_id: invite.body.id,
        invite_email: email,
        api_key_id: apiKey.body.id,
        api_key: apiKey.body.key,
        workspace_id: workspace.id,
        expires_at: expires,
      };
      expect(result.invite_id).toMatch(/^invite_/);
      expect(result.api_key_id).toMatch(/^apikey_/);
      expect(result.api_key).toMatch(/^sk-ant-api03-/);
      expect(invite.body).toMatchObject({ email, role: "developer", status: "pending" });

      const listed = (await listApiKeys(server(), workspace.id)).find(
        (k) => k.id === result.api_key_id,
      );
      expect(listed).toMatchObject({
        name: "Erin Example - Payments",
        status: "active",
        workspace_id: workspace.id,
      });
      expectSameInstant(present(listed, "the listed key").expires_at, expires);
    });

    it("offboard_developer: revokes every key created_by the user, then removes the user", async () => {
      // Frank creates keys through an admin key of theirs while an admin, then is a developer.
      const frank = await addMember(server(), uniqueEmail("frank"), "admin", "Frank");
      const frankAdminKey = await adminKeyFor(server(), frank.id);
      const franks: string[] = [];
      for (const name of ["Frank - backend", "Frank - notebooks"]) {
        const created = await server().post(
          "/v1/api_keys",
          { name, workspace_id: workspace.id },
          { key: frankAdminKey },
        );
        expect(created.status).toBe(200);
        expect(created.body.created_by).toMatchObject({ id: frank.id, email: frank.email });
        franks.push(created.body.id);
      }
      await server().patch(`/v1/users/${frank.id}`, { role: "developer" });
      const ownersKey = await server().post("/v1/api_keys", {
        name: "Team key",
        workspace_id: workspace.id,
      });

      // The chapter's offboard_developer, step for step.
      const revokedKeys: string[] = [];
      const allKeys = await listApiKeys(server());
      const userKeys = allKeys.filter((k) => k.created_by?.id === frank.id);
      for (const key of userKeys) {
        const revoked = await server().delete(`/v1/api_keys/${key.id}`);
        expect(revoked.body).toMatchObject({ id: key.id, deleted: true });
        revokedKeys.push(key.id);
      }
      const removal = await server().delete(`/v1/users/${frank.id}`);
      const result = {
        user_id: frank.id,
        deleted: removal.body.deleted ?? false,
        revoked_keys: revokedKeys,
        revoked_count: revokedKeys.length,
      };

      expect(result.deleted).toBe(true);
      expect(result.revoked_count).toBe(2);
      expect([...result.revoked_keys].sort()).toEqual([...franks].sort());
      for (const id of franks) {
        expect((await server().get(`/v1/api_keys/${id}`)).body.status).toBe("archived");
      }
      expect((await server().get(`/v1/api_keys/${ownersKey.body.id}`)).body.status).toBe("active");
      expectError(await server().get(`/v1/users/${frank.id}`), 404, "not_found_error");
    });

    it("offboard_developer past the first page of keys: the removal revokes what the client missed", async () => {
      // The chapter's list_api_keys makes one request, so it sees the first page only (20 keys
      // by default, as in Anthropic's API). Keys beyond it are revoked by DELETE /v1/users anyway.
      // Grace creates keys through an admin key of theirs while an admin, then is a developer.
      const grace = await addMember(server(), uniqueEmail("grace"), "admin", "Grace");
      const graceAdminKey = await adminKeyFor(server(), grace.id);
      for (let i = 0; i < 20; i++) {
        await server().post("/v1/api_keys", { name: `Team key ${i}`, workspace_id: workspace.id });
      }
      const graces: string[] = [];
      for (const name of ["Grace - a", "Grace - b"]) {
        const created = await server().post("/v1/api_keys", { name }, { key: graceAdminKey });
        graces.push(created.body.id);
      }
      await server().patch(`/v1/users/${grace.id}`, { role: "developer" });

      const firstPage = await listApiKeys(server());
      expect(firstPage).toHaveLength(20);
      const seen = firstPage.filter((k) => k.created_by?.id === grace.id);
      expect(seen).toEqual([]);
      const removal = await server().delete(`/v1/users/${grace.id}`);
      expect(removal.body.deleted).toBe(true);
      expect([...removal.body.revoked_api_key_ids].sort()).toEqual([...graces].sort());
      for (const id of graces) {
        expect((await server().get(`/v1/api_keys/${id}`)).body.status).toBe("archived");
      }
    });
  });
});
