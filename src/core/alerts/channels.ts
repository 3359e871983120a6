import { createHmac } from "node:crypto";
import { request } from "undici";
import type { AlertMessage } from "../../contract/alerts.js";
import type { Mailer } from "../mail/mailer.js";
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

export interface AttemptOutcome {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
}

export function slackBody(message: AlertMessage): unknown {
  const field = (label: string, value: string) => ({
    type: "mrkdwn",
    text: `*${label}*\n${value}`,
  });
  const usd = (n: number) => `$${n.toFixed(2)}`;
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
          field("Current spend", `${usd(message.current_spend_usd)} USD`),
          field("Threshold", `${usd(message.threshold.usd)} USD`),
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
}

/** Sends one message to one channel; never throws, the outcome says what happened. */
export class ChannelSender {
  constructor(private readonly options: ChannelSenderOptions) {}

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
            return { ok: false, statusCode: null, error: "email is not configured (SMTP_URL)" };
          }
          await withTimeout(
            mailer.send({ to: channel.to, subject: out.message.summary, text: out.message.text }),
            this.options.timeoutMs,
          );
          return { ok: true, statusCode: null, error: null };
        }
      }
    } catch (error) {
      return { ok: false, statusCode: null, error: describe(error) };
    }
  }

  async #post(url: string, body: string, headers: Record<string, string>): Promise<AttemptOutcome> {
    const response = await request(url, {
      method: "POST",
      body,
      headers: { "content-type": "application/json", "user-agent": "Steward-Alerts/1", ...headers },
      signal: AbortSignal.timeout(this.options.timeoutMs),
      headersTimeout: this.options.timeoutMs,
      bodyTimeout: this.options.timeoutMs,
    });
    const text = (await response.body.text()).slice(0, 200);
    const ok = response.statusCode >= 200 && response.statusCode < 300;
    return {
      ok,
      statusCode: response.statusCode,
      error: ok ? null : `HTTP ${response.statusCode}${text ? `: ${text}` : ""}`,
    };
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === "TimeoutError" || error.name === "AbortError") {
      return "timed out";
    }
    const code = (error as { code?: unknown }).code;
    const cause = (error as { cause?: { code?: unknown } }).cause?.code;
    const tag = typeof code === "string" ? code : typeof cause === "string" ? cause : undefined;
    return (tag ? `${tag}: ${error.message}` : error.message).slice(0, 500);
  }
  return String(error).slice(0, 500);
}
