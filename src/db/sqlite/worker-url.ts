import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export type WorkerModule = "connection-worker" | "checkpointer-worker";

const here = import.meta.url;
const bundles = new Map<WorkerModule, URL>();

/**
 * The file a worker thread runs one of this directory's worker modules from. Compiled (dist/:
 * `npm start`, the CLI), the .js file beside this one. From the TypeScript sources (vitest, tsx),
 * which a worker thread cannot load, the module bundled by esbuild (tsx's own, present wherever
 * the sources run), written once per version of this directory's sources into the system's
 * temporary directory: about 30 ms to bundle, against half a second a worker to load tsx in it.
 */
export function workerUrl(name: WorkerModule): URL {
  if (!here.endsWith(".ts")) {
    return new URL(`./${name}.js`, here);
  }
  let url = bundles.get(name);
  if (url === undefined) {
    url = bundle(name);
    bundles.set(name, url);
  }
  return url;
}

function bundle(name: WorkerModule): URL {
  const require = createRequire(here);
  // Bare specifiers do not resolve from the temporary directory: the driver is imported by its path.
  const driver = pathToFileURL(require.resolve("better-sqlite3")).href;
  const directory = fileURLToPath(new URL(".", here));
  const hash = createHash("sha256").update(driver);
  for (const file of readdirSync(directory).sort()) {
    if (file.endsWith(".ts")) {
      hash.update(file).update(readFileSync(join(directory, file)));
    }
  }
  const cache = join(tmpdir(), "steward-sqlite-workers", hash.digest("hex").slice(0, 16));
  const path = join(cache, `${name}.mjs`);
  if (!existsSync(path)) {
    const esbuild = require("esbuild") as {
      buildSync(options: Record<string, unknown>): { outputFiles: Array<{ text: string }> };
    };
    const [output] = esbuild.buildSync({
      entryPoints: [join(directory, `${name}.ts`)],
      bundle: true,
      write: false,
      format: "esm",
      platform: "node",
      target: "node20",
      sourcemap: "inline",
      external: ["better-sqlite3"],
    }).outputFiles;
    if (output === undefined) {
      throw new Error(`esbuild bundled nothing for ${name}.ts`);
    }
    mkdirSync(cache, { recursive: true });
    // Written whole, then renamed: test processes bundle side by side.
    const partial = `${path}.${process.pid}`;
    writeFileSync(partial, output.text.replaceAll('from "better-sqlite3"', `from "${driver}"`));
    renameSync(partial, path);
  }
  return pathToFileURL(path);
}
