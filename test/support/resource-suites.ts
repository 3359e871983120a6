import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { IdKind } from "../../src/core/ports.js";
import { type ApiResponse, expectError, type OrgFixture, type TestServer } from "../harness.js";

/**
 * Behaviour every resource of the Admin API has, written once and run for each resource and
 * surface: authentication is required, another organization's ids answer like ids that do not
 * exist, lists page forwards and backwards, and a creation repeated with its Idempotency-Key is
 * answered from the first. A resource's test file calls `describeResourceBasics` with its paths.
 */
export interface ResourceSpec {
  /** For the test titles: "workspaces (Anthropic surface)". */
  name: string;
  /** The list's path. */
  list: string;
  /** The path of one object. */
  one: (id: string) => string;
  /** The id kind of the resource's objects, for ids that exist nowhere. */
  kind: IdKind;
  /**
   * Creates an object in the organization whose admin key is given and answers its id. `n`
   * differs on every call, for names and emails that must be unique.
   */
  create: (server: TestServer, key: string, n: number) => Promise<string>;
  /** The creation request, when the resource takes an Idempotency-Key on it. */
  idempotentCreate?: { path: string; body: (n: number) => Record<string, unknown> };
}

interface Page {
  data: { id: string }[];
  has_more: boolean;
  first_id: string | null;
  last_id: string | null;
}

let counter = 0;

/** The suites for one resource, on the server `current()` answers (made in the caller's beforeAll). */
export function describeResourceBasics(current: () => TestServer, spec: ResourceSpec): void {
  const page = async (query: Record<string, string | number>, org?: OrgFixture) => {
    const response = await current().get(spec.list, {
      query,
      ...(org && { key: org.adminKey }),
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body as Page;
  };

  describe(`${spec.name}: what every resource does`, () => {
    it("should require an admin key, and refuse an unknown one, on the list and on one object", async () => {
      const server = current();
      const id = await spec.create(server, server.org.adminKey, ++counter);
      // From an address of this test's own: failed attempts are limited per address.
      const remoteAddress = `10.23.${Math.floor(++counter / 250) % 250}.${counter % 250}`;
      for (const url of [spec.list, spec.one(id)]) {
        for (const key of [undefined, "sk-ant-admin01-not-a-key-of-anyone"]) {
          const response = await server.app.inject({
            method: "GET",
            url,
            remoteAddress,
            headers: { "anthropic-version": "2023-06-01", ...(key && { "x-api-key": key }) },
          });
          expectError(
            { status: response.statusCode, body: response.json(), headers: response.headers },
            401,
            "authentication_error",
          );
        }
      }
    });

    it("should answer another organization's id exactly like an id that does not exist", async () => {
      const server = current();
      const other = await server.createOrganization();
      const foreign = await spec.create(server, other.adminKey, ++counter);
      const missing = server.services.deps.ids.next(spec.kind);
      const foreignAnswer = await server.get(spec.one(foreign));
      const missingAnswer = await server.get(spec.one(missing));
      const foreignError = expectError(foreignAnswer, 404, "not_found_error");
      const missingError = expectError(missingAnswer, 404, "not_found_error");
      expect(foreignError.message.replace(foreign, "ID")).toBe(
        missingError.message.replace(missing, "ID"),
      );
      // The owner still sees it.
      expect((await server.get(spec.one(foreign), { key: other.adminKey })).status).toBe(200);
    });

    it("should page forwards with after_id and backwards with before_id over the same objects", async () => {
      const server = current();
      // An organization of its own: its list holds exactly what this test made.
      const org = await server.createOrganization();
      for (let i = 0; i < 5; i++) {
        await spec.create(server, org.adminKey, ++counter);
      }
      const all = (await page({ limit: 1000 }, org)).data.map((o) => o.id);
      expect(all.length).toBeGreaterThanOrEqual(5);

      const forwards: string[] = [];
      let after: string | null = null;
      for (;;) {
        const current: Page = await page({ limit: 2, ...(after && { after_id: after }) }, org);
        expect(current.first_id).toBe(current.data[0]?.id ?? null);
        expect(current.last_id).toBe(current.data.at(-1)?.id ?? null);
        forwards.push(...current.data.map((o) => o.id));
        if (!current.has_more) {
          break;
        }
        after = current.last_id;
      }
      expect(forwards).toEqual(all);

      const backwards: string[] = [];
      let before = all.at(-1) as string;
      const last = all.at(-1) as string;
      for (;;) {
        const current: Page = await page({ limit: 2, before_id: before }, org);
        backwards.unshift(...current.data.map((o) => o.id));
        if (!current.has_more) {
          break;
        }
        before = current.first_id as string;
      }
      expect([...backwards, last]).toEqual(all);
    });

    const idempotent = spec.idempotentCreate;
    if (idempotent) {
      it("should answer a creation repeated with its Idempotency-Key from the first, and create one object", async () => {
        const server = current();
        const org = await server.createOrganization();
        const body = idempotent.body(++counter);
        const headers = { "idempotency-key": randomUUID() };
        const first: ApiResponse<unknown> = await server.post(idempotent.path, body, {
          key: org.adminKey,
          headers,
        });
        expect(first.status, JSON.stringify(first.body)).toBe(200);
        const replay: ApiResponse<unknown> = await server.post(idempotent.path, body, {
          key: org.adminKey,
          headers,
        });
        expect(replay.status).toBe(first.status);
        expect(replay.body).toEqual(first.body);
        expect(replay.headers["idempotent-replayed"]).toBe("true");
        const id = (first.body as { id: string }).id;
        const listed = (await page({ limit: 1000 }, org)).data.map((o) => o.id);
        expect(listed.filter((listedId) => listedId === id)).toHaveLength(1);
      });
    }
  });
}
