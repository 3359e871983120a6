import type { FinalRequestOptions } from "../internal/request-options.js";

/** A response as the client received it (the body already read, unless streamed). */
export interface APIResponseProps {
  response: Response;
  /** The body's text; `undefined` for a streamed response. */
  text: string | undefined;
  request: FinalRequestOptions;
  /** Aborts this request's fetch (a streamed body's download). */
  controller: AbortController;
  /** Called once a streamed body is finished with (releases the caller's abort listener). */
  release: () => void;
}

/** What `.withResponse()` gives: the parsed data, the raw response and the server's request id. */
export interface WithResponse<T> {
  data: T;
  response: Response;
  requestId: string | null;
}

/**
 * The promise every SDK method returns: await it for the parsed body, or call `.withResponse()`
 * for the raw `Response` and request id as well (as the official SDK's `APIPromise`).
 */
export class APIPromise<T> extends Promise<T> {
  #parsed: Promise<WithResponse<T>> | undefined;
  readonly #responsePromise: Promise<APIResponseProps>;
  readonly #parse: (props: APIResponseProps) => T | Promise<T>;

  constructor(
    responsePromise: Promise<APIResponseProps>,
    parse: (props: APIResponseProps) => T | Promise<T>,
  ) {
    super((resolve) => {
      // The real value comes from `then`, below; this only satisfies the Promise constructor.
      resolve(null as T);
    });
    this.#responsePromise = responsePromise;
    this.#parse = parse;
    // A request nobody awaits yet must not be reported as an unhandled rejection: the error is
    // still delivered to whoever awaits this promise later.
    responsePromise.catch(() => undefined);
  }

  /** The parsed data together with the raw `Response` and its `request-id`. */
  withResponse(): Promise<WithResponse<T>> {
    if (!this.#parsed) {
      this.#parsed = this.#responsePromise.then(async (props) => ({
        data: await this.#parse(props),
        response: props.response,
        requestId: props.response.headers.get("request-id"),
      }));
    }
    return this.#parsed;
  }

  // biome-ignore lint/suspicious/noThenProperty: this is a Promise subclass; `then` is the point
  override then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.withResponse()
      .then((r) => r.data)
      .then(onfulfilled, onrejected);
  }

  override catch<R = never>(
    onrejected?: ((reason: unknown) => R | PromiseLike<R>) | null,
  ): Promise<T | R> {
    return this.then(undefined, onrejected);
  }

  override finally(onfinally?: (() => void) | null): Promise<T> {
    return this.then().finally(onfinally);
  }
}
