/**
 * The web console's static serving (src/http/console.ts): cache headers, the SPA fallback, the
 * security headers, `/` → /console/, and a clear answer when the console was not built. Serves
 * a stand-in build from a temporary directory, so it runs without Vite.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRuntime } from "../src/runtime.js";
import { createTestDatabase, type TestDatabase } from "./harness.js";

const INDEX =
  '<!doctype html><script type="module" src="/console/assets/index-abc123.js"></script>';
const SCRIPT = "console.log('console');";

interface Served {
  app: FastifyInstance;
  close(): Promise<void>;
}

async function serve(consoleDir: string): Promise<Served> {
  const db: TestDatabase = await createTestDatabase({ name: "sqlite" });
  const runtime = await startRuntime({ database: db.database, http: { consoleDir } });
  return {
    app: runtime.app,
    close: async () => {
      await runtime.close();
      await db.drop();
    },
  };
}

function expectSecurityHeaders(headers: Record<string, unknown>): void {
  expect(headers["content-security-policy"]).toBe(
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; " +
      "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  );
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("same-origin");
}

describe("the console, built", () => {
  let dir: string;
  let served: Served;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "steward-console-"));
    mkdirSync(join(dir, "assets"));
    writeFileSync(join(dir, "index.html"), INDEX);
    writeFileSync(join(dir, "assets/index-abc123.js"), SCRIPT);
    writeFileSync(join(dir, "robots.txt"), "User-agent: *\nDisallow: /\n");
    writeFileSync(join(tmpdir(), "steward-console-outside.txt"), "secret");
    served = await serve(dir);
  });
  afterAll(async () => {
    await served.close();
    rmSync(dir, { recursive: true, force: true });
    rmSync(join(tmpdir(), "steward-console-outside.txt"), { force: true });
  });

  it("should send / to /console/", async () => {
    const response = await served.app.inject({ method: "GET", url: "/" });
    expect(response.statusCode).toBe(302);
    expect(response.headers.location).toBe("/console/");
  });

  it("should serve index.html, never cached stale, with the security headers", async () => {
    for (const url of ["/console/", "/console"]) {
      const response = await served.app.inject({ method: "GET", url });
      expect(response.statusCode, url).toBe(200);
      expect(response.headers["content-type"]).toBe("text/html; charset=utf-8");
      expect(response.headers["cache-control"]).toBe("no-cache");
      expect(response.body).toBe(INDEX);
      expectSecurityHeaders(response.headers);
    }
  });

  it("should answer every client route with index.html (deep links and reloads)", async () => {
    for (const url of [
      "/console/keys",
      "/console/workspaces/wrkspc_01abc",
      "/console/invites/accept?token=abc",
      "/console/sign-in?error=oidc_failed",
      "/console/no/such/page",
    ]) {
      const response = await served.app.inject({ method: "GET", url });
      expect(response.statusCode, url).toBe(200);
      expect(response.body, url).toBe(INDEX);
      expect(response.headers["cache-control"], url).toBe("no-cache");
    }
  });

  it("should cache hashed assets for a year, and other files not at all", async () => {
    const asset = await served.app.inject({
      method: "GET",
      url: "/console/assets/index-abc123.js",
    });
    expect(asset.statusCode).toBe(200);
    expect(asset.body).toBe(SCRIPT);
    expect(asset.headers["content-type"]).toBe("text/javascript; charset=utf-8");
    expect(asset.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expectSecurityHeaders(asset.headers);

    const plain = await served.app.inject({ method: "GET", url: "/console/robots.txt" });
    expect(plain.statusCode).toBe(200);
    expect(plain.headers["cache-control"]).toBe("no-cache");
  });

  it("should answer 404 for a missing file, not index.html", async () => {
    const response = await served.app.inject({ method: "GET", url: "/console/assets/gone-1.js" });
    expect(response.statusCode).toBe(404);
    expect(response.body).not.toContain("<script");
  });

  it("should serve nothing outside its directory", async () => {
    for (const url of [
      "/console/..%2fsteward-console-outside.txt",
      "/console/%2e%2e/steward-console-outside.txt",
      "/console/assets/..%2f..%2fsteward-console-outside.txt",
    ]) {
      const response = await served.app.inject({ method: "GET", url });
      expect(response.statusCode, url).toBe(404);
      expect(response.body, url).not.toContain("secret");
    }
  });

  it("should leave the Admin API to its own authentication", async () => {
    const response = await served.app.inject({ method: "GET", url: "/v1/organizations/users" });
    expect(response.statusCode).toBe(401);
    expect(response.json().type).toBe("error");
  });
});

describe("the console, not built", () => {
  let served: Served;
  beforeAll(async () => {
    served = await serve(join(tmpdir(), "steward-console-never-built"));
  });
  afterAll(async () => {
    await served.close();
  });

  it("should say plainly that it must be built, on every console path", async () => {
    for (const url of ["/console/", "/console/keys"]) {
      const response = await served.app.inject({ method: "GET", url });
      expect(response.statusCode, url).toBe(503);
      expect(response.headers["content-type"]).toBe("text/html; charset=utf-8");
      expect(response.body).toContain("npm run build");
      expectSecurityHeaders(response.headers);
    }
    const health = await served.app.inject({ method: "GET", url: "/healthz" });
    expect(health.statusCode).toBe(200);
  });
});
