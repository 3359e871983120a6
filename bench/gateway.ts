/**
 * The gateway benchmark (issue 3): the same load, non-streaming and streaming `POST /v1/messages`
 * over 50 connections, sent to
 *
 *   direct   the fake upstream itself (test/fixtures/fake-upstream.ts);
 *   bare     a bare pass-through proxy (bench/bare-proxy.ts: node:http + undici, no checks), the
 *            most a Node gateway can do on this machine;
 *   portkey  the open-source Portkey gateway from npm (@portkey-ai/gateway), pointed at the fake
 *            upstream with its custom-host header;
 *   steward  Steward as `npm start` runs it (compiled first), on a SQLite file, with every check
 *            on (key, IP allow-list, requests per minute, spend reservation) and metering writing
 *            usage events.
 *
 * Each target and the fake upstream run in a process of their own; the load generator
 * (autocannon) runs here. Phases run one after another so the targets never compete, in many
 * short rounds that interleave the targets, every other round in reverse order. All processes
 * share the machine's cores, so direct throughput is no fair bar: the bare proxy is. Targets:
 * Steward at least 0.85 of the bare proxy's throughput, p50 within 1 ms of it. The ratio comes
 * with a bootstrap interval over the rounds: on this machine single rounds differ by up to a
 * factor of two, and a ratio from three rounds could move by 0.15 from one run to the next.
 * Beside throughput, each target process's CPU time per request is shown, and the whole
 * benchmark's (load generator and fake upstream included) with how busy the cores were; a round
 * during which other processes were busy is measured again. Then latency over one connection
 * (what each hop adds without queueing), and last 200k requests through Steward while its RSS is
 * sampled, to show memory stays flat.
 *
 *   npx tsx bench/gateway.ts [--rounds=10] [--duration=3] [--warmup=2] [--rewarm=0.5]
 *     [--connections=50] [--unloaded=3] [--rss-requests=200000] [--only=direct,bare,portkey,steward]
 *     [--modes=json,stream] [--steward-cpu-prof=DIR] [--bare-cpu-prof=DIR] [--baseline=DIR]
 *     [--steward-stdout=null|file] [--quiet-wait=120] [--attempts=3] [--baseline-env=NAME=VALUE,…]
 *
 * `--baseline=DIR` adds a target `baseline`: Steward built from another checkout (a `git worktree`
 * of the commit before a change, with this project's node_modules linked into it), measured in the
 * same rounds, so that a change's effect is read as a ratio of one run, not across two runs.
 * `--baseline-env=ACCESS_LOG=off` sets variables for the baseline only: with `--baseline=.`, the
 * cost of a setting on one build (the access log's, in bench/README.md).
 *
 * `--steward-stdout=file` sends Steward's standard output (its access log) to a file in its
 * temporary directory, as an operator's redirect would; by default it goes to /dev/null.
 *
 * Before each round the benchmark waits up to `--quiet-wait` seconds for other processes to go
 * quiet, and measures a round they disturbed again, up to `--attempts` times. On a machine other
 * work keeps busy, shorter waits and one attempt keep a run to minutes; the targets' rounds are
 * interleaved, so the ratios stay comparable, with wider intervals.
 *
 * `--modes=image` sends a question about a 1.5 MB image instead (JSON answers): the size of
 * request multimodal clients send, outside the issue's targets.
 *
 * Exits 1 when a target is missed (or a target could not be measured), 0 otherwise.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { copyFileSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { cpus, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import {
  type Child,
  CLOCK_TICKS,
  children,
  freePort,
  sleep,
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

const ROUNDS = Number(option("rounds", "10"));
const DURATION_S = Number(option("duration", "3"));
const WARMUP_S = Number(option("warmup", "2"));
/** Warm-up of the rounds after a target's first in a mode: its new connections, not its JIT. */
const REWARM_S = Number(option("rewarm", "0.5"));
/** When set, Steward runs with `--cpu-prof` and writes its profile into this directory on exit. */
const STEWARD_CPU_PROF = option("steward-cpu-prof", "");
/** When set, the bare proxy runs with `--cpu-prof` and writes its profile into this directory on exit. */
const BARE_CPU_PROF = option("bare-cpu-prof", "");
const CONNECTIONS = Number(option("connections", "50"));
const RSS_REQUESTS = Number(option("rss-requests", "200000"));
const UNLOADED_S = Number(option("unloaded", "3"));
const ONLY = new Set(option("only", "direct,bare,portkey,steward").split(","));
const MODES = option("modes", "json,stream").split(",") as Mode[];
/** A checkout of Steward to measure beside this one (the build before a change). */
const BASELINE = option("baseline", "");
/** Variables set for the baseline only, `NAME=VALUE` separated by commas. */
const BASELINE_ENV: Record<string, string> = Object.fromEntries(
  option("baseline-env", "")
    .split(",")
    .filter((pair) => pair.includes("="))
    .map((pair) => [pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1)]),
);
/** Where Steward's standard output goes: /dev/null, or a file in its temporary directory. */
const STEWARD_STDOUT = option("steward-stdout", "null");
/** Longest wait for other processes to go quiet before a round, in seconds. */
const QUIET_WAIT_S = Number(option("quiet-wait", "120"));

const TARGET_THROUGHPUT_RATIO = 0.85;
const TARGET_P50_DELTA_MS = 1;

const UPSTREAM_KEY = "sk-ant-api03-bench-upstream-key";
const MODEL = "claude-sonnet-4-5";

type Mode = "json" | "stream" | "image";
type TargetName = "direct" | "bare" | "portkey" | "steward" | "baseline";

function requestBody(stream: boolean): string {
  return JSON.stringify({
    model: MODEL,
    max_tokens: 256,
    ...(stream && { stream: true }),
    messages: [
      {
        role: "user",
        content: "Write one sentence about the sea, for a benchmark of Claude API gateways.",
      },
    ],
  });
}

/**
 * A question about one image of 1.5 MB (2 MB as base64), answered as JSON: a request of the size
 * multimodal clients send, which a gateway that decodes whole bodies feels (not in the default
 * modes: `--modes=image`).
 */
function imageRequestBody(): string {
  const data = randomBytes(1_500_000).toString("base64");
  return JSON.stringify({
    model: MODEL,
    max_tokens: 256,
    messages: [
      {
        role: "user",
        content: [
          { type: "image", source: { type: "base64", media_type: "image/png", data } },
          { type: "text", text: "Describe this image in one sentence." },
        ],
      },
    ],
  });
}

const BODIES: Record<Mode, string> = {
  json: requestBody(false),
  stream: requestBody(true),
  image: imageRequestBody(),
};

// ---------------------------------------------------------------- child processes

const tempDirs: string[] = [];

/** A TypeScript child, run with tsx as `npx tsx` would. */
function spawnTsChild(name: string, file: string, args: string[], env?: NodeJS.ProcessEnv): Child {
  return spawnChild(name, ["--import", "tsx", file, ...args], env, { ipc: true });
}

function waitForMessage<T>(child: Child, type: string, timeoutMs = 30_000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`${child.name}: no "${type}" message in ${timeoutMs} ms`));
    }, timeoutMs);
    const onMessage = (message: { type?: string }) => {
      if (message?.type === type) {
        cleanup();
        resolve(message as T);
      }
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(
        new Error(
          `${child.name} exited (${code}) early:\n  ${child.stderr.slice(-10).join("\n  ")}`,
        ),
      );
    };
    const cleanup = () => {
      clearTimeout(timer);
      child.proc.off("message", onMessage);
      child.proc.off("exit", onExit);
    };
    child.proc.on("message", onMessage);
    child.proc.once("exit", onExit);
  });
}

function ask<T>(child: Child, type: string): Promise<T> {
  const reply = waitForMessage<T>(child, type, 10_000);
  child.proc.send({ type });
  return reply;
}

async function stopAll(): Promise<void> {
  await Promise.all(children.map((child) => stopChild(child, 15_000)));
}

/**
 * CPU seconds (user + system, all threads) a process has used, from /proc; undefined where there
 * is no /proc. Throughput swings with how the scheduler shares two cores among three busy
 * processes; the target's CPU time per request does not, so it is reported beside it.
 */
function cpuSeconds(child: Child | undefined): number | undefined {
  if (child?.proc.pid === undefined) {
    return undefined;
  }
  try {
    const stat = readFileSync(`/proc/${child.proc.pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}

/** Busy and stolen CPU seconds of the whole machine, and its context switches, from /proc/stat. */
function machineCpu(): { busy: number; steal: number; switches: number } | undefined {
  try {
    const stat = readFileSync("/proc/stat", "utf8");
    const line = stat.split("\n")[0] ?? "";
    const switches = Number(/^ctxt (\d+)$/m.exec(stat)?.[1] ?? Number.NaN);
    const [user, nice, system, , , irq, softirq, steal] = line
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
    return {
      busy: ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0)) / CLOCK_TICKS,
      steal: (steal ?? 0) / CLOCK_TICKS,
      switches,
    };
  } catch {
    return undefined;
  }
}

type MachineCpu = NonNullable<ReturnType<typeof machineCpu>>;

/** What the machine did between two readings of machineCpu (undefined without /proc/stat). */
function machineDelta(
  before: MachineCpu | undefined,
  after: MachineCpu | undefined,
): MachineCpu | undefined {
  return before && after
    ? {
        busy: after.busy - before.busy,
        steal: after.steal - before.steal,
        switches: after.switches - before.switches,
      }
    : undefined;
}

/** Cores' worth of CPU that processes outside the benchmark used while the machine did `machine`. */
function foreignCores(machine: MachineCpu, benchmarkSeconds: number, seconds: number): number {
  return Math.max(0, machine.busy - benchmarkSeconds) / seconds;
}

/** CPU seconds used by this process and every child of the benchmark. */
function benchmarkCpu(): number {
  const own = process.cpuUsage();
  let total = (own.user + own.system) / 1e6;
  for (const child of children) {
    total += cpuSeconds(child) ?? 0;
  }
  return total;
}

// ---------------------------------------------------------------- targets

interface Target {
  name: TargetName;
  /** Base URL per mode (Portkey may need a patched process for streaming, see below). */
  url: Record<Mode, string>;
  headers: Record<Mode, Record<string, string>>;
  /** The process serving each mode, whose CPU time is read around each phase. */
  process: Record<Mode, Child | undefined>;
  /** Set when the target cannot serve this mode: reported, never measured. */
  unavailable?: Partial<Record<Mode, string>>;
}

interface Counts {
  messages: number;
  streams: number;
  completed: number;
  errors: number;
  aborted: number;
}

const baseHeaders = (apiKey: string): Record<string, string> => ({
  "content-type": "application/json",
  "anthropic-version": "2023-06-01",
  "x-api-key": apiKey,
});

const sameForBoth = <T>(value: T): Record<Mode, T> => ({
  json: value,
  stream: value,
  image: value,
});

async function upstreamCounts(upstream: Child): Promise<Counts> {
  return (await ask<{ counts: Counts }>(upstream, "counts")).counts;
}

/** One request, checked: a Message for JSON, an SSE stream up to message_stop for streaming. */
async function probe(
  url: string,
  headers: Record<string, string>,
  mode: Mode,
): Promise<string | undefined> {
  try {
    const response = await fetch(`${url}/v1/messages`, {
      method: "POST",
      headers,
      body: BODIES[mode],
    });
    const text = await response.text();
    if (response.status !== 200) {
      return `HTTP ${response.status}: ${text.slice(0, 200)}`;
    }
    if (mode !== "stream") {
      const parsed = JSON.parse(text) as { type?: string; usage?: unknown };
      return parsed.type === "message" && parsed.usage !== undefined
        ? undefined
        : `not a Message: ${text.slice(0, 200)}`;
    }
    return text.includes("event: message_stop")
      ? undefined
      : `stream without message_stop: ${text.slice(0, 200)}`;
  } catch (error) {
    return `request failed: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/**
 * Portkey 1.15 on Node answers every streaming request with 500 "Something went wrong": its
 * response service appends `x-portkey-*` headers to the upstream's fetch Response, whose headers
 * are immutable ("TypeError: immutable"; Portkey-AI/gateway issues #1389 and #1550). This preload
 * re-wraps event-stream responses in a new Response (same body stream, mutable headers) so that
 * streaming can be measured at all. JSON responses are left untouched.
 */
const PORTKEY_STREAM_SHIM = `data:text/javascript,${encodeURIComponent(`
const original = globalThis.fetch;
globalThis.fetch = async (...args) => {
  const response = await original(...args);
  if (!(response.headers.get("content-type") ?? "").startsWith("text/event-stream")) return response;
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers: new Headers(response.headers) });
};`)}`;

/** Preloaded into Portkey: it stops when the benchmark does, even if the benchmark dies. */
const EXIT_WITH_PARENT = `data:text/javascript,${encodeURIComponent(
  'process.on("disconnect", () => process.exit(0));',
)}`;

async function startPortkey(shim: boolean): Promise<{ child: Child; url: string }> {
  const require = createRequire(import.meta.url);
  const entry = join(
    dirname(require.resolve("@portkey-ai/gateway/package.json")),
    "build/start-server.js",
  );
  const port = await freePort();
  const child = spawnChild(
    shim ? "portkey+shim" : "portkey",
    [
      "--import",
      EXIT_WITH_PARENT,
      ...(shim ? ["--import", PORTKEY_STREAM_SHIM] : []),
      entry,
      `--port=${port}`,
      "--headless",
    ],
    {},
    { ipc: true },
  );
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/`, child, { anyStatus: true });
  return { child, url };
}

const apiPost = async (
  url: string,
  adminKey: string,
  method: "POST" | "PATCH",
  path: string,
  body: unknown,
) => {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { "x-api-key": adminKey, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as Record<string, unknown>;
  if (!response.ok) {
    throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
  }
  return json;
};

/**
 * Compiles Steward as `npm run build` does, from the sources in `root` as they are now, into this
 * project's node_modules/.cache (so that its imports resolve from the project's node_modules).
 */
function buildSteward(root: string, name: string): string {
  const out = join(ROOT, "node_modules", ".cache", `steward-bench-${name}`);
  rmSync(out, { recursive: true, force: true });
  execFileSync(
    process.execPath,
    [
      join(ROOT, "node_modules", "typescript", "bin", "tsc"),
      "-p",
      join(root, "tsconfig.build.json"),
      "--outDir",
      join(out, "dist"),
      "--sourceMap",
      "false",
      // A build info of its own: the checkout's (dist/.tsbuildinfo) would say there is nothing to
      // emit once `npm run build` has run there.
      "--tsBuildInfoFile",
      join(out, ".tsbuildinfo"),
    ],
    { cwd: root, stdio: ["ignore", "inherit", "inherit"] },
  );
  // main.js reads ../package.json for its version; "type": "module" makes dist/*.js ESM.
  copyFileSync(join(root, "package.json"), join(out, "package.json"));
  return join(out, "dist", "main.js");
}

/**
 * Preloaded into Steward (`node --import`): answers `{ type: "memory" }` on the IPC channel with
 * `process.memoryUsage()`, taken after a full garbage collection (Steward runs with --expose-gc
 * here), so that `heapUsed` is what is retained, not what V8 has yet to collect. Nothing is added
 * to Steward itself.
 */
const MEMORY_REPORTER = `data:text/javascript,${encodeURIComponent(
  'process.on("message", (m) => { if (m?.type === "memory") { globalThis.gc?.(); process.send({ type: "memory", memory: process.memoryUsage() }); } });' +
    'process.on("disconnect", () => process.kill(process.pid, "SIGTERM"));',
)}`;

async function startSteward(
  upstreamUrl: string,
  name: "steward" | "baseline" = "steward",
  root = ROOT,
  extraEnv: Record<string, string> = {},
): Promise<{ child: Child; url: string; key: string; dir: string }> {
  const main = buildSteward(root, name);
  const dir = mkdtempSync(join(tmpdir(), "steward-bench-"));
  tempDirs.push(dir);
  const port = await freePort();
  const adminKey = `sk-ant-admin01-${randomBytes(30).toString("base64url")}`;
  // As `npm start` runs it: the compiled server, configured by its environment.
  const child = spawnChild(
    name,
    [
      ...(STEWARD_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${STEWARD_CPU_PROF}`] : []),
      "--expose-gc",
      "--import",
      MEMORY_REPORTER,
      main,
    ],
    {
      PRICES_FILE: join(root, "config", "prices.json"),
      PORT: String(port),
      HOST: "127.0.0.1",
      DATABASE_URL: `sqlite:${join(dir, "steward.db")}`,
      LOG_LEVEL: "warn",
      STEWARD_BOOTSTRAP_ADMIN_KEY: adminKey,
      UPSTREAM_URL: upstreamUrl,
      UPSTREAM_API_KEY: UPSTREAM_KEY,
      ...extraEnv,
    },
    {
      stdout: STEWARD_STDOUT === "file" ? openSync(join(dir, "stdout.log"), "a") : "ignore",
      ipc: true,
    },
  );
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/healthz`, child);

  // Every check on, none refusing: an IP allow-list with loopback, an organization and a
  // workspace spend limit far above what the run costs, and a requests-per-minute limit above
  // what it sends.
  await apiPost(url, adminKey, "PATCH", "/v1/organizations", {
    settings: { allowed_ip_ranges: ["127.0.0.0/8", "::1/128"] },
    billing: { usage_limit_usd: 1_000_000 },
  });
  const workspace = await apiPost(url, adminKey, "POST", "/v1/workspaces", {
    name: "bench",
    usage_limits: { monthly_spend_usd: 1_000_000, requests_per_minute: 100_000_000 },
  });
  const key = await apiPost(url, adminKey, "POST", "/v1/api_keys", {
    name: "bench",
    workspace_id: workspace.id,
  });
  return { child, url, key: String(key.key), dir };
}

// ---------------------------------------------------------------- load

interface PhaseResult {
  target: TargetName;
  mode: Mode;
  requests: number;
  seconds: number;
  rps: number;
  /** Throughput of each round. */
  rounds: number[];
  /** CPU time of the target's process per answered request, in microseconds. */
  cpuUsPerRequest: number;
  /**
   * CPU time of every process of the benchmark (load generator, fake upstream, target) per
   * answered request, in microseconds: what one request costs the machine.
   */
  machineUsPerRequest: number;
  /** Cores' worth of CPU the machine was busy during the measured phases. */
  busyCores: number;
  /**
   * The machine's context switches per answered request. On this virtual machine a switch costs
   * several microseconds, and each thread woken for a request's sake adds some.
   */
  switchesPerRequest: number;
  /** Rounds during which other processes were busy even after the retries. */
  noisyRounds: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  /** /v1/messages the fake upstream answered during the measured phase. */
  upstreamMessages: number;
}

interface LoadOptions {
  url: string;
  headers: Record<string, string>;
  requests: Array<{ body: string }>;
  /** Default: CONNECTIONS. */
  connections?: number;
  duration?: number;
  amount?: number;
  onResponse?: (completed: number) => void;
}

interface LoadResult {
  latencies: Float64Array;
  completed: number;
  ok: number;
  non2xx: number;
  errors: number;
  seconds: number;
}

function load(options: LoadOptions): Promise<LoadResult> {
  let latencies = new Float64Array(1 << 16);
  let completed = 0;
  let ok = 0;
  let non2xx = 0;
  const started = performance.now();
  return new Promise<LoadResult>((resolve, reject) => {
    const instance = autocannon(
      {
        url: `${options.url}/v1/messages`,
        method: "POST",
        headers: options.headers,
        requests: options.requests.map((r) => ({ method: "POST", body: r.body })),
        connections: options.connections ?? CONNECTIONS,
        pipelining: 1,
        timeout: 30,
        ...(options.amount !== undefined
          ? { amount: options.amount }
          : { duration: options.duration ?? DURATION_S }),
      },
      (error: unknown, result: autocannon.Result) => {
        if (error) {
          reject(error);
          return;
        }
        const seconds = (performance.now() - started) / 1000;
        resolve({
          latencies: latencies.subarray(0, completed),
          completed,
          ok,
          non2xx,
          errors: result.errors + result.timeouts,
          seconds,
        });
      },
    );
    instance.on("response", (_client, statusCode: number, _bytes: number, ms: number) => {
      if (completed === latencies.length) {
        const bigger = new Float64Array(latencies.length * 2);
        bigger.set(latencies);
        latencies = bigger;
      }
      latencies[completed++] = ms;
      if (statusCode >= 200 && statusCode < 300) {
        ok++;
      } else {
        non2xx++;
      }
      options.onResponse?.(completed);
    });
  });
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) {
    return Number.NaN;
  }
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? 0;
}

interface Round {
  ok: number;
  seconds: number;
  /** CPU seconds the target's process used during the phase. */
  cpu: number | undefined;
  /** CPU seconds every process of the benchmark used during the phase. */
  benchmarkCpu: number;
  /** CPU seconds the machine was busy during the phase (undefined without /proc/stat). */
  busy: number | undefined;
  /** Context switches of the whole machine during the phase. */
  switches: number | undefined;
  /** Cores' worth of CPU used by processes outside the benchmark during the phase. */
  foreign: number | undefined;
  /** Cores' worth of CPU the hypervisor took from this machine during the phase. */
  steal: number | undefined;
  errors: number;
  non2xx: number;
  upstreamMessages: number;
  latencies: Float64Array;
}

/** Above this much CPU (in cores) used by processes outside the benchmark, a round is noisy. */
const QUIET_CORES = 0.15;
const ATTEMPTS = Number(option("attempts", "3"));

/** Cores' worth of CPU that processes outside the benchmark use over the next `ms`. */
async function foreignLoad(ms: number): Promise<number | undefined> {
  const machineBefore = machineCpu();
  const oursBefore = benchmarkCpu();
  const started = performance.now();
  await sleep(ms);
  const machine = machineDelta(machineBefore, machineCpu());
  const ours = benchmarkCpu() - oursBefore;
  const seconds = (performance.now() - started) / 1000;
  return machine && foreignCores(machine, ours, seconds);
}

/** Waits (up to `--quiet-wait`) until nothing else on the machine is busy, e.g. a test run. */
async function waitForQuiet(): Promise<void> {
  const deadline = Date.now() + QUIET_WAIT_S * 1000;
  let said = false;
  for (;;) {
    const foreign = await foreignLoad(500);
    if (foreign === undefined || foreign <= QUIET_CORES || Date.now() > deadline) {
      return;
    }
    if (!said) {
      console.log(`  waiting: other processes are using ${fmt(foreign)} cores`);
      said = true;
    }
    await sleep(2000);
  }
}

/**
 * One round of one target in one mode: a warm-up, then `DURATION_S` seconds measured. A round
 * during which other processes were busy is measured again (up to ATTEMPTS times).
 */
async function measureRound(
  target: Target,
  mode: Mode,
  upstream: Child,
  warmupS: number,
): Promise<Round> {
  const common = {
    url: target.url[mode],
    headers: target.headers[mode],
    requests: [{ body: BODIES[mode] }],
  };
  for (let attempt = 1; ; attempt++) {
    await waitForQuiet();
    if (warmupS > 0) {
      await load({ ...common, duration: warmupS });
      await sleep(200);
    }
    const before = await upstreamCounts(upstream);
    const cpuBefore = cpuSeconds(target.process[mode]);
    const machineBefore = machineCpu();
    const oursBefore = benchmarkCpu();
    const run = await load({ ...common, duration: DURATION_S });
    const cpuAfter = cpuSeconds(target.process[mode]);
    const machine = machineDelta(machineBefore, machineCpu());
    const ours = benchmarkCpu() - oursBefore;
    await sleep(200);
    const after = await upstreamCounts(upstream);
    const round: Round = {
      ok: run.ok,
      seconds: run.seconds,
      cpu: cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore,
      benchmarkCpu: ours,
      busy: machine?.busy,
      switches: machine?.switches,
      foreign: machine && foreignCores(machine, ours, run.seconds),
      steal: machine && machine.steal / run.seconds,
      errors: run.errors,
      non2xx: run.non2xx,
      upstreamMessages: after.messages - before.messages,
      latencies: Float64Array.from(run.latencies),
    };
    if (!noisy(round) || attempt === ATTEMPTS) {
      return round;
    }
    console.log(
      `  ${mode} ${target.name}: measuring again, other processes used ${fmt(round.foreign ?? 0)} cores (steal ${fmt(round.steal ?? 0)})`,
    );
  }
}

const noisy = (round: Round) =>
  (round.foreign ?? 0) > QUIET_CORES || (round.steal ?? 0) > QUIET_CORES;

/** The rounds of one target and mode together: requests over time, latencies pooled. */
function combine(target: TargetName, mode: Mode, rounds: Round[]): PhaseResult {
  const sum = (pick: (r: Round) => number) => rounds.reduce((total, r) => total + pick(r), 0);
  const sorted = new Float64Array(sum((r) => r.latencies.length));
  let at = 0;
  for (const round of rounds) {
    sorted.set(round.latencies, at);
    at += round.latencies.length;
  }
  sorted.sort();
  const requests = sum((r) => r.ok);
  const seconds = sum((r) => r.seconds);
  // A figure some round could not read (no /proc) is no figure.
  const sumOfAll = (pick: (r: Round) => number | undefined) =>
    rounds.some((r) => pick(r) === undefined) ? Number.NaN : sum((r) => pick(r) ?? 0);
  return {
    target,
    mode,
    requests,
    seconds,
    cpuUsPerRequest: (sumOfAll((r) => r.cpu) * 1e6) / requests,
    machineUsPerRequest: (sum((r) => r.benchmarkCpu) * 1e6) / requests,
    busyCores: sumOfAll((r) => r.busy) / seconds,
    switchesPerRequest: sumOfAll((r) => r.switches) / requests,
    noisyRounds: rounds.filter(noisy).length,
    rps: requests / seconds,
    rounds: rounds.map((r) => r.ok / r.seconds),
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    errors: sum((r) => r.errors),
    non2xx: sum((r) => r.non2xx),
    upstreamMessages: sum((r) => r.upstreamMessages),
  };
}

// ---------------------------------------------------------------- report

const pad = (text: string, width: number) => text.padEnd(width);
const lpad = (text: string, width: number) => text.padStart(width);
const fmt = (n: number, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : "n/a");
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

function table(
  results: PhaseResult[],
  skipped: Array<{ target: string; mode: Mode; why: string }>,
) {
  const lines = [
    `${pad("target", 9)} ${pad("mode", 6)} ${lpad("req/s", 8)} ${lpad("p50 ms", 7)} ${lpad("p99 ms", 7)} ${lpad("errors", 6)} ${lpad("non-2xx", 7)} ${lpad("upstream", 9)} ${lpad("cpu µs/req", 10)} ${lpad("machine µs/req", 14)} ${lpad("cores busy", 10)} ${lpad("switches/req", 12)}`,
  ];
  for (const r of results) {
    lines.push(
      `${pad(r.target, 9)} ${pad(r.mode, 6)} ${lpad(r.rps.toFixed(0), 8)} ${lpad(fmt(r.p50), 7)} ${lpad(fmt(r.p99), 7)} ${lpad(String(r.errors), 6)} ${lpad(String(r.non2xx), 7)} ${lpad(String(r.upstreamMessages), 9)} ${lpad(fmt(r.cpuUsPerRequest, 0), 10)} ${lpad(fmt(r.machineUsPerRequest, 0), 14)} ${lpad(fmt(r.busyCores), 10)} ${lpad(fmt(r.switchesPerRequest), 12)}${r.noisyRounds > 0 ? `  (${r.noisyRounds} noisy round(s))` : ""}`,
    );
  }
  for (const s of skipped) {
    lines.push(`${pad(s.target, 9)} ${pad(s.mode, 6)} not measured: ${s.why}`);
  }
  return lines.join("\n");
}

function markdown(results: PhaseResult[]): string {
  const lines = [
    "| target | mode | req/s | p50 ms | p99 ms | errors / non-2xx | CPU µs/request | machine µs/request | cores busy | switches / request |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const r of results) {
    lines.push(
      `| ${r.target} | ${r.mode} | ${r.rps.toFixed(0)} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${r.errors} / ${r.non2xx} | ${fmt(r.cpuUsPerRequest, 0)} | ${fmt(r.machineUsPerRequest, 0)} | ${fmt(r.busyCores)} | ${fmt(r.switchesPerRequest)} |`,
    );
  }
  return lines.join("\n");
}

/**
 * A 90% bootstrap interval of the ratio of two targets' throughputs, measured in the same rounds:
 * the rounds are resampled as pairs, so that a slow spell shared by both stays shared. On this
 * machine single rounds range over a factor of two: the interval says how far the ratio of a run
 * can be trusted. Seeded, so the same rounds give the same interval.
 */
function ratioInterval(ours: readonly number[], bare: readonly number[]): [number, number] {
  const pairs = Math.min(ours.length, bare.length);
  if (pairs < 2) {
    return [Number.NaN, Number.NaN];
  }
  let seed = 0x9e3779b9;
  const random = () => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
  const ratios = new Float64Array(2000);
  for (let sample = 0; sample < ratios.length; sample++) {
    let oursTotal = 0;
    let bareTotal = 0;
    for (let i = 0; i < pairs; i++) {
      const pick = Math.floor(random() * pairs);
      oursTotal += ours[pick] ?? 0;
      bareTotal += bare[pick] ?? 0;
    }
    ratios[sample] = oursTotal / bareTotal;
  }
  ratios.sort();
  return [percentile(ratios, 0.05), percentile(ratios, 0.95)];
}

// ---------------------------------------------------------------- main

async function main(): Promise<boolean> {
  console.log(
    `gateway benchmark: ${CONNECTIONS} connections; ${ROUNDS} rounds of ${DURATION_S} s measured per target and mode, after ${WARMUP_S} s of warm-up in the first and ${REWARM_S} s in the others; ` +
      `Node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model.trim() ?? "?"})`,
  );

  const upstream = spawnTsChild("upstream", "bench/upstream.ts", []);
  const upstreamUrl = (await waitForMessage<{ url: string }>(upstream, "ready")).url;
  console.log(`fake upstream   ${upstreamUrl}`);

  const targets: Target[] = [];
  const notes: string[] = [];
  let steward: Awaited<ReturnType<typeof startSteward>> | undefined;

  if (ONLY.has("direct")) {
    targets.push({
      name: "direct",
      url: sameForBoth(upstreamUrl),
      headers: sameForBoth(baseHeaders(UPSTREAM_KEY)),
      process: sameForBoth(upstream),
    });
  }
  if (ONLY.has("bare")) {
    const bare = spawnChild(
      "bare",
      [
        ...(BARE_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${BARE_CPU_PROF}`] : []),
        "--import",
        "tsx",
        "bench/bare-proxy.ts",
        upstreamUrl,
      ],
      {},
      { ipc: true },
    );
    const url = (await waitForMessage<{ url: string }>(bare, "ready")).url;
    console.log(`bare proxy      ${url}`);
    targets.push({
      name: "bare",
      url: sameForBoth(url),
      headers: sameForBoth(baseHeaders(UPSTREAM_KEY)),
      process: sameForBoth(bare),
    });
  }
  if (ONLY.has("portkey")) {
    const headers = sameForBoth({
      ...baseHeaders(UPSTREAM_KEY),
      "x-portkey-provider": "anthropic",
      "x-portkey-custom-host": `${upstreamUrl}/v1`,
    });
    try {
      const plain = await startPortkey(false);
      console.log(`portkey         ${plain.url} (@portkey-ai/gateway, as published)`);
      const target: Target = {
        name: "portkey",
        url: sameForBoth(plain.url),
        headers,
        process: sameForBoth(plain.child),
      };
      const unavailable: Partial<Record<Mode, string>> = {};
      const jsonProblem = await probe(plain.url, headers.json, "json");
      if (jsonProblem) {
        unavailable.json = `Portkey as published fails: ${jsonProblem}`;
      }
      const streamProblem = await probe(plain.url, headers.stream, "stream");
      if (streamProblem && MODES.includes("stream")) {
        const error = plain.child.stderr.find((line) => line.includes("Error")) ?? "";
        notes.push(
          `portkey as published fails every streaming request (${streamProblem.replace(/\s+/g, " ")}; ` +
            `its log: "${error.trim()}"). Streaming was measured with a preload that re-wraps ` +
            "event-stream fetch Responses so their headers are mutable (Portkey-AI/gateway #1389, #1550); " +
            "its JSON figures are from the package as published.",
        );
        const patched = await startPortkey(true);
        console.log(`portkey+shim    ${patched.url} (same package, streaming fix preloaded)`);
        const patchedProblem = await probe(patched.url, headers.stream, "stream");
        if (patchedProblem) {
          unavailable.stream = `Portkey fails streaming even with the shim: ${patchedProblem}`;
        } else {
          target.url.stream = patched.url;
          target.process.stream = patched.child;
        }
      }
      target.unavailable = unavailable;
      targets.push(target);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      notes.push(`portkey could not be started on Node ${process.version}: ${why}`);
      targets.push({
        name: "portkey",
        url: sameForBoth(""),
        headers,
        process: sameForBoth(undefined),
        unavailable: { json: why, stream: why },
      });
    }
  }
  if (ONLY.has("steward")) {
    steward = await startSteward(upstreamUrl);
    console.log(`steward         ${steward.url} (compiled; SQLite file in ${steward.dir})`);
    targets.push({
      name: "steward",
      url: sameForBoth(steward.url),
      headers: sameForBoth(baseHeaders(steward.key)),
      process: sameForBoth(steward.child),
    });
  }
  if (BASELINE) {
    const baseline = await startSteward(upstreamUrl, "baseline", resolve(BASELINE), BASELINE_ENV);
    console.log(
      `baseline        ${baseline.url} (compiled from ${BASELINE}; SQLite file in ${baseline.dir})`,
    );
    targets.push({
      name: "baseline",
      url: sameForBoth(baseline.url),
      headers: sameForBoth(baseHeaders(baseline.key)),
      process: sameForBoth(baseline.child),
    });
  }

  // Every target answers correctly, and its requests reach the fake upstream.
  for (const target of targets) {
    for (const mode of MODES) {
      if (target.unavailable?.[mode]) {
        continue;
      }
      const before = await upstreamCounts(upstream);
      const problem = await probe(target.url[mode], target.headers[mode], mode);
      const after = await upstreamCounts(upstream);
      if (problem || after.messages !== before.messages + 1) {
        throw new Error(
          `${target.name} ${mode}: ${problem ?? `the fake upstream saw ${after.messages - before.messages} requests, not 1`}`,
        );
      }
    }
  }
  console.log("probes: every target answers JSON and SSE and reaches the fake upstream\n");

  // Rounds interleave the targets, so that a slow spell of the machine is shared by all of them
  // rather than landing on one.
  const results: PhaseResult[] = [];
  const skipped: Array<{ target: string; mode: Mode; why: string }> = [];
  for (const mode of MODES) {
    const rounds = new Map<TargetName, Round[]>();
    for (const target of targets) {
      const why = target.unavailable?.[mode];
      if (why) {
        skipped.push({ target: target.name, mode, why });
        console.log(`${target.name} ${mode}: not measured (${why})`);
      } else {
        rounds.set(target.name, []);
      }
    }
    for (let round = 1; round <= ROUNDS; round++) {
      // Every other round in reverse order (A B, B A, ...): a machine that speeds up or slows
      // down through a round pair favours neither target.
      const order = round % 2 === 1 ? targets : [...targets].reverse();
      for (const target of order) {
        const done = rounds.get(target.name);
        if (!done) {
          continue;
        }
        const r = await measureRound(target, mode, upstream, round === 1 ? WARMUP_S : REWARM_S);
        done.push(r);
        const sorted = Float64Array.from(r.latencies).sort();
        const cpu = r.cpu === undefined ? "" : `  cpu ${((r.cpu * 1e6) / r.ok).toFixed(0)} µs/req`;
        const noise = noisy(r)
          ? `  (NOISY: other processes used ${fmt(r.foreign ?? 0)} cores, steal ${fmt(r.steal ?? 0)} cores)`
          : "";
        console.log(
          `  ${mode} round ${round}/${ROUNDS} ${pad(target.name, 8)} ${lpad((r.ok / r.seconds).toFixed(0), 6)} req/s  p50 ${fmt(percentile(sorted, 0.5))} ms  p99 ${fmt(percentile(sorted, 0.99))} ms  errors ${r.errors}  non-2xx ${r.non2xx}${cpu}${noise}`,
        );
      }
    }
    for (const [name, done] of rounds) {
      results.push(combine(name, mode, done));
    }
  }

  console.log(`\n${table(results, skipped)}`);
  console.log(
    "(upstream: /v1/messages the fake upstream answered in the measured phases; cpu: CPU time of the target's process per answered request;\n" +
      " machine: CPU time of all the benchmark's processes, load generator and fake upstream included, per answered request; cores busy: of the machine's; switches: the machine's context switches per answered request)",
  );
  for (const note of notes) {
    console.log(`note: ${note}`);
  }

  let pass = true;
  const verdicts: string[] = [];
  for (const mode of MODES) {
    const bare = results.find((r) => r.target === "bare" && r.mode === mode);
    const ours = results.find((r) => r.target === "steward" && r.mode === mode);
    const before = results.find((r) => r.target === "baseline" && r.mode === mode);
    if (ours && before) {
      // An A/B of two Steward builds (or one build in two configurations) needs no bare proxy.
      const [low, high] = ratioInterval(ours.rounds, before.rounds);
      verdicts.push(
        `steward/baseline ${pad(mode, 6)} throughput ${(ours.rps / before.rps).toFixed(3)} (90% interval ${fmt(low, 3)} to ${fmt(high, 3)})   CPU per request ${fmt(ours.cpuUsPerRequest, 0)} / ${fmt(before.cpuUsPerRequest, 0)} µs`,
      );
    }
    if (!bare || !ours) {
      continue;
    }
    const ratio = ours.rps / bare.rps;
    const delta = ours.p50 - bare.p50;
    const ratioOk = ratio >= TARGET_THROUGHPUT_RATIO && ours.errors + ours.non2xx === 0;
    const deltaOk = delta <= TARGET_P50_DELTA_MS;
    pass &&= ratioOk && deltaOk;
    const perRound = ours.rounds.map((rps, i) => (rps / (bare.rounds[i] ?? Number.NaN)).toFixed(2));
    const [low, high] = ratioInterval(ours.rounds, bare.rounds);
    verdicts.push(
      `steward/bare ${pad(mode, 6)} throughput ${ratio.toFixed(3)} (target >= ${TARGET_THROUGHPUT_RATIO}) ${ratioOk ? "PASS" : "FAIL"}` +
        `   p50 delta ${delta >= 0 ? "+" : ""}${delta.toFixed(2)} ms (target <= ${TARGET_P50_DELTA_MS} ms) ${deltaOk ? "PASS" : "FAIL"}`,
      `             90% interval of the throughput ratio over the rounds ${fmt(low, 3)} to ${fmt(high, 3)}; per round: ${perRound.join(", ")}; CPU per request ${(ours.cpuUsPerRequest / bare.cpuUsPerRequest).toFixed(2)}x bare's`,
    );
    // With every core busy, the machine's CPU per request caps the throughput: where spreading
    // Steward's work over threads could take the ratio, if a request cost the same on busier
    // cores (a guide, not a proof).
    const ceiling = (cpus().length * 1e6) / ours.machineUsPerRequest / bare.rps;
    verdicts.push(
      `             machine CPU per request ${(ours.machineUsPerRequest / bare.machineUsPerRequest).toFixed(2)}x bare's; with all ${cpus().length} cores busy, Steward's throughput could reach at most ${ceiling.toFixed(3)} of the bare proxy's (cores busy: bare ${fmt(bare.busyCores)}, steward ${fmt(ours.busyCores)})`,
    );
    if (before) {
      const [lowB, highB] = ratioInterval(before.rounds, bare.rounds);
      verdicts.push(
        `baseline/bare ${pad(mode, 6)} throughput ${(before.rps / bare.rps).toFixed(3)} (90% interval ${fmt(lowB, 3)} to ${fmt(highB, 3)})   p50 delta ${(before.p50 - bare.p50).toFixed(2)} ms`,
      );
    }
  }
  console.log(`\n${verdicts.join("\n")}`);

  // Under 50 saturating connections, latency is mostly queueing (Little's law: p50 follows
  // 50 / throughput). One connection at a time shows what each hop itself adds.
  const unloaded: string[] = [];
  if (UNLOADED_S > 0) {
    console.log(`\nunloaded latency (1 connection, ${UNLOADED_S} s per target and mode):`);
    for (const mode of MODES) {
      const line: string[] = [];
      for (const target of targets) {
        if (target.unavailable?.[mode]) {
          continue;
        }
        await waitForQuiet();
        const common = {
          url: target.url[mode],
          headers: target.headers[mode],
          requests: [{ body: BODIES[mode] }],
          connections: 1,
        };
        await load({ ...common, duration: 1 });
        const run = await load({ ...common, duration: UNLOADED_S });
        const sorted = Float64Array.from(run.latencies).sort();
        line.push(
          `${target.name} ${fmt(percentile(sorted, 0.5), 3)} / ${fmt(percentile(sorted, 0.99), 3)}`,
        );
      }
      unloaded.push(`${pad(mode, 6)} p50 / p99 ms: ${line.join(",  ")}`);
      console.log(`  ${unloaded.at(-1)}`);
    }
  }

  let rssLine = "";
  if (steward && RSS_REQUESTS > 0) {
    rssLine = await rssCheck(steward, upstream);
  }

  console.log(
    `\nmarkdown (for README.md):\n\n${markdown(results)}\n\n${[...verdicts, ...unloaded.map((u) => `unloaded ${u}`)].map((v) => `- ${v}`).join("\n")}`,
  );
  if (rssLine) {
    console.log(`- ${rssLine}`);
  }
  return pass && skipped.length === 0;
}

async function stewardMemory(steward: { child: Child }): Promise<NodeJS.MemoryUsage> {
  return (await ask<{ memory: NodeJS.MemoryUsage }>(steward.child, "memory")).memory;
}

async function stewardMetric(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  let total = 0;
  for (const line of text.split("\n")) {
    if (line.startsWith(name)) {
      total += Number(line.slice(line.lastIndexOf(" ") + 1));
    }
  }
  return total;
}

/** 200k requests (JSON and streaming alternating) through Steward, its RSS sampled as they pass. */
async function rssCheck(
  steward: { child: Child; url: string; key: string },
  upstream: Child,
): Promise<string> {
  console.log(
    `\nmemory: ${RSS_REQUESTS} requests through Steward (JSON and streaming alternating)`,
  );
  await sleep(1000); // the recorder writes what earlier phases left
  const writtenBefore = await stewardMetric(steward.url, "steward_usage_events_written_total");
  const upstreamBefore = await upstreamCounts(upstream);
  const samples: Array<{ at: number; memory: Promise<NodeJS.MemoryUsage> }> = [
    { at: 0, memory: stewardMemory(steward) },
  ];
  const marks = [0.25, 0.5, 0.75].map((f) => Math.floor(RSS_REQUESTS * f));
  let peak = 0;
  const sampler = setInterval(() => {
    void stewardMemory(steward).then(
      (m) => {
        peak = Math.max(peak, m.rss);
      },
      () => {},
    );
  }, 1000);
  const run = await load({
    url: steward.url,
    headers: baseHeaders(steward.key),
    requests: [{ body: BODIES.json }, { body: BODIES.stream }],
    amount: RSS_REQUESTS,
    onResponse: (completed) => {
      if (marks.includes(completed)) {
        samples.push({ at: completed, memory: stewardMemory(steward) });
      }
    },
  });
  clearInterval(sampler);
  samples.push({ at: RSS_REQUESTS, memory: stewardMemory(steward) });
  const memory = await Promise.all(samples.map((s) => s.memory));
  await sleep(1000); // the recorder's last batch
  const written =
    (await stewardMetric(steward.url, "steward_usage_events_written_total")) - writtenBefore;
  const upstreamAfter = await upstreamCounts(upstream);
  for (const [i, m] of memory.entries()) {
    peak = Math.max(peak, m.rss);
    console.log(
      `  after ${lpad(String(samples[i]?.at ?? 0), 7)} requests: rss ${lpad(mb(m.rss), 9)}   heap used ${lpad(mb(m.heapUsed), 8)}`,
    );
  }
  console.log(
    `  ${run.ok} answered 2xx (${run.non2xx} non-2xx, ${run.errors} errors) in ${run.seconds.toFixed(1)} s` +
      ` (${(run.ok / run.seconds).toFixed(0)} req/s); the fake upstream answered ${upstreamAfter.messages - upstreamBefore.messages};` +
      ` usage events written: ${written}`,
  );
  const first = memory[0] as NodeJS.MemoryUsage;
  const middle = memory[2] ?? first;
  const last = memory.at(-1) ?? first;
  // Retained heap (after a full collection) is what a leak would grow; RSS also holds what the
  // allocator keeps for reuse.
  const growth = (last.heapUsed - middle.heapUsed) / middle.heapUsed;
  console.log(
    `  RSS peak ${mb(peak)}; retained heap from the middle to the end ${growth >= 0 ? "+" : ""}${(growth * 100).toFixed(1)}% ` +
      (growth <= 0.1 ? "(flat)" : "(GROWING)"),
  );
  return (
    `Steward over ${RSS_REQUESTS} requests: RSS ${mb(first.rss)} at start, ${mb(middle.rss)} after ` +
    `${marks[1]}, ${mb(last.rss)} after ${RSS_REQUESTS} (peak ${mb(peak)}); retained heap ${mb(first.heapUsed)}, ` +
    `${mb(middle.heapUsed)}, ${mb(last.heapUsed)} (${written} usage events written)`
  );
}

let code = 1;
process.once("SIGINT", () => {
  // The children got the same SIGINT and stop by themselves; leave no temporary files.
  void stopAll().finally(() => {
    for (const dir of tempDirs) {
      rmSync(dir, { recursive: true, force: true });
    }
    process.exit(130);
  });
});
try {
  code = (await main()) ? 0 : 1;
} catch (error) {
  console.error(
    `benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
} finally {
  await stopAll();
  for (const dir of tempDirs) {
    rmSync(dir, { recursive: true, force: true });
  }
}
process.exit(code);
