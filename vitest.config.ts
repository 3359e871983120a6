import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    // Tests run the SDK from its sources, as the root tsconfig's "source" condition does.
    alias: {
      "@steward/sdk": fileURLToPath(new URL("./packages/sdk/src/index.ts", import.meta.url)),
    },
  },
  test: {
    include: ["test/**/*.test.ts", "packages/*/test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: a fork per file, two at a time, keeps PostgreSQL and SQLite legs from starving.
    pool: "forks",
    maxWorkers: 2,
  },
});
