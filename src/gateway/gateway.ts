import type { IncomingHttpHeaders, OutgoingHttpHeaders, ServerResponse } from "node:http";
import type { FastifyBaseLogger } from "fastify";
import { Pool, errors as undiciErrors } from "undici";
import type { ErrorType } from "../core/errors.js";
import { monthOf } from "../core/months.js";
import type { Clock } from "../core/ports.js";
import type { PriceTable } from "../core/usage/prices.js";
import { contextWindowOf, costColumns } from "../core/usage/usage-events.js";
import type { UsageEventRow } from "../db/schema.js";
import { presentedKey } from "../http/anthropic-headers.js";
import { type Admitted, admit, type Refusal } from "./admission.js";
import type { GatewayState } from "./gateway-state.js";
import type { GatewayMetrics } from "./metrics.js";
import type { RateDecision, RateLimiter } from "./rate-limiter.js";
import type { Reservation, SpendLedger } from "./spend-ledger.js";
import { emptyUsage, SseUsageParser, type Usage, usageFromMessage } from "./usage.js";
import type { UsageRecorder } from "./usage-recorder.js";

export type GatewayRoute = "messages" | "count_tokens" | "models";

/** What the gateway needs of a request, whichever HTTP layer received it. */
export interface GatewayRequest {
  id: string;
  /** The client's address, forwarding headers of trusted proxies already applied. */
  ip: string;
  method: string;
  /** Path and query, as received. */
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer | undefined;
}

export interface GatewayDeps {
  state: GatewayState;
  limiter: RateLimiter;
  ledger: SpendLedger;
  prices: PriceTable;
  recorder: UsageRecorder;
  metrics: GatewayMetrics;
  clock: Clock;
  log: FastifyBaseLogger;
}

export interface UpstreamOptions {
  url: string;
  apiKey: string | undefined;
  timeoutMs: number;
  connections?: number;
}

// Headers that describe one hop, or carry the client's credentials: never forwarded.
const REQUEST_HEADERS_DROPPED = new Set([
  "host",
  "connection",
  "keep-alive",
  "proxy-connection",
  "proxy-authorization",
  "transfer-encoding",
  "te",
  "trailer",
  "upgrade",
  "content-length",
  "x-api-key",
  "authorization",
  "cookie",
  "forwarded",
  "x-forwarded-for",
  "x-forwarded-host",
  "x-forwarded-proto",
  "x-real-ip",
  // Usage is read from the passing bytes, so the upstream must not compress them.
  "accept-encoding",
]);

const RESPONSE_HEADERS_DROPPED = new Set([
  "connection",
  "keep-alive",
  "transfer-encoding",
  "trailer",
  "upgrade",
]);

function rateHeaders(rate: RateDecision | undefined): OutgoingHttpHeaders {
  if (!rate) {
    return {};
  }
  return {
    "anthropic-ratelimit-requests-limit": String(rate.limit),
    "anthropic-ratelimit-requests-remaining": String(rate.remaining),
    "anthropic-ratelimit-requests-reset": new Date(rate.resetAtMs)
      .toISOString()
      .replace(/\.\d{3}Z$/, "Z"),
  };
}

interface MessageRequest {
  model: string;
  maxTokens: number;
  stream: boolean;
  webSearches: number;
  /** The input bound: the body's bytes, base64 images at their token ceiling, referenced content's ceiling. */
  inputBytes: number;
}

// Upper bounds for content the body only points at, or that the upstream fetches itself:
// Anthropic scales an image to at most ~1.15 megapixels (about 1,600 tokens), a PDF holds at most
// 100 pages (about 3,000 tokens each, text plus page image), and a web fetch without
// max_content_tokens is bounded at 100,000 tokens a use.
const IMAGE_TOKEN_CEILING = 1600;
const DOCUMENT_TOKEN_CEILING = 300_000;
const WEB_FETCH_TOKEN_CEILING = 100_000;

/**
 * Input tokens a request may bring beyond its own text, and the base64 bytes that stand for
 * images (counting those bytes as tokens would reserve hundreds of times their cost).
 */
function referencedContent(fields: Record<string, unknown>): {
  base64ImageBytes: number;
  extraTokens: number;
} {
  const found = { base64ImageBytes: 0, extraTokens: 0 };
  const visit = (blocks: unknown) => {
    if (!Array.isArray(blocks)) {
      return;
    }
    for (const block of blocks as Array<Record<string, unknown> | null>) {
      const source = block?.source as Record<string, unknown> | undefined;
      if (block?.type === "image" && source !== undefined) {
        if (source.type === "base64" && typeof source.data === "string") {
          found.base64ImageBytes += source.data.length;
        }
        found.extraTokens += IMAGE_TOKEN_CEILING;
      } else if (
        block?.type === "document" &&
        source !== undefined &&
        source.type !== "base64" &&
        source.type !== "text"
      ) {
        found.extraTokens += DOCUMENT_TOKEN_CEILING; // a URL or an uploaded file
      }
      visit(block?.content); // tool results and documents nest content blocks
    }
  };
  if (Array.isArray(fields.messages)) {
    for (const message of fields.messages as Array<Record<string, unknown> | null>) {
      visit(message?.content);
    }
  }
  visit(fields.system);
  if (Array.isArray(fields.tools)) {
    for (const tool of fields.tools as Array<Record<string, unknown> | null>) {
      if (typeof tool?.type === "string" && tool.type.startsWith("web_fetch")) {
        const uses = typeof tool.max_uses === "number" && tool.max_uses > 0 ? tool.max_uses : 10;
        const perUse =
          typeof tool.max_content_tokens === "number" && tool.max_content_tokens > 0
            ? tool.max_content_tokens
            : WEB_FETCH_TOKEN_CEILING;
        found.extraTokens += uses * perUse;
      }
    }
  }
  return found;
}

function readMessageRequest(body: Buffer): MessageRequest | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch {
    return "body: malformed JSON";
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    return "body: expected a JSON object";
  }
  const fields = parsed as Record<string, unknown>;
  if (typeof fields.model !== "string" || fields.model === "") {
    return "body.model: required string";
  }
  const maxTokens = fields.max_tokens;
  if (typeof maxTokens !== "number" || !Number.isInteger(maxTokens) || maxTokens < 1) {
    return "body.max_tokens: required positive integer";
  }
  let webSearches = 0;
  if (Array.isArray(fields.tools)) {
    for (const tool of fields.tools as Array<Record<string, unknown> | null>) {
      if (typeof tool?.type === "string" && tool.type.startsWith("web_search")) {
        webSearches += typeof tool.max_uses === "number" && tool.max_uses > 0 ? tool.max_uses : 10;
      }
    }
  }
  const referenced = referencedContent(fields);
  return {
    model: fields.model,
    maxTokens,
    stream: fields.stream === true,
    webSearches,
    inputBytes: body.length - referenced.base64ImageBytes + referenced.extraTokens,
  };
}

/**
 * The gateway: admits a request (key, IP allow-list, rate, spend), forwards it to the upstream
 * with Steward's own credential, streams the answer back as it arrives, and meters the usage the
 * upstream reports. The database is never on this path: admission reads memory, and usage
 * events are written in batches by the recorder.
 */
export class Gateway {
  readonly #pool: Pool;
  readonly #basePath: string;
  readonly #inflight = new Set<Promise<void>>();
  #closing = false;

  constructor(
    private readonly deps: GatewayDeps,
    private readonly upstream: UpstreamOptions,
  ) {
    const url = new URL(upstream.url);
    this.#basePath = url.pathname.replace(/\/$/, "");
    this.#pool = new Pool(url.origin, {
      connections: upstream.connections ?? 256,
      headersTimeout: upstream.timeoutMs,
      bodyTimeout: upstream.timeoutMs,
      keepAliveTimeout: 30_000,
    });
  }

  /**
   * Shutdown has begun: responses in progress close their connection once sent, so that the
   * server's close need not wait for their keep-alive to time out.
   */
  closeConnectionsWhenDone(): void {
    this.#closing = true;
  }

  async close(): Promise<void> {
    await this.#pool.close();
  }

  /**
   * Resolves when every request in progress has finished and been metered, including ones whose
   * client left and whose upstream is still being read. Shutdown waits for it before the last
   * usage write.
   */
  async idle(): Promise<void> {
    while (this.#inflight.size > 0) {
      await Promise.allSettled([...this.#inflight]);
    }
  }

  /** Answers the request on `res`, which it owns from here on. */
  handle(route: GatewayRoute, request: GatewayRequest, res: ServerResponse): Promise<void> {
    const work = this.#handle(route, request, res).catch((error: unknown) => {
      this.deps.log.error({ err: error, reqId: request.id }, "gateway request failed");
      this.#writeError(res, 500, "api_error", "Internal server error", request, undefined);
    });
    this.#inflight.add(work);
    return work.finally(() => this.#inflight.delete(work));
  }

  async #handle(route: GatewayRoute, request: GatewayRequest, res: ServerResponse): Promise<void> {
    const { deps } = this;
    const started = deps.clock.now();
    const admission = await admit(
      deps.state,
      deps.limiter,
      presentedKey(request.headers),
      request.ip,
      started.getTime(),
    );
    if (!admission.ok) {
      return this.#refuse(route, request, res, admission);
    }
    if (route !== "messages") {
      return this.#forward(route, request, res, admission, undefined);
    }
    const body = request.body ?? Buffer.alloc(0);
    const message = readMessageRequest(body);
    if (typeof message === "string") {
      return this.#refuse(route, request, res, {
        ok: false,
        reason: "bad_request",
        type: "invalid_request_error",
        status: 400,
        message,
        rate: admission.rate,
      });
    }
    const organization = deps.state.organization(admission.key.organizationId);
    const workspace = deps.state.workspace(admission.key.workspaceId);
    const month = monthOf(started);
    const estimate = deps.prices.estimate(message.model, {
      inputBytes: message.inputBytes,
      maxTokens: message.maxTokens,
      webSearches: message.webSearches,
    });
    const reserved = deps.ledger.reserve(
      [
        {
          key: `org:${admission.key.organizationId}`,
          limitNanos: organization?.usageLimitNanos ?? null,
        },
        {
          key: `ws:${admission.key.workspaceId}`,
          limitNanos: workspace?.monthlyLimitNanos ?? null,
        },
      ],
      estimate,
      month,
    );
    if (!reserved.ok) {
      const which = reserved.scope.startsWith("ws:") ? "workspace" : "organization";
      const nextMonth = new Date(Date.UTC(started.getUTCFullYear(), started.getUTCMonth() + 1, 1));
      return this.#refuse(route, request, res, {
        ok: false,
        reason: "spend_limit",
        type: "invalid_request_error",
        status: 400,
        errorCode: `${which}_spend_limit_reached`,
        message: `You have reached your specified ${which} API usage limits. You will regain access on ${nextMonth.toISOString().slice(0, 10)} at 00:00 UTC.`,
        rate: admission.rate,
      });
    }
    return this.#forward(route, request, res, admission, {
      message,
      reservation: reserved.reservation,
      started,
    });
  }

  #refuse(
    route: GatewayRoute,
    request: GatewayRequest,
    res: ServerResponse,
    refusal: Refusal,
  ): void {
    this.deps.metrics.refused.inc({ reason: refusal.reason });
    this.deps.metrics.answered(route, refusal.status);
    const extra: OutgoingHttpHeaders = rateHeaders(refusal.rate);
    if (refusal.reason === "rate_limited" && refusal.rate) {
      extra["retry-after"] = String(Math.max(1, Math.ceil(refusal.rate.retryAfterMs / 1000)));
    }
    this.#writeError(
      res,
      refusal.status,
      refusal.type,
      refusal.message,
      request,
      undefined,
      extra,
      refusal.errorCode,
    );
  }

  async #forward(
    route: GatewayRoute,
    request: GatewayRequest,
    res: ServerResponse,
    admission: Admitted,
    metering: { message: MessageRequest; reservation: Reservation; started: Date } | undefined,
  ): Promise<void> {
    const { deps } = this;
    const headers: Record<string, string | string[]> = {};
    const incoming = request.headers;
    for (const name in incoming) {
      const value = incoming[name];
      if (value !== undefined && !REQUEST_HEADERS_DROPPED.has(name)) {
        headers[name] = value;
      }
    }
    if (this.upstream.apiKey !== undefined) {
      headers["x-api-key"] = this.upstream.apiKey;
    }
    const body = request.body;
    const path = this.#basePath + request.url;
    const sentAt = performance.now();

    let clientGone = false;
    res.once("close", () => {
      clientGone = !res.writableFinished;
    });

    let upstream: Awaited<ReturnType<Pool["request"]>>;
    try {
      upstream = await this.#pool.request({
        path,
        method: request.method as "GET" | "POST",
        headers,
        ...(body !== undefined && request.method !== "GET" && { body }),
      });
    } catch (error) {
      deps.metrics.upstreamErrors.inc();
      const timedOut =
        error instanceof undiciErrors.HeadersTimeoutError ||
        error instanceof undiciErrors.ConnectTimeoutError;
      const status = timedOut ? 504 : 502;
      const type: ErrorType = timedOut ? "timeout_error" : "api_error";
      deps.log.warn({ err: error, reqId: request.id }, "upstream request failed");
      this.#writeError(
        res,
        status,
        type,
        timedOut ? "the upstream did not answer in time" : "the upstream is unreachable",
        request,
        admission.rate,
      );
      deps.metrics.answered(route, status);
      if (metering) {
        this.#meter(
          request,
          admission,
          metering,
          { usage: emptyUsage(), model: null },
          status,
          type,
          false,
        );
      }
      return;
    }

    // Streams pass through chunk by chunk as they arrive. Other answers (JSON messages, errors,
    // model lists) are complete before the upstream sends them; they go out in one write.
    const streamed = String(upstream.headers["content-type"] ?? "").startsWith("text/event-stream");
    const outHeaders = this.#responseHeaders(upstream.headers, admission.rate, request);
    if (this.#closing) {
      outHeaders.connection = "close";
    }
    if (streamed && !clientGone) {
      res.writeHead(upstream.statusCode, outHeaders);
    }
    const sse = streamed && metering ? new SseUsageParser() : undefined;
    const collected: Buffer[] = [];
    let bodyError: unknown;
    try {
      if (!streamed) {
        // Read whole in one call: cheaper than iterating a body that is usually one chunk.
        collected.push(Buffer.from(await upstream.body.arrayBuffer()));
      }
      for await (const chunk of streamed ? upstream.body : []) {
        const bytes = chunk as Buffer;
        sse?.push(bytes);
        // After a client disconnect the upstream is still read to its end: what it produced is
        // billed, so it is metered.
        if (!clientGone && !res.write(bytes)) {
          await new Promise<void>((resolve) => {
            const done = () => {
              res.off("drain", done);
              res.off("close", done);
              resolve();
            };
            res.on("drain", done);
            res.on("close", done);
          });
        }
      }
    } catch (error) {
      bodyError = error;
      deps.log.warn({ err: error, reqId: request.id }, "upstream response broke off");
    }
    const answer = collected.length === 1 ? (collected[0] as Buffer) : Buffer.concat(collected);
    if (!clientGone) {
      if (streamed) {
        res.end();
      } else if (bodyError === undefined) {
        outHeaders["content-length"] = answer.length;
        res.writeHead(upstream.statusCode, outHeaders);
        res.end(answer);
      } else {
        this.#writeError(
          res,
          502,
          "api_error",
          "the upstream's answer broke off",
          request,
          admission.rate,
        );
      }
      if (this.#closing) {
        res.socket?.end(); // after what res.end() queued
      }
    }
    deps.metrics.upstreamTook(route, (performance.now() - sentAt) / 1000);
    deps.metrics.answered(route, upstream.statusCode);
    if (!metering) {
      return;
    }
    let outcome: { usage: Usage; model: string | null };
    let errorType: string | null = null;
    if (sse) {
      const result = sse.end();
      outcome = { usage: result.usage, model: result.model };
      errorType = result.errorType ?? (result.sawMessageStop ? null : "incomplete_stream");
    } else {
      outcome = usageFromMessage(answer) ?? { usage: emptyUsage(), model: null };
      if (upstream.statusCode >= 400) {
        errorType = errorTypeOf(answer);
      }
    }
    if (bodyError !== undefined && errorType === null) {
      errorType = "incomplete_response";
    }
    this.#meter(request, admission, metering, outcome, upstream.statusCode, errorType, streamed);
  }

  #meter(
    request: GatewayRequest,
    admission: Admitted,
    metering: { message: MessageRequest; reservation: Reservation; started: Date },
    outcome: { usage: Usage; model: string | null },
    status: number,
    errorType: string | null,
    streamed: boolean,
  ): void {
    const { deps } = this;
    const model = outcome.model ?? metering.message.model;
    const cost = deps.prices.cost(model, outcome.usage);
    deps.ledger.settle(metering.reservation, cost.nanos);
    const usage = outcome.usage;
    const event: UsageEventRow = {
      organization_id: admission.key.organizationId,
      id: request.id,
      workspace_id: admission.key.workspaceId,
      api_key_id: admission.key.id,
      model,
      occurred_at: metering.started.toISOString(),
      input_tokens: usage.inputTokens,
      output_tokens: usage.outputTokens,
      cache_creation_5m_tokens: usage.cacheCreation5mTokens,
      cache_creation_1h_tokens: usage.cacheCreation1hTokens,
      cache_read_tokens: usage.cacheReadTokens,
      web_search_requests: usage.webSearchRequests,
      ...costColumns(cost),
      context_window: contextWindowOf(usage),
      service_tier: usage.serviceTier,
      inference_geo: usage.inferenceGeo,
      status,
      error_type: errorType,
      latency_ms: Math.max(0, deps.clock.now().getTime() - metering.started.getTime()),
      stream: streamed ? 1 : 0,
      source: "gateway",
    };
    deps.recorder.record(event);
  }

  #responseHeaders(
    upstream: IncomingHttpHeaders,
    rate: RateDecision | undefined,
    request: GatewayRequest,
  ): OutgoingHttpHeaders {
    const headers: OutgoingHttpHeaders = {};
    for (const name in upstream) {
      const value = upstream[name];
      // Request counts are the workspace's own (or none): the upstream's describe Steward's
      // shared upstream key, not this client.
      if (
        value !== undefined &&
        !RESPONSE_HEADERS_DROPPED.has(name) &&
        !name.startsWith("anthropic-ratelimit-requests-")
      ) {
        headers[name] = value;
      }
    }
    Object.assign(headers, rateHeaders(rate));
    headers["x-steward-request-id"] = request.id;
    if (headers["request-id"] === undefined) {
      headers["request-id"] = request.id;
    }
    return headers;
  }

  #writeError(
    res: ServerResponse,
    status: number,
    type: ErrorType,
    message: string,
    request: GatewayRequest,
    rate: RateDecision | undefined,
    extra: OutgoingHttpHeaders = {},
    errorCode?: string,
  ): void {
    if (res.headersSent || res.destroyed) {
      return;
    }
    const body = JSON.stringify({
      type: "error",
      error: {
        type,
        message,
        ...(errorCode !== undefined && { details: { error_code: errorCode } }),
      },
      request_id: request.id,
    });
    res.writeHead(status, {
      ...rateHeaders(rate),
      ...extra,
      ...(this.#closing && { connection: "close" }),
      "content-type": "application/json",
      "content-length": Buffer.byteLength(body),
      "request-id": request.id,
    });
    res.end(body);
  }
}

function errorTypeOf(body: Buffer): string {
  try {
    const parsed = JSON.parse(body.toString("utf8")) as { error?: { type?: unknown } };
    return typeof parsed.error?.type === "string" ? parsed.error.type : "api_error";
  } catch {
    return "api_error";
  }
}
