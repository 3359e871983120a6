/**
 * What Steward meters, defined once: each kind of token (or request) a usage event counts, and
 * the cost columns. The events' and rollups' row types, their SQL column lists, the rollup sums,
 * the cost report's lines and the messages report's fields all derive from these lists, so a new
 * token kind is one entry here and one migration adding its columns (the migrations are frozen:
 * 0002 and 0003 created today's).
 */

/**
 * The token kinds, in the order reports list them (the CSV's columns, the cost report's lines). For
 * each: its column in usage_events and the rollups, its field in core's TokenUsage, its cost
 * column and CostParts field, its field in the messages report (a dotted path into a result, as
 * the contract's MessagesUsageResult has it) and in its CSV, and the label of its cost report line
 * (web search has a line of its own, not one per model).
 */
export const TOKEN_KINDS = [
  {
    column: "input_tokens",
    usage: "inputTokens",
    costColumn: "cost_input_nanos",
    costPart: "input",
    report: "uncached_input_tokens",
    csv: "uncached_input_tokens",
    costLine: "Input Tokens",
  },
  {
    column: "cache_creation_5m_tokens",
    usage: "cacheCreation5mTokens",
    costColumn: "cost_cache_write_5m_nanos",
    costPart: "cacheWrite5m",
    report: "cache_creation.ephemeral_5m_input_tokens",
    csv: "cache_creation_5m_input_tokens",
    costLine: "Cache Write (5m)",
  },
  {
    column: "cache_creation_1h_tokens",
    usage: "cacheCreation1hTokens",
    costColumn: "cost_cache_write_1h_nanos",
    costPart: "cacheWrite1h",
    report: "cache_creation.ephemeral_1h_input_tokens",
    csv: "cache_creation_1h_input_tokens",
    costLine: "Cache Write (1h)",
  },
  {
    column: "cache_read_tokens",
    usage: "cacheReadTokens",
    costColumn: "cost_cache_read_nanos",
    costPart: "cacheRead",
    report: "cache_read_input_tokens",
    csv: "cache_read_input_tokens",
    costLine: "Cache Read Input Tokens",
  },
  {
    column: "output_tokens",
    usage: "outputTokens",
    costColumn: "cost_output_nanos",
    costPart: "output",
    report: "output_tokens",
    csv: "output_tokens",
    costLine: "Output Tokens",
  },
  {
    column: "web_search_requests",
    usage: "webSearchRequests",
    costColumn: "cost_web_search_nanos",
    costPart: "webSearch",
    report: "server_tool_use.web_search_requests",
    csv: "web_search_requests",
    costLine: null,
  },
] as const;

export type TokenKind = (typeof TOKEN_KINDS)[number];
export type TokenColumn = TokenKind["column"];
export type TokenCostColumn = TokenKind["costColumn"];
/** A messages report field of a token kind, as a dotted path. */
export type TokenReportField = TokenKind["report"];

/** The counts of a request by kind, as core computes with them (TokenUsage's counts). */
export type TokenCounts = Record<TokenKind["usage"], number>;
/** A cost split by token kind, each part in integer nano-USD. */
export type CostParts = Record<TokenKind["costPart"], number>;

/** The token columns, in order. */
export const TOKEN_COLUMNS: readonly TokenColumn[] = TOKEN_KINDS.map((kind) => kind.column);

/**
 * The cost columns, in nano-USD: the total, its part per token kind, and of the total what was
 * charged at the price table's fallback rates.
 */
export const COST_COLUMNS = [
  "cost_nanos",
  ...TOKEN_KINDS.map((kind) => kind.costColumn),
  "cost_fallback_nanos",
] as const satisfies readonly string[];
export type CostColumn = "cost_nanos" | TokenCostColumn | "cost_fallback_nanos";

/** Every column an event and a rollup row both hold and that rollups add up, in schema order. */
export const METERED_COLUMNS: readonly MeteredColumn[] = [...TOKEN_COLUMNS, ...COST_COLUMNS];
export type MeteredColumn = TokenColumn | CostColumn;

/** A rollup's sums: its count of requests, then every metered column. */
export const SUM_COLUMNS: readonly SumColumn[] = ["requests", ...METERED_COLUMNS];
export type SumColumn = "requests" | MeteredColumn;
export type RollupSums = Record<SumColumn, number>;

/**
 * A function compiled once from the metered column lists: each call is then a literal of named
 * property reads and writes, as fast as one written out by hand. The rollups and reports run these
 * for every row, where a loop over the columns' names cost several times more
 * (src/db/repositories/values.ts compiles its parameter lists the same way).
 */
export function compileOverColumns<F>(parameters: readonly string[], body: string): F {
  for (const column of SUM_COLUMNS) {
    if (!/^[a-z_][a-z0-9_]*$/.test(column)) {
      throw new Error(`not a column name: ${column}`);
    }
  }
  return new Function(...parameters, body) as F;
}

/** All sums at 0 (made for every row of every report). */
export const emptySums = compileOverColumns<() => RollupSums>(
  [],
  `return { ${SUM_COLUMNS.map((column) => `${column}: 0`).join(", ")} };`,
);

/** Adds every sum of `from` to `into`. */
export const addSums = compileOverColumns<(into: RollupSums, from: Readonly<RollupSums>) => void>(
  ["into", "from"],
  SUM_COLUMNS.map((column) => `into.${column} += from.${column};`).join("\n"),
);
