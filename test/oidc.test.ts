/**
 * Sign-in with an OpenID Connect provider (issue 26, point 2), over HTTP with real redirects: a
 * test IdP (test/support/oidc-idp.ts) on a local port, Steward in process (app.inject for its
 * origin), cookies kept per origin as a browser would. Covers a member's sign-in, an invite
 * accepted on first sign-in, an unverified email, a stranger, require_mfa against `amr`, and a
 * tampered state or flow cookie.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isMultiFactor, safeReturnTo } from "../src/core/sessions/oidc-sign-in.js";
import { type Runtime, startRuntime } from "../src/runtime.js";
import {
  type Backend,
  createTestDatabase,
  describeEachBackend,
  type TestDatabase,
} from "./harness.js";
import { startTestIdp, type TestIdp } from "./support/oidc-idp.js";

const STEWARD = "http://steward.test";
const REDIRECT = `${STEWARD}/auth/oidc/callback`;

type Jar = Map<string, string>;

function remember(jar: Jar, setCookie: string | string[] | undefined): void {
  for (const line of Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : []) {
    const [pair] = line.split(";");
    const at = pair?.indexOf("=") ?? -1;
    if (pair !== undefined && at > 0) {
      const value = pair.slice(at + 1);
      const name = pair.slice(0, at).trim();
      if (value === "" || /max-age=0|expires=thu, 01 jan 1970/i.test(line)) {
        jar.delete(name);
      } else {
        jar.set(name, value);
      }
    }
  }
}

const cookieHeader = (jar: Jar) => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");

interface FlowResult {
  /** Where Steward sent the browser at the end: a /console path. */
  location: string;
  steward: Jar;
}

async function startSteward(backend: Backend, idp: TestIdp | { issuer: string }) {
  const testDb = await createTestDatabase(backend);
  const runtime = await startRuntime({
    database: testDb.database,
    services: {
      oidc: {
        issuer: idp.issuer,
        clientId: "steward-console",
        clientSecret: "steward-console-test-secret-0123456789abcdef",
        redirectUrl: REDIRECT,
        scopes: "openid email profile",
        discoveryTimeoutMs: 30_000,
      },
    },
    http: { publicUrl: STEWARD },
  });
  return { testDb, runtime };
}

describeEachBackend("OpenID Connect sign-in", (backend) => {
  let idp: TestIdp;
  let testDb: TestDatabase;
  let runtime: Runtime;
  let ownerKey: string;
  let organizationId: string;

  beforeAll(async () => {
    idp = await startTestIdp({ redirectUris: [REDIRECT] });
    ({ testDb, runtime } = await startSteward(backend, idp));
    await runtime.services.oidc?.discover();
    const created = await runtime.services.organizations.create(
      { name: "Acme", ownerEmail: "Olivia@Acme.example", ownerName: "Olivia Owner" },
      { type: "system", id: null },
    );
    ownerKey = created.adminKey;
    organizationId = created.organization.id;
  });
  afterAll(async () => {
    await runtime?.close();
    await testDb?.drop();
    await idp?.close();
  });

  const admin = async (method: "GET" | "POST", url: string, body?: unknown) => {
    const response = await runtime.app.inject({
      method,
      url,
      headers: {
        "x-api-key": ownerKey,
        ...(body !== undefined && { "content-type": "application/json" }),
      },
      ...(body !== undefined && { payload: JSON.stringify(body) }),
    });
    return { status: response.statusCode, body: response.json() as Record<string, unknown> };
  };

  /**
   * Follows the sign-in from /auth/oidc/start to Steward's last redirect, as a browser would;
   * `tamper` may change the callback URL or Steward's cookies before the callback.
   */
  const signIn = async (
    options: { returnTo?: string; tamper?: (callback: URL, steward: Jar) => void } = {},
  ): Promise<FlowResult> => {
    const steward: Jar = new Map();
    const provider: Jar = new Map();
    let url = new URL(
      `${STEWARD}/auth/oidc/start${options.returnTo === undefined ? "" : `?return_to=${encodeURIComponent(options.returnTo)}`}`,
    );
    for (let hop = 0; hop < 20; hop++) {
      let status: number;
      let location: string | undefined;
      if (url.origin === STEWARD) {
        if (url.pathname === "/auth/oidc/callback") {
          options.tamper?.(url, steward);
        }
        const response = await runtime.app.inject({
          method: "GET",
          url: url.pathname + url.search,
          headers: { cookie: cookieHeader(steward) },
        });
        remember(steward, response.headers["set-cookie"]);
        status = response.statusCode;
        location = response.headers.location as string | undefined;
      } else {
        const response = await fetch(url, {
          redirect: "manual",
          headers: { cookie: cookieHeader(provider) },
        });
        remember(provider, response.headers.getSetCookie());
        status = response.status;
        location = response.headers.get("location") ?? undefined;
        await response.arrayBuffer();
      }
      if (status < 300 || status >= 400 || location === undefined) {
        throw new Error(`the flow stopped at ${url.href} with ${status}`);
      }
      const next = new URL(location, url);
      if (next.origin === STEWARD && next.pathname.startsWith("/console")) {
        return { location: next.pathname + next.search, steward };
      }
      url = next;
    }
    throw new Error("too many redirects");
  };

  const sessionOf = async (steward: Jar) => {
    const response = await runtime.app.inject({
      method: "GET",
      url: "/auth/session",
      headers: { cookie: cookieHeader(steward) },
    });
    return { status: response.statusCode, body: response.json() as Record<string, any> };
  };

  it("should offer the provider once its metadata is read", async () => {
    const response = await runtime.app.inject({ method: "GET", url: "/auth/methods" });
    expect(response.json()).toMatchObject({ oidc: { enabled: true, label: "127.0.0.1" } });
  });

  it("should sign a member in by their verified email, whatever its case, to return_to", async () => {
    idp.signInAs(idp.addAccount({ email: "olivia@acme.EXAMPLE", email_verified: true }));
    const result = await signIn({ returnTo: "/console/usage?range=30d" });
    expect(result.location).toBe("/console/usage?range=30d");
    const session = await sessionOf(result.steward);
    expect(session.status).toBe(200);
    expect(session.body).toMatchObject({
      method: "oidc",
      organization_id: organizationId,
      user: { email: "Olivia@Acme.example", role: "owner" },
    });
  });

  it("should ignore a return_to outside the console", async () => {
    idp.signInAs(idp.addAccount({ email: "olivia@acme.example", email_verified: true }));
    expect((await signIn({ returnTo: "https://evil.example/" })).location).toBe("/console/");
    expect((await signIn({ returnTo: "/console/../auth/x" })).location).toBe("/console/");
  });

  it("should accept a pending invite on the invited email's first sign-in", async () => {
    const invite = await admin("POST", "/v1/organizations/invites", {
      email: "dev@acme.example",
      role: "developer",
    });
    expect(invite.status).toBe(200);
    idp.signInAs(idp.addAccount({ email: "dev@acme.example", email_verified: true }));
    const result = await signIn();
    expect(result.location).toBe("/console/");
    const session = await sessionOf(result.steward);
    expect(session.body.user).toMatchObject({ email: "dev@acme.example", role: "developer" });
    const after = await admin("GET", `/v1/organizations/invites/${invite.body.id}`);
    expect(after.body.status).toBe("accepted");
    const audit = await runtime.services.deps.store.read.audit.list(organizationId);
    expect(audit.find((r) => r.action === "invite.accepted")).toMatchObject({
      actor_type: "invitee",
      target_id: invite.body.id,
    });
    // The second sign-in finds the member.
    expect((await sessionOf((await signIn()).steward)).body.user.id).toBe(session.body.user.id);
  });

  it("should take Entra ID's xms_edov for a verified email", async () => {
    idp.signInAs(idp.addAccount({ email: "olivia@acme.example", xms_edov: true }));
    expect((await signIn()).location).toBe("/console/");
    idp.signInAs(idp.addAccount({ email: "olivia@acme.example" }));
    expect((await signIn()).location).toBe("/console/sign-in?error=email_not_verified");
  });

  it("should refuse an unverified email and a stranger", async () => {
    idp.signInAs(idp.addAccount({ email: "olivia@acme.example", email_verified: false }));
    expect((await signIn()).location).toBe("/console/sign-in?error=email_not_verified");
    idp.signInAs(idp.addAccount({ email: "stranger@elsewhere.example", email_verified: true }));
    const refused = await signIn();
    expect(refused.location).toBe("/console/sign-in?error=not_a_member");
    expect(refused.steward.has("steward_session")).toBe(false);
  });

  it("should enforce require_mfa from the ID token's amr", async () => {
    expect(
      (await admin("POST", "/v1/organizations", { settings: { require_mfa: true } })).status,
    ).toBe(200);
    try {
      const account = idp.addAccount({ email: "olivia@acme.example", email_verified: true });
      idp.signInAs(account, ["pwd"]);
      expect((await signIn()).location).toBe("/console/sign-in?error=mfa_required");
      idp.signInAs(account, ["pwd", "otp"]);
      expect((await signIn()).location).toBe("/console/");
      idp.signInAs(account, ["mfa"]);
      expect((await signIn()).location).toBe("/console/");
    } finally {
      await admin("POST", "/v1/organizations", { settings: { require_mfa: false } });
    }
  });

  it("should refuse a tampered state, a tampered flow cookie, or a callback without one", async () => {
    idp.signInAs(idp.addAccount({ email: "olivia@acme.example", email_verified: true }));
    const wrongState = await signIn({
      tamper: (callback) => callback.searchParams.set("state", "forged-state"),
    });
    expect(wrongState.location).toBe("/console/sign-in?error=oidc_failed");
    const forgedFlow = await signIn({
      tamper: (_callback, steward) => {
        const [body = "", mac = ""] = (steward.get("steward_oidc") ?? "").split(".");
        const flow = JSON.parse(Buffer.from(body, "base64url").toString());
        flow.nonce = "forged-nonce";
        steward.set(
          "steward_oidc",
          `${Buffer.from(JSON.stringify(flow)).toString("base64url")}.${mac}`,
        );
      },
    });
    expect(forgedFlow.location).toBe("/console/sign-in?error=oidc_failed");
    const noFlow = await signIn({ tamper: (_callback, steward) => steward.delete("steward_oidc") });
    expect(noFlow.location).toBe("/console/sign-in?error=oidc_failed");
    expect(noFlow.steward.has("steward_session")).toBe(false);
  });
});

describeEachBackend("OpenID Connect with an unreachable provider", (backend) => {
  it("should start Steward, and offer the provider as disabled", async () => {
    const { testDb, runtime } = await startSteward(backend, { issuer: "http://127.0.0.1:9" });
    try {
      await runtime.services.oidc?.discover();
      const methods = await runtime.app.inject({ method: "GET", url: "/auth/methods" });
      expect(methods.json()).toMatchObject({ oidc: { enabled: false }, admin_key: true });
      const start = await runtime.app.inject({ method: "GET", url: "/auth/oidc/start" });
      expect(start.statusCode).toBe(503);
    } finally {
      await runtime.close();
      await testDb.drop();
    }
  });
});

describe("what counts as multi-factor, and where sign-in may return to", () => {
  it("should count mfa alone, or otp, hwk or swk beside another method", () => {
    expect(isMultiFactor(["mfa"])).toBe(true);
    expect(isMultiFactor(["pwd", "otp"])).toBe(true);
    expect(isMultiFactor(["pwd", "hwk"])).toBe(true);
    expect(isMultiFactor(["swk", "pin"])).toBe(true);
    expect(isMultiFactor(["pwd"])).toBe(false);
    expect(isMultiFactor(["otp"])).toBe(false);
    expect(isMultiFactor(["hwk"])).toBe(false);
    expect(isMultiFactor(undefined)).toBe(false);
    expect(isMultiFactor("mfa")).toBe(false);
  });

  it("should return only to console paths", () => {
    expect(safeReturnTo("/console/keys")).toBe("/console/keys");
    expect(safeReturnTo("//evil.example/console/")).toBe("/console/");
    expect(safeReturnTo("/consolex")).toBe("/console/");
    expect(safeReturnTo("/console/\\evil")).toBe("/console/");
    expect(safeReturnTo(undefined)).toBe("/console/");
  });
});
