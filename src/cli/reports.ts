import type { CostReportParams, StewardAdmin, UsageMessagesParams } from "@steward/sdk";
import { type Command, InvalidArgumentError } from "commander";
import type { CostReport, MessagesUsageReport } from "../contract/usage.js";
import { DateParam } from "../contract/usage.js";
import { UsageError } from "./errors.js";

/** Dates and report pages for `steward usage`, `costs` and `alerts check`. All UTC. */

export function parseDate(value: string): string {
  const result = DateParam.safeParse(value);
  if (!result.success) {
    throw new InvalidArgumentError(`expected a date as YYYY-MM-DD, not ${JSON.stringify(value)}`);
  }
  return value;
}

export const today = (now = new Date()): string => now.toISOString().slice(0, 10);
export const monthStart = (now = new Date()): string => `${now.toISOString().slice(0, 7)}-01`;

/** `--from` and `--to`, the inclusive range that dateRange reads. */
export function addDateRangeOptions(command: Command): Command {
  return command
    .option(
      "--from <date>",
      "first day, UTC, YYYY-MM-DD (default: the 1st of this month)",
      parseDate,
    )
    .option("--to <date>", "last day, UTC, inclusive (default: today)", parseDate);
}

/** `[from, to]` inclusive dates, this month so far by default. */
export function dateRange(opts: { from?: string; to?: string }): { from: string; to: string } {
  const to = opts.to ?? today();
  const from = opts.from ?? (opts.to === undefined ? monthStart() : `${to.slice(0, 7)}-01`);
  if (from > to) {
    throw new UsageError(`--from ${from} is after --to ${to}`);
  }
  return { from, to };
}

/** The instant after the last day of the range (reports take exclusive ends). */
export function dayAfter(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString();
}

export type Period = "hour" | "day" | "month";

/** The seed's bucket labels: `2025-04-27T13:00:00Z`, `2025-04-27`, `2025-04`. */
export function periodLabel(startingAt: string, period: Period): string {
  switch (period) {
    case "hour":
      return `${startingAt.slice(0, 13)}:00:00Z`;
    case "day":
      return startingAt.slice(0, 10);
    case "month":
      return startingAt.slice(0, 7);
  }
}

/** Every page of a report that pages with `next_page`. */
async function allPages<R extends { has_more: boolean; next_page: string | null; data: unknown[] }>(
  fetchPage: (page: string | undefined) => Promise<R>,
): Promise<R["data"]> {
  const data: R["data"] = [];
  let page: string | undefined;
  for (;;) {
    const report = await fetchPage(page);
    data.push(...report.data);
    if (!report.has_more || report.next_page === null) {
      return data;
    }
    page = report.next_page;
  }
}

export function messagesUsage(
  admin: StewardAdmin,
  params: Omit<UsageMessagesParams, "limit" | "page"> & { bucket_width: "1h" | "1d" },
): Promise<MessagesUsageReport["data"]> {
  const limit = params.bucket_width === "1h" ? 168 : 31;
  return allPages(
    async (page) =>
      (await admin.usage.messages({
        ...params,
        limit,
        ...(page !== undefined && { page }),
      })) as MessagesUsageReport,
  );
}

export function costReport(
  admin: StewardAdmin,
  params: Omit<CostReportParams, "limit" | "page">,
): Promise<CostReport["data"]> {
  return allPages(
    async (page) =>
      (await admin.costs.report({
        ...params,
        limit: 31,
        ...(page !== undefined && { page }),
      })) as CostReport,
  );
}

/** Cents as a decimal string (`"123.45"`) to dollars. */
export const centsToUsd = (amount: string): number => Number(amount) / 100;
