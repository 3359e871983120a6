import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import pg from "pg";
import { describe } from "vitest";
import type { OutboundPolicyOptions } from "../src/core/net/outbound-guard.js";
import type { Clock } from "../src/core/ports.js";
import { createServices, type Services, type UsageRetention } from "../src/core/services.js";
import { PriceTable } from "../src/core/usage/prices.js";
import { connect, type Database, migrate } from "../src/db/connect.js";
import { Store } from "../src/db/store.js";
import type { GatewayConfig } from "../src/gateway/runtime.js";
import { buildApp } from "../src/http/app.js";
import { testSchemaName } from "./pg-schemas.js";
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
    const dir = mkdtempSync(join(tmpdir(), "steward-test-"));
    const file = join(dir, "steward.db");
    await copyMigratedSqlite(file);
    const database = connect(`sqlite:${file}`);
    return {
      database,
      drop: async () => {
        await database.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  if (!backend.url) {
    throw new Error("PostgreSQL leg needs TEST_DATABASE_URL");
  }
  const url = backend.url;
  const schema = testSchemaName();
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const database = connect(url, { schema, maxConnections: 5 });
  await migrate(database);
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

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Record<string, string | string[] | number | undefined>;
}

export interface RequestOptions {
  body?: unknown;
  /** The admin key to send; the first organization's by default, `null` for none. */
  key?: string | null;
  headers?: Record<string, string>;
  query?: Record<string, string | number | boolean | string[]>;
}

export interface TestServer {
  app: FastifyInstance;
  services: Services;
  database: Database;
  org: OrgFixture;
  request<T = any>(method: string, url: string, options?: RequestOptions): Promise<ApiResponse<T>>;
  get<T = any>(url: string, options?: RequestOptions): Promise<ApiResponse<T>>;
  post<T = any>(url: string, body?: unknown, options?: RequestOptions): Promise<ApiResponse<T>>;
  patch<T = any>(url: string, body?: unknown, options?: RequestOptions): Promise<ApiResponse<T>>;
  delete<T = any>(url: string, options?: RequestOptions): Promise<ApiResponse<T>>;
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
}

/** The app in process, over a fresh database with one bootstrapped organization. */
export async function createTestServer(
  backend: Backend,
  options: TestServerOptions = {},
): Promise<TestServer> {
  const testDb = await createTestDatabase(backend);
  const services = createServices(new Store(testDb.database), {
    ...(options.clock && { clock: options.clock }),
    ...(options.retention && { retention: options.retention }),
    outbound: options.outbound ?? { allow: ["127.0.0.1"] },
  });
  const { gateway } = options;
  const app = await buildApp(services, {
    ...(options.trustProxy && { trustProxy: options.trustProxy }),
    ...(gateway && { gateway: { ...gateway, prices: gateway.prices ?? PriceTable.load() } }),
  });

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

  const request = async <T>(
    method: string,
    url: string,
    opts: RequestOptions = {},
  ): Promise<ApiResponse<T>> => {
    const key = opts.key === undefined ? org.adminKey : opts.key;
    const headers: Record<string, string> = {
      "anthropic-version": "2023-06-01",
      ...(key !== null && { "x-api-key": key }),
      ...opts.headers,
    };
    const response = await app.inject({
      method: method as "GET",
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
    return { status: response.statusCode, body: body as T, headers: response.headers };
  };

  return {
    app,
    services,
    database: testDb.database,
    org,
    request,
    get: (url, opts) => request("GET", url, opts),
    post: (url, body, opts) => request("POST", url, { ...opts, body: body ?? {} }),
    patch: (url, body, opts) => request("PATCH", url, { ...opts, body: body ?? {} }),
    delete: (url, opts) => request("DELETE", url, opts),
    createOrganization,
    close: async () => {
      await app.close();
      await testDb.drop();
    },
  };
}

/** Asserts the Anthropic error envelope and returns it, for further checks. */
export function expectError(
  response: ApiResponse,
  status: number,
  type: string,
): { type: string; message: string; details?: { error_code: string } } {
  if (
    response.status !== status ||
    response.body?.type !== "error" ||
    response.body?.error?.type !== type
  ) {
    throw new Error(
      `expected ${status} ${type}, got ${response.status} ${JSON.stringify(response.body)}`,
    );
  }
  if (
    typeof response.body.request_id !== "string" ||
    !response.body.request_id.startsWith("req_")
  ) {
    throw new Error(`error envelope without request_id: ${JSON.stringify(response.body)}`);
  }
  return response.body.error;
}
