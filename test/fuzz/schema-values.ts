/**
 * Values for the fuzz suite (test/fuzz.test.ts) drawn from the JSON Schemas of `/openapi.json`:
 * mostly valid ones, so that the hostile mutations applied afterwards reach past the first check.
 *
 * Only what the contract's zod-derived schemas use is understood ($ref, const, enum, anyOf/oneOf,
 * object, array, string with format/pattern/length, integer and number with bounds, boolean,
 * null). Identifiers and URLs are not random: an `*_id` field takes an id of a resource that
 * exists (the pool the caller passes), a URL points at the local sink, so a valid request does
 * something and nothing leaves the machine.
 */
import fc from "fast-check";

export type JsonSchema = Record<string, any>;

export interface OpenApiDoc {
  paths: Record<string, Record<string, any>>;
  components: { schemas: Record<string, JsonSchema> };
}

export interface ValueContext {
  doc: OpenApiDoc;
  /** Ids of existing resources fit for a field of this name, read when a value is drawn. */
  ids: (field: string) => readonly string[];
  /** One-time invite tokens, for `token` fields. */
  tokens: () => readonly string[];
  /** A URL that answers every request (the alert channels' sink). */
  sinkUrl: string;
}

const DEFAULT_STRING_LENGTH = 24;
const MAX_ARRAY_ITEMS = 3;
const MAX_DEPTH = 6;

export function resolve(doc: OpenApiDoc, schema: JsonSchema): JsonSchema {
  let current = schema;
  for (let hops = 0; typeof current.$ref === "string" && hops < 10; hops++) {
    const name = current.$ref.replace(/^#\/components\/schemas\//, "");
    const target = doc.components.schemas[name];
    if (target === undefined) {
      throw new Error(`unresolved $ref ${current.$ref}`);
    }
    current = target;
  }
  return current;
}

/** One of the pool's entries, chosen by index when the value is drawn (the pool grows). */
function fromPool(pool: () => readonly string[], fallback: string): fc.Arbitrary<string> {
  return fc.nat().map((i) => {
    const items = pool();
    return items.length === 0 ? fallback : (items[i % items.length] as string);
  });
}

const dateTimes = fc
  .integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2027, 0, 1) })
  .map((ms) => new Date(ms).toISOString());

const emails = fc
  .tuple(fc.stringMatching(/^[a-z][a-z0-9]{0,11}$/), fc.nat({ max: 9999 }))
  .map(([name, n]) => `${name}+${n}@example.com`);

function stringValue(schema: JsonSchema, name: string, ctx: ValueContext): fc.Arbitrary<string> {
  if (name === "token") {
    return fromPool(ctx.tokens, "invite-token-that-does-not-exist");
  }
  if (/(^|_)id$/.test(name)) {
    return fromPool(() => ctx.ids(name), "id_missing");
  }
  switch (schema.format) {
    case "date-time":
      return dateTimes;
    case "date":
      return dateTimes.map((text) => text.slice(0, 10));
    case "email":
      return emails;
    case "uri":
      return fc.nat({ max: 999 }).map((n) => `${ctx.sinkUrl}/hook/${n}`);
  }
  if (name === "email" || name === "to") {
    return emails;
  }
  const minLength: number = schema.minLength ?? 0;
  const maxLength: number = Math.max(
    minLength,
    Math.min(schema.maxLength ?? DEFAULT_STRING_LENGTH, DEFAULT_STRING_LENGTH),
  );
  if (typeof schema.pattern === "string") {
    const pattern = new RegExp(schema.pattern);
    // fast-check draws short matches; one repeated up to minLength still matches the contract's
    // patterns (a character class repeated), where filtering for length would spin for ever.
    const longest: number = schema.maxLength ?? Number.POSITIVE_INFINITY;
    return fc.stringMatching(pattern).map((text) => {
      const long =
        text.length >= minLength || text === ""
          ? text
          : text
              .repeat(Math.ceil(minLength / text.length))
              .slice(0, Math.max(minLength, maxLength));
      return pattern.test(long) && long.length >= minLength && long.length <= longest
        ? long
        : fallbackFor(schema);
    });
  }
  return fc.string({ minLength, maxLength, unit: "grapheme-ascii" });
}

/** A string of the schema's length made of a pattern's safest guess: printable ASCII. */
function fallbackFor(schema: JsonSchema): string {
  return "x".repeat(Math.max(1, schema.minLength ?? 1));
}

function numberValue(schema: JsonSchema): fc.Arbitrary<number> {
  const integer = schema.type === "integer";
  let min: number | undefined = schema.minimum;
  if (typeof schema.exclusiveMinimum === "number") {
    min = integer ? schema.exclusiveMinimum + 1 : schema.exclusiveMinimum + 1e-6;
  }
  const max: number | undefined = schema.maximum;
  // Mostly small values (the interesting range of a limit or a count), sometimes the bounds.
  const low = min ?? -1000;
  const high = Math.min(max ?? 1_000_000, Math.max(low, 1_000_000));
  const edges = [min, max].filter((v): v is number => v !== undefined);
  const body = integer
    ? fc.integer({ min: Math.ceil(low), max: Math.floor(high) })
    : fc.double({ min: low, max: high, noNaN: true, noDefaultInfinity: true });
  return edges.length > 0
    ? fc.oneof({ weight: 5, arbitrary: body }, fc.constantFrom(...edges))
    : body;
}

/** A value the schema accepts (as far as its keywords go), drawn with `name` as a hint. */
export function schemaValue(
  ctx: ValueContext,
  input: JsonSchema,
  name = "",
  depth = 0,
): fc.Arbitrary<unknown> {
  const schema = resolve(ctx.doc, input);
  if ("const" in schema) {
    return fc.constant(schema.const);
  }
  if (Array.isArray(schema.enum)) {
    return fc.constantFrom(...(schema.enum as unknown[]));
  }
  const choices = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (choices !== undefined) {
    return fc.oneof(...choices.map((choice) => schemaValue(ctx, choice, name, depth)));
  }
  if (Array.isArray(schema.type)) {
    return fc.oneof(
      ...(schema.type as string[]).map((type) =>
        schemaValue(ctx, { ...schema, type }, name, depth),
      ),
    );
  }
  switch (schema.type) {
    case "string":
      return stringValue(schema, name, ctx);
    case "integer":
    case "number":
      return numberValue(schema);
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    case "array": {
      const minLength: number = schema.minItems ?? 0;
      const maxLength = Math.max(
        minLength,
        Math.min(schema.maxItems ?? MAX_ARRAY_ITEMS, MAX_ARRAY_ITEMS),
      );
      const items =
        schema.items === undefined || Object.keys(schema.items).length === 0
          ? anyJson(depth)
          : schemaValue(ctx, schema.items, singular(name), depth + 1);
      return depth > MAX_DEPTH ? fc.constant([]) : fc.array(items, { minLength, maxLength });
    }
    case "object":
    case undefined: {
      if (schema.type === undefined && schema.properties === undefined) {
        return anyJson(depth);
      }
      const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
      const required = new Set<string>(schema.required ?? []);
      const shape: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, property] of Object.entries(properties)) {
        shape[key] = schemaValue(ctx, property, key, depth + 1);
      }
      const record = fc.record(shape, {
        requiredKeys: [...required].filter((key) => key in shape),
      });
      const extra = schema.additionalProperties;
      if (extra === null || typeof extra !== "object" || depth > MAX_DEPTH) {
        return record;
      }
      // A map (`tags`): some entries of its own, named as propertyNames says.
      const keys = schemaValue(
        ctx,
        schema.propertyNames ?? { type: "string", minLength: 1 },
        "key",
        depth + 1,
      );
      const entries = fc.dictionary(
        keys as fc.Arbitrary<string>,
        schemaValue(ctx, extra, "", depth + 1),
        {
          maxKeys: MAX_ARRAY_ITEMS,
        },
      );
      return fc.tuple(record, entries).map(([fixed, more]) => ({ ...more, ...fixed }));
    }
    default:
      return anyJson(depth);
  }
}

function singular(name: string): string {
  return name === "ids" || name.endsWith("_ids") ? name.slice(0, -1) : name;
}

function anyJson(depth: number): fc.Arbitrary<unknown> {
  return depth > MAX_DEPTH ? fc.constant(null) : fc.jsonValue({ maxDepth: 2 });
}
