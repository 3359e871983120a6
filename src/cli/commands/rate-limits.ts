import type { OrganizationRateLimit, StewardAdmin, WorkspaceRateLimit } from "@steward/sdk";
import type { Command } from "commander";
import { action } from "../context.js";
import { UsageError } from "../errors.js";
import { print, table } from "../output.js";
import { resolveWorkspaceId } from "../resolve.js";

const SHORT: Record<string, string> = {
  requests_per_minute: "rpm",
  input_tokens_per_minute: "input tokens/min",
  output_tokens_per_minute: "output tokens/min",
};

const groupName = (group: WorkspaceRateLimit["group"]) =>
  group.type === "model_group" ? group.display_name : group.type;

const valuesOf = (entry: WorkspaceRateLimit) =>
  entry.limits.map((l) => `${l.value} ${SHORT[l.type] ?? l.type}`).join(", ") || "none";

/** A limit flag's value: a non-negative integer, or `null` to clear it. */
function limitValue(flag: string, text: string | undefined): number | null | undefined {
  if (text === undefined) {
    return undefined;
  }
  if (text === "null") {
    return null;
  }
  if (!/^\d+$/.test(text)) {
    throw new UsageError(`--${flag}: a whole number from 0, or null to clear it: ${text}`);
  }
  return Number(text);
}

/** The organization's entry of the group `--model` or `--group` (an `rlg_…` id or a type) names. */
async function findGroup(
  admin: StewardAdmin,
  opts: { model?: string; group?: string },
): Promise<OrganizationRateLimit> {
  if ((opts.model === undefined) === (opts.group === undefined)) {
    throw new UsageError("name the group with either --model or --group");
  }
  const { data } = await admin.rateLimits.list(
    opts.model === undefined ? {} : { model: opts.model },
  );
  const found =
    opts.model !== undefined
      ? data[0]
      : data.find((e) => e.group.id === opts.group || e.group.type === opts.group);
  if (found === undefined) {
    throw new UsageError(`no rate-limit group ${opts.model ?? opts.group}`);
  }
  return found;
}

/** `steward workspaces rate-limits` and `steward workspaces set-rate-limits`. */
export function registerWorkspaceRateLimits(workspaces: Command): void {
  workspaces
    .command("rate-limits")
    .description("A workspace's requests and tokens per minute, per rate-limit group")
    .argument("<workspace>", "the workspace's id (wrkspc_…) or name")
    .option("--all", "every group, those without limits too")
    .action(
      action(async (ctx, which: string) => {
        const id = await resolveWorkspaceId(ctx.admin, which);
        const page = await ctx.admin.workspaces.rateLimits.list(id, {
          ...(ctx.opts.all === true && { include_inherited: "true" as const }),
        });
        print(ctx, page, () =>
          table(page.data, [
            { header: "group", value: (e) => groupName(e.group) },
            { header: "limits", value: valuesOf },
            { header: "rate_limit_id", value: (e) => e.rate_limit_id },
          ]),
        );
      }),
    );

  workspaces
    .command("set-rate-limits")
    .description("Set or clear (null) a workspace's limits in one rate-limit group")
    .argument("<workspace>", "the workspace's id (wrkspc_…) or name")
    .option("--model <model>", "the group of this model (claude-sonnet-4-5, …)")
    .option("--group <group>", "a group by id (rlg_…) or type (token_count, batch, files, …)")
    .option("--requests-per-minute <n>", "requests a minute, or null to clear")
    .option("--input-tokens-per-minute <n>", "input tokens a minute, or null to clear")
    .option("--output-tokens-per-minute <n>", "output tokens a minute, or null to clear")
    .action(
      action(async (ctx, which: string) => {
        const opts = ctx.opts as Record<string, string | undefined>;
        const limits = (
          [
            ["requests_per_minute", "requests-per-minute", opts.requestsPerMinute],
            ["input_tokens_per_minute", "input-tokens-per-minute", opts.inputTokensPerMinute],
            ["output_tokens_per_minute", "output-tokens-per-minute", opts.outputTokensPerMinute],
          ] as const
        ).flatMap(([type, flag, text]) => {
          const value = limitValue(flag, text);
          return value === undefined ? [] : [{ type, value }];
        });
        if (limits.length === 0) {
          throw new UsageError(
            "nothing to change: give at least one of --requests-per-minute, --input-tokens-per-minute, --output-tokens-per-minute",
          );
        }
        const group = await findGroup(ctx.admin, opts);
        const id = await resolveWorkspaceId(ctx.admin, which);
        const updated = await ctx.admin.workspaces.rateLimits.update(id, group.id, { limits });
        print(ctx, updated, () => `${groupName(updated.group)} in ${id}: ${valuesOf(updated)}`);
      }),
    );
}
