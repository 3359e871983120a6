import { readFileSync } from "node:fs";
import { z } from "zod";
import type { CostParts, TokenCounts } from "./metered.js";

/**
 * Prices are data (config/prices.json, or the file PRICES_FILE names), in USD per million tokens.
 * Costs are computed once, when a request is recorded, in integer nano-dollars, and stored with
 * the event: a later price change never rewrites history, and sums stay exact.
 */
const ModelPrice = z.object({
  input: z.number().min(0),
  cache_write_5m: z.number().min(0),
  cache_write_1h: z.number().min(0),
  cache_read: z.number().min(0),
  output: z.number().min(0),
});
export type ModelPrice = z.output<typeof ModelPrice>;

const PriceFile = z.object({
  web_search_per_1000_requests: z.number().min(0),
  inference_geo_multipliers: z.record(z.string(), z.number().positive()).default({}),
  service_tier_multipliers: z.record(z.string(), z.number().positive()).default({}),
  models: z.record(z.string(), ModelPrice),
  /**
   * The rates charged for a model the table does not list. Absent: each rate is the highest any
   * listed model has, so naming an unlisted model never costs less than a listed one.
   */
  fallback: ModelPrice.optional(),
});
type PriceFile = z.output<typeof PriceFile>;

export const DEFAULT_PRICES_FILE = new URL("../../../config/prices.json", import.meta.url);

/**
 * What a request used, as the upstream counts it (the gateway's parsed usage, or an ingested
 * event): a count per token kind (src/core/usage/metered.ts), and the tier and geo it ran at.
 */
export interface TokenUsage extends TokenCounts {
  serviceTier: string | null;
  inferenceGeo: string | null;
}

/**
 * A cost split the way the cost report shows it, each part in integer nano-USD. Every part is
 * rounded on its own and the total is their sum, so any grouping of parts adds up exactly.
 */
export type { CostParts };

/**
 * Where a cost's rates came from: the price table's entry for the model, the fallback rates (the
 * model is not in the table), or the caller (an ingested event's own `cost_usd`).
 */
export type PriceSource = "table" | "fallback" | "given";

export interface Cost {
  /** Integer nano-USD (1e-9 dollars): the sum of `parts`. */
  nanos: number;
  /** False when the model is not in the price table: it was charged at the fallback rates. */
  priced: boolean;
  source: PriceSource;
  parts: CostParts;
}

export const noCostParts = (): CostParts => ({
  input: 0,
  output: 0,
  cacheWrite5m: 0,
  cacheWrite1h: 0,
  cacheRead: 0,
  webSearch: 0,
});

// $/MTok × tokens = micro-dollars; × 1000 = nano-dollars.
const NANOS_PER_TOKEN_PER_DOLLAR_PER_MTOK = 1000;

/** Most model ids whose price lookup is remembered; ids come from clients, so the memo is bounded. */
const REMEMBERED_MODELS = 1024;

export class PriceTable {
  /** priceOf's answers by model id (null: not priced): it runs for every request and event. */
  readonly #byModel = new Map<string, ModelPrice | null>();
  /**
   * The table's keys are model ids and geo and tier names, all text from clients or the upstream:
   * they are looked up in Maps, never in the parsed objects, whose inherited keys (`constructor`,
   * `__proto__`, `toString`) would answer too.
   */
  readonly #models: ReadonlyMap<string, ModelPrice>;
  readonly #geoMultipliers: ReadonlyMap<string, number>;
  readonly #tierMultipliers: ReadonlyMap<string, number>;
  /** What a model the table does not list is charged. */
  readonly fallback: ModelPrice;
  /** The dearest inference geo multiplier (at least 1), for estimates. */
  readonly #dearestGeo: number;

  constructor(private readonly table: PriceFile) {
    this.#models = new Map(Object.entries(table.models));
    this.#geoMultipliers = new Map(Object.entries(table.inference_geo_multipliers));
    this.#tierMultipliers = new Map(Object.entries(table.service_tier_multipliers));
    this.fallback = table.fallback ?? dearestRates(this.#models.values());
    this.#dearestGeo = Math.max(1, ...this.#geoMultipliers.values());
  }

  static load(path?: string | URL): PriceTable {
    const file = path ?? DEFAULT_PRICES_FILE;
    const parsed = PriceFile.safeParse(JSON.parse(readFileSync(file, "utf8")));
    if (!parsed.success) {
      throw new Error(
        `invalid price file ${String(file)}: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
      );
    }
    return new PriceTable(parsed.data);
  }

  /**
   * The price of a model id: exact, then without a date suffix (`claude-opus-4-5-20251101`), then
   * without `-latest`, then the longest priced prefix (`claude-3-5-haiku-…`).
   */
  priceOf(model: string): ModelPrice | undefined {
    let price = this.#byModel.get(model);
    if (price === undefined) {
      if (this.#byModel.size >= REMEMBERED_MODELS) {
        this.#byModel.clear();
      }
      price = this.#lookUp(model) ?? null;
      this.#byModel.set(model, price);
    }
    return price ?? undefined;
  }

  #lookUp(model: string): ModelPrice | undefined {
    const models = this.#models;
    const candidates = [model, model.replace(/-\d{8}$/, ""), model.replace(/-latest$/, "")];
    for (const candidate of candidates) {
      const price = models.get(candidate);
      if (price) {
        return price;
      }
    }
    let best: string | undefined;
    for (const name of models.keys()) {
      if (model.startsWith(`${name}-`) && (best === undefined || name.length > best.length)) {
        best = name;
      }
    }
    return best === undefined ? undefined : models.get(best);
  }

  /**
   * What a request cost. A model the table does not list is charged at the fallback rates
   * (`source: "fallback"`), never nothing: naming an unlisted model must not slip past a budget.
   */
  cost(model: string, usage: TokenUsage): Cost {
    const listed = this.priceOf(model);
    const price = listed ?? this.fallback;
    const geo = usage.inferenceGeo ? (this.#geoMultipliers.get(usage.inferenceGeo) ?? 1) : 1;
    const tier = usage.serviceTier ? (this.#tierMultipliers.get(usage.serviceTier) ?? 1) : 1;
    const perToken = NANOS_PER_TOKEN_PER_DOLLAR_PER_MTOK * geo * tier;
    const parts: CostParts = {
      input: Math.round(usage.inputTokens * price.input * perToken),
      output: Math.round(usage.outputTokens * price.output * perToken),
      cacheWrite5m: Math.round(usage.cacheCreation5mTokens * price.cache_write_5m * perToken),
      cacheWrite1h: Math.round(usage.cacheCreation1hTokens * price.cache_write_1h * perToken),
      cacheRead: Math.round(usage.cacheReadTokens * price.cache_read * perToken),
      webSearch: Math.round(
        usage.webSearchRequests * this.table.web_search_per_1000_requests * 1_000_000,
      ),
    };
    const nanos =
      parts.input +
      parts.output +
      parts.cacheWrite5m +
      parts.cacheWrite1h +
      parts.cacheRead +
      parts.webSearch;
    return listed
      ? { nanos, priced: true, source: "table", parts }
      : { nanos, priced: false, source: "fallback", parts };
  }

  /**
   * An upper bound on a request's cost, reserved against spend limits at admission: every input
   * byte as a token at the dearest input rate, `max_tokens` of output, and the allowed web searches.
   * An unknown model is priced at the fallback rates, as its cost will be.
   */
  estimate(
    model: string,
    request: { inputBytes: number; maxTokens: number; webSearches: number },
  ): number {
    const price = this.priceOf(model) ?? this.fallback;
    const inputRate = Math.max(price.input, price.cache_write_5m, price.cache_write_1h);
    const geo = this.#dearestGeo;
    const tokens = request.inputBytes * inputRate + request.maxTokens * price.output;
    const webSearch = request.webSearches * this.table.web_search_per_1000_requests * 1_000_000;
    return Math.ceil(tokens * NANOS_PER_TOKEN_PER_DOLLAR_PER_MTOK * geo + webSearch);
  }
}

/** Each rate at its highest over the models listed. */
function dearestRates(prices: Iterable<ModelPrice>): ModelPrice {
  const dearest: ModelPrice = {
    input: 0,
    cache_write_5m: 0,
    cache_write_1h: 0,
    cache_read: 0,
    output: 0,
  };
  for (const price of prices) {
    dearest.input = Math.max(dearest.input, price.input);
    dearest.cache_write_5m = Math.max(dearest.cache_write_5m, price.cache_write_5m);
    dearest.cache_write_1h = Math.max(dearest.cache_write_1h, price.cache_write_1h);
    dearest.cache_read = Math.max(dearest.cache_read, price.cache_read);
    dearest.output = Math.max(dearest.output, price.output);
  }
  return dearest;
}
