import type { Command } from "commander";
import { action } from "../context.js";
import { withServices } from "../operator.js";
import { print, recordTable } from "../output.js";

/** `steward orgs …`: organizations in this database (operator: works on DATABASE_URL). */
export function registerOrgs(program: Command): void {
  const orgs = program
    .command("orgs")
    .description("Manage organizations in this database (operator: works on DATABASE_URL)");
  orgs
    .command("create")
    .description(
      "Create another organization with its owner, default workspace and first admin key",
    )
    .requiredOption("--name <name>", "the organization's name")
    .requiredOption("--owner-email <email>", "the owner's email")
    .option("--owner-name <name>", "the owner's name", "Owner")
    .action(
      action(async (ctx) => {
        const opts = ctx.opts as { name: string; ownerEmail: string; ownerName: string };
        const created = await withServices((services) =>
          services.organizations.create(
            { name: opts.name, ownerEmail: opts.ownerEmail, ownerName: opts.ownerName },
            { type: "operator", id: null },
          ),
        );
        print(
          ctx,
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
      }),
    );
  orgs
    .command("list")
    .description("List organizations")
    .action(
      action(async (ctx) => {
        const rows = await withServices((_services, { wiring }) =>
          wiring.store.read.organizations.list(),
        );
        print(
          ctx,
          { data: rows.map((r) => ({ id: r.id, name: r.name, created_at: r.created_at })) },
          () => recordTable(rows.map((r) => ({ id: r.id, name: r.name, created: r.created_at }))),
        );
      }),
    );
}
