import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import pg from "pg";
import { describe } from "vitest";
import type { OutboundPolicyOptions } from "../src/core/net/outbound-guard.js";
import type { Clock } from "../src/core/ports.js";
import type { Services, UsageRetention } from "../src/core/services.js";
import type { OidcOptions } from "../src/core/sessions/oidc-sign-in.js";
import { PriceTable } from "../src/core/usage/prices.js";
import { connect, type Database, migrate } from "../src/db/connect.js";
import type { GatewayConfig } from "../src/gateway/runtime.js";
import { type Runtime, startRuntime } from "../src/runtime.js";
import { testSchemaName } from "./pg-schemas.js";
import type { ResponseBody } from "./support/api-types.js";
import { copyMigratedSqlite } from "./support/sqlite-template.js";

export type BackendName = "sqlite" | "postgres";

export interface Backend {
  name: BackendName;
  /** Present only for PostgreSQL, when TEST_DATABASE_URL is set. */
  url?: string;
}

const pgUrl = process.env.TEST_DATABASE_URL;

/** SQLite always; PostgreSQL when TEST_DATABASE_URL is set. */
export const BACKENDS: Backend[] = [
  { name: "sqlite" },
  pgUrl ? { name: "postgres", url: pgUrl } : { name: "postgres" },
];

/**
 * Runs the same suite once per backend. The PostgreSQL leg is reported as skipped, not silently
 * dropped, when TEST_DATABASE_URL is not set.
 */
export function describeEachBackend(title: string, suite: (backend: Backend) => void): void {
  for (const backend of BACKENDS) {
    const available = backend.name === "sqlite" || backend.url !== undefined;
    (available ? describe : describe.skip)(`${title} [${backend.name}]`, () => suite(backend));
  }
}

export interface TestDatabase {
  database: Database;
  drop(): Promise<void>;
}

/** A fresh, migrated database: a temporary SQLite file, or a PostgreSQL schema of its own. */
export async function createTestDatabase(backend: Backend): Promise<TestDatabase> {
  if (backend.name === "sqlite") {
    return sqliteTestDatabase(copyMigratedSqlite);
  }
  const testDb = await postgresTestDatabase(backend, 5);
  await migrateBesideOthers(testDb.database);
  return testDb;
}

/**
 * Kysely's migrator lists the tables of every schema in the database; another suite's schema
 * migrating at the same moment (0008 drops a table) can make that listing fail with 42P01 on a
 * table of theirs. Nothing of ours was written then: the migration is tried again.
 */
async function migrateBesideOthers(database: Database): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await migrate(database);
      return;
    } catch (error) {
      if ((error as { code?: unknown }).code !== "42P01" || attempt === 3) {
        throw error;
      }
    }
  }
}

/** A database with no schema yet, to run the migrations from the start. */
export function createEmptyTestDatabase(backend: Backend): Promise<TestDatabase> {
  return backend.name === "sqlite" ? sqliteTestDatabase() : postgresTestDatabase(backend, 2);
}

/** A SQLite file in a temporary folder of its own, filled by `fill` before it is opened. */
async function sqliteTestDatabase(fill?: (file: string) => Promise<void>): Promise<TestDatabase> {
  const dir = mkdtempSync(join(tmpdir(), "steward-test-"));
  const file = join(dir, "steward.db");
  await fill?.(file);
  const database = connect(`sqlite:${file}`);
  return {
    database,
    drop: async () => {
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A PostgreSQL schema of this run's own (test/pg-schemas.ts), empty. */
async function postgresTestDatabase(
  backend: Backend,
  maxConnections: number,
): Promise<TestDatabase> {
  if (!backend.url) {
    throw new Error("PostgreSQL leg needs TEST_DATABASE_URL");
  }
  const schema = testSchemaName();
  const admin = new pg.Client({ connectionString: backend.url });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const database = connect(backend.url, { schema, maxConnections });
  return {
    database,
    // The schema itself is dropped after the whole run (test/pg-schemas.ts says why).
    drop: () => database.close(),
  };
}

export interface OrgFixture {
  id: string;
  ownerId: string;
  defaultWorkspaceId: string;
  adminKeyId: string;
  adminKey: string;
}

/** An answer from the app. `body` is the contract's type for a success; read errors with expectError. */
export interface ApiResponse<T = unknown> {
  status: number;
  body: T;
  headers: Record<string, string | string[] | number | undefined>;
}

/** The answer the contract gives to `method url` (any case), `unknown` for other methods and URLs. */
export type AnswerTo<M extends string, U extends string> = ResponseBody<M, U>;

export interface RequestOptions {
  body?: unknown;
  /** The admin key to send; the first organization's by default, `null` for none. */
  key?: string | null;
  headers?: Record<string, string>;
  query?: Record<string, string | number | boolean | string[]>;
}

export interface TestServer {
  /** What the server runs: its `close()` is what SIGTERM calls. */
  runtime: Runtime;
  app: FastifyInstance;
  services: Services;
  database: Database;
  org: OrgFixture;
  /** Requests are typed by the contract (test/support/api-types.ts), from their method and URL. */
  request<M extends string, U extends string>(
    method: M,
    url: U,
    options?: RequestOptions,
  ): Promise<ApiResponse<AnswerTo<M, U>>>;
  get<U extends string>(url: U, options?: RequestOptions): Promise<ApiResponse<AnswerTo<"get", U>>>;
  post<U extends string>(
    url: U,
    body?: unknown,
    options?: RequestOptions,
  ): Promise<ApiResponse<AnswerTo<"post", U>>>;
  patch<U extends string>(
    url: U,
    body?: unknown,
    options?: RequestOptions,
  ): Promise<ApiResponse<AnswerTo<"patch", U>>>;
  delete<U extends string>(
    url: U,
    options?: RequestOptions,
  ): Promise<ApiResponse<AnswerTo<"delete", U>>>;
  /** Another organization in the same database, with its own admin key. */
  createOrganization(name?: string): Promise<OrgFixture>;
  close(): Promise<void>;
}

function toQueryString(query: RequestOptions["query"]): string {
  if (!query) {
    return "";
  }
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (Array.isArray(value)) {
      for (const item of value) {
        params.append(`${key}[]`, item);
      }
    } else {
      params.append(key, String(value));
    }
  }
  const text = params.toString();
  return text === "" ? "" : `?${text}`;
}

let orgCounter = 0;

export interface TestServerOptions {
  clock?: Clock;
  /** Serve the Claude API paths through the gateway, forwarding to this upstream. */
  gateway?: Omit<GatewayConfig, "prices"> & { prices?: PriceTable; bodyLimit?: number };
  trustProxy?: string[];
  retention?: UsageRetention;
  /**
   * Outbound requests' allow-list (OUTBOUND_ALLOW). By default 127.0.0.1, where the suites' alert
   * receivers listen; `[]` for the production default.
   */
  outbound?: OutboundPolicyOptions;
  /** Sign-in with an OpenID Connect provider (OIDC_*), as test/support/oidc-idp.ts offers. */
  oidc?: OidcOptions;
  /** STEWARD_PUBLIC_URL: the origin browsers reach this Steward at. */
  publicUrl?: string;
}

/** The app in process, over a fresh database with one bootstrapped organization. */
export async function createTestServer(
  backend: Backend,
  options: TestServerOptions = {},
): Promise<TestServer> {
  const testDb = await createTestDatabase(backend);
  const { gateway } = options;
  const runtime = await startRuntime({
    database: testDb.database,
    ...(options.clock && { clock: options.clock }),
    services: {
      ...(options.retention && { retention: options.retention }),
      outbound: options.outbound ?? { allow: ["127.0.0.1"] },
      ...(options.oidc && { oidc: options.oidc }),
    },
    ...(gateway && { gateway: { ...gateway, prices: gateway.prices ?? PriceTable.load() } }),
    http: {
      ...(options.trustProxy && { trustProxy: options.trustProxy }),
      ...(options.publicUrl && { publicUrl: options.publicUrl }),
    },
  });
  const { app, services } = runtime;

  const createOrganization = async (name = `Org ${++orgCounter}`): Promise<OrgFixture> => {
    const created = await services.organizations.create(
      { name, ownerEmail: `owner+${orgCounter}@example.com`, ownerName: "Olivia Owner" },
      { type: "system", id: null },
    );
    return {
      id: created.organization.id,
      ownerId: created.ownerId,
      defaultWorkspaceId: created.defaultWorkspaceId,
      adminKeyId: created.adminKeyId,
      adminKey: created.adminKey,
    };
  };
  const org = await createOrganization("Acme Corporation");

  const request = async <M extends string, U extends string>(
    method: M,
    url: U,
    opts: RequestOptions = {},
  ): Promise<ApiResponse<AnswerTo<M, U>>> => {
    const key = opts.key === undefined ? org.adminKey : opts.key;
    const headers: Record<string, string> = {
      "anthropic-version": "2023-06-01",
      ...(key !== null && { "x-api-key": key }),
      ...opts.headers,
    };
    const response = await app.inject({
      method: method.toUpperCase() as "GET",
      url: url + toQueryString(opts.query),
      headers,
      ...(opts.body !== undefined && {
        payload: typeof opts.body === "string" ? opts.body : JSON.stringify(opts.body),
        headers: { ...headers, "content-type": headers["content-type"] ?? "application/json" },
      }),
    });
    let body: unknown = response.body;
    try {
      body = response.json();
    } catch {
      // not JSON: keep the text
    }
    return { status: response.statusCode, body: body as AnswerTo<M, U>, headers: response.headers };
  };

  return {
    runtime,
    app,
    services,
    database: testDb.database,
    org,
    request,
    get: (url, opts) => request("get", url, opts),
    post: (url, body, opts) => request("post", url, { ...opts, body: body ?? {} }),
    patch: (url, body, opts) => request("patch", url, { ...opts, body: body ?? {} }),
    delete: (url, opts) => request("delete", url, opts),
    createOrganization,
    close: async () => {
      await runtime.close();
      await testDb.drop();
    },
  };
}

export interface ErrorBody {
  type: string;
  message: string;
  details?: { error_code: string; [field: string]: unknown };
}

/** The Anthropic error envelope every failure answers with. */
export interface ErrorEnvelope {
  type: "error";
  error: ErrorBody;
  request_id: string;
}

function isErrorEnvelope(body: unknown): body is ErrorEnvelope {
  const envelope = body as Partial<ErrorEnvelope> | null;
  return (
    typeof envelope === "object" &&
    envelope !== null &&
    envelope.type === "error" &&
    typeof envelope.error?.type === "string"
  );
}

/** The envelope of a failed answer (whatever its status), after checking it is one. */
export function envelopeOf(response: ApiResponse<unknown>): ErrorEnvelope {
  if (!isErrorEnvelope(response.body)) {
    throw new Error(
      `expected an error envelope, got ${response.status} ${JSON.stringify(response.body)}`,
    );
  }
  return response.body;
}

/** The error of a failed answer (whatever its status), after checking it is the envelope. */
export function errorOf(response: ApiResponse<unknown>): ErrorBody {
  return envelopeOf(response).error;
}

/** Asserts the Anthropic error envelope and returns its error, for further checks. */
export function expectError(
  response: ApiResponse<unknown>,
  status: number,
  type: string,
): ErrorBody {
  const body = response.body;
  if (response.status !== status || !isErrorEnvelope(body) || body.error.type !== type) {
    throw new Error(
      `expected ${status} ${type}, got ${response.status} ${JSON.stringify(response.body)}`,
    );
  }
  if (typeof body.request_id !== "string" || !body.request_id.startsWith("req_")) {
    throw new Error(`error envelope without request_id: ${JSON.stringify(response.body)}`);
  }
  return body.error;
}
