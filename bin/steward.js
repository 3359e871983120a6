#!/usr/bin/env node
// Steward's CLI: the everyday commands (over the SDK, against STEWARD_URL) and the operator
// commands (on DATABASE_URL). `npm install` builds dist/ (the prepare script); run
// `npm run build` after changing the sources.
import { existsSync } from "node:fs";

const entry = new URL("../dist/cli/main.js", import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write("steward: dist/ is missing; run `npm run build` first\n");
  process.exit(1);
}
let cli;
try {
  cli = await import(entry.href);
} catch (error) {
  if (error?.code === "ERR_MODULE_NOT_FOUND") {
    process.stderr.write(
      `steward: the build is incomplete (${error.message.split("\n")[0]}); run \`npm run build\`\n`,
    );
    process.exit(1);
  }
  throw error;
}
process.exitCode = await cli.runCli(process.argv);
