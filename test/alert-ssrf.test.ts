/**
 * Alert channels cannot be used to reach the network Steward runs in (server-side request
 * forgery): internal destinations are refused when a rule is saved and, on the address actually
 * connected to, when a delivery is sent; redirects are not followed; receivers' answers are never
 * stored; credentials in urls are masked wherever a rule is shown.
 */
import { randomBytes } from "node:crypto";
import { promises as dns, type LookupAddress } from "node:dns";
import type { Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.js";
import { ChannelSender, classify } from "../src/core/alerts/channels.js";
import { maskUrl } from "../src/core/alerts/model.js";
import { OutboundPolicy, RefusedDestinationError } from "../src/core/net/outbound-guard.js";
import { ManualClock } from "../src/core/ports.js";
import { migrate } from "../src/db/connect.js";
import { type Receiver, startReceiver } from "./alert-receivers.js";
import {
  type Backend,
  createEmptyTestDatabase,
  createTestServer,
  describeEachBackend,
  expectError,
  type TestDatabase,
  type TestServer,
} from "./harness.js";
import { channelAt, present } from "./support/narrow.js";

const NOW = "2025-04-28T12:00:00.000Z";

/** The destinations of the issue: every one of them means this machine or its cloud's metadata. */
const INTERNAL_HOSTS = [
  "127.0.0.1",
  "localhost",
  "[::1]",
  "169.254.169.254",
  "metadata.google.internal",
  "0.0.0.0",
  "2130706433",
  "0x7f.1",
  "[::ffff:127.0.0.1]",
  // and their neighbours
  "0177.0.0.1",
  "10.0.0.5",
  "172.16.3.4",
  "192.168.1.1",
  "100.64.0.1",
  "[fd00::1]",
  "[fe80::1]",
  "224.0.0.1",
  "[::]",
  "[::127.0.0.1]",
  "intranet",
  "printer.local",
];

/** Written out to the receiver's port: what Node connects to without a lookup. */
const LOOPBACK_LITERALS = ["127.0.0.1", "2130706433", "0x7f.1", "[::ffff:127.0.0.1]", "0177.0.0.1"];

/** A resolver that answers what the test says for these names, and the system's for others. */
function fakeResolver(names: Record<string, string[]>) {
  return async (hostname: string): Promise<LookupAddress[]> => {
    const addresses = Object.hasOwn(names, hostname) ? names[hostname] : undefined;
    if (!addresses) {
      return dns.lookup(hostname, { all: true });
    }
    return addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
  };
}

function ruleWith(channel: Record<string, unknown>) {
  return {
    name: "Budget",
    scope: { type: "organization" },
    thresholds: [{ type: "usd", amount_usd: 100 }],
    channels: [channel],
  };
}

describeEachBackend("alert channels: outbound requests", (backend: Backend) => {
  let receiver: Receiver;
  let port: string;

  beforeAll(async () => {
    receiver = await startReceiver();
    port = new URL(receiver.url("/")).port;
  });
  afterAll(async () => {
    await receiver?.close();
  });

  describe("with the default policy (nothing internal allowed)", () => {
    let server: TestServer;

    beforeAll(async () => {
      server = await createTestServer(backend, {
        clock: new ManualClock(NOW),
        outbound: {
          allow: [],
          resolve: fakeResolver({
            "rebind.example.com": ["127.0.0.1"],
            "split.example.com": ["93.184.216.34", "127.0.0.1"],
            "metadata.example.com": ["169.254.169.254"],
            "mapped.example.com": ["::ffff:127.0.0.1"],
          }),
        },
      });
    });
    afterAll(async () => {
      await server?.close();
    });

    /** Sends the rule's test message; returns its one delivery. */
    async function sendTest(ruleId: string) {
      const response = await server.post(`/v1/organizations/alert_rules/${ruleId}/test`);
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      return response.body.data[0];
    }

    it("refuses every internal destination when a rule is created or updated, naming the field", async () => {
      const before = receiver.received.length;
      for (const host of INTERNAL_HOSTS) {
        const url = `http://${host}:${port}/hook`;
        const cases: [Record<string, unknown>, string][] = [
          [{ type: "webhook", url }, "channels[0].url"],
          [{ type: "slack", webhook_url: url }, "channels[0].webhook_url"],
          [{ type: "pagerduty", routing_key: "R0UTINGKEY", url }, "channels[0].url"],
        ];
        for (const [channel, field] of cases) {
          const response = await server.post("/v1/organizations/alert_rules", ruleWith(channel));
          const error = expectError(response, 400, "invalid_request_error");
          expect(error.message, `${host} as ${field}`).toContain(`${field}: `);
          expect(error.message).toContain("OUTBOUND_ALLOW");
        }
      }
      const created = await server.post(
        "/v1/organizations/alert_rules",
        ruleWith({ type: "webhook", url: "https://hooks.example.com/steward" }),
      );
      expect(created.status).toBe(200);
      const update = await server.post(`/v1/organizations/alert_rules/${created.body.id}`, {
        channels: [
          { type: "email", to: ["a@example.com"] },
          { type: "webhook", url: `http://169.254.169.254/latest/meta-data/` },
        ],
      });
      expect(expectError(update, 400, "invalid_request_error").message).toMatch(
        /^channels\[1\]\.url: 169\.254\.169\.254 is a link-local address/,
      );
      const list = await server.get("/v1/organizations/alert_rules", { query: { limit: 100 } });
      expect(list.body.data.map((r) => r.id)).toEqual([created.body.id]);
      expect(receiver.received.length).toBe(before);
    });

    it("refuses at connect time a name that resolves to an internal address, sending nothing", async () => {
      const before = receiver.received.length;
      for (const name of [
        "rebind.example.com",
        "split.example.com",
        "metadata.example.com",
        "mapped.example.com",
      ]) {
        const created = await server.post(
          "/v1/organizations/alert_rules",
          ruleWith({ type: "webhook", url: `http://${name}:${port}/rebind` }),
        );
        expect(created.status, name).toBe(200); // nothing to see until it is resolved
        const delivery = await sendTest(created.body.id);
        expect(delivery, name).toMatchObject({
          status: "pending",
          last_error: "refused_address",
          attempts: [{ status_code: null, error: "refused_address" }],
        });
      }
      expect(receiver.received.length).toBe(before);
    });

    it("refuses at connect time an internal address stored before the check (every spelling)", async () => {
      const created = await server.post(
        "/v1/organizations/alert_rules",
        ruleWith({ type: "webhook", url: "https://hooks.example.com/old" }),
      );
      const before = receiver.received.length;
      // Rules saved by an older Steward, or slipped past the early check: the connection decides.
      for (const host of [...LOOPBACK_LITERALS, "localhost", "[::1]"]) {
        const url = `http://${host}:${port}/stored`;
        await server.services.deps.store.transaction((repos) =>
          repos.alerts.updateRule(created.body.id, {
            channels: JSON.stringify([
              { type: "webhook", url, secret: "whsec_0123456789abcdef" },
              { type: "slack", webhook_url: url },
              { type: "pagerduty", routing_key: "R0UTINGKEY", url },
            ]),
          }),
        );
        const response = await server.post(`/v1/organizations/alert_rules/${created.body.id}/test`);
        expect(response.status).toBe(200);
        for (const delivery of response.body.data) {
          expect(delivery.attempts, `${host} ${delivery.channel.type}`).toEqual([
            expect.objectContaining({ status_code: null, error: "refused_address" }),
          ]);
        }
      }
      expect(receiver.received.length).toBe(before);
    });
  });

  describe("with the operator's allow-list", () => {
    let server: TestServer;

    beforeAll(async () => {
      server = await createTestServer(backend, {
        clock: new ManualClock(NOW),
        outbound: {
          allow: ["127.0.0.0/8", "hooks.internal.example"],
          resolve: fakeResolver({
            "hooks.internal.example": ["127.0.0.1"],
            "elsewhere.internal.example": ["10.1.2.3"],
          }),
        },
      });
    });
    afterAll(async () => {
      await server?.close();
    });

    async function testRule(channel: Record<string, unknown>) {
      const created = await server.post("/v1/organizations/alert_rules", ruleWith(channel));
      expect(created.status, JSON.stringify(created.body)).toBe(200);
      const tested = await server.post(`/v1/organizations/alert_rules/${created.body.id}/test`);
      expect(tested.status).toBe(200);
      return { rule: created.body, delivery: present(tested.body.data[0], "a delivery") };
    }

    it("delivers to allowed receivers, by address range and by name", async () => {
      for (const host of ["127.0.0.1", "2130706433", "hooks.internal.example"]) {
        const path = `/allowed-${host.replace(/\W/g, "")}`;
        const { delivery } = await testRule({
          type: "webhook",
          url: `http://${host}:${port}${path}`,
        });
        expect(delivery, host).toMatchObject({ status: "delivered", last_error: null });
        expect(receiver.ok(path), host).toHaveLength(1);
      }
      // Only what is listed: another internal name is refused when it is saved.
      const other = await server.post(
        "/v1/organizations/alert_rules",
        ruleWith({ type: "webhook", url: "http://10.1.2.3/hook" }),
      );
      expectError(other, 400, "invalid_request_error");
    });

    it("does not follow a redirect, not even to an allowed address", async () => {
      receiver.setAnswer("/redirect", {
        status: 302,
        headers: { location: receiver.url("/redirected") },
      });
      receiver.setAnswer("/to-metadata", {
        status: 307,
        headers: { location: "http://169.254.169.254/latest/meta-data/" },
      });
      for (const path of ["/redirect", "/to-metadata"]) {
        const { delivery } = await testRule({ type: "webhook", url: receiver.url(path) });
        expect(delivery).toMatchObject({
          status: "pending",
          last_error: "redirect",
          attempts: [{ status_code: path === "/redirect" ? 302 : 307, error: "redirect" }],
        });
      }
      expect(receiver.received.filter((r) => r.path === "/redirected")).toEqual([]);
    });

    it("stores a status and an error class, never the receiver's answer", async () => {
      const leak = `internal-secret-${randomBytes(6).toString("hex")}`;
      receiver.setAnswer("/leaky-500", { status: 500, body: `{"error":"${leak}"}` });
      receiver.setAnswer("/leaky-404", { status: 404, body: `no such page; ${leak}` });
      receiver.setAnswer("/leaky-200", { status: 200, body: leak });
      const results = [];
      for (const path of ["/leaky-500", "/leaky-404", "/leaky-200"]) {
        const { rule, delivery } = await testRule({ type: "webhook", url: receiver.url(path) });
        results.push(delivery);
        const listed = await server.get("/v1/organizations/alert_deliveries", {
          query: { rule_id: rule.id, limit: 100 },
        });
        const one = await server.get(`/v1/organizations/alert_deliveries/${delivery.id}`);
        for (const body of [delivery, listed.body, one.body]) {
          expect(JSON.stringify(body)).not.toContain(leak);
        }
      }
      expect(results.map((d) => [d.attempts[0]?.status_code, d.attempts[0]?.error])).toEqual([
        [500, "http_5xx"],
        [404, "http_4xx"],
        [200, null],
      ]);
      expect(results.map((d) => d.last_error)).toEqual(["http_5xx", "http_4xx", null]);
    });

    it("masks credentials and query tokens in responses, lists, deliveries and audit records", async () => {
      const token = `tok${randomBytes(8).toString("hex")}`;
      const password = `pw${randomBytes(8).toString("hex")}`;
      const webhookUrl = `http://hookuser:${password}@127.0.0.1:${port}/masked?token=${token}`;
      const pagerDutyUrl = `http://127.0.0.1:${port}/pd-masked?key=${token}#${token}`;
      const created = await server.post("/v1/organizations/alert_rules", {
        ...ruleWith({ type: "webhook", url: webhookUrl }),
        channels: [
          { type: "webhook", url: webhookUrl },
          { type: "pagerduty", routing_key: "R0UTINGKEY", url: pagerDutyUrl },
        ],
      });
      expect(created.status).toBe(200);
      const maskedWebhook = `http://…@127.0.0.1:${port}/masked?…`;
      const maskedPagerDuty = `http://127.0.0.1:${port}/pd-masked?…#…`;
      expect(created.body.channels.map((c) => ("url" in c ? c.url : undefined))).toEqual([
        maskedWebhook,
        maskedPagerDuty,
      ]);

      const id = created.body.id as string;
      const fetched = await server.get(`/v1/organizations/alert_rules/${id}`);
      const listed = await server.get("/v1/organizations/alert_rules", { query: { limit: 1000 } });
      expect(fetched.body.channels.map((c) => ("url" in c ? c.url : undefined))).toEqual([
        maskedWebhook,
        maskedPagerDuty,
      ]);

      // Read, changed and written back whole: the masked urls stand for the stored ones.
      const updated = await server.post(`/v1/organizations/alert_rules/${id}`, {
        name: "Renamed",
        channels: fetched.body.channels.map((c) =>
          c.type === "webhook"
            ? { type: "webhook", url: c.url }
            : { type: "pagerduty", routing_key: "R0UTINGKEY", url: "url" in c ? c.url : undefined },
        ),
      });
      expect(updated.status, JSON.stringify(updated.body)).toBe(200);
      expect(channelAt(updated.body, 0, "webhook").secret).toBeNull(); // the same webhook: its secret is kept
      const unknown = await server.post(`/v1/organizations/alert_rules/${id}`, {
        channels: [{ type: "webhook", url: `http://…@127.0.0.1:${port}/elsewhere?…` }],
      });
      expect(expectError(unknown, 400, "invalid_request_error").message).toMatch(
        /^channels\[0\]\.url: .* is a masked url this rule does not have; give the whole url/,
      );

      const tested = await server.post(`/v1/organizations/alert_rules/${id}/test`);
      expect(tested.body.data.map((d) => [d.status, d.channel.target])).toEqual([
        ["delivered", maskedWebhook],
        ["delivered", `${maskedPagerDuty} (routing key …GKEY)`],
      ]);
      // Delivered to the whole urls.
      const [hook] = receiver.ok(`/masked?token=${token}`);
      expect(hook?.headers.authorization).toBe(
        `Basic ${Buffer.from(`hookuser:${password}`).toString("base64")}`,
      );
      expect(receiver.ok(`/pd-masked?key=${token}`)).toHaveLength(1);

      const deliveries = await server.get("/v1/organizations/alert_deliveries", {
        query: { rule_id: id, limit: 100 },
      });
      const audit = await server.get("/v1/organizations/audit_logs", {
        query: { target_type: "alert_rule", target_id: id, limit: 100 },
      });
      expect(audit.body.data.map((r) => r.action)).toEqual([
        "alert_rule.created",
        "alert_rule.updated",
        "alert_rule.tested",
      ]);
      for (const body of [
        created.body,
        fetched.body,
        listed.body,
        updated.body,
        tested.body,
        deliveries.body,
        audit.body,
      ]) {
        const text = JSON.stringify(body);
        expect(text).not.toContain(token);
        expect(text).not.toContain(password);
      }
    });
  });
});

describe("outbound policy", () => {
  it("reads the allow-list: hostnames, addresses and CIDRs, and refuses anything else", () => {
    const policy = new OutboundPolicy({
      allow: ["Hooks.Internal.Example.", "10.0.0.0/8", "::1", "*.svc.example"],
    });
    expect(policy.nameAllowed("hooks.internal.example")).toBe(true);
    expect(policy.nameAllowed("a.b.svc.example")).toBe(true);
    expect(policy.nameAllowed("svc.example")).toBe(false);
    expect(policy.nameAllowed("evilsvc.example")).toBe(false);
    expect(policy.nameAllowed("internal.example")).toBe(false);
    expect(policy.addressRefusal("10.200.0.1")).toBeUndefined();
    expect(policy.addressRefusal("::ffff:10.0.0.1")).toBeUndefined(); // judged as its IPv4
    expect(policy.addressRefusal("::1")).toBeUndefined();
    expect(policy.addressRefusal("127.0.0.1")).toBe("loopback");
    expect(policy.addressRefusal("192.168.0.1")).toBe("private");
    expect(policy.urlRefusal("http://hooks.internal.example/x")).toBeUndefined();
    expect(policy.urlRefusal("http://other.internal/x")).toMatch(/local name/);
    expect(() => new OutboundPolicy({ allow: ["http://x/"] })).toThrow(/neither a hostname/);
    expect(() => loadConfig({ OUTBOUND_ALLOW: "hooks.example, 10.0.0.0/33" })).toThrow(
      /OUTBOUND_ALLOW: "10\.0\.0\.0\/33" is neither/,
    );
    expect(loadConfig({ OUTBOUND_ALLOW: " hooks.example , 10.0.0.0/8 " }).OUTBOUND_ALLOW).toEqual([
      "hooks.example",
      "10.0.0.0/8",
    ]);
    expect(loadConfig({}).OUTBOUND_ALLOW).toEqual([]);
  });

  it("passes public addresses and refuses every special-purpose one", () => {
    const policy = new OutboundPolicy();
    for (const address of ["93.184.216.34", "8.8.8.8", "2606:4700::1111", "::ffff:8.8.8.8"]) {
      expect(policy.addressRefusal(address), address).toBeUndefined();
    }
    for (const address of [
      "127.0.0.1",
      "0.0.0.0",
      "169.254.169.254",
      "10.0.0.1",
      "100.64.0.1",
      "192.0.2.1",
      "255.255.255.255",
      "::",
      "::1",
      "::ffff:127.0.0.1",
      "::ffff:169.254.169.254",
      "::127.0.0.1",
      "fe80::1",
      "fd12:3456::1",
      "ff02::1",
      "64:ff9b::7f00:1",
      "2002:7f00:1::",
    ]) {
      expect(policy.addressRefusal(address), address).toBeDefined();
    }
  });

  it("classes connection errors so that they do not tell ports apart", () => {
    const errno = (code: string) =>
      Object.assign(new Error(`connect ${code} 1.2.3.4:22`), { code });
    for (const code of ["ECONNREFUSED", "ECONNRESET", "EHOSTUNREACH", "ENETUNREACH", "EPIPE"]) {
      expect(classify(errno(code)), code).toBe("connection_failed");
    }
    expect(classify(new RefusedDestinationError("x"))).toBe("refused_address");
    expect(classify(errno("ENOTFOUND"))).toBe("dns_failed");
    expect(classify(errno("UND_ERR_HEADERS_TIMEOUT"))).toBe("timeout");
    expect(classify(new DOMException("timed out", "TimeoutError"))).toBe("timeout");
    expect(classify(errno("DEPTH_ZERO_SELF_SIGNED_CERT"))).toBe("tls");
    expect(classify(errno("ERR_TLS_CERT_ALTNAME_INVALID"))).toBe("tls");
  });

  it("records a mail server's refusal as email_failed, and tells the operator's log why", async () => {
    const told: unknown[] = [];
    const sender = new ChannelSender({
      timeoutMs: 1000,
      mailer: { send: () => Promise.reject(new Error("535 authentication failed")) },
      onMailError: (error) => told.push(error),
    });
    try {
      const outcome = await sender.send(
        { type: "email", to: ["finance@example.com"] },
        { message: {} as never, deliveryId: "d", dedupKey: "k", now: 0 },
      );
      expect(outcome).toEqual({ ok: false, statusCode: null, error: "email_failed" });
      expect(String(told[0])).toContain("535 authentication failed");
    } finally {
      await sender.close();
    }
  });

  it("masks urls", () => {
    expect(maskUrl("https://hooks.example.com/steward")).toBe("https://hooks.example.com/steward");
    expect(maskUrl("https://u:p@hooks.example.com/a?x=1#f")).toBe(
      "https://…@hooks.example.com/a?…#…",
    );
    expect(maskUrl("https://:p@hooks.example.com/")).toBe("https://…@hooks.example.com/");
  });
});

describeEachBackend("migration 0016-alert-delivery-error-classes", (backend) => {
  let testDb: TestDatabase;
  beforeAll(async () => {
    testDb = await createEmptyTestDatabase(backend);
  });
  afterAll(async () => {
    await testDb?.drop();
  });

  it("replaces the stored error texts (receivers' answers included) by their class", async () => {
    const { database } = testDb;
    await migrate(database, "0005-cost-alerts");
    const db = database.db as Kysely<any>;
    const old: [string, string | null, string][] = [
      // [channel type, error as stored before, its class]
      ["webhook", 'HTTP 500: {"secret":"internal-data"}', "http_5xx"],
      ["webhook", "HTTP 404: <html>admin console</html>", "http_4xx"],
      ["webhook", "HTTP 302", "redirect"],
      ["webhook", "ECONNREFUSED: connect ECONNREFUSED 10.0.0.5:5432", "connection_failed"],
      ["webhook", "EHOSTUNREACH: connect EHOSTUNREACH 10.0.0.6:22", "connection_failed"],
      ["slack", "timed out", "timeout"],
      ["webhook", "UND_ERR_HEADERS_TIMEOUT: Headers Timeout Error", "timeout"],
      ["webhook", "ENOTFOUND: getaddrinfo ENOTFOUND nowhere.example", "dns_failed"],
      ["webhook", "DEPTH_ZERO_SELF_SIGNED_CERT: self-signed certificate", "tls"],
      ["email", "email is not configured (SMTP_URL)", "email_not_configured"],
      ["email", "Invalid login: 535 5.7.8 Error: authentication failed", "email_failed"],
      ["webhook", null, ""],
    ];
    for (const [i, [type, error]] of old.entries()) {
      await db
        .insertInto("alert_deliveries")
        .values({
          id: `alertdlv_${i}`,
          organization_id: "org_1",
          rule_id: "alertrule_1",
          firing_id: null,
          kind: "test",
          channel: JSON.stringify({ type, url: "http://10.0.0.5/" }),
          message: "{}",
          status: "failed",
          attempt_count: 1,
          next_attempt_at: NOW,
          expires_at: NOW,
          created_at: NOW,
          updated_at: NOW,
          delivered_at: null,
          last_error: error,
        })
        .execute();
      await db
        .insertInto("alert_delivery_attempts")
        .values({
          id: `alertatt_${i}`,
          organization_id: "org_1",
          delivery_id: `alertdlv_${i}`,
          attempted_at: NOW,
          status_code: null,
          error,
          duration_ms: 1,
        })
        .execute();
    }
    expect(await migrate(database)).toContain("0016-alert-delivery-error-classes");

    const deliveries = await db
      .selectFrom("alert_deliveries")
      .select(["id", "last_error"])
      .execute();
    const attempts = await db
      .selectFrom("alert_delivery_attempts")
      .select(["delivery_id", "error"])
      .execute();
    const expected = old.map(([, error, cls], i) => [`alertdlv_${i}`, error === null ? null : cls]);
    const byId = (rows: [string, unknown][]) => rows.sort((a, b) => (a[0] < b[0] ? -1 : 1));
    expect(byId(deliveries.map((d) => [d.id, d.last_error]))).toEqual(byId(expected as never));
    expect(byId(attempts.map((a) => [a.delivery_id, a.error]))).toEqual(byId(expected as never));
  });
});
