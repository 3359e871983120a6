/**
 * Instructions per gateway request, counted by valgrind's callgrind: a figure the machine's load
 * does not move the way it moves throughput, for a change too small for the gateway benchmark's
 * run-to-run noise (the access log's 3% budget). Two servers of the compiled build (`npm run
 * build`), `steward` with this process's environment and `baseline` with `--baseline-env` on
 * top, run at the same time under callgrind, each behind its own load of JSON requests to the
 * fake upstream; the count covers a window of `--requests` requests after `--warmup`, opened and
 * closed with `callgrind_control`. Node runs `--single-threaded`, so that V8's compiler and
 * garbage collector work on the counted thread instead of threads of their own.
 *
 *   npm run build && npx tsx bench/gateway-instructions.ts \
 *     [--baseline-env=ACCESS_LOG=off] [--requests=3000] [--warmup=1500] [--main=dist/main.js]
 *
 * Takes some 5 minutes on a quiet machine (valgrind runs the server some 50 times slower).
 * Counts still vary a little from run to run (timers fire at other points of the window), and
 * more with the load, which changes how many requests each turn of the event loop serves: compare
 * the two targets of one run, not figures of different runs.
 */
import { execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import { type Child, children, sleep, spawnChild, waitForHttp } from "./support/processes.js";

function option(name: string, fallback: string): string {
  const prefix = `--${name}=`;
  return process.argv.find((arg) => arg.startsWith(prefix))?.slice(prefix.length) ?? fallback;
}
const REQUESTS = Number(option("requests", "3000"));
const WARMUP = Number(option("warmup", "1500"));
const MAIN = option("main", "dist/main.js");
const BASELINE_ENV = Object.fromEntries(
  option("baseline-env", "ACCESS_LOG=off")
    .split(",")
    .filter((pair) => pair !== "")
    .map((pair) => [pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1)]),
);
const UPSTREAM_KEY = "sk-ant-api03-bench-upstream-key";
const BODY = JSON.stringify({
  model: "claude-sonnet-4-5",
  max_tokens: 256,
  messages: [
    {
      role: "user",
      content: "Write one sentence about the sea, for a benchmark of Claude API gateways.",
    },
  ],
});

const dirs: string[] = [];
process.on("exit", () => {
  for (const child of children) {
    child.proc.kill("SIGKILL");
  }
  for (const dir of dirs) {
    rmSync(dir, { recursive: true, force: true });
  }
});

async function startUpstream(): Promise<string> {
  const upstream = spawnChild(
    "upstream",
    ["--import", "tsx", "bench/upstream.ts"],
    {},
    { ipc: true },
  );
  return new Promise((resolve) =>
    upstream.proc.on("message", (message: { type?: string; url?: string }) => {
      if (message.type === "ready" && message.url) {
        resolve(message.url);
      }
    }),
  );
}

interface Target {
  name: string;
  pid: number;
  dir: string;
  url: string;
  key: string;
}

async function startTarget(
  name: string,
  upstreamUrl: string,
  port: number,
  env: Record<string, string>,
): Promise<Target> {
  const dir = mkdtempSync(join(tmpdir(), "steward-instructions-"));
  dirs.push(dir);
  const adminKey = `sk-ant-admin01-${randomBytes(30).toString("base64url")}`;
  const proc = spawn(
    "valgrind",
    [
      "--tool=callgrind",
      `--callgrind-out-file=${join(dir, "callgrind.out")}`,
      process.execPath,
      "--single-threaded",
      MAIN,
    ],
    {
      env: {
        ...process.env,
        NODE_ENV: "production",
        PORT: String(port),
        HOST: "127.0.0.1",
        DATABASE_URL: `sqlite:${join(dir, "steward.db")}`,
        LOG_LEVEL: "warn",
        STEWARD_BOOTSTRAP_ADMIN_KEY: adminKey,
        UPSTREAM_URL: upstreamUrl,
        UPSTREAM_API_KEY: UPSTREAM_KEY,
        PRICES_FILE: "config/prices.json",
        ...env,
      },
      // The access log goes to a file, as a deployment's goes to its collector.
      stdio: ["ignore", openSync(join(dir, "stdout.log"), "a"), "ignore"],
    },
  );
  const child: Child = { name, proc, stderr: [] };
  children.push(child);
  const url = `http://127.0.0.1:${port}`;
  // Valgrind starts Node some 50 times slower.
  await waitForHttp(`${url}/healthz`, child, { timeoutMs: 300_000 });
  const api = async (method: string, path: string, body: unknown) => {
    const response = await fetch(url + path, {
      method,
      headers: { "x-api-key": adminKey, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    return (await response.json()) as Record<string, unknown>;
  };
  // Every check on, none refusing (as bench/gateway.ts sets its targets up).
  await api("PATCH", "/v1/organizations", {
    settings: { allowed_ip_ranges: ["127.0.0.0/8", "::1/128"] },
    billing: { usage_limit_usd: 1_000_000 },
  });
  const workspace = await api("POST", "/v1/workspaces", {
    name: "bench",
    usage_limits: { monthly_spend_usd: 1_000_000, requests_per_minute: 100_000_000 },
  });
  const key = await api("POST", "/v1/api_keys", { name: "bench", workspace_id: workspace.id });
  return { name, pid: proc.pid ?? 0, dir, url, key: String(key.key) };
}

function load(target: Target, amount: number): Promise<number> {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: `${target.url}/v1/messages`,
        method: "POST",
        headers: {
          "content-type": "application/json",
          "anthropic-version": "2023-06-01",
          "x-api-key": target.key,
        },
        body: BODY,
        connections: 8,
        timeout: 300,
        amount,
      },
      (error: unknown, result: autocannon.Result) => {
        if (error) {
          reject(error);
        } else if (result.non2xx > 0 || result.errors > 0) {
          reject(new Error(`${target.name}: ${result.non2xx} non-2xx, ${result.errors} errors`));
        } else {
          resolve(result.requests.total);
        }
      },
    );
  });
}

/** callgrind_control finds the process by a pipe named after HOST, as the server saw it. */
function control(target: Target, command: "-z" | "-d"): void {
  execFileSync("callgrind_control", [command, String(target.pid)], {
    env: { ...process.env, HOST: "127.0.0.1" },
    stdio: "ignore",
  });
}

async function measure(target: Target): Promise<{ instructions: number; requests: number }> {
  await load(target, WARMUP);
  control(target, "-z");
  const requests = await load(target, REQUESTS);
  control(target, "-d");
  for (let tries = 0; tries < 120; tries++) {
    const dump = readdirSync(target.dir).find((file) => /^callgrind\.out\.\d+$/.test(file));
    const summary =
      dump && /^summary: (\d+)/m.exec(readFileSync(join(target.dir, dump), "utf8"))?.[1];
    if (summary) {
      return { instructions: Number(summary), requests };
    }
    await sleep(500);
  }
  throw new Error(`${target.name}: no callgrind dump`);
}

const upstreamUrl = await startUpstream();
const basePort = 42000 + Math.floor(Math.random() * 2000);
const [steward, baseline] = await Promise.all([
  startTarget("steward", upstreamUrl, basePort, {}),
  startTarget("baseline", upstreamUrl, basePort + 1, BASELINE_ENV),
]);
console.log(
  `callgrind, node --single-threaded ${MAIN}; ${WARMUP} requests of warm-up, ${REQUESTS} counted; baseline: ${JSON.stringify(BASELINE_ENV)}`,
);
const [a, b] = await Promise.all([measure(steward), measure(baseline)]);
const perRequest = (m: { instructions: number; requests: number }) => m.instructions / m.requests;
console.log(`steward   ${Math.round(perRequest(a)).toLocaleString("en")} instructions/request`);
console.log(`baseline  ${Math.round(perRequest(b)).toLocaleString("en")} instructions/request`);
console.log(`steward/baseline ${(perRequest(a) / perRequest(b)).toFixed(3)}`);
process.exit(0);
