/**
 * Roles are the server's to enforce: a developer or a user signed in to the console sees no admin
 * pages, and their session cookie gets 403 from the Admin API's admin routes, whatever the page
 * shows. An owner's session, the control, gets 200 from the same routes.
 */
import type { APIResponse, Page } from "playwright-core";
import { expect, it } from "vitest";
import { operatorContext } from "../../src/core/context.js";
import { type ConsoleServer, describeInBrowser, signInWithAdminKey } from "../support/browser.js";

const ADMIN_PAGES = [
  ["members", "Members"],
  ["alerts", "Alerts"],
  ["audit", "Audit log"],
  ["settings", "Settings"],
] as const;

/** A member with this role, who accepted their invite. */
async function member(steward: ConsoleServer, role: string): Promise<string> {
  const { server } = steward;
  const email = `${role}-${Date.now()}@example.com`;
  const invite = await server.post("/v1/users/invite", { email, role });
  expect(invite.status).toBe(200);
  const accepted = await server.post(
    "/v1/invites/accept",
    { token: invite.body.token, name: `A ${role}` },
    { key: null },
  );
  expect(accepted.status).toBe(200);
  return accepted.body.id;
}

/**
 * A console session of a member, as an identity provider's or an email link's sign-in opens one
 * (those flows have tests of their own): the cookie's secret.
 */
async function sessionOf(steward: ConsoleServer, userId: string): Promise<string> {
  const { services, org } = steward.server;
  return services.deps.store.transaction(async (repos) => {
    const user = await repos.users.findActive(org.id, userId);
    if (!user) {
      throw new Error(`no member ${userId}`);
    }
    const opened = await services.sessions.openIn(repos, operatorContext(org.id), user, "oidc");
    return opened.secret;
  });
}

/** The session's CSRF token, which unsafe requests must carry. */
async function csrfOf(page: Page): Promise<string> {
  const session = await page.request.get("/auth/session");
  expect(session.status()).toBe(200);
  return ((await session.json()) as { csrf_token: string }).csrf_token;
}

/**
 * Admin-only calls, each with the session cookie (and the CSRF token where one is needed); `tag`
 * names what they would create.
 */
async function adminCalls(page: Page, tag: string): Promise<Record<string, APIResponse>> {
  const headers = { "x-csrf-token": await csrfOf(page), "anthropic-version": "2023-06-01" };
  return {
    "list members": await page.request.get("/v1/organizations/users", { headers }),
    "read the audit log": await page.request.get("/v1/organizations/audit_logs", { headers }),
    "list alert rules": await page.request.get("/v1/organizations/alert_rules", { headers }),
    "invite someone": await page.request.post("/v1/organizations/invites", {
      headers,
      data: { email: `${tag}@example.com`, role: "admin" },
    }),
    "rename the organization": await page.request.post("/v1/organizations", {
      headers,
      data: { name: `${tag} Corp` },
    }),
  };
}

describeInBrowser("console: roles", (s) => {
  it("gives an owner's session the admin pages and the admin routes (the control)", async () => {
    const { page } = s;
    await signInWithAdminKey(page);
    const nav = page.getByRole("navigation", { name: "Console" });
    for (const [, label] of ADMIN_PAGES) {
      await nav.getByRole("link", { name: label, exact: true }).waitFor();
    }
    const calls = await adminCalls(page, "owner-control");
    for (const [what, response] of Object.entries(calls)) {
      expect({ what, status: response.status() }).toEqual({ what, status: 200 });
    }
  });

  for (const role of ["developer", "user"]) {
    it(`keeps a ${role} out of the admin pages and the admin routes`, async () => {
      const { page, context, steward } = s;
      const secret = await sessionOf(steward, await member(steward, role));
      await context.addCookies([
        { name: "steward_session", value: secret, url: steward.baseURL, httpOnly: true },
      ]);

      await page.goto("/console/");
      await page.locator(".signed-in .role", { hasText: role }).waitFor();
      const nav = page.getByRole("navigation", { name: "Console" });
      await nav.getByRole("link").first().waitFor();
      const links = await nav.getByRole("link").allTextContents();
      for (const [, label] of ADMIN_PAGES) {
        expect(links).not.toContain(label);
      }
      // Typed in the address bar: the page says no.
      for (const [path] of ADMIN_PAGES) {
        await page.goto(`/console/${path}`);
        await page
          .getByRole("alert")
          .filter({ hasText: `you are signed in as ${role}` })
          .waitFor();
      }

      // The server says no too, to the cookie the browser holds, naming the role.
      const calls = await adminCalls(page, `${role}-attempt`);
      for (const [what, response] of Object.entries(calls)) {
        const body = (await response.json()) as { error?: { type: string; message: string } };
        expect({ what, status: response.status(), type: body.error?.type }).toEqual({
          what,
          status: 403,
          type: "permission_error",
        });
        expect(body.error?.message).toContain(role);
      }
      const organization = await steward.server.get("/v1/organizations");
      expect(organization.body.name).not.toBe(`${role}-attempt Corp`);
    });
  }

  it("shows a developer their workspace and their usage without an error", async () => {
    const { page, context, steward } = s;
    const { server } = steward;
    const userId = await member(steward, "developer");
    const workspace = (await server.post("/v1/organizations/workspaces", { name: "Lab" })).body;
    await server.post(`/v1/organizations/workspaces/${workspace.id}/members`, {
      user_id: userId,
      workspace_role: "workspace_developer",
    });
    await context.addCookies([
      { name: "steward_session", value: await sessionOf(steward, userId), url: steward.baseURL },
    ]);
    const pages: [path: string, heading: string][] = [
      [`workspaces/${workspace.id}`, "Lab"],
      ["usage", "Usage and cost"],
    ];
    for (const [path, heading] of pages) {
      await page.goto(`/console/${path}`);
      await page.getByRole("heading", { name: heading, level: 1 }).waitFor();
      await page.waitForLoadState("networkidle");
      expect(await page.getByRole("alert").allTextContents()).toEqual([]);
    }
    // Members are listed for owners and admins only: the section is not there to fail.
    await page.goto(`/console/workspaces/${workspace.id}`);
    await page.getByRole("heading", { name: "API keys", level: 2 }).waitFor();
    expect(await page.getByRole("heading", { name: "Members", level: 2 }).count()).toBe(0);
  });
});
