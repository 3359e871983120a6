import type { FastifyReply } from "fastify";
import { errorResponses } from "../../contract/common.js";
import {
  CostReport,
  CostReportQuery,
  MessagesUsageQuery,
  MessagesUsageReport,
  SeedUsageQuery,
  SeedUsageReport,
  UsageDeadLetterListQuery,
  UsageDeadLetterPage,
  UsageEventsIngestParams,
  UsageEventsIngestResult,
} from "../../contract/usage.js";
import type { Services } from "../../core/services.js";
import { costReportCsv, messagesUsageCsv, seedUsageCsv, sendCsv, wantsCsv } from "../csv.js";
import type { ZodApp } from "../types.js";
import { TAG } from "./docs/tags.js";

/**
 * Reports can hold thousands of results (a month by day, model and workspace). Their schema still
 * documents them in /openapi.json, but they are written with plain JSON.stringify: the services
 * build them typed against the same schema, and re-validating every result on the way out cost
 * more than building the report.
 */
const serializeReport = { serializerCompiler: () => (data: unknown) => JSON.stringify(data) };

/** Sends JSON that is already the response body, as bytes: it is not serialized again. */
function sendJsonBytes(reply: FastifyReply, json: Buffer): FastifyReply {
  return reply.type("application/json; charset=utf-8").send(json);
}

/** A call of 10,000 events is a few megabytes of JSON. */
const INGEST_BODY_LIMIT = 32 * 1024 * 1024;

/**
 * Usage and cost: Steward's `/v1/usage` report and event ingestion, and Anthropic's messages usage
 * report and cost report. Every report also answers CSV.
 */
export function registerUsageRoutes(app: ZodApp, s: Services): void {
  app.get(
    "/v1/usage",
    {
      ...serializeReport,
      schema: {
        operationId: "seedGetUsage",
        tags: [TAG.usage],
        querystring: SeedUsageQuery,
        response: { 200: SeedUsageReport, ...errorResponses },
      },
    },
    async (request, reply) => {
      const report = await s.usageReports.seedUsage(request.ctx, request.query);
      return wantsCsv(request) ? sendCsv(reply, "usage", seedUsageCsv(report)) : report;
    },
  );

  app.post(
    "/v1/usage/events",
    {
      config: { idempotent: true },
      bodyLimit: INGEST_BODY_LIMIT,
      schema: {
        operationId: "ingestUsageEvents",
        tags: [TAG.usage],
        body: UsageEventsIngestParams,
        response: { 200: UsageEventsIngestResult, ...errorResponses },
      },
    },
    (request) => s.usageIngestion.ingest(request.ctx, request.body.events),
  );

  app.get(
    "/v1/organizations/usage_dead_letters",
    {
      schema: {
        operationId: "listUsageDeadLetters",
        tags: [TAG.usage],
        querystring: UsageDeadLetterListQuery,
        response: { 200: UsageDeadLetterPage, ...errorResponses },
      },
    },
    (request) => s.usageReports.deadLetters(request.ctx, request.query),
  );

  app.get(
    "/v1/organizations/usage_report/messages",
    {
      ...serializeReport,
      schema: {
        operationId: "getMessagesUsageReport",
        tags: [TAG.usage],
        querystring: MessagesUsageQuery,
        response: { 200: MessagesUsageReport, ...errorResponses },
      },
    },
    async (request, reply) => {
      if (wantsCsv(request)) {
        const report = await s.usageReports.messagesUsage(request.ctx, request.query);
        return sendCsv(reply, "usage_report", messagesUsageCsv(report), report);
      }
      // Written by the database, result by result: the report's JSON, not a value to serialize.
      return sendJsonBytes(
        reply,
        await s.usageReports.messagesUsageJson(request.ctx, request.query),
      );
    },
  );

  app.get(
    "/v1/organizations/cost_report",
    {
      ...serializeReport,
      schema: {
        operationId: "getCostReport",
        tags: [TAG.usage],
        querystring: CostReportQuery,
        response: { 200: CostReport, ...errorResponses },
      },
    },
    async (request, reply) => {
      const report = await s.usageReports.costReport(request.ctx, request.query);
      return wantsCsv(request)
        ? sendCsv(reply, "cost_report", costReportCsv(report), report)
        : report;
    },
  );
}
