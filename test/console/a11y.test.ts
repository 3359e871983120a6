/**
 * axe-core on every page of the console, in the light and the dark theme: no serious or critical
 * violation (contrast, names, labels, landmarks, ...).
 */
import type { Page } from "playwright-core";
import { beforeAll, expect, it } from "vitest";
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
  const signedOut = ["sign-in", "sign-in?error=oidc_failed", "invites/accept?token=unknown"];
  it.each(signedOut)("has no serious violations on /console/%s, signed out", async (path) => {
    await open(s.page, path);
    await checkBothThemes(s.page);
  });

  let workspaceId = "";
  beforeAll(async () => {
    const { server } = s.steward;
    // Something in every table: a workspace with a member and a key, usage, an alert rule.
    const workspace = (await server.post("/v1/organizations/workspaces", { name: "Research" }))
      .body;
    workspaceId = workspace.id;
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
    await s.steward.callGateway(key.key);
    await s.steward.settle();
  });

  const signedIn = [
    "",
    "members",
    "workspaces",
    "workspaces/:id",
    "keys",
    "usage",
    "alerts",
    "audit",
    "settings",
    "no-such-page",
  ];
  it.each(signedIn)("has no serious violations on /console/%s, signed in", async (path) => {
    const { page } = s;
    await signInWithAdminKey(page);
    await open(page, path.replace(":id", workspaceId));
    await checkBothThemes(page);
  });

  it("has no serious violations with a dialog open", async () => {
    const { page } = s;
    await signInWithAdminKey(page);
    await open(page, "alerts");
    await page.getByRole("button", { name: "New alert rule" }).click();
    await page.getByRole("dialog", { name: "New alert rule" }).waitFor();
    await checkBothThemes(page);
  });
});
