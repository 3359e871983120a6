/**
 * API keys in the console, in Chromium: a key is shown once when created (and is gone after a
 * reload), works through the gateway, and once revoked on the page the gateway refuses it on the
 * very next request. axe-core finds no serious violation on the page or its dialogs.
 */
import { expect, it } from "vitest";
import {
  describeInBrowser,
  expectNoSeriousAxeViolations,
  signInWithAdminKey,
} from "../support/browser.js";

describeInBrowser("console API keys", (s) => {
  it("should show a new key once, and after revoking it the gateway should refuse it", async () => {
    const { page, steward } = s;
    await signInWithAdminKey(page);
    await page.goto("/console/keys");
    await page.getByRole("table", { name: "API keys" }).waitFor();
    await expectNoSeriousAxeViolations(page);

    await page.getByRole("button", { name: "Create key" }).click();
    const create = page.getByRole("dialog", { name: "Create an API key" });
    await create.getByLabel("Name").fill("billing-service");
    await expectNoSeriousAxeViolations(page);
    await create.getByRole("button", { name: "Create key" }).click();

    const shown = page.getByRole("dialog", { name: "Your new API key" });
    const key = (await shown.getByTestId("new-key").textContent()) ?? "";
    expect(key).toMatch(/^sk-ant-api03-/);
    await shown.getByRole("button", { name: "Copy key" }).waitFor();
    await shown.getByRole("button", { name: "Done" }).click();
    await shown.waitFor({ state: "detached" });

    // The key works through the gateway.
    await steward.callGateway(key);

    // Never shown again: not after closing the dialog, not after a reload.
    const table = page.getByRole("table", { name: "API keys" });
    await table.getByRole("cell", { name: "billing-service", exact: true }).waitFor();
    expect(await page.content()).not.toContain(key);
    await page.reload();
    await table.getByRole("cell", { name: "billing-service", exact: true }).waitFor();
    expect(await page.content()).not.toContain(key);

    await page.getByRole("button", { name: "Revoke billing-service" }).click();
    const confirm = page.getByRole("dialog", { name: "Revoke billing-service?" });
    await expectNoSeriousAxeViolations(page);
    await confirm.getByRole("button", { name: "Revoke key" }).click();
    await page.getByRole("status").filter({ hasText: "billing-service is revoked." }).waitFor();

    await expect(steward.callGateway(key)).rejects.toThrow(/^gateway call: 401/);
  });

  it("should rename and deactivate a key, and filter by status", async () => {
    const { page } = s;
    await signInWithAdminKey(page);
    await page.goto("/console/keys");
    await page.getByRole("button", { name: "Create key" }).click();
    const create = page.getByRole("dialog", { name: "Create an API key" });
    await create.getByLabel("Name").fill("nightly-batch");
    await create.getByRole("button", { name: "Create key" }).click();
    await page
      .getByRole("dialog", { name: "Your new API key" })
      .getByRole("button", { name: "Done" })
      .click();

    await page.getByRole("button", { name: "Rename nightly-batch" }).click();
    const rename = page.getByRole("dialog", { name: "Rename nightly-batch" });
    await rename.getByLabel("Name").fill("weekly-batch");
    await rename.getByRole("button", { name: "Save" }).click();
    const table = page.getByRole("table", { name: "API keys" });
    await table.getByRole("cell", { name: "weekly-batch", exact: true }).waitFor();

    await page.getByRole("button", { name: "Deactivate weekly-batch" }).click();
    await page.getByRole("status").filter({ hasText: "weekly-batch is inactive" }).waitFor();
    // The list shows active keys by default: the inactive one is under "Inactive".
    await table
      .getByRole("cell", { name: "weekly-batch", exact: true })
      .waitFor({ state: "detached" });
    await page.getByLabel("Status").selectOption("inactive");
    await table.getByRole("cell", { name: "weekly-batch", exact: true }).waitFor();
  });

  it("should draw a hundred keys at first and the rest on Show more", async () => {
    const { page, steward } = s;
    const { server } = steward;
    const workspace = (await server.post("/v1/organizations/workspaces", { name: "Fleet" })).body;
    for (let i = 0; i < 130; i++) {
      const created = await server.post("/v1/api_keys", {
        name: `fleet-${String(i).padStart(3, "0")}`,
        workspace_id: workspace.id,
      });
      expect(created.status).toBe(200);
    }
    await signInWithAdminKey(page);
    await page.goto("/console/keys");
    await page.getByLabel("Workspace").selectOption({ label: "Fleet" });
    const table = page.getByRole("table", { name: "API keys" });
    const fleetRows = table.getByRole("row").filter({ hasText: "fleet-" });
    await page.getByText("100 of 130 keys shown").waitFor();
    expect(await fleetRows.count()).toBe(100);
    await page.getByRole("button", { name: "Show more" }).click();
    await expect.poll(() => fleetRows.count()).toBe(130);
    expect(await page.getByRole("button", { name: "Show more" }).count()).toBe(0);
  });
});
