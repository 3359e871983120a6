/**
 * Several Steward processes on one database (issue 24): three nodes on PostgreSQL and Redis, and
 * one node on SQLite, each a server process started from the sources (test/support/cluster.ts).
 * What one node commits, another must act on: keys created, revoked, workspaces archived, limits
 * lowered, an operator command's writes; requests per minute and spend are global, and stay within
 * docs/scaling.md's bounds while Redis is down; losing Redis or the database mid-load loses no
 * request and no usage; alerts fire once; and at the end the usage reports add up to exactly what
 * the fake upstream served.
 *
 * The PostgreSQL cluster runs when TEST_DATABASE_URL and TEST_REDIS_URL are set (as .ci/run sets
 * them). Its Redis is a private `redis-server` (on PATH wherever TEST_REDIS_URL's is), not the
 * shared one: the test kills and restarts it. Its database is a PostgreSQL database of its own,
 * reached through a TCP proxy the test can cut. Latencies are printed, never asserted beyond a
 * generous sanity bound: the machine is shared.
 */
import { performance } from "node:perf_hooks";
import { sql } from "kysely";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PriceTable } from "../src/core/usage/prices.js";
import { connect, type Database } from "../src/db/connect.js";
import { type Receiver, startReceiver } from "./alert-receivers.js";
import { cleanEnv, ROOT } from "./cli-harness.js";
import { runCliInProcess } from "./support/cli-in-process.js";
import {
  type Cluster,
  type ClusterNode,
  DEFAULT_MESSAGE,
  type Message,
  type Served,
  sleep,
  startCluster,
  waitFor,
} from "./support/cluster.js";

const PG_URL = process.env.TEST_DATABASE_URL;
const REDIS_URL = process.env.TEST_REDIS_URL;
/** Three nodes; STEWARD_TEST_NODES=2 (or more) runs the same scenarios on another count. */
const NODES = Math.max(2, Number(process.env.STEWARD_TEST_NODES ?? 3));

/** Beyond this, a change not yet seen on another node is a failure, not a slow machine. */
const SANITY_BOUND_MS = 5_000;
/** How long a node may take to see a change before the test gives up (catch-up, reconciliation). */
const PROPAGATION_DEADLINE_MS = 15_000;
const REVOCATIONS = 50;

const prices = PriceTable.load();
/** Passes the key check and fails the body's: 400 for a valid key, 401 for a refused one, and
 * nothing reaches the upstream, so a tight loop costs no usage. */
const PROBE = {};

const statusOf = (response: Message) => response.status;
const isServerError = (status: number) => status >= 500;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) {
    return Number.NaN;
  }
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] as number;
}

function distribution(name: string, samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const f = (ms: number) => ms.toFixed(1);
  return (
    `${name} over ${sorted.length}: p50 ${f(percentile(sorted, 50))} ms, p90 ` +
    `${f(percentile(sorted, 90))} ms, p99 ${f(percentile(sorted, 99))} ms, max ` +
    `${f(sorted.at(-1) ?? Number.NaN)} ms`
  );
}

/** Runs `tasks` with at most `concurrency` at a time; their results in order. */
async function inParallel<T>(concurrency: number, tasks: Array<() => Promise<T>>): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, tasks.length) }, async () => {
      while (next < tasks.length) {
        const index = next++;
        results[index] = await (tasks[index] as () => Promise<T>)();
      }
    }),
  );
  return results;
}

function tally(statuses: number[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const status of statuses) {
    counts[status] = (counts[status] ?? 0) + 1;
  }
  return counts;
}

/** An operator command, run as the binary would run it, on `databaseUrl`. */
async function operator(databaseUrl: string, ...args: string[]) {
  const result = await runCliInProcess(args, {
    env: cleanEnv({ DATABASE_URL: databaseUrl }),
    cwd: ROOT,
  });
  if (result.code !== 0) {
    throw new Error(`steward ${args.join(" ")}: exit ${result.code}: ${result.stderr}`);
  }
  return JSON.parse(result.stdout);
}

/** Sets a key's status with a plain SQL write, as a script or psql would: no Steward in the way. */
async function writeKeyStatus(database: Database, keyId: string, status: string): Promise<void> {
  await database.db
    .updateTable("api_keys")
    .set({ status, updated_at: new Date().toISOString() })
    .where("id", "=", keyId)
    .execute();
}

/** The helpers every cluster's scenarios share. */
function clusterHelpers(get: () => Cluster) {
  let counter = 0;
  const ok = (response: Message, what: string): Message => {
    if (response.status !== 200) {
      throw new Error(`${what}: ${response.status} ${JSON.stringify(response.body)}`);
    }
    return response;
  };
  const helpers = {
    async workspace(node: ClusterNode, usageLimits?: Record<string, unknown>, adminKey?: string) {
      const created = ok(
        await get().admin(
          node,
          "POST",
          "/v1/workspaces",
          { name: `Nodes ${++counter}`, ...(usageLimits && { usage_limits: usageLimits }) },
          adminKey,
        ),
        "create workspace",
      );
      return created.body.id as string;
    },
    async key(node: ClusterNode, workspaceId?: string, adminKey?: string) {
      const created = ok(
        await get().admin(
          node,
          "POST",
          "/v1/api_keys",
          { name: `node key ${++counter}`, ...(workspaceId && { workspace_id: workspaceId }) },
          adminKey,
        ),
        "create key",
      );
      return { id: created.body.id as string, key: created.body.key as string };
    },
    /** A probe's status on `node`: 400 while the key is accepted, 401 once refused. */
    async probe(node: ClusterNode, apiKey: string) {
      return statusOf(await get().message(node, apiKey, PROBE));
    },
    /** Polls until `node` answers `apiKey`'s probe (or a real request) with `status`. */
    async until(
      node: ClusterNode,
      apiKey: string,
      status: number,
      what: string,
      body: unknown = PROBE,
    ): Promise<number> {
      const start = performance.now();
      let last = 0;
      await waitFor(
        async () => {
          last = statusOf(await get().message(node, apiKey, body));
          return last === status;
        },
        `${what} on ${node.name} (last answer ${last})`,
        PROPAGATION_DEADLINE_MS,
        5,
      );
      return performance.now() - start;
    },
  };
  return helpers;
}

// ---------------------------------------------------------------- three nodes

(PG_URL && REDIS_URL ? describe : describe.skip)(`${NODES} nodes on PostgreSQL and Redis`, () => {
  let cluster: Cluster;
  let A: ClusterNode;
  let B: ClusterNode;
  /** The last node (C, of three). */
  let C: ClusterNode;
  let nodes: ClusterNode[];
  /** A direct connection to the cluster's database (not through the proxy), for checks. */
  let database: Database;
  /** Admin keys of every organization the scenarios used, for the final usage totals. */
  const organizations: string[] = [];
  const h = clusterHelpers(() => cluster);

  beforeAll(async () => {
    cluster = await startCluster({
      nodes: NODES,
      postgresUrl: PG_URL as string,
      databaseThroughProxy: true,
    });
    nodes = cluster.nodes;
    [A, B] = nodes as [ClusterNode, ClusterNode];
    C = nodes.at(-1) as ClusterNode;
    database = connect(cluster.databaseUrl, { maxConnections: 2 });
    organizations.push(cluster.adminKey);
  }, 180_000);
  afterAll(async () => {
    await database?.close();
    await cluster?.stop();
  }, 60_000);
  beforeEach((context) => {
    context.onTestFailed(() => {
      console.log(`cluster output (newest last):\n${cluster?.logs().slice(-40_000)}`);
    });
  });

  /** Usage events recorded for a key, straight from the database. */
  const eventsOf = async (apiKeyId: string) =>
    Number(
      (
        await database.db
          .selectFrom("usage_events")
          .select(sql<number>`count(*)`.as("n"))
          .where("api_key_id", "=", apiKeyId)
          .executeTakeFirstOrThrow()
      ).n,
    );
  const costOf = async (workspaceId: string) =>
    Number(
      (
        await database.db
          .selectFrom("usage_events")
          .select(sql<string>`coalesce(sum(cost_nanos), 0)`.as("n"))
          .where("workspace_id", "=", workspaceId)
          .executeTakeFirstOrThrow()
      ).n,
    );

  it("serves a key created on A from B and C, and refuses it everywhere once A revokes it", async () => {
    const creation: number[] = [];
    const revocation: number[] = [];
    for (let i = 0; i < REVOCATIONS; i++) {
      const workspaceId = i === 0 ? await h.workspace(A) : undefined;
      const { id, key } = await h.key(A, workspaceId);
      const created = performance.now();
      // Usable on the other nodes: the first key for real (the upstream answers), then by probe.
      if (i === 0) {
        for (const node of nodes.slice(1)) {
          await h.until(node, key, 200, "new key served", DEFAULT_MESSAGE);
        }
      }
      await h.until(B, key, 400, "new key accepted");
      creation.push(performance.now() - created);

      // B is asked in a tight loop while A sets the key inactive (or archives it, every other
      // time); the latency is from A's answer to B's first refusal.
      let refusedAt: number | undefined;
      let stop = false;
      const loop = (async () => {
        const deadline = performance.now() + PROPAGATION_DEADLINE_MS;
        while (!stop && performance.now() < deadline) {
          const status = await h.probe(B, key);
          if (status === 401) {
            refusedAt = performance.now();
            return;
          }
          expect(status).toBe(400);
        }
      })();
      const revoked =
        i % 2 === 0
          ? await cluster.admin(A, "PATCH", `/v1/api_keys/${id}`, { status: "inactive" })
          : await cluster.admin(A, "DELETE", `/v1/api_keys/${id}`);
      const answeredAt = performance.now();
      expect(revoked.status).toBe(200);
      await loop;
      stop = true;
      if (refusedAt === undefined) {
        console.log(distribution("revocation (before giving up)", revocation));
        throw new Error(
          `revocation ${i + 1}: B still accepted the key ${PROPAGATION_DEADLINE_MS} ms after A revoked it`,
        );
      }
      revocation.push(Math.max(0, refusedAt - answeredAt));
      // The other node refuses it too.
      await h.until(C, key, 401, "revoked key refused");
    }
    console.log(distribution("cross-node key creation → accepted on B", creation));
    console.log(distribution("cross-node revocation: A's answer → B's first 401", revocation));
    expect(Math.max(...revocation)).toBeLessThan(SANITY_BOUND_MS);
  }, 120_000);

  it("refuses on B a workspace archived on A, and applies limits lowered on A", async () => {
    const archivedWs = await h.workspace(A);
    const archivedKey = await h.key(A, archivedWs);
    await h.until(B, archivedKey.key, 400, "key accepted");
    expect(statusOf(await cluster.admin(A, "POST", `/v1/workspaces/${archivedWs}/archive`))).toBe(
      200,
    );
    for (const node of nodes.slice(1)) {
      await h.until(node, archivedKey.key, 401, "key of an archived workspace refused");
    }

    // RPM 1000 → 2: once B has seen it, at most 2 requests a minute pass there.
    const limitedWs = await h.workspace(A, { requests_per_minute: 1000, monthly_spend_usd: 100 });
    const limited = await h.key(A, limitedWs);
    await h.until(B, limited.key, 200, "key served", DEFAULT_MESSAGE);
    const lowered = await cluster.admin(A, "PATCH", `/v1/workspaces/${limitedWs}`, {
      usage_limits: { requests_per_minute: 2 },
    });
    expect(lowered.status).toBe(200);
    for (const node of nodes) {
      await h.until(node, limited.key, 429, "lowered requests per minute applied", DEFAULT_MESSAGE);
    }
    const after = await Promise.all(
      nodes.flatMap((node) => [0, 1, 2, 3].map(() => cluster.message(node, limited.key))),
    );
    expect(after.filter((r) => r.status === 200).length).toBeLessThanOrEqual(2);
    expect(after.every((r) => r.status === 200 || r.status === 429)).toBe(true);

    // Spend limit lowered to $0.0001 on A: B and C refuse, and nothing more is spent.
    const spendWs = await h.workspace(A, { monthly_spend_usd: 100 });
    const spender = await h.key(A, spendWs);
    for (const node of nodes) {
      await h.until(node, spender.key, 200, "key served", DEFAULT_MESSAGE);
    }
    expect(
      statusOf(
        await cluster.admin(A, "PATCH", `/v1/workspaces/${spendWs}`, {
          usage_limits: { monthly_spend_usd: 0.0001 },
        }),
      ),
    ).toBe(200);
    for (const node of nodes.slice(1)) {
      await h.until(node, spender.key, 400, "lowered spend limit applied", DEFAULT_MESSAGE);
    }
    const upstreamBefore = cluster.served().messages;
    const refused = await Promise.all(
      nodes.flatMap((node) => [0, 1, 2].map(() => cluster.message(node, spender.key))),
    );
    expect(refused.map(statusOf)).toEqual(refused.map(() => 400));
    // Not one more call reached the upstream, so nothing more is spent.
    expect(cluster.served().messages).toBe(upstreamBefore);
  }, 60_000);

  /** 200 calls spread round-robin over the nodes, 30 at a time. */
  const burst = (key: string) =>
    inParallel(
      30,
      Array.from(
        { length: 200 },
        (_, i) => () => cluster.message(nodes[i % nodes.length] as ClusterNode, key).then(statusOf),
      ),
    );

  it("holds requests per minute across the nodes: a burst of 200 admits what one node would", async () => {
    const workspaceId = await h.workspace(A, { requests_per_minute: 60 });
    const { key } = await h.key(A, workspaceId);
    // A probe's body is refused before the limits are taken: it takes nothing from the bucket.
    const taken = 0;
    const firstTake = performance.now();
    for (const node of nodes) {
      await h.until(node, key, 400, "key accepted");
    }
    const statuses = await burst(key);
    const seconds = (performance.now() - firstTake) / 1000;
    const admitted = statuses.filter((s) => s === 200).length;
    // A token bucket of 60 refilling at one a second admits at most 60 + t in t seconds; one more
    // for the rounding of a refill that lands as the burst ends.
    const allowance = Math.ceil(seconds) + 1;
    console.log(
      `global RPM 60: ${admitted} of 200 admitted (+${taken} probes) in ${seconds.toFixed(1)} s, ` +
        `bound ${60 + allowance}; answers ${JSON.stringify(tally(statuses))}`,
    );
    expect(statuses.every((s) => s === 200 || s === 429)).toBe(true);
    expect(admitted + taken).toBeLessThanOrEqual(60 + allowance);
    // Not starved either: at least any node's share.
    expect(admitted + taken).toBeGreaterThanOrEqual(20);
  }, 60_000);

  interface SpendRun {
    limitNanos: number;
    /** What admission reserves for one call of the waves (not streamed). */
    estimate: number;
    inFlight: number;
    fit: number;
    spent: number;
    statuses: number[];
    summary: string;
  }

  /**
   * A workspace whose spend limit has room for 28 reservations (as in the issue, $0.01 was about
   * 28 calls there): 60 calls at once over the nodes, each streaming long enough that every
   * admitted one holds its reservation while the rest are decided; `between()`; then calls in
   * waves over the nodes until a whole wave is refused.
   */
  async function spendUnderConcurrency(
    prepare: () => Promise<void> = async () => {},
    between: () => Promise<void> = async () => {},
  ): Promise<SpendRun> {
    const body = { ...DEFAULT_MESSAGE, model: "claude-haiku-4-5" };
    const streamed = { ...body, stream: true };
    const estimateOf = (sent: unknown) =>
      prices.estimate(body.model, {
        inputBytes: Buffer.byteLength(JSON.stringify(sent)),
        maxTokens: body.max_tokens,
        webSearches: 0,
      });
    const estimate = estimateOf(streamed);
    const fit = 28;
    const limitMicros = Math.ceil((fit * estimate + estimate / 2) / 1000);
    const limitNanos = limitMicros * 1000;
    const workspaceId = await h.workspace(A, { monthly_spend_usd: limitMicros / 1e6 });
    const { id: keyId, key } = await h.key(A, workspaceId);
    for (const node of nodes) {
      await h.until(node, key, 400, "key accepted");
    }
    await prepare();

    cluster.upstream.script({ kind: "slow-stream", chunks: 20, intervalMs: 100 });
    const before = cluster.served().messages;
    let refused = 0;
    const calls = Array.from({ length: 60 }, (_, i) =>
      cluster.message(nodes[i % nodes.length] as ClusterNode, key, streamed).then((r) => {
        if (r.status !== 200) {
          refused += 1;
        }
        return r;
      }),
    );
    await waitFor(
      () => cluster.served().messages - before + refused === 60,
      "every call admitted or refused",
      30_000,
    );
    const inFlight = cluster.served().messages - before;
    const concurrent = (await Promise.all(calls)).map(statusOf);
    cluster.upstream.script({ kind: "message" });
    // Their usage is in the database before Redis comes back: a Redis that comes back empty is
    // seeded from the database, and usage still in a recorder's queue at that moment would be
    // missing from its count (the drift docs/scaling.md states), which is not what this measures.
    const admittedAtOnce = concurrent.filter((s) => s === 200).length;
    await waitFor(
      async () => (await eventsOf(keyId)) === admittedAtOnce,
      "the calls so far metered",
    );
    await between();

    // Settled at their real (smaller) cost, the rest of the budget is usable.
    const more: number[] = [];
    for (let wave = 0; wave < 20; wave++) {
      const statuses = await Promise.all(
        nodes.flatMap((node) => [0, 1, 2, 3].map(() => cluster.message(node, key, body))),
      ).then((all) => all.map(statusOf));
      more.push(...statuses);
      if (statuses.every((s) => s === 400)) {
        break;
      }
    }
    const statuses = [...concurrent, ...more];
    const servedCalls = statuses.filter((s) => s === 200).length;
    await waitFor(async () => (await eventsOf(keyId)) === servedCalls, "every served call metered");
    const spent = await costOf(workspaceId);
    return {
      limitNanos,
      estimate: estimateOf(body),
      inFlight,
      fit,
      spent,
      statuses,
      summary:
        `limit ${limitNanos} n$ (${fit} reservations of ${estimate}); ${inFlight} of 60 admitted at ` +
        `once, then ${more.filter((s) => s === 200).length} more; recorded ${spent} n$ ` +
        `(${(spent / limitNanos).toFixed(3)} of the limit)`,
    };
  }

  it("holds a spend limit across the nodes under concurrency", async () => {
    const run = await spendUnderConcurrency();
    console.log(`global spend: ${run.summary}`);
    expect(run.statuses.every((s) => s === 200 || s === 400)).toBe(true);
    // As on one node: exactly the reservations that fit are admitted, wherever they arrive...
    expect(run.inFlight).toBe(run.fit);
    // ...what was recorded, at real cost, stays within the limit, and a call was refused only
    // when its reservation would not fit.
    expect(run.spent).toBeLessThanOrEqual(run.limitNanos);
    expect(run.spent + run.estimate).toBeGreaterThan(run.limitNanos);
  }, 90_000);

  it("serves an organization an operator created with `steward orgs create`, and refuses a key whose status a script changed in the database", async () => {
    const created = await operator(
      cluster.databaseUrl,
      "orgs",
      "create",
      "--name",
      "Operator Org",
      "--owner-email",
      "ops@example.com",
      "--json",
    );
    const adminKey = created.admin_key as string;
    organizations.push(adminKey);
    // Its admin key works at once (admin keys are read from the database); its API keys must too.
    const { id, key } = await h.key(A, undefined, adminKey);
    for (const node of nodes) {
      await h.until(node, key, 200, "key of the operator's organization served", DEFAULT_MESSAGE);
    }

    await writeKeyStatus(database, id, "inactive");
    for (const node of nodes) {
      await h.until(node, key, 401, "key set inactive in the database refused");
    }
    await writeKeyStatus(database, id, "active");
    for (const node of nodes) {
      await h.until(node, key, 400, "key set active again in the database accepted");
    }
  }, 60_000);

  it("fires each alert threshold once across the nodes, delivered by one node", async () => {
    const receiver: Receiver = await startReceiver();
    try {
      const workspaceId = await h.workspace(A);
      const { id: keyId, key } = await h.key(A, workspaceId);
      await h.until(B, key, 200, "key served", DEFAULT_MESSAGE);
      await waitFor(async () => (await eventsOf(keyId)) === 1, "the first call metered");
      const cost = await costOf(workspaceId);
      expect(cost).toBeGreaterThan(0);
      const thresholds = [3.5, 6.5, 9.5].map((calls) => (calls * cost) / 1e9);
      const rule = await cluster.admin(A, "POST", "/v1/organizations/alert_rules", {
        name: "Across nodes",
        scope: { type: "workspace", workspace_id: workspaceId },
        thresholds: thresholds.map((amount_usd) => ({ type: "usd", amount_usd })),
        channels: [{ type: "webhook", url: receiver.url("/nodes") }],
      });
      expect(rule.status, JSON.stringify(rule.body)).toBe(200);
      // 11 more calls (12 in all) spread over the nodes cross the three thresholds.
      const statuses = await Promise.all(
        Array.from({ length: 11 }, (_, i) =>
          cluster.message(nodes[i % nodes.length] as ClusterNode, key).then(statusOf),
        ),
      );
      expect(statuses.every((s) => s === 200)).toBe(true);
      const deliveries = async () => {
        const page = await cluster.admin(
          A,
          "GET",
          `/v1/organizations/alert_deliveries?rule_id=${rule.body.id}&limit=100`,
        );
        return page.body.data as Array<{ id: string; status: string; attempt_count: number }>;
      };
      await waitFor(
        async () => {
          const all = await deliveries();
          return all.length >= 3 && all.every((d) => d.status === "delivered");
        },
        "three deliveries delivered",
        20_000,
      );
      // Give a second node the time to attempt the same delivery, if it were going to.
      await sleep(1_000);
      const all = await deliveries();
      const received = receiver.received.filter((r) => r.path === "/nodes");
      console.log(
        `alerts: ${all.length} deliveries, ${received.length} received, attempts ` +
          `${all.map((d) => d.attempt_count).join(",")}`,
      );
      expect(all).toHaveLength(3);
      expect(all.map((d) => d.attempt_count)).toEqual([1, 1, 1]);
      expect(received).toHaveLength(3);
      expect(new Set(received.map((r) => r.body.delivery_id)).size).toBe(3);
      const fired = received.map((r) => r.body.threshold.usd as number).sort((a, b) => a - b);
      expect(fired.map((usd, i) => Math.abs(usd - (thresholds[i] as number)) < 1e-6)).toEqual([
        true,
        true,
        true,
      ]);
    } finally {
      await receiver.close();
    }
  }, 60_000);

  /** Requests through every node in turn from `workers` loops until `done()`; their statuses. */
  async function load(key: string, workers: number, done: () => boolean): Promise<number[]> {
    const statuses: number[] = [];
    let turn = 0;
    await Promise.all(
      Array.from({ length: workers }, async () => {
        while (!done()) {
          const node = nodes[turn++ % nodes.length] as ClusterNode;
          try {
            statuses.push((await cluster.message(node, key)).status);
          } catch {
            statuses.push(0); // the connection failed: as bad as a 5xx
          }
        }
      }),
    );
    return statuses;
  }

  /** The value of an unlabelled gauge on a node's /metrics. */
  async function metricOf(node: ClusterNode, name: string): Promise<string | undefined> {
    const metrics = await (await fetch(`${node.url}/metrics`)).text();
    return new RegExp(`^${name} (\\S+)$`, "m").exec(metrics)?.[1];
  }

  /** `/readyz`'s status and `redis`, and /metrics' steward_redis_up, of a node. */
  async function redisState(node: ClusterNode): Promise<string> {
    const ready = await fetch(`${node.url}/readyz`);
    const body = (await ready.json()) as { redis?: string };
    return `${ready.status} ${body.redis} ${await metricOf(node, "steward_redis_up")}`;
  }

  it("keeps to the stated bounds while Redis is down (each node its share) and counts nothing twice once it is back", async () => {
    const redis = cluster.redis;
    if (!redis) {
      throw new Error("the cluster has no private Redis");
    }
    const rateWs = await h.workspace(A, { requests_per_minute: 60 });
    const rate = await h.key(A, rateWs);
    for (const node of nodes) {
      await h.until(node, rate.key, 400, "key accepted");
    }
    const down = async () => {
      // The shares are of the last known number of live nodes: all three must have seen the others.
      for (const node of nodes) {
        let counted: string | undefined;
        await waitFor(
          async () => {
            counted = await metricOf(node, "steward_cluster_nodes");
            return counted === String(nodes.length);
          },
          () => `${node.name}: counts ${nodes.length} live nodes (last counted: ${counted})`,
        );
      }
      await redis.kill();
      for (const node of nodes) {
        await waitFor(
          async () => (await redisState(node)) === "200 down 0",
          `${node.name}: degraded`,
        );
      }
    };
    const back = async () => {
      await redis.start();
      for (const node of nodes) {
        await waitFor(
          async () => (await redisState(node)) === "200 up 1",
          `${node.name}: Redis back`,
        );
      }
    };
    let rpm = "";
    const run = await spendUnderConcurrency(async () => {
      await down();
      // Each node its share, ceil(60 / 3) a minute: together at most 60 + nodes - 1, plus what
      // three buckets refilling at 20 a minute add while the burst runs, plus one for rounding.
      const started = performance.now();
      const statuses = await burst(rate.key);
      const seconds = (performance.now() - started) / 1000;
      const admitted = statuses.filter((s) => s === 200).length;
      const bound = 60 + nodes.length - 1 + Math.ceil(seconds) + 1;
      rpm = `${admitted} of 200 admitted in ${seconds.toFixed(1)} s, bound ${bound}`;
      expect(statuses.every((s) => s === 200 || s === 429)).toBe(true);
      expect(admitted).toBeLessThanOrEqual(bound);
      expect(admitted).toBeGreaterThanOrEqual(20);
    }, back);
    console.log(`Redis down: RPM 60: ${rpm}; spend (down, then back): ${run.summary}`);
    expect(run.statuses.every((s) => s === 200 || s === 400)).toBe(true);
    // Each node spends at most its share of the headroom: together within the limit...
    expect(run.inFlight).toBeLessThanOrEqual(run.fit);
    expect(run.inFlight).toBeGreaterThan(0);
    expect(run.spent).toBeLessThanOrEqual(run.limitNanos);
    // ...and once Redis is back (empty: it has no persistence), what was spent meanwhile is counted
    // once: a call is refused only when its reservation would not fit.
    expect(run.spent + run.estimate).toBeGreaterThan(run.limitNanos);
  }, 90_000);

  it("loses nothing when Redis is restarted mid-load: no 5xx, no valid key refused, usage exact", async () => {
    const redis = cluster.redis;
    if (!redis) {
      throw new Error("the cluster has no private Redis");
    }
    // Limits far above the load, so that the Redis limiter and ledger are on the path.
    const workspaceId = await h.workspace(A, {
      requests_per_minute: 100_000,
      monthly_spend_usd: 1_000,
    });
    const { id, key } = await h.key(A, workspaceId);
    for (const node of nodes) {
      await h.until(node, key, 200, "key served", DEFAULT_MESSAGE);
    }
    // One call served per node so far (refusals are not metered).
    const warmup = nodes.length;
    const served = cluster.served();
    let done = false;
    const running = load(key, 6, () => done);
    await sleep(1_000);
    await redis.kill();
    // Degraded, not unready: every node stays in the balancer and says why.
    for (const node of nodes) {
      await waitFor(
        async () => (await redisState(node)) === "200 down 0",
        `${node.name}: /readyz and /metrics say Redis is down`,
      );
    }
    await sleep(1_500);
    await redis.start();
    for (const node of nodes) {
      await waitFor(
        async () => (await redisState(node)) === "200 up 1",
        `${node.name}: /readyz and /metrics say Redis is back`,
      );
    }
    await sleep(1_000);
    done = true;
    const statuses = await running;
    console.log(
      `Redis restart mid-load: ${statuses.length} requests ${JSON.stringify(tally(statuses))}`,
    );
    expect(statuses.filter((s) => isServerError(s) || s === 0)).toEqual([]);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    const ok = statuses.filter((s) => s === 200).length;
    await waitFor(async () => (await eventsOf(id)) >= warmup + ok, "usage written", 20_000);
    expect(await eventsOf(id)).toBe(warmup + ok);
    expect(cluster.served().completed - served.completed).toBe(ok);
  }, 60_000);

  it("serves valid keys while the database is cut mid-load, writes the usage once, and catches up on what it missed", async () => {
    const proxy = cluster.proxy;
    if (!proxy) {
      throw new Error("the cluster's database is not behind a proxy");
    }
    const workspaceId = await h.workspace(A);
    const served = await h.key(A, workspaceId);
    const missed = await h.key(A, workspaceId);
    for (const node of nodes) {
      await h.until(node, served.key, 200, "key served", DEFAULT_MESSAGE);
      await h.until(node, missed.key, 400, "key accepted");
    }
    // One call served per node so far (refusals are not metered): written before the cut.
    const before = nodes.length;
    await waitFor(async () => (await eventsOf(served.id)) === before, "the first calls metered");
    let done = false;
    const running = load(served.key, 6, () => done);
    await sleep(800);
    proxy.cut();
    // Written while every node is cut off: the notification cannot reach them; the change log
    // must, once they are back.
    await writeKeyStatus(database, missed.id, "inactive");
    await sleep(2_000);
    proxy.restore();
    await sleep(800);
    done = true;
    const statuses = await running;
    console.log(
      `database cut mid-load: ${statuses.length} requests ${JSON.stringify(tally(statuses))}`,
    );
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    const ok = statuses.length;
    await waitFor(
      async () => (await eventsOf(served.id)) >= before + ok,
      "usage written after the database came back",
      30_000,
    );
    for (const node of nodes) {
      const waited = await h.until(node, missed.key, 401, "change made during the cut applied");
      console.log(
        `  ${node.name} refused the key changed during the cut ${waited.toFixed(0)} ms after restore checks began`,
      );
    }
    // Exactly once: not one event more, however the spool and retries went.
    await sleep(500);
    expect(await eventsOf(served.id)).toBe(before + ok);
  }, 90_000);

  it("reports exactly the usage the fake upstream served", async () => {
    const today = new Date();
    const day = (offset: number) =>
      new Date(today.getTime() + offset * 86_400_000).toISOString().slice(0, 10);
    const reported = async (): Promise<Served> => {
      const total: Served = { messages: 0, completed: 0, inputTokens: 0, outputTokens: 0 };
      for (const adminKey of organizations) {
        const report = await cluster.admin(
          B,
          "GET",
          `/v1/usage?start_date=${day(-1)}&end_date=${day(1)}&granularity=day`,
          undefined,
          adminKey,
        );
        expect(report.status, JSON.stringify(report.body)).toBe(200);
        total.messages += report.body.total.requests;
        total.completed += report.body.total.requests;
        total.inputTokens += report.body.total.input_tokens;
        total.outputTokens += report.body.total.output_tokens;
      }
      return total;
    };
    let last: Served | undefined;
    await waitFor(
      async () => {
        last = await reported();
        return last.messages >= cluster.served().messages;
      },
      "every served request reported",
      20_000,
      100,
    );
    const served = cluster.served();
    console.log(`usage: reported ${JSON.stringify(last)}, served ${JSON.stringify(served)}`);
    expect(await reported()).toEqual({ ...served, completed: served.messages });
    expect(served.completed).toBe(served.messages);
  }, 60_000);
});

// ---------------------------------------------------------------- one node on SQLite

describe("one node on SQLite: an operator's writes reach the running server", () => {
  let cluster: Cluster;
  let database: Database;
  const h = clusterHelpers(() => cluster);

  beforeAll(async () => {
    cluster = await startCluster({ nodes: 1, redis: false });
    database = connect(cluster.databaseUrl);
  }, 120_000);
  afterAll(async () => {
    await database?.close();
    await cluster?.stop();
  }, 60_000);
  beforeEach((context) => {
    context.onTestFailed(() => {
      console.log(`node output (newest last):\n${cluster?.logs().slice(-40_000)}`);
    });
  });

  it("serves the keys of an organization made by `steward orgs create`, and refuses a key a script set inactive", async () => {
    const node = cluster.nodes[0] as ClusterNode;
    const created = await operator(
      cluster.databaseUrl,
      "orgs",
      "create",
      "--name",
      "Operator Org",
      "--owner-email",
      "ops@example.com",
      "--json",
    );
    const { id, key } = await h.key(node, undefined, created.admin_key);
    await h.until(node, key, 200, "key of the operator's organization served", DEFAULT_MESSAGE);

    await writeKeyStatus(database, id, "inactive");
    await h.until(node, key, 401, "key set inactive in the database refused");
    await writeKeyStatus(database, id, "active");
    await h.until(node, key, 400, "key set active again in the database accepted");
  }, 60_000);
});
