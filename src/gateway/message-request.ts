import { byteLengthOf, parseJsonBytes, textOf } from "./json-bytes.js";

/** What admission and metering read of a `/v1/messages` request body. */
export interface MessageRequest {
  model: string;
  maxTokens: number;
  stream: boolean;
  webSearches: number;
  /** The input bound: the body's bytes, base64 images at their token ceiling, referenced content's ceiling. */
  inputBytes: number;
}

// Upper bounds for content the body only points at, or that the upstream fetches itself:
// Anthropic scales an image to at most ~1.15 megapixels (about 1,600 tokens), a PDF holds at most
// 100 pages (about 3,000 tokens each, text plus page image), and a web fetch without
// max_content_tokens is bounded at 100,000 tokens a use.
const IMAGE_TOKEN_CEILING = 1600;
const DOCUMENT_TOKEN_CEILING = 300_000;
const WEB_FETCH_TOKEN_CEILING = 100_000;
// Content blocks nest a few levels (a tool result's blocks, a document's); a body nested deeper is
// not one the upstream accepts, and following it would overflow the stack.
const MAX_CONTENT_DEPTH = 16;

/**
 * Input tokens a request may bring beyond its own text, and the base64 bytes that stand for
 * images (counting those bytes as tokens would reserve hundreds of times their cost).
 */
function referencedContent(fields: Record<string, unknown>): {
  base64ImageBytes: number;
  extraTokens: number;
} {
  const found = { base64ImageBytes: 0, extraTokens: 0 };
  const visit = (blocks: unknown, depth: number) => {
    if (!Array.isArray(blocks) || depth > MAX_CONTENT_DEPTH) {
      return;
    }
    for (const block of blocks as Array<Record<string, unknown> | null>) {
      // Any JSON may stand where a source should: `null` included.
      const source = block?.source as Record<string, unknown> | null | undefined;
      if (block?.type === "image" && source !== undefined) {
        if (source?.type === "base64" && typeof source.data === "string") {
          found.base64ImageBytes += byteLengthOf(source.data);
        }
        found.extraTokens += IMAGE_TOKEN_CEILING;
      } else if (
        block?.type === "document" &&
        source !== undefined &&
        source?.type !== "base64" &&
        source?.type !== "text"
      ) {
        found.extraTokens += DOCUMENT_TOKEN_CEILING; // a URL or an uploaded file
      }
      visit(block?.content, depth + 1); // tool results and documents nest content blocks
    }
  };
  if (Array.isArray(fields.messages)) {
    for (const message of fields.messages as Array<Record<string, unknown> | null>) {
      visit(message?.content, 1);
    }
  }
  visit(fields.system, 1);
  if (Array.isArray(fields.tools)) {
    for (const tool of fields.tools as Array<Record<string, unknown> | null>) {
      if (typeof tool?.type === "string" && tool.type.startsWith("web_fetch")) {
        const uses = typeof tool.max_uses === "number" && tool.max_uses > 0 ? tool.max_uses : 10;
        const perUse =
          typeof tool.max_content_tokens === "number" && tool.max_content_tokens > 0
            ? tool.max_content_tokens
            : WEB_FETCH_TOKEN_CEILING;
        found.extraTokens += uses * perUse;
      }
    }
  }
  return found;
}

/**
 * A model id as upstreams name models (`claude-sonnet-4-5`, `org/model:tag`, in any script): no
 * whitespace or control characters, at most 2 KiB of UTF-8. The id is stored with the request's
 * usage and indexed in the rollups: NUL (which PostgreSQL's text refuses), a line break or a
 * name past an index entry's size would fail that write, not the request.
 */
const MODEL_ID = /^[^\s\p{Cc}]+$/u;
const MODEL_ID_MAX_BYTES = 2048;

function isModelId(model: string): boolean {
  // A UTF-16 unit is at most 3 bytes of UTF-8: most ids are measured by their length alone.
  return (
    MODEL_ID.test(model) &&
    (model.length <= MODEL_ID_MAX_BYTES / 3 || Buffer.byteLength(model) <= MODEL_ID_MAX_BYTES)
  );
}

/**
 * The request's model, limits and input bound, or what is wrong with it (a 400's message).
 *
 * Of a large body, long strings are not decoded (src/gateway/json-bytes.ts): the types compared
 * here are short, and one that is long matches none of them, as it matches no type the upstream
 * knows either. The model is read whole, however long.
 */
export function readMessageRequest(body: Buffer): MessageRequest | string {
  let fields: Record<string, unknown>;
  let model: unknown;
  try {
    const parsed = parseJsonBytes(body, (read) => [read.model]);
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
      return "body: expected a JSON object";
    }
    fields = parsed as Record<string, unknown>;
    model = textOf(body, fields.model);
  } catch {
    return "body: malformed JSON";
  }
  if (typeof model !== "string" || model === "") {
    return "body.model: required string";
  }
  if (!isModelId(model)) {
    return "body.model: must be a model id (no whitespace or control characters, at most 2048 bytes)";
  }
  const maxTokens = fields.max_tokens;
  if (typeof maxTokens !== "number" || !Number.isInteger(maxTokens) || maxTokens < 1) {
    return "body.max_tokens: required positive integer";
  }
  let webSearches = 0;
  if (Array.isArray(fields.tools)) {
    for (const tool of fields.tools as Array<Record<string, unknown> | null>) {
      if (typeof tool?.type === "string" && tool.type.startsWith("web_search")) {
        webSearches += typeof tool.max_uses === "number" && tool.max_uses > 0 ? tool.max_uses : 10;
      }
    }
  }
  const referenced = referencedContent(fields);
  return {
    model,
    maxTokens,
    stream: fields.stream === true,
    webSearches,
    inputBytes: body.length - referenced.base64ImageBytes + referenced.extraTokens,
  };
}
