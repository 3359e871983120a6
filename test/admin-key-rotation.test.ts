import { afterAll, beforeAll, expect, it } from "vitest";
import { MAX_ROTATION_GRACE_SECONDS } from "../src/core/admin-keys/admin-key.service.js";
import type { RequestContext } from "../src/core/context.js";
import { operatorContext } from "../src/core/context.js";
import { ManualClock } from "../src/core/ports.js";
import { createTestServer, describeEachBackend, expectError, type TestServer } from "./harness.js";

const HOUR = 60 * 60 * 1000;
const operator: Omit<RequestContext, "organizationId"> = {
  actor: { type: "operator", id: null },
  requestId: null,
  clientIp: null,
  userAgent: null,
};

describeEachBackend("admin key rotation", (backend) => {
  const clock = new ManualClock("2026-03-01T00:00:00.000Z");
  let server: TestServer;
  beforeAll(async () => {
    server = await createTestServer(backend, { clock });
  });
  afterAll(async () => {
    await server?.close();
  });

  const works = async (key: string) => (await server.get("/v1/organizations", { key })).status;
  const createKey = (name: string, expiresAt?: string) =>
    server.services.adminKeys.create(operatorContext(server.org.id), { name, expiresAt });

  it("should issue a successor and keep the old key working for the grace period, then stop it", async () => {
    const old = await createKey("deploy bot");
    const rotated = await server.services.adminKeys.rotate(operator, old.adminKey.id, {
      graceSeconds: 24 * 3600,
    });
    expect(rotated.key).toMatch(/^sk-ant-admin01-[A-Za-z0-9_-]{64}$/);
    expect(rotated.key).not.toBe(old.key);
    expect(rotated.adminKey).toMatchObject({
      name: "deploy bot",
      organization_id: server.org.id,
      user_id: old.adminKey.user_id,
      status: "active",
      expires_at: null,
    });
    expect(rotated.adminKey.id).not.toBe(old.adminKey.id);
    expect(rotated.previous).toMatchObject({
      id: old.adminKey.id,
      status: "active",
      expires_at: "2026-03-02T00:00:00.000Z",
    });

    expect(await works(old.key)).toBe(200);
    expect(await works(rotated.key)).toBe(200);
    clock.advance(24 * HOUR - 1000);
    expect(await works(old.key)).toBe(200);
    clock.advance(1000);
    const error = expectError(
      await server.get("/v1/organizations", { key: old.key }),
      401,
      "authentication_error",
    );
    expect(error.message).toMatch(/expired/);
    expect(await works(rotated.key)).toBe(200);
    const listed = await server.services.adminKeys.list(server.org.id);
    expect(listed.find((k) => k.id === old.adminKey.id)?.status).toBe("expired");
    expect(listed.find((k) => k.id === rotated.adminKey.id)?.status).toBe("active");
  });

  it("should stop the old key at once with a grace of 0", async () => {
    const old = await createKey("immediate");
    const rotated = await server.services.adminKeys.rotate(operator, old.adminKey.id, {
      graceSeconds: 0,
    });
    expect(rotated.previous.status).toBe("expired");
    expectError(
      await server.get("/v1/organizations", { key: old.key }),
      401,
      "authentication_error",
    );
    expect(await works(rotated.key)).toBe(200);
  });

  it("should not lengthen an old key's life, and the successor should keep its expiry", async () => {
    const expiresAt = new Date(clock.now().getTime() + 2 * HOUR).toISOString();
    const old = await createKey("short-lived", expiresAt);
    const rotated = await server.services.adminKeys.rotate(operator, old.adminKey.id, {
      graceSeconds: 7 * 24 * 3600,
    });
    expect(rotated.previous.expires_at).toBe(expiresAt);
    expect(rotated.adminKey.expires_at).toBe(expiresAt);

    const other = await createKey("renewed", expiresAt);
    const renewed = await server.services.adminKeys.rotate(operator, other.adminKey.id, {
      graceSeconds: 3600,
      expiresAt: "2027-01-01T00:00:00Z",
    });
    expect(renewed.adminKey.expires_at).toBe("2027-01-01T00:00:00.000Z");
    expect(renewed.previous.expires_at).toBe(new Date(clock.now().getTime() + HOUR).toISOString());
  });

  it("should record the rotation with both ids, after the successor's creation", async () => {
    const old = await createKey("audited");
    const rotated = await server.services.adminKeys.rotate(operator, old.adminKey.id, {
      graceSeconds: 1800,
    });
    const records = await server.services.deps.store.read.audit.list(server.org.id);
    const [created, rotation] = records.slice(-2);
    expect(created).toMatchObject({
      action: "admin_key.created",
      target_id: rotated.adminKey.id,
      actor_type: "operator",
    });
    expect(rotation).toMatchObject({
      action: "admin_key.rotated",
      target_type: "admin_key",
      target_id: old.adminKey.id,
      actor_type: "operator",
      outcome: "success",
    });
    const changes = JSON.parse(rotation?.changes ?? "{}");
    expect(changes.before).toMatchObject({ id: old.adminKey.id, expires_at: null });
    expect(changes.after).toMatchObject({
      id: old.adminKey.id,
      successor_id: rotated.adminKey.id,
      grace_seconds: 1800,
      expires_at: new Date(clock.now().getTime() + 1800_000).toISOString(),
    });
    expect(rotation?.changes).not.toContain(rotated.key.slice("sk-ant-admin01-".length));
    expect(rotation?.changes).not.toContain(old.key.slice("sk-ant-admin01-".length));
    // The chain still verifies.
    const verdicts = await server.services.auditLog.verify(server.org.id);
    expect(verdicts.every((v) => v.ok)).toBe(true);
  });

  it("should refuse to rotate a revoked, expired or unknown key, changing nothing", async () => {
    const snapshot = async () => ({
      keys: await server.services.adminKeys.list(),
      audit: (await server.services.deps.store.read.audit.list(server.org.id)).length,
    });

    const revoked = await createKey("revoked");
    await server.services.adminKeys.revoke(operator, revoked.adminKey.id);
    let before = await snapshot();
    await expect(
      server.services.adminKeys.rotate(operator, revoked.adminKey.id, { graceSeconds: 60 }),
    ).rejects.toMatchObject({
      type: "invalid_request_error",
      message: expect.stringMatching(/revoked/),
    });
    expect(await snapshot()).toEqual(before);

    const expiring = await createKey(
      "expiring",
      new Date(clock.now().getTime() + HOUR).toISOString(),
    );
    clock.advance(HOUR);
    before = await snapshot();
    await expect(
      server.services.adminKeys.rotate(operator, expiring.adminKey.id, { graceSeconds: 60 }),
    ).rejects.toMatchObject({
      type: "invalid_request_error",
      message: expect.stringMatching(/expired/),
    });
    expect(await snapshot()).toEqual(before);

    await expect(
      server.services.adminKeys.rotate(operator, "adminkey_01nothing", { graceSeconds: 60 }),
    ).rejects.toMatchObject({ type: "not_found_error" });
    expect(await snapshot()).toEqual(before);
  });

  it("should refuse a grace that is negative, fractional or too long", async () => {
    const key = await createKey("graceless");
    for (const graceSeconds of [-1, 1.5, Number.NaN, MAX_ROTATION_GRACE_SECONDS + 1]) {
      await expect(
        server.services.adminKeys.rotate(operator, key.adminKey.id, { graceSeconds }),
      ).rejects.toMatchObject({
        type: "invalid_request_error",
        message: expect.stringMatching(/grace/),
      });
    }
    await expect(
      server.services.adminKeys.rotate(operator, key.adminKey.id, {
        graceSeconds: 60,
        expiresAt: "2001-01-01T00:00:00Z",
      }),
    ).rejects.toMatchObject({ message: expect.stringMatching(/expires_at/) });
    expect(await works(key.key)).toBe(200);
    expect(
      (await server.services.adminKeys.list(server.org.id)).filter((k) => k.name === "graceless"),
    ).toHaveLength(1);
  });

  it("should let a successor be rotated in turn", async () => {
    const first = await createKey("chain");
    const second = await server.services.adminKeys.rotate(operator, first.adminKey.id, {
      graceSeconds: 60,
    });
    const third = await server.services.adminKeys.rotate(operator, second.adminKey.id, {
      graceSeconds: 60,
    });
    clock.advance(60_000);
    expectError(
      await server.get("/v1/organizations", { key: first.key }),
      401,
      "authentication_error",
    );
    expectError(
      await server.get("/v1/organizations", { key: second.key }),
      401,
      "authentication_error",
    );
    expect(await works(third.key)).toBe(200);
  });
});
