import { z } from "zod";
import { BooleanParam, CursorListQuery, CursorPage, Text, Timestamp } from "./common.js";
import { WorkspaceRole, WorkspaceRoleInput } from "./workspaces.js";

/**
 * Service accounts: named non-human identities of the organization, as SDK 1.10.0 declares them
 * (`client.organization.serviceAccounts`, `client.organization.workspaces.serviceAccounts`). API
 * keys can belong to one instead of a person.
 */

export const ServiceAccountRole = z.enum(["admin", "developer"]);
export type ServiceAccountRole = z.output<typeof ServiceAccountRole>;

const ActorId = z.string().nullable().describe("The member who acted (`user_…`), or null");

export const ServiceAccount = z
  .object({
    id: z.string(),
    type: z.literal("service_account"),
    name: z.string(),
    description: z.string().nullable(),
    organization_role: ServiceAccountRole,
    created_at: Timestamp,
    updated_at: Timestamp,
    archived_at: Timestamp.nullable(),
    created_by_actor_id: ActorId,
    updated_by_actor_id: ActorId,
    archived_by_actor_id: ActorId,
  })
  .meta({ id: "ServiceAccount" });
export type ServiceAccount = z.output<typeof ServiceAccount>;

export const ServiceAccountPage = CursorPage(ServiceAccount).meta({ id: "ServiceAccountPage" });

/** Lowercase letters, digits and inner hyphens: `ci-deploy-bot`. */
export const ServiceAccountName = z
  .string()
  .min(1)
  .max(64)
  .regex(
    /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/,
    "must be a slug: lowercase letters, digits and hyphens, starting and ending with a letter or digit",
  );

const Description = Text(0, 1000);

export const ServiceAccountCreateParams = z
  .strictObject({
    name: ServiceAccountName.describe("Unique within the organization; a taken name is a 409"),
    description: Description.nullable().optional(),
    organization_role: ServiceAccountRole.optional().describe("`developer` when left out"),
  })
  .meta({ id: "ServiceAccountCreateParams" });
export type ServiceAccountCreateParams = z.output<typeof ServiceAccountCreateParams>;

export const ServiceAccountUpdateParams = z
  .strictObject({
    description: Description.nullable()
      .optional()
      .describe("Left out: unchanged; null clears it (stored as an empty string)"),
    organization_role: ServiceAccountRole.nullable()
      .optional()
      .describe("Left out or null: unchanged"),
  })
  .meta({ id: "ServiceAccountUpdateParams" });
export type ServiceAccountUpdateParams = z.output<typeof ServiceAccountUpdateParams>;

export const ServiceAccountListQuery = CursorListQuery.extend({
  include_archived: BooleanParam.optional().describe("Include archived service accounts"),
});
export type ServiceAccountListQuery = z.output<typeof ServiceAccountListQuery>;

export const ServiceAccountWorkspaceMember = z
  .object({
    type: z.literal("service_account_workspace_member"),
    service_account_id: z.string(),
    workspace_id: z.string(),
    workspace_role: WorkspaceRole,
    implicit: z
      .boolean()
      .nullable()
      .describe(
        "True for the default workspace's implicit `workspace_user` membership every service account has without an explicit one",
      ),
    created_by_actor_id: ActorId,
  })
  .meta({ id: "ServiceAccountWorkspaceMember" });
export type ServiceAccountWorkspaceMember = z.output<typeof ServiceAccountWorkspaceMember>;

export const ServiceAccountWorkspaceMemberPage = CursorPage(ServiceAccountWorkspaceMember).meta({
  id: "ServiceAccountWorkspaceMemberPage",
});

export const ServiceAccountMembershipQuery = CursorListQuery;
export type ServiceAccountMembershipQuery = z.output<typeof ServiceAccountMembershipQuery>;

/** `POST /v1/organizations/service_accounts/{id}/workspaces`. */
export const ServiceAccountWorkspaceAddParams = z
  .strictObject({ workspace_id: z.string().min(1), workspace_role: WorkspaceRoleInput })
  .meta({ id: "ServiceAccountWorkspaceAddParams" });

/** `POST /v1/organizations/workspaces/{id}/service_accounts`. */
export const WorkspaceServiceAccountAddParams = z
  .strictObject({ service_account_id: z.string().min(1), workspace_role: WorkspaceRoleInput })
  .meta({ id: "WorkspaceServiceAccountAddParams" });

export const WorkspaceServiceAccountUpdateParams = z
  .strictObject({ workspace_role: WorkspaceRoleInput })
  .meta({ id: "WorkspaceServiceAccountUpdateParams" });

export const ServiceAccountWorkspaceMemberDeleteResponse = z
  .object({
    type: z.literal("service_account_workspace_member_deleted"),
    service_account_id: z.string(),
    workspace_id: z.string(),
  })
  .meta({ id: "ServiceAccountWorkspaceMemberDeleteResponse" });
export type ServiceAccountWorkspaceMemberDeleteResponse = z.output<
  typeof ServiceAccountWorkspaceMemberDeleteResponse
>;
