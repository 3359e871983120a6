import { CONTROL_CHARACTERS_MESSAGE, hasControlCharacter } from "../../contract/common.js";
import type { Organization, OrganizationUpdateParams } from "../../contract/organizations.js";
import { Email } from "../../contract/users.js";
import { createAdminKeyIn } from "../admin-keys/admin-key.service.js";
import { recordAudit } from "../audit.js";
import type { Actor, RequestContext, ServiceDeps } from "../context.js";
import { invalidRequest, notFound } from "../errors.js";
import { usdToMicros } from "../money.js";
import { monthStartOf, nextMonthStartOf } from "../months.js";
import { presentOrganization, presentWorkspace } from "../presenters.js";
import type { OrganizationRow } from "../records.js";
import type { Repositories } from "../repositories.js";
import { ADMIN_KEY_PREFIX, generateSecret } from "../secrets.js";

export interface NewOrganization {
  name: string;
  ownerEmail: string;
  ownerName: string;
  /** The first admin key's value; generated when absent. */
  adminKey?: string | undefined;
}

export interface CreatedOrganization {
  organization: Organization;
  ownerId: string;
  defaultWorkspaceId: string;
  adminKeyId: string;
  /** The admin key in plaintext: show it once. */
  adminKey: string;
}

export class OrganizationService {
  constructor(private readonly deps: ServiceDeps) {}

  async get(ctx: RequestContext): Promise<Organization> {
    const row = await this.deps.store.read.organizations.find(ctx.organizationId);
    if (!row) {
      throw notFound("organization", ctx.organizationId);
    }
    return this.#present(this.deps.store.read, row);
  }

  /** With this calendar month's recorded spend (UTC), as the seed's billing block shows it. */
  async #present(repos: Repositories, row: OrganizationRow): Promise<Organization> {
    const now = this.deps.clock.now();
    const nanos = await repos.usageRollups.spend(row.id, {
      start: monthStartOf(now),
      end: nextMonthStartOf(now),
    });
    return presentOrganization(row, nanos / 1e9);
  }

  async update(ctx: RequestContext, params: OrganizationUpdateParams): Promise<Organization> {
    return this.deps.store.transaction(async (repos) => {
      const before = await repos.organizations.find(ctx.organizationId);
      if (!before) {
        throw notFound("organization", ctx.organizationId);
      }
      const now = this.deps.clock.now().toISOString();
      const { settings, billing } = params;
      await repos.organizations.update(ctx.organizationId, {
        updated_at: now,
        ...(params.name !== undefined && { name: params.name }),
        ...(settings?.default_model !== undefined && { default_model: settings.default_model }),
        ...(settings?.require_mfa !== undefined && { require_mfa: settings.require_mfa ? 1 : 0 }),
        ...(settings?.allowed_ip_ranges !== undefined && {
          allowed_ip_ranges: JSON.stringify([...new Set(settings.allowed_ip_ranges)]),
        }),
        ...(billing?.usage_limit_usd !== undefined && {
          usage_limit_micros:
            billing.usage_limit_usd === null ? null : usdToMicros(billing.usage_limit_usd),
        }),
      });
      const after = await repos.organizations.find(ctx.organizationId);
      if (!after) {
        throw notFound("organization", ctx.organizationId);
      }
      const result = await this.#present(repos, after);
      await recordAudit(repos, this.deps, ctx, {
        action: "organization.updated",
        targetType: "organization",
        targetId: ctx.organizationId,
        before: await this.#present(repos, before),
        after: result,
      });
      return result;
    });
  }

  /**
   * Creates an organization with its owner, its default workspace and a first admin key, in one
   * transaction: the bootstrap on first start, and the operator's `steward orgs create`.
   */
  async create(input: NewOrganization, actor: Actor): Promise<CreatedOrganization> {
    return this.deps.store.transaction((repos) => this.createWithin(repos, input, actor));
  }

  /** The same, inside a transaction the caller holds (bootstrap adds its own lock first). */
  async createWithin(
    repos: Repositories,
    input: NewOrganization,
    actor: Actor,
  ): Promise<CreatedOrganization> {
    const parsedEmail = Email.safeParse(input.ownerEmail);
    if (!parsedEmail.success) {
      throw invalidRequest(
        `owner email: not a valid email address: ${JSON.stringify(input.ownerEmail)}`,
      );
    }
    const ownerEmail = parsedEmail.data;
    const name = input.name.trim();
    if (name.length === 0 || name.length > 200) {
      throw invalidRequest("organization name: must be 1 to 200 characters");
    }
    if (hasControlCharacter(input.name)) {
      throw invalidRequest(`organization name: ${CONTROL_CHARACTERS_MESSAGE}`);
    }
    if (hasControlCharacter(input.ownerName)) {
      throw invalidRequest(`owner name: ${CONTROL_CHARACTERS_MESSAGE}`);
    }
    const { ids, clock } = this.deps;
    const now = clock.now().toISOString();
    const organizationId = ids.next("organization");
    const ctx: RequestContext = {
      organizationId,
      actor,
      requestId: null,
      clientIp: null,
      userAgent: null,
    };
    await repos.organizations.insert({
      id: organizationId,
      name,
      plan: "self_hosted",
      created_at: now,
      updated_at: now,
      default_model: null,
      require_mfa: 0,
      allowed_ip_ranges: "[]",
      usage_limit_micros: null,
    });
    const ownerId = ids.next("user");
    await repos.users.insert({
      id: ownerId,
      organization_id: organizationId,
      email: ownerEmail,
      email_lower: ownerEmail.toLowerCase(),
      name: input.ownerName,
      role: "owner",
      created_at: now,
      updated_at: now,
      last_active_at: null,
      removed_at: null,
    });
    const defaultWorkspaceId = ids.next("workspace");
    await repos.workspaces.insert({
      id: defaultWorkspaceId,
      organization_id: organizationId,
      name: "Default",
      is_default: 1,
      created_at: now,
      updated_at: now,
      archived_at: null,
      display_color: "#6C5BB9",
      workspace_geo: "us",
      allowed_inference_geos: JSON.stringify("unrestricted"),
      default_inference_geo: "global",
      tags: "{}",
      monthly_spend_limit_micros: null,
      requests_per_minute: null,
    });
    const organization = await repos.organizations.find(organizationId);
    const workspace = await repos.workspaces.find(organizationId, defaultWorkspaceId);
    if (!organization || !workspace) {
      throw new Error("organization vanished inside its own transaction");
    }
    await recordAudit(repos, this.deps, ctx, {
      action: "organization.created",
      targetType: "organization",
      targetId: organizationId,
      after: presentOrganization(organization),
    });
    await recordAudit(repos, this.deps, ctx, {
      action: "user.created",
      targetType: "user",
      targetId: ownerId,
      after: { id: ownerId, email: ownerEmail, role: "owner" },
    });
    await recordAudit(repos, this.deps, ctx, {
      action: "workspace.created",
      targetType: "workspace",
      targetId: defaultWorkspaceId,
      after: presentWorkspace(workspace),
    });
    const adminKey = input.adminKey ?? generateSecret(ADMIN_KEY_PREFIX);
    const created = await createAdminKeyIn(repos, this.deps, ctx, {
      name: "Bootstrap admin key",
      secret: adminKey,
      userId: ownerId,
      expiresAt: null,
    });
    return {
      organization: presentOrganization(organization),
      ownerId,
      defaultWorkspaceId,
      adminKeyId: created.id,
      adminKey,
    };
  }
}
