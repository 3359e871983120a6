/**
 * Builds the web console (packages/console) into dist/console with Vite, unless dist/console is
 * already newer than every file it is built from: `npm run build` stays quick when only the
 * server changed. Plain JavaScript so that it runs before anything is compiled.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const root = fileURLToPath(new URL("..", import.meta.url));
const consoleDir = join(root, "packages/console");
const outDir = join(root, "dist/console");
const built = join(outDir, "index.html");
const inputs = [
  join(consoleDir, "src"),
  join(consoleDir, "index.html"),
  join(consoleDir, "vite.config.ts"),
  join(consoleDir, "package.json"),
  join(root, "packages/sdk/src"),
];

/** The newest modification time under a file or directory, in milliseconds. */
function newest(path) {
  const stats = statSync(path, { throwIfNoEntry: false });
  if (!stats) {
    return 0;
  }
  if (!stats.isDirectory()) {
    return stats.mtimeMs;
  }
  let latest = stats.mtimeMs;
  for (const entry of readdirSync(path)) {
    latest = Math.max(latest, newest(join(path, entry)));
  }
  return latest;
}

const builtAt = statSync(built, { throwIfNoEntry: false })?.mtimeMs ?? 0;
const force = process.argv.includes("--force");
if (!force && builtAt > 0 && inputs.every((input) => newest(input) < builtAt)) {
  process.stdout.write("console: dist/console is up to date\n");
  process.exit(0);
}

let vite;
try {
  vite = await import("vite");
} catch {
  // An install without dev dependencies: the packed dist/console is what is served.
  process.stderr.write(
    builtAt > 0
      ? "console: vite is not installed; keeping the existing dist/console\n"
      : "console: vite is not installed and there is no dist/console; /console will say so\n",
  );
  process.exit(0);
}
await vite.build({ configFile: join(consoleDir, "vite.config.ts"), logLevel: "warn" });
process.stdout.write("console: built dist/console\n");

// What a browser downloads, as docs/console.md states it: each asset's size, and gzipped (-9).
for (const name of readdirSync(join(outDir, "assets")).sort()) {
  const bytes = readFileSync(join(outDir, "assets", name));
  const kb = (n) => `${(n / 1000).toFixed(1)} KB`;
  process.stdout.write(
    `  assets/${name}: ${kb(bytes.length)}, ${kb(gzipSync(bytes, { level: 9 }).length)} gzipped\n`,
  );
}
