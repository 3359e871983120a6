/**
 * Several Steward servers as separate processes, for the multi-node tests and the cluster
 * benchmark: each node is `node --import tsx src/main.ts` from the sources (no build), configured
 * only by its environment as in production, on a port of its own. They share one database (a
 * PostgreSQL database made for this cluster and dropped at the end, or one SQLite file), one
 * Redis (a private `redis-server`, so that a test may kill and restart it), and one fake
 * Anthropic upstream in this process (test/fixtures/fake-upstream.ts) that counts what it served.
 * The database may be reached through a TCP proxy the test controls (test/support/tcp-proxy.ts),
 * to cut it mid-load. Every node's output is kept, to be printed when a test fails.
 *
 * No vitest import here: bench/cluster.ts uses the same harness.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer, Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import pg from "pg";
import { type FakeUpstream, type FakeUsage, startFakeUpstream } from "../fixtures/fake-upstream.js";
import { startTcpProxy, type TcpProxy } from "./tcp-proxy.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const SERVER_FROM_SOURCE = [
  "--conditions=source",
  "--import",
  pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href,
  join(ROOT, "src", "main.ts"),
];

export const CLUSTER_UPSTREAM_KEY = "sk-ant-api03-steward-cluster-upstream-credential";
/** Most lines of output kept per node (the newest). */
const LOG_LINES = 4000;

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A port nobody listens on right now (the kernel's pick, released at once). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Polls `condition` until it holds; fails after `timeoutMs` saying what was awaited. */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  /** What is awaited, for the error: a function to say what was last seen. */
  what: string | (() => string),
  timeoutMs = 15_000,
  intervalMs = 20,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) {
      throw new Error(`${typeof what === "function" ? what() : what}: not within ${timeoutMs} ms`);
    }
    await sleep(intervalMs);
  }
}

/**
 * Processes this module started and has not seen exit: killed if this process exits first (a
 * test worker that crashed must not leave servers behind).
 */
const orphans = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of orphans) {
    child.kill("SIGKILL");
  }
});

function track(child: ChildProcess): void {
  orphans.add(child);
  child.once("exit", () => orphans.delete(child));
}

// ---------------------------------------------------------------- Redis

/** A `redis-server` of the cluster's own, without persistence, that can be killed and restarted. */
export interface PrivateRedis {
  readonly port: number;
  readonly url: string;
  /** Kills the server (SIGKILL: what a crash does; its data is gone, as it has no persistence). */
  kill(): Promise<void>;
  /** Starts it again on the same port. */
  start(): Promise<void>;
  readonly running: boolean;
  /** The server's process id while it runs. */
  readonly pid: number | undefined;
  logs(): string;
}

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  let proc: ChildProcess | undefined;
  const lines: string[] = [];
  const start = async () => {
    const child = spawn(
      "redis-server",
      ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    proc = child;
    track(child);
    for (const stream of [child.stdout, child.stderr]) {
      stream?.setEncoding("utf8").on("data", (text: string) => keep(lines, text));
    }
    child.on("error", (error) => keep(lines, `spawn failed: ${error.message}\n`));
    await waitFor(
      async () => {
        if (child.exitCode !== null) {
          throw new Error(`redis-server exited (${child.exitCode}):\n${lines.join("\n")}`);
        }
        return (await redisPing(port)) === "+PONG";
      },
      `redis-server on port ${port}`,
      10_000,
    );
  };
  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    async kill() {
      const child = proc;
      if (!child || child.exitCode !== null || child.signalCode !== null) {
        return;
      }
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGKILL");
      await exited;
    },
    start,
    get running() {
      return proc !== undefined && proc.exitCode === null && proc.signalCode === null;
    },
    get pid() {
      return proc?.pid;
    },
    logs: () => lines.join("\n"),
  };
}

/** The first line of Redis's answer to PING, or undefined when it does not answer. */
function redisPing(port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(undefined);
    }, 500);
    socket.on("error", () => {
      clearTimeout(timer);
      resolve(undefined);
    });
    socket.connect(port, "127.0.0.1", () => socket.write("PING\r\n"));
    socket.once("data", (chunk) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(chunk.toString("utf8").split("\r\n")[0]);
    });
  });
}

// ---------------------------------------------------------------- PostgreSQL

const DATABASE_PREFIX = "steward_cluster_p";

/**
 * A PostgreSQL database of the cluster's own, in the server of `baseUrl`: a database, not a
 * schema, so that its triggers, LISTEN channels and migrations see nothing of other runs. Named
 * after this process; those of processes that are gone are dropped first.
 */
export async function createPostgresDatabase(
  baseUrl: string,
): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${DATABASE_PREFIX}${process.pid}_${randomBytes(5).toString("hex")}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ datname: string }>(
      "select datname from pg_database where datname like $1",
      [`${DATABASE_PREFIX.replaceAll("_", "\\_")}%`],
    );
    for (const { datname } of rows) {
      const pid = Number(/^steward_cluster_p(\d+)_/.exec(datname)?.[1]);
      if (!processAlive(pid)) {
        await admin.query(`drop database if exists "${datname}" with (force)`);
      }
    }
    await admin.query(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: baseUrl });
      await client.connect();
      try {
        await client.query(`drop database if exists "${name}" with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}

function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) {
    return false;
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

// ---------------------------------------------------------------- the fake upstream

/** What the fake upstream served: requests and the tokens its answers reported. */
export interface Served {
  /** POST /v1/messages it accepted. */
  messages: number;
  /** Of those, answered in full with usage. */
  completed: number;
  inputTokens: number;
  outputTokens: number;
}

export interface CountingUpstream {
  upstream: FakeUpstream;
  served(): Served;
}

/**
 * The fake upstream, with totals of the tokens it reported. Its `reported` list keeps only the
 * last 1000 answers, so the totals are added up as answers are pushed onto it.
 */
export async function startCountingUpstream(): Promise<CountingUpstream> {
  const upstream = await startFakeUpstream({ apiKey: CLUSTER_UPSTREAM_KEY });
  let inputTokens = 0;
  let outputTokens = 0;
  const { reported } = upstream;
  const push = reported.push.bind(reported);
  Object.defineProperty(reported, "push", {
    value: (...usages: FakeUsage[]) => {
      for (const usage of usages) {
        inputTokens += usage.input_tokens;
        outputTokens += usage.output_tokens;
      }
      return push(...usages);
    },
  });
  return {
    upstream,
    served: () => ({
      messages: upstream.counts.messages,
      completed: upstream.counts.completed,
      inputTokens,
      outputTokens,
    }),
  };
}

// ---------------------------------------------------------------- nodes

export interface ClusterNode {
  readonly name: string;
  readonly port: number;
  /** http://127.0.0.1:PORT */
  readonly url: string;
  readonly env: Record<string, string>;
  readonly running: boolean;
  /** The process id of its current (or last) process. */
  readonly pid: number | undefined;
  /** Starts the process (again, after stop or kill) and waits for /readyz. */
  start(): Promise<void>;
  /** SIGTERM, and SIGKILL if it has not exited within 15 s. */
  stop(): Promise<void>;
  logs(): string;
}

function keep(lines: string[], text: string): void {
  lines.push(...text.split("\n").filter((line) => line.trim() !== ""));
  if (lines.length > LOG_LINES) {
    lines.splice(0, lines.length - LOG_LINES);
  }
}

/** This process's environment without any Steward setting of the machine running the tests. */
function baseEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    const stewardSetting =
      name === "DATABASE_URL" ||
      name === "REDIS_URL" ||
      name === "PORT" ||
      name === "HOST" ||
      /^(STEWARD|UPSTREAM|METERING|REDIS|DATABASE|ALERT|AUDIT|SMTP|OUTBOUND)_/.test(name);
    if (value !== undefined && !stewardSetting) {
      env[name] = value;
    }
  }
  return env;
}

function createNode(name: string, port: number, env: Record<string, string>): ClusterNode {
  const lines: string[] = [];
  let proc: ChildProcess | undefined;
  const running = () => proc !== undefined && proc.exitCode === null && proc.signalCode === null;
  const url = `http://127.0.0.1:${port}`;
  return {
    name,
    port,
    url,
    env,
    get running() {
      return running();
    },
    get pid() {
      return proc?.pid;
    },
    async start() {
      if (running()) {
        throw new Error(`${name} is already running`);
      }
      keep(lines, `---- ${name} starting on port ${port}`);
      const child = spawn(process.execPath, SERVER_FROM_SOURCE, {
        cwd: ROOT,
        env: { ...baseEnv(), ...env },
        stdio: ["ignore", "pipe", "pipe"],
      });
      proc = child;
      track(child);
      for (const stream of [child.stdout, child.stderr]) {
        stream?.setEncoding("utf8").on("data", (text: string) => keep(lines, text));
      }
      child.on("error", (error) => keep(lines, `spawn failed: ${error.message}`));
      child.on("exit", (code, signal) => keep(lines, `---- ${name} exited (${code ?? signal})`));
      try {
        await waitFor(
          async () => {
            if (child.exitCode !== null || child.signalCode !== null) {
              throw new Error(`exited (${child.exitCode ?? child.signalCode})`);
            }
            try {
              const response = await fetch(`${url}/readyz`);
              await response.arrayBuffer();
              return response.status === 200;
            } catch {
              return false;
            }
          },
          `${name}: /readyz`,
          90_000,
          100,
        );
      } catch (error) {
        throw new Error(
          `${name} did not become ready: ${(error as Error).message}\n${lines.slice(-60).join("\n")}`,
        );
      }
    },
    async stop() {
      const child = proc;
      if (!child || !running()) {
        return;
      }
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      await exited;
      clearTimeout(timer);
    },
    logs: () => lines.join("\n"),
  };
}

// ---------------------------------------------------------------- the cluster

export interface ClusterOptions {
  nodes: number;
  /** PostgreSQL at this URL (a fresh database is made in its server), else one SQLite file. */
  postgresUrl?: string;
  /** The nodes reach the database through a TCP proxy the test controls (PostgreSQL only). */
  databaseThroughProxy?: boolean;
  /** A private redis-server for the nodes (default true). */
  redis?: boolean;
  /** Settings for every node, over the cluster's defaults. */
  env?: Record<string, string>;
  /** Settings for the node at each index, over those (`REDIS_URL: ""` leaves one without Redis). */
  nodeEnv?: Array<Record<string, string>>;
  /** Defaults to "warn" (the tests read logs only when something failed). */
  logLevel?: string;
  /**
   * An upstream of the caller's (the benchmark runs its own in another process). Without it, the
   * fake upstream runs in this process and `upstream` and `served` report on it.
   */
  upstreamUrl?: string;
}

export interface Message {
  status: number;
  body: any;
  headers: Headers;
}

export interface Cluster {
  nodes: ClusterNode[];
  /** The organization's first admin key (STEWARD_BOOTSTRAP_ADMIN_KEY). */
  adminKey: string;
  /** The database's URL as the operator's tools reach it (never through the proxy). */
  databaseUrl: string;
  proxy: TcpProxy | undefined;
  redis: PrivateRedis | undefined;
  upstream: FakeUpstream;
  /** What the fake upstream has served so far. */
  served(): Served;
  /** An Admin API call on `node` with the bootstrap admin key (or `key`). */
  admin(
    node: ClusterNode,
    method: "GET" | "POST" | "PATCH" | "DELETE",
    path: string,
    body?: unknown,
    key?: string,
  ): Promise<Message>;
  /** POST /v1/messages through `node`'s gateway with the API key `apiKey`. */
  message(node: ClusterNode, apiKey: string, body?: unknown): Promise<Message>;
  /** Every node's output (and Redis's), for a failed test's report. */
  logs(): string;
  stop(): Promise<void>;
}

export const DEFAULT_MESSAGE = {
  model: "claude-haiku-4-5",
  max_tokens: 20,
  messages: [{ role: "user", content: "Say hello." }],
};

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const cleanups: Array<() => Promise<void> | void> = [];
  const cleanup = async () => {
    for (const step of cleanups.splice(0).reverse()) {
      try {
        await step();
      } catch {
        // The rest still has to be cleaned up.
      }
    }
  };
  const nodes: ClusterNode[] = [];
  try {
    const counting = options.upstreamUrl === undefined ? await startCountingUpstream() : undefined;
    if (counting) {
      cleanups.push(() => counting.upstream.close());
    }
    const upstreamUrl = options.upstreamUrl ?? (counting as CountingUpstream).upstream.url;
    const inProcess = (): CountingUpstream => {
      if (!counting) {
        throw new Error("this cluster's upstream is the caller's, not the fake in this process");
      }
      return counting;
    };
    const redis = options.redis === false ? undefined : await startPrivateRedis();
    if (redis) {
      cleanups.push(() => redis.kill());
    }
    const dir = mkdtempSync(join(tmpdir(), "steward-cluster-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));

    let databaseUrl: string;
    let proxy: TcpProxy | undefined;
    if (options.postgresUrl) {
      const database = await createPostgresDatabase(options.postgresUrl);
      cleanups.push(() => database.drop());
      databaseUrl = database.url;
      if (options.databaseThroughProxy) {
        const target = new URL(databaseUrl);
        const opened = await startTcpProxy(target.hostname, Number(target.port || 5432));
        cleanups.push(() => opened.close());
        proxy = opened;
      }
    } else {
      databaseUrl = `sqlite:${join(dir, "steward.db")}`;
    }
    const nodeDatabaseUrl = proxy ? proxy.urlFor(databaseUrl) : databaseUrl;

    const adminKey = `sk-ant-admin01-${randomBytes(33).toString("base64url")}`;
    for (let i = 0; i < options.nodes; i++) {
      const name = String.fromCharCode(65 + i);
      const port = await freePort();
      const env: Record<string, string> = {
        PORT: String(port),
        HOST: "127.0.0.1",
        DATABASE_URL: nodeDatabaseUrl,
        ...(redis && { REDIS_URL: redis.url }),
        // A machine running the whole suite can take longer than the production default (250 ms)
        // to answer: a node would then decide locally, as it should, and the global bounds these
        // tests check would not be the ones in force. Redis killed is seen at once (the socket).
        REDIS_TIMEOUT_MS: "2000",
        UPSTREAM_URL: upstreamUrl,
        UPSTREAM_API_KEY: CLUSTER_UPSTREAM_KEY,
        UPSTREAM_TIMEOUT_MS: "30000",
        STEWARD_BOOTSTRAP_ADMIN_KEY: adminKey,
        STEWARD_ORG_NAME: "Cluster Org",
        LOG_LEVEL: options.logLevel ?? "warn",
        // One spool per process (two nodes never share one).
        METERING_SPOOL_DIR: join(dir, `spool-${name}`),
        METERING_MAX_DELAY_MS: "20",
        DATABASE_CONNECT_TIMEOUT_MS: "1000",
        DATABASE_STATEMENT_TIMEOUT_MS: "3000",
        READINESS_TIMEOUT_MS: "1000",
        ALERT_DISPATCH_INTERVAL_MS: "200",
        ALERT_DELIVERY_TIMEOUT_MS: "2000",
        OUTBOUND_ALLOW: "127.0.0.1",
        SHUTDOWN_TIMEOUT_MS: "5000",
        ...options.env,
        ...options.nodeEnv?.[i],
      };
      nodes.push(createNode(name, port, env));
    }
    cleanups.push(() => Promise.all(nodes.map((node) => node.stop())).then(() => {}));
    // The first node migrates the new database and bootstraps its organization; then the rest.
    const [first, ...rest] = nodes;
    await first?.start();
    await Promise.all(rest.map((node) => node.start()));

    const call = async (
      node: ClusterNode,
      method: string,
      path: string,
      headers: Record<string, string>,
      body: unknown,
    ): Promise<Message> => {
      const response = await fetch(`${node.url}${path}`, {
        method,
        headers: {
          "anthropic-version": "2023-06-01",
          ...(body !== undefined && { "content-type": "application/json" }),
          ...headers,
        },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // not JSON: keep the text
      }
      return { status: response.status, body: parsed, headers: response.headers };
    };

    return {
      nodes,
      adminKey,
      databaseUrl,
      proxy,
      redis,
      get upstream() {
        return inProcess().upstream;
      },
      served: () => inProcess().served(),
      admin: (node, method, path, body, key = adminKey) =>
        call(node, method, path, { "x-api-key": key }, body),
      message: (node, apiKey, body = DEFAULT_MESSAGE) =>
        call(node, "POST", "/v1/messages", { "x-api-key": apiKey }, body),
      logs: () =>
        [
          ...nodes.map((node) => `==== node ${node.name} (${node.url})\n${node.logs()}`),
          ...(redis
            ? [`==== redis (${redis.url})\n${redis.logs().split("\n").slice(-10).join("\n")}`]
            : []),
        ].join("\n"),
      stop: cleanup,
    };
  } catch (error) {
    // A node that did not start put its output in the error.
    await cleanup();
    throw error;
  }
}
