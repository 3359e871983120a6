import type { Command } from "commander";
import { OrganizationUpdateParams } from "../../contract/organizations.js";
import { action } from "../context.js";
import { addSchemaFlags, bodyOf, requireSome } from "../flags.js";
import { formatTime, formatUsd, print } from "../output.js";

interface Organization {
  id: string;
  name: string;
  created_at: string;
  billing: { plan: string; usage_limit_usd: number | null; current_month_usage_usd: number };
  settings: { default_model: string | null; require_mfa: boolean; allowed_ip_ranges: string[] };
}

function describeOrganization(org: Organization): string {
  const rows: [string, string][] = [
    ["id", org.id],
    ["name", org.name],
    ["created", formatTime(org.created_at)],
    ["plan", org.billing.plan],
    ["this month (UTC)", formatUsd(org.billing.current_month_usage_usd)],
    [
      "usage limit",
      org.billing.usage_limit_usd === null ? "none" : formatUsd(org.billing.usage_limit_usd),
    ],
    ["default model", org.settings.default_model ?? "none"],
    ["require MFA", org.settings.require_mfa ? "yes" : "no"],
    [
      "allowed IP ranges",
      org.settings.allowed_ip_ranges.length === 0
        ? "any"
        : org.settings.allowed_ip_ranges.join(", "),
    ],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${`${k}:`.padEnd(width + 2)}${v}`).join("\n");
}

/** `steward org show|update`: the organization of the admin key. */
export function registerOrg(program: Command): void {
  const org = program.command("org").description("The organization of the admin key");
  org
    .command("show")
    .description("Show the organization: name, this month's spend, limit and settings")
    .action(
      action(async (ctx) => {
        const organization = (await ctx.admin.organization.retrieve()) as Organization;
        print(ctx, organization, () => describeOrganization(organization));
      }),
    );
  const update = org
    .command("update")
    .description("Change the organization's name, settings or monthly usage limit");
  const flags = addSchemaFlags(update, OrganizationUpdateParams, {
    nullClears: true,
    describe: {
      name: "the organization's name",
      "settings.default_model": "the organization's default model",
      "settings.require_mfa": "whether members need MFA",
      "settings.allowed_ip_ranges":
        "the CIDRs the gateway accepts requests from (replaces the list; empty for any)",
      "billing.usage_limit_usd": "the organization's monthly usage limit in USD",
    },
  });
  update.action(
    action(async (ctx) => {
      const body = requireSome(flags, bodyOf(flags, ctx.opts));
      const organization = (await ctx.admin.organization.update(body)) as Organization;
      print(ctx, organization, () => `Updated.\n${describeOrganization(organization)}`);
    }),
  );
}
