import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: a fork per file, two at a time, keeps PostgreSQL and SQLite legs from starving.
    pool: "forks",
    maxWorkers: 2,
  },
});
