/**
 * The fake Anthropic upstream (test/fixtures/fake-upstream.ts) in a process of its own, for the
 * gateway benchmark. Started by bench/gateway.ts with an IPC channel: it sends
 * `{ type: "ready", url }` once listening, and answers `{ type: "counts" }` with its counters, so
 * the benchmark can check that each target's traffic really reached it.
 *
 * Standalone: `npx tsx bench/upstream.ts [port]` prints its URL.
 */
import { startFakeUpstream } from "../test/fixtures/fake-upstream.js";

const port = Number(process.argv[2] ?? 0);
const upstream = await startFakeUpstream({ port });

if (process.send) {
  process.on("message", (message: { type?: string }) => {
    if (message?.type === "counts") {
      process.send?.({ type: "counts", counts: { ...upstream.counts } });
    }
  });
  process.on("disconnect", () => {
    void upstream.close().then(() => process.exit(0));
  });
  process.send({ type: "ready", url: upstream.url });
} else {
  console.log(upstream.url);
}

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    void upstream.close().then(() => process.exit(0));
  });
}
