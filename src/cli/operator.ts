import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { InvalidArgumentError } from "commander";
import type { Config } from "../config.js";
import type { Logger } from "../core/logger.js";
import type { Services } from "../core/services.js";
import type { Database } from "../db/connect.js";
import type { Wiring } from "../wiring.js";
import { CliError } from "./errors.js";
import { writeErr } from "./output.js";

/** What an operator command works with besides the services. */
export interface OperatorContext {
  config: Config;
  /** The database opened, as printed: an absolute SQLite path, a PostgreSQL URL without password. */
  database: string;
  /** A SQLite file that did not exist before (only `steward db init` may create one). */
  createdFile: boolean;
}

/** What a command that works on the services gets besides them. */
export interface ServicesContext extends OperatorContext {
  /** The root's wiring of those services: the ports and the jobs' parts, run once by a command. */
  wiring: Wiring;
}

/** Failures nobody awaits (a usage follower, an email) are told on stderr, as every CLI error. */
const stderrLogger: Logger = {
  info: () => {},
  warn: (fields, message) => writeErr(`steward: ${message}${reasonOf(fields)}`),
  error: (fields, message) => writeErr(`steward: ${message}${reasonOf(fields)}`),
};

function reasonOf(fields: object): string {
  const error = (fields as { err?: unknown }).err;
  return error === undefined ? "" : `: ${error instanceof Error ? error.message : String(error)}`;
}

/**
 * The host operator's commands work directly on DATABASE_URL (no server, no admin key needed):
 * whoever can read the database already holds every secret it protects. The database modules are
 * loaded only when such a command runs, so that the everyday commands start fast.
 *
 * They work on an existing, up-to-date Steward database only: they never create a database (a
 * relative DATABASE_URL run from another folder would be a new, empty one, and an empty database
 * answers every question with "nothing"), and never migrate one as a side effect; `steward db
 * init` does both. Each says on stderr which database it opened.
 */
export async function withServices<T>(
  work: (services: Services, context: ServicesContext) => Promise<T>,
): Promise<T> {
  const [{ wire }, { migrationStatus }] = await Promise.all([
    import("../wiring.js"),
    import("../db/migration-status.js"),
  ]);
  return withDatabase({ create: false }, async (database, context) => {
    const { applied, pending } = await migrationStatus(database);
    if (applied === 0) {
      throw new CliError(
        `${context.database} is not a Steward database (it has no Steward schema): set DATABASE_URL to the server's database, or create one with: steward db init`,
      );
    }
    if (pending.length > 0) {
      throw new CliError(
        `the schema of ${context.database} is older than this steward (${pending.length} migration${pending.length === 1 ? "" : "s"} to run: ${pending.join(", ")}): run steward db migrate, or start the server, which migrates at start`,
      );
    }
    const wiring = wire(database, { logger: stderrLogger });
    return work(wiring.services, { ...context, wiring });
  });
}

/**
 * Opens DATABASE_URL for `work` and closes it after. Unless `create`, a SQLite file that does not
 * exist is an error naming the absolute path it was looked for at, and is not created.
 */
export async function withDatabase<T>(
  options: { create: boolean },
  work: (database: Database, context: OperatorContext) => Promise<T>,
): Promise<T> {
  const [{ loadConfig }, { connect, redactUrl }] = await Promise.all([
    import("../config.js"),
    import("../db/connect.js"),
  ]);
  const config = loadConfig();
  const url = config.DATABASE_URL;
  const sqlitePath = url.startsWith("sqlite:") ? url.slice("sqlite:".length) : undefined;
  const described =
    sqlitePath === undefined || sqlitePath === "" || sqlitePath === ":memory:"
      ? redactUrl(url)
      : `sqlite:${resolve(sqlitePath)}`;
  const missing = sqlitePath !== undefined && sqlitePath !== "" && !existsSync(sqlitePath);
  if (missing && !options.create) {
    const setting =
      process.env.DATABASE_URL === undefined || process.env.DATABASE_URL === ""
        ? `DATABASE_URL is not set, so its default ${url} was used`
        : `DATABASE_URL is ${url}`;
    throw new CliError(
      `no database at ${resolve(sqlitePath)} (${setting}, from ${process.cwd()}). Operator commands do not create one: set DATABASE_URL to the server's database (sqlite: with an absolute path), or create a new one with: steward db init`,
    );
  }
  const database = connect(url, { mustExist: !options.create });
  try {
    writeErr(`database: ${described}`);
    return await work(database, { config, database: described, createdFile: missing });
  } finally {
    await database.close();
  }
}

/** The organization to act on: the one named, or the only one there is. */
export async function resolveOrganization(
  wiring: Wiring,
  requested: string | undefined,
): Promise<string> {
  const organizations = await wiring.store.read.organizations.list();
  if (requested !== undefined) {
    if (!organizations.some((o) => o.id === requested)) {
      throw new CliError(`organization ${requested} not found`);
    }
    return requested;
  }
  const [only, ...others] = organizations;
  if (only === undefined) {
    throw new CliError(
      "the database has no organization yet: start the server once (npm start), or run steward orgs create",
    );
  }
  if (others.length > 0) {
    throw new CliError(
      `the database holds ${organizations.length} organizations; choose one with --org (${organizations.map((o) => o.id).join(", ")})`,
    );
  }
  return only.id;
}

export function parseTimestamp(value: string): string {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) {
    throw new InvalidArgumentError("expected an RFC 3339 timestamp such as 2027-01-01T00:00:00Z");
  }
  return new Date(ms).toISOString();
}

export const operatorActor = {
  actor: { type: "operator" as const, id: null },
  requestId: null,
  clientIp: null,
  userAgent: null,
};
