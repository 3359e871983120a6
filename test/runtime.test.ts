/**
 * The composition root (src/runtime.ts): what it starts, in what order it stops, and that what
 * nobody awaits reaches its log.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterEach, beforeEach, expect, it } from "vitest";
import { ManualClock } from "../src/core/ports.js";
import { startRuntime } from "../src/runtime.js";
import { createTestDatabase, describeEachBackend, type TestDatabase } from "./harness.js";

const KEY = "test-anchor-key-0123456789abcdefghijklmnopqrstuvwxyz";
const BOOTSTRAP = { organizationName: "Acme", ownerEmail: "o@acme.example", ownerName: "O" };

/** A pino logger whose lines are kept, parsed. */
function capturingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level: "info" }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { logger, lines };
}

describeEachBackend("runtime", (backend) => {
  let testDb: TestDatabase;
  let dir: string;
  beforeEach(async () => {
    testDb = await createTestDatabase(backend);
    dir = mkdtempSync(join(tmpdir(), "steward-runtime-"));
  });
  afterEach(async () => {
    await testDb?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("anchors at start, and once more at close with the records written meanwhile", async () => {
    const file = join(dir, "anchors.jsonl");
    const clock = new ManualClock("2026-12-01T00:00:00.000Z");
    const runtime = await startRuntime({
      database: testDb.database,
      clock,
      bootstrap: BOOTSTRAP,
      jobs: { auditAnchor: { key: KEY, file, intervalMs: 3_600_000 } },
    });
    const anchors = () =>
      readFileSync(file, "utf8")
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line) as { organization_id: string; head_hash: string });
    const boot = runtime.boot;
    if (!boot?.created) {
      throw new Error("bootstrap did not create the organization");
    }
    const atStart = anchors().filter((a) => a.organization_id === boot.organizationId);
    expect(atStart).toHaveLength(1);

    const created = await runtime.app.inject({
      method: "POST",
      url: "/v1/workspaces",
      headers: { "x-api-key": boot.adminKey, "content-type": "application/json" },
      payload: JSON.stringify({ name: "Late" }),
    });
    expect(created.statusCode).toBe(200);
    clock.advance(1000);
    await runtime.close();

    const atClose = anchors().filter((a) => a.organization_id === boot.organizationId);
    expect(atClose).toHaveLength(2);
    expect(atClose[1]?.head_hash).not.toBe(atClose[0]?.head_hash);
    // Closed once, however often asked.
    await runtime.close();
    expect(anchors().filter((a) => a.organization_id === boot.organizationId)).toHaveLength(2);
  });

  it("logs a usage follower that throws, and the others still hear", async () => {
    const { logger, lines } = capturingLogger();
    const runtime = await startRuntime({ database: testDb.database, logger });
    try {
      const heard: number[] = [];
      runtime.services.usageFeed.subscribe({
        usageRecorded: () => {
          throw new Error("follower broke");
        },
      });
      runtime.services.usageFeed.subscribe({
        usageRecorded: (events) => heard.push(events.length),
      });
      runtime.services.usageFeed.usageRecorded([]);
      expect(heard).toEqual([0]);
      const logged = lines.find((line) => line.level === 50);
      expect(logged?.msg).toMatch(/follower of recorded usage failed/);
      expect((logged?.err as { message?: string })?.message).toBe("follower broke");
    } finally {
      await runtime.close();
    }
  });

  it("answers /readyz through the database it was given, and stops serving at close", async () => {
    const runtime = await startRuntime({ database: testDb.database });
    const ready = await runtime.app.inject({ method: "GET", url: "/readyz" });
    expect(ready.json()).toEqual({ status: "ready" });
    await runtime.close();
    await expect(runtime.app.inject({ method: "GET", url: "/healthz" })).rejects.toThrow();
  });
});
