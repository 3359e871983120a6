import pg from "pg";

/**
 * Every PostgreSQL test leg gets a schema of its own. They are dropped once, after the whole run,
 * not as each suite ends: Kysely's migrator lists tables across all schemas, and a schema dropped
 * under a suite that is migrating in parallel fails that suite ("schema … does not exist").
 */
export const TEST_SCHEMA_PATTERN = "steward\\_test\\_%";

export async function dropTestSchemas(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ nspname: string }>(
      "select nspname from pg_namespace where nspname like $1",
      [TEST_SCHEMA_PATTERN],
    );
    for (const { nspname } of rows) {
      await client.query(`drop schema if exists "${nspname}" cascade`);
    }
    return rows.length;
  } finally {
    await client.end();
  }
}
