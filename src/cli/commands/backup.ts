import {
  chmodSync,
  closeSync,
  copyFileSync,
  existsSync,
  fsyncSync,
  openSync,
  renameSync,
  rmSync,
} from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import type { Command } from "commander";
import { sql } from "kysely";
import { action, type Ctx } from "../context.js";
import { CliError, ExitCode } from "../errors.js";
import { withDatabase } from "../operator.js";
import { print } from "../output.js";

/**
 * `steward backup PATH` and `steward restore PATH`: SQLite's file, copied consistently while the
 * server runs, and put back while it does not. PostgreSQL has its own tools for both; the commands
 * say which.
 */
export function registerBackup(program: Command): void {
  program
    .command("backup")
    .argument("<path>", "the new backup file (it must not exist)")
    .description(
      "Copy the SQLite database at DATABASE_URL to PATH, consistently, while the server runs (VACUUM INTO: one read transaction, no lock on writers). With PostgreSQL, prints the pg_dump command to use instead.",
    )
    .action(action(backup));
  program
    .command("restore")
    .argument("<path>", "a backup made by steward backup")
    .option("--force", "replace the database that is there (kept beside it, renamed)")
    .description(
      "Put a SQLite backup in place of the database at DATABASE_URL, with the server stopped. With PostgreSQL, prints the pg_restore command to use instead.",
    )
    .action(action(restore));
}

const POSTGRES_BACKUP =
  'PostgreSQL is backed up with its own tools, which copy consistently while Steward runs: pg_dump --format=custom --file=steward.dump "$DATABASE_URL" (or continuous archiving for point-in-time recovery; docs/operations.md#backups)';
const POSTGRES_RESTORE =
  'PostgreSQL is restored with its own tools, with every node stopped: pg_restore --clean --if-exists --dbname="$DATABASE_URL" steward.dump (docs/operations.md#backups)';

function sqlitePathOf(url: string): string | undefined {
  const path = url.startsWith("sqlite:") ? url.slice("sqlite:".length) : undefined;
  return path === undefined || path === "" || path === ":memory:" ? undefined : resolve(path);
}

async function backup(ctx: Ctx, path: string): Promise<void> {
  const target = resolve(path);
  if (existsSync(target)) {
    throw new CliError(`${target} exists: a backup never overwrites a file; name a new one`);
  }
  const result = await withDatabase({ create: false }, async (database, context) => {
    if (database.dialect !== "sqlite") {
      throw new CliError(POSTGRES_BACKUP, ExitCode.usage);
    }
    // One read transaction over the whole file: writers go on, and the copy is of one instant.
    await sql`vacuum into ${target}`.execute(database.db);
    chmodSync(target, 0o600); // it holds what the database holds: for its owner only
    return { database: context.database, backup: target };
  });
  print(ctx, result, () => `Backed up ${result.database} to ${result.backup}.`);
}

async function restore(ctx: Ctx, path: string): Promise<void> {
  const force = ctx.opts.force === true;
  const source = resolve(path);
  const [{ loadConfig }, { connect }, { migrationStatus }, { spoolDirOf, spoolHolder }] =
    await Promise.all([
      import("../../config.js"),
      import("../../db/connect.js"),
      import("../../db/migration-status.js"),
      import("../../gateway/usage-spool.js"),
    ]);
  const config = loadConfig();
  const target = sqlitePathOf(config.DATABASE_URL);
  if (target === undefined) {
    throw new CliError(POSTGRES_RESTORE, ExitCode.usage);
  }
  if (!existsSync(source)) {
    throw new CliError(`no backup at ${source}`);
  }
  // The backup must be a Steward database, and one this version can run.
  const backupDatabase = connect(`sqlite:${source}`, { mustExist: true });
  try {
    const { applied } = await migrationStatus(backupDatabase);
    if (applied === 0) {
      throw new CliError(`${source} is not a Steward database`);
    }
  } finally {
    await backupDatabase.close();
  }
  const spoolDir = resolve(spoolDirOf(config));
  const holder = spoolHolder(spoolDir);
  if (holder !== undefined) {
    throw new CliError(
      `a Steward server (pid ${holder}) is running on this database: stop it, then restore`,
    );
  }
  let keptAs: string | undefined;
  if (existsSync(target)) {
    if (!force) {
      throw new CliError(
        `${target} exists: add --force to replace it (it is kept beside, renamed, not deleted)`,
      );
    }
    keptAs = `${target}.before-restore-${new Date().toISOString().replace(/[:.]/g, "-")}`;
  }
  // Copied beside the target, flushed, then renamed over it: a crash midway leaves the old file.
  const partial = join(dirname(target), `.${basename(target)}.restoring`);
  copyFileSync(source, partial);
  const fd = openSync(partial, "r+");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  // The write-ahead log of the replaced file belongs to it, not to the backup: it goes with it.
  for (const suffix of ["", "-wal", "-shm"]) {
    const file = `${target}${suffix}`;
    if (keptAs !== undefined && existsSync(file)) {
      renameSync(file, `${keptAs}${suffix}`);
    } else {
      rmSync(file, { force: true });
    }
  }
  renameSync(partial, target);
  const result = { database: `sqlite:${target}`, restored_from: source, previous: keptAs ?? null };
  print(ctx, result, () =>
    [
      `Restored sqlite:${target} from ${source}.`,
      ...(keptAs ? [`The database that was there is kept as ${keptAs}.`] : []),
      "Start the server: it applies any migration the backup lacks.",
    ].join("\n"),
  );
}
