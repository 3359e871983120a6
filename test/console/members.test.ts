/**
 * Members and invites in the console, in Chromium: an owner invites someone, the invited person
 * opens the acceptance page (in a browser of their own) and accepts, and the owner then sees them
 * in the member list, with an offboarding preview. axe-core on each page.
 */
import { expect, it } from "vitest";
import {
  describeInBrowser,
  expectNoSeriousAxeViolations,
  signInWithAdminKey,
} from "../support/browser.js";

describeInBrowser("console members", (s) => {
  it("should invite someone who accepts on the acceptance page and then is a member", async () => {
    const { page, browser, steward } = s;
    await signInWithAdminKey(page);
    await page.goto("/console/members");
    await page.getByRole("table", { name: "Members" }).waitFor();
    await expectNoSeriousAxeViolations(page);

    await page.getByLabel("Email").fill("new.person@example.com");
    await page.getByLabel("Role", { exact: true }).selectOption("developer");
    await page.getByRole("button", { name: "Send invite" }).click();
    const link = (await page.getByTestId("invite-link").textContent()) ?? "";
    expect(link).toMatch(/\/console\/invites\/accept\?token=/);
    const invites = page.getByRole("table", { name: "Pending invites" });
    await invites.getByRole("cell", { name: "new.person@example.com", exact: true }).waitFor();

    // The invited person, in a browser of their own with no session.
    const theirs = await browser.newContext({ baseURL: steward.baseURL });
    try {
      const invited = await theirs.newPage();
      await invited.goto(link);
      await invited.getByRole("heading", { name: "Accept your invitation" }).waitFor();
      await expectNoSeriousAxeViolations(invited);
      await invited.getByLabel("Your name").fill("New Person");
      await invited.getByRole("button", { name: "Accept invitation" }).click();
      await invited.getByRole("status").filter({ hasText: "is now a member" }).waitFor();
      await invited.getByRole("link", { name: "Sign in to Steward" }).waitFor();
    } finally {
      await theirs.close();
    }

    await page.reload();
    const members = page.getByRole("table", { name: "Members" });
    await members.getByRole("cell", { name: "new.person@example.com", exact: true }).waitFor();
    await members.getByRole("cell", { name: "New Person", exact: true }).waitFor();
    await invites
      .getByRole("cell", { name: "new.person@example.com", exact: true })
      .waitFor({ state: "detached" });

    // Offboarding shows what it will revoke before anything is done.
    await page.getByRole("button", { name: "Offboard new.person@example.com" }).click();
    const dialog = page.getByRole("dialog", { name: "Offboard New Person?" });
    await dialog.getByTestId("offboard-preview").waitFor();
    await expectNoSeriousAxeViolations(page);
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "detached" });
    await members.getByRole("cell", { name: "new.person@example.com", exact: true }).waitFor();
  });
});
