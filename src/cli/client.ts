import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  StewardAdmin,
} from "@steward/sdk";
import type { Command } from "commander";
import { CliError, ExitCode, UsageError } from "./errors.js";

/** The global options every server command reads: `steward --url … --admin-key … --timeout …`. */
export interface GlobalOptions {
  url?: string;
  adminKey?: string;
  /** Milliseconds. */
  timeout?: number;
  json?: boolean;
}

export interface ClientConfig {
  baseURL: string;
  adminKey: string;
  timeoutMs?: number;
}

const env = (name: string): string | undefined => {
  const value = process.env[name]?.trim();
  return value === undefined || value === "" ? undefined : value;
};

let warnedAboutKeyFlag = false;

/** Where the server is and the key to use: flags first, then the environment. */
export function resolveConfig(options: GlobalOptions): ClientConfig {
  const baseURL = options.url ?? env("STEWARD_URL");
  if (baseURL === undefined) {
    throw new CliError(
      "no Steward server configured: set STEWARD_URL (e.g. export STEWARD_URL=http://localhost:8080) or pass --url",
      ExitCode.usage,
    );
  }
  try {
    const parsed = new URL(baseURL);
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
      throw new Error("not http");
    }
  } catch {
    throw new UsageError(
      `STEWARD_URL (or --url) must be an http:// or https:// URL, not ${JSON.stringify(baseURL)}`,
    );
  }
  if (options.adminKey !== undefined && !warnedAboutKeyFlag) {
    warnedAboutKeyFlag = true;
    process.stderr.write(
      "steward: warning: a key given with --admin-key lands in your shell history; prefer STEWARD_ADMIN_KEY\n",
    );
  }
  const adminKey = options.adminKey ?? env("STEWARD_ADMIN_KEY") ?? env("ANTHROPIC_ADMIN_KEY");
  if (adminKey === undefined) {
    throw new CliError(
      "no admin key configured: set STEWARD_ADMIN_KEY (or ANTHROPIC_ADMIN_KEY) to an admin key (sk-ant-admin01-…); operators create one with `steward admin-keys create`",
      ExitCode.usage,
    );
  }
  return {
    baseURL,
    adminKey,
    ...(options.timeout !== undefined && { timeoutMs: Math.max(1, options.timeout) }),
  };
}

/** The merged global and command options of the command being run. */
export function globalsOf(command: Command): GlobalOptions {
  return command.optsWithGlobals() as GlobalOptions;
}

/** An SDK client from the command's options; `describeError` turns its errors into messages. */
export function clientFor(command: Command): StewardAdmin {
  const config = resolveConfig(globalsOf(command));
  currentBaseURL = config.baseURL;
  return new StewardAdmin({
    baseURL: config.baseURL,
    adminKey: config.adminKey,
    ...(config.timeoutMs !== undefined && { timeout: config.timeoutMs }),
  });
}

/** The URL the last client was made for, for "could not reach …" messages. */
let currentBaseURL: string | undefined;

function causeText(error: unknown): string {
  let current: unknown = error;
  const seen = new Set<unknown>();
  let text = "";
  while (current instanceof Error && !seen.has(current)) {
    seen.add(current);
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && /^E[A-Z]+/.test(code)) {
      return `${code}${current.message.includes(code) ? `: ${current.message}` : ""}`;
    }
    text = current.message;
    current = (current as { cause?: unknown }).cause;
  }
  return text;
}

/** One line about an SDK error, or undefined when it is not one. */
export function describeSdkError(error: unknown): string | undefined {
  if (error instanceof APIUserAbortError) {
    return "the request was aborted";
  }
  if (error instanceof APIConnectionTimeoutError) {
    return `no answer from Steward at ${currentBaseURL ?? "the server"} in time (raise --timeout, or check the server)`;
  }
  if (error instanceof APIConnectionError) {
    const cause = causeText(error);
    return `could not reach Steward at ${currentBaseURL ?? "the server"}${cause ? ` (${cause})` : ""}: check STEWARD_URL or --url, and that the server is running`;
  }
  if (error instanceof APIError) {
    return describeApiError(error);
  }
  return undefined;
}

export function apiErrorFields(error: APIError): {
  status: number | undefined;
  type: string | undefined;
  code: string | undefined;
  message: string;
  requestId: string | undefined;
} {
  const e = error as unknown as {
    status?: number;
    type?: string;
    errorCode?: string;
    requestId?: string;
    error?: unknown;
    message: string;
  };
  const body = e.error as
    | {
        error?: { message?: string; type?: string; details?: { error_code?: string } };
        message?: string;
        type?: string;
        details?: { error_code?: string };
        request_id?: string;
      }
    | undefined;
  const message = body?.error?.message ?? body?.message ?? e.message;
  return {
    status: e.status,
    type: e.type ?? body?.error?.type,
    code: e.errorCode ?? body?.error?.details?.error_code ?? body?.details?.error_code,
    message,
    requestId: e.requestId ?? body?.request_id,
  };
}

function describeApiError(error: APIError): string {
  const f = apiErrorFields(error);
  const head = [f.status, f.type].filter((x) => x !== undefined).join(" ");
  const code = f.code ? ` [${f.code}]` : "";
  const request = f.requestId ? ` (request ${f.requestId})` : "";
  const hint =
    f.status === 401
      ? "; check STEWARD_ADMIN_KEY: the key is unknown, revoked or expired"
      : f.status === 403
        ? "; this admin key may not do that"
        : "";
  return `${head}${code}: ${f.message}${request}${hint}`;
}
