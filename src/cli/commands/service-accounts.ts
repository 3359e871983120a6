import type {
  WorkspaceServiceAccountUpdateParams as SdkRoleParams,
  ServiceAccountCreateParams as SdkServiceAccountCreateParams,
} from "@steward/sdk";
import type { Command } from "commander";
import {
  type ServiceAccount,
  ServiceAccountCreateParams,
  ServiceAccountUpdateParams,
  type ServiceAccountWorkspaceMember,
  WorkspaceServiceAccountUpdateParams,
} from "../../contract/service-accounts.js";
import { AssignableWorkspaceRole } from "../../contract/workspaces.js";
import { action } from "../context.js";
import { addSchemaFlags, bodyOf, requireSome } from "../flags.js";
import { addLimitFlag, collect, pageSize, printList } from "../lists.js";
import { formatTime, print } from "../output.js";
import { confirm } from "../prompt.js";
import { resolveServiceAccountId, resolveWorkspaceId } from "../resolve.js";

const status = (a: ServiceAccount) => (a.archived_at === null ? "active" : "archived");

function describeAccount(a: ServiceAccount): string {
  return [
    `${a.name} (${a.id}), ${status(a)}, organization role ${a.organization_role}`,
    ...(a.description ? [`  ${a.description}`] : []),
  ].join("\n");
}

const ACCOUNT = "the service account's id (svac_…) or name";
const WORKSPACE = "the workspace's id (wrkspc_…) or name";

/**
 * `steward service-accounts list|create|show|update|archive|workspaces|add|set-role|remove`:
 * identities that API keys can belong to instead of a person (`steward keys create
 * --service-account-id`).
 */
export function registerServiceAccounts(program: Command): void {
  const accounts = program
    .command("service-accounts")
    .description("Service accounts: identities that API keys can belong to instead of a person");

  addLimitFlag(
    accounts
      .command("list")
      .description("List service accounts, newest first")
      .option("--include-archived", "archived ones too"),
  ).action(
    action(async (ctx) => {
      const limit = ctx.opts.limit as number | undefined;
      const found = await collect<ServiceAccount>(
        ctx.admin.serviceAccounts.list({
          limit: pageSize(limit),
          ...(ctx.opts.includeArchived === true && { include_archived: true }),
        }),
        limit,
      );
      printList(ctx, found, [
        { header: "id", value: (a) => a.id },
        { header: "name", value: (a) => a.name },
        { header: "role", value: (a) => a.organization_role },
        { header: "status", value: status },
        { header: "created", value: (a) => formatTime(a.created_at) },
      ]);
    }),
  );

  const create = accounts.command("create").description("Create a service account");
  const createFlags = addSchemaFlags(create, ServiceAccountCreateParams, {
    describe: {
      name: "a slug: lowercase letters, digits and hyphens (unique in the organization)",
      description: "what it is for",
      organization_role: "developer (the default) or admin",
    },
  });
  create.action(
    action(async (ctx) => {
      const body = bodyOf<SdkServiceAccountCreateParams>(createFlags, ctx.opts);
      const created = (await ctx.admin.serviceAccounts.create(body)) as ServiceAccount;
      print(ctx, created, () => `Created service account ${describeAccount(created)}`);
    }),
  );

  accounts
    .command("show")
    .description("Show a service account")
    .argument("<account>", ACCOUNT)
    .action(
      action(async (ctx, which: string) => {
        const id = await resolveServiceAccountId(ctx.admin, which);
        const account = (await ctx.admin.serviceAccounts.retrieve(id)) as ServiceAccount;
        print(ctx, account, () => describeAccount(account));
      }),
    );

  const update = accounts
    .command("update")
    .description("Change a service account's description or organization role")
    .argument("<account>", ACCOUNT);
  const updateFlags = addSchemaFlags(update, ServiceAccountUpdateParams, {
    describe: {
      description: "what it is for (null clears it)",
      organization_role: "developer or admin",
    },
    nullClears: true,
  });
  update.action(
    action(async (ctx, which: string) => {
      const body = requireSome(updateFlags, bodyOf(updateFlags, ctx.opts));
      const id = await resolveServiceAccountId(ctx.admin, which);
      const updated = (await ctx.admin.serviceAccounts.update(id, body)) as ServiceAccount;
      print(ctx, updated, () => `Updated service account ${describeAccount(updated)}`);
    }),
  );

  accounts
    .command("archive")
    .description("Archive a service account: every API key it holds is revoked (permanent)")
    .argument("<account>", ACCOUNT)
    .option("-y, --yes", "do not ask for confirmation")
    .action(
      action(async (ctx, which: string) => {
        const id = await resolveServiceAccountId(ctx.admin, which);
        await confirm(
          `Archive service account ${which === id ? id : `${which} (${id})`} and revoke its API keys?`,
          ctx.opts.yes as boolean | undefined,
        );
        const archived = (await ctx.admin.serviceAccounts.archive(id)) as ServiceAccount;
        print(ctx, archived, () => `Archived service account ${archived.name} (${archived.id}).`);
      }),
    );

  addLimitFlag(
    accounts
      .command("workspaces")
      .description("List the workspaces a service account belongs to")
      .argument("<account>", ACCOUNT),
  ).action(
    action(async (ctx, which: string) => {
      const limit = ctx.opts.limit as number | undefined;
      const id = await resolveServiceAccountId(ctx.admin, which);
      const found = await collect<ServiceAccountWorkspaceMember>(
        ctx.admin.serviceAccounts.workspaces.list(id, { limit: pageSize(limit) }),
        limit,
      );
      printList(ctx, found, [
        { header: "workspace", value: (m) => m.workspace_id },
        { header: "workspace role", value: (m) => m.workspace_role },
        { header: "membership", value: (m) => (m.implicit ? "implicit (default)" : "explicit") },
      ]);
    }),
  );

  for (const [verb, text] of [
    ["add", "Add a service account to a workspace (or replace its role there)"],
    ["set-role", "Change a service account's role in a workspace"],
  ] as const) {
    const command = accounts
      .command(verb)
      .description(text)
      .argument("<account>", ACCOUNT)
      .argument("<workspace>", WORKSPACE);
    // Only the roles that can be given (the API refuses workspace_billing).
    const roleParams = WorkspaceServiceAccountUpdateParams.extend({
      workspace_role: AssignableWorkspaceRole,
    });
    const flags = addSchemaFlags(command, roleParams, {
      describe: { workspace_role: "its role in the workspace" },
    });
    command.action(
      action(async (ctx, which: string, where: string) => {
        const { workspace_role } = bodyOf<SdkRoleParams>(flags, ctx.opts);
        const id = await resolveServiceAccountId(ctx.admin, which);
        const workspaceId = await resolveWorkspaceId(ctx.admin, where);
        const member = (
          verb === "add"
            ? await ctx.admin.serviceAccounts.workspaces.add(id, {
                workspace_id: workspaceId,
                workspace_role,
              })
            : await ctx.admin.workspaces.serviceAccounts.update(workspaceId, id, {
                workspace_role,
              })
        ) as ServiceAccountWorkspaceMember;
        print(ctx, member, () => `${which} is ${member.workspace_role} in ${where}.`);
      }),
    );
  }

  accounts
    .command("remove")
    .description("Remove a service account from a workspace (its keys there keep working)")
    .argument("<account>", ACCOUNT)
    .argument("<workspace>", WORKSPACE)
    .action(
      action(async (ctx, which: string, where: string) => {
        const id = await resolveServiceAccountId(ctx.admin, which);
        const workspaceId = await resolveWorkspaceId(ctx.admin, where);
        const removed = await ctx.admin.serviceAccounts.workspaces.remove(id, workspaceId);
        print(ctx, removed, () => `Removed ${which} from ${where}.`);
      }),
    );
}
