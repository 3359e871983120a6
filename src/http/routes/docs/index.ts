import { adminKeyDocs } from "./admin-keys.js";
import { alertDocs } from "./alerts.js";
import { analyticsDocs } from "./analytics.js";
import { apiKeyDocs } from "./api-keys.js";
import { auditDocs } from "./audit.js";
import { GATEWAY_PATHS } from "./gateway.js";
import { inviteDocs } from "./invites.js";
import { lifecycleDocs } from "./lifecycle.js";
import { OPERATIONS_PATHS } from "./operations.js";
import { organizationDocs } from "./organization.js";
import { rateLimitDocs } from "./rate-limits.js";
import { serviceAccountDocs } from "./service-accounts.js";
import { sessionDocs } from "./sessions.js";
import { TAG_GROUPS, TAGS } from "./tags.js";
import {
  METHODS,
  type MediaType,
  type OpenApiDocument,
  type Operation,
  type OperationDoc,
  type OperationDocs,
  type PathItem,
  type Paths,
} from "./types.js";
import { usageDocs } from "./usage.js";
import { userDocs } from "./users.js";
import { workspaceMemberDocs } from "./workspace-members.js";
import { workspaceDocs } from "./workspaces.js";

/** Every admin operation's text and examples, by operation id. */
export const OPERATION_DOCS: OperationDocs = {
  ...organizationDocs,
  ...userDocs,
  ...inviteDocs,
  ...lifecycleDocs,
  ...workspaceDocs,
  ...workspaceMemberDocs,
  ...apiKeyDocs,
  ...adminKeyDocs,
  ...serviceAccountDocs,
  ...rateLimitDocs,
  ...usageDocs,
  ...analyticsDocs,
  ...alertDocs,
  ...auditDocs,
  ...sessionDocs,
};

export const DOCUMENT_DESCRIPTION = `Steward is a self-hosted admin plane and gateway for an organization's Claude API usage.

**Two kinds of key.** The Admin API (every section but *Gateway* and *Operations*) takes an admin key (\`sk-ant-admin01-…\`), created by the host operator with \`steward admin-keys create\` or by an owner through *Admin keys*. The gateway takes the API keys Steward issues (\`sk-ant-api03-…\`). Either goes in \`x-api-key\` or \`Authorization: Bearer\`.

**Two sets of paths, one set of data.** Most resources answer on Steward's paths (\`/v1/organizations\`, \`/v1/users\`, \`/v1/api_keys\`, \`/v1/workspaces\`, \`/v1/usage\`) and on Anthropic's Admin API paths (\`/v1/organizations/*\`), which Anthropic's official SDKs call. Both run the same operation; the second is marked *(Anthropic's path)*.

**Conventions.** JSON in snake_case with RFC 3339 timestamps; lists page with \`limit\`, \`after_id\` and \`before_id\` and answer \`{data, has_more, first_id, last_id}\`; every change is one transaction with its audit record and takes an optional \`Idempotency-Key\`; every error is Anthropic's envelope \`{"type": "error", "error": {"type", "message"}, "request_id"}\`, and every response carries a \`request-id\` header. More in docs/api.md.`;

const ADMIN_SECURITY = [{ adminKey: [] }, { adminBearer: [] }, { consoleSession: [] }];

export const SECURITY_SCHEMES: Record<string, Record<string, string>> = {
  adminKey: {
    type: "apiKey",
    in: "header",
    name: "x-api-key",
    description:
      "An admin key (`sk-ant-admin01-…`), for the Admin API. Created by the host operator (`steward admin-keys create`) or by an owner (`POST /v1/organizations/admin_keys`); a key held by a member acts with that member's current role.",
  },
  adminBearer: {
    type: "http",
    scheme: "bearer",
    description: "The admin key as `Authorization: Bearer sk-ant-admin01-…`.",
  },
  consoleSession: {
    type: "apiKey",
    in: "cookie",
    name: "steward_session",
    description:
      "The web console's session (`POST /auth/admin-key`, OpenID Connect or an email link), used when no key header is sent. It acts with the member's role; POST, PUT, PATCH and DELETE also need the session's `x-csrf-token` header.",
  },
  gatewayKey: {
    type: "apiKey",
    in: "header",
    name: "x-api-key",
    description:
      "An API key Steward issued (`sk-ant-api03-…`, `POST /v1/api_keys`), for the gateway's Claude API paths.",
  },
  gatewayBearer: {
    type: "http",
    scheme: "bearer",
    description: "The API key as `Authorization: Bearer sk-ant-api03-…`.",
  },
};

/** What each status of the Admin API means, for responses @fastify/swagger leaves undescribed. */
const RESPONSE_DESCRIPTIONS: Record<string, string> = {
  "200": "Success",
  "400":
    "A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`)",
  "401": "No admin key, or one that is unknown, revoked or expired (`authentication_error`)",
  "403":
    "The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`)",
  "404": "Not found, or another organization's (`not_found_error`)",
  "409":
    "A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`)",
  "413": "The body is over `BODY_LIMIT_BYTES` (`request_too_large`)",
  "422": "This `Idempotency-Key` was used for another request (`idempotency_key_reused`)",
  "429":
    "Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`)",
  "500": "An unexpected error, logged with the request id (`api_error`)",
  "503":
    "The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`)",
};

const DEFAULT_ACCESS =
  "Any admin key of the organization. Admin keys are held by admins and owners and act with their holder's current role; organization-level keys have an owner's powers.";

function hasParameter(operation: Operation, where: string, name: string): boolean {
  return (operation.parameters ?? []).some((p) => p.in === where && p.name.toLowerCase() === name);
}

/** The description: the resource module's text, then what the document itself says. */
function describe(doc: OperationDoc, operation: Operation): string {
  const parts = [doc.description, `**Who may call it:** ${doc.access ?? DEFAULT_ACCESS}`];
  if (doc.audit && doc.audit.length > 0) {
    const actions = doc.audit.map((action) => `\`${action}\``).join(", ");
    parts.push(`**Audit:** records ${actions} in the same transaction as the change.`);
  }
  if (hasParameter(operation, "header", "idempotency-key")) {
    parts.push(
      "**Retries:** send an `Idempotency-Key` header to make a retry safe: repeated within 24 hours, the request answers its first response (`idempotent-replayed: true`) and never runs twice.",
    );
  }
  if (hasParameter(operation, "query", "after_id")) {
    parts.push(
      "**Paging:** `limit` (1 to 1000, default 20) with `after_id` or `before_id`; the answer's `has_more` and `last_id` (or `first_id`) lead to the next page.",
    );
  }
  return parts.join("\n\n");
}

function setExample(content: Record<string, MediaType> | undefined, example: unknown): void {
  const media = content?.["application/json"];
  if (media !== undefined && example !== undefined) {
    media.example = example;
  }
}

/** Puts an admin operation's text, examples and security in place. */
function document(operation: Operation): void {
  const doc = operation.operationId ? OPERATION_DOCS[operation.operationId] : undefined;
  if (doc !== undefined) {
    operation.summary = doc.summary;
    operation.description = describe(doc, operation);
    setExample(operation.requestBody?.content, doc.request);
    const success = operation.responses?.["200"] ?? operation.responses?.["202"];
    setExample(success?.content, doc.response);
  }
  for (const [status, response] of Object.entries(operation.responses ?? {})) {
    const text = RESPONSE_DESCRIPTIONS[status];
    if (response.description === "Default Response" && text !== undefined) {
      response.description = text;
    }
  }
  // Public routes (invite acceptance, sign-in) declare `security: []`; the console's session
  // routes take only the cookie; the rest take a key or a session.
  if (doc?.security !== undefined) {
    operation.security = doc.security;
  } else if (!(Array.isArray(operation.security) && operation.security.length === 0)) {
    operation.security = ADMIN_SECURITY;
  }
}

/**
 * Paths in the reference's order: by their first operation's tag, Steward's paths before
 * Anthropic's, and otherwise as the routes are registered (list, create, get, update, delete).
 */
function orderPaths(paths: Paths): Paths {
  const tagOrder = new Map(TAGS.map((tag, index) => [tag.name as string, index]));
  const rank = (path: string) => {
    const item = paths[path] ?? {};
    const first = METHODS.map((method) => item[method]).find((op) => op !== undefined);
    const tag = tagOrder.get(first?.tags?.[0] ?? "") ?? TAGS.length;
    // Steward's own paths, then Anthropic's; `/v1/organizations` itself is Steward's.
    const anthropic = path.startsWith("/v1/organizations/") ? 1 : 0;
    return [tag, anthropic] as const;
  };
  const ordered = Object.keys(paths).sort((a, b) => {
    const [tagA, surfaceA] = rank(a);
    const [tagB, surfaceB] = rank(b);
    return tagA - tagB || surfaceA - surfaceB;
  });
  return Object.fromEntries(ordered.map((path) => [path, orderMethods(paths[path] ?? {})]));
}

/** Operations of a path in the order people read them: read, create, change, delete. */
function orderMethods(item: PathItem): PathItem {
  const rest = Object.entries(item).filter(
    ([key]) => !(METHODS as readonly string[]).includes(key),
  );
  const operations = METHODS.filter((method) => item[method] !== undefined).map((method) => [
    method,
    item[method],
  ]);
  return Object.fromEntries([...rest, ...operations]);
}

/**
 * The reference (`/openapi.json`, `/docs`) from the document @fastify/swagger builds out of the
 * routes: each operation's text and examples, the tags and their groups, the security schemes,
 * and the gateway's and the probes' paths, which no Fastify route describes.
 */
export function completeDocument<D extends object>(input: D): D {
  // Typed by the few parts it touches; the rest passes through as built.
  const built = input as unknown as OpenApiDocument;
  const paths: Paths = { ...built.paths };
  for (const item of Object.values(paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (operation !== undefined) {
        document(operation);
      }
    }
  }
  const { security: _global, ...rest } = built;
  const completed: OpenApiDocument = {
    ...rest,
    info: { ...built.info, description: DOCUMENT_DESCRIPTION },
    tags: TAGS.map((tag) => ({ ...tag })),
    "x-tagGroups": TAG_GROUPS,
    components: { ...built.components, securitySchemes: SECURITY_SCHEMES },
    paths: orderPaths({ ...paths, ...GATEWAY_PATHS, ...OPERATIONS_PATHS }),
  };
  return completed as unknown as D;
}
