import { spawn } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyInstance } from "fastify";
import { sql } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditHash } from "../src/core/audit-chain.js";
import type { Services } from "../src/core/services.js";
import { connect, type Database, migrate, redactUrl } from "../src/db/connect.js";
import { type Runtime, startRuntime } from "../src/runtime.js";
import { type Backend, describeEachBackend, expectError } from "./harness.js";
import { testSchemaName } from "./pg-schemas.js";
import { runCliInProcess } from "./support/cli-in-process.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

const FULL_ADMIN_KEY = /sk-ant-admin01-[A-Za-z0-9_-]{20,}/;

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The CLI (runCli, in this process, as the binary would run it) on `databaseUrl`. */
function steward(databaseUrl: string, ...args: string[]): Promise<CliResult> {
  return stewardWith({ env: { DATABASE_URL: databaseUrl } }, ...args);
}

/** The CLI in `cwd` (the repository by default), with `env` added to this process's. */
function stewardWith(
  options: { env?: Record<string, string | undefined>; cwd?: string },
  ...args: string[]
): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ["DATABASE_URL", "AUDIT_ANCHOR_KEY", "AUDIT_ANCHOR_FILE"]) {
    delete env[name];
  }
  return runCliInProcess(args, { env: { ...env, ...options.env }, cwd: options.cwd ?? ROOT });
}

interface CliDatabase {
  /** What the CLI gets as DATABASE_URL. */
  url: string;
  /** The same database, opened in this process. */
  open(): Database;
  drop(): Promise<void>;
}

/**
 * A fresh database for the CLI. The CLI reads DATABASE_URL only, so on PostgreSQL the schema goes
 * in the URL: node-postgres passes an `options` parameter on as the server's startup options.
 */
async function createCliDatabase(backend: Backend): Promise<CliDatabase> {
  if (backend.name === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "steward-cli-"));
    const url = `sqlite:${join(dir, "steward.db")}`;
    return {
      url,
      open: () => connect(url),
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const base = backend.url as string;
  const schema = testSchemaName("cli_");
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const url = new URL(base);
  url.searchParams.set("options", `-c search_path=${schema}`);
  return {
    url: url.toString(),
    open: () => connect(base, { schema, maxConnections: 2 }),
    // Dropped after the whole run, with the other test schemas (test/pg-schemas.ts).
    drop: async () => {},
  };
}

/** The line every operator command starts stderr with. */
const DATABASE_LINE = /^database: \S+\n/;

function parseJson(result: CliResult): any {
  expect(result.stderr.replace(DATABASE_LINE, "")).toBe("");
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout);
}

describeEachBackend("operator CLI", (backend) => {
  let cliDb: CliDatabase;
  let database: Database;
  let services: Services;
  let app: FastifyInstance;
  let runtime: Runtime;
  /** The first organization, created by `orgs create`. */
  let orgId: string;
  let orgAdminKey: string;

  const run = (...args: string[]) => steward(cliDb.url, ...args);
  const getOrganization = (key: string) =>
    app.inject({ method: "GET", url: "/v1/organizations", headers: { "x-api-key": key } });
  const asApiResponse = (response: Awaited<ReturnType<typeof getOrganization>>) => ({
    status: response.statusCode,
    body: response.json(),
    headers: response.headers,
  });

  beforeAll(async () => {
    cliDb = await createCliDatabase(backend);
    database = cliDb.open();
    await migrate(database);
    runtime = await startRuntime({ database });
    ({ services, app } = runtime);
  });
  afterAll(async () => {
    await runtime?.close();
    await database?.close();
    await cliDb?.drop();
  });

  it("should fail with exit code 1 and a clear message when there is no organization", async () => {
    const result = await run("admin-keys", "create", "--name", "too early");
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/^database: \S+\nsteward: the database has no organization yet/);
    expect(result.stderr).toMatch(/orgs create/);
    expect(await database.db.selectFrom("admin_keys").selectAll().execute()).toEqual([]);
    const empty = await run("admin-keys", "list");
    expect(empty.code).toBe(0);
    expect(empty.stdout.trim()).toBe("(none)");
  });

  it("should create an organization whose first admin key works against the app", async () => {
    const created = parseJson(
      await run(
        "orgs",
        "create",
        "--name",
        "Acme Corporation",
        "--owner-email",
        "ops@example.com",
        "--json",
      ),
    );
    expect(created.organization).toMatchObject({ type: "organization", name: "Acme Corporation" });
    expect(created.owner_id).toMatch(/^user_01/);
    expect(created.default_workspace_id).toMatch(/^wrkspc_01/);
    expect(created.admin_key_id).toMatch(/^adminkey_01/);
    expect(created.admin_key).toMatch(/^sk-ant-admin01-[A-Za-z0-9_-]{64}$/);
    orgId = created.organization.id;
    orgAdminKey = created.admin_key;

    const me = await getOrganization(orgAdminKey);
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ id: orgId, name: "Acme Corporation" });

    const records = await services.deps.store.read.audit.list(orgId);
    expect(records.map((r) => r.action)).toEqual([
      "organization.created",
      "user.created",
      "workspace.created",
      "admin_key.created",
    ]);
    for (const record of records) {
      expect(record).toMatchObject({ actor_type: "operator", actor_id: null, request_id: null });
      expect(record.changes).not.toMatch(FULL_ADMIN_KEY);
    }
  });

  it("should list organizations", async () => {
    const listed = parseJson(await run("orgs", "list", "--json"));
    expect(listed.data).toEqual([
      { id: orgId, name: "Acme Corporation", created_at: expect.any(String) },
    ]);
    const human = await run("orgs", "list");
    expect(human.code).toBe(0);
    // Which database it opened, the password (if any) left out.
    expect(human.stderr).toBe(
      `database: ${backend.name === "sqlite" ? cliDb.url : redactUrl(cliDb.url)}\n`,
    );
    expect(human.stdout).toMatch(/^ID\s+NAME\s+CREATED/);
    expect(human.stdout).toContain(orgId);
  });

  describe("admin keys", () => {
    let keyId: string;
    let key: string;

    it("should print a new admin key once, and it should authenticate", async () => {
      const result = await run("admin-keys", "create", "--name", "deploy bot", "--json");
      const created = parseJson(result);
      expect(created).toMatchObject({
        type: "admin_key",
        organization_id: orgId,
        name: "deploy bot",
        status: "active",
        expires_at: null,
        revoked_at: null,
      });
      expect(created.key).toMatch(/^sk-ant-admin01-[A-Za-z0-9_-]{64}$/);
      expect(created.partial_key_hint).toBe(
        `sk-ant-admin01-${created.key.slice("sk-ant-admin01-".length, "sk-ant-admin01-".length + 3)}...${created.key.slice(-4)}`,
      );
      expect(result.stdout.split(created.key)).toHaveLength(2);
      keyId = created.id;
      key = created.key;

      expect((await getOrganization(key)).statusCode).toBe(200);

      const row = await database.db
        .selectFrom("admin_keys")
        .selectAll()
        .where("id", "=", keyId)
        .executeTakeFirstOrThrow();
      expect(JSON.stringify(row)).not.toContain(key.slice("sk-ant-admin01-".length));

      const record = (await services.deps.store.read.audit.list(orgId)).at(-1);
      expect(record).toMatchObject({
        action: "admin_key.created",
        target_id: keyId,
        actor_type: "operator",
        actor_id: null,
      });
      expect(record?.changes).not.toMatch(FULL_ADMIN_KEY);
    });

    it("should tie a key to the admin or owner named by --user, and to nobody (organization-level) by default", async () => {
      const byDefault = parseJson(await run("admin-keys", "create", "--name", "default", "--json"));
      expect(byDefault).toMatchObject({ user_id: null, scope: "organization", holder_role: null });

      const operator = {
        organizationId: orgId,
        actor: { type: "operator", id: null },
        requestId: null,
        clientIp: null,
        userAgent: null,
      } as const;
      const join = async (role: "developer" | "admin", name: string) => {
        const invite = await services.invites.create(operator, {
          email: `${name}-${backend.name}@example.com`,
          role,
        });
        return services.invites.accept(
          { token: invite.token, name },
          { requestId: null, clientIp: null, userAgent: null },
        );
      };
      const admin = await join("admin", "deploy-bot");
      const tied = parseJson(
        await run("admin-keys", "create", "--name", "bot", "--user", admin.id, "--json"),
      );
      expect(tied).toMatchObject({ user_id: admin.id, scope: "member", holder_role: "admin" });

      // Only admins and owners may hold admin keys.
      const developer = await join("developer", "intern");
      const refused = await run("admin-keys", "create", "--name", "x", "--user", developer.id);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/role developer/);

      const unknown = await run("admin-keys", "create", "--name", "x", "--user", "user_01nobody");
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toMatch(/user/);
    });

    it("should print the key in the human form too, with a warning that it is shown once", async () => {
      const result = await run(
        "admin-keys",
        "create",
        "--name",
        "human",
        "--expires-at",
        "2999-01-01T00:00:00Z",
      );
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/will not be shown again/);
      const printed = result.stdout.match(FULL_ADMIN_KEY)?.[0];
      expect(printed).toBeDefined();
      expect((await getOrganization(printed as string)).statusCode).toBe(200);
      const listed = parseJson(await run("admin-keys", "list", "--json"));
      expect(listed.data.find((k: { name: string }) => k.name === "human").expires_at).toBe(
        "2999-01-01T00:00:00.000Z",
      );
    });

    it("should list hints only, never a key", async () => {
      const json = await run("admin-keys", "list", "--json");
      const listed = parseJson(json);
      expect(json.stdout).not.toMatch(FULL_ADMIN_KEY);
      expect(json.stdout).not.toContain("key_hash");
      const mine = listed.data.find((k: { id: string }) => k.id === keyId);
      expect(mine).toMatchObject({ name: "deploy bot", status: "active" });
      expect(mine).not.toHaveProperty("key");
      expect(mine.partial_key_hint).toMatch(
        /^sk-ant-admin01-[A-Za-z0-9_-]{3}\.\.\.[A-Za-z0-9_-]{4}$/,
      );

      const human = await run("admin-keys", "list");
      expect(human.code).toBe(0);
      expect(human.stdout).toMatch(/^ID\s+NAME\s+KEY\s+STATUS/);
      expect(human.stdout).toContain(mine.partial_key_hint);
      expect(human.stdout).not.toContain(key);
      expect(human.stdout).not.toMatch(FULL_ADMIN_KEY);
    });

    it("should refuse an expiry in the past with exit code 1", async () => {
      const before = await database.db.selectFrom("admin_keys").selectAll().execute();
      const result = await run(
        "admin-keys",
        "create",
        "--name",
        "stale",
        "--expires-at",
        "2001-01-01T00:00:00Z",
      );
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/expires_at/);
      expect(await database.db.selectFrom("admin_keys").selectAll().execute()).toEqual(before);
    });

    it("should revoke a key so that the very next request is a 401", async () => {
      expect((await getOrganization(key)).statusCode).toBe(200);
      const result = await run("admin-keys", "revoke", keyId, "--json");
      const revoked = parseJson(result);
      expect(revoked).toMatchObject({ id: keyId, status: "revoked" });
      expect(revoked.revoked_at).not.toBeNull();
      expect(result.stdout).not.toMatch(FULL_ADMIN_KEY);
      expectError(asApiResponse(await getOrganization(key)), 401, "authentication_error");
      // The organization's other keys keep working.
      expect((await getOrganization(orgAdminKey)).statusCode).toBe(200);

      const records = await services.deps.store.read.audit.list(orgId);
      expect(records.at(-2)).toMatchObject({
        action: "admin_key.revoked",
        target_id: keyId,
        actor_type: "operator",
      });
      // The revoked key's attempt that followed is on record too.
      expect(records.at(-1)).toMatchObject({
        action: "admin_key.authenticate",
        target_id: keyId,
        actor_type: "admin_key",
        actor_id: keyId,
        outcome: "failure",
      });
      const listed = parseJson(await run("admin-keys", "list", "--json"));
      expect(listed.data.find((k: { id: string }) => k.id === keyId).status).toBe("revoked");

      const human = await run("admin-keys", "revoke", keyId);
      expect(human.code).toBe(0);
      expect(human.stdout).toMatch(/^Revoked admin key/);
    });

    it("should fail with exit code 1 for an unknown key id", async () => {
      const result = await run("admin-keys", "revoke", "adminkey_01nothing");
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        /^database: \S+\nsteward: admin key "adminkey_01nothing" not found/,
      );
    });

    describe("rotate", () => {
      it("should print the successor once, and the old key should keep working for the grace", async () => {
        const old = parseJson(await run("admin-keys", "create", "--name", "rotating", "--json"));
        const result = await run("admin-keys", "rotate", old.id, "--grace", "30m", "--json");
        const rotated = parseJson(result);
        expect(rotated).toMatchObject({
          type: "admin_key",
          organization_id: orgId,
          name: "rotating",
          user_id: old.user_id,
          status: "active",
          expires_at: null,
        });
        expect(rotated.id).not.toBe(old.id);
        expect(rotated.key).toMatch(/^sk-ant-admin01-[A-Za-z0-9_-]{64}$/);
        expect(result.stdout.split(rotated.key)).toHaveLength(2);
        expect(result.stdout).not.toContain(old.key);
        expect(rotated.previous).toMatchObject({ id: old.id, status: "active" });
        expect(rotated.previous).not.toHaveProperty("key");
        const graceEnd = Date.parse(rotated.previous.expires_at) - Date.now();
        expect(graceEnd).toBeGreaterThan(25 * 60_000);
        expect(graceEnd).toBeLessThanOrEqual(30 * 60_000);

        expect((await getOrganization(old.key)).statusCode).toBe(200);
        expect((await getOrganization(rotated.key)).statusCode).toBe(200);
        const records = await services.deps.store.read.audit.list(orgId);
        const rotation = records.find(
          (r) => r.action === "admin_key.rotated" && r.target_id === old.id,
        );
        expect(rotation).toMatchObject({ actor_type: "operator", actor_id: null });
        expect(JSON.parse(rotation?.changes ?? "{}").after.successor_id).toBe(rotated.id);
        expect(rotation?.changes).not.toMatch(FULL_ADMIN_KEY);
      });

      it("should stop the old key at once with --grace 0, in the human form too", async () => {
        const old = parseJson(await run("admin-keys", "create", "--name", "leaked", "--json"));
        const result = await run("admin-keys", "rotate", old.id, "--grace", "0");
        expect(result.code).toBe(0);
        expect(result.stdout).toMatch(
          /^Rotated admin key adminkey_01\S+ \(leaked\): it stopped working now\./,
        );
        expect(result.stdout).toMatch(/will not be shown again/);
        const printed = result.stdout.match(FULL_ADMIN_KEY)?.[0] as string;
        expect((await getOrganization(printed)).statusCode).toBe(200);
        expectError(asApiResponse(await getOrganization(old.key)), 401, "authentication_error");
      });

      it("should refuse a revoked or unknown key with exit code 1, and a bad --grace with 64", async () => {
        const revoked = await run("admin-keys", "rotate", keyId);
        expect(revoked.code).toBe(1);
        expect(revoked.stdout).toBe("");
        expect(revoked.stderr).toMatch(
          /^database: \S+\nsteward: admin key \S+ is revoked and cannot be rotated/,
        );

        const unknown = await run("admin-keys", "rotate", "adminkey_01nothing");
        expect(unknown.code).toBe(1);
        expect(unknown.stderr).toMatch(
          /^database: \S+\nsteward: admin key "adminkey_01nothing" not found/,
        );

        const before = await database.db.selectFrom("admin_keys").selectAll().execute();
        const bad = await run("admin-keys", "rotate", keyId, "--grace", "soon");
        expect(bad.code).toBe(64);
        expect(bad.stderr).toMatch(/expected a duration/);
        expect(await database.db.selectFrom("admin_keys").selectAll().execute()).toEqual(before);
      });
    });
  });

  describe("several organizations", () => {
    let secondId: string;

    beforeAll(async () => {
      const result = await run(
        "orgs",
        "create",
        "--name",
        "Globex",
        "--owner-email",
        "boss@globex.example",
      );
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^Created organization org_01/);
      const key = result.stdout.match(FULL_ADMIN_KEY)?.[0] as string;
      const me = await getOrganization(key);
      secondId = me.json().id;
      expect(me.json().name).toBe("Globex");
    });

    it("should list both organizations", async () => {
      const listed = parseJson(await run("orgs", "list", "--json"));
      expect(listed.data.map((o: { id: string }) => o.id).sort()).toEqual([orgId, secondId].sort());
    });

    it("should require --org to create an admin key, and write nothing without it", async () => {
      const before = await database.db.selectFrom("admin_keys").selectAll().execute();
      const result = await run("admin-keys", "create", "--name", "ambiguous");
      expect(result.code).toBe(1);
      expect(result.stdout).toBe("");
      expect(result.stderr).toMatch(/--org/);
      expect(result.stderr).toContain(orgId);
      expect(result.stderr).toContain(secondId);
      expect(await database.db.selectFrom("admin_keys").selectAll().execute()).toEqual(before);
    });

    it("should create the key in the organization named by --org", async () => {
      const created = parseJson(
        await run("admin-keys", "create", "--name", "globex ops", "--org", secondId, "--json"),
      );
      expect(created.organization_id).toBe(secondId);
      const me = await getOrganization(created.key);
      expect(me.json().id).toBe(secondId);
      const listed = parseJson(await run("admin-keys", "list", "--org", secondId, "--json"));
      expect(
        listed.data.every((k: { organization_id: string }) => k.organization_id === secondId),
      ).toBe(true);
      expect(listed.data.map((k: { id: string }) => k.id)).toContain(created.id);
      const record = (await services.deps.store.read.audit.list(secondId)).at(-1);
      expect(record).toMatchObject({
        action: "admin_key.created",
        target_id: created.id,
        actor_type: "operator",
      });
    });

    it("should fail with exit code 1 for an unknown --org", async () => {
      const result = await run("admin-keys", "create", "--name", "x", "--org", "org_01nothing");
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/organization org_01nothing not found/);
    });
  });

  describe("audit verify", () => {
    it("should find every chain intact, with exit code 0", async () => {
      const result = await run("audit", "verify", "--json");
      // Without a key, it says what it cannot see.
      expect(result.stderr).toMatch(
        /^warning: chain-only verification \(AUDIT_ANCHOR_KEY is not set\)/m,
      );
      expect(result.code).toBe(0);
      const verdicts = JSON.parse(result.stdout).data;
      expect(verdicts.length).toBeGreaterThanOrEqual(2);
      for (const verdict of verdicts) {
        expect(verdict).toMatchObject({ ok: true });
        expect(verdict.records).toBeGreaterThan(0);
      }
    });

    it("should name the altered record and exit with code 3", async () => {
      const [second] = await sql<{ seq: number; id: string }>`
        select seq, id from audit_events where organization_id = ${orgId} and chain_seq = 2
      `
        .execute(database.db)
        .then((r) => r.rows);
      await sql`update audit_events set outcome = 'failure' where seq = ${second?.seq}`.execute(
        database.db,
      );
      const result = await run("audit", "verify", "--org", orgId);
      expect(result.code).toBe(3);
      expect(result.stdout).toContain(`BROKEN at record 2 (${second?.id})`);
      expect(result.stdout).toContain("altered");
      expect(result.stderr).toMatch(/1 audit chain is broken/);
    });
  });

  describe("audit verify against anchors", () => {
    const KEY = "cli-anchor-key-0123456789abcdefghijklmnopqrstuvwxyz";
    let anchorDir: string;
    let anchorEnv: Record<string, string>;
    const runAnchored = (...args: string[]) =>
      stewardWith({ env: { DATABASE_URL: cliDb.url, ...anchorEnv } }, ...args);

    beforeAll(() => {
      anchorDir = mkdtempSync(join(tmpdir(), "steward-cli-anchors-"));
      anchorEnv = { AUDIT_ANCHOR_KEY: KEY, AUDIT_ANCHOR_FILE: join(anchorDir, "anchors.jsonl") };
    });
    afterAll(() => anchorDir && rmSync(anchorDir, { recursive: true, force: true }));

    /** A fresh organization's chain, anchored by `steward audit anchor`. */
    async function anchoredOrganization(): Promise<{ id: string; records: number }> {
      const created = await services.organizations.create(
        { name: "Anchored", ownerEmail: "anchored@example.com", ownerName: "A" },
        { type: "operator", id: null },
      );
      const id = created.organization.id;
      const anchored = await runAnchored("audit", "anchor");
      expect(anchored.code, anchored.stderr).toBe(0);
      const anchor = anchored.stdout
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line))
        .find((a) => a.organization_id === id);
      const records = (await services.deps.store.read.audit.list(id)).length;
      expect(anchor).toMatchObject({ type: "audit_anchor", chain_seq: records });
      return { id, records };
    }

    const chainOf = (id: string) =>
      sql<{ seq: number; chain_seq: number; hash: string; changes: string }>`
        select * from audit_events where organization_id = ${id} order by seq
      `
        .execute(database.db)
        .then((r) => r.rows);

    it("should find an untampered chain intact and anchored, with exit code 0", async () => {
      const { id, records } = await anchoredOrganization();
      const result = await runAnchored("audit", "verify", "--org", id);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toBe(
        `${id}: intact, ${records} records, head ${(await chainOf(id)).at(-1)?.hash}, anchored up to record ${records}\n`,
      );
      expect(result.stderr).toMatch(/^anchors: \d+ read from .*anchors\.jsonl$/m);
    });

    it("should exit with code 3 when the newest records were deleted", async () => {
      const { id, records } = await anchoredOrganization();
      const last = (await chainOf(id)).at(-1);
      await sql`delete from audit_events where seq = ${last?.seq}`.execute(database.db);
      const result = await runAnchored("audit", "verify", "--org", id);
      expect(result.code).toBe(3);
      expect(result.stdout).toContain(
        `${id}: BROKEN: the newest records, ${records} to ${records}, are missing`,
      );
      expect(result.stderr).toMatch(/1 audit chain is broken/);
    });

    it("should exit with code 3 when an organization's whole chain was deleted", async () => {
      const { id } = await anchoredOrganization();
      await sql`delete from audit_events where organization_id = ${id}`.execute(database.db);
      const result = await runAnchored("audit", "verify", "--org", id);
      expect(result.code).toBe(3);
      expect(result.stdout).toContain(`${id}: BROKEN: the whole chain is missing`);
    });

    it("should exit with code 3 when a record was edited and every later hash recomputed", async () => {
      const { id } = await anchoredOrganization();
      const rows = await chainOf(id);
      let previous = rows[0]?.hash as string;
      for (const row of rows.slice(1)) {
        const full = await database.db
          .selectFrom("audit_events")
          .selectAll()
          .where("seq", "=", row.seq)
          .executeTakeFirstOrThrow();
        const changes =
          row.chain_seq === 2 ? '{"before":null,"after":{"forged":true}}' : full.changes;
        const hash = auditHash({ ...full, changes, prev_hash: previous });
        await sql`update audit_events set changes = ${changes}, prev_hash = ${previous}, hash = ${hash} where seq = ${row.seq}`.execute(
          database.db,
        );
        previous = hash;
      }
      const unanchored = await steward(cliDb.url, "audit", "verify", "--org", id);
      expect(unanchored.code).toBe(0); // the chain holds together: only the anchor shows it
      const result = await runAnchored("audit", "verify", "--org", id);
      expect(result.code).toBe(3);
      expect(result.stdout).toContain("rewritten, and the hashes after it recomputed");
    });

    it("should exit with code 3 on an anchor it cannot trust", async () => {
      const { id } = await anchoredOrganization();
      const forged = join(anchorDir, "forged.jsonl");
      const genuine = readFileSync(anchorEnv.AUDIT_ANCHOR_FILE as string, "utf8")
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line))
        .find((a) => a.organization_id === id);
      writeFileSync(
        forged,
        `${JSON.stringify({ ...genuine, chain_seq: genuine.chain_seq + 1 })}\n`,
      );
      const result = await runAnchored("audit", "verify", "--org", id, "--anchors", forged);
      expect(result.code).toBe(3);
      expect(result.stdout).toContain(`anchor NOT TRUSTED: ${forged} line 1`);
      expect(result.stderr).toMatch(/1 anchor is not trusted/);
    });
  });

  describe("bad usage", () => {
    it.each([
      ["a missing --name", ["admin-keys", "create"]],
      ["an unknown command", ["frobnicate"]],
      ["an unknown subcommand", ["admin-keys", "rotate"]],
      ["an unknown option", ["admin-keys", "create", "--name", "x", "--colour", "red"]],
      ["a missing key id", ["admin-keys", "revoke"]],
      [
        "an unparseable --expires-at",
        ["admin-keys", "create", "--name", "x", "--expires-at", "someday"],
      ],
      ["a missing --owner-email", ["orgs", "create", "--name", "Initech"]],
    ])("should exit with code 64 on %s and write nothing", async (_label, args) => {
      const before = {
        keys: await database.db.selectFrom("admin_keys").selectAll().execute(),
        orgs: await database.db.selectFrom("organizations").selectAll().execute(),
      };
      const result = await run(...args);
      expect(result.code).toBe(64);
      expect(result.stderr).not.toBe("");
      expect(result.stdout).not.toMatch(FULL_ADMIN_KEY);
      expect({
        keys: await database.db.selectFrom("admin_keys").selectAll().execute(),
        orgs: await database.db.selectFrom("organizations").selectAll().execute(),
      }).toEqual(before);
    });

    it("should exit with code 0 for --help", async () => {
      const result = await run("--help");
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/admin-keys/);
    });

    it("should exit with code 1 and a readable message for an invalid owner email", async () => {
      const result = await run("orgs", "create", "--name", "Bad", "--owner-email", "not-an-email");
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^database: \S+\nsteward: .*email/);
      expect(result.stderr.split("\n").filter((line) => line !== "")).toHaveLength(2);
    });

    it("should exit with code 1 for a DATABASE_URL it cannot use", async () => {
      const result = await steward("mysql://localhost/steward", "orgs", "list");
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/DATABASE_URL must start with sqlite: or postgres:\/\//);
    });
  });
});

describe("operator CLI database", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "steward-cli-cwd-"));
  });
  afterAll(() => dir && rmSync(dir, { recursive: true, force: true }));
  const inDir = (...args: string[]) => stewardWith({ cwd: dir }, ...args);
  const expected = () => join(realpathSync(dir), "data", "steward.db");

  it.each([
    ["orgs list", ["orgs", "list"]],
    ["audit verify", ["audit", "verify"]],
    ["admin-keys list", ["admin-keys", "list"]],
  ])("%s should refuse a database that does not exist, and create none", async (_label, args) => {
    const result = await inDir(...args);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain(`no database at ${expected()}`);
    expect(result.stderr).toMatch(
      /DATABASE_URL is not set, so its default sqlite:\.\/data\/steward\.db was used/,
    );
    expect(result.stderr).toMatch(/steward db init/);
    expect(existsSync(join(dir, "data"))).toBe(false);
  });

  it("should create and migrate with db init, then say which database each command opened", async () => {
    const init = await inDir("db", "init");
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toMatch(
      new RegExp(`^Created sqlite:${expected()}\\.\nApplied \\d+ migrations`),
    );
    expect(existsSync(expected())).toBe(true);
    const again = await inDir("db", "migrate", "--json");
    expect(JSON.parse(again.stdout)).toEqual({
      database: `sqlite:${expected()}`,
      created: false,
      migrations_applied: [],
    });

    const list = await inDir("orgs", "list");
    expect(list.code).toBe(0);
    expect(list.stderr).toBe(`database: sqlite:${expected()}\n`);
    expect(list.stdout.trim()).toBe("(none)");

    const verify = await inDir("audit", "verify");
    expect(verify.code).toBe(1);
    expect(verify.stderr).toContain(`database: sqlite:${expected()}\n`);
    expect(verify.stderr).toMatch(/nothing to verify: .* holds no organization, no audit record/);
    const one = await inDir("audit", "verify", "--org", "org_01nothing");
    expect(one.code).toBe(1);
    expect(one.stderr).toMatch(/nothing to verify: organization org_01nothing is not in/);
  });

  it("should refuse a database whose schema is behind, and migrate nothing", async () => {
    const path = join(dir, "old.db");
    const old = connect(`sqlite:${path}`);
    await migrate(old, "0003-usage-rollups");
    await old.close();
    const result = await stewardWith({ env: { DATABASE_URL: `sqlite:${path}` } }, "orgs", "list");
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /the schema of sqlite:.*old\.db is older than this steward \(\d+ migrations to run: 0004-audit-chain, /,
    );
    expect(result.stderr).toMatch(/steward db migrate/);
    const reopened = connect(`sqlite:${path}`);
    const tables = await sql<{
      name: string;
    }>`select name from sqlite_master where name = 'audit_events'`.execute(reopened.db);
    const columns = await sql<{
      name: string;
    }>`select name from pragma_table_info('audit_events')`.execute(reopened.db);
    await reopened.close();
    expect(tables.rows).toHaveLength(1);
    expect(columns.rows.map((c) => c.name)).not.toContain("chain_seq");
  });

  it("should migrate with the deploy step's `steward migrate`, and refuse a database a newer Steward migrated", async () => {
    const path = join(dir, "deploy.db");
    const env = { env: { DATABASE_URL: `sqlite:${path}` } };
    const first = await stewardWith(env, "migrate", "--json");
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ created: true });
    expect(JSON.parse(first.stdout).migrations_applied).toContain("0018-change-log");

    const database = connect(`sqlite:${path}`);
    await sql`insert into kysely_migration (name, timestamp) values ('9999-from-the-future', '2030-01-01T00:00:00.000Z')`.execute(
      database.db,
    );
    const before = await sql<{ n: number }>`select count(*) as n from kysely_migration`.execute(
      database.db,
    );
    await database.close();
    const refused = await stewardWith(env, "migrate");
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /was migrated by a newer Steward \(it has run 9999-from-the-future, which this version does not know\)/,
    );
    const reopened = connect(`sqlite:${path}`);
    const after = await sql<{ n: number }>`select count(*) as n from kysely_migration`.execute(
      reopened.db,
    );
    await reopened.close();
    expect(after.rows).toEqual(before.rows);
  });

  it("should back up a live database to a new file, and restore it only with the server stopped and --force", async () => {
    const path = join(dir, "live.db");
    const env = { env: { DATABASE_URL: `sqlite:${path}` } };
    expect((await stewardWith(env, "migrate")).code).toBe(0);
    expect(
      (await stewardWith(env, "orgs", "create", "--name", "Kept", "--owner-email", "k@example.com"))
        .code,
    ).toBe(0);
    const copy = join(dir, "live-backup.db");
    const backedUp = await stewardWith(env, "backup", copy);
    expect(backedUp.code, backedUp.stderr).toBe(0);
    expect(statSync(copy).mode & 0o777).toBe(0o600);
    const again = await stewardWith(env, "backup", copy);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/exists: a backup never overwrites a file/);

    // Changed after the backup: the restore brings back the state of the backup.
    expect(
      (
        await stewardWith(
          env,
          "orgs",
          "create",
          "--name",
          "Later",
          "--owner-email",
          "l@example.com",
        )
      ).code,
    ).toBe(0);
    const refused = await stewardWith(env, "restore", copy);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/exists: add --force to replace it/);

    // A live process holding the spool is a running server.
    const server = spawn("sleep", ["30"]);
    mkdirSync(join(dir, "spool"), { recursive: true });
    writeFileSync(join(dir, "spool", "spool.lock"), String(server.pid));
    try {
      const running = await stewardWith(env, "restore", "--force", copy);
      expect(running.code).toBe(1);
      expect(running.stderr).toMatch(/a Steward server \(pid \d+\) is running on this database/);
    } finally {
      server.kill();
      rmSync(join(dir, "spool"), { recursive: true, force: true });
    }

    const restored = await stewardWith(env, "restore", "--force", copy, "--json");
    expect(restored.code, restored.stderr).toBe(0);
    const answer = JSON.parse(restored.stdout);
    expect(answer.previous).toMatch(/live\.db\.before-restore-/);
    expect(existsSync(answer.previous)).toBe(true);
    const list = await stewardWith(env, "orgs", "list", "--json");
    const names = (JSON.parse(list.stdout) as { data: Array<{ name: string }> }).data.map(
      (o) => o.name,
    );
    expect(names).toEqual(["Kept"]);
  });

  it("should print its version with --version, and exit 0", async () => {
    const { version } = JSON.parse(
      readFileSync(new URL("../package.json", import.meta.url), "utf8"),
    );
    for (const flag of ["--version", "-V"]) {
      const result = await stewardWith({}, flag);
      expect(result.code).toBe(0);
      expect(result.stdout.trim()).toBe(version);
    }
  });

  it("should refuse an empty file that is no Steward database", async () => {
    const path = join(dir, "empty.db");
    writeFileSync(path, "");
    const result = await stewardWith({ env: { DATABASE_URL: `sqlite:${path}` } }, "orgs", "list");
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/is not a Steward database .*steward db init/);
  });
});

describe("operator CLI in process", () => {
  it("should answer --help through runCli without a database", async () => {
    const { runCli } = await import("../src/cli/main.js");
    const writes: string[] = [];
    const original = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string | Uint8Array) => {
      writes.push(String(chunk));
      return true;
    }) as typeof process.stdout.write;
    let code: number;
    try {
      code = await runCli(["node", "steward", "admin-keys", "--help"]);
    } finally {
      process.stdout.write = original;
    }
    expect(code).toBe(0);
    expect(writes.join("")).toMatch(/create.*\n.*list.*\n.*revoke/s);
  });
});
