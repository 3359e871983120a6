import { APIPromise, type APIResponseProps } from "./core/api-promise.js";
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  AuthenticationError,
  BadRequestError,
  BillingError,
  ConflictError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  RequestTooLargeError,
  StewardError,
  UnprocessableEntityError,
} from "./core/error.js";
import {
  type AbstractPage,
  CursorPage,
  CursorPagePromise,
  Page,
  PagePromise,
  ReportPage,
  ReportPagePromise,
} from "./core/pagination.js";
import { NDJSONStream, NDJSONStreamPromise } from "./core/streaming.js";
import { buildHeaders, type HeadersLike } from "./internal/headers.js";
import { type OperationName, SDK_OPERATIONS } from "./internal/operations.js";
import type { FinalRequestOptions, RequestOptions } from "./internal/request-options.js";
import { readEnv } from "./internal/utils/env.js";
import { buildPath } from "./internal/utils/path.js";
import { stringifyQuery } from "./internal/utils/query.js";
import { sleep } from "./internal/utils/sleep.js";
import { AdminKeys } from "./resources/admin-keys.js";
import { AlertsResource } from "./resources/alerts.js";
import { Analytics } from "./resources/analytics.js";
import { ApiKeys } from "./resources/api-keys.js";
import { AuditLogs } from "./resources/audit-logs.js";
import { Auth } from "./resources/auth.js";
import { Costs } from "./resources/costs.js";
import { Invites } from "./resources/invites.js";
import { OrganizationResource } from "./resources/organization.js";
import { RateLimits } from "./resources/rate-limits.js";
import { Seed } from "./resources/seed.js";
import { ServiceAccounts } from "./resources/service-accounts.js";
import { Usage } from "./resources/usage.js";
import { Users } from "./resources/users.js";
import { Workspaces } from "./resources/workspaces.js";
import { VERSION } from "./version.js";

/** A `fetch` implementation: the global one by default. */
export type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/**
 * Session mode, for a page served by Steward (the web console): no key; the browser's
 * same-origin session cookie authenticates, and unsafe methods carry the session's CSRF token.
 */
export interface SessionOptions {
  /**
   * The `csrf_token` of `GET /auth/session`, sent as `x-csrf-token` on POST, PUT, PATCH and
   * DELETE; a function is asked on every request (the token changes when the session does).
   */
  csrfToken?: string | (() => string | undefined) | undefined;
}

export interface ClientOptions {
  /**
   * Where Steward is served, e.g. `https://steward.example.com`. Defaults to `STEWARD_URL`; in
   * session mode, to the page's own origin.
   */
  baseURL?: string | undefined;
  /**
   * An admin key (`sk-ant-admin01-…`), sent as `x-api-key`. Defaults to `STEWARD_ADMIN_KEY`, then
   * `ANTHROPIC_ADMIN_KEY` (the seed chapter's variable). Not used in session mode.
   */
  adminKey?: string | undefined;
  /** Authenticate with the browser's session cookie instead of an admin key. */
  session?: SessionOptions | undefined;
  /** Milliseconds to wait for each attempt of a request (default 60 000). */
  timeout?: number | undefined;
  /** Retries of a failed request that can be retried safely (default 2). */
  maxRetries?: number | undefined;
  /** A custom `fetch` (tests, proxies, instrumentation); the global `fetch` otherwise. */
  fetch?: Fetch | undefined;
  /** Headers sent with every request; `null` removes one the SDK would send. */
  defaultHeaders?: HeadersLike | undefined;
}

/** The parts of an operation's request: path parameters, query and JSON body. */
export interface CallInit {
  params?: Record<string, string>;
  query?: object | undefined;
  body?: unknown;
}

const INITIAL_RETRY_DELAY_MS = 500;
const MAX_RETRY_DELAY_MS = 8_000;
/** A `retry-after` longer than this is not waited for: the usual backoff is used instead. */
const MAX_RETRY_AFTER_MS = 60_000;

function nonNegativeInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) {
    throw new StewardError(`${name} must be a non-negative integer, got ${value}`);
  }
  return value;
}

/** Error codes that no repeat can change (the server says so in the envelope). */
const FINAL_ERROR_CODES = new Set(["idempotent_response_unavailable"]);

/** Methods that change something: in session mode they need the CSRF token. */
const UNSAFE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** The page's own origin, where there is one (a browser). */
function pageOrigin(): string | undefined {
  return (globalThis as { location?: { origin?: string } }).location?.origin;
}

/**
 * Whether a failed response may be tried again: the server's `x-should-retry` when it sends one;
 * otherwise timeouts, conflicts (except a final one), rate limits, and 5xx but 501.
 */
function shouldRetryResponse(response: Response, body: object | undefined): boolean {
  const hint = response.headers.get("x-should-retry");
  if (hint === "true") {
    return true;
  }
  if (hint === "false") {
    return false;
  }
  const code = (body as { error?: { details?: { error_code?: unknown } } } | undefined)?.error
    ?.details?.error_code;
  if (typeof code === "string" && FINAL_ERROR_CODES.has(code)) {
    return false;
  }
  const status = response.status;
  return status === 408 || status === 409 || status === 429 || (status >= 500 && status !== 501);
}

/** `retry-after-ms`, else `retry-after` in seconds or as an HTTP date, in milliseconds. */
function retryAfterMs(headers: Headers | undefined): number | undefined {
  const ms = headers?.get("retry-after-ms");
  if (ms) {
    const value = Number(ms);
    if (Number.isFinite(value)) {
      return value;
    }
  }
  const retryAfter = headers?.get("retry-after");
  if (retryAfter) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) {
      return seconds * 1000;
    }
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) {
      return date - Date.now();
    }
  }
  return undefined;
}

/**
 * The wait before retry number `retry` (0 for the first): the server's `retry-after` when it gives
 * one of at most a minute, else exponential backoff (0.5 s, 1 s, 2 s, … up to 8 s) with full
 * jitter (a uniformly random wait between 0 and that).
 */
export function retryDelayMs(retry: number, headers?: Headers): number {
  const fromServer = retryAfterMs(headers);
  if (fromServer !== undefined && fromServer <= MAX_RETRY_AFTER_MS) {
    return Math.max(0, fromServer);
  }
  const ceiling = Math.min(INITIAL_RETRY_DELAY_MS * 2 ** retry, MAX_RETRY_DELAY_MS);
  return Math.random() * ceiling;
}

function parseBody(props: APIResponseProps): unknown {
  const { text, response } = props;
  if (text === undefined || text === "") {
    return undefined;
  }
  const type = response.headers.get("content-type") ?? "";
  if (type.includes("json")) {
    try {
      return JSON.parse(text);
    } catch (cause) {
      throw new StewardError(`The response is not valid JSON: ${text.slice(0, 200)}`, { cause });
    }
  }
  return text;
}

function errorBody(text: string | undefined): { body: object | undefined; message?: string } {
  if (text === undefined || text === "") {
    return { body: undefined };
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === "object" && parsed !== null) {
      return { body: parsed };
    }
  } catch {
    // not JSON: the text is the message
  }
  return { body: undefined, message: text.slice(0, 500) };
}

/**
 * The client of Steward's Admin API.
 *
 * @example
 * ```ts
 * import { StewardAdmin } from "@steward/sdk";
 *
 * const admin = new StewardAdmin({ baseURL: "http://localhost:8080", adminKey: "sk-ant-admin01-…" });
 * for await (const user of admin.users.list()) {
 *   console.log(user.email, user.role);
 * }
 * ```
 */
export class StewardAdmin {
  static readonly DEFAULT_TIMEOUT = 60_000;
  static readonly DEFAULT_MAX_RETRIES = 2;

  static readonly StewardError = StewardError;
  static readonly APIError = APIError;
  static readonly APIConnectionError = APIConnectionError;
  static readonly APIConnectionTimeoutError = APIConnectionTimeoutError;
  static readonly APIUserAbortError = APIUserAbortError;
  static readonly BadRequestError = BadRequestError;
  static readonly AuthenticationError = AuthenticationError;
  static readonly BillingError = BillingError;
  static readonly PermissionDeniedError = PermissionDeniedError;
  static readonly NotFoundError = NotFoundError;
  static readonly ConflictError = ConflictError;
  static readonly RequestTooLargeError = RequestTooLargeError;
  static readonly UnprocessableEntityError = UnprocessableEntityError;
  static readonly RateLimitError = RateLimitError;
  static readonly InternalServerError = InternalServerError;

  /** The base URL, without a trailing slash. */
  readonly baseURL: string;
  readonly timeout: number;
  readonly #adminKey: string | undefined;
  readonly #session: SessionOptions | undefined;
  readonly maxRetries: number;
  readonly #fetch: Fetch;
  readonly #defaultHeaders: HeadersLike | undefined;
  readonly #options: ClientOptions;

  /** The web console's sign-in and session (session mode). */
  readonly auth: Auth = new Auth(this);
  /** The organization of the admin key. */
  readonly organization: OrganizationResource = new OrganizationResource(this);
  /** Members of the organization, their onboarding and offboarding. */
  readonly users: Users = new Users(this);
  /** Invitations to join the organization. */
  readonly invites: Invites = new Invites(this);
  /** Workspaces, and their members under `workspaces.members`. */
  readonly workspaces: Workspaces = new Workspaces(this);
  /** API keys for the Claude API through Steward's gateway. */
  readonly apiKeys: ApiKeys = new ApiKeys(this);
  /** Admin keys for this Admin API (owners only). */
  readonly adminKeys: AdminKeys = new AdminKeys(this);
  /** Service accounts, which API keys can belong to instead of a person. */
  readonly serviceAccounts: ServiceAccounts = new ServiceAccounts(this);
  /** The organization's rate-limit groups (a workspace's limits: `workspaces.rateLimits`). */
  readonly rateLimits: RateLimits = new RateLimits(this);
  /** Usage reports and usage ingestion. */
  readonly usage: Usage = new Usage(this);
  /** The cost report. */
  readonly costs: Costs = new Costs(this);
  /** The analytics reports (`/v1/organizations/analytics/*`): usage and cost by any grouping. */
  readonly analytics: Analytics = new Analytics(this);
  /** Cost alert rules and their deliveries. */
  readonly alerts: AlertsResource = new AlertsResource(this);
  /** The audit log: pages, or a streamed export. */
  readonly auditLogs: AuditLogs = new AuditLogs(this);
  /** The seed chapter's paths (`/v1/users`, `/v1/api_keys`, …), one method per route. */
  readonly seed: Seed = new Seed(this);

  constructor(options: ClientOptions = {}) {
    const session = options.session;
    const baseURL =
      options.baseURL ?? (session ? pageOrigin() : undefined) ?? readEnv("STEWARD_URL");
    if (!baseURL) {
      throw new StewardError(
        "Missing Steward's URL: pass `baseURL` to new StewardAdmin({ baseURL }) or set the STEWARD_URL environment variable (e.g. http://localhost:8080).",
      );
    }
    try {
      new URL(baseURL);
    } catch {
      throw new StewardError(`baseURL is not a valid URL: ${JSON.stringify(baseURL)}`);
    }
    const adminKey = session
      ? undefined
      : (options.adminKey ?? readEnv("STEWARD_ADMIN_KEY") ?? readEnv("ANTHROPIC_ADMIN_KEY"));
    if (session && options.adminKey !== undefined) {
      throw new StewardError(
        "Pass either `adminKey` or `session` to new StewardAdmin(), not both.",
      );
    }
    if (!session && !adminKey) {
      throw new StewardError(
        "Missing admin key: pass `adminKey` to new StewardAdmin({ adminKey }) or set the STEWARD_ADMIN_KEY (or ANTHROPIC_ADMIN_KEY) environment variable.",
      );
    }
    const fetchImpl =
      options.fetch ??
      (typeof globalThis.fetch === "function"
        ? (input: string | URL | Request, init?: RequestInit) => globalThis.fetch(input, init)
        : undefined);
    if (!fetchImpl) {
      throw new StewardError("No global fetch here: pass `fetch` to new StewardAdmin({ fetch }).");
    }
    this.baseURL = baseURL.replace(/\/+$/, "");
    this.#adminKey = adminKey;
    this.#session = session;
    this.timeout = nonNegativeInteger("timeout", options.timeout ?? StewardAdmin.DEFAULT_TIMEOUT);
    this.maxRetries = nonNegativeInteger(
      "maxRetries",
      options.maxRetries ?? StewardAdmin.DEFAULT_MAX_RETRIES,
    );
    this.#fetch = fetchImpl;
    this.#defaultHeaders = options.defaultHeaders;
    this.#options = { ...options, baseURL: this.baseURL, adminKey };
  }

  /**
   * The admin key (a getter, so that printing the client does not print the key); undefined in
   * session mode.
   */
  get adminKey(): string | undefined {
    return this.#adminKey;
  }

  /** Whether the client authenticates with the browser's session cookie. */
  get sessionMode(): boolean {
    return this.#session !== undefined;
  }

  /** A client with the same options but these. */
  withOptions(options: Partial<ClientOptions>): StewardAdmin {
    return new StewardAdmin({ ...this.#options, ...options });
  }

  /** The full URL of a path and query. */
  buildURL(path: string, query?: object): string {
    return `${this.baseURL}${path}${stringifyQuery(query)}`;
  }

  /** Sends a request and parses its JSON answer. */
  request<T>(request: FinalRequestOptions): APIPromise<T> {
    return new APIPromise(this.#makeRequest(request), (props) => parseBody(props) as T);
  }

  /** Sends a list request and wraps the answer in a page of `PageClass`. */
  requestPage<Item, P extends AbstractPage<Item>>(
    request: FinalRequestOptions,
    PageClass: new (client: StewardAdmin, props: APIResponseProps, body: unknown) => P,
  ): PagePromise<Item, P> {
    return new PagePromise<Item, P>(
      this.#makeRequest(request),
      (props) => new PageClass(this, props, parseBody(props)),
    );
  }

  /** @internal The request of one SDK method, from its row in `SDK_OPERATIONS`. */
  _operation(name: OperationName, init: CallInit, options?: RequestOptions): FinalRequestOptions {
    const operation = SDK_OPERATIONS[name];
    return {
      method: operation.httpMethod,
      path: buildPath(operation.path, init.params),
      query: init.query,
      body: init.body,
      options,
    };
  }

  /** @internal */
  _call<T>(name: OperationName, init: CallInit = {}, options?: RequestOptions): APIPromise<T> {
    return this.request<T>(this._operation(name, init, options));
  }

  /** @internal A cursor list (`after_id`/`before_id`). */
  _list<Item>(name: OperationName, init: CallInit, options?: RequestOptions): PagePromise<Item> {
    return this.requestPage<Item, Page<Item>>(this._operation(name, init, options), Page);
  }

  /** @internal A list paged by an opaque cursor (`page`, `next_page`). */
  _cursorList<Item>(
    name: OperationName,
    init: CallInit,
    options?: RequestOptions,
  ): CursorPagePromise<Item> {
    const request = this._operation(name, init, options);
    return new CursorPagePromise<Item>(
      this.#makeRequest(request),
      (props) => new CursorPage<Item>(this, props, parseBody(props)),
    );
  }

  /** @internal A report (`next_page`). */
  _report<Bucket>(
    name: OperationName,
    init: CallInit,
    options?: RequestOptions,
  ): ReportPagePromise<Bucket> {
    const request = this._operation(name, init, options);
    return new ReportPagePromise<Bucket>(
      this.#makeRequest(request),
      (props) => new ReportPage<Bucket>(this, props, parseBody(props)),
    );
  }

  /** @internal An NDJSON stream. */
  _stream<T>(
    name: OperationName,
    init: CallInit,
    options?: RequestOptions,
  ): NDJSONStreamPromise<T> {
    const request: FinalRequestOptions = {
      ...this._operation(name, init, options),
      accept: "application/x-ndjson",
      stream: true,
    };
    return new NDJSONStreamPromise<T>(
      this.#makeRequest(request),
      (props) =>
        new NDJSONStream<T>(props.response, props.controller, options?.signal, props.release),
    );
  }

  #headers(request: FinalRequestOptions, retryCount: number): Headers {
    const options = request.options ?? {};
    const csrf = this.#session?.csrfToken;
    const csrfToken =
      this.#session && UNSAFE_METHODS.has(request.method)
        ? typeof csrf === "function"
          ? csrf()
          : csrf
        : undefined;
    return buildHeaders(
      {
        accept: request.accept ?? "application/json",
        "anthropic-version": "2023-06-01",
        "x-api-key": this.#adminKey,
        "x-csrf-token": csrfToken,
        "steward-sdk-version": VERSION,
        ...(request.body !== undefined && { "content-type": "application/json" }),
      },
      this.#defaultHeaders,
      {
        "steward-retry-count": String(retryCount),
        ...(options.idempotencyKey !== undefined && {
          "idempotency-key": options.idempotencyKey,
        }),
      },
      options.headers,
    );
  }

  /**
   * Sends a request, retrying what may be retried: every GET, and other methods only with an
   * `idempotencyKey` (a POST that failed without an answer may have been carried out).
   */
  async #makeRequest(request: FinalRequestOptions): Promise<APIResponseProps> {
    const options = request.options ?? {};
    const signal = options.signal;
    const maxRetries = nonNegativeInteger("maxRetries", options.maxRetries ?? this.maxRetries);
    const timeout = nonNegativeInteger("timeout", options.timeout ?? this.timeout);
    const retryable = request.method === "GET" || options.idempotencyKey !== undefined;
    const url = this.buildURL(request.path, request.query);
    const body = request.body === undefined ? undefined : JSON.stringify(request.body);

    for (let attempt = 0; ; attempt++) {
      const canRetry = retryable && attempt < maxRetries;
      if (signal?.aborted) {
        throw new APIUserAbortError();
      }
      const controller = new AbortController();
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, timeout);
      const onAbort = () => controller.abort();
      signal?.addEventListener("abort", onAbort, { once: true });
      const release = () => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
      };

      let response: Response;
      let text: string | undefined;
      try {
        response = await this.#fetch(url, {
          method: request.method,
          headers: this.#headers(request, attempt),
          ...(body !== undefined && { body }),
          // The session cookie goes with requests to the page's own origin, and nowhere else.
          ...(this.#session && { credentials: "same-origin" as const }),
          signal: controller.signal,
        });
        if (request.stream && response.ok) {
          // The body is read by the stream: the timeout covers the wait for the headers.
          clearTimeout(timer);
        } else {
          text = await response.text();
        }
      } catch (cause) {
        release();
        if (signal?.aborted) {
          throw new APIUserAbortError();
        }
        const error = timedOut
          ? new APIConnectionTimeoutError()
          : new APIConnectionError({ cause });
        if (!canRetry) {
          throw error;
        }
        await sleep(retryDelayMs(attempt), signal);
        continue;
      }

      if (response.ok) {
        if (!request.stream) {
          release();
        }
        return { response, text, request, controller, release };
      }
      release();
      const { body: parsed, message } = errorBody(text);
      if (canRetry && shouldRetryResponse(response, parsed)) {
        await sleep(retryDelayMs(attempt, response.headers), signal);
        continue;
      }
      throw APIError.generate(response.status, parsed, message, response.headers);
    }
  }
}
