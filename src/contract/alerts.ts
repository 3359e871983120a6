import { z } from "zod";
import { Id, ListOrder, ListQuery, Name, Page, Timestamp } from "./common.js";

/** Cost alerts: rules, and the deliveries of their messages. */

const HttpUrl = z.url({ protocol: /^https?$/ }).max(2000);

export const AlertThreshold = z
  .discriminatedUnion("type", [
    z.strictObject({
      type: z.literal("usd"),
      amount_usd: z.number().finite().gt(0).max(1e12).describe("Spend in USD"),
    }),
    z.strictObject({
      type: z.literal("percent_of_limit"),
      percent: z
        .number()
        .finite()
        .gt(0)
        .max(1000)
        .describe(
          "Percentage of the scope's monthly limit (organization `billing.usage_limit_usd`, workspace `usage_limits.monthly_spend_usd`)",
        ),
    }),
  ])
  .meta({ id: "AlertThreshold" });
export type AlertThreshold = z.output<typeof AlertThreshold>;

const WebhookSecret = z
  .string()
  .min(16, "at least 16 characters")
  .max(200)
  .regex(/^[\x21-\x7e]+$/, "printable ASCII without spaces");

export const AlertChannelInput = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("webhook"),
    url: HttpUrl,
    secret: WebhookSecret.optional().describe(
      "HMAC-SHA256 signing secret; generated when absent (and kept when an update names the same url)",
    ),
  }),
  z.strictObject({ type: z.literal("slack"), webhook_url: HttpUrl }),
  z.strictObject({
    type: z.literal("pagerduty"),
    routing_key: z.string().min(1).max(200),
    url: HttpUrl.optional().describe("Defaults to https://events.pagerduty.com/v2/enqueue"),
  }),
  z.strictObject({
    type: z.literal("email"),
    to: z.array(z.email()).min(1).max(50),
  }),
]);
export type AlertChannelInput = z.output<typeof AlertChannelInput>;

export const AlertChannel = z
  .discriminatedUnion("type", [
    z.object({
      type: z.literal("webhook"),
      url: z.string(),
      secret: z
        .string()
        .nullable()
        .describe("Only in the response that set it (create, or an update that generated it)"),
      secret_hint: z.string(),
    }),
    z.object({
      type: z.literal("slack"),
      webhook_url: z
        .string()
        .nullable()
        .describe("Only in the response to the request that set it"),
      webhook_url_hint: z.string(),
    }),
    z.object({
      type: z.literal("pagerduty"),
      routing_key: z
        .string()
        .nullable()
        .describe("Only in the response to the request that set it"),
      routing_key_hint: z.string(),
      url: z.string(),
    }),
    z.object({ type: z.literal("email"), to: z.array(z.string()) }),
  ])
  .meta({ id: "AlertChannel" });
export type AlertChannel = z.output<typeof AlertChannel>;

const ScopeInput = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("organization") }),
  z.strictObject({ type: z.literal("workspace"), workspace_id: Id }),
]);

export const AlertPeriod = z.enum(["month", "day"]);

const Thresholds = z
  .array(AlertThreshold)
  .min(1)
  .max(20)
  .refine(
    (list) => new Set(list.map(thresholdKey)).size === list.length,
    "list each threshold once",
  );
const Channels = z.array(AlertChannelInput).min(1).max(10);
const RuleName = Name(200);

export function thresholdKey(t: AlertThreshold): string {
  return t.type === "usd" ? `usd:${t.amount_usd}` : `percent:${t.percent}`;
}

export const AlertRuleCreateParams = z
  .strictObject({
    name: RuleName,
    scope: ScopeInput,
    period: AlertPeriod.default("month").describe("UTC calendar month or day"),
    thresholds: Thresholds,
    channels: Channels,
    enabled: z.boolean().default(true),
  })
  .meta({ id: "AlertRuleCreateParams" });
export type AlertRuleCreateParams = z.output<typeof AlertRuleCreateParams>;

export const AlertRuleUpdateParams = z
  .strictObject({
    name: RuleName.optional(),
    scope: ScopeInput.optional(),
    period: AlertPeriod.optional(),
    thresholds: Thresholds.optional(),
    channels: Channels.optional().describe("Replaces the list"),
    enabled: z.boolean().optional(),
  })
  .meta({ id: "AlertRuleUpdateParams" });
export type AlertRuleUpdateParams = z.output<typeof AlertRuleUpdateParams>;

export const AlertRule = z
  .object({
    id: z.string(),
    type: z.literal("alert_rule"),
    name: z.string(),
    scope: z.object({
      type: z.enum(["organization", "workspace"]),
      workspace_id: z.string().nullable(),
    }),
    period: AlertPeriod,
    thresholds: z.array(AlertThreshold),
    channels: z.array(AlertChannel),
    enabled: z.boolean(),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .meta({ id: "AlertRule" });
export type AlertRule = z.output<typeof AlertRule>;

export const AlertRulePage = Page(AlertRule);
export const AlertRuleListQuery = ListQuery;
export const AlertRuleDeleteResponse = z.object({
  id: z.string(),
  type: z.literal("alert_rule_deleted"),
});

/** What an alert says, in every channel's format. */
export const AlertMessage = z
  .object({
    type: z.enum(["cost_alert", "cost_alert_test"]),
    id: z.string().describe("The firing's id (the delivery's for a test)"),
    organization_id: z.string(),
    rule: z.object({ id: z.string(), name: z.string() }),
    scope: z.object({
      type: z.enum(["organization", "workspace"]),
      id: z.string(),
      name: z.string(),
    }),
    period: z.object({ type: AlertPeriod, starting_at: Timestamp, ending_at: Timestamp }),
    threshold: z.object({
      type: z.enum(["usd", "percent_of_limit"]),
      percent: z.number().nullable().describe("For a percentage of the limit"),
      usd: z.number().describe("The threshold in USD"),
    }),
    limit_usd: z.number().nullable(),
    current_spend_usd: z.number(),
    overage_percent: z.number().describe("How far spend is past the threshold, in percent"),
    fired_at: Timestamp,
    summary: z.string(),
    hint: z.string(),
    text: z.string().describe("The whole alert as plain text"),
  })
  .meta({ id: "AlertMessage" });
export type AlertMessage = z.output<typeof AlertMessage>;

export const AlertDeliveryStatus = z.enum(["pending", "delivered", "failed"]);

export const AlertDelivery = z
  .object({
    id: z.string(),
    type: z.literal("alert_delivery"),
    rule_id: z.string(),
    firing_id: z.string().nullable(),
    kind: z.enum(["alert", "test"]),
    channel: z.object({
      type: z.enum(["webhook", "slack", "pagerduty", "email"]),
      target: z.string().describe("Where it goes, secrets left out"),
    }),
    status: AlertDeliveryStatus,
    attempt_count: z.number().int(),
    attempts: z.array(
      z.object({
        attempted_at: Timestamp,
        status_code: z.number().int().nullable(),
        error: z.string().nullable(),
        duration_ms: z.number().int(),
      }),
    ),
    next_attempt_at: Timestamp.nullable(),
    expires_at: Timestamp,
    created_at: Timestamp,
    delivered_at: Timestamp.nullable(),
    last_error: z.string().nullable(),
    message: AlertMessage,
  })
  .meta({ id: "AlertDelivery" });
export type AlertDelivery = z.output<typeof AlertDelivery>;

export const AlertDeliveryPage = Page(AlertDelivery);
export const AlertDeliveryListQuery = ListQuery.extend({
  rule_id: Id.optional(),
  status: AlertDeliveryStatus.optional(),
  order: ListOrder,
});
export type AlertDeliveryListQuery = z.output<typeof AlertDeliveryListQuery>;

export const AlertTestResponse = z.object({ data: z.array(AlertDelivery) });
