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

const CSV_NOTE = "Answers CSV (one row per bucket and group) with `Accept: text/csv`.";

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
        tags: ["Usage"],
        summary: "Token usage and cost per hour, day or month, with a per-model breakdown",
        description: CSV_NOTE,
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
        tags: ["Usage"],
        summary: "Record usage that did not pass through the gateway (idempotent by event id)",
        description:
          "Each event is a `UsageEventInput` and is checked on its own: the response counts the stored events and the duplicates, and names each rejected event's index, field and reason.",
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
        tags: ["Usage"],
        summary: "Usage events refused or not writable, oldest first",
        description:
          "Events the gateway metered but did not store and sum: token counts that are not non-negative safe integers, a cost out of range, or a row the database refused (the rest of its batch was written). Each keeps the event's columns; they count in no report and no spend limit's stored spend.",
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
        tags: ["Usage and cost"],
        summary: "Token usage per 1m, 1h or 1d bucket, grouped and filtered by dimension",
        description: `${CSV_NOTE} A CSV page says whether more follow in \`x-has-more\` and \`x-next-page\`.`,
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
        tags: ["Usage and cost"],
        summary: "Cost per day, by workspace and by line item",
        description: `${CSV_NOTE} A CSV page says whether more follow in \`x-has-more\` and \`x-next-page\`.`,
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
