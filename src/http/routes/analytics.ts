import type { FastifyRequest } from "fastify";
import {
  ANALYTICS_BETA,
  AnalyticsCostPage,
  AnalyticsCostQuery,
  AnalyticsUsagePage,
  AnalyticsUsageQuery,
  CostReportBucketsQuery,
  CostReportPage,
  UsageReportPage,
  UsageReportQuery,
  UserCostReportPage,
  UserCostReportQuery,
  UserUsageReportPage,
  UserUsageReportQuery,
} from "../../contract/analytics.js";
import { errorResponses } from "../../contract/common.js";
import { invalidRequest } from "../../core/errors.js";
import type { Services } from "../../core/services.js";
import type { ZodApp } from "../types.js";
import { TAG } from "./docs/tags.js";

/** Reports are built typed against their schema and written with JSON.stringify (see usage.ts). */
const serializeReport = { serializerCompiler: () => (data: unknown) => JSON.stringify(data) };

/**
 * `usage` and `cost` are in beta at Anthropic, which requires its beta in `anthropic-beta` (the
 * SDK always sends it); Steward answers the same 400 without it, so that a client written against
 * Steward works against Anthropic too.
 */
function requireBeta(request: FastifyRequest): void {
  const header = request.headers["anthropic-beta"];
  const betas = (Array.isArray(header) ? header.join(",") : (header ?? ""))
    .split(",")
    .map((beta) => beta.trim());
  if (!betas.includes(ANALYTICS_BETA)) {
    throw invalidRequest(
      `anthropic-beta: this endpoint is in beta; send the header \`anthropic-beta: ${ANALYTICS_BETA}\``,
    );
  }
}

/** The analytics reports (`client.beta.organization.analytics.*`), on Anthropic's paths. */
export function registerAnalyticsRoutes(app: ZodApp, s: Services): void {
  app.get(
    "/v1/organizations/analytics/usage",
    {
      ...serializeReport,
      schema: {
        operationId: "getAnalyticsUsage",
        tags: [TAG.usage],
        querystring: AnalyticsUsageQuery,
        response: { 200: AnalyticsUsagePage, ...errorResponses },
      },
    },
    (request) => {
      requireBeta(request);
      return s.analytics.usage(request.ctx, request.query);
    },
  );

  app.get(
    "/v1/organizations/analytics/cost",
    {
      ...serializeReport,
      schema: {
        operationId: "getAnalyticsCost",
        tags: [TAG.usage],
        querystring: AnalyticsCostQuery,
        response: { 200: AnalyticsCostPage, ...errorResponses },
      },
    },
    (request) => {
      requireBeta(request);
      return s.analytics.cost(request.ctx, request.query);
    },
  );

  app.get(
    "/v1/organizations/analytics/usage_report",
    {
      ...serializeReport,
      schema: {
        operationId: "getAnalyticsUsageReport",
        tags: [TAG.usage],
        querystring: UsageReportQuery,
        response: { 200: UsageReportPage, ...errorResponses },
      },
    },
    (request) => s.analytics.usageReport(request.ctx, request.query),
  );

  app.get(
    "/v1/organizations/analytics/cost_report",
    {
      ...serializeReport,
      schema: {
        operationId: "getAnalyticsCostReport",
        tags: [TAG.usage],
        querystring: CostReportBucketsQuery,
        response: { 200: CostReportPage, ...errorResponses },
      },
    },
    (request) => s.analytics.costReport(request.ctx, request.query),
  );

  app.get(
    "/v1/organizations/analytics/user_usage_report",
    {
      ...serializeReport,
      schema: {
        operationId: "getAnalyticsUserUsageReport",
        tags: [TAG.usage],
        querystring: UserUsageReportQuery,
        response: { 200: UserUsageReportPage, ...errorResponses },
      },
    },
    (request) => s.analytics.userUsageReport(request.ctx, request.query),
  );

  app.get(
    "/v1/organizations/analytics/user_cost_report",
    {
      ...serializeReport,
      schema: {
        operationId: "getAnalyticsUserCostReport",
        tags: [TAG.usage],
        querystring: UserCostReportQuery,
        response: { 200: UserCostReportPage, ...errorResponses },
      },
    },
    (request) => s.analytics.userCostReport(request.ctx, request.query),
  );
}
