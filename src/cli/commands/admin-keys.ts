import { type Command, Option } from "commander";
import type { AdminKeyInfo } from "../../core/admin-keys/admin-key.service.js";
import { action } from "../context.js";
import { DURATION_EXAMPLES, durationFlag } from "../durations.js";
import { operatorActor, parseTimestamp, resolveOrganization, withServices } from "../operator.js";
import { print, recordTable } from "../output.js";

const adminKeyRow = (k: AdminKeyInfo) => ({
  id: k.id,
  name: k.name,
  key: k.partial_key_hint,
  status: k.status,
  // An organization-level key (no holder) acts with an owner's powers; a member's, with theirs.
  acts_as:
    k.scope === "organization" ? "organization" : `${k.user_id} (${k.holder_role ?? "removed"})`,
  created: k.created_at,
  expires: k.expires_at ?? "never",
  last_used: k.last_used_at ?? "never",
});

/** `steward admin-keys …`: the operator's admin key commands, on DATABASE_URL. */
export function registerAdminKeys(program: Command): void {
  const adminKeys = program
    .command("admin-keys")
    .description("Manage admin keys (operator: works on DATABASE_URL)");
  adminKeys
    .command("create")
    .description("Create an admin key; it is printed once")
    .requiredOption("--name <name>", "a name for the key")
    .option("--org <id>", "the organization (required when the database holds several)")
    .option("--expires-at <timestamp>", "when the key stops working (RFC 3339)", parseTimestamp)
    .option(
      "--user <id>",
      "the member (an admin or owner) the key acts for, with their current role; without it the key is organization-level",
    )
    .action(
      action(async (ctx) => {
        const opts = ctx.opts as { name: string; org?: string; expiresAt?: string; user?: string };
        const result = await withServices(async (services, { wiring }) => {
          const organizationId = await resolveOrganization(wiring, opts.org);
          return services.adminKeys.create(
            { organizationId, ...operatorActor },
            { name: opts.name, expiresAt: opts.expiresAt, userId: opts.user },
          );
        });
        print(ctx, { ...result.adminKey, key: result.key }, () =>
          [
            `Created admin key ${result.adminKey.id} (${result.adminKey.name}) for ${result.adminKey.organization_id}.`,
            "Store it now; it will not be shown again:",
            "",
            `  ${result.key}`,
          ].join("\n"),
        );
      }),
    );
  adminKeys
    .command("list")
    .description("List admin keys (hints only; keys are stored hashed)")
    .option("--org <id>", "only this organization's keys")
    .action(
      action(async (ctx) => {
        const org = ctx.opts.org as string | undefined;
        const keys = await withServices((services) => services.adminKeys.list(org));
        print(ctx, { data: keys }, () => recordTable(keys.map(adminKeyRow)));
      }),
    );
  adminKeys
    .command("revoke")
    .description("Revoke an admin key; it fails from the next request on")
    .argument("<id>", "the admin key's id (adminkey_…)")
    .action(
      action(async (ctx, id: string) => {
        const key = await withServices((services) => services.adminKeys.revoke(operatorActor, id));
        print(ctx, key, () => `Revoked admin key ${key.id} (${key.name}).`);
      }),
    );
  adminKeys
    .command("rotate")
    .description(
      "Issue a successor to an admin key (printed once); the old key keeps working for the grace period, then stops",
    )
    .argument("<id>", "the admin key's id (adminkey_…)")
    .addOption(
      new Option(
        "--grace <duration>",
        `how long the old key keeps working: ${DURATION_EXAMPLES}, or 0 to stop it at once`,
      )
        .argParser(durationFlag({ unit: "s", allowZero: true }))
        .default(86_400, "24h"),
    )
    .option(
      "--expires-at <timestamp>",
      "when the new key stops working (RFC 3339; default: the old key's expiry, if any)",
      parseTimestamp,
    )
    .action(
      action(async (ctx, id: string) => {
        const opts = ctx.opts as { grace: number; expiresAt?: string };
        const result = await withServices((services) =>
          services.adminKeys.rotate(operatorActor, id, {
            graceSeconds: opts.grace,
            expiresAt: opts.expiresAt,
          }),
        );
        const { adminKey, previous } = result;
        print(ctx, { ...adminKey, key: result.key, previous }, () =>
          [
            opts.grace === 0
              ? `Rotated admin key ${previous.id} (${previous.name}): it stopped working now.`
              : `Rotated admin key ${previous.id} (${previous.name}): it keeps working until ${previous.expires_at}.`,
            `Its successor is ${adminKey.id}. Store it now; it will not be shown again:`,
            "",
            `  ${result.key}`,
          ].join("\n"),
        );
      }),
    );
}
