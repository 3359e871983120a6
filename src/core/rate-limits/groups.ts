import { createHash } from "node:crypto";

/**
 * The rate-limit groups, as Anthropic's Admin API names them: a family of models, or an API
 * surface (token counting, Message Batches, Files, the web search tool). A group's id is the same
 * in every organization; an organization's entry for it (`rl_…`) is derived from both, so it is
 * stable within the organization and differs between organizations, with nothing to store.
 */
export type GroupType = "model_group" | "token_count" | "batch" | "files" | "web_search";

export interface RateLimitGroup {
  id: string;
  type: GroupType;
  /** Model groups only. */
  displayName?: string;
  /** Model groups only: the model names it lists (the price table's, config/prices.json). */
  models?: readonly string[];
  /** Model groups only: a model belongs to the first group one of whose prefixes it starts with. */
  prefixes?: readonly string[];
}

/** The limit types Steward stores and the gateway enforces. */
export const LIMIT_TYPES = [
  "requests_per_minute",
  "input_tokens_per_minute",
  "output_tokens_per_minute",
] as const;
export type LimitType = (typeof LIMIT_TYPES)[number];

/** Catches every model no other group names, so no model name escapes the limits. */
export const OTHER_MODELS_GROUP_ID = "rlg_other_models";
export const TOKEN_COUNT_GROUP_ID = "rlg_token_count";

export const GROUPS: readonly RateLimitGroup[] = [
  {
    id: "rlg_claude_fable_5",
    type: "model_group",
    displayName: "Claude Fable 5.x",
    models: ["claude-fable-5", "claude-fable-5-1"],
    prefixes: ["claude-fable-5"],
  },
  {
    id: "rlg_claude_mythos_5",
    type: "model_group",
    displayName: "Claude Mythos 5.x",
    models: ["claude-mythos-5", "claude-mythos-5-1"],
    prefixes: ["claude-mythos-5"],
  },
  {
    id: "rlg_claude_opus_5",
    type: "model_group",
    displayName: "Claude Opus 5.x",
    models: ["claude-opus-5"],
    prefixes: ["claude-opus-5"],
  },
  {
    id: "rlg_claude_opus_4",
    type: "model_group",
    displayName: "Claude Opus 4.x",
    models: [
      "claude-opus-4",
      "claude-opus-4-1",
      "claude-opus-4-5",
      "claude-opus-4-6",
      "claude-opus-4-7",
      "claude-opus-4-8",
    ],
    prefixes: ["claude-opus-4"],
  },
  {
    id: "rlg_claude_sonnet_5",
    type: "model_group",
    displayName: "Claude Sonnet 5.x",
    models: ["claude-sonnet-5"],
    prefixes: ["claude-sonnet-5"],
  },
  {
    id: "rlg_claude_sonnet_4",
    type: "model_group",
    displayName: "Claude Sonnet 4.x",
    models: ["claude-sonnet-4", "claude-sonnet-4-5", "claude-sonnet-4-6"],
    prefixes: ["claude-sonnet-4"],
  },
  {
    id: "rlg_claude_haiku_4",
    type: "model_group",
    displayName: "Claude Haiku 4.x",
    models: ["claude-haiku-4-5"],
    prefixes: ["claude-haiku-4"],
  },
  {
    id: "rlg_claude_3",
    type: "model_group",
    displayName: "Claude 3.x",
    models: ["claude-3-5-haiku", "claude-3-haiku"],
    prefixes: ["claude-3-", "claude-3."],
  },
  {
    id: OTHER_MODELS_GROUP_ID,
    type: "model_group",
    displayName: "Other models",
    models: [],
    prefixes: [],
  },
  { id: TOKEN_COUNT_GROUP_ID, type: "token_count" },
  { id: "rlg_batch", type: "batch" },
  { id: "rlg_files", type: "files" },
  { id: "rlg_web_search", type: "web_search" },
];

const GROUPS_BY_ID = new Map(GROUPS.map((group) => [group.id, group]));

export function groupById(id: string): RateLimitGroup | undefined {
  return GROUPS_BY_ID.get(id);
}

// Requests name the same few models again and again; the answer is remembered (bounded).
const GROUP_OF_MODEL_LIMIT = 1_000;
const groupOfModelCache = new Map<string, string>();

/** The id of the model group `model` belongs to (dated versions and aliases by their prefix). */
export function modelGroupOf(model: string): string {
  let id = groupOfModelCache.get(model);
  if (id === undefined) {
    id =
      GROUPS.find((group) => group.prefixes?.some((prefix) => model.startsWith(prefix)))?.id ??
      OTHER_MODELS_GROUP_ID;
    if (groupOfModelCache.size >= GROUP_OF_MODEL_LIMIT) {
      groupOfModelCache.clear();
    }
    groupOfModelCache.set(model, id);
  }
  return id;
}

/** The organization's entry id for a group: `rl_` and 24 hex digits of a hash of both ids. */
export function rateLimitIdOf(organizationId: string, groupId: string): string {
  const digest = createHash("sha256").update(`${organizationId}\0${groupId}`).digest("hex");
  return `rl_${digest.slice(0, 24)}`;
}
