import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import { type Backend, createTestServer, type TestServer } from "./harness.js";

/**
 * The everyday CLI's tests run the real binary (bin/steward.js over dist/) in a child process
 * against the app listening on 127.0.0.1.
 */

export const ROOT = fileURLToPath(new URL("..", import.meta.url));
const BIN = join(ROOT, "bin", "steward.js");
const BUILT = [
  join(ROOT, "dist", "cli", "main.js"),
  join(ROOT, "packages", "sdk", "dist", "index.js"),
];
const SOURCES = [join(ROOT, "src"), join(ROOT, "packages", "sdk", "src")];
const LOCK = join(ROOT, "dist", ".cli-test-build.lock");

/** Secrets that must never reach a terminal unless asked for. */
export const API_KEY_SECRET = /sk-ant-api03-[A-Za-z0-9_-]{20,}/;
export const INVITE_TOKEN = /stw-invite01-[A-Za-z0-9_-]{10,}/;

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

const upToDate = () => {
  const sources = Math.max(...SOURCES.map(newestMtime));
  return BUILT.every((file) => existsSync(file) && statSync(file).mtimeMs >= sources);
};

let build: Promise<void> | undefined;

/**
 * bin/steward.js runs dist/: `npm run build` (the SDK, then the app) when dist/ is missing or
 * older than the sources. Test files run in parallel forks: a lock directory serializes builds.
 */
export function ensureBuilt(): Promise<void> {
  build ??= (async () => {
    if (upToDate()) {
      return;
    }
    mkdirSync(join(ROOT, "dist"), { recursive: true });
    for (let waited = 0; ; waited += 200) {
      try {
        mkdirSync(LOCK);
        break;
      } catch {
        if (waited > 180_000) {
          rmSync(LOCK, { recursive: true, force: true });
        }
        await sleep(200);
      }
    }
    try {
      if (!upToDate()) {
        execFileSync("npm", ["run", "build"], { cwd: ROOT, stdio: "pipe" });
      }
    } finally {
      rmSync(LOCK, { recursive: true, force: true });
    }
  })();
  return build;
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Written to the child's stdin (which is a pipe, never a terminal). */
  input?: string;
}

/** The environment without any Steward setting of the machine running the tests. */
export function cleanEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ["STEWARD_URL", "STEWARD_ADMIN_KEY", "ANTHROPIC_ADMIN_KEY", "DATABASE_URL"]) {
    delete env[name];
  }
  for (const [name, value] of Object.entries(extra)) {
    if (value === undefined) {
      delete env[name];
    } else {
      env[name] = value;
    }
  }
  return env;
}

/** Starts the CLI; `done` settles when it exits. */
export function spawnCli(
  args: string[],
  options: CliOptions = {},
): { child: ChildProcess; done: Promise<CliResult> } {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    env: cleanEnv(options.env),
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  child.stdin?.end(options.input ?? "");
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done };
}

export function runCliProcess(args: string[], options: CliOptions = {}): Promise<CliResult> {
  return spawnCli(args, options).done;
}

/** The parsed JSON of a successful `--json` run (stdout holds nothing else). */
export function parseJson(result: CliResult): any {
  if (result.code !== 0) {
    throw new Error(`exit ${result.code}: ${result.stderr}${result.stdout}`);
  }
  return JSON.parse(result.stdout);
}

/** The app on 127.0.0.1 with a fresh database, and the CLI pointed at it. */
export interface CliServer extends TestServer {
  url: string;
  /** Runs `steward …` with STEWARD_URL and STEWARD_ADMIN_KEY set for this server. */
  cli(...args: string[]): Promise<CliResult>;
  cliWith(options: CliOptions, ...args: string[]): Promise<CliResult>;
  env: Record<string, string>;
}

export async function startCliServer(backend: Backend): Promise<CliServer> {
  const [server] = await Promise.all([createTestServer(backend), ensureBuilt()]);
  await server.app.listen({ host: "127.0.0.1", port: 0 });
  const { port } = server.app.server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const env = { STEWARD_URL: url, STEWARD_ADMIN_KEY: server.org.adminKey };
  const cliWith = (options: CliOptions, ...args: string[]) =>
    runCliProcess(args, { ...options, env: { ...env, ...options.env } });
  return Object.assign(server, {
    url,
    env,
    cliWith,
    cli: (...args: string[]) => cliWith({}, ...args),
  });
}

/** A successful run with `--json`: its JSON, after checking stderr said nothing. */
export async function json(server: CliServer, ...args: string[]): Promise<any> {
  const result = await server.cli(...args, "--json");
  expect(result.stderr, result.stderr).toBe("");
  return parseJson(result);
}

/** `script` (util-linux) runs a command on a pseudo-terminal: for the confirmation prompts. */
export const HAS_SCRIPT = existsSync("/usr/bin/script");

/**
 * Runs `steward …` on a terminal (through `script`), typing `input`; stdout and stderr arrive
 * together, as on a screen.
 */
export function runCliInTerminal(
  args: string[],
  input: string,
  env: Record<string, string>,
): Promise<CliResult> {
  const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;
  const command = [process.execPath, BIN, ...args].map(quote).join(" ");
  const child = spawn("script", ["-qec", command, "/dev/null"], {
    cwd: ROOT,
    env: cleanEnv(env),
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let typed = false;
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
    if (stdout.includes("[y/N]") && !typed) {
      child.stdin?.end(input);
      typed = true;
    }
  });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr: "" }));
  });
}
