/**
 * Usage and cost over a chosen range: spend by day, by model, by workspace and by API key (the
 * cost report), tokens by day (the messages usage report), and the cost report as CSV, its rows
 * grouped as one of those breakdowns.
 *
 * Each breakdown is a report of its own, grouped by that one dimension: one report grouped by
 * workspace, key and description at once has a line per key, model, token type and day, millions
 * over 90 days in a large organization. The breakdown by key, the largest and slowest (a row per
 * key, model and day to sum), loads on its own and the rest of the page does not wait for it
 * (bench/README.md, "Console pages").
 */

import type {
  ApiKey,
  CostReportBucket,
  CostReportParams,
  MessagesUsageBucket,
  Workspace,
} from "@steward/sdk";
import { formatUsd } from "@steward/sdk";
import { useMemo, useState } from "preact/hooks";
import { admin, collect, isForbidden } from "../api.ts";
import { Button } from "../components/button.tsx";
import { Chart, type ChartSeries } from "../components/chart.tsx";
import { Field, Select } from "../components/field.tsx";
import { Notice } from "../components/notice.tsx";
import { PageHeader } from "../components/page-header.tsx";
import { Table } from "../components/table.tsx";
import { count } from "../format.ts";
import { useLoad, usePageReady, useSubmit } from "../hooks.ts";
import { downloadText, endOfDay, startOfDay, utcDay } from "./common.tsx";

/** The longest range the page asks for. */
const MAX_DAYS = 366;
/** Groups drawn as lines of their own; the rest are summed as "Other". */
const TOP_GROUPS = 4;

interface UsageData {
  /** The range these reports are of. */
  from: string;
  to: string;
  days: string[];
  /** The cost report grouped by description: the total, and the spend by model. */
  byDescription: CostReportBucket[];
  byWorkspace: CostReportBucket[];
  tokens: MessagesUsageBucket[];
  workspaceNames: Map<string, string>;
}

interface KeyData {
  days: string[];
  byKey: CostReportBucket[];
  keyNames: Map<string, string>;
}

/** The days from `from` to `to`, both included, as `YYYY-MM-DD`. */
function daysOf(from: string, to: string): string[] {
  const days: string[] = [];
  for (
    let t = Date.parse(`${from}T00:00:00Z`);
    t <= Date.parse(`${to}T00:00:00Z`);
    t += 86_400_000
  ) {
    days.push(new Date(t).toISOString().slice(0, 10));
  }
  return days;
}

/** Names for ids, or none when this member may not list them (the report shows ids then). */
async function namesOf<T>(
  list: Promise<T[]>,
  entry: (item: T) => [string, string],
): Promise<Map<string, string>> {
  try {
    return new Map((await list).map(entry));
  } catch (error) {
    if (isForbidden(error)) {
      return new Map();
    }
    throw error;
  }
}

const rangeOf = (from: string, to: string) => ({
  starting_at: startOfDay(from),
  ending_at: endOfDay(to),
  limit: 31,
});

async function loadUsage(from: string, to: string): Promise<UsageData> {
  const range = rangeOf(from, to);
  const [byDescription, byWorkspace, tokens, workspaceNames] = await Promise.all([
    collect(admin.costs.report({ ...range, group_by: ["description"] })),
    collect(admin.costs.report({ ...range, group_by: ["workspace_id"] })),
    collect(admin.usage.messages({ ...range, bucket_width: "1d" })),
    namesOf(
      collect(
        admin.workspaces.list({ include_default: true, include_archived: true, limit: 1000 }),
      ),
      (w: Workspace) => [w.id, w.name],
    ),
  ]);
  return { from, to, days: daysOf(from, to), byDescription, byWorkspace, tokens, workspaceNames };
}

async function loadKeys(from: string, to: string): Promise<KeyData> {
  const [byKey, keyNames] = await Promise.all([
    collect(admin.costs.report({ ...rangeOf(from, to), group_by: ["api_key_id"] })),
    namesOf(collect(admin.apiKeys.list({ limit: 1000 }), 100_000), (k: ApiKey) => [k.id, k.name]),
  ]);
  return { days: daysOf(from, to), byKey, keyNames };
}

interface Breakdown {
  /** Per group, its spend (USD) on each day of the range. */
  byDay: Map<string, number[]>;
  totals: Map<string, number>;
}

/** Spend (USD) per day and per group, the group being what `groupOf` says of a result. */
function breakdown(
  days: string[],
  costs: CostReportBucket[],
  groupOf: (result: CostReportBucket["results"][number]) => string,
): Breakdown {
  const index = new Map(days.map((day, i) => [day, i]));
  const byDay = new Map<string, number[]>();
  const totals = new Map<string, number>();
  for (const bucket of costs) {
    const i = index.get(bucket.starting_at.slice(0, 10));
    if (i === undefined) {
      continue;
    }
    for (const result of bucket.results) {
      const usd = Number(result.amount) / 100;
      const group = groupOf(result);
      const values = byDay.get(group) ?? days.map(() => 0);
      values[i] = (values[i] ?? 0) + usd;
      byDay.set(group, values);
      totals.set(group, (totals.get(group) ?? 0) + usd);
    }
  }
  return { byDay, totals };
}

/** The top groups as lines, the others summed into "Other". */
function seriesOf(b: Breakdown, days: number): ChartSeries[] {
  const ranked = [...b.totals.entries()].sort((a, c) => c[1] - a[1]).map(([group]) => group);
  const top = ranked.slice(0, TOP_GROUPS);
  const rest = ranked.slice(TOP_GROUPS);
  const series = top.map((group) => ({ label: group, values: b.byDay.get(group) ?? [] }));
  if (rest.length > 0) {
    const other = Array.from({ length: days }, (_, i) =>
      rest.reduce((sum, group) => sum + (b.byDay.get(group)?.[i] ?? 0), 0),
    );
    series.push({ label: `Other (${rest.length})`, values: other });
  }
  return series;
}

/** Token counts in millions fit the chart's axis: 1.2M. */
const compactFormat = new Intl.NumberFormat("en-US", {
  notation: "compact",
  maximumFractionDigits: 2,
});
const compact = (value: number) => compactFormat.format(value);

const secondsOf = (day: string) => Date.parse(`${day}T00:00:00Z`) / 1000;

export function UsagePage() {
  const [from, setFrom] = useState(utcDay(-29));
  const [to, setTo] = useState(utcDay(0));
  const [range, setRange] = useState({ from, to });
  const [rangeError, setRangeError] = useState<string>();
  const usage = useLoad(() => loadUsage(range.from, range.to), [range.from, range.to]);
  usePageReady("usage", usage.data !== undefined && !usage.loading);

  return (
    <>
      <PageHeader title="Usage and cost" />
      <form
        class="toolbar"
        onSubmit={(event) => {
          event.preventDefault();
          const days = (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;
          if (!(days >= 1)) {
            setRangeError("The range must end on or after its first day.");
          } else if (days > MAX_DAYS) {
            setRangeError(`Choose at most ${MAX_DAYS} days.`);
          } else {
            setRangeError(undefined);
            setRange({ from, to });
          }
        }}
      >
        <Field
          label="From"
          type="date"
          required
          value={from}
          onInput={(event) => setFrom(event.currentTarget.value)}
        />
        <Field
          label="To"
          type="date"
          required
          value={to}
          onInput={(event) => setTo(event.currentTarget.value)}
          error={rangeError}
        />
        <Button type="submit" variant="primary">
          Show
        </Button>
        <CsvDownload from={range.from} to={range.to} />
      </form>
      <p class="muted">
        Days are UTC, from {range.from} to {range.to}.
      </p>
      {usage.error && <Notice kind="error">{usage.error}</Notice>}
      {usage.loading && !usage.data && <p aria-busy="true">Loading…</p>}
      {usage.data && <UsageCharts data={usage.data} />}
      {/* After the rest, for the range they show, so that its report does not hold theirs up on
          the server (nor start for a new range before they have). */}
      {usage.data && !usage.loading && <KeySpend from={usage.data.from} to={usage.data.to} />}
    </>
  );
}

function UsageCharts({ data }: { data: UsageData }) {
  const x = useMemo(() => data.days.map(secondsOf), [data]);
  const views = useMemo(() => {
    const nameOf = (names: Map<string, string>, id: string | null, none: string) =>
      id === null ? none : (names.get(id) ?? id);
    return {
      total: breakdown(data.days, data.byDescription, () => "Spend"),
      model: breakdown(data.days, data.byDescription, (r) => r.model ?? "Web search and other"),
      workspace: breakdown(data.days, data.byWorkspace, (r) =>
        nameOf(data.workspaceNames, r.workspace_id, "No workspace"),
      ),
    };
  }, [data]);
  const tokenSeries = useMemo(() => {
    const index = new Map(data.days.map((day, i) => [day, i]));
    const input = data.days.map(() => 0);
    const output = data.days.map(() => 0);
    const cached = data.days.map(() => 0);
    for (const bucket of data.tokens) {
      const i = index.get(bucket.starting_at.slice(0, 10));
      if (i === undefined) {
        continue;
      }
      for (const r of bucket.results) {
        input[i] = (input[i] ?? 0) + r.uncached_input_tokens;
        output[i] = (output[i] ?? 0) + r.output_tokens;
        cached[i] =
          (cached[i] ?? 0) +
          r.cache_read_input_tokens +
          r.cache_creation.ephemeral_1h_input_tokens +
          r.cache_creation.ephemeral_5m_input_tokens;
      }
    }
    return [
      { label: "Input tokens", values: input },
      { label: "Output tokens", values: output },
      { label: "Cache tokens", values: cached },
    ];
  }, [data]);
  // One line, drawn at zero on days without spend.
  const totalSeries = useMemo(
    () => [{ label: "Spend", values: views.total.byDay.get("Spend") ?? x.map(() => 0) }],
    [views, x],
  );
  const totalSpend = views.total.totals.get("Spend") ?? 0;
  const sum = (values: (number | null)[]) => values.reduce<number>((a, v) => a + (v ?? 0), 0);

  return (
    <>
      <div class="stats">
        <div class="stat">
          <div class="value">{formatUsd(totalSpend)}</div>
          <div class="label">Spend in the range</div>
        </div>
        <div class="stat">
          <div class="value">{count(sum(tokenSeries[0]?.values ?? []))}</div>
          <div class="label">Input tokens</div>
        </div>
        <div class="stat">
          <div class="value">{count(sum(tokenSeries[1]?.values ?? []))}</div>
          <div class="label">Output tokens</div>
        </div>
      </div>
      <Chart caption="Spend by day" x={x} series={totalSeries} format={formatUsd} />
      <Chart caption="Tokens by day" x={x} series={tokenSeries} format={compact} />
      <SpendBreakdown title="model" view={views.model} x={x} />
      <SpendBreakdown title="workspace" view={views.workspace} x={x} />
    </>
  );
}

/** Spend by API key over the range: a report of its own, the page's largest. */
function KeySpend({ from, to }: { from: string; to: string }) {
  const keys = useLoad(() => loadKeys(from, to), [from, to]);
  usePageReady("usage-keys", keys.data !== undefined && !keys.loading);
  const data = keys.data;
  const view = useMemo(
    () =>
      data &&
      breakdown(data.days, data.byKey, (r) =>
        r.api_key_id === null ? "Without a key" : (data.keyNames.get(r.api_key_id) ?? r.api_key_id),
      ),
    [data],
  );
  const x = useMemo(() => data?.days.map(secondsOf) ?? [], [data]);
  if (keys.error) {
    return <Notice kind="error">Spend by API key: {keys.error}</Notice>;
  }
  if (!data || !view) {
    return (
      <p aria-busy="true" class="muted">
        Loading the spend by API key…
      </p>
    );
  }
  return <SpendBreakdown title="API key" view={view} x={x} />;
}

function SpendBreakdown({ title, view, x }: { title: string; view: Breakdown; x: number[] }) {
  const series = useMemo(() => seriesOf(view, x.length), [view, x]);
  const total = [...view.totals.values()].reduce((a, b) => a + b, 0);
  const rows = [...view.totals.entries()].sort((a, b) => b[1] - a[1]);
  return (
    <section aria-label={`Spend by ${title}`}>
      <Chart caption={`Spend by ${title}, by day`} x={x} series={series} format={formatUsd} />
      <Table
        caption={`Spend by ${title} over the range`}
        rows={rows}
        rowKey={([group]) => group}
        empty="No spend in this range."
        columns={[
          { header: title[0]?.toUpperCase() + title.slice(1), cell: ([group]) => group },
          { header: "Spend", numeric: true, cell: ([, usd]) => formatUsd(usd) },
          {
            header: "Share",
            numeric: true,
            cell: ([, usd]) => (total > 0 ? `${((usd / total) * 100).toFixed(1)}%` : "–"),
          },
        ]}
      />
    </section>
  );
}

/** What a CSV row is: the cost report's grouping for each of the page's breakdowns. */
const CSV_GROUPINGS = {
  day: { label: "Day", groupBy: [] },
  model: { label: "Model", groupBy: ["description"] },
  workspace: { label: "Workspace", groupBy: ["workspace_id"] },
  key: { label: "API key", groupBy: ["api_key_id"] },
} as const satisfies Record<string, { label: string; groupBy: CostReportParams["group_by"] }>;
type CsvGrouping = keyof typeof CSV_GROUPINGS;

/**
 * The cost report's own CSV answer (`Accept: text/csv`) for the range, grouped as the chosen
 * breakdown is: one row per day, or per day and model, workspace or key.
 */
function CsvDownload({ from, to }: { from: string; to: string }) {
  const [grouping, setGrouping] = useState<CsvGrouping>("day");
  const { busy, error, run } = useSubmit();
  return (
    <>
      <Select
        label="CSV rows by"
        value={grouping}
        options={Object.entries(CSV_GROUPINGS).map(([value, g]) => ({ value, label: g.label }))}
        onChange={(event) => setGrouping(event.currentTarget.value as CsvGrouping)}
      />
      <Button
        busy={busy}
        onClick={() =>
          run(async () => {
            const { groupBy } = CSV_GROUPINGS[grouping];
            const csv = await admin.costs.reportCsv({
              ...rangeOf(from, to),
              ...(groupBy.length > 0 && { group_by: [...groupBy] }),
            });
            downloadText(`steward-cost-by-${grouping}-${from}-to-${to}.csv`, csv, "text/csv");
          })
        }
      >
        Download CSV
      </Button>
      {error && <Notice kind="error">{error}</Notice>}
    </>
  );
}
