import type { WorkspaceRole } from "../../contract/workspaces.js";
import { invalidRequest } from "../errors.js";

export type AssignableWorkspaceRole = Exclude<WorkspaceRole, "workspace_billing">;

/**
 * The role a member or service account may be given in a workspace. `workspace_billing` is one
 * the SDK declares (members.update takes it) but nobody is given: it follows from the
 * organization's billing role, so it is refused with its own code rather than as an unknown value.
 */
export function assignableRole(role: WorkspaceRole): AssignableWorkspaceRole {
  if (role === "workspace_billing") {
    throw invalidRequest(
      "workspace_role: workspace_billing cannot be assigned; it comes only from the organization's billing role",
      "workspace_role_not_assignable",
    );
  }
  return role;
}
