import type { RequestMeta, ServiceDeps } from "../context.js";
import type { Mailer } from "../mail/mailer.js";
import { generateSecret, hashSecret } from "../secrets.js";
import type { EmailLinkLimits } from "./email-link-limits.js";
import { safeReturnTo } from "./oidc-sign-in.js";
import type { OpenedSession, SessionService } from "./session.service.js";

/** A sign-in link's token: `stw-signin01-` and 384 random bits, stored only as its hash. */
export const SIGN_IN_TOKEN_PREFIX = "stw-signin01-";

/** How long an emailed link works (once). */
export const SIGN_IN_LINK_TTL_MS = 15 * 60_000;

export interface EmailLinkOptions {
  mailer: Mailer;
  /** STEWARD_PUBLIC_URL: links point there, never at a Host header a request chose. */
  publicUrl: string;
  /** A link could not be sent (the request was answered already). */
  onFailure: (error: unknown) => void;
  /** So many links per address and per client IP a period. */
  limits: EmailLinkLimits;
}

/** Why a link did not sign anyone in: the console's `?error=` code. */
export class EmailLinkError extends Error {
  constructor(readonly code: "link_invalid" | "mfa_required") {
    super(code === "link_invalid" ? "this sign-in link is unknown, used or expired" : code);
    this.name = "EmailLinkError";
  }
}

/**
 * Sign-in by a link emailed to a member, when SMTP is configured and there is no identity
 * provider (or beside it). Asking for a link answers the same whether or not the address is a
 * member's, and the mail is sent after the answer, so neither the answer nor its timing tells.
 * A link works once, for 15 minutes. An organization that requires MFA takes no email links.
 */
export class EmailLinkSignIn {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly sessions: SessionService,
    private readonly options: EmailLinkOptions,
  ) {}

  /**
   * Emails a link to the member with this address, if there is one, in the background: callers
   * answer without awaiting it (tests may await it). It never rejects: failures are reported.
   */
  request(email: string, returnTo: string | undefined): Promise<void> {
    return this.#request(email, safeReturnTo(returnTo)).catch(this.options.onFailure);
  }

  /**
   * Counts a request for a link against the limits per address and per client IP, before the
   * address is looked up: EmailLinkThrottledError (429) when over, member or not.
   */
  admit(email: string, clientIp: string | null): Promise<void> {
    return this.options.limits.admit(email, clientIp);
  }

  async #request(email: string, returnTo: string): Promise<void> {
    const found = await this.#member(email);
    if (found === undefined) {
      return;
    }
    const token = generateSecret(SIGN_IN_TOKEN_PREFIX);
    const now = this.deps.clock.now();
    const expiresAt = new Date(now.getTime() + SIGN_IN_LINK_TTL_MS).toISOString();
    await this.deps.store.read.sessions.insertLink({
      token_hash: hashSecret(token),
      organization_id: found.organization.id,
      user_id: found.user.id,
      return_to: returnTo,
      created_at: now.toISOString(),
      expires_at: expiresAt,
      used_at: null,
    });
    const base = this.options.publicUrl.replace(/\/+$/, "");
    const link = `${base}/auth/email-link/verify?token=${encodeURIComponent(token)}`;
    await this.options.mailer.send({
      to: [found.user.email],
      subject: `Sign in to ${found.organization.name} on Steward`,
      text: [
        `Open this link to sign in to ${found.organization.name} on Steward:`,
        "",
        `  ${link}`,
        "",
        `It works once, until ${expiresAt} (15 minutes).`,
        "",
        "If you did not ask to sign in, ignore this email: nobody can use the link but you.",
        "",
      ].join("\n"),
    });
  }

  /** The oldest organization where the address is a member. */
  async #member(email: string) {
    const repos = this.deps.store.read;
    for (const organization of await repos.organizations.list()) {
      const user = await repos.users.findActiveByEmail(organization.id, email);
      if (user) {
        return { organization, user };
      }
    }
    return undefined;
  }

  /** Uses a link: its session, and where to go; EmailLinkError when it does not sign in. */
  async verify(
    token: string,
    meta: RequestMeta,
  ): Promise<{ opened: OpenedSession; returnTo: string }> {
    return this.deps.store.transaction(async (repos) => {
      const now = this.deps.clock.now().toISOString();
      const link = await repos.sessions.useLink(hashSecret(token), now);
      const user = link && (await repos.users.findActive(link.organization_id, link.user_id));
      const organization = link && (await repos.organizations.find(link.organization_id));
      if (!link || !user || !organization) {
        throw new EmailLinkError("link_invalid");
      }
      if (organization.require_mfa === 1) {
        throw new EmailLinkError("mfa_required");
      }
      const opened = await this.sessions.openIn(
        repos,
        { organizationId: organization.id, actor: { type: "system", id: null }, ...meta },
        user,
        "email_link",
      );
      return { opened, returnTo: safeReturnTo(link.return_to ?? undefined) };
    });
  }
}
