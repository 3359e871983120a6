import { createHash } from "node:crypto";
import { type Kysely, sql } from "kysely";
import type { Dialect } from "../connect.js";

// The chain's rule as this migration wrote it. A migration is history: it keeps its own copy
// rather than import core/audit-chain.ts, whose rule may change in a later migration. A test
// (test/migrations.test.ts) checks that the chains written here verify under today's rule.

const GENESIS_HASH = "0".repeat(64);

/** An audit record as the table stood when this migration ran. */
interface AuditRecord {
  seq: number;
  id: string;
  organization_id: string;
  occurred_at: string;
  actor_type: string;
  actor_id: string | null;
  action: string;
  target_type: string;
  target_id: string | null;
  outcome: string;
  request_id: string | null;
  client_ip: string | null;
  user_agent: string | null;
  changes: string;
}

function hashOf(record: AuditRecord, chainSeq: number, prevHash: string): string {
  const fields = [
    prevHash,
    chainSeq,
    record.id,
    record.organization_id,
    record.occurred_at,
    record.actor_type,
    record.actor_id,
    record.action,
    record.target_type,
    record.target_id,
    record.outcome,
    record.request_id,
    record.client_ip,
    record.user_agent,
    record.changes,
  ];
  return createHash("sha256").update(JSON.stringify(fields)).digest("hex");
}

/**
 * Chains each organization's audit records by hash: `chain_seq` numbers them 1, 2, 3… per
 * organization, `prev_hash` is the previous record's `hash`, and `hash` covers the record and
 * `prev_hash`. Records written before this migration are chained here, in insertion order.
 */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .alterTable("audit_events")
    .addColumn("chain_seq", "bigint", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable("audit_events")
    .addColumn("prev_hash", "text", (c) => c.notNull().defaultTo(""))
    .execute();
  await db.schema
    .alterTable("audit_events")
    .addColumn("hash", "text", (c) => c.notNull().defaultTo(""))
    .execute();

  const rows = (await sql<AuditRecord>`select * from audit_events order by seq`.execute(db)).rows;
  const heads = new Map<string, { seq: number; hash: string }>();
  for (const row of rows) {
    const head = heads.get(row.organization_id) ?? { seq: 0, hash: GENESIS_HASH };
    const chainSeq = head.seq + 1;
    const hash = hashOf(row, chainSeq, head.hash);
    await sql`update audit_events set chain_seq = ${chainSeq}, prev_hash = ${head.hash}, hash = ${hash} where seq = ${row.seq}`.execute(
      db,
    );
    heads.set(row.organization_id, { seq: chainSeq, hash });
  }

  await db.schema
    .createIndex("audit_events_chain")
    .on("audit_events")
    .columns(["organization_id", "chain_seq"])
    .unique()
    .execute();
}
