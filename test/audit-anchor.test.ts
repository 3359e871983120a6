/**
 * Anchored audit chains: signed chain heads kept outside the database show what a chain checked
 * against itself cannot: its newest records deleted, the whole chain deleted, a record rewritten
 * with every later hash recomputed; and an anchor forged without the key.
 */
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, expect, it } from "vitest";
import { AnchorSet, readAnchors, signAnchor } from "../src/core/audit-anchor.js";
import { auditHash } from "../src/core/audit-chain.js";
import { AuditAnchorer } from "../src/core/audit-log/audit-anchorer.js";
import { ManualClock } from "../src/core/ports.js";
import type { AuditEventRow } from "../src/core/records.js";
import { createTestServer, describeEachBackend, type TestServer } from "./harness.js";

const KEY = "test-anchor-key-0123456789abcdefghijklmnopqrstuvwxyz";

describeEachBackend("audit anchors", (backend) => {
  let server: TestServer;
  let dir: string;
  let file: string;
  let anchorer: AuditAnchorer;
  const clock = new ManualClock("2026-12-01T00:00:00.000Z");

  beforeAll(async () => {
    server = await createTestServer(backend, { clock });
    dir = mkdtempSync(join(tmpdir(), "steward-anchors-"));
    file = join(dir, "anchors.jsonl");
    anchorer = new AuditAnchorer(server.services.deps.store.read, clock, { key: KEY, file });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const db = () => server.database.db;
  const rowsOf = (orgId: string) => server.services.deps.store.read.audit.list(orgId);

  /** A fresh organization with several records, anchored. */
  async function anchoredChain(): Promise<{ orgId: string; rows: AuditEventRow[] }> {
    const org = await server.createOrganization();
    for (const name of ["One", "Two", "Three"]) {
      await server.post("/v1/workspaces", { name }, { key: org.adminKey });
    }
    clock.advance(10_000);
    await anchorer.anchor();
    return { orgId: org.id, rows: await rowsOf(org.id) };
  }

  const anchorsIn = async (...files: string[]) => {
    const set = new AnchorSet();
    for (const f of files) {
      await readAnchors(KEY, f, set);
    }
    return set;
  };
  const verify = async (orgId?: string) =>
    server.services.auditLog.verify(orgId, await anchorsIn(file));

  it("should find an untampered chain intact and anchored up to its head", async () => {
    const { orgId, rows } = await anchoredChain();
    expect(await verify(orgId)).toEqual([
      {
        organizationId: orgId,
        ok: true,
        records: rows.length,
        head: rows.at(-1)?.hash,
        anchoredSeq: rows.length,
      },
    ]);
    expect((await anchorsIn(file)).problems).toEqual([]);
  });

  it("should name the newest records deleted", async () => {
    const { orgId, rows } = await anchoredChain();
    const [last, beforeLast] = [rows.at(-1), rows.at(-2)];
    await sql`delete from audit_events where seq in (${beforeLast?.seq}, ${last?.seq})`.execute(
      db(),
    );
    expect(await verify(orgId)).toEqual([
      expect.objectContaining({
        ok: false,
        id: null,
        chainSeq: rows.length - 1,
        reason: expect.stringContaining(
          `the newest records, ${rows.length - 1} to ${rows.length}, are missing`,
        ),
      }),
    ]);
  });

  it("should name a chain deleted whole, while its organization is there or not", async () => {
    const { orgId, rows } = await anchoredChain();
    await sql`delete from audit_events where organization_id = ${orgId}`.execute(db());
    expect(await verify(orgId)).toEqual([
      expect.objectContaining({
        ok: false,
        records: 0,
        reason: expect.stringContaining(`the whole chain is missing: its ${rows.length} records`),
      }),
    ]);
    // Every chain: an anchored organization is verified even when nothing of it is left in the
    // database (no record, no organization row).
    const gone = signAnchor(KEY, {
      organization_id: "org_01deletedentirely",
      chain_seq: 4,
      head_hash: "a".repeat(64),
      anchored_at: clock.now().toISOString(),
    });
    const other = join(dir, "gone.jsonl");
    writeFileSync(other, `${JSON.stringify(gone)}\n`);
    const set = await anchorsIn(file, other);
    const all = await server.services.auditLog.verify(undefined, set);
    expect(all.find((v) => v.organizationId === "org_01deletedentirely")).toMatchObject({
      ok: false,
      reason: expect.stringContaining("the whole chain is missing"),
    });
  });

  it("should name a chain deleted whole from its organization even without anchors", async () => {
    const { orgId } = await anchoredChain();
    await sql`delete from audit_events where organization_id = ${orgId}`.execute(db());
    expect(await server.services.auditLog.verify(orgId)).toEqual([
      expect.objectContaining({
        ok: false,
        reason: expect.stringContaining("its whole chain was deleted"),
      }),
    ]);
  });

  /** Edits the record at `index` and recomputes its hash and every later one's, as an attacker. */
  async function rewrite(rows: AuditEventRow[], index: number): Promise<void> {
    let previous = rows[index - 1]?.hash as string;
    for (const [i, row] of rows.entries()) {
      if (i < index) {
        continue;
      }
      const changes = i === index ? '{"before":null,"after":{"name":"Forged"}}' : row.changes;
      const chained = { ...row, changes, prev_hash: previous };
      const hash = auditHash(chained);
      await sql`update audit_events set changes = ${changes}, prev_hash = ${previous}, hash = ${hash} where seq = ${row.seq}`.execute(
        db(),
      );
      previous = hash;
    }
  }

  it("should name a chain rewritten with every later hash recomputed", async () => {
    const { orgId, rows } = await anchoredChain();
    await rewrite(rows, 2);
    // The chain holds together: only the anchor shows it.
    expect(await server.services.auditLog.verify(orgId)).toMatchObject([{ ok: true }]);
    expect(await verify(orgId)).toEqual([
      expect.objectContaining({
        ok: false,
        id: rows.at(-1)?.id,
        chainSeq: rows.length,
        reason: expect.stringContaining("rewritten, and the hashes after it recomputed"),
      }),
    ]);
  });

  it("should still name the rewrite after the rewritten chain grew and was anchored again", async () => {
    const { orgId, rows } = await anchoredChain();
    await rewrite(rows, 1);
    // A new record in the rewritten chain, and a pass that anchors its new head.
    await server.services.adminKeys.create(
      {
        organizationId: orgId,
        requestId: null,
        clientIp: null,
        userAgent: null,
        actor: { type: "operator", id: null },
      },
      { name: "after the rewrite" },
    );
    clock.advance(10_000);
    const made = await anchorer.anchor();
    expect(made.map((a) => a.organization_id)).toContain(orgId);
    expect(await verify(orgId)).toEqual([
      expect.objectContaining({
        ok: false,
        chainSeq: rows.length,
        reason: expect.stringContaining("rewritten"),
      }),
    ]);
  });

  it("should not trust an anchor that was forged, altered or signed with another key", async () => {
    const { orgId, rows } = await anchoredChain();
    const forgedFile = join(dir, "forged.jsonl");
    const genuine = readFileSync(file, "utf8").trimEnd().split("\n");
    const mine = JSON.parse(genuine.find((l) => l.includes(orgId)) as string);
    const lines = [
      // A longer chain claimed, with the genuine signature: the signature no longer matches.
      JSON.stringify({ ...mine, chain_seq: rows.length + 5 }),
      // A whole anchor made with another key.
      JSON.stringify(
        signAnchor("another-key-0123456789abcdefghijklmnopqrstuvwxyz", {
          organization_id: orgId,
          chain_seq: rows.length + 5,
          head_hash: "b".repeat(64),
          anchored_at: clock.now().toISOString(),
        }),
      ),
      "not json",
    ];
    writeFileSync(forgedFile, `${lines.join("\n")}\n`);
    const set = await anchorsIn(forgedFile);
    expect(set.count).toBe(0);
    expect(set.problems).toEqual([
      { file: forgedFile, line: 1, reason: expect.stringContaining("forged or altered") },
      { file: forgedFile, line: 2, reason: expect.stringContaining("another key") },
      { file: forgedFile, line: 3, reason: "not JSON" },
    ]);
    // The forged anchors count for nothing: the chain is judged by the genuine ones alone.
    expect(await server.services.auditLog.verify(orgId, set)).toMatchObject([
      { ok: true, anchoredSeq: null },
    ]);
  });

  it("should read anchors from log lines, and let pass only a last line cut short", async () => {
    const { orgId, rows } = await anchoredChain();
    const genuine = readFileSync(file, "utf8").trimEnd().split("\n");
    const mine = genuine.find((l) => l.includes(orgId)) as string;
    const log = join(dir, "steward.log");
    writeFileSync(
      log,
      `${JSON.stringify({ level: 30, msg: "audit chain anchored", audit_anchor: JSON.parse(mine) })}\n${mine.slice(0, 40)}`,
    );
    const set = await anchorsIn(log);
    expect(set.problems).toEqual([]);
    expect(await server.services.auditLog.verify(orgId, set)).toMatchObject([
      { ok: true, anchoredSeq: rows.length },
    ]);
    appendFileSync(log, "\n");
    expect((await anchorsIn(log)).problems).toEqual([{ file: log, line: 2, reason: "not JSON" }]);
  });

  it("should anchor only the heads that moved, once each, and a last time at stop", async () => {
    await anchorer.anchor();
    expect(await anchorer.anchor()).toEqual([]);
    const org = await server.createOrganization();
    const made = await anchorer.anchor();
    expect(made.map((a) => a.organization_id)).toEqual([org.id]);
    const head = (await rowsOf(org.id)).at(-1);
    expect(made[0]).toMatchObject({
      chain_seq: Number(head?.chain_seq),
      head_hash: head?.hash,
      anchored_at: clock.now().toISOString(),
    });
    const lines = readFileSync(file, "utf8").trimEnd().split("\n");
    expect(JSON.parse(lines.at(-1) as string)).toEqual(made[0]);

    anchorer.start(3_600_000, (error) => {
      throw error;
    });
    await server.post("/v1/workspaces", { name: "Late" }, { key: org.adminKey });
    await anchorer.stop();
    const last = JSON.parse(readFileSync(file, "utf8").trimEnd().split("\n").at(-1) as string);
    expect(last).toMatchObject({
      organization_id: org.id,
      chain_seq: Number(head?.chain_seq) + 1,
    });
  });
});
