import { createHash, randomUUID } from "node:crypto";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  IDEMPOTENCY_IN_PROGRESS_MS,
  IDEMPOTENCY_PRUNE_INTERVAL_MS,
  isFinalStatus,
} from "../src/core/idempotency.js";
import type { IdempotencyKeyRow } from "../src/core/records.js";
import type { Services } from "../src/core/services.js";
import { connect, type Database } from "../src/db/connect.js";
import { startRuntime } from "../src/runtime.js";
import { ask, type GatewayEnv, startGatewayEnv } from "./gateway-support.js";
import {
  type ApiResponse,
  createTestServer,
  describeEachBackend,
  expectError,
  type OrgFixture,
  type TestServer,
} from "./harness.js";
import { channelAt, present } from "./support/narrow.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const withKey = (key: string, extra: Record<string, unknown> = {}) => ({
  ...extra,
  headers: { "idempotency-key": key },
});

let emailCounter = 0;
const uniqueEmail = (name: string) => `${name}+idem${++emailCounter}@example.com`;

/** Where a key's record is found: the SHA-256 of (organization, key), never the key. */
const keyHash = (organizationId: string, key: string) =>
  createHash("sha256").update(organizationId).update("\0").update(key).digest("hex");

describeEachBackend("Idempotency-Key", (backend) => {
  let env: GatewayEnv;
  let server: TestServer;

  beforeAll(async () => {
    env = await startGatewayEnv(backend);
    server = env.server;
  });
  afterAll(async () => {
    await env?.close();
  });

  const rows = (): Promise<IdempotencyKeyRow[]> =>
    server.database.db.selectFrom("idempotency_keys").selectAll().execute();
  const rowOf = async (key: string, org: OrgFixture = server.org) =>
    server.database.db
      .selectFrom("idempotency_keys")
      .selectAll()
      .where("key_hash", "=", keyHash(org.id, key))
      .executeTakeFirst();
  const auditCount = async (org: OrgFixture = server.org): Promise<number> => {
    const row = await server.database.db
      .selectFrom("audit_events")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("organization_id", "=", org.id)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  };
  const countWhere = async (
    table: "workspaces" | "api_keys" | "invites",
    column: string,
    value: string,
  ) => {
    const row = await server.database.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where(column as "organization_id", "=", value)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  };
  const expectReplayOf = (replay: ApiResponse, first: ApiResponse) => {
    expect(replay.status).toBe(first.status);
    expect(replay.body).toEqual(first.body);
    expect(replay.headers["idempotent-replayed"]).toBe("true");
  };

  describe("replays", () => {
    it("should answer a repeated API key creation with the first response, the same working secret, and nothing new", async () => {
      const key = randomUUID();
      const name = `replayed key ${key}`;
      const audits = await auditCount();
      const first = await server.post("/v1/api_keys", { name }, withKey(key));
      expect(first.status).toBe(200);
      expect(first.headers["idempotent-replayed"]).toBeUndefined();
      expect(first.body.key).toMatch(/^sk-ant-api03-/);

      const raw = () =>
        server.app.inject({
          method: "POST",
          url: "/v1/api_keys",
          headers: {
            "x-api-key": server.org.adminKey,
            "content-type": "application/json",
            "idempotency-key": key,
          },
          // The same body with its fields in another order and other spacing is the same request.
          payload: `{ "name" : ${JSON.stringify(name)} }`,
        });
      const replay = await raw();
      expect(replay.statusCode).toBe(200);
      expect(replay.headers["idempotent-replayed"]).toBe("true");
      expect(replay.headers["content-type"]).toBe("application/json; charset=utf-8");
      expect(replay.body).toBe(JSON.stringify(first.body)); // byte for byte
      expect(replay.headers["request-id"]).not.toBe(first.headers["request-id"]);
      expect((await raw()).body).toBe(replay.body);

      expect(await countWhere("api_keys", "name", name)).toBe(1);
      expect(await auditCount()).toBe(audits + 1); // api_key.created once; replays write nothing

      // The replayed secret is the key's: it works at the gateway.
      const message = await env.client(JSON.parse(replay.body).key).messages.create(ask());
      expect(message.type).toBe("message");
    });

    it("should replay on the Anthropic surface, and treat the other surface's path as another request", async () => {
      const key = randomUUID();
      const body = { name: `anthropic ${key}` };
      const first = await server.post("/v1/organizations/api_keys", body, withKey(key));
      expect(first.status).toBe(200);
      expectReplayOf(await server.post("/v1/organizations/api_keys", body, withKey(key)), first);
      const other = await server.post("/v1/api_keys", body, withKey(key));
      expect(expectError(other, 422, "invalid_request_error").message).toMatch(
        /already used for a different request/,
      );
      expect(await countWhere("api_keys", "name", body.name)).toBe(1);
    });

    it("should replay onboarding with the same invite token and API key, both usable", async () => {
      const key = randomUUID();
      const email = uniqueEmail("onboard");
      const body = {
        email,
        role: "developer",
        workspaces: [
          { workspace_id: server.org.defaultWorkspaceId, workspace_role: "workspace_user" },
        ],
        api_key: { name: `onboarded ${key}` },
      };
      const first = await server.post("/v1/organizations/users/onboard", body, withKey(key));
      expect(first.status).toBe(200);
      const audits = await auditCount();
      const replay = await server.post("/v1/organizations/users/onboard", body, withKey(key));
      expectReplayOf(replay, first);
      expect(replay.body.invite.token).toBe(first.body.invite.token);
      expect(replay.body.api_key?.key).toBe(first.body.api_key?.key);
      expect(await auditCount()).toBe(audits);
      expect(await countWhere("invites", "email", email)).toBe(1);
      expect(await countWhere("api_keys", "name", body.api_key.name)).toBe(1);

      const message = await env
        .client(present(replay.body.api_key, "the issued key").key)
        .messages.create(ask());
      expect(message.type).toBe("message");
      const accepted = await server.post(
        "/v1/invites/accept",
        { token: replay.body.invite.token, name: "Onboarded" },
        { key: null },
      );
      expect(accepted.status).toBe(200);
      expect(accepted.body.email).toBe(email);

      // The seed surface's onboarding is its own request.
      expectError(
        await server.post("/v1/users/onboard", body, withKey(key)),
        422,
        "invalid_request_error",
      );
    });

    it("should replay an offboarding instead of answering 404 the second time", async () => {
      const email = uniqueEmail("leaver");
      const invite = await server.post("/v1/users/invite", { email, role: "user" });
      const user = await server.post(
        "/v1/invites/accept",
        { token: invite.body.token, name: "Leaver" },
        { key: null },
      );
      const key = randomUUID();
      const url = `/v1/users/${user.body.id}/offboard`;
      const first = await server.post(url, undefined, withKey(key));
      expect(first.status).toBe(200);
      expectReplayOf(await server.post(url, undefined, withKey(key)), first);
      // Without the key, the repeat runs again and is refused.
      expectError(await server.post(url), 404, "not_found_error");
    });

    it("should replay usage ingestion: the first counts, not duplicates", async () => {
      const key = randomUUID();
      const events = [1, 2, 3].map((i) => ({
        id: `evt_idem_${key}_${i}`,
        timestamp: new Date(env.clock.now().getTime() - HOUR).toISOString(),
        workspace_id: server.org.defaultWorkspaceId,
        model: "claude-opus-4-5",
        input_tokens: 100,
        output_tokens: 50,
      }));
      const first = await server.post("/v1/usage/events", { events }, withKey(key));
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ accepted: 3, duplicates: 0 });
      expectReplayOf(await server.post("/v1/usage/events", { events }, withKey(key)), first);
      // The same events under a new key run again: the store counts them as duplicates.
      const again = await server.post("/v1/usage/events", { events }, withKey(randomUUID()));
      expect(again.body).toMatchObject({ accepted: 0, duplicates: 3 });
    });

    it("should replay workspace creation, archive and member creation on both surfaces", async () => {
      for (const base of ["/v1/workspaces", "/v1/organizations/workspaces"] as const) {
        const key = randomUUID();
        const name = `ws ${key.slice(0, 8)}`;
        const created = await server.post(base, { name }, withKey(key));
        expect(created.status).toBe(200);
        expectReplayOf(await server.post(base, { name }, withKey(key)), created);
        expect(await countWhere("workspaces", "name", name)).toBe(1);

        const archiveKey = randomUUID();
        const url = `${base}/${created.body.id}/archive` as const;
        const archived = await server.post(url, undefined, withKey(archiveKey));
        expect(archived.status).toBe(200);
        const audits = await auditCount();
        // A body on a route that takes none does not make it another request.
        expectReplayOf(await server.request("POST", url, { ...withKey(archiveKey) }), archived);
        expect(await auditCount()).toBe(audits);
      }

      const email = uniqueEmail("member");
      const invite = await server.post("/v1/organizations/invites", { email, role: "user" });
      const user = await server.post(
        "/v1/invites/accept",
        { token: invite.body.token, name: "Member" },
        { key: null },
      );
      const key = randomUUID();
      const url = `/v1/organizations/workspaces/${server.org.defaultWorkspaceId}/members`;
      const body = { user_id: user.body.id, workspace_role: "workspace_developer" };
      const added = await server.post(url, body, withKey(key));
      expect(added.status).toBe(200);
      expectReplayOf(await server.post(url, body, withKey(key)), added);
      // Without the key, the repeat is refused: already a member.
      expectError(await server.post(url, body), 400, "invalid_request_error");
    });

    it("should replay invites on both surfaces with the same token", async () => {
      for (const url of ["/v1/users/invite", "/v1/organizations/invites"] as const) {
        const key = randomUUID();
        const body = { email: uniqueEmail("invitee"), role: "user" };
        const first = await server.post(url, body, withKey(key));
        expect(first.status).toBe(200);
        const replay = await server.post(url, body, withKey(key));
        expectReplayOf(replay, first);
        expect(replay.body.token).toBe(first.body.token);
        expect(await countWhere("invites", "email", body.email)).toBe(1);
      }
    });

    it("should replay alert rule creation (with its webhook secret) and a test without sending again", async () => {
      const key = randomUUID();
      const body = {
        name: `rule ${key}`,
        scope: { type: "organization" },
        thresholds: [{ type: "usd", amount_usd: 100 }],
        channels: [{ type: "webhook", url: "http://127.0.0.1:9/hook" }],
      };
      const first = await server.post("/v1/organizations/alert_rules", body, withKey(key));
      expect(first.status, JSON.stringify(first.body)).toBe(200);
      const replay = await server.post("/v1/organizations/alert_rules", body, withKey(key));
      expectReplayOf(replay, first);
      expect(channelAt(replay.body, 0, "webhook").secret).toBe(
        channelAt(first.body, 0, "webhook").secret,
      );

      const testKey = randomUUID();
      const url = `/v1/organizations/alert_rules/${first.body.id}/test` as const;
      const tested = await server.post(url, undefined, withKey(testKey));
      expect(tested.status, JSON.stringify(tested.body)).toBe(200);
      expect(tested.body.data).toHaveLength(1);
      expectReplayOf(await server.post(url, undefined, withKey(testKey)), tested);
      const deliveries = await server.get("/v1/organizations/alert_deliveries", {
        query: { rule_id: first.body.id, limit: 100 },
      });
      expect(deliveries.body.data).toHaveLength(1);
    });

    it("should store and replay a refusal (4xx) as a decision", async () => {
      const key = randomUUID();
      const first = await server.post(
        "/v1/workspaces/wrkspc_missing/archive",
        undefined,
        withKey(key),
      );
      expectError(first, 404, "not_found_error");
      expectReplayOf(
        await server.post("/v1/workspaces/wrkspc_missing/archive", undefined, withKey(key)),
        first,
      );
      expect((await rowOf(key))?.response_status).toBe(404);
    });

    it("should leave requests without a key as they were, recording nothing", async () => {
      const before = (await rows()).length;
      const name = `no key ${randomUUID().slice(0, 8)}`;
      expect((await server.post("/v1/workspaces", { name })).status).toBe(200);
      expect((await server.post("/v1/workspaces", { name })).status).toBe(200);
      expect(await countWhere("workspaces", "name", name)).toBe(2);
      expect((await rows()).length).toBe(before);
    });
  });

  describe("refusals", () => {
    it("should answer 422 for the same key with another body, and keep the first response", async () => {
      const key = randomUUID();
      const first = await server.post(
        "/v1/workspaces",
        { name: `first ${key.slice(0, 8)}` },
        withKey(key),
      );
      expect(first.status).toBe(200);
      const audits = await auditCount();
      const other = await server.post(
        "/v1/workspaces",
        { name: `second ${key.slice(0, 8)}` },
        withKey(key),
      );
      const error = expectError(other, 422, "invalid_request_error");
      expect(error.details?.error_code).toBe("idempotency_key_reused");
      expect(error.message).toMatch(/Idempotency-Key was already used for a different request/);
      expect(await countWhere("workspaces", "name", `second ${key.slice(0, 8)}`)).toBe(0);
      expect(await auditCount()).toBe(audits);
      // Another method and path with the same body, too.
      expectError(
        await server.patch(
          `/v1/workspaces/${first.body.id}`,
          { name: `first ${key.slice(0, 8)}` },
          withKey(key),
        ),
        422,
        "invalid_request_error",
      );
      expectReplayOf(
        await server.post("/v1/workspaces", { name: `first ${key.slice(0, 8)}` }, withKey(key)),
        first,
      );
    });

    it.each([
      ["empty", ""],
      ["too long", "k".repeat(256)],
      ["a control character", "abc\tdef"],
    ])("should answer 400 naming the header for a key that is %s", async (_label, value) => {
      const name = `bad header ${randomUUID().slice(0, 8)}`;
      const response = await server.post("/v1/workspaces", { name }, withKey(value));
      expect(expectError(response, 400, "invalid_request_error").message).toBe(
        "header.idempotency-key: Idempotency-Key must be 1 to 255 printable ASCII characters",
      );
      expect(await countWhere("workspaces", "name", name)).toBe(0);
    });

    it("should accept a key of 255 printable characters, spaces included", async () => {
      const key = `${"~ !".repeat(84)}abc`;
      expect(key).toHaveLength(255);
      const first = await server.post("/v1/workspaces", { name: "long key" }, withKey(key));
      expect(first.status).toBe(200);
      expectReplayOf(
        await server.post("/v1/workspaces", { name: "long key" }, withKey(key)),
        first,
      );
    });
  });

  describe("exactly once", () => {
    it("should run concurrent requests with one key once on one node", async () => {
      const key = randomUUID();
      const name = `concurrent ${key.slice(0, 8)}`;
      const responses = await Promise.all(
        Array.from({ length: 6 }, () => server.post("/v1/workspaces", { name }, withKey(key))),
      );
      const executed = responses.filter(
        (r) => r.status === 200 && r.headers["idempotent-replayed"] === undefined,
      );
      expect(executed).toHaveLength(1);
      for (const response of responses) {
        if (response === executed[0]) {
          continue;
        }
        if (response.status === 200) {
          expectReplayOf(response, executed[0] as ApiResponse);
        } else {
          const error = expectError(response, 409, "conflict_error");
          expect(error.details?.error_code).toBe("idempotency_key_in_use");
        }
      }
      expect(await countWhere("workspaces", "name", name)).toBe(1);
      expectReplayOf(
        await server.post("/v1/workspaces", { name }, withKey(key)),
        executed[0] as ApiResponse,
      );
    });

    it.runIf(backend.name === "postgres")(
      "should run concurrent requests with one key once across two nodes sharing the database",
      async () => {
        const { rows: schemaRows } = await sql<{ schema: string }>`
          select current_schema() as schema`.execute(server.database.db);
        const second: Database = connect(backend.url as string, {
          schema: schemaRows[0]?.schema as string,
          maxConnections: 5,
        });
        const other = await startRuntime({ database: second, clock: env.clock });
        const otherServices = other.services;
        // Each node holds its request until both have looked the key up and found nothing, so
        // that both run, and only the database's unique key can keep the second from committing.
        let gate = { arrived: 0, open: () => {}, opened: Promise.resolve() };
        const hold = (services: Services) => {
          const create = services.apiKeys.create.bind(services.apiKeys);
          return vi.spyOn(services.apiKeys, "create").mockImplementation(async (ctx, params) => {
            gate.arrived += 1;
            if (gate.arrived === 2) {
              gate.open();
            }
            await gate.opened;
            return create(ctx, params);
          });
        };
        const spies = [hold(server.services), hold(otherServices)];
        try {
          for (let round = 0; round < 3; round++) {
            let open = () => {};
            const opened = new Promise<void>((resolve) => {
              open = resolve;
            });
            gate = { arrived: 0, open, opened };
            const key = randomUUID();
            const name = `two nodes ${key}`;
            const audits = await auditCount();
            const responses = await Promise.all(
              [server.app, other.app].map(async (app) => {
                const response = await app.inject({
                  method: "POST",
                  url: "/v1/api_keys",
                  headers: {
                    "x-api-key": server.org.adminKey,
                    "content-type": "application/json",
                    "idempotency-key": key,
                  },
                  payload: JSON.stringify({ name }),
                });
                return {
                  status: response.statusCode,
                  body: response.json(),
                  headers: response.headers,
                } as ApiResponse;
              }),
            );
            expect(gate.arrived).toBe(2); // both ran past the lookup
            const executed = responses.filter(
              (r) => r.status === 200 && r.headers["idempotent-replayed"] === undefined,
            );
            expect(executed, JSON.stringify(responses.map((r) => r.body))).toHaveLength(1);
            const loser = responses.find((r) => r !== executed[0]) as ApiResponse;
            if (loser.status === 200) {
              expectReplayOf(loser, executed[0] as ApiResponse);
            } else {
              expect(expectError(loser, 409, "conflict_error").details?.error_code).toBe(
                "idempotency_key_in_use",
              );
            }
            expect(await countWhere("api_keys", "name", name)).toBe(1);
            expect(await auditCount()).toBe(audits + 1);
            // Either node now replays the one response.
            for (const app of [server.app, other.app]) {
              const replay = await app.inject({
                method: "POST",
                url: "/v1/api_keys",
                headers: {
                  "x-api-key": server.org.adminKey,
                  "content-type": "application/json",
                  "idempotency-key": key,
                },
                payload: JSON.stringify({ name }),
              });
              expect(replay.headers["idempotent-replayed"]).toBe("true");
              expect(replay.json()).toEqual(executed[0]?.body);
            }
          }
        } finally {
          for (const spy of spies) {
            spy.mockRestore();
          }
          await other.close();
          await second.close();
        }
      },
    );

    it("should not store a 5xx raised before anything committed: a retry runs", async () => {
      const key = randomUUID();
      const name = `after a 500 ${key.slice(0, 8)}`;
      const spy = vi
        .spyOn(server.services.workspaces, "create")
        .mockRejectedValueOnce(new Error("database fell over"));
      try {
        expectError(await server.post("/v1/workspaces", { name }, withKey(key)), 500, "api_error");
      } finally {
        spy.mockRestore();
      }
      expect(await rowOf(key)).toBeUndefined();
      const retry = await server.post("/v1/workspaces", { name }, withKey(key));
      expect(retry.status).toBe(200);
      expect(retry.headers["idempotent-replayed"]).toBeUndefined();
      expect(await countWhere("workspaces", "name", name)).toBe(1);
    });

    it("should never run again when the work committed but the response was lost (5xx after the commit)", async () => {
      const key = randomUUID();
      const name = `lost response ${key.slice(0, 8)}`;
      const workspaces = server.services.workspaces;
      const create = workspaces.create.bind(workspaces);
      const spy = vi.spyOn(workspaces, "create").mockImplementationOnce(async (ctx, params) => {
        await create(ctx, params);
        throw new Error("crashed after the commit");
      });
      try {
        expectError(await server.post("/v1/workspaces", { name }, withKey(key)), 500, "api_error");
      } finally {
        spy.mockRestore();
      }
      expect(await countWhere("workspaces", "name", name)).toBe(1);
      expect(await rowOf(key)).toMatchObject({ status: "committed", response_body: null });

      const soon = expectError(
        await server.post("/v1/workspaces", { name }, withKey(key)),
        409,
        "conflict_error",
      );
      expect(soon.details?.error_code).toBe("idempotency_key_in_use");
      expect(soon.message).toMatch(/still in progress; retry later/);

      env.clock.advance(IDEMPOTENCY_IN_PROGRESS_MS);
      const later = expectError(
        await server.post("/v1/workspaces", { name }, withKey(key)),
        409,
        "conflict_error",
      );
      expect(later.details?.error_code).toBe("idempotent_response_unavailable");
      expect(later.message).toMatch(/completed .* but its response was not kept/);
      expect(await countWhere("workspaces", "name", name)).toBe(1);
    });

    it("should answer 409 for a record forced to committed-without-response (a crash before the response was stored)", async () => {
      const key = randomUUID();
      const name = `crash ${key.slice(0, 8)}`;
      const first = await server.post("/v1/workspaces", { name }, withKey(key));
      expect(first.status).toBe(200);
      await server.database.db
        .updateTable("idempotency_keys")
        .set({
          status: "committed",
          response_status: null,
          response_body: null,
          completed_at: null,
        })
        .where("key_hash", "=", keyHash(server.org.id, key))
        .execute();
      env.clock.advance(IDEMPOTENCY_IN_PROGRESS_MS);
      const audits = await auditCount();
      const error = expectError(
        await server.post("/v1/workspaces", { name }, withKey(key)),
        409,
        "conflict_error",
      );
      expect(error.details?.error_code).toBe("idempotent_response_unavailable");
      expect(await countWhere("workspaces", "name", name)).toBe(1);
      expect(await auditCount()).toBe(audits);
    });

    it("should refuse a stored response that was altered rather than replay it", async () => {
      const key = randomUUID();
      const first = await server.post(
        "/v1/workspaces",
        { name: `tampered ${key.slice(0, 8)}` },
        withKey(key),
      );
      expect(first.status).toBe(200);
      const row = await rowOf(key);
      const bytes = Buffer.from(row?.response_body as string, "base64");
      bytes[bytes.length - 1] = (bytes.at(-1) as number) ^ 1;
      await server.database.db
        .updateTable("idempotency_keys")
        .set({ response_body: bytes.toString("base64") })
        .where("key_hash", "=", keyHash(server.org.id, key))
        .execute();
      expectError(
        await server.post("/v1/workspaces", { name: `tampered ${key.slice(0, 8)}` }, withKey(key)),
        409,
        "conflict_error",
      );
    });
  });

  describe("storage, scope and expiry", () => {
    it("should store neither the key nor the secrets of the response in clear", async () => {
      const key = `onboarding-run-${randomUUID()}`;
      const first = await server.post(
        "/v1/users/onboard",
        { email: uniqueEmail("secret"), role: "user", api_key: { name: `secret ${key}` } },
        withKey(key),
      );
      expect(first.status).toBe(200);
      const secret: string = present(first.body.api_key, "the issued key").key;
      const token: string = first.body.invite.token;
      const row = await rowOf(key);
      expect(row).toMatchObject({
        organization_id: server.org.id,
        status: "completed",
        response_status: 200,
      });
      const stored = JSON.stringify(await rows());
      for (const clear of [key, secret, secret.slice("sk-ant-api03-".length), token]) {
        expect(stored).not.toContain(clear);
      }
      const body = Buffer.from(row?.response_body as string, "base64");
      expect(body.toString("latin1")).not.toContain(secret.slice(-20));
      expect(body.toString("latin1")).not.toContain("sk-ant-api03-");
      expect(row?.request_hash).toMatch(/^[0-9a-f]{64}$/);
    });

    it("should scope keys to the organization: two organizations may use one key", async () => {
      const other = await server.createOrganization("Idempotency Other Org");
      const key = randomUUID();
      const mine = await server.post("/v1/workspaces", { name: "same name" }, withKey(key));
      const theirs = await server.post(
        "/v1/workspaces",
        { name: "same name" },
        withKey(key, { key: other.adminKey }),
      );
      expect(mine.status).toBe(200);
      expect(theirs.status).toBe(200);
      expect(theirs.headers["idempotent-replayed"]).toBeUndefined();
      expect(theirs.body.id).not.toBe(mine.body.id);
      expect(await rowOf(key, server.org)).toBeDefined();
      expect(await rowOf(key, other)).toBeDefined();
      expectReplayOf(
        await server.post(
          "/v1/workspaces",
          { name: "same name" },
          withKey(key, { key: other.adminKey }),
        ),
        theirs,
      );
    });

    it("should forget a key after 24 hours, and prune expired records", async () => {
      const key = randomUUID();
      const name = `expiry ${key.slice(0, 8)}`;
      const first = await server.post("/v1/workspaces", { name }, withKey(key));
      expect(first.status).toBe(200);
      const pruned = randomUUID();
      expect(
        (
          await server.post(
            "/v1/workspaces",
            { name: `pruned ${pruned.slice(0, 8)}` },
            withKey(pruned),
          )
        ).status,
      ).toBe(200);

      env.clock.advance(DAY - 1000);
      expectReplayOf(await server.post("/v1/workspaces", { name }, withKey(key)), first);

      env.clock.advance(1000);
      const again = await server.post("/v1/workspaces", { name }, withKey(key));
      expect(again.status).toBe(200);
      expect(again.headers["idempotent-replayed"]).toBeUndefined();
      expect(again.body.id).not.toBe(first.body.id);
      expect(await countWhere("workspaces", "name", name)).toBe(2);
      // Expired records are deleted by the first request with a key after the prune interval.
      expect(await rowOf(pruned)).toMatchObject({ status: "completed" });
      env.clock.advance(IDEMPOTENCY_PRUNE_INTERVAL_MS);
      expect(
        (await server.post("/v1/api_keys", { name: "prune" }, withKey(randomUUID()))).status,
      ).toBe(200);
      expect(await rowOf(pruned)).toBeUndefined();
      expect(await rowOf(key)).toMatchObject({ status: "completed" });
      const now = env.clock.now().toISOString();
      for (const row of await rows()) {
        expect(row.expires_at > now).toBe(true);
      }
      expectReplayOf(await server.post("/v1/workspaces", { name }, withKey(key)), again);
    });
  });
});

describe("Idempotency-Key in the OpenAPI document", () => {
  let server: TestServer;
  let doc: any;
  beforeAll(async () => {
    server = await createTestServer({ name: "sqlite" });
    doc = (await server.get("/openapi.json", { key: null })).body;
  });
  afterAll(async () => {
    await server?.close();
  });

  /** Every admin request that changes something: all its POST, PATCH and DELETE operations. */
  const IDEMPOTENT = [
    "POST /v1/organizations",
    "PATCH /v1/organizations",
    "POST /v1/users/invite",
    "PATCH /v1/users/{user_id}",
    "DELETE /v1/users/{user_id}",
    "POST /v1/users/onboard",
    "POST /v1/users/{user_id}/offboard",
    "POST /v1/api_keys",
    "PATCH /v1/api_keys/{api_key_id}",
    "DELETE /v1/api_keys/{api_key_id}",
    "POST /v1/workspaces",
    "PATCH /v1/workspaces/{workspace_id}",
    "POST /v1/workspaces/{workspace_id}/archive",
    "POST /v1/organizations/users/{user_id}",
    "DELETE /v1/organizations/users/{user_id}",
    "POST /v1/organizations/users/onboard",
    "POST /v1/organizations/users/{user_id}/offboard",
    "POST /v1/organizations/invites",
    "DELETE /v1/organizations/invites/{invite_id}",
    "POST /v1/organizations/workspaces",
    "POST /v1/organizations/workspaces/{workspace_id}",
    "POST /v1/organizations/workspaces/{workspace_id}/archive",
    "POST /v1/organizations/workspaces/{workspace_id}/members",
    "POST /v1/organizations/workspaces/{workspace_id}/members/{user_id}",
    "DELETE /v1/organizations/workspaces/{workspace_id}/members/{user_id}",
    "POST /v1/organizations/workspaces/{workspace_id}/rate_limits/{rate_limit_id}",
    "POST /v1/organizations/api_keys",
    "POST /v1/organizations/api_keys/{api_key_id}",
    "POST /v1/organizations/admin_keys",
    "POST /v1/organizations/admin_keys/{admin_key_id}",
    "DELETE /v1/organizations/admin_keys/{admin_key_id}",
    "POST /v1/organizations/service_accounts",
    "POST /v1/organizations/service_accounts/{service_account_id}",
    "POST /v1/organizations/service_accounts/{service_account_id}/archive",
    "POST /v1/organizations/service_accounts/{service_account_id}/workspaces",
    "DELETE /v1/organizations/service_accounts/{service_account_id}/workspaces/{workspace_id}",
    "POST /v1/organizations/workspaces/{workspace_id}/service_accounts",
    "POST /v1/organizations/workspaces/{workspace_id}/service_accounts/{service_account_id}",
    "DELETE /v1/organizations/workspaces/{workspace_id}/service_accounts/{service_account_id}",
    "POST /v1/usage/events",
    "POST /v1/organizations/alert_rules",
    "POST /v1/organizations/alert_rules/{alert_rule_id}",
    "DELETE /v1/organizations/alert_rules/{alert_rule_id}",
    "POST /v1/organizations/alert_rules/{alert_rule_id}/test",
  ];

  it("should show the optional header, and the 422, on exactly the operations that take it", () => {
    const withHeader: string[] = [];
    for (const [path, operations] of Object.entries<Record<string, any>>(doc.paths)) {
      for (const [method, operation] of Object.entries<any>(operations)) {
        const parameter = (operation.parameters ?? []).find(
          (p: { in: string; name: string }) => p.in === "header" && p.name === "idempotency-key",
        );
        if (parameter) {
          withHeader.push(`${method.toUpperCase()} ${path}`);
          expect(parameter.required).toBe(false);
          expect(parameter.schema).toMatchObject({ type: "string" });
          expect(parameter.description).toMatch(/24 hours/);
          expect(operation.responses["422"]).toBeDefined();
        }
      }
    }
    expect(withHeader.sort()).toEqual([...IDEMPOTENT].sort());
  });
});

describe("which responses are kept", () => {
  it.each([
    [200, true],
    [201, true],
    [400, true],
    [403, true],
    [404, true],
    [409, false],
    [422, true],
    [429, false],
    [500, false],
    [503, false],
  ])("status %i stored: %s", (status, stored) => {
    expect(isFinalStatus(status)).toBe(stored);
  });
});
