import {
  ApiKey,
  ApiKeyCreated,
  ApiKeyCreateParams,
  ApiKeyDeleteResponse,
  ApiKeyListQuery,
  ApiKeyPage,
  ApiKeyUpdateParams,
} from "../../../contract/api-keys.js";
import { errorResponses } from "../../../contract/common.js";
import { InviteCreated, InviteCreateParams } from "../../../contract/invites.js";
import { Organization, OrganizationUpdateParams } from "../../../contract/organizations.js";
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
  WorkspacePage,
  WorkspaceUpdateParams,
} from "../../../contract/workspaces.js";
import type { Services } from "../../../core/services.js";
import type { ZodApp } from "../../types.js";
import { ApiKeyIdParams, UserIdParams, WorkspaceIdParams } from "../params.js";

/**
 * The seed chapter's surface, with its paths and shapes: `/v1/organizations`, `/v1/users`,
 * `/v1/api_keys`, `/v1/workspaces`. Handlers only pick arguments and call one service method.
 */
export function registerSeedRoutes(app: ZodApp, s: Services): void {
  const tags = (name: string) => [`Seed: ${name}`];

  app.get(
    "/v1/organizations",
    {
      schema: {
        operationId: "seedGetOrganization",
        tags: tags("Organization"),
        summary: "Get the organization of the calling admin key",
        response: { 200: Organization, ...errorResponses },
      },
    },
    (request) => s.organizations.get(request.ctx),
  );
  for (const method of ["POST", "PATCH"] as const) {
    app.route({
      method,
      url: "/v1/organizations",
      config: { idempotent: true },
      schema: {
        operationId: method === "POST" ? "seedUpdateOrganization" : "seedPatchOrganization",
        tags: tags("Organization"),
        summary: "Update the organization's name, settings and billing limit",
        body: OrganizationUpdateParams,
        response: { 200: Organization, ...errorResponses },
      },
      handler: (request) => s.organizations.update(request.ctx, request.body),
    });
  }

  app.get(
    "/v1/users",
    {
      schema: {
        operationId: "seedListUsers",
        tags: tags("Users"),
        querystring: UserListQuery,
        response: { 200: UserPage, ...errorResponses },
      },
    },
    (request) => s.users.list(request.ctx, request.query),
  );
  app.post(
    "/v1/users/invite",
    {
      config: { idempotent: true },
      schema: {
        operationId: "seedInviteUser",
        tags: tags("Users"),
        summary: "Invite a person; the response carries the invite's one-time acceptance token",
        body: InviteCreateParams,
        response: { 200: InviteCreated, ...errorResponses },
      },
    },
    (request) => s.invites.create(request.ctx, request.body),
  );
  app.get(
    "/v1/users/:user_id",
    {
      schema: {
        operationId: "seedGetUser",
        tags: tags("Users"),
        params: UserIdParams,
        response: { 200: User, ...errorResponses },
      },
    },
    (request) => s.users.get(request.ctx, request.params.user_id),
  );
  app.patch(
    "/v1/users/:user_id",
    {
      config: { idempotent: true },
      schema: {
        operationId: "seedUpdateUser",
        tags: tags("Users"),
        params: UserIdParams,
        body: UserUpdateParams,
        response: { 200: UserUpdated, ...errorResponses },
      },
    },
    (request) => s.users.update(request.ctx, request.params.user_id, request.body),
  );
  app.delete(
    "/v1/users/:user_id",
    {
      config: { idempotent: true },
      schema: {
        operationId: "seedRemoveUser",
        tags: tags("Users"),
        summary: "Remove a member and revoke every API key they created or were issued",
        params: UserIdParams,
        response: { 200: UserDeleteResponse, ...errorResponses },
      },
    },
    (request) => s.users.remove(request.ctx, request.params.user_id),
  );

  app.get(
    "/v1/api_keys",
    {
      schema: {
        operationId: "seedListApiKeys",
        tags: tags("API keys"),
        querystring: ApiKeyListQuery,
        response: { 200: ApiKeyPage, ...errorResponses },
      },
    },
    (request) => s.apiKeys.list(request.ctx, request.query),
  );
  app.post(
    "/v1/api_keys",
    {
      config: { idempotent: true },
      schema: {
        operationId: "seedCreateApiKey",
        tags: tags("API keys"),
        summary: "Create an API key; the full key is in this response only",
        body: ApiKeyCreateParams,
        response: { 200: ApiKeyCreated, ...errorResponses },
      },
    },
    (request) => s.apiKeys.create(request.ctx, request.body),
  );
  app.get(
    "/v1/api_keys/:api_key_id",
    {
      schema: {
        operationId: "seedGetApiKey",
        tags: tags("API keys"),
        params: ApiKeyIdParams,
        response: { 200: ApiKey, ...errorResponses },
      },
    },
    (request) => s.apiKeys.get(request.ctx, request.params.api_key_id),
  );
  app.patch(
    "/v1/api_keys/:api_key_id",
    {
      config: { idempotent: true },
      schema: {
        operationId: "seedUpdateApiKey",
        tags: tags("API keys"),
        params: ApiKeyIdParams,
        body: ApiKeyUpdateParams,
        response: { 200: ApiKey, ...errorResponses },
      },
    },
    (request) => s.apiKeys.update(request.ctx, request.params.api_key_id, request.body),
  );
  app.delete(
    "/v1/api_keys/:api_key_id",
    {
      config: { idempotent: true },
      schema: {
        operationId: "seedRevokeApiKey",
        tags: tags("API keys"),
        summary: "Revoke an API key at once (its status becomes archived)",
        params: ApiKeyIdParams,
        response: { 200: ApiKeyDeleteResponse, ...errorResponses },
      },
    },
    (request) => s.apiKeys.revoke(request.ctx, request.params.api_key_id),
  );

  app.get(
    "/v1/workspaces",
    {
      schema: {
        operationId: "seedListWorkspaces",
        tags: tags("Workspaces"),
        summary: "List workspaces, the default workspace included (include_default=false hides it)",
        querystring: WorkspaceListQuery,
        response: { 200: WorkspacePage, ...errorResponses },
      },
    },
    (request) => s.workspaces.list(request.ctx, request.query, { includeDefault: true }),
  );
  app.post(
    "/v1/workspaces",
    {
      config: { idempotent: true },
      schema: {
        operationId: "seedCreateWorkspace",
        tags: tags("Workspaces"),
        body: WorkspaceCreateParams,
        response: { 200: Workspace, ...errorResponses },
      },
    },
    (request) => s.workspaces.create(request.ctx, request.body),
  );
  app.get(
    "/v1/workspaces/:workspace_id",
    {
      schema: {
        operationId: "seedGetWorkspace",
        tags: tags("Workspaces"),
        params: WorkspaceIdParams,
        response: { 200: Workspace, ...errorResponses },
      },
    },
    (request) => s.workspaces.get(request.ctx, request.params.workspace_id),
  );
  app.patch(
    "/v1/workspaces/:workspace_id",
    {
      config: { idempotent: true },
      schema: {
        operationId: "seedUpdateWorkspace",
        tags: tags("Workspaces"),
        params: WorkspaceIdParams,
        body: WorkspaceUpdateParams,
        response: { 200: Workspace, ...errorResponses },
      },
    },
    (request) => s.workspaces.update(request.ctx, request.params.workspace_id, request.body),
  );
  app.post(
    "/v1/workspaces/:workspace_id/archive",
    {
      config: { idempotent: true },
      schema: {
        operationId: "seedArchiveWorkspace",
        tags: tags("Workspaces"),
        params: WorkspaceIdParams,
        response: { 200: Workspace, ...errorResponses },
      },
    },
    (request) => s.workspaces.archive(request.ctx, request.params.workspace_id),
  );
}
