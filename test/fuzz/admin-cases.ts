/**
 * Requests for one operation of `/openapi.json`: path parameters, query string, body and headers
 * drawn by fast-check, then resolved against the ids that exist when the request is sent.
 */
import fc from "fast-check";
import { NON_ADMIN_TAGS } from "../../src/http/routes/docs/tags.js";
import {
  accept,
  anthropicVersion,
  contentType,
  encodeSegment,
  hostileKey,
  hostileQueryValue,
  hostileValue,
  idempotencyKey,
  mutate,
  mutation,
  rawBody,
  type Segment,
  segment,
} from "./hostile.js";
import { type JsonSchema, resolve, schemaValue, type ValueContext } from "./schema-values.js";

export interface Operation {
  method: string;
  /** As documented: `/v1/users/{user_id}`. */
  path: string;
  pathParams: string[];
  query: Array<{ name: string; schema: JsonSchema; required: boolean }>;
  body: JsonSchema | undefined;
  /** False for the one public route (invite acceptance). */
  authenticated: boolean;
}

/**
 * Every admin operation of the document, in its order: the gateway's paths and the probes are
 * described there too (NON_ADMIN_TAGS), but Fastify does not serve them and the gateway suites
 * drive them.
 */
export function operationsOf(doc: { paths: Record<string, Record<string, any>> }): Operation[] {
  const operations: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      if (NON_ADMIN_TAGS.some((tag) => operation.tags?.includes(tag))) {
        continue;
      }
      const parameters = (operation.parameters ?? []) as Array<Record<string, any>>;
      operations.push({
        method: method.toUpperCase(),
        path,
        pathParams: parameters.filter((p) => p.in === "path").map((p) => p.name as string),
        query: parameters
          .filter((p) => p.in === "query")
          .map((p) => ({
            name: p.name as string,
            schema: p.schema ?? {},
            required: p.required === true,
          })),
        body: operation.requestBody?.content?.["application/json"]?.schema,
        authenticated: !(Array.isArray(operation.security) && operation.security.length === 0),
      });
    }
  }
  return operations;
}

export type Auth = "admin" | "none" | "bad" | "api_key" | "bearer";

export type BodyChoice =
  | { kind: "none" }
  | { kind: "json"; value: unknown }
  | { kind: "raw"; text: string };

/**
 * What a case makes hostile; the rest of the request is valid, so that the hostile part is what
 * the app has to deal with (were every part drawn freely, nearly every request would stop at the
 * first check that fails). "valid" cases exercise the successful paths with drawn values.
 */
export type Focus = "valid" | "body" | "query" | "path" | "headers" | "auth";

export interface AdminCase {
  focus: Focus;
  auth: Auth;
  params: Segment[];
  query: Array<[string, string]>;
  body: BodyChoice;
  version: string | undefined;
  contentType: string | undefined;
  idempotencyKey: string | undefined;
  accept: string | undefined;
}

const validAuth = fc.constantFrom<Auth>("admin", "admin", "admin", "bearer");
const hostileAuth = fc.constantFrom<Auth>("none", "bad", "api_key");

function validQueryValues(
  ctx: ValueContext,
  parameter: Operation["query"][number],
): fc.Arbitrary<Array<[string, string]>> {
  const valid = schemaValue(ctx, parameter.schema, parameter.name).map(
    (value): Array<[string, string]> =>
      Array.isArray(value)
        ? value.map((item) => [`${parameter.name}[]`, String(item)])
        : value === undefined || value === null
          ? []
          : [[parameter.name, String(value)]],
  );
  return parameter.required ? valid : fc.oneof(valid, fc.constant<Array<[string, string]>>([]));
}

function hostileQueryValues(
  parameter: Operation["query"][number],
): fc.Arbitrary<Array<[string, string]>> {
  return fc
    .tuple(
      fc.array(hostileQueryValue, { minLength: 1, maxLength: 3 }),
      fc.constantFrom(parameter.name, `${parameter.name}[]`),
    )
    .map(([values, name]) => values.map((value): [string, string] => [name, value]));
}

/** Valid values for every parameter, or (`hostile`) one or two of them hostile and maybe extra keys. */
function queryOf(
  ctx: ValueContext,
  op: Operation,
  hostile: boolean,
): fc.Arbitrary<Array<[string, string]>> {
  const valid = fc.tuple(...op.query.map((parameter) => validQueryValues(ctx, parameter)));
  if (!hostile) {
    return valid.map((parts) => parts.flat());
  }
  const extra = fc.array(fc.tuple(hostileKey, hostileQueryValue), { maxLength: 2 });
  if (op.query.length === 0) {
    return extra;
  }
  return fc
    .tuple(
      valid,
      fc.array(fc.nat(), { minLength: 1, maxLength: 2 }),
      fc.tuple(...op.query.map((parameter) => hostileQueryValues(parameter))),
      extra,
    )
    .map(([parts, picks, bad, more]) => {
      const chosen = parts.slice();
      for (const pick of picks) {
        const at = pick % chosen.length;
        chosen[at] = bad[at] as Array<[string, string]>;
      }
      return [...chosen.flat(), ...more];
    });
}

/** The body schema, where the contract leaves an item open to check each on its own. */
function bodySchema(ctx: ValueContext, op: Operation): JsonSchema | undefined {
  if (op.body === undefined) {
    return undefined;
  }
  const schema = resolve(ctx.doc, op.body);
  const events = schema.properties?.events;
  if (op.path === "/v1/usage/events" && events?.items && Object.keys(events.items).length === 0) {
    // Each event is checked on its own (one bad event does not sink the batch), so the batch's
    // schema leaves items open; valid ones are what reaches the checks past the first.
    return {
      ...schema,
      properties: {
        ...schema.properties,
        events: {
          ...events,
          maxItems: 3,
          items: { $ref: "#/components/schemas/UsageEventInputInput" },
        },
      },
    };
  }
  return schema;
}

function validBody(ctx: ValueContext, op: Operation): fc.Arbitrary<BodyChoice> {
  const schema = bodySchema(ctx, op);
  return schema === undefined
    ? fc.constant<BodyChoice>({ kind: "none" })
    : schemaValue(ctx, schema).map((value): BodyChoice => ({ kind: "json", value }));
}

function hostileBody(ctx: ValueContext, op: Operation): fc.Arbitrary<BodyChoice> {
  const schema = bodySchema(ctx, op);
  const raw = rawBody.map((text): BodyChoice => ({ kind: "raw", text }));
  if (schema === undefined) {
    return fc.oneof(
      raw,
      fc.constant<BodyChoice>({ kind: "json", value: { unexpected: true } }),
      hostileValue.map((value): BodyChoice => ({ kind: "json", value })),
    );
  }
  return fc.oneof(
    {
      weight: 6,
      arbitrary: fc
        .tuple(schemaValue(ctx, schema), fc.array(mutation, { minLength: 1, maxLength: 3 }))
        .map(
          ([value, changes]): BodyChoice => ({
            kind: "json",
            value: changes.reduce((current, change) => mutate(current, change), value),
          }),
        ),
    },
    { weight: 2, arbitrary: raw },
    { weight: 1, arbitrary: fc.constant<BodyChoice>({ kind: "none" }) },
  );
}

/** Valid headers: a version or none, JSON, an idempotency key of its own or none. */
const validHeaders = fc.record({
  version: fc.constantFrom<string | undefined>("2023-06-01", "2023-06-01", undefined),
  contentType: fc.constant<string | undefined>("application/json"),
  idempotencyKey: fc.oneof(
    fc.constant<string | undefined>(undefined),
    fc.uuid().map((uuid): string | undefined => uuid),
  ),
  accept: fc.constantFrom<string | undefined>(undefined, "application/json"),
});

const hostileHeaders = fc.record({
  version: anthropicVersion,
  contentType,
  idempotencyKey,
  accept,
});

export function adminCase(ctx: ValueContext, op: Operation): fc.Arbitrary<AdminCase> {
  const focuses: Array<{ weight: number; arbitrary: fc.Arbitrary<Focus> }> = [
    { weight: 4, arbitrary: fc.constant("valid" as const) },
    { weight: op.body === undefined ? 1 : 5, arbitrary: fc.constant("body" as const) },
    { weight: op.query.length === 0 ? 1 : 3, arbitrary: fc.constant("query" as const) },
    { weight: op.pathParams.length === 0 ? 0 : 3, arbitrary: fc.constant("path" as const) },
    { weight: 2, arbitrary: fc.constant("headers" as const) },
    { weight: 1, arbitrary: fc.constant("auth" as const) },
  ].filter((focus) => focus.weight > 0);
  return fc.oneof(...focuses).chain((focus) =>
    fc
      .record({
        auth: focus === "auth" ? hostileAuth : validAuth,
        params: fc.tuple(
          ...op.pathParams.map(() =>
            focus === "path"
              ? segment
              : fc.nat().map((index): Segment => ({ kind: "pool", index })),
          ),
        ),
        query: queryOf(ctx, op, focus === "query"),
        body: focus === "body" ? hostileBody(ctx, op) : validBody(ctx, op),
        headers: focus === "headers" ? hostileHeaders : validHeaders,
      })
      .map(({ headers, ...rest }): AdminCase => ({ focus, ...rest, ...headers })),
  );
}

export interface Credentials {
  adminKey: string;
  apiKey: string;
}

/** The request a case stands for, with ids taken from the pool as it is now. */
export function requestOf(
  op: Operation,
  c: AdminCase,
  ids: (field: string) => readonly string[],
  credentials: Credentials,
): { method: string; url: string; headers: Record<string, string>; body: string | undefined } {
  let i = 0;
  const path = op.path.replace(/\{([^}]+)\}/g, (_match, name: string) => {
    const choice = c.params[i++] as Segment;
    switch (choice.kind) {
      case "pool": {
        const pool = ids(name);
        return encodeSegment(
          pool.length === 0 ? "missing" : (pool[choice.index % pool.length] as string),
        );
      }
      case "text":
        return encodeSegment(choice.text);
      case "raw":
        return choice.text;
    }
  });
  const query = c.query
    .map(([key, value]) => `${encodeSegment(key)}=${encodeSegment(value)}`)
    .join("&");
  const headers: Record<string, string> = {};
  switch (c.auth) {
    case "admin":
      headers["x-api-key"] = credentials.adminKey;
      break;
    case "bearer":
      headers.authorization = `Bearer ${credentials.adminKey}`;
      break;
    case "bad":
      headers["x-api-key"] = "sk-ant-admin01-not-a-key-that-exists";
      break;
    case "api_key":
      headers["x-api-key"] = credentials.apiKey;
      break;
    case "none":
      break;
  }
  if (c.version !== undefined) {
    headers["anthropic-version"] = c.version;
  }
  if (c.idempotencyKey !== undefined) {
    headers["idempotency-key"] = c.idempotencyKey;
  }
  if (c.accept !== undefined) {
    headers.accept = c.accept;
  }
  let body: string | undefined;
  if (c.body.kind === "json") {
    body = JSON.stringify(c.body.value) ?? "null";
  } else if (c.body.kind === "raw") {
    body = c.body.text;
  }
  if (body !== undefined && c.contentType !== undefined) {
    headers["content-type"] = c.contentType;
  }
  return { method: op.method, url: query === "" ? path : `${path}?${query}`, headers, body };
}
