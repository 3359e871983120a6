/**
 * The console's browser tests (test/console/*.test.ts): Debian's Chromium driven by
 * playwright-core, one browser per test file and a fresh context (cookies, storage) per test,
 * against a real Steward listening on a free port of 127.0.0.1, over a temporary database, with the
 * gateway pointed at the fake Anthropic upstream and the console built into dist/console.
 *
 * Where Chromium or the built console is missing (a quick-start machine), the suites are skipped
 * with the reason in their title; with STEWARD_REQUIRE_BROWSER=1 (CI, .ci/run) that is a failure.
 *
 * No sleeps: playwright's locators wait for what they act on, and assertions on the page poll
 * (`expect.poll`, `locator.waitFor`).
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect } from "vitest";
import { systemClock } from "../../src/core/ports.js";
import { type FakeUpstream, startFakeUpstream } from "../fixtures/fake-upstream.js";
import {
  BACKENDS,
  type Backend,
  createTestServer,
  type TestServer,
  type TestServerOptions,
} from "../harness.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const CONSOLE_DIST = join(ROOT, "dist", "console");
/** What the console is built from (as scripts/build-console.mjs reads them). */
const CONSOLE_SOURCES = [
  join(ROOT, "packages", "console", "src"),
  join(ROOT, "packages", "console", "index.html"),
  join(ROOT, "packages", "sdk", "src"),
];
const AXE_SOURCE = join(ROOT, "node_modules", "axe-core", "axe.min.js");
const UPSTREAM_KEY = "sk-ant-api03-steward-console-upstream-credential";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/**
 * Without the background-networking flags Chromium keeps calling Google's services, which a
 * closed network answers with nothing but delays; no sandbox, as CI runs as root in a container.
 */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

/** The newest modification time of a file, or of any file under a directory (0: none). */
function newestMtime(dir: string): number {
  if (!existsSync(dir)) {
    return 0;
  }
  if (!statSync(dir).isDirectory()) {
    return statSync(dir).mtimeMs;
  }
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) {
      newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
    }
  }
  return newest;
}

/** Why the browser suites cannot run here, or undefined when they can. */
export function browserUnavailableReason(): string | undefined {
  if (!existsSync(CHROMIUM_PATH)) {
    return `no Chromium at ${CHROMIUM_PATH} (apt-get install chromium, or set CHROMIUM_PATH)`;
  }
  const index = join(CONSOLE_DIST, "index.html");
  if (!existsSync(index)) {
    return `the console is not built (${index} is missing): run npm run build`;
  }
  // Tests of a console older than its sources would test yesterday's console.
  if (Math.max(...CONSOLE_SOURCES.map(newestMtime)) > statSync(index).mtimeMs) {
    return "dist/console is older than the console's or the SDK's sources: run npm run build";
  }
  return undefined;
}

/** A Steward for the browser: the app on a socket, the gateway in front of the fake upstream. */
export interface ConsoleServer {
  /** `http://127.0.0.1:<port>`, the console at `${baseURL}/console/`. */
  baseURL: string;
  /** The app and its services, with requests typed by the contract (test/harness.ts). */
  server: TestServer;
  upstream: FakeUpstream;
  /** The organization's first admin key, held by its owner. */
  adminKey: string;
  /** POST /v1/messages through the gateway with `apiKey`; fails unless answered 200. */
  callGateway(apiKey: string, body?: Record<string, unknown>): Promise<void>;
  /** Waits for every gateway request to finish and every usage event to be written. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

/**
 * More configuration for a suite's Steward, made once its address is known (its public URL and
 * OIDC redirect URL name it): for instance a test IdP started for it.
 */
export type ConsoleServerConfig = (
  baseURL: string,
) => Promise<Pick<TestServerOptions, "oidc" | "publicUrl">>;

export async function startConsoleServer(
  backend: Backend,
  configure?: ConsoleServerConfig,
): Promise<ConsoleServer> {
  // The socket first, so that the configuration can name the address; the app answers on it.
  const socket = createServer();
  await new Promise<void>((resolve) => socket.listen(0, "127.0.0.1", resolve));
  const { port } = socket.address() as AddressInfo;
  const baseURL = `http://127.0.0.1:${port}`;
  const upstream = await startFakeUpstream({ apiKey: UPSTREAM_KEY });
  // The real clock: session cookies expire by the browser's clock, which is the machine's.
  const server = await createTestServer(backend, {
    clock: systemClock,
    gateway: {
      upstream: { url: upstream.url, apiKey: UPSTREAM_KEY, timeoutMs: 10_000 },
      recorder: { maxDelayMs: 5 },
    },
    ...(configure && (await configure(baseURL))),
  });
  await server.app.ready();
  // Through the app's own server (not app.routing): its handler puts the gateway's front door
  // before Fastify.
  socket.on("request", (req, res) => server.app.server.emit("request", req, res));
  const settle = async () => {
    const gateway = server.runtime.gateway;
    if (gateway) {
      await gateway.gateway.idle();
      await gateway.recorder.drain();
    }
  };
  return {
    baseURL,
    server,
    upstream,
    adminKey: server.org.adminKey,
    async callGateway(apiKey, body = {}) {
      const response = await fetch(`${baseURL}/v1/messages`, {
        method: "POST",
        headers: {
          "x-api-key": apiKey,
          "anthropic-version": "2023-06-01",
          "content-type": "application/json",
        },
        body: JSON.stringify({
          model: "claude-haiku-4-5",
          max_tokens: 64,
          messages: [{ role: "user", content: "Say hello." }],
          ...body,
        }),
      });
      if (response.status !== 200) {
        throw new Error(`gateway call: ${response.status} ${await response.text()}`);
      }
    },
    settle,
    async close() {
      socket.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        socket.close((error) => (error ? reject(error) : resolve())),
      );
      await server.close();
      await upstream.close();
    },
  };
}

/** What a browser suite's tests use; read inside hooks and tests, not at collection. */
export interface BrowserSuite {
  readonly backend: Backend;
  readonly browser: Browser;
  readonly steward: ConsoleServer;
  /** This test's context (its own cookies) and its first page. */
  readonly context: BrowserContext;
  readonly page: Page;
  /**
   * An absolute URL on the server under test: `url("/console/usage")`. The context's base URL is
   * the server's, so `page.goto("/console/usage")` works too.
   */
  url(path: string): string;
}

export interface BrowserSuiteOptions {
  /** Context options for every test's context, such as `colorScheme`. */
  context?: Parameters<Browser["newContext"]>[0];
  /** More configuration for the suite's Steward (once per backend). */
  server?: ConsoleServerConfig;
}

/**
 * `describe` once per backend (SQLite always, PostgreSQL when TEST_DATABASE_URL is set) with a
 * browser and a Steward for the whole block and a new context per test. Skipped, saying why, when
 * the browser cannot run here; failing instead under STEWARD_REQUIRE_BROWSER=1.
 */
export function describeInBrowser(
  title: string,
  suite: (s: BrowserSuite) => void,
  options: BrowserSuiteOptions = {},
): void {
  const reason = browserUnavailableReason();
  if (reason && process.env.STEWARD_REQUIRE_BROWSER === "1") {
    throw new Error(`STEWARD_REQUIRE_BROWSER=1 but the browser tests cannot run: ${reason}`);
  }
  for (const backend of BACKENDS) {
    const unavailable =
      reason ??
      (backend.url === undefined && backend.name === "postgres"
        ? "set TEST_DATABASE_URL to run it"
        : undefined);
    if (unavailable) {
      describe.skip(`${title} [${backend.name}] SKIPPED: ${unavailable}`, () => suite(unusable));
      continue;
    }
    describe(`${title} [${backend.name}]`, () => {
      const state: Partial<Omit<BrowserSuite, "url" | "backend">> = {};
      beforeAll(async () => {
        const [browser, steward] = await Promise.all([
          launchChromium(),
          startConsoleServer(backend, options.server),
        ]);
        Object.assign(state, { browser, steward });
      });
      afterAll(async () => {
        await state.browser?.close();
        await state.steward?.close();
      });
      beforeEach(async () => {
        const context = await newConsoleContext(
          need(state.browser, "browser"),
          need(state.steward, "steward"),
          options.context,
        );
        Object.assign(state, { context, page: await context.newPage() });
      });
      afterEach(async () => {
        await state.context?.close();
      });
      suite({
        backend,
        get browser() {
          return need(state.browser, "browser");
        },
        get steward() {
          return need(state.steward, "steward");
        },
        get context() {
          return need(state.context, "context");
        },
        get page() {
          return need(state.page, "page");
        },
        url: (path) => `${need(state.steward, "steward").baseURL}${path}`,
      });
    });
  }
}

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) {
    throw new Error(`the browser suite's ${what} is only there inside hooks and tests`);
  }
  return value;
}

/**
 * A browser context for a Steward: its base URL is the Steward's (`page.goto("/console/")`), and
 * signInWithAdminKey knows which Steward its pages talk to.
 */
export async function newConsoleContext(
  browser: Browser,
  steward: ConsoleServer,
  options: Parameters<Browser["newContext"]>[0] = {},
): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL: steward.baseURL, ...options });
  // A locator that finds nothing fails with playwright's message well before the test's own
  // timeout does.
  context.setDefaultTimeout(10_000);
  stewardOf.set(context, steward);
  return context;
}

/** What a skipped suite's body is given: it is collected, never run. */
const unusable = new Proxy({} as BrowserSuite, {
  get: () => {
    throw new Error("this browser suite is skipped");
  },
});

/** The Steward each context of a browser suite was made for. */
const stewardOf = new WeakMap<BrowserContext, ConsoleServer>();

/**
 * Signs in on the sign-in page with an admin key (by default the organization's first, its
 * owner's), as an owner would the first time, and waits until the console has left the sign-in
 * page. The page's context comes from describeInBrowser (its base URL is the Steward's).
 */
export async function signInWithAdminKey(page: Page, key?: string): Promise<void> {
  const steward = stewardOf.get(page.context());
  if (!steward) {
    throw new Error("signInWithAdminKey: the page is not from a describeInBrowser context");
  }
  await page.goto("/console/sign-in");
  await page.getByLabel("Admin key", { exact: true }).fill(key ?? steward.adminKey);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => !url.pathname.endsWith("/sign-in"));
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

let axeSource: string | undefined;

/**
 * Runs axe-core on the page as it is now, and fails listing every serious or critical violation
 * (rule, what it means, and the elements). axe is evaluated through the DevTools protocol, which
 * the console's CSP (script-src 'self') does not apply to, so the page under test keeps its CSP.
 */
export async function expectNoSeriousAxeViolations(page: Page): Promise<void> {
  axeSource ??= readFileSync(AXE_SOURCE, "utf8");
  const loaded = await page.evaluate(() => "axe" in window);
  if (!loaded) {
    await page.evaluate(axeSource);
  }
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document): Promise<unknown> } }).axe;
    const results = (await axe.run(document)) as { violations: AxeViolation[] };
    return results.violations.map(({ id, impact, help, helpUrl, nodes }) => ({
      id,
      impact,
      help,
      helpUrl,
      nodes: nodes.map(({ target, failureSummary }) => ({ target, failureSummary })),
    }));
  });
  const serious = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const report = serious.map(
    (v) =>
      `${v.impact} ${v.id}: ${v.help} (${v.helpUrl})\n${v.nodes
        .map((n) => `    ${JSON.stringify(n.target)}: ${n.failureSummary ?? ""}`)
        .join("\n")}`,
  );
  expect(report, `axe on ${page.url()}`).toEqual([]);
}
