/**
 * Signing in to the console through a real OpenID Connect provider, in Chromium (issue 26,
 * point 6): the test IdP (test/support/oidc-idp.ts) on its own port, a Steward whose OIDC_ISSUER,
 * client and STEWARD_PUBLIC_URL point at it and at itself. The browser follows every redirect
 * itself (Steward, the IdP's authorization and login, the callback); the IdP's login needs no
 * form, it signs in the account the test chose with `idp.signInAs`.
 */
import type { Page } from "playwright-core";
import { afterAll, expect, it } from "vitest";
import { describeInBrowser, newConsoleContext, signInWithAdminKey } from "../support/browser.js";
import { startTestIdp, type TestIdp } from "../support/oidc-idp.js";

/** The IdP of the suite running now (one per backend, started with its Steward). */
let idp: TestIdp | undefined;

function currentIdp(): TestIdp {
  if (idp === undefined) {
    throw new Error("the suite's IdP is only there inside its tests");
  }
  return idp;
}

/** From /console/ to the provider and back, by the sign-in page's single sign-on button. */
async function signInThroughProvider(page: Page): Promise<void> {
  await page.goto("/console/");
  await page.waitForURL((url) => url.pathname === "/console/sign-in");
  await page.getByRole("link", { name: "Sign in with 127.0.0.1" }).click();
}

/** GET /auth/session from the page, with the browser's cookies. */
function sessionSeenByPage(page: Page) {
  return page.evaluate(async () => {
    const response = await fetch("/auth/session");
    return { status: response.status, body: await response.json() };
  });
}

describeInBrowser(
  "console sign-in with OpenID Connect",
  (s) => {
    afterAll(async () => {
      await idp?.close();
      idp = undefined;
    });

    it("should sign a member in through the provider and show them on the overview", async () => {
      const { page, steward } = s;
      const users = await steward.server.get("/v1/organizations/users");
      const owner = (
        users.body as { data: { id: string; email: string; name: string; role: string }[] }
      ).data.find((user) => user.role === "owner");
      expect(owner).toBeDefined();
      const { id, email, name } = owner as NonNullable<typeof owner>;
      const provider = currentIdp();
      provider.signInAs(provider.addAccount({ email: email.toUpperCase(), email_verified: true }));

      await signInThroughProvider(page);
      await page.waitForURL((url) => url.pathname === "/console/");
      await page.getByRole("heading", { name: "Overview", level: 1 }).waitFor();
      await page.locator(".signed-in").getByText(name).waitFor();
      await page.locator(".signed-in .role").getByText("owner", { exact: true }).waitFor();
      const session = await sessionSeenByPage(page);
      expect(session.status).toBe(200);
      expect(session.body).toMatchObject({
        method: "oidc",
        user: { id, email, role: "owner" },
      });
    });

    it("should accept an invite on the invited email's first sign-in and list the new member", async () => {
      const { page, steward, browser } = s;
      const invite = await steward.server.post("/v1/organizations/invites", {
        email: "dev.oidc@example.com",
        role: "developer",
      });
      expect(invite.status).toBe(200);
      const provider = currentIdp();
      provider.signInAs(
        provider.addAccount({ email: "dev.oidc@example.com", email_verified: true }),
      );

      await signInThroughProvider(page);
      await page.waitForURL((url) => url.pathname === "/console/");
      const session = await sessionSeenByPage(page);
      expect(session.body).toMatchObject({
        method: "oidc",
        user: { email: "dev.oidc@example.com", role: "developer" },
      });
      // The new member's name (from the invite's email) and role, in the console's header.
      const shown = session.body.user.name || session.body.user.email;
      await page.locator(".signed-in").getByText(shown).waitFor();
      await page.locator(".signed-in .role").getByText("developer", { exact: true }).waitFor();

      // The owner, in a browser of their own, finds the new member in the member list.
      const ownerContext = await newConsoleContext(browser, steward);
      try {
        const ownerPage = await ownerContext.newPage();
        await signInWithAdminKey(ownerPage);
        await ownerPage.goto("/console/members");
        await ownerPage
          .getByRole("table", { name: "Members" })
          .getByRole("cell", { name: "dev.oidc@example.com", exact: true })
          .waitFor();
      } finally {
        await ownerContext.close();
      }
    });

    it("should bring a sign-in without MFA back to the sign-in page when require_mfa is on", async () => {
      const { page, steward } = s;
      const users = await steward.server.get("/v1/organizations/users");
      const owner = (users.body as { data: { email: string; role: string }[] }).data.find(
        (user) => user.role === "owner",
      );
      expect(owner).toBeDefined();
      const turnOn = await steward.server.post("/v1/organizations", {
        settings: { require_mfa: true },
      });
      expect(turnOn.status).toBe(200);
      try {
        const provider = currentIdp();
        provider.signInAs(
          provider.addAccount({ email: owner?.email ?? "", email_verified: true }),
          ["pwd"],
        );

        await signInThroughProvider(page);
        await page.waitForURL(
          (url) =>
            url.pathname === "/console/sign-in" && url.searchParams.get("error") === "mfa_required",
        );
        await page
          .getByRole("alert")
          .getByText(
            "This organization requires multi-factor authentication: sign in with it enabled.",
          )
          .waitFor();
        expect((await sessionSeenByPage(page)).status).toBe(401);
      } finally {
        await steward.server.post("/v1/organizations", { settings: { require_mfa: false } });
      }
    });
  },
  {
    server: async (baseURL) => {
      const redirectUrl = `${baseURL}/auth/oidc/callback`;
      idp = await startTestIdp({ redirectUris: [redirectUrl] });
      return {
        publicUrl: baseURL,
        oidc: {
          issuer: idp.issuer,
          clientId: idp.clientId,
          clientSecret: idp.clientSecret,
          redirectUrl,
          scopes: "openid email profile",
        },
      };
    },
  },
);
