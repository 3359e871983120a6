/**
 * axe-core on every page of the console, in the light and the dark theme: no serious or critical
 * violation (contrast, names, labels, landmarks, ...).
 */
import type { Page } from "playwright-core";
import { expect, it } from "vitest";
import {
  describeInBrowser,
  expectNoSeriousAxeViolations,
  signInWithAdminKey,
} from "../support/browser.js";

const SCHEMES = ["light", "dark"] as const;

/** Opens a console path and waits until its heading is shown and nothing is loading. */
async function open(page: Page, path: string): Promise<void> {
  await page.goto(`/console/${path}`);
  await page.locator("h1").first().waitFor();
  await page.waitForLoadState("networkidle");
  await expect.poll(() => page.locator('[aria-busy="true"]').count()).toBe(0);
}

async function checkBothThemes(page: Page): Promise<void> {
  for (const colorScheme of SCHEMES) {
    await page.emulateMedia({ colorScheme });
    await expectNoSeriousAxeViolations(page);
  }
}

describeInBrowser("console: accessibility", (s) => {
  it("has no serious violations on the signed-out pages", async () => {
    const { page } = s;
    for (const path of ["sign-in", "sign-in?error=oidc_failed", "invites/accept?token=unknown"]) {
      await open(page, path);
      await checkBothThemes(page);
    }
  });

  it("has no serious violations on any signed-in page", async () => {
    const { page, steward } = s;
    const { server } = steward;
    // Something in every table: a workspace with a member and a key, usage, an alert rule.
    const workspace = (await server.post("/v1/organizations/workspaces", { name: "Research" }))
      .body;
    const key = (await server.post("/v1/api_keys", { name: "bot", workspace_id: workspace.id }))
      .body;
    await server.post(`/v1/organizations/workspaces/${workspace.id}/members`, {
      user_id: server.org.ownerId,
      workspace_role: "workspace_admin",
    });
    await server.post("/v1/organizations/alert_rules", {
      name: "Monthly budget",
      scope: { type: "organization" },
      thresholds: [{ type: "usd", amount_usd: 100 }],
      channels: [{ type: "webhook", url: "http://127.0.0.1:9/budget" }],
    });
    await steward.callGateway(key.key);
    await steward.settle();

    await signInWithAdminKey(page);
    const paths = [
      "",
      "members",
      "workspaces",
      `workspaces/${workspace.id}`,
      "keys",
      "usage",
      "alerts",
      "audit",
      "settings",
      "no-such-page",
    ];
    for (const path of paths) {
      await open(page, path);
      await checkBothThemes(page);
    }

    // A dialog, open.
    await open(page, "alerts");
    await page.getByRole("button", { name: "New alert rule" }).click();
    await page.getByRole("dialog", { name: "New alert rule" }).waitFor();
    await checkBothThemes(page);
  });
});
