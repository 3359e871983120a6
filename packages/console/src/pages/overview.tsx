/**
 * Overview: month-to-date spend against the organization's and each workspace's limit, spend by
 * day, and the top workspaces, models and keys: all from the cost report, which reads the daily
 * rollups (so it stays quick on a large usage table). The top keys load on their own: a report by
 * key sums a row per key, model and day, thousands a day in a large organization, and the rest
 * of the page does not wait for it (bench/README.md, "Console pages").
 */

import type { ApiKey, CostReportBucket, Organization, Workspace } from "@steward/sdk";
import { formatUsd } from "@steward/sdk";
import { admin, collect, isForbidden } from "../api.ts";
import { Chart } from "../components/chart.tsx";
import { Notice } from "../components/notice.tsx";
import { PageHeader } from "../components/page-header.tsx";
import { Table } from "../components/table.tsx";
import { useLoad, usePageReady } from "../hooks.ts";

const TOP = 5;

/** 00:00 UTC on the first of this month. */
function monthStart(now = new Date()): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}

/** A report's amounts summed by a key of each line, in dollars (amounts are cents). */
function totals(
  days: CostReportBucket[],
  keyOf: (line: CostReportBucket["results"][number]) => string | null,
): Map<string, number> {
  const sums = new Map<string, number>();
  for (const day of days) {
    for (const line of day.results) {
      const key = keyOf(line) ?? "";
      sums.set(key, (sums.get(key) ?? 0) + Number(line.amount) / 100);
    }
  }
  return sums;
}

function top(sums: Map<string, number>): { id: string; amount: number }[] {
  return [...sums]
    .map(([id, amount]) => ({ id, amount }))
    .sort((a, b) => b.amount - a.amount)
    .slice(0, TOP);
}

/** What a member may not read is left out rather than failing the page. */
function unlessForbidden<T>(promise: Promise<T>): Promise<T | undefined> {
  return promise.catch((error: unknown) => {
    if (isForbidden(error)) {
      return undefined;
    }
    throw error;
  });
}

interface OverviewData {
  organization: Organization | undefined;
  workspaces: Workspace[];
  byWorkspace: CostReportBucket[];
  byModel: CostReportBucket[];
}

/** This month's cost report grouped by one dimension. */
function monthReport(group: "workspace_id" | "description" | "api_key_id") {
  const starting_at = monthStart().toISOString();
  return collect(admin.costs.report({ starting_at, limit: 31, group_by: [group] }));
}

async function loadOverview(): Promise<OverviewData> {
  const [organization, workspaces, byWorkspace, byModel] = await Promise.all([
    unlessForbidden(admin.organization.retrieve()),
    unlessForbidden(collect(admin.workspaces.list({ limit: 1000 }))),
    monthReport("workspace_id"),
    monthReport("description"),
  ]);
  return { organization, workspaces: workspaces ?? [], byWorkspace, byModel };
}

interface TopKeysData {
  rows: { id: string; amount: number }[];
  /** The names of the top keys that this member may read. */
  names: Map<string, string>;
}

/** The top keys by spend this month, and their names: a retrieve each, not the whole list. */
async function loadTopKeys(): Promise<TopKeysData> {
  const rows = top(totals(await monthReport("api_key_id"), (line) => line.api_key_id));
  const keys = await Promise.all(
    rows
      .filter((row) => row.id !== "")
      .map((row) => admin.apiKeys.retrieve(row.id).catch((): ApiKey | undefined => undefined)),
  );
  return {
    rows,
    names: new Map(keys.flatMap((key) => (key ? [[key.id, key.name] as const] : []))),
  };
}

export function OverviewPage() {
  const overview = useLoad(loadOverview);
  usePageReady("overview", overview.data !== undefined && !overview.loading);
  return (
    <>
      <PageHeader title="Overview" />
      {overview.loading && !overview.data && <p aria-busy="true">Loading…</p>}
      {overview.error && <Notice kind="error">{overview.error}</Notice>}
      {overview.data && <OverviewBody data={overview.data} />}
    </>
  );
}

function OverviewBody({ data }: { data: OverviewData }) {
  const byWorkspace = totals(data.byWorkspace, (line) => line.workspace_id);
  const total = [...byWorkspace.values()].reduce((sum, amount) => sum + amount, 0);
  const days = data.byWorkspace.map((day) => ({
    x: Date.parse(day.starting_at) / 1000,
    amount: day.results.reduce((sum, line) => sum + Number(line.amount) / 100, 0),
  }));
  const workspaceName = (id: string) =>
    data.workspaces.find((w) => w.id === id)?.name ?? (id || "No workspace");
  const billing = data.organization?.billing;
  const limited = data.workspaces.filter((w) => w.usage_limits.monthly_spend_usd !== null);

  return (
    <>
      <div class="stats">
        <Stat
          label="Spend this month"
          value={formatUsd(billing?.current_month_usage_usd ?? total)}
          limit={billing?.usage_limit_usd ?? null}
          used={billing?.current_month_usage_usd ?? total}
          of="the organization's monthly limit"
        />
        {limited.map((w) => (
          <Stat
            key={w.id}
            label={`${w.name} this month`}
            value={formatUsd(byWorkspace.get(w.id) ?? 0)}
            limit={w.usage_limits.monthly_spend_usd}
            used={byWorkspace.get(w.id) ?? 0}
            of={`${w.name}'s monthly limit`}
          />
        ))}
      </div>
      <Chart
        caption="Spend by day this month (USD)"
        x={days.map((d) => d.x)}
        series={[{ label: "Spend", values: days.map((d) => d.amount) }]}
        format={formatUsd}
      />
      <div class="stats">
        <TopTable
          caption="Top workspaces"
          header="Workspace"
          rows={top(byWorkspace)}
          name={workspaceName}
        />
        <TopTable
          caption="Top models"
          header="Model"
          rows={top(totals(data.byModel, (line) => line.model ?? line.description))}
          name={(id) => id || "Other"}
        />
        <TopKeys />
      </div>
    </>
  );
}

function TopKeys() {
  const topKeys = useLoad(loadTopKeys);
  usePageReady("overview-keys", topKeys.data !== undefined && !topKeys.loading);
  const data = topKeys.data;
  if (topKeys.error) {
    return <Notice kind="error">Top API keys: {topKeys.error}</Notice>;
  }
  if (!data) {
    return (
      <p aria-busy="true" class="muted">
        Loading the top API keys…
      </p>
    );
  }
  return (
    <TopTable
      caption="Top API keys"
      header="Key"
      rows={data.rows}
      name={(id) => (id ? (data.names.get(id) ?? id) : "Without a key")}
    />
  );
}

interface StatProps {
  label: string;
  value: string;
  limit: number | null;
  used: number;
  of: string;
}

function Stat({ label, value, limit, used, of }: StatProps) {
  return (
    <div class="stat">
      <div class="label">{label}</div>
      <div class="value">{value}</div>
      {limit === null ? (
        <div class="muted">No monthly limit</div>
      ) : (
        <>
          <meter min={0} max={limit} value={Math.min(used, limit)} aria-label={`Share of ${of}`} />
          <div class="muted">
            {Math.round((used / Math.max(limit, 0.01)) * 100)}% of {formatUsd(limit)}
          </div>
        </>
      )}
    </div>
  );
}

interface TopTableProps {
  caption: string;
  header: string;
  rows: { id: string; amount: number }[];
  name: (id: string) => string;
}

function TopTable({ caption, header, rows, name }: TopTableProps) {
  return (
    <Table
      caption={caption}
      rows={rows}
      rowKey={(row) => row.id}
      empty="No spend this month."
      columns={[
        { header, cell: (row) => name(row.id) },
        { header: "Spend", numeric: true, cell: (row) => formatUsd(row.amount) },
      ]}
    />
  );
}
