import { destination } from "pino";

/**
 * Where access-log lines go: pino's destination (sonic-boom) in its buffer mode, or anything
 * with the same calls. It may keep `data`: the access log never writes into it again.
 */
export interface AccessLogSink {
  write(data: Buffer): unknown;
  flushSync(): void;
}

/** What one gateway request leaves in the access log. Never its key, prompt or body. */
export interface AccessEntry {
  requestId: string;
  route: string;
  /** The client's address (forwarding headers of trusted proxies applied). */
  ip: string;
  /** The status the client got. */
  status: number;
  keyId: string | undefined;
  workspaceId: string | undefined;
  model: string | undefined;
  stream: boolean;
  /** The error's type, from Steward's refusal or the upstream's answer; null for a success. */
  errorType: string | null;
  /** The client left before the answer ended (the upstream was still read to its end). */
  clientAborted: boolean;
  /** Tokens and cost, when the request was metered. */
  usage: AccessUsage | undefined;
  /** From sending the request upstream to the end of its answer; undefined when not sent. */
  upstreamMs: number | undefined;
  /** From the request's arrival to the end of its answer. */
  totalMs: number;
}

export interface AccessUsage {
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  cache_creation_5m_tokens: number;
  cache_creation_1h_tokens: number;
  cost_nanos: number;
}

export interface AccessLogOptions {
  /** Share of successful requests logged, 0 to 1; errors are always logged. */
  sample?: number;
  sink: AccessLogSink;
}

/** Bytes of lines buffered before a write: one system call per some 20 lines under load. */
const BUFFER_BYTES = 8192;
/** Longest a buffered line waits when traffic is low. */
const FLUSH_INTERVAL_MS = 1000;

/**
 * A file descriptor or a file as an access log's sink: pino's destination, taking buffers, writing
 * each synchronously (as pino's own log is), so that its lines and the application log's, on the
 * same file descriptor, never interleave within a line. The access log hands it some 8 KiB at a time.
 */
export function fileSink(dest: number | string): AccessLogSink {
  const boom = destination({ dest, sync: true, contentMode: "buffer" });
  return {
    // In its buffer mode sonic-boom takes buffers; its types know only strings.
    write: (data) => boom.write(data as unknown as string),
    flushSync: () => boom.flushSync(),
  };
}

/** The process's standard output. */
export const stdoutSink = (): AccessLogSink => fileSink(1);

/**
 * One JSON line per gateway request, written when the request ends (a stream at its end, with
 * its final tokens). Lines have pino's `level`, `time` and `msg`, so that they can share a log
 * collector's pipeline with the application log.
 * Trick: each line is built as text (the fields are known; only the model and the client's
 * address may need escaping) and copied at once into a buffer outside the JavaScript heap, which
 * goes to the sink when 8 KiB are in it: the line's strings die young, where lines kept as text
 * until the write outlived the young generation's collections and were promoted
 * (bench/README.md#access-log).
 */
export class AccessLog {
  readonly #sample: number;
  readonly #sink: AccessLogSink;
  readonly #buffer = Buffer.allocUnsafe(BUFFER_BYTES);
  #used = 0;
  readonly #timer: NodeJS.Timeout;
  // The last model's JSON text: requests name the same few models.
  #model: string | undefined;
  #modelJson = "null";

  constructor(options: AccessLogOptions) {
    this.#sample = Math.min(1, Math.max(0, options.sample ?? 1));
    this.#sink = options.sink;
    this.#timer = setInterval(() => this.#writeBuffer(), FLUSH_INTERVAL_MS);
    this.#timer.unref();
  }

  /** Whether a request with this outcome is logged: every error, and a sample of the rest. */
  wants(status: number, errorType: string | null, clientAborted: boolean): boolean {
    return (
      status >= 400 ||
      errorType !== null ||
      clientAborted ||
      this.#sample >= 1 ||
      (this.#sample > 0 && Math.random() < this.#sample)
    );
  }

  write(entry: AccessEntry): void {
    const usage = entry.usage;
    let line = `{"level":30,"time":${Date.now()},"msg":"gateway request","request_id":"${entry.requestId}","route":"${entry.route}","client_ip":${ipText(entry.ip)},"status":${entry.status},"key_id":${quoted(entry.keyId)},"workspace_id":${quoted(entry.workspaceId)},"model":${this.#modelText(entry.model)},"stream":${entry.stream},"error_type":${entry.errorType === null ? "null" : JSON.stringify(entry.errorType)},"client_aborted":${entry.clientAborted}`;
    if (usage !== undefined) {
      line += `,"input_tokens":${usage.input_tokens},"output_tokens":${usage.output_tokens},"cache_read_tokens":${usage.cache_read_tokens},"cache_creation_tokens":${usage.cache_creation_5m_tokens + usage.cache_creation_1h_tokens},"cost_usd":${usage.cost_nanos / 1e9}`;
    }
    line += `,"upstream_ms":${entry.upstreamMs === undefined ? "null" : milliseconds(entry.upstreamMs)},"total_ms":${milliseconds(entry.totalMs)}}\n`;
    this.#append(line);
  }

  /** Writes every buffered line (shutdown). */
  flush(): void {
    this.#writeBuffer();
    this.#sink.flushSync();
  }

  /** Writes what is buffered and stops the periodic write (the runtime's owner, at the end). */
  close(): void {
    clearInterval(this.#timer);
    this.flush();
  }

  #append(line: string): void {
    const length = Buffer.byteLength(line);
    if (this.#used + length > BUFFER_BYTES) {
      this.#writeBuffer();
      if (length > BUFFER_BYTES) {
        // A line longer than the buffer (a very long model name) goes on its own.
        this.#sink.write(Buffer.from(line));
        return;
      }
    }
    this.#used += this.#buffer.write(line, this.#used);
  }

  #writeBuffer(): void {
    if (this.#used > 0) {
      // A copy: the sink may keep what it is given, and the buffer is written into again.
      const lines = Buffer.from(this.#buffer.subarray(0, this.#used));
      this.#used = 0;
      this.#sink.write(lines);
    }
  }

  #modelText(model: string | undefined): string {
    if (model === undefined) {
      return "null";
    }
    if (model !== this.#model) {
      this.#model = model;
      this.#modelJson = JSON.stringify(model);
    }
    return this.#modelJson;
  }
}

/** Steward's own ids (letters, digits, `_`): nothing to escape. */
function quoted(id: string | undefined): string {
  return id === undefined ? "null" : `"${id}"`;
}

const PLAIN_ADDRESS = /^[0-9A-Fa-f.:]*$/;

/** An address as JSON: an IPv4 or IPv6 address needs no escaping. */
function ipText(ip: string): string {
  return PLAIN_ADDRESS.test(ip) ? `"${ip}"` : JSON.stringify(ip);
}

/** Milliseconds to the hundredth. */
function milliseconds(ms: number): number {
  return Math.round(ms * 100) / 100;
}
