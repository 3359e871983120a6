/**
 * Generates the SDK's types (packages/sdk/src/generated/api.ts) from the server's own OpenAPI
 * document: the app is built in process over a temporary SQLite database and asked for
 * `/openapi.json` without a socket, `openapi-typescript` turns it into types, and Biome formats
 * the result so that the committed file passes `biome check` as it is.
 *
 *   npm run sdk:generate          write the file
 *   npm run sdk:generate -- --check   exit 1 when the committed file is out of date
 *
 * test/sdk-contract.test.ts runs the same generation and fails when the committed file differs.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import openapiTS, { astToString, type OpenAPI3 } from "openapi-typescript";
import { connect, migrate } from "../src/db/connect.js";
import { startRuntime } from "../src/runtime.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
export const GENERATED_PATH = "packages/sdk/src/generated/api.ts";

const HEADER = `/**
 * The Steward Admin API's types, generated from the server's /openapi.json by
 * scripts/generate-sdk-types.ts (openapi-typescript). Do not edit: run \`npm run sdk:generate\`.
 */
`;

/** The server's OpenAPI document, from the app built in process (no socket; a throwaway database). */
export async function loadOpenApiDocument(): Promise<OpenAPI3> {
  const directory = mkdtempSync(join(tmpdir(), "steward-openapi-"));
  const database = connect(`sqlite:${join(directory, "steward.db")}`);
  try {
    await migrate(database);
    const { app, close } = await startRuntime({ database });
    try {
      const response = await app.inject({ method: "GET", url: "/openapi.json" });
      if (response.statusCode !== 200) {
        throw new Error(`GET /openapi.json answered ${response.statusCode}`);
      }
      return response.json() as OpenAPI3;
    } finally {
      await close();
    }
  } finally {
    await database.close();
    rmSync(directory, { recursive: true, force: true });
  }
}

function formatWithBiome(source: string): string {
  const biome = createRequire(import.meta.url).resolve("@biomejs/biome/bin/biome");
  const result = spawnSync(
    process.execPath,
    [biome, "format", `--stdin-file-path=${GENERATED_PATH}`],
    {
      cwd: ROOT,
      input: source,
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  if (result.status !== 0) {
    throw new Error(`biome format failed: ${result.stderr || result.stdout}`);
  }
  return result.stdout;
}

/** The generated file's text for a document: deterministic, formatted. */
export async function generateSdkTypes(document: OpenAPI3): Promise<string> {
  const ast = await openapiTS(document, {
    // Request bodies have defaults that callers may leave out: a default must not make a field required.
    defaultNonNullable: false,
    alphabetize: false,
    silent: true,
  });
  return formatWithBiome(HEADER + astToString(ast));
}

export function readCommittedSdkTypes(): string {
  return readFileSync(new URL(`../${GENERATED_PATH}`, import.meta.url), "utf8");
}

async function main(): Promise<void> {
  const text = await generateSdkTypes(await loadOpenApiDocument());
  const target = new URL(`../${GENERATED_PATH}`, import.meta.url);
  if (process.argv.includes("--check")) {
    let committed = "";
    try {
      committed = readCommittedSdkTypes();
    } catch {
      // missing: out of date
    }
    if (committed !== text) {
      process.stderr.write(`${GENERATED_PATH} is out of date: run npm run sdk:generate\n`);
      process.exitCode = 1;
    }
    return;
  }
  writeFileSync(target, text);
  process.stdout.write(`wrote ${GENERATED_PATH}\n`);
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  await main();
}
