import { startTestRun } from "./pg-schemas.js";
import { startRunDir } from "./support/run-dir.js";

/**
 * Says once, up front, which backend legs this run covers and which it skips; makes the run's
 * directory (test/support/run-dir.ts); on PostgreSQL, clears test schemas a previous run left, and
 * drops this run's when it ends.
 */
// biome-ignore lint/style/noDefaultExport: vitest loads global setup through its default export
export default async function setup(): Promise<() => Promise<void>> {
  const pg = process.env.TEST_DATABASE_URL;
  const lines = [
    "Backends: SQLite (always)",
    pg
      ? `PostgreSQL (TEST_DATABASE_URL=${pg.replace(/\/\/([^:/@]+):([^@]+)@/, "//$1:***@")})`
      : "PostgreSQL leg SKIPPED: set TEST_DATABASE_URL to run it",
  ];
  console.log(`\n${lines.join("; ")}\n`);
  const removeRunDir = startRunDir();
  if (!pg) {
    return async () => removeRunDir();
  }
  const run = await startTestRun(pg);
  return async () => {
    removeRunDir();
    await run.end();
  };
}
