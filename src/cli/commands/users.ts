import type {
  InviteCreateParams as SdkInviteCreateParams,
  UserUpdateParams as SdkUserUpdateParams,
} from "@steward/sdk";
import { Argument, type Command } from "commander";
import type { Invite } from "../../contract/invites.js";
import { InviteCreateParams } from "../../contract/invites.js";
import { type User, UserListQuery, UserUpdateParams } from "../../contract/users.js";
import { action } from "../context.js";
import { addSchemaFlags, bodyOf } from "../flags.js";
import { addLimitFlag, collect, pageSize, printList } from "../lists.js";
import { formatTime, print } from "../output.js";
import { confirm } from "../prompt.js";
import { resolveUser } from "../resolve.js";

export const userColumns = [
  { header: "id", value: (u: User) => u.id },
  { header: "email", value: (u: User) => u.email },
  { header: "name", value: (u: User) => u.name },
  { header: "role", value: (u: User) => u.role },
  { header: "added", value: (u: User) => formatTime(u.added_at) },
  { header: "last active", value: (u: User) => formatTime(u.last_active_at) },
];

/** `steward users list|invite|set-role|remove`. */
export function registerUsers(program: Command): void {
  const users = program.command("users").description("Members of the organization");

  const list = users.command("list").description("List members");
  const listFlags = addSchemaFlags(list, UserListQuery, {
    omit: ["limit", "after_id", "before_id"],
  });
  addLimitFlag(list).action(
    action(async (ctx) => {
      const limit = ctx.opts.limit as number | undefined;
      const params = { ...bodyOf(listFlags, ctx.opts), limit: pageSize(limit) };
      const found = await collect<User>(ctx.admin.users.list(params), limit);
      printList(ctx, found, userColumns);
    }),
  );

  const invite = users
    .command("invite")
    .description(
      "Invite someone to the organization; prints the one-time acceptance token (also emailed when Steward has SMTP)",
    );
  const inviteFlags = addSchemaFlags(invite, InviteCreateParams, {
    omit: ["rbac_group_ids"],
    describe: { email: "their email address", role: "their role in the organization" },
  });
  invite.action(
    action(async (ctx) => {
      const body = bodyOf<SdkInviteCreateParams>(inviteFlags, ctx.opts);
      const created = (await ctx.admin.invites.create(body)) as Invite & {
        token: string;
      };
      print(ctx, created, () =>
        [
          `Invited ${created.email} as ${created.role} (${created.id}); the invite expires ${formatTime(created.expires_at)}.`,
          "Their acceptance token (shown only this once; POST /v1/invites/accept):",
          "",
          `  ${created.token}`,
        ].join("\n"),
      );
    }),
  );

  users
    .command("set-role")
    .description("Change a member's organization role")
    .argument("<user>", "the member's id (user_…) or email")
    .addArgument(
      new Argument("<role>", "the new role").choices(UserUpdateParams.shape.role.unwrap().options),
    )
    .action(
      action(async (ctx, who: string, role: string) => {
        const user = await resolveUser(ctx.admin, who);
        // commander has held `role` to the contract's choices.
        const updated = (await ctx.admin.users.update(user.id, {
          role: role as SdkUserUpdateParams["role"],
        })) as User;
        print(ctx, updated, () => `${updated.email} (${updated.id}) is now ${updated.role}.`);
      }),
    );

  users
    .command("remove")
    .description(
      "Remove a member: revokes every API key they created or hold and their admin keys, drops their workspace memberships",
    )
    .argument("<user>", "the member's id (user_…) or email")
    .option("-y, --yes", "do not ask for confirmation")
    .action(
      action(async (ctx, who: string) => {
        const user = await resolveUser(ctx.admin, who);
        await confirm(
          `Remove ${user.email} (${user.id}, ${user.role}) and revoke their keys?`,
          ctx.opts.yes as boolean | undefined,
        );
        const removed = (await ctx.admin.users.delete(user.id)) as {
          id: string;
          revoked_api_key_ids: string[];
        };
        print(ctx, removed, () =>
          [
            `Removed ${user.email} (${user.id}).`,
            removed.revoked_api_key_ids.length === 0
              ? "No API keys to revoke."
              : `Revoked API keys: ${removed.revoked_api_key_ids.join(", ")}`,
          ].join("\n"),
        );
      }),
    );
}
