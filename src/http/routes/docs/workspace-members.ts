import { ID, member } from "./examples.js";
import type { OperationDocs } from "./types.js";

const ON_ANTHROPIC_PATH = "Served on Anthropic's Admin API path.";

/** Workspace members: Anthropic's `/v1/organizations/workspaces/{id}/members` only. */
export const workspaceMemberDocs: OperationDocs = {
  addWorkspaceMember: {
    summary: "Add a member to a workspace",
    description: `Gives an organization member a role in the workspace: \`workspace_admin\`, \`workspace_developer\`, \`workspace_user\` or \`workspace_restricted_developer\` (\`workspace_billing\` comes only from the billing organization role and is refused with a 400 \`workspace_role_not_assignable\`). Adding a member twice is a 400 \`already_member\`; an unknown or removed user is a 404; an archived workspace is a 400 \`workspace_archived\`. ${ON_ANTHROPIC_PATH}`,
    audit: ["workspace_member.added"],
    request: { user_id: ID.user, workspace_role: "workspace_developer" },
    response: member,
  },
  listWorkspaceMembers: {
    summary: "List a workspace's members",
    description: `Lists the workspace's members with their workspace role; pages are keyed by \`user_id\`. ${ON_ANTHROPIC_PATH}`,
    response: { data: [member], has_more: false, first_id: ID.user, last_id: ID.user },
  },
  getWorkspaceMember: {
    summary: "Get a workspace member",
    description: `Answers one member's role in the workspace; a user who is not a member answers 404. ${ON_ANTHROPIC_PATH}`,
    response: member,
  },
  updateWorkspaceMember: {
    summary: "Change a workspace member's role",
    description: `Sets the member's workspace role (the roles of adding a member). ${ON_ANTHROPIC_PATH}`,
    audit: ["workspace_member.updated"],
    request: { workspace_role: "workspace_admin" },
    response: { ...member, workspace_role: "workspace_admin" },
  },
  removeWorkspaceMember: {
    summary: "Remove a member from a workspace",
    description: `Takes the member out of the workspace; they stay in the organization, and their API keys are untouched. ${ON_ANTHROPIC_PATH}`,
    audit: ["workspace_member.removed"],
    response: { type: "workspace_member_deleted", user_id: ID.user, workspace_id: ID.workspace },
  },
};
