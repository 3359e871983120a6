import type { IncomingHttpHeaders, OutgoingHttpHeaders, ServerResponse } from "node:http";
import type { FastifyBaseLogger } from "fastify";
import { type Dispatcher, Pool, errors as undiciErrors } from "undici";
import { ERROR_CODES, type ErrorCode, type ErrorType, errorBody } from "../contract/errors.js";
import { monthOf } from "../core/months.js";
import type { Clock } from "../core/ports.js";
import { modelGroupOf, TOKEN_COUNT_GROUP_ID } from "../core/rate-limits/groups.js";
import type { PriceTable } from "../core/usage/prices.js";
import { refusalOf } from "../core/usage/usage-dead-letters.js";
import { usageEventRow } from "../core/usage/usage-events.js";
import type { UsageEventRow } from "../core/usage/usage-store.js";
import { presentedKey } from "../http/anthropic-headers.js";
import type { AccessLog } from "../observability/access-log.js";
import type { GatewayTracer, RequestTrace } from "../observability/tracer.js";
import { type Admitted, admit, isPromiseLike, type Refusal, refuse } from "./admission.js";
import type { GatewayState } from "./gateway-state.js";
import {
  type LimitsTaken,
  type Rates,
  settleTokens,
  type TokenHold,
  takeLimits,
} from "./group-limits.js";
import { parseJsonBytes, textOf } from "./json-bytes.js";
import type { KeyEntry } from "./key-index.js";
import { type MessageRequest, readMessageRequest } from "./message-request.js";
import type { GatewayMetrics } from "./metrics.js";
import type { RateLimiter } from "./rate-limiter.js";
import {
  type ClientHeaders,
  clientHeaders,
  rateHeaders,
  writeHeadList,
} from "./response-headers.js";
import type { Reservation, ReserveResult, SpendLedger } from "./spend-ledger.js";
import { emptyUsage, SseUsageParser, type Usage, usageFromMessage } from "./usage.js";
import type { UsageRecorder } from "./usage-recorder.js";

export type GatewayRoute = "messages" | "count_tokens" | "models";

/**
 * `/v1/models/{model_id}` with a plain model id: letters, digits and `. _ : @ -`, starting with a
 * letter or digit, at most 100 characters (the router's longest path parameter). Nothing
 * percent-encoded and no dot segment passes, so the upstream cannot resolve the path to another
 * of its endpoints (`/v1/models/..%2F..%2Fv1%2Fmessages%2Fbatches`).
 */
export const MODEL_PATH = /^\/v1\/models\/[A-Za-z0-9][\w.:@-]{0,99}$/;

/**
 * The path and query the gateway forwards upstream for a request on `route`, or undefined when
 * the request's path is not one it forwards. The path is the route's own, never the client's
 * bytes: only a model id comes from the request, and only in MODEL_PATH's plain form. The query
 * string goes as received.
 */
export function upstreamPathOf(route: GatewayRoute, url: string): string | undefined {
  const q = url.indexOf("?");
  switch (route) {
    case "messages":
      return q === -1 ? "/v1/messages" : `/v1/messages${url.slice(q)}`;
    case "count_tokens":
      return q === -1 ? "/v1/messages/count_tokens" : `/v1/messages/count_tokens${url.slice(q)}`;
    case "models": {
      let path = q === -1 ? url : url.slice(0, q);
      if (path.length > 1 && path.endsWith("/")) {
        path = path.slice(0, -1); // the router ignores one trailing slash
      }
      if (path !== "/v1/models" && !MODEL_PATH.test(path)) {
        return undefined;
      }
      return q === -1 ? path : path + url.slice(q);
    }
  }
}

export const BAD_PATH_MESSAGE =
  "path: model_id must be a model id (letters, digits and . _ : @ -, at most 100 characters; nothing percent-encoded)";

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
  /** When the request arrived (performance.now()). */
  receivedAt: number;
  /** The request's spans, when tracing is on (set by the gateway). */
  trace: RequestTrace | undefined;
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
  /** One line per request, when the access log is on. */
  accessLog?: AccessLog | undefined;
  /** Spans per request, when tracing is on (OTEL_EXPORTER_OTLP_ENDPOINT). */
  tracer?: GatewayTracer | undefined;
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

/** What metering needs to know of a `/v1/messages` request that was admitted. */
interface Metering {
  message: MessageRequest;
  reservation: Reservation;
  /** The tokens its bounds took of the workspace's per-minute limits. */
  tokens: TokenHold;
  started: Date;
  /** The reservation was settled: it is settled once, whichever way the request ends. */
  settled: boolean;
}

/** What an Exchange asks of its Gateway (one object per Gateway, not per request). */
interface ExchangeHooks {
  closing(): boolean;
  /** The upstream failed before answering (connection error, timeout). */
  unreachable(exchange: Exchange, error: Error): void;
  /** The upstream's answer ended, completely or (with `bodyError`) not. */
  answered(exchange: Exchange, bodyError: Error | undefined): void;
}

/**
 * One admitted request on its way upstream and back, and undici's handler for the answer: the
 * dispatcher hands it the raw headers and each body chunk as they are parsed, with no stream,
 * promise or parsed-headers object in between (trick: saves those objects per request,
 * bench/README.md#gateway-tricks). Streams are written through chunk by chunk (with
 * backpressure); other answers are complete before the upstream sends them, and are collected to
 * go out in one write with their usage read.
 */
class Exchange implements Dispatcher.DispatchHandler {
  /** The upstream's status, 0 until its headers arrived. */
  status = 0;
  headers: ClientHeaders | undefined = undefined;
  streamed = false;
  sse: SseUsageParser | undefined = undefined;
  sentAt = 0;
  /** The client left before the answer ended. */
  clientAborted = false;
  #first: Buffer | undefined = undefined;
  #chunks: Buffer[] | undefined = undefined;
  #resume: (() => void) | undefined = undefined;
  #ended = false;

  constructor(
    readonly hooks: ExchangeHooks,
    readonly route: GatewayRoute,
    readonly request: GatewayRequest,
    /** Path and query to forward, from upstreamPathOf. */
    readonly path: string,
    readonly res: ServerResponse,
    readonly admission: Admitted,
    readonly metering: Metering | undefined,
  ) {}

  /** The non-streamed answer's bytes. */
  answer(): Buffer {
    if (this.#chunks !== undefined) {
      return Buffer.concat(this.#chunks);
    }
    return this.#first ?? EMPTY;
  }

  onConnect(): void {}

  onHeaders(statusCode: number, rawHeaders: Buffer[], resume: () => void): boolean {
    if (statusCode < 200) {
      return true; // an interim answer: the real one follows
    }
    this.status = statusCode;
    const headers = clientHeaders(rawHeaders, this.admission.rates, this.request.id);
    this.streamed = headers.contentType?.startsWith("text/event-stream") === true;
    if (this.hooks.closing()) {
      headers.list.push("connection", "close");
    }
    this.headers = headers;
    if (this.streamed) {
      this.#resume = resume;
      if (this.metering) {
        this.sse = new SseUsageParser();
      }
      if (!this.res.destroyed) {
        writeHeadList(this.res, statusCode, headers.list);
      }
    }
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (!this.streamed) {
      if (this.#first === undefined) {
        this.#first = chunk;
      } else if (this.#chunks === undefined) {
        this.#chunks = [this.#first, chunk];
      } else {
        this.#chunks.push(chunk);
      }
      return true;
    }
    this.sse?.push(chunk);
    // After a client disconnect the upstream is still read to its end: what it produced is
    // billed, so it is metered.
    const res = this.res;
    if (res.destroyed || res.write(chunk)) {
      return true;
    }
    const resume = this.#resume;
    const go = () => {
      res.off("drain", go);
      res.off("close", go);
      resume?.();
    };
    res.on("drain", go);
    res.on("close", go);
    return false;
  }

  onComplete(): void {
    if (!this.#ended) {
      this.#ended = true;
      this.hooks.answered(this, undefined);
    }
  }

  onError(error: Error): void {
    if (this.#ended) {
      return;
    }
    this.#ended = true;
    if (this.status === 0) {
      this.hooks.unreachable(this, error);
    } else {
      this.hooks.answered(this, error);
    }
  }
}

const EMPTY = Buffer.alloc(0);

/**
 * The gateway: admits a request (key, IP allow-list, rate, spend), forwards it to the upstream
 * with Steward's own credential, streams the answer back as it arrives, and meters the usage the
 * upstream reports. The database is never on this path: admission reads memory, and usage
 * events are written in batches by the recorder.
 */
export class Gateway {
  readonly #pool: Pool;
  readonly #basePath: string;
  /** Requests in progress, and who waits for there to be none. */
  #inflight = 0;
  #idleWaiters: Array<() => void> = [];
  #closing = false;
  // The current UTC month, and the instants it spans, for the spend ledger (trick: saves a
  // month's text per request, bench/README.md#gateway-tricks).
  #month = "";
  #monthFrom = 0;
  #monthUntil = 0;
  // The last event time written, as text: requests that start in the same millisecond share it
  // (trick: saves a toISOString per request, bench/README.md#gateway-tricks).
  #isoMs = Number.NaN;
  #isoText = "";
  readonly #hooks: ExchangeHooks = {
    closing: () => this.#closing,
    unreachable: (exchange, error) => this.#unreachable(exchange, error),
    answered: (exchange, bodyError) => this.#answered(exchange, bodyError),
  };

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
    while (this.#inflight > 0) {
      await new Promise<void>((resolve) => this.#idleWaiters.push(resolve));
    }
  }

  /**
   * Answers the request on `res`, which it owns from here on. The request's way is a chain of
   * plain calls and undici callbacks, not of promises: admission and the spend reservation are
   * synchronous (unless a shared rate limiter or spend ledger answers asynchronously), and the
   * upstream's answer comes to an Exchange. Every way out ends in #finish, once; idle() says when
   * none is left.
   */
  serve(route: GatewayRoute, request: GatewayRequest, res: ServerResponse): void {
    this.#inflight += 1;
    try {
      const { deps } = this;
      if (deps.tracer !== undefined) {
        request.trace = deps.tracer.start(route, request.method, request.id, request.headers);
      }
      // Before admission: a path the gateway does not forward costs no rate-limit budget.
      const path = upstreamPathOf(route, request.url);
      if (path === undefined) {
        this.#refuse(
          route,
          request,
          res,
          refuse("bad_request", "invalid_request_error", BAD_PATH_MESSAGE),
        );
        this.#finish();
        return;
      }
      const started = deps.clock.now();
      const admission = admit(
        deps.state,
        presentedKey(request.headers),
        request.ip,
        started.getTime(),
      );
      this.#admitted(route, request, path, res, started, admission);
    } catch (error) {
      this.#crashed(request, res, error, route);
      this.#finish();
    }
  }

  #finish(): void {
    this.#inflight -= 1;
    if (this.#inflight === 0 && this.#idleWaiters.length > 0) {
      const waiters = this.#idleWaiters;
      this.#idleWaiters = [];
      for (const wake of waiters) {
        wake();
      }
    }
  }

  /** An unexpected failure: logged, and answered 500 when nothing was sent yet. */
  #crashed(
    request: GatewayRequest,
    res: ServerResponse,
    error: unknown,
    route: GatewayRoute,
  ): void {
    this.deps.log.error({ err: error, reqId: request.id }, "gateway request failed");
    try {
      this.#writeError(res, 500, "api_error", "Internal server error", request, undefined);
      this.#done(request, route, 500, undefined, "api_error", undefined, undefined, undefined);
    } catch {
      // the response is beyond saving; the request still counts as done
    }
  }

  /**
   * The request is over: its access-log line and the end of its trace. `event` is its usage when
   * it was metered; `upstreamMs` when it went upstream.
   */
  #done(
    request: GatewayRequest,
    route: GatewayRoute,
    status: number,
    key: KeyEntry | undefined,
    errorType: string | null,
    exchange: Exchange | undefined,
    event: UsageEventRow | undefined,
    upstreamMs: number | undefined,
  ): void {
    const model = event?.model ?? exchange?.metering?.message.model;
    request.trace?.end(status, model, event);
    const accessLog = this.deps.accessLog;
    const clientAborted = exchange?.clientAborted === true;
    if (accessLog === undefined || !accessLog.wants(status, errorType, clientAborted)) {
      return;
    }
    accessLog.write({
      requestId: request.id,
      route,
      ip: request.ip,
      status,
      keyId: key?.id,
      workspaceId: key?.workspaceId,
      model,
      stream: exchange?.streamed === true,
      errorType,
      clientAborted,
      usage: event,
      upstreamMs,
      totalMs: performance.now() - request.receivedAt,
    });
  }

  #admitted(
    route: GatewayRoute,
    request: GatewayRequest,
    path: string,
    res: ServerResponse,
    started: Date,
    admission: Admitted | Refusal,
  ): void {
    const { deps } = this;
    if (!admission.ok) {
      this.#refuse(route, request, res, admission);
      this.#finish();
      return;
    }
    if (route === "models") {
      // Listing models belongs to no rate-limit group, and costs nothing.
      this.#forward(new Exchange(this.#hooks, route, request, path, res, admission, undefined));
      return;
    }
    const limits = deps.state.workspace(admission.key.workspaceId)?.rateLimits;
    if (route === "count_tokens") {
      const taken = takeLimits(
        deps.limiter,
        admission.key.workspaceId,
        TOKEN_COUNT_GROUP_ID,
        limits?.get(TOKEN_COUNT_GROUP_ID),
        undefined,
        started.getTime(),
      );
      this.#then(taken, route, request, res, (result) => {
        if (this.#limited(route, request, res, admission, result)) {
          this.#forward(new Exchange(this.#hooks, route, request, path, res, admission, undefined));
        }
      });
      return;
    }
    const body = request.body ?? EMPTY;
    const message = readMessageRequest(body);
    if (typeof message === "string") {
      this.#refuse(
        route,
        request,
        res,
        refuse("bad_request", "invalid_request_error", message, { key: admission.key }),
      );
      this.#finish();
      return;
    }
    const groupId = modelGroupOf(message.model);
    const taken = takeLimits(
      deps.limiter,
      admission.key.workspaceId,
      groupId,
      limits?.get(groupId),
      // Bounds: the body's bytes (no token is shorter than a byte) and max_tokens.
      { input: message.inputBytes, output: message.maxTokens },
      started.getTime(),
    );
    this.#then(taken, route, request, res, (result) => {
      if (this.#limited(route, request, res, admission, result)) {
        this.#reserve(route, request, path, res, started, admission, message, result.hold);
      }
    });
  }

  /** `next(value)` at once, or once the promise resolves (a crash answers 500). */
  #then<T>(
    value: T | PromiseLike<T>,
    route: GatewayRoute,
    request: GatewayRequest,
    res: ServerResponse,
    next: (value: T) => void,
  ): void {
    if (!isPromiseLike(value)) {
      next(value);
      return;
    }
    Promise.resolve(value)
      .then(next)
      .catch((error: unknown) => {
        this.#crashed(request, res, error, route);
        this.#finish();
      });
  }

  /** True when the limits admit the request (their decisions go with it); else refuses it. */
  #limited(
    route: GatewayRoute,
    request: GatewayRequest,
    res: ServerResponse,
    admission: Admitted,
    taken: LimitsTaken,
  ): taken is LimitsTaken & { ok: true } {
    admission.rates = taken.rates;
    if (taken.ok) {
      return true;
    }
    this.#refuse(
      route,
      request,
      res,
      refuse("rate_limited", "rate_limit_error", taken.message, {
        rates: taken.rates,
        retryAfterMs: taken.retryAfterMs,
        key: admission.key,
      }),
    );
    this.#finish();
    return false;
  }

  #reserve(
    route: GatewayRoute,
    request: GatewayRequest,
    path: string,
    res: ServerResponse,
    started: Date,
    admission: Admitted,
    message: MessageRequest,
    tokens: TokenHold,
  ): void {
    const { deps } = this;
    const organization = deps.state.organization(admission.key.organizationId);
    const workspace = deps.state.workspace(admission.key.workspaceId);
    const month = this.#monthOf(started);
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
    if (isPromiseLike(reserved)) {
      // A shared ledger (Redis) answers later; it never rejects (it falls back to its local
      // share), so a rejection here is a fault of the gateway's own.
      Promise.resolve(reserved)
        .then((result) =>
          this.#reserved(route, request, path, res, started, admission, message, tokens, result),
        )
        .catch((error: unknown) => {
          this.#crashed(request, res, error, route);
          this.#finish();
        });
      return;
    }
    this.#reserved(route, request, path, res, started, admission, message, tokens, reserved);
  }

  #reserved(
    route: GatewayRoute,
    request: GatewayRequest,
    path: string,
    res: ServerResponse,
    started: Date,
    admission: Admitted,
    message: MessageRequest,
    tokens: TokenHold,
    reserved: ReserveResult,
  ): void {
    if (!reserved.ok) {
      settleTokens(this.deps.limiter, tokens, { input: 0, output: 0 }, started.getTime());
      const which = reserved.scope.startsWith("ws:") ? "workspace" : "organization";
      const nextMonth = new Date(Date.UTC(started.getUTCFullYear(), started.getUTCMonth() + 1, 1));
      const code: ErrorCode =
        which === "workspace"
          ? "workspace_spend_limit_reached"
          : "organization_spend_limit_reached";
      this.#refuse(route, request, res, {
        ok: false,
        reason: "spend_limit",
        type: ERROR_CODES[code].type,
        status: ERROR_CODES[code].status,
        errorCode: code,
        message: `You have reached your specified ${which} API usage limits. You will regain access on ${nextMonth.toISOString().slice(0, 10)} at 00:00 UTC.`,
        rates: admission.rates,
        key: admission.key,
      });
      this.#finish();
      return;
    }
    const metering: Metering = {
      message,
      reservation: reserved.reservation,
      tokens,
      started,
      settled: false,
    };
    try {
      this.#forward(new Exchange(this.#hooks, route, request, path, res, admission, metering));
    } catch (error) {
      this.#settle(metering, 0, { input: 0, output: 0 }); // nothing went upstream
      throw error;
    }
  }

  /**
   * Settles the request's spend reservation and its token bounds unless that was done already;
   * `tokens` undefined keeps the bounds taken (the real counts are unknown).
   */
  #settle(
    metering: Metering,
    nanos: number,
    tokens: { input: number; output: number } | undefined,
  ): void {
    if (metering.settled) {
      return;
    }
    metering.settled = true;
    if (tokens !== undefined) {
      settleTokens(this.deps.limiter, metering.tokens, tokens, this.deps.clock.now().getTime());
    }
    const settling = this.deps.ledger.settle(metering.reservation, nanos);
    if (settling !== undefined && isPromiseLike(settling)) {
      // The port says a settle never rejects; should one, it is logged, not left unhandled.
      Promise.resolve(settling).catch((error: unknown) =>
        this.deps.log.error({ err: error }, "settling a spend reservation failed"),
      );
    }
  }

  /** `monthOf(date)`, computed again only when the month turns. */
  #monthOf(date: Date): string {
    const ms = date.getTime();
    if (ms < this.#monthFrom || ms >= this.#monthUntil || this.#month === "") {
      this.#month = monthOf(date);
      this.#monthFrom = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
      this.#monthUntil = Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
    }
    return this.#month;
  }

  /** `date.toISOString()`, made again only when the millisecond changes. */
  #isoOf(date: Date): string {
    const ms = date.getTime();
    if (ms !== this.#isoMs) {
      this.#isoText = date.toISOString();
      this.#isoMs = ms;
    }
    return this.#isoText;
  }

  #refuse(
    route: GatewayRoute,
    request: GatewayRequest,
    res: ServerResponse,
    refusal: Refusal,
  ): void {
    this.deps.metrics.refused.inc({ reason: refusal.reason });
    this.deps.metrics.answered(route, refusal.status);
    const extra: OutgoingHttpHeaders = rateHeaders(refusal.rates);
    if (refusal.reason === "rate_limited" && refusal.retryAfterMs !== undefined) {
      extra["retry-after"] = String(Math.max(1, Math.ceil(refusal.retryAfterMs / 1000)));
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
    this.#done(
      request,
      route,
      refusal.status,
      refusal.key,
      refusal.type,
      undefined,
      undefined,
      undefined,
    );
  }

  #forward(exchange: Exchange): void {
    const { request } = exchange;
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
    if (request.trace !== undefined) {
      const { key } = exchange.admission;
      request.trace.upstreamStarted(key.id, key.workspaceId, headers);
    }
    const body = request.body;
    exchange.sentAt = performance.now();
    // A request undici refuses (a malformed header) comes back through onError, as a failure to
    // reach the upstream.
    this.#pool.dispatch(
      {
        path: this.#basePath + exchange.path,
        method: request.method as Dispatcher.HttpMethod,
        headers,
        ...(body !== undefined && request.method !== "GET" && { body }),
      },
      exchange,
    );
  }

  #unreachable(exchange: Exchange, error: Error): void {
    const { deps } = this;
    const { request, res, admission, metering, route } = exchange;
    try {
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
        admission.rates,
      );
      deps.metrics.answered(route, status);
      request.trace?.upstreamEnded(0, error);
      const event =
        metering &&
        this.#meter(
          request,
          admission,
          metering,
          { usage: emptyUsage(), model: null },
          status,
          type,
          false,
        );
      const upstreamMs = performance.now() - exchange.sentAt; // until it failed
      this.#done(request, route, status, admission.key, type, exchange, event, upstreamMs);
    } catch (failure) {
      this.#crashed(request, res, failure, route);
      if (metering) {
        this.#settle(metering, metering.reservation.nanos, undefined); // unknown: the bounds
      }
    }
    this.#finish();
  }

  #answered(exchange: Exchange, bodyError: Error | undefined): void {
    const { deps } = this;
    const { request, res, admission, metering, route, streamed } = exchange;
    try {
      if (bodyError !== undefined) {
        deps.log.warn({ err: bodyError, reqId: request.id }, "upstream response broke off");
      }
      const answer = streamed ? EMPTY : exchange.answer();
      // The status the client got: the upstream's, unless its answer broke off before it was sent.
      let status = exchange.status;
      exchange.clientAborted = res.destroyed;
      if (!res.destroyed) {
        if (streamed) {
          res.end();
        } else if (bodyError === undefined) {
          const { list, contentLengthAt } =
            exchange.headers ?? clientHeaders([], admission.rates, request.id);
          // The answer goes out whole, so its length is known whatever the upstream framed it in.
          if (contentLengthAt === -1) {
            list.push("content-length", String(answer.length));
          } else {
            list[contentLengthAt] = String(answer.length);
          }
          writeHeadList(res, exchange.status, list);
          res.end(answer);
        } else {
          status = 502;
          this.#writeError(
            res,
            502,
            "api_error",
            "the upstream's answer broke off",
            request,
            admission.rates,
          );
        }
        if (this.#closing) {
          res.socket?.end(); // after what res.end() queued
        }
      }
      const upstreamMs = performance.now() - exchange.sentAt;
      deps.metrics.upstreamTook(route, upstreamMs / 1000);
      deps.metrics.answered(route, exchange.status);
      request.trace?.upstreamEnded(exchange.status, bodyError);
      let event: UsageEventRow | undefined;
      let errorType: string | null = null;
      if (metering) {
        let outcome: { usage: Usage; model: string | null };
        if (exchange.sse) {
          const result = exchange.sse.end();
          outcome = { usage: result.usage, model: result.model };
          errorType = result.errorType ?? (result.sawMessageStop ? null : "incomplete_stream");
        } else {
          outcome = usageFromMessage(answer) ?? { usage: emptyUsage(), model: null };
          if (exchange.status >= 400) {
            errorType = errorTypeOf(answer);
          }
        }
        if (bodyError !== undefined && errorType === null) {
          errorType = "incomplete_response";
        }
        event = this.#meter(
          request,
          admission,
          metering,
          outcome,
          exchange.status,
          errorType,
          streamed,
        );
      } else if (bodyError !== undefined) {
        errorType = "incomplete_response";
      }
      this.#done(request, route, status, admission.key, errorType, exchange, event, upstreamMs);
    } catch (failure) {
      this.#crashed(request, res, failure, route);
      if (metering) {
        this.#settle(metering, metering.reservation.nanos, undefined); // unknown: the bounds
      }
    }
    this.#finish();
  }

  #meter(
    request: GatewayRequest,
    admission: Admitted,
    metering: Metering,
    outcome: { usage: Usage; model: string | null },
    status: number,
    errorType: string | null,
    streamed: boolean,
  ): UsageEventRow {
    const { deps } = this;
    const model = outcome.model ?? metering.message.model;
    const cost = deps.prices.cost(model, outcome.usage);
    // Usage whose numbers cannot be trusted is not stored or summed: it goes to the dead letters,
    // and the request is charged what admission reserved for it (its upper bound), not nothing.
    const refused = refusalOf(outcome.usage.invalid, cost.nanos);
    this.#settle(
      metering,
      refused === null ? cost.nanos : metering.reservation.nanos,
      refused === null ? tokensUsed(outcome.usage) : undefined,
    );
    const event = usageEventRow(
      {
        organizationId: admission.key.organizationId,
        id: request.id,
        workspaceId: admission.key.workspaceId,
        apiKeyId: admission.key.id,
        model,
        occurredAt: this.#isoOf(metering.started),
        status,
        errorType,
        latencyMs: Math.max(0, deps.clock.now().getTime() - metering.started.getTime()),
        stream: streamed,
        source: "gateway",
      },
      outcome.usage,
      cost,
    );
    if (refused === null) {
      deps.recorder.record(event);
    } else {
      deps.log.warn(
        { reqId: request.id, reason: refused.reason, detail: refused.detail },
        "usage from the upstream refused: kept in the dead letters",
      );
      deps.recorder.deadLetter(event, refused.reason, refused.detail);
    }
    return event;
  }

  #writeError(
    res: ServerResponse,
    status: number,
    type: ErrorType,
    message: string,
    request: GatewayRequest,
    rates: Rates | undefined,
    extra: OutgoingHttpHeaders = {},
    errorCode?: ErrorCode,
  ): void {
    if (res.headersSent || res.destroyed) {
      return;
    }
    const body = errorBody(type, message, request.id, errorCode);
    res.writeHead(status, {
      ...rateHeaders(rates),
      ...extra,
      ...(this.#closing && { connection: "close" }),
      "content-type": "application/json",
      "content-length": Buffer.byteLength(body),
      "request-id": request.id,
    });
    res.end(body);
  }
}

/**
 * What a request counts against the per-minute token limits, as Anthropic counts it: input
 * tokens and cache writes (cache reads do not count), and output tokens.
 */
function tokensUsed(usage: Usage): { input: number; output: number } {
  return {
    input: usage.inputTokens + usage.cacheCreation5mTokens + usage.cacheCreation1hTokens,
    output: usage.outputTokens,
  };
}

function errorTypeOf(body: Buffer): string {
  try {
    const parsed = parseJsonBytes(body, (answer) => [
      (answer.error as Record<string, unknown> | undefined)?.type,
    ]) as { error?: { type?: unknown } };
    const type = textOf(body, parsed.error?.type);
    return typeof type === "string" ? type : "api_error";
  } catch {
    return "api_error";
  }
}
