/**
 * Hostile input for the fuzz suite: strings that name prototype members or escape a path, numbers
 * past every bound, wrong types, prototype keys, deep nesting, and the mutations that put them into
 * an otherwise valid body.
 */
import fc from "fast-check";

/** Names that a plain-object lookup finds on Object.prototype. */
export const PROTOTYPE_NAMES = [
  "constructor",
  "__proto__",
  "toString",
  "hasOwnProperty",
  "valueOf",
  "isPrototypeOf",
  "prototype",
  "__defineGetter__",
];

export const HOSTILE_STRINGS: readonly string[] = [
  ...PROTOTYPE_NAMES,
  "",
  " ",
  "\t",
  "..",
  "../../etc/passwd",
  "..%2F..%2Fetc",
  "%C0%AF",
  "%00",
  "\u0000",
  "a\u0000b",
  "\u0007\u001b[31mred\u001b[0m",
  "line\r\nX-Injected: 1",
  "\u202eevil",
  "\u200b",
  "\ud800",
  "\udfff\ud800",
  "😀👩‍👩‍👧",
  "Ωμέγα",
  "null",
  "undefined",
  "NaN",
  "Infinity",
  "-1",
  "1e21",
  "0x1f",
  "' OR '1'='1' --",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template injection probe, meant literally
  "${7*7}{{7*7}}",
  "<script>alert(1)</script>",
  "a".repeat(300),
  "é".repeat(5000),
  "x".repeat(70_000),
];

const HOSTILE_NUMBERS: readonly number[] = [
  0,
  -1,
  -0,
  1.5,
  -1e21,
  1e21,
  2 ** 31,
  2 ** 53,
  2 ** 53 + 2,
  2 ** 63,
  2 ** 64,
  1e308,
  Number.MIN_VALUE,
  -Number.MAX_SAFE_INTEGER,
];

/** `{"__proto__": {...}}` as an own key, as JSON.parse makes it (an object literal would not). */
const protoObject = (): unknown => JSON.parse('{"__proto__": {"polluted": true, "isAdmin": true}}');

function nested(depth: number): unknown {
  let value: unknown = "bottom";
  for (let i = 0; i < depth; i++) {
    value = i % 2 === 0 ? [value] : { a: value };
  }
  return value;
}

/** A JSON value of the wrong type or out of every range. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...HOSTILE_STRINGS),
  fc.constantFrom(...HOSTILE_NUMBERS),
  fc.constantFrom<unknown>(null, true, false, [], {}, [null], [[[]]], { "": "" }),
  fc.constant(null).map(protoObject),
  fc.constant(null).map(() => JSON.parse('{"constructor": {"prototype": {"polluted": true}}}')),
  // Deep, but shallow enough that a few of them stacked by mutations still fit JSON.stringify's
  // recursion here (bodies nested past any stack are sent as raw text: rawBody).
  fc.constantFrom(50, 500, 1000).map(nested),
  fc.jsonValue({ maxDepth: 3 }),
  fc.string({ unit: "binary", maxLength: 40 }),
);

export const hostileKey: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    ...PROTOTYPE_NAMES,
    "",
    " ",
    "id",
    "type",
    "organization_id",
    "a.b",
    "x".repeat(500),
  ),
  fc.string({ maxLength: 12 }),
);

/** A change to a valid JSON value; `at` picks the container it applies to. */
export type Mutation =
  | { kind: "set"; at: number; value: unknown }
  | { kind: "delete"; at: number }
  | { kind: "add"; at: number; key: string; value: unknown }
  | { kind: "replace"; value: unknown };

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant("set" as const), at: fc.nat(), value: hostileValue }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("delete" as const), at: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("add" as const),
      at: fc.nat(),
      key: hostileKey,
      value: hostileValue,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant("replace" as const), value: hostileValue }),
  },
);

/** Sets an own, enumerable property, even one named `__proto__`. */
function define(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

/** Every object or array inside `value` (itself included), with the keys it holds. */
function containers(value: unknown, found: Array<Record<string, unknown> | unknown[]> = []) {
  if (value !== null && typeof value === "object") {
    found.push(value as Record<string, unknown>);
    for (const child of Object.values(value)) {
      containers(child, found);
    }
  }
  return found;
}

/** `value` with the mutation applied (a copy: the original may be shared by fast-check). */
export function mutate(value: unknown, change: Mutation): unknown {
  if (change.kind === "replace") {
    return change.value;
  }
  let copy: unknown;
  try {
    copy = value === undefined ? undefined : JSON.parse(JSON.stringify(value));
  } catch {
    return change.kind === "set" || change.kind === "add" ? change.value : value; // too deep to copy
  }
  const found = containers(copy);
  const target = found[change.at % Math.max(1, found.length)];
  if (target === undefined) {
    return change.kind === "delete"
      ? copy
      : change.kind === "set"
        ? change.value
        : { [change.key]: change.value };
  }
  const keys = Object.keys(target);
  const key = keys[change.at % Math.max(1, keys.length)];
  switch (change.kind) {
    case "set":
      if (key !== undefined) {
        define(target as Record<string, unknown>, key, change.value);
      } else if (Array.isArray(target)) {
        target.push(change.value);
      }
      break;
    case "delete":
      if (key !== undefined) {
        if (Array.isArray(target)) {
          target.splice(Number(key), 1);
        } else {
          delete target[key];
        }
      }
      break;
    case "add":
      if (Array.isArray(target)) {
        target.push(change.value);
      } else {
        define(target, change.key, change.value);
      }
      break;
  }
  return copy;
}

/** Bodies that are not JSON, or JSON no schema expects, as raw text. */
export const rawBody: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    "",
    " ",
    "{",
    "}",
    "[]",
    "null",
    "0",
    "1e999",
    '"text"',
    "true",
    "{'single': 'quotes'}",
    '{"a":1,}',
    '{"a":1}{"b":2}',
    '{"a":1} trailing',
    '{"__proto__":{"polluted":true}}',
    '{"constructor":{"prototype":{"polluted":true}}}',
    '{"a":"\\ud800"}',
    '{"a":"\\u0000"}',
    "\uFEFF{}",
    '{"a":NaN}',
    '{"a":Infinity}',
    '{"a":-}',
    '{"a":01}',
    '{"name":"x","name":"y"}',
    `{"a":${"9".repeat(400)}}`,
    "[".repeat(20_000) + "]".repeat(20_000),
    `${'{"a":'.repeat(20_000)}1${"}".repeat(20_000)}`,
    "[".repeat(20_000),
    // Past the admin API's 1 MiB body limit: 413, not a parse of it.
    `{"name":"${"x".repeat(1_100_000)}"}`,
  ),
  fc.string({ unit: "binary", maxLength: 60 }),
);

/** A path segment: an existing id most often, else any id-like or hostile text. */
export type Segment =
  | { kind: "pool"; index: number }
  | { kind: "text"; text: string }
  /** Put in the URL as is, escapes and all (`..%2F`, overlong UTF-8, `%00`). */
  | { kind: "raw"; text: string };

export const segment: fc.Arbitrary<Segment> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant("pool" as const), index: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("text" as const),
      text: fc.oneof(
        fc.constantFrom(...HOSTILE_STRINGS.filter((text) => text.length < 1000)),
        fc.stringMatching(/^(user|wrkspc|apikey|invite|alrt|dlv)_[0-9A-Za-z]{1,30}$/),
        fc.string({ maxLength: 40 }),
      ),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("raw" as const),
      text: fc.constantFrom(
        "..%2F..%2Fetc%2Fpasswd",
        "%2e%2e",
        "%C0%AF",
        "%ED%A0%80",
        "%FF%FE",
        "%00",
        "%",
        "%ZZ",
        "%E2%80%AE",
        "a;b=c",
        ".",
        "..",
        "~",
        "x".repeat(20_000),
      ),
    }),
  },
);

/** Percent-encodes text byte by byte, lone surrogates included (encodeURIComponent throws on them). */
export function encodeSegment(text: string): string {
  let out = "";
  for (const byte of Buffer.from(text, "utf8")) {
    const char = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.~]/.test(char)
      ? char
      : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

export const hostileQueryValue: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    ...HOSTILE_STRINGS.filter((text) => text.length < 1000),
    "0",
    "1",
    "-5",
    "1.5",
    "1e21",
    "9007199254740993",
    "99999999999999999999999",
    "true",
    "false",
    "2026-13-45",
    "2026-01-15T12:00:00Z",
    "9999-12-31T23:59:59Z",
    "0000-01-01T00:00:00Z",
    "1d",
    "1m",
  ),
  fc.string({ maxLength: 20 }),
);

/** Header values a client may send (printable ASCII and tab only: anything else is the HTTP layer's to refuse). */
export const anthropicVersion: fc.Arbitrary<string | undefined> = fc.oneof(
  { weight: 8, arbitrary: fc.constant("2023-06-01") },
  { weight: 2, arbitrary: fc.constant(undefined) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      "",
      "2023-6-1",
      "yesterday",
      "2023-06-01, 2024-01-01",
      "9999-99-99",
      "  2023-06-01",
      "\t",
    ),
  },
);

export const contentType: fc.Arbitrary<string | undefined> = fc.oneof(
  { weight: 10, arbitrary: fc.constant("application/json") },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      undefined,
      "",
      "text/plain",
      "application/JSON",
      "application/json; charset=utf-16",
      "application/json; charset=latin1",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=xyz",
      "application/json-patch+json",
      "application/octet-stream",
      "*/*",
      ";;;",
    ),
  },
);

export const idempotencyKey: fc.Arbitrary<string | undefined> = fc.oneof(
  { weight: 6, arbitrary: fc.constant(undefined) },
  // A few shared keys, so that a key is reused with another path or body.
  { weight: 2, arbitrary: fc.constantFrom("fuzz-key-1", "fuzz-key-2", "fuzz-key-3") },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      "",
      " ",
      "a\tb",
      "x".repeat(255),
      "x".repeat(256),
      "x".repeat(5000),
      "__proto__",
      "constructor",
    ),
  },
);

export const accept: fc.Arbitrary<string | undefined> = fc.constantFrom(
  undefined,
  undefined,
  undefined,
  "application/json",
  "text/csv",
  "*/*",
  "text/html",
  "application/xml;q=0.9, */*;q=0.1",
);
