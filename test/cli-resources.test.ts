import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  API_KEY_SECRET,
  type CliServer,
  HAS_SCRIPT,
  INVITE_TOKEN,
  json,
  parseJson,
  runCliCommand,
  runCliInTerminal,
  spawnCli,
  startCliServer,
} from "./cli-harness.js";
import { describeEachBackend } from "./harness.js";

/** A port nobody listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describeEachBackend("everyday CLI: organization, members, workspaces, keys", (backend) => {
  let s: CliServer;

  beforeAll(async () => {
    s = await startCliServer(backend);
  });
  afterAll(async () => {
    await s?.close();
  });

  /** An invite accepted: a member. */
  async function member(email: string, role = "developer"): Promise<{ id: string }> {
    const invite = await json(s, "users", "invite", "--email", email, "--role", role);
    const accepted = await s.post(
      "/v1/invites/accept",
      { token: invite.token, name: email.split("@")[0] },
      { key: null },
    );
    expect(accepted.status).toBe(200);
    return accepted.body;
  }

  describe("org", () => {
    it("should show the organization as a table and as JSON", async () => {
      const table = await s.cli("org", "show");
      expect(table.code).toBe(0);
      expect(table.stdout).toMatch(/^id:\s+org_/);
      expect(table.stdout).toMatch(/name:\s+Acme Corporation/);
      expect(table.stdout).toMatch(/this month \(UTC\):\s+\$0\.00/);
      const shown = await json(s, "org", "show");
      expect(shown).toMatchObject({ id: s.org.id, type: "organization", name: "Acme Corporation" });
    });

    it("should update it through flags derived from the contract, nested ones dotted", async () => {
      const updated = await json(
        s,
        "org",
        "update",
        "--name",
        "Acme Labs",
        "--settings.allowed-ip-ranges",
        "127.0.0.1/32,203.0.113.7/24",
        "--settings.require-mfa",
        "true",
        "--billing.usage-limit-usd",
        "1000",
      );
      expect(updated.name).toBe("Acme Labs");
      expect(updated.settings.allowed_ip_ranges).toEqual(["127.0.0.1/32", "203.0.113.0/24"]);
      expect(updated.settings.require_mfa).toBe(true);
      expect(updated.billing.usage_limit_usd).toBe(1000);

      const cleared = await s.cli(
        "org",
        "update",
        "--billing.usage-limit-usd",
        "null",
        "--settings.allowed-ip-ranges",
        "",
      );
      expect(cleared.code).toBe(0);
      expect(cleared.stdout).toMatch(/^Updated\./);
      expect(cleared.stdout).toMatch(/usage limit:\s+none/);
      expect(cleared.stdout).toMatch(/allowed IP ranges:\s+any/);
    });

    it("should refuse bad values with exit code 64, naming the flag, and send nothing", async () => {
      const nothing = await s.cli("org", "update");
      expect(nothing.code).toBe(64);
      expect(nothing.stderr).toMatch(/nothing to change: give at least one of --name/);
      const bad = await s.cli("org", "update", "--settings.require-mfa", "maybe");
      expect(bad.code).toBe(64);
      expect(bad.stderr).toMatch(/--settings.require-mfa expects true or false/);
      const badCidr = await s.cli("org", "update", "--settings.allowed-ip-ranges", "10.0.0.0/99");
      expect(badCidr.code).toBe(64);
      expect(badCidr.stderr).toMatch(/--settings\.allowed-ip-ranges\.0: not a valid/);
      const help = await s.cli("org", "update", "--help");
      expect(help.stdout).toMatch(/--billing\.usage-limit-usd <usd>/);
      expect((await json(s, "org", "show")).name).toBe("Acme Labs");
    });
  });

  describe("users and invites", () => {
    it("should invite, list, change roles and remove members", async () => {
      const invite = await s.cli("users", "invite", "--email", "dev@example.com", "--role", "user");
      expect(invite.code).toBe(0);
      expect(invite.stdout).toMatch(/^Invited dev@example\.com as user \(invite_/);
      const token = invite.stdout.match(INVITE_TOKEN)?.[0];
      expect(token).toBeDefined();
      const accepted = await s.post(
        "/v1/invites/accept",
        { token, name: "Dana Dev" },
        { key: null },
      );
      expect(accepted.status).toBe(200);

      const table = await s.cli("users", "list");
      expect(table.stdout).toMatch(/^ID\s+EMAIL\s+NAME\s+ROLE/);
      expect(table.stdout).toMatch(/dev@example\.com\s+Dana Dev\s+user/);
      const listed = await json(s, "users", "list", "--roles", "user");
      expect(listed).toMatchObject({ has_more: false });
      expect(listed.data.map((u: { email: string }) => u.email)).toEqual(["dev@example.com"]);
      const limited = await s.cli("users", "list", "--limit", "1");
      expect(limited.stderr).toMatch(/showing the first 1/);

      const promoted = await s.cli("users", "set-role", "dev@example.com", "developer");
      expect(promoted.stdout).toMatch(/dev@example\.com \(user_\S+\) is now developer\./);
      const again = await json(s, "users", "set-role", accepted.body.id, "billing");
      expect(again.role).toBe("billing");
      const badRole = await s.cli("users", "set-role", accepted.body.id, "wizard");
      expect(badRole.code).toBe(64);
      expect(badRole.stderr).toMatch(/Allowed choices are owner, admin, developer/);

      const refused = await s.cli("users", "remove", "dev@example.com");
      expect(refused.code).toBe(64);
      expect(refused.stderr).toMatch(/stdin is not a terminal; pass --yes/);
      expect((await s.get(`/v1/users/${accepted.body.id}`)).status).toBe(200);
      const removed = await json(s, "users", "remove", "dev@example.com", "--yes");
      expect(removed).toMatchObject({ id: accepted.body.id, deleted: true });
      expect((await s.get(`/v1/users/${accepted.body.id}`)).status).toBe(404);
    });

    it("should list and delete invites", async () => {
      const created = await json(
        s,
        "users",
        "invite",
        "--email",
        "pending@example.com",
        "--role",
        "developer",
      );
      expect(created.token).toMatch(INVITE_TOKEN);
      const table = await s.cli("invites", "list", "--statuses", "pending");
      expect(table.stdout).toMatch(/pending@example\.com\s+developer\s+pending/);
      expect(table.stdout).not.toMatch(INVITE_TOKEN);
      const deleted = await json(s, "invites", "delete", created.id);
      expect(deleted).toMatchObject({ id: created.id, type: "invite_deleted" });
      const listed = await json(s, "invites", "list");
      expect(listed.data.map((i: { id: string }) => i.id)).not.toContain(created.id);
      const human = await s.cli("invites", "delete", created.id);
      expect(human.code).toBe(1);
      expect(human.stderr).toMatch(/^steward: 4\d\d \w+_error: /);

      const again = await json(
        s,
        "users",
        "invite",
        "--email",
        "later@example.com",
        "--role",
        "user",
      );
      const byEmail = await json(s, "invites", "delete", "LATER@example.com");
      expect(byEmail.id).toBe(again.id);
      const none = await s.cli("invites", "delete", "later@example.com");
      expect(none.stderr).toContain('unknown invite "later@example.com"');
    });
  });

  describe("workspaces and members", () => {
    it("should create, list, update and archive workspaces, by name or id", async () => {
      const created = await json(
        s,
        "workspaces",
        "create",
        "--name",
        "Research",
        "--usage-limits.monthly-spend-usd",
        "250",
        "--usage-limits.requests-per-minute",
        "60",
        "--tags",
        "team=ml",
        "--tags",
        "cost-center=42",
        "--data-residency.allowed-inference-geos",
        "us",
        "--data-residency.default-inference-geo",
        "us",
      );
      expect(created).toMatchObject({
        name: "Research",
        usage_limits: { monthly_spend_usd: 250, requests_per_minute: 60 },
        tags: { team: "ml", "cost-center": "42" },
        data_residency: { allowed_inference_geos: ["us"] },
      });
      const updated = await json(
        s,
        "workspaces",
        "update",
        "Research",
        "--name",
        "Research Lab",
        "--tags",
        "team=null",
        "--usage-limits.requests-per-minute",
        "null",
      );
      expect(updated).toMatchObject({
        id: created.id,
        name: "Research Lab",
        tags: { "cost-center": "42" },
        usage_limits: { monthly_spend_usd: 250, requests_per_minute: null },
      });
      const table = await s.cli("workspaces", "list");
      expect(table.stdout).toMatch(/^ID\s+NAME\s+STATUS\s+LIMITS/);
      expect(table.stdout).toMatch(/Default\s+default/);
      expect(table.stdout).toMatch(/Research Lab\s+active\s+\$250\.00\/month/);

      const badColor = await s.cli(
        "workspaces",
        "create",
        "--name",
        "Ops",
        "--display-color",
        "red",
      );
      expect(badColor.code).toBe(64);
      expect(badColor.stderr).toMatch(/--display-color: must be a color like #6C5BB9/);
      const missing = await s.cli("workspaces", "create");
      expect(missing.code).toBe(64);
      expect(missing.stderr).toMatch(/--name/);
      const unknown = await s.cli("workspaces", "update", "Nowhere", "--name", "X");
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toMatch(/unknown workspace "Nowhere"/);

      const doomed = await json(s, "workspaces", "create", "--name", "Doomed");
      const refused = await s.cli("workspaces", "archive", "Doomed");
      expect(refused.code).toBe(64);
      const archived = await s.cli("workspaces", "archive", doomed.id, "--yes");
      expect(archived.stdout).toMatch(/^Archived workspace Doomed/);
      const all = await json(s, "workspaces", "list", "--include-archived", "true");
      expect(all.data.find((w: { id: string }) => w.id === doomed.id).archived_at).not.toBeNull();
      const active = await json(s, "workspaces", "list");
      expect(active.data.map((w: { id: string }) => w.id)).not.toContain(doomed.id);
    });

    it("workspaces rate-limits and set-rate-limits: per group, by model or group, null clears", async () => {
      await json(s, "workspaces", "create", "--name", "Limited Lab");
      const set = await json(
        s,
        "workspaces",
        "set-rate-limits",
        "Limited Lab",
        "--model",
        "claude-haiku-4-5",
        "--requests-per-minute",
        "40",
        "--output-tokens-per-minute",
        "9000",
      );
      expect(set.group).toMatchObject({ type: "model_group", display_name: "Claude Haiku 4.x" });
      expect(set.limits.map((l: { type: string; value: number }) => [l.type, l.value])).toEqual([
        ["requests_per_minute", 40],
        ["output_tokens_per_minute", 9000],
      ]);
      const human = await s.cli(
        "workspaces",
        "set-rate-limits",
        "Limited Lab",
        "--group",
        "token_count",
        "--requests-per-minute",
        "5",
      );
      expect(human.stdout).toMatch(/^token_count in wrkspc_\w+: 5 rpm/);
      const table = await s.cli("workspaces", "rate-limits", "Limited Lab");
      expect(table.stdout).toMatch(/Claude Haiku 4\.x\s+40 rpm, 9000 output tokens\/min\s+rl_/);
      expect(table.stdout).toMatch(/token_count\s+5 rpm/);
      const all = await json(s, "workspaces", "rate-limits", "Limited Lab", "--all");
      expect(all.data.length).toBeGreaterThan(2);

      const cleared = await json(
        s,
        "workspaces",
        "set-rate-limits",
        "Limited Lab",
        "--model",
        "claude-haiku-4-5",
        "--requests-per-minute",
        "null",
      );
      expect(cleared.limits.map((l: { type: string }) => l.type)).toEqual([
        "output_tokens_per_minute",
      ]);
      const nothing = await s.cli("workspaces", "set-rate-limits", "Limited Lab", "--model", "x");
      expect(nothing.code).toBe(64);
      expect(nothing.stderr).toMatch(/nothing to change/);
      const bad = await s.cli(
        "workspaces",
        "set-rate-limits",
        "Limited Lab",
        "--group",
        "batch",
        "--requests-per-minute",
        "lots",
      );
      expect(bad.code).toBe(64);
      expect(bad.stderr).toMatch(/--requests-per-minute: a whole number/);
      const both = await s.cli(
        "workspaces",
        "set-rate-limits",
        "Limited Lab",
        "--requests-per-minute",
        "1",
      );
      expect(both.code).toBe(64);
      expect(both.stderr).toMatch(/--model or --group/);
    });

    it("should add, list, change and remove workspace members", async () => {
      const ws = await json(s, "workspaces", "create", "--name", "Members");
      const user = await member("member@example.com");
      const added = await s.cli(
        "members",
        "add",
        "Members",
        "member@example.com",
        "--workspace-role",
        "workspace_developer",
      );
      expect(added.stdout).toMatch(/Added member@example\.com to Members as workspace_developer/);
      const listed = await json(s, "members", "list", ws.id);
      expect(listed.data).toEqual([
        {
          type: "workspace_member",
          user_id: user.id,
          workspace_id: ws.id,
          workspace_role: "workspace_developer",
        },
      ]);
      const changed = await json(
        s,
        "members",
        "set-role",
        "Members",
        user.id,
        "--workspace-role",
        "workspace_admin",
      );
      expect(changed.workspace_role).toBe("workspace_admin");
      const table = await s.cli("members", "list", "Members");
      expect(table.stdout).toMatch(new RegExp(`${user.id}\\s+workspace_admin`));
      const billing = await s.cli(
        "members",
        "set-role",
        "Members",
        user.id,
        "--workspace-role",
        "workspace_billing",
      );
      expect(billing.code).toBe(64);
      const removed = await json(s, "members", "remove", "Members", "member@example.com");
      expect(removed).toMatchObject({ type: "workspace_member_deleted", user_id: user.id });
      expect((await json(s, "members", "list", ws.id)).data).toEqual([]);
    });
  });

  describe("keys", () => {
    it("should create a key (printed once), list hints, update and revoke it", async () => {
      const human = await s.cli("keys", "create", "--name", "ci", "--workspace-id", "Research Lab");
      expect(human.code).toBe(0);
      expect(human.stdout).toMatch(/will not be shown again/);
      expect(human.stdout.match(new RegExp(API_KEY_SECRET, "g"))).toHaveLength(1);

      const created = await json(
        s,
        "keys",
        "create",
        "--name",
        "deploy",
        "--expires-at",
        "2999-01-01T00:00:00Z",
      );
      expect(created.key).toMatch(API_KEY_SECRET);
      expect(created.expires_at).toBe("2999-01-01T00:00:00.000Z");

      const table = await s.cli("keys", "list");
      expect(table.stdout).toMatch(/^ID\s+NAME\s+KEY\s+STATUS/);
      expect(table.stdout).toContain(created.partial_key_hint);
      expect(table.stdout).not.toMatch(API_KEY_SECRET);
      const inWorkspace = await json(s, "keys", "list", "--workspace-id", "Research Lab");
      expect(inWorkspace.data.map((k: { name: string }) => k.name)).toEqual(["ci"]);

      const inactive = await json(s, "keys", "update", created.id, "--status", "inactive");
      expect(inactive.status).toBe("inactive");
      const renamed = await s.cli("keys", "update", created.id, "--name", "deploy bot");
      expect(renamed.stdout).toMatch(/deploy bot, inactive/);
      const revoked = await json(s, "keys", "revoke", created.id);
      expect(revoked).toMatchObject({ id: created.id, type: "api_key_deleted" });
      const listed = await json(s, "keys", "list", "--status", "archived");
      expect(listed.data.map((k: { id: string }) => k.id)).toEqual([created.id]);
      const badStatus = await s.cli("keys", "update", created.id, "--status", "expired");
      expect(badStatus.code).toBe(64);
    });

    it("should take members by email, keys and workspaces by name, and refuse an ambiguous or unknown name", async () => {
      const holder = await member("holder@example.com");
      const issued = await json(
        s,
        "keys",
        "create",
        "--name",
        "Holder's key",
        "--user-id",
        "HOLDER@example.com",
        "--workspace-id",
        "research lab",
      );
      expect(issued.principal).toEqual({ type: "user_actor", user_id: holder.id });
      const inResearch = await json(s, "keys", "list", "--workspace-id", "Research Lab");
      expect(inResearch.data.map((k: { id: string }) => k.id)).toContain(issued.id);

      const renamed = await json(s, "keys", "update", "holder's KEY", "--name", "twin");
      expect(renamed.id).toBe(issued.id);
      const twin = await json(s, "keys", "create", "--name", "twin");
      const ambiguous = await s.cli("keys", "revoke", "twin");
      expect(ambiguous.code).toBe(1);
      expect(ambiguous.stderr).toContain('2 API keys are named "twin"');
      expect(ambiguous.stderr).toContain(issued.id);
      expect(ambiguous.stderr).toContain(twin.id);
      expect(ambiguous.stderr).toContain("give the id");

      // Revoked, a key no longer competes for its name.
      await json(s, "keys", "revoke", twin.id);
      const revoked = await json(s, "keys", "revoke", "twin");
      expect(revoked.id).toBe(issued.id);
      const gone = await s.cli("keys", "revoke", "twin");
      expect(gone.stderr).toMatch(/API key "twin" is archived/);
      const unknown = await s.cli("keys", "update", "nobody's key", "--name", "x");
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toContain('unknown API key "nobody\'s key"');
      const noMember = await s.cli("keys", "create", "--name", "x", "--user-id", "no@example.com");
      expect(noMember.code).toBe(1);
      expect(noMember.stderr).toMatch(/no member has the email no@example\.com/);

      await json(s, "workspaces", "create", "--name", "Twin");
      await json(s, "workspaces", "create", "--name", "twin ");
      const twoWorkspaces = await s.cli("keys", "list", "--workspace-id", "TWIN");
      expect(twoWorkspaces.code).toBe(1);
      expect(twoWorkspaces.stderr).toMatch(/2 workspaces are named "TWIN": wrkspc_\w+, wrkspc_\w+/);
    });
  });

  describe("offboard", () => {
    it("should refuse without --yes when stdin is not a terminal, and change nothing", async () => {
      const user = await member("leaver@example.com");
      const refused = await s.cli("offboard", "leaver@example.com");
      expect(refused.code).toBe(64);
      expect(refused.stdout).toBe("");
      expect(refused.stderr).toMatch(/^steward: Offboard leaver <leaver@example\.com>/);
      expect(refused.stderr).toMatch(/pass --yes/);
      expect((await s.get(`/v1/users/${user.id}`)).status).toBe(200);
    });

    it.skipIf(!HAS_SCRIPT)(
      "should ask on a terminal, and change nothing when declined",
      async () => {
        const user = (await json(s, "users", "list", "--email", "leaver@example.com")).data[0];
        const declined = await runCliInTerminal(["offboard", "leaver@example.com"], "n\r", s.env);
        expect(declined.stdout).toMatch(/Offboard leaver <leaver@example\.com> .*\? \[y\/N\]/s);
        expect(declined.stdout).toMatch(/steward: cancelled; nothing was changed/);
        expect(declined.code).toBe(1);
        expect((await s.get(`/v1/users/${user.id}`)).status).toBe(200);

        const temp = await member("temp@example.com");
        const accepted = await runCliInTerminal(["offboard", temp.id], "y\r", s.env);
        expect(accepted.code).toBe(0);
        expect(accepted.stdout).toContain(`Offboarded temp@example.com (${temp.id}).`);
        expect((await s.get(`/v1/users/${temp.id}`)).status).toBe(404);
      },
    );

    it("should offboard with --yes and print what was revoked and removed", async () => {
      const user = (await json(s, "users", "list", "--email", "leaver@example.com")).data[0];
      const key = await json(s, "keys", "create", "--name", "leaver's", "--user-id", user.id);
      await json(
        s,
        "members",
        "add",
        "Research Lab",
        user.id,
        "--workspace-role",
        "workspace_user",
      );
      const rehearsed = await s.cli("offboard", "leaver@example.com", "--dry-run");
      expect(rehearsed.code, rehearsed.stderr).toBe(0);
      expect(rehearsed.stdout).toContain(
        `Offboarding leaver@example.com (${user.id}) would do this; nothing was changed.`,
      );
      expect(rehearsed.stdout).toContain(`Revoked API keys (1): ${key.id}`);
      expect((await s.get(`/v1/api_keys/${key.id}`)).body.status).toBe("active");

      const result = await s.cli("offboard", "leaver@example.com", "--yes");
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`Offboarded leaver@example.com (${user.id}).`);
      expect(result.stdout).toContain(`Revoked API keys (1): ${key.id}`);
      expect(result.stdout).toMatch(/Removed from workspaces \(1\): wrkspc_\S+ \(workspace_user\)/);
      expect((await s.get(`/v1/api_keys/${key.id}`)).body.status).toBe("archived");

      const again = await s.cli("offboard", user.id, "--yes");
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(/^steward: 404 not_found_error: .*\(request req_/);

      const other = await member("other@example.com");
      const offboarded = await json(s, "offboard", other.id, "--yes");
      expect(offboarded).toMatchObject({ id: other.id, type: "user_offboarded", deleted: true });

      await json(s, "users", "invite", "--email", "notyet@example.com", "--role", "user");
      const pending = await s.cli("offboard", "notyet@example.com", "--yes");
      expect(pending.code).toBe(1);
      expect(pending.stderr).toMatch(/has not joined yet: .*steward invites delete invite_/);
    });
  });

  describe("configuration and errors", () => {
    it("should say which variable to set when the URL or the key is missing", async () => {
      const noUrl = await runCliCommand(["users", "list"], {
        env: { STEWARD_ADMIN_KEY: s.org.adminKey },
      });
      expect(noUrl.code).toBe(64);
      expect(noUrl.stdout).toBe("");
      expect(noUrl.stderr).toMatch(/^steward: no Steward server configured: set STEWARD_URL/);
      const noKey = await runCliCommand(["users", "list"], { env: { STEWARD_URL: s.url } });
      expect(noKey.code).toBe(64);
      expect(noKey.stderr).toMatch(/no admin key configured: set STEWARD_ADMIN_KEY/);
      const seedVariable = await runCliCommand(["org", "show", "--json"], {
        env: { STEWARD_URL: s.url, ANTHROPIC_ADMIN_KEY: s.org.adminKey },
      });
      expect(parseJson(seedVariable).id).toBe(s.org.id);
    });

    it("should name the URL it could not reach", async () => {
      const url = `http://127.0.0.1:${await closedPort()}`;
      const result = await s.cliWith({ env: { STEWARD_URL: url } }, "users", "list", "--json");
      expect(result.code).toBe(1);
      expect(result.stdout).toBe("");
      expect(result.stderr).toContain(`steward: could not reach Steward at ${url}`);
      expect(result.stderr).toMatch(/ECONNREFUSED/);
    });

    it("should print status, type, message and request id of an API error", async () => {
      const missing = await s.cli("users", "set-role", "user_01nobody", "admin", "--json");
      expect(missing.code).toBe(1);
      expect(missing.stdout).toBe("");
      expect(missing.stderr).toMatch(
        /^steward: 404 not_found_error: user "user_01nobody" not found \(request req_\w+\)\n$/,
      );
      const badKey = await s.cliWith(
        { env: { STEWARD_ADMIN_KEY: "sk-ant-admin01-nope" } },
        "org",
        "show",
      );
      expect(badKey.code).toBe(1);
      expect(badKey.stderr).toMatch(
        /^steward: 401 authentication_error: .*check STEWARD_ADMIN_KEY/,
      );
    });

    it("should take --url and --admin-key, and warn that a key on the command line is kept in history", async () => {
      // A process of its own: the warning is given once per process.
      const result = await spawnCli([
        "--url",
        s.url,
        "--admin-key",
        s.org.adminKey,
        "org",
        "show",
        "--json",
      ]).done;
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout).id).toBe(s.org.id);
      expect(result.stderr).toMatch(
        /warning: a key given with --admin-key lands in your shell history/,
      );
      const timeout = await s.cli("--timeout", "soon", "org", "show");
      expect(timeout.code).toBe(64);
      const quick = await s.cli("--timeout", "20s", "org", "show", "--json");
      expect(parseJson(quick).id).toBe(s.org.id);
    });

    it("should exit with 64 on an unknown command or flag", async () => {
      const unknown = await s.cli("frobnicate");
      expect(unknown.code).toBe(64);
      const flag = await s.cli("users", "list", "--colour", "red");
      expect(flag.code).toBe(64);
      expect(flag.stderr).toMatch(/unknown option '--colour'/);
      const help = await s.cli("--help");
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(/onboard/);
      expect(help.stdout).toMatch(/STEWARD_URL/);
    });
  });

  describe("service accounts", () => {
    it("should create, list, show, update, give workspaces, issue keys to and archive a service account, by name", async () => {
      const created = await json(
        s,
        "service-accounts",
        "create",
        "--name",
        "cli-deployer",
        "--description",
        "Deploys",
      );
      expect(created).toMatchObject({ name: "cli-deployer", organization_role: "developer" });
      const table = await s.cli("service-accounts", "list");
      expect(table.stdout).toMatch(/^ID\s+NAME\s+ROLE\s+STATUS/);
      expect(table.stdout).toContain("cli-deployer");
      const shown = await s.cli("service-accounts", "show", "cli-deployer");
      expect(shown.stdout).toContain(created.id);
      const updated = await json(
        s,
        "service-accounts",
        "update",
        "cli-deployer",
        "--organization-role",
        "admin",
      );
      expect(updated.organization_role).toBe("admin");
      const badName = await s.cli("service-accounts", "create", "--name", "Not A Slug");
      expect(badName.code).toBe(64);
      expect(badName.stderr).toContain("--name");

      await json(s, "workspaces", "create", "--name", "Automation");
      const added = await json(
        s,
        "service-accounts",
        "add",
        "cli-deployer",
        "Automation",
        "--workspace-role",
        "workspace_developer",
      );
      expect(added).toMatchObject({ service_account_id: created.id, implicit: false });
      const promoted = await json(
        s,
        "service-accounts",
        "set-role",
        "cli-deployer",
        "Automation",
        "--workspace-role",
        "workspace_admin",
      );
      expect(promoted.workspace_role).toBe("workspace_admin");
      const memberships = await json(s, "service-accounts", "workspaces", "cli-deployer");
      expect(memberships.data.map((m: { implicit: boolean }) => m.implicit)).toEqual([true, false]);

      const key = await json(
        s,
        "keys",
        "create",
        "--name",
        "deploy key",
        "--workspace-id",
        "Automation",
        "--service-account-id",
        "cli-deployer",
      );
      expect(key.principal).toEqual({
        type: "service_account_actor",
        service_account_id: created.id,
      });
      const keys = await s.cli("keys", "list", "--service-account-id", "cli-deployer");
      expect(keys.stdout).toContain(created.id); // the holder column
      const removed = await json(s, "service-accounts", "remove", "cli-deployer", "Automation");
      expect(removed.type).toBe("service_account_workspace_member_deleted");

      const archived = await json(s, "service-accounts", "archive", "cli-deployer", "--yes");
      expect(archived.archived_at).not.toBeNull();
      const revoked = await json(s, "keys", "list", "--status", "archived");
      expect(revoked.data.map((k: { id: string }) => k.id)).toContain(key.id);
      const unknown = await s.cli("service-accounts", "show", "nobody-here");
      expect(unknown.code).not.toBe(0);
      expect(unknown.stderr).toMatch(/unknown service account "nobody-here"/);
    });
  });
});
