/**
 * What the reference says about an operation beyond its schemas. Each resource's module holds the
 * text of its operations, keyed by operation id; src/http/routes/docs/index.ts puts it into the
 * document, and adds what the document already knows (retries, paging) in the same words
 * everywhere.
 */
export interface OperationDoc {
  /** Short and imperative: "List members". */
  summary: string;
  /** What it does, and what else it changes. */
  description: string;
  /** Who may call it, when that is narrower or wider than any admin key of the organization. */
  access?: string;
  /** The audit actions written in the change's transaction; none for reads. */
  audit?: readonly string[];
  /** The request body's example, for operations that take one. */
  request?: unknown;
  /** The 200 response's example. */
  response: unknown;
  /** The credentials it takes, when not an admin key or session (src/http/routes/docs/index.ts). */
  security?: Array<Record<string, string[]>>;
}

export type OperationDocs = Readonly<Record<string, OperationDoc>>;

/**
 * The same operation on Anthropic's Admin API path, which the official SDK calls: its summary says
 * so, its description names the Steward path it shares data and code with.
 */
export function onAnthropicPath(
  doc: OperationDoc,
  stewardRoute: string,
  changes: Partial<OperationDoc> = {},
): OperationDoc {
  const merged = { ...doc, ...changes };
  return {
    ...merged,
    summary: `${merged.summary} (Anthropic's path)`,
    description: `The same operation as \`${stewardRoute}\`, on the same data, under Anthropic's Admin API paths (\`/v1/organizations/…\`), which the official SDK calls.\n\n${merged.description}`,
  };
}

/** A list answer: `{data, has_more, first_id, last_id}` over `items`, keyed by `idOf`. */
export function pageOf<T>(items: T[], idOf: (item: T) => string, hasMore = false) {
  return {
    data: items,
    has_more: hasMore,
    first_id: items.length > 0 ? idOf(items[0] as T) : null,
    last_id: items.length > 0 ? idOf(items[items.length - 1] as T) : null,
  };
}

export const byId = (item: { id: string }) => item.id;

/**
 * The parts of an OpenAPI 3.1 document this module reads and writes, kept loose: every object
 * stays open to the keywords it does not name (openapi-types' own are too strict for
 * `exactOptionalPropertyTypes`).
 */
export interface MediaType {
  schema?: unknown;
  example?: unknown;
  [keyword: string]: unknown;
}

export interface Operation {
  operationId?: string;
  tags?: string[];
  summary?: string;
  description?: string;
  parameters?: Array<{ in: string; name: string; [keyword: string]: unknown }>;
  requestBody?: { content?: Record<string, MediaType>; [keyword: string]: unknown };
  responses?: Record<string, { content?: Record<string, MediaType>; [keyword: string]: unknown }>;
  security?: Array<Record<string, string[]>>;
  [keyword: string]: unknown;
}

export const METHODS = ["get", "post", "put", "patch", "delete"] as const;

export type PathItem = { [M in (typeof METHODS)[number]]?: Operation } & {
  [keyword: string]: unknown;
};

export type Paths = Record<string, PathItem>;

export interface OpenApiDocument {
  info: { title: string; version: string; description?: string };
  paths: Paths;
  components?: { schemas?: Record<string, unknown>; [keyword: string]: unknown };
  [keyword: string]: unknown;
}
