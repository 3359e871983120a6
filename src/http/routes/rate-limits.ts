import { errorResponses } from "../../contract/common.js";
import {
  OrganizationRateLimitListQuery,
  OrganizationRateLimitPage,
  WorkspaceRateLimit,
  WorkspaceRateLimitListQuery,
  WorkspaceRateLimitPage,
  WorkspaceRateLimitUpdateParams,
} from "../../contract/rate-limits.js";
import type { Services } from "../../core/services.js";
import type { ZodApp } from "../types.js";
import { TAG } from "./docs/tags.js";
import { WorkspaceIdParams, WorkspaceRateLimitParams } from "./params.js";

/** Rate limits per rate-limit group, on Anthropic's paths only (the official SDK's). */
export function registerRateLimitRoutes(app: ZodApp, s: Services): void {
  const tags = [TAG.workspaces];
  app.get(
    "/v1/organizations/rate_limits",
    {
      schema: {
        operationId: "listOrganizationRateLimits",
        tags,
        querystring: OrganizationRateLimitListQuery,
        response: { 200: OrganizationRateLimitPage, ...errorResponses },
      },
    },
    (request) => s.rateLimits.listOrganization(request.ctx, request.query),
  );
  app.get(
    "/v1/organizations/workspaces/:workspace_id/rate_limits",
    {
      schema: {
        operationId: "listWorkspaceRateLimits",
        tags,
        params: WorkspaceIdParams,
        querystring: WorkspaceRateLimitListQuery,
        response: { 200: WorkspaceRateLimitPage, ...errorResponses },
      },
    },
    (request) =>
      s.rateLimits.listWorkspace(request.ctx, request.params.workspace_id, request.query),
  );
  app.post(
    "/v1/organizations/workspaces/:workspace_id/rate_limits/:rate_limit_id",
    {
      config: { idempotent: true },
      schema: {
        operationId: "updateWorkspaceRateLimit",
        tags,
        params: WorkspaceRateLimitParams,
        body: WorkspaceRateLimitUpdateParams,
        response: { 200: WorkspaceRateLimit, ...errorResponses },
      },
    },
    (request) =>
      s.rateLimits.update(
        request.ctx,
        request.params.workspace_id,
        request.params.rate_limit_id,
        request.body,
      ),
  );
}
