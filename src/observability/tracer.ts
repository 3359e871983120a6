/**
 * What the gateway and the HTTP app ask of tracing, without OpenTelemetry's types: the OTel
 * implementation (src/observability/tracing.ts) is imported only when OTEL_EXPORTER_OTLP_ENDPOINT
 * is set, and without it the gateway holds no tracer and pays one `undefined` check per request.
 */
import type { FastifyInstance } from "fastify";

/** One gateway request's spans: the request's own, admission's, and the upstream call's. */
export interface RequestTrace {
  /**
   * Admission (key, IP allow-list, rate, spend) is over and the request goes upstream now: ends
   * the admission span, starts the upstream call's, and sets its `traceparent` in `headers`.
   */
  upstreamStarted(
    keyId: string,
    workspaceId: string,
    headers: Record<string, string | string[]>,
  ): void;
  /** The upstream answered with `status` (0: it could not be reached). */
  upstreamEnded(status: number, error: Error | undefined): void;
  /** The request is over: the status the client got, and what it used. */
  end(
    status: number,
    model: string | undefined,
    usage: { input_tokens: number; output_tokens: number; cost_nanos: number } | undefined,
  ): void;
}

export interface GatewayTracer {
  /** A gateway request's trace, continuing the client's `traceparent` when it sent one. */
  start(
    route: string,
    method: string,
    requestId: string,
    headers: Record<string, unknown>,
  ): RequestTrace;
}

export interface Tracing {
  gateway: GatewayTracer;
  /** Adds a span per Admin API (Fastify) request. */
  instrument(app: FastifyInstance): void;
  /** Exports the spans still buffered, then stops. */
  shutdown(): Promise<void>;
}
