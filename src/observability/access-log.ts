import { destination } from "pino";

/** Where access-log lines go: pino's destination (sonic-boom) or anything with the same calls. */
export interface AccessLogSink {
  write(data: string): unknown;
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

/** Bytes buffered before a write: one system call per some 30 lines under load. */
const BUFFER_BYTES = 8192;
/** Longest a buffered line waits when traffic is low. */
const FLUSH_INTERVAL_MS = 1000;

/**
 * The process's standard output as an access log's sink: buffered (a write per 8 KiB, or each
 * second), written synchronously so that its lines and the application log's, on the same file
 * descriptor, never interleave within a line. `flushSync` at shutdown writes what is buffered.
 */
export function stdoutSink(): AccessLogSink {
  return destination({
    dest: 1,
    sync: true,
    minLength: BUFFER_BYTES,
    periodicFlush: FLUSH_INTERVAL_MS,
  });
}

/**
 * One JSON line per gateway request, written when the request ends (a stream at its end, with
 * its final tokens). Lines have pino's `level`, `time` and `msg`, so that they can share a log
 * collector's pipeline with the application log. The line is built as text: the fields are
 * known, and only the model and the client's address can hold characters JSON must escape.
 */
export class AccessLog {
  readonly #sample: number;
  readonly #sink: AccessLogSink;
  // The last model's JSON text: requests name the same few models.
  #model: string | undefined;
  #modelJson = "null";

  constructor(options: AccessLogOptions) {
    this.#sample = Math.min(1, Math.max(0, options.sample ?? 1));
    this.#sink = options.sink;
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
    let line = `{"level":30,"time":${Date.now()},"msg":"gateway request","request_id":"${entry.requestId}","route":"${entry.route}","client_ip":${JSON.stringify(entry.ip)},"status":${entry.status},"key_id":${quoted(entry.keyId)},"workspace_id":${quoted(entry.workspaceId)},"model":${this.#modelText(entry.model)},"stream":${entry.stream},"error_type":${entry.errorType === null ? "null" : JSON.stringify(entry.errorType)},"client_aborted":${entry.clientAborted}`;
    if (usage !== undefined) {
      line += `,"input_tokens":${usage.input_tokens},"output_tokens":${usage.output_tokens},"cache_read_tokens":${usage.cache_read_tokens},"cache_creation_tokens":${usage.cache_creation_5m_tokens + usage.cache_creation_1h_tokens},"cost_usd":${usage.cost_nanos / 1e9}`;
    }
    line += `,"upstream_ms":${entry.upstreamMs === undefined ? "null" : milliseconds(entry.upstreamMs)},"total_ms":${milliseconds(entry.totalMs)}}\n`;
    this.#sink.write(line);
  }

  /** Writes every buffered line (shutdown). */
  flush(): void {
    this.#sink.flushSync();
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

/** Milliseconds to the hundredth. */
function milliseconds(ms: number): number {
  return Math.round(ms * 100) / 100;
}
