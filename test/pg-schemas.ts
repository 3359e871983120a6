import { randomBytes } from "node:crypto";
import pg from "pg";

/**
 * Every PostgreSQL test leg gets a schema of its own, named after the run that made it
 * (`steward_test_p<pid>_…`, the pid of the vitest process that ran global setup). They are
 * dropped once, after the whole run, not as each suite ends: Kysely's migrator lists tables across
 * all schemas, and a schema dropped under a suite that is migrating in parallel fails that suite
 * ("schema … does not exist"). A run drops only its own schemas and those of runs whose process
 * is gone, so two runs against one database leave each other alone.
 */
const PREFIX = "steward_test_";
const RUN_ENV = "STEWARD_TEST_RUN";

/** Set by global setup before the workers start; they inherit it. */
export function startTestRun(): string {
  const run = `p${process.pid}`;
  process.env[RUN_ENV] = run;
  return run;
}

export function testSchemaName(tag = ""): string {
  const run = process.env[RUN_ENV] ?? `p${process.pid}`;
  return `${PREFIX}${run}_${tag}${randomBytes(6).toString("hex")}`;
}

function runIsAlive(schema: string): boolean {
  const pid = /^steward_test_p(\d+)_/.exec(schema)?.[1];
  if (pid === undefined) {
    return false;
  }
  try {
    process.kill(Number(pid), 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Drops this run's schemas and those left by runs that have ended. */
export async function dropTestSchemas(url: string, run: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ nspname: string }>(
      "select nspname from pg_namespace where nspname like $1",
      [`${PREFIX.replaceAll("_", "\\_")}%`],
    );
    const doomed = rows
      .map((row) => row.nspname)
      .filter((name) => name.startsWith(`${PREFIX}${run}_`) || !runIsAlive(name));
    for (const name of doomed) {
      await client.query(`drop schema if exists "${name}" cascade`);
    }
    return doomed.length;
  } finally {
    await client.end();
  }
}
