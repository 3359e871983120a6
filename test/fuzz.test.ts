/**
 * Hostile input, seeded (issue 22): every operation of `/openapi.json` and the gateway's routes
 * get requests drawn by fast-check from a fixed seed (valid values from the schemas, then mutated:
 * wrong types, missing and extra fields, prototype keys, numbers past every bound, deep nesting,
 * hostile path segments and query strings, odd headers), and every answer must be a 4xx or 2xx,
 * never a 5xx, an error in the Anthropic envelope with a request-id, within a bound (no hang).
 * The fake upstream answers some Messages with absurd usage numbers; afterwards the metering queue
 * must drain and every forwarded Message must have its usage event.
 *
 * One app per backend (test/fuzz/env.ts: the gateway over the fake upstream, as in
 * test/gateway-support.ts), shared by every property; each admin operation runs against an
 * organization of its own. FUZZ_SEED and FUZZ_RUNS (per property) override the defaults, to replay
 * a failure or to search longer; FUZZ_STATS=1 prints what the answers were, per operation.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminCase, type Credentials, operationsOf, requestOf } from "./fuzz/admin-cases.js";
import {
  type Answer,
  assertProperty,
  brief,
  describeExchange,
  HANG_BOUND_MS,
  problemWith,
  type SentRequest,
  searchLimitMs,
  withinBound,
} from "./fuzz/check.js";
import { type FuzzEnv, type FuzzOrganization, startFuzzEnv } from "./fuzz/env.js";
import { type GatewayCase, gatewayCase, provokedServerErrors } from "./fuzz/gateway-cases.js";
import type { OpenApiDoc, ValueContext } from "./fuzz/schema-values.js";
import { type Backend, createTestServer, describeEachBackend } from "./harness.js";

const SEED = Number(process.env.FUZZ_SEED ?? 22_2026);
// Per admin operation: fewer on PostgreSQL, where each request costs about four times as much
// (the same seeds, so its runs are the first ones SQLite's draw).
const ADMIN_RUNS = { sqlite: 40, postgres: 20 };
const FUZZ_RUNS = process.env.FUZZ_RUNS === undefined ? undefined : Number(process.env.FUZZ_RUNS);
const adminRuns = (backend: Backend) => FUZZ_RUNS ?? ADMIN_RUNS[backend.name];
const GATEWAY_RUNS = FUZZ_RUNS ?? 150;
// Room for fast-check to shrink a failure (each request is bounded by HANG_BOUND_MS, and the
// search is cut off after searchLimitMs with the smallest case found so far).
const PROPERTY_TIMEOUT_MS =
  searchLimitMs(Math.max(ADMIN_RUNS.sqlite, GATEWAY_RUNS)) + 2 * HANG_BOUND_MS;

/** The seed of one property: FUZZ_SEED mixed with the property's name (FNV-1a). */
function seedOf(name: string): number {
  let hash = 0x811c9dc5 ^ SEED;
  for (let i = 0; i < name.length; i++) {
    hash = Math.imul(hash ^ name.charCodeAt(i), 0x01000193);
  }
  return hash | 0;
}

// The operations, read from the document the app serves (not a list kept by hand), before the
// tests are declared: one test per operation.
const doc: OpenApiDoc = await (async () => {
  const server = await createTestServer({ name: "sqlite" });
  try {
    const response = await server.app.inject({ url: "/openapi.json" });
    return response.json() as OpenApiDoc;
  } finally {
    await server.close();
  }
})();
const operations = operationsOf(doc);

/** Answers every request 200 `{}`: where the alert channels the fuzz creates deliver. */
async function startSink(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Ids and tokens in a 2xx answer (`id`, `token`, and those of `data[]`), for later requests. */
function harvest(body: string, ids: string[], tokens: string[]): void {
  let parsed: any;
  try {
    parsed = JSON.parse(body);
  } catch {
    return;
  }
  const items = [parsed, ...(Array.isArray(parsed?.data) ? parsed.data : [])];
  for (const item of items) {
    if (typeof item?.id === "string" && !ids.includes(item.id)) {
      ids.push(item.id);
    }
    if (typeof item?.token === "string") {
      tokens.push(item.token);
    }
  }
}

/**
 * With FUZZ_STATS=1, the answers' statuses and error types per operation are printed at the end:
 * to see what the cases reach (a suite of 400s tests only the first check).
 */
const stats = new Map<string, Map<string, number>>();
function tally(name: string, answer: Answer, withMessage = false): void {
  if (!process.env.FUZZ_STATS) {
    return;
  }
  let type = "";
  if (answer.status >= 400) {
    try {
      const { error } = JSON.parse(answer.body);
      type = withMessage
        ? ` ${error.type} (${String(error.message).slice(0, 70)})`
        : ` ${error.type}`;
    } catch {
      type = " ?";
    }
  }
  const counts = stats.get(name) ?? new Map<string, number>();
  const key = `${answer.status}${type}`;
  counts.set(key, (counts.get(key) ?? 0) + 1);
  stats.set(name, counts);
}

/** The id prefix (src/core/ports.ts, ID_PREFIXES) a field or path parameter names, by its name. */
const PREFIX_OF = new Map([
  ["user", "user_"],
  ["created_by_user", "user_"],
  ["actor", "user_"],
  ["workspace", "wrkspc_"],
  ["api_key", "apikey_"],
  ["invite", "invite_"],
  ["alert_rule", "alertrule_"],
  ["rule", "alertrule_"],
  ["alert_delivery", "alertdlv_"],
  ["organization", "org_"],
]);

/** The ids of `pool` of the kind `field` names (all of them for a field that names none). */
function idsFor(field: string, pool: readonly string[]): readonly string[] {
  const prefix = PREFIX_OF.get(field.replace(/_ids?$/, ""));
  const fit = prefix === undefined ? pool : pool.filter((id) => id.startsWith(prefix));
  return fit.length === 0 ? pool : fit;
}

interface Seeded {
  org: FuzzOrganization;
  credentials: Credentials;
  ids: string[];
  tokens: string[];
}

describeEachBackend("fuzz: hostile input", (backend) => {
  let env: FuzzEnv;
  let sink: { url: string; close(): Promise<void> };
  /** Ids of the first organization: another organization's, for every other one. */
  const foreignIds: string[] = [];

  const inject = async (sent: SentRequest): Promise<Answer> => {
    const response = await withinBound(
      env.app.inject({
        method: sent.method as "GET",
        url: sent.url,
        headers: sent.headers,
        ...(sent.body !== undefined && { payload: sent.body }),
      }),
      `${sent.method} ${sent.url.slice(0, 200)}`,
    );
    return { status: response.statusCode, headers: response.headers, body: response.body };
  };

  /** A request that must succeed while seeding; returns its JSON. */
  const seedRequest = async (adminKey: string, method: string, url: string, body?: unknown) => {
    const answer = await inject({
      method,
      url,
      headers: {
        "x-api-key": adminKey,
        "anthropic-version": "2023-06-01",
        ...(body !== undefined && { "content-type": "application/json" }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    if (answer.status !== 200) {
      throw new Error(`seeding ${method} ${url}: ${answer.status} ${answer.body}`);
    }
    return JSON.parse(answer.body);
  };

  /** An organization with one of each resource, so valid ids reach past the lookups. */
  const seedOrganization = async (org: FuzzOrganization): Promise<Seeded> => {
    const key = org.adminKey;
    const workspace = await seedRequest(key, "POST", "/v1/organizations/workspaces", {
      name: "Fuzz",
    });
    const member = await seedRequest(key, "POST", "/v1/organizations/invites", {
      email: `member+${org.id}@example.com`,
      role: "developer",
    });
    const user = await seedRequest(key, "POST", "/v1/invites/accept", {
      token: member.token,
      name: "Mia",
    });
    await seedRequest(key, "POST", `/v1/organizations/workspaces/${workspace.id}/members`, {
      user_id: user.id,
      workspace_role: "workspace_developer",
    });
    const pending = await seedRequest(key, "POST", "/v1/organizations/invites", {
      email: `pending+${org.id}@example.com`,
      role: "user",
    });
    const apiKey = await seedRequest(key, "POST", "/v1/api_keys", {
      name: "fuzz",
      workspace_id: workspace.id,
    });
    const rule = await seedRequest(key, "POST", "/v1/organizations/alert_rules", {
      name: "Fuzz rule",
      scope: { type: "organization" },
      thresholds: [{ type: "usd", amount_usd: 1 }],
      channels: [{ type: "webhook", url: `${sink.url}/hook` }],
    });
    const deliveries = await seedRequest(
      key,
      "POST",
      `/v1/organizations/alert_rules/${rule.id}/test`,
    );
    await seedRequest(key, "POST", "/v1/usage/events", {
      events: [
        {
          id: `fuzz-${org.id}`,
          timestamp: "2026-01-15T11:00:00Z",
          workspace_id: workspace.id,
          api_key_id: apiKey.id,
          model: "claude-haiku-4-5",
          input_tokens: 10,
          output_tokens: 5,
        },
      ],
    });
    const ids = [
      org.id,
      org.ownerId,
      org.defaultWorkspaceId,
      workspace.id,
      user.id,
      member.id,
      pending.id,
      apiKey.id,
      rule.id,
      ...deliveries.data.map((delivery: { id: string }) => delivery.id),
    ];
    return {
      org,
      credentials: { adminKey: key, apiKey: apiKey.key },
      ids,
      tokens: [pending.token],
    };
  };

  beforeAll(async () => {
    sink = await startSink();
    env = await startFuzzEnv(backend);
    const first = await seedOrganization(await env.createOrganization());
    foreignIds.push(...first.ids);
  });

  afterAll(async () => {
    if (process.env.FUZZ_STATS) {
      for (const [name, counts] of stats) {
        console.log(
          `[${backend.name}] ${name}: ${[...counts].map(([key, n]) => `${key}×${n}`).join(", ")}`,
        );
      }
      stats.clear();
    }
    await env?.close();
    await sink?.close();
  });

  describe(`admin API: every operation of /openapi.json (seed ${SEED}, ${adminRuns(backend)} runs each)`, () => {
    it("finds the operations in the document", () => {
      expect(operations.length).toBeGreaterThanOrEqual(60);
    });

    // Found by this suite (seed 21): with an Idempotency-Key, a usage event nested 3,000 deep
    // (the batch's schema leaves each event open) overflowed the stack in the request's
    // fingerprint (canonicalJson), and the answer was a 500.
    it("fingerprints an idempotent request whatever its depth", async () => {
      const org = await env.createOrganization();
      const depth = 20_000;
      const nested = `${'{"a":['.repeat(depth)}1${"]}".repeat(depth)}`;
      const answer = await inject({
        method: "POST",
        url: "/v1/usage/events",
        headers: {
          "x-api-key": org.adminKey,
          "content-type": "application/json",
          "idempotency-key": "deep-body",
        },
        body: `{"events":[{"id":"deep","timestamp":"2026-01-15T11:00:00Z","workspace_id":"${org.defaultWorkspaceId}","model":"claude-haiku-4-5","input_tokens":1,"output_tokens":1,"cache_creation":${nested}}]}`,
      });
      expect(problemWith(answer)).toBeUndefined();
      expect(answer.status).toBe(200);
    });

    for (const op of operations) {
      it(
        `${op.method} ${op.path}`,
        async () => {
          const seeded = await seedOrganization(await env.createOrganization());
          // This organization's ids first and most often; another organization's must be refused.
          const ids = seeded.ids;
          const pool = (field: string) => idsFor(field, [...ids, ...ids, ...foreignIds]);
          const ctx: ValueContext = {
            doc,
            ids: pool,
            tokens: () => seeded.tokens,
            sinkUrl: sink.url,
          };
          const property = fc.asyncProperty(adminCase(ctx, op), async (c) => {
            const sent = requestOf(op, c, pool, seeded.credentials);
            let answer: Answer;
            try {
              answer = await inject(sent);
            } catch (error) {
              throw new Error(
                `${(error as Error).message}\n  ${describeExchange(sent, undefined)}`,
              );
            }
            const valid = c.focus === "valid";
            tally(`${op.method} ${op.path}${valid ? " [valid]" : ""}`, answer, valid);
            const problem = problemWith(answer);
            if (problem !== undefined) {
              throw new Error(`${problem}\n  ${describeExchange(sent, answer)}`);
            }
            if (answer.status < 300) {
              harvest(answer.body, ids, seeded.tokens);
            }
          });
          // A seed of its own per operation (the same every run, whatever else the document
          // holds), so operations that share a shape do not all draw the same cases.
          await assertProperty(
            property,
            { seed: seedOf(`${op.method} ${op.path}`), numRuns: adminRuns(backend) },
            `${op.method} ${op.path} (FUZZ_SEED=${SEED})`,
          );
        },
        PROPERTY_TIMEOUT_MS,
      );
    }
  });

  describe(`gateway routes (seed ${SEED}, ${GATEWAY_RUNS} runs)`, () => {
    let apiKey: string;
    let adminKey: string;
    let organizationId: string;
    /** Steward's id of every /v1/messages request the gateway forwarded: each must be metered. */
    const forwarded: string[] = [];

    beforeAll(async () => {
      const org = await env.createOrganization();
      adminKey = org.adminKey;
      organizationId = org.id;
      const created = await seedRequest(adminKey, "POST", "/v1/api_keys", { name: "fuzz gateway" });
      apiKey = created.key;
    });

    const send = async (c: GatewayCase): Promise<{ sent: SentRequest; answer: Answer }> => {
      const headers: Record<string, string> = {};
      switch (c.auth) {
        case "key":
          headers["x-api-key"] = apiKey;
          break;
        case "bearer":
          headers.authorization = `Bearer ${apiKey}`;
          break;
        case "bad":
          headers["x-api-key"] = "sk-ant-api03-not-a-key-that-exists";
          break;
        case "admin":
          headers["x-api-key"] = adminKey;
          break;
        case "none":
          break;
      }
      if (c.version !== undefined) {
        headers["anthropic-version"] = c.version;
      }
      let body: string | undefined;
      if (c.body.kind === "json") {
        body = JSON.stringify(c.body.value) ?? "null";
      } else if (c.body.kind === "raw") {
        body = c.body.text;
      }
      if (c.method === "GET") {
        body = undefined;
      }
      if (body !== undefined && c.contentType !== undefined) {
        headers["content-type"] = c.contentType;
      }
      const sent: SentRequest = { method: c.method, url: c.path, headers, body };
      env.upstream.script(c.scenario);
      const response = await withinBound(
        fetch(`${env.baseURL}${c.path}`, {
          method: c.method,
          headers,
          ...(body !== undefined && { body }),
          signal: AbortSignal.timeout(HANG_BOUND_MS + 1000),
        }).then(async (r) => {
          const received: Record<string, string> = {};
          r.headers.forEach((value, name) => {
            received[name] = value;
          });
          return { status: r.status, headers: received, body: await r.text() };
        }),
        `${c.method} ${c.path}`,
      );
      return { sent, answer: response };
    };

    it(
      "answers every request without a 5xx (but the upstream's own), in the envelope, in time",
      async () => {
        const property = fc.asyncProperty(gatewayCase, async (c) => {
          let exchange: { sent: SentRequest; answer: Answer };
          try {
            exchange = await send(c);
          } catch (error) {
            throw new Error(`${(error as Error).message}\n  case ${brief(c)}`);
          }
          const { sent, answer } = exchange;
          tally(`gateway ${c.method} ${c.path.split("?")[0]?.slice(0, 40)}`, answer, true);
          // A 5xx may only be the upstream's own, passed on (Steward's id beside the upstream's):
          // one the gateway wrote itself (a crash) is not allowed, whatever the upstream did.
          const passedOn = answer.headers["x-steward-request-id"] !== undefined;
          const problem = problemWith(answer, {
            allowedServerErrors: passedOn ? provokedServerErrors(c) : [],
            mayStream: true,
          });
          if (problem !== undefined) {
            throw new Error(
              `${problem}\n  upstream ${brief(c.scenario)}\n  ${describeExchange(sent, answer)}`,
            );
          }
          const stewardId = answer.headers["x-steward-request-id"];
          if (
            c.method === "POST" &&
            /^\/v1\/messages(\?|$)/.test(c.path) &&
            typeof stewardId === "string"
          ) {
            forwarded.push(stewardId);
          }
        });
        await assertProperty(
          property,
          { seed: seedOf("gateway"), numRuns: GATEWAY_RUNS },
          `gateway (FUZZ_SEED=${SEED})`,
        );
      },
      PROPERTY_TIMEOUT_MS,
    );

    // Found by this suite (seeds 1 and 2): the gateway answered 500 to a Message whose image
    // source was null (`null.type` while estimating its input), and a Message with content blocks
    // nested 20,000 deep overflowed the stack in the same estimate.
    it("forwards Messages with a null image source or content nested past the stack", async () => {
      const send = (text: string) =>
        fetch(`${env.baseURL}/v1/messages`, {
          method: "POST",
          headers: {
            "x-api-key": apiKey,
            "anthropic-version": "2023-06-01",
            "content-type": "application/json",
          },
          body: text,
        }).then(async (response) => ({ status: response.status, body: await response.text() }));
      env.upstream.script({ kind: "message" });
      const blocks = [
        { type: "image", source: null },
        { type: "document", source: null },
        { type: "tool_result", content: [{ type: "image", source: null }] },
      ];
      const nullSources = await send(
        JSON.stringify({
          model: "claude-haiku-4-5",
          max_tokens: 8,
          messages: [{ role: "user", content: blocks }],
        }),
      );
      expect(nullSources).toMatchObject({ status: 200 });
      const depth = 20_000;
      const deep = await send(
        `{"model":"claude-haiku-4-5","max_tokens":8,"messages":[{"role":"user","content":${'[{"type":"tool_result","content":'.repeat(depth)}"x"${"}]".repeat(depth)}}]}`,
      );
      expect(deep).toMatchObject({ status: 200 });
    });

    /** The organization's usage events, and the event ids it set aside as dead letters. */
    const metered = async () => {
      const events = await env.services.deps.store.read.usage.list(organizationId);
      const deadLetters = await env.database.db
        .selectFrom("usage_dead_letters")
        .select(["event_id", "reason"])
        .where("organization_id", "=", organizationId)
        .execute();
      return { events, deadLetters };
    };

    it("drains the metering queue: every forwarded Message is metered, with sane numbers", async () => {
      expect(forwarded.length).toBeGreaterThan(0);
      await withinBound(env.settle(), "metering drain", 30_000);
      expect(env.runtime.recorder.pending).toBe(0);
      const { events, deadLetters } = await metered();
      // Kept either as an event or, refused, as a dead letter: acknowledged, never lost.
      const kept = new Set([
        ...events.map((event) => event.id),
        ...deadLetters.map((row) => row.event_id),
      ]);
      const missing = forwarded.filter((id) => !kept.has(id));
      expect(missing, "forwarded requests with neither a usage event nor a dead letter").toEqual(
        [],
      );
      const counts = [
        "input_tokens",
        "output_tokens",
        "cache_creation_5m_tokens",
        "cache_creation_1h_tokens",
        "cache_read_tokens",
        "web_search_requests",
        "cost_nanos",
      ] as const;
      const insane = events.flatMap((event) =>
        counts
          .filter(
            (field) => !Number.isSafeInteger(Number(event[field])) || Number(event[field]) < 0,
          )
          .map((field) => `${event.id} ${field}=${String(event[field])}`),
      );
      expect(insane, "usage events with counts that are not non-negative safe integers").toEqual(
        [],
      );
    });

    it("keeps draining: a plain Message after the hostile ones is metered", async () => {
      env.upstream.script({ kind: "message" });
      const response = await fetch(`${env.baseURL}/v1/messages`, {
        method: "POST",
        headers: {
          "x-api-key": apiKey,
          "anthropic-version": "2023-06-01",
          "content-type": "application/json",
        },
        body: JSON.stringify({
          model: "claude-haiku-4-5",
          max_tokens: 16,
          messages: [{ role: "user", content: "Hi" }],
        }),
      });
      expect(response.status).toBe(200);
      await response.text();
      const id = response.headers.get("x-steward-request-id");
      await withinBound(env.settle(), "metering drain", 30_000);
      expect(env.runtime.recorder.pending).toBe(0);
      const { events } = await metered();
      expect(events.some((event) => event.id === id)).toBe(true);
    });
  });
});
