/**
 * Failed admin authentication (issue 22, point 7): counted by reason (metrics) and per source
 * address, recorded as one aggregated row per address and minute instead of an audit record per
 * request, and throttled per address (429) without ever refusing a valid key or another address.
 */
import { randomBytes } from "node:crypto";
import { Registry } from "prom-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuthFailures, failureAddressOf } from "../src/core/admin-keys/auth-failures.js";
import { operatorContext } from "../src/core/context.js";
import { ManualClock } from "../src/core/ports.js";
import { ADMIN_KEY_PREFIX } from "../src/core/secrets.js";
import { createTestServer, describeEachBackend, type TestServer } from "./harness.js";

const randomKey = () => ADMIN_KEY_PREFIX + randomBytes(32).toString("base64url");

describe("failureAddressOf", () => {
  it("should count an IPv6 address under its /64, and IPv4-mapped IPv6 as IPv4", () => {
    expect(failureAddressOf("2001:db8:1:2:3:4:5:6")).toBe("2001:db8:1:2::/64");
    expect(failureAddressOf("2001:db8:1:2::ffff")).toBe("2001:db8:1:2::/64");
    expect(failureAddressOf("::ffff:203.0.113.7")).toBe("203.0.113.7");
    expect(failureAddressOf("203.0.113.7")).toBe("203.0.113.7");
    expect(failureAddressOf(null)).toBe("unknown");
  });
});

describeEachBackend("failed admin authentication", (backend) => {
  const clock = new ManualClock("2026-05-01T10:00:00.000Z");
  let server: TestServer;
  beforeAll(async () => {
    server = await createTestServer(backend, { clock });
  });
  afterAll(async () => {
    await server?.close();
  });

  const call = (key: string | null, remoteAddress: string) =>
    server.app.inject({
      method: "GET",
      url: "/v1/organizations/me",
      remoteAddress,
      headers: key === null ? {} : { "x-api-key": key },
    });
  const auditCount = async () =>
    (await server.database.db.selectFrom("audit_events").select("id").execute()).length;
  const failureRows = () => server.services.deps.store.read.adminKeys.listAuthFailures("1970");

  it("should write a bounded number of records for a flood of bad keys, and count each", async () => {
    const failures = server.services.adminKeys.failures;
    const before = failures.counts.byReason.unknown_key;
    const auditBefore = await auditCount();
    // 1,200 bad keys over two minutes (clock time), from one IPv4 address and from three
    // addresses of one IPv6 /64 (counted as one): most are refused with 429.
    const addresses = ["198.51.100.9", "2001:db8:5::1", "2001:db8:5::2", "2001:db8:5::3"];
    for (let i = 0; i < 1200; i++) {
      if (i % 15 === 14) {
        clock.advance(1500); // 15 attempts every 1.5 s
      }
      const response = await call(randomKey(), addresses[i % addresses.length] as string);
      expect([401, 429]).toContain(response.statusCode);
    }
    expect(failures.counts.byReason.unknown_key - before).toBe(1200);
    // Not one audit record for them.
    expect(await auditCount()).toBe(auditBefore);

    await failures.flush();
    const rows = (await failureRows()).filter((r) =>
      ["198.51.100.9", "2001:db8:5::/64"].includes(r.client_address),
    );
    // At most one row per address and minute: 2 addresses over 3 minutes (10:00 to 10:02).
    expect(new Set(rows.map((r) => r.minute)).size).toBe(3);
    expect(new Set(rows.map((r) => `${r.minute} ${r.client_address}`)).size).toBe(rows.length);
    expect(rows.length).toBeLessThanOrEqual(6);
    expect(rows.reduce((sum, r) => sum + r.failures, 0)).toBe(1200);
    for (const row of rows) {
      expect(row.minute.endsWith(":00.000Z")).toBe(true);
      expect(row.last_reason).toBe("unknown_key");
    }

    // The counts reach Prometheus by reason, never by address (unbounded label values).
    const registry = new Registry();
    failures.registerMetrics(registry);
    const text = await registry.metrics();
    expect(text).toContain(
      `steward_admin_auth_failures_total{reason="unknown_key"} ${failures.counts.byReason.unknown_key}`,
    );
    expect(text).toMatch(/steward_admin_auth_throttled_total \d+/);
    expect(text).not.toContain("198.51.100.9");
  });

  it("should refuse an address's failures past its limit with 429, never a valid key or another address", async () => {
    clock.advance(10 * 60_000);
    const limit = server.services.adminKeys.failures.options.limit;
    const attacker = "203.0.113.66";
    for (let i = 0; i < limit; i++) {
      expect((await call(randomKey(), attacker)).statusCode).toBe(401);
    }
    const throttled = await call(randomKey(), attacker);
    expect(throttled.statusCode).toBe(429);
    expect(throttled.json()).toMatchObject({
      type: "error",
      error: { type: "rate_limit_error" },
    });
    expect(Number(throttled.headers["retry-after"])).toBeGreaterThan(0);
    expect(Number(throttled.headers["retry-after"])).toBeLessThanOrEqual(60);
    expect((await call(null, attacker)).statusCode).toBe(429);

    // A valid key from the same address works; so does a bad one from elsewhere (401, not 429).
    expect((await call(server.org.adminKey, attacker)).statusCode).toBe(200);
    expect((await call(randomKey(), "203.0.113.67")).statusCode).toBe(401);

    // Once the window is over, the address is counted afresh.
    clock.advance(60_000);
    expect((await call(randomKey(), attacker)).statusCode).toBe(401);

    await server.services.adminKeys.failures.flush();
    const rows = (await failureRows()).filter((r) => r.client_address === attacker);
    expect(rows.reduce((sum, r) => sum + r.throttled, 0)).toBe(2);
  });

  it("should audit a known key's failures once per address and window, and count the rest", async () => {
    clock.advance(10 * 60_000);
    const ctx = operatorContext(server.org.id);
    const { key, adminKey } = await server.services.adminKeys.create(ctx, { name: "leaked" });
    await server.services.adminKeys.revoke(ctx, adminKey.id);
    for (let i = 0; i < 5; i++) {
      expect((await call(key, "192.0.2.10")).statusCode).toBe(401);
    }
    expect((await call(key, "192.0.2.11")).statusCode).toBe(401);
    const records = (await server.services.deps.store.read.audit.list(server.org.id)).filter(
      (r) => r.action === "admin_key.authenticate" && r.target_id === adminKey.id,
    );
    expect(records.map((r) => r.client_ip)).toEqual(["192.0.2.10", "192.0.2.11"]);
    expect(JSON.stringify(records)).not.toContain(key);
    clock.advance(60_000);
    expect((await call(key, "192.0.2.10")).statusCode).toBe(401);
    const after = (await server.services.deps.store.read.audit.list(server.org.id)).filter(
      (r) => r.action === "admin_key.authenticate" && r.target_id === adminKey.id,
    );
    expect(after).toHaveLength(3);
  });

  it("should keep memory bounded: addresses past the cap are forgotten or summed under 'other'", async () => {
    const failures = new AuthFailures(server.services.deps.store, clock, { maxAddresses: 10 });
    clock.advance(10 * 60_000);
    for (let i = 0; i < 50; i++) {
      failures.fail(`10.0.0.${i}`, "unknown_key", null);
      expect(failures.trackedAddresses).toBeLessThanOrEqual(10);
    }
    await failures.flush();
    const minute = new Date(clock.now().getTime() - (clock.now().getTime() % 60_000));
    const rows = (await failureRows()).filter(
      (r) =>
        r.minute === minute.toISOString() &&
        (r.client_address.startsWith("10.0.0.") || r.client_address === "other"),
    );
    expect(rows).toHaveLength(11);
    expect(rows.find((r) => r.client_address === "other")?.failures).toBe(40);
    expect(rows.reduce((sum, r) => sum + r.failures, 0)).toBe(50);
  });

  it("should add the counts of two flushes of one minute, and prune rows past retention", async () => {
    const failures = new AuthFailures(server.services.deps.store, clock, { retentionDays: 1 });
    clock.advance(10 * 60_000);
    failures.fail("192.0.2.99", "missing_key", null);
    await failures.flush();
    failures.fail("192.0.2.99", "api_key", null);
    await failures.flush();
    const mine = async () => (await failureRows()).filter((r) => r.client_address === "192.0.2.99");
    expect(await mine()).toMatchObject([{ failures: 2, last_reason: "api_key" }]);
    clock.advance(2 * 24 * 60 * 60_000);
    await failures.flush(); // the first flush pruned nothing yet; this one is an hour later
    expect(await mine()).toEqual([]);
  });
});
