import {
  AdminKey,
  AdminKeyCreated,
  AdminKeyCreateParams,
  AdminKeyDeleteResponse,
  AdminKeyListQuery,
  AdminKeyPage,
  AdminKeyUpdateParams,
} from "../../contract/admin-keys.js";
import { errorResponses } from "../../contract/common.js";
import type { Services } from "../../core/services.js";
import type { ZodApp } from "../types.js";
import { TAG } from "./docs/tags.js";
import { AdminKeyIdParams } from "./params.js";

const BASE = "/v1/organizations/admin_keys";

/** Admin keys, for owners (src/core/admin-keys): updated with POST, revoked with DELETE. */
export function registerAdminKeyRoutes(app: ZodApp, s: Services): void {
  const tags = [TAG.adminKeys];
  app.get(
    BASE,
    {
      schema: {
        operationId: "listAdminKeys",
        tags,
        querystring: AdminKeyListQuery,
        response: { 200: AdminKeyPage, ...errorResponses },
      },
    },
    (request) => s.adminKeys.page(request.ctx, request.query),
  );
  app.post(
    BASE,
    {
      config: { idempotent: true },
      schema: {
        operationId: "createAdminKey",
        tags,
        body: AdminKeyCreateParams,
        response: { 200: AdminKeyCreated, ...errorResponses },
      },
    },
    (request) => s.adminKeys.createForMember(request.ctx, request.body),
  );
  app.get(
    `${BASE}/:admin_key_id`,
    {
      schema: {
        operationId: "getAdminKey",
        tags,
        params: AdminKeyIdParams,
        response: { 200: AdminKey, ...errorResponses },
      },
    },
    (request) => s.adminKeys.get(request.ctx, request.params.admin_key_id),
  );
  app.post(
    `${BASE}/:admin_key_id`,
    {
      config: { idempotent: true },
      schema: {
        operationId: "updateAdminKey",
        tags,
        params: AdminKeyIdParams,
        body: AdminKeyUpdateParams,
        response: { 200: AdminKey, ...errorResponses },
      },
    },
    (request) => s.adminKeys.rename(request.ctx, request.params.admin_key_id, request.body),
  );
  app.delete(
    `${BASE}/:admin_key_id`,
    {
      config: { idempotent: true },
      schema: {
        operationId: "revokeAdminKey",
        tags,
        params: AdminKeyIdParams,
        response: { 200: AdminKeyDeleteResponse, ...errorResponses },
      },
    },
    (request) => s.adminKeys.revokeInOrganization(request.ctx, request.params.admin_key_id),
  );
}
