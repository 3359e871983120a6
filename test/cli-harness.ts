import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, watch } from "node:fs";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { expect } from "vitest";
import { type Backend, createTestServer, type TestServer } from "./harness.js";
import { runCliInProcess } from "./support/cli-in-process.js";

/**
 * The everyday CLI's tests run its `runCli` from the sources, in this process, with captured
 * output, against the app listening on 127.0.0.1: no build, no process per command. The few
 * tests that need a process of its own (killed midway, on a terminal) run the sources with tsx.
 */

export const ROOT = fileURLToPath(new URL("..", import.meta.url));
const ENTRY = join(ROOT, "test", "support", "cli-entry.ts");
/** node's arguments to run the CLI's sources in a child process (whatever its working directory). */
export const CLI_FROM_SOURCE = [
  "--conditions=source",
  "--import",
  pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href,
  ENTRY,
];

/** Secrets that must never reach a terminal unless asked for. */
export const API_KEY_SECRET = /sk-ant-api03-[A-Za-z0-9_-]{20,}/;
export const INVITE_TOKEN = /stw-invite01-[A-Za-z0-9_-]{10,}/;

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
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

/** Starts the CLI in a child process of its own; `done` settles when it exits. */
export function spawnCli(
  args: string[],
  options: CliOptions = {},
): { child: ChildProcess; done: Promise<CliResult> } {
  const child = spawn(process.execPath, [...CLI_FROM_SOURCE, ...args], {
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
  child.stdin?.end();
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done };
}

/**
 * Resolves once `ready()` holds, checked as files in `dir` change (no polling, no deadline: the
 * test's timeout is the limit); rejects if the child exits first.
 */
export function whenFilesShow(
  dir: string,
  ready: () => boolean,
  child: ChildProcess,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const watcher = watch(dir);
    const settle = (error?: Error) => {
      watcher.close();
      child.off("exit", onExit);
      error ? reject(error) : resolve();
    };
    const check = () => {
      if (ready()) {
        settle();
      }
    };
    const onExit = (code: number | null) =>
      settle(new Error(`the CLI exited (code ${code}) before the files showed what was awaited`));
    watcher.on("change", check);
    child.on("exit", onExit);
    check();
  });
}

/** Runs `steward …` in this process (test/support/cli-in-process.ts), as a child would. */
export async function runCliCommand(args: string[], options: CliOptions = {}): Promise<CliResult> {
  const result = await runCliInProcess(args, {
    env: cleanEnv(options.env),
    cwd: options.cwd ?? ROOT,
  });
  return { ...result, signal: null };
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
  const server = await createTestServer(backend);
  await server.app.listen({ host: "127.0.0.1", port: 0 });
  const { port } = server.app.server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const env = { STEWARD_URL: url, STEWARD_ADMIN_KEY: server.org.adminKey };
  const cliWith = (options: CliOptions, ...args: string[]) =>
    runCliCommand(args, { ...options, env: { ...env, ...options.env } });
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
  const command = [process.execPath, ...CLI_FROM_SOURCE, ...args].map(quote).join(" ");
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
