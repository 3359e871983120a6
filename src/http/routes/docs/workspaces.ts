import { defaultWorkspace, workspace } from "./examples.js";
import { byId, type OperationDoc, type OperationDocs, onAnthropicPath, pageOf } from "./types.js";

const LIMITS =
  "`usage_limits.requests_per_minute` and `usage_limits.monthly_spend_usd` are enforced by the gateway from its very next request (`null` for no limit).";

const create: OperationDoc = {
  summary: "Create a workspace",
  description: `Creates a workspace with a name (1 to 40 characters) and, optionally, a display color (picked from a palette when not given), tags, data residency and limits. ${LIMITS}`,
  audit: ["workspace.created"],
  request: {
    name: "Production",
    display_color: "#D97757",
    tags: { team: "payments", cost_center: "cc-4410" },
    usage_limits: { monthly_spend_usd: 5000, requests_per_minute: 1000 },
  },
  response: workspace,
};

const get: OperationDoc = {
  summary: "Get a workspace",
  description:
    "Answers one workspace by id, archived ones included. Another organization's id answers 404.",
  response: workspace,
};

const update: OperationDoc = {
  summary: "Update a workspace",
  description: `Changes the name, display color, data residency, tags or limits; fields left out keep their value. \`tags\` merges (a \`null\` value removes a tag, \`tags: null\` clears them all). ${LIMITS} An archived workspace cannot be changed (400 \`workspace_archived\`).`,
  audit: ["workspace.updated"],
  request: { usage_limits: { monthly_spend_usd: 7500 }, tags: { cost_center: null } },
  response: {
    ...workspace,
    tags: { team: "payments" },
    usage_limits: { monthly_spend_usd: 7500, requests_per_minute: 1000 },
  },
};

const archive: OperationDoc = {
  summary: "Archive a workspace",
  description:
    "Archives the workspace and, in the same transaction, every API key in it (refused at the gateway before this answers). An archived workspace takes no new keys, members or changes. Archiving twice is harmless; the default workspace cannot be archived (400 `default_workspace_protected`).",
  audit: ["workspace.archived", "api_key.revoked"],
  response: { ...workspace, archived_at: "2026-04-28T12:00:00.000Z" },
};

/** Workspaces, on `/v1/workspaces` and Anthropic's `/v1/organizations/workspaces`. */
export const workspaceDocs: OperationDocs = {
  seedListWorkspaces: {
    summary: "List workspaces",
    description:
      "Lists the organization's workspaces, oldest first, the default workspace included (`include_default=false` hides it; `include_archived=true` adds archived ones; `ids` picks some).",
    response: pageOf([defaultWorkspace, workspace], byId),
  },
  seedCreateWorkspace: create,
  seedGetWorkspace: get,
  seedUpdateWorkspace: update,
  seedArchiveWorkspace: archive,
  listWorkspaces: onAnthropicPath(
    {
      summary: "List workspaces",
      description:
        "Lists the organization's workspaces, oldest first. As at Anthropic, the default workspace is left out unless `include_default=true`, and archived ones unless `include_archived=true`; `ids` picks some.",
      response: pageOf([workspace], byId),
    },
    "GET /v1/workspaces",
  ),
  createWorkspace: onAnthropicPath(create, "POST /v1/workspaces"),
  getWorkspace: onAnthropicPath(get, "GET /v1/workspaces/{workspace_id}"),
  updateWorkspace: onAnthropicPath(update, "PATCH /v1/workspaces/{workspace_id}"),
  archiveWorkspace: onAnthropicPath(archive, "POST /v1/workspaces/{workspace_id}/archive"),
};
