import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createTestServer,
  describeEachBackend,
  envelopeOf,
  expectError,
  type TestServer,
} from "./harness.js";

describeEachBackend("organization", (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await createTestServer(backend);
  });
  afterAll(async () => {
    await server?.close();
  });

  describe("admin authentication", () => {
    it("should refuse a request without a key", async () => {
      const error = expectError(
        await server.get("/v1/organizations", { key: null }),
        401,
        "authentication_error",
      );
      expect(error.message).toMatch(/x-api-key/);
    });

    it("should refuse an unknown key", async () => {
      expectError(
        await server.get("/v1/organizations", { key: "sk-ant-admin01-doesnotexist" }),
        401,
        "authentication_error",
      );
    });

    it("should refuse an ordinary API key on admin endpoints, saying why", async () => {
      const created = await server.post("/v1/api_keys", { name: "inference" });
      expect(created.status).toBe(200);
      const error = expectError(
        await server.get("/v1/organizations", { key: created.body.key }),
        401,
        "authentication_error",
      );
      expect(error.message).toMatch(/admin key/);
    });

    it("should accept the key as a Bearer token", async () => {
      const response = await server.get("/v1/organizations", {
        key: null,
        headers: { authorization: `Bearer ${server.org.adminKey}` },
      });
      expect(response.status).toBe(200);
    });

    it("should put a request-id header on every response, errors included", async () => {
      const ok = await server.get("/v1/organizations");
      const failed = await server.get("/v1/organizations", { key: null });
      expect(ok.headers["request-id"]).toMatch(/^req_/);
      expect(failed.headers["request-id"]).toBe(envelopeOf(failed).request_id);
    });

    it("should accept a missing anthropic-version and refuse a malformed one", async () => {
      const response = await server.request("GET", "/v1/organizations", {
        headers: { "anthropic-version": "" },
      });
      expect([200, 400]).toContain(response.status);
      expectError(
        await server.get("/v1/organizations", { headers: { "anthropic-version": "yesterday" } }),
        400,
        "invalid_request_error",
      );
    });

    it("should stop honouring a revoked admin key on the very next request", async () => {
      const { key, adminKey } = await server.services.adminKeys.create(
        {
          organizationId: server.org.id,
          actor: { type: "operator", id: null },
          requestId: null,
          clientIp: null,
          userAgent: null,
        },
        { name: "short-lived" },
      );
      expect((await server.get("/v1/organizations", { key })).status).toBe(200);
      await server.services.adminKeys.revoke(
        { actor: { type: "operator", id: null }, requestId: null, clientIp: null, userAgent: null },
        adminKey.id,
      );
      expectError(await server.get("/v1/organizations", { key }), 401, "authentication_error");
    });
  });

  describe("GET /v1/organizations and /v1/organizations/me", () => {
    it("should return the seed chapter's shape", async () => {
      const { status, body } = await server.get("/v1/organizations");
      expect(status).toBe(200);
      expect(body).toMatchObject({
        id: server.org.id,
        type: "organization",
        name: "Acme Corporation",
        billing: { usage_limit_usd: null, current_month_usage_usd: 0 },
        settings: { default_model: null, require_mfa: false, allowed_ip_ranges: [] },
      });
      expect(body.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    });

    it("should serve the same organization under Anthropic's path", async () => {
      const seed = await server.get("/v1/organizations");
      const me = await server.get("/v1/organizations/me");
      expect(me.status).toBe(200);
      expect(me.body).toEqual(seed.body);
    });
  });

  describe("updating the organization", () => {
    it("should update settings with POST, as the seed's client does", async () => {
      const { status, body } = await server.post("/v1/organizations", {
        settings: { require_mfa: true, allowed_ip_ranges: ["203.0.113.0/24"] },
      });
      expect(status).toBe(200);
      expect(body.settings).toEqual({
        default_model: null,
        require_mfa: true,
        allowed_ip_ranges: ["203.0.113.0/24"],
      });
    });

    it("should update with PATCH and keep the settings it was not given", async () => {
      const { body } = await server.patch("/v1/organizations", {
        name: "Acme Corp",
        settings: { default_model: "claude-opus-4-5" },
        billing: { usage_limit_usd: 10000 },
      });
      expect(body.name).toBe("Acme Corp");
      expect(body.settings.default_model).toBe("claude-opus-4-5");
      expect(body.settings.require_mfa).toBe(true);
      expect(body.billing.usage_limit_usd).toBe(10000);
    });

    it("should normalize CIDRs and accept IPv6", async () => {
      const { body } = await server.patch("/v1/organizations", {
        settings: { allowed_ip_ranges: ["198.51.100.7/24", "2001:db8::1/32"] },
      });
      expect(body.settings.allowed_ip_ranges).toEqual(["198.51.100.0/24", "2001:db8::/32"]);
    });

    it.each([
      [{ settings: { allowed_ip_ranges: ["300.1.1.1/24"] } }, /settings\.allowed_ip_ranges\[0\]/],
      [{ settings: { allowed_ip_ranges: ["10.0.0.0"] } }, /CIDR/],
      [{ settings: { allowed_ip_ranges: "10.0.0.0/8" } }, /allowed_ip_ranges/],
      [{ settings: { require_mfa: "yes" } }, /settings\.require_mfa/],
      [{ billing: { usage_limit_usd: -1 } }, /billing\.usage_limit_usd/],
      [{ name: "" }, /name/],
      [{ surprise: 1 }, /surprise/],
    ])("should refuse %j with a 400 naming the field", async (body, field) => {
      const before = (await server.get("/v1/organizations")).body;
      const error = expectError(
        await server.patch("/v1/organizations", body),
        400,
        "invalid_request_error",
      );
      expect(error.message).toMatch(field);
      expect((await server.get("/v1/organizations")).body).toEqual(before);
    });

    it("should clear the usage limit with null", async () => {
      const { body } = await server.patch("/v1/organizations", {
        billing: { usage_limit_usd: null },
      });
      expect(body.billing.usage_limit_usd).toBeNull();
    });

    it("should write an audit record with the change", async () => {
      const records = await server.services.deps.store.read.audit.list(server.org.id);
      const update = records.filter((r) => r.action === "organization.updated").at(-1);
      expect(update).toBeDefined();
      expect(update?.actor_type).toBe("admin_key");
      expect(update?.actor_id).toBe(server.org.adminKeyId);
      expect(update?.request_id).toMatch(/^req_/);
      const changes = JSON.parse(update?.changes ?? "{}");
      expect(changes.before.billing.usage_limit_usd).toBe(10000);
      expect(changes.after.billing.usage_limit_usd).toBeNull();
    });
  });

  describe("bad input", () => {
    it("should answer malformed JSON with a 400", async () => {
      const error = expectError(
        await server.request("PATCH", "/v1/organizations", { body: '{"name": ' }),
        400,
        "invalid_request_error",
      );
      expect(error.message).toMatch(/JSON/);
    });

    it("should answer an oversized body with a 413", async () => {
      const huge = { name: "x".repeat(2 * 1024 * 1024) };
      expectError(await server.patch("/v1/organizations", huge), 413, "request_too_large");
    });

    it("should answer an unknown path with a 404 envelope", async () => {
      expectError(await server.get("/v1/nothing-here"), 404, "not_found_error");
    });
  });
});
