/**
 * Reads an environment variable where there is a `process` (Node, Bun, Deno's compatibility
 * layer), and nothing in a browser: `process` is never referenced directly.
 */
export function readEnv(name: string): string | undefined {
  const proc = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  const value = proc?.env?.[name]?.trim();
  return value === undefined || value === "" ? undefined : value;
}
