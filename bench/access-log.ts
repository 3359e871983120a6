/**
 * The access log's cost per line on the serving thread, apart from the gateway: `AccessLog.write`
 * of a metered request's line, into a sink that drops it (building the line only), into
 * /dev/null, and into a file (the write system call included), in turn, round by round.
 *
 *   npx tsx bench/access-log.ts [--rounds=5] [--lines=200000]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AccessLog, type AccessLogSink, fileSink } from "../src/observability/access-log.js";

function option(name: string, fallback: string): string {
  const prefix = `--${name}=`;
  return process.argv.find((arg) => arg.startsWith(prefix))?.slice(prefix.length) ?? fallback;
}
const ROUNDS = Number(option("rounds", "5"));
const LINES = Number(option("lines", "200000"));

const dir = mkdtempSync(join(tmpdir(), "steward-access-log-bench-"));
const sinks: Record<string, AccessLogSink> = {
  "built only": { write: () => true, flushSync: () => {} },
  "/dev/null": fileSink("/dev/null"),
  file: fileSink(join(dir, "access.log")),
};
const usage = {
  input_tokens: 1204,
  output_tokens: 311,
  cache_read_tokens: 0,
  cache_creation_5m_tokens: 0,
  cache_creation_1h_tokens: 0,
  cost_nanos: 2_759_000,
};

/** µs per line over `LINES` lines. */
function measure(log: AccessLog): number {
  const started = performance.now();
  for (let i = 0; i < LINES; i++) {
    log.write({
      requestId: `req_011CVpQ5fz9N7Q4tE2Wf3a${i % 1000}`,
      route: "messages",
      ip: "10.0.4.7",
      status: 200,
      keyId: "apikey_01JEXAMPLE7Q4tE2Wf3aBcDe",
      workspaceId: "wrkspc_01JEXAMPLE7Q4tE2Wf3aBcDe",
      model: "claude-haiku-4-5",
      stream: false,
      errorType: null,
      clientAborted: false,
      usage,
      upstreamMs: (i % 97) + 0.37,
      totalMs: (i % 97) + 0.52,
    });
  }
  return ((performance.now() - started) * 1000) / LINES;
}

const logs = Object.entries(sinks).map(([name, sink]) => ({ name, log: new AccessLog({ sink }) }));
for (const { log } of logs) {
  measure(log); // warm-up
}
const results = new Map<string, number[]>(logs.map(({ name }) => [name, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (const { name, log } of round % 2 === 0 ? logs : [...logs].reverse()) {
    results.get(name)?.push(measure(log));
  }
}
for (const { log } of logs) {
  log.close();
}
rmSync(dir, { recursive: true, force: true });
console.log(
  `access log, ${LINES} lines a round, ${ROUNDS} rounds: µs per line, median (min to max)`,
);
for (const [name, values] of results) {
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
  console.log(
    `  ${name.padEnd(10)} ${median.toFixed(2)} (${sorted[0]?.toFixed(2)} to ${sorted.at(-1)?.toFixed(2)})`,
  );
}
