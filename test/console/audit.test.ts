/**
 * The audit page shows what was just done in the console, newest first; filters by action and by
 * a member's email (records by them or about them); exports what the API holds.
 */
import { readFile } from "node:fs/promises";
import type { Page } from "playwright-core";
import { expect, it } from "vitest";
import { describeInBrowser, signInWithAdminKey } from "../support/browser.js";

/** The audit table's rows as [time, actor, action, target, outcome] texts, top to bottom. */
async function auditRows(page: Page): Promise<string[][]> {
  const rows = page
    .getByRole("table", { name: "Audit records, newest first" })
    .getByRole("row")
    .filter({ has: page.getByRole("cell") });
  const texts: string[][] = [];
  for (const row of await rows.all()) {
    texts.push((await row.getByRole("cell").allTextContents()).map((t) => t.trim()));
  }
  return texts;
}

const actions = (rows: string[][]) => rows.map((row) => row[2]);

describeInBrowser("console: audit log", (s) => {
  it("shows the console's own actions newest first, filters them and exports them", async () => {
    const { page, steward } = s;
    await signInWithAdminKey(page);

    // Two changes made in the console: a workspace, then the organization's name.
    await page.goto("/console/workspaces");
    await page.getByLabel("New workspace name", { exact: true }).fill("Audit trail");
    await page.getByRole("button", { name: "Create workspace" }).click();
    await page.getByRole("heading", { name: "Audit trail", level: 1 }).waitFor();
    const workspaceId = new URL(page.url()).pathname.split("/").at(-1)!;

    await page.getByRole("link", { name: "Settings" }).click();
    const name = page.getByLabel("Organization name", { exact: true });
    await name.fill("Acme Renamed");
    await page.getByRole("button", { name: "Save settings" }).click();
    await page.getByText("Settings saved.").waitFor();

    await page.getByRole("link", { name: "Audit log" }).click();
    await expect
      .poll(async () => actions(await auditRows(page)).slice(0, 2))
      .toEqual(["organization.updated", "workspace.created"]);
    const [renamed, created] = await auditRows(page);
    expect(created![1]).toMatch(/^session /);
    expect(created![3]).toBe(`workspace ${workspaceId}`);
    expect(renamed![3]).toMatch(/^organization org_/);

    // Filtered by action: that action only.
    await page.getByLabel("Action", { exact: true }).fill("workspace.created");
    await page.getByRole("button", { name: "Search" }).click();
    await expect
      .poll(async () => new Set(actions(await auditRows(page))))
      .toEqual(new Set(["workspace.created"]));
    expect((await auditRows(page)).map((row) => row[3])).toContain(`workspace ${workspaceId}`);

    // By email, by default: the records that member did, here through their console session.
    const owner = (
      await steward.server.get("/v1/organizations/users", { query: { roles: ["owner"] } })
    ).body.data[0]!;
    await page.getByRole("button", { name: "Clear" }).click();
    await page.getByLabel("Member's email", { exact: true }).fill(owner.email.toUpperCase());
    await page.getByRole("button", { name: "Search" }).click();
    await expect
      .poll(async () => actions(await auditRows(page)).slice(0, 2))
      .toEqual(["organization.updated", "workspace.created"]);
    for (const row of await auditRows(page)) {
      expect(row[1]).toMatch(/^(session|admin_key) /);
    }

    // And the records about them.
    await page
      .getByLabel("Member's records", { exact: true })
      .selectOption("Records about this member");
    await page.getByRole("button", { name: "Search" }).click();
    await expect
      .poll(async () => new Set((await auditRows(page)).map((row) => row[3])))
      .toEqual(new Set([`user ${owner.id}`]));
    expect(actions(await auditRows(page))).toContain("user.created");

    // An email nobody has says so.
    await page.getByLabel("Member's email", { exact: true }).fill("nobody@example.com");
    await page.getByRole("button", { name: "Search" }).click();
    await page
      .getByText("No member of the organization has the email nobody@example.com.")
      .waitFor();

    // The export holds every record the API lists (no filters).
    await page.getByRole("button", { name: "Clear" }).click();
    await expect.poll(async () => actions(await auditRows(page))[0]).toBe("organization.updated");
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Export" }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^steward-audit-.*\.ndjson$/);
    const exported = (await readFile(await download.path(), "utf8"))
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { id: string });
    const listed = await steward.server.get("/v1/organizations/audit_logs", {
      query: { order: "desc", limit: 1000 },
    });
    expect(exported.map((r) => r.id)).toEqual(listed.body.data.map((r) => r.id));
  });
});
