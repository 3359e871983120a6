import {
  ApiKey,
  ApiKeyCreated,
  ApiKeyCreateParams,
  ApiKeyListQuery,
  ApiKeyPage,
  ApiKeyUpdateParams,
} from "../../../contract/api-keys.js";
import { errorResponses, ListQuery } from "../../../contract/common.js";
import {
  Invite,
  InviteCreated,
  InviteCreateParams,
  InviteDeleteResponse,
  InviteListQuery,
  InvitePage,
} from "../../../contract/invites.js";
import { Organization } from "../../../contract/organizations.js";
import {
  User,
  UserDeleteResponse,
  UserListQuery,
  UserPage,
  UserUpdated,
  UserUpdateParams,
} from "../../../contract/users.js";
import {
  Workspace,
  WorkspaceCreateParams,
  WorkspaceListQuery,
  WorkspaceMember,
  WorkspaceMemberAddParams,
  WorkspaceMemberDeleteResponse,
  WorkspaceMemberPage,
  WorkspaceMemberUpdateParams,
  WorkspacePage,
  WorkspaceUpdateParams,
} from "../../../contract/workspaces.js";
import type { Services } from "../../../core/services.js";
import type { ZodApp } from "../../types.js";
import {
  ApiKeyIdParams,
  InviteIdParams,
  MemberParams,
  UserIdParams,
  WorkspaceIdParams,
} from "../params.js";

const BASE = "/v1/organizations";

/**
 * The real Anthropic Admin API's paths (`/v1/organizations/*`), as the official SDK's
 * `client.organization.*` resources call them. Updates are POSTs to the resource, as there.
 */
export function registerAnthropicRoutes(app: ZodApp, s: Services): void {
  registerOrganization(app, s);
  registerUsers(app, s);
  registerInvites(app, s);
  registerWorkspaces(app, s);
  registerMembers(app, s);
  registerApiKeys(app, s);
}

function registerOrganization(app: ZodApp, s: Services): void {
  app.get(
    `${BASE}/me`,
    {
      schema: {
        operationId: "getOrganizationMe",
        tags: ["Organization"],
        summary: "The organization of the calling admin key",
        response: { 200: Organization, ...errorResponses },
      },
    },
    (request) => s.organizations.get(request.ctx),
  );
}

function registerUsers(app: ZodApp, s: Services): void {
  const tags = ["Users"];
  app.get(
    `${BASE}/users`,
    {
      schema: {
        operationId: "listUsers",
        tags,
        querystring: UserListQuery,
        response: { 200: UserPage, ...errorResponses },
      },
    },
    (request) => s.users.list(request.ctx, request.query),
  );
  app.get(
    `${BASE}/users/:user_id`,
    {
      schema: {
        operationId: "getUser",
        tags,
        params: UserIdParams,
        response: { 200: User, ...errorResponses },
      },
    },
    (request) => s.users.get(request.ctx, request.params.user_id),
  );
  app.post(
    `${BASE}/users/:user_id`,
    {
      config: { idempotent: true },
      schema: {
        operationId: "updateUser",
        tags,
        params: UserIdParams,
        body: UserUpdateParams,
        response: { 200: UserUpdated, ...errorResponses },
      },
    },
    (request) => s.users.update(request.ctx, request.params.user_id, request.body),
  );
  app.delete(
    `${BASE}/users/:user_id`,
    {
      config: { idempotent: true },
      schema: {
        operationId: "removeUser",
        tags,
        summary: "Remove a member (their API keys are revoked, as on the seed surface)",
        params: UserIdParams,
        response: { 200: UserDeleteResponse, ...errorResponses },
      },
    },
    (request) => s.users.remove(request.ctx, request.params.user_id),
  );
}

function registerInvites(app: ZodApp, s: Services): void {
  const tags = ["Invites"];
  app.post(
    `${BASE}/invites`,
    {
      config: { idempotent: true },
      schema: {
        operationId: "createInvite",
        tags,
        body: InviteCreateParams,
        response: { 200: InviteCreated, ...errorResponses },
      },
    },
    (request) => s.invites.create(request.ctx, request.body),
  );
  app.get(
    `${BASE}/invites`,
    {
      schema: {
        operationId: "listInvites",
        tags,
        querystring: InviteListQuery,
        response: { 200: InvitePage, ...errorResponses },
      },
    },
    (request) => s.invites.list(request.ctx, request.query),
  );
  app.get(
    `${BASE}/invites/:invite_id`,
    {
      schema: {
        operationId: "getInvite",
        tags,
        params: InviteIdParams,
        response: { 200: Invite, ...errorResponses },
      },
    },
    (request) => s.invites.get(request.ctx, request.params.invite_id),
  );
  app.delete(
    `${BASE}/invites/:invite_id`,
    {
      config: { idempotent: true },
      schema: {
        operationId: "deleteInvite",
        tags,
        params: InviteIdParams,
        response: { 200: InviteDeleteResponse, ...errorResponses },
      },
    },
    (request) => s.invites.delete(request.ctx, request.params.invite_id),
  );
}

function registerWorkspaces(app: ZodApp, s: Services): void {
  const tags = ["Workspaces"];
  app.post(
    `${BASE}/workspaces`,
    {
      config: { idempotent: true },
      schema: {
        operationId: "createWorkspace",
        tags,
        body: WorkspaceCreateParams,
        response: { 200: Workspace, ...errorResponses },
      },
    },
    (request) => s.workspaces.create(request.ctx, request.body),
  );
  app.get(
    `${BASE}/workspaces`,
    {
      schema: {
        operationId: "listWorkspaces",
        tags,
        summary:
          "List workspaces (archived ones with include_archived, the default with include_default)",
        querystring: WorkspaceListQuery,
        response: { 200: WorkspacePage, ...errorResponses },
      },
    },
    (request) => s.workspaces.list(request.ctx, request.query, { includeDefault: false }),
  );
  app.get(
    `${BASE}/workspaces/:workspace_id`,
    {
      schema: {
        operationId: "getWorkspace",
        tags,
        params: WorkspaceIdParams,
        response: { 200: Workspace, ...errorResponses },
      },
    },
    (request) => s.workspaces.get(request.ctx, request.params.workspace_id),
  );
  app.post(
    `${BASE}/workspaces/:workspace_id`,
    {
      config: { idempotent: true },
      schema: {
        operationId: "updateWorkspace",
        tags,
        params: WorkspaceIdParams,
        body: WorkspaceUpdateParams,
        response: { 200: Workspace, ...errorResponses },
      },
    },
    (request) => s.workspaces.update(request.ctx, request.params.workspace_id, request.body),
  );
  app.post(
    `${BASE}/workspaces/:workspace_id/archive`,
    {
      config: { idempotent: true },
      schema: {
        operationId: "archiveWorkspace",
        tags,
        summary: "Archive a workspace and every API key in it",
        params: WorkspaceIdParams,
        response: { 200: Workspace, ...errorResponses },
      },
    },
    (request) => s.workspaces.archive(request.ctx, request.params.workspace_id),
  );
}

function registerMembers(app: ZodApp, s: Services): void {
  const tags = ["Workspace members"];
  app.post(
    `${BASE}/workspaces/:workspace_id/members`,
    {
      config: { idempotent: true },
      schema: {
        operationId: "addWorkspaceMember",
        tags,
        params: WorkspaceIdParams,
        body: WorkspaceMemberAddParams,
        response: { 200: WorkspaceMember, ...errorResponses },
      },
    },
    (request) => s.members.add(request.ctx, request.params.workspace_id, request.body),
  );
  app.get(
    `${BASE}/workspaces/:workspace_id/members`,
    {
      schema: {
        operationId: "listWorkspaceMembers",
        tags,
        params: WorkspaceIdParams,
        querystring: ListQuery,
        response: { 200: WorkspaceMemberPage, ...errorResponses },
      },
    },
    (request) => s.members.list(request.ctx, request.params.workspace_id, request.query),
  );
  app.get(
    `${BASE}/workspaces/:workspace_id/members/:user_id`,
    {
      schema: {
        operationId: "getWorkspaceMember",
        tags,
        params: MemberParams,
        response: { 200: WorkspaceMember, ...errorResponses },
      },
    },
    (request) => s.members.get(request.ctx, request.params.workspace_id, request.params.user_id),
  );
  app.post(
    `${BASE}/workspaces/:workspace_id/members/:user_id`,
    {
      config: { idempotent: true },
      schema: {
        operationId: "updateWorkspaceMember",
        tags,
        params: MemberParams,
        body: WorkspaceMemberUpdateParams,
        response: { 200: WorkspaceMember, ...errorResponses },
      },
    },
    (request) =>
      s.members.update(
        request.ctx,
        request.params.workspace_id,
        request.params.user_id,
        request.body,
      ),
  );
  app.delete(
    `${BASE}/workspaces/:workspace_id/members/:user_id`,
    {
      config: { idempotent: true },
      schema: {
        operationId: "removeWorkspaceMember",
        tags,
        params: MemberParams,
        response: { 200: WorkspaceMemberDeleteResponse, ...errorResponses },
      },
    },
    (request) => s.members.remove(request.ctx, request.params.workspace_id, request.params.user_id),
  );
}

function registerApiKeys(app: ZodApp, s: Services): void {
  const tags = ["API keys"];
  app.get(
    `${BASE}/api_keys`,
    {
      schema: {
        operationId: "listApiKeys",
        tags,
        querystring: ApiKeyListQuery,
        response: { 200: ApiKeyPage, ...errorResponses },
      },
    },
    (request) => s.apiKeys.list(request.ctx, request.query),
  );
  app.post(
    `${BASE}/api_keys`,
    {
      config: { idempotent: true },
      schema: {
        operationId: "createApiKey",
        tags,
        summary:
          "Create an API key (a Steward addition: Anthropic creates keys in its Console only)",
        body: ApiKeyCreateParams,
        response: { 200: ApiKeyCreated, ...errorResponses },
      },
    },
    (request) => s.apiKeys.create(request.ctx, request.body),
  );
  app.get(
    `${BASE}/api_keys/:api_key_id`,
    {
      schema: {
        operationId: "getApiKey",
        tags,
        params: ApiKeyIdParams,
        response: { 200: ApiKey, ...errorResponses },
      },
    },
    (request) => s.apiKeys.get(request.ctx, request.params.api_key_id),
  );
  app.post(
    `${BASE}/api_keys/:api_key_id`,
    {
      config: { idempotent: true },
      schema: {
        operationId: "updateApiKey",
        tags,
        summary: "Rename a key or change its status (archived is permanent)",
        params: ApiKeyIdParams,
        body: ApiKeyUpdateParams,
        response: { 200: ApiKey, ...errorResponses },
      },
    },
    (request) => s.apiKeys.update(request.ctx, request.params.api_key_id, request.body),
  );
}
