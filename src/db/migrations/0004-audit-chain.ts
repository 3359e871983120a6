import { type Kysely, sql } from "kysely";
import { AUDIT_GENESIS_HASH, auditHash } from "../../core/audit-chain.js";
import type { Dialect } from "../connect.js";
import type { AuditEventRow } from "../schema.js";

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

  const rows = (await sql<AuditEventRow>`select * from audit_events order by seq`.execute(db)).rows;
  const heads = new Map<string, { seq: number; hash: string }>();
  for (const row of rows) {
    const head = heads.get(row.organization_id) ?? { seq: 0, hash: AUDIT_GENESIS_HASH };
    const chained = { ...row, chain_seq: head.seq + 1, prev_hash: head.hash };
    const hash = auditHash(chained);
    await sql`update audit_events set chain_seq = ${chained.chain_seq}, prev_hash = ${chained.prev_hash}, hash = ${hash} where seq = ${row.seq}`.execute(
      db,
    );
    heads.set(row.organization_id, { seq: chained.chain_seq, hash });
  }

  await db.schema
    .createIndex("audit_events_chain")
    .on("audit_events")
    .columns(["organization_id", "chain_seq"])
    .unique()
    .execute();
}
