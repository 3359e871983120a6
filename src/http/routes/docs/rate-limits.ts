import { ID } from "./examples.js";
import type { OperationDocs } from "./types.js";

const PAGING =
  "**Paging:** left out, `limit` answers every entry in one page; with `limit` (1 to 1000), follow `next_page` as `page` (null on the last page).";

const GROUPS =
  "A rate-limit group is a family of models (`model_group`, with its `models`; a model no other group names falls in *Other models*), or an API surface: `token_count`, `batch`, `files`, `web_search`. The gateway enforces a workspace's `requests_per_minute`, `input_tokens_per_minute` and `output_tokens_per_minute` per group: `/v1/messages` in its model's group, `/v1/messages/count_tokens` in `token_count`.";

const SONNET = {
  id: "rlg_claude_sonnet_4",
  type: "model_group",
  display_name: "Claude Sonnet 4.x",
};
const SONNET_MODELS = ["claude-sonnet-4", "claude-sonnet-4-5", "claude-sonnet-4-6"];
const RATE_LIMIT_ID = "rl_6ae88636b602a6700ab62dad";

const workspaceEntry = {
  type: "workspace_rate_limit",
  workspace_id: ID.workspace,
  rate_limit_id: RATE_LIMIT_ID,
  group: SONNET,
  models: SONNET_MODELS,
  limits: [
    { type: "requests_per_minute", value: 1000, org_limit: null, source: { type: "workspace" } },
    {
      type: "output_tokens_per_minute",
      value: 80000,
      org_limit: null,
      source: { type: "workspace" },
    },
  ],
};

/** Rate limits, on Anthropic's `/v1/organizations/.../rate_limits` paths. */
export const rateLimitDocs: OperationDocs = {
  listOrganizationRateLimits: {
    summary: "List the organization's rate-limit groups",
    description: `Lists one entry per rate-limit group, with the id (\`rl_…\`) to pass as \`rate_limit_id\` when setting a workspace's limits. ${GROUPS} Steward has no organization-level values of its own (Anthropic's apply to Steward's upstream key), so \`limits\` is empty. \`group_type\` keeps one type of group; \`model\` keeps the group of that model (dated versions and aliases included).\n\n${PAGING}`,
    response: {
      data: [
        {
          id: RATE_LIMIT_ID,
          type: "rate_limit",
          group: SONNET,
          models: SONNET_MODELS,
          limits: [],
        },
      ],
      next_page: null,
    },
  },
  listWorkspaceRateLimits: {
    summary: "List a workspace's rate limits",
    description: `Lists the groups for which the workspace has values, with each value (\`source.type\` \`workspace\`); \`include_inherited=true\` lists every group, those without a value with empty \`limits\` (Steward has no organization values to inherit). \`usage_limits.requests_per_minute\` of the workspace is a view of these values: the lowest \`requests_per_minute\` of its groups. ${GROUPS}\n\n${PAGING}`,
    response: { data: [workspaceEntry], next_page: null },
  },
  updateWorkspaceRateLimit: {
    summary: "Set a workspace's rate limits for a group",
    description:
      "Sets (an integer, 0 refuses everything) or clears (`null`) the workspace's value of each limit type named in `limits`, for the group of `rate_limit_id`; types not named keep theirs. Answers the group's entry as the list does. The gateway applies it from its next request, on every node. A `rate_limit_id` that is not one of the organization's is a 404; an archived workspace is a 400 `workspace_archived`. Writing a workspace's `usage_limits.requests_per_minute` sets `requests_per_minute` in every group at once.",
    audit: ["workspace.rate_limit_updated"],
    request: {
      limits: [
        { type: "requests_per_minute", value: 1000 },
        { type: "output_tokens_per_minute", value: 80000 },
        { type: "input_tokens_per_minute", value: null },
      ],
    },
    response: workspaceEntry,
  },
};
