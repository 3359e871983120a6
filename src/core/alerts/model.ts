import { randomBytes } from "node:crypto";
import { formatUsd } from "@steward/sdk";
import type {
  AlertChannel,
  AlertChannelInput,
  AlertMessage,
  AlertThreshold,
} from "../../contract/alerts.js";
import { thresholdKey } from "../../contract/alerts.js";
import { invalidRequest } from "../errors.js";
import { monthStartOf, nextMonthStartOf } from "../months.js";

export { thresholdKey };

export const PAGERDUTY_EVENTS_URL = "https://events.pagerduty.com/v2/enqueue";

/** A channel as stored: the input with the webhook secret and PagerDuty url filled in. */
export type StoredChannel =
  | { type: "webhook"; url: string; secret: string }
  | { type: "slack"; webhook_url: string }
  | { type: "pagerduty"; routing_key: string; url: string }
  | { type: "email"; to: string[] };

export type AlertPeriod = "month" | "day";

export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64url")}`;
}

/**
 * A url as the API shows it: credentials (`user:pass@`), the query and the fragment, where
 * tokens travel, become `…`; scheme, host and path stay, to tell receivers apart. A url without
 * any of them is shown as given.
 */
export function maskUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "…";
  }
  if (
    parsed.username === "" &&
    parsed.password === "" &&
    parsed.search === "" &&
    parsed.hash === ""
  ) {
    return url;
  }
  const userinfo = parsed.username !== "" || parsed.password !== "" ? "…@" : "";
  const query = parsed.search !== "" ? "?…" : "";
  const fragment = parsed.hash !== "" ? "#…" : "";
  return `${parsed.protocol}//${userinfo}${parsed.host}${parsed.pathname}${query}${fragment}`;
}

/** True for a url with a part masked by `maskUrl` (as parsed: `…` is percent-encoded). */
function isMasked(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.username === MASK || parsed.search === `?${MASK}` || parsed.hash === `#${MASK}`;
  } catch {
    return false;
  }
}
const MASK = encodeURIComponent("…");

/**
 * The whole url a url given in an update stands for: the masked form the API showed (`maskUrl`)
 * of one of the rule's current urls stands for that url, so that a rule read and written back
 * keeps delivering; any other url stands for itself. A masked url that matches none, or several
 * different ones, is a 400.
 */
function unmask(url: string, current: readonly string[], field: string): string {
  if (current.includes(url) || !isMasked(url)) {
    return url;
  }
  const matches = new Set(current.filter((whole) => maskUrl(whole) === url));
  const [match] = matches;
  if (matches.size === 1 && match !== undefined) {
    return match;
  }
  throw invalidRequest(
    matches.size === 0
      ? `${field}: ${url} is a masked url this rule does not have; give the whole url`
      : `${field}: ${url} is the masked form of several of this rule's urls; give the whole url`,
  );
}

/**
 * Fills in what Steward provides: a webhook without a secret keeps the secret of a channel of the
 * previous list with the same url, or gets a new one. A url the API showed masked stands for the
 * whole url it masks. Returns the channels, and which of them got a secret the caller has not
 * seen (their secret is shown once, in this response).
 */
export function storeChannels(
  input: readonly AlertChannelInput[],
  previous: readonly StoredChannel[] = [],
): { channels: StoredChannel[]; reveal: Set<number> } {
  const reveal = new Set<number>();
  const webhooks = previous.filter(
    (p): p is Extract<StoredChannel, { type: "webhook" }> => p.type === "webhook",
  );
  const pagerDutyUrls = previous.flatMap((p) => (p.type === "pagerduty" ? [p.url] : []));
  const channels = input.map((channel, index): StoredChannel => {
    switch (channel.type) {
      case "webhook": {
        const url = unmask(
          channel.url,
          webhooks.map((p) => p.url),
          `channels[${index}].url`,
        );
        if (channel.secret !== undefined) {
          reveal.add(index);
          return { type: "webhook", url, secret: channel.secret };
        }
        const kept = webhooks.find((p) => p.url === url);
        if (kept) {
          return { type: "webhook", url, secret: kept.secret };
        }
        reveal.add(index);
        return { type: "webhook", url, secret: generateWebhookSecret() };
      }
      case "slack":
        reveal.add(index);
        return { type: "slack", webhook_url: channel.webhook_url };
      case "pagerduty":
        reveal.add(index);
        return {
          type: "pagerduty",
          routing_key: channel.routing_key,
          url:
            channel.url === undefined
              ? PAGERDUTY_EVENTS_URL
              : unmask(channel.url, pagerDutyUrls, `channels[${index}].url`),
        };
      default:
        return { type: "email", to: [...channel.to] };
    }
  });
  return { channels, reveal };
}

/** Every url a channel sends to, with the field that names it (`url` or `webhook_url`). */
export function channelUrl(
  channel: AlertChannelInput,
): { field: "url" | "webhook_url"; url: string } | undefined {
  switch (channel.type) {
    case "webhook":
      return { field: "url", url: channel.url };
    case "slack":
      return { field: "webhook_url", url: channel.webhook_url };
    case "pagerduty":
      return { field: "url", url: channel.url ?? PAGERDUTY_EVENTS_URL };
    default:
      return undefined;
  }
}

/**
 * A channel as the API shows it. Its credentials (a webhook's secret, a Slack webhook url, a
 * PagerDuty routing key) only in the response to the request that set them (`reveal`); a hint
 * otherwise. A webhook's or PagerDuty's url is always masked (`maskUrl`).
 */
export function presentChannel(channel: StoredChannel, reveal: boolean): AlertChannel {
  switch (channel.type) {
    case "webhook":
      return {
        type: "webhook",
        url: maskUrl(channel.url),
        secret: reveal ? channel.secret : null,
        secret_hint: `${channel.secret.slice(0, 6)}…${channel.secret.slice(-4)}`,
      };
    case "slack":
      return {
        type: "slack",
        webhook_url: reveal ? channel.webhook_url : null,
        webhook_url_hint: `${new URL(channel.webhook_url).origin}/…${channel.webhook_url.slice(-4)}`,
      };
    case "pagerduty":
      return {
        type: "pagerduty",
        routing_key: reveal ? channel.routing_key : null,
        routing_key_hint: `…${channel.routing_key.slice(-4)}`,
        url: maskUrl(channel.url),
      };
    default:
      return channel;
  }
}

/** Where a delivery goes, without its secrets (Slack's url and PagerDuty's key are secrets). */
export function channelTarget(channel: StoredChannel): string {
  switch (channel.type) {
    case "webhook":
      return maskUrl(channel.url);
    case "slack":
      return `${new URL(channel.webhook_url).origin}/…`;
    case "pagerduty":
      return `${maskUrl(channel.url)} (routing key …${channel.routing_key.slice(-4)})`;
    case "email":
      return channel.to.join(", ");
  }
}

/** The period containing `at`, as UTC instants. */
export function periodOf(period: AlertPeriod, at: Date): { start: string; end: string } {
  if (period === "month") {
    return { start: monthStartOf(at), end: nextMonthStartOf(at) };
  }
  const day = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate());
  return {
    start: new Date(day).toISOString(),
    end: new Date(day + 86_400_000).toISOString(),
  };
}

/** A threshold in nano-USD; undefined for a percentage when the scope has no limit. */
export function thresholdNanos(
  threshold: AlertThreshold,
  limitMicros: number | null,
): number | undefined {
  if (threshold.type === "usd") {
    return Math.round(threshold.amount_usd * 1e9);
  }
  if (limitMicros === null) {
    return undefined;
  }
  return Math.round((limitMicros * 1000 * threshold.percent) / 100);
}

const nanosToUsd = (nanos: number): number => Math.round(nanos / 1000) / 1e6;

export const ALERT_HINTS = [
  "Check for anomalous API calls (the usage report grouped by API key: GET /v1/organizations/usage_report/messages?group_by[]=api_key_id)",
  "Adjust Workspace usage limits",
  "Optimize model selection (use Haiku instead of Opus for high-frequency calls)",
];

export interface MessageFacts {
  kind: "alert" | "test";
  id: string;
  organizationId: string;
  rule: { id: string; name: string };
  scope: { type: "organization" | "workspace"; id: string; name: string };
  period: AlertPeriod;
  periodStart: string;
  periodEnd: string;
  threshold: AlertThreshold;
  thresholdNanos: number;
  limitMicros: number | null;
  spendNanos: number;
  firedAt: string;
}

/** What the seed's CostAlertSystem says, with the scope, period and rule. */
export function buildMessage(f: MessageFacts): AlertMessage {
  const spend = nanosToUsd(f.spendNanos);
  const threshold = nanosToUsd(f.thresholdNanos);
  // The text shows the exact amounts: a spend of a few nano-dollars is not "$0.00".
  const spendText = formatUsd(f.spendNanos / 1e9);
  const thresholdText = formatUsd(f.thresholdNanos / 1e9);
  const limit = f.limitMicros === null ? null : f.limitMicros / 1e6;
  const overage =
    f.thresholdNanos > 0 ? Math.round((f.spendNanos / f.thresholdNanos - 1) * 1000) / 10 : 0;
  const scopeLabel =
    f.scope.type === "organization"
      ? `organization "${f.scope.name}"`
      : `workspace "${f.scope.name}" (${f.scope.id})`;
  const periodLabel =
    f.period === "month"
      ? `month ${f.periodStart.slice(0, 7)}`
      : `day ${f.periodStart.slice(0, 10)}`;
  const thresholdLabel =
    f.threshold.type === "percent_of_limit"
      ? `${thresholdText} USD (${f.threshold.percent}% of the monthly limit of ${formatUsd(limit ?? 0)})`
      : `${thresholdText} USD`;
  const test = f.kind === "test";
  const summary = `${test ? "[TEST] " : ""}[COST ALERT] Claude API spend of ${scopeLabel} is ${spendText}, past ${thresholdText} this ${f.period} (UTC)`;
  const text = [
    test
      ? "[TEST] A test of this alert rule's channels; nothing crossed a threshold."
      : "[COST ALERT] Claude API usage exceeds budget",
    "",
    `Current ${f.period === "month" ? "month" : "day"} usage: ${spendText} USD`,
    `Alert threshold: ${thresholdLabel}`,
    `Overage: ${overage.toFixed(1)}%`,
    `Scope: ${scopeLabel}`,
    `Period: ${periodLabel} (UTC)`,
    `Rule: ${f.rule.name} (${f.rule.id})`,
    "",
    "Consider:",
    ...ALERT_HINTS.map((hint, i) => `${i + 1}. ${hint}`),
    "",
  ].join("\n");
  return {
    type: test ? "cost_alert_test" : "cost_alert",
    id: f.id,
    organization_id: f.organizationId,
    rule: f.rule,
    scope: f.scope,
    period: { type: f.period, starting_at: f.periodStart, ending_at: f.periodEnd },
    threshold: {
      type: f.threshold.type,
      percent: f.threshold.type === "percent_of_limit" ? f.threshold.percent : null,
      usd: threshold,
    },
    limit_usd: limit,
    current_spend_usd: spend,
    overage_percent: overage,
    fired_at: f.firedAt,
    summary,
    hint: ALERT_HINTS.join("; "),
    text,
  };
}
