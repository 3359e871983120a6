/** Cost alerts: rules (create, edit, test) and their deliveries with every attempt. */

import type {
  AlertDelivery,
  AlertRule,
  AlertRuleCreateParams,
  AlertThreshold,
  Workspace,
} from "@steward/sdk";
import { formatUsd } from "@steward/sdk";
import { useState } from "preact/hooks";
import { admin, collect, errorMessage } from "../api.ts";
import { Button } from "../components/button.tsx";
import { Dialog } from "../components/dialog.tsx";
import { Field, Select } from "../components/field.tsx";
import { Notice } from "../components/notice.tsx";
import { PageHeader } from "../components/page-header.tsx";
import { Table } from "../components/table.tsx";
import { dateTime } from "../format.ts";
import { useLoad, usePageReady, useSubmit } from "../hooks.ts";
import { CheckboxField } from "./common.tsx";

/** Deliveries shown, newest first. */
const DELIVERIES_SHOWN = 200;

type Channel = AlertRuleCreateParams["channels"][number];
type ChannelType = Channel["type"] | "keep";

function thresholdText(t: AlertThreshold): string {
  return t.type === "usd" ? formatUsd(t.amount_usd) : `${t.percent}% of the limit`;
}

function channelText(c: AlertRule["channels"][number]): string {
  switch (c.type) {
    case "webhook":
      return `Webhook ${c.url}`;
    case "slack":
      return `Slack ${c.webhook_url_hint}`;
    case "pagerduty":
      return `PagerDuty ${c.routing_key_hint}`;
    case "email":
      return `Email ${c.to.join(", ")}`;
  }
}

/** Numbers separated by commas or spaces; an empty text is none. */
function numbersOf(text: string, what: string): number[] {
  const parts = text.split(/[\s,]+/).filter((part) => part !== "");
  return parts.map((part) => {
    const value = Number(part.replace(/[$%]/g, ""));
    if (!Number.isFinite(value) || value <= 0) {
      throw new Error(`${what}: ${JSON.stringify(part)} is not a number above 0`);
    }
    return value;
  });
}

export function AlertsPage() {
  const rules = useLoad(() => collect(admin.alerts.rules.list({ limit: 1000 })), []);
  const workspaces = useLoad(
    () => collect(admin.workspaces.list({ include_default: true, limit: 1000 })),
    [],
  );
  const [editing, setEditing] = useState<AlertRule | "new">();
  const [deliveriesVersion, setDeliveriesVersion] = useState(0);
  const [tested, setTested] = useState<{ kind: "success" | "error"; text: string }>();

  const workspaceName = (id: string | null) =>
    workspaces.data?.find((w) => w.id === id)?.name ?? id ?? "";

  const test = async (rule: AlertRule) => {
    setTested(undefined);
    try {
      const result = await admin.alerts.rules.test(rule.id);
      const lines = result.data.map((d) => `${d.channel.type} ${d.channel.target}: ${d.status}`);
      const failed = result.data.some((d) => d.status === "failed");
      setTested({
        kind: failed ? "error" : "success",
        text: `Test of ${rule.name} sent. ${lines.join("; ")}`,
      });
      setDeliveriesVersion((n) => n + 1);
    } catch (cause) {
      setTested({ kind: "error", text: errorMessage(cause) });
    }
  };

  return (
    <>
      <PageHeader title="Alerts">
        <Button variant="primary" onClick={() => setEditing("new")}>
          New alert rule
        </Button>
      </PageHeader>
      <p class="muted">
        A rule sends a message to its channels when spend in its period (UTC month or day) crosses
        one of its thresholds.
      </p>
      {rules.error && <Notice kind="error">{rules.error}</Notice>}
      {tested && <Notice kind={tested.kind}>{tested.text}</Notice>}
      {rules.data && (
        <Table
          caption="Alert rules"
          rows={rules.data}
          rowKey={(r) => r.id}
          empty="No alert rules yet."
          columns={[
            { header: "Name", cell: (r) => r.name },
            {
              header: "Scope",
              cell: (r) =>
                r.scope.type === "organization"
                  ? "Organization"
                  : `Workspace ${workspaceName(r.scope.workspace_id)}`,
            },
            { header: "Period", cell: (r) => (r.period === "day" ? "Day" : "Month") },
            { header: "Thresholds", cell: (r) => r.thresholds.map(thresholdText).join(", ") },
            { header: "Channels", cell: (r) => r.channels.map(channelText).join("; ") },
            { header: "Enabled", cell: (r) => (r.enabled ? "Yes" : "No") },
            {
              header: "Actions",
              cell: (r) => (
                <div class="actions">
                  <Button aria-label={`Edit ${r.name}`} onClick={() => setEditing(r)}>
                    Edit
                  </Button>
                  <Button aria-label={`Send a test of ${r.name}`} onClick={() => test(r)}>
                    Test
                  </Button>
                </div>
              ),
            },
          ]}
        />
      )}
      {editing && (
        <RuleDialog
          rule={editing === "new" ? undefined : editing}
          workspaces={workspaces.data ?? []}
          onClose={() => setEditing(undefined)}
          onSaved={() => {
            setEditing(undefined);
            rules.reload();
          }}
        />
      )}
      <Deliveries
        rules={rules.data ?? []}
        version={deliveriesVersion}
        rulesShown={rules.data !== undefined && workspaces.data !== undefined}
      />
    </>
  );
}

interface RuleDialogProps {
  rule: AlertRule | undefined;
  workspaces: Workspace[];
  onClose: () => void;
  onSaved: () => void;
}

function RuleDialog({ rule, workspaces, onClose, onSaved }: RuleDialogProps) {
  const [name, setName] = useState(rule?.name ?? "");
  const [scope, setScope] = useState(rule?.scope.workspace_id ?? "organization");
  const [period, setPeriod] = useState<"month" | "day">(rule?.period ?? "month");
  const [usd, setUsd] = useState(
    (rule?.thresholds ?? []).flatMap((t) => (t.type === "usd" ? [t.amount_usd] : [])).join(", "),
  );
  const [percent, setPercent] = useState(
    (rule?.thresholds ?? [])
      .flatMap((t) => (t.type === "percent_of_limit" ? [t.percent] : []))
      .join(", "),
  );
  // Channel credentials are never shown again: an edit keeps them unless new ones are given.
  const [channelType, setChannelType] = useState<ChannelType>(rule ? "keep" : "webhook");
  const [target, setTarget] = useState("");
  const [enabled, setEnabled] = useState(rule?.enabled ?? true);
  const { busy, error, run } = useSubmit();

  const channelOf = (): Channel | undefined => {
    const value = target.trim();
    switch (channelType) {
      case "keep":
        return undefined;
      case "webhook":
        return { type: "webhook", url: value };
      case "slack":
        return { type: "slack", webhook_url: value };
      case "pagerduty":
        return { type: "pagerduty", routing_key: value };
      case "email":
        return { type: "email", to: value.split(/[\s,]+/).filter((a) => a !== "") };
    }
  };

  const targetLabel: Record<ChannelType, string> = {
    keep: "",
    webhook: "Webhook URL",
    slack: "Slack incoming webhook URL",
    pagerduty: "PagerDuty routing key",
    email: "Email addresses (separated by commas)",
  };

  return (
    <Dialog title={rule ? `Edit ${rule.name}` : "New alert rule"} onClose={onClose}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void run(async () => {
            const thresholds: AlertThreshold[] = [
              ...numbersOf(usd, "Thresholds in USD").map(
                (amount_usd): AlertThreshold => ({ type: "usd", amount_usd }),
              ),
              ...numbersOf(percent, "Thresholds in percent").map(
                (p): AlertThreshold => ({ type: "percent_of_limit", percent: p }),
              ),
            ];
            if (thresholds.length === 0) {
              throw new Error("Give at least one threshold, in USD or in percent of the limit.");
            }
            const channel = channelOf();
            const body = {
              name: name.trim(),
              scope:
                scope === "organization"
                  ? { type: "organization" as const }
                  : { type: "workspace" as const, workspace_id: scope },
              period,
              thresholds,
              enabled,
              ...(channel && { channels: [channel] }),
            };
            if (rule) {
              await admin.alerts.rules.update(rule.id, body);
            } else if (channel) {
              await admin.alerts.rules.create({ ...body, channels: [channel] });
            }
            onSaved();
          });
        }}
      >
        <Field
          label="Name"
          required
          value={name}
          onInput={(event) => setName(event.currentTarget.value)}
        />
        <Select
          label="Scope"
          value={scope}
          options={[
            { value: "organization", label: "The whole organization" },
            ...workspaces.map((w) => ({ value: w.id, label: `Workspace ${w.name}` })),
          ]}
          onChange={(event) => setScope(event.currentTarget.value)}
        />
        <Select
          label="Period"
          value={period}
          options={[
            { value: "month", label: "Calendar month (UTC)" },
            { value: "day", label: "Day (UTC)" },
          ]}
          onChange={(event) => setPeriod(event.currentTarget.value as "month" | "day")}
        />
        <Field
          label="Thresholds in USD"
          hint="Separated by commas, e.g. 100, 500. May be empty when a percentage is given."
          value={usd}
          onInput={(event) => setUsd(event.currentTarget.value)}
        />
        <Field
          label="Thresholds in percent of the limit"
          hint="Of the scope's monthly spend limit, e.g. 80, 100."
          value={percent}
          onInput={(event) => setPercent(event.currentTarget.value)}
        />
        <Select
          label="Channel"
          value={channelType}
          options={[
            ...(rule ? [{ value: "keep", label: "Keep the current channels" }] : []),
            { value: "webhook", label: "Webhook (signed JSON)" },
            { value: "slack", label: "Slack" },
            { value: "pagerduty", label: "PagerDuty" },
            { value: "email", label: "Email" },
          ]}
          onChange={(event) => setChannelType(event.currentTarget.value as ChannelType)}
        />
        {channelType !== "keep" && (
          <Field
            label={targetLabel[channelType]}
            required
            value={target}
            type={channelType === "pagerduty" || channelType === "email" ? "text" : "url"}
            onInput={(event) => setTarget(event.currentTarget.value)}
          />
        )}
        <CheckboxField
          label="Enabled"
          hint="A disabled rule keeps its settings and sends nothing."
          checked={enabled}
          onChange={setEnabled}
        />
        {error && <Notice kind="error">{error}</Notice>}
        <div class="actions">
          <Button type="submit" variant="primary" busy={busy}>
            {rule ? "Save rule" : "Create rule"}
          </Button>
          <Button onClick={onClose}>Cancel</Button>
        </div>
      </form>
    </Dialog>
  );
}

interface DeliveriesProps {
  rules: AlertRule[];
  /** Changes when a test has just made deliveries. */
  version: number;
  /** The rules' table is on screen: with the deliveries, the page is ready. */
  rulesShown: boolean;
}

function Deliveries({ rules, version, rulesShown }: DeliveriesProps) {
  const [ruleId, setRuleId] = useState("");
  const [status, setStatus] = useState("");
  const deliveries = useLoad(async () => {
    // The newest matter here: one page of them, newest first, from the API.
    const page = await admin.alerts.deliveries.list({
      limit: DELIVERIES_SHOWN,
      order: "desc",
      ...(ruleId && { rule_id: ruleId }),
      ...(status && { status: status as AlertDelivery["status"] }),
    });
    return page.data;
  }, [ruleId, status, version]);
  usePageReady("alerts", rulesShown && deliveries.data !== undefined && !deliveries.loading);
  const ruleName = (id: string) => rules.find((r) => r.id === id)?.name ?? id;
  return (
    <section aria-labelledby="deliveries-heading">
      <h2 id="deliveries-heading">Deliveries</h2>
      <div class="toolbar">
        <Select
          label="Rule"
          value={ruleId}
          options={[
            { value: "", label: "All rules" },
            ...rules.map((r) => ({ value: r.id, label: r.name })),
          ]}
          onChange={(event) => setRuleId(event.currentTarget.value)}
        />
        <Select
          label="Status"
          value={status}
          options={[
            { value: "", label: "Any status" },
            { value: "pending", label: "Pending" },
            { value: "delivered", label: "Delivered" },
            { value: "failed", label: "Failed" },
          ]}
          onChange={(event) => setStatus(event.currentTarget.value)}
        />
      </div>
      {deliveries.error && <Notice kind="error">{deliveries.error}</Notice>}
      {deliveries.data && (
        <Table
          caption="Deliveries, newest first"
          rows={deliveries.data}
          rowKey={(d) => d.id}
          empty="No deliveries."
          columns={[
            { header: "Created", cell: (d) => dateTime(d.created_at) },
            { header: "Rule", cell: (d) => ruleName(d.rule_id) },
            { header: "Kind", cell: (d) => (d.kind === "test" ? "Test" : "Alert") },
            { header: "Channel", cell: (d) => `${d.channel.type} ${d.channel.target}` },
            { header: "Status", cell: (d) => d.status },
            { header: "Attempts", cell: (d) => <Attempts delivery={d} /> },
          ]}
        />
      )}
    </section>
  );
}

function Attempts({ delivery }: { delivery: AlertDelivery }) {
  if (delivery.attempts.length === 0) {
    return (
      <span>
        None yet
        {delivery.next_attempt_at ? `; next ${dateTime(delivery.next_attempt_at)}` : ""}
      </span>
    );
  }
  return (
    <details>
      <summary>
        {delivery.attempt_count} attempt{delivery.attempt_count === 1 ? "" : "s"}
        {delivery.last_error ? `: ${delivery.last_error}` : ""}
      </summary>
      <ol>
        {delivery.attempts.map((a) => (
          <li key={a.attempted_at}>
            {dateTime(a.attempted_at)}: {a.status_code ?? "no answer"}
            {a.error ? ` (${a.error})` : ""} in {a.duration_ms} ms
          </li>
        ))}
      </ol>
      {delivery.next_attempt_at && <p>Next attempt {dateTime(delivery.next_attempt_at)}.</p>}
    </details>
  );
}
