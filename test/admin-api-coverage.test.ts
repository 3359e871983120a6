/**
 * docs/admin-api-coverage.md is what scripts/admin-api-coverage.ts writes today: a route added (or
 * an SDK upgraded) without `npm run coverage:admin-api` fails here. The reader itself is checked
 * against methods whose route, verb and beta header are known.
 */
import { describe, expect, it } from "vitest";
import {
  COVERAGE_PATH,
  generateCoverage,
  readCommittedCoverage,
  routeKey,
  sdkAdminMethods,
} from "../scripts/admin-api-coverage.js";

describe("Admin API coverage table", () => {
  const methods = sdkAdminMethods();
  const byCall = new Map(methods.map((method) => [method.call, method]));

  it("should read every method of both SDK trees, each once", () => {
    expect(new Set(methods.map((method) => method.call)).size).toBe(methods.length);
    const beta = methods.filter((method) => method.call.startsWith("beta.organization."));
    expect(beta.length).toBeGreaterThan(0);
    expect(methods.length - beta.length).toBeGreaterThan(0);
    for (const method of methods) {
      expect(method.path, method.call).toMatch(/^\/v1\/organizations(\/|$)/);
    }
  });

  it("should read verb, route and beta header as the SDK sends them", () => {
    expect(byCall.get("organization.retrieve")).toEqual({
      call: "organization.retrieve",
      httpMethod: "GET",
      path: "/v1/organizations/me",
      beta: null,
    });
    expect(byCall.get("organization.apiKeys.update")).toMatchObject({
      httpMethod: "POST",
      path: "/v1/organizations/api_keys/{api_key_id}",
    });
    expect(byCall.get("organization.workspaces.members.remove")).toMatchObject({
      httpMethod: "DELETE",
      path: "/v1/organizations/workspaces/{workspace_id}/members/{user_id}",
    });
    expect(byCall.get("beta.organization.analytics.usage.list")).toMatchObject({
      httpMethod: "GET",
      beta: "analytics-usage-cost-2026-08-24",
    });
    expect(byCall.get("organization.workspaces.rateLimits.list")?.path).toBe(
      "/v1/organizations/workspaces/{workspace_id}/rate_limits",
    );
  });

  it("should match routes whatever their parameters are named", () => {
    expect(routeKey("get", "/v1/organizations/users/{user_id}")).toBe(
      routeKey("GET", "/v1/organizations/users/{userID}"),
    );
    expect(routeKey("get", "/v1/organizations/users/{id}")).not.toBe(
      routeKey("POST", "/v1/organizations/users/{id}"),
    );
  });

  it(`should have ${COVERAGE_PATH} up to date (npm run coverage:admin-api)`, async () => {
    expect(readCommittedCoverage()).toBe(await generateCoverage());
  });
});
