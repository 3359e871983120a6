import { type Kysely, sql } from "kysely";
import type { Dialect } from "../connect.js";

/**
 * Workspace rate limits (src/core/rate-limits): one row per workspace, rate-limit group and limit
 * type (`requests_per_minute`, `input_tokens_per_minute`, `output_tokens_per_minute`) that has a
 * workspace-level value. The gateway enforces them per workspace and group.
 *
 * `workspaces.requests_per_minute` held one limit for the whole workspace. It becomes a view of
 * these rows (src/db/repositories/workspaces.repository.ts): each workspace's value is copied to
 * every group of the time, and the column is dropped, so that the limit is stored once. Its
 * change-log trigger is made again without it, and the new table logs its changes as changes to
 * its workspace, which the gateway reloads with its limits.
 */
const GROUPS_AT_MIGRATION = [
  "rlg_claude_fable_5",
  "rlg_claude_mythos_5",
  "rlg_claude_opus_5",
  "rlg_claude_opus_4",
  "rlg_claude_sonnet_5",
  "rlg_claude_sonnet_4",
  "rlg_claude_haiku_4",
  "rlg_claude_3",
  "rlg_other_models",
  "rlg_token_count",
  "rlg_batch",
  "rlg_files",
  "rlg_web_search",
];
const WATCHED_WORKSPACE_COLUMNS = ["organization_id", "archived_at", "monthly_spend_limit_micros"];

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const id = dialect === "postgres" ? sql`text collate "C"` : "text";
  const run = async (trx: Kysely<unknown>) => {
    await trx.schema
      .createTable("workspace_rate_limits")
      .addColumn("workspace_id", id, (c) => c.notNull().references("workspaces.id"))
      .addColumn("group_id", id, (c) => c.notNull())
      .addColumn("limit_type", id, (c) => c.notNull())
      .addColumn("organization_id", id, (c) => c.notNull().references("organizations.id"))
      .addColumn("value", "integer", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .addPrimaryKeyConstraint("workspace_rate_limits_pk", [
        "workspace_id",
        "group_id",
        "limit_type",
      ])
      .execute();
    const groups = sql.join(
      GROUPS_AT_MIGRATION.map((group) => sql`select ${sql.lit(group)} as group_id`),
      sql` union all `,
    );
    await sql`insert into workspace_rate_limits
        (workspace_id, group_id, limit_type, organization_id, value, created_at, updated_at)
      select w.id, g.group_id, 'requests_per_minute', w.organization_id, w.requests_per_minute,
        w.updated_at, w.updated_at
      from workspaces w cross join (${groups}) g
      where w.requests_per_minute is not null`.execute(trx);
    const columns = sql.join(WATCHED_WORKSPACE_COLUMNS.map((column) => sql.ref(column)));
    if (dialect === "postgres") {
      await sql`drop trigger workspaces_changed on workspaces`.execute(trx);
      await sql`alter table workspaces drop column requests_per_minute`.execute(trx);
      await sql`create trigger workspaces_changed
          after insert or delete or update of ${columns} on workspaces
          for each row execute function steward_log_change('workspace')`.execute(trx);
      await sql`create function steward_log_workspace_limit_change() returns trigger
        language plpgsql as $$
          begin
            insert into change_log (entity, entity_id, origin)
              values ('workspace',
                      case when tg_op = 'DELETE' then old.workspace_id else new.workspace_id end,
                      current_setting('application_name', true));
            perform pg_notify('steward_changes', tg_table_schema);
            return null;
          end
        $$`.execute(trx);
      await sql`create trigger workspace_rate_limits_changed
          after insert or delete or update on workspace_rate_limits
          for each row execute function steward_log_workspace_limit_change()`.execute(trx);
      return;
    }
    await sql`drop trigger workspaces_updated`.execute(trx);
    await sql`alter table workspaces drop column requests_per_minute`.execute(trx);
    await sql`create trigger workspaces_updated after update of ${columns} on workspaces
      begin insert into change_log (entity, entity_id) values ('workspace', new.id); end`.execute(
      trx,
    );
    const log = (row: "new" | "old") =>
      sql`insert into change_log (entity, entity_id) values ('workspace', ${sql.raw(row)}.workspace_id)`;
    await sql`create trigger workspace_rate_limits_inserted after insert on workspace_rate_limits
      begin ${log("new")}; end`.execute(trx);
    await sql`create trigger workspace_rate_limits_updated after update on workspace_rate_limits
      begin ${log("new")}; end`.execute(trx);
    await sql`create trigger workspace_rate_limits_deleted after delete on workspace_rate_limits
      begin ${log("old")}; end`.execute(trx);
  };
  if (dialect === "postgres") {
    await run(db); // Kysely's migrator runs each PostgreSQL migration in a transaction of its own
  } else {
    await db.transaction().execute(run);
  }
}
