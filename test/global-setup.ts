import { dropTestSchemas, startTestRun } from "./pg-schemas.js";

/**
 * Says once, up front, which backend legs this run covers and which it skips; on PostgreSQL,
 * clears test schemas a previous run left, and drops this run's when it ends.
 */
// biome-ignore lint/style/noDefaultExport: vitest loads global setup through its default export
export default async function setup(): Promise<(() => Promise<void>) | undefined> {
  const pg = process.env.TEST_DATABASE_URL;
  const lines = [
    "Backends: SQLite (always)",
    pg
      ? `PostgreSQL (TEST_DATABASE_URL=${pg.replace(/\/\/([^:/@]+):([^@]+)@/, "//$1:***@")})`
      : "PostgreSQL leg SKIPPED: set TEST_DATABASE_URL to run it",
  ];
  console.log(`\n${lines.join("; ")}\n`);
  if (!pg) {
    return undefined;
  }
  const run = startTestRun();
  await dropTestSchemas(pg, run);
  return async () => {
    await dropTestSchemas(pg, run);
  };
}
