import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import {
  API_KEY_SECRET,
  type CliResult,
  type CliServer,
  INVITE_TOKEN,
  json,
  spawnCli,
  startCliServer,
  whenFilesShow,
} from "./cli-harness.js";
import { describeEachBackend } from "./harness.js";

const readLines = (path: string): any[] =>
  existsSync(path)
    ? readFileSync(path, "utf8")
        .split("\n")
        .filter((l) => l.trim() !== "")
        .flatMap((l) => {
          try {
            return [JSON.parse(l)];
          } catch {
            return [];
          }
        })
    : [];

function expectNoSecrets(...results: CliResult[]): void {
  for (const result of results) {
    expect(result.stdout).not.toMatch(API_KEY_SECRET);
    expect(result.stdout).not.toMatch(INVITE_TOKEN);
    expect(result.stderr).not.toMatch(API_KEY_SECRET);
    expect(result.stderr).not.toMatch(INVITE_TOKEN);
  }
}

describeEachBackend("everyday CLI: onboarding and bulk onboarding", (backend) => {
  let s: CliServer;
  let dir: string;
  let engineering: { id: string };

  beforeAll(async () => {
    s = await startCliServer(backend);
    dir = mkdtempSync(join(tmpdir(), "steward-onboard-"));
    engineering = await json(s, "workspaces", "create", "--name", "Engineering");
    await json(s, "workspaces", "create", "--name", "Sales");
  });
  afterAll(async () => {
    await s?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const run = (...args: string[]) => s.cliWith({ cwd: dir }, ...args);

  /** Every invite of the organization (pending ones included), by email. */
  async function invitesByEmail(): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    let after: string | undefined;
    for (;;) {
      const page = await s.get("/v1/organizations/invites", {
        query: { limit: 1000, ...(after && { after_id: after }) },
      });
      for (const invite of page.body.data) {
        counts.set(invite.email, (counts.get(invite.email) ?? 0) + 1);
      }
      if (!page.body.has_more) {
        return counts;
      }
      after = page.body.last_id ?? undefined;
    }
  }

  async function allApiKeys(): Promise<{ id: string; name: string }[]> {
    const keys: { id: string; name: string }[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await s.get("/v1/organizations/api_keys", {
        query: { limit: 1000, ...(after && { after_id: after }) },
      });
      keys.push(...page.body.data);
      if (!page.body.has_more) {
        return keys;
      }
      after = page.body.last_id ?? undefined;
    }
  }

  it("should onboard one person from flags, printing their token and key once", async () => {
    const result = await s.cli(
      "onboard",
      "--email",
      "solo@example.com",
      "--role",
      "developer",
      "--workspace",
      "Engineering",
      "--workspace-role",
      "workspace_developer",
      "--api-key.name",
      "Solo - Engineering",
      "--api-key.workspace-id",
      "Engineering",
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Invited solo@example\.com as developer \(invite_/);
    expect(result.stdout).toContain(`they join ${engineering.id} as workspace_developer`);
    expect(result.stdout.match(new RegExp(API_KEY_SECRET, "g"))).toHaveLength(1);
    expect(result.stdout.match(new RegExp(INVITE_TOKEN, "g"))).toHaveLength(1);
    const asJson = await json(s, "onboard", "--email", "duo@example.com", "--role", "user");
    expect(asJson).toMatchObject({ type: "user_onboarded", api_key: null });
    const incomplete = await s.cli("onboard", "--email", "x@example.com");
    expect(incomplete.code).toBe(64);
    expect(incomplete.stderr).toMatch(/--csv FILE, or --email and --role/);
  });

  describe("--csv", () => {
    it("should check every row before sending, skip bad ones, and report members and invites already there", async () => {
      const owner = (await s.get("/v1/organizations/users")).body.data[0]?.email;
      await json(s, "users", "invite", "--email", "invited@example.com", "--role", "user");
      const csv = join(dir, "mixed.csv");
      writeFileSync(
        csv,
        [
          "Email,Name,Role,Workspace,Workspace Role,API Key,Team",
          'ann@example.com,"Ann, the first",developer,Engineering,workspace_developer,yes,core',
          `ben@example.com,Ben,user,${engineering.id},workspace_user,no,core`,
          "cat@example.com,Cat,billing,,,,sales",
          "not-an-email,Nobody,developer,,,,",
          "dan@example.com,Dan,wizard,,,,",
          "eve@example.com,Eve,developer,Nowhere,workspace_user,,",
          "fay@example.com,Fay,developer,Sales,,,",
          "gus@example.com,Gus,developer,Sales,workspace_billing,,",
          "ANN@example.com,Ann again,developer,,,,",
          `${owner},Owner,owner,,,,`,
          "invited@example.com,Invited,user,,,,",
          "",
        ].join("\r\n"),
      );
      const before = await invitesByEmail();
      const result = await run("onboard", "--csv", "mixed.csv");
      expect(result.code).toBe(1);
      expectNoSecrets(result);
      expect(result.stderr).toMatch(/ignoring the columns Team/);
      expect(result.stderr).toMatch(/line 5 \(not-an-email\) skipped: not an email address/);
      expect(result.stderr).toMatch(/line 6 \(dan@example\.com\) skipped: unknown role "wizard"/);
      expect(result.stderr).toMatch(/line 7 .* unknown workspace "Nowhere"/);
      expect(result.stderr).toMatch(/line 8 .* no workspace role/);
      expect(result.stderr).toMatch(/line 9 .* unknown workspace role "workspace_billing"/);
      expect(result.stderr).toMatch(/line 10 .* ANN@example\.com is already on line 2/);
      expect(result.stderr).toMatch(/11 rows: 3 onboarded, 2 already there, 6 invalid, 0 failed/);
      expect(result.stdout).toMatch(/^LINE\s+EMAIL\s+OUTCOME\s+INVITE\s+API KEY\s+NOTE/);
      expect(result.stdout).toMatch(/2\s+ann@example\.com\s+onboarded\s+invite_\S+\s+apikey_/);
      expect(result.stdout).toMatch(/3\s+ben@example\.com\s+onboarded\s+invite_\S+\s*\n/);
      expect(result.stdout).toMatch(/already there\s+already a member/);
      expect(result.stdout).toMatch(/already there\s+already has a pending invite/);

      const after = await invitesByEmail();
      const added = [...after.keys()].filter((email) => !before.has(email)).sort();
      expect(added).toEqual(["ann@example.com", "ben@example.com", "cat@example.com"]);
      const keysFile = join(dir, "mixed.csv.steward-keys.jsonl");
      expect(statSync(keysFile).mode & 0o777).toBe(0o600);
      const secrets = readLines(keysFile).sort((a, b) => a.email.localeCompare(b.email));
      expect(secrets.map((r) => [r.email, r.api_key_name])).toEqual([
        ["ann@example.com", "Ann, the first - Engineering"],
        ["ben@example.com", null],
        ["cat@example.com", null],
      ]);
      expect(secrets[0].api_key).toMatch(API_KEY_SECRET);
      expect(secrets[0].workspace_id).toBe(engineering.id);
      expect(secrets.every((r) => INVITE_TOKEN.test(r.invite_token))).toBe(true);
      const journal = readFileSync(join(dir, "mixed.csv.steward-onboard.jsonl"), "utf8");
      expect(journal).not.toMatch(API_KEY_SECRET);
      expect(journal).not.toMatch(INVITE_TOKEN);

      // Again: every sendable row finished, so nothing is sent.
      const again = await run("onboard", "--csv", "mixed.csv", "--json");
      expect(again.code).toBe(1);
      expectNoSecrets(again);
      const lines = again.stdout
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l));
      expect(lines.at(-1)).toMatchObject({
        type: "summary",
        onboarded: 3,
        exists: 2,
        invalid: 6,
        earlier: 5,
      });
      expect(lines.filter((l) => l.type === "row")).toHaveLength(11);
      expect(await invitesByEmail()).toEqual(after);
      expect(readLines(keysFile)).toHaveLength(3);
    });

    it("should send nothing when every row is invalid, and nothing on a dry run", async () => {
      writeFileSync(join(dir, "bad.csv"), "email,role\nnope,developer\nzed@example.com,root\n");
      const before = await invitesByEmail();
      const result = await run("onboard", "--csv", "bad.csv", "--json");
      expect(result.code).toBe(1);
      const outcomes = result.stdout
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l));
      expect(outcomes.filter((o) => o.type === "row").map((o) => o.outcome)).toEqual([
        "invalid",
        "invalid",
      ]);
      expect(existsSync(join(dir, "bad.csv.steward-onboard.jsonl"))).toBe(false);
      expect(existsSync(join(dir, "bad.csv.steward-keys.jsonl"))).toBe(false);
      writeFileSync(join(dir, "dry.csv"), "email,role\nnew@example.com,developer\n");
      const dry = await run("onboard", "--csv", "dry.csv", "--dry-run");
      expect(dry.code).toBe(0);
      expect(dry.stdout).toMatch(/new@example\.com\s+developer/);
      expect(dry.stderr).toMatch(/nothing was sent/);
      expect(await invitesByEmail()).toEqual(before);
      expect(existsSync(join(dir, "dry.csv.steward-onboard.jsonl"))).toBe(false);

      // A spreadsheet's "Unicode text" export: UTF-16 LE with a byte-order mark, `;` between
      // fields, a workspace named in the file, a name with a line break and CJK characters.
      const exported =
        '\uFEFFE-mail;Name;Role;Workspace;Workspace role\r\nli@example.com;"李\r\n小龍";developer;engineering;workspace_developer\r\n';
      writeFileSync(join(dir, "export.csv"), Buffer.from(exported, "utf16le"));
      const read = await run("onboard", "--csv", "export.csv", "--dry-run");
      expect(read.code, read.stderr).toBe(0);
      expect(read.stdout).toMatch(/li@example\.com\s+developer/);
      expect(read.stdout).toContain(engineering.id);
      expect(await invitesByEmail()).toEqual(before);

      const noHeader = join(dir, "noheader.csv");
      writeFileSync(noHeader, "someone@example.com,developer\n");
      const refused = await run("onboard", "--csv", "noheader.csv");
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/no email or role column/);
    });

    it("should print secrets only with --show-keys, and refuse a keys file others can read", async () => {
      writeFileSync(
        join(dir, "shown.csv"),
        "email,name,role,api key\nshow@example.com,Show,developer,yes\n",
      );
      const shown = await run("onboard", "--csv", "shown.csv", "--show-keys", "--json");
      expect(shown.code).toBe(0);
      const row = JSON.parse(shown.stdout.split("\n")[0] as string);
      expect(row.api_key).toMatch(API_KEY_SECRET);
      expect(row.invite_token).toMatch(INVITE_TOKEN);

      writeFileSync(join(dir, "open.csv"), "email,role\nopen@example.com,developer\n");
      writeFileSync(join(dir, "open-keys.jsonl"), "", { mode: 0o644 });
      const refused = await run("onboard", "--csv", "open.csv", "--keys-file", "open-keys.jsonl");
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(
        /open-keys\.jsonl exists and is not a private file .*mode 644/,
      );
      expect((await invitesByEmail()).has("open@example.com")).toBe(false);
    });

    it("should resume an onboarding of many people killed midway, without duplicates", async () => {
      // Enough rows that the kill lands midway, few enough that two runs take seconds under load.
      const count = 120;
      const killAt = 30;
      const people = Array.from({ length: count }, (_, i) => {
        const workspace = ["Engineering", "Sales", ""][i % 3] as string;
        return [
          `person${i}@example.com`,
          `Person ${i}`,
          i % 5 === 0 ? "user" : "developer",
          workspace,
          workspace === "" ? "" : "workspace_developer",
          i % 2 === 0 ? "yes" : "no",
        ].join(",");
      });
      writeFileSync(
        join(dir, "people.csv"),
        ["email,name,role,workspace,workspace role,api key", ...people].join("\n"),
      );
      const journalPath = join(dir, "people.csv.steward-onboard.jsonl");
      const keysPath = join(dir, "people.csv.steward-keys.jsonl");

      // First run: killed once the journal shows some rows done.
      const first = spawnCli(["onboard", "--csv", "people.csv", "--concurrency", "2"], {
        cwd: dir,
        env: s.env,
      });
      onTestFinished(() => {
        first.child.kill("SIGKILL");
      });
      const results = () => readLines(journalPath).filter((e) => e.type === "result");
      await whenFilesShow(dir, () => results().length >= killAt, first.child);
      first.child.kill("SIGKILL");
      const killed = await first.done;
      expect(killed.signal).toBe("SIGKILL");
      expectNoSecrets(killed);
      const journalBefore = readLines(journalPath);
      const finished = journalBefore.filter((e) => e.type === "result");
      expect(finished.length).toBeGreaterThanOrEqual(killAt);
      expect(finished.length).toBeLessThan(count);

      // A crash after the server answered but before the journal and the keys file were written:
      // drop a finished row with a key from both. The resumed run must get it replayed.
      const keyed = finished.find((e) => e.api_key_id);
      expect(keyed).toBeDefined();
      writeFileSync(
        journalPath,
        `${readFileSync(journalPath, "utf8")
          .split("\n")
          .filter((l) => !(l.includes('"type":"result"') && l.includes(`"id":"${keyed.id}"`)))
          .join("\n")}`,
      );
      const keysBefore = readLines(keysPath);
      writeFileSync(
        keysPath,
        keysBefore
          .filter((r) => r.email !== keyed.id)
          .map((r) => `${JSON.stringify(r)}\n`)
          .join(""),
      );
      expect(statSync(keysPath).mode & 0o777).toBe(0o600);

      // Second run: to the end (killed if the test times out first).
      const resumed = spawnCli(["onboard", "--csv", "people.csv", "--json"], {
        cwd: dir,
        env: s.env,
      });
      onTestFinished(() => {
        resumed.child.kill("SIGKILL");
      });
      const second = await resumed.done;
      expect(second.signal).toBeNull();
      expect(second.code, second.stderr).toBe(0);
      expectNoSecrets(second);
      const lines = second.stdout
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l));
      const summary = lines.at(-1);
      expect(summary).toMatchObject({
        type: "summary",
        rows: count,
        onboarded: count,
        exists: 0,
        invalid: 0,
        failed: 0,
        api_keys: count / 2,
      });
      expect(summary.earlier).toBe(finished.length - 1);
      const replayed = lines.find((l) => l.email === keyed.id);
      expect(replayed).toMatchObject({
        outcome: "onboarded",
        earlier: false,
        api_key_id: keyed.api_key_id,
        invite_id: keyed.invite_id,
      });

      // Exactly one invite per person, one key per person who asked for one.
      const invites = await invitesByEmail();
      const ours = [...invites].filter(([email]) => email.startsWith("person"));
      expect(ours).toHaveLength(count);
      expect(ours.every(([, count]) => count === 1)).toBe(true);
      const keys = (await allApiKeys()).filter((k) => k.name.startsWith("Person "));
      expect(keys).toHaveLength(count / 2);
      expect(new Set(keys.map((k) => k.name)).size).toBe(count / 2);

      expect(statSync(keysPath).mode & 0o777).toBe(0o600);
      const secrets = readLines(keysPath);
      expect(secrets).toHaveLength(count);
      expect(new Set(secrets.map((r) => r.email)).size).toBe(count);
      const withKeys = secrets.filter((r) => r.api_key !== null);
      expect(withKeys).toHaveLength(count / 2);
      expect(withKeys.every((r) => API_KEY_SECRET.test(r.api_key))).toBe(true);
      expect(new Set(withKeys.map((r) => r.api_key_id))).toEqual(new Set(keys.map((k) => k.id)));
      expect(secrets.find((r) => r.email === keyed.id)?.api_key_id).toBe(keyed.api_key_id);
      const journal = readFileSync(journalPath, "utf8");
      expect(journal).not.toMatch(API_KEY_SECRET);
      expect(journal).not.toMatch(INVITE_TOKEN);
    });
  });
});
