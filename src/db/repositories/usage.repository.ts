import { type Kysely, sql } from "kysely";
import type { DB, UsageEventRow } from "../schema.js";
import { DROP_EMPTIED_RUNS_SQL } from "../sqlite-event-id-index.js";
import type { SqliteConnections, StatementBatch } from "../sqlite-thread.js";
import { compileValues, unnestRows } from "./values.js";

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
  "cost_input_nanos",
  "cost_output_nanos",
  "cost_cache_write_5m_nanos",
  "cost_cache_write_1h_nanos",
  "cost_cache_read_nanos",
  "cost_web_search_nanos",
  "cost_fallback_nanos",
  "priced",
  "price_source",
  "context_window",
  "service_tier",
  "inference_geo",
  "status",
  "error_type",
  "latency_ms",
  "stream",
  "source",
] as const satisfies ReadonlyArray<keyof UsageEventRow>;

const INTEGER_COLUMNS = new Set(["priced", "status", "latency_ms", "stream"]);
const TEXT_COLUMNS = new Set([
  "organization_id",
  "id",
  "workspace_id",
  "api_key_id",
  "model",
  "occurred_at",
  "price_source",
  "context_window",
  "service_tier",
  "inference_geo",
  "error_type",
  "source",
]);
const PG_COLUMNS = COLUMNS.map(
  (name) =>
    [
      name,
      TEXT_COLUMNS.has(name) ? "text" : INTEGER_COLUMNS.has(name) ? "integer" : "bigint",
    ] as const,
);

// Prepared once on the database's thread and run for a whole batch in one message: building and
// preparing a 500-row statement for every batch cost more than the rows' own insertion.
//
// An event is new unless one already stored has its organization and id: the writer's id index
// decides (src/db/sqlite/event-id-index.ts), and a unique index refuses a repeated Steward id.
const SQLITE_INSERT = `insert into usage_events (${COLUMNS.join(", ")})
  values (${COLUMNS.map(() => "?").join(", ")}) on conflict do nothing`;

const sqliteInsertValues = compileValues<UsageEventRow>(COLUMNS);

const SQLITE_TOUCH_API_KEY =
  "update api_keys set last_used_at = ? where id = ? and (last_used_at is null or last_used_at < ?)";

export class UsageRepository {
  constructor(
    private readonly db: Kysely<DB>,
    /** Present on SQLite: the same connection, for the prepared batch insert. */
    private readonly sqlite?: SqliteConnections,
  ) {}

  /**
   * Inserts a batch of events with distinct ids and returns those that were new: an id already
   * stored for its organization is skipped, so nothing is counted twice. Call it inside a
   * transaction: on SQLite the rows go through a prepared statement on the transaction's own
   * connection.
   *
   * `ifAllNew` (SQLite): statements run in the same message when every event was new (the rollups
   * summed in advance); `followed` says whether they ran.
   */
  async insertNew(
    rows: readonly UsageEventRow[],
    ifAllNew: readonly StatementBatch[] = [],
  ): Promise<{ inserted: UsageEventRow[]; followed: boolean }> {
    if (rows.length === 0) {
      return { inserted: [], followed: false };
    }
    if (this.sqlite) {
      const [changes, ...followers] = await this.sqlite.writer.runMany([
        { sql: SQLITE_INSERT, rows: rows.map(sqliteInsertValues), usageEvents: true },
        ...ifAllNew.map((batch) => ({ ...batch, onlyIfAllChanged: 0 })),
      ]);
      return {
        inserted: rows.filter((_, i) => changes?.[i] === 1),
        followed: followers.length > 0 && followers.every((result) => result !== null),
      };
    }
    const { rows: returned } = await sql<Pick<UsageEventRow, "organization_id" | "id">>`
      insert into usage_events (${sql.join(PG_COLUMNS.map(([name]) => sql.ref(name)))})
      ${unnestRows(PG_COLUMNS, rows)}
      on conflict (organization_id, id) do nothing
      returning organization_id, id`.execute(this.db);
    const inserted = new Set(returned.map((row) => `${row.organization_id} ${row.id}`));
    return {
      inserted: rows.filter((row) => inserted.has(`${row.organization_id} ${row.id}`)),
      followed: false,
    };
  }

  /**
   * Deletes the oldest events before `before`, about `limit` at a time (all of those sharing the
   * last one's timestamp go too), so that retention never holds the database for long; returns
   * how many went.
   */
  async deleteOlderThan(before: string, limit: number): Promise<number> {
    const last = await this.db
      .selectFrom("usage_events")
      .select("occurred_at")
      .where("occurred_at", "<", before)
      .orderBy("occurred_at")
      .offset(limit - 1)
      .limit(1)
      .executeTakeFirst();
    const result = await this.db
      .deleteFrom("usage_events")
      .where("occurred_at", last === undefined ? "<" : "<=", last?.occurred_at ?? before)
      .executeTakeFirst();
    if (this.sqlite) {
      // The id index's runs whose events this emptied go, with their filters.
      await sql.raw(DROP_EMPTIED_RUNS_SQL).execute(this.db);
    }
    return Number(result.numDeletedRows);
  }

  list(organizationId: string): Promise<UsageEventRow[]> {
    return this.db
      .selectFrom("usage_events")
      .select(COLUMNS) // not SQLite's seq
      .where("organization_id", "=", organizationId)
      .orderBy("occurred_at")
      .orderBy("id")
      .execute();
  }

  /** Refreshes each key's last_used_at to the given time, never moving it backwards. */
  async touchApiKeys(lastUsed: Map<string, string>): Promise<void> {
    if (lastUsed.size === 0) {
      return;
    }
    if (this.sqlite) {
      // Every key of a batch in one message to the writer, not a round trip each.
      await this.sqlite.writer.runMany([
        {
          sql: SQLITE_TOUCH_API_KEY,
          rows: [...lastUsed].map(([id, at]) => [at, id, at]),
        },
      ]);
      return;
    }
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
