import type { WorkspaceCreateParams as SdkWorkspaceCreateParams } from "@steward/sdk";
import type { Command } from "commander";
import {
  type Workspace,
  WorkspaceCreateParams,
  WorkspaceListQuery,
  WorkspaceUpdateParams,
} from "../../contract/workspaces.js";
import { action } from "../context.js";
import { addSchemaFlags, bodyOf, requireSome } from "../flags.js";
import { addLimitFlag, collect, pageSize, printList } from "../lists.js";
import { formatTime, formatUsd, print } from "../output.js";
import { confirm } from "../prompt.js";
import { resolveWorkspaceId } from "../resolve.js";
import { registerWorkspaceRateLimits } from "./rate-limits.js";

const limits = (w: Workspace) =>
  [
    w.usage_limits.monthly_spend_usd === null
      ? null
      : `${formatUsd(w.usage_limits.monthly_spend_usd)}/month`,
    w.usage_limits.requests_per_minute === null
      ? null
      : `${w.usage_limits.requests_per_minute} rpm`,
  ]
    .filter((x) => x !== null)
    .join(", ") || "none";

const FLAG_TEXT = {
  name: "the workspace's name (1 to 40 characters)",
  display_color: "its color in the console, such as #6C5BB9 (picked from a palette when omitted)",
  "data_residency.workspace_geo": "where the workspace's data is kept",
  "data_residency.allowed_inference_geos": "where its requests may run",
  "data_residency.default_inference_geo": "where its requests run unless they say",
  tags: "a tag",
  "usage_limits.monthly_spend_usd": "the most it may spend a calendar month (UTC), in USD",
  "usage_limits.requests_per_minute": "the most requests a minute through the gateway",
};

const status = (w: Workspace) =>
  w.archived_at !== null ? "archived" : w.is_default ? "default" : "active";

function describeWorkspace(w: Workspace): string {
  const tags = Object.entries(w.tags)
    .map(([k, v]) => `${k}=${v}`)
    .join(", ");
  return [
    `${w.name} (${w.id}), ${status(w)}`,
    `  limits: ${limits(w)}`,
    `  color: ${w.display_color}`,
    `  inference geos: ${JSON.stringify(w.data_residency.allowed_inference_geos)} (default ${w.data_residency.default_inference_geo})`,
    ...(tags === "" ? [] : [`  tags: ${tags}`]),
  ].join("\n");
}

/** `steward workspaces list|create|update|archive`. */
export function registerWorkspaces(program: Command): void {
  const workspaces = program.command("workspaces").description("Workspaces and their limits");

  const list = workspaces.command("list").description("List workspaces (the default one too)");
  const listFlags = addSchemaFlags(list, WorkspaceListQuery, {
    omit: ["limit", "after_id", "before_id", "include_default"],
  });
  addLimitFlag(list).action(
    action(async (ctx) => {
      const limit = ctx.opts.limit as number | undefined;
      const params = {
        include_default: true,
        ...bodyOf(listFlags, ctx.opts),
        limit: pageSize(limit),
      };
      const found = await collect<Workspace>(ctx.admin.workspaces.list(params), limit);
      printList(ctx, found, [
        { header: "id", value: (w) => w.id },
        { header: "name", value: (w) => w.name },
        { header: "status", value: status },
        { header: "limits", value: limits },
        { header: "created", value: (w) => formatTime(w.created_at) },
      ]);
    }),
  );

  const create = workspaces.command("create").description("Create a workspace");
  const createFlags = addSchemaFlags(create, WorkspaceCreateParams, { describe: FLAG_TEXT });
  create.action(
    action(async (ctx) => {
      const body = bodyOf<SdkWorkspaceCreateParams>(createFlags, ctx.opts);
      const created = (await ctx.admin.workspaces.create(body)) as Workspace;
      print(ctx, created, () => `Created workspace ${describeWorkspace(created)}`);
    }),
  );

  const update = workspaces
    .command("update")
    .description("Change a workspace's name, color, tags or limits")
    .argument("<workspace>", "the workspace's id (wrkspc_…) or name");
  const updateFlags = addSchemaFlags(update, WorkspaceUpdateParams, {
    describe: { ...FLAG_TEXT, tags: "a tag to set (tags merge)" },
    nullClears: true,
  });
  update.action(
    action(async (ctx, which: string) => {
      const body = requireSome(updateFlags, bodyOf(updateFlags, ctx.opts));
      const id = await resolveWorkspaceId(ctx.admin, which);
      const updated = (await ctx.admin.workspaces.update(id, body)) as Workspace;
      print(ctx, updated, () => `Updated workspace ${describeWorkspace(updated)}`);
    }),
  );

  workspaces
    .command("archive")
    .description("Archive a workspace: every API key in it is archived too (permanent)")
    .argument("<workspace>", "the workspace's id (wrkspc_…) or name")
    .option("-y, --yes", "do not ask for confirmation")
    .action(
      action(async (ctx, which: string) => {
        const id = await resolveWorkspaceId(ctx.admin, which);
        await confirm(
          `Archive workspace ${which === id ? id : `${which} (${id})`} and every API key in it?`,
          ctx.opts.yes as boolean | undefined,
        );
        const archived = (await ctx.admin.workspaces.archive(id)) as Workspace;
        print(ctx, archived, () => `Archived workspace ${archived.name} (${archived.id}).`);
      }),
    );

  registerWorkspaceRateLimits(workspaces);
}
