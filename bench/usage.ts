/**
 * The usage benchmark (issue 4): 10 million usage events over 90 days, 50 workspaces, 500 API
 * keys and 6 models, sent through the ingestion path (`POST /v1/usage/events`, 10,000 per call),
 * then the latency of the usage and cost reports:
 *
 *   (a)  GET /v1/usage, by day over the last 30 days;
 *   (b)  GET /v1/usage, by hour over 7 days for one workspace (a different one per request);
 *   (c)  GET /v1/usage, by month over 90 days;
 *   (d)  the messages usage report, 31 days by day, grouped by model and workspace;
 *   (e)  the cost report, 31 days; (e2) the same grouped by workspace and description.
 *
 * Once per backend, one after the other: SQLite (a fresh file in a temporary directory) and
 * PostgreSQL (a fresh schema in the database of `--pg`, dropped at the end). Steward runs as
 * `npm start` runs it (compiled first, into node_modules/.cache so that dist/ is left alone), in
 * a process of its own, configured by its environment; the events are generated here, in time
 * order (as they arrive in life), while the previous call is in flight. Every call's answer is
 * checked (all events accepted), and after ingestion one report over the whole range is compared
 * with the sums of what was sent.
 *
 * Printed per backend: ingestion events per second (wall clock over the whole ingestion), the
 * CPU time Steward spent per event, database size, p50 / p95 of each report over `--samples`
 * sequential requests (after `--warmup` requests), raw event and rollup row counts per table,
 * and Steward's RSS at the end. Targets (on SQLite): ingestion of at least 50,000 events/s, every
 * report under 50 ms at p95 ((e2) is shown against the same bar but is not one of the issue's
 * targets). Last, a markdown table for the README.
 *
 *   npx tsx bench/usage.ts [--events=10000000] [--days=90] [--samples=50] [--warmup=5]
 *     [--backends=sqlite,postgres] [--batch=10000] [--inflight=2]
 *     [--pg=postgres://postgres@127.0.0.1:5432/test] [--workspaces=50] [--keys=500]
 *     [--seed=1] [--ids=random|sequential] [--server=PATH/TO/main.js] [--cpu-prof=DIR] [--keep]
 *
 * `--server` runs an already compiled Steward (e.g. dist/main.js) instead of compiling one;
 * `--cpu-prof` writes a V8 CPU profile of each Steward process into DIR when it stops; `--keep`
 * leaves the SQLite file in place; `--ids=sequential` numbers the events instead of giving them
 * random ids like the Messages API's (the default, and the harder case for the events' index).
 *
 * Exits 1 when a SQLite target is missed (or a run failed), 0 otherwise.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from "node:fs";
import { cpus, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import SQLite from "better-sqlite3";
import pg from "pg";
import { Pool } from "undici";
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

const EVENTS = numberOption("events", 10_000_000);
const DAYS = numberOption("days", 90);
const SAMPLES = numberOption("samples", 50);
const WARMUP = numberOption("warmup", 5, 0);
const BATCH = numberOption("batch", 10_000);
const INFLIGHT = numberOption("inflight", 2);
const WORKSPACES = numberOption("workspaces", 50);
const KEYS = numberOption("keys", 500);
const SEED = numberOption("seed", 1, 0);
const PG_URL = option("pg", "postgres://postgres@127.0.0.1:5432/test");
const SERVER = option("server", "");
const CPU_PROF = option("cpu-prof", "");
/** Keep the SQLite file (and its temporary directory) for a look afterwards. */
const KEEP = process.argv.includes("--keep");
/**
 * `random`: ids like the Messages API's (`msg_` and random characters), which land all over the
 * events' primary key index, as ids from another gateway would; `sequential`: a counter.
 */
const IDS = option("ids", "random");
if (IDS !== "random" && IDS !== "sequential") {
  throw new Error("--ids must be random or sequential");
}
const BACKENDS = option("backends", "sqlite,postgres")
  .split(",")
  .map((b) => b.trim())
  .filter((b) => b !== "") as Backend[];

type Backend = "sqlite" | "postgres";
for (const backend of BACKENDS) {
  if (backend !== "sqlite" && backend !== "postgres") {
    throw new Error(`--backends: unknown backend ${JSON.stringify(backend)} (sqlite, postgres)`);
  }
}

const TARGET_EVENTS_PER_S = 50_000;
const TARGET_P95_MS = 50;

/** Six models of config/prices.json, with their share of requests. */
const MODELS: ReadonlyArray<readonly [string, number]> = [
  ["claude-sonnet-4-5", 0.4],
  ["claude-haiku-4-5", 0.25],
  ["claude-opus-4-5", 0.15],
  ["claude-sonnet-4", 0.1],
  ["claude-opus-4-1", 0.05],
  ["claude-3-5-haiku", 0.05],
];

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

// ---------------------------------------------------------------- child processes

const tempDirs: string[] = [];
/** PostgreSQL schemas to drop on the way out, even after a failure. */
const schemas: string[] = [];

/** CPU seconds (user + system) a process has used, from /proc; undefined without /proc. */
function cpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) {
    return undefined;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}

/** Busy CPU seconds of the whole machine, from /proc/stat. */
function machineBusy(): number | undefined {
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
    return undefined;
  }
}

/** Resident set size now and at its peak, in bytes, from /proc/PID/status. */
function rss(pid: number | undefined): { now: number; peak: number } | undefined {
  if (pid === undefined) {
    return undefined;
  }
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (field: string) =>
      Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1]);
    return { now: kb("VmRSS") * 1024, peak: kb("VmHWM") * 1024 };
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------- Steward

/**
 * Compiles Steward as `npm run build` does, into node_modules/.cache (so that its imports resolve
 * from the project's node_modules and dist/ is left as it is), from the sources as they are now.
 * The build goes to a fresh directory that replaces the previous one only when it compiled
 * cleanly, so a tree that does not compile (someone mid-edit) leaves the last good build for
 * `--server=node_modules/.cache/steward-bench-usage/dist/main.js`.
 */
function buildSteward(): string {
  const cache = join(ROOT, "node_modules", ".cache");
  const out = join(cache, "steward-bench-usage");
  mkdirSync(cache, { recursive: true });
  const fresh = mkdtempSync(join(cache, "steward-bench-usage-"));
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
    throw new Error(
      `Steward does not compile (above)${existsSync(join(out, "dist", "main.js")) ? "; the last good build is still there, for --server=node_modules/.cache/steward-bench-usage/dist/main.js" : ""}`,
    );
  }
  // main.js reads ../package.json for its version; "type": "module" makes dist/*.js ESM.
  copyFileSync(join(ROOT, "package.json"), join(fresh, "package.json"));
  rmSync(out, { recursive: true, force: true });
  renameSync(fresh, out);
  return join(out, "dist", "main.js");
}

interface Steward {
  child: Child;
  url: string;
  pool: Pool;
  adminKey: string;
}

async function startSteward(main: string, backend: Backend, databaseUrl: string): Promise<Steward> {
  const port = await freePort();
  const adminKey = `sk-ant-admin01-${randomBytes(30).toString("base64url")}`;
  let profile: string[] = [];
  if (CPU_PROF) {
    const dir = resolve(CPU_PROF, backend);
    mkdirSync(dir, { recursive: true });
    profile = ["--cpu-prof", `--cpu-prof-dir=${dir}`];
  }
  const child = spawnChild(`steward (${backend})`, [...profile, main], {
    PRICES_FILE: join(ROOT, "config", "prices.json"),
    PORT: String(port),
    HOST: "127.0.0.1",
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: "warn",
    STEWARD_BOOTSTRAP_ADMIN_KEY: adminKey,
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/healthz`, child);
  const pool = new Pool(url, { connections: 4, headersTimeout: 600_000, bodyTimeout: 600_000 });
  return { child, url, pool, adminKey };
}

interface Answer {
  status: number;
  text: string;
  ms: number;
}

async function call(
  steward: Steward,
  method: "GET" | "POST",
  path: string,
  body?: string,
): Promise<Answer> {
  const started = performance.now();
  const response = await steward.pool.request({
    method,
    path,
    headers: {
      "x-api-key": steward.adminKey,
      ...(body !== undefined && { "content-type": "application/json" }),
    },
    ...(body !== undefined && { body }),
  });
  const text = await response.body.text();
  return { status: response.statusCode, text, ms: performance.now() - started };
}

async function callJson<T>(steward: Steward, method: "GET" | "POST", path: string, body?: unknown) {
  const answer = await call(
    steward,
    method,
    path,
    body === undefined ? undefined : JSON.stringify(body),
  );
  if (answer.status !== 200 && answer.status !== 201) {
    throw new Error(`${method} ${path}: HTTP ${answer.status} ${answer.text.slice(0, 500)}`);
  }
  return JSON.parse(answer.text) as T;
}

/** Runs `task` over `items`, `concurrency` at a time, in order of the items. */
async function mapLimit<T, R>(
  items: readonly T[],
  concurrency: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

interface Fleet {
  workspaces: string[];
  /** Each key with its workspace. */
  keys: Array<{ id: string; workspace: string }>;
}

async function createFleet(steward: Steward): Promise<Fleet> {
  const workspaces = await mapLimit(
    Array.from({ length: WORKSPACES }, (_, i) => i),
    4,
    async (i) =>
      (
        await callJson<{ id: string }>(steward, "POST", "/v1/workspaces", {
          name: `bench-${i + 1}`,
        })
      ).id,
  );
  // Keys dealt round-robin: workspace i holds keys i, i + 50, i + 100, …
  const keys = await mapLimit(
    Array.from({ length: KEYS }, (_, i) => i),
    4,
    async (i) => {
      const workspace = workspaces[i % workspaces.length] as string;
      const key = await callJson<{ id: string }>(steward, "POST", "/v1/api_keys", {
        name: `bench-key-${i + 1}`,
        workspace_id: workspace,
      });
      return { id: key.id, workspace };
    },
  );
  return { workspaces, keys };
}

// ---------------------------------------------------------------- events

/** A small, fast, seeded generator (mulberry32): the same run every time for the same seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Index into a cumulative weight table (last entry 1) for a uniform draw. */
function pick(cumulative: Float64Array, u: number): number {
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((cumulative[mid] as number) > u) {
      hi = mid;
    } else {
      lo = mid + 1;
    }
  }
  return lo;
}

function cumulativeOf(weights: readonly number[]): Float64Array {
  const total = weights.reduce((a, b) => a + b, 0);
  const out = new Float64Array(weights.length);
  let sum = 0;
  for (const [i, w] of weights.entries()) {
    sum += w;
    out[i] = sum / total;
  }
  out[weights.length - 1] = 1;
  return out;
}

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** What was sent, summed, to check the reports against. */
interface Sent {
  events: number;
  input: number;
  output: number;
  cacheRead: number;
  cacheCreation: number;
  webSearch: number;
  batchTier: number;
  longContext: number;
}

/**
 * Usage events in time order over `[start, end)`: busier on weekdays and in working hours (UTC),
 * spread over the workspaces and keys unevenly (a few big spenders, a long tail), with token
 * counts drawn from log-normal laws; some cache reads and writes, a few web searches, some of the
 * Batch API's tier, the odd long-context request. Each call of `next` returns one batch's body.
 */
class EventSource {
  readonly sent: Sent = {
    events: 0,
    input: 0,
    output: 0,
    cacheRead: 0,
    cacheCreation: 0,
    webSearch: 0,
    batchTier: 0,
    longContext: 0,
  };
  readonly #random: () => number;
  readonly #hourCumulative: Float64Array;
  readonly #keyCumulative: Float64Array;
  /** `"workspace_id":"…","api_key_id":"…"` per key, ready to paste. */
  readonly #keyFields: string[];
  /** The same without a key, per workspace: usage imported from elsewhere may lack one. */
  readonly #workspaceFields: string[];
  readonly #keyWorkspace: number[];
  readonly #modelCumulative = cumulativeOf(MODELS.map(([, share]) => share));
  readonly #runId = randomBytes(4).toString("hex");
  #hour = 0;
  #index = 0;

  constructor(
    fleet: Fleet,
    private readonly start: number,
    private readonly total: number,
  ) {
    this.#random = rng(SEED);
    const hours = DAYS * 24;
    const cumulative: number[] = [];
    let sum = 0;
    for (let h = 0; h < hours; h++) {
      const at = new Date(start + h * HOUR_MS);
      const hourOfDay = at.getUTCHours();
      const weekend = at.getUTCDay() === 0 || at.getUTCDay() === 6;
      // Mostly 07:00-21:00 UTC (Europe and America's working days), never quite idle.
      const daytime = Math.max(0, Math.sin(((hourOfDay + 0.5 - 7) / 14) * Math.PI));
      const weight = (0.15 + daytime) * (weekend ? 0.35 : 1);
      sum += weight;
      cumulative.push(sum);
    }
    this.#hourCumulative = Float64Array.from(cumulative, (c) => c / sum);
    // Zipf-like: workspace w weighs 1/(w+1); within it, its k-th key weighs 1/(k+1).
    this.#keyCumulative = cumulativeOf(
      fleet.keys.map(
        (_, i) =>
          1 / ((i % fleet.workspaces.length) + 1) / (Math.floor(i / fleet.workspaces.length) + 1),
      ),
    );
    this.#keyFields = fleet.keys.map(
      (key) => `"workspace_id":"${key.workspace}","api_key_id":"${key.id}"`,
    );
    this.#workspaceFields = fleet.workspaces.map((id) => `"workspace_id":"${id}"`);
    this.#keyWorkspace = fleet.keys.map((_, i) => i % fleet.workspaces.length);
  }

  get done(): boolean {
    return this.#index >= this.total;
  }

  /** A log-normal draw with this median and spread, rounded and clamped. */
  #logNormal(median: number, sigma: number, min: number, max: number): number {
    const u = 1 - this.#random();
    const v = this.#random();
    const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    return Math.min(max, Math.max(min, Math.round(median * Math.exp(sigma * normal))));
  }

  /** The next `count` events (fewer at the end) as the body of one ingestion call. */
  next(count: number): { body: string; events: number } {
    const random = this.#random;
    const parts: string[] = [];
    const end = Math.min(this.total, this.#index + count);
    const sent = this.sent;
    for (; this.#index < end; this.#index++) {
      // The event's place in time: its quantile of the total, through the hours' weights.
      const q = (this.#index + random()) / this.total;
      while (
        this.#hour < this.#hourCumulative.length - 1 &&
        (this.#hourCumulative[this.#hour] as number) <= q
      ) {
        this.#hour++;
      }
      const below = this.#hour === 0 ? 0 : (this.#hourCumulative[this.#hour - 1] as number);
      const within =
        ((q - below) / ((this.#hourCumulative[this.#hour] as number) - below)) * HOUR_MS;
      const at = this.start + this.#hour * HOUR_MS + Math.min(HOUR_MS - 1, Math.max(0, within));
      const timestamp = new Date(Math.floor(at)).toISOString();

      const key = pick(this.#keyCumulative, random());
      const who =
        random() < 0.01
          ? (this.#workspaceFields[this.#keyWorkspace[key] as number] as string)
          : (this.#keyFields[key] as string);
      const model = (MODELS[pick(this.#modelCumulative, random())] as readonly [string, number])[0];

      let input = this.#logNormal(600, 1.3, 1, 150_000);
      const output = this.#logNormal(250, 1.1, 1, 16_000);
      let extra = "";
      let cacheRead = 0;
      let cacheCreation = 0;
      const r = random();
      if (r < 0.005) {
        // Long context: the whole input above 200k tokens.
        input = 200_001 + Math.floor(random() * 600_000);
        sent.longContext++;
      } else if (r < 0.45) {
        cacheRead = this.#logNormal(8_000, 1.2, 1_024, 190_000 - input);
        extra += `,"cache_read_input_tokens":${cacheRead}`;
      }
      const c = random();
      if (c < 0.1) {
        cacheCreation = this.#logNormal(3_000, 1.2, 1_024, 100_000);
        extra += `,"cache_creation_input_tokens":${cacheCreation}`;
      } else if (c < 0.13) {
        const oneHour = this.#logNormal(3_000, 1.2, 1_024, 100_000);
        const fiveMinutes = random() < 0.5 ? 0 : this.#logNormal(1_500, 1, 1, 50_000);
        cacheCreation = oneHour + fiveMinutes;
        extra += `,"cache_creation":{"ephemeral_5m_input_tokens":${fiveMinutes},"ephemeral_1h_input_tokens":${oneHour}}`;
      }
      if (random() < 0.02) {
        const searches = 1 + Math.floor(random() * 5);
        sent.webSearch += searches;
        extra += `,"web_search_requests":${searches}`;
      }
      const tier = random();
      if (tier < 0.1) {
        extra += `,"service_tier":"batch"`;
        sent.batchTier++;
      } else if (tier < 0.85) {
        extra += `,"service_tier":"standard"`;
      }
      if (random() < 0.03) {
        extra += `,"inference_geo":"us"`;
      }
      let id: string;
      if (IDS === "random") {
        // 16 random characters, then the event's number (which keeps ids unique).
        id = "msg_";
        for (let i = 0; i < 16; i++) {
          id += ALPHABET[Math.floor(random() * 62)];
        }
        id += this.#index.toString(36);
      } else {
        id = `bench-${this.#runId}-${this.#index}`;
      }
      sent.events++;
      sent.input += input;
      sent.output += output;
      sent.cacheRead += cacheRead;
      sent.cacheCreation += cacheCreation;
      parts.push(
        `{"id":"${id}","timestamp":"${timestamp}",${who},"model":"${model}","input_tokens":${input},"output_tokens":${output}${extra}}`,
      );
    }
    return { body: `{"events":[${parts.join(",")}]}`, events: parts.length };
  }
}

interface IngestResult {
  events: number;
  seconds: number;
  perSecond: number;
  /** CPU seconds Steward used over the ingestion. */
  serverCpu: number | undefined;
  /** CPU seconds this process used (generating and sending). */
  benchCpu: number;
  /** Cores' worth of CPU the whole machine was busy with, on average. */
  machineCores: number | undefined;
  calls: number;
  slowestCallMs: number;
}

async function ingest(steward: Steward, source: EventSource): Promise<IngestResult> {
  const inflight = new Set<Promise<void>>();
  let failure: unknown;
  let calls = 0;
  let slowest = 0;
  let accepted = 0;
  let lastReport = 0;
  const started = performance.now();
  const cpuBefore = cpuSeconds(steward.child.proc.pid);
  const benchBefore = process.cpuUsage();
  const machineBefore = machineBusy();
  const progressEvery = Math.max(BATCH, Math.ceil(EVENTS / 10));

  const send = async (body: string, events: number, n: number) => {
    const answer = await callOrThrow(steward, body, n);
    slowest = Math.max(slowest, answer.ms);
    let result: {
      accepted?: number;
      duplicates?: number;
      rejected?: Array<Record<string, unknown>>;
    };
    try {
      result = JSON.parse(answer.text);
    } catch {
      throw new Error(`ingestion call ${n}: not JSON: ${answer.text.slice(0, 300)}`);
    }
    if (result.accepted !== events || (result.rejected?.length ?? 0) > 0) {
      throw new Error(
        `ingestion call ${n}: accepted ${result.accepted} of ${events} events (duplicates ${result.duplicates}, ` +
          `${result.rejected?.length ?? "?"} rejected, first: ${JSON.stringify(result.rejected?.slice(0, 3))})`,
      );
    }
    accepted += events;
    if (accepted - lastReport >= progressEvery || accepted === EVENTS) {
      lastReport = accepted;
      const seconds = (performance.now() - started) / 1000;
      console.log(
        `  ${lpad(accepted.toLocaleString("en-US"), 12)} events  ${lpad(seconds.toFixed(1), 7)} s  ${lpad(
          Math.round(accepted / seconds).toLocaleString("en-US"),
          8,
        )} events/s`,
      );
    }
  };

  while (!source.done) {
    const { body, events } = source.next(BATCH);
    while (inflight.size >= INFLIGHT && failure === undefined) {
      await Promise.race(inflight);
    }
    if (failure !== undefined) {
      break;
    }
    const n = ++calls;
    const pending: Promise<void> = send(body, events, n).then(
      () => {
        inflight.delete(pending);
      },
      (error: unknown) => {
        failure ??= error;
        inflight.delete(pending);
      },
    );
    inflight.add(pending);
  }
  await Promise.all(inflight);
  if (failure !== undefined) {
    throw failure;
  }
  const seconds = (performance.now() - started) / 1000;
  const cpuAfter = cpuSeconds(steward.child.proc.pid);
  const bench = process.cpuUsage(benchBefore);
  const machineAfter = machineBusy();
  return {
    events: accepted,
    seconds,
    perSecond: accepted / seconds,
    serverCpu: cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore,
    benchCpu: (bench.user + bench.system) / 1e6,
    machineCores:
      machineBefore === undefined || machineAfter === undefined
        ? undefined
        : (machineAfter - machineBefore) / seconds,
    calls,
    slowestCallMs: slowest,
  };
}

async function callOrThrow(steward: Steward, body: string, n: number): Promise<Answer> {
  let answer: Answer;
  try {
    answer = await call(steward, "POST", "/v1/usage/events", body);
  } catch (error) {
    throw new Error(
      `ingestion call ${n} failed: ${error instanceof Error ? error.message : String(error)}\n  ${steward.child.stderr.slice(-10).join("\n  ")}`,
    );
  }
  if (answer.status !== 200) {
    throw new Error(`ingestion call ${n}: HTTP ${answer.status} ${answer.text.slice(0, 500)}`);
  }
  return answer;
}

// ---------------------------------------------------------------- reports

interface ReportKind {
  id: string;
  title: string;
  /** The path of the i-th request (warm-ups included). */
  path: (i: number) => string;
  /** Throws when an answer is not what this report must look like. */
  check: (json: unknown) => void;
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const query = (params: Array<[string, string]>) =>
  params.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&");

function expectBuckets(json: unknown, count: number) {
  const data = (json as { data?: unknown[] }).data;
  if (!Array.isArray(data) || data.length !== count) {
    throw new Error(`expected ${count} buckets, got ${Array.isArray(data) ? data.length : "none"}`);
  }
}

function expectOnePage(json: unknown) {
  if ((json as { has_more?: unknown }).has_more !== false) {
    throw new Error("expected one page (has_more false)");
  }
}

/** The reports, over ranges that end with today (UTC), which the events reach. */
function reportKinds(fleet: Fleet, today: number): ReportKind[] {
  const todayStart = Math.floor(today / DAY_MS) * DAY_MS;
  const days31 = [
    ["starting_at", new Date(todayStart - 30 * DAY_MS).toISOString()],
    ["ending_at", new Date(todayStart + DAY_MS).toISOString()],
    ["bucket_width", "1d"],
    ["limit", "31"],
  ] as Array<[string, string]>;
  const months = new Set(
    Array.from({ length: 90 }, (_, i) => day(todayStart - i * DAY_MS).slice(0, 7)),
  ).size;
  return [
    {
      id: "a",
      title: "/v1/usage by day, 30 days",
      path: () =>
        `/v1/usage?${query([
          ["start_date", day(todayStart - 29 * DAY_MS)],
          ["end_date", day(todayStart)],
          ["granularity", "day"],
        ])}`,
      check: (json) => expectBuckets(json, 30),
    },
    {
      id: "b",
      title: "/v1/usage by hour, 7 days, one workspace",
      path: (i) =>
        `/v1/usage?${query([
          ["start_date", day(todayStart - 6 * DAY_MS)],
          ["end_date", day(todayStart)],
          ["granularity", "hour"],
          ["workspace_id", fleet.workspaces[i % fleet.workspaces.length] as string],
        ])}`,
      check: (json) => expectBuckets(json, 7 * 24),
    },
    {
      id: "c",
      title: "/v1/usage by month, 90 days",
      path: () =>
        `/v1/usage?${query([
          ["start_date", day(todayStart - 89 * DAY_MS)],
          ["end_date", day(todayStart)],
          ["granularity", "month"],
        ])}`,
      check: (json) => expectBuckets(json, months),
    },
    {
      id: "d",
      title: "messages usage, 31 d by model + workspace",
      path: () =>
        `/v1/organizations/usage_report/messages?${query([
          ...days31,
          ["group_by[]", "model"],
          ["group_by[]", "workspace_id"],
        ])}`,
      check: (json) => {
        expectBuckets(json, 31);
        expectOnePage(json);
      },
    },
    {
      id: "e",
      title: "cost report, 31 days",
      path: () =>
        `/v1/organizations/cost_report?${query(days31.filter(([k]) => k !== "bucket_width"))}`,
      check: (json) => {
        expectBuckets(json, 31);
        expectOnePage(json);
      },
    },
    {
      id: "e2",
      title: "cost report, 31 d by workspace + description",
      path: () =>
        `/v1/organizations/cost_report?${query([
          ...days31.filter(([k]) => k !== "bucket_width"),
          ["group_by[]", "workspace_id"],
          ["group_by[]", "description"],
        ])}`,
      check: (json) => {
        expectBuckets(json, 31);
        expectOnePage(json);
      },
    },
  ];
}

interface Latency {
  id: string;
  title: string;
  p50: number;
  p95: number;
  max: number;
  /** Size of one answer, in bytes. */
  bytes: number;
  /** Results (bucket × group rows) in one answer. */
  rows: number;
  /** Steward's CPU time per measured request, in ms (from /proc; steadier on a busy machine). */
  cpuMs: number;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) {
    return Number.NaN;
  }
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? 0;
}

function resultRows(json: unknown): number {
  const data =
    (json as { data?: Array<{ results?: unknown[]; model_breakdown?: object }> }).data ?? [];
  let rows = 0;
  for (const bucket of data) {
    rows += bucket.results?.length ?? Object.keys(bucket.model_breakdown ?? {}).length;
  }
  return rows;
}

async function measureReport(steward: Steward, kind: ReportKind): Promise<Latency> {
  const times: number[] = [];
  let bytes = 0;
  let rows = 0;
  let cpu = 0;
  for (let i = 0; i < WARMUP + SAMPLES; i++) {
    const path = kind.path(i);
    const cpuBefore = cpuSeconds(steward.child.proc.pid);
    const answer = await call(steward, "GET", path);
    if (answer.status !== 200) {
      throw new Error(
        `(${kind.id}) GET ${path}: HTTP ${answer.status} ${answer.text.slice(0, 500)}`,
      );
    }
    const cpuAfter = cpuSeconds(steward.child.proc.pid);
    cpu +=
      cpuBefore === undefined || cpuAfter === undefined || i < WARMUP ? 0 : cpuAfter - cpuBefore;
    const json = JSON.parse(answer.text) as unknown;
    try {
      kind.check(json);
    } catch (error) {
      throw new Error(
        `(${kind.id}) GET ${path}: ${error instanceof Error ? error.message : error}`,
      );
    }
    if (i >= WARMUP) {
      times.push(answer.ms);
      bytes = answer.text.length;
      rows = resultRows(json);
    }
  }
  times.sort((a, b) => a - b);
  return {
    id: kind.id,
    title: kind.title,
    p50: percentile(times, 0.5),
    p95: percentile(times, 0.95),
    max: times.at(-1) ?? Number.NaN,
    bytes,
    rows,
    cpuMs: cpuSeconds(steward.child.proc.pid) === undefined ? Number.NaN : (cpu * 1000) / SAMPLES,
  };
}

/**
 * Exactness, cheaply: `/v1/usage` by day over every day the events cover must total what was sent.
 * (The property tests check every report against the raw events; this checks the benchmark's own
 * data made it whole.)
 */
async function checkTotals(steward: Steward, source: EventSource, from: number, to: number) {
  const days = Math.floor(to / DAY_MS) - Math.floor(from / DAY_MS) + 1;
  if (days > 366) {
    return "skipped (the events span more than 366 days)";
  }
  const report = await callJson<{
    total: {
      requests: number;
      input_tokens: number;
      output_tokens: number;
      cache_read_tokens: number;
      cache_creation_tokens: number;
      web_search_requests: number;
    };
  }>(
    steward,
    "GET",
    `/v1/usage?${query([
      ["start_date", day(from)],
      ["end_date", day(to)],
      ["granularity", "day"],
    ])}`,
  );
  const sent = source.sent;
  const pairs: Array<[string, number, number]> = [
    ["requests", report.total.requests, sent.events],
    ["input_tokens", report.total.input_tokens, sent.input],
    ["output_tokens", report.total.output_tokens, sent.output],
    ["cache_read_tokens", report.total.cache_read_tokens, sent.cacheRead],
    ["cache_creation_tokens", report.total.cache_creation_tokens, sent.cacheCreation],
    ["web_search_requests", report.total.web_search_requests, sent.webSearch],
  ];
  const wrong = pairs.filter(([, got, want]) => got !== want);
  if (wrong.length > 0) {
    throw new Error(
      `/v1/usage over the whole range does not total what was sent: ${wrong
        .map(([name, got, want]) => `${name} ${got} (sent ${want})`)
        .join(", ")}`,
    );
  }
  return `exact (/v1/usage by day over ${days} days totals the ${sent.events.toLocaleString("en-US")} events sent, token for token)`;
}

// ---------------------------------------------------------------- storage

interface TableStat {
  table: string;
  rows: number;
  /** Bytes, indexes included, when the backend tells. */
  bytes: number | undefined;
}

const TABLES = [
  "usage_events",
  "usage_key_hour",
  "usage_key_day",
  "usage_workspace_hour",
  "usage_workspace_day",
  "usage_org_hour",
  "usage_org_day",
  "usage_workspace_model_day",
];

const fileSize = (path: string) => (existsSync(path) ? statSync(path).size : 0);

function sqliteTables(file: string): TableStat[] {
  const db = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    const sizes = new Map<string, number>();
    try {
      // dbstat names each table's and index's pages; fold indexes into their table.
      const owners = new Map(
        (
          db
            .prepare("select name, tbl_name from sqlite_master where type in ('table', 'index')")
            .all() as Array<{
            name: string;
            tbl_name: string;
          }>
        ).map((r) => [r.name, r.tbl_name]),
      );
      for (const row of db
        .prepare("select name, sum(pgsize) as bytes from dbstat group by name")
        .all() as Array<{
        name: string;
        bytes: number;
      }>) {
        const table = owners.get(row.name) ?? row.name;
        sizes.set(table, (sizes.get(table) ?? 0) + row.bytes);
      }
    } catch {
      // SQLite built without dbstat: rows only
    }
    return TABLES.map((table) => ({
      table,
      rows: (db.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n,
      bytes: sizes.get(table),
    }));
  } finally {
    db.close();
  }
}

async function postgresTables(client: pg.Client, schema: string): Promise<TableStat[]> {
  const stats: TableStat[] = [];
  for (const table of TABLES) {
    const qualified = `"${schema}"."${table}"`;
    const result = await client.query<{ rows: string; bytes: string }>(
      `select (select count(*) from ${qualified}) as rows, pg_total_relation_size('${qualified}') as bytes`,
    );
    const row = result.rows[0];
    stats.push({ table, rows: Number(row?.rows), bytes: Number(row?.bytes) });
  }
  return stats;
}

async function postgresSchemaSize(client: pg.Client, schema: string): Promise<number> {
  const result = await client.query<{ bytes: string | null }>(
    `select sum(pg_total_relation_size(c.oid)) as bytes from pg_class c
       join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = $1 and c.relkind in ('r', 'p', 'm')`,
    [schema],
  );
  return Number(result.rows[0]?.bytes ?? 0);
}

// ---------------------------------------------------------------- one backend

interface BackendResult {
  backend: Backend;
  ingest: IngestResult;
  /** Database size at the end of ingestion (SQLite: file + WAL) and after Steward stopped. */
  sizeLive: number;
  sizeAfter: number;
  reports: Latency[];
  tables: TableStat[];
  rss: { now: number; peak: number } | undefined;
  exactness: string;
  fleetSeconds: number;
}

async function runBackend(main: string, backend: Backend): Promise<BackendResult> {
  let databaseUrl: string;
  let sqliteFile = "";
  let client: pg.Client | undefined;
  const schema = `bench_usage_${process.pid}`;
  if (backend === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "steward-bench-usage-"));
    if (!KEEP) {
      tempDirs.push(dir);
    }
    sqliteFile = join(dir, "steward.db");
    databaseUrl = `sqlite:${sqliteFile}`;
  } else {
    client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    await client.query(`drop schema if exists "${schema}" cascade`);
    await client.query(`create schema "${schema}"`);
    schemas.push(schema);
    // The server's pool sends this as the connection's startup option: every table in the schema.
    const separator = PG_URL.includes("?") ? "&" : "?";
    databaseUrl = `${PG_URL}${separator}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  }

  try {
    const steward = await startSteward(main, backend, databaseUrl);
    console.log(
      `\n== ${backend}: Steward at ${steward.url} (pid ${steward.child.proc.pid}), ${backend === "sqlite" ? sqliteFile : `schema ${schema} in ${PG_URL}`}`,
    );
    const fleetStarted = performance.now();
    const fleet = await createFleet(steward);
    const fleetSeconds = (performance.now() - fleetStarted) / 1000;
    console.log(
      `  created ${fleet.workspaces.length} workspaces and ${fleet.keys.length} API keys in ${fleetSeconds.toFixed(1)} s`,
    );

    // The events end now (to the minute) and start DAYS before.
    const end = Math.floor(Date.now() / 60_000) * 60_000;
    const start = end - DAYS * DAY_MS;
    const source = new EventSource(fleet, start, EVENTS);
    console.log(
      `  ingesting ${EVENTS.toLocaleString("en-US")} events from ${new Date(start).toISOString()} to ${new Date(end).toISOString()}, ${BATCH} per call, ${INFLIGHT} in flight`,
    );
    const ingestion = await ingest(steward, source);
    const sizeLive =
      backend === "sqlite"
        ? fileSize(sqliteFile) + fileSize(`${sqliteFile}-wal`)
        : await postgresSchemaSize(client as pg.Client, schema);
    const cpu =
      ingestion.serverCpu === undefined
        ? ""
        : `; Steward CPU ${ingestion.serverCpu.toFixed(1)} s (${fmt(cpuPerEvent(ingestion), 1)} µs/event${
            backend === "sqlite"
              ? `, so at most ${count(Math.round(1e6 / cpuPerEvent(ingestion)))} events/s on a core of its own`
              : ", PostgreSQL's own work not included"
          })`;
    console.log(
      `  ingestion: ${Math.round(ingestion.perSecond).toLocaleString("en-US")} events/s over ${ingestion.seconds.toFixed(1)} s, ${ingestion.calls} calls (slowest ${ingestion.slowestCallMs.toFixed(0)} ms)${cpu}; ` +
        `this process ${ingestion.benchCpu.toFixed(1)} s CPU; machine busy ${fmt(ingestion.machineCores ?? Number.NaN)} of ${cpus().length} cores`,
    );
    const sent = source.sent;
    const share = (n: number) => `${((100 * n) / sent.events).toFixed(1)}%`;
    console.log(
      `  sent: ${count(sent.input)} uncached input, ${count(sent.output)} output, ${count(sent.cacheRead)} cache read and ${count(sent.cacheCreation)} cache write tokens; ` +
        `${count(sent.webSearch)} web searches; ${share(sent.batchTier)} batch tier, ${share(sent.longContext)} long context`,
    );
    console.log(
      `  database size at the end of ingestion: ${mb(sizeLive)}${backend === "sqlite" ? " (file + WAL)" : ""}`,
    );

    const exactness = await checkTotals(steward, source, start, end);
    console.log(`  totals: ${exactness}`);

    const reports: Latency[] = [];
    for (const kind of reportKinds(fleet, end)) {
      const latency = await measureReport(steward, kind);
      reports.push(latency);
      console.log(
        `  (${pad(`${kind.id})`, 3)} ${pad(kind.title, 44)} p50 ${lpad(fmt(latency.p50), 7)} ms  p95 ${lpad(fmt(latency.p95), 7)} ms  max ${lpad(fmt(latency.max), 7)} ms  Steward CPU ${lpad(fmt(latency.cpuMs, 0), 4)} ms/req  ${lpad(String(latency.rows), 5)} results  ${lpad((latency.bytes / 1024).toFixed(0), 5)} KiB`,
      );
    }

    const memory = rss(steward.child.proc.pid);
    await steward.pool.close();
    await stopChild(steward.child);
    if (steward.child.proc.exitCode !== 0) {
      console.log(
        `  note: Steward exited with ${steward.child.proc.exitCode ?? steward.child.proc.signalCode}:\n    ${steward.child.stderr.slice(-10).join("\n    ")}`,
      );
    } else if (steward.child.stderr.length > 0) {
      console.log(
        `  Steward's log (warnings and errors):\n    ${steward.child.stderr.slice(-10).join("\n    ")}`,
      );
    }

    const tables =
      backend === "sqlite"
        ? sqliteTables(sqliteFile)
        : await postgresTables(client as pg.Client, schema);
    const sizeAfter =
      backend === "sqlite"
        ? fileSize(sqliteFile) + fileSize(`${sqliteFile}-wal`)
        : await postgresSchemaSize(client as pg.Client, schema);
    return {
      backend,
      ingest: ingestion,
      sizeLive,
      sizeAfter,
      reports,
      tables,
      rss: memory,
      exactness,
      fleetSeconds,
    };
  } finally {
    if (client) {
      await client.query(`drop schema if exists "${schema}" cascade`).catch(() => {});
      schemas.splice(schemas.indexOf(schema), 1);
      await client.end();
    }
  }
}

// ---------------------------------------------------------------- report

const pad = (text: string, width: number) => text.padEnd(width);
const lpad = (text: string, width: number) => text.padStart(width);
const fmt = (n: number, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : "n/a");
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const count = (n: number) => n.toLocaleString("en-US");
const verdict = (ok: boolean) => (ok ? "PASS" : "FAIL");

const cpuPerEvent = (i: IngestResult) =>
  i.serverCpu === undefined ? Number.NaN : (i.serverCpu * 1e6) / i.events;
const ingestOk = (r: BackendResult) => r.ingest.perSecond >= TARGET_EVENTS_PER_S;
const reportOk = (l: Latency) => l.p95 < TARGET_P95_MS;
/** (e2) is beyond the issue's list: shown against the same bar, but it does not fail the run. */
const EXTRA = new Set(["e2"]);
const reportVerdict = (l: Latency) => `${verdict(reportOk(l))}${EXTRA.has(l.id) ? " (extra)" : ""}`;

function summary(results: BackendResult[]): string {
  const lines: string[] = [];
  for (const r of results) {
    const applies = r.backend === "sqlite" ? "" : " (targets apply to SQLite)";
    lines.push(`\n${r.backend}${applies}`);
    lines.push(
      `  ingestion          ${lpad(count(Math.round(r.ingest.perSecond)), 9)} events/s   target >= ${count(TARGET_EVENTS_PER_S)}  ${verdict(ingestOk(r))}   (Steward CPU ${fmt(cpuPerEvent(r.ingest), 1)} µs/event; machine busy ${fmt(r.ingest.machineCores ?? Number.NaN)} of ${cpus().length} cores)`,
    );
    for (const l of r.reports) {
      lines.push(
        `  (${pad(`${l.id})`, 3)} p50 ${lpad(fmt(l.p50), 7)} ms  p95 ${lpad(fmt(l.p95), 7)} ms   target p95 < ${TARGET_P95_MS} ms  ${pad(reportVerdict(l), 12)} ${l.title}`,
      );
    }
    lines.push(
      `  database           ${mb(r.sizeLive)} at the end of ingestion${r.backend === "sqlite" ? " (file + WAL)" : " (tables + indexes + TOAST)"}, ${mb(r.sizeAfter)} after Steward stopped (${(r.sizeAfter / r.ingest.events).toFixed(0)} bytes/event)`,
    );
    lines.push(
      `  Steward RSS        ${r.rss ? `${mb(r.rss.now)} at the end (peak ${mb(r.rss.peak)})` : "n/a"}`,
    );
    lines.push("  rows:");
    for (const t of r.tables) {
      lines.push(
        `    ${pad(t.table, 22)} ${lpad(count(t.rows), 12)} rows${t.bytes === undefined ? "" : `  ${lpad(mb(t.bytes), 10)}`}`,
      );
    }
  }
  return lines.join("\n");
}

function markdown(results: BackendResult[]): string {
  const header = [
    "",
    ...results.map((r) => (r.backend === "sqlite" ? "SQLite" : "PostgreSQL")),
    "target (SQLite)",
  ];
  const rows: string[][] = [];
  rows.push([
    "ingestion, events/s",
    ...results.map(
      (r) =>
        `${count(Math.round(r.ingest.perSecond))}${r.backend === "sqlite" ? ` ${verdict(ingestOk(r))}` : ""}`,
    ),
    `≥ ${count(TARGET_EVENTS_PER_S)}`,
  ]);
  rows.push([
    "Steward CPU per ingested event, µs",
    ...results.map((r) => fmt(cpuPerEvent(r.ingest), 1)),
    "",
  ]);
  const ids = results[0]?.reports.map((l) => l.id) ?? [];
  for (const id of ids) {
    const title = results[0]?.reports.find((l) => l.id === id)?.title ?? id;
    rows.push([
      `(${id}) ${title}, p50 / p95 ms`,
      ...results.map((r) => {
        const l = r.reports.find((x) => x.id === id);
        return l
          ? `${fmt(l.p50, 1)} / ${fmt(l.p95, 1)}${r.backend === "sqlite" ? ` ${reportVerdict(l)}` : ""}`
          : "n/a";
      }),
      `p95 < ${TARGET_P95_MS}`,
    ]);
  }
  rows.push(["database size", ...results.map((r) => mb(r.sizeAfter)), ""]);
  rows.push([
    "raw events / rollup rows",
    ...results.map(
      (r) =>
        `${count(r.tables.find((t) => t.table === "usage_events")?.rows ?? 0)} / ${count(
          r.tables.filter((t) => t.table !== "usage_events").reduce((sum, t) => sum + t.rows, 0),
        )}`,
    ),
    "",
  ]);
  rows.push(["Steward RSS at the end", ...results.map((r) => (r.rss ? mb(r.rss.now) : "n/a")), ""]);
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [
    line(header),
    line(header.map((_, i) => (i === 0 ? "---" : "---:"))),
    ...rows.map(line),
  ].join("\n");
}

// ---------------------------------------------------------------- main

async function main(): Promise<boolean> {
  const prices = JSON.parse(readFileSync(join(ROOT, "config", "prices.json"), "utf8")) as {
    models: Record<string, unknown>;
  };
  for (const [model] of MODELS) {
    if (!(model in prices.models)) {
      throw new Error(`config/prices.json has no ${model}`);
    }
  }
  console.log(
    `usage benchmark: ${count(EVENTS)} events over ${DAYS} days, ${WORKSPACES} workspaces, ${KEYS} keys, ${MODELS.length} models; ` +
      `${IDS} ids; ${count(BATCH)} events per call, ${INFLIGHT} in flight; ${SAMPLES} samples per report after ${WARMUP} warm-ups; ` +
      `Node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model.trim() ?? "?"})`,
  );
  let server = SERVER ? resolve(ROOT, SERVER) : "";
  if (!server) {
    console.log(
      "compiling Steward (tsconfig.build.json) into node_modules/.cache/steward-bench-usage …",
    );
    server = buildSteward();
  }

  const results: BackendResult[] = [];
  for (const backend of BACKENDS) {
    results.push(await runBackend(server, backend));
  }

  console.log(summary(results));
  console.log(
    `\nmarkdown (for README.md):\n\n${count(EVENTS)} events over ${DAYS} days (${WORKSPACES} workspaces, ${KEYS} keys, ${MODELS.length} models), ` +
      `${IDS} ids, ingested ${count(BATCH)} per call through \`POST /v1/usage/events\`; report latency over ${SAMPLES} sequential requests; ` +
      `Node ${process.version}, ${cpus().length} cores.\n\n${markdown(results)}`,
  );

  const sqlite = results.find((r) => r.backend === "sqlite");
  return (
    sqlite === undefined ||
    (ingestOk(sqlite) && sqlite.reports.every((l) => EXTRA.has(l.id) || reportOk(l)))
  );
}

async function cleanUp(): Promise<void> {
  await Promise.all(children.map((child) => stopChild(child)));
  for (const dir of tempDirs) {
    rmSync(dir, { recursive: true, force: true });
  }
  if (schemas.length > 0) {
    const client = new pg.Client({ connectionString: PG_URL });
    try {
      await client.connect();
      for (const schema of schemas) {
        await client.query(`drop schema if exists "${schema}" cascade`);
      }
    } catch {
      // nothing more to do
    } finally {
      await client.end().catch(() => {});
    }
  }
}

let code = 1;
process.once("SIGINT", () => {
  // Steward got the same SIGINT and stops by itself; leave no temporary files or schemas.
  void cleanUp().finally(() => process.exit(130));
});
try {
  code = (await main()) ? 0 : 1;
} catch (error) {
  console.error(
    `benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
} finally {
  await cleanUp();
}
process.exit(code);
