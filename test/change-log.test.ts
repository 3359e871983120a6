/**
 * The change log (migration 0018) and the node that follows it (src/gateway/change-follower.ts):
 * what another node, an operator command or SQL typed by hand commits reaches a running gateway's
 * memory. The follower's timers are off here; each test reads the log when it chooses, except
 * the PostgreSQL one that waits for the notification itself.
 */
import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ChangeRecord } from "../src/core/records.js";
import { hashSecret } from "../src/core/secrets.js";
import type { Storage } from "../src/core/storage.js";
import { connect, type Database } from "../src/db/connect.js";
import { ChangeFollower } from "../src/gateway/change-follower.js";
import type { GatewayState } from "../src/gateway/gateway-state.js";
import type { GatewayRuntime } from "../src/gateway/runtime.js";
import { type Runtime, startRuntime } from "../src/runtime.js";
import { type FakeUpstream, startFakeUpstream } from "./fixtures/fake-upstream.js";
import { type Backend, createTestServer, describeEachBackend, type TestServer } from "./harness.js";

describeEachBackend("change log", (backend) => {
  let upstream: FakeUpstream;
  let server: TestServer;
  let gateway: GatewayRuntime;
  let other: Database;
  let otherNode: Runtime;

  beforeEach(async () => {
    upstream = await startFakeUpstream({ apiKey: "upstream" });
    server = await createTestServer(backend, {
      gateway: {
        upstream: { url: upstream.url, apiKey: "upstream", timeoutMs: 10_000 },
        // Only the notifications (PostgreSQL) and the tests read the log.
        changes: { pollIntervalMs: 0, reconcileIntervalMs: 0 },
      },
    });
    gateway = server.runtime.gateway as GatewayRuntime;
    other = await otherConnection(backend, server);
    otherNode = await startRuntime({ database: other });
  });

  afterEach(async () => {
    await otherNode.close();
    await other.close();
    await server.close();
    await upstream.close();
  });

  /** A second connection to the test's database: another node, or an operator's shell. */
  async function otherConnection(b: Backend, s: TestServer): Promise<Database> {
    if (b.name === "sqlite") {
      return connect(s.database.description);
    }
    const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(
      s.database.db,
    );
    return connect(b.url as string, { schema: rows[0]?.schema as string });
  }

  async function createKeyOnOtherNode(): Promise<{ id: string; key: string }> {
    const response = await otherNode.app.inject({
      method: "POST",
      url: "/v1/api_keys",
      headers: {
        "x-api-key": server.org.adminKey,
        "anthropic-version": "2023-06-01",
        "content-type": "application/json",
      },
      payload: JSON.stringify({ name: "made elsewhere" }),
    });
    expect(response.statusCode).toBe(200);
    return response.json() as { id: string; key: string };
  }

  const indexed = (key: string) => gateway.state.keys.get(hashSecret(key));

  async function caughtUp(): Promise<void> {
    if (backend.name === "postgres") {
      // The notification alone must bring it: wait for the follower to reach the log's end.
      const latest = await other.db
        .selectFrom("change_log")
        .select((eb) => eb.fn.max("seq").as("seq"))
        .executeTakeFirst();
      await vi.waitFor(
        () => expect(gateway.changes.watermark).toBeGreaterThanOrEqual(Number(latest?.seq)),
        {
          timeout: 10_000,
          interval: 5,
        },
      );
      return;
    }
    await gateway.changes.catchUp();
  }

  it("a key created on another node is admitted once the log is read", async () => {
    const created = await createKeyOnOtherNode();
    if (backend.name === "sqlite") {
      // Nothing reads the log until asked (PostgreSQL's notification may already have brought it).
      expect(indexed(created.key)).toBeUndefined();
    }
    await caughtUp();
    expect(indexed(created.key)).toMatchObject({ id: created.id, status: "active" });
  });

  it("a key revoked by SQL typed into a shell is refused", async () => {
    const created = await createKeyOnOtherNode();
    await caughtUp();
    await other.db
      .updateTable("api_keys")
      .set({ status: "inactive" })
      .where("id", "=", created.id)
      .execute();
    await caughtUp();
    expect(indexed(created.key)?.status).toBe("inactive");

    await other.db.deleteFrom("api_keys").where("id", "=", created.id).execute();
    await caughtUp();
    expect(indexed(created.key)).toBeUndefined();
  });

  it("limits and allow-lists changed elsewhere apply", async () => {
    const workspaceId = server.org.defaultWorkspaceId;
    await other.db
      .updateTable("workspaces")
      .set({ monthly_spend_limit_micros: 1_000 })
      .where("id", "=", workspaceId)
      .execute();
    await other.db
      .insertInto("workspace_rate_limits")
      .values({
        workspace_id: workspaceId,
        group_id: "rlg_claude_haiku_4",
        limit_type: "output_tokens_per_minute",
        organization_id: server.org.id,
        value: 7,
        created_at: "2026-01-15T12:00:00.000Z",
        updated_at: "2026-01-15T12:00:00.000Z",
      })
      .execute();
    await other.db
      .updateTable("organizations")
      .set({ allowed_ip_ranges: JSON.stringify(["10.0.0.0/8"]) })
      .where("id", "=", server.org.id)
      .execute();
    await caughtUp();
    expect(gateway.state.workspace(workspaceId)).toMatchObject({ monthlyLimitNanos: 1_000_000 });
    expect(gateway.state.workspace(workspaceId)?.rateLimits.get("rlg_claude_haiku_4")).toEqual({
      requestsPerMinute: null,
      inputTokensPerMinute: null,
      outputTokensPerMinute: 7,
    });
    expect(gateway.state.organization(server.org.id)?.allowedRanges).toHaveLength(1);
  });

  it("the gateway's own last_used_at writes add nothing to the log", async () => {
    const created = await createKeyOnOtherNode();
    const count = async () =>
      Number(
        (
          await other.db
            .selectFrom("change_log")
            .select((eb) => eb.fn.countAll().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();
    await other.db
      .updateTable("api_keys")
      .set({ last_used_at: new Date().toISOString() })
      .where("id", "=", created.id)
      .execute();
    expect(await count()).toBe(before);
  });

  it("reconciliation drops what was removed behind the log's back", async () => {
    const created = await createKeyOnOtherNode();
    await caughtUp();
    expect(indexed(created.key)).toBeDefined();
    await other.db.transaction().execute(async (trx) => {
      await trx.deleteFrom("api_keys").where("id", "=", created.id).execute();
      await trx.deleteFrom("change_log").execute();
    });
    await gateway.changes.catchUp();
    expect(indexed(created.key)).toBeDefined(); // the log says nothing
    await gateway.changes.reconcile();
    expect(indexed(created.key)).toBeUndefined();
  });
});

describe("change follower", () => {
  /** A log whose reads the test scripts, and a state that records what it is asked to reload. */
  function fixture(pages: ChangeRecord[][]) {
    const reads: Array<{ after: number; also: readonly number[] }> = [];
    const reloaded: string[] = [];
    let now = 0;
    const store = {
      watchChanges: undefined,
      origin: undefined,
      read: {
        changeLog: {
          latestSeq: async () => 0,
          since: async (after: number, also: readonly number[]) => {
            reads.push({ after, also: [...also] });
            return pages.shift() ?? [];
          },
          prune: async () => 0,
        },
      },
    } as unknown as Storage;
    const state = {
      load: async () => {},
      apiKeysChanged: async (ids: string[]) => {
        reloaded.push(...ids);
      },
      workspaceChanged: async (id: string) => {
        reloaded.push(id);
      },
      organizationChanged: async (id: string) => {
        reloaded.push(id);
      },
    } as unknown as GatewayState;
    const follower = new ChangeFollower(store, state, {
      pollIntervalMs: 0,
      reconcileIntervalMs: 0,
      gapTimeoutMs: 1_000,
      now: () => now,
    });
    return { follower, reads, reloaded, advance: (ms: number) => (now += ms) };
  }

  const change = (seq: number, id = `apikey_${seq}`): ChangeRecord => ({
    seq,
    entity: "api_key",
    entity_id: id,
    origin: null,
  });

  it("looks again for a seq that committed after a later one, until it comes", async () => {
    const { follower, reads, reloaded } = fixture([[change(1)], [change(3)], [change(2)], []]);
    await follower.start(); // reads [1], then nothing more is asked in the same pass
    await follower.catchUp(); // [3]: 2 is missing
    expect(follower.watermark).toBe(3);
    await follower.catchUp(); // 2 looked for again
    expect(reads.at(-1)).toEqual({ after: 3, also: [2] });
    expect(reloaded).toEqual(["apikey_1", "apikey_3", "apikey_2"]);
    await follower.catchUp();
    expect(reads.at(-1)).toEqual({ after: 3, also: [] });
  });

  it("gives up on a seq that never comes (a rolled-back transaction) after the gap timeout", async () => {
    const { follower, reads, advance } = fixture([[change(2)]]);
    await follower.start();
    await follower.catchUp();
    expect(reads.at(-1)).toEqual({ after: 2, also: [1] });
    advance(1_001);
    await follower.catchUp();
    expect(reads.at(-1)).toEqual({ after: 2, also: [] });
  });

  it("a signal during a read is served by one more read, not lost", async () => {
    const { follower, reads } = fixture([[change(1)], [change(2)]]);
    await follower.start();
    const first = follower.catchUp();
    const second = follower.catchUp();
    await Promise.all([first, second]);
    expect(follower.watermark).toBe(2);
    expect(reads.length).toBeGreaterThanOrEqual(3);
  });
});
