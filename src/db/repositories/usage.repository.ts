import { type Kysely, sql } from "kysely";
import type { DB, UsageEventRow } from "../schema.js";

export interface SpendTotal {
  scopeId: string;
  nanos: number;
}

export class UsageRepository {
  constructor(private readonly db: Kysely<DB>) {}

  /** Inserts a batch; an event id already stored for its organization is skipped, not counted twice. */
  async insertMany(rows: UsageEventRow[]): Promise<void> {
    if (rows.length === 0) {
      return;
    }
    await this.db
      .insertInto("usage_events")
      .values(rows)
      .onConflict((oc) => oc.columns(["organization_id", "id"]).doNothing())
      .execute();
  }

  /** Spend per organization since `from` (inclusive), for the spend ledger's start. */
  async spendByOrganization(from: string): Promise<SpendTotal[]> {
    const rows = await this.db
      .selectFrom("usage_events")
      .select(["organization_id as scopeId", sql<number | string>`sum(cost_nanos)`.as("nanos")])
      .where("occurred_at", ">=", from)
      .groupBy("organization_id")
      .execute();
    return rows.map((r) => ({ scopeId: r.scopeId, nanos: Number(r.nanos) }));
  }

  async spendByWorkspace(from: string): Promise<SpendTotal[]> {
    const rows = await this.db
      .selectFrom("usage_events")
      .select(["workspace_id as scopeId", sql<number | string>`sum(cost_nanos)`.as("nanos")])
      .where("occurred_at", ">=", from)
      .groupBy("workspace_id")
      .execute();
    return rows.map((r) => ({ scopeId: r.scopeId, nanos: Number(r.nanos) }));
  }

  /** One organization's spend since `from` (inclusive), in nano-dollars. */
  async organizationSpendSince(organizationId: string, from: string): Promise<number> {
    const row = await this.db
      .selectFrom("usage_events")
      .select(sql<number | string | null>`sum(cost_nanos)`.as("nanos"))
      .where("organization_id", "=", organizationId)
      .where("occurred_at", ">=", from)
      .executeTakeFirst();
    return Number(row?.nanos ?? 0);
  }

  list(organizationId: string): Promise<UsageEventRow[]> {
    return this.db
      .selectFrom("usage_events")
      .selectAll()
      .where("organization_id", "=", organizationId)
      .orderBy("occurred_at")
      .orderBy("id")
      .execute();
  }

  /** Refreshes each key's last_used_at to the given time, never moving it backwards. */
  async touchApiKeys(lastUsed: Map<string, string>): Promise<void> {
    for (const [id, at] of lastUsed) {
      await this.db
        .updateTable("api_keys")
        .set({ last_used_at: at })
        .where("id", "=", id)
        .where((eb) => eb.or([eb("last_used_at", "is", null), eb("last_used_at", "<", at)]))
        .execute();
    }
  }
}
