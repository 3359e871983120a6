/**
 * Sign-in links by email (issue 26, point 2, without an identity provider): one use, 15 minutes,
 * the same answer for members and strangers, and none at all without SMTP and a public URL.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { invitationMessage } from "../src/core/invites/invite-mail.js";
import type { Mailer, MailMessage } from "../src/core/mail/mailer.js";
import { ManualClock } from "../src/core/ports.js";
import type { SharedRedis } from "../src/redis/connection.js";
import { type Runtime, startRuntime } from "../src/runtime.js";
import {
  createTestDatabase,
  createTestServer,
  describeEachBackend,
  type TestDatabase,
} from "./harness.js";
import {
  deleteRedisKeys,
  startSharedRedis,
  TEST_REDIS_URL,
  uniqueRedisPrefix,
} from "./support/redis-fixtures.js";

/** Keeps what it is asked to send, and tells who waits for a number of messages. */
class MemoryMailer implements Mailer {
  readonly sent: MailMessage[] = [];
  #waiters: Array<{ count: number; resolve: () => void }> = [];
  async send(message: MailMessage): Promise<void> {
    this.sent.push(message);
    for (const waiter of this.#waiters.filter((w) => this.sent.length >= w.count)) {
      waiter.resolve();
    }
  }
  /** Resolves once `count` messages in all were sent. */
  waitFor(count: number): Promise<void> {
    return this.sent.length >= count
      ? Promise.resolve()
      : new Promise((resolve) => this.#waiters.push({ count, resolve }));
  }
}

const LINK = /https:\/\/steward\.example\.com\/auth\/email-link\/verify\?token=(\S+)/;

describeEachBackend("sign-in links by email", (backend) => {
  const clock = new ManualClock("2026-06-01T09:00:00.000Z");
  const mailer = new MemoryMailer();
  let testDb: TestDatabase;
  let runtime: Runtime;

  beforeAll(async () => {
    testDb = await createTestDatabase(backend);
    runtime = await startRuntime({
      database: testDb.database,
      clock,
      services: { mailer, publicUrl: "https://steward.example.com" },
    });
    await runtime.services.organizations.create(
      { name: "Acme", ownerEmail: "olivia@acme.example", ownerName: "Olivia" },
      { type: "system", id: null },
    );
  });
  afterAll(async () => {
    await runtime?.close();
    await testDb?.drop();
  });

  const post = (email: string, returnTo?: string) =>
    runtime.app.inject({
      method: "POST",
      url: "/auth/email-link",
      headers: { "content-type": "application/json" },
      payload: JSON.stringify({ email, ...(returnTo !== undefined && { return_to: returnTo }) }),
    });
  const verify = (token: string) =>
    runtime.app.inject({
      method: "GET",
      url: `/auth/email-link/verify?token=${encodeURIComponent(token)}`,
    });
  /** Asks for a link as the route does, awaiting the background send, and answers its token. */
  const linkFor = async (email: string, returnTo?: string) => {
    const before = mailer.sent.length;
    await runtime.services.emailLinks?.request(email, returnTo);
    const mail = mailer.sent[before];
    return mail === undefined ? undefined : decodeURIComponent(LINK.exec(mail.text)?.[1] ?? "");
  };

  it("should be offered, and answer 202 {} for a member and a stranger alike", async () => {
    const methods = await runtime.app.inject({ method: "GET", url: "/auth/methods" });
    expect(methods.json()).toMatchObject({ email_link: true });
    const member = await post("Olivia@Acme.example");
    const stranger = await post("nobody@elsewhere.example");
    expect([member.statusCode, stranger.statusCode]).toEqual([202, 202]);
    expect(member.json()).toEqual({});
    expect(stranger.body).toBe(member.body);
    // The member's link is sent after the answer; the stranger gets none.
    await mailer.waitFor(1);
    expect(mailer.sent.map((m) => m.to)).toEqual([["olivia@acme.example"]]);
    expect(await linkFor("nobody@elsewhere.example")).toBeUndefined();
    expect(mailer.sent).toHaveLength(1);
  });

  it("should sign in once with the emailed link, to its return_to", async () => {
    const token = await linkFor("olivia@acme.example", "/console/keys");
    expect(token).toMatch(/^stw-signin01-/);
    const mail = mailer.sent.at(-1);
    expect(mail?.to).toEqual(["olivia@acme.example"]);
    const first = await verify(token ?? "");
    expect(first.statusCode).toBe(302);
    expect(first.headers.location).toBe("/console/keys");
    const cookie = first.cookies.find((c) => c.name === "steward_session");
    const session = await runtime.app.inject({
      method: "GET",
      url: "/auth/session",
      headers: { cookie: `steward_session=${cookie?.value}` },
    });
    expect(session.json()).toMatchObject({ method: "email_link", user: { role: "owner" } });
    const again = await verify(token ?? "");
    expect(again.headers.location).toBe("/console/sign-in?error=link_invalid");
  });

  it("should refuse a link after 15 minutes, and one never issued", async () => {
    const token = await linkFor("olivia@acme.example");
    clock.advance(15 * 60_000);
    expect((await verify(token ?? "")).headers.location).toBe(
      "/console/sign-in?error=link_invalid",
    );
    expect((await verify("stw-signin01-forged")).headers.location).toBe(
      "/console/sign-in?error=link_invalid",
    );
  });
});

describeEachBackend("sign-in link limits", (backend) => {
  // Two links per address and four per client IP each ten minutes: one more every five minutes
  // per address. In this node's memory, and in Redis when TEST_REDIS_URL is set (several nodes).
  for (const shared of [false, true]) {
    const leg = shared ? "shared through Redis" : "in memory";
    const skip = shared && TEST_REDIS_URL === undefined;
    describe.skipIf(skip)(`${leg}${skip ? " (SKIPPED: set TEST_REDIS_URL)" : ""}`, () => {
      const clock = new ManualClock("2026-06-01T09:00:00.000Z");
      const mailer = new MemoryMailer();
      let testDb: TestDatabase;
      let runtime: Runtime;
      let redis: SharedRedis | undefined;
      const prefix = uniqueRedisPrefix();
      let ips = 0;
      /** A client address no other test used. */
      const freshIp = () => `10.0.${shared ? 1 : 0}.${++ips}`;

      beforeAll(async () => {
        testDb = await createTestDatabase(backend);
        redis = shared ? await startSharedRedis(TEST_REDIS_URL as string, { prefix }) : undefined;
        runtime = await startRuntime({
          database: testDb.database,
          clock,
          ...(redis && { redis }),
          services: {
            mailer,
            publicUrl: "https://steward.example.com",
            emailLinkLimits: { perAddress: 2, perIp: 4, periodMs: 10 * 60_000 },
          },
        });
        await runtime.services.organizations.create(
          { name: "Acme", ownerEmail: "olivia@acme.example", ownerName: "Olivia" },
          { type: "system", id: null },
        );
      });
      afterAll(async () => {
        await runtime?.close();
        await testDb?.drop();
        await redis?.close();
        if (shared) {
          await deleteRedisKeys(TEST_REDIS_URL as string, prefix);
        }
      });

      const post = (email: string, ip: string) =>
        runtime.app.inject({
          method: "POST",
          url: "/auth/email-link",
          remoteAddress: ip,
          headers: { "content-type": "application/json" },
          payload: JSON.stringify({ email }),
        });

      it("should refuse a third link for an address with 429 and retry-after, member or not", async () => {
        const sent = mailer.sent.length;
        const refusals = [];
        for (const email of ["Olivia@Acme.example", "nobody@elsewhere.example"]) {
          expect((await post(email, freshIp())).statusCode).toBe(202);
          expect((await post(email.toLowerCase(), freshIp())).statusCode).toBe(202);
          refusals.push(await post(email, freshIp()));
        }
        const [member, stranger] = refusals;
        for (const refused of [member, stranger]) {
          expect(refused?.statusCode).toBe(429);
          expect(refused?.headers["retry-after"]).toBe("300");
          expect(refused?.json()).toMatchObject({
            type: "error",
            error: { type: "rate_limit_error" },
          });
        }
        // The refusal does not tell a member's address from a stranger's.
        const { request_id: _m, ...memberBody } = member?.json() ?? {};
        const { request_id: _s, ...strangerBody } = stranger?.json() ?? {};
        expect(memberBody).toEqual(strangerBody);
        await mailer.waitFor(sent + 2);
        expect(mailer.sent).toHaveLength(sent + 2);

        // Five minutes later one more fits, and only one.
        clock.advance(5 * 60_000 - 1_000);
        expect((await post("olivia@acme.example", freshIp())).headers["retry-after"]).toBe("1");
        clock.advance(1_000);
        expect((await post("olivia@acme.example", freshIp())).statusCode).toBe(202);
        expect((await post("olivia@acme.example", freshIp())).statusCode).toBe(429);
      });

      it("should refuse a fifth link from one client IP, whatever the addresses", async () => {
        const ip = freshIp();
        for (let i = 0; i < 4; i++) {
          expect((await post(`someone-${i}@ip.example`, ip)).statusCode).toBe(202);
        }
        const refused = await post("someone-else@ip.example", ip);
        expect(refused.statusCode).toBe(429);
        expect(refused.headers["retry-after"]).toBe("150");
        // Another client is not held back by this one.
        expect((await post("someone-else@ip.example", freshIp())).statusCode).toBe(202);
        if (redis) {
          // Redis keeps the bucket for the whole period, not the minute of a per-minute bucket.
          const ttl = await redis.client.pttl(redis.key(`rl:email-link:ip:${ip}`));
          expect(ttl).toBeGreaterThan(10 * 60_000);
        }
      });
    });
  }
});

describeEachBackend("sign-in links without SMTP", (backend) => {
  it("should say so: not offered, and 400 when asked", async () => {
    const server = await createTestServer(backend);
    try {
      const methods = await server.get("/auth/methods", { key: null });
      expect(methods.body).toMatchObject({ email_link: false });
      const asked = await server.post("/auth/email-link", { email: "a@b.example" }, { key: null });
      expect(asked.status).toBe(400);
    } finally {
      await server.close();
    }
  });
});

describe("the invitation email", () => {
  it("should link to the console's acceptance page, and keep the curl command", () => {
    const mail = invitationMessage({
      organizationName: "Acme",
      email: "bob@acme.example",
      role: "developer",
      token: "stw-invite01-abc+/=",
      expiresAt: "2026-06-08T09:00:00.000Z",
      publicUrl: "https://steward.example.com/",
    });
    expect(mail.text).toContain(
      "https://steward.example.com/console/invites/accept?token=stw-invite01-abc%2B%2F%3D",
    );
    expect(mail.text).toContain("curl -X POST https://steward.example.com/v1/invites/accept");
  });
});
