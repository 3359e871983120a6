import "../keep-tick-shape.js";
import { Command } from "commander";
import { packageVersion } from "../version.js";
import { describeSdkError } from "./client.js";
import { registerAdminKeys } from "./commands/admin-keys.js";
import { registerAlerts } from "./commands/alerts.js";
import { registerAudit } from "./commands/audit.js";
import { registerBackup } from "./commands/backup.js";
import { registerCosts } from "./commands/costs.js";
import { registerDb } from "./commands/db.js";
import { registerInvites } from "./commands/invites.js";
import { registerKeys } from "./commands/keys.js";
import { registerMembers } from "./commands/members.js";
import { registerOffboard } from "./commands/offboard.js";
import { registerOnboard } from "./commands/onboard.js";
import { registerOrg } from "./commands/org.js";
import { registerOrgs } from "./commands/orgs.js";
import { registerServe } from "./commands/serve.js";
import { registerServiceAccounts } from "./commands/service-accounts.js";
import { registerUsage } from "./commands/usage.js";
import { registerUsers } from "./commands/users.js";
import { registerWorkspaces } from "./commands/workspaces.js";
import { DURATION_EXAMPLES, durationFlag } from "./durations.js";
import { CliError, ExitCode, ExitStatus } from "./errors.js";

/**
 * Steward's command line. The everyday commands talk to a Steward server through the SDK
 * (STEWARD_URL, STEWARD_ADMIN_KEY); the operator commands (`admin-keys`, `orgs`, `audit verify`,
 * `audit anchor`, `db init`) work directly on DATABASE_URL.
 */
export function buildCli(): Command {
  const program = new Command("steward")
    .description(
      "Steward's command line. Everyday commands talk to a Steward server: set STEWARD_URL and STEWARD_ADMIN_KEY. Operator commands (admin-keys, orgs, audit verify, audit anchor, db init, migrate, serve) work on DATABASE_URL directly; only db init (migrate) creates or migrates a database, and serve runs the server.",
    )
    .option("--url <url>", "the Steward server, e.g. http://localhost:8080 (default: $STEWARD_URL)")
    .option(
      "--admin-key <key>",
      "the admin key (default: $STEWARD_ADMIN_KEY or $ANTHROPIC_ADMIN_KEY; prefer those: a key on the command line lands in shell history)",
    )
    .option(
      "--timeout <duration>",
      `give up on a request after this long: ${DURATION_EXAMPLES} (default: 60s)`,
      durationFlag({ unit: "ms" }),
    )
    .option("--json", "print JSON for scripts (and nothing else on stdout)")
    .version(packageVersion(), "-V, --version", "print Steward's version")
    .configureHelp({ showGlobalOptions: true, sortSubcommands: false })
    .showHelpAfterError("(add --help for usage)")
    // Set before the subcommands are added, so that they inherit it: their usage errors must
    // reach runCli (exit code 64) instead of commander's own process.exit(1).
    .exitOverride();

  registerOrg(program);
  registerUsers(program);
  registerInvites(program);
  registerWorkspaces(program);
  registerMembers(program);
  registerKeys(program);
  registerServiceAccounts(program);
  registerOnboard(program);
  registerOffboard(program);
  registerUsage(program);
  registerCosts(program);
  registerAlerts(program);
  registerAudit(program);
  registerAdminKeys(program);
  registerOrgs(program);
  registerDb(program);
  registerBackup(program);
  registerServe(program);
  return program;
}

/**
 * Runs the CLI and answers its exit code: 0 success; 1 a failure the message explains (an API
 * error, an unreachable server, rows not onboarded); 2 `alerts check` found the threshold
 * crossed; 3 `audit verify` found a broken chain (or an anchor it cannot trust); 64 bad usage or missing configuration
 * (nothing was sent); 130 interrupted.
 */
export async function runCli(argv: string[]): Promise<number> {
  // Output piped into `head` and the like: a closed pipe ends the command quietly.
  if (process.stdout.listenerCount("error") === 0) {
    process.stdout.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EPIPE") {
        process.exit(ExitCode.ok);
      }
      throw error;
    });
  }
  try {
    await buildCli().parseAsync(argv);
    return ExitCode.ok;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (typeof code === "string" && code.startsWith("commander.")) {
      return code === "commander.helpDisplayed" || code === "commander.version"
        ? ExitCode.ok
        : ExitCode.usage;
    }
    if (error instanceof ExitStatus) {
      if (error.message !== "") {
        process.stderr.write(`steward: ${error.message}\n`);
      }
      return error.exitCode;
    }
    const message =
      describeSdkError(error) ?? (error instanceof Error ? error.message : String(error));
    process.stderr.write(`steward: ${message}\n`);
    return error instanceof CliError ? error.exitCode : ExitCode.failure;
  }
}
