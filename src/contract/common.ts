import { z } from "zod";

/** RFC 3339 timestamps, as the Anthropic API writes them. */
export const Timestamp = z
  .string()
  .meta({ format: "date-time", example: "2025-04-28T10:00:00.000Z" });

/** A timestamp in a request: RFC 3339 with `Z` or an offset, any sub-second precision. */
export const TimestampInput = z.iso.datetime({ offset: true });

/** A boolean query parameter: `true`/`false` (also `1`/`0`), never JavaScript's truthiness. */
export const BooleanParam = z
  .enum(["true", "false", "1", "0"])
  .transform((v) => v === "true" || v === "1");

/**
 * An array query parameter. The official SDK sends `roles[]=a&roles[]=b`; the HTTP layer folds
 * `name[]` into `name`, and a lone value arrives as a string.
 */
export function ArrayParam<T extends z.ZodType<string>>(item: T) {
  return z
    .union([item, z.array(item)])
    .transform((v): z.output<T>[] => (Array.isArray(v) ? v : [v]) as z.output<T>[]);
}

export const Id = z.string().min(1).max(100);

// C0 control characters (CR, LF, NUL, tab, escape...) and DEL. A name carrying them could forge
// lines in logs, CSV exports, alert messages and emails, or end a header early.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
const NO_CONTROL_CHARACTERS = /^[^\u0000-\u001f\u007f]*$/;
export const CONTROL_CHARACTERS_MESSAGE = "must not contain control characters (CR, LF, NUL, tab)";

/** True when `text` holds a C0 control character or DEL: the rule of `Text`, for services. */
export function hasControlCharacter(text: string): boolean {
  return CONTROL_CHARACTER.test(text);
}

/**
 * A name or other free text people read (organization, workspace, key, rule, member): trimmed,
 * 1 to `max` characters, control characters refused wherever they are (checked before the trim,
 * so a trailing newline is refused rather than silently dropped).
 */
export function Name(max: number) {
  return z.string().regex(NO_CONTROL_CHARACTERS, CONTROL_CHARACTERS_MESSAGE).trim().min(1).max(max);
}

/** Free text kept as sent (tag values, model names of ingested usage): control characters refused. */
export function Text(min: number, max: number) {
  return z.string().regex(NO_CONTROL_CHARACTERS, CONTROL_CHARACTERS_MESSAGE).min(min).max(max);
}

export const ListQuery = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(20)
    .describe("Page size, 1 to 1000 (default 20)"),
  after_id: Id.optional().describe("Return the page after this object"),
  before_id: Id.optional().describe("Return the page before this object"),
});
export type ListQuery = z.output<typeof ListQuery>;

/** The order of a list that takes one: oldest first unless asked otherwise. */
export const ListOrder = z
  .enum(["asc", "desc"])
  .default("asc")
  .describe(
    "asc: oldest first (the default); desc: newest first. `after_id` pages on in this order",
  );

export function Page<T extends z.ZodType>(item: T) {
  return z.object({
    data: z.array(item),
    has_more: z.boolean(),
    first_id: z.string().nullable(),
    last_id: z.string().nullable(),
  });
}

export { ErrorEnvelope, errorResponses } from "./errors.js";

/** Dollar amounts: stored as integer micro-USD, so at most six decimals are kept. */
export const Usd = z.number().finite().min(0).max(1e12);

/**
 * Paging by an opaque cursor, as Anthropic's newer Admin API resources do (the official SDK's
 * `PageCursor`): `limit` items, then the `next_page` token of the previous answer as `page`.
 */
export const CursorListQuery = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(20)
    .describe("Page size, 1 to 1000 (default 20)"),
  page: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe("The `next_page` token of the previous answer"),
});
export type CursorListQuery = z.output<typeof CursorListQuery>;

/** `{data, next_page}`: `next_page` is null on the last page. */
export function CursorPage<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), next_page: z.string().nullable() });
}
