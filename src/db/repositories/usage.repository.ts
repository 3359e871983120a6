import type SQLite from "better-sqlite3";
import { type Kysely, sql } from "kysely";
import type { DB, UsageEventRow } from "../schema.js";

export interface SpendTotal {
  scopeId: string;
  nanos: number;
}

const COLUMNS = [
  "organization_id",
  "id",
  "workspace_id",
  "api_key_id",
  "model",
  "occurred_at",
  "input_tokens",
  "output_tokens",
  "cache_creation_5m_tokens",
  "cache_creation_1h_tokens",
  "cache_read_tokens",
  "web_search_requests",
  "cost_nanos",
  "priced",
  "service_tier",
  "inference_geo",
  "status",
  "error_type",
  "latency_ms",
  "stream",
  "source",
] as const satisfies ReadonlyArray<keyof UsageEventRow>;

// One prepared statement per SQLite handle: building and preparing a 500-row statement for every
// batch cost more than the rows' own insertion.
const sqliteInserts = new WeakMap<SQLite.Database, SQLite.Statement>();

function sqliteInsert(sqlite: SQLite.Database): SQLite.Statement {
  let statement = sqliteInserts.get(sqlite);
  if (!statement) {
    statement = sqlite.prepare(
      `insert into usage_events (${COLUMNS.join(", ")}) values (${COLUMNS.map(() => "?").join(", ")}) on conflict (organization_id, id) do nothing`,
    );
    sqliteInserts.set(sqlite, statement);
  }
  return statement;
}

export class UsageRepository {
  constructor(
    private readonly db: Kysely<DB>,
    /** Present on SQLite: the same connection, for the prepared batch insert. */
    private readonly sqlite?: SQLite.Database,
  ) {}

  /**
   * Inserts a batch; an event id already stored for its organization is skipped, not counted
   * twice. Call it inside a transaction: on SQLite the rows go through a prepared statement on the
   * transaction's own connection.
   */
  async insertMany(rows: UsageEventRow[]): Promise<void> {
    if (rows.length === 0) {
      return;
    }
    if (this.sqlite) {
      const insert = sqliteInsert(this.sqlite);
      for (const row of rows) {
        insert.run(COLUMNS.map((column) => row[column]));
      }
      return;
    }
    await this.db
      .insertInto("usage_events")
      .values(rows)
      .onConflict((oc) => oc.columns(["organization_id", "id"]).doNothing())
      .execute();
  }

  /** Spend per organization or per workspace since `from` (inclusive), for the spend ledger's start. */
  async spendSince(from: string, scope: "organization_id" | "workspace_id"): Promise<SpendTotal[]> {
    const rows = await this.db
      .selectFrom("usage_events")
      .select([`${scope} as scopeId`, sql<number | string>`sum(cost_nanos)`.as("nanos")])
      .where("occurred_at", ">=", from)
      .groupBy(scope)
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
