import { randomBytes } from "node:crypto";
import pg from "pg";

/**
 * Every PostgreSQL test leg gets a schema of its own, named after the run that made it
 * (`steward_test_r<run>_…`). They are dropped once, after the whole run, not as each suite ends:
 * Kysely's migrator lists tables across all schemas, and a schema dropped under a suite that is
 * migrating in parallel fails that suite ("schema … does not exist").
 *
 * A run is alive while it holds a connection named after it (`application_name`), opened by
 * global setup and closed at its end. A run drops its own schemas and those of runs with no such
 * connection: PostgreSQL sees every client, where a process id means nothing across machines,
 * containers or sandboxes sharing one database.
 */
const PREFIX = "steward_test_";
const RUN_ENV = "STEWARD_TEST_RUN";
const APPLICATION_PREFIX = "steward-test-run-";

export interface TestRun {
  id: string;
  /** Drops this run's schemas and those of ended runs, then ends the run. */
  end(): Promise<number>;
}

/** Starts a run: set before the workers start, which inherit it. Clears ended runs' schemas. */
export async function startTestRun(url: string): Promise<TestRun> {
  const id = `r${randomBytes(5).toString("hex")}`;
  process.env[RUN_ENV] = id;
  const beacon = new pg.Client({
    connectionString: url,
    application_name: `${APPLICATION_PREFIX}${id}`,
  });
  // A dropped beacon only makes this run look ended to later runs; it must not crash this one.
  beacon.on("error", () => {});
  await beacon.connect();
  await dropTestSchemas(url, id);
  return {
    id,
    end: async () => {
      try {
        return await dropTestSchemas(url, id);
      } finally {
        await beacon.end().catch(() => {});
      }
    },
  };
}

export function testSchemaName(tag = ""): string {
  const run = process.env[RUN_ENV] ?? `r${process.pid}x`;
  return `${PREFIX}${run}_${tag}${randomBytes(6).toString("hex")}`;
}

async function dropTestSchemas(url: string, run: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const live = await client.query<{ name: string }>(
      "select application_name as name from pg_stat_activity where application_name like $1",
      [`${APPLICATION_PREFIX}%`],
    );
    const liveRuns = new Set(live.rows.map((row) => row.name.slice(APPLICATION_PREFIX.length)));
    liveRuns.delete(run);
    const { rows } = await client.query<{ nspname: string }>(
      "select nspname from pg_namespace where nspname like $1",
      [`${PREFIX.replaceAll("_", "\\_")}%`],
    );
    const doomed = rows
      .map((row) => row.nspname)
      .filter((name) => !liveRuns.has(/^steward_test_([a-z0-9]+)_/.exec(name)?.[1] ?? ""));
    for (const name of doomed) {
      await client.query(`drop schema if exists "${name}" cascade`);
    }
    return doomed.length;
  } finally {
    await client.end();
  }
}
