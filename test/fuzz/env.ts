/**
 * The app the fuzz suite runs against: as test/gateway-support.ts builds it (a fresh database, the
 * gateway pointed at the fake upstream, a ManualClock, listening on 127.0.0.1), with the outside
 * world replaced so that whatever the fuzz draws stays on this machine and answers at once:
 * - every host name resolves to 127.0.0.1, the only internal address allowed, so an alert channel
 *   reaches the local sink or a closed port, never the network (PagerDuty's default URL included);
 * - mail goes to an in-memory mailer;
 * - failed admin authentication is not throttled: the fuzz sends bad keys on purpose, and a
 *   throttled address would turn the rest of the run into 429s (the throttle has tests of its own).
 */
import type { AddressInfo } from "node:net";
import type { FastifyInstance } from "fastify";
import { DEFAULT_AUTH_FAILURE_OPTIONS } from "../../src/core/admin-keys/auth-failures.js";
import type { Mailer } from "../../src/core/mail/mailer.js";
import { ManualClock } from "../../src/core/ports.js";
import type { Services } from "../../src/core/services.js";
import { PriceTable } from "../../src/core/usage/prices.js";
import type { Database } from "../../src/db/connect.js";
import type { GatewayRuntime } from "../../src/gateway/runtime.js";
import { startRuntime } from "../../src/runtime.js";
import { type FakeUpstream, startFakeUpstream } from "../fixtures/fake-upstream.js";
import { START, UPSTREAM_KEY } from "../gateway-support.js";
import { type Backend, createTestDatabase } from "../harness.js";

export interface FuzzOrganization {
  id: string;
  ownerId: string;
  defaultWorkspaceId: string;
  adminKey: string;
}

export interface FuzzEnv {
  app: FastifyInstance;
  services: Services;
  database: Database;
  upstream: FakeUpstream;
  runtime: GatewayRuntime;
  baseURL: string;
  mail: Array<{ to: string[]; subject: string }>;
  createOrganization(): Promise<FuzzOrganization>;
  /** Waits for every gateway request in progress and every usage event to be written. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

let organizations = 0;

export async function startFuzzEnv(backend: Backend): Promise<FuzzEnv> {
  const upstream = await startFakeUpstream({ apiKey: UPSTREAM_KEY });
  const testDb = await createTestDatabase(backend);
  const mail: FuzzEnv["mail"] = [];
  const mailer: Mailer = {
    async send(message) {
      mail.push({ to: message.to, subject: message.subject });
      if (mail.length > 100) {
        mail.shift();
      }
    },
  };
  const started = await startRuntime({
    database: testDb.database,
    clock: new ManualClock(START),
    services: {
      mailer,
      onMailFailure: () => {},
      outbound: {
        allow: ["127.0.0.1"],
        resolve: async () => [{ address: "127.0.0.1", family: 4 }],
      },
      authFailures: { ...DEFAULT_AUTH_FAILURE_OPTIONS, limit: Number.MAX_SAFE_INTEGER },
      alertDispatch: { timeoutMs: 2000 },
    },
    gateway: {
      upstream: { url: upstream.url, apiKey: UPSTREAM_KEY, timeoutMs: 10_000 },
      recorder: { maxDelayMs: 5 },
      prices: PriceTable.load(),
    },
  });
  const { app, services } = started;
  await app.listen({ port: 0, host: "127.0.0.1" });
  const { port } = app.server.address() as AddressInfo;
  const runtime = started.gateway as GatewayRuntime;

  return {
    app,
    services,
    database: testDb.database,
    upstream,
    runtime,
    baseURL: `http://127.0.0.1:${port}`,
    mail,
    async createOrganization() {
      const n = ++organizations;
      const created = await services.organizations.create(
        { name: `Fuzz ${n}`, ownerEmail: `owner+fuzz${n}@example.com`, ownerName: "Olivia Owner" },
        { type: "system", id: null },
      );
      return {
        id: created.organization.id,
        ownerId: created.ownerId,
        defaultWorkspaceId: created.defaultWorkspaceId,
        adminKey: created.adminKey,
      };
    },
    async settle() {
      await runtime.gateway.idle();
      await runtime.recorder.drain();
    },
    async close() {
      await started.close();
      await testDb.drop();
      await upstream.close();
    },
  };
}
