/**
 * What the official SDK declares a method answers, checked against a value at run time: the
 * method's declared return type is read from `@anthropic-ai/sdk`'s .d.ts files with the
 * TypeScript checker (`Awaited<ReturnType<typeof client.organization.apiKeys.list>>`), and a value
 * conforms when every declared field is present (optional ones may be left out) with its type:
 * strings, numbers, booleans, null, literals and unions of them, arrays, records and objects.
 * Methods and non-public members (a page's client and options) are not part of an answer.
 */
import { fileURLToPath } from "node:url";
import ts from "typescript";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const ENTRY = `${ROOT}test/__sdk_declared_types__.ts`;
const MAX_DEPTH = 16;

export interface DeclaredTypes {
  /** The problems of `value` against what `call` (`organization.users.list`) is declared to answer. */
  problemsOf(call: string, value: unknown): string[];
  /** The declared answer of `call`, as TypeScript writes it. */
  describe(call: string): string;
}

/** One program over the SDK's declarations for all the calls given, built once. */
export function loadDeclaredTypes(calls: readonly string[]): DeclaredTypes {
  const aliases = calls.map((call, i) => [call, `T${i}`] as const);
  const source = [
    'import type Anthropic from "@anthropic-ai/sdk";',
    "declare const client: Anthropic;",
    ...aliases.map(
      ([call, alias]) => `export type ${alias} = Awaited<ReturnType<typeof client.${call}>>;`,
    ),
  ].join("\n");
  const options: ts.CompilerOptions = {
    strict: true,
    exactOptionalPropertyTypes: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    skipLibCheck: true,
    noEmit: true,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = (name) => (name === ENTRY ? source : readFile(name));
  host.fileExists = (
    (exists) => (name: string) =>
      name === ENTRY || exists(name)
  )(host.fileExists.bind(host));
  host.getSourceFile = (name, version, onError, create) =>
    name === ENTRY
      ? ts.createSourceFile(name, source, version)
      : getSourceFile(name, version, onError, create);
  const program = ts.createProgram([ENTRY], options, host);
  const entry = program.getSourceFile(ENTRY);
  if (entry === undefined) {
    throw new Error("the declared-types entry did not compile");
  }
  const errors = ts.getPreEmitDiagnostics(program, entry);
  if (errors.length > 0) {
    throw new Error(
      errors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n")).join("\n"),
    );
  }
  const checker = program.getTypeChecker();
  const types = new Map<string, ts.Type>();
  for (const statement of entry.statements) {
    if (ts.isTypeAliasDeclaration(statement)) {
      const call = aliases.find(([, alias]) => alias === statement.name.text)?.[0];
      if (call !== undefined) {
        types.set(call, checker.getTypeAtLocation(statement.name));
      }
    }
  }
  const typeOf = (call: string): ts.Type => {
    const type = types.get(call);
    if (type === undefined) {
      throw new Error(`${call} was not loaded`);
    }
    return type;
  };
  return {
    problemsOf: (call, value) => {
      const problems: string[] = [];
      check(checker, value, typeOf(call), "response", problems, 0);
      return problems;
    },
    describe: (call) => checker.typeToString(typeOf(call)),
  };
}

function isAnswerField(symbol: ts.Symbol): boolean {
  if (symbol.flags & (ts.SymbolFlags.Method | ts.SymbolFlags.Accessor)) {
    return false;
  }
  // ES private fields: `#private` in declarations, `__#…` in sources.
  if (symbol.name.startsWith("#") || symbol.name.startsWith("__#")) {
    return false;
  }
  return !(symbol.declarations ?? []).some(
    (d) =>
      ts.getCombinedModifierFlags(d) &
        (ts.ModifierFlags.Private | ts.ModifierFlags.Protected | ts.ModifierFlags.Static) ||
      // A property whose type is a function is a method in all but name.
      (ts.isPropertyDeclaration(d) && d.type !== undefined && ts.isFunctionTypeNode(d.type)),
  );
}

function check(
  checker: ts.TypeChecker,
  value: unknown,
  type: ts.Type,
  path: string,
  problems: string[],
  depth: number,
): void {
  if (depth > MAX_DEPTH) {
    return;
  }
  const expected = () => `${path}: expected ${checker.typeToString(type)}, got ${show(value)}`;
  const flags = type.flags;
  if (flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) {
    return;
  }
  if (type.isUnion()) {
    const fits = type.types.some((member) => {
      const inner: string[] = [];
      check(checker, value, member, path, inner, depth + 1);
      return inner.length === 0;
    });
    if (!fits) {
      problems.push(expected());
    }
    return;
  }
  if (type.isIntersection()) {
    for (const member of type.types) {
      check(checker, value, member, path, problems, depth + 1);
    }
    return;
  }
  if (type.isStringLiteral() || type.isNumberLiteral()) {
    if (value !== type.value) {
      problems.push(expected());
    }
    return;
  }
  if (flags & ts.TypeFlags.BooleanLiteral) {
    if (value !== (checker.typeToString(type) === "true")) {
      problems.push(expected());
    }
    return;
  }
  const primitive: Array<[ts.TypeFlags, (v: unknown) => boolean]> = [
    [ts.TypeFlags.String, (v) => typeof v === "string"],
    [ts.TypeFlags.Number, (v) => typeof v === "number" && Number.isFinite(v)],
    [ts.TypeFlags.Boolean, (v) => typeof v === "boolean"],
    [ts.TypeFlags.Null, (v) => v === null],
    [ts.TypeFlags.Undefined, (v) => v === undefined],
  ];
  for (const [flag, fits] of primitive) {
    if (flags & flag) {
      if (!fits(value)) {
        problems.push(expected());
      }
      return;
    }
  }
  if (!(flags & ts.TypeFlags.Object)) {
    problems.push(`${path}: cannot check the declared type ${checker.typeToString(type)}`);
    return;
  }
  if (checker.isArrayType(type) || checker.isTupleType(type)) {
    if (!Array.isArray(value)) {
      problems.push(expected());
      return;
    }
    const [item] = checker.getTypeArguments(type as ts.TypeReference);
    if (item !== undefined) {
      value.forEach((element, i) => {
        check(checker, element, item, `${path}[${i}]`, problems, depth + 1);
      });
    }
    return;
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    problems.push(expected());
    return;
  }
  const record = value as Record<string, unknown>;
  const declared = new Set<string>();
  for (const property of checker.getPropertiesOfType(type)) {
    if (!isAnswerField(property)) {
      continue;
    }
    declared.add(property.name);
    const optional = (property.flags & ts.SymbolFlags.Optional) !== 0;
    if (!(property.name in record)) {
      if (!optional) {
        problems.push(`${path}.${property.name}: missing`);
      }
      continue;
    }
    if (optional && record[property.name] === undefined) {
      continue;
    }
    check(
      checker,
      record[property.name],
      checker.getTypeOfSymbol(property),
      `${path}.${property.name}`,
      problems,
      depth + 1,
    );
  }
  const index = checker
    .getIndexInfosOfType(type)
    .find((info) => info.keyType.flags & ts.TypeFlags.String);
  if (index !== undefined) {
    for (const [key, element] of Object.entries(record)) {
      if (!declared.has(key)) {
        check(checker, element, index.type, `${path}.${key}`, problems, depth + 1);
      }
    }
  }
}

function show(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
