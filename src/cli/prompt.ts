import { createInterface } from "node:readline/promises";
import { CliError, ExitCode, UsageError } from "./errors.js";

/**
 * Asks before a destructive command: `--yes` answers for scripts; without it, stdin must be a
 * terminal (a script that forgot `--yes` is refused rather than left waiting). Declining is
 * exit code 1, with nothing changed.
 */
export async function confirm(question: string, yes: boolean | undefined): Promise<void> {
  if (yes) {
    return;
  }
  if (!process.stdin.isTTY) {
    throw new UsageError(
      `${question.replace(/\?$/, "")}: refusing without confirmation, as stdin is not a terminal; pass --yes to confirm`,
    );
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`${question} [y/N] `);
    if (!/^y(es)?$/i.test(answer.trim())) {
      throw new CliError("cancelled; nothing was changed", ExitCode.failure);
    }
  } finally {
    rl.close();
  }
}
