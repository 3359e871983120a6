/** Says once, up front, which backend legs this run covers and which it skips. */
// biome-ignore lint/style/noDefaultExport: vitest loads global setup through its default export
export default function setup(): void {
  const pg = process.env.TEST_DATABASE_URL;
  const lines = [
    "Backends: SQLite (always)",
    pg
      ? `PostgreSQL (TEST_DATABASE_URL=${pg.replace(/\/\/([^:/@]+):([^@]+)@/, "//$1:***@")})`
      : "PostgreSQL leg SKIPPED: set TEST_DATABASE_URL to run it",
  ];
  console.log(`\n${lines.join("; ")}\n`);
}
