import { ID, organization } from "./examples.js";
import { byId, type OperationDoc, type OperationDocs, pageOf } from "./types.js";

const WEBHOOK_SECRET = "whsec_1x08_zOi9BbTsu_KWpDnN1RbQRvymwrInvUsLaf1IfM";

const rule = {
  id: ID.alertRule,
  type: "alert_rule",
  name: "Monthly spend",
  scope: { type: "organization", workspace_id: null },
  period: "month",
  thresholds: [
    { type: "percent_of_limit", percent: 80 },
    { type: "usd", amount_usd: 9500 },
  ],
  channels: [
    {
      type: "webhook",
      url: "https://hooks.acme.example/steward",
      secret: null,
      secret_hint: "whsec_…1IfM",
    },
    { type: "email", to: ["finops@acme.example"] },
  ],
  enabled: true,
  created_at: "2026-04-01T09:00:00.000Z",
  updated_at: "2026-04-01T09:00:00.000Z",
};

const delivery = {
  id: ID.alertDelivery,
  type: "alert_delivery",
  rule_id: ID.alertRule,
  firing_id: ID.alertFiring,
  kind: "alert",
  channel: { type: "webhook", target: "https://hooks.acme.example/steward" },
  status: "delivered",
  attempt_count: 1,
  attempts: [
    {
      attempted_at: "2026-04-24T14:02:11.418Z",
      status_code: 200,
      error: null,
      duration_ms: 84,
    },
  ],
  next_attempt_at: null,
  expires_at: "2026-04-25T14:02:11.300Z",
  created_at: "2026-04-24T14:02:11.300Z",
  delivered_at: "2026-04-24T14:02:11.502Z",
  last_error: null,
  message: {
    type: "cost_alert",
    id: ID.alertFiring,
    organization_id: ID.organization,
    rule: { id: ID.alertRule, name: "Monthly spend" },
    scope: { type: "organization", id: ID.organization, name: organization.name },
    period: {
      type: "month",
      starting_at: "2026-04-01T00:00:00.000Z",
      ending_at: "2026-05-01T00:00:00.000Z",
    },
    threshold: { type: "percent_of_limit", percent: 80, usd: 8000 },
    limit_usd: 10000,
    current_spend_usd: 8012.4,
    overage_percent: 0.2,
    fired_at: "2026-04-24T14:02:11.300Z",
    summary:
      '[COST ALERT] Claude API spend of organization "Acme Corporation" is $8,012.40, past $8,000.00 this month (UTC)',
    hint: "Check for anomalous API calls (the usage report grouped by API key: GET /v1/organizations/usage_report/messages?group_by[]=api_key_id); Adjust Workspace usage limits; Optimize model selection (use Haiku instead of Opus for high-frequency calls)",
    text: 'Current month usage: $8,012.40 USD\nAlert threshold: $8,000.00 USD (80% of the monthly limit of $10,000.00)\nOverage: 0.2%\nScope: organization "Acme Corporation"\nPeriod: month 2026-04 (UTC)\nRule: Monthly spend (alertrule_0111pCKxtj13hQRtGrLMUJipz)\n',
  },
};

const update: OperationDoc = {
  summary: "Update a cost alert rule",
  description:
    "Changes the rule; fields left out keep their value, `channels` replaces the list. A webhook channel that names the same `url` keeps its secret unless a new one is given; a generated secret is in this response only. A disabled rule (`enabled: false`) is not evaluated.",
  audit: ["alert_rule.updated"],
  request: { enabled: false },
  response: { ...rule, enabled: false, updated_at: "2026-04-28T10:30:00.000Z" },
};

/** Cost alert rules and their deliveries (docs/alerts.md). */
export const alertDocs: OperationDocs = {
  createAlertRule: {
    summary: "Create a cost alert rule",
    description:
      "Creates a rule that watches the organization's or a workspace's spend over a UTC month or day and fires once per threshold and period: a dollar amount, or a percentage of the scope's monthly limit. Each firing is delivered to every channel (a signed webhook, Slack, PagerDuty, email with `SMTP_URL` set) through an outbox with retries. A webhook channel's signing `secret` is generated when not given and is in this response only.",
    audit: ["alert_rule.created"],
    request: {
      name: "Monthly spend",
      scope: { type: "organization" },
      period: "month",
      thresholds: [
        { type: "percent_of_limit", percent: 80 },
        { type: "usd", amount_usd: 9500 },
      ],
      channels: [
        { type: "webhook", url: "https://hooks.acme.example/steward" },
        { type: "email", to: ["finops@acme.example"] },
      ],
    },
    response: {
      ...rule,
      channels: [
        { ...rule.channels[0], secret: WEBHOOK_SECRET },
        { type: "email", to: ["finops@acme.example"] },
      ],
    },
  },
  listAlertRules: {
    summary: "List cost alert rules",
    description: "Lists the organization's cost alert rules, oldest first. Secrets show as hints.",
    response: pageOf([rule], byId),
  },
  getAlertRule: {
    summary: "Get a cost alert rule",
    description: "Answers one cost alert rule by id. Secrets show as hints.",
    response: rule,
  },
  updateAlertRule: update,
  deleteAlertRule: {
    summary: "Delete a cost alert rule",
    description:
      "Deletes the rule: it is evaluated no more. Its deliveries stay readable and still name it.",
    audit: ["alert_rule.deleted"],
    response: { id: ID.alertRule, type: "alert_rule_deleted" },
  },
  testAlertRule: {
    summary: "Send a test alert",
    description:
      "Sends a test message (`cost_alert_test`) to each of the rule's channels: queued in the outbox and attempted at once, and answered with that first attempt. A failed test delivery is retried like any alert.",
    audit: ["alert_rule.tested"],
    response: {
      data: [
        {
          ...delivery,
          id: ID.alertDelivery,
          firing_id: null,
          kind: "test",
          message: {
            ...delivery.message,
            type: "cost_alert_test",
            id: ID.alertDelivery,
            summary: `[TEST] ${delivery.message.summary}`,
          },
        },
      ],
    },
  },
  listAlertDeliveries: {
    summary: "List alert deliveries",
    description:
      "Lists the deliveries of alert messages with their attempts, oldest first: `pending` (retried with backoff until `expires_at`), `delivered` or `failed`. Filter by `rule_id` and `status`. Channel targets are shown without their secrets.",
    response: pageOf([delivery], byId),
  },
  getAlertDelivery: {
    summary: "Get an alert delivery",
    description: "Answers one delivery by id, with every attempt and the message it carries.",
    response: delivery,
  },
};
