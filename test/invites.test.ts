import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../src/core/ports.js";
import type { AuditEventRow } from "../src/core/records.js";
import { hashSecret, INVITE_TOKEN_PREFIX } from "../src/core/secrets.js";
import {
  type AnswerTo,
  type ApiResponse,
  type Backend,
  createTestServer,
  describeEachBackend,
  expectError,
  type RequestOptions,
  type TestServer,
} from "./harness.js";
import { present } from "./support/narrow.js";

const DAY_MS = 24 * 60 * 60 * 1000;
const TTL_MS = 7 * DAY_MS;
const START = "2026-01-01T00:00:00.000Z";

const ROLES = ["owner", "admin", "developer", "billing", "user", "claude_code_user"] as const;

/** The two ways to invite: the seed chapter's and Anthropic's. */
const CREATE_SURFACES = [
  { name: "seed", path: "/v1/users/invite" },
  { name: "anthropic", path: "/v1/organizations/invites" },
] as const;

type Invite = Awaited<ReturnType<typeof createInvite>>;

const INVITES = "/v1/organizations/invites";
const ACCEPT = "/v1/invites/accept";

let emailCounter = 0;
function uniqueEmail(tag = "invitee"): string {
  return `${tag}-${++emailCounter}-${randomBytes(3).toString("hex")}@example.com`;
}

/** Every token the suite was given, to check none of them reaches the audit trail. */
const issuedTokens: string[] = [];

async function createInvite(
  server: TestServer,
  body: { email?: string; role?: string },
  path: typeof INVITES | "/v1/users/invite" = INVITES,
) {
  const response = await server.post(path, {
    email: body.email ?? uniqueEmail(),
    role: body.role ?? "developer",
  });
  expect(response.status).toBe(200);
  issuedTokens.push(response.body.token);
  return response.body;
}

function accept(
  server: TestServer,
  body: unknown,
): Promise<ApiResponse<AnswerTo<"post", typeof ACCEPT>>> {
  return server.post(ACCEPT, body, { key: null });
}

function auditRecords(server: TestServer): Promise<AuditEventRow[]> {
  return server.services.deps.store.read.audit.list(server.org.id);
}

async function auditOf(
  server: TestServer,
  response: ApiResponse<unknown>,
): Promise<AuditEventRow[]> {
  const requestId = response.headers["request-id"];
  expect(requestId).toMatch(/^req_/);
  return (await auditRecords(server)).filter((r) => r.request_id === requestId);
}

async function expectNoSecretsInAudit(server: TestServer, secrets: string[]): Promise<void> {
  const everything = (await auditRecords(server)).map((r) => r.changes).join("\n");
  for (const secret of secrets) {
    expect(everything).not.toContain(secret);
    expect(everything).not.toContain(hashSecret(secret));
  }
}

/** Everything a refused request could have touched. */
async function snapshot(server: TestServer): Promise<unknown> {
  const all = { query: { limit: 1000 } };
  const [users, invites, audit] = await Promise.all([
    server.get("/v1/organizations/users", all),
    server.get(INVITES, all),
    auditRecords(server),
  ]);
  return { users: users.body, invites: invites.body, audit: audit.map((r) => r.id) };
}

async function newServer(backend: Backend): Promise<{ server: TestServer; clock: ManualClock }> {
  const clock = new ManualClock(START);
  const server = await createTestServer(backend, { clock });
  return { server, clock };
}

describeEachBackend("invites", (backend) => {
  let server: TestServer;
  let clock: ManualClock;
  beforeAll(async () => {
    ({ server, clock } = await newServer(backend));
  });
  afterAll(async () => {
    await server?.close();
  });

  describe.each(CREATE_SURFACES)("POST $path ($name surface)", (surface) => {
    it("should create a pending invite that expires in 7 days, with a one-time token", async () => {
      const email = uniqueEmail("new");
      const response = await server.post(surface.path, { email, role: "developer" });
      expect(response.status).toBe(200);
      const invited = response.body;
      issuedTokens.push(invited.token);
      const now = clock.now();
      expect(invited).toEqual({
        id: expect.stringMatching(/^invite_01/),
        type: "invite",
        email,
        role: "developer",
        status: "pending",
        invited_at: now.toISOString(),
        expires_at: new Date(now.getTime() + TTL_MS).toISOString(),
        accepted_at: null,
        rbac_group_ids: [],
        token: expect.stringMatching(new RegExp(`^${INVITE_TOKEN_PREFIX}[A-Za-z0-9_-]{64}$`)),
      });
      const { token, ...invite } = invited;
      const fetched = await server.get(`${INVITES}/${invite.id}`);
      expect(fetched.status).toBe(200);
      expect(fetched.body).toEqual(invite);
      expect(JSON.stringify(fetched.body)).not.toContain(token);

      const records = await auditOf(server, response);
      expect(records).toHaveLength(1);
      expect(records[0]).toMatchObject({
        action: "invite.created",
        actor_type: "admin_key",
        actor_id: server.org.adminKeyId,
        target_type: "invite",
        target_id: invite.id,
        outcome: "success",
      });
      expect(JSON.parse(records[0]!.changes)).toEqual({ before: null, after: invite });
      await expectNoSecretsInAudit(server, [token]);
    });

    it.each(ROLES)("should invite with the role %s", async (role) => {
      const response = await server.post(surface.path, { email: uniqueEmail(role), role });
      expect(response.status).toBe(200);
      issuedTokens.push(response.body.token);
      expect(response.body.role).toBe(role);
    });

    it("should keep the email as written, without surrounding spaces", async () => {
      const email = uniqueEmail("Mixed.Case");
      const response = await server.post(surface.path, {
        email: `  ${email.toUpperCase()} `,
        role: "user",
      });
      expect(response.status).toBe(200);
      issuedTokens.push(response.body.token);
      expect(response.body.email).toBe(email.toUpperCase());
    });

    it("should accept an empty rbac_group_ids", async () => {
      const response = await server.post(surface.path, {
        email: uniqueEmail(),
        role: "user",
        rbac_group_ids: [],
      });
      expect(response.status).toBe(200);
      issuedTokens.push(response.body.token);
      expect(response.body.rbac_group_ids).toEqual([]);
    });

    it.each([
      "not-an-email",
      "a@",
      "@example.com",
      "a b@example.com",
      "alice@@example.com",
      "alice@example",
      "",
      "   ",
      `${"a".repeat(320)}@example.com`,
    ])("should refuse the email %j with a 400 and write nothing", async (email) => {
      const before = await snapshot(server);
      const error = expectError(
        await server.post(surface.path, { email, role: "developer" }),
        400,
        "invalid_request_error",
      );
      expect(error.message).toMatch(/email/);
      expect(await snapshot(server)).toEqual(before);
    });

    it.each([
      [{ role: "developer" }, /email/],
      [{ email: "x@example.com" }, /role/],
      [{ email: 42, role: "developer" }, /email/],
      [{ email: ["x@example.com"], role: "developer" }, /email/],
      [{ email: null, role: "developer" }, /email/],
      [{ email: "x@example.com", role: "Admin" }, /role/],
      [{ email: "x@example.com", role: "primary_owner" }, /role/],
      [{ email: "x@example.com", role: "managed" }, /role/],
      [{ email: "x@example.com", role: "" }, /role/],
      [{ email: "x@example.com", role: 1 }, /role/],
      [{ email: "x@example.com", role: null }, /role/],
      [{ email: "x@example.com", role: "developer", rbac_group_ids: ["grp_1"] }, /rbac_group_ids/],
      [{ email: "x@example.com", role: "developer", rbac_group_ids: "grp_1" }, /rbac_group_ids/],
      [{ email: "x@example.com", role: "developer", name: "X" }, /name/],
      [{ email: "x@example.com", role: "developer", workspace_id: "wrkspc_1" }, /workspace_id/],
    ])("should refuse %j with a 400 naming the field and write nothing", async (body, field) => {
      const before = await snapshot(server);
      const error = expectError(
        await server.post(surface.path, body),
        400,
        "invalid_request_error",
      );
      expect(error.message).toMatch(field);
      expect(await snapshot(server)).toEqual(before);
    });

    it.each([
      ["malformed JSON", '{"email": '],
      ["a JSON array", '[{"email":"x@example.com","role":"user"}]'],
      ["a JSON string", '"x@example.com"'],
    ])("should refuse %s as the body", async (_label, raw) => {
      const before = await snapshot(server);
      expectError(
        await server.request("POST", surface.path, { body: raw }),
        400,
        "invalid_request_error",
      );
      expect(await snapshot(server)).toEqual(before);
    });

    it("should refuse to invite a member, whatever the case of the email (already_member)", async () => {
      const email = `alice.${surface.name}@x.com`;
      const invite = await createInvite(server, { email, role: "developer" });
      expect((await accept(server, { token: invite.token, name: "Alice" })).status).toBe(200);
      const owner = (await server.get(`/v1/organizations/users/${server.org.ownerId}`)).body;

      const before = await snapshot(server);
      for (const taken of [email.toUpperCase(), email, owner.email.toUpperCase()]) {
        const error = expectError(
          await server.post(surface.path, { email: taken, role: "user" }),
          400,
          "invalid_request_error",
        );
        expect(error.details?.error_code).toBe("already_member");
      }
      expect(await snapshot(server)).toEqual(before);
    });

    it("should refuse a second pending invite for the same email, in any case and on either surface", async () => {
      const email = uniqueEmail("twice");
      const first = await createInvite(server, { email, role: "developer" }, surface.path);
      const before = await snapshot(server);
      for (const other of CREATE_SURFACES) {
        for (const again of [email, email.toUpperCase()]) {
          const error = expectError(
            await server.post(other.path, { email: again, role: "admin" }),
            400,
            "invalid_request_error",
          );
          expect(error.details?.error_code).toBe("invite_already_exists");
          expect(error.message).toContain(first.id);
        }
      }
      expect(await snapshot(server)).toEqual(before);
      expect((await server.get(`${INVITES}/${first.id}`)).body.status).toBe("pending");
    });

    it("should allow inviting again once the first invite has expired", async () => {
      const email = uniqueEmail("expiring");
      const first = await createInvite(server, { email, role: "developer" }, surface.path);
      clock.advance(TTL_MS - 1);
      expectError(
        await server.post(surface.path, { email, role: "developer" }),
        400,
        "invalid_request_error",
      );
      clock.advance(1);
      expect((await server.get(`${INVITES}/${first.id}`)).body.status).toBe("expired");
      const second = await server.post(surface.path, {
        email: email.toUpperCase(),
        role: "billing",
      });
      expect(second.status).toBe(200);
      issuedTokens.push(second.body.token);
      expect(second.body).toMatchObject({ status: "pending", role: "billing" });
      expect(second.body.id).not.toBe(first.id);
    });

    it("should allow inviting again once the first invite was deleted", async () => {
      const email = uniqueEmail("withdrawn");
      const first = await createInvite(server, { email, role: "developer" }, surface.path);
      expect((await server.delete(`${INVITES}/${first.id}`)).status).toBe(200);
      const second = await server.post(surface.path, { email, role: "developer" });
      expect(second.status).toBe(200);
      issuedTokens.push(second.body.token);
      expect(second.body.status).toBe("pending");
    });
  });

  describe(`GET ${INVITES}/:invite_id`, () => {
    it("should turn pending into expired exactly 7 days after the invite", async () => {
      const invite = await createInvite(server, {});
      clock.advance(TTL_MS - 1);
      expect((await server.get(`${INVITES}/${invite.id}`)).body.status).toBe("pending");
      clock.advance(1);
      const expired = await server.get(`${INVITES}/${invite.id}`);
      expect(expired.status).toBe(200);
      expect(expired.body).toMatchObject({
        status: "expired",
        expires_at: invite.expires_at,
        accepted_at: null,
      });
    });

    it.each([
      ["an unknown invite id", (s: TestServer) => s.services.deps.ids.next("invite")],
      ["a user id", (s: TestServer) => s.org.ownerId],
      ["garbage", () => "nope"],
    ])("should answer %s with a 404", async (_label, idOf) => {
      const id = idOf(server);
      const error = expectError(await server.get(`${INVITES}/${id}`), 404, "not_found_error");
      expect(error.message).toContain(id);
    });
  });

  describe(`DELETE ${INVITES}/:invite_id`, () => {
    it("should withdraw a pending invite, audit it once, and stop its token", async () => {
      const invite = await createInvite(server, { role: "billing" });
      const response = await server.delete(`${INVITES}/${invite.id}`);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ id: invite.id, type: "invite_deleted", deleted: true });

      const records = await auditOf(server, response);
      expect(records).toHaveLength(1);
      expect(records[0]).toMatchObject({
        action: "invite.deleted",
        actor_type: "admin_key",
        actor_id: server.org.adminKeyId,
        target_id: invite.id,
      });
      const changes = JSON.parse(records[0]!.changes);
      expect(changes.before.status).toBe("pending");
      expect(changes.after.status).toBe("deleted");

      expect((await server.get(`${INVITES}/${invite.id}`)).body.status).toBe("deleted");
      const list = await server.get(INVITES, { query: { limit: 1000 } });
      expect(list.body.data.map((i) => i.id)).not.toContain(invite.id);

      const before = await snapshot(server);
      const error = expectError(
        await accept(server, { token: invite.token }),
        400,
        "invalid_request_error",
      );
      expect(error.details?.error_code).toBe("invite_not_pending");
      expect(await snapshot(server)).toEqual(before);
    });

    it("should delete an expired invite", async () => {
      const invite = await createInvite(server, {});
      clock.advance(TTL_MS);
      expect((await server.get(`${INVITES}/${invite.id}`)).body.status).toBe("expired");
      const response = await server.delete(`${INVITES}/${invite.id}`);
      expect(response.status).toBe(200);
      expect((await server.get(`${INVITES}/${invite.id}`)).body.status).toBe("deleted");
    });

    it("should refuse to delete an accepted invite (400) and write nothing", async () => {
      const invite = await createInvite(server, {});
      expect((await accept(server, { token: invite.token })).status).toBe(200);
      const before = await snapshot(server);
      const error = expectError(
        await server.delete(`${INVITES}/${invite.id}`),
        400,
        "invalid_request_error",
      );
      expect(error.details?.error_code).toBe("invite_not_pending");
      expect(await snapshot(server)).toEqual(before);
      expect((await server.get(`${INVITES}/${invite.id}`)).body.status).toBe("accepted");
    });

    it("should answer a second delete and an unknown id with a 404 that writes nothing", async () => {
      const invite = await createInvite(server, {});
      expect((await server.delete(`${INVITES}/${invite.id}`)).status).toBe(200);
      const before = await snapshot(server);
      expectError(await server.delete(`${INVITES}/${invite.id}`), 404, "not_found_error");
      expectError(
        await server.delete(`${INVITES}/${server.services.deps.ids.next("invite")}`),
        404,
        "not_found_error",
      );
      expectError(await server.delete(`${INVITES}/${server.org.ownerId}`), 404, "not_found_error");
      expect(await snapshot(server)).toEqual(before);
    });
  });

  describe(`POST ${ACCEPT}`, () => {
    it("should create the member with the invite's role and email, without an admin key", async () => {
      const email = uniqueEmail("Joiner");
      const invite = await createInvite(server, { email, role: "billing" });
      clock.advance(1000);
      const response = await accept(server, { token: invite.token, name: "  Jo Iner " });
      expect(response.status).toBe(200);
      const now = clock.now().toISOString();
      const user = response.body;
      expect(user).toEqual({
        id: expect.stringMatching(/^user_01/),
        type: "user",
        email,
        name: "Jo Iner",
        role: "billing",
        status: "active",
        added_at: now,
        created_at: now,
        updated_at: now,
        last_active_at: now,
      });

      expect((await server.get(`/v1/users/${user.id}`)).body).toEqual(user);
      expect((await server.get(`/v1/organizations/users/${user.id}`)).body).toEqual(user);
      const listed = await server.get("/v1/users", { query: { email } });
      expect(listed.body.data).toEqual([user]);
      expect((await server.get(`${INVITES}/${invite.id}`)).body).toMatchObject({
        status: "accepted",
        accepted_at: now,
      });

      const records = await auditOf(server, response);
      expect(records.map((r) => r.action)).toEqual(["invite.accepted", "user.created"]);
      for (const record of records) {
        expect(record).toMatchObject({
          actor_type: "invitee",
          actor_id: invite.id,
          outcome: "success",
        });
      }
      expect(records[0]!.target_id).toBe(invite.id);
      expect(records[1]!.target_id).toBe(user.id);
      expect(JSON.parse(records[1]!.changes).after).toEqual(user);
      await expectNoSecretsInAudit(server, [invite.token]);
    });

    it.each(ROLES)("should give the new member the role %s from the invite", async (role) => {
      const invite = await createInvite(server, { role });
      const response = await accept(server, { token: invite.token });
      expect(response.status).toBe(200);
      expect(response.body.role).toBe(role);
    });

    it("should name the member after the email's local part when no name is given", async () => {
      const invite = await createInvite(server, {
        email: `Dana.Doe+${randomBytes(2).toString("hex")}@example.com`,
      });
      const response = await accept(server, { token: invite.token });
      expect(response.status).toBe(200);
      expect(response.body.name).toBe(invite.email.split("@")[0]);
    });

    it("should accept a token once only", async () => {
      const invite = await createInvite(server, {});
      expect((await accept(server, { token: invite.token, name: "First" })).status).toBe(200);
      const before = await snapshot(server);
      const error = expectError(
        await accept(server, { token: invite.token, name: "Second" }),
        400,
        "invalid_request_error",
      );
      expect(error.details?.error_code).toBe("invite_not_pending");
      expect(await snapshot(server)).toEqual(before);
    });

    it("should accept up to the last millisecond and refuse an expired invite", async () => {
      const early = await createInvite(server, {});
      const late = await createInvite(server, {});
      clock.advance(TTL_MS - 1);
      expect((await accept(server, { token: early.token })).status).toBe(200);
      clock.advance(1);
      const before = await snapshot(server);
      const error = expectError(
        await accept(server, { token: late.token }),
        400,
        "invalid_request_error",
      );
      expect(error.details?.error_code).toBe("invite_not_pending");
      expect(error.message).toMatch(/expired/);
      expect(await snapshot(server)).toEqual(before);
      const byEmail = await server.get("/v1/organizations/users", { query: { email: late.email } });
      expect(byEmail.body.data).toEqual([]);
    });

    it.each([
      [
        "an unknown token of the right shape",
        () => `${INVITE_TOKEN_PREFIX}${randomBytes(48).toString("base64url")}`,
      ],
      ["garbage", () => "nope"],
      ["an admin key", (s: TestServer) => s.org.adminKey],
    ])("should answer %s with a 401 and write nothing", async (_label, tokenOf) => {
      const before = await snapshot(server);
      expectError(await accept(server, { token: tokenOf(server) }), 401, "authentication_error");
      expect(await snapshot(server)).toEqual(before);
    });

    it.each([
      [() => ({}), /token/],
      [() => ({ token: "" }), /token/],
      [() => ({ token: 12345 }), /token/],
      [() => ({ token: null }), /token/],
      [() => ({ token: "x".repeat(201) }), /token/],
      [(t: string) => ({ token: t, name: "" }), /name/],
      [(t: string) => ({ token: t, name: "   " }), /name/],
      [(t: string) => ({ token: t, name: 7 }), /name/],
      [(t: string) => ({ token: t, name: "n".repeat(201) }), /name/],
      [(t: string) => ({ token: t, role: "owner" }), /role/],
      [(t: string) => ({ token: t, email: "other@example.com" }), /email/],
    ])(
      "should refuse the body #%# with a 400 and leave the invite pending",
      async (bodyOf, field) => {
        const invite = await createInvite(server, {});
        const before = await snapshot(server);
        const error = expectError(
          await accept(server, bodyOf(invite.token)),
          400,
          "invalid_request_error",
        );
        expect(error.message).toMatch(field);
        expect(await snapshot(server)).toEqual(before);
        expect((await accept(server, { token: invite.token })).status).toBe(200);
      },
    );

    it("should refuse malformed JSON", async () => {
      expectError(
        await server.request("POST", ACCEPT, { body: '{"token": ', key: null }),
        400,
        "invalid_request_error",
      );
    });
  });

  describe(`GET ${INVITES}`, () => {
    let listed: TestServer;
    let listClock: ManualClock;
    // Created in this order: expired, pending (developer), pending (billing), accepted, deleted.
    let expired: Invite;
    let pendingDev: Invite;
    let pendingBilling: Invite;
    let accepted: Invite;
    let deleted: Invite;
    const ids = () => [expired.id, pendingDev.id, pendingBilling.id, accepted.id];

    beforeAll(async () => {
      ({ server: listed, clock: listClock } = await newServer(backend));
      expired = await createInvite(listed, { role: "developer" });
      listClock.advance(TTL_MS);
      pendingDev = await createInvite(listed, {
        email: uniqueEmail("Pending.Dev"),
        role: "developer",
      });
      pendingBilling = await createInvite(listed, { role: "billing" }, "/v1/users/invite");
      accepted = await createInvite(listed, { role: "user" });
      expect((await accept(listed, { token: accepted.token })).status).toBe(200);
      deleted = await createInvite(listed, { role: "developer" });
      expect((await listed.delete(`${INVITES}/${deleted.id}`)).status).toBe(200);
    });
    afterAll(async () => {
      await listed?.close();
    });

    it("should list every invite but deleted ones, oldest first, with their statuses", async () => {
      const { status, body } = await listed.get(INVITES);
      expect(status).toBe(200);
      expect(body.data.map((i) => i.id)).toEqual(ids());
      expect(body.data.map((i) => i.status)).toEqual(["expired", "pending", "pending", "accepted"]);
      expect(body).toMatchObject({ has_more: false, first_id: expired.id, last_id: accepted.id });
      for (const invite of body.data) {
        expect(invite).not.toHaveProperty("token");
      }
    });

    it.each([
      [["pending"], () => [pendingDev.id, pendingBilling.id]],
      [["expired"], () => [expired.id]],
      [["accepted"], () => [accepted.id]],
      [["pending", "accepted"], () => [pendingDev.id, pendingBilling.id, accepted.id]],
      [["expired", "accepted", "pending"], () => ids()],
    ])("should filter statuses[]=%j", async (statuses, expected) => {
      const { status, body } = await listed.get(INVITES, { query: { statuses } });
      expect(status).toBe(200);
      expect(body.data.map((i) => i.id)).toEqual(expected());
    });

    it("should filter by a lone statuses value", async () => {
      const { body } = await listed.get(`${INVITES}?statuses=expired`);
      expect(body.data.map((i) => i.id)).toEqual([expired.id]);
    });

    it("should filter by roles[] and combine filters", async () => {
      const devs = await listed.get(INVITES, { query: { roles: ["developer"] } });
      expect(devs.body.data.map((i) => i.id)).toEqual([expired.id, pendingDev.id]);
      const some = await listed.get(INVITES, { query: { roles: ["billing", "user"] } });
      expect(some.body.data.map((i) => i.id)).toEqual([pendingBilling.id, accepted.id]);
      const pendingDevs = await listed.get(INVITES, {
        query: { roles: ["developer"], statuses: ["pending"] },
      });
      expect(pendingDevs.body.data.map((i) => i.id)).toEqual([pendingDev.id]);
      const none = await listed.get(INVITES, { query: { roles: ["owner"] } });
      expect(none.body).toEqual({ data: [], has_more: false, first_id: null, last_id: null });
    });

    it("should filter by email case-insensitively", async () => {
      const { body } = await listed.get(INVITES, {
        query: { email: pendingDev.email.toUpperCase() },
      });
      expect(body.data.map((i) => i.id)).toEqual([pendingDev.id]);
      const deletedOne = await listed.get(INVITES, { query: { email: deleted.email } });
      expect(deletedOne.body.data).toEqual([]);
    });

    it("should move an invite from pending to expired as time passes", async () => {
      const { server: moving, clock: movingClock } = await newServer(backend);
      try {
        const invite = await createInvite(moving, {});
        expect(
          (await moving.get(INVITES, { query: { statuses: ["pending"] } })).body.data,
        ).toHaveLength(1);
        movingClock.advance(TTL_MS);
        expect((await moving.get(INVITES, { query: { statuses: ["pending"] } })).body.data).toEqual(
          [],
        );
        const now = await moving.get(INVITES, { query: { statuses: ["expired"] } });
        expect(now.body.data.map((i) => i.id)).toEqual([invite.id]);
      } finally {
        await moving.close();
      }
    });

    // Paging forwards and backwards: test/resources.test.ts. What is particular to invites: the
    // page envelope's fields across statuses, and the empty page before the first.
    it("should page across statuses, and answer an empty page before the first invite", async () => {
      const first = await listed.get(INVITES, { query: { limit: 2 } });
      expect(first.body).toMatchObject({
        has_more: true,
        first_id: expired.id,
        last_id: pendingDev.id,
      });
      const second = await listed.get(INVITES, {
        query: { limit: 2, after_id: present(first.body.last_id) },
      });
      expect(second.body.data.map((i) => i.id)).toEqual([pendingBilling.id, accepted.id]);
      const none = await listed.get(INVITES, { query: { before_id: expired.id } });
      expect(none.body).toEqual({ data: [], has_more: false, first_id: null, last_id: null });
    });

    it("should page through filtered results", async () => {
      const first = await listed.get(INVITES, {
        query: { statuses: ["pending", "accepted"], limit: 1 },
      });
      expect(first.body).toMatchObject({ has_more: true, first_id: pendingDev.id });
      const rest = await listed.get(INVITES, {
        query: { statuses: ["pending", "accepted"], limit: 5, after_id: pendingDev.id },
      });
      expect(rest.body.data.map((i) => i.id)).toEqual([pendingBilling.id, accepted.id]);
      expect(rest.body.has_more).toBe(false);
    });

    it("should accept a deleted invite as a cursor", async () => {
      const after = await listed.get(INVITES, { query: { after_id: deleted.id } });
      expect(after.status).toBe(200);
      expect(after.body.data).toEqual([]);
      const before = await listed.get(INVITES, { query: { before_id: deleted.id, limit: 1 } });
      expect(before.body.data.map((i) => i.id)).toEqual([accepted.id]);
    });

    it.each([
      [{ statuses: ["deleted"] }, /statuses/],
      [{ statuses: ["bogus"] }, /statuses/],
      [{ roles: ["Admin"] }, /roles/],
      [{ limit: 0 }, /limit/],
      [{ limit: 1001 }, /limit/],
      [{ limit: "abc" }, /limit/],
    ])("should refuse the query %j with a 400", async (query, field) => {
      const error = expectError(
        await listed.get(INVITES, { query: query as NonNullable<RequestOptions["query"]> }),
        400,
        "invalid_request_error",
      );
      expect(error.message).toMatch(field);
    });

    it("should accept limit 1 and 1000", async () => {
      expect((await listed.get(INVITES, { query: { limit: 1 } })).body.data).toHaveLength(1);
      expect((await listed.get(INVITES, { query: { limit: 1000 } })).body.data).toHaveLength(4);
    });

    it("should refuse after_id and before_id together", async () => {
      const error = expectError(
        await listed.get(INVITES, { query: { after_id: expired.id, before_id: accepted.id } }),
        400,
        "invalid_request_error",
      );
      expect(error.details?.error_code).toBe("invalid_cursor");
    });

    it.each([
      ["an unknown invite id", (s: TestServer) => s.services.deps.ids.next("invite")],
      ["a user id", (s: TestServer) => s.org.ownerId],
      ["garbage", () => "garbage"],
    ])("should refuse %s as a cursor in either direction", async (_label, cursorOf) => {
      const cursor = cursorOf(listed);
      for (const direction of ["after_id", "before_id"]) {
        const error = expectError(
          await listed.get(INVITES, { query: { [direction]: cursor } }),
          400,
          "invalid_request_error",
        );
        expect(error.details?.error_code).toBe("invalid_cursor");
      }
    });
  });

  describe("across surfaces", () => {
    it("should show an invite made on the seed surface in Anthropic's list and get", async () => {
      const email = uniqueEmail("seeded");
      const invite = await createInvite(
        server,
        { email, role: "claude_code_user" },
        "/v1/users/invite",
      );
      const { token, ...visible } = invite;
      expect((await server.get(`${INVITES}/${invite.id}`)).body).toEqual(visible);
      const list = await server.get(INVITES, { query: { email } });
      expect(list.body.data).toEqual([visible]);
      const joined = await accept(server, { token });
      expect((await server.get(`/v1/users/${joined.body.id}`)).body.role).toBe("claude_code_user");
    });
  });

  it("should never have written an invite token or its hash into the audit trail", async () => {
    expect(issuedTokens.length).toBeGreaterThan(20);
    await expectNoSecretsInAudit(server, issuedTokens);
  });
});

describeEachBackend("invites under concurrency", (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    ({ server } = await newServer(backend));
  });
  afterAll(async () => {
    await server?.close();
  });

  it("should let only one of several simultaneous invites for one email through", async () => {
    const email = uniqueEmail("race");
    const responses = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        server.post(i % 2 === 0 ? INVITES : "/v1/users/invite", {
          email: i % 3 === 0 ? email.toUpperCase() : email,
          role: "developer",
        }),
      ),
    );
    const ok = responses.filter((r) => r.status === 200);
    expect(ok).toHaveLength(1);
    for (const refused of responses.filter((r) => r.status !== 200)) {
      expect([400, 409]).toContain(refused.status);
    }
    const list = await server.get(INVITES, { query: { email } });
    expect(list.body.data).toHaveLength(1);
  });

  it("should let a token be accepted once even when sent twice at once", async () => {
    const invite = await createInvite(server, {});
    const responses = await Promise.all(
      [0, 1, 2].map(() => accept(server, { token: invite.token })),
    );
    expect(responses.filter((r) => r.status === 200)).toHaveLength(1);
    const users = await server.get("/v1/organizations/users", { query: { email: invite.email } });
    expect(users.body.data).toHaveLength(1);
  });

  it("should either accept or delete an invite that is accepted and deleted at once, never both", async () => {
    for (let i = 0; i < 8; i++) {
      const invite = await createInvite(server, {});
      const [deleted, accepted] = await Promise.all([
        server.delete(`${INVITES}/${invite.id}`),
        accept(server, { token: invite.token }),
      ]);
      const status = (await server.get(`${INVITES}/${invite.id}`)).body.status;
      const users = (
        await server.get("/v1/organizations/users", { query: { email: invite.email } })
      ).body.data;
      if (accepted.status === 200) {
        expect(deleted.status).toBe(400);
        expect(status).toBe("accepted");
        expect(users).toHaveLength(1);
      } else {
        expect(deleted.status).toBe(200);
        expect(status).toBe("deleted");
        expect(users).toHaveLength(0);
      }
    }
  });
});
