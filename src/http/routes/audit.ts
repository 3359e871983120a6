import { Readable } from "node:stream";
import type { FastifyReply } from "fastify";
import { AuditLogPage, AuditLogQuery } from "../../contract/audit.js";
import { errorResponses } from "../../contract/common.js";
import type { Services } from "../../core/services.js";
import type { ZodApp } from "../types.js";
import { TAG } from "./docs/tags.js";

const NDJSON = "application/x-ndjson";

/** `GET /v1/organizations/audit_logs`: pages of records, or every match as NDJSON. */
export function registerAuditRoutes(app: ZodApp, s: Services): void {
  app.get(
    "/v1/organizations/audit_logs",
    {
      schema: {
        operationId: "listAuditLogs",
        tags: [TAG.audit],
        querystring: AuditLogQuery,
        response: { 200: AuditLogPage, ...errorResponses },
      },
    },
    async (request, reply) => {
      if (request.headers.accept?.includes(NDJSON)) {
        const records = s.auditLog.export(request.ctx, request.query);
        // Pulled as the client reads: an export of any size streams in constant memory.
        const lines = Readable.from(
          (async function* () {
            for await (const record of records) {
              yield `${JSON.stringify(record)}\n`;
            }
          })(),
        );
        // A stream is sent as it is, not serialized against the page schema.
        return (reply as FastifyReply).type(NDJSON).send(lines);
      }
      return s.auditLog.list(request.ctx, request.query);
    },
  );
}
