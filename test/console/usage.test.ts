/**
 * The usage page draws what the cost report says: gateway calls through the fake upstream, then
 * the page's numbers (by day, model, workspace and key) against the API's own answer.
 */
import { readFile } from "node:fs/promises";
import type { Locator, Page } from "playwright-core";
import { expect, it } from "vitest";
import { describeInBrowser, signInWithAdminKey } from "../support/browser.js";

const usd = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });

/** The text of each cell of the row of `table` whose first cell is `first`. */
async function rowCells(table: Locator, first: string): Promise<string[]> {
  const row = table.getByRole("row").filter({
    has: table.page().getByRole("cell", { name: first, exact: true }),
  });
  return row.getByRole("cell").allInnerTexts();
}

function table(page: Page, caption: string): Locator {
  return page.getByRole("table", { name: caption, exact: true });
}

interface CostLine {
  amount: string;
  model: string | null;
  workspace_id: string | null;
  api_key_id: string | null;
}

describeInBrowser("console: usage and cost", (s) => {
  it("charts spend by day, model, workspace and key with the cost report's numbers", async () => {
    const { page, steward } = s;
    const { server } = steward;
    const research = (await server.post("/v1/organizations/workspaces", { name: "Research" })).body;
    const support = (await server.post("/v1/organizations/workspaces", { name: "Support" })).body;
    const botKey = (
      await server.post("/v1/api_keys", { name: "research-bot", workspace_id: research.id })
    ).body;
    const deskKey = (
      await server.post("/v1/api_keys", { name: "help-desk", workspace_id: support.id })
    ).body;
    // Big enough to cost whole cents, so that the page's rounding to cents still tells them apart.
    steward.upstream.script({
      kind: "message",
      usage: { input_tokens: 1_000_000, output_tokens: 100_000 },
    });
    await steward.callGateway(botKey.key, { model: "claude-haiku-4-5" });
    await steward.callGateway(botKey.key, { model: "claude-sonnet-4-5" });
    await steward.callGateway(deskKey.key, { model: "claude-haiku-4-5" });
    await steward.settle();

    // The API's answer, over the same 30 days the page shows by default.
    const start = new Date(Date.now() - 29 * 86_400_000).toISOString().slice(0, 10);
    const report = await server.get("/v1/organizations/cost_report", {
      query: {
        starting_at: `${start}T00:00:00Z`,
        limit: 31,
        group_by: ["workspace_id", "api_key_id", "description"],
      },
    });
    expect(report.status).toBe(200);
    const buckets = (report.body as { data: { starting_at: string; results: CostLine[] }[] }).data;
    const spent = buckets.filter((b) => b.results.length > 0);
    expect(spent.length).toBeGreaterThan(0);
    const lines = spent.flatMap((b) => b.results);
    const dollars = (of: CostLine[]) =>
      usd.format(of.reduce((sum, l) => sum + Number(l.amount) / 100, 0));
    const total = (filter: (line: CostLine) => boolean) => dollars(lines.filter(filter));
    expect(total(() => true)).not.toBe("$0.00");

    await signInWithAdminKey(page);
    await page.goto("/console/usage");

    const byDay = table(page, "Spend by day");
    await page
      .locator("figure", { has: page.getByText("Spend by day", { exact: true }) })
      .getByText("Show the numbers as a table")
      .click();
    for (const bucket of spent) {
      const day = bucket.starting_at.slice(0, 10);
      await expect.poll(() => rowCells(byDay, day)).toEqual([day, dollars(bucket.results)]);
    }
    await expect
      .poll(() =>
        page.locator(".stat", { hasText: "Spend in the range" }).locator(".value").textContent(),
      )
      .toBe(total(() => true));

    const byModel = table(page, "Spend by model over the range");
    for (const model of ["claude-haiku-4-5", "claude-sonnet-4-5"]) {
      await expect
        .poll(async () => (await rowCells(byModel, model))[1])
        .toBe(total((l) => l.model === model));
    }
    const byWorkspace = table(page, "Spend by workspace over the range");
    for (const workspace of [research, support]) {
      await expect
        .poll(async () => (await rowCells(byWorkspace, workspace.name))[1])
        .toBe(total((l) => l.workspace_id === workspace.id));
    }
    const byKey = table(page, "Spend by API key over the range");
    for (const key of [botKey, deskKey]) {
      await expect
        .poll(async () => (await rowCells(byKey, key.name))[1])
        .toBe(total((l) => l.api_key_id === key.id));
    }
  });

  it("downloads the cost report's CSV grouped as the chosen breakdown, every page of the range", async () => {
    const { page, steward } = s;
    await signInWithAdminKey(page);
    await page.goto("/console/usage");
    // 40 days: more than one page of the report (31 days), so the download follows x-next-page.
    const to = await page.getByLabel("To", { exact: true }).inputValue();
    const from = new Date(Date.parse(`${to}T00:00:00Z`) - 39 * 86_400_000)
      .toISOString()
      .slice(0, 10);
    await page.getByLabel("From", { exact: true }).fill(from);
    await page.getByRole("button", { name: "Show" }).click();
    await page.getByText(`Days are UTC, from ${from} to ${to}.`).waitFor();

    /** The API's CSV over every page, its header once. */
    const apiCsv = async (groupBy: string[]) => {
      let csv = "";
      let next: string | undefined;
      do {
        const answer = await steward.server.get("/v1/organizations/cost_report", {
          query: {
            starting_at: `${from}T00:00:00Z`,
            ending_at: new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000).toISOString(),
            limit: 31,
            ...(groupBy.length > 0 && { group_by: groupBy }),
            ...(next !== undefined && { page: next }),
          },
          headers: { accept: "text/csv" },
        });
        expect(answer.status).toBe(200);
        const text = String(answer.body);
        csv += csv === "" ? text : text.slice(text.indexOf("\r\n") + 2);
        next =
          answer.headers["x-has-more"] === "true"
            ? String(answer.headers["x-next-page"])
            : undefined;
      } while (next !== undefined);
      return csv;
    };

    const groupings = [
      { option: "Day", name: "day", groupBy: [], column: undefined },
      { option: "Model", name: "model", groupBy: ["description"], column: "model" },
      { option: "Workspace", name: "workspace", groupBy: ["workspace_id"], column: "workspace_id" },
      { option: "API key", name: "key", groupBy: ["api_key_id"], column: "api_key_id" },
    ];
    for (const grouping of groupings) {
      await page.getByLabel("CSV rows by").selectOption({ label: grouping.option });
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("button", { name: "Download CSV" }).click(),
      ]);
      expect(download.suggestedFilename()).toBe(
        `steward-cost-by-${grouping.name}-${from}-to-${to}.csv`,
      );
      const text = await readFile(await download.path(), "utf8");
      expect(text).toBe(await apiCsv(grouping.groupBy));
      const [header = "", ...rows] = text.trim().split("\r\n");
      expect(header.split(",")).toContain("amount_usd");
      expect(rows.length).toBeGreaterThan(0);
      if (grouping.column !== undefined) {
        // The grouping's column is filled in on the rows that cost something.
        const at = header.split(",").indexOf(grouping.column);
        expect(rows.some((row) => (row.split(",")[at] ?? "") !== "")).toBe(true);
      }
    }
  });
});
