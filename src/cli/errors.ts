/** The CLI's exit codes (README, "CLI"). */
export const ExitCode = {
  ok: 0,
  /** The command failed: an API error, an unreachable server, rows that could not be onboarded. */
  failure: 1,
  /** `alerts check`: this month's spend is over the threshold. */
  thresholdCrossed: 2,
  /** `audit verify`: an audit chain is broken. */
  chainBroken: 3,
  /** Bad usage: an unknown command or flag, a bad flag value, a refused confirmation. */
  usage: 64,
  /** Interrupted (Ctrl-C). */
  interrupted: 130,
} as const;

/** A failure whose message is the whole story: printed as `steward: <message>`, exit code 1. */
export class CliError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode: number = ExitCode.failure) {
    super(message);
    this.exitCode = exitCode;
  }
}

/** Bad usage that commander could not see (a flag value the contract refuses): exit code 64. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, ExitCode.usage);
  }
}

/**
 * The command ran and reports an outcome through its exit code alone (its output already said
 * what happened), e.g. a threshold crossed or a broken chain; `message`, when set, goes to stderr.
 */
export class ExitStatus extends Error {
  readonly exitCode: number;
  constructor(exitCode: number, message = "") {
    super(message);
    this.exitCode = exitCode;
  }
}
