import { AdminKeyService } from "./admin-keys/admin-key.service.js";
import type { AuthFailureOptions } from "./admin-keys/auth-failures.js";
import { AlertService } from "./alerts/alert.service.js";
import type { DispatcherOptions } from "./alerts/dispatcher.js";
import { ApiKeyService } from "./api-keys/api-key.service.js";
import { AuditLogService } from "./audit-log/audit-log.service.js";
import type { ServiceDeps } from "./context.js";
import { IdempotencyService } from "./idempotency.js";
import { TimeSortableIds } from "./ids.js";
import { InviteService } from "./invites/invite.service.js";
import { LifecycleService } from "./lifecycle/lifecycle.service.js";
import { type Logger, silentLogger } from "./logger.js";
import type { Mailer } from "./mail/mailer.js";
import type { OutboundPolicyOptions } from "./net/outbound-guard.js";
import { OrganizationService } from "./organizations/organization.service.js";
import { type Clock, type IdSource, systemClock } from "./ports.js";
import { MemoryRateLimiter, type RateLimiter } from "./rate-limiter.js";
import { RateLimitService } from "./rate-limits/rate-limit.service.js";
import { ServiceAccountService } from "./service-accounts/service-account.service.js";
import { EmailLinkSignIn } from "./sessions/email-link.js";
import {
  DEFAULT_EMAIL_LINK_LIMITS,
  type EmailLinkLimitOptions,
  EmailLinkLimits,
} from "./sessions/email-link-limits.js";
import { type OidcOptions, OidcSignIn } from "./sessions/oidc-sign-in.js";
import { SessionService } from "./sessions/session.service.js";
import type { SessionTimeouts } from "./sessions/session-records.js";
import type { Storage } from "./storage.js";
import { AnalyticsService } from "./usage/analytics.service.js";
import { PriceTable } from "./usage/prices.js";
import { UsageFeed } from "./usage/usage-feed.js";
import { UsageIngestionService } from "./usage/usage-ingestion.service.js";
import { UsageReportService } from "./usage/usage-report.service.js";
import { UserService } from "./users/user.service.js";
import { WorkspaceMemberService } from "./workspaces/member.service.js";
import { WorkspaceService } from "./workspaces/workspace.service.js";

export interface Services {
  deps: ServiceDeps;
  organizations: OrganizationService;
  users: UserService;
  invites: InviteService;
  workspaces: WorkspaceService;
  members: WorkspaceMemberService;
  apiKeys: ApiKeyService;
  serviceAccounts: ServiceAccountService;
  rateLimits: RateLimitService;
  adminKeys: AdminKeyService;
  auditLog: AuditLogService;
  lifecycle: LifecycleService;
  usageReports: UsageReportService;
  /** The analytics reports (`/v1/organizations/analytics/*`), from the same rollups. */
  analytics: AnalyticsService;
  usageIngestion: UsageIngestionService;
  /** Committed usage, for in-memory followers (the gateway's spend ledger, alerts). */
  usageFeed: UsageFeed;
  /** Outgoing email (SMTP_URL), when configured: invitations, and whoever else sends mail. */
  mailer: Mailer | undefined;
  /** Cost alert rules, their evaluation as usage is recorded, and the delivery outbox. */
  alerts: AlertService;
  /** `Idempotency-Key` records: a repeated admin request is answered from the first's. */
  idempotency: IdempotencyService;
  /** People signed in to the web console: sessions, their timeouts and their ending. */
  sessions: SessionService;
  /** Sign-in with the organization's identity provider, when OIDC_ISSUER is configured. */
  oidc: OidcSignIn | undefined;
  /** Sign-in links by email, when SMTP and STEWARD_PUBLIC_URL are configured. */
  emailLinks: EmailLinkSignIn | undefined;
}

/** An email could not be sent; what it was about. The action that sent it stands. */
export type MailFailureHandler = (
  error: unknown,
  mail: { kind: "invitation"; id: string; organizationId: string },
) => void;

function logMailFailure(logger: Logger): MailFailureHandler {
  return (error, mail) =>
    logger.error(
      { err: error, [`${mail.kind}_id`]: mail.id, organization_id: mail.organizationId },
      `could not email the ${mail.kind}; it stands, and its token is in the create response`,
    );
}

export interface UsageRetention {
  /** Raw usage events are deleted after this many days (their rollups stay). */
  rawDays: number;
}

export const DEFAULT_USAGE_RETENTION: UsageRetention = { rawDays: 400 };

export interface ServiceOptions {
  clock?: Clock;
  ids?: IdSource;
  prices?: PriceTable;
  retention?: UsageRetention;
  /** Sends invitations (and other mail) when set. */
  mailer?: Mailer | undefined;
  /** Where people reach Steward (STEWARD_PUBLIC_URL), for the instructions in emails. */
  publicUrl?: string | undefined;
  /** Told when an email could not be sent; by default the logger's error. */
  onMailFailure?: MailFailureHandler;
  /** Cost alert delivery: timeouts, backoff (tests shorten them). */
  alertDispatch?: Partial<DispatcherOptions>;
  /** Failed admin authentication: the per-address limit and window, retention of records. */
  authFailures?: Partial<AuthFailureOptions>;
  /** Internal destinations outbound requests may reach (OUTBOUND_ALLOW); none by default. */
  outbound?: OutboundPolicyOptions;
  /** Where failures nobody awaits are reported (mail, usage listeners, cost alerts). */
  logger?: Logger;
  /** Console sessions' idle and absolute limits (SESSION_IDLE_TIMEOUT, SESSION_MAX_AGE). */
  sessions?: Partial<SessionTimeouts>;
  /** OpenID Connect sign-in (OIDC_ISSUER and the rest); none by default. */
  oidc?: OidcOptions | undefined;
  /** Limits on asking for sign-in links (EMAIL_LINK_LIMIT_*); the defaults when unset. */
  emailLinkLimits?: Partial<EmailLinkLimitOptions>;
  /** Where the email-link limits count: this node's memory unless shared (Redis, src/runtime.ts). */
  emailLinkBuckets?: RateLimiter;
}

/**
 * Explicit wiring: every service over the same store, clock and id source. Nothing starts here:
 * the composition root (src/runtime.ts) starts and stops the background work.
 */
export function createServices(store: Storage, options: ServiceOptions = {}): Services {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const deps: ServiceDeps = { store, clock, ids: options.ids ?? new TimeSortableIds(clock) };
  const retention = options.retention ?? DEFAULT_USAGE_RETENTION;
  const usageFeed = new UsageFeed((error) =>
    logger.error({ err: error }, "a follower of recorded usage failed; the usage is stored"),
  );
  const adminKeys = new AdminKeyService(deps, options.authFailures);
  const sessions = new SessionService(deps, adminKeys, options.sessions);
  const services: Services = {
    deps,
    organizations: new OrganizationService(deps),
    users: new UserService(deps),
    invites: new InviteService(
      deps,
      options.mailer && {
        mailer: options.mailer,
        publicUrl: options.publicUrl,
        onFailure: (error, invite) =>
          (options.onMailFailure ?? logMailFailure(logger))(error, {
            kind: "invitation",
            ...invite,
          }),
      },
    ),
    workspaces: new WorkspaceService(deps),
    members: new WorkspaceMemberService(deps),
    apiKeys: new ApiKeyService(deps),
    serviceAccounts: new ServiceAccountService(deps),
    rateLimits: new RateLimitService(deps),
    adminKeys,
    auditLog: new AuditLogService(deps),
    // Onboarding's invitations are emailed as the basic invite's are.
    lifecycle: new LifecycleService(deps, (orgId, invite) =>
      services.invites.sendInvitation(orgId, invite),
    ),
    usageReports: new UsageReportService(deps, { rawRetentionDays: retention.rawDays }),
    analytics: new AnalyticsService(deps, { rawRetentionDays: retention.rawDays }),
    usageIngestion: new UsageIngestionService(deps, {
      prices: options.prices ?? PriceTable.load(),
      rawRetentionDays: retention.rawDays,
      listener: usageFeed,
    }),
    usageFeed,
    mailer: options.mailer,
    idempotency: new IdempotencyService(deps),
    sessions,
    oidc: options.oidc && new OidcSignIn(deps, sessions, options.oidc, logger),
    emailLinks:
      options.mailer && options.publicUrl
        ? new EmailLinkSignIn(deps, sessions, {
            mailer: options.mailer,
            publicUrl: options.publicUrl,
            limits: new EmailLinkLimits(
              options.emailLinkBuckets ?? new MemoryRateLimiter(),
              clock,
              {
                ...DEFAULT_EMAIL_LINK_LIMITS,
                ...options.emailLinkLimits,
              },
            ),
            onFailure: (error) =>
              logger.error({ err: error }, "could not email a sign-in link; it was not sent"),
          })
        : undefined,
    alerts: new AlertService(deps, {
      usageFeed,
      mailer: options.mailer,
      ...(options.alertDispatch && { dispatcher: options.alertDispatch }),
      outbound: options.outbound,
      onError:
        options.alertDispatch?.onError ??
        ((error) => logger.error({ err: error }, "cost alerts: evaluation or delivery failed")),
    }),
  };
  return services;
}
