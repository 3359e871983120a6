import {
  ApiKey,
  ApiKeyCreated,
  ApiKeyCreateParams,
  ApiKeyDeleteResponse,
  ApiKeyListQuery,
  ApiKeyPage,
  ApiKeyUpdateParams,
} from "../../contract/api-keys.js";
import { errorResponses } from "../../contract/common.js";
import type { Services } from "../../core/services.js";
import type { ZodApp } from "../types.js";
import { TAG } from "./docs/tags.js";
import { ApiKeyIdParams } from "./params.js";

/**
 * API keys: `/v1/api_keys` (revoked with DELETE, updated with PATCH) and Anthropic's
 * `/v1/organizations/api_keys` (updated with POST; creating one there is a Steward addition).
 */
export function registerApiKeyRoutes(app: ZodApp, s: Services): void {
  const tags = [TAG.apiKeys];

  // Steward paths
  app.get(
    "/v1/api_keys",
    {
      schema: {
        operationId: "seedListApiKeys",
        tags,
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
        tags,
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
        tags,
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
        tags,
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
        tags,
        params: ApiKeyIdParams,
        response: { 200: ApiKeyDeleteResponse, ...errorResponses },
      },
    },
    (request) => s.apiKeys.revoke(request.ctx, request.params.api_key_id),
  );

  // Anthropic-compatible paths
  app.get(
    "/v1/organizations/api_keys",
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
    "/v1/organizations/api_keys",
    {
      config: { idempotent: true },
      schema: {
        operationId: "createApiKey",
        tags,
        body: ApiKeyCreateParams,
        response: { 200: ApiKeyCreated, ...errorResponses },
      },
    },
    (request) => s.apiKeys.create(request.ctx, request.body),
  );
  app.get(
    "/v1/organizations/api_keys/:api_key_id",
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
    "/v1/organizations/api_keys/:api_key_id",
    {
      config: { idempotent: true },
      schema: {
        operationId: "updateApiKey",
        tags,
        params: ApiKeyIdParams,
        body: ApiKeyUpdateParams,
        response: { 200: ApiKey, ...errorResponses },
      },
    },
    (request) => s.apiKeys.update(request.ctx, request.params.api_key_id, request.body),
  );
}
