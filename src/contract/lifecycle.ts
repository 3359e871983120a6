import { z } from "zod";
import { ApiKeyCreated, ApiKeyCreateParams } from "./api-keys.js";
import { InviteCreated, InviteCreateParams } from "./invites.js";
import { User } from "./users.js";
import { WorkspaceMember, WorkspaceRole, WorkspaceRoleInput } from "./workspaces.js";

export const OnboardWorkspace = z.strictObject({
  workspace_id: z.string().min(1),
  workspace_role: WorkspaceRoleInput,
});

export const OnboardParams = z
  .strictObject({
    email: InviteCreateParams.shape.email,
    role: InviteCreateParams.shape.role,
    workspaces: z
      .array(OnboardWorkspace)
      .max(100)
      .optional()
      .describe("Workspaces the person joins, with their role there, when they accept the invite")
      .superRefine((list, ctx) => {
        const seen = new Set<string>();
        (list ?? []).forEach((w, i) => {
          if (seen.has(w.workspace_id)) {
            ctx.addIssue({
              code: "custom",
              path: [i, "workspace_id"],
              message: `workspace ${w.workspace_id} is listed twice`,
            });
          }
          seen.add(w.workspace_id);
        });
      }),
    api_key: ApiKeyCreateParams.omit({ user_id: true, service_account_id: true })
      .optional()
      .describe(
        "An API key issued to the person: active at once, theirs (its principal) once they accept",
      ),
  })
  .meta({ id: "OnboardParams" });
export type OnboardParams = z.output<typeof OnboardParams>;

/** A workspace membership that takes effect when the invite is accepted. */
export const PendingWorkspaceMember = z
  .object({
    type: z.literal("pending_workspace_member"),
    invite_id: z.string(),
    workspace_id: z.string(),
    workspace_role: WorkspaceRole,
  })
  .meta({ id: "PendingWorkspaceMember" });
export type PendingWorkspaceMember = z.output<typeof PendingWorkspaceMember>;

export const OnboardResponse = z
  .object({
    type: z.literal("user_onboarded"),
    invite: InviteCreated,
    workspace_memberships: z.array(PendingWorkspaceMember),
    api_key: ApiKeyCreated.nullable().describe(
      "The issued key; its full `key` is returned only in this response",
    ),
  })
  .meta({ id: "OnboardResponse" });
export type OnboardResponse = z.output<typeof OnboardResponse>;

export const OffboardParams = z
  .strictObject({
    dry_run: z
      .boolean()
      .optional()
      .describe(
        "Answer exactly what offboarding would revoke, cancel and remove now, and change nothing (no audit record either)",
      ),
  })
  // No body at all (a browser's bodiless POST arrives as null) offboards.
  .nullish()
  .meta({ id: "OffboardParams" });
export type OffboardParams = z.output<typeof OffboardParams>;

export const OffboardResponse = z
  .object({
    id: z.string(),
    type: z.literal("user_offboarded"),
    deleted: z
      .boolean()
      .describe("True when the member was offboarded; false for a dry run, which changed nothing"),
    dry_run: z
      .literal(true)
      .optional()
      .describe("Present when this answers a dry run: what offboarding would do"),
    user: User.describe("The member as they were before offboarding"),
    revoked_api_key_ids: z.array(z.string()),
    revoked_admin_key_ids: z.array(z.string()),
    removed_workspace_memberships: z.array(WorkspaceMember),
    cancelled_invite_ids: z.array(z.string()),
  })
  .meta({ id: "OffboardResponse" });
export type OffboardResponse = z.output<typeof OffboardResponse>;
