/**
 * `npm run console:screenshots`: starts Steward in process with demo data (workspaces, members,
 * keys, a month of usage, an alert rule with a delivery), signs in with the owner's admin key, and
 * writes docs/console/<page>-light.png and -dark.png at 1280x800. Needs Chromium and the built
 * console (`npm run build`), as the browser tests do (test/support/browser.ts).
 */
import { mkdirSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import {
  browserUnavailableReason,
  type ConsoleServer,
  launchChromium,
  newConsoleContext,
  signInWithAdminKey,
  startConsoleServer,
} from "../test/support/browser.js";

const OUT = fileURLToPath(new URL("../docs/console/", import.meta.url));
const DAY = 86_400_000;

interface Shot {
  name: string;
  path: string;
  /** What to do on the page before the picture. */
  prepare?: (page: Page) => Promise<void>;
}

async function ok<T>(response: Promise<{ status: number; body: T }>, what: string): Promise<T> {
  const { status, body } = await response;
  if (status !== 200 && status !== 201) {
    throw new Error(`${what}: ${status} ${JSON.stringify(body)}`);
  }
  return body;
}

/** A webhook receiver that accepts every alert, so that the deliveries table has a success. */
async function startReceiver(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => res.writeHead(204).end());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/steward-alerts`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Workspaces, members, keys, 30 days of usage and an alert rule: every page has something. */
async function seed(steward: ConsoleServer, receiverUrl: string): Promise<{ workspace: string }> {
  const { server } = steward;
  await ok(server.patch("/v1/organizations", { billing: { usage_limit_usd: 2500 } }), "org");
  const workspaces: Record<string, string> = {};
  for (const [name, limit] of [
    ["Research", 1200],
    ["Customer support", 600],
    ["Marketing", null],
  ] as const) {
    const created = await ok(
      server.post("/v1/organizations/workspaces", {
        name,
        usage_limits: { monthly_spend_usd: limit, requests_per_minute: limit ? 600 : null },
      }),
      "workspace",
    );
    workspaces[name] = created.id;
  }
  const people = [
    ["Ada Lovelace", "ada@example.com", "admin", "Research"],
    ["Grace Hopper", "grace@example.com", "developer", "Research"],
    ["Ken Thompson", "ken@example.com", "developer", "Customer support"],
    ["Mary Jackson", "mary@example.com", "user", "Marketing"],
  ] as const;
  for (const [name, email, role, workspace] of people) {
    const invite = await ok(server.post("/v1/users/invite", { email, role }), "invite");
    const accepted = await ok(
      server.post("/v1/invites/accept", { token: invite.token, name }, { key: null }),
      "accept",
    );
    await ok(
      server.post(`/v1/organizations/workspaces/${workspaces[workspace]}/members`, {
        user_id: accepted.id,
        workspace_role: role === "user" ? "workspace_user" : "workspace_developer",
      }),
      "member",
    );
  }
  await ok(server.post("/v1/users/invite", { email: "linus@example.com", role: "developer" }), "");

  const keys: { id: string; key: string; workspace: string }[] = [];
  for (const [name, workspace] of [
    ["research-agents", "Research"],
    ["eval-pipeline", "Research"],
    ["support-bot", "Customer support"],
    ["campaign-writer", "Marketing"],
  ] as const) {
    const created = await ok(
      server.post("/v1/api_keys", { name, workspace_id: workspaces[workspace] }),
      "key",
    );
    keys.push({ id: created.id, key: created.key, workspace: workspaces[workspace] as string });
  }

  // A month of usage: ingested per day (the gateway records only "now"), then a few live calls.
  const models = ["claude-sonnet-4-5", "claude-haiku-4-5", "claude-opus-4-1"];
  const events = [];
  for (let day = 29; day >= 1; day--) {
    for (const [i, key] of keys.entries()) {
      const weekday = new Date(Date.now() - day * DAY).getUTCDay();
      const busy = weekday === 0 || weekday === 6 ? 0.4 : 1;
      const scale = busy * (1 + ((day * (i + 3)) % 7) / 7) * (4 - i);
      events.push({
        id: `demo-${day}-${key.id}`,
        timestamp: new Date(Date.now() - day * DAY).toISOString(),
        workspace_id: key.workspace,
        api_key_id: key.id,
        model: models[(day + i) % models.length],
        input_tokens: Math.round(900_000 * scale),
        output_tokens: Math.round(120_000 * scale),
        cache_read_input_tokens: Math.round(300_000 * scale),
      });
    }
  }
  await ok(server.post("/v1/usage/events", { events }), "usage");
  steward.upstream.script({
    kind: "message",
    usage: { input_tokens: 400_000, output_tokens: 60_000 },
  });
  for (const key of keys) {
    await steward.callGateway(key.key);
  }
  await steward.settle();

  const rule = await ok(
    server.post("/v1/organizations/alert_rules", {
      name: "Monthly budget",
      scope: { type: "organization" },
      thresholds: [
        { type: "percent_of_limit", percent: 80 },
        { type: "percent_of_limit", percent: 100 },
      ],
      channels: [{ type: "webhook", url: receiverUrl }],
    }),
    "alert rule",
  );
  await ok(server.post(`/v1/organizations/alert_rules/${rule.id}/test`, {}), "alert test");
  return { workspace: workspaces.Research as string };
}

async function main(): Promise<void> {
  const unavailable = browserUnavailableReason();
  if (unavailable) {
    throw new Error(`cannot take the screenshots: ${unavailable}`);
  }
  mkdirSync(OUT, { recursive: true });
  const receiver = await startReceiver();
  const steward = await startConsoleServer({ name: "sqlite" });
  const browser = await launchChromium();
  try {
    const { workspace } = await seed(steward, receiver.url);
    const shots: Shot[] = [
      { name: "overview", path: "" },
      { name: "members", path: "members" },
      { name: "workspaces", path: "workspaces" },
      { name: "workspace", path: `workspaces/${workspace}` },
      { name: "keys", path: "keys" },
      { name: "usage", path: "usage" },
      { name: "alerts", path: "alerts" },
      { name: "audit", path: "audit" },
      { name: "settings", path: "settings" },
    ];
    for (const colorScheme of ["light", "dark"] as const) {
      const context = await newConsoleContext(browser, steward, {
        colorScheme,
        viewport: { width: 1280, height: 800 },
      });
      const page = await context.newPage();
      await page.goto("/console/sign-in");
      await page.getByLabel("Admin key", { exact: true }).waitFor();
      await page.screenshot({ path: join(OUT, `sign-in-${colorScheme}.png`) });
      await signInWithAdminKey(page);
      for (const shot of shots) {
        await page.goto(`/console/${shot.path}`);
        await page.locator("h1").first().waitFor();
        await page.waitForLoadState("networkidle");
        await shot.prepare?.(page);
        await page.screenshot({ path: join(OUT, `${shot.name}-${colorScheme}.png`) });
        process.stdout.write(`docs/console/${shot.name}-${colorScheme}.png\n`);
      }
      await context.close();
    }
  } finally {
    await browser.close();
    await steward.close();
    await receiver.close();
  }
}

await main();
