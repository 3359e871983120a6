import type { Kysely } from "kysely";
import type { AuditEventRow, DB, NewAuditEvent } from "../schema.js";

export class AuditRepository {
  constructor(private readonly db: Kysely<DB>) {}

  async insert(row: NewAuditEvent): Promise<void> {
    await this.db.insertInto("audit_events").values(row).execute();
  }

  /** In insertion order. The query API over these records belongs to the audit issue. */
  list(organizationId: string): Promise<AuditEventRow[]> {
    return this.db
      .selectFrom("audit_events")
      .selectAll()
      .where("organization_id", "=", organizationId)
      .orderBy("seq")
      .execute();
  }
}
