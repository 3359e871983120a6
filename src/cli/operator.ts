import { InvalidArgumentError } from "commander";
import type { Services } from "../core/services.js";
import { CliError } from "./errors.js";

/**
 * The host operator's commands work directly on DATABASE_URL (no server, no admin key needed):
 * whoever can read the database already holds every secret it protects. The database modules are
 * loaded only when such a command runs, so that the everyday commands start fast.
 */
export async function withServices<T>(work: (services: Services) => Promise<T>): Promise<T> {
  const [{ loadConfig }, { createServices }, { connect, migrate }, { Store }] = await Promise.all([
    import("../config.js"),
    import("../core/services.js"),
    import("../db/connect.js"),
    import("../db/store.js"),
  ]);
  const config = loadConfig();
  const database = connect(config.DATABASE_URL);
  try {
    await migrate(database);
    return await work(createServices(new Store(database)));
  } finally {
    await database.close();
  }
}

/** The organization to act on: the one named, or the only one there is. */
export async function resolveOrganization(
  services: Services,
  requested: string | undefined,
): Promise<string> {
  const organizations = await services.deps.store.read.organizations.list();
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

const DURATION_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** `24h`, `30m`, `3600s`, `7d`, or a bare number of seconds (`0`): whole seconds. */
export function parseDuration(value: string): number {
  const match = /^(\d+)([smhd]?)$/.exec(value.trim());
  if (!match) {
    throw new InvalidArgumentError("expected a duration such as 24h, 30m, 3600s, 7d or 0");
  }
  return Number(match[1]) * (DURATION_UNITS[match[2] || "s"] ?? 1);
}

export const operatorActor = {
  actor: { type: "operator" as const, id: null },
  requestId: null,
  clientIp: null,
  userAgent: null,
};
