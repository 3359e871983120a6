import { z } from "zod";
import { BooleanParam } from "./common.js";

/**
 * Rate limits as SDK 1.10.0 declares them (`client.organization.rateLimits`,
 * `client.organization.workspaces.rateLimits`, and their `beta` twins): per rate-limit group (a
 * family of models, or token counting, Message Batches, Files, web search), per limit type.
 */

export const GroupType = z.enum(["model_group", "token_count", "batch", "files", "web_search"]);

const GroupId = z.string().describe("The group's id (`rlg_…`), the same in every organization");

export const RateLimitGroup = z
  .discriminatedUnion("type", [
    z.object({
      id: GroupId,
      type: z.literal("model_group"),
      display_name: z.string().describe("For display only; it may change"),
    }),
    z.object({ id: GroupId, type: z.literal("token_count") }),
    z.object({ id: GroupId, type: z.literal("batch") }),
    z.object({ id: GroupId, type: z.literal("files") }),
    z.object({ id: GroupId, type: z.literal("web_search") }),
  ])
  .meta({ id: "RateLimitGroup" });

/** The limit types Steward stores and its gateway enforces. */
export const LimitType = z.enum([
  "requests_per_minute",
  "input_tokens_per_minute",
  "output_tokens_per_minute",
]);

const Models = z
  .array(z.string())
  .nullable()
  .describe("The model names of a model group; null for any other group");

export const OrganizationRateLimit = z
  .object({
    id: z.string().describe("The organization's entry for the group (`rl_…`): `rate_limit_id`"),
    type: z.literal("rate_limit"),
    group: RateLimitGroup,
    models: Models,
    limits: z
      .array(z.object({ type: z.string(), value: z.number().int() }))
      .describe(
        "Organization-level values: Steward has none of its own (Anthropic's apply upstream)",
      ),
  })
  .meta({ id: "OrganizationRateLimit" });

export const WorkspaceRateLimitValue = z.object({
  type: z.string(),
  value: z.number().int(),
  org_limit: z.number().int().nullable(),
  source: z.object({ type: z.enum(["workspace", "organization"]) }),
});

export const WorkspaceRateLimit = z
  .object({
    type: z.literal("workspace_rate_limit"),
    workspace_id: z.string(),
    rate_limit_id: z.string(),
    group: RateLimitGroup,
    models: Models,
    limits: z.array(WorkspaceRateLimitValue),
  })
  .meta({ id: "WorkspaceRateLimit" });
export type WorkspaceRateLimit = z.output<typeof WorkspaceRateLimit>;
export type OrganizationRateLimit = z.output<typeof OrganizationRateLimit>;

const Limit = z.coerce
  .number()
  .int()
  .min(1)
  .max(1000)
  .optional()
  .describe("Page size, 1 to 1000; left out, every entry in one page");
const PageToken = z
  .string()
  .min(1)
  .max(200)
  .optional()
  .describe("The `next_page` token of the previous answer");

export const OrganizationRateLimitListQuery = z.object({
  group_type: GroupType.optional().describe("Only groups of this type"),
  model: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe("Only the model group of this model (dated versions and aliases included)"),
  limit: Limit,
  page: PageToken,
});
export type OrganizationRateLimitListQuery = z.output<typeof OrganizationRateLimitListQuery>;

export const WorkspaceRateLimitListQuery = z.object({
  group_type: GroupType.optional().describe("Only groups of this type"),
  include_inherited: BooleanParam.optional().describe(
    "Also list the groups without a workspace value (their values inherited from the organization)",
  ),
  limit: Limit,
  page: PageToken,
});
export type WorkspaceRateLimitListQuery = z.output<typeof WorkspaceRateLimitListQuery>;

export const WorkspaceRateLimitUpdateParams = z
  .strictObject({
    limits: z
      .array(
        z.strictObject({
          type: LimitType,
          value: z
            .number()
            .int()
            .min(0)
            .max(1_000_000_000)
            .nullable()
            .describe("The workspace's value; null clears it"),
        }),
      )
      .min(1)
      .max(LimitType.options.length)
      .refine(
        (limits) => new Set(limits.map((l) => l.type)).size === limits.length,
        "name each limit type once",
      ),
  })
  .meta({ id: "WorkspaceRateLimitUpdateParams" });
export type WorkspaceRateLimitUpdateParams = z.output<typeof WorkspaceRateLimitUpdateParams>;

export const OrganizationRateLimitPage = z
  .object({ data: z.array(OrganizationRateLimit), next_page: z.string().nullable() })
  .meta({ id: "OrganizationRateLimitPage" });
export const WorkspaceRateLimitPage = z
  .object({ data: z.array(WorkspaceRateLimit), next_page: z.string().nullable() })
  .meta({ id: "WorkspaceRateLimitPage" });
