import { Counter, type Registry } from "prom-client";
import type { UsageListener } from "../core/ports.js";
import type { UsageEventRow } from "../core/usage/usage-store.js";

/** Distinct workspaces with series of their own, by default; the rest are counted as "other". */
export const DEFAULT_WORKSPACE_LABELS = 100;
/** Distinct priced models with series of their own; the rest are counted as "other". */
const MODEL_LABELS = 50;
const OTHER = "other";

/** A workspace's and model's sums over one batch: four token types, then nano-USD. */
type Sums = Float64Array;
const TOKEN_TYPES = ["input", "output", "cache_read", "cache_creation"] as const;

/**
 * Tokens and spend as Prometheus counters, by workspace and model, from the usage the database
 * committed (the gateway's and what the Admin API ingested): it listens to the usage feed, so the
 * request path pays nothing, and each batch of events costs one increment per workspace, model and
 * series. The labels are bounded: a model the price table does not list is "other", and so is
 * every workspace after the first `workspaceLabels` this process has seen (and every priced model
 * after the first 50).
 */
export class UsageMetrics implements UsageListener {
  readonly #tokens: Counter<"workspace" | "model" | "type">;
  readonly #spend: Counter<"workspace" | "model">;
  readonly #workspaceLabels: number;
  readonly #workspaces = new Set<string>();
  readonly #models = new Set<string>();

  constructor(registry: Registry, options: { workspaceLabels?: number } = {}) {
    this.#workspaceLabels = options.workspaceLabels ?? DEFAULT_WORKSPACE_LABELS;
    this.#tokens = new Counter({
      name: "steward_usage_tokens_total",
      help: "Tokens of the usage stored, by workspace, model and type (input, output, cache_read, cache_creation)",
      labelNames: ["workspace", "model", "type"] as const,
      registers: [registry],
    });
    this.#spend = new Counter({
      name: "steward_usage_spend_usd_total",
      help: "Cost in USD of the usage stored, by workspace and model",
      labelNames: ["workspace", "model"] as const,
      registers: [registry],
    });
  }

  usageRecorded(events: readonly UsageEventRow[]): void {
    const batch = new Map<string, Map<string, Sums>>();
    for (const event of events) {
      const workspace = this.#workspaceLabel(event.workspace_id);
      const model = this.#modelLabel(event);
      let models = batch.get(workspace);
      if (models === undefined) {
        models = new Map();
        batch.set(workspace, models);
      }
      let sums = models.get(model);
      if (sums === undefined) {
        sums = new Float64Array(5);
        models.set(model, sums);
      }
      sums[0] = (sums[0] as number) + event.input_tokens;
      sums[1] = (sums[1] as number) + event.output_tokens;
      sums[2] = (sums[2] as number) + event.cache_read_tokens;
      sums[3] =
        (sums[3] as number) + event.cache_creation_5m_tokens + event.cache_creation_1h_tokens;
      sums[4] = (sums[4] as number) + event.cost_nanos;
    }
    for (const [workspace, models] of batch) {
      for (const [model, sums] of models) {
        TOKEN_TYPES.forEach((type, i) => {
          const tokens = sums[i] as number;
          if (tokens > 0) {
            this.#tokens.inc({ workspace, model, type }, tokens);
          }
        });
        // Counted even at zero: the series exists once the workspace and model had requests.
        this.#spend.inc({ workspace, model }, (sums[4] as number) / 1e9);
      }
    }
  }

  #workspaceLabel(id: string): string {
    if (this.#workspaces.has(id)) {
      return id;
    }
    if (this.#workspaces.size < this.#workspaceLabels) {
      this.#workspaces.add(id);
      return id;
    }
    return OTHER;
  }

  #modelLabel(event: UsageEventRow): string {
    if (event.priced !== 1) {
      return OTHER;
    }
    const model = event.model;
    if (this.#models.has(model)) {
      return model;
    }
    if (this.#models.size < MODEL_LABELS) {
      this.#models.add(model);
      return model;
    }
    return OTHER;
  }
}
