import { randomUUID } from "node:crypto";
import type { UserOnboardParams } from "@steward/sdk";
import type { Command } from "commander";
import { OnboardParams, type OnboardResponse } from "../../contract/lifecycle.js";
import { AssignableWorkspaceRole } from "../../contract/workspaces.js";
import { action, type Ctx } from "../context.js";
import { DURATION_EXAMPLES, durationFlag } from "../durations.js";
import { UsageError } from "../errors.js";
import { addSchemaFlags, bodyFromFlags, checkBody, type FlagSet } from "../flags.js";
import { parsePositiveInt } from "../lists.js";
import { type BulkOptions, onboardCsv } from "../onboard/bulk.js";
import { formatTime, print } from "../output.js";
import { resolveWorkspaceId } from "../resolve.js";

interface SingleOptions {
  csv?: string;
  workspace?: string;
  workspaceRole?: string;
}

/** One person, from flags: `steward onboard --email … --role … [--workspace W --workspace-role R]`. */
async function onboardOne(ctx: Ctx, flags: FlagSet): Promise<void> {
  const o = ctx.opts as SingleOptions & Record<string, unknown>;
  const body = bodyFromFlags(flags, o);
  if (body.email === undefined || body.role === undefined) {
    throw new UsageError("give --csv FILE, or --email and --role for one person");
  }
  if ((o.workspace === undefined) !== (o.workspaceRole === undefined)) {
    throw new UsageError("--workspace and --workspace-role go together");
  }
  if (o.workspace !== undefined && body.workspaces === undefined) {
    body.workspaces = [
      {
        workspace_id: await resolveWorkspaceId(ctx.admin, o.workspace),
        workspace_role: o.workspaceRole,
      },
    ];
  }
  const apiKey = body.api_key as { workspace_id?: string } | undefined;
  if (apiKey?.workspace_id !== undefined) {
    apiKey.workspace_id = await resolveWorkspaceId(ctx.admin, apiKey.workspace_id);
  }
  checkBody(flags, OnboardParams, body);
  // Checked against the contract just above.
  const onboarded = (await ctx.admin.users.onboard(body as UserOnboardParams, {
    idempotencyKey: randomUUID(),
  })) as OnboardResponse;
  const { invite, api_key: key } = onboarded;
  print(ctx, onboarded, () =>
    [
      `Invited ${invite.email} as ${invite.role} (${invite.id}); the invite expires ${formatTime(invite.expires_at)}.`,
      ...onboarded.workspace_memberships.map(
        (m) => `On accepting, they join ${m.workspace_id} as ${m.workspace_role}.`,
      ),
      "Their acceptance token (shown only this once; POST /v1/invites/accept):",
      "",
      `  ${invite.token}`,
      ...(key
        ? [
            "",
            `Their API key ${key.id} (${key.name}), in ${key.workspace_id}; store it now, it will not be shown again:`,
            "",
            `  ${key.key}`,
          ]
        : []),
    ].join("\n"),
  );
}

/** `steward onboard`: one person from flags, or many from a CSV file. */
export function registerOnboard(program: Command): void {
  const onboard = program
    .command("onboard")
    .description(
      "Onboard people in one step each: invite, workspace memberships (on acceptance) and an API key. Many at once with --csv (resumable), or one with --email and --role",
    )
    .option(
      "--csv <file>",
      "a CSV file with a header row: email, name, role, workspace (name or id), workspace role, api key (yes/no)",
    )
    .option(
      "--api-keys",
      'issue an API key to every row whose api key column is empty or missing (named "<name> - <workspace>")',
    )
    .option(
      "--key-expires-in <duration>",
      `with --csv: the issued keys expire after this long: ${DURATION_EXAMPLES}, 365d, …`,
      durationFlag({ unit: "s" }),
    )
    .option(
      "--keys-file <file>",
      "with --csv: where the secrets go (default: <csv>.steward-keys.jsonl, mode 600)",
    )
    .option(
      "--journal <file>",
      "with --csv: the resume journal (default: <csv>.steward-onboard.jsonl)",
    )
    .option("--concurrency <n>", "with --csv: requests in flight at once", parsePositiveInt, 4)
    .option(
      "--show-keys",
      "also print invite tokens and API keys (they always go to the keys file)",
    )
    .option("--dry-run", "with --csv: check every row and show what would be sent; send nothing")
    .option("--workspace <workspace>", "the workspace (name or id) they join on accepting")
    .option(
      "--workspace-role <role>",
      `their role there: ${AssignableWorkspaceRole.options.join(", ")}`,
    );
  const flags = addSchemaFlags(onboard, OnboardParams, {
    optional: ["email", "role", "api_key.name"],
    describe: {
      email: "one person: their email address",
      role: "one person: their role in the organization",
      workspaces: "the workspaces they join, as JSON (or use --workspace and --workspace-role)",
      "api_key.name": "issue them an API key with this name",
      "api_key.workspace_id": "the key's workspace (name or id; default: the default workspace)",
    },
  });
  onboard.action(
    action(async (ctx) => {
      const o = ctx.opts as Partial<BulkOptions> & Record<string, unknown>;
      if (o.csv === undefined) {
        return onboardOne(ctx, flags);
      }
      const single = flags.flags.filter((f) => ctx.opts[f.attribute] !== undefined);
      if (single.length > 0 || o.workspace !== undefined) {
        throw new UsageError(
          `--csv takes everything from the file; drop ${[...single.map((f) => f.flag), ...(o.workspace !== undefined ? ["--workspace"] : [])].join(", ")}`,
        );
      }
      return onboardCsv(ctx, {
        csv: o.csv,
        concurrency: o.concurrency ?? 4,
        ...(o.keysFile !== undefined && { keysFile: o.keysFile }),
        ...(o.journal !== undefined && { journal: o.journal }),
        ...(o.apiKeys !== undefined && { apiKeys: o.apiKeys }),
        ...(o.keyExpiresIn !== undefined && { keyExpiresIn: o.keyExpiresIn }),
        ...(o.showKeys !== undefined && { showKeys: o.showKeys }),
        ...(o.dryRun !== undefined && { dryRun: o.dryRun }),
      });
    }),
  );
}
