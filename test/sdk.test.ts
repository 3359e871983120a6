/**
 * @steward/sdk against the real server, listening on 127.0.0.1 (real HTTP through the global
 * fetch), on each backend: every resource and method, pagination across pages both ways, report
 * pages, the error classes the server produces, idempotent creates and the NDJSON audit export.
 * The transport (retries, timeouts, aborts, every status) is in test/sdk-transport.test.ts.
 */
import {
  APIError,
  type ApiKey,
  AuthenticationError,
  BadRequestError,
  CursorPage,
  CursorPagePromise,
  type MessagesUsageBucket,
  NotFoundError,
  Page,
  PagePromise,
  ReportPage,
  ReportPagePromise,
  RequestTooLargeError,
  StewardAdmin,
  UnprocessableEntityError,
  type User,
  type Workspace,
} from "@steward/sdk";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ManualClock } from "../src/core/ports.js";
import { type Receiver, startReceiver } from "./alert-receivers.js";
import { createTestServer, describeEachBackend, type TestServer } from "./harness.js";
import { collect } from "./support/official-sdk.js";

const NOW = "2026-04-28T12:00:00.000Z";

async function rejection(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}

describeEachBackend("@steward/sdk against the server", (backend) => {
  let server: TestServer;
  let baseURL: string;
  let admin: StewardAdmin;
  let receiver: Receiver;

  /** A client of a fresh organization of its own (for exact counts). */
  async function freshOrg(): Promise<{ admin: StewardAdmin; defaultWorkspaceId: string }> {
    const org = await server.createOrganization();
    return {
      admin: new StewardAdmin({ baseURL, adminKey: org.adminKey }),
      defaultWorkspaceId: org.defaultWorkspaceId,
    };
  }

  beforeAll(async () => {
    server = await createTestServer(backend, { clock: new ManualClock(NOW) });
    baseURL = await server.app.listen({ port: 0, host: "127.0.0.1" });
    admin = new StewardAdmin({ baseURL, adminKey: server.org.adminKey });
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver?.close();
    await server?.close();
  });

  it("organization: retrieve, me, update (and the seed's POST)", async () => {
    const org = await admin.organization.retrieve();
    expect(org).toMatchObject({
      id: server.org.id,
      type: "organization",
      name: "Acme Corporation",
    });
    expect(org.billing.current_month_usage_usd).toBe(0);
    expect(await admin.organization.me()).toEqual(org);

    const updated = await admin.organization.update({
      name: "Acme Corp",
      settings: { allowed_ip_ranges: ["203.0.113.7/24"] },
    });
    expect(updated.name).toBe("Acme Corp");
    expect(updated.settings.allowed_ip_ranges).toEqual(["203.0.113.0/24"]);
    const seedUpdated = await admin.seed.organization.update({
      name: "Acme Corporation",
      settings: { allowed_ip_ranges: [] },
    });
    expect(seedUpdated.name).toBe("Acme Corporation");
    expect((await admin.seed.organization.retrieve()).name).toBe("Acme Corporation");
  });

  it("invites: create, list, retrieve, delete, accept", async () => {
    const invite = await admin.invites.create({ email: "ivy@example.com", role: "developer" });
    expect(invite).toMatchObject({ type: "invite", email: "ivy@example.com", status: "pending" });
    expect(invite.token).toMatch(/^stw-invite01-/);

    const listed = await collect(admin.invites.list({ statuses: ["pending"] }));
    expect(listed.map((i) => i.id)).toContain(invite.id);
    expect(await admin.invites.retrieve(invite.id)).toMatchObject({ id: invite.id });

    const deleted = await admin.invites.delete(invite.id);
    expect(deleted).toMatchObject({ id: invite.id, type: "invite_deleted" });
    expect((await admin.invites.retrieve(invite.id)).status).toBe("deleted");

    const second = await admin.seed.users.invite({ email: "ian@example.com", role: "billing" });
    const user = await admin.invites.accept({ token: second.token, name: "Ian" });
    expect(user).toMatchObject({ type: "user", email: "ian@example.com", role: "billing" });
    expect((await admin.invites.retrieve(second.id)).status).toBe("accepted");
  });

  it("users: list with filters, retrieve, update, delete (both surfaces)", async () => {
    const invite = await admin.invites.create({ email: "uma@example.com", role: "user" });
    const uma = await admin.invites.accept({ token: invite.token, name: "Uma" });

    const everyone: User[] = await collect(admin.users.list());
    expect(everyone.map((u) => u.id)).toEqual(expect.arrayContaining([uma.id, server.org.ownerId]));
    const page = await admin.users.list({ email: "UMA@example.com" });
    expect(page).toBeInstanceOf(Page);
    expect(page.data.map((u) => u.id)).toEqual([uma.id]);
    const byRole = await admin.users.list({ roles: ["user", "billing"] });
    expect(byRole.data.every((u) => u.role === "user" || u.role === "billing")).toBe(true);
    expect((await admin.seed.users.list({ email: "uma@example.com" })).data).toHaveLength(1);

    expect(await admin.users.retrieve(uma.id)).toMatchObject({ id: uma.id, name: "Uma" });
    expect(await admin.seed.users.retrieve(uma.id)).toMatchObject({ id: uma.id });
    expect((await admin.users.update(uma.id, { role: "developer" })).role).toBe("developer");
    const renamed = await admin.seed.users.update(uma.id, { role: "admin", name: "Uma U." });
    expect(renamed).toMatchObject({ role: "admin", name: "Uma U." });

    const removed = await admin.users.delete(uma.id);
    expect(removed).toMatchObject({ id: uma.id, type: "user_deleted", deleted: true });
    await expect(admin.users.retrieve(uma.id)).rejects.toBeInstanceOf(NotFoundError);

    const other = await admin.invites.create({ email: "otto@example.com", role: "user" });
    const otto = await admin.invites.accept({ token: other.token, name: "Otto" });
    expect((await admin.seed.users.delete(otto.id)).deleted).toBe(true);
  });

  it("users: onboard and offboard (both surfaces)", async () => {
    const workspace = await admin.workspaces.create({ name: "Onboarding" });
    const onboarded = await admin.users.onboard({
      email: "nina@example.com",
      role: "developer",
      workspaces: [{ workspace_id: workspace.id, workspace_role: "workspace_developer" }],
      api_key: { name: "Nina's key", workspace_id: workspace.id },
    });
    expect(onboarded.type).toBe("user_onboarded");
    expect(onboarded.invite.token).toMatch(/^stw-invite01-/);
    expect(onboarded.workspace_memberships).toHaveLength(1);
    expect(onboarded.api_key?.key).toMatch(/^sk-ant-api03-/);

    const nina = await admin.invites.accept({ token: onboarded.invite.token, name: "Nina" });
    expect(await admin.workspaces.members.retrieve(workspace.id, nina.id)).toMatchObject({
      workspace_role: "workspace_developer",
    });
    const preview = await admin.users.previewOffboard(nina.id);
    expect(preview).toMatchObject({ id: nina.id, deleted: false, dry_run: true });
    const offboarded = await admin.users.offboard(nina.id);
    expect(preview.revoked_api_key_ids).toEqual(offboarded.revoked_api_key_ids);
    expect(preview.removed_workspace_memberships).toEqual(offboarded.removed_workspace_memberships);
    expect(offboarded).toMatchObject({ id: nina.id, type: "user_offboarded", deleted: true });
    expect(offboarded.revoked_api_key_ids).toEqual([onboarded.api_key?.id]);

    const seedOnboarded = await admin.seed.users.onboard({
      email: "sam@example.com",
      role: "user",
    });
    const sam = await admin.invites.accept({ token: seedOnboarded.invite.token, name: "Sam" });
    expect((await admin.seed.users.offboard(sam.id)).type).toBe("user_offboarded");
  });

  it("workspaces and members: every method", async () => {
    const workspace = await admin.workspaces.create({ name: "Research", tags: { team: "ml" } });
    expect(workspace).toMatchObject({ type: "workspace", name: "Research", is_default: false });
    expect(await admin.workspaces.retrieve(workspace.id)).toEqual(workspace);
    const updated = await admin.workspaces.update(workspace.id, {
      usage_limits: { monthly_spend_usd: 250, requests_per_minute: 60 },
    });
    expect(updated.usage_limits).toEqual({ monthly_spend_usd: 250, requests_per_minute: 60 });
    const listed = await collect(admin.workspaces.list({ include_default: "true" }));
    expect(listed.map((w) => w.id)).toEqual(
      expect.arrayContaining([workspace.id, server.org.defaultWorkspaceId]),
    );

    const owner = server.org.ownerId;
    const member = await admin.workspaces.members.create(workspace.id, {
      user_id: owner,
      workspace_role: "workspace_user",
    });
    expect(member).toEqual({
      type: "workspace_member",
      user_id: owner,
      workspace_id: workspace.id,
      workspace_role: "workspace_user",
    });
    expect(await collect(admin.workspaces.members.list(workspace.id))).toEqual([member]);
    expect(await admin.workspaces.members.retrieve(workspace.id, owner)).toEqual(member);
    const promoted = await admin.workspaces.members.update(workspace.id, owner, {
      workspace_role: "workspace_admin",
    });
    expect(promoted.workspace_role).toBe("workspace_admin");
    expect(await admin.workspaces.members.delete(workspace.id, owner)).toMatchObject({
      type: "workspace_member_deleted",
      user_id: owner,
      workspace_id: workspace.id,
    });
    expect((await admin.workspaces.members.list(workspace.id)).data).toEqual([]);

    const archived = await admin.workspaces.archive(workspace.id);
    expect(archived.archived_at).not.toBeNull();
    const error = await rejection(admin.workspaces.update(workspace.id, { name: "Nope" }));
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.errorCode).toBe("workspace_archived");

    // The seed's paths.
    const seedWs = await admin.seed.workspaces.create({ name: "Seed WS" });
    expect(await admin.seed.workspaces.retrieve(seedWs.id)).toMatchObject({ name: "Seed WS" });
    expect((await admin.seed.workspaces.update(seedWs.id, { name: "Seed WS 2" })).name).toBe(
      "Seed WS 2",
    );
    const seedList = await collect(admin.seed.workspaces.list());
    expect(seedList.map((w) => w.id)).toEqual(
      expect.arrayContaining([seedWs.id, server.org.defaultWorkspaceId]),
    );
    expect((await admin.seed.workspaces.archive(seedWs.id)).archived_at).not.toBeNull();
  });

  it("API keys: create, list, retrieve, update, revoke at once (both surfaces)", async () => {
    const created = await admin.apiKeys.create({ name: "service A" });
    expect(created.key).toMatch(/^sk-ant-api03-/);
    expect(created).toMatchObject({
      type: "api_key",
      status: "active",
      workspace_id: server.org.defaultWorkspaceId,
    });
    const keys: ApiKey[] = await collect(admin.apiKeys.list({ status: "active" }));
    expect(keys.map((k) => k.id)).toContain(created.id);
    expect(await admin.apiKeys.retrieve(created.id)).toMatchObject({ name: "service A" });
    expect((await admin.apiKeys.update(created.id, { status: "inactive" })).status).toBe(
      "inactive",
    );
    expect(await admin.apiKeys.revoke(created.id)).toEqual({
      id: created.id,
      type: "api_key_deleted",
      deleted: true,
    });
    expect((await admin.apiKeys.retrieve(created.id)).status).toBe("archived");
    const again = await rejection(admin.apiKeys.update(created.id, { status: "active" }));
    expect(again).toBeInstanceOf(BadRequestError);
    expect(again.errorCode).toBe("api_key_archived");
    // Revoking twice is harmless.
    expect((await admin.apiKeys.revoke(created.id)).deleted).toBe(true);

    const seedKey = await admin.seed.apiKeys.create({ name: "seed key" });
    expect(await admin.seed.apiKeys.retrieve(seedKey.id)).toMatchObject({ name: "seed key" });
    expect((await admin.seed.apiKeys.update(seedKey.id, { name: "seed key 2" })).name).toBe(
      "seed key 2",
    );
    expect((await collect(admin.seed.apiKeys.list())).map((k) => k.id)).toContain(seedKey.id);
    expect((await admin.seed.apiKeys.delete(seedKey.id)).deleted).toBe(true);
  });

  it("pagination: 25 workspaces by 10, item by item, page by page, and backwards", async () => {
    const { admin: org } = await freshOrg();
    const created: Workspace[] = [];
    for (let i = 0; i < 25; i++) {
      created.push(await org.workspaces.create({ name: `WS ${String(i).padStart(2, "0")}` }));
    }
    const ids = created.map((w) => w.id);

    // Every item across pages.
    const list = org.workspaces.list({ limit: 10 });
    expect(list).toBeInstanceOf(PagePromise);
    expect((await collect(list)).map((w) => w.id)).toEqual(ids);

    // Page by page.
    let page = await org.workspaces.list({ limit: 10 });
    expect(page.data.map((w) => w.id)).toEqual(ids.slice(0, 10));
    expect(page).toMatchObject({ has_more: true, first_id: ids[0], last_id: ids[9] });
    expect(page.hasNextPage()).toBe(true);
    page = await page.getNextPage();
    expect(page.data.map((w) => w.id)).toEqual(ids.slice(10, 20));
    page = await page.getNextPage();
    expect(page.data.map((w) => w.id)).toEqual(ids.slice(20));
    expect(page.has_more).toBe(false);
    expect(page.hasNextPage()).toBe(false);
    await expect(page.getNextPage()).rejects.toThrow(/No next page/);

    // Pages, and items from a page on.
    const first = await org.workspaces.list({ limit: 10 });
    const sizes: number[] = [];
    for await (const p of first.iterPages()) {
      sizes.push(p.data.length);
    }
    expect(sizes).toEqual([10, 10, 5]);
    expect((await collect(first)).length).toBe(25);

    // Backwards from the last one: pages of the 10 before, each oldest first.
    const back = await org.workspaces.list({ limit: 10, before_id: ids[24] });
    expect(back.data.map((w) => w.id)).toEqual(ids.slice(14, 24));
    const backPages: string[][] = [];
    for await (const p of back.iterPages()) {
      backPages.push(p.data.map((w) => w.id));
    }
    expect(backPages).toEqual([ids.slice(14, 24), ids.slice(4, 14), ids.slice(0, 4)]);
    expect((await collect(org.workspaces.list({ limit: 10, before_id: ids[24] }))).length).toBe(24);

    // A bad cursor is the server's 400 with its code.
    const bad = await rejection(org.workspaces.list({ after_id: "wrkspc_nope" }));
    expect(bad).toBeInstanceOf(BadRequestError);
    expect(bad.errorCode).toBe("invalid_cursor");
  });

  it("service accounts: every method, cursor pages, memberships from both sides, their keys", async () => {
    const { admin, defaultWorkspaceId } = await freshOrg();
    const made = [];
    for (const name of ["sdk-one", "sdk-two", "sdk-three"]) {
      made.push(await admin.serviceAccounts.create({ name, description: `the ${name}` }));
    }
    const listing = admin.serviceAccounts.list({ limit: 2 });
    expect(listing).toBeInstanceOf(CursorPagePromise);
    const first = await listing;
    expect(first).toBeInstanceOf(CursorPage);
    expect(first.data.map((a) => a.name)).toEqual(["sdk-three", "sdk-two"]);
    expect(first.next_page).toBe(made[1]?.id);
    expect((await collect(admin.serviceAccounts.list({ limit: 2 }))).map((a) => a.name)).toEqual([
      "sdk-three",
      "sdk-two",
      "sdk-one",
    ]);
    const [one] = made as [(typeof made)[number]];
    expect(await admin.serviceAccounts.retrieve(one.id)).toEqual(one);
    expect(
      (await admin.serviceAccounts.update(one.id, { organization_role: "admin" }))
        .organization_role,
    ).toBe("admin");

    const workspace = await admin.workspaces.create({ name: "SDK service accounts" });
    const added = await admin.serviceAccounts.workspaces.add(one.id, {
      workspace_id: workspace.id,
      workspace_role: "workspace_developer",
    });
    expect(added).toMatchObject({ implicit: false, workspace_role: "workspace_developer" });
    expect(
      (await collect(admin.serviceAccounts.workspaces.list(one.id))).map((m) => m.workspace_id),
    ).toEqual([defaultWorkspaceId, workspace.id]);
    expect(
      await admin.workspaces.serviceAccounts.update(workspace.id, one.id, {
        workspace_role: "workspace_admin",
      }),
    ).toMatchObject({ workspace_role: "workspace_admin" });
    expect(await admin.workspaces.serviceAccounts.retrieve(workspace.id, one.id)).toMatchObject({
      workspace_role: "workspace_admin",
    });
    expect(
      (await collect(admin.workspaces.serviceAccounts.list(workspace.id))).map(
        (m) => m.service_account_id,
      ),
    ).toEqual([one.id]);

    const key = await admin.apiKeys.create({
      name: "automation",
      workspace_id: workspace.id,
      service_account_id: one.id,
    });
    expect(key.principal).toEqual({ type: "service_account_actor", service_account_id: one.id });
    const archived = await admin.serviceAccounts.archive(one.id);
    expect(archived.archived_at).not.toBeNull();
    expect((await admin.apiKeys.retrieve(key.id)).status).toBe("archived");

    const second = made[1] as (typeof made)[number];
    await admin.workspaces.serviceAccounts.add(workspace.id, {
      service_account_id: second.id,
      workspace_role: "workspace_user",
    });
    expect(await admin.workspaces.serviceAccounts.remove(workspace.id, second.id)).toEqual({
      type: "service_account_workspace_member_deleted",
      service_account_id: second.id,
      workspace_id: workspace.id,
    });
    expect(await admin.serviceAccounts.workspaces.remove(second.id, workspace.id)).toMatchObject({
      workspace_id: workspace.id,
    });
    const refused = await rejection(admin.serviceAccounts.create({ name: "Not A Slug" }));
    expect(refused).toBeInstanceOf(BadRequestError);
    expect(refused.message).toContain("name");
  });

  it("usage: ingest, the seed's report, the messages report across pages; costs across pages", async () => {
    const { admin: org, defaultWorkspaceId } = await freshOrg();
    const events = [0, 1, 2, 3, 4].map((day) => ({
      id: `sdk-event-${day}`,
      timestamp: `2026-04-2${day}T10:00:00Z`,
      workspace_id: defaultWorkspaceId,
      model: "claude-opus-4-5",
      input_tokens: 1000 * (day + 1),
      output_tokens: 100,
    }));
    const ingested = await org.usage.ingest({ events });
    expect(ingested).toEqual({ accepted: 5, duplicates: 0, rejected: [] });
    expect(await org.usage.ingest({ events: events.slice(0, 1) })).toMatchObject({
      accepted: 0,
      duplicates: 1,
    });

    const report = await org.usage.retrieve({
      start_date: "2026-04-20",
      end_date: "2026-04-24",
      granularity: "day",
    });
    expect(report.data).toHaveLength(5);
    expect(report.total.input_tokens).toBe(15_000);
    expect(
      (await org.seed.usage.retrieve({ start_date: "2026-04-20", end_date: "2026-04-24" })).total,
    ).toEqual(report.total);

    const query = {
      starting_at: "2026-04-20T00:00:00Z",
      ending_at: "2026-04-25T00:00:00Z",
      bucket_width: "1d",
      limit: 2,
    } as const;
    const messages = org.usage.messages(query);
    expect(messages).toBeInstanceOf(ReportPagePromise);
    const firstPage = await messages;
    expect(firstPage).toBeInstanceOf(ReportPage);
    expect(firstPage.data).toHaveLength(2);
    expect(firstPage.has_more).toBe(true);
    expect(firstPage.next_page).toMatch(/^page_/);
    const second = await firstPage.getNextPage();
    expect(second.data[0]?.starting_at).toBe("2026-04-22T00:00:00Z");
    const buckets: MessagesUsageBucket[] = await collect(org.usage.messages(query));
    expect(buckets.map((b) => b.starting_at.slice(0, 10))).toEqual([
      "2026-04-20",
      "2026-04-21",
      "2026-04-22",
      "2026-04-23",
      "2026-04-24",
    ]);
    expect(buckets.map((b) => b.results[0]?.uncached_input_tokens)).toEqual([
      1000, 2000, 3000, 4000, 5000,
    ]);

    const costDays = await collect(org.costs.report({ ...query, limit: 3 }));
    expect(costDays).toHaveLength(5);
    expect(costDays.every((d) => d.results.length > 0)).toBe(true);
    const costPage = await org.costs.report({ ...query, limit: 3 });
    expect(costPage.has_more).toBe(true);
    expect((await costPage.getNextPage()).data).toHaveLength(2);

    const org2 = await org.organization.retrieve();
    expect(org2.billing.current_month_usage_usd).toBeGreaterThan(0);
  });

  it("alerts: rules (every method) and deliveries", async () => {
    const rule = await admin.alerts.rules.create({
      name: "Budget",
      scope: { type: "organization" },
      thresholds: [{ type: "usd", amount_usd: 1000 }],
      channels: [{ type: "webhook", url: receiver.url("/hook") }],
    });
    expect(rule).toMatchObject({ type: "alert_rule", name: "Budget", enabled: true });
    expect((await collect(admin.alerts.rules.list())).map((r) => r.id)).toContain(rule.id);
    expect((await admin.alerts.rules.retrieve(rule.id)).name).toBe("Budget");
    expect((await admin.alerts.rules.update(rule.id, { enabled: false })).enabled).toBe(false);

    const tested = await admin.alerts.rules.test(rule.id);
    expect(tested.data).toHaveLength(1);
    const delivery = tested.data[0]!;
    expect(delivery).toMatchObject({
      type: "alert_delivery",
      rule_id: rule.id,
      status: "delivered",
    });
    expect(receiver.ok("/hook")).toHaveLength(1);

    const deliveries = await collect(admin.alerts.deliveries.list({ rule_id: rule.id }));
    expect(deliveries.map((d) => d.id)).toEqual([delivery.id]);
    const newest = await admin.alerts.deliveries.list({ order: "desc", limit: 1 });
    expect(newest.data.map((d) => d.id)).toEqual([delivery.id]);
    expect((await admin.alerts.deliveries.retrieve(delivery.id)).attempt_count).toBe(1);

    expect(await admin.alerts.rules.delete(rule.id)).toEqual({
      id: rule.id,
      type: "alert_rule_deleted",
    });
    await expect(admin.alerts.rules.retrieve(rule.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it("audit logs: pages, and the NDJSON export streamed record by record", async () => {
    const { admin: org } = await freshOrg();
    const before = (await collect(org.auditLogs.list({ action: "workspace.created" }))).length;
    for (let i = 0; i < 7; i++) {
      await org.workspaces.create({ name: `Audited ${i}` });
    }
    const all = await collect(org.auditLogs.list({ limit: 3 }));
    expect(all.length).toBeGreaterThanOrEqual(7);
    const created = await collect(org.auditLogs.list({ action: "workspace.created", limit: 2 }));
    expect(created).toHaveLength(before + 7);

    const exported = await collect(org.auditLogs.export());
    expect(exported.map((r) => r.id)).toEqual(all.map((r) => r.id));
    const filtered = await (await org.auditLogs.export({ action: "workspace.created" })).toArray();
    expect(filtered).toEqual(created);

    // Leaving the loop early is fine, and the client keeps working.
    for await (const record of org.auditLogs.export()) {
      expect(record.id).toBe(all[0]?.id);
      break;
    }
    expect((await org.auditLogs.list({ limit: 1 })).data).toHaveLength(1);
  });

  it("errors: 401, 404, 400 with a field, 400 with a code, 413, 422", async () => {
    const wrongKey = new StewardAdmin({ baseURL, adminKey: "sk-ant-admin01-wrong", maxRetries: 0 });
    const unauthorized = await rejection(wrongKey.organization.retrieve());
    expect(unauthorized).toBeInstanceOf(AuthenticationError);
    expect(unauthorized).toMatchObject({ status: 401, type: "authentication_error" });
    expect(unauthorized.requestId).toMatch(/^req_/);
    await expect(collect(wrongKey.users.list())).rejects.toBeInstanceOf(AuthenticationError);
    await expect(collect(wrongKey.auditLogs.export())).rejects.toBeInstanceOf(AuthenticationError);

    const missing = await rejection(admin.users.retrieve("user_doesnotexist"));
    expect(missing).toBeInstanceOf(NotFoundError);
    expect(missing).toMatchObject({ status: 404, type: "not_found_error" });

    const badField = await rejection(
      admin.workspaces.create({ name: "ok", display_color: "red" } as never),
    );
    expect(badField).toBeInstanceOf(BadRequestError);
    expect(badField.type).toBe("invalid_request_error");
    expect(badField.message).toContain("display_color");
    expect(badField.errorCode).toBeUndefined();

    const owner = await admin.users.retrieve(server.org.ownerId);
    const taken = await rejection(admin.invites.create({ email: owner.email, role: "user" }));
    expect(taken).toBeInstanceOf(BadRequestError);
    expect(taken.errorCode).toBe("already_member");

    const tooLarge = await rejection(
      admin.workspaces.create({ name: "x".repeat(2 * 1024 * 1024) }),
    );
    expect(tooLarge).toBeInstanceOf(RequestTooLargeError);
    expect(tooLarge.type).toBe("request_too_large");

    // The same idempotency key for another body: 422.
    await admin.workspaces.create({ name: "Keyed A" }, { idempotencyKey: "sdk-reused-key" });
    const reused = await rejection(
      admin.workspaces.create({ name: "Keyed B" }, { idempotencyKey: "sdk-reused-key" }),
    );
    expect(reused).toBeInstanceOf(UnprocessableEntityError);
    expect(reused).toBeInstanceOf(APIError);
    expect(reused).toMatchObject({
      status: 422,
      type: "invalid_request_error",
      errorCode: "idempotency_key_reused",
    });
  });

  it("idempotency: a repeated create answers the first response, marked as replayed", async () => {
    const key = `sdk-idem-${backend.name}`;
    const first = await admin.apiKeys
      .create({ name: "idempotent" }, { idempotencyKey: key })
      .withResponse();
    const again = await admin.apiKeys
      .create({ name: "idempotent" }, { idempotencyKey: key })
      .withResponse();
    expect(again.data.id).toBe(first.data.id);
    expect(again.data.key).toBe(first.data.key);
    expect(first.response.headers.get("idempotent-replayed")).toBeNull();
    expect(again.response.headers.get("idempotent-replayed")).toBe("true");
    expect(first.requestId).toMatch(/^req_/);
  });
});
