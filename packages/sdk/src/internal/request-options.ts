import type { HttpMethod } from "./operations.js";

/** Per-request options: the last argument of every SDK method. */
export interface RequestOptions {
  /** Aborts the request (and any retry wait) at once with `APIUserAbortError`; never retried. */
  signal?: AbortSignal | undefined;
  /** Milliseconds to wait for each attempt, overriding the client's `timeout`. */
  timeout?: number | undefined;
  /** Retries after a connection error, a timeout, 408, 409, 429 or 5xx, overriding the client's. */
  maxRetries?: number | undefined;
  /**
   * Sent as `Idempotency-Key` on every attempt. A POST, PATCH or DELETE is retried only when it
   * has one: the server then answers a repeat with the first answer (`idempotent-replayed: true`).
   */
  idempotencyKey?: string | undefined;
  /** Extra headers for this request; `null` removes a default header. */
  headers?: Record<string, string | null | undefined> | undefined;
}

/** A request as the client sends it. */
export interface FinalRequestOptions {
  method: HttpMethod;
  path: string;
  query?: object | undefined;
  body?: unknown;
  /** The `accept` header (JSON by default). */
  accept?: string | undefined;
  /** Leave the body unread: the timeout covers the wait for the headers only. */
  stream?: boolean | undefined;
  options?: RequestOptions | undefined;
}
