import { type Command, InvalidArgumentError, Option } from "commander";
import type { z } from "zod";
import { UsageError } from "./errors.js";
import {
  objectShape,
  type Scalar,
  type Schema,
  type Shape,
  shapeOf,
  type Unwrapped,
  unwrap,
} from "./zod-shape.js";

/**
 * CLI flags derived from the contract's zod request schemas: names (`--kebab-case`, nested objects
 * as dotted flags such as `--usage-limits.monthly-spend-usd`), value types with coercion, enums
 * (commander choices), descriptions and required-ness. The body built from the flags is then
 * checked against the same schema before anything is sent, so a bad value is a usage error that
 * names its flag.
 */

const kebab = (key: string) => key.replaceAll("_", "-");

function coerceScalar(scalar: Scalar, raw: string, flag: string): unknown {
  switch (scalar.kind) {
    case "string":
      return raw;
    case "number": {
      const n = Number(raw);
      if (raw.trim() === "" || !Number.isFinite(n)) {
        throw new InvalidArgumentError(`${flag} expects a number, not ${JSON.stringify(raw)}`);
      }
      return n;
    }
    case "boolean":
      if (raw === "true" || raw === "false") {
        return raw === "true";
      }
      throw new InvalidArgumentError(`${flag} expects true or false`);
    case "choice":
      if (!scalar.choices.includes(raw)) {
        throw new InvalidArgumentError(
          `${flag} expects one of ${scalar.choices.join(", ")}, not ${JSON.stringify(raw)}`,
        );
      }
      return raw;
  }
}

const splitList = (raw: string) =>
  raw.trim() === ""
    ? []
    : raw
        .split(",")
        .map((s) => s.trim())
        .filter((s) => s !== "");

/** One derived flag. */
export interface DerivedFlag {
  /** The field's path in the request body. */
  path: string[];
  /** `--usage-limits.monthly-spend-usd` */
  flag: string;
  /** commander's attribute name for it. */
  attribute: string;
  required: boolean;
}

export interface FlagSet {
  schema: z.ZodType;
  flags: DerivedFlag[];
}

export interface DeriveOptions {
  /** Top-level fields not to derive (given as arguments, or by hand-written flags). */
  omit?: string[];
  /** Descriptions to use instead of (or where there is none in) the contract, by dotted path. */
  describe?: Record<string, string>;
  /** Make every field optional (a field given another way). */
  allOptional?: boolean;
  /** Fields (dotted paths) derived as optional although the contract requires them. */
  optional?: string[];
  /** Say that `null` clears a nullable field (updates). */
  nullClears?: boolean;
}

function valueName(shape: Shape, leaf: string): string {
  switch (shape.kind) {
    case "number":
      return leaf.endsWith("usd") ? "usd" : "n";
    case "boolean":
      return "true|false";
    case "choice":
      return shape.choices.length <= 4 ? shape.choices.join("|") : leaf;
    case "array":
    case "literal-or-array":
      return "list";
    case "record":
      return "key=value";
    case "json":
      return "json";
    default:
      return leaf.replaceAll("_", "-");
  }
}

function describeFlag(
  shape: Shape,
  field: Unwrapped,
  path: string[],
  options: DeriveOptions,
  required: boolean,
): string {
  const dotted = path.join(".");
  const parts = [
    options.describe?.[dotted] ??
      field.description ??
      path.map((p) => p.replaceAll("_", " ")).join(": "),
  ];
  if (required) {
    parts.push("(required)");
  }
  if (shape.kind === "array" || shape.kind === "literal-or-array") {
    parts.push("(comma-separated or repeated; empty for none)");
    if (shape.item.kind === "choice") {
      parts.push(`of ${shape.item.choices.join(", ")}`);
    }
    if (shape.kind === "literal-or-array") {
      parts.push(`, or ${shape.literals.join(" or ")}`);
    }
  } else if (shape.kind === "record") {
    parts.push(`(repeatable${shape.nullableValue ? "; key=null removes a key" : ""})`);
  } else if (shape.kind === "json") {
    parts.push("(JSON)");
  }
  if (field.nullable && options.nullClears && shape.kind !== "record") {
    parts.push("(null to clear)");
  }
  if (field.hasDefault && field.defaultValue !== undefined) {
    parts.push(`(default: ${String(field.defaultValue)})`);
  }
  return parts
    .filter((p) => p !== "")
    .join(" ")
    .replaceAll(" ,", ",");
}

/** `null` given for a nullable flag (commander turns a parser's `null` into `""`). */
const NULL = Symbol("null");

function parserFor(shape: Shape, nullable: boolean, flag: string) {
  return (raw: string, previous: unknown): unknown => {
    if (nullable && raw === "null") {
      return NULL;
    }
    switch (shape.kind) {
      case "array": {
        const before = Array.isArray(previous) ? previous : [];
        return [...before, ...splitList(raw).map((v) => coerceScalar(shape.item, v, flag))];
      }
      case "literal-or-array": {
        if (shape.literals.includes(raw)) {
          return raw;
        }
        const before = Array.isArray(previous) ? previous : [];
        return [...before, ...splitList(raw).map((v) => coerceScalar(shape.item, v, flag))];
      }
      case "record": {
        const at = raw.indexOf("=");
        if (at <= 0) {
          throw new InvalidArgumentError(`${flag} expects key=value`);
        }
        const key = raw.slice(0, at);
        const value = raw.slice(at + 1);
        const before = previous && typeof previous === "object" ? previous : {};
        return { ...before, [key]: shape.nullableValue && value === "null" ? null : value };
      }
      case "json":
        try {
          return JSON.parse(raw);
        } catch {
          throw new InvalidArgumentError(`${flag} expects JSON`);
        }
      default:
        return coerceScalar(shape, raw, flag);
    }
  };
}

/** The schema that checks the flags' body: the omitted fields are given another way. */
function withoutOmitted(schema: z.ZodType, omit: string[] | undefined): z.ZodType {
  const object = schema as unknown as { omit?: (mask: Record<string, true>) => z.ZodType };
  if (!omit || omit.length === 0 || typeof object.omit !== "function") {
    return schema;
  }
  try {
    return object.omit(Object.fromEntries(omit.map((key) => [key, true as const])));
  } catch {
    // zod refuses .omit() on an object with refinements: check the whole body instead.
    return schema;
  }
}

/** Registers a flag on `command` for each field of the zod object `schema`. */
export function addSchemaFlags(
  command: Command,
  schema: z.ZodType,
  options: DeriveOptions = {},
): FlagSet {
  const root = objectShape(unwrap(schema as unknown as Schema).schema);
  if (!root) {
    throw new Error("addSchemaFlags needs an object schema");
  }
  const flags: DerivedFlag[] = [];
  const walk = (shape: Record<string, Schema>, path: string[], parentRequired: boolean) => {
    for (const [key, fieldSchema] of Object.entries(shape)) {
      if (path.length === 0 && options.omit?.includes(key)) {
        continue;
      }
      const field = unwrap(fieldSchema);
      const fieldPath = [...path, key];
      const dotted = fieldPath.join(".");
      const required =
        parentRequired &&
        !field.optional &&
        !field.hasDefault &&
        !options.allOptional &&
        !options.optional?.includes(dotted);
      const nested = objectShape(field.schema);
      if (nested) {
        walk(nested, fieldPath, required);
        continue;
      }
      const shape = shapeOf(field.schema);
      const flag = `--${fieldPath.map(kebab).join(".")}`;
      const option = new Option(
        `${flag} <${valueName(shape, key)}>`,
        describeFlag(shape, field, fieldPath, options, required),
      ).argParser(parserFor(shape, field.nullable, flag));
      if (required) {
        option.makeOptionMandatory();
      }
      command.addOption(option);
      flags.push({ path: fieldPath, flag, attribute: option.attributeName(), required });
    }
  };
  walk(root, [], true);
  return { schema: withoutOmitted(schema, options.omit), flags };
}

/** The request body the flags given describe (flags not given are left out). */
export function bodyFromFlags(
  set: FlagSet,
  opts: Record<string, unknown>,
): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const flag of set.flags) {
    const value = opts[flag.attribute];
    if (value === undefined) {
      continue;
    }
    let target = body;
    for (const key of flag.path.slice(0, -1)) {
      const next = target[key];
      if (next && typeof next === "object") {
        target = next as Record<string, unknown>;
      } else {
        const created: Record<string, unknown> = {};
        target[key] = created;
        target = created;
      }
    }
    target[flag.path.at(-1) as string] = value === NULL ? null : value;
  }
  return body;
}

/** The flag (or field path) a zod issue path points at, for messages. */
export function flagForPath(set: FlagSet | undefined, path: readonly PropertyKey[]): string {
  const keys = path.map(String);
  for (let n = keys.length; n > 0; n--) {
    const prefix = keys.slice(0, n).join(".");
    const found = set?.flags.find((f) => f.path.join(".") === prefix);
    if (found) {
      return [found.flag, ...keys.slice(n)].join(".");
    }
  }
  return keys.length === 0 ? "the request" : keys.join(".");
}

/**
 * Checks `body` against the contract before it is sent; a violation is a usage error naming the
 * flag. The body itself is sent as built (the server applies its own transforms).
 */
export function checkBody(
  set: FlagSet | undefined,
  schema: z.ZodType,
  body: unknown,
): Record<string, unknown> {
  const result = schema.safeParse(body);
  if (!result.success) {
    const messages = result.error.issues.map(
      (issue) => `${flagForPath(set, issue.path)}: ${issue.message}`,
    );
    throw new UsageError(messages.join("; "));
  }
  return body as Record<string, unknown>;
}

/** Derives, parses and checks in one: the body for `opts`. */
/**
 * The request body the flags describe, checked against the set's contract schema (a usage error
 * naming the flag otherwise). `T` is the SDK's type of that request, generated from the same
 * schema.
 */
export function bodyOf<T extends object = Record<string, unknown>>(
  set: FlagSet,
  opts: Record<string, unknown>,
): T {
  return checkBody(set, set.schema, bodyFromFlags(set, opts)) as T;
}

/** An update needs at least one flag. */
export function requireSome<T extends object>(set: FlagSet, body: T): T {
  if (Object.keys(body).length === 0) {
    throw new UsageError(
      `nothing to change: give at least one of ${set.flags.map((f) => f.flag).join(", ")}`,
    );
  }
  return body;
}
