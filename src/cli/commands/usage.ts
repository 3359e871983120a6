import type { StewardAdmin } from "@steward/sdk";
import { type Command, Option } from "commander";
import { Granularity, type SeedUsageReport } from "../../contract/usage.js";
import { action, type Ctx } from "../context.js";
import { bar, type Column, formatCount, formatUsd, print, table } from "../output.js";
import {
  addDateRangeOptions,
  centsToUsd,
  costReport,
  dateRange,
  dayAfter,
  messagesUsage,
  type Period,
  periodLabel,
} from "../reports.js";
import { allWorkspaces, apiKeyLabels, resolveWorkspaceId, WorkspaceIndex } from "../resolve.js";

export interface UsageRow {
  period: string | null;
  group: string | null;
  requests: number | null;
  input_tokens: number;
  output_tokens: number;
  cache_creation_tokens: number;
  cache_read_tokens: number;
  cost_usd: number | null;
}

const BY = ["model", "workspace", "key"] as const;
type By = (typeof BY)[number];

interface UsageOptions {
  from?: string;
  to?: string;
  by?: By;
  granularity?: Period;
  workspace?: string;
}

function emptyRow(period: string | null, group: string | null): UsageRow {
  return {
    period,
    group,
    requests: null,
    input_tokens: 0,
    output_tokens: 0,
    cache_creation_tokens: 0,
    cache_read_tokens: 0,
    cost_usd: null,
  };
}

const addNullable = (a: number | null, b: number | null) =>
  a === null ? b : b === null ? a : a + b;

/** Rows keyed by period and group, summed as they come. */
class RowSet {
  readonly #rows = new Map<string, UsageRow>();

  row(period: string | null, group: string | null): UsageRow {
    const key = `${period ?? ""}\u0000${group ?? ""}`;
    let row = this.#rows.get(key);
    if (!row) {
      row = emptyRow(period, group);
      this.#rows.set(key, row);
    }
    return row;
  }

  list(): UsageRow[] {
    return [...this.#rows.values()].sort(
      (a, b) =>
        (a.period ?? "").localeCompare(b.period ?? "") ||
        (b.cost_usd ?? 0) - (a.cost_usd ?? 0) ||
        tokens(b) - tokens(a) ||
        (a.group ?? "").localeCompare(b.group ?? ""),
    );
  }
}

const tokens = (r: UsageRow) =>
  r.input_tokens + r.output_tokens + r.cache_creation_tokens + r.cache_read_tokens;

/** Adds a seed report's totals (a bucket's, or one model's in it) to a row. */
function addSeedUsage(
  row: UsageRow,
  usage: {
    requests: number | null;
    input_tokens: number;
    output_tokens: number;
    cache_creation_tokens: number;
    cache_read_tokens: number;
  },
  costUsd: number | null,
): void {
  row.requests = addNullable(row.requests, usage.requests);
  row.input_tokens += usage.input_tokens;
  row.output_tokens += usage.output_tokens;
  row.cache_creation_tokens += usage.cache_creation_tokens;
  row.cache_read_tokens += usage.cache_read_tokens;
  row.cost_usd = addNullable(row.cost_usd, costUsd);
}

/** No `--by`, or by model: the seed's `GET /v1/usage`, which has requests and costs. */
async function fromSeedReport(
  admin: StewardAdmin,
  range: { from: string; to: string },
  period: Period | undefined,
  byModel: boolean,
  workspaceId: string | undefined,
): Promise<UsageRow[]> {
  const report = (await admin.usage.retrieve({
    start_date: range.from,
    end_date: range.to,
    granularity: period ?? "month",
    ...(workspaceId !== undefined && { workspace_id: workspaceId }),
  })) as SeedUsageReport;
  const rows = new RowSet();
  for (const bucket of report.data) {
    const label = period === undefined ? null : bucket.date;
    if (!byModel) {
      addSeedUsage(rows.row(label, null), bucket, bucket.total_cost_usd);
      continue;
    }
    for (const [model, usage] of Object.entries(bucket.model_breakdown)) {
      addSeedUsage(rows.row(label, model), usage, usage.cost_usd);
    }
  }
  return rows.list();
}

/**
 * By workspace or key: the messages usage report for tokens, the cost report (grouped the same
 * way, from the same rollups) for their cost.
 */
async function fromMessagesReport(
  admin: StewardAdmin,
  range: { from: string; to: string },
  period: Period | undefined,
  by: "workspace" | "key",
  workspaceId: string | undefined,
): Promise<UsageRow[]> {
  const dimension = by === "workspace" ? "workspace_id" : "api_key_id";
  const window = { starting_at: `${range.from}T00:00:00Z`, ending_at: dayAfter(range.to) };
  const [buckets, costs, labels] = await Promise.all([
    messagesUsage(admin, {
      ...window,
      bucket_width: period === "hour" ? "1h" : "1d",
      group_by: [dimension],
      ...(workspaceId !== undefined && { workspace_ids: [workspaceId] }),
    }),
    // Costs are reported by the day: an hourly table has none.
    period !== "hour"
      ? costReport(admin, {
          ...window,
          group_by: by === "workspace" ? ["workspace_id"] : ["api_key_id", "workspace_id"],
        })
      : Promise.resolve(undefined),
    by === "workspace"
      ? allWorkspaces(admin).then((all) => {
          const index = new WorkspaceIndex(all);
          return (id: string | null) => index.label(id);
        })
      : apiKeyLabels(admin),
  ]);
  const rows = new RowSet();
  const labelOf = (startingAt: string) =>
    period === undefined ? null : periodLabel(startingAt, period);
  for (const bucket of buckets) {
    for (const result of bucket.results) {
      const row = rows.row(labelOf(bucket.starting_at), labels(result[dimension]));
      row.input_tokens += result.uncached_input_tokens;
      row.output_tokens += result.output_tokens;
      row.cache_creation_tokens +=
        result.cache_creation.ephemeral_5m_input_tokens +
        result.cache_creation.ephemeral_1h_input_tokens;
      row.cache_read_tokens += result.cache_read_input_tokens;
      if (costs !== undefined) {
        row.cost_usd ??= 0;
      }
    }
  }
  for (const day of costs ?? []) {
    for (const result of day.results) {
      if (workspaceId !== undefined && result.workspace_id !== workspaceId) {
        continue;
      }
      const row = rows.row(labelOf(day.starting_at), labels(result[dimension]));
      row.cost_usd = (row.cost_usd ?? 0) + centsToUsd(result.amount);
    }
  }
  return rows.list();
}

export function totalOf(rows: readonly UsageRow[]): UsageRow {
  const total = emptyRow(null, null);
  for (const row of rows) {
    total.requests = addNullable(total.requests, row.requests);
    total.input_tokens += row.input_tokens;
    total.output_tokens += row.output_tokens;
    total.cache_creation_tokens += row.cache_creation_tokens;
    total.cache_read_tokens += row.cache_read_tokens;
    total.cost_usd = addNullable(total.cost_usd, row.cost_usd);
  }
  return total;
}

function usageTable(rows: UsageRow[], period: Period | undefined, by: By | undefined): string {
  if (rows.length === 0) {
    return "(no usage in this range)";
  }
  const total = totalOf(rows);
  const byCost = rows.some((r) => (r.cost_usd ?? 0) > 0);
  const measure = (r: UsageRow) => (byCost ? (r.cost_usd ?? 0) : tokens(r));
  const max = Math.max(...rows.map(measure));
  type Row = UsageRow & { total?: boolean };
  const columns: Column<Row>[] = [
    ...(period === undefined
      ? []
      : [
          {
            header: period,
            value: (r: Row) => (r.total ? "TOTAL" : (r.period ?? "")),
          },
        ]),
    ...(by === undefined
      ? []
      : [
          {
            header: by,
            value: (r: Row) =>
              r.total && period === undefined ? "TOTAL" : r.total ? "" : (r.group ?? "-"),
          },
        ]),
    ...(period === undefined && by === undefined ? [{ header: "", value: () => "TOTAL" }] : []),
    { header: "requests", value: (r) => formatCount(r.requests), align: "right" },
    { header: "input", value: (r) => formatCount(r.input_tokens), align: "right" },
    { header: "output", value: (r) => formatCount(r.output_tokens), align: "right" },
    { header: "cache write", value: (r) => formatCount(r.cache_creation_tokens), align: "right" },
    { header: "cache read", value: (r) => formatCount(r.cache_read_tokens), align: "right" },
    { header: "cost", value: (r) => formatUsd(r.cost_usd), align: "right" },
    { header: byCost ? "" : "tokens", value: (r) => (r.total ? "" : bar(measure(r), max)) },
  ];
  const withTotal = rows.length > 1 || period !== undefined || by !== undefined;
  return table(withTotal ? [...rows, { ...total, total: true }] : rows, columns);
}

/** `steward usage`: tokens, requests and cost, by period, model, workspace or key. */
export function registerUsage(program: Command): void {
  addDateRangeOptions(
    program
      .command("usage")
      .description(
        "Usage of the Claude API: tokens, requests and cost over a range (this month by default), as a table with a bar per row",
      ),
  )
    .addOption(
      new Option("--by <dimension>", "one row per model, workspace or API key").choices(BY),
    )
    .addOption(
      new Option(
        "--granularity <period>",
        "one row per hour, day or month (default: the whole range in one row)",
      ).choices(Granularity.options),
    )
    .option("--workspace <workspace>", "only this workspace (id or name)")
    .action(action(async (ctx) => runUsage(ctx, ctx.opts as UsageOptions)));
}

async function runUsage(ctx: Ctx, opts: UsageOptions): Promise<void> {
  const range = dateRange(opts);
  const period = opts.granularity;
  const workspaceId =
    opts.workspace === undefined ? undefined : await resolveWorkspaceId(ctx.admin, opts.workspace);
  const rows =
    opts.by === "workspace" || opts.by === "key"
      ? await fromMessagesReport(ctx.admin, range, period, opts.by, workspaceId)
      : await fromSeedReport(ctx.admin, range, period, opts.by === "model", workspaceId);
  const shown = rows.filter(
    (r) => tokens(r) > 0 || (r.requests ?? 0) > 0 || (r.cost_usd ?? 0) > 0 || period !== undefined,
  );
  print(
    ctx,
    {
      from: range.from,
      to: range.to,
      granularity: period ?? null,
      by: opts.by ?? null,
      workspace_id: workspaceId ?? null,
      data: shown,
      total: totalOf(shown),
    },
    () => `Usage ${range.from} to ${range.to} (UTC)\n\n${usageTable(shown, period, opts.by)}`,
  );
}
