import "./keep-tick-shape.js";
import { loadConfig } from "./config.js";
import { serve } from "./server.js";
import { packageVersion } from "./version.js";

try {
  await serve(loadConfig(), packageVersion());
} catch (error) {
  process.stderr.write(`steward: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
