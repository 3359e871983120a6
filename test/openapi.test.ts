import { Validator } from "@seriousme/openapi-schema-validator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestServer, type TestServer } from "./harness.js";

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
    expect(doc.components.securitySchemes.adminKey).toEqual({
      type: "apiKey",
      in: "header",
      name: "x-api-key",
    });
  });

  it("should serve a readable reference page at /docs", async () => {
    const response = await server.request("GET", "/docs/", { key: null });
    expect(response.status).toBe(200);
    expect(String(response.body)).toContain("swagger");
  });
});
