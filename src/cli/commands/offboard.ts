import type { Command } from "commander";
import type { Invite } from "../../contract/invites.js";
import type { OffboardResponse } from "../../contract/lifecycle.js";
import { action } from "../context.js";
import { CliError } from "../errors.js";
import { print } from "../output.js";
import { confirm } from "../prompt.js";
import { resolveUser } from "../resolve.js";

const listed = (label: string, items: string[]) =>
  items.length === 0 ? `${label}: none` : `${label} (${items.length}): ${items.join(", ")}`;

function report(heading: string, result: OffboardResponse): string {
  return [
    heading,
    listed("Revoked API keys", result.revoked_api_key_ids),
    listed("Revoked admin keys", result.revoked_admin_key_ids),
    listed(
      "Removed from workspaces",
      result.removed_workspace_memberships.map((m) => `${m.workspace_id} (${m.workspace_role})`),
    ),
    listed("Cancelled invites", result.cancelled_invite_ids),
  ].join("\n");
}

/** `steward offboard USER`: the seed's offboard_developer, in one transaction on the server. */
export function registerOffboard(program: Command): void {
  program
    .command("offboard")
    .description(
      "Offboard a member in one step: revoke every API key they created or hold and their admin keys, remove their workspace memberships and pending invites, and remove them from the organization",
    )
    .argument("<user>", "the member's id (user_…) or email")
    .option("-y, --yes", "do not ask for confirmation (needed when stdin is not a terminal)")
    .option(
      "--dry-run",
      "show exactly what would be revoked and removed, changing nothing (the server rehearses the offboarding and rolls it back)",
    )
    .action(
      action(async (ctx, who: string) => {
        const user = await resolveUser(ctx.admin, who).catch(async (error: unknown) => {
          if (error instanceof CliError && who.includes("@")) {
            const invites = await ctx.admin.invites.list({
              email: who,
              statuses: ["pending"],
            });
            const pending = (invites.data as Invite[])[0];
            if (pending) {
              throw new CliError(
                `${who} has not joined yet: they have a pending invite (${pending.id}); delete it with \`steward invites delete ${pending.id}\``,
              );
            }
          }
          throw error;
        });
        const dryRun = ctx.opts.dryRun === true;
        if (dryRun) {
          const preview = (await ctx.admin.users.previewOffboard(user.id)) as OffboardResponse;
          print(ctx, preview, () =>
            report(
              `Offboarding ${user.email} (${user.id}) would do this; nothing was changed.`,
              preview,
            ),
          );
          return;
        }
        await confirm(
          `Offboard ${user.name} <${user.email}> (${user.id}, ${user.role}): revoke their API keys and admin keys, remove them from their workspaces and the organization?`,
          ctx.opts.yes as boolean | undefined,
        );
        const result = (await ctx.admin.users.offboard(user.id)) as OffboardResponse;
        print(ctx, result, () => report(`Offboarded ${user.email} (${user.id}).`, result));
      }),
    );
}
