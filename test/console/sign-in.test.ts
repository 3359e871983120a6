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

  it("should show the overview with no serious axe violation", async () => {
    const { page } = s;
    await signInWithAdminKey(page);
    await page.getByRole("heading", { name: "Overview", level: 1 }).waitFor();
    await page.getByRole("table", { name: "Top workspaces" }).waitFor();
    await expectNoSeriousAxeViolations(page);
  });
});
