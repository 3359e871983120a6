/**
 * What the CLI reads of a zod 4 schema (`_zod.def`): the wrappers around a field (optional,
 * nullable, default, pipe) and the shape of its value, as a command-line flag can carry it.
 */

// zod 4 keeps a schema's structure in `_zod.def`; these are the parts read here.
export interface Def {
  type: string;
  innerType?: Schema;
  in?: Schema;
  element?: Schema;
  options?: Schema[];
  shape?: Record<string, Schema>;
  entries?: Record<string, string>;
  values?: unknown[];
  keyType?: Schema;
  valueType?: Schema;
  defaultValue?: unknown;
}
export interface Schema {
  _zod: { def: Def };
  description?: string;
}

export type Scalar =
  | { kind: "string" }
  | { kind: "number" }
  | { kind: "boolean" }
  | { kind: "choice"; choices: string[] };

export type Shape =
  | Scalar
  | { kind: "array"; item: Scalar }
  /** `unrestricted` or a list: a literal, else a comma-separated list. */
  | { kind: "literal-or-array"; literals: string[]; item: Scalar }
  | { kind: "record"; nullableValue: boolean }
  | { kind: "json" };

export interface Unwrapped {
  schema: Schema;
  optional: boolean;
  nullable: boolean;
  hasDefault: boolean;
  defaultValue?: unknown;
  description?: string;
}

export function def(schema: Schema): Def {
  return schema._zod.def;
}

/** Peels optional, nullable, default and pipe wrappers, keeping what they say. */
export function unwrap(schema: Schema): Unwrapped {
  const out: Unwrapped = { schema, optional: false, nullable: false, hasDefault: false };
  let current: Schema = schema;
  for (;;) {
    if (current.description !== undefined && out.description === undefined) {
      out.description = current.description;
    }
    const d = def(current);
    if ((d.type === "optional" || d.type === "nullable" || d.type === "default") && d.innerType) {
      if (d.type === "optional") {
        out.optional = true;
      } else if (d.type === "nullable") {
        out.nullable = true;
      } else {
        out.hasDefault = true;
        out.defaultValue = d.defaultValue;
      }
      current = d.innerType;
    } else if (d.type === "pipe" && d.in) {
      current = d.in;
    } else {
      out.schema = current;
      return out;
    }
  }
}

export function scalarOf(schema: Schema): Scalar | undefined {
  const { schema: inner } = unwrap(schema);
  const d = def(inner);
  switch (d.type) {
    case "string":
      return { kind: "string" };
    case "number":
      return { kind: "number" };
    case "boolean":
      return { kind: "boolean" };
    case "enum":
      return { kind: "choice", choices: Object.values(d.entries ?? {}) };
    case "literal":
      return (d.values ?? []).every((v) => typeof v === "string")
        ? { kind: "choice", choices: d.values as string[] }
        : undefined;
    default:
      return undefined;
  }
}

export function shapeOf(schema: Schema): Shape {
  const d = def(schema);
  const scalar = scalarOf(schema);
  if (scalar) {
    return scalar;
  }
  if (d.type === "array" && d.element) {
    const item = scalarOf(d.element);
    return item ? { kind: "array", item } : { kind: "json" };
  }
  if (d.type === "record" && d.valueType) {
    const value = unwrap(d.valueType);
    return scalarOf(value.schema)?.kind === "string"
      ? { kind: "record", nullableValue: value.nullable }
      : { kind: "json" };
  }
  if (d.type === "union" && d.options) {
    const options = d.options.map((o) => unwrap(o).schema);
    const arrays = options.filter((o) => def(o).type === "array");
    const scalars = options.filter((o) => def(o).type !== "array").map(scalarOf);
    const array = arrays[0];
    const item = array && def(array).element ? scalarOf(def(array).element as Schema) : undefined;
    if (arrays.length === 1 && item && scalars.every((s) => s !== undefined)) {
      // ArrayParam (`x` or `[x, …]`): a list. A literal beside a list (`unrestricted`): either.
      const literals = scalars.every((s) => s?.kind === "choice")
        ? (scalars as { kind: "choice"; choices: string[] }[]).flatMap((s) => s.choices)
        : [];
      const sameAsItem = item.kind === "choice" && literals.every((l) => item.choices.includes(l));
      return literals.length > 0 && !sameAsItem
        ? { kind: "literal-or-array", literals, item }
        : { kind: "array", item };
    }
  }
  return { kind: "json" };
}

export function objectShape(schema: Schema): Record<string, Schema> | undefined {
  const d = def(schema);
  return d.type === "object" ? d.shape : undefined;
}
