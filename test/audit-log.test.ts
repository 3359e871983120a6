/**
 * The audit log: what is recorded (mutations, authentication failures), how it is read (filters,
 * pages, NDJSON export), and the hash chain that shows tampering: a record edited, deleted or
 * moved in the database is named by the verifier.
 */
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AUDIT_GENESIS_HASH } from "../src/core/audit-chain.js";
import {
  createTestServer,
  describeEachBackend,
  expectError,
  type OrgFixture,
  type TestServer,
} from "./harness.js";

describeEachBackend("audit log", (backend) => {
  let server: TestServer;
  let workspaceId: string;
  let keyId: string;
  let keySecret: string;

  beforeAll(async () => {
    server = await createTestServer(backend);
    const workspace = await server.post("/v1/workspaces", { name: "Research" });
    workspaceId = workspace.body.id;
    const key = await server.post("/v1/api_keys", {
      name: "batch jobs",
      workspace_id: workspaceId,
    });
    keyId = key.body.id;
    keySecret = key.body.key;
    await server.post(`/v1/organizations/api_keys/${keyId}`, { status: "inactive" });
  });
  afterAll(async () => {
    await server?.close();
  });

  const list = (query: Record<string, string | number> = {}, key?: string) =>
    server.get("/v1/organizations/audit_logs", {
      query: { limit: 1000, ...query },
      ...(key && { key }),
    });

  describe("records", () => {
    it("should record each mutation with actor, target, request and before/after", async () => {
      const { status, body } = await list();
      expect(status).toBe(200);
      const actions = body.data.map((r: { action: string }) => r.action);
      expect(actions).toEqual(
        expect.arrayContaining(["workspace.created", "api_key.created", "api_key.updated"]),
      );
      const update = body.data.find((r: { action: string }) => r.action === "api_key.updated");
      expect(update).toMatchObject({
        type: "audit_log",
        actor: { type: "admin_key", id: server.org.adminKeyId },
        target: { type: "api_key", id: keyId },
        outcome: "success",
        client_ip: "127.0.0.1",
        changes: {
          before: expect.objectContaining({ status: "active" }),
          after: expect.objectContaining({ status: "inactive" }),
        },
      });
      expect(update?.request_id).toMatch(/^req_/);
    });

    it("should never hold a key's secret", async () => {
      const { body } = await list({ action: "api_key.created" });
      expect(body.data).toHaveLength(1);
      expect(JSON.stringify(body)).not.toContain(keySecret);
    });

    it("should record an authentication failure of a known admin key in its organization", async () => {
      const revoked = await server.services.adminKeys.create(
        { ...ctxOf(server.org), actor: { type: "operator", id: null } },
        { name: "soon revoked" },
      );
      await server.services.adminKeys.revoke(
        { ...ctxOf(server.org), actor: { type: "operator", id: null } },
        revoked.adminKey.id,
      );
      const refused = await server.get("/v1/organizations/me", {
        key: revoked.key,
        headers: { "user-agent": "audit-test/1.0" },
      });
      expectError(refused, 401, "authentication_error");
      const { body } = await list({ action: "admin_key.authenticate" });
      expect(body.data.at(-1)).toMatchObject({
        actor: { type: "admin_key", id: revoked.adminKey.id },
        target: { type: "admin_key", id: revoked.adminKey.id },
        outcome: "failure",
        user_agent: "audit-test/1.0",
        changes: { before: null, after: { reason: "invalid x-api-key" } },
      });
      expect(JSON.stringify(body)).not.toContain(revoked.key);
    });

    it("should count an unknown key's failure apart from every organization, per address and minute", async () => {
      const before = (await list()).body.data.length;
      const refused = await server.get("/v1/organizations/me", {
        key: "sk-ant-admin01-not-a-key-at-all-0000000000000000000000",
      });
      expectError(refused, 401, "authentication_error");
      expect((await list()).body.data.length).toBe(before);
      // Not an audit record each (a flood of bad keys would grow the database without bound):
      // one aggregated row per address and minute (test/auth-failures.test.ts).
      expect(await server.services.deps.store.read.audit.list("")).toEqual([]);
      await server.services.adminKeys.failures.flush();
      const rows = await server.services.deps.store.read.adminKeys.listAuthFailures("1970-01-01");
      expect(rows.at(-1)).toMatchObject({
        client_address: "127.0.0.1",
        last_reason: "unknown_key",
      });
    });
  });

  describe("reading", () => {
    it("should filter by action, target, actor and time", async () => {
      const byTarget = await list({ target_type: "api_key", target_id: keyId });
      expect(byTarget.body.data.map((r: { action: string }) => r.action)).toEqual([
        "api_key.created",
        "api_key.updated",
      ]);
      const byActor = await list({ actor_type: "operator" });
      for (const record of byActor.body.data) {
        expect(record.actor.type).toBe("operator");
      }
      const byAdminKey = await list({ actor_id: server.org.adminKeyId });
      expect(byAdminKey.body.data.length).toBeGreaterThanOrEqual(3);
      const all = (await list()).body.data;
      const last = all.at(-1);
      if (!last) {
        throw new Error("no audit record");
      }
      const since = await list({ starting_at: last.occurred_at });
      expect(since.body.data.map((r: { id: string }) => r.id)).toContain(last.id);
      const future = await list({ starting_at: "2999-01-01T00:00:00Z" });
      expect(future.body.data).toEqual([]);
    });

    it("should page forward and back by cursor", async () => {
      const all = (await list()).body.data.map((r: { id: string }) => r.id);
      const first = await list({ limit: 2 });
      expect(first.body.data.map((r: { id: string }) => r.id)).toEqual(all.slice(0, 2));
      expect(first.body.has_more).toBe(true);
      const next = await list({ limit: 2, after_id: first.body.last_id ?? "" });
      expect(next.body.data.map((r: { id: string }) => r.id)).toEqual(all.slice(2, 4));
      const back = await list({ limit: 2, before_id: next.body.first_id ?? "" });
      expect(back.body.data.map((r: { id: string }) => r.id)).toEqual(all.slice(0, 2));
    });

    it("should list newest first with order=desc, paging on in that order, and oldest first by default", async () => {
      const oldestFirst = (await list()).body.data.map((r: { id: string }) => r.id);
      expect(oldestFirst.length).toBeGreaterThanOrEqual(5);
      expect((await list({ order: "asc" })).body.data.map((r: { id: string }) => r.id)).toEqual(
        oldestFirst,
      );
      const newestFirst = [...oldestFirst].reverse();
      const all = await list({ order: "desc" });
      expect(all.body.data.map((r: { id: string }) => r.id)).toEqual(newestFirst);
      const first = await list({ order: "desc", limit: 2 });
      expect(first.body.data.map((r: { id: string }) => r.id)).toEqual(newestFirst.slice(0, 2));
      expect(first.body).toMatchObject({ has_more: true, first_id: newestFirst[0] });
      const next = await list({ order: "desc", limit: 2, after_id: first.body.last_id ?? "" });
      expect(next.body.data.map((r: { id: string }) => r.id)).toEqual(newestFirst.slice(2, 4));
      const back = await list({ order: "desc", limit: 2, before_id: next.body.first_id ?? "" });
      expect(back.body.data.map((r: { id: string }) => r.id)).toEqual(newestFirst.slice(0, 2));
      expect(back.body.has_more).toBe(false);
      const filtered = await list({ order: "desc", target_type: "api_key", target_id: keyId });
      expect(filtered.body.data.map((r: { action: string }) => r.action)).toEqual([
        "api_key.updated",
        "api_key.created",
      ]);
      const response = await server.app.inject({
        method: "GET",
        url: "/v1/organizations/audit_logs?order=desc",
        headers: { "x-api-key": server.org.adminKey, accept: "application/x-ndjson" },
      });
      const exported = response.body
        .trimEnd()
        .split("\n")
        .map((line) => (JSON.parse(line) as { id: string }).id);
      expect(exported).toEqual(newestFirst);
    });

    it("should refuse bad queries with a 400 naming the field", async () => {
      expectError(await list({ after_id: "audit_nope" }), 400, "invalid_request_error");
      const range = await list({
        starting_at: "2026-02-01T00:00:00Z",
        ending_at: "2026-01-01T00:00:00Z",
      });
      expect(expectError(range, 400, "invalid_request_error").message).toContain("ending_at");
      expectError(await list({ actor_type: "robot" }), 400, "invalid_request_error");
      const order = expectError(await list({ order: "newest" }), 400, "invalid_request_error");
      expect(order.message).toContain("order");
    });

    it("should export every matching record as NDJSON", async () => {
      const response = await server.app.inject({
        method: "GET",
        url: "/v1/organizations/audit_logs?target_type=api_key",
        headers: { "x-api-key": server.org.adminKey, accept: "application/x-ndjson" },
      });
      expect(response.statusCode).toBe(200);
      expect(response.headers["content-type"]).toMatch(/^application\/x-ndjson/);
      const lines = response.body
        .trimEnd()
        .split("\n")
        .map((line) => JSON.parse(line));
      const paged = (await list({ target_type: "api_key" })).body.data;
      expect(lines).toEqual(paged);
    });

    it("should offer no way to change or delete a record", async () => {
      const [record] = (await list({ limit: 1 })).body.data;
      if (!record) {
        throw new Error("no audit record");
      }
      for (const method of ["POST", "PATCH", "PUT", "DELETE"]) {
        const response = await server.request(method, `/v1/organizations/audit_logs/${record.id}`);
        expect(response.status).toBe(404);
      }
    });
  });

  describe("hash chain", () => {
    /** A fresh organization with a chain of several records. */
    async function chainOf(): Promise<{ org: OrgFixture; seqs: number[]; ids: string[] }> {
      const org = await server.createOrganization();
      for (const name of ["One", "Two", "Three"]) {
        await server.post("/v1/workspaces", { name }, { key: org.adminKey });
      }
      const rows = await server.services.deps.store.read.audit.list(org.id);
      return { org, seqs: rows.map((r) => Number(r.seq)), ids: rows.map((r) => r.id) };
    }

    const verify = async (orgId: string) => {
      const [verdict] = await server.services.auditLog.verify(orgId);
      return verdict;
    };
    const db = () => server.database.db;

    it("should chain each organization's records from the genesis hash", async () => {
      const { org } = await chainOf();
      const rows = await server.services.deps.store.read.audit.list(org.id);
      expect(rows[0]?.prev_hash).toBe(AUDIT_GENESIS_HASH);
      rows.forEach((row, i) => {
        expect(Number(row.chain_seq)).toBe(i + 1);
        if (i > 0) {
          expect(row.prev_hash).toBe(rows[i - 1]?.hash);
        }
      });
      expect(await verify(org.id)).toMatchObject({ ok: true, records: rows.length });
      const everyChain = await server.services.auditLog.verify();
      expect(everyChain.every((v) => v.ok)).toBe(true);
    });

    it("should name a record whose content was edited", async () => {
      const { org, seqs, ids } = await chainOf();
      await sql`update audit_events set changes = ${'{"before":null,"after":{"name":"Forged"}}'} where seq = ${seqs[3]}`.execute(
        db(),
      );
      expect(await verify(org.id)).toMatchObject({
        ok: false,
        id: ids[3],
        chainSeq: 4,
        reason: expect.stringContaining("altered"),
      });
    });

    it("should name the record after one that was deleted", async () => {
      const { org, seqs, ids } = await chainOf();
      await sql`delete from audit_events where seq = ${seqs[2]}`.execute(db());
      expect(await verify(org.id)).toMatchObject({
        ok: false,
        id: ids[3],
        chainSeq: 4,
        reason: expect.stringContaining("removed"),
      });
    });

    it("should name the first of two records that were swapped", async () => {
      const { org, seqs, ids } = await chainOf();
      const [a, b] = [seqs[1] as number, seqs[2] as number];
      // Exchange the two rows' places in storage order (through a free value: seq is unique).
      await sql`update audit_events set seq = ${-a} where seq = ${a}`.execute(db());
      await sql`update audit_events set seq = ${a} where seq = ${b}`.execute(db());
      await sql`update audit_events set seq = ${b} where seq = ${-a}`.execute(db());
      expect(await verify(org.id)).toMatchObject({
        ok: false,
        id: ids[2],
        chainSeq: 3,
        reason: expect.stringContaining("reordered"),
      });
    });

    it("should keep one unbroken chain under concurrent writes", async () => {
      const org = await server.createOrganization();
      await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          server.post("/v1/workspaces", { name: `Parallel ${i}` }, { key: org.adminKey }),
        ),
      );
      expect(await verify(org.id)).toMatchObject({ ok: true });
    });
  });
});

function ctxOf(org: OrgFixture) {
  return { organizationId: org.id, requestId: null, clientIp: null, userAgent: null };
}
