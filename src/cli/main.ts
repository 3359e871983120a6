import { Command, InvalidArgumentError } from "commander";
import { loadConfig } from "../config.js";
import type { AdminKeyInfo } from "../core/admin-keys/admin-key.service.js";
import { operatorContext } from "../core/context.js";
import { AppError } from "../core/errors.js";
import { createServices, type Services } from "../core/services.js";
import { connect, migrate } from "../db/connect.js";
import { Store } from "../db/store.js";

/**
 * The host operator's CLI. It works directly on DATABASE_URL (no server, no admin key needed):
 * whoever can read the database already holds every secret it protects.
 */

type Output = { json?: boolean };

function print(options: Output, value: unknown, human: () => string): void {
  process.stdout.write(options.json ? `${JSON.stringify(value, null, 2)}\n` : `${human()}\n`);
}

function table(rows: Record<string, string>[]): string {
  if (rows.length === 0) {
    return "(none)";
  }
  const columns = Object.keys(rows[0] ?? {});
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => (r[c] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  return [
    line(columns.map((c) => c.toUpperCase())),
    ...rows.map((r) => line(columns.map((c) => r[c] ?? ""))),
  ].join("\n");
}

function parseTimestamp(value: string): string {
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

async function withServices<T>(work: (services: Services) => Promise<T>): Promise<T> {
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
async function resolveOrganization(
  services: Services,
  requested: string | undefined,
): Promise<string> {
  const organizations = await services.deps.store.read.organizations.list();
  if (requested !== undefined) {
    if (!organizations.some((o) => o.id === requested)) {
      throw new AppError("not_found_error", `organization ${requested} not found`);
    }
    return requested;
  }
  const [only, ...others] = organizations;
  if (only === undefined) {
    throw new AppError(
      "not_found_error",
      "the database has no organization yet: start the server once (npm start), or run steward orgs create",
    );
  }
  if (others.length > 0) {
    throw new AppError(
      "invalid_request_error",
      `the database holds ${organizations.length} organizations; choose one with --org (${organizations.map((o) => o.id).join(", ")})`,
    );
  }
  return only.id;
}

const adminKeyRow = (k: AdminKeyInfo) => ({
  id: k.id,
  name: k.name,
  key: k.partial_key_hint,
  status: k.status,
  created: k.created_at,
  expires: k.expires_at ?? "never",
  last_used: k.last_used_at ?? "never",
});

export function buildCli(): Command {
  const program = new Command("steward")
    .description("Steward operator commands, working directly on DATABASE_URL")
    .showHelpAfterError()
    // Set before the subcommands are added, so that they inherit it: their usage errors must
    // reach runCli (exit code 2) instead of commander's own process.exit(1).
    .exitOverride();

  const adminKeys = program.command("admin-keys").description("Manage admin keys");
  adminKeys
    .command("create")
    .description("Create an admin key; it is printed once")
    .requiredOption("--name <name>", "a name for the key")
    .option("--org <id>", "the organization (required when the database holds several)")
    .option("--expires-at <timestamp>", "when the key stops working (RFC 3339)", parseTimestamp)
    .option(
      "--user <id>",
      "the member the key acts for (default: the first owner); removing them revokes the key",
    )
    .option("--json", "print JSON for scripts")
    .action(
      async (opts: { name: string; org?: string; expiresAt?: string; user?: string } & Output) => {
        const result = await withServices(async (services) => {
          const organizationId = await resolveOrganization(services, opts.org);
          return services.adminKeys.create(operatorContext(organizationId), {
            name: opts.name,
            expiresAt: opts.expiresAt,
            userId: opts.user,
          });
        });
        print(opts, { ...result.adminKey, key: result.key }, () =>
          [
            `Created admin key ${result.adminKey.id} (${result.adminKey.name}) for ${result.adminKey.organization_id}.`,
            "Store it now; it will not be shown again:",
            "",
            `  ${result.key}`,
          ].join("\n"),
        );
      },
    );
  adminKeys
    .command("list")
    .description("List admin keys (hints only; keys are stored hashed)")
    .option("--org <id>", "only this organization's keys")
    .option("--json", "print JSON for scripts")
    .action(async (opts: { org?: string } & Output) => {
      const keys = await withServices((services) => services.adminKeys.list(opts.org));
      print(opts, { data: keys }, () => table(keys.map(adminKeyRow)));
    });
  adminKeys
    .command("revoke")
    .description("Revoke an admin key; it fails from the next request on")
    .argument("<id>", "the admin key's id (adminkey_…)")
    .option("--json", "print JSON for scripts")
    .action(async (id: string, opts: Output) => {
      const key = await withServices((services) =>
        services.adminKeys.revoke(
          {
            actor: { type: "operator", id: null },
            requestId: null,
            clientIp: null,
            userAgent: null,
          },
          id,
        ),
      );
      print(opts, key, () => `Revoked admin key ${key.id} (${key.name}).`);
    });
  adminKeys
    .command("rotate")
    .description(
      "Issue a successor to an admin key (printed once); the old key keeps working for the grace period, then stops",
    )
    .argument("<id>", "the admin key's id (adminkey_…)")
    .option(
      "--grace <duration>",
      "how long the old key keeps working: 24h, 30m, 3600s, 7d, or 0 to stop it at once",
      parseDuration,
      86_400,
    )
    .option(
      "--expires-at <timestamp>",
      "when the new key stops working (RFC 3339; default: the old key's expiry, if any)",
      parseTimestamp,
    )
    .option("--json", "print JSON for scripts")
    .action(async (id: string, opts: { grace: number; expiresAt?: string } & Output) => {
      const result = await withServices((services) =>
        services.adminKeys.rotate(
          {
            actor: { type: "operator", id: null },
            requestId: null,
            clientIp: null,
            userAgent: null,
          },
          id,
          { graceSeconds: opts.grace, expiresAt: opts.expiresAt },
        ),
      );
      const { adminKey, previous } = result;
      print(opts, { ...adminKey, key: result.key, previous }, () =>
        [
          opts.grace === 0
            ? `Rotated admin key ${previous.id} (${previous.name}): it stopped working now.`
            : `Rotated admin key ${previous.id} (${previous.name}): it keeps working until ${previous.expires_at}.`,
          `Its successor is ${adminKey.id}. Store it now; it will not be shown again:`,
          "",
          `  ${result.key}`,
        ].join("\n"),
      );
    });

  const orgs = program.command("orgs").description("Manage organizations in this database");
  orgs
    .command("create")
    .description(
      "Create another organization with its owner, default workspace and first admin key",
    )
    .requiredOption("--name <name>", "the organization's name")
    .requiredOption("--owner-email <email>", "the owner's email")
    .option("--owner-name <name>", "the owner's name", "Owner")
    .option("--json", "print JSON for scripts")
    .action(async (opts: { name: string; ownerEmail: string; ownerName: string } & Output) => {
      const created = await withServices((services) =>
        services.organizations.create(
          { name: opts.name, ownerEmail: opts.ownerEmail, ownerName: opts.ownerName },
          { type: "operator", id: null },
        ),
      );
      print(
        opts,
        {
          organization: created.organization,
          owner_id: created.ownerId,
          default_workspace_id: created.defaultWorkspaceId,
          admin_key_id: created.adminKeyId,
          admin_key: created.adminKey,
        },
        () =>
          [
            `Created organization ${created.organization.id} (${created.organization.name}).`,
            "Its first admin key (shown only this once):",
            "",
            `  ${created.adminKey}`,
          ].join("\n"),
      );
    });
  orgs
    .command("list")
    .description("List organizations")
    .option("--json", "print JSON for scripts")
    .action(async (opts: Output) => {
      const rows = await withServices((services) => services.deps.store.read.organizations.list());
      print(
        opts,
        { data: rows.map((r) => ({ id: r.id, name: r.name, created_at: r.created_at })) },
        () => table(rows.map((r) => ({ id: r.id, name: r.name, created: r.created_at }))),
      );
    });
  const audit = program.command("audit").description("The audit log");
  audit
    .command("verify")
    .description(
      "Check every organization's audit hash chain; name the first record altered, removed or reordered",
    )
    .option("--org <id>", "only this organization's chain")
    .option("--json", "print JSON for scripts")
    .action(async (opts: { org?: string } & Output) => {
      const verdicts = await withServices((services) => services.auditLog.verify(opts.org));
      print(opts, { data: verdicts }, () =>
        verdicts
          .map((v) => {
            const chain = v.organizationId === "" ? "unattributed failures" : v.organizationId;
            return v.ok
              ? `${chain}: intact, ${v.records} records, head ${v.head}`
              : `${chain}: BROKEN at record ${v.chainSeq} (${v.id}): ${v.reason}`;
          })
          .join("\n"),
      );
      const broken = verdicts.filter((v) => !v.ok).length;
      if (broken > 0) {
        throw new ChainBroken(`${broken} audit chain${broken === 1 ? " is" : "s are"} broken`);
      }
    });
  return program;
}

/** The audit chain check ran and found tampering: exit code 3, distinct from a failure to run. */
class ChainBroken extends Error {}

/**
 * Exit codes: 0 success, 1 a failure the message explains, 2 bad usage (commander's own), 3 an
 * audit chain is broken.
 */
export async function runCli(argv: string[]): Promise<number> {
  try {
    await buildCli().parseAsync(argv);
    return 0;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (typeof code === "string" && code.startsWith("commander.")) {
      return code === "commander.helpDisplayed" || code === "commander.version" ? 0 : 2;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`steward: ${message}\n`);
    return error instanceof ChainBroken ? 3 : 1;
  }
}
