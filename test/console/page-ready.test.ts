/**
 * Each page says when its data is on screen (`usePageReady`: a word of `<body data-page-ready>`
 * and a performance mark), which bench/console-pages.ts times; and the parts that load on their
 * own (the overview's top keys, the usage page's spend by key) show what they should once there.
 */
import { expect, it } from "vitest";
import { describeInBrowser, signInWithAdminKey } from "../support/browser.js";

const PAGES: ReadonlyArray<readonly [path: string, ready: string]> = [
  ["", "overview"],
  ["members", "members"],
  ["workspaces", "workspaces"],
  ["keys", "keys"],
  ["usage", "usage"],
  ["alerts", "alerts"],
  ["audit", "audit"],
  ["settings", "settings"],
];

describeInBrowser("console: pages mark their data on screen", (s) => {
  it("marks every page ready once its data is shown, and only then", async () => {
    const { page } = s;
    await signInWithAdminKey(page);
    for (const [path, ready] of PAGES) {
      await page.goto(`/console/${path}`);
      await page.locator(`body[data-page-ready~="${ready}"]`).waitFor({ state: "attached" });
      // The page's own loading placeholder is gone by then, and the mark was taken.
      await expect
        .poll(() => page.getByText("Loading…", { exact: true }).count(), { timeout: 5_000 })
        .toBe(0);
      const marks = await page.evaluate(
        (name) => performance.getEntriesByName(`steward:page-ready:${name}`).length,
        ready,
      );
      expect(marks, path).toBeGreaterThan(0);
    }
  });

  it("shows the top keys and the spend by key, by name, in parts of their own", async () => {
    const { page, steward } = s;
    const { server } = steward;
    const workspace = (await server.post("/v1/organizations/workspaces", { name: "Labs" })).body;
    const key = (
      await server.post("/v1/api_keys", { name: "lab-runner", workspace_id: workspace.id })
    ).body;
    steward.upstream.script({
      kind: "message",
      usage: { input_tokens: 1_000_000, output_tokens: 100_000 },
    });
    await steward.callGateway(key.key, { model: "claude-haiku-4-5" });
    await steward.settle();

    await signInWithAdminKey(page);
    await page.goto("/console/");
    await page.locator('body[data-page-ready~="overview-keys"]').waitFor({ state: "attached" });
    const topKeys = page.getByRole("table", { name: "Top API keys", exact: true });
    await expect.poll(() => topKeys.getByRole("cell", { name: "lab-runner" }).count()).toBe(1);

    await page.goto("/console/usage");
    await page.locator('body[data-page-ready~="usage-keys"]').waitFor({ state: "attached" });
    const byKey = page.getByRole("table", { name: "Spend by API key over the range", exact: true });
    await expect.poll(() => byKey.getByRole("cell", { name: "lab-runner" }).count()).toBe(1);
  });
});
