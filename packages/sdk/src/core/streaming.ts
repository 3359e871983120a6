import { APIPromise } from "./api-promise.js";
import { APIConnectionError, APIUserAbortError, StewardError } from "./error.js";

/**
 * A streamed NDJSON body: one JSON value per line, parsed as the bytes arrive, so an export of
 * any size is read in constant memory. Iterate it once; leaving the loop early (`break`) or
 * calling `abort()` cancels the download.
 */
export class NDJSONStream<T> implements AsyncIterable<T> {
  /** The raw response (its body is consumed by iterating). */
  readonly response: Response;
  readonly #signal: AbortSignal | undefined;
  readonly #release: () => void;
  readonly #controller: AbortController;
  #consumed = false;

  constructor(
    response: Response,
    controller: AbortController,
    signal: AbortSignal | undefined,
    release: () => void,
  ) {
    this.response = response;
    this.#controller = controller;
    this.#signal = signal;
    this.#release = release;
  }

  /** Stops the download; a loop over the stream ends with `APIUserAbortError`. */
  abort(): void {
    this.#controller.abort();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T> {
    if (this.#consumed) {
      throw new StewardError("An NDJSON stream can be iterated only once.");
    }
    this.#consumed = true;
    const body = this.response.body;
    if (!body) {
      this.#release();
      return;
    }
    const reader = body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    let lineNumber = 0;
    const parse = (line: string): T => {
      lineNumber++;
      try {
        return JSON.parse(line) as T;
      } catch (cause) {
        throw new StewardError(`NDJSON line ${lineNumber} is not JSON: ${line.slice(0, 200)}`, {
          cause,
        });
      }
    };
    let done = false;
    try {
      while (true) {
        let chunk: ReadableStreamReadResult<Uint8Array>;
        try {
          chunk = await reader.read();
        } catch (cause) {
          if (this.#signal?.aborted || this.#controller.signal.aborted) {
            throw new APIUserAbortError();
          }
          throw new APIConnectionError({ message: "The NDJSON stream was cut off.", cause });
        }
        if (chunk.done) {
          break;
        }
        buffer += decoder.decode(chunk.value, { stream: true });
        let start = 0;
        let newline = buffer.indexOf("\n", start);
        while (newline !== -1) {
          const line = buffer.slice(start, newline).trim();
          start = newline + 1;
          if (line !== "") {
            yield parse(line);
          }
          newline = buffer.indexOf("\n", start);
        }
        buffer = buffer.slice(start);
      }
      buffer += decoder.decode();
      const last = buffer.trim();
      if (last !== "") {
        yield parse(last);
      }
      done = true;
    } finally {
      if (!done) {
        // Left early (break, an error): stop the download.
        await reader.cancel().catch(() => undefined);
      }
      reader.releaseLock();
      this.#release();
    }
  }

  /** Every value, collected (for small exports). */
  async toArray(): Promise<T[]> {
    const values: T[] = [];
    for await (const value of this) {
      values.push(value);
    }
    return values;
  }
}

/**
 * What a streaming method returns: await it for the `NDJSONStream` (the request has been answered
 * then), or iterate it directly.
 */
export class NDJSONStreamPromise<T>
  extends APIPromise<NDJSONStream<T>>
  implements AsyncIterable<T>
{
  async *[Symbol.asyncIterator](): AsyncGenerator<T> {
    const stream = await this;
    yield* stream;
  }
}
