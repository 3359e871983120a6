/**
 * Settings → Admin keys in Chromium (issue 26, point 3): an owner creates an admin key (shown
 * once, gone after a reload; it works on the Admin API), renames it and revokes it after a
 * confirmation, and the Admin API refuses it on the very next request. An admin sees Settings
 * without the section. axe-core finds no serious violation on the section or its dialogs.
 */
import { expect, it } from "vitest";
import { operatorContext } from "../../src/core/context.js";
import {
  describeInBrowser,
  expectNoSeriousAxeViolations,
  signInWithAdminKey,
} from "../support/browser.js";

describeInBrowser("console admin keys", (s) => {
  it("should let an owner create an admin key shown once, rename it, and revoke it", async () => {
    const { page, steward } = s;
    await signInWithAdminKey(page);
    await page.goto("/console/settings");
    const table = page.getByRole("table", { name: "Admin keys" });
    await table.getByRole("cell", { name: "Bootstrap admin key", exact: true }).waitFor();
    await expectNoSeriousAxeViolations(page);

    await page.getByRole("button", { name: "Create admin key" }).click();
    const create = page.getByRole("dialog", { name: "Create an admin key" });
    await create.getByLabel("Name").fill("release pipeline");
    await expectNoSeriousAxeViolations(page);
    await create.getByRole("button", { name: "Create admin key" }).press("Enter");

    const shown = page.getByRole("dialog", { name: "Your new admin key" });
    const key = (await shown.getByTestId("new-admin-key").textContent()) ?? "";
    expect(key).toMatch(/^sk-ant-admin01-/);
    await shown.getByRole("button", { name: "Copy admin key" }).waitFor();
    await shown.getByRole("button", { name: "Done" }).click();
    await shown.waitFor({ state: "detached" });

    // It works on the Admin API at once.
    expect((await steward.server.get("/v1/organizations/me", { key })).status).toBe(200);

    // Never shown again: not after closing the dialog, not after a reload.
    await table.getByRole("cell", { name: "release pipeline", exact: true }).waitFor();
    expect(await page.content()).not.toContain(key);
    await page.reload();
    await table.getByRole("cell", { name: "release pipeline", exact: true }).waitFor();
    expect(await page.content()).not.toContain(key);

    await page.getByRole("button", { name: "Rename release pipeline" }).click();
    const rename = page.getByRole("dialog", { name: "Rename release pipeline" });
    await rename.getByLabel("Name").fill("deploy pipeline");
    await rename.getByRole("button", { name: "Save" }).click();
    await table.getByRole("cell", { name: "deploy pipeline", exact: true }).waitFor();

    await page.getByRole("button", { name: "Revoke deploy pipeline" }).click();
    const confirm = page.getByRole("dialog", { name: "Revoke deploy pipeline?" });
    await expectNoSeriousAxeViolations(page);
    await confirm.getByRole("button", { name: "Revoke admin key" }).click();
    await page.getByRole("status").filter({ hasText: "deploy pipeline is revoked." }).waitFor();
    const row = table.getByRole("row").filter({ hasText: "deploy pipeline" });
    await row.getByRole("cell", { name: "Revoked", exact: true }).waitFor();
    await page
      .getByRole("button", { name: "Revoke deploy pipeline" })
      .waitFor({ state: "detached" });

    expect((await steward.server.get("/v1/organizations/me", { key })).status).toBe(401);
  });

  it("should not show the section to an admin", async () => {
    const { page, steward } = s;
    const { server } = steward;
    const invite = await server.post("/v1/users/invite", {
      email: `settings-admin-${Date.now()}@example.com`,
      role: "admin",
    });
    const accepted = await server.post(
      "/v1/invites/accept",
      { token: invite.body.token, name: "An admin" },
      { key: null },
    );
    const { key } = await server.services.adminKeys.create(operatorContext(server.org.id), {
      name: "admin's key",
      userId: accepted.body.id,
    });
    await signInWithAdminKey(page, key);
    await page.goto("/console/settings");
    await page.getByRole("button", { name: "Save settings" }).waitFor();
    expect(await page.getByRole("heading", { name: "Admin keys" }).count()).toBe(0);
    expect(await page.getByRole("table", { name: "Admin keys" }).count()).toBe(0);
  });
});
