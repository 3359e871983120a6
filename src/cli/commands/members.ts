import type {
  WorkspaceMemberCreateParams as SdkWorkspaceMemberCreateParams,
  WorkspaceMemberUpdateParams as SdkWorkspaceMemberUpdateParams,
} from "@steward/sdk";
import type { Command } from "commander";
import {
  AssignableWorkspaceRole,
  type WorkspaceMember,
  WorkspaceMemberAddParams,
  WorkspaceMemberUpdateParams,
} from "../../contract/workspaces.js";
import { action } from "../context.js";
import { addSchemaFlags, bodyOf } from "../flags.js";
import { addLimitFlag, collect, pageSize, printList } from "../lists.js";
import { print } from "../output.js";
import { resolveUser, resolveWorkspaceId } from "../resolve.js";

/** `steward members add|list|set-role|remove`: workspace members. */
export function registerMembers(program: Command): void {
  const members = program.command("members").description("Members of a workspace");

  addLimitFlag(
    members
      .command("list")
      .description("List a workspace's members")
      .argument("<workspace>", "the workspace's id (wrkspc_…) or name"),
  ).action(
    action(async (ctx, which: string) => {
      const limit = ctx.opts.limit as number | undefined;
      const id = await resolveWorkspaceId(ctx.admin, which);
      const found = await collect<WorkspaceMember>(
        ctx.admin.workspaces.members.list(id, { limit: pageSize(limit) }),
        limit,
      );
      printList(ctx, found, [
        { header: "user", value: (m) => m.user_id },
        { header: "workspace role", value: (m) => m.workspace_role },
      ]);
    }),
  );

  const add = members
    .command("add")
    .description("Add a member of the organization to a workspace")
    .argument("<workspace>", "the workspace's id (wrkspc_…) or name")
    .argument("<user>", "the member's id (user_…) or email");
  // The flags offer only the roles that can be given (the API refuses workspace_billing).
  const assignable = { workspace_role: AssignableWorkspaceRole };
  const addFlags = addSchemaFlags(add, WorkspaceMemberAddParams.extend(assignable), {
    omit: ["user_id"],
    describe: { workspace_role: "their role in the workspace" },
  });
  add.action(
    action(async (ctx, which: string, who: string) => {
      const body = bodyOf<Omit<SdkWorkspaceMemberCreateParams, "user_id">>(addFlags, ctx.opts);
      const id = await resolveWorkspaceId(ctx.admin, which);
      const user = await resolveUser(ctx.admin, who);
      const added = (await ctx.admin.workspaces.members.create(id, {
        ...body,
        user_id: user.id,
      })) as WorkspaceMember;
      print(ctx, added, () => `Added ${user.email} to ${which} as ${added.workspace_role}.`);
    }),
  );

  const setRole = members
    .command("set-role")
    .description("Change a member's role in a workspace")
    .argument("<workspace>", "the workspace's id (wrkspc_…) or name")
    .argument("<user>", "the member's id (user_…) or email");
  const setRoleFlags = addSchemaFlags(setRole, WorkspaceMemberUpdateParams.extend(assignable), {
    describe: { workspace_role: "their new role in the workspace" },
  });
  setRole.action(
    action(async (ctx, which: string, who: string) => {
      const body = bodyOf<SdkWorkspaceMemberUpdateParams>(setRoleFlags, ctx.opts);
      const id = await resolveWorkspaceId(ctx.admin, which);
      const user = await resolveUser(ctx.admin, who);
      const updated = (await ctx.admin.workspaces.members.update(
        id,
        user.id,
        body,
      )) as WorkspaceMember;
      print(ctx, updated, () => `${user.email} is now ${updated.workspace_role} in ${which}.`);
    }),
  );

  members
    .command("remove")
    .description("Remove a member from a workspace (they stay in the organization)")
    .argument("<workspace>", "the workspace's id (wrkspc_…) or name")
    .argument("<user>", "the member's id (user_…) or email")
    .action(
      action(async (ctx, which: string, who: string) => {
        const id = await resolveWorkspaceId(ctx.admin, which);
        const user = await resolveUser(ctx.admin, who);
        const removed = await ctx.admin.workspaces.members.delete(id, user.id);
        print(ctx, removed, () => `Removed ${user.email} from ${which}.`);
      }),
    );
}
