import { errorResponses } from "../../contract/common.js";
import {
  ServiceAccount,
  ServiceAccountCreateParams,
  ServiceAccountListQuery,
  ServiceAccountMembershipQuery,
  ServiceAccountPage,
  ServiceAccountUpdateParams,
  ServiceAccountWorkspaceAddParams,
  ServiceAccountWorkspaceMember,
  ServiceAccountWorkspaceMemberDeleteResponse,
  ServiceAccountWorkspaceMemberPage,
  WorkspaceServiceAccountAddParams,
  WorkspaceServiceAccountUpdateParams,
} from "../../contract/service-accounts.js";
import type { Services } from "../../core/services.js";
import type { ZodApp } from "../types.js";
import { TAG } from "./docs/tags.js";
import { ServiceAccountIdParams, ServiceAccountMemberParams, WorkspaceIdParams } from "./params.js";

/**
 * Service accounts and their workspace memberships, on Anthropic's paths only
 * (`/v1/organizations/service_accounts`, `/v1/organizations/workspaces/{id}/service_accounts`).
 * A membership is reachable from both sides; both run the same service method.
 */
export function registerServiceAccountRoutes(app: ZodApp, s: Services): void {
  const tags = [TAG.serviceAccounts];
  const base = "/v1/organizations/service_accounts";

  app.post(
    base,
    {
      config: { idempotent: true },
      schema: {
        operationId: "createServiceAccount",
        tags,
        body: ServiceAccountCreateParams,
        response: { 200: ServiceAccount, ...errorResponses },
      },
    },
    (request) => s.serviceAccounts.create(request.ctx, request.body),
  );
  app.get(
    base,
    {
      schema: {
        operationId: "listServiceAccounts",
        tags,
        querystring: ServiceAccountListQuery,
        response: { 200: ServiceAccountPage, ...errorResponses },
      },
    },
    (request) => s.serviceAccounts.list(request.ctx, request.query),
  );
  app.get(
    `${base}/:service_account_id`,
    {
      schema: {
        operationId: "getServiceAccount",
        tags,
        params: ServiceAccountIdParams,
        response: { 200: ServiceAccount, ...errorResponses },
      },
    },
    (request) => s.serviceAccounts.get(request.ctx, request.params.service_account_id),
  );
  app.post(
    `${base}/:service_account_id`,
    {
      config: { idempotent: true },
      schema: {
        operationId: "updateServiceAccount",
        tags,
        params: ServiceAccountIdParams,
        body: ServiceAccountUpdateParams,
        response: { 200: ServiceAccount, ...errorResponses },
      },
    },
    (request) =>
      s.serviceAccounts.update(request.ctx, request.params.service_account_id, request.body),
  );
  app.post(
    `${base}/:service_account_id/archive`,
    {
      config: { idempotent: true },
      schema: {
        operationId: "archiveServiceAccount",
        tags,
        params: ServiceAccountIdParams,
        response: { 200: ServiceAccount, ...errorResponses },
      },
    },
    (request) => s.serviceAccounts.archive(request.ctx, request.params.service_account_id),
  );

  // Memberships, from the service account's side
  app.get(
    `${base}/:service_account_id/workspaces`,
    {
      schema: {
        operationId: "listServiceAccountWorkspaces",
        tags,
        params: ServiceAccountIdParams,
        querystring: ServiceAccountMembershipQuery,
        response: { 200: ServiceAccountWorkspaceMemberPage, ...errorResponses },
      },
    },
    (request) =>
      s.serviceAccounts.listWorkspaces(
        request.ctx,
        request.params.service_account_id,
        request.query,
      ),
  );
  app.post(
    `${base}/:service_account_id/workspaces`,
    {
      config: { idempotent: true },
      schema: {
        operationId: "addServiceAccountWorkspace",
        tags,
        params: ServiceAccountIdParams,
        body: ServiceAccountWorkspaceAddParams,
        response: { 200: ServiceAccountWorkspaceMember, ...errorResponses },
      },
    },
    (request) =>
      s.serviceAccounts.addToWorkspace(
        request.ctx,
        request.body.workspace_id,
        request.params.service_account_id,
        request.body.workspace_role,
      ),
  );
  app.delete(
    `${base}/:service_account_id/workspaces/:workspace_id`,
    {
      config: { idempotent: true },
      schema: {
        operationId: "removeServiceAccountWorkspace",
        tags,
        params: ServiceAccountMemberParams,
        response: { 200: ServiceAccountWorkspaceMemberDeleteResponse, ...errorResponses },
      },
    },
    (request) =>
      s.serviceAccounts.removeFromWorkspace(
        request.ctx,
        request.params.workspace_id,
        request.params.service_account_id,
      ),
  );

  // Memberships, from the workspace's side
  const members = "/v1/organizations/workspaces/:workspace_id/service_accounts";
  app.get(
    members,
    {
      schema: {
        operationId: "listWorkspaceServiceAccounts",
        tags,
        params: WorkspaceIdParams,
        querystring: ServiceAccountMembershipQuery,
        response: { 200: ServiceAccountWorkspaceMemberPage, ...errorResponses },
      },
    },
    (request) =>
      s.serviceAccounts.listWorkspaceMembers(
        request.ctx,
        request.params.workspace_id,
        request.query,
      ),
  );
  app.post(
    members,
    {
      config: { idempotent: true },
      schema: {
        operationId: "addWorkspaceServiceAccount",
        tags,
        params: WorkspaceIdParams,
        body: WorkspaceServiceAccountAddParams,
        response: { 200: ServiceAccountWorkspaceMember, ...errorResponses },
      },
    },
    (request) =>
      s.serviceAccounts.addToWorkspace(
        request.ctx,
        request.params.workspace_id,
        request.body.service_account_id,
        request.body.workspace_role,
      ),
  );
  app.get(
    `${members}/:service_account_id`,
    {
      schema: {
        operationId: "getWorkspaceServiceAccount",
        tags,
        params: ServiceAccountMemberParams,
        response: { 200: ServiceAccountWorkspaceMember, ...errorResponses },
      },
    },
    (request) =>
      s.serviceAccounts.getMembership(
        request.ctx,
        request.params.workspace_id,
        request.params.service_account_id,
      ),
  );
  app.post(
    `${members}/:service_account_id`,
    {
      config: { idempotent: true },
      schema: {
        operationId: "updateWorkspaceServiceAccount",
        tags,
        params: ServiceAccountMemberParams,
        body: WorkspaceServiceAccountUpdateParams,
        response: { 200: ServiceAccountWorkspaceMember, ...errorResponses },
      },
    },
    (request) =>
      s.serviceAccounts.updateMembership(
        request.ctx,
        request.params.workspace_id,
        request.params.service_account_id,
        request.body.workspace_role,
      ),
  );
  app.delete(
    `${members}/:service_account_id`,
    {
      config: { idempotent: true },
      schema: {
        operationId: "removeWorkspaceServiceAccount",
        tags,
        params: ServiceAccountMemberParams,
        response: { 200: ServiceAccountWorkspaceMemberDeleteResponse, ...errorResponses },
      },
    },
    (request) =>
      s.serviceAccounts.removeFromWorkspace(
        request.ctx,
        request.params.workspace_id,
        request.params.service_account_id,
      ),
  );
}
