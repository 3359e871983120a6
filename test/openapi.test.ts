import { Validator } from "@seriousme/openapi-schema-validator";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsPlugin from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OPERATION_DOCS } from "../src/http/routes/docs/index.js";
import { TAG_GROUPS } from "../src/http/routes/docs/tags.js";
import { createTestServer, type TestServer } from "./harness.js";

const METHODS = ["get", "post", "put", "patch", "delete"];

interface Located {
  route: string;
  path: string;
  operation: any;
}

/** Every operation of the document, with its `METHOD /path`. */
function operationsOf(doc: any): Located[] {
  const found: Located[] = [];
  for (const [path, item] of Object.entries<Record<string, any>>(doc.paths)) {
    for (const method of METHODS) {
      if (item[method] !== undefined) {
        found.push({ route: `${method.toUpperCase()} ${path}`, path, operation: item[method] });
      }
    }
  }
  return found;
}

/** Each media type's examples, with where they are: request bodies and every response. */
function examplesOf(doc: any): Array<{ where: string; schema: unknown; example: unknown }> {
  const found: Array<{ where: string; schema: unknown; example: unknown }> = [];
  for (const { route, operation } of operationsOf(doc)) {
    const media: Array<[string, Record<string, any> | undefined]> = [
      ["request", operation.requestBody?.content],
      ...Object.entries<any>(operation.responses ?? {}).map(
        ([status, response]): [string, Record<string, any> | undefined] => [
          status,
          response.content,
        ],
      ),
    ];
    for (const [part, content] of media) {
      for (const [type, entry] of Object.entries<any>(content ?? {})) {
        if (entry.example !== undefined) {
          found.push({
            where: `${route} ${part} ${type}`,
            schema: entry.schema,
            example: entry.example,
          });
        }
      }
    }
  }
  return found;
}

describe("GET /openapi.json and /docs", () => {
  let server: TestServer;
  let doc: any;
  beforeAll(async () => {
    server = await createTestServer({ name: "sqlite" });
    const response = await server.get("/openapi.json", { key: null });
    expect(response.status).toBe(200);
    doc = response.body;
  });
  afterAll(async () => {
    await server?.close();
  });

  it("should be a valid OpenAPI 3.1 document", async () => {
    const validator = new Validator();
    const result = await validator.validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(doc.openapi).toBe("3.1.0");
  });

  it("should document every admin route of both surfaces", () => {
    const routes = new Set<string>();
    for (const [path, operations] of Object.entries<Record<string, unknown>>(doc.paths)) {
      for (const method of Object.keys(operations)) {
        routes.add(`${method.toUpperCase()} ${path}`);
      }
    }
    const expected = [
      "GET /v1/organizations",
      "POST /v1/organizations",
      "PATCH /v1/organizations",
      "GET /v1/users",
      "POST /v1/users/invite",
      "PATCH /v1/users/{user_id}",
      "DELETE /v1/users/{user_id}",
      "GET /v1/api_keys",
      "POST /v1/api_keys",
      "DELETE /v1/api_keys/{api_key_id}",
      "GET /v1/workspaces",
      "POST /v1/workspaces",
      "GET /v1/organizations/me",
      "GET /v1/organizations/users",
      "GET /v1/organizations/users/{user_id}",
      "POST /v1/organizations/users/{user_id}",
      "DELETE /v1/organizations/users/{user_id}",
      "POST /v1/organizations/invites",
      "GET /v1/organizations/invites",
      "GET /v1/organizations/invites/{invite_id}",
      "DELETE /v1/organizations/invites/{invite_id}",
      "POST /v1/organizations/workspaces",
      "GET /v1/organizations/workspaces",
      "GET /v1/organizations/workspaces/{workspace_id}",
      "POST /v1/organizations/workspaces/{workspace_id}",
      "POST /v1/organizations/workspaces/{workspace_id}/archive",
      "POST /v1/organizations/workspaces/{workspace_id}/members",
      "GET /v1/organizations/workspaces/{workspace_id}/members",
      "GET /v1/organizations/workspaces/{workspace_id}/members/{user_id}",
      "POST /v1/organizations/workspaces/{workspace_id}/members/{user_id}",
      "DELETE /v1/organizations/workspaces/{workspace_id}/members/{user_id}",
      "GET /v1/organizations/api_keys",
      "GET /v1/organizations/api_keys/{api_key_id}",
      "POST /v1/organizations/api_keys/{api_key_id}",
      "POST /v1/invites/accept",
    ];
    for (const route of expected) {
      expect(routes, route).toContain(route);
    }
  });

  it("should derive request and response schemas from the contract", () => {
    const createKey = doc.paths["/v1/api_keys"].post;
    expect(createKey.requestBody.content["application/json"].schema).toEqual({
      $ref: "#/components/schemas/ApiKeyCreateParamsInput",
    });
    expect(createKey.responses["200"].content["application/json"].schema).toEqual({
      $ref: "#/components/schemas/ApiKeyCreated",
    });
    const params = doc.components.schemas.ApiKeyCreateParamsInput;
    expect(params.required).toEqual(["name"]);
    expect(params.additionalProperties).toBe(false);
    expect(createKey.responses["400"].content["application/json"].schema).toEqual({
      $ref: "#/components/schemas/Error",
    });
    const listUsers = doc.paths["/v1/organizations/users"].get.parameters.map((p: any) => p.name);
    expect(listUsers).toEqual(
      expect.arrayContaining(["limit", "after_id", "before_id", "email", "roles"]),
    );
  });

  it("should tag each operation with its resource, both sets of paths under the same tag", () => {
    const tagsOf = (path: string, method: string) => doc.paths[path][method].tags;
    expect(tagsOf("/v1/users", "get")).toEqual(["Users"]);
    expect(tagsOf("/v1/organizations/users", "get")).toEqual(["Users"]);
    expect(tagsOf("/v1/api_keys", "post")).toEqual(["API keys"]);
    expect(tagsOf("/v1/organizations/api_keys", "get")).toEqual(["API keys"]);
    expect(tagsOf("/v1/users/invite", "post")).toEqual(["Invites"]);
    expect(tagsOf("/v1/users/onboard", "post")).toEqual(["Lifecycle"]);
    expect(tagsOf("/v1/organizations/cost_report", "get")).toEqual(["Usage and cost"]);
    const tags = new Set<string>();
    for (const operations of Object.values<Record<string, { tags?: string[] }>>(doc.paths)) {
      for (const operation of Object.values(operations)) {
        expect(operation.tags).toHaveLength(1);
        tags.add(operation.tags?.[0] ?? "");
      }
    }
    // Words that mean nothing to a user stay out of the reference.
    expect([...tags, doc.info.description].join(" ")).not.toMatch(/seed/i);
  });

  it("should document the admin key security scheme", () => {
    expect(doc.components.securitySchemes.adminKey).toMatchObject({
      type: "apiKey",
      in: "header",
      name: "x-api-key",
    });
  });

  it("should serve a readable reference page at /docs, its sections in the document's order", async () => {
    const response = await server.request("GET", "/docs/", { key: null });
    expect(response.status).toBe(200);
    expect(String(response.body)).toContain("swagger");
    // Swagger UI shows tags, and the operations under each, in the order of the document it loads.
    const shown = (await server.request("GET", "/docs/json", { key: null })).body as any;
    expect(shown.tags.map((tag: { name: string }) => tag.name)).toEqual(
      doc.tags.map((tag: { name: string }) => tag.name),
    );
    expect(Object.keys(shown.paths)).toEqual(Object.keys(doc.paths));
  });

  // As a reference people read.

  it("should give every operation a short summary, a description and examples", () => {
    const operations = operationsOf(doc);
    expect(operations.length).toBeGreaterThanOrEqual(67);
    for (const { route, operation } of operations) {
      expect(operation.summary, route).toMatch(/^[A-Z]/);
      expect(operation.summary.length, `${route}: ${operation.summary}`).toBeLessThanOrEqual(70);
      expect(operation.summary, route).not.toMatch(/\.$/);
      expect(operation.description?.length ?? 0, route).toBeGreaterThan(60);
      const body = operation.requestBody?.content?.["application/json"];
      if (body !== undefined) {
        expect(body.example, `${route} request example`).toBeDefined();
      }
      const ok = operation.responses["200"] ?? operation.responses["202"];
      if (ok === undefined) {
        // Sign-out (204) and the sign-in redirects (302) have no body to give an example of.
        expect(
          Object.keys(operation.responses).filter((s) => s === "204" || s === "302"),
          route,
        ).not.toEqual([]);
        continue;
      }
      expect(Object.keys(ok.content ?? {}), route).not.toEqual([]);
      for (const [type, media] of Object.entries<any>(ok.content)) {
        expect(media.example, `${route} 200 ${type} example`).toBeDefined();
      }
    }
  });

  it("should describe who may call each admin operation, and name its audit records and retries", () => {
    for (const { route, operation } of operationsOf(doc)) {
      const tag = operation.tags[0];
      if (tag === "Gateway" || tag === "Operations") {
        continue;
      }
      expect(operation.description, route).toContain("**Who may call it:**");
      const idempotent = (operation.parameters ?? []).some(
        (p: any) => p.in === "header" && p.name === "idempotency-key",
      );
      expect(operation.description.includes("Idempotency-Key"), route).toBe(idempotent);
      if (idempotent) {
        expect(operation.description, route).toMatch(/\*\*Audit:\*\* records `[a-z_]+\.[a-z_]+`/);
      }
    }
  });

  it("should hold no text for an operation the app does not serve", () => {
    const ids = new Set(operationsOf(doc).map(({ operation }) => operation.operationId));
    expect(Object.keys(OPERATION_DOCS).filter((id) => !ids.has(id))).toEqual([]);
  });

  it("should validate every example against its own schema", () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    (addFormatsPlugin as unknown as (a: Ajv2020) => void)(ajv);
    const base = "https://steward.invalid/openapi.json";
    ajv.addSchema({ $id: base, components: doc.components });
    const examples = examplesOf(doc);
    expect(examples.length).toBeGreaterThan(120);
    const failures: string[] = [];
    for (const { where, schema, example } of examples) {
      // Local references point into the document's components.
      const rooted = JSON.parse(
        JSON.stringify(schema).replaceAll('"#/components/', `"${base}#/components/`),
      );
      const validate = ajv.compile(rooted);
      if (!validate(example)) {
        failures.push(`${where}: ${ajv.errorsText(validate.errors)}`);
      }
    }
    expect(failures).toEqual([]);
    // The check has teeth: an answer that lost a required field, or gained an unknown one, fails.
    const user = examplesOf(doc).find(
      (e) => e.where === "GET /v1/users/{user_id} 200 application/json",
    );
    const check = ajv.getSchema(`${base}#/components/schemas/User`);
    expect(check?.(user?.example)).toBe(true);
    const { email: _email, ...withoutEmail } = (user?.example ?? {}) as Record<string, unknown>;
    expect(check?.(withoutEmail)).toBe(false);
    expect(check?.({ ...withoutEmail, email: "a@example.com", nickname: "x" })).toBe(false);
  });

  it("should declare every tag it uses, each with a description, grouped in the README's order", () => {
    const declared = doc.tags.map((tag: { name: string }) => tag.name);
    for (const tag of doc.tags) {
      expect(tag.description?.length ?? 0, tag.name).toBeGreaterThan(40);
    }
    for (const { route, operation } of operationsOf(doc)) {
      expect(operation.tags, route).toHaveLength(1);
      expect(declared, route).toContain(operation.tags[0]);
    }
    // Swagger UI shows tags in the declared order: the groups' order, every tag in one group.
    expect(doc["x-tagGroups"]).toEqual(TAG_GROUPS);
    expect(declared).toEqual(TAG_GROUPS.flatMap((group) => group.tags));
    expect(declared.slice(0, 3)).toEqual(["Organization", "Users", "Invites"]);
  });

  it("should list operations tag by tag, Steward's paths before Anthropic's", () => {
    const order = doc.tags.map((tag: { name: string }) => tag.name);
    const ranks = operationsOf(doc).map(({ path, operation }) => [
      order.indexOf(operation.tags[0]),
      path.startsWith("/v1/organizations/") ? 1 : 0,
    ]);
    const sorted = [...ranks].sort(
      (a, b) => (a[0] ?? 0) - (b[0] ?? 0) || (a[1] ?? 0) - (b[1] ?? 0),
    );
    expect(ranks).toEqual(sorted);
  });

  it("should mark each operation on Anthropic's paths that has a Steward twin, under the same tag", () => {
    const byRoute = new Map(operationsOf(doc).map((o) => [o.route, o.operation]));
    const aliases = operationsOf(doc).filter(({ operation }) =>
      operation.summary.endsWith("(Anthropic's path)"),
    );
    expect(aliases.length).toBe(17);
    for (const { route, path, operation } of aliases) {
      expect(path, route).toMatch(/^\/v1\/organizations\//);
      const twin = /The same operation as `([A-Z]+ [^`]+)`/.exec(operation.description)?.[1];
      expect(twin, route).toBeDefined();
      const steward = byRoute.get(twin ?? "");
      expect(steward, `${route}: its twin ${twin}`).toBeDefined();
      expect(steward.tags, route).toEqual(operation.tags);
      expect(operation.summary).toBe(
        `${steward.summary.replace(/ \(POST\)$/, "")} (Anthropic's path)`.replace(
          "Change a member's role or name (Anthropic's path)",
          "Change a member's role (Anthropic's path)",
        ),
      );
    }
    expect(byRoute.get("GET /v1/organizations/users").summary).toBe(
      "List members (Anthropic's path)",
    );
  });

  it("should declare the security schemes and apply them per operation", () => {
    const schemes = doc.components.securitySchemes;
    expect(Object.keys(schemes).sort()).toEqual([
      "adminBearer",
      "adminKey",
      "consoleSession",
      "gatewayBearer",
      "gatewayKey",
    ]);
    expect(schemes.gatewayKey).toMatchObject({ type: "apiKey", in: "header", name: "x-api-key" });
    expect(schemes.adminBearer).toMatchObject({ type: "http", scheme: "bearer" });
    expect(doc.security).toBeUndefined();
    const securityOf = (route: string) =>
      operationsOf(doc).find((o) => o.route === route)?.operation.security;
    expect(schemes.consoleSession).toMatchObject({
      type: "apiKey",
      in: "cookie",
      name: "steward_session",
    });
    expect(securityOf("GET /v1/users")).toEqual([
      { adminKey: [] },
      { adminBearer: [] },
      { consoleSession: [] },
    ]);
    expect(securityOf("POST /v1/invites/accept")).toEqual([]);
    expect(securityOf("POST /auth/admin-key")).toEqual([]);
    expect(securityOf("GET /auth/session")).toEqual([{ consoleSession: [] }]);
    expect(securityOf("POST /v1/messages")).toEqual([{ gatewayKey: [] }, { gatewayBearer: [] }]);
    expect(securityOf("GET /healthz")).toEqual([]);
    for (const { route, operation } of operationsOf(doc)) {
      expect(Array.isArray(operation.security), route).toBe(true);
      for (const requirement of operation.security) {
        for (const name of Object.keys(requirement)) {
          expect(schemes, route).toHaveProperty(name);
        }
      }
    }
  });

  it("should document the gateway's paths: shapes, stream, auth and errors", () => {
    const messages = doc.paths["/v1/messages"].post;
    expect(messages.tags).toEqual(["Gateway"]);
    expect(messages.requestBody.content["application/json"].schema).toEqual({
      $ref: "#/components/schemas/MessageCreateParamsInput",
    });
    const params = doc.components.schemas.MessageCreateParamsInput;
    expect(params.required).toEqual(["model", "max_tokens", "messages"]);
    expect(Object.keys(params.properties)).toEqual(expect.arrayContaining(["stream", "system"]));
    const ok = messages.responses["200"];
    expect(ok.content["application/json"].schema).toEqual({ $ref: "#/components/schemas/Message" });
    expect(ok.content["text/event-stream"].example).toContain("event: message_delta");
    expect(Object.keys(ok.headers)).toEqual(
      expect.arrayContaining(["request-id", "x-steward-request-id"]),
    );
    for (const status of ["400", "401", "403", "429", "502", "504", "529"]) {
      expect(messages.responses[status]?.content["application/json"].schema, status).toEqual({
        $ref: "#/components/schemas/Error",
      });
    }
    expect(messages.responses["429"].headers["retry-after"]).toBeDefined();
    expect(messages.responses["403"].description).toMatch(/allow-list/);
    expect(messages.responses["400"].content["application/json"].example.error.details).toEqual({
      error_code: "workspace_spend_limit_reached",
    });
    // Documented only: the gateway's front door answers these paths, Fastify has no route for them.
    expect(server.app.hasRoute({ method: "POST", url: "/v1/messages" })).toBe(false);
    expect(server.app.hasRoute({ method: "GET", url: "/v1/models" })).toBe(false);
    expect(server.app.hasRoute({ method: "GET", url: "/v1/users" })).toBe(true);
    for (const path of ["/v1/messages/count_tokens", "/v1/models", "/v1/models/{model_id}"]) {
      const operation = doc.paths[path].post ?? doc.paths[path].get;
      expect(operation.tags, path).toEqual(["Gateway"]);
      expect(operation.responses["401"], path).toBeDefined();
    }
  });
});
