import { createHmac } from "node:crypto";
import { formatUsd } from "@steward/sdk";
import { type Agent, request } from "undici";
import type { AlertMessage } from "../../contract/alerts.js";
import type { Mailer } from "../mail/mailer.js";
import { OutboundPolicy, RefusedDestinationError } from "../net/outbound-guard.js";
import type { StoredChannel } from "./model.js";

/** The header a generic webhook's receiver verifies (docs/alerts.md). */
export const SIGNATURE_HEADER = "steward-signature";

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. */
export function signWebhook(secret: string, body: string, unixSeconds: number): string {
  const mac = createHmac("sha256", secret).update(`${unixSeconds}.${body}`).digest("hex");
  return `t=${unixSeconds},v1=${mac}`;
}

export interface Outgoing {
  message: AlertMessage;
  deliveryId: string;
  /** Stable per firing (per delivery for a test): PagerDuty's dedup_key. */
  dedupKey: string;
  /** Unix seconds for the signature. */
  now: number;
}

/**
 * What went wrong with an attempt, as a short class: never the receiver's answer, which would let
 * a tenant read what a url serves, nor the socket's error, which would tell an open port from a
 * closed one.
 */
export type DeliveryError =
  /** The destination is an internal address the operator has not allowed (nothing was sent). */
  | "refused_address"
  | "dns_failed"
  /** Refused, reset, unreachable: not told apart. */
  | "connection_failed"
  | "timeout"
  | "tls"
  /** A 3xx: redirects are not followed. */
  | "redirect"
  | "http_4xx"
  | "http_5xx"
  | "http_error"
  | "email_not_configured"
  | "email_failed";

export interface AttemptOutcome {
  ok: boolean;
  statusCode: number | null;
  error: DeliveryError | null;
}

export function slackBody(message: AlertMessage): unknown {
  const field = (label: string, value: string) => ({
    type: "mrkdwn",
    text: `*${label}*\n${value}`,
  });
  return {
    text: message.summary,
    blocks: [
      {
        type: "header",
        text: {
          type: "plain_text",
          text: (message.type === "cost_alert_test" ? "[TEST] Cost alert" : "Cost alert").slice(
            0,
            150,
          ),
        },
      },
      { type: "section", text: { type: "mrkdwn", text: message.summary } },
      {
        type: "section",
        fields: [
          field("Current spend", `${formatUsd(message.current_spend_usd)} USD`),
          field("Threshold", `${formatUsd(message.threshold.usd)} USD`),
          field("Overage", `${message.overage_percent.toFixed(1)}%`),
          field(
            "Scope",
            message.scope.type === "organization"
              ? `organization ${message.scope.name}`
              : `workspace ${message.scope.name} (${message.scope.id})`,
          ),
        ],
      },
      { type: "context", elements: [{ type: "mrkdwn", text: `Consider: ${message.hint}` }] },
    ],
  };
}

export function pagerDutyBody(
  channel: Extract<StoredChannel, { type: "pagerduty" }>,
  out: Outgoing,
): unknown {
  const m = out.message;
  return {
    routing_key: channel.routing_key,
    event_action: "trigger",
    dedup_key: out.dedupKey,
    payload: {
      summary: m.summary.slice(0, 1024),
      // Critical once the scope's limit is reached, where the gateway starts refusing requests.
      severity:
        m.type === "cost_alert_test"
          ? "info"
          : m.limit_usd !== null && m.current_spend_usd >= m.limit_usd
            ? "critical"
            : "warning",
      source: `steward/${m.organization_id}`,
      component: m.scope.type === "workspace" ? m.scope.id : m.organization_id,
      group: "cost",
      class: "cost_alert",
      custom_details: {
        current_spend_usd: m.current_spend_usd,
        threshold_usd: m.threshold.usd,
        threshold_percent_of_limit: m.threshold.percent,
        limit_usd: m.limit_usd,
        overage_percent: m.overage_percent,
        scope: m.scope,
        period: m.period,
        rule: m.rule,
        hint: m.hint,
      },
    },
  };
}

export interface ChannelSenderOptions {
  timeoutMs: number;
  mailer?: Mailer | undefined;
  /** Which destinations may be reached; internal ones are refused by default. */
  policy?: OutboundPolicy | undefined;
  /**
   * Told why the operator's mail server did not take a message (the attempt records only
   * `email_failed`): the server is the operator's to fix, and its log is the place to say why.
   */
  onMailError?: ((error: unknown) => void) | undefined;
}

/** Sends one message to one channel; never throws, the outcome says what happened. */
export class ChannelSender {
  readonly #dispatcher: Agent;

  constructor(private readonly options: ChannelSenderOptions) {
    this.#dispatcher = (options.policy ?? new OutboundPolicy()).dispatcher({
      timeoutMs: options.timeoutMs,
    });
  }

  /** Closes the connections kept open to receivers. */
  async close(): Promise<void> {
    await this.#dispatcher.close();
  }

  async send(channel: StoredChannel, out: Outgoing): Promise<AttemptOutcome> {
    try {
      switch (channel.type) {
        case "webhook": {
          const body = JSON.stringify({ ...out.message, delivery_id: out.deliveryId });
          return await this.#post(channel.url, body, {
            [SIGNATURE_HEADER]: signWebhook(channel.secret, body, out.now),
            "steward-delivery-id": out.deliveryId,
          });
        }
        case "slack":
          return await this.#post(channel.webhook_url, JSON.stringify(slackBody(out.message)), {});
        case "pagerduty":
          return await this.#post(channel.url, JSON.stringify(pagerDutyBody(channel, out)), {});
        case "email": {
          const mailer = this.options.mailer;
          if (!mailer) {
            return { ok: false, statusCode: null, error: "email_not_configured" };
          }
          try {
            await withTimeout(
              mailer.send({ to: channel.to, subject: out.message.summary, text: out.message.text }),
              this.options.timeoutMs,
            );
          } catch (error) {
            this.options.onMailError?.(error);
            return {
              ok: false,
              statusCode: null,
              error: error instanceof TimeoutError ? "timeout" : "email_failed",
            };
          }
          return { ok: true, statusCode: null, error: null };
        }
      }
    } catch (error) {
      return { ok: false, statusCode: null, error: classify(error) };
    }
  }

  /** Posts through the guarded dispatcher; redirects are not followed, the answer is not kept. */
  async #post(url: string, body: string, headers: Record<string, string>): Promise<AttemptOutcome> {
    const target = new URL(url);
    // `user:pass@` in a url is sent as HTTP Basic credentials, as curl does (undici drops it).
    const basic =
      target.username !== "" || target.password !== ""
        ? `${decodeURIComponent(target.username)}:${decodeURIComponent(target.password)}`
        : undefined;
    target.username = "";
    target.password = "";
    const response = await request(target, {
      method: "POST",
      body,
      headers: {
        "content-type": "application/json",
        "user-agent": "Steward-Alerts/1",
        ...(basic !== undefined && {
          authorization: `Basic ${Buffer.from(basic).toString("base64")}`,
        }),
        ...headers,
      },
      dispatcher: this.#dispatcher,
      signal: AbortSignal.timeout(this.options.timeoutMs),
      headersTimeout: this.options.timeoutMs,
      bodyTimeout: this.options.timeoutMs,
    });
    // Read and dropped (so the connection can be reused); what it says is never stored.
    await response.body.dump().catch(() => {});
    const status = response.statusCode;
    if (status >= 200 && status < 300) {
      return { ok: true, statusCode: status, error: null };
    }
    return { ok: false, statusCode: status, error: statusClass(status) };
  }
}

function statusClass(status: number): DeliveryError {
  if (status >= 300 && status < 400) {
    return "redirect";
  }
  if (status >= 400 && status < 500) {
    return "http_4xx";
  }
  return status >= 500 && status < 600 ? "http_5xx" : "http_error";
}

class TimeoutError extends Error {
  override name = "TimeoutError";
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const TIMEOUT_CODES = new Set([
  "ETIMEDOUT",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
]);
const DNS_CODES = new Set(["ENOTFOUND", "EAI_AGAIN", "EAI_FAIL", "EAI_NODATA", "EAI_NONAME"]);

/** The class of a failed HTTP attempt; connection errors all look alike (see DeliveryError). */
export function classify(error: unknown): DeliveryError {
  if (error instanceof RefusedDestinationError) {
    return "refused_address";
  }
  if (!(error instanceof Error)) {
    return "connection_failed";
  }
  if (error.name === "TimeoutError" || error.name === "AbortError") {
    return "timeout";
  }
  const own = (error as { code?: unknown }).code;
  const cause = (error as { cause?: { code?: unknown } }).cause?.code;
  const code = typeof own === "string" ? own : typeof cause === "string" ? cause : "";
  if (code === "ERR_OUTBOUND_REFUSED") {
    return "refused_address";
  }
  if (TIMEOUT_CODES.has(code)) {
    return "timeout";
  }
  if (DNS_CODES.has(code)) {
    return "dns_failed";
  }
  if (/^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_)|SELF_SIGNED|^EPROTO$/.test(code)) {
    return "tls";
  }
  return "connection_failed";
}
