import { errorResponses } from "../../contract/common.js";
import {
  User,
  UserDeleteResponse,
  UserListQuery,
  UserPage,
  UserUpdated,
  UserUpdateParams,
} from "../../contract/users.js";
import type { Services } from "../../core/services.js";
import type { ZodApp } from "../types.js";
import { TAG } from "./docs/tags.js";
import { UserIdParams } from "./params.js";

/**
 * The organization's members: `/v1/users` and Anthropic's `/v1/organizations/users` (updates are
 * a PATCH on the first, a POST on the second). Removing a member revokes their API keys.
 */
export function registerUserRoutes(app: ZodApp, s: Services): void {
  const tags = [TAG.users];

  // Steward paths
  app.get(
    "/v1/users",
    {
      schema: {
        operationId: "seedListUsers",
        tags,
        querystring: UserListQuery,
        response: { 200: UserPage, ...errorResponses },
      },
    },
    (request) => s.users.list(request.ctx, request.query),
  );
  app.get(
    "/v1/users/:user_id",
    {
      schema: {
        operationId: "seedGetUser",
        tags,
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
        tags,
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
        tags,
        params: UserIdParams,
        response: { 200: UserDeleteResponse, ...errorResponses },
      },
    },
    (request) => s.users.remove(request.ctx, request.params.user_id),
  );

  // Anthropic-compatible paths
  app.get(
    "/v1/organizations/users",
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
    "/v1/organizations/users/:user_id",
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
    "/v1/organizations/users/:user_id",
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
    "/v1/organizations/users/:user_id",
    {
      config: { idempotent: true },
      schema: {
        operationId: "removeUser",
        tags,
        params: UserIdParams,
        response: { 200: UserDeleteResponse, ...errorResponses },
      },
    },
    (request) => s.users.remove(request.ctx, request.params.user_id),
  );
}
