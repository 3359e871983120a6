import type { FastifyReply, FastifyRequest } from "fastify";
import type {
  CostReport,
  MessagesUsageReport,
  MessagesUsageResult,
  SeedUsageReport,
} from "../contract/usage.js";
import { UsageGroupBy } from "../contract/usage.js";
import { TOKEN_KINDS } from "../core/usage/metered.js";

type Cell = string | number | null;

/**
 * Whether the client asked for CSV: `Accept: text/csv`, unless it prefers JSON (listed first or
 * with a higher q). Reports answer JSON otherwise.
 */
export function wantsCsv(request: FastifyRequest): boolean {
  // Media types are case-insensitive.
  const accept = request.headers.accept?.toLowerCase();
  if (accept === undefined || !accept.includes("text/csv")) {
    return false;
  }
  let best: { type: string; q: number } | undefined;
  for (const part of accept.split(",")) {
    const [type = "", ...params] = part.trim().split(";");
    const q = Number(
      params
        .find((p) => p.trim().startsWith("q="))
        ?.trim()
        .slice(2) ?? 1,
    );
    const name = type.trim().toLowerCase();
    // q=0 means "not this one".
    if ((name === "text/csv" || name === "application/json") && q > 0 && (!best || q > best.q)) {
      best = { type: name, q };
    }
  }
  return best?.type === "text/csv";
}

/** RFC 4180 text; a cell that a spreadsheet would run as a formula is prefixed with `'`. */
export function toCsv(header: readonly string[], rows: readonly Cell[][]): string {
  const line = (cells: readonly Cell[]) => cells.map(cell).join(",");
  return `${[line(header), ...rows.map(line)].join("\r\n")}\r\n`;
}

function cell(value: Cell): string {
  if (value === null) {
    return "";
  }
  if (typeof value === "number") {
    return String(value);
  }
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Sends a report as CSV; a paginated report says where its next page starts in headers. */
export function sendCsv(
  reply: FastifyReply,
  name: string,
  csv: string,
  page?: { has_more: boolean; next_page: string | null },
): FastifyReply {
  reply
    .type("text/csv; charset=utf-8")
    .header("content-disposition", `attachment; filename="${name}.csv"`);
  if (page) {
    reply.header("x-has-more", String(page.has_more));
    if (page.next_page !== null) {
      reply.header("x-next-page", page.next_page);
    }
  }
  return reply.send(csv);
}

/** One row per bucket and model (a bucket without usage keeps one row, with no model). */
export function seedUsageCsv(report: SeedUsageReport): string {
  const rows: Cell[][] = [];
  for (const bucket of report.data) {
    const models = Object.entries(bucket.model_breakdown);
    if (models.length === 0) {
      rows.push([bucket.date, bucket.starting_at, bucket.ending_at, null, 0, 0, 0, 0, 0, 0]);
    }
    for (const [model, usage] of models) {
      rows.push([
        bucket.date,
        bucket.starting_at,
        bucket.ending_at,
        model,
        usage.requests,
        usage.input_tokens,
        usage.output_tokens,
        usage.cache_creation_tokens,
        usage.cache_read_tokens,
        usage.cost_usd,
      ]);
    }
  }
  return toCsv(
    [
      "date",
      "starting_at",
      "ending_at",
      "model",
      "requests",
      "input_tokens",
      "output_tokens",
      "cache_creation_tokens",
      "cache_read_tokens",
      "cost_usd",
    ],
    rows,
  );
}

/** The dimensions a result may be grouped by, in the contract's order: the CSV's columns. */
const MESSAGES_DIMENSIONS = UsageGroupBy.options satisfies ReadonlyArray<keyof MessagesUsageResult>;

/** A token kind's count in a result, at its field's dotted path (TOKEN_KINDS' `report`). */
function countAt(result: MessagesUsageResult, path: string): number {
  let value: unknown = result;
  for (const name of path.split(".")) {
    value = (value as Record<string, unknown>)[name];
  }
  return value as number;
}

/** One row per bucket and result: its dimensions, then a column per token kind. */
export function messagesUsageCsv(report: MessagesUsageReport): string {
  const rows: Cell[][] = [];
  for (const bucket of report.data) {
    for (const r of bucket.results) {
      rows.push([
        bucket.starting_at,
        bucket.ending_at,
        ...MESSAGES_DIMENSIONS.map((dimension) => r[dimension]),
        ...TOKEN_KINDS.map((kind) => countAt(r, kind.report)),
      ]);
    }
  }
  return toCsv(
    ["starting_at", "ending_at", ...MESSAGES_DIMENSIONS, ...TOKEN_KINDS.map((kind) => kind.csv)],
    rows,
  );
}

/** One row per bucket and line item, with the amount in cents (as the JSON has it) and in dollars. */
export function costReportCsv(report: CostReport): string {
  const rows: Cell[][] = [];
  for (const bucket of report.data) {
    for (const r of bucket.results) {
      rows.push([
        bucket.starting_at,
        bucket.ending_at,
        r.workspace_id,
        r.api_key_id,
        r.description,
        r.cost_type,
        r.model,
        r.service_tier,
        r.token_type,
        r.context_window,
        r.inference_geo,
        r.amount,
        dollarsOfCents(r.amount),
        r.currency,
      ]);
    }
  }
  return toCsv(
    [
      "starting_at",
      "ending_at",
      "workspace_id",
      "api_key_id",
      "description",
      "cost_type",
      "model",
      "service_tier",
      "token_type",
      "context_window",
      "inference_geo",
      "amount_cents",
      "amount_usd",
      "currency",
    ],
    rows,
  );
}

/** `"12345.6"` cents is `"123.456"` dollars: the decimal point moves two places, exactly. */
export function dollarsOfCents(cents: string): string {
  const [whole = "0", fraction = ""] = cents.split(".");
  const padded = whole.padStart(3, "0");
  const dollars = padded.slice(0, -2).replace(/^0+(?=\d)/, "");
  const rest = `${padded.slice(-2)}${fraction}`.replace(/0+$/, "");
  return rest === "" ? dollars : `${dollars}.${rest}`;
}
