/**
 * The SDK against the server's contract: its generated types are exactly what /openapi.json
 * generates today, every SDK method calls an operation the document has, and every admin
 * operation of the document is reachable from some SDK method.
 */
import { SDK_OPERATIONS, StewardAdmin } from "@steward/sdk";
import { beforeAll, describe, expect, it } from "vitest";
import {
  GENERATED_PATH,
  generateSdkTypes,
  loadOpenApiDocument,
  readCommittedSdkTypes,
} from "../scripts/generate-sdk-types.js";

/** Served by the app but not part of the admin API: the gateway, docs, metrics, health. */
function isAdminOperation(path: string): boolean {
  return !(
    path === "/v1/messages" ||
    path.startsWith("/v1/messages/") ||
    path === "/v1/models" ||
    path.startsWith("/v1/models/") ||
    path === "/v1/complete" ||
    path === "/openapi.json" ||
    path === "/docs" ||
    path.startsWith("/docs/") ||
    path === "/metrics" ||
    path === "/healthz" ||
    path === "/readyz" ||
    // Browser navigations of the console's sign-in (redirects to and from the identity provider,
    // the emailed link), not calls a client makes.
    path.startsWith("/auth/oidc/") ||
    path === "/auth/email-link/verify"
  );
}

const HTTP_METHODS = ["get", "post", "put", "patch", "delete", "head", "options", "trace"];

describe("@steward/sdk and /openapi.json", () => {
  let doc: any;
  let documented: Set<string>;
  beforeAll(async () => {
    doc = await loadOpenApiDocument();
    documented = new Set();
    for (const [path, item] of Object.entries<Record<string, unknown>>(doc.paths)) {
      for (const method of Object.keys(item)) {
        if (HTTP_METHODS.includes(method)) {
          documented.add(`${method.toUpperCase()} ${path}`);
        }
      }
    }
  });

  it(`should have ${GENERATED_PATH} exactly as the live document generates it (npm run sdk:generate)`, async () => {
    const generated = await generateSdkTypes(doc);
    const committed = readCommittedSdkTypes();
    // A plain equality first, so that the failure names the command to run.
    if (generated !== committed) {
      expect.fail(
        `${GENERATED_PATH} is out of date with /openapi.json: run \`npm run sdk:generate\` and commit it`,
      );
    }
    expect(generated).toBe(committed);
  });

  it("should call only operations that /openapi.json documents", () => {
    const missing = Object.entries(SDK_OPERATIONS)
      .map(([name, op]) => ({ name, route: `${op.httpMethod} ${op.path}` }))
      .filter(({ route }) => !documented.has(route));
    expect(missing).toEqual([]);
  });

  it("should reach every admin operation of /openapi.json from some SDK method", () => {
    const reached = new Set(
      Object.values(SDK_OPERATIONS).map((op) => `${op.httpMethod} ${op.path}`),
    );
    const unreached = [...documented].filter(
      (route) => isAdminOperation(route.split(" ")[1] ?? "") && !reached.has(route),
    );
    expect(unreached).toEqual([]);
    // The document really has the admin API in it (the filter above removes nothing it needs).
    expect(documented.size).toBeGreaterThan(50);
  });

  it("should send each method's request to its row of SDK_OPERATIONS", async () => {
    const calls: { method: string; url: URL; accept: string | null }[] = [];
    const admin = new StewardAdmin({
      baseURL: "http://steward.invalid/base",
      adminKey: "sk-ant-admin01-contract",
      maxRetries: 0,
      fetch: async (input, init) => {
        const headers = new Headers(init?.headers);
        calls.push({
          method: init?.method ?? "GET",
          url: new URL(String(input)),
          accept: headers.get("accept"),
        });
        const ndjson = headers.get("accept") === "application/x-ndjson";
        return new Response(
          ndjson
            ? ""
            : JSON.stringify({ data: [], has_more: false, first_id: null, last_id: null }),
          {
            status: 200,
            headers: { "content-type": ndjson ? "application/x-ndjson" : "application/json" },
          },
        );
      },
    });

    for (const [name, op] of Object.entries(SDK_OPERATIONS)) {
      const parts = name.split(".");
      const methodName = parts.pop() as string;
      let target: any = admin;
      for (const part of parts) {
        target = target[part];
        expect(target, `admin.${parts.join(".")}`).toBeTypeOf("object");
      }
      const method = target[methodName];
      expect(method, `admin.${name}`).toBeTypeOf("function");

      const pathParams = [...op.path.matchAll(/\{([a-z_]+)\}/g)].map((m, i) => `${m[1]}-${i}`);
      calls.length = 0;
      // Path parameters first, then a body or query (`{}`), then request options (`{}`): a method
      // with fewer parameters ignores the extra ones.
      await method.call(target, ...pathParams, {}, {});
      expect(calls, `admin.${name}`).toHaveLength(1);
      const call = calls[0]!;
      let i = 0;
      const expectedPath = `/base${op.path.replace(/\{[a-z_]+\}/g, () => pathParams[i++]!)}`;
      expect(`${call.method} ${call.url.pathname}`, `admin.${name}`).toBe(
        `${op.httpMethod} ${expectedPath}`,
      );
    }
  });
});
