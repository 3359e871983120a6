// The CLI from its sources, for the few tests that need it in a process of its own (a kill
// midway, a terminal): `node --conditions=source --import tsx test/support/cli-entry.ts …`.
import { runCli } from "../../src/cli/main.js";

process.exitCode = await runCli(process.argv);
