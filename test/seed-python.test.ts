/**
 * The seed chapter's own Python client (test/seed/seed_client.py, the chapter's code with only the
 * base URL changed) against a listening server, on each backend: every section, 64.7's get_usage
 * and CostAlertSystem included (the chapter cannot record usage, so this test ingests some first).
 * It needs Debian's python3-httpx for /usr/bin/python3; without it the test is reported as
 * skipped, with the reason.
 */
import { execFile, spawnSync } from "node:child_process";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createAdminKeyIn } from "../src/core/admin-keys/admin-key.service.js";
import { operatorContext } from "../src/core/context.js";
import { ADMIN_KEY_PREFIX, generateSecret } from "../src/core/secrets.js";
import { createTestServer, describeEachBackend, type TestServer } from "./harness.js";

const PYTHON = "/usr/bin/python3";
const SCRIPT = fileURLToPath(new URL("./seed/seed_client.py", import.meta.url));

function httpxProblem(): string | undefined {
  const probe = spawnSync(PYTHON, ["-c", "import httpx"], { encoding: "utf8" });
  if (probe.error) {
    return `${PYTHON} cannot run (${probe.error.message})`;
  }
  if (probe.status !== 0) {
    return `${PYTHON} has no httpx (${probe.stderr.trim().split("\n").at(-1)}); install python3-httpx`;
  }
  return undefined;
}

const skipReason = httpxProblem();
if (skipReason !== undefined) {
  console.warn(`Seed Python client test SKIPPED: ${skipReason}`);
}

function runPython(
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // Asynchronous on purpose: the server answering the script runs in this process.
    execFile(
      PYTHON,
      [SCRIPT],
      { env: { ...process.env, ...env }, timeout: 120_000, maxBuffer: 10 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : 1;
        resolve({ code, stdout, stderr: error?.killed ? `${stderr}\n(killed: timeout)` : stderr });
      },
    );
  });
}

describeEachBackend("seed chapter Python client", (backend) => {
  let server: TestServer;
  let baseUrl: string;

  beforeAll(async () => {
    server = await createTestServer(backend);
    await server.app.listen({ port: 0, host: "127.0.0.1" });
    const { port } = server.app.server.address() as AddressInfo;
    baseUrl = `http://127.0.0.1:${port}/v1`;
  });
  afterAll(async () => {
    await server?.close();
  });

  it.skipIf(skipReason !== undefined)(
    "runs every function of the chapter's client against Steward",
    async () => {
      // A member with an admin key of their own (so an admin: only admins and owners may hold
      // admin keys): keys they create carry created_by.id of the member, which
      // offboard_developer looks for.
      const invite = await server.post("/v1/users/invite", {
        email: "dev@acme.example",
        role: "admin",
      });
      const developer = await server.post(
        "/v1/invites/accept",
        { token: invite.body.token, name: "Dev Eloper" },
        { key: null },
      );
      expect(developer.status).toBe(200);
      const developerKey = generateSecret(ADMIN_KEY_PREFIX);
      await server.services.deps.store.transaction((repos) =>
        createAdminKeyIn(repos, server.services.deps, operatorContext(server.org.id), {
          name: "developer's admin key",
          secret: developerKey,
          userId: developer.body.id,
          expiresAt: null,
        }),
      );

      // Most of the 100-plus members list_all_users pages through are added here, in process;
      // the script invites and admits the rest itself.
      for (let i = 0; i < 100; i++) {
        const sent = await server.post("/v1/users/invite", {
          email: `member${i}@acme.example`,
          role: "user",
        });
        const joined = await server.post(
          "/v1/invites/accept",
          { token: sent.body.token },
          { key: null },
        );
        expect(joined.status).toBe(200);
      }

      // 64.7 reads the usage of this month: two requests, just now, in the default workspace.
      // $40 given with the event, and $2 from the price table (1M input and 200k output tokens of
      // claude-haiku-4-5 at $1 and $5 per million).
      const usedAt = new Date().toISOString();
      const ingested = await server.post("/v1/usage/events", {
        events: [
          {
            id: "seed-usage-opus",
            timestamp: usedAt,
            workspace_id: server.org.defaultWorkspaceId,
            model: "claude-opus-4-5",
            input_tokens: 1200,
            output_tokens: 300,
            cost_usd: 40,
          },
          {
            id: "seed-usage-haiku",
            timestamp: usedAt,
            workspace_id: server.org.defaultWorkspaceId,
            model: "claude-haiku-4-5",
            input_tokens: 1_000_000,
            output_tokens: 200_000,
          },
        ],
      });
      expect(ingested.body).toEqual({ accepted: 2, duplicates: 0, rejected: [] });

      const result = await runPython({
        ADMIN_BASE_URL: baseUrl,
        ANTHROPIC_ADMIN_KEY: server.org.adminKey,
        SEED_DEVELOPER_USER_ID: developer.body.id,
        SEED_DEVELOPER_ADMIN_KEY: developerKey,
        SEED_USAGE_AT: usedAt,
        SEED_USAGE_COST_USD: "42",
        // CostAlertSystem takes the month from the local time; Steward's months are UTC.
        TZ: "UTC",
        PYTHONDONTWRITEBYTECODE: "1",
      });
      expect(result.code, `seed_client.py failed:\n${result.stdout}\n${result.stderr}`).toBe(0);
      expect(result.stdout).toMatch(/seed client: all \d+ checks passed/);
    },
    150_000,
  );
});
