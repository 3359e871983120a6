/**
 * The console's page speed on a large organization (issue 26: every page interactive in under a
 * second on a database with 10 million usage events).
 *
 * 1. Seeds a database (bench/console-seed.ts: 10 million usage events over 90 days with their
 *    rollups, 50 workspaces, 2,000 API keys, 500 members, 10 models, 100,000 audit records,
 *    alert rules with deliveries, pending invites) through Steward's own services and storage,
 *    not through HTTP. The seeded database is kept, keyed by the seed's parameters and the
 *    schema's last migration: a SQLite file in `--cache-dir`, a PostgreSQL schema
 *    `bench_console_<key>`; a rerun with the same parameters does not seed again (`--reseed` does).
 * 2. Starts Steward on it as `npm start` runs it (compiled into node_modules/.cache, with the
 *    console built by scripts/build-console.mjs), in a process of its own.
 * 3. Drives headless Chromium (playwright-core, /usr/bin/chromium), signed in with the owner's
 *    admin key, through each page: overview, members, workspaces, API keys, usage (the default
 *    30 days, then 90 days), alerts, audit log, settings.
 *
 * Interactive, as measured: from the start of the page's navigation (a full load of
 * /console/<page>: the document, the console's script, the session, then the page's own API
 * calls) to the moment the page has rendered its data, which each page marks with
 * `usePageReady` (packages/console/src/hooks.ts: a performance mark taken in an effect, after the
 * render). For the 90-day usage range: from the click on Show to the page's mark with the new
 * range's data. Each page is loaded `--warmup` times, then `--loads` times measured; printed:
 * p50 / p95 / max of those, and the page's API calls with their server time as the browser saw
 * it (request sent to first byte of the answer, over loopback) and the answer's size.
 *
 *   npx tsx bench/console-pages.ts [--events=10000000] [--days=90] [--workspaces=50]
 *     [--keys=2000] [--users=500] [--models=10] [--audit=100000] [--seed=1]
 *     [--backends=sqlite[,postgres]] [--pg=URL] [--loads=7] [--warmup=1]
 *     [--pages=overview,members,...] [--cache-dir=DIR] [--reseed] [--seed-only]
 *     [--server=PATH/TO/main.js]
 *
 * PostgreSQL runs when `--backends` names it, or when TEST_DATABASE_URL is set (its database, or
 * `--pg`'s). Exits 1 when a page misses the one-second target (or a run failed), 0 otherwise.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { type Browser, chromium, type Page, type Request } from "playwright-core";
import { connect, type Database, migrate } from "../src/db/connect.js";
import { migrationsFor } from "../src/db/migrations/index.js";
import {
  DEFAULT_SEED_PARAMS,
  type SeededOrganization,
  type SeedParams,
  seedOrganization,
} from "./console-seed.js";
import {
  type Child,
  CLOCK_TICKS,
  children,
  freePort,
  spawnChild,
  stopChild,
  waitForHttp,
} from "./support/processes.js";

// ---------------------------------------------------------------- options

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

function option(name: string, fallback: string): string {
  const prefix = `--${name}=`;
  const found = process.argv.find((arg) => arg.startsWith(prefix));
  return found === undefined ? fallback : found.slice(prefix.length);
}

function numberOption(name: string, fallback: number, min = 1): number {
  const value = Number(option(name, String(fallback)));
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`--${name} must be an integer of at least ${min}`);
  }
  return value;
}

const PARAMS: SeedParams = {
  ...DEFAULT_SEED_PARAMS,
  events: numberOption("events", DEFAULT_SEED_PARAMS.events),
  days: numberOption("days", DEFAULT_SEED_PARAMS.days),
  workspaces: numberOption("workspaces", DEFAULT_SEED_PARAMS.workspaces),
  keys: numberOption("keys", DEFAULT_SEED_PARAMS.keys),
  users: numberOption("users", DEFAULT_SEED_PARAMS.users, 0),
  models: numberOption("models", DEFAULT_SEED_PARAMS.models),
  auditRecords: numberOption("audit", DEFAULT_SEED_PARAMS.auditRecords, 0),
  seed: numberOption("seed", DEFAULT_SEED_PARAMS.seed, 0),
};
const LOADS = numberOption("loads", 7);
const WARMUP = numberOption("warmup", 1, 0);
const CACHE_DIR = option("cache-dir", join(tmpdir(), "steward-bench-console"));
const RESEED = process.argv.includes("--reseed");
const SEED_ONLY = process.argv.includes("--seed-only");
const SERVER = option("server", "");
const PG_URL = option(
  "pg",
  process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test",
);
const BACKENDS = option("backends", process.env.TEST_DATABASE_URL ? "sqlite,postgres" : "sqlite")
  .split(",")
  .map((b) => b.trim())
  .filter((b) => b !== "") as Backend[];
type Backend = "sqlite" | "postgres";
for (const backend of BACKENDS) {
  if (backend !== "sqlite" && backend !== "postgres") {
    throw new Error(`--backends: unknown backend ${JSON.stringify(backend)} (sqlite, postgres)`);
  }
}
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
/** As test/support/browser.ts launches it. */
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const TARGET_MS = 1000;
const DAY_MS = 86_400_000;

/**
 * The pages, by their console path, with the mark of their main data and, where a part loads on
 * its own after it, that part's mark.
 */
const PAGES = [
  { name: "overview", path: "", ready: "overview", late: "overview-keys" },
  { name: "members", path: "members", ready: "members" },
  { name: "workspaces", path: "workspaces", ready: "workspaces" },
  { name: "keys", path: "keys", ready: "keys" },
  { name: "usage", path: "usage", ready: "usage", late: "usage-keys" },
  { name: "usage-90d", path: "usage", ready: "usage", late: "usage-keys" },
  { name: "alerts", path: "alerts", ready: "alerts" },
  { name: "audit", path: "audit", ready: "audit" },
  { name: "settings", path: "settings", ready: "settings" },
] as const satisfies ReadonlyArray<{ name: string; path: string; ready: string; late?: string }>;
const TIMEOUT_MS = numberOption("timeout", 120_000);
type PageName = (typeof PAGES)[number]["name"];
const ONLY = option("pages", "")
  .split(",")
  .map((p) => p.trim())
  .filter((p) => p !== "");
for (const name of ONLY) {
  if (!PAGES.some((p) => p.name === name)) {
    throw new Error(`--pages: unknown page ${name} (${PAGES.map((p) => p.name).join(", ")})`);
  }
}

// ---------------------------------------------------------------- processes and machine

/** A database being seeded, dropped if the run stops before it is whole. */
let seeding: { dir?: string; schema?: string } | undefined;

/** Busy CPU seconds of the whole machine, from /proc/stat. */
function machineBusy(): number {
  try {
    const line = readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "";
    const [user, nice, system, , , irq, softirq, steal] = line
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
    return (
      ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) /
      CLOCK_TICKS
    );
  } catch {
    return Number.NaN;
  }
}

/** CPU seconds (user + system) a process has used, from /proc. */
function cpuSeconds(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return Number.NaN;
  }
}

// ---------------------------------------------------------------- the seeded database

interface SeedRecord {
  key: string;
  params: SeedParams;
  seededAt: string;
  seconds: number;
  organization: SeededOrganization;
}

/** The cache key: the parameters, the engine and the schema's last migration. */
async function seedKey(backend: Backend): Promise<string> {
  const migrations = Object.keys(await migrationsFor(backend).getMigrations());
  const last = migrations.sort().at(-1) ?? "";
  return createHash("sha256")
    .update(JSON.stringify({ backend, params: PARAMS, last }))
    .digest("hex")
    .slice(0, 12);
}

function progress(stage: string, done: number, total: number): void {
  const at = new Date().toISOString().slice(11, 19);
  console.log(
    `  ${at}  ${stage}: ${done.toLocaleString("en-US")}${total > 0 ? ` of ${total.toLocaleString("en-US")}` : ""}`,
  );
}

async function seedInto(database: Database): Promise<SeedRecord["organization"]> {
  await migrate(database);
  return seedOrganization(database, PARAMS, Date.now(), progress);
}

/** The seeded database for `backend` (seeding it when the cache has none) and its URL. */
async function seededDatabase(
  backend: Backend,
): Promise<{ url: string; record: SeedRecord; where: string }> {
  mkdirSync(CACHE_DIR, { recursive: true });
  const key = await seedKey(backend);
  const recordFile = join(CACHE_DIR, `${backend}-${key}.json`);
  const schema = `bench_console_${key}`;
  const file = join(CACHE_DIR, `console-${key}.db`);
  const separator = PG_URL.includes("?") ? "&" : "?";
  const url =
    backend === "sqlite"
      ? `sqlite:${file}`
      : `${PG_URL}${separator}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  const where = backend === "sqlite" ? file : `schema ${schema} in ${PG_URL}`;

  if (!RESEED && existsSync(recordFile) && (backend !== "sqlite" || existsSync(file))) {
    const record = JSON.parse(readFileSync(recordFile, "utf8")) as SeedRecord;
    console.log(
      `\n== ${backend}: the seeded database from ${record.seededAt} (${key}, seeded in ${Math.round(record.seconds)} s): ${where}`,
    );
    return { url, record, where };
  }

  console.log(`\n== ${backend}: seeding ${where} (${JSON.stringify(PARAMS)})`);
  const started = performance.now();
  let organization: SeededOrganization;
  if (backend === "sqlite") {
    const partial = join(mkdtempSync(join(CACHE_DIR, "seeding-")), "steward.db");
    seeding = { dir: dirname(partial) };
    const database = connect(`sqlite:${partial}`);
    try {
      organization = await seedInto(database);
    } finally {
      await database.close();
    }
    rmSync(file, { force: true });
    renameSync(partial, file);
    rmSync(dirname(partial), { recursive: true, force: true });
    seeding = undefined;
  } else {
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    try {
      await client.query(`drop schema if exists "${schema}" cascade`);
      await client.query(`create schema "${schema}"`);
      seeding = { schema };
    } finally {
      await client.end();
    }
    const database = connect(PG_URL, { schema, statementTimeoutMs: 0 });
    try {
      organization = await seedInto(database);
    } finally {
      await database.close();
    }
    seeding = undefined;
  }
  const record: SeedRecord = {
    key,
    params: PARAMS,
    seededAt: new Date().toISOString(),
    seconds: (performance.now() - started) / 1000,
    organization,
  };
  writeFileSync(recordFile, `${JSON.stringify(record, null, 2)}\n`);
  console.log(`  seeded in ${record.seconds.toFixed(0)} s`);
  return { url, record, where };
}

/** The database's size on disk, for the report. */
async function databaseSize(backend: Backend, where: string): Promise<number> {
  if (backend === "sqlite") {
    return statSync(where).size;
  }
  const schema = /schema (\S+)/.exec(where)?.[1] ?? "";
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    const result = await client.query<{ size: string }>(
      `select coalesce(sum(pg_total_relation_size(format('%I.%I', schemaname, tablename))), 0)::text as size
         from pg_tables where schemaname = $1`,
      [schema],
    );
    return Number(result.rows[0]?.size ?? 0);
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------- Steward

/**
 * Compiles Steward as `npm run build` does, into node_modules/.cache (dist/ is left alone), and
 * puts the console, built by scripts/build-console.mjs when its sources are newer, beside it;
 * the SDK is built first, as `npm run build` builds it.
 */
function buildSteward(): string {
  // As `npm run build`: the SDK (the CLI's sources import its build), then the console.
  execFileSync("npm", ["run", "build", "-w", "@steward/sdk"], {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "inherit"],
  });
  execFileSync(process.execPath, [join(ROOT, "scripts", "build-console.mjs")], {
    cwd: ROOT,
    stdio: ["ignore", "inherit", "inherit"],
  });
  const cache = join(ROOT, "node_modules", ".cache");
  const out = join(
    cache,
    `steward-bench-console-${createHash("sha256").update(ROOT).digest("hex").slice(0, 8)}`,
  );
  mkdirSync(cache, { recursive: true });
  const fresh = mkdtempSync(`${out}-`);
  try {
    execFileSync(
      process.execPath,
      [
        join(ROOT, "node_modules", "typescript", "bin", "tsc"),
        "-p",
        join(ROOT, "tsconfig.build.json"),
        "--outDir",
        join(fresh, "dist"),
        "--sourceMap",
        "false",
      ],
      { cwd: ROOT, stdio: ["ignore", "inherit", "inherit"] },
    );
  } catch {
    rmSync(fresh, { recursive: true, force: true });
    throw new Error("Steward does not compile (above)");
  }
  copyFileSync(join(ROOT, "package.json"), join(fresh, "package.json"));
  cpSync(join(ROOT, "dist", "console"), join(fresh, "dist", "console"), { recursive: true });
  rmSync(out, { recursive: true, force: true });
  renameSync(fresh, out);
  return join(out, "dist", "main.js");
}

interface Steward {
  child: Child;
  url: string;
}

async function startSteward(main: string, databaseUrl: string): Promise<Steward> {
  const port = await freePort();
  const child = spawnChild("steward", [main], {
    PRICES_FILE: join(ROOT, "config", "prices.json"),
    PORT: String(port),
    HOST: "127.0.0.1",
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: "warn",
    ACCESS_LOG: "off",
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/healthz`, child, { timeoutMs: 120_000 });
  return { child, url };
}

// ---------------------------------------------------------------- the pages

interface ApiCall {
  /** Method and path, ids and query values replaced by placeholders. */
  endpoint: string;
  /** Request sent to the answer's first byte, as the browser timed it. */
  serverMs: number;
  bytes: number;
}

interface Load {
  /** To the page's main data on screen (its `usePageReady` mark). */
  ms: number;
  /** To its last part that loads on its own (the top keys, the spend by key), when it has one. */
  allMs: number | undefined;
  calls: ApiCall[];
}

/** `GET /v1/api_keys?limit=…&after_id=…`: the shape of a call, so that loads can be compared. */
function endpointOf(request: Request): string {
  const url = new URL(request.url());
  // Ids have a prefix and digits among their characters (`apikey_01…`), path words have none.
  const path = url.pathname.replace(/\/[a-z]+_(?=[A-Za-z]*\d)[A-Za-z0-9]{10,}/g, "/{id}");
  const params = [...new Set([...url.searchParams.keys()])].sort();
  return `${request.method()} ${path}${params.length > 0 ? `?${params.join("&")}` : ""}`;
}

/** Calls to the API made while `action` runs (console assets and the like left out). */
async function recordingCalls<T>(
  page: Page,
  action: () => Promise<T>,
): Promise<{ result: T; calls: ApiCall[] }> {
  const finished: Request[] = [];
  const onFinished = (request: Request) => {
    const path = new URL(request.url()).pathname;
    if (path.startsWith("/v1/") || path.startsWith("/auth/")) {
      finished.push(request);
    }
  };
  page.on("requestfinished", onFinished);
  try {
    const result = await action();
    const calls = await Promise.all(
      finished.map(async (request) => {
        const timing = request.timing();
        const sizes = await request.sizes().catch(() => ({ responseBodySize: 0 }));
        return {
          endpoint: endpointOf(request),
          serverMs: timing.responseStart - timing.requestStart,
          bytes: sizes.responseBodySize,
        };
      }),
    );
    return { result, calls };
  } finally {
    page.off("requestfinished", onFinished);
  }
}

const MARK = (page: string) => `steward:page-ready:${page}`;

async function waitForMark(page: Page, mark: string): Promise<number> {
  const handle = await page.waitForFunction(
    (name) => performance.getEntriesByName(name).at(-1)?.startTime,
    mark,
    { timeout: TIMEOUT_MS, polling: 20 },
  );
  return (await handle.jsonValue()) as number;
}

/**
 * The time of a part's mark. A part that loads on its own shows a busy placeholder
 * (`aria-busy="true"`) from the render that shows the main data: with neither it nor its mark
 * there once the main data is, the page has no such part (the build before it was split off),
 * and the main mark's time is the whole page's.
 */
async function waitForLateMark(
  page: Page,
  mark: string | undefined,
  main: number,
): Promise<number | undefined> {
  if (mark === undefined) {
    return undefined;
  }
  const pending = await page.evaluate(
    (name) =>
      performance.getEntriesByName(name).length > 0 ||
      document.querySelector('main [aria-busy="true"]') !== null,
    mark,
  );
  return pending ? waitForMark(page, mark) : main;
}

/** One measured load of a page. */
async function loadPage(page: Page, baseUrl: string, name: PageName): Promise<Load> {
  const def = PAGES.find((p) => p.name === name) as (typeof PAGES)[number];
  const late = "late" in def ? def.late : undefined;
  if (name !== "usage-90d") {
    const { result, calls } = await recordingCalls(page, async () => {
      await page.goto(`${baseUrl}/console/${def.path}`, { waitUntil: "commit" });
      const ms = await waitForMark(page, MARK(def.ready));
      return { ms, allMs: await waitForLateMark(page, late && MARK(late), ms) };
    });
    return { ...result, calls };
  }
  // The 90-day range: the page at its default range first, then the range chosen and shown.
  await page.goto(`${baseUrl}/console/usage`, { waitUntil: "commit" });
  const shown = await waitForMark(page, MARK("usage"));
  await waitForLateMark(page, late && MARK(late), shown);
  const from = new Date(Date.now() - (PARAMS.days - 1) * DAY_MS).toISOString().slice(0, 10);
  await page.getByLabel("From", { exact: true }).fill(from);
  const { result, calls } = await recordingCalls(page, async () => {
    const clicked = await page.evaluate(() => {
      performance.clearMarks();
      return performance.now();
    });
    await page.getByRole("button", { name: "Show" }).click();
    const ms = await waitForMark(page, MARK("usage"));
    const all = await waitForLateMark(page, late && MARK(late), ms);
    return { ms: ms - clicked, allMs: all === undefined ? undefined : all - clicked };
  });
  return { ...result, calls };
}

async function signIn(page: Page, baseUrl: string, adminKey: string): Promise<void> {
  await page.goto(`${baseUrl}/console/sign-in`);
  await page.getByLabel("Admin key", { exact: true }).fill(adminKey);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => !url.pathname.endsWith("/sign-in"));
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) {
    return Number.NaN;
  }
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index] as number;
}

interface PageResult {
  name: PageName;
  loads: number[];
  p50: number;
  p95: number;
  max: number;
  /** p50 and p95 to the last part on screen, for a page with a part that loads on its own. */
  all: { p50: number; p95: number } | undefined;
  /** Per endpoint over the measured loads: calls per load, median server ms, bytes per call. */
  endpoints: Array<{
    endpoint: string;
    perLoad: number;
    serverMs: number;
    maxMs: number;
    bytes: number;
  }>;
}

function summarize(name: PageName, loads: Load[]): PageResult {
  const ms = loads.map((l) => l.ms).sort((a, b) => a - b);
  const byEndpoint = new Map<string, ApiCall[]>();
  for (const load of loads) {
    for (const call of load.calls) {
      const list = byEndpoint.get(call.endpoint) ?? [];
      list.push(call);
      byEndpoint.set(call.endpoint, list);
    }
  }
  const endpoints = [...byEndpoint].map(([endpoint, calls]) => {
    const times = calls.map((c) => c.serverMs).sort((a, b) => a - b);
    return {
      endpoint,
      perLoad: calls.length / loads.length,
      serverMs: quantile(times, 0.5),
      maxMs: times.at(-1) ?? Number.NaN,
      bytes: calls.reduce((sum, c) => sum + c.bytes, 0) / calls.length,
    };
  });
  const all = loads.flatMap((l) => (l.allMs === undefined ? [] : [l.allMs])).sort((a, b) => a - b);
  return {
    name,
    all: all.length > 0 ? { p50: quantile(all, 0.5), p95: quantile(all, 0.95) } : undefined,
    loads: loads.map((l) => l.ms),
    p50: quantile(ms, 0.5),
    p95: quantile(ms, 0.95),
    max: ms.at(-1) ?? Number.NaN,
    endpoints,
  };
}

const fmt = (ms: number) =>
  Number.isFinite(ms) ? (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1)) : `> ${TIMEOUT_MS}`;
const kb = (bytes: number) =>
  bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(1)} MB`
    : `${(bytes / 1024).toFixed(1)} KB`;

async function measure(
  browser: Browser,
  steward: Steward,
  adminKey: string,
): Promise<PageResult[]> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(300_000);
  try {
    const page = await context.newPage();
    await signIn(page, steward.url, adminKey);
    const results: PageResult[] = [];
    for (const def of PAGES) {
      if (ONLY.length > 0 && !ONLY.includes(def.name)) {
        continue;
      }
      for (let i = 0; i < WARMUP; i++) {
        await loadPage(page, steward.url, def.name).catch(() => undefined);
      }
      const loads: Load[] = [];
      const cpuBefore = cpuSeconds(steward.child.proc.pid);
      for (let i = 0; i < LOADS; i++) {
        try {
          loads.push(await loadPage(page, steward.url, def.name));
        } catch (error) {
          // A page that never shows its data counts as slower than the timeout; the next loads go on.
          console.log(
            `      load ${i + 1}: ${error instanceof Error ? error.message.split("\n")[0] : error}`,
          );
          loads.push({ ms: Number.POSITIVE_INFINITY, allMs: undefined, calls: [] });
        }
      }
      const serverCpu = (cpuSeconds(steward.child.proc.pid) - cpuBefore) / LOADS;
      const result = summarize(def.name, loads);
      results.push(result);
      console.log(
        `  ${def.name.padEnd(11)} p50 ${fmt(result.p50).padStart(6)} ms  p95 ${fmt(result.p95).padStart(6)} ms  max ${fmt(result.max).padStart(6)} ms  Steward CPU ${fmt(serverCpu * 1000)} ms/load${result.p95 > TARGET_MS ? "  OVER 1 s" : ""}${result.all ? `\n              with its last part: p50 ${fmt(result.all.p50)} ms  p95 ${fmt(result.all.p95)} ms` : ""}`,
      );
      for (const e of result.endpoints.sort(
        (a, b) => b.serverMs * b.perLoad - a.serverMs * a.perLoad,
      )) {
        console.log(
          `      ${e.perLoad.toFixed(1).padStart(5)} × ${e.endpoint.padEnd(64)} server p50 ${fmt(e.serverMs).padStart(6)} ms (max ${fmt(e.maxMs)})  ${kb(e.bytes).padStart(9)}`,
        );
      }
    }
    return results;
  } finally {
    await context.close();
  }
}

// ---------------------------------------------------------------- main

async function main(): Promise<boolean> {
  console.log(
    `console pages: ${cpus().length} cores (${cpus()[0]?.model ?? "?"}), Node ${process.version}, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
  const seeded = [];
  for (const backend of BACKENDS) {
    seeded.push({ backend, ...(await seededDatabase(backend)) });
  }
  if (SEED_ONLY) {
    return true;
  }
  const main = SERVER || buildSteward();
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
  });
  let ok = true;
  const tables: string[] = [];
  try {
    for (const { backend, url, record, where } of seeded) {
      const steward = await startSteward(main, url);
      const busyBefore = machineBusy();
      const started = performance.now();
      const loadBefore = loadavg()[0] ?? 0;
      console.log(
        `\n== ${backend}: Steward at ${steward.url} (pid ${steward.child.proc.pid}) on ${where}, ${(
          (await databaseSize(backend, where)) / 1e9
        ).toFixed(
          2,
        )} GB; events ${record.organization.eventsFrom} to ${record.organization.eventsTo}`,
      );
      let results: PageResult[];
      try {
        results = await measure(browser, steward, record.organization.adminKey);
      } finally {
        await stopChild(steward.child);
      }
      const cores = (machineBusy() - busyBefore) / ((performance.now() - started) / 1000);
      console.log(
        `  the machine was busy ${cores.toFixed(2)} of ${cpus().length} cores on average over the run (load average ${loadBefore.toFixed(2)} before, ${(loadavg()[0] ?? 0).toFixed(2)} after)`,
      );
      ok &&= results.every((r) => r.p95 <= TARGET_MS);
      tables.push(
        [
          `\n${backend}: ${LOADS} loads per page after ${WARMUP} warm-up, ms (target: under ${TARGET_MS} at p95)\n`,
          "| page | p50 | p95 | max | last part p50 / p95 | API calls per load | slowest call, server p50 |",
          "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
          ...results.map((r) => {
            const calls = r.endpoints.reduce((sum, e) => sum + e.perLoad, 0);
            const slowest = [...r.endpoints].sort((a, b) => b.serverMs - a.serverMs)[0];
            const all = r.all ? `${fmt(r.all.p50)} / ${fmt(r.all.p95)}` : "";
            return `| ${r.name} | ${fmt(r.p50)} | ${fmt(r.p95)} | ${fmt(r.max)} | ${all} | ${calls.toFixed(0)} | ${slowest ? `${slowest.endpoint} ${fmt(slowest.serverMs)} ms, ${kb(slowest.bytes)}` : ""} |`;
          }),
        ].join("\n"),
      );
    }
  } finally {
    await browser.close();
  }
  console.log(tables.join("\n"));
  return ok;
}

async function cleanUp(): Promise<void> {
  await Promise.allSettled(children.map(stopChild));
  if (seeding?.dir) {
    rmSync(seeding.dir, { recursive: true, force: true });
  }
  if (seeding?.schema) {
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    await client
      .query(`drop schema if exists "${seeding.schema}" cascade`)
      .finally(() => client.end());
  }
}

process.once("SIGINT", () => {
  void cleanUp().finally(() => process.exit(130));
});

try {
  const ok = await main();
  process.exitCode = ok ? 0 : 1;
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  await cleanUp();
}
