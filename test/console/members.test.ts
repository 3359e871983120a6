/**
 * Members and invites in the console, in Chromium: an owner invites someone, the invited person
 * opens the acceptance page (in a browser of their own) and accepts, and the owner then sees them
 * in the member list, with the server's exact offboarding preview, then offboards them. axe-core
 * on each page.
 */
import { expect, it } from "vitest";
import {
  describeInBrowser,
  expectNoSeriousAxeViolations,
  signInWithAdminKey,
} from "../support/browser.js";
import { present } from "../support/narrow.js";

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

    // Offboarding shows what it will revoke before anything is done: the server's dry run, so
    // exactly what the Offboard button then does.
    const { server } = steward;
    const person = present(
      (await server.get("/v1/users", { query: { email: "new.person@example.com" } })).body.data[0],
      "the new member",
    );
    const workspace = (await server.post("/v1/workspaces", { name: "Offboarding WS" })).body;
    expect(
      (
        await server.post(`/v1/organizations/workspaces/${workspace.id}/members`, {
          user_id: person.id,
          workspace_role: "workspace_developer",
        })
      ).status,
    ).toBe(200);
    const key = (
      await server.post("/v1/api_keys", {
        name: "New Person's key",
        workspace_id: workspace.id,
        user_id: person.id,
      })
    ).body;
    expect(key.id).toMatch(/^apikey_/);
    const auditBefore = (await server.services.deps.store.read.audit.list(server.org.id)).length;

    await page.getByRole("button", { name: "Offboard new.person@example.com" }).click();
    const dialog = page.getByRole("dialog", { name: "Offboard New Person?" });
    const preview = dialog.getByTestId("offboard-preview");
    await preview.waitFor();
    await preview.getByRole("heading", { name: "API keys to revoke (1)" }).waitFor();
    await preview.getByText("New Person's key").waitFor();
    await preview.getByText("Offboarding WS (workspace_developer)").waitFor();
    await expectNoSeriousAxeViolations(page);
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "detached" });
    await members.getByRole("cell", { name: "new.person@example.com", exact: true }).waitFor();
    // The preview wrote nothing: the key still works and no audit record was added.
    await steward.callGateway(key.key);
    await steward.settle();
    expect((await server.services.deps.store.read.audit.list(server.org.id)).length).toBe(
      auditBefore,
    );

    await page.getByRole("button", { name: "Offboard new.person@example.com" }).click();
    await dialog.getByRole("heading", { name: "API keys to revoke (1)" }).waitFor();
    await dialog.getByRole("button", { name: "Offboard new.person@example.com" }).click();
    await page
      .getByRole("status")
      .filter({ hasText: "Offboarded new.person@example.com: 1 API keys" })
      .waitFor();
    expect((await server.get(`/v1/api_keys/${key.id}`)).body.status).toBe("archived");
  });
});
