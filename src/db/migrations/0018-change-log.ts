import { type Kysely, sql } from "kysely";
import type { Dialect } from "../connect.js";

/**
 * The change log: one row per committed change to what the gateway holds in memory (an API key,
 * a workspace's limits, an organization's allow-list and limit), written by triggers, so that
 * every writer is covered: an admin call on any node, an operator command, or SQL typed into
 * `psql` or `sqlite3`. Each node follows it (src/gateway/change-follower.ts) to reload those rows.
 *
 * `seq` orders the log; `origin` is the writing connection's `application_name` (PostgreSQL),
 * so that a node can pass over its own changes, which it applied before answering. Only the columns the gateway caches fire the update triggers, so the
 * gateway's own `last_used_at` writes add nothing. PostgreSQL also sends a notification on
 * channel `steward_changes` with the table's schema as payload; PostgreSQL delivers it at commit,
 * never for a transaction that rolled back, and folds the identical ones of one transaction into
 * one. Rows are pruned by the nodes after a retention period.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const watched = [
    {
      table: "api_keys",
      entity: "api_key",
      columns: [
        "status",
        "key_hash",
        "workspace_id",
        "organization_id",
        "expires_at",
        "archived_at",
      ],
    },
    {
      table: "workspaces",
      entity: "workspace",
      columns: [
        "organization_id",
        "archived_at",
        "requests_per_minute",
        "monthly_spend_limit_micros",
      ],
    },
    {
      table: "organizations",
      entity: "organization",
      columns: ["allowed_ip_ranges", "usage_limit_micros"],
    },
  ];
  if (dialect === "postgres") {
    // Kysely's migrator runs each PostgreSQL migration in a transaction of its own.
    const trx = db;
    await sql`create table change_log (
        seq bigserial primary key,
        entity text not null,
        entity_id text collate "C" not null,
        origin text,
        changed_at timestamptz not null default now()
      )`.execute(trx);
    await sql`create function steward_log_change() returns trigger language plpgsql as $$
        begin
          insert into change_log (entity, entity_id, origin)
            values (tg_argv[0], case when tg_op = 'DELETE' then old.id else new.id end,
                    current_setting('application_name', true));
          perform pg_notify('steward_changes', tg_table_schema);
          return null;
        end
      $$`.execute(trx);
    for (const { table, entity, columns } of watched) {
      const of = sql.join(columns.map((column) => sql.ref(column)));
      await sql`create trigger ${sql.id(`${table}_changed`)}
          after insert or delete or update of ${of} on ${sql.table(table)}
          for each row execute function steward_log_change(${sql.lit(entity)})`.execute(trx);
    }
    return;
  }
  await db.transaction().execute(async (trx) => {
    await sql`create table change_log (
      seq integer primary key autoincrement,
      entity text not null,
      entity_id text not null,
      origin text,
      changed_at text not null default (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    )`.execute(trx);
    for (const { table, entity, columns } of watched) {
      const log = (row: "new" | "old") =>
        sql`insert into change_log (entity, entity_id) values (${sql.lit(entity)}, ${sql.raw(row)}.id)`;
      await sql`create trigger ${sql.id(`${table}_inserted`)} after insert on ${sql.table(table)}
        begin ${log("new")}; end`.execute(trx);
      await sql`create trigger ${sql.id(`${table}_updated`)}
        after update of ${sql.join(columns.map((column) => sql.ref(column)))} on ${sql.table(table)}
        begin ${log("new")}; end`.execute(trx);
      await sql`create trigger ${sql.id(`${table}_deleted`)} after delete on ${sql.table(table)}
        begin ${log("old")}; end`.execute(trx);
    }
  });
}
