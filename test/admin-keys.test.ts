import { afterAll, beforeAll, expect, it } from "vitest";
import { createAdminKeyIn } from "../src/core/admin-keys/admin-key.service.js";
import { operatorContext } from "../src/core/context.js";
import { ManualClock } from "../src/core/ports.js";
import { generateSecret } from "../src/core/secrets.js";
import { createTestServer, describeEachBackend, expectError, type TestServer } from "./harness.js";

describeEachBackend("admin keys", (backend) => {
  const clock = new ManualClock("2026-03-01T00:00:00.000Z");
  let server: TestServer;
  beforeAll(async () => {
    server = await createTestServer(backend, { clock });
  });
  afterAll(async () => {
    await server?.close();
  });

  it("should stop working once expired, on the next request", async () => {
    const { key } = await server.services.adminKeys.create(operatorContext(server.org.id), {
      name: "expiring",
      expiresAt: "2026-03-01T01:00:00.000Z",
    });
    expect((await server.get("/v1/organizations", { key })).status).toBe(200);
    clock.advance(60 * 60 * 1000);
    const error = expectError(
      await server.get("/v1/organizations", { key }),
      401,
      "authentication_error",
    );
    expect(error.message).toMatch(/expired/);
  });

  it("should record when a key was last used, without a write per request", async () => {
    const { key, adminKey } = await server.services.adminKeys.create(
      operatorContext(server.org.id),
      {
        name: "tracked",
      },
    );
    const lastUsed = async () =>
      (await server.services.adminKeys.list(server.org.id)).find((k) => k.id === adminKey.id)
        ?.last_used_at;
    expect(await lastUsed()).toBeNull();
    await server.get("/v1/organizations", { key });
    const first = await lastUsed();
    expect(first).toBe(clock.now().toISOString());
    clock.advance(10_000);
    await server.get("/v1/organizations", { key });
    expect(await lastUsed()).toBe(first);
    clock.advance(60_000);
    await server.get("/v1/organizations", { key });
    expect(await lastUsed()).toBe(clock.now().toISOString());
  });

  it("should revoke a removed member's admin keys with them", async () => {
    const invite = await server.post("/v1/users/invite", {
      email: "second@example.com",
      role: "owner",
    });
    const joined = await server.post(
      "/v1/invites/accept",
      { token: invite.body.token },
      { key: null },
    );
    const secret = generateSecret("sk-ant-admin01-");
    await server.services.deps.store.transaction((repos) =>
      createAdminKeyIn(repos, server.services.deps, operatorContext(server.org.id), {
        name: "second owner's key",
        secret,
        userId: joined.body.id,
        expiresAt: null,
      }),
    );
    expect((await server.get("/v1/organizations", { key: secret })).status).toBe(200);
    expect((await server.delete(`/v1/users/${joined.body.id}`)).status).toBe(200);
    expectError(
      await server.get("/v1/organizations", { key: secret }),
      401,
      "authentication_error",
    );
    expect((await server.get("/v1/organizations")).status).toBe(200);
    const audit = await server.services.deps.store.read.audit.list(server.org.id);
    expect(
      audit.some((r) => r.action === "admin_key.revoked" && r.changes.includes(joined.body.id)),
    ).toBe(true);
  });
});
