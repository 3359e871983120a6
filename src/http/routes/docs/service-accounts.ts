import {
  ID,
  implicitServiceAccountMember,
  serviceAccount,
  serviceAccountMember,
} from "./examples.js";
import type { OperationDocs } from "./types.js";

const PAGING =
  "**Paging:** `limit` (1 to 1000, default 20) and `page`, the previous answer's `next_page` (null on the last page).";

const deleted = {
  type: "service_account_workspace_member_deleted",
  service_account_id: ID.serviceAccount,
  workspace_id: ID.workspace,
};

/** Service accounts, on Anthropic's `/v1/organizations/service_accounts` paths. */
export const serviceAccountDocs: OperationDocs = {
  createServiceAccount: {
    summary: "Create a service account",
    description:
      "Creates a named non-human identity (`svac_…`) that API keys can belong to (`service_account_id` when creating a key). `name` is a slug (lowercase letters, digits and hyphens), unique within the organization, archived accounts included: a taken name is a 409. `organization_role` is `developer` (the default) or `admin`; Steward records it, and issues service accounts API keys only, not admin keys. Every service account is an implicit `workspace_user` member of the default workspace.",
    audit: ["service_account.created"],
    request: {
      name: "ci-deploy-bot",
      description: "Deploys from CI",
      organization_role: "developer",
    },
    response: serviceAccount,
  },
  listServiceAccounts: {
    summary: "List service accounts",
    description: `Lists the organization's service accounts, newest first; archived ones only with \`include_archived=true\`. A \`page\` that is not a service account of the organization is a 400 \`invalid_cursor\`.\n\n${PAGING}`,
    response: { data: [serviceAccount], next_page: null },
  },
  getServiceAccount: {
    summary: "Get a service account",
    description: "Answers one service account by id, archived or not.",
    response: serviceAccount,
  },
  updateServiceAccount: {
    summary: "Update a service account",
    description:
      "Changes `description` (null clears it: it is stored as an empty string) and `organization_role` (null or left out: unchanged). The name cannot change. An archived service account cannot be updated: 400 `service_account_archived`.",
    audit: ["service_account.updated"],
    request: { description: "Deploys from CI to production", organization_role: "developer" },
    response: { ...serviceAccount, description: "Deploys from CI to production" },
  },
  archiveServiceAccount: {
    summary: "Archive a service account",
    description:
      "Archives the service account and, in the same transaction, revokes every API key it holds (each with its own `api_key.revoked` record): the gateway refuses them from its next request, on every node. Archiving is permanent; archiving again answers the account with its first `archived_at`. Its workspace memberships are kept but no longer listed.",
    audit: ["service_account.archived", "api_key.revoked"],
    response: {
      ...serviceAccount,
      archived_at: "2026-05-02T16:00:00.000Z",
      archived_by_actor_id: ID.owner,
      updated_at: "2026-05-02T16:00:00.000Z",
    },
  },
  listServiceAccountWorkspaces: {
    summary: "List a service account's workspaces",
    description: `Lists the workspaces the service account belongs to, with its role in each, by workspace id (archived workspaces included). Without an explicit membership of the default workspace, its implicit \`workspace_user\` membership (\`implicit: true\`) comes first on the first page, in addition to \`limit\` explicit ones. An archived service account has none; a \`page\` that is not one of its memberships (or of an archived account) is a 400 \`invalid_cursor\`.\n\n${PAGING}`,
    response: { data: [implicitServiceAccountMember, serviceAccountMember], next_page: null },
  },
  addServiceAccountWorkspace: {
    summary: "Add a service account to a workspace",
    description:
      "Makes the service account a member of a workspace with a role (`workspace_billing` cannot be given: 400 `workspace_role_not_assignable`). If it is already a member, its role is replaced. An archived workspace is a 400 `workspace_archived`, an archived service account a 400 `service_account_archived`. The same operation as `POST /v1/organizations/workspaces/{workspace_id}/service_accounts`.",
    audit: ["service_account_workspace_member.added", "service_account_workspace_member.updated"],
    request: { workspace_id: ID.workspace, workspace_role: "workspace_developer" },
    response: serviceAccountMember,
  },
  removeServiceAccountWorkspace: {
    summary: "Remove a service account from a workspace",
    description:
      "Ends the service account's membership of the workspace; removing one that does not exist answers the same. The default workspace's implicit membership cannot be removed (removing an explicit one there reverts to it). The service account's API keys in that workspace keep working, as a person's do when they leave a workspace; archive the account or revoke the keys to stop them. An archived workspace is a 400 `workspace_archived`.",
    audit: ["service_account_workspace_member.removed"],
    response: deleted,
  },
  listWorkspaceServiceAccounts: {
    summary: "List a workspace's service accounts",
    description: `Lists the service accounts that are explicit members of the workspace, by service account id; archived accounts and the default workspace's implicit memberships are left out. An archived workspace is a 400 \`workspace_archived\`.\n\n${PAGING}`,
    response: { data: [serviceAccountMember], next_page: null },
  },
  addWorkspaceServiceAccount: {
    summary: "Add a service account to a workspace",
    description:
      "Makes the service account a member of the workspace with a role; an existing member has its role replaced. The same operation as `POST /v1/organizations/service_accounts/{service_account_id}/workspaces`.",
    audit: ["service_account_workspace_member.added", "service_account_workspace_member.updated"],
    request: { service_account_id: ID.serviceAccount, workspace_role: "workspace_developer" },
    response: serviceAccountMember,
  },
  getWorkspaceServiceAccount: {
    summary: "Get a service account's membership of a workspace",
    description:
      "Answers the service account's role in the workspace; in the default workspace, its implicit `workspace_user` membership when it has no explicit one. An archived service account, or one that is not a member, is a 404; an archived workspace a 400 `workspace_archived`.",
    response: serviceAccountMember,
  },
  updateWorkspaceServiceAccount: {
    summary: "Change a service account's role in a workspace",
    description:
      "Replaces the role of an explicit membership. The default workspace's implicit membership has no role to change: add the account explicitly instead (400). An archived service account is a 400 `service_account_archived`.",
    audit: ["service_account_workspace_member.updated"],
    request: { workspace_role: "workspace_admin" },
    response: { ...serviceAccountMember, workspace_role: "workspace_admin" },
  },
  removeWorkspaceServiceAccount: {
    summary: "Remove a service account from a workspace",
    description:
      "The same operation as `DELETE /v1/organizations/service_accounts/{service_account_id}/workspaces/{workspace_id}`: idempotent, the implicit default-workspace membership stays, and the account's keys in the workspace keep working.",
    audit: ["service_account_workspace_member.removed"],
    response: deleted,
  },
};
