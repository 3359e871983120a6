/**
 * The benchmarks' child processes: spawned from the checkout's root with the production
 * environment, their last lines of stderr kept for the error that reports a failed start, and
 * all of them listed for the benchmark's cleanup.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

export interface Child {
  name: string;
  proc: ChildProcess;
  /** The last lines the child wrote to stderr. */
  stderr: string[];
}

/** Every child spawned so far. */
export const children: Child[] = [];

export interface SpawnOptions {
  /** Where its stdout goes; ignored unless said. */
  stdout?: "ignore" | number;
  /** Open an IPC channel (children that report with `process.send`). */
  ipc?: boolean;
}

export function spawnChild(
  name: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
  options: SpawnOptions = {},
): Child {
  const proc = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: "production", ...env },
    stdio: ["ignore", options.stdout ?? "ignore", "pipe", ...(options.ipc ? ["ipc" as const] : [])],
  });
  const child: Child = { name, proc, stderr: [] };
  proc.stderr?.setEncoding("utf8");
  proc.stderr?.on("data", (text: string) => {
    child.stderr.push(...text.split("\n").filter((line) => line.trim() !== ""));
    child.stderr.splice(0, Math.max(0, child.stderr.length - 40));
  });
  children.push(child);
  return child;
}

/** SIGTERM, then SIGKILL if the child is still there after `killAfterMs`. */
export async function stopChild(child: Child, killAfterMs = 60_000): Promise<void> {
  if (child.proc.exitCode !== null || child.proc.signalCode !== null) {
    return;
  }
  const exited = new Promise<void>((resolve) => child.proc.once("exit", () => resolve()));
  child.proc.kill("SIGTERM");
  const timer = setTimeout(() => child.proc.kill("SIGKILL"), killAfterMs);
  await exited;
  clearTimeout(timer);
}

/** A loopback port free at the time of asking. */
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

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The kernel's clock ticks per second, the unit of /proc's CPU times. */
export const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/**
 * Waits until `url` answers 2xx (any status with `anyStatus`: a server whose root is a 404),
 * failing at once with the child's last stderr lines if it exits first.
 */
export async function waitForHttp(
  url: string,
  child: Child,
  { timeoutMs = 60_000, anyStatus = false }: { timeoutMs?: number; anyStatus?: boolean } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.proc.exitCode !== null) {
      throw new Error(
        `${child.name} exited (${child.proc.exitCode}):\n  ${child.stderr.slice(-10).join("\n  ")}`,
      );
    }
    try {
      const response = await fetch(url);
      await response.arrayBuffer();
      if (response.ok || anyStatus) {
        return;
      }
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      throw new Error(`${child.name} did not answer at ${url} within ${timeoutMs} ms`);
    }
    await sleep(200);
  }
}
