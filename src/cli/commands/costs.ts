import { type Command, Option } from "commander";
import { CostGroupBy } from "../../contract/usage.js";
import { action, type Ctx } from "../context.js";
import { bar, type Column, formatUsd, print, table } from "../output.js";
import {
  addDateRangeOptions,
  centsToUsd,
  costReport,
  dateRange,
  dayAfter,
  periodLabel,
} from "../reports.js";
import { allWorkspaces, apiKeyLabels, WorkspaceIndex } from "../resolve.js";

interface CostRow {
  period: string | null;
  group: string | null;
  cost_usd: number;
}

const BY = { workspace: "workspace_id", key: "api_key_id", description: "description" } as const;
type By = keyof typeof BY;

interface CostOptions {
  from?: string;
  to?: string;
  by?: By;
  granularity?: "day" | "month";
}

/** `steward costs`: the cost report, in dollars, by day or month, workspace or line item. */
export function registerCosts(program: Command): void {
  addDateRangeOptions(
    program
      .command("costs")
      .description(
        "Cost of the Claude API over a range (this month by default), by workspace or line item, with a bar per row",
      ),
  )
    .addOption(
      new Option(
        "--by <dimension>",
        `one row per workspace, API key, or line item (model and token type): the cost report's group_by ${CostGroupBy.options.join(", ")}`,
      ).choices(Object.keys(BY)),
    )
    .addOption(
      new Option(
        "--granularity <period>",
        "one row per day or month (default: the whole range in one row)",
      ).choices(["day", "month"]),
    )
    .action(action(async (ctx) => runCosts(ctx, ctx.opts as CostOptions)));
}

async function runCosts(ctx: Ctx, opts: CostOptions): Promise<void> {
  const range = dateRange(opts);
  const [days, labels] = await Promise.all([
    costReport(ctx.admin, {
      starting_at: `${range.from}T00:00:00Z`,
      ending_at: dayAfter(range.to),
      ...(opts.by !== undefined && { group_by: [BY[opts.by]] }),
    }),
    opts.by === "workspace"
      ? allWorkspaces(ctx.admin).then((all) => {
          const index = new WorkspaceIndex(all);
          return (id: string | null) => index.label(id);
        })
      : opts.by === "key"
        ? apiKeyLabels(ctx.admin)
        : Promise.resolve(undefined),
  ]);
  const rows = new Map<string, CostRow>();
  for (const day of days) {
    const period =
      opts.granularity === undefined ? null : periodLabel(day.starting_at, opts.granularity);
    for (const result of day.results) {
      const group =
        opts.by === undefined
          ? null
          : opts.by === "description"
            ? result.description
            : (labels?.(result[BY[opts.by]]) ?? result[BY[opts.by]]);
      const key = `${period ?? ""}\u0000${group ?? ""}`;
      const row = rows.get(key) ?? { period, group, cost_usd: 0 };
      row.cost_usd += centsToUsd(result.amount);
      rows.set(key, row);
    }
  }
  const data = [...rows.values()].sort(
    (a, b) => (a.period ?? "").localeCompare(b.period ?? "") || b.cost_usd - a.cost_usd,
  );
  const total = data.reduce((sum, r) => sum + r.cost_usd, 0);
  print(
    ctx,
    {
      from: range.from,
      to: range.to,
      granularity: opts.granularity ?? null,
      by: opts.by ?? null,
      data,
      total_cost_usd: total,
    },
    () => `Costs ${range.from} to ${range.to} (UTC)\n\n${costTable(data, total, opts)}`,
  );
}

function costTable(rows: CostRow[], total: number, opts: CostOptions): string {
  if (rows.length === 0) {
    return "(no costs in this range)";
  }
  const max = Math.max(...rows.map((r) => r.cost_usd));
  type Row = CostRow & { total?: boolean };
  const first = opts.granularity ?? opts.by ?? "";
  const columns: Column<Row>[] = [
    ...(opts.granularity === undefined
      ? []
      : [{ header: opts.granularity, value: (r: Row) => (r.total ? "TOTAL" : (r.period ?? "")) }]),
    ...(opts.by === undefined
      ? []
      : [
          {
            header: opts.by,
            value: (r: Row) =>
              r.total ? (opts.granularity === undefined ? "TOTAL" : "") : (r.group ?? "-"),
          },
        ]),
    ...(first === "" ? [{ header: "", value: () => "TOTAL" }] : []),
    { header: "cost", value: (r) => formatUsd(r.cost_usd), align: "right" },
    { header: "", value: (r) => (r.total ? "" : bar(r.cost_usd, max)) },
  ];
  const totalRow = { period: null, group: null, cost_usd: total, total: true };
  return table<Row>(first === "" ? [totalRow] : [...rows, totalRow], columns);
}
