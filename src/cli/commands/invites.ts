import type { Command } from "commander";
import { type Invite, InviteListQuery } from "../../contract/invites.js";
import { action } from "../context.js";
import { addSchemaFlags, bodyOf } from "../flags.js";
import { addLimitFlag, collect, pageSize, printList } from "../lists.js";
import { formatTime, print } from "../output.js";
import { resolveInviteId } from "../resolve.js";

/** `steward invites list|delete` (`users invite` creates them). */
export function registerInvites(program: Command): void {
  const invites = program
    .command("invites")
    .description("Invitations (create one with `steward users invite`)");

  const list = invites.command("list").description("List invites");
  const listFlags = addSchemaFlags(list, InviteListQuery, {
    omit: ["limit", "after_id", "before_id"],
  });
  addLimitFlag(list).action(
    action(async (ctx) => {
      const limit = ctx.opts.limit as number | undefined;
      const params = { ...bodyOf(listFlags, ctx.opts), limit: pageSize(limit) };
      const found = await collect<Invite>(ctx.admin.invites.list(params), limit);
      printList(ctx, found, [
        { header: "id", value: (i) => i.id },
        { header: "email", value: (i) => i.email },
        { header: "role", value: (i) => i.role },
        { header: "status", value: (i) => i.status },
        { header: "invited", value: (i) => formatTime(i.invited_at) },
        { header: "expires", value: (i) => formatTime(i.expires_at) },
      ]);
    }),
  );

  invites
    .command("delete")
    .description(
      "Delete a pending or expired invite (revokes the API key issued with it by onboarding)",
    )
    .argument("<invite>", "the invite's id (invite_…) or the email it was sent to")
    .action(
      action(async (ctx, which: string) => {
        const id = await resolveInviteId(ctx.admin, which);
        const deleted = await ctx.admin.invites.delete(id);
        print(ctx, deleted, () => `Deleted invite ${id}.`);
      }),
    );
}
