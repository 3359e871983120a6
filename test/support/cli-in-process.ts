import { runCli } from "../../src/cli/main.js";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliRunOptions {
  /** The whole environment the command sees (process.env is swapped for it meanwhile). */
  env: NodeJS.ProcessEnv;
  cwd: string;
}

type Write = typeof process.stdout.write;

let queue: Promise<unknown> = Promise.resolve();

/**
 * Runs `steward …` through runCli in this process, as the binary would in a child: its own
 * environment and working directory, stdout and stderr captured, and no terminal on either side
 * (stdin, stdout and stderr say they are not TTYs, as pipes do). The CLI reads these from the
 * process, so runs take turns.
 */
export function runCliInProcess(args: string[], options: CliRunOptions): Promise<CliRun> {
  const run = queue.then(() => runAlone(args, options));
  queue = run.catch(() => undefined);
  return run;
}

async function runAlone(args: string[], options: CliRunOptions): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const capture =
    (append: (text: string) => void): Write =>
    (chunk: string | Uint8Array, ...rest: unknown[]) => {
      append(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
      const callback = rest.find((arg) => typeof arg === "function") as (() => void) | undefined;
      callback?.();
      return true;
    };
  const saved = {
    env: process.env,
    cwd: process.cwd(),
    stdoutWrite: process.stdout.write,
    stderrWrite: process.stderr.write,
    tty: [process.stdin, process.stdout, process.stderr].map((stream) =>
      Object.getOwnPropertyDescriptor(stream, "isTTY"),
    ),
  };
  process.env = Object.fromEntries(
    Object.entries(options.env).filter(([, value]) => value !== undefined),
  );
  process.chdir(options.cwd);
  process.stdout.write = capture((text) => {
    stdout += text;
  });
  process.stderr.write = capture((text) => {
    stderr += text;
  });
  for (const stream of [process.stdin, process.stdout, process.stderr]) {
    Object.defineProperty(stream, "isTTY", { value: false, configurable: true, writable: true });
  }
  try {
    const code = await runCli([process.execPath, "steward", ...args]);
    return { code, stdout, stderr };
  } finally {
    process.env = saved.env;
    process.chdir(saved.cwd);
    process.stdout.write = saved.stdoutWrite;
    process.stderr.write = saved.stderrWrite;
    [process.stdin, process.stdout, process.stderr].forEach((stream, i) => {
      const descriptor = saved.tty[i];
      if (descriptor) {
        Object.defineProperty(stream, "isTTY", descriptor);
      } else {
        delete (stream as { isTTY?: boolean }).isTTY;
      }
    });
  }
}
