import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import * as client from "openid-client";
import { hasControlCharacter } from "../../contract/common.js";
import type { RequestMeta, ServiceDeps } from "../context.js";
import { AppError } from "../errors.js";
import { acceptInviteIn } from "../invites/invite.service.js";
import type { Logger } from "../logger.js";
import type { OrganizationRow, UserRow } from "../records.js";
import type { Repositories } from "../repositories.js";
import type { OpenedSession, SessionService } from "./session.service.js";

export interface OidcOptions {
  issuer: string;
  clientId: string;
  clientSecret?: string | undefined;
  /** Where the provider sends people back: `${STEWARD_PUBLIC_URL}/auth/oidc/callback`. */
  redirectUrl: string;
  scopes: string;
  /** The sign-in button's text; the issuer's host name by default. */
  label?: string | undefined;
  /** Discovery of the issuer's metadata gives up after this long (then is retried). */
  discoveryTimeoutMs?: number;
}

/** Why a sign-in with the identity provider failed: the console's `?error=` code. */
export type OidcFailure = "oidc_failed" | "email_not_verified" | "not_a_member" | "mfa_required";

export class OidcSignInError extends Error {
  constructor(
    readonly code: OidcFailure,
    message: string,
  ) {
    super(message);
    this.name = "OidcSignInError";
  }
}

/** The state of one sign-in between the redirect to the provider and its callback. */
interface Flow {
  state: string;
  nonce: string;
  verifier: string;
  returnTo: string;
  expiresAt: number;
}

/** How long a person has to complete their sign-in at the provider. */
const FLOW_TTL_MS = 10 * 60_000;
/** An issuer that could not be discovered is tried again, at most this often. */
const DISCOVERY_RETRY_MS = 30_000;

/**
 * `amr` values (RFC 8176) that count as multi-factor: `mfa` by itself (what Okta, Entra ID and
 * Keycloak say after a second factor); `otp`, `hwk` and `swk` (a one-time code, a hardware or
 * software key) beside another method, such as `["pwd", "otp"]`.
 */
const MFA_BY_ITSELF = new Set(["mfa"]);
const SECOND_FACTORS = new Set(["otp", "hwk", "swk"]);

/** Whether the ID token's `amr` proves multi-factor authentication (docs/console.md). */
export function isMultiFactor(amr: unknown): boolean {
  if (!Array.isArray(amr)) {
    return false;
  }
  const values = amr.filter((v): v is string => typeof v === "string");
  if (values.some((v) => MFA_BY_ITSELF.has(v))) {
    return true;
  }
  return values.some((v) => SECOND_FACTORS.has(v)) && new Set(values).size >= 2;
}

/** A path under /console to land on after sign-in; anything else is ignored. */
export function safeReturnTo(value: string | undefined): string {
  if (
    value !== undefined &&
    (value === "/console" || value.startsWith("/console/")) &&
    !value.includes("\\") &&
    !hasControlCharacter(value) &&
    !value.split(/[?#]/)[0]?.split("/").includes("..")
  ) {
    return value;
  }
  return "/console/";
}

function isLoopback(url: URL): boolean {
  return ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
}

/**
 * Sign-in with an OpenID Connect provider: authorization code with PKCE (S256), `state` and
 * `nonce`, kept between the redirect and the callback in a short-lived cookie signed with a key
 * derived from the client secret (so any node of a cluster can check it). The provider's
 * verified email finds the member; an invited email's first sign-in accepts the invite.
 * The provider's metadata is discovered in the background: an unreachable issuer leaves the
 * method disabled, and discovery is tried again, never stopping Steward from starting.
 */
export class OidcSignIn {
  #config: client.Configuration | undefined;
  #discovering: Promise<void> | undefined;
  #lastAttempt = -Infinity;
  readonly #flowKey: Buffer;
  readonly label: string;

  constructor(
    private readonly deps: ServiceDeps,
    private readonly sessions: SessionService,
    private readonly options: OidcOptions,
    private readonly logger: Logger,
  ) {
    this.label = options.label ?? new URL(options.issuer).hostname;
    // Without a client secret (a public client) the key is this process's own: a cluster then
    // needs the callback to reach the node that started the sign-in.
    this.#flowKey = createHash("sha256")
      .update("steward oidc flow\0")
      .update(options.clientSecret ?? randomBytes(32).toString("hex"))
      .digest();
  }

  get enabled(): boolean {
    return this.#config !== undefined;
  }

  /** Reads the issuer's metadata unless known or tried within the last 30 seconds. */
  discover(): Promise<void> {
    if (this.#config !== undefined) {
      return Promise.resolve();
    }
    const now = this.deps.clock.now().getTime();
    if (this.#discovering === undefined && now - this.#lastAttempt >= DISCOVERY_RETRY_MS) {
      this.#lastAttempt = now;
      this.#discovering = this.#discover().finally(() => {
        this.#discovering = undefined;
      });
    }
    return this.#discovering ?? Promise.resolve();
  }

  async #discover(): Promise<void> {
    const issuer = new URL(this.options.issuer);
    try {
      this.#config = await client.discovery(
        issuer,
        this.options.clientId,
        undefined,
        this.options.clientSecret === undefined
          ? client.None()
          : client.ClientSecretPost(this.options.clientSecret),
        {
          timeout: Math.ceil((this.options.discoveryTimeoutMs ?? 10_000) / 1000),
          // Plain HTTP only for a provider on this machine (development and tests).
          ...(issuer.protocol === "http:" &&
            isLoopback(issuer) && { execute: [client.allowInsecureRequests] }),
        },
      );
      this.logger.info({ issuer: issuer.href }, "OpenID Connect sign-in is available");
    } catch (error) {
      this.logger.warn(
        { err: error, issuer: issuer.href },
        "OpenID Connect discovery failed: sign-in with the provider is disabled until it succeeds",
      );
    }
  }

  /** The provider's authorization URL, and the flow's cookie value. */
  async start(returnTo: string | undefined): Promise<{ url: string; flowCookie: string }> {
    await this.discover();
    const config = this.#config;
    if (config === undefined) {
      throw new AppError(
        "unavailable_error",
        "the identity provider cannot be reached right now; try again, or sign in another way",
      );
    }
    const flow: Flow = {
      state: client.randomState(),
      nonce: client.randomNonce(),
      verifier: client.randomPKCECodeVerifier(),
      returnTo: safeReturnTo(returnTo),
      expiresAt: this.deps.clock.now().getTime() + FLOW_TTL_MS,
    };
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: this.options.redirectUrl,
      scope: this.options.scopes,
      code_challenge: await client.calculatePKCECodeChallenge(flow.verifier),
      code_challenge_method: "S256",
      state: flow.state,
      nonce: flow.nonce,
    });
    return { url: url.href, flowCookie: this.#seal(flow) };
  }

  /**
   * Completes a sign-in from the provider's callback (its query string, with `code` and `state`)
   * and the flow's cookie; throws OidcSignInError with the console's error code.
   */
  async finish(
    callbackQuery: string,
    flowCookie: string | undefined,
    meta: RequestMeta,
  ): Promise<{ opened: OpenedSession; returnTo: string }> {
    const config = this.#config;
    const flow = flowCookie === undefined ? undefined : this.#unseal(flowCookie);
    if (config === undefined || flow === undefined) {
      throw new OidcSignInError("oidc_failed", "no sign-in in progress, or it took too long");
    }
    // The redirect URL as configured, not as this request reached us through a proxy.
    const callbackUrl = new URL(this.options.redirectUrl);
    callbackUrl.search = callbackQuery;
    let claims: client.IDToken | undefined;
    try {
      const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: flow.verifier,
        expectedState: flow.state,
        expectedNonce: flow.nonce,
        idTokenExpected: true,
      });
      claims = tokens.claims();
    } catch (error) {
      this.logger.warn({ err: error }, "OpenID Connect sign-in failed at the token exchange");
      throw new OidcSignInError("oidc_failed", "the identity provider's answer was refused");
    }
    const email = typeof claims?.email === "string" ? claims.email.trim() : "";
    if (email === "" || claims?.email_verified !== true) {
      throw new OidcSignInError(
        "email_not_verified",
        "the identity provider did not vouch for an email address",
      );
    }
    const opened = await this.deps.store.transaction(async (repos) =>
      this.#signIn(repos, email, claims?.amr, meta),
    );
    return { opened, returnTo: flow.returnTo };
  }

  async #signIn(
    repos: Repositories,
    email: string,
    amr: unknown,
    meta: RequestMeta,
  ): Promise<OpenedSession> {
    const now = this.deps.clock.now().toISOString();
    // Several organizations may share a database: the oldest where the email is a member, else
    // the oldest that invited it.
    const organizations = await repos.organizations.list();
    const requireMfa = (org: OrganizationRow) => {
      if (org.require_mfa === 1 && !isMultiFactor(amr)) {
        throw new OidcSignInError(
          "mfa_required",
          "the organization requires multi-factor authentication at the identity provider",
        );
      }
    };
    for (const org of organizations) {
      const member = await repos.users.findActiveByEmail(org.id, email);
      if (member) {
        requireMfa(org);
        return this.#open(repos, org, member, { type: "system", id: null }, meta);
      }
    }
    for (const org of organizations) {
      const [invite] = await repos.invites.findPendingByEmail(org.id, email, now);
      if (invite) {
        requireMfa(org);
        const { row } = await acceptInviteIn(repos, this.deps, meta, invite);
        return this.#open(repos, org, row, { type: "invitee", id: invite.id }, meta);
      }
    }
    throw new OidcSignInError("not_a_member", `${email} is not a member of this Steward`);
  }

  #open(
    repos: Repositories,
    org: OrganizationRow,
    user: UserRow,
    actor: { type: "system"; id: null } | { type: "invitee"; id: string },
    meta: RequestMeta,
  ): Promise<OpenedSession> {
    return this.sessions.openIn(repos, { organizationId: org.id, actor, ...meta }, user, "oidc");
  }

  #seal(flow: Flow): string {
    const body = Buffer.from(JSON.stringify(flow)).toString("base64url");
    return `${body}.${this.#mac(body)}`;
  }

  #unseal(value: string): Flow | undefined {
    const [body, mac] = value.split(".");
    if (body === undefined || mac === undefined) {
      return undefined;
    }
    const expected = Buffer.from(this.#mac(body));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
      return undefined;
    }
    const flow = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as Flow;
    return flow.expiresAt > this.deps.clock.now().getTime() ? flow : undefined;
  }

  #mac(body: string): string {
    return createHmac("sha256", this.#flowKey).update(body).digest("base64url");
  }
}
