/**
 * Signing in to the console with an admin key, in Chromium: `/` leads to the sign-in page, a
 * wrong key is refused on the page, the right one opens the page that was asked for, signing out
 * ends the session. axe-core finds no serious violation on the sign-in page or the overview.
 */
import { expect, it } from "vitest";
import {
  describeInBrowser,
  expectNoSeriousAxeViolations,
  signInWithAdminKey,
} from "../support/browser.js";

describeInBrowser("console sign-in", (s) => {
  it("should lead from / to the sign-in page, with labelled fields and no serious axe violation", async () => {
    const { page } = s;
    await page.goto("/");
    await page.waitForURL((url) => url.pathname === "/console/sign-in");
    await expect.poll(() => page.title()).toBe("Sign in · Steward");
    await page.getByLabel("Admin key").waitFor();
    expect(await page.getByLabel("Admin key").getAttribute("type")).toBe("password");
    await expectNoSeriousAxeViolations(page);
  });

  it("should refuse a wrong key on the page and keep the person there", async () => {
    const { page } = s;
    await page.goto("/console/sign-in");
    await page.getByLabel("Admin key").fill("sk-ant-admin01-not-a-real-key");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("alert").first().waitFor();
    expect(new URL(page.url()).pathname).toBe("/console/sign-in");
    await expect.poll(() => page.getByLabel("Admin key").getAttribute("aria-invalid")).toBe("true");
  });

  it("should return to the page asked for, show the owner's nav, and sign out", async () => {
    const { page } = s;
    await page.goto("/console/keys");
    await page.waitForURL((url) => url.pathname === "/console/sign-in");
    expect(new URL(page.url()).searchParams.get("return_to")).toBe("/console/keys");
    await page.getByLabel("Admin key").fill(s.steward.adminKey);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((url) => url.pathname === "/console/keys");
    await page.getByRole("heading", { name: "API keys", level: 1 }).waitFor();
    const nav = page.getByRole("navigation", { name: "Console" });
    for (const name of ["Overview", "Members", "API keys", "Audit log", "Settings"]) {
      await nav.getByRole("link", { name }).waitFor();
    }

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL((url) => url.pathname === "/console/sign-in");
    await page.goto("/console/members");
    await page.waitForURL((url) => url.pathname === "/console/sign-in");
  });

  it("should go back to the sign-in page when the session has ended", async () => {
    const { page, context } = s;
    await signInWithAdminKey(page);
    await page.getByRole("heading", { name: "Overview", level: 1 }).waitFor();
    // Every call of the overview answered, its top keys (which load after the rest) included:
    // a call still to come would meet the ended session first.
    await page.locator('body[data-page-ready~="overview-keys"]').waitFor({ state: "attached" });
    // The session ends under the page (as when a member is removed): the next call answers 401.
    await context.clearCookies();
    await page
      .getByRole("navigation", { name: "Console" })
      .getByRole("link", { name: "Members" })
      .click();
    await page.waitForURL((url) => url.pathname === "/console/sign-in");
    expect(new URL(page.url()).searchParams.get("return_to")).toBe("/console/members");
  });

  it("should show the overview with the cost report's numbers and no serious axe violation", async () => {
    const { page, steward } = s;
    const { server } = steward;
    const workspace = (
      await server.post("/v1/organizations/workspaces", {
        name: "Analytics",
        usage_limits: { monthly_spend_usd: 500 },
      })
    ).body;
    const key = (
      await server.post("/v1/api_keys", { name: "reporting-bot", workspace_id: workspace.id })
    ).body;
    // Big enough to cost whole cents: the page shows dollars and cents.
    steward.upstream.script({
      kind: "message",
      usage: { input_tokens: 1_000_000, output_tokens: 100_000 },
    });
    await steward.callGateway(key.key, { model: "claude-haiku-4-5" });
    await steward.settle();

    const now = new Date();
    const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
    const report = await server.get("/v1/organizations/cost_report", {
      query: { starting_at: monthStart.toISOString(), limit: 31, group_by: ["api_key_id"] },
    });
    expect(report.status).toBe(200);
    const lines = (
      report.body as { data: { results: { amount: string; api_key_id: string }[] }[] }
    ).data
      .flatMap((day) => day.results)
      .filter((line) => line.api_key_id === key.id);
    const cents = lines.reduce((sum, line) => sum + Number(line.amount), 0);
    expect(cents).toBeGreaterThan(0);
    const spent = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" }).format(
      cents / 100,
    );

    await signInWithAdminKey(page);
    await page.getByRole("heading", { name: "Overview", level: 1 }).waitFor();
    const keys = page.getByRole("table", { name: "Top API keys" });
    const row = keys.getByRole("row").filter({ hasText: "reporting-bot" });
    await expect
      .poll(() => row.getByRole("cell").allTextContents())
      .toEqual(["reporting-bot", spent]);
    const workspaces = page.getByRole("table", { name: "Top workspaces" });
    await workspaces.getByRole("row").filter({ hasText: "Analytics" }).waitFor();
    // The workspace's limit is shown with its month-to-date spend.
    await page.getByText("Analytics this month").waitFor();
    await page.getByRole("meter", { name: "Share of Analytics's monthly limit" }).waitFor();
    await expectNoSeriousAxeViolations(page);
  });
});
