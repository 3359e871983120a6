import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A directory for the whole run's shared files (the migrated SQLite template), made by global setup. */
const RUN_DIR_ENV = "STEWARD_TEST_RUN_DIR";

/** Called by global setup before the workers start: they inherit the variable. */
export function startRunDir(): () => void {
  const dir = mkdtempSync(join(tmpdir(), "steward-run-"));
  process.env[RUN_DIR_ENV] = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}

/** The run's directory; one of this process's own when the run has none (no global setup). */
let fallback: string | undefined;
export function runDir(): string {
  const dir = process.env[RUN_DIR_ENV];
  if (dir !== undefined) {
    return dir;
  }
  fallback ??= mkdtempSync(join(tmpdir(), "steward-run-"));
  return fallback;
}
