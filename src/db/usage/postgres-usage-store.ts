import { type Kysely, sql } from "kysely";
import { SUM_COLUMNS } from "../../core/usage/metered.js";
import {
  type JsonShape,
  objectOfShape,
  type RolledUp,
  type RollupGroup,
  type RollupQuery,
  type RollupTable,
  type UsageEventRow,
  type UsageRollupRow,
} from "../../core/usage/usage-store.js";
import { unnestRows } from "../repositories/values.js";
import type { DB } from "../schema.js";
import {
  groupsOf,
  inDimensionOrder,
  KyselyUsageEvents,
  KyselyUsageRollups,
} from "./kysely-usage-store.js";
import {
  PG_EVENT_COLUMNS,
  PG_ROLLUP_COLUMNS,
  ROLLUP_COLUMNS,
  ROLLUP_KEY_COLUMNS,
} from "./usage-columns.js";

/**
 * Usage on PostgreSQL: batches go in as one array parameter per column (`unnest`), a statement
 * per table, on the transaction's connection.
 */

export class PostgresUsageEvents extends KyselyUsageEvents {
  constructor(
    db: Kysely<DB>,
    private readonly rollups: PostgresUsageRollups,
  ) {
    super(db);
  }

  async insertNew(
    rows: readonly UsageEventRow[],
    rollups: RolledUp = [],
  ): Promise<{ inserted: UsageEventRow[]; rolledUp: boolean }> {
    if (rows.length === 0) {
      return { inserted: [], rolledUp: false };
    }
    const { rows: returned } = await sql<Pick<UsageEventRow, "organization_id" | "id">>`
      insert into usage_events (${sql.join(PG_EVENT_COLUMNS.map(([name]) => sql.ref(name)))})
      ${unnestRows(PG_EVENT_COLUMNS, rows)}
      on conflict (organization_id, id) do nothing
      returning organization_id, id`.execute(this.db);
    const stored = new Set(returned.map((row) => `${row.organization_id} ${row.id}`));
    const inserted = rows.filter((row) => stored.has(`${row.organization_id} ${row.id}`));
    if (inserted.length !== rows.length || rollups.length === 0) {
      return { inserted, rolledUp: false };
    }
    await this.rollups.add(rollups);
    return { inserted, rolledUp: true };
  }

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

export class PostgresUsageRollups extends KyselyUsageRollups {
  async add(
    tables: ReadonlyArray<readonly [RollupTable, readonly UsageRollupRow[]]>,
  ): Promise<void> {
    for (const [table, rows] of tables) {
      if (rows.length === 0) {
        continue;
      }
      const additions = SUM_COLUMNS.map(
        (c) => sql`${sql.ref(c)} = ${sql.table(table)}.${sql.ref(c)} + excluded.${sql.ref(c)}`,
      );
      await sql`
        insert into ${sql.table(table)} (${sql.join(ROLLUP_COLUMNS.map((c) => sql.ref(c)))})
        ${unnestRows(PG_ROLLUP_COLUMNS, rows)}
        on conflict (${sql.join(ROLLUP_KEY_COLUMNS.map((c) => sql.ref(c)))})
        do update set ${sql.join(additions)}`.execute(this.db);
    }
  }

  async sum(query: RollupQuery): Promise<RollupGroup[]> {
    const compiled = this.sumQuery(query);
    const columns = ["bucket", ...inDimensionOrder(query.groupBy), ...query.sums];
    const { rows } = await this.db.executeQuery(compiled);
    return groupsOf(
      rows.map((row) => columns.map((column) => (row as Record<string, unknown>)[column])),
      query.groupBy,
      query.sums,
    );
  }

  /**
   * Written here from `sum`'s groups: PostgreSQL's json_agg of json_build_object took longer than
   * building the objects in JavaScript.
   */
  async sumAsJson(query: RollupQuery, shape: JsonShape): Promise<Map<string, Uint8Array>> {
    const byBucket = new Map<string, Record<string, unknown>[]>();
    for (const group of await this.sum(query)) {
      const results = byBucket.get(group.bucket);
      const result = objectOfShape(shape, group);
      if (results === undefined) {
        byBucket.set(group.bucket, [result]);
      } else {
        results.push(result);
      }
    }
    const json = new Map<string, Uint8Array>();
    for (const [bucket, results] of byBucket) {
      json.set(bucket, Buffer.from(JSON.stringify(results)));
    }
    return json;
  }
}
