import type { Command } from "commander";
import { action, type Ctx } from "../context.js";
import { withDatabase } from "../operator.js";
import { print } from "../output.js";

/**
 * `steward db init` (or `db migrate`, or `migrate`): the one operator command that creates a
 * database, or migrates one.
 */
export function registerDb(program: Command): void {
  const db = program
    .command("db")
    .description("The database itself (operator: works on DATABASE_URL)");
  db.command("init")
    .alias("migrate")
    .description(MIGRATE_DESCRIPTION)
    .action(action(migrateDatabase));
  // The deploy step's name: migrations only, before the new version's nodes start.
  program
    .command("migrate")
    .description(`${MIGRATE_DESCRIPTION} For a deploy step: run it once, then start the nodes.`)
    .action(action(migrateDatabase));
}

const MIGRATE_DESCRIPTION =
  "Create the database at DATABASE_URL if it does not exist (a SQLite file; a PostgreSQL database must exist) and bring its schema up to date, as the server does at start; a database a newer Steward migrated is refused. The other operator commands neither create nor migrate one.";

async function migrateDatabase(ctx: Ctx): Promise<void> {
  const { migrate } = await import("../../db/connect.js");
  const result = await withDatabase({ create: true }, async (database, context) => ({
    database: context.database,
    created: context.createdFile,
    migrations_applied: await migrate(database),
  }));
  print(ctx, result, () =>
    [
      `${result.created ? "Created" : "Opened"} ${result.database}.`,
      result.migrations_applied.length === 0
        ? "Its schema was up to date."
        : `Applied ${result.migrations_applied.length} migration${result.migrations_applied.length === 1 ? "" : "s"}: ${result.migrations_applied.join(", ")}.`,
    ].join("\n"),
  );
}
