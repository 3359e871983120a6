/**
 * `steward serve` is the server: started from the CLI, it migrates a new database, hands over the
 * first admin key in a file of its own (never in the log), listens, answers /readyz, and stops
 * cleanly on SIGTERM.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { spawnCli } from "./cli-harness.js";

describe("steward serve", () => {
  const dir = mkdtempSync(join(tmpdir(), "steward-serve-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("serves until SIGTERM, then exits 0", async () => {
    const { child, done } = spawnCli(["serve"], {
      env: {
        DATABASE_URL: `sqlite:${join(dir, "steward.db")}`,
        HOST: "127.0.0.1",
        PORT: "0",
        LOG_LEVEL: "info",
        METERING_SPOOL_DIR: join(dir, "spool"),
      },
    });
    // Fastify logs the address it listens on; the port is the kernel's choice.
    const url = await new Promise<string>((resolve, reject) => {
      let seen = "";
      child.stdout?.on("data", (chunk: Buffer | string) => {
        seen += String(chunk);
        const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(seen);
        if (match?.[1]) {
          resolve(match[1]);
        }
      });
      child.on("exit", (code) => reject(new Error(`steward serve exited with ${code} first`)));
    });
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
    child.kill("SIGTERM");
    const result = await done;
    expect(result.code, result.stderr).toBe(0);
    // Not a terminal: the first admin key is in a file of its owner's, and nowhere in the output.
    const file = join(dir, "first-admin-key");
    const key = readFileSync(file, "utf8").trim();
    expect(key).toMatch(/^sk-ant-admin01-/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(result.stdout).not.toContain(key);
    expect(result.stderr).not.toContain(key);
    expect(result.stdout).toContain(file);
  }, 60_000);
});
