import { errorResponses } from "../../contract/common.js";
import {
  Workspace,
  WorkspaceCreateParams,
  WorkspaceListQuery,
  WorkspacePage,
  WorkspaceUpdateParams,
} from "../../contract/workspaces.js";
import type { Services } from "../../core/services.js";
import type { ZodApp } from "../types.js";
import { TAG } from "./docs/tags.js";
import { WorkspaceIdParams } from "./params.js";

/**
 * Workspaces: `/v1/workspaces` (whose list includes the default workspace) and Anthropic's
 * `/v1/organizations/workspaces` (whose list hides it unless asked).
 */
export function registerWorkspaceRoutes(app: ZodApp, s: Services): void {
  const tags = [TAG.workspaces];

  // Steward paths
  app.get(
    "/v1/workspaces",
    {
      schema: {
        operationId: "seedListWorkspaces",
        tags,
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
        tags,
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
        tags,
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
        tags,
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
        tags,
        params: WorkspaceIdParams,
        response: { 200: Workspace, ...errorResponses },
      },
    },
    (request) => s.workspaces.archive(request.ctx, request.params.workspace_id),
  );

  // Anthropic-compatible paths
  app.post(
    "/v1/organizations/workspaces",
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
    "/v1/organizations/workspaces",
    {
      schema: {
        operationId: "listWorkspaces",
        tags,
        querystring: WorkspaceListQuery,
        response: { 200: WorkspacePage, ...errorResponses },
      },
    },
    (request) => s.workspaces.list(request.ctx, request.query, { includeDefault: false }),
  );
  app.get(
    "/v1/organizations/workspaces/:workspace_id",
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
    "/v1/organizations/workspaces/:workspace_id",
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
    "/v1/organizations/workspaces/:workspace_id/archive",
    {
      config: { idempotent: true },
      schema: {
        operationId: "archiveWorkspace",
        tags,
        params: WorkspaceIdParams,
        response: { 200: Workspace, ...errorResponses },
      },
    },
    (request) => s.workspaces.archive(request.ctx, request.params.workspace_id),
  );
}
