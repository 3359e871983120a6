import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";

// The check needs V8's natives syntax (%HaveSameMap) and forced collections, so it runs in a Node
// process of its own, on the module compiled to JavaScript as `npm start` runs it: a loader such
// as tsx queues ticks of its own before the module runs, which a fresh process does not.
// async_hooks' init hook receives the very object nextTick queues.
const check = (moduleUrl: string) => `
import { createHook } from "node:async_hooks";
import { tickShape } from ${JSON.stringify(moduleUrl)};

const verdicts = [];
const hook = createHook({
  init(asyncId, type, triggerAsyncId, resource) {
    if (type === "TickObject") verdicts.push(%HaveSameMap(resource, tickShape));
  },
});
const tick = (...args) =>
  new Promise((resolve) => { hook.enable(); process.nextTick(resolve, ...args); hook.disable(); });

await tick();
// No tick is queued during these collections: without a live object of their shape, the maps die.
for (let i = 0; i < 3; i++) globalThis.gc();
await tick();
await tick("with", "arguments");
console.log(JSON.stringify({ found: tickShape !== undefined, verdicts }));
`;

const dir = mkdtempSync(join(tmpdir(), "steward-tick-shape-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("keep-tick-shape", () => {
  it("holds an object with the maps of the ticks process.nextTick queues, across collections", () => {
    const source = readFileSync(new URL("../src/keep-tick-shape.ts", import.meta.url), "utf8");
    const compiled = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    });
    const modulePath = join(dir, "keep-tick-shape.mjs");
    writeFileSync(modulePath, compiled.outputText);

    const output = execFileSync(
      process.execPath,
      [
        "--allow-natives-syntax",
        "--expose-gc",
        "--input-type=module",
        "--eval",
        check(pathToFileURL(modulePath).href),
      ],
      { encoding: "utf8" },
    );
    const { found, verdicts } = JSON.parse(output) as { found: boolean; verdicts: boolean[] };
    expect(found).toBe(true);
    expect(verdicts).toEqual([true, true, true]);
  });
});
