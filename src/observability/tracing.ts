/**
 * OpenTelemetry traces, exported over OTLP/HTTP. Imported only when OTEL_EXPORTER_OTLP_ENDPOINT
 * (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set (src/runtime.ts, by dynamic import): without it,
 * none of these modules is loaded. The exporter reads its own OTEL_EXPORTER_OTLP_* variables
 * (endpoint, headers, timeout), the resource OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES, the
 * batch processor OTEL_BSP_*.
 */
import {
  type Context,
  isSpanContextValid,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import {
  defaultResource,
  detectResources,
  envDetector,
  resourceFromAttributes,
} from "@opentelemetry/resources";
import { BasicTracerProvider, BatchSpanProcessor } from "@opentelemetry/sdk-trace-base";
import {
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_SERVICE_NAME,
  ATTR_SERVICE_VERSION,
} from "@opentelemetry/semantic-conventions";
import type { FastifyRequest } from "fastify";
import type { GatewayTracer, RequestTrace, Tracing } from "./tracer.js";

export interface TracingOptions {
  serviceVersion: string;
  /** The traces endpoint's whole URL; the exporter's environment variables otherwise (tests). */
  url?: string;
}

/** The gateway's routes as paths, for span names and `http.route`. */
const ROUTE_PATHS: Record<string, string> = {
  messages: "/v1/messages",
  count_tokens: "/v1/messages/count_tokens",
  models: "/v1/models",
};

/**
 * The client's W3C `traceparent` as a remote parent, when it is a valid one. Read here rather
 * than through @opentelemetry/core's propagator, which this project does not depend on directly:
 * the format is one line of the W3C Trace Context recommendation.
 */
function parentOf(header: unknown): Context {
  const match =
    typeof header === "string"
      ? /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(?:-|$)/.exec(header.trim())
      : null;
  if (match === null || match[1] === "ff") {
    return ROOT_CONTEXT;
  }
  const spanContext = {
    traceId: match[2] as string,
    spanId: match[3] as string,
    traceFlags: Number.parseInt(match[4] as string, 16) & 1,
    isRemote: true,
  };
  return isSpanContextValid(spanContext)
    ? trace.setSpanContext(ROOT_CONTEXT, spanContext)
    : ROOT_CONTEXT;
}

/** A span's W3C `traceparent`, for the upstream. */
function traceparentOf(span: Span): string {
  const { traceId, spanId, traceFlags } = span.spanContext();
  return `00-${traceId}-${spanId}-0${traceFlags & 1}`;
}

export function startTracing(options: TracingOptions): Tracing {
  const resource = defaultResource()
    .merge(
      resourceFromAttributes({
        [ATTR_SERVICE_NAME]: "steward",
        [ATTR_SERVICE_VERSION]: options.serviceVersion,
      }),
    )
    .merge(detectResources({ detectors: [envDetector] }));
  const exporter = new OTLPTraceExporter(options.url === undefined ? {} : { url: options.url });
  const provider = new BasicTracerProvider({
    resource,
    spanProcessors: [new BatchSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer("steward", options.serviceVersion);

  const gateway: GatewayTracer = {
    start(route, method, requestId, headers): RequestTrace {
      const path = ROUTE_PATHS[route] ?? route;
      const root = tracer.startSpan(
        `${method} ${path}`,
        {
          kind: SpanKind.SERVER,
          attributes: {
            [ATTR_HTTP_REQUEST_METHOD]: method,
            [ATTR_HTTP_ROUTE]: path,
            "steward.request_id": requestId,
          },
        },
        parentOf(headers.traceparent),
      );
      const within = trace.setSpan(ROOT_CONTEXT, root);
      let admission: Span | undefined = tracer.startSpan("admission", {}, within);
      let upstream: Span | undefined;
      const endAdmission = () => {
        admission?.end();
        admission = undefined;
      };
      return {
        upstreamStarted(keyId, workspaceId, upstreamHeaders) {
          endAdmission();
          root.setAttribute("steward.api_key_id", keyId);
          root.setAttribute("steward.workspace_id", workspaceId);
          upstream = tracer.startSpan(
            `${method} upstream`,
            { kind: SpanKind.CLIENT, attributes: { [ATTR_HTTP_REQUEST_METHOD]: method } },
            within,
          );
          upstreamHeaders.traceparent = traceparentOf(upstream);
          delete upstreamHeaders.tracestate; // the client's, for a parent that is not ours
        },
        upstreamEnded(status, error) {
          if (upstream === undefined) {
            return;
          }
          if (status > 0) {
            upstream.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
          }
          if (error !== undefined || status === 0 || status >= 500) {
            upstream.setStatus({ code: SpanStatusCode.ERROR, message: error?.message ?? "" });
          }
          upstream.end();
          upstream = undefined;
        },
        end(status, model, usage) {
          endAdmission();
          root.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
          if (model !== undefined) {
            root.setAttribute("gen_ai.request.model", model);
          }
          if (usage !== undefined) {
            root.setAttribute("gen_ai.usage.input_tokens", usage.input_tokens);
            root.setAttribute("gen_ai.usage.output_tokens", usage.output_tokens);
            root.setAttribute("steward.cost_usd", usage.cost_nanos / 1e9);
          }
          if (status >= 500) {
            root.setStatus({ code: SpanStatusCode.ERROR });
          }
          root.end();
        },
      };
    },
  };

  return {
    gateway,
    instrument(app) {
      const spans = new WeakMap<FastifyRequest, Span>();
      app.addHook("onRequest", (request, _reply, done) => {
        const route = request.routeOptions.url ?? "unmatched";
        spans.set(
          request,
          tracer.startSpan(
            `${request.method} ${route}`,
            {
              kind: SpanKind.SERVER,
              attributes: {
                [ATTR_HTTP_REQUEST_METHOD]: request.method,
                [ATTR_HTTP_ROUTE]: route,
                "steward.request_id": request.id,
              },
            },
            parentOf(request.headers.traceparent),
          ),
        );
        done();
      });
      const end = (request: FastifyRequest, status: number | undefined) => {
        const span = spans.get(request);
        if (span === undefined) {
          return;
        }
        spans.delete(request);
        if (status !== undefined) {
          span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
        }
        if (status === undefined || status >= 500) {
          span.setStatus({ code: SpanStatusCode.ERROR });
        }
        span.end();
      };
      app.addHook("onResponse", (request, reply, done) => {
        end(request, reply.statusCode);
        done();
      });
      app.addHook("onRequestAbort", (request, done) => {
        end(request, undefined);
        done();
      });
    },
    shutdown: () => provider.shutdown(),
  };
}
