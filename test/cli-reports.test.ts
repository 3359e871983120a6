import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliServer, json, parseJson, startCliServer } from "./cli-harness.js";
import { describeEachBackend } from "./harness.js";

describeEachBackend("everyday CLI: usage, costs, alerts, audit", (backend) => {
  let s: CliServer;
  let research: { id: string };
  let key: { id: string };
  const today = new Date().toISOString().slice(0, 10);

  beforeAll(async () => {
    s = await startCliServer(backend);
    research = await json(
      s,
      "workspaces",
      "create",
      "--name",
      "Research",
      "--usage-limits.monthly-spend-usd",
      "5000",
    );
    key = await json(s, "keys", "create", "--name", "notebook", "--workspace-id", research.id);
    const timestamp = new Date().toISOString();
    const ingested = await s.post("/v1/usage/events", {
      events: [
        {
          id: "e1",
          timestamp,
          workspace_id: s.org.defaultWorkspaceId,
          model: "claude-opus-4-5",
          input_tokens: 100_000,
          output_tokens: 20_000,
          cost_usd: 300,
        },
        {
          id: "e2",
          timestamp,
          workspace_id: research.id,
          api_key_id: key.id,
          model: "claude-haiku-4-5",
          input_tokens: 400_000,
          output_tokens: 10_000,
          cache_read_input_tokens: 5_000,
          cost_usd: 200,
        },
        {
          id: "e3",
          timestamp,
          workspace_id: research.id,
          api_key_id: key.id,
          model: "claude-opus-4-5",
          input_tokens: 1_000,
          output_tokens: 1_000,
          cost_usd: 50,
        },
      ],
    });
    expect(ingested.body).toMatchObject({ accepted: 3, rejected: [] });
  });
  afterAll(async () => {
    await s?.close();
  });

  describe("usage", () => {
    it("should total this month, as JSON and as a table with a bar", async () => {
      const report = await json(s, "usage");
      expect(report.to).toBe(today);
      expect(report.total).toMatchObject({
        requests: 3,
        input_tokens: 501_000,
        output_tokens: 31_000,
        cache_read_tokens: 5_000,
        cost_usd: 550,
      });
      const table = await s.cli("usage");
      expect(table.code).toBe(0);
      expect(table.stdout).toMatch(/^Usage \d{4}-\d{2}-01 to \d{4}-\d{2}-\d{2} \(UTC\)/);
      expect(table.stdout).toMatch(/REQUESTS\s+INPUT\s+OUTPUT\s+CACHE WRITE\s+CACHE READ\s+COST/);
      expect(table.stdout).toMatch(/TOTAL\s+3\s+501,000\s+31,000\s+0\s+5,000\s+\$550\.00\s+█+/);
    });

    it("should break usage down by model, workspace and key", async () => {
      const byModel = await json(s, "usage", "--by", "model");
      expect(byModel.data.map((r: any) => [r.group, r.requests, r.cost_usd])).toEqual([
        ["claude-opus-4-5", 2, 350],
        ["claude-haiku-4-5", 1, 200],
      ]);
      const table = await s.cli("usage", "--by", "model");
      expect(table.stdout).toMatch(/^MODEL\s+REQUESTS/m);
      expect(table.stdout).toMatch(
        /claude-opus-4-5\s+2\s+101,000\s+21,000\s+0\s+0\s+\$350\.00\s+█{24}\n/,
      );
      expect(table.stdout).toMatch(
        /claude-haiku-4-5\s+1\s+400,000\s+10,000\s+0\s+5,000\s+\$200\.00\s+█{13}/,
      );
      expect(table.stdout).toMatch(/TOTAL\s+3\s+501,000/);

      const byWorkspace = await json(s, "usage", "--by", "workspace");
      expect(byWorkspace.data.map((r: any) => [r.group, r.input_tokens, r.cost_usd])).toEqual([
        [`Default (${s.org.defaultWorkspaceId})`, 100_000, 300],
        [`Research (${research.id})`, 401_000, 250],
      ]);
      const byKey = await json(s, "usage", "--by", "key", "--granularity", "day");
      expect(byKey.data.map((r: any) => [r.period, r.group, r.input_tokens, r.cost_usd])).toEqual([
        [today, "(no key)", 100_000, 300],
        [today, `notebook (${key.id})`, 401_000, 250],
      ]);
      const keyTable = await s.cli("usage", "--by", "key");
      expect(keyTable.stdout).toMatch(/^KEY\s+REQUESTS.*COST$/m);
      expect(keyTable.stdout).toMatch(/notebook \(apikey_\S+\)\s+-\s+401,000.*\$250\.00\s+█+/);
      expect(keyTable.stdout).toMatch(/TOTAL\s+-\s+501,000.*\$550\.00/);
      const keysOfResearch = await json(s, "usage", "--by", "key", "--workspace", "research");
      expect(keysOfResearch.data.map((r: any) => [r.group, r.cost_usd])).toEqual([
        [`notebook (${key.id})`, 250],
      ]);

      const oneWorkspace = await json(
        s,
        "usage",
        "--workspace",
        "Research",
        "--granularity",
        "day",
        "--from",
        today,
      );
      expect(oneWorkspace.data).toHaveLength(1);
      expect(oneWorkspace.data[0]).toMatchObject({ period: today, requests: 2, cost_usd: 250 });
    });

    it("should refuse a date that does not exist or an unknown dimension, with exit code 64", async () => {
      const badDate = await s.cli("usage", "--from", "2025-02-30");
      expect(badDate.code).toBe(64);
      expect(badDate.stderr).toMatch(/expected a date as YYYY-MM-DD/);
      const badBy = await s.cli("usage", "--by", "colour");
      expect(badBy.code).toBe(64);
      const reversed = await s.cli("usage", "--from", "2025-05-02", "--to", "2025-05-01");
      expect(reversed.code).toBe(64);
      expect(reversed.stderr).toMatch(/^steward: --from 2025-05-02 is after --to 2025-05-01/);
    });
  });

  describe("costs", () => {
    it("should report costs in total, by workspace, by key, by line item and by day", async () => {
      const total = await json(s, "costs");
      expect(total.total_cost_usd).toBeCloseTo(550, 6);
      const byWorkspace = await s.cli("costs", "--by", "workspace");
      expect(byWorkspace.stdout).toMatch(/^WORKSPACE\s+COST$/m);
      expect(byWorkspace.stdout).toMatch(/Default \(wrkspc_\S+\)\s+\$300\.00\s+█{24}/);
      expect(byWorkspace.stdout).toMatch(/Research \(wrkspc_\S+\)\s+\$250\.00\s+█{20}/);
      expect(byWorkspace.stdout).toMatch(/TOTAL\s+\$550\.00/);
      const byKey = await json(s, "costs", "--by", "key");
      expect(byKey.data.map((r: any) => [r.group, r.cost_usd])).toEqual([
        ["(no key)", 300],
        [`notebook (${key.id})`, 250],
      ]);
      const lines = await json(s, "costs", "--by", "description");
      expect(lines.data.map((r: any) => r.group)).toEqual([
        "Claude Opus 4.5 Usage",
        "Claude Haiku 4.5 Usage",
      ]);
      const daily = await json(s, "costs", "--granularity", "day", "--from", today);
      expect(daily.data).toEqual([{ period: today, group: null, cost_usd: 550 }]);
    });
  });

  describe("alerts", () => {
    it("should exit with 2 and print the seed's alert when this month's spend is over the threshold", async () => {
      const over = await s.cli("alerts", "check", "--threshold", "500");
      expect(over.code).toBe(2);
      expect(over.stderr).toBe("");
      expect(over.stdout).toContain(
        [
          "[COST ALERT] Claude API usage exceeds budget",
          "",
          "Current month usage: $550.00 USD",
          "Alert threshold: $500.00 USD",
          "Overage: 10.0%",
        ].join("\n"),
      );
      expect(over.stdout).toContain("3. Optimize model selection (use Haiku instead of Opus");
      const asJson = await s.cli("alerts", "check", "--threshold", "500", "--json");
      expect(asJson.code).toBe(2);
      expect(JSON.parse(asJson.stdout)).toMatchObject({
        over_threshold: true,
        current_month_usd: 550,
        threshold_usd: 500,
        overage_percent: 10,
      });
    });

    it("should exit with 0 when spend is within the threshold, for the organization or a workspace", async () => {
      const under = await s.cli("alerts", "check", "--threshold", "1000");
      expect(under.code).toBe(0);
      expect(under.stdout).toMatch(
        /^This month's spend \(organization, .*\): \$550\.00 USD, within the threshold of \$1,000\.00 USD/,
      );
      const workspace = await s.cli(
        "alerts",
        "check",
        "--threshold",
        "300",
        "--workspace",
        "Research",
        "--json",
      );
      expect(parseJson(workspace)).toMatchObject({
        over_threshold: false,
        workspace_id: research.id,
        current_month_usd: 250,
      });
      const bad = await s.cli("alerts", "check", "--threshold", "-5");
      expect(bad.code).toBe(64);
      const missing = await s.cli("alerts", "check");
      expect(missing.code).toBe(64);
      expect(missing.stderr).toMatch(/--threshold/);
    });

    it("should create, list, test and delete alert rules", async () => {
      const rule = await json(
        s,
        "alerts",
        "rules",
        "create",
        "--name",
        "Research budget",
        "--workspace",
        "Research",
        "--threshold-usd",
        "1000",
        "--threshold-percent",
        "80",
        "--webhook",
        "http://127.0.0.1:9/hook",
        "--slack",
        "http://127.0.0.1:9/slack",
        "--period",
        "day",
      );
      expect(rule).toMatchObject({
        name: "Research budget",
        scope: { type: "workspace", workspace_id: research.id },
        period: "day",
        thresholds: [
          { type: "usd", amount_usd: 1000 },
          { type: "percent_of_limit", percent: 80 },
        ],
        enabled: true,
      });
      expect(rule.channels[0]).toMatchObject({ type: "webhook", url: "http://127.0.0.1:9/hook" });
      expect(rule.channels[0].secret).toMatch(/^whsec_/);
      expect(rule.channels[1]).toMatchObject({
        type: "slack",
        webhook_url: "http://127.0.0.1:9/slack",
      });
      const human = await s.cli(
        "alerts",
        "rules",
        "create",
        "--name",
        "Org",
        "--thresholds",
        '[{"type":"usd","amount_usd":5000}]',
        "--slack",
        "http://127.0.0.1:9/slack",
        "--enabled",
        "false",
      );
      expect(human.code).toBe(0);
      expect(human.stdout).toMatch(
        /^Created alert rule alertrule_\S+ \(Org\): \$5,000\.00 a month, to slack/,
      );

      const incomplete = await s.cli(
        "alerts",
        "rules",
        "create",
        "--name",
        "x",
        "--threshold-usd",
        "5",
      );
      expect(incomplete.code).toBe(64);
      expect(incomplete.stderr).toMatch(/--channels/);

      const table = await s.cli("alerts", "rules", "list");
      expect(table.stdout).toMatch(/^ID\s+NAME\s+SCOPE\s+PERIOD\s+THRESHOLDS\s+CHANNELS\s+ENABLED/);
      expect(table.stdout).toMatch(
        /Research budget\s+wrkspc_\S+\s+day\s+\$1,000\.00, 80% of limit/,
      );
      expect((await json(s, "alerts", "rules", "list")).data).toHaveLength(2);

      const tested = await json(s, "alerts", "rules", "test", rule.id);
      expect(tested.data).toHaveLength(2);
      expect(tested.data[0]).toMatchObject({
        type: "alert_delivery",
        kind: "test",
        rule_id: rule.id,
      });
      const testedHuman = await s.cli("alerts", "rules", "test", rule.id);
      expect(testedHuman.stdout).toMatch(/^Queued 2 test deliveries/);
      const deliveries = await json(s, "alerts", "deliveries", "list", "--rule-id", rule.id);
      expect(deliveries.data.length).toBe(4);
      const deliveriesTable = await s.cli("alerts", "deliveries", "list");
      expect(deliveriesTable.stdout).toMatch(/^ID\s+RULE\s+KIND\s+CHANNEL\s+STATUS/);

      const deleted = await json(s, "alerts", "rules", "delete", rule.id);
      expect(deleted).toMatchObject({ id: rule.id, type: "alert_rule_deleted" });
      expect((await json(s, "alerts", "rules", "list")).data).toHaveLength(1);
    });
  });

  describe("audit", () => {
    it("should list records with filters, as a table and as JSON", async () => {
      const listed = await json(s, "audit", "list", "--action", "workspace.created");
      expect(listed.data.map((r: any) => r.target.id)).toEqual([
        research.id,
        s.org.defaultWorkspaceId,
      ]);
      const oldest = await json(
        s,
        "audit",
        "list",
        "--action",
        "workspace.created",
        "--oldest-first",
      );
      expect(oldest.data.map((r: any) => r.target.id)).toEqual([
        s.org.defaultWorkspaceId,
        research.id,
      ]);
      // --actor-user by email: what the owner did through their admin key, not the bootstrap.
      const owner = (await s.get(`/v1/users/${s.org.ownerId}`)).body as { email: string };
      const byOwner = await json(
        s,
        "audit",
        "list",
        "--action",
        "workspace.created",
        "--actor-user",
        owner.email,
      );
      expect(byOwner.data.map((r: any) => r.target.id)).toEqual([research.id]);
      const unknown = await s.cli("audit", "list", "--actor-user", "nobody@example.com");
      expect(unknown.code).not.toBe(0);
      expect(unknown.stderr).toContain("no member has the email nobody@example.com");
      const table = await s.cli("audit", "list", "--action", "api_key.created");
      expect(table.stdout).toMatch(/^TIME\s+ACTION\s+OUTCOME\s+ACTOR\s+TARGET\s+ID/);
      expect(table.stdout).toContain(`api_key ${key.id}`);
      const first = await s.cli("audit", "list", "--limit", "1");
      expect(first.stdout.trim().split("\n")).toHaveLength(2);
      const cursor = /next page: --after-id (audit_\S+)/.exec(first.stderr)?.[1] ?? "";
      const newest = await json(s, "audit", "list", "--limit", "3");
      expect(newest.data[0].id).toBe(cursor);
      const next = await json(s, "audit", "list", "--limit", "2", "--after-id", cursor);
      expect(next.data.map((r: any) => r.id)).toEqual(newest.data.slice(1).map((r: any) => r.id));
    });

    it("should export every matching record as NDJSON, to stdout or a file", async () => {
      const all = await json(s, "audit", "list", "--limit", "1000", "--oldest-first");
      const exported = await s.cli("audit", "export");
      expect(exported.code).toBe(0);
      const lines = exported.stdout
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l));
      expect(lines.map((r) => r.id)).toEqual(all.data.map((r: any) => r.id));

      const dir = mkdtempSync(join(tmpdir(), "steward-audit-"));
      try {
        const file = join(dir, "audit.ndjson");
        const toFile = await s.cli("audit", "export", "--target-type", "workspace", "-o", file);
        expect(toFile.stdout).toBe("");
        expect(toFile.stderr).toMatch(/^Wrote \d+ audit records to /);
        const records = readFileSync(file, "utf8")
          .trim()
          .split("\n")
          .map((l) => JSON.parse(l));
        expect(records.length).toBeGreaterThanOrEqual(2);
        expect(records.every((r) => r.target.type === "workspace")).toBe(true);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
