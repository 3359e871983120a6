import { copyFileSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { connect, migrate } from "../../src/db/connect.js";
import { runDir } from "./run-dir.js";

/**
 * Migrating a SQLite database takes a few hundred milliseconds, and the suites make hundreds of
 * them: the run migrates one template file and each test database starts as a copy of it. A
 * worker that finds no template in the run's directory migrates one and renames it into place, so
 * workers racing to make it each see a whole file.
 */

let template: Promise<string> | undefined;

function templatePath(): Promise<string> {
  template ??= (async () => {
    const dir = runDir();
    const path = join(dir, "template.db");
    if (existsSync(path)) {
      return path;
    }
    const scratch = mkdtempSync(join(dir, "migrating-"));
    const database = connect(`sqlite:${join(scratch, "steward.db")}`);
    try {
      await migrate(database);
    } finally {
      // Closing the last connection checkpoints the WAL into the file: the file alone is whole.
      await database.close();
    }
    renameSync(join(scratch, "steward.db"), path);
    rmSync(scratch, { recursive: true, force: true });
    return path;
  })();
  return template;
}

/** A migrated SQLite file at `path` (whose directory it creates), copied from the run's template. */
export async function copyMigratedSqlite(path: string): Promise<void> {
  const source = await templatePath();
  mkdirSync(dirname(path), { recursive: true });
  copyFileSync(source, path);
}
