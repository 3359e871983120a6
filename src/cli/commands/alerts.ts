import type { AlertRuleCreateParams as SdkAlertRuleCreateParams } from "@steward/sdk";
import { type Command, InvalidArgumentError } from "commander";
import {
  type AlertChannelInput,
  type AlertDelivery,
  AlertDeliveryListQuery,
  type AlertRule,
  AlertRuleCreateParams,
  type AlertThreshold,
} from "../../contract/alerts.js";
import type { SeedUsageReport } from "../../contract/usage.js";
import { action, type Ctx } from "../context.js";
import { ExitCode, ExitStatus } from "../errors.js";
import { addSchemaFlags, bodyFromFlags, checkBody, type FlagSet } from "../flags.js";
import { addLimitFlag, collect, pageSize, printList } from "../lists.js";
import { formatTime, formatUsd, print } from "../output.js";
import { monthStart, today } from "../reports.js";
import { resolveWorkspaceId } from "../resolve.js";

function parseAmount(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n <= 0) {
    throw new InvalidArgumentError("expected an amount above 0, such as 500 or 12.50");
  }
  return n;
}

const collectAmount = (value: string, previous: number[] = []) => [...previous, parseAmount(value)];
const collectText = (value: string, previous: string[] = []) => [...previous, value];

const thresholdText = (t: AlertThreshold) =>
  t.type === "usd" ? formatUsd(t.amount_usd) : `${t.percent}% of limit`;

const channelText = (c: AlertRule["channels"][number]) => {
  switch (c.type) {
    case "webhook":
      return `webhook ${c.url}`;
    case "slack":
      return `slack ${c.webhook_url_hint}`;
    case "pagerduty":
      return `pagerduty ${c.routing_key_hint}`;
    case "email":
      return `email ${c.to.join(", ")}`;
  }
};

const ruleColumns = [
  { header: "id", value: (r: AlertRule) => r.id },
  { header: "name", value: (r: AlertRule) => r.name },
  {
    header: "scope",
    value: (r: AlertRule) =>
      r.scope.type === "organization" ? "organization" : `${r.scope.workspace_id}`,
  },
  { header: "period", value: (r: AlertRule) => r.period },
  { header: "thresholds", value: (r: AlertRule) => r.thresholds.map(thresholdText).join(", ") },
  { header: "channels", value: (r: AlertRule) => r.channels.map(channelText).join("; ") },
  { header: "enabled", value: (r: AlertRule) => (r.enabled ? "yes" : "no") },
];

const deliveryColumns = [
  { header: "id", value: (d: AlertDelivery) => d.id },
  { header: "rule", value: (d: AlertDelivery) => d.rule_id },
  { header: "kind", value: (d: AlertDelivery) => d.kind },
  { header: "channel", value: (d: AlertDelivery) => `${d.channel.type} ${d.channel.target}` },
  { header: "status", value: (d: AlertDelivery) => d.status },
  { header: "attempts", value: (d: AlertDelivery) => String(d.attempt_count) },
  { header: "created", value: (d: AlertDelivery) => formatTime(d.created_at) },
  { header: "last error", value: (d: AlertDelivery) => d.last_error ?? "" },
];

interface RuleConvenience {
  workspace?: string;
  thresholdUsd?: number[];
  thresholdPercent?: number[];
  webhook?: string[];
  webhookSecret?: string;
  slack?: string[];
  pagerduty?: string[];
  email?: string[];
}

/** The rule's body: the derived flags, with scope, thresholds and channels from the short ones. */
async function ruleBody(ctx: Ctx, flags: FlagSet): Promise<Record<string, unknown>> {
  const o = ctx.opts as RuleConvenience & Record<string, unknown>;
  const body = bodyFromFlags(flags, o);
  if (body.scope === undefined) {
    body.scope =
      o.workspace === undefined
        ? { type: "organization" }
        : { type: "workspace", workspace_id: await resolveWorkspaceId(ctx.admin, o.workspace) };
  }
  const thresholds: AlertThreshold[] = [
    ...(o.thresholdUsd ?? []).map((amount_usd) => ({ type: "usd" as const, amount_usd })),
    ...(o.thresholdPercent ?? []).map((percent) => ({
      type: "percent_of_limit" as const,
      percent,
    })),
  ];
  if (body.thresholds === undefined && thresholds.length > 0) {
    body.thresholds = thresholds;
  }
  const channels: AlertChannelInput[] = [
    ...(o.webhook ?? []).map((url) => ({
      type: "webhook" as const,
      url,
      ...(o.webhookSecret !== undefined && { secret: o.webhookSecret }),
    })),
    ...(o.slack ?? []).map((webhook_url) => ({ type: "slack" as const, webhook_url })),
    ...(o.pagerduty ?? []).map((routing_key) => ({ type: "pagerduty" as const, routing_key })),
    ...((o.email ?? []).length > 0
      ? [{ type: "email" as const, to: (o.email ?? []).flatMap((e) => e.split(",")) }]
      : []),
  ];
  if (body.channels === undefined && channels.length > 0) {
    body.channels = channels;
  }
  return checkBody(flags, AlertRuleCreateParams, body);
}

/** What the seed's CostAlertSystem printed, for `alerts check`. */
export function seedAlertText(spend: number, threshold: number, scope: string): string {
  const overage = ((spend / threshold - 1) * 100).toFixed(1);
  return [
    "[COST ALERT] Claude API usage exceeds budget",
    "",
    `Current month usage: ${formatUsd(spend)} USD`,
    `Alert threshold: ${formatUsd(threshold)} USD`,
    `Overage: ${overage}%`,
    `Scope: ${scope}`,
    "",
    "See `steward usage --by model` and `steward costs --by workspace` for details. Consider:",
    "1. Check for anomalous API calls",
    "2. Adjust Workspace usage limits",
    "3. Optimize model selection (use Haiku instead of Opus for high-frequency calls)",
  ].join("\n");
}

/** `steward alerts check|rules …|deliveries list`. */
export function registerAlerts(program: Command): void {
  const alerts = program.command("alerts").description("Cost alerts");

  alerts
    .command("check")
    .description(
      "Compare this month's spend (UTC) with a threshold, as the seed's CostAlertSystem: print the alert and exit with status 2 when over it, 0 otherwise",
    )
    .requiredOption("--threshold <usd>", "the monthly budget in USD", parseAmount)
    .option("--workspace <workspace>", "only this workspace's spend (id or name)")
    .action(
      action(async (ctx) => {
        const threshold = ctx.opts.threshold as number;
        const which = ctx.opts.workspace as string | undefined;
        const workspaceId =
          which === undefined ? undefined : await resolveWorkspaceId(ctx.admin, which);
        const month = { start_date: monthStart(), end_date: today() };
        const usage = (await ctx.admin.usage.retrieve({
          ...month,
          granularity: "month",
          ...(workspaceId !== undefined && { workspace_id: workspaceId }),
        })) as SeedUsageReport;
        const spend = usage.total.total_cost_usd;
        const over = spend > threshold;
        const scope = workspaceId === undefined ? "organization" : `workspace ${workspaceId}`;
        print(
          ctx,
          {
            over_threshold: over,
            month: month.start_date.slice(0, 7),
            scope: workspaceId === undefined ? "organization" : "workspace",
            workspace_id: workspaceId ?? null,
            current_month_usd: spend,
            threshold_usd: threshold,
            overage_percent: Math.round((spend / threshold - 1) * 1000) / 10,
          },
          () =>
            over
              ? seedAlertText(spend, threshold, scope)
              : `This month's spend (${scope}, ${month.start_date.slice(0, 7)} UTC): ${formatUsd(spend)} USD, within the threshold of ${formatUsd(threshold)} USD (${((spend / threshold) * 100).toFixed(1)}%).`,
        );
        if (over) {
          throw new ExitStatus(ExitCode.thresholdCrossed);
        }
      }),
    );

  const rules = alerts.command("rules").description("Cost alert rules");
  addLimitFlag(rules.command("list").description("List alert rules")).action(
    action(async (ctx) => {
      const limit = ctx.opts.limit as number | undefined;
      const found = await collect<AlertRule>(
        ctx.admin.alerts.rules.list({ limit: pageSize(limit) }),
        limit,
      );
      printList(ctx, found, ruleColumns);
    }),
  );

  const create = rules
    .command("create")
    .description(
      "Create a rule: spend thresholds (USD or percent of the limit) for the organization or a workspace, and where to send the alert",
    )
    .option(
      "--workspace <workspace>",
      "watch this workspace (id or name) instead of the organization",
    )
    .option(
      "--threshold-usd <usd>",
      "alert when spend passes this amount (repeatable)",
      collectAmount,
    )
    .option(
      "--threshold-percent <percent>",
      "alert when spend passes this percentage of the scope's monthly limit (repeatable)",
      collectAmount,
    )
    .option("--webhook <url>", "POST a signed JSON alert to this URL (repeatable)", collectText)
    .option("--webhook-secret <secret>", "the webhooks' signing secret (generated when absent)")
    .option("--slack <url>", "a Slack incoming-webhook URL (repeatable)", collectText)
    .option(
      "--pagerduty <routing-key>",
      "a PagerDuty Events API v2 routing key (repeatable)",
      collectText,
    )
    .option(
      "--email <addresses>",
      "email these addresses (comma-separated, repeatable)",
      collectText,
    );
  const createFlags = addSchemaFlags(create, AlertRuleCreateParams, {
    optional: ["scope", "thresholds", "channels"],
    describe: {
      name: "a name for the rule",
      enabled: "whether the rule is checked",
      scope: "the scope as JSON (or use --workspace)",
      thresholds: "the thresholds as JSON (or use --threshold-usd, --threshold-percent)",
      channels: "the channels as JSON (or use --webhook, --slack, --pagerduty, --email)",
    },
  });
  create.action(
    action(async (ctx) => {
      const body = await ruleBody(ctx, createFlags);
      const rule = (await ctx.admin.alerts.rules.create(
        body as SdkAlertRuleCreateParams,
      )) as AlertRule;
      print(ctx, rule, () => {
        const secrets = rule.channels.flatMap((c) =>
          c.type === "webhook" && c.secret ? [`  webhook ${c.url}: ${c.secret}`] : [],
        );
        return [
          `Created alert rule ${rule.id} (${rule.name}): ${rule.thresholds.map(thresholdText).join(", ")} a ${rule.period}, to ${rule.channels.map(channelText).join("; ")}.`,
          ...(secrets.length > 0
            ? ["Webhook signing secrets (shown only this once):", ...secrets]
            : []),
        ].join("\n");
      });
    }),
  );

  rules
    .command("delete")
    .description("Delete an alert rule")
    .argument("<rule>", "the rule's id (alertrule_…)")
    .action(
      action(async (ctx, id: string) => {
        const deleted = await ctx.admin.alerts.rules.delete(id);
        print(ctx, deleted, () => `Deleted alert rule ${id}.`);
      }),
    );

  rules
    .command("test")
    .description("Send a test message to each of a rule's channels")
    .argument("<rule>", "the rule's id (alertrule_…)")
    .action(
      action(async (ctx, id: string) => {
        const result = (await ctx.admin.alerts.rules.test(id)) as { data: AlertDelivery[] };
        print(ctx, result, () =>
          [
            `Queued ${result.data.length} test deliver${result.data.length === 1 ? "y" : "ies"}; follow them with \`steward alerts deliveries list --rule-id ${id}\`:`,
            ...result.data.map(
              (d) => `  ${d.id}  ${d.channel.type} ${d.channel.target}  ${d.status}`,
            ),
          ].join("\n"),
        );
      }),
    );

  const deliveries = alerts.command("deliveries").description("Deliveries of alert messages");
  const list = deliveries.command("list").description("List deliveries and their attempts");
  const listFlags = addSchemaFlags(list, AlertDeliveryListQuery, {
    omit: ["limit", "after_id", "before_id"],
  });
  addLimitFlag(list, 100).action(
    action(async (ctx) => {
      const limit = ctx.opts.limit as number | undefined;
      const params = { ...bodyFromFlags(listFlags, ctx.opts), limit: pageSize(limit) };
      const found = await collect<AlertDelivery>(ctx.admin.alerts.deliveries.list(params), limit);
      printList(ctx, found, deliveryColumns);
    }),
  );
}
