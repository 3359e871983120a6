/**
 * The cluster benchmark (issue 24): Steward on 1, 2 and 3 nodes sharing one PostgreSQL database
 * and one Redis, behind a small round-robin balancer, in one run; and the cross-node revocation
 * latency, idle and under load.
 *
 * - Nodes: Steward server processes from the sources (test/support/cluster.ts: `node --import tsx
 *   src/main.ts`, configured by environment as in production), every check on and global: the
 *   workspace has a requests-per-minute limit and a spend limit far above the load, so every
 *   request takes from the Redis token bucket and reserves and settles in the Redis ledger, and
 *   metering writes usage events to PostgreSQL.
 * - Reference: a fourth node on the same database without Redis (the one-node default: the rate
 *   bucket and spend ledger in memory), measured alone, to show what the shared state costs.
 * - Balancer: a TCP round-robin balancer in a process of its own (this file with `--balancer`):
 *   each new client connection goes to the next node, as an L4 load balancer does; the load
 *   generator's connections (a multiple of 6) are spread evenly over 1, 2 or 3 nodes.
 * - Upstream: the fake Anthropic upstream (bench/upstream.ts) in a process of its own.
 * - Load: autocannon here, `POST /v1/messages` (JSON) over `--connections` connections. The
 *   targets take turns in short rounds, every other round in reverse order, so that the machine's
 *   drift hits them alike; the table shows the median round of each, and each target's throughput
 *   as a ratio to one node with Redis in the same round (median and range over the rounds).
 * - Revocation latency: a key is created on node A and seen on C; then C is asked in a tight
 *   loop while A sets the key inactive; the time from A's answer to C's first 401 is one sample.
 *   Idle first, then while the 3-node cluster is under the same load as above.
 *
 * Every process shares the machine's cores (two here): three nodes do not have three times the
 * CPU of one, so this shows what sharing state costs per request and that nothing serializes
 * across nodes, not how a cluster of separate machines scales.
 *
 *   npx tsx bench/cluster.ts [--rounds=5] [--duration=3] [--warmup=2] [--connections=48]
 *     [--revocations=50]
 *   BENCH_DATABASE_URL (default TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/test)
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer, type Socket, connect as tcpConnect } from "node:net";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import {
  type Cluster,
  type ClusterNode,
  DEFAULT_MESSAGE,
  sleep,
  startCluster,
  waitFor,
} from "../test/support/cluster.js";

function option(name: string, fallback: string): string {
  const prefix = `--${name}=`;
  const found = process.argv.find((arg) => arg.startsWith(prefix));
  return found === undefined ? fallback : found.slice(prefix.length);
}

// ---------------------------------------------------------------- the balancer (child process)

/**
 * Round-robin over the ports last sent on the IPC channel (`{type: "backends", ports}`); each
 * client connection is piped whole to one node.
 */
async function runBalancer(): Promise<void> {
  let backends: number[] = [];
  let next = 0;
  const server = createServer((client: Socket) => {
    const port = backends[next++ % Math.max(1, backends.length)];
    client.on("error", () => {});
    if (port === undefined) {
      client.destroy();
      return;
    }
    const upstream = tcpConnect(port, "127.0.0.1");
    upstream.setNoDelay(true);
    client.setNoDelay(true);
    upstream.on("error", () => client.destroy());
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  process.on("message", (message: { type?: string; ports?: number[] }) => {
    if (message?.type === "backends" && message.ports) {
      backends = message.ports;
      next = 0;
      process.send?.({ type: "backends-set" });
    }
  });
  process.on("disconnect", () => process.exit(0));
  process.send?.({ type: "ready", port });
}

// ---------------------------------------------------------------- the benchmark

interface Child {
  proc: ChildProcess;
  name: string;
}

function spawnTs(name: string, args: string[]): Child {
  const proc = spawn(process.execPath, ["--import", "tsx", ...args], {
    stdio: ["ignore", "ignore", "inherit", "ipc"],
    env: { ...process.env, NODE_ENV: "production" },
  });
  return { proc, name };
}

function nextMessage<T>(child: Child, type: string, timeoutMs = 60_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.proc.off("message", onMessage);
      reject(new Error(`${child.name}: no "${type}" message within ${timeoutMs} ms`));
    }, timeoutMs);
    const onMessage = (message: { type?: string }) => {
      if (message?.type === type) {
        clearTimeout(timer);
        child.proc.off("message", onMessage);
        resolve(message as T);
      }
    };
    child.proc.on("message", onMessage);
  });
}

const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU seconds a process has used (user + system), from /proc; 0 where there is none. */
function cpuSeconds(pid: number | undefined): number {
  if (pid === undefined) {
    return 0;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

interface Round {
  target: string;
  round: number;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  /** CPU µs per request of the Steward processes that served. */
  nodeCpuUs: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) {
    return Number.NaN;
  }
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? 0;
}

const median = (values: number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    0.5,
  );

function runLoad(
  url: string,
  apiKey: string,
  connections: number,
  durationS: number,
): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: `${url}/v1/messages`,
        method: "POST",
        headers: {
          "content-type": "application/json",
          "anthropic-version": "2023-06-01",
          "x-api-key": apiKey,
        },
        body: JSON.stringify({
          ...DEFAULT_MESSAGE,
          model: "claude-sonnet-4-5",
          max_tokens: 256,
          messages: [{ role: "user", content: "Write one sentence about the sea." }],
        }),
        connections,
        pipelining: 1,
        timeout: 30,
        duration: durationS,
      },
      (error: unknown, result: autocannon.Result) => (error ? reject(error) : resolve(result)),
    );
  });
}

/** Revocations from A seen on C: ms from A's answer to C's first 401, one per key. */
async function revocationLatencies(cluster: Cluster, count: number): Promise<number[]> {
  const [a, , c] = cluster.nodes as [ClusterNode, ClusterNode, ClusterNode];
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const created = await cluster.admin(a, "POST", "/v1/api_keys", { name: `revoked ${i}` });
    if (created.status !== 200) {
      throw new Error(`create key: ${created.status} ${JSON.stringify(created.body)}`);
    }
    const { id, key } = created.body as { id: string; key: string };
    // `{}` passes the key check and fails the body's: 400 while accepted, 401 once refused.
    await waitFor(
      async () => (await cluster.message(c, key, {})).status === 400,
      "new key accepted on C",
    );
    let refusedAt: number | undefined;
    const loop = (async () => {
      const deadline = performance.now() + 15_000;
      while (performance.now() < deadline) {
        if ((await cluster.message(c, key, {})).status === 401) {
          refusedAt = performance.now();
          return;
        }
      }
    })();
    const revoked = await cluster.admin(a, "PATCH", `/v1/api_keys/${id}`, { status: "inactive" });
    const answeredAt = performance.now();
    if (revoked.status !== 200) {
      throw new Error(`revoke: ${revoked.status}`);
    }
    await loop;
    if (refusedAt === undefined) {
      throw new Error(`revocation ${i + 1}: C still accepted the key 15 s later`);
    }
    samples.push(Math.max(0, refusedAt - answeredAt));
  }
  return samples;
}

function describeLatencies(samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const f = (p: number) => percentile(sorted, p).toFixed(1);
  return `| ${sorted.length} | ${f(0.5)} | ${f(0.9)} | ${f(0.99)} | ${(sorted.at(-1) ?? Number.NaN).toFixed(1)} |`;
}

async function main(): Promise<void> {
  const rounds = Number(option("rounds", "5"));
  const durationS = Number(option("duration", "3"));
  const warmupS = Number(option("warmup", "2"));
  const connections = Number(option("connections", "48"));
  const revocations = Number(option("revocations", "50"));
  const databaseUrl =
    process.env.BENCH_DATABASE_URL ??
    process.env.TEST_DATABASE_URL ??
    "postgres://postgres@127.0.0.1:5432/test";

  const self = fileURLToPath(import.meta.url);
  const upstream = spawnTs("upstream", [fileURLToPath(new URL("upstream.ts", import.meta.url))]);
  const balancer = spawnTs("balancer", [self, "--balancer"]);
  let cluster: Cluster | undefined;
  try {
    const { url: upstreamUrl } = await nextMessage<{ url: string }>(upstream, "ready");
    const { port: balancerPort } = await nextMessage<{ port: number }>(balancer, "ready");
    const balancerUrl = `http://127.0.0.1:${balancerPort}`;
    console.error("starting 4 nodes (PostgreSQL; three with Redis)…");
    // A, B and C share Redis; D, on the same database, has none (the one-node default).
    cluster = await startCluster({
      nodes: 4,
      postgresUrl: databaseUrl,
      upstreamUrl,
      nodeEnv: [{}, {}, {}, { REDIS_URL: "" }],
    });
    const nodes = cluster.nodes;
    const [a, b, c, d] = nodes as [ClusterNode, ClusterNode, ClusterNode, ClusterNode];
    const targets: Array<{ name: string; nodes: ClusterNode[] }> = [
      { name: "1 (no Redis)", nodes: [d] },
      { name: "1", nodes: [a] },
      { name: "2", nodes: [a, b] },
      { name: "3", nodes: [a, b, c] },
    ];

    const workspace = await cluster.admin(a, "POST", "/v1/workspaces", {
      name: "Bench",
      usage_limits: { requests_per_minute: 100_000_000, monthly_spend_usd: 1_000_000 },
    });
    const created = await cluster.admin(a, "POST", "/v1/api_keys", {
      name: "bench",
      workspace_id: workspace.body.id,
    });
    const apiKey = created.body.key as string;
    for (const node of nodes) {
      await waitFor(
        async () => (await cluster?.message(node, apiKey))?.status === 200,
        `key served on ${node.name}`,
      );
    }

    const useNodes = async (serving: ClusterNode[]) => {
      const set = nextMessage(balancer, "backends-set");
      balancer.proc.send({ type: "backends", ports: serving.map((node) => node.port) });
      await set;
    };

    console.error("revocation latency, idle…");
    const idle = await revocationLatencies(cluster, revocations);

    const results: Round[] = [];
    for (const target of targets) {
      await useNodes(target.nodes);
      await runLoad(balancerUrl, apiKey, connections, warmupS);
    }
    for (let round = 0; round < rounds; round++) {
      for (const target of round % 2 === 0 ? targets : [...targets].reverse()) {
        const serving = target.nodes;
        await useNodes(serving);
        const cpuBefore = serving.map((node) => cpuSeconds(node.pid));
        const result = await runLoad(balancerUrl, apiKey, connections, durationS);
        const cpu = serving.reduce(
          (sum, node, i) => sum + cpuSeconds(node.pid) - (cpuBefore[i] ?? 0),
          0,
        );
        const total = result.requests.total;
        results.push({
          target: target.name,
          round,
          rps: total / durationS,
          p50: result.latency.p50,
          p99: result.latency.p99,
          non2xx: result.non2xx,
          errors: result.errors + result.timeouts,
          nodeCpuUs: total > 0 ? (cpu * 1e6) / total : Number.NaN,
        });
        console.error(
          `round ${round + 1}, nodes ${target.name}: ${(total / durationS).toFixed(0)} req/s, p50 ` +
            `${result.latency.p50} ms, p99 ${result.latency.p99} ms, non-2xx ${result.non2xx}`,
        );
      }
    }

    console.error("revocation latency, under load on 3 nodes…");
    await useNodes([a, b, c]);
    let loaded = true;
    const background = (async () => {
      while (loaded) {
        await runLoad(balancerUrl, apiKey, connections, 2);
      }
    })();
    await sleep(500);
    const busy = await revocationLatencies(cluster, revocations);
    loaded = false;
    await background;

    // Each target against one node with Redis in the same round: the machine's drift between
    // rounds (easily 1.5×) cancels out.
    const rpsOf = (target: string, round: number) =>
      results.find((r) => r.target === target && r.round === round)?.rps ?? Number.NaN;
    const rows = targets.map(({ name }) => {
      const mine = results.filter((r) => r.target === name);
      const ratios = mine.map((r) => r.rps / rpsOf("1", r.round)).sort((x, y) => x - y);
      return {
        name,
        ratio: median(ratios),
        ratioRange: `${(ratios[0] ?? Number.NaN).toFixed(2)}–${(ratios.at(-1) ?? Number.NaN).toFixed(2)}`,
        rps: median(mine.map((r) => r.rps)),
        p50: median(mine.map((r) => r.p50)),
        p99: median(mine.map((r) => r.p99)),
        non2xx: mine.reduce((s, r) => s + r.non2xx, 0),
        errors: mine.reduce((s, r) => s + r.errors, 0),
        cpu: median(mine.map((r) => r.nodeCpuUs)),
      };
    });
    const lines = [
      "",
      `Throughput and latency, JSON, ${connections} connections, ${rounds} rounds of ${durationS} s (median round; ` +
        "the ratio is to one node with Redis in the same round, median and range over the rounds):",
      "",
      "| nodes | req/s | vs 1 node (range) | p50 ms | p99 ms | non-2xx / errors | Steward CPU µs/request |",
      "| ----- | ----: | ----------------: | -----: | -----: | ---------------: | ---------------------: |",
      ...rows.map(
        (r) =>
          `| ${r.name} | ${r.rps.toFixed(0)} | ${r.ratio.toFixed(2)} (${r.ratioRange}) | ` +
          `${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.non2xx} / ${r.errors} | ${r.cpu.toFixed(0)} |`,
      ),
      "",
      "Revocation on A to the first 401 on C (ms):",
      "",
      "| when | samples | p50 | p90 | p99 | max |",
      "| ---- | ------: | --: | --: | --: | --: |",
      `| idle ${describeLatencies(idle)}`,
      `| 3 nodes under load ${describeLatencies(busy)}`,
      "",
    ];
    console.log(lines.join("\n"));
  } finally {
    await cluster?.stop();
    for (const child of [upstream, balancer]) {
      child.proc.kill("SIGTERM");
    }
  }
}

// Last, once every constant above is initialized.
if (process.argv.includes("--balancer")) {
  await runBalancer();
} else {
  await main();
}
