import { TAG } from "./tags.js";
import type { Paths } from "./types.js";

/**
 * Health, readiness and metrics: served outside the Admin API's schemas (src/http/app.ts,
 * src/http/routes/metrics.ts), described here for load balancers, orchestrators and Prometheus.
 */

const status = (values: string[]): Record<string, unknown> => ({
  type: "object",
  required: ["status"],
  properties: { status: { type: "string", enum: values } },
});

export const OPERATIONS_PATHS: Paths = {
  "/healthz": {
    get: {
      operationId: "getHealth",
      tags: [TAG.operations],
      summary: "Check that the process is alive",
      description:
        "Answers 200 while the process runs, without touching the database: a liveness probe (the Dockerfile's HEALTHCHECK, Kubernetes' `livenessProbe`).",
      security: [],
      responses: {
        "200": {
          description: "The process is alive",
          content: { "application/json": { schema: status(["ok"]), example: { status: "ok" } } },
        },
      },
    },
  },
  "/readyz": {
    get: {
      operationId: "getReadiness",
      tags: [TAG.operations],
      summary: "Check that the node can serve",
      description:
        "Answers 200 when the database answers, and 503 when it does not within `READINESS_TIMEOUT_MS`: a readiness probe, to take a node out of a load balancer. With a shared Redis (`REDIS_URL`), `redis` says whether it is up; Redis down is `degraded`, not unready, since the node keeps serving valid keys.",
      security: [],
      responses: {
        "200": {
          description: "Ready",
          content: {
            "application/json": {
              schema: {
                ...status(["ready"]),
                properties: {
                  status: { type: "string", enum: ["ready"] },
                  redis: { type: "string", description: "The shared Redis' state, when used" },
                  degraded: { type: "boolean" },
                },
              },
              example: { status: "ready", redis: "up" },
            },
          },
        },
        "503": {
          description: "The database is unreachable",
          content: {
            "application/json": {
              schema: {
                ...status(["unavailable"]),
                properties: {
                  status: { type: "string", enum: ["unavailable"] },
                  reason: { type: "string" },
                },
              },
              example: { status: "unavailable", reason: "database unreachable" },
            },
          },
        },
      },
    },
  },
  "/metrics": {
    get: {
      operationId: "getMetrics",
      tags: [TAG.operations],
      summary: "Scrape Prometheus metrics",
      description:
        "Prometheus' text exposition of the gateway's and the process' metrics: requests and refusals, upstream latency, the metering queue and spool, failed admin authentications. Served when the gateway runs. Where it listens and whether it takes a token is set in the configuration; docs/operations.md lists the metrics' names.",
      security: [],
      responses: {
        "200": {
          description: "The metrics",
          content: {
            "text/plain": {
              schema: { type: "string" },
              example:
                '# HELP steward_gateway_requests_total Gateway requests answered, by route and HTTP status\n# TYPE steward_gateway_requests_total counter\nsteward_gateway_requests_total{route="messages",status="200"} 18234\n',
            },
          },
        },
      },
    },
  },
};
