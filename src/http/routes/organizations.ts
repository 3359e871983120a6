import { errorResponses } from "../../contract/common.js";
import { Organization, OrganizationUpdateParams } from "../../contract/organizations.js";
import type { Services } from "../../core/services.js";
import type { ZodApp } from "../types.js";
import { TAG } from "./docs/tags.js";

/**
 * The organization of the calling admin key: `GET`, `POST` and `PATCH /v1/organizations`, and
 * Anthropic's `GET /v1/organizations/me`.
 */
export function registerOrganizationRoutes(app: ZodApp, s: Services): void {
  const tags = [TAG.organization];

  // Steward paths
  app.get(
    "/v1/organizations",
    {
      schema: {
        operationId: "seedGetOrganization",
        tags,
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
        tags,
        body: OrganizationUpdateParams,
        response: { 200: Organization, ...errorResponses },
      },
      handler: (request) => s.organizations.update(request.ctx, request.body),
    });
  }

  // Anthropic-compatible paths
  app.get(
    "/v1/organizations/me",
    {
      schema: {
        operationId: "getOrganizationMe",
        tags: [TAG.organization],
        response: { 200: Organization, ...errorResponses },
      },
    },
    (request) => s.organizations.get(request.ctx),
  );
}
