import { z } from "zod";
import { ArrayParam, BooleanParam, ListQuery, Name, Page, Text, Timestamp, Usd } from "./common.js";

export const InferenceGeo = z.enum(["global", "us"]);
export const AllowedInferenceGeos = z.union([
  z.literal("unrestricted"),
  z
    .array(InferenceGeo)
    .min(1)
    .max(2)
    .refine((geos) => new Set(geos).size === geos.length, "list each geo once"),
]);

export const DataResidency = z.object({
  workspace_geo: z.literal("us"),
  allowed_inference_geos: AllowedInferenceGeos,
  default_inference_geo: InferenceGeo,
});

export const UsageLimits = z.object({
  monthly_spend_usd: z.number().nullable(),
  requests_per_minute: z.number().int().nullable(),
});

export const Workspace = z
  .object({
    id: z.string(),
    type: z.literal("workspace"),
    name: z.string(),
    created_at: Timestamp,
    archived_at: Timestamp.nullable(),
    display_color: z.string(),
    data_residency: DataResidency,
    tags: z.record(z.string(), z.string()),
    // Anthropic's customer-managed encryption and user profiles, which Steward does not have:
    // always null, present because the SDK's Workspace declares them.
    compartment_id: z
      .string()
      .nullable()
      .describe("Always null: Steward has no encryption compartments"),
    external_key_id: z
      .string()
      .nullable()
      .describe("Always null: Steward has no customer-managed encryption keys"),
    user_profile_id: z.string().nullable().describe("Always null: Steward has no user profiles"),
    usage_limits: UsageLimits,
    is_default: z.boolean(),
  })
  .meta({ id: "Workspace" });
export type Workspace = z.output<typeof Workspace>;

export const WorkspacePage = Page(Workspace);

const WorkspaceName = Name(40);
const DisplayColor = z.string().regex(/^#[0-9A-Fa-f]{6}$/, "must be a color like #6C5BB9");
const TagKey = Text(1, 64).refine(
  (k) => !k.toLowerCase().startsWith("anthropic"),
  "tag keys may not begin with anthropic",
);
const TagValue = Text(0, 256);

const UsageLimitsInput = z.strictObject({
  monthly_spend_usd: Usd.nullable().optional(),
  requests_per_minute: z.number().int().min(0).max(1_000_000_000).nullable().optional(),
});

const DataResidencyInput = z.strictObject({
  workspace_geo: z.literal("us").nullable().optional(),
  allowed_inference_geos: AllowedInferenceGeos.nullable().optional(),
  default_inference_geo: InferenceGeo.nullable().optional(),
});

export const WorkspaceCreateParams = z
  .strictObject({
    name: WorkspaceName,
    display_color: DisplayColor.nullable().optional(),
    data_residency: DataResidencyInput.nullable().optional(),
    tags: z.record(TagKey, TagValue).nullable().optional(),
    usage_limits: UsageLimitsInput.nullable().optional(),
  })
  .meta({ id: "WorkspaceCreateParams" });
export type WorkspaceCreateParams = z.output<typeof WorkspaceCreateParams>;

export const WorkspaceUpdateParams = z
  .strictObject({
    name: WorkspaceName.optional(),
    display_color: DisplayColor.optional(),
    data_residency: DataResidencyInput.omit({ workspace_geo: true }).nullable().optional(),
    tags: z.record(TagKey, TagValue.nullable()).nullable().optional(),
    usage_limits: UsageLimitsInput.optional(),
  })
  .meta({ id: "WorkspaceUpdateParams" });
export type WorkspaceUpdateParams = z.output<typeof WorkspaceUpdateParams>;

export const WorkspaceListQuery = ListQuery.extend({
  ids: ArrayParam(z.string().min(1)).optional().describe("Only these workspaces"),
  include_archived: BooleanParam.optional(),
  include_default: BooleanParam.optional(),
});
export type WorkspaceListQuery = z.output<typeof WorkspaceListQuery>;

export const WorkspaceRole = z.enum([
  "workspace_admin",
  "workspace_developer",
  "workspace_user",
  "workspace_billing",
  "workspace_restricted_developer",
]);
export type WorkspaceRole = z.output<typeof WorkspaceRole>;

/** `workspace_billing` comes only from the organization's billing role; it cannot be assigned. */
export const AssignableWorkspaceRole = WorkspaceRole.exclude(["workspace_billing"]);

/**
 * A role in a request body: any role the SDK can send, so that `workspace_billing` is refused by
 * its rule (400 `workspace_role_not_assignable`) rather than as an unknown value.
 */
export const WorkspaceRoleInput = WorkspaceRole.describe(
  "The role in the workspace; `workspace_billing` cannot be assigned (400 `workspace_role_not_assignable`)",
);

export const WorkspaceMember = z
  .object({
    type: z.literal("workspace_member"),
    user_id: z.string(),
    workspace_id: z.string(),
    workspace_role: WorkspaceRole,
  })
  .meta({ id: "WorkspaceMember" });
export type WorkspaceMember = z.output<typeof WorkspaceMember>;

export const WorkspaceMemberPage = Page(WorkspaceMember);

export const WorkspaceMemberAddParams = z
  .strictObject({ user_id: z.string().min(1), workspace_role: WorkspaceRoleInput })
  .meta({ id: "WorkspaceMemberAddParams" });

export const WorkspaceMemberUpdateParams = z
  .strictObject({ workspace_role: WorkspaceRoleInput })
  .meta({ id: "WorkspaceMemberUpdateParams" });

export const WorkspaceMemberDeleteResponse = z
  .object({
    type: z.literal("workspace_member_deleted"),
    user_id: z.string(),
    workspace_id: z.string(),
  })
  .meta({ id: "WorkspaceMemberDeleteResponse" });
