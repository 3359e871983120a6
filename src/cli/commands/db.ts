import type { Command } from "commander";
import { action } from "../context.js";
import { withDatabase } from "../operator.js";
import { print } from "../output.js";

/** `steward db init`: the one operator command that creates a database (or migrates one). */
export function registerDb(program: Command): void {
  const db = program
    .command("db")
    .description("The database itself (operator: works on DATABASE_URL)");
  db.command("init")
    .alias("migrate")
    .description(
      "Create the database at DATABASE_URL if it does not exist (a SQLite file; a PostgreSQL database must exist) and bring its schema up to date, as the server does at start. The other operator commands neither create nor migrate one.",
    )
    .action(
      action(async (ctx) => {
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
      }),
    );
}
