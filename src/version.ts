import { readFileSync } from "node:fs";

/** Steward's version, from its package.json (one folder above src/ and dist/ alike). */
export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
  return String(pkg.version);
}
