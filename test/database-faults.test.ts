/**
 * Losing the database: the process survives, /readyz and admin calls answer 503 quickly, the
 * gateway goes on serving keys from memory, and the usage it meters meanwhile is written exactly
 * once when the database is back, including after a restart during the outage (through the
 * spool). On PostgreSQL the outage is a TCP proxy between Steward and the server that cuts or
 * black-holes the connections (test/support/tcp-proxy.ts); on SQLite it is a writer that refuses
 * writes (`query_only`, as a read-only file does) or a database that is full (`max_page_count`).
 */
import {
  appendFileSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { sql } from "kysely";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Services } from "../src/core/services.js";
import { PriceTable } from "../src/core/usage/prices.js";
import type { UsageEventRow } from "../src/core/usage/usage-store.js";
import { type ConnectOptions, connect, type Database, migrate } from "../src/db/connect.js";
import { isStorageUnavailable } from "../src/db/unavailable.js";
import type { GatewayRuntime } from "../src/gateway/runtime.js";
import { SpoolLockedError, UsageSpool } from "../src/gateway/usage-spool.js";
import { startRuntime } from "../src/runtime.js";
import { type FakeUpstream, startFakeUpstream } from "./fixtures/fake-upstream.js";
import { until } from "./gateway-support.js";
import { BACKENDS, expectError } from "./harness.js";
import { testSchemaName } from "./pg-schemas.js";
import { startTcpProxy, type TcpProxy } from "./support/tcp-proxy.js";

const UPSTREAM_KEY = "sk-ant-api03-steward-faults-upstream";
const PG_URL = BACKENDS.find((b) => b.name === "postgres")?.url;

interface Node {
  app: FastifyInstance;
  services: Services;
  runtime: GatewayRuntime;
  baseURL: string;
  close(): Promise<void>;
}

interface NodeOptions {
  spoolDir: string;
  memoryLimitEvents?: number;
  batchSize?: number;
}

async function startNode(
  database: Database,
  upstream: FakeUpstream,
  options: NodeOptions,
): Promise<Node> {
  const runtime = await startRuntime({
    database,
    http: { readinessTimeoutMs: 300 },
    gateway: {
      upstream: { url: upstream.url, apiKey: UPSTREAM_KEY, timeoutMs: 10_000 },
      prices: PriceTable.load(),
      recorder: {
        maxDelayMs: 5,
        retryBaseMs: 1,
        retryMaxMs: 20,
        spoolDir: options.spoolDir,
        ...(options.memoryLimitEvents !== undefined && {
          memoryLimitEvents: options.memoryLimitEvents,
        }),
        ...(options.batchSize !== undefined && { batchSize: options.batchSize }),
      },
      // No reads of the change log but at start, and no listening connection: the tests count
      // what crosses the proxy, and which pooled connection a statement gets.
      changes: { pollIntervalMs: 0, reconcileIntervalMs: 0, notifications: false },
    },
  });
  const { app, services } = runtime;
  const address = await app.listen({ port: 0, host: "127.0.0.1" });
  return {
    app,
    services,
    runtime: runtime.gateway as GatewayRuntime,
    baseURL: address,
    close: runtime.close,
  };
}

async function admin(
  node: Node,
  adminKey: string,
  method: "GET" | "POST",
  url: string,
  body?: unknown,
) {
  const response = await node.app.inject({
    method,
    url,
    headers: {
      "x-api-key": adminKey,
      "anthropic-version": "2023-06-01",
      ...(body !== undefined && { "content-type": "application/json" }),
    },
    ...(body !== undefined && { payload: JSON.stringify(body) }),
  });
  return { status: response.statusCode, body: response.json(), headers: response.headers };
}

async function message(node: Node, apiKey: string): Promise<number> {
  const response = await fetch(`${node.baseURL}/v1/messages`, {
    method: "POST",
    headers: {
      "x-api-key": apiKey,
      "anthropic-version": "2023-06-01",
      "content-type": "application/json",
    },
    body: JSON.stringify({
      model: "claude-haiku-4-5",
      max_tokens: 16,
      messages: [{ role: "user", content: "Say hello." }],
    }),
  });
  await response.arrayBuffer();
  return response.status;
}

/** Usage events stored for the key, and the requests its daily rollup counts. */
async function counted(database: Database, apiKeyId: string) {
  const events = await database.db
    .selectFrom("usage_events")
    .select(sql<number>`count(*)`.as("n"))
    .where("api_key_id", "=", apiKeyId)
    .executeTakeFirstOrThrow();
  const rollup = await database.db
    .selectFrom("usage_key_day")
    .select(sql<number>`coalesce(sum(requests), 0)`.as("n"))
    .where("api_key_id", "=", apiKeyId)
    .executeTakeFirstOrThrow();
  return { events: Number(events.n), rollup: Number(rollup.n) };
}

function segments(dir: string): string[] {
  return readdirSync(dir).filter((name) => name.endsWith(".jsonl"));
}

/** How a backend's database becomes unavailable and comes back. */
interface Outage {
  /** A new connection to the test's database (a "restarted" process's). */
  connect(options?: ConnectOptions): Promise<Database>;
  begin(database: Database): Promise<void>;
  end(database: Database): Promise<void>;
  cleanup(): Promise<void>;
}

async function sqliteOutage(): Promise<Outage> {
  const dir = mkdtempSync(join(tmpdir(), "steward-faults-"));
  const url = `sqlite:${join(dir, "steward.db")}`;
  return {
    connect: async () => {
      const database = connect(url);
      await migrate(database);
      return database;
    },
    // The writer refuses every write, as a file that became read-only does: SQLITE_READONLY.
    begin: async (database) => {
      await sql.raw("pragma query_only = ON").execute(database.db);
    },
    end: async (database) => {
      await sql.raw("pragma query_only = OFF").execute(database.db);
    },
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

async function postgresOutage(url: string, proxy: TcpProxy): Promise<Outage> {
  const schema = testSchemaName();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`create schema ${schema}`);
  await client.end();
  return {
    connect: async (options = {}) => {
      const database = connect(proxy.urlFor(url), {
        schema,
        maxConnections: 4,
        connectTimeoutMs: 1000,
        // Short for the tests, and long enough for a busy machine's migrations.
        statementTimeoutMs: 1500,
        onConnectionError: () => {},
        ...options,
      });
      await migrate(database);
      return database;
    },
    begin: async () => proxy.cut(),
    end: async () => proxy.restore(),
    // The schema is dropped after the run (test/pg-schemas.ts).
    cleanup: async () => {},
  };
}

interface Backend {
  name: "sqlite" | "postgres";
  outage(): Promise<Outage>;
}

const backends: Backend[] = [{ name: "sqlite", outage: sqliteOutage }];
let proxy: TcpProxy | undefined;
if (PG_URL !== undefined) {
  backends.push({
    name: "postgres",
    outage: () => postgresOutage(PG_URL, proxy as TcpProxy),
  });
}

beforeAll(async () => {
  if (PG_URL !== undefined) {
    const target = new URL(PG_URL);
    proxy = await startTcpProxy(target.hostname || "127.0.0.1", Number(target.port || 5432));
  }
});
afterAll(async () => {
  await proxy?.close();
});
afterEach(() => {
  proxy?.restore();
});

for (const backend of [
  ...backends,
  ...(PG_URL === undefined ? [{ name: "postgres" as const, skip: true }] : []),
]) {
  const suite = "skip" in backend ? describe.skip : describe;
  suite(`usage during a database outage [${backend.name}]`, () => {
    let upstream: FakeUpstream;
    let outage: Outage;
    let spoolDir: string;
    const opened: Array<{ close(): Promise<void> }> = [];

    beforeAll(async () => {
      upstream = await startFakeUpstream({ apiKey: UPSTREAM_KEY });
    });
    afterAll(async () => {
      await upstream.close();
    });
    afterEach(async () => {
      for (const resource of opened.splice(0).reverse()) {
        await resource.close().catch(() => {});
      }
      await outage?.cleanup();
    });

    async function setUp(options: Omit<NodeOptions, "spoolDir"> = {}) {
      outage = await (backend as Backend).outage();
      spoolDir = mkdtempSync(join(tmpdir(), "steward-spool-"));
      opened.push({ close: async () => rmSync(spoolDir, { recursive: true, force: true }) });
      const database = await outage.connect();
      opened.push(database);
      const node = await startNode(database, upstream, { spoolDir, ...options });
      opened.push(node);
      const org = await node.services.organizations.create(
        { name: "Faults", ownerEmail: "owner@faults.example", ownerName: "Olivia Owner" },
        { type: "system", id: null },
      );
      const key = await admin(node, org.adminKey, "POST", "/v1/api_keys", { name: "k" });
      expect(key.status).toBe(200);
      return {
        database,
        node,
        adminKey: org.adminKey,
        key: key.body as { id: string; key: string },
      };
    }

    it("serves a valid key from memory and writes its usage exactly once when the database is back", async () => {
      const { database, node, key } = await setUp();
      await outage.begin(database);
      for (let i = 0; i < 5; i++) {
        expect(await message(node, key.key)).toBe(200);
      }
      await outage.end(database);
      // The recorder's next try writes what it held.
      const recorder = node.runtime.recorder;
      await until(
        async () => (await counted(database, key.id)).events === 5,
        "usage written",
        20_000,
      );
      await recorder.drain();
      expect(await counted(database, key.id)).toEqual({ events: 5, rollup: 5 });
      expect(recorder.spooled).toBe(0);
    });

    it("spools past the memory bound and replays the spool once the database is back", async () => {
      const { database, node, key } = await setUp({ batchSize: 1, memoryLimitEvents: 1 });
      await outage.begin(database);
      for (let i = 0; i < 6; i++) {
        expect(await message(node, key.key)).toBe(200);
      }
      // Each event past the first is spooled as it comes (one append at a time).
      await until(() => node.runtime.recorder.spooled > 0, "events spooled");
      expect(segments(spoolDir).length).toBeGreaterThan(0);
      await outage.end(database);
      // The recorder's next try writes what it holds, then replays the spool.
      const recorder = node.runtime.recorder;
      await until(() => recorder.pending === 0 && recorder.spooled === 0, "spool replayed", 20_000);
      await recorder.drain();
      expect(await counted(database, key.id)).toEqual({ events: 6, rollup: 6 });
      expect(segments(spoolDir)).toEqual([]);
      const gauge = await node.runtime.metrics.registry.getSingleMetricAsString(
        "steward_metering_spool_events",
      );
      expect(gauge).toContain("steward_metering_spool_events 0");
    });

    it("spools what it holds when stopped during the outage, and a restart writes it exactly once", async () => {
      const { database, node, key } = await setUp();
      await outage.begin(database);
      for (let i = 0; i < 5; i++) {
        expect(await message(node, key.key)).toBe(200);
      }
      // SIGTERM's close: the drain cannot write, so it spools. (Other close hooks that write may
      // report the outage: the process exits all the same.)
      await node.close().catch((error) => {
        if (!isStorageUnavailable(error)) {
          throw error;
        }
      });
      expect(segments(spoolDir).length).toBeGreaterThan(0);
      await outage.end(database);
      // The stopped process no longer touches the spool, even with the database back: the next
      // start owns it.
      await node.runtime.recorder.replaySpool();
      expect(segments(spoolDir).length).toBeGreaterThan(0);
      await database.close();

      // A copy of the spool, to put back as if the process had crashed between the commit and
      // the delete.
      const backup = mkdtempSync(join(tmpdir(), "steward-spool-copy-"));
      opened.push({ close: async () => rmSync(backup, { recursive: true, force: true }) });
      for (const name of segments(spoolDir)) {
        copyFileSync(join(spoolDir, name), join(backup, name));
      }

      const again = await outage.connect();
      opened.push(again);
      const restarted = await startNode(again, upstream, { spoolDir });
      opened.push(restarted);
      // Written on start (or, if the database fails again meanwhile, by the retries after it).
      await until(() => restarted.runtime.recorder.spooled === 0, "spool replayed", 20_000);
      expect(await counted(again, key.id)).toEqual({ events: 5, rollup: 5 });
      expect(segments(spoolDir)).toEqual([]);
      await restarted.close();

      for (const name of segments(backup)) {
        copyFileSync(join(backup, name), join(spoolDir, name));
      }
      const third = await startNode(again, upstream, { spoolDir });
      opened.push(third);
      await until(() => third.runtime.recorder.spooled === 0, "spool replayed", 20_000);
      expect(await counted(again, key.id)).toEqual({ events: 5, rollup: 5 });
      expect(segments(spoolDir)).toEqual([]);
    });

    it("answers an admin call with 503 in the error envelope, and the process goes on", async () => {
      const { database, node, adminKey } = await setUp();
      await outage.begin(database);
      const refused = await admin(node, adminKey, "POST", "/v1/workspaces", { name: "During" });
      expect(expectError(refused, 503, "unavailable_error").message).toMatch(/unavailable/);
      expect(refused.headers["retry-after"]).toBe("1");
      await outage.end(database);
      // A pooled connection that died in the outage may fail one more call (503, retryable);
      // the node recovers by itself within moments.
      await until(
        async () =>
          (await admin(node, adminKey, "POST", "/v1/workspaces", { name: "After" })).status === 200,
        "an admin call answered after the outage",
      );
    });
  });
}

describe("SQLite: a full database", () => {
  it("answers writes with 503 while full, then writes the held usage once", async () => {
    const outage = await sqliteOutage();
    const upstream = await startFakeUpstream({ apiKey: UPSTREAM_KEY });
    const spoolDir = mkdtempSync(join(tmpdir(), "steward-spool-"));
    const database = await outage.connect();
    const node = await startNode(database, upstream, { spoolDir });
    try {
      const org = await node.services.organizations.create(
        { name: "Full", ownerEmail: "owner@full.example", ownerName: "Olivia Owner" },
        { type: "system", id: null },
      );
      const key = (await admin(node, org.adminKey, "POST", "/v1/api_keys", { name: "k" })).body as {
        id: string;
        key: string;
      };
      const pages = await sql<{ page_count: number }>`pragma page_count`.execute(database.db);
      // The file may not grow: the next write that needs a page fails with SQLITE_FULL.
      await sql.raw(`pragma max_page_count = ${pages.rows[0]?.page_count}`).execute(database.db);
      let refused: Awaited<ReturnType<typeof admin>> | undefined;
      for (let i = 0; i < 500 && refused === undefined; i++) {
        const response = await admin(node, org.adminKey, "POST", "/v1/workspaces", {
          name: `Filler ${i} ${"x".repeat(28)}`.slice(0, 40),
        });
        if (response.status !== 200) {
          refused = response;
        }
      }
      expect(refused).toBeDefined();
      expectError(refused as Awaited<ReturnType<typeof admin>>, 503, "unavailable_error");
      expect(await message(node, key.key)).toBe(200);
      await sql.raw("pragma max_page_count = 1073741823").execute(database.db);
      await node.runtime.recorder.drain();
      expect(await counted(database, key.id)).toEqual({ events: 1, rollup: 1 });
    } finally {
      await node.close();
      await database.close();
      await upstream.close();
      await outage.cleanup();
      rmSync(spoolDir, { recursive: true, force: true });
    }
  });
});

(PG_URL === undefined ? describe.skip : describe)(
  "PostgreSQL: connections lost or black-holed",
  () => {
    let outage: Outage;
    let upstream: FakeUpstream;
    let spoolDir: string;

    beforeAll(async () => {
      upstream = await startFakeUpstream({ apiKey: UPSTREAM_KEY });
    });
    afterAll(async () => {
      await upstream.close();
    });

    async function setUp(options: ConnectOptions = {}) {
      outage = await postgresOutage(PG_URL as string, proxy as TcpProxy);
      spoolDir = mkdtempSync(join(tmpdir(), "steward-spool-"));
      const database = await outage.connect(options);
      const node = await startNode(database, upstream, { spoolDir });
      const org = await node.services.organizations.create(
        { name: "Proxy", ownerEmail: "owner@proxy.example", ownerName: "Olivia Owner" },
        { type: "system", id: null },
      );
      const key = (await admin(node, org.adminKey, "POST", "/v1/api_keys", { name: "k" })).body as {
        id: string;
        key: string;
      };
      return {
        database,
        node,
        adminKey: org.adminKey,
        key,
        close: async () => {
          await node.close();
          await database.close();
          rmSync(spoolDir, { recursive: true, force: true });
        },
      };
    }

    it("survives idle connections being cut (the pool's 'error' is handled)", async () => {
      let reported!: () => void;
      const lost = new Promise<void>((resolve) => {
        reported = resolve;
      });
      const { node, adminKey, close } = await setUp({ onConnectionError: () => reported() });
      try {
        // Connections are idle in the pool when they are cut.
        expect((await admin(node, adminKey, "GET", "/v1/workspaces")).status).toBe(200);
        (proxy as TcpProxy).cut();
        await lost;
        const ready = await node.app.inject({ method: "GET", url: "/readyz" });
        expect(ready.statusCode).toBe(503);
        (proxy as TcpProxy).restore();
        expect((await admin(node, adminKey, "GET", "/v1/workspaces")).status).toBe(200);
        expect((await node.app.inject({ method: "GET", url: "/readyz" })).statusCode).toBe(200);
      } finally {
        await close();
      }
    });

    it("answers /readyz and admin calls with 503 when the network black-holes everything", async () => {
      const { node, adminKey, key, close } = await setUp();
      try {
        expect((await admin(node, adminKey, "GET", "/v1/workspaces")).status).toBe(200);
        (proxy as TcpProxy).stall();
        // Pooled connections and new ones alike: the ping's deadline (300 ms here) answers.
        const ready = await node.app.inject({ method: "GET", url: "/readyz" });
        expect(ready.statusCode).toBe(503);
        expect(ready.json()).toEqual({ status: "unavailable", reason: "database unreachable" });
        // The statement's and the connection's timeouts answer (1.5 s and 1 s here).
        expectError(await admin(node, adminKey, "GET", "/v1/workspaces"), 503, "unavailable_error");
        expectError(await admin(node, adminKey, "GET", "/v1/workspaces"), 503, "unavailable_error");
        // The gateway does not wait on the database.
        expect(await message(node, key.key)).toBe(200);
        (proxy as TcpProxy).restore();
        expect((await admin(node, adminKey, "GET", "/v1/workspaces")).status).toBe(200);
        expect((await node.app.inject({ method: "GET", url: "/readyz" })).statusCode).toBe(200);
        await node.runtime.recorder.drain();
      } finally {
        await close();
      }
    });

    it("closes a connection whose answer never came, so the next statement does not wait on it", async () => {
      const outageForPool = await postgresOutage(PG_URL as string, proxy as TcpProxy);
      const database = await outageForPool.connect({ maxConnections: 1 });
      try {
        await sql`select 1`.execute(database.db);
        (proxy as TcpProxy).stall();
        await expect(sql`select 1`.execute(database.db)).rejects.toThrow(/Query read timeout/);
        // The pool's one connection was closed: the next statement waits for a new connection
        // (the connect timeout), not behind the lost answer (another query timeout).
        await expect(sql`select 1`.execute(database.db)).rejects.toThrow(
          /timeout exceeded when trying to connect|connection timeout/,
        );
        (proxy as TcpProxy).restore();
        await sql`select 1`.execute(database.db);
      } finally {
        (proxy as TcpProxy).restore();
        await database.close();
      }
    });

    it("answers a query whose connection is cut while it waits (no unhandled client 'error')", async () => {
      const { node, adminKey, close } = await setUp({ statementTimeoutMs: 60_000 });
      try {
        expect((await admin(node, adminKey, "GET", "/v1/workspaces")).status).toBe(200);
        (proxy as TcpProxy).stall();
        const before = (proxy as TcpProxy).dropped;
        const pending = admin(node, adminKey, "GET", "/v1/workspaces");
        // The query is sent, on a checked-out connection, and waits: then the connection is lost.
        await until(() => (proxy as TcpProxy).dropped > before, "the query sent");
        (proxy as TcpProxy).cut();
        expectError(await pending, 503, "unavailable_error");
        (proxy as TcpProxy).restore();
        expect((await admin(node, adminKey, "GET", "/v1/workspaces")).status).toBe(200);
      } finally {
        await close();
      }
    });

    it("keeps a key changed during the outage refused until it can be read back", async () => {
      const { database, node, adminKey, key, close } = await setUp();
      try {
        const state = node.runtime.state;
        // A reload that fails (the database went away between the commit and the reload).
        (proxy as TcpProxy).cut();
        await state.apiKeysChanged([key.id]);
        expect(await message(node, key.key)).toBe(401);
        (proxy as TcpProxy).restore();
        await state.apiKeysChanged([key.id]);
        expect(await message(node, key.key)).toBe(200);
        expect(adminKey).toBeTruthy();
        expect(database.dialect).toBe("postgres");
        await node.runtime.recorder.drain();
      } finally {
        await close();
      }
    });
  },
);

describe("the usage spool", () => {
  const event = (id: string): UsageEventRow =>
    ({ id, organization_id: "org_1", api_key_id: null }) as unknown as UsageEventRow;

  it("skips a line torn by a crash, and counts every whole event", async () => {
    const dir = mkdtempSync(join(tmpdir(), "steward-spool-"));
    try {
      const spool = UsageSpool.open(dir);
      await spool.append([event("a"), event("b")]);
      await spool.append([event("c")]);
      expect(spool.events).toBe(3);
      const [name] = segments(dir);
      appendFileSync(join(dir, name as string), '{"id":"d","organiz');
      // A restarted process: the lock is this process's own, so it is taken over.
      const reopened = UsageSpool.open(dir);
      const segment = await reopened.oldest();
      expect(segment?.events.map((e) => e.id)).toEqual(["a", "b", "c"]);
      expect(segment?.skipped).toBe(1);
      segment?.commit();
      expect(reopened.empty).toBe(true);
      expect(segments(dir)).toEqual([]);
      await reopened.close();
      await spool.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses a directory another live process holds", () => {
    const dir = mkdtempSync(join(tmpdir(), "steward-spool-"));
    try {
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, "spool.lock"), String(process.ppid));
      expect(() => UsageSpool.open(dir)).toThrow(SpoolLockedError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
