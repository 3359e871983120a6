import { errorResponses } from "../../contract/common.js";
import {
  OffboardParams,
  OffboardResponse,
  OnboardParams,
  OnboardResponse,
} from "../../contract/lifecycle.js";
import type { Services } from "../../core/services.js";
import type { ZodApp } from "../types.js";
import { TAG } from "./docs/tags.js";
import { UserIdParams } from "./params.js";

/**
 * Onboarding and offboarding, server-side and in one transaction each: on the Steward paths
 * (`/v1/users/onboard`, `/v1/users/{id}/offboard`) and the same under `/v1/organizations/users`.
 */
export function registerLifecycleRoutes(app: ZodApp, s: Services): void {
  const tags = [TAG.lifecycle];
  // The Steward paths' operation ids keep the prefix they were published with.
  const surfaces = [
    { base: "/v1/users", prefix: "seed" },
    { base: "/v1/organizations/users", prefix: "" },
  ];
  for (const { base, prefix } of surfaces) {
    const op = (name: string) =>
      prefix === "" ? name : `${prefix}${name[0]?.toUpperCase()}${name.slice(1)}`;
    app.post(
      `${base}/onboard`,
      {
        config: { idempotent: true },
        schema: {
          operationId: op("onboardUser"),
          tags,
          body: OnboardParams,
          response: { 200: OnboardResponse, ...errorResponses },
        },
      },
      (request) => s.lifecycle.onboard(request.ctx, request.body),
    );
    app.post(
      `${base}/:user_id/offboard`,
      {
        config: { idempotent: true },
        schema: {
          operationId: op("offboardUser"),
          tags,
          params: UserIdParams,
          body: OffboardParams,
          response: { 200: OffboardResponse, ...errorResponses },
        },
      },
      (request) =>
        request.body?.dry_run === true
          ? s.lifecycle.previewOffboard(request.ctx, request.params.user_id)
          : s.lifecycle.offboard(request.ctx, request.params.user_id),
    );
  }
}
