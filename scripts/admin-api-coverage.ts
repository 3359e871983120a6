/**
 * Writes docs/admin-api-coverage.md: every Admin API method the pinned official SDK
 * (`@anthropic-ai/sdk`, exact version in devDependencies) declares under `client.organization` and
 * `client.beta.organization`, and whether Steward serves it.
 *
 * The SDK side is read from the package's own TypeScript sources (shipped under `src/`) with the
 * TypeScript compiler: the resource tree from each resource class's `new X.Y(this._client)`
 * properties, and for each method the `this._client.<verb>(...)` call, the route its tracing span
 * names, and the `anthropic-beta` header it sends. Steward's side is the app's own /openapi.json,
 * built in process, so a route counts as served exactly when the server documents it.
 *
 *   npm run coverage:admin-api              write the file
 *   npm run coverage:admin-api -- --check   exit 1 when the committed file is out of date
 *
 * test/admin-api-coverage.test.ts runs the check, so a route added without regenerating fails CI.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { loadOpenApiDocument } from "./generate-sdk-types.js";

export const COVERAGE_PATH = "docs/admin-api-coverage.md";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

const HTTP_VERBS: Record<string, string> = {
  get: "GET",
  post: "POST",
  put: "PUT",
  patch: "PATCH",
  delete: "DELETE",
  getAPIList: "GET",
};

/** One Admin API method as the SDK declares it. */
export interface SdkMethod {
  /** How it is called, from the client: `organization.apiKeys.list`. */
  call: string;
  httpMethod: string;
  /** The path with its parameters named as the SDK's route names them: `/v1/.../{api_key_id}`. */
  path: string;
  /** The `anthropic-beta` value the method always sends, or null. */
  beta: string | null;
}

export interface CoverageRow extends SdkMethod {
  served: boolean;
}

interface SdkPackage {
  version: string;
  sourceRoot: string;
}

function sdkPackage(): SdkPackage {
  const require = createRequire(import.meta.url);
  // The package exports no package.json; its main entry sits at the package's root.
  const root = dirname(require.resolve("@anthropic-ai/sdk"));
  const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
    version: string;
  };
  return { version: manifest.version, sourceRoot: join(root, "src") };
}

const parsed = new Map<string, ts.SourceFile>();

function sourceFile(path: string): ts.SourceFile {
  let file = parsed.get(path);
  if (file === undefined) {
    file = ts.createSourceFile(path, readFileSync(path, "utf8"), ts.ScriptTarget.Latest, true);
    parsed.set(path, file);
  }
  return file;
}

/** `./workspaces/workspaces` from `from`, as a file: `.ts` or the folder's `index.ts`. */
function resolveModule(from: string, specifier: string): string {
  const base = join(dirname(from), specifier);
  for (const candidate of [`${base}.ts`, join(base, "index.ts")]) {
    if (existsSync(candidate)) {
      return candidate;
    }
  }
  throw new Error(`cannot resolve ${specifier} from ${from}`);
}

/** The namespace imports of a file: `import * as X from './x'` gives X → its file. */
function namespaceImports(file: ts.SourceFile): Map<string, string> {
  const imports = new Map<string, string>();
  for (const statement of file.statements) {
    if (
      ts.isImportDeclaration(statement) &&
      ts.isStringLiteral(statement.moduleSpecifier) &&
      statement.importClause?.namedBindings !== undefined &&
      ts.isNamespaceImport(statement.importClause.namedBindings)
    ) {
      imports.set(
        statement.importClause.namedBindings.name.text,
        resolveModule(file.fileName, statement.moduleSpecifier.text),
      );
    }
  }
  return imports;
}

function findClass(file: ts.SourceFile, name: string): ts.ClassDeclaration {
  for (const statement of file.statements) {
    if (ts.isClassDeclaration(statement) && statement.name?.text === name) {
      return statement;
    }
  }
  throw new Error(`no class ${name} in ${file.fileName}`);
}

function descendants(node: ts.Node, found: ts.Node[] = []): ts.Node[] {
  node.forEachChild((child) => {
    found.push(child);
    descendants(child, found);
  });
  return found;
}

function propertyName(node: ts.PropertyAssignment): string | undefined {
  return ts.isIdentifier(node.name) || ts.isStringLiteral(node.name) ? node.name.text : undefined;
}

/** The request a method body makes: verb, the span's route, and the beta header, if any. */
function requestOf(method: ts.MethodDeclaration, where: string): Omit<SdkMethod, "call"> {
  const nodes = descendants(method);
  const client = nodes.find(
    (node): node is ts.CallExpression =>
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      node.expression.name.text in HTTP_VERBS &&
      ts.isPropertyAccessExpression(node.expression.expression) &&
      node.expression.expression.name.text === "_client",
  );
  if (client === undefined || !ts.isPropertyAccessExpression(client.expression)) {
    throw new Error(`${where}: no this._client request`);
  }
  const httpMethod = HTTP_VERBS[client.expression.name.text] as string;
  const route = nodes.find(
    (node): node is ts.PropertyAssignment =>
      ts.isPropertyAssignment(node) &&
      propertyName(node) === "route" &&
      ts.isStringLiteral(node.initializer),
  );
  if (route === undefined) {
    throw new Error(`${where}: no span route`);
  }
  const betaHeader = nodes.find(
    (node): node is ts.PropertyAssignment =>
      ts.isPropertyAssignment(node) && propertyName(node) === "anthropic-beta",
  );
  const betas =
    betaHeader === undefined
      ? []
      : descendants(betaHeader.initializer)
          .filter(ts.isStringLiteral)
          .map((literal) => literal.text);
  return {
    httpMethod,
    path: (route.initializer as ts.StringLiteral).text,
    beta: betas.length === 0 ? null : betas.join(","),
  };
}

function isPublicMethod(member: ts.ClassElement): member is ts.MethodDeclaration {
  return (
    ts.isMethodDeclaration(member) &&
    member.body !== undefined &&
    ts.isIdentifier(member.name) &&
    !member.name.text.startsWith("_") &&
    !(ts.getCombinedModifierFlags(member) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected))
  );
}

/** The methods of a resource class and, depth first, of the resources it holds. */
function walkResource(file: string, className: string, prefix: string): SdkMethod[] {
  const source = sourceFile(file);
  const imports = namespaceImports(source);
  const methods: SdkMethod[] = [];
  for (const member of findClass(source, className).members) {
    if (isPublicMethod(member)) {
      const call = `${prefix}.${(member.name as ts.Identifier).text}`;
      methods.push({ call, ...requestOf(member, call) });
    } else if (
      ts.isPropertyDeclaration(member) &&
      ts.isIdentifier(member.name) &&
      member.initializer !== undefined &&
      ts.isNewExpression(member.initializer) &&
      ts.isPropertyAccessExpression(member.initializer.expression) &&
      ts.isIdentifier(member.initializer.expression.expression)
    ) {
      const target = imports.get(member.initializer.expression.expression.text);
      if (target === undefined) {
        throw new Error(`${prefix}.${member.name.text}: its class is not a namespace import`);
      }
      methods.push(
        ...walkResource(
          target,
          member.initializer.expression.name.text,
          `${prefix}.${member.name.text}`,
        ),
      );
    }
  }
  return methods;
}

/** Every method under `client.organization` and `client.beta.organization`. */
export function sdkAdminMethods(sourceRoot = sdkPackage().sourceRoot): SdkMethod[] {
  const resources = join(sourceRoot, "resources");
  return [
    ...walkResource(
      join(resources, "organization", "organization.ts"),
      "Organization",
      "organization",
    ),
    ...walkResource(
      join(resources, "beta", "organization", "organization.ts"),
      "Organization",
      "beta.organization",
    ),
  ];
}

/** `GET /v1/x/{}`: a route with its parameters' names erased, for matching. */
export function routeKey(httpMethod: string, path: string): string {
  return `${httpMethod.toUpperCase()} ${path.replace(/\{[^}]*\}/g, "{}")}`;
}

/** Every `METHOD /path` an OpenAPI document declares, as routeKey writes them. */
export function documentedRoutes(document: { paths?: Record<string, object> }): Set<string> {
  const routes = new Set<string>();
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const method of Object.keys(item)) {
      if (["get", "post", "put", "patch", "delete"].includes(method)) {
        routes.add(routeKey(method, path));
      }
    }
  }
  return routes;
}

export function coverageRows(methods: SdkMethod[], served: Set<string>): CoverageRow[] {
  const rows = methods.map((method) => ({
    ...method,
    served: served.has(routeKey(method.httpMethod, method.path)),
  }));
  const order = (row: CoverageRow) => `${row.path} ${row.httpMethod} ${row.call}`;
  return rows.sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
}

/** The rows of the methods Steward serves: what the SDK conformance test must drive. */
export async function servedSdkMethods(): Promise<CoverageRow[]> {
  const rows = coverageRows(sdkAdminMethods(), documentedRoutes(await loadOpenApiDocument()));
  return rows.filter((row) => row.served);
}

function resourceOf(call: string): string {
  return call
    .replace(/^beta\./, "")
    .split(".")
    .slice(0, -1)
    .join(".");
}

export function renderCoverage(version: string, rows: CoverageRow[]): string {
  const served = rows.filter((row) => row.served).length;
  const resources = new Map<string, { total: number; served: number }>();
  for (const row of rows) {
    const key = resourceOf(row.call);
    const entry = resources.get(key) ?? { total: 0, served: 0 };
    entry.total += 1;
    entry.served += row.served ? 1 : 0;
    resources.set(key, entry);
  }
  const lines = [
    "# Admin API coverage",
    "",
    "<!-- Generated by scripts/admin-api-coverage.ts: run `npm run coverage:admin-api`. Do not edit. -->",
    "",
    `Every Admin API method that the official TypeScript SDK \`@anthropic-ai/sdk\` ${version} declares under`,
    "`client.organization` and `client.beta.organization`, with the HTTP method and path it calls, the",
    "`anthropic-beta` header it sends, and whether Steward serves that route. A beta method and its",
    "non-beta twin call the same route and are counted once each.",
    "",
    `**${served} of ${rows.length} methods served; ${rows.length - served} not served.**`,
    "",
    "## By resource",
    "",
    "| resource (`organization.` and `beta.organization.`) | methods | served |",
    "|---|---:|---:|",
    ...[...resources.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([resource, { total, served }]) => `| \`${resource}\` | ${total} | ${served} |`),
    "",
    "## Methods",
    "",
    "| SDK call | HTTP | path | beta header | Steward |",
    "|---|---|---|---|---|",
    ...rows.map(
      (row) =>
        `| \`${row.call}\` | ${row.httpMethod} | \`${row.path}\` | ${row.beta === null ? "" : `\`${row.beta}\``} | ${row.served ? "served" : "no"} |`,
    ),
    "",
  ];
  return lines.join("\n");
}

/** Biome formats Markdown too: the file is written as `biome check` wants it. */
function formatWithBiome(markdown: string): string {
  const biome = createRequire(import.meta.url).resolve("@biomejs/biome/bin/biome");
  const result = spawnSync(
    process.execPath,
    [biome, "format", `--stdin-file-path=${COVERAGE_PATH}`],
    {
      cwd: ROOT,
      input: markdown,
      encoding: "utf8",
    },
  );
  if (result.status !== 0) {
    throw new Error(`biome format failed: ${result.stderr || result.stdout}`);
  }
  return result.stdout;
}

/** The coverage file's text, from the pinned SDK and the app's OpenAPI document. */
export async function generateCoverage(): Promise<string> {
  const { version, sourceRoot } = sdkPackage();
  const rows = coverageRows(
    sdkAdminMethods(sourceRoot),
    documentedRoutes(await loadOpenApiDocument()),
  );
  return formatWithBiome(renderCoverage(version, rows));
}

export function readCommittedCoverage(): string {
  return readFileSync(new URL(`../${COVERAGE_PATH}`, import.meta.url), "utf8");
}

async function main(): Promise<void> {
  const text = await generateCoverage();
  if (process.argv.includes("--check")) {
    let committed = "";
    try {
      committed = readCommittedCoverage();
    } catch {
      // missing: out of date
    }
    if (committed !== text) {
      process.stderr.write(`${COVERAGE_PATH} is out of date: run npm run coverage:admin-api\n`);
      process.exitCode = 1;
    }
    return;
  }
  writeFileSync(new URL(`../${COVERAGE_PATH}`, import.meta.url), text);
  process.stdout.write(`wrote ${COVERAGE_PATH}\n`);
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  await main();
}
