import { errorResponses } from "../../contract/common.js";
import {
  Invite,
  InviteAcceptParams,
  InviteCreated,
  InviteCreateParams,
  InviteDeleteResponse,
  InviteListQuery,
  InvitePage,
} from "../../contract/invites.js";
import { User } from "../../contract/users.js";
import type { Services } from "../../core/services.js";
import { requestMeta } from "../admin-auth.js";
import type { ZodApp } from "../types.js";
import { TAG } from "./docs/tags.js";
import { InviteIdParams } from "./params.js";

/**
 * Invitations: `POST /v1/users/invite` and Anthropic's `/v1/organizations/invites`. Accepting one
 * (`POST /v1/invites/accept`) takes the invite's token instead of an admin key: it is registered
 * apart, outside the admin key's scope.
 */
export function registerInviteRoutes(app: ZodApp, s: Services): void {
  const tags = [TAG.invites];

  // Steward paths
  app.post(
    "/v1/users/invite",
    {
      config: { idempotent: true },
      schema: {
        operationId: "seedInviteUser",
        tags,
        body: InviteCreateParams,
        response: { 200: InviteCreated, ...errorResponses },
      },
    },
    (request) => s.invites.create(request.ctx, request.body),
  );

  // Anthropic-compatible paths
  app.post(
    "/v1/organizations/invites",
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
    "/v1/organizations/invites",
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
    "/v1/organizations/invites/:invite_id",
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
    "/v1/organizations/invites/:invite_id",
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

/** The one route an invited person calls: no admin key, the invite's one-time token instead. */
export function registerInviteAcceptRoute(app: ZodApp, services: Services): void {
  app.post(
    "/v1/invites/accept",
    {
      schema: {
        operationId: "acceptInvite",
        tags: [TAG.invites],
        security: [],
        body: InviteAcceptParams,
        response: { 200: User, ...errorResponses },
      },
    },
    (request) => services.invites.accept(request.body, requestMeta(request)),
  );
}
