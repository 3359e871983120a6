import { errorResponses, ListQuery } from "../../contract/common.js";
import {
  WorkspaceMember,
  WorkspaceMemberAddParams,
  WorkspaceMemberDeleteResponse,
  WorkspaceMemberPage,
  WorkspaceMemberUpdateParams,
} from "../../contract/workspaces.js";
import type { Services } from "../../core/services.js";
import type { ZodApp } from "../types.js";
import { TAG } from "./docs/tags.js";
import { MemberParams, WorkspaceIdParams } from "./params.js";

/** Workspace members: Anthropic's `/v1/organizations/workspaces/{id}/members` only. */
export function registerWorkspaceMemberRoutes(app: ZodApp, s: Services): void {
  const tags = [TAG.workspaceMembers];

  // Anthropic-compatible paths
  app.post(
    "/v1/organizations/workspaces/:workspace_id/members",
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
    "/v1/organizations/workspaces/:workspace_id/members",
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
    "/v1/organizations/workspaces/:workspace_id/members/:user_id",
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
    "/v1/organizations/workspaces/:workspace_id/members/:user_id",
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
    "/v1/organizations/workspaces/:workspace_id/members/:user_id",
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
