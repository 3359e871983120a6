import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildMessage } from "../src/core/alerts/model.js";
import type { Mailer } from "../src/core/mail/mailer.js";
import { ManualClock } from "../src/core/ports.js";
import { startRuntime } from "../src/runtime.js";
import { type Receiver, startReceiver, verifySignature } from "./alert-receivers.js";
import { ask, type GatewayEnv, startGatewayEnv } from "./gateway-support.js";
import {
  type Backend,
  createTestDatabase,
  createTestServer,
  describeEachBackend,
  expectError,
  type OrgFixture,
  type TestServer,
} from "./harness.js";
import { channelAt, present } from "./support/narrow.js";

const NOW = "2025-04-28T12:00:00.000Z";
const SECRET = "whsec_test_secret_0123456789abcdef";
let eventCounter = 0;

function usageEvent(workspaceId: string, costUsd: number, timestamp = "2025-04-28T11:00:00Z") {
  eventCounter += 1;
  return {
    id: `alert_evt_${eventCounter}`,
    timestamp,
    workspace_id: workspaceId,
    model: "claude-opus-4-5",
    input_tokens: 100,
    output_tokens: 10,
    cost_usd: costUsd,
  };
}

describeEachBackend("cost alerts", (backend) => {
  let server: TestServer;
  let clock: ManualClock;
  let receiver: Receiver;

  beforeAll(async () => {
    clock = new ManualClock(NOW);
    server = await createTestServer(backend, { clock });
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await server?.close();
    await receiver?.close();
  });

  /** An organization of its own per test, so that rules and spend do not mix. */
  async function newOrg(): Promise<{ org: OrgFixture; workspaceId: string }> {
    const org = await server.createOrganization();
    return { org, workspaceId: org.defaultWorkspaceId };
  }

  async function ingest(org: OrgFixture, events: unknown[]): Promise<void> {
    const response = await server.post("/v1/usage/events", { events }, { key: org.adminKey });
    expect(response.status).toBe(200);
    expect(response.body.rejected).toEqual([]);
  }

  /** Evaluation done, then one dispatch round; returns the attempts made. */
  async function dispatch(): Promise<number> {
    await server.services.alerts.settle();
    return server.services.alerts.dispatcher.runDue();
  }

  async function createRule(org: OrgFixture, body: Record<string, unknown>) {
    const response = await server.post("/v1/organizations/alert_rules", body, {
      key: org.adminKey,
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body;
  }

  async function deliveries(org: OrgFixture, query: Record<string, string> = {}) {
    const response = await server.get("/v1/organizations/alert_deliveries", {
      key: org.adminKey,
      query: { limit: 100, ...query },
    });
    expect(response.status).toBe(200);
    return response.body.data;
  }

  async function firstDelivery(org: OrgFixture, query: Record<string, string> = {}) {
    return present((await deliveries(org, query))[0], "a delivery");
  }

  describe("rules", () => {
    it("creates, lists with cursors, gets, updates and deletes, with every change audited", async () => {
      const { org, workspaceId } = await newOrg();
      const created = await createRule(org, {
        name: "Monthly budget",
        scope: { type: "workspace", workspace_id: workspaceId },
        thresholds: [{ type: "usd", amount_usd: 100 }],
        channels: [
          { type: "webhook", url: receiver.url("/crud") },
          { type: "pagerduty", routing_key: "R0UTINGKEY1234" },
        ],
      });
      expect(created).toMatchObject({
        type: "alert_rule",
        name: "Monthly budget",
        scope: { type: "workspace", workspace_id: workspaceId },
        period: "month",
        enabled: true,
        channels: [
          { type: "webhook", url: receiver.url("/crud") },
          {
            type: "pagerduty",
            routing_key: "R0UTINGKEY1234",
            url: "https://events.pagerduty.com/v2/enqueue",
          },
        ],
      });
      const secret = present(channelAt(created, 0, "webhook").secret);
      expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{40,}$/);

      const fetched = await server.get(`/v1/organizations/alert_rules/${created.id}`, {
        key: org.adminKey,
      });
      expect(fetched.status).toBe(200);
      const fetchedWebhook = channelAt(fetched.body, 0, "webhook");
      expect(fetchedWebhook.secret).toBeNull();
      expect(fetchedWebhook.secret_hint).toBe(`whsec_…${secret.slice(-4)}`);

      const second = await createRule(org, {
        name: "Daily",
        scope: { type: "organization" },
        period: "day",
        thresholds: [{ type: "usd", amount_usd: 5 }],
        channels: [{ type: "slack", webhook_url: receiver.url("/slack-crud") }],
      });
      // A Slack webhook url is a credential: shown in the response that set it, then a hint.
      expect(channelAt(second, 0, "slack").webhook_url).toBe(receiver.url("/slack-crud"));
      const secondFetched = await server.get(`/v1/organizations/alert_rules/${second.id}`, {
        key: org.adminKey,
      });
      expect(secondFetched.body.channels[0]).toEqual({
        type: "slack",
        webhook_url: null,
        webhook_url_hint: `${new URL(receiver.url("/")).origin}/…${"/slack-crud".slice(-4)}`,
      });
      const third = await createRule(org, {
        name: "Third",
        scope: { type: "organization" },
        thresholds: [{ type: "usd", amount_usd: 1 }],
        channels: [{ type: "webhook", url: receiver.url("/x"), secret: SECRET }],
        enabled: false,
      });
      expect(channelAt(third, 0, "webhook").secret).toBe(SECRET);
      const page1 = await server.get("/v1/organizations/alert_rules", {
        key: org.adminKey,
        query: { limit: 2 },
      });
      expect(page1.body.data.map((r) => r.id)).toEqual([created.id, second.id]);
      expect(page1.body.has_more).toBe(true);
      const page2 = await server.get("/v1/organizations/alert_rules", {
        key: org.adminKey,
        query: { limit: 2, after_id: present(page1.body.last_id) },
      });
      expect(page2.body.data.map((r) => r.id)).toEqual([third.id]);
      expect(page2.body.has_more).toBe(false);

      // An update naming the same webhook url keeps its secret (and does not show it).
      const updated = await server.post(
        `/v1/organizations/alert_rules/${created.id}`,
        {
          name: "Monthly budget (team)",
          thresholds: [
            { type: "usd", amount_usd: 50 },
            { type: "usd", amount_usd: 100 },
          ],
          channels: [{ type: "webhook", url: receiver.url("/crud") }],
        },
        { key: org.adminKey },
      );
      expect(updated.status).toBe(200);
      expect(updated.body.name).toBe("Monthly budget (team)");
      expect(updated.body.channels).toEqual([
        expect.objectContaining({ secret: null, secret_hint: `whsec_…${secret.slice(-4)}` }),
      ]);
      // Another url gets a new secret, shown in that response.
      const moved = await server.post(
        `/v1/organizations/alert_rules/${created.id}`,
        { channels: [{ type: "webhook", url: receiver.url("/crud2") }] },
        { key: org.adminKey },
      );
      const movedSecret = present(channelAt(moved.body, 0, "webhook").secret);
      expect(movedSecret).toMatch(/^whsec_/);
      expect(movedSecret).not.toBe(secret);

      const deleted = await server.delete(`/v1/organizations/alert_rules/${created.id}`, {
        key: org.adminKey,
      });
      expect(deleted.body).toEqual({ id: created.id, type: "alert_rule_deleted" });
      expectError(
        await server.get(`/v1/organizations/alert_rules/${created.id}`, { key: org.adminKey }),
        404,
        "not_found_error",
      );
      // Another organization does not see the rules.
      expectError(
        await server.get(`/v1/organizations/alert_rules/${second.id}`),
        404,
        "not_found_error",
      );

      const audit = await server.get("/v1/organizations/audit_logs", {
        key: org.adminKey,
        query: { target_type: "alert_rule", limit: 100 },
      });
      expect(audit.body.data.map((r) => r.action)).toEqual([
        "alert_rule.created",
        "alert_rule.created",
        "alert_rule.created",
        "alert_rule.updated",
        "alert_rule.updated",
        "alert_rule.deleted",
      ]);
      const text = JSON.stringify(audit.body);
      expect(text).not.toContain(secret);
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain("R0UTINGKEY1234");
      expect(text).not.toContain(movedSecret);
    });

    it("refuses invalid rules with a 400 naming the problem", async () => {
      const { org, workspaceId } = await newOrg();
      const valid = {
        name: "r",
        scope: { type: "organization" },
        thresholds: [{ type: "usd", amount_usd: 10 }],
        channels: [{ type: "webhook", url: receiver.url("/v") }],
      };
      const bad = async (body: unknown, message: RegExp) => {
        const response = await server.post("/v1/organizations/alert_rules", body, {
          key: org.adminKey,
        });
        expect(expectError(response, 400, "invalid_request_error").message).toMatch(message);
      };
      await bad({ ...valid, thresholds: [] }, /thresholds/);
      await bad(
        {
          ...valid,
          thresholds: [
            { type: "usd", amount_usd: 10 },
            { type: "usd", amount_usd: 10 },
          ],
        },
        /once/,
      );
      await bad({ ...valid, thresholds: [{ type: "usd", amount_usd: -1 }] }, /thresholds/);
      await bad({ ...valid, thresholds: [{ type: "percent_of_limit", percent: 80 }] }, /limit/);
      await bad(
        {
          ...valid,
          scope: { type: "workspace", workspace_id: workspaceId },
          thresholds: [{ type: "percent_of_limit", percent: 80 }],
        },
        /monthly_spend_usd/,
      );
      await bad(
        { ...valid, scope: { type: "workspace", workspace_id: "wrkspc_nope" } },
        /not found/,
      );
      await bad({ ...valid, channels: [] }, /channels/);
      await bad({ ...valid, channels: [{ type: "webhook", url: "ftp://x" }] }, /channels/);
      await bad({ ...valid, channels: [{ type: "email", to: ["ops@example.com"] }] }, /SMTP/);
      await bad({ ...valid, channels: [{ type: "sms", to: "+1" }] }, /channels/);
      await bad({ ...valid, period: "week" }, /period/);
      await bad({ ...valid, surprise: 1 }, /surprise|unrecognized/i);
      await bad(
        { ...valid, channels: [{ type: "webhook", url: receiver.url("/v"), secret: "short" }] },
        /16/,
      );
      // An update is checked against the merged rule.
      const rule = await createRule(org, valid);
      await server.post(`/v1/organizations/alert_rules/${rule.id}`, {}, { key: org.adminKey });
      const response = await server.post(
        `/v1/organizations/alert_rules/${rule.id}`,
        { thresholds: [{ type: "percent_of_limit", percent: 50 }] },
        { key: org.adminKey },
      );
      expectError(response, 400, "invalid_request_error");
      expectError(
        await server.post(
          "/v1/organizations/alert_rules/alertrule_nope",
          { name: "x" },
          { key: org.adminKey },
        ),
        404,
        "not_found_error",
      );
      expectError(
        await server.get("/v1/organizations/alert_deliveries", {
          key: org.adminKey,
          query: { status: "lost" },
        }),
        400,
        "invalid_request_error",
      );
    });
  });

  describe("evaluation and delivery", () => {
    it("fires signed webhooks as ingestion crosses percentage thresholds, two at once, each once", async () => {
      const { org } = await newOrg();
      const ws = await server.post(
        "/v1/workspaces",
        { name: "Budgeted", usage_limits: { monthly_spend_usd: 100 } },
        { key: org.adminKey },
      );
      expect(ws.status).toBe(200);
      const rule = await createRule(org, {
        name: "Team budget",
        scope: { type: "workspace", workspace_id: ws.body.id },
        thresholds: [
          { type: "percent_of_limit", percent: 50 },
          { type: "percent_of_limit", percent: 80 },
          { type: "percent_of_limit", percent: 100 },
        ],
        channels: [{ type: "webhook", url: receiver.url("/pct") }],
      });
      const secret = present(channelAt(rule, 0, "webhook").secret);

      await ingest(org, [usageEvent(ws.body.id, 40)]);
      // Usage of another workspace of the organization does not count.
      await ingest(org, [usageEvent(org.defaultWorkspaceId, 500)]);
      expect(await dispatch()).toBe(0);

      // One event crosses 50% and 80%: two alerts.
      await ingest(org, [usageEvent(ws.body.id, 45)]);
      expect(await dispatch()).toBe(2);
      const got = receiver.ok("/pct");
      expect(got).toHaveLength(2);
      const nowS = Math.floor(clock.now().getTime() / 1000);
      for (const r of got) {
        expect(verifySignature(r.headers["steward-signature"], r.raw, secret, nowS)).toBe(true);
        expect(verifySignature(r.headers["steward-signature"], `${r.raw} `, secret, nowS)).toBe(
          false,
        );
        // A replay an hour later is refused by the receiver's tolerance.
        expect(verifySignature(r.headers["steward-signature"], r.raw, secret, nowS + 3600)).toBe(
          false,
        );
        expect(r.headers["content-type"]).toBe("application/json");
      }
      const bodies = got.map((r) => r.body).sort((a, b) => a.threshold.usd - b.threshold.usd);
      expect(bodies[0]).toMatchObject({
        type: "cost_alert",
        organization_id: org.id,
        rule: { id: rule.id, name: "Team budget" },
        scope: { type: "workspace", id: ws.body.id, name: "Budgeted" },
        period: {
          type: "month",
          starting_at: "2025-04-01T00:00:00.000Z",
          ending_at: "2025-05-01T00:00:00.000Z",
        },
        threshold: { type: "percent_of_limit", percent: 50, usd: 50 },
        limit_usd: 100,
        current_spend_usd: 85,
        overage_percent: 70,
      });
      expect(bodies[0].delivery_id).toMatch(/^alertdlv_/);
      expect(bodies[0].text).toContain("Current month usage: $85.00 USD");
      expect(bodies[0].text).toContain("Alert threshold: $50.00 USD (50% of the monthly limit");
      expect(bodies[0].text).toContain("Overage: 70.0%");
      expect(bodies[0].text).toContain("Adjust Workspace usage limits");
      expect(bodies[1]).toMatchObject({
        threshold: { percent: 80, usd: 80 },
        overage_percent: 6.3,
      });

      // More spend under the next threshold: nothing new; the same crossings never fire again.
      await ingest(org, [usageEvent(ws.body.id, 5)]);
      expect(await dispatch()).toBe(0);
      await server.services.alerts.evaluator.evaluate(
        org.id,
        new Set([ws.body.id]),
        new Set(["2025-04-28"]),
      );
      expect(await dispatch()).toBe(0);
      // 100% crossed.
      await ingest(org, [usageEvent(ws.body.id, 10)]);
      expect(await dispatch()).toBe(1);
      expect(receiver.ok("/pct")).toHaveLength(3);
      expect(receiver.ok("/pct")[2]?.body.threshold.percent).toBe(100);

      const listed = await deliveries(org, { rule_id: rule.id });
      expect(listed).toHaveLength(3);
      for (const d of listed) {
        expect(d).toMatchObject({
          type: "alert_delivery",
          kind: "alert",
          status: "delivered",
          attempt_count: 1,
          channel: { type: "webhook", target: receiver.url("/pct") },
          next_attempt_at: null,
          last_error: null,
        });
        expect(d.attempts).toEqual([
          { attempted_at: NOW, status_code: 200, error: null, duration_ms: expect.any(Number) },
        ]);
      }
      expect(JSON.stringify(listed)).not.toContain(secret);
    });

    it("fires again in the next period, per UTC day for a daily rule", async () => {
      const { org, workspaceId } = await newOrg();
      await createRule(org, {
        name: "Daily",
        scope: { type: "organization" },
        period: "day",
        thresholds: [{ type: "usd", amount_usd: 10 }],
        channels: [{ type: "webhook", url: receiver.url("/daily") }],
      });
      await ingest(org, [usageEvent(workspaceId, 6, "2025-04-27T10:00:00Z")]);
      await ingest(org, [usageEvent(workspaceId, 6, "2025-04-28T10:00:00Z")]);
      expect(await dispatch()).toBe(0); // $6 a day, though $12 this month
      await ingest(org, [
        usageEvent(workspaceId, 5, "2025-04-27T23:00:00Z"),
        usageEvent(workspaceId, 5, "2025-04-28T11:00:00Z"),
      ]);
      expect(await dispatch()).toBe(2);
      const starts = receiver
        .ok("/daily")
        .map((r) => r.body.period.starting_at)
        .sort();
      expect(starts).toEqual(["2025-04-27T00:00:00.000Z", "2025-04-28T00:00:00.000Z"]);
    });

    it("speaks Slack's and PagerDuty's formats", async () => {
      const { org, workspaceId } = await newOrg();
      const update = await server.post(
        "/v1/organizations",
        { usage_limit_usd: 20 },
        { key: org.adminKey },
      );
      const rule = await createRule(org, {
        name: "Org budget",
        scope: { type: "organization" },
        thresholds: [{ type: "usd", amount_usd: 10 }],
        channels: [
          { type: "slack", webhook_url: receiver.url("/slack") },
          { type: "pagerduty", routing_key: "pd-routing-key-1", url: receiver.url("/pd") },
        ],
      });
      await ingest(org, [usageEvent(workspaceId, 12.5)]);
      expect(await dispatch()).toBe(2);
      const [slack] = receiver.ok("/slack");
      expect(slack?.body.text).toContain("[COST ALERT]");
      expect(slack?.body.text).toContain("$12.50");
      expect(slack?.body.blocks[0]).toMatchObject({ type: "header" });
      const fields = JSON.stringify(slack?.body.blocks);
      expect(fields).toContain("*Current spend*\\n$12.50 USD");
      expect(fields).toContain("*Threshold*\\n$10.00 USD");
      expect(fields).toContain("*Overage*\\n25.0%");
      expect(fields).toContain("Haiku");
      const [pd] = receiver.ok("/pd");
      const firing = (await firstDelivery(org, { rule_id: rule.id })).firing_id;
      expect(pd?.body).toMatchObject({
        routing_key: "pd-routing-key-1",
        event_action: "trigger",
        dedup_key: `steward:${firing}`,
        payload: {
          severity: update.status === 200 ? "warning" : expect.any(String),
          source: `steward/${org.id}`,
          custom_details: {
            current_spend_usd: 12.5,
            threshold_usd: 10,
            overage_percent: 25,
            scope: { type: "organization", id: org.id },
          },
        },
      });
      expect(pd?.body.payload.summary).toContain("[COST ALERT]");
    });

    it("retries a receiver that is down with backoff, delivers once when it is up, attempts visible", async () => {
      const { org, workspaceId } = await newOrg();
      receiver.setStatus("/flaky", 503);
      const rule = await createRule(org, {
        name: "Flaky",
        scope: { type: "organization" },
        thresholds: [{ type: "usd", amount_usd: 1 }],
        channels: [{ type: "webhook", url: receiver.url("/flaky") }],
      });
      await ingest(org, [usageEvent(workspaceId, 2)]);
      expect(await dispatch()).toBe(1);
      let d = await firstDelivery(org, { rule_id: rule.id });
      // The status and a class of error; never what the receiver answered.
      expect(d).toMatchObject({ status: "pending", attempt_count: 1, last_error: "http_5xx" });
      expect(d.attempts[0]).toMatchObject({ status_code: 503, error: "http_5xx" });
      const next = Date.parse(present(d.next_attempt_at)) - clock.now().getTime();
      expect(next).toBeGreaterThanOrEqual(15_000); // 30 s, jittered down to half at most
      expect(next).toBeLessThanOrEqual(30_000);
      expect(await dispatch()).toBe(0); // not due yet

      clock.advance(30_000);
      expect(await dispatch()).toBe(1);
      d = await firstDelivery(org, { rule_id: rule.id });
      const second = Date.parse(present(d.next_attempt_at)) - clock.now().getTime();
      expect(second).toBeGreaterThanOrEqual(30_000); // doubled
      expect(second).toBeLessThanOrEqual(60_000);
      expect((await deliveries(org, { status: "pending" })).map((x) => x.id)).toEqual([d.id]);

      receiver.setStatus("/flaky", 200);
      clock.advance(60_000);
      expect(await dispatch()).toBe(1);
      clock.advance(3_600_000);
      expect(await dispatch()).toBe(0);
      expect(receiver.received.filter((r) => r.path === "/flaky")).toHaveLength(3);
      expect(receiver.ok("/flaky")).toHaveLength(1);
      d = await firstDelivery(org, { rule_id: rule.id });
      expect(d.status).toBe("delivered");
      expect(d.attempts.map((a) => a.status_code)).toEqual([503, 503, 200]);
      expect(await deliveries(org, { status: "pending" })).toEqual([]);
      expect((await deliveries(org, { status: "delivered" })).map((x) => x.id)).toEqual([d.id]);
    });

    it("records connection errors and gives up after 24 hours", async () => {
      const { org, workspaceId } = await newOrg();
      const gone = await startReceiver();
      const url = gone.url("/gone");
      await gone.close();
      const rule = await createRule(org, {
        name: "Nobody home",
        scope: { type: "organization" },
        thresholds: [{ type: "usd", amount_usd: 1 }],
        channels: [{ type: "webhook", url }],
      });
      await ingest(org, [usageEvent(workspaceId, 2)]);
      const start = clock.now().getTime();
      let rounds = 0;
      for (; rounds < 60; rounds++) {
        await dispatch();
        const d = await firstDelivery(org, { rule_id: rule.id });
        if (d.status !== "pending") {
          break;
        }
        clock.set(new Date(Date.parse(present(d.next_attempt_at))));
      }
      const d = await firstDelivery(org, { rule_id: rule.id });
      expect(d.status).toBe("failed");
      expect(d.attempts.length).toBeGreaterThan(10);
      expect(d.attempts.length).toBeLessThan(60);
      // Refused, reset or unreachable look alike: no port scanner.
      expect(d.attempts[0]).toMatchObject({ status_code: null, error: "connection_failed" });
      const last = present(d.attempts.at(-1), "the last attempt");
      expect(Date.parse(last.attempted_at)).toBe(start + 24 * 3_600_000);
      expect(d.expires_at).toBe(new Date(start + 24 * 3_600_000).toISOString());
      expect(d.next_attempt_at).toBeNull();
      clock.advance(7 * 24 * 3_600_000);
      expect(await dispatch()).toBe(0);
      clock.set(NOW);
    });

    it("sends a test message to every channel through the outbox", async () => {
      const { org } = await newOrg();
      receiver.setStatus("/test-down", 500);
      const rule = await createRule(org, {
        name: "Test me",
        scope: { type: "organization" },
        thresholds: [{ type: "usd", amount_usd: 100 }],
        channels: [
          { type: "webhook", url: receiver.url("/test-hook"), secret: SECRET },
          { type: "slack", webhook_url: receiver.url("/test-slack") },
          { type: "webhook", url: receiver.url("/test-down") },
        ],
      });
      const response = await server.post(
        `/v1/organizations/alert_rules/${rule.id}/test`,
        {},
        { key: org.adminKey },
      );
      expect(response.status).toBe(200);
      const data = response.body.data;
      expect(data.map((d) => [d.kind, d.status, d.channel.type])).toEqual([
        ["test", "delivered", "webhook"],
        ["test", "delivered", "slack"],
        ["test", "pending", "webhook"],
      ]);
      expect(data[2]?.attempts[0]?.status_code).toBe(500);
      const [hook] = receiver.ok("/test-hook");
      expect(hook?.body).toMatchObject({
        type: "cost_alert_test",
        rule: { id: rule.id },
        current_spend_usd: 0,
      });
      expect(
        verifySignature(
          hook?.headers["steward-signature"],
          hook?.raw ?? "",
          SECRET,
          Math.floor(clock.now().getTime() / 1000),
        ),
      ).toBe(true);
      expect(receiver.ok("/test-slack")[0]?.body.text).toMatch(/^\[TEST\]/);
      const oldestFirst = await deliveries(org, { rule_id: rule.id });
      expect(oldestFirst).toHaveLength(3);
      // order=desc is the same list newest first, and pages on in that order.
      const ids = oldestFirst.map((d: { id: string }) => d.id);
      expect([...ids].sort()).toEqual(ids);
      expect(
        (await deliveries(org, { rule_id: rule.id, order: "asc" })).map(
          (d: { id: string }) => d.id,
        ),
      ).toEqual(ids);
      const newestFirst = await deliveries(org, { rule_id: rule.id, order: "desc" });
      expect(newestFirst.map((d: { id: string }) => d.id)).toEqual([...ids].reverse());
      const second = await deliveries(org, {
        rule_id: rule.id,
        order: "desc",
        limit: "1",
        after_id: present(ids[2], "the newest"),
      });
      expect(second.map((d: { id: string }) => d.id)).toEqual([ids[1]]);
      expectError(
        await server.get("/v1/organizations/alert_deliveries", {
          key: org.adminKey,
          query: { order: "newest" },
        }),
        400,
        "invalid_request_error",
      );
      expectError(
        await server.post(
          "/v1/organizations/alert_rules/alertrule_nope/test",
          {},
          {
            key: org.adminKey,
          },
        ),
        404,
        "not_found_error",
      );
    });
  });
});

/** Two app instances over one database, as after a restart or on two nodes. */
describeEachBackend("cost alerts across restarts and nodes", (backend: Backend) => {
  it("delivers a delivery retried by a new app once, and never fires the crossing again", async () => {
    const db = await createTestDatabase(backend);
    const receiver = await startReceiver();
    const clock = new ManualClock(NOW);
    const node = async (options: { mailer?: Mailer } = {}) => {
      return startRuntime({
        database: db.database,
        clock,
        services: { outbound: { allow: ["127.0.0.1"] }, ...options }, // the local receiver
      });
    };
    const ingest = async (n: { app: any }, adminKey: string, events: unknown[]) => {
      const response = await n.app.inject({
        method: "POST",
        url: "/v1/usage/events",
        headers: { "x-api-key": adminKey, "content-type": "application/json" },
        payload: JSON.stringify({ events }),
      });
      expect(response.statusCode).toBe(200);
    };
    try {
      const first = await node();
      const org = await first.services.organizations.create(
        { name: "Restart Org", ownerEmail: "o@example.com", ownerName: "O" },
        { type: "system", id: null },
      );
      const ws = org.defaultWorkspaceId;
      const created = await first.app.inject({
        method: "POST",
        url: "/v1/organizations/alert_rules",
        headers: { "x-api-key": org.adminKey, "content-type": "application/json" },
        payload: JSON.stringify({
          name: "Restart",
          scope: { type: "organization" },
          thresholds: [
            { type: "usd", amount_usd: 1 },
            { type: "usd", amount_usd: 2 },
          ],
          channels: [{ type: "webhook", url: receiver.url("/restart") }],
        }),
      });
      expect(created.statusCode).toBe(200);
      receiver.setStatus("/restart", 503);
      await ingest(first, org.adminKey, [usageEvent(ws, 1.5)]);
      await first.services.alerts.settle();
      expect(await first.services.alerts.dispatcher.runDue()).toBe(1);
      await first.close();

      clock.advance(3_600_000);
      receiver.setStatus("/restart", 200);
      const second = await node();
      expect(await second.services.alerts.dispatcher.runDue()).toBe(1);
      expect(await second.services.alerts.dispatcher.runDue()).toBe(0);
      expect(receiver.ok("/restart")).toHaveLength(1);
      expect(receiver.received).toHaveLength(2);

      // More usage after the restart: only the $2 threshold is new.
      await ingest(second, org.adminKey, [usageEvent(ws, 1)]);
      await second.services.alerts.settle();
      expect(await second.services.alerts.dispatcher.runDue()).toBe(1);
      expect(receiver.ok("/restart").map((r) => r.body.threshold.usd)).toEqual([1, 2]);

      // Two nodes evaluating the same crossing at once: one firing.
      const third = await node();
      await ingest(second, org.adminKey, [usageEvent(ws, 10, "2025-04-28T11:30:00Z")]);
      await second.services.alerts.settle();
      await second.close(); // nothing new to fire: $1 and $2 fired this month
      const fourth = await node();
      const rule = JSON.parse(created.body);
      await third.app.inject({
        method: "POST",
        url: `/v1/organizations/alert_rules/${rule.id}`,
        headers: { "x-api-key": org.adminKey, "content-type": "application/json" },
        payload: JSON.stringify({
          thresholds: [
            { type: "usd", amount_usd: 1 },
            { type: "usd", amount_usd: 2 },
            { type: "usd", amount_usd: 5 },
          ],
        }),
      });
      const days = new Set(["2025-04-28"]);
      await Promise.all([
        third.services.alerts.evaluator.evaluate(org.organization.id, new Set([ws]), days),
        fourth.services.alerts.evaluator.evaluate(org.organization.id, new Set([ws]), days),
        third.services.alerts.evaluator.evaluate(org.organization.id, new Set([ws]), days),
      ]);
      const sent = await Promise.all([
        third.services.alerts.dispatcher.runDue(),
        fourth.services.alerts.dispatcher.runDue(),
      ]);
      expect(sent[0] + sent[1]).toBe(1);
      expect(receiver.ok("/restart").map((r) => r.body.threshold.usd)).toEqual([1, 2, 5]);
      await third.close();
      await fourth.close();
    } finally {
      await receiver.close();
      await db.drop();
    }
  });

  it("emails through the mailer, and delivers on its own when the app runs the dispatcher", async () => {
    const db = await createTestDatabase(backend);
    const sent: Array<{ to: string[]; subject: string; text: string }> = [];
    let delivered: () => void = () => {};
    const firstMail = new Promise<void>((resolve) => {
      delivered = resolve;
    });
    const mailer: Mailer = {
      send: async (message) => {
        sent.push(message);
        delivered();
      },
    };
    const runtime = await startRuntime({
      database: db.database,
      services: { mailer },
      jobs: { alertDispatchIntervalMs: 50 },
    });
    const { services, app } = runtime;
    try {
      const org = await services.organizations.create(
        { name: "Mail Org", ownerEmail: "m@example.com", ownerName: "M" },
        { type: "system", id: null },
      );
      const headers = { "x-api-key": org.adminKey, "content-type": "application/json" };
      const created = await app.inject({
        method: "POST",
        url: "/v1/organizations/alert_rules",
        headers,
        payload: JSON.stringify({
          name: "Mail",
          scope: { type: "organization" },
          thresholds: [{ type: "usd", amount_usd: 1 }],
          channels: [{ type: "email", to: ["finance@example.com", "ops@example.com"] }],
        }),
      });
      expect(created.statusCode).toBe(200);
      const response = await app.inject({
        method: "POST",
        url: "/v1/usage/events",
        headers,
        payload: JSON.stringify({
          events: [
            { ...usageEvent(org.defaultWorkspaceId, 3), timestamp: new Date().toISOString() },
          ],
        }),
      });
      expect(response.statusCode).toBe(200);
      // The app's own dispatcher sends it, on its interval.
      await firstMail;
      expect(sent).toHaveLength(1);
      expect(sent[0]?.to).toEqual(["finance@example.com", "ops@example.com"]);
      expect(sent[0]?.subject).toContain("[COST ALERT]");
      expect(sent[0]?.text).toContain("Current month usage: $3.00 USD");
    } finally {
      await runtime.close();
      await db.drop();
    }
  });
});

describeEachBackend("cost alerts from gateway traffic", (backend: Backend) => {
  let env: GatewayEnv;
  let receiver: Receiver;

  beforeAll(async () => {
    env = await startGatewayEnv(backend);
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await env?.close();
    await receiver?.close();
  });

  it("fires as metered requests cross a workspace's threshold", async () => {
    const { key, workspaceId } = await env.newKey();
    const created = await env.server.post("/v1/organizations/alert_rules", {
      name: "Gateway",
      scope: { type: "workspace", workspace_id: workspaceId },
      thresholds: [{ type: "usd", amount_usd: 0.000001 }],
      channels: [{ type: "webhook", url: receiver.url("/gw") }],
    });
    expect(created.status).toBe(200);
    const alerts = env.server.services.alerts;
    await env.client(key).messages.create(ask() as never);
    await env.settle();
    await alerts.settle();
    expect(await alerts.dispatcher.runDue()).toBe(1);
    await env.client(key).messages.create(ask() as never);
    await env.settle();
    await alerts.settle();
    expect(await alerts.dispatcher.runDue()).toBe(0);
    const [got] = receiver.ok("/gw");
    expect(got?.body).toMatchObject({
      type: "cost_alert",
      scope: { type: "workspace", id: workspaceId },
      threshold: { usd: 0.000001 },
    });
    expect(got?.body.current_spend_usd).toBeGreaterThan(0);
  });
});

describe("alert messages", () => {
  it("should show a spend and threshold under a cent with their digits, never $0.00", () => {
    const message = buildMessage({
      kind: "alert",
      id: "alert_1",
      organizationId: "org_1",
      rule: { id: "alertrule_1", name: "tiny" },
      scope: { type: "organization", id: "org_1", name: "Acme" },
      period: "month",
      periodStart: "2026-12-01T00:00:00.000Z",
      periodEnd: "2027-01-01T00:00:00.000Z",
      threshold: { type: "usd", amount_usd: 0.001 },
      thresholdNanos: 1_000_000,
      limitMicros: null,
      spendNanos: 4_200_000,
      firedAt: "2026-12-07T12:00:00.000Z",
    });
    expect(message.summary).toContain("is $0.0042, past $0.0010 this month");
    expect(message.text).toContain("Current month usage: $0.0042 USD");
    expect(message.text).not.toContain("$0.00 ");
  });
});
