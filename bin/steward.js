#!/usr/bin/env node
// The operator CLI. `npm install` builds dist/ (the prepare script); run `npm run build` after
// changing the sources.
import { existsSync } from "node:fs";

const entry = new URL("../dist/cli/main.js", import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write("steward: dist/ is missing; run `npm run build` first\n");
  process.exit(1);
}
const { runCli } = await import(entry.href);
process.exitCode = await runCli(process.argv);
