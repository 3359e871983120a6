import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bootstrap } from "../src/core/bootstrap.js";
import { createServices } from "../src/core/services.js";
import { Store } from "../src/db/store.js";
import { createTestDatabase, describeEachBackend, type TestDatabase } from "./harness.js";

const INJECTED = `sk-ant-admin01-${"a1B2c3D4".repeat(6)}`;

describeEachBackend("bootstrap", (backend) => {
  let testDb: TestDatabase;
  beforeAll(async () => {
    testDb = await createTestDatabase(backend);
  });
  afterAll(async () => {
    await testDb?.drop();
  });

  it("should create the organization, its owner, the default workspace and an admin key once", async () => {
    const services = createServices(new Store(testDb.database));
    const options = {
      organizationName: "Acme",
      ownerEmail: "root@acme.example",
      ownerName: "Root",
      adminKey: INJECTED,
    };
    const first = await bootstrap(services, options);
    expect(first).toMatchObject({ created: true, adminKey: INJECTED, adminKeyInjected: true });
    const second = await bootstrap(services, options);
    expect(second).toEqual({ created: false, adminKeyIgnored: false });
    // A later start with another key changes nothing, and says the key is not this database's.
    const other = `sk-ant-admin01-${"z9Y8x7W6".repeat(6)}`;
    expect(await bootstrap(services, { ...options, adminKey: other })).toEqual({
      created: false,
      adminKeyIgnored: true,
    });

    const repos = services.deps.store.read;
    const orgs = await repos.organizations.list();
    expect(orgs).toHaveLength(1);
    const orgId = orgs[0]?.id ?? "";
    const owners = await repos.users.list(orgId, { roles: ["owner"] }, { limit: 10 });
    expect(owners.data.map((u) => u.email)).toEqual(["root@acme.example"]);
    expect(await repos.workspaces.findDefault(orgId)).toBeDefined();
    const principal = await services.adminKeys.authenticate(INJECTED, {
      requestId: null,
      clientIp: null,
      userAgent: null,
    });
    expect(principal.organizationId).toBe(orgId);
    const actions = (await repos.audit.list(orgId)).map((r) => r.action);
    expect(actions).toEqual([
      "organization.created",
      "user.created",
      "workspace.created",
      "admin_key.created",
    ]);
  });

  it("should refuse a weak injected admin key", async () => {
    const other = await createTestDatabase(backend);
    try {
      const services = createServices(new Store(other.database));
      await expect(
        bootstrap(services, {
          organizationName: "Acme",
          ownerEmail: "root@acme.example",
          ownerName: "Root",
          adminKey: "sk-ant-admin01-short",
        }),
      ).rejects.toThrow(/at least 32/);
      expect(await services.deps.store.read.organizations.list()).toHaveLength(0);
    } finally {
      await other.drop();
    }
  });
});

describe("npm start (the server process)", () => {
  let dir: string;
  let child: ChildProcess | undefined;
  let output = "";
  // The kernel picks the port (PORT=0) and the server says which: a port chosen here could be
  // taken meanwhile by another suite's connection.
  let port = 0;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "steward-main-"));
    child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
      env: {
        ...process.env,
        PORT: "0",
        HOST: "127.0.0.1",
        DATABASE_URL: `sqlite:${join(dir, "steward.db")}`,
        STEWARD_BOOTSTRAP_ADMIN_KEY: "",
        LOG_LEVEL: "info",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout?.on("data", (chunk) => {
      output += chunk;
    });
    child.stderr?.on("data", (chunk) => {
      output += chunk;
    });
    const deadline = Date.now() + 20_000;
    const listening = /Server listening at http:\/\/127\.0\.0\.1:(\d+)/;
    while (!listening.test(output)) {
      if (Date.now() > deadline || child.exitCode !== null) {
        throw new Error(`server did not start:\n${output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    port = Number(output.match(listening)?.[1]);
  });
  afterAll(() => {
    child?.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });

  it("should hand a generated admin key over in a file of its owner's, and never print or log it (no terminal)", async () => {
    const file = join(dir, "first-admin-key");
    const key = readFileSync(file, "utf8").trim();
    expect(key).toMatch(/^sk-ant-admin01-[A-Za-z0-9_-]+$/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(output).not.toContain(key);
    expect(output.match(/sk-ant-admin01-/g)).toBeNull();
    // The log says where the key is.
    const jsonLines = output.split("\n").filter((line) => line.startsWith("{"));
    expect(jsonLines.some((line) => line.includes(file))).toBe(true);
    const keys = [key];
    const base = `http://127.0.0.1:${port}`;
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(await ready.json()).toEqual({ status: "ready" });
    const org = await fetch(`${base}/v1/organizations`, {
      headers: { "x-api-key": keys[0] ?? "" },
    });
    expect(org.status).toBe(200);
    // The key in a request never reaches the log.
    expect(output).not.toMatch(/x-api-key":\s*"sk-ant/);
  });

  it("should drain and exit 0 on SIGTERM", async () => {
    const exited = new Promise<number | null>((resolve) =>
      child?.once("exit", (code) => resolve(code)),
    );
    child?.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(output).toContain("stopped");
  });
});
