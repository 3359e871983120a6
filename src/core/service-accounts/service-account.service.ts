import type {
  ServiceAccount,
  ServiceAccountCreateParams,
  ServiceAccountListQuery,
  ServiceAccountMembershipQuery,
  ServiceAccountUpdateParams,
  ServiceAccountWorkspaceMember,
  ServiceAccountWorkspaceMemberDeleteResponse,
} from "../../contract/service-accounts.js";
import type { WorkspaceRole } from "../../contract/workspaces.js";
import { revokeKeysIn } from "../api-keys/api-key.service.js";
import { recordAudit } from "../audit.js";
import { actingUserId, type RequestContext, type ServiceDeps } from "../context.js";
import { AppError, invalidRequest, notFound } from "../errors.js";
import type { ServiceAccountMemberRow, ServiceAccountRow, WorkspaceRow } from "../records.js";
import type { Repositories } from "../repositories.js";
import { ensureOpenForMembers, findWorkspaceIn } from "../workspaces/member.service.js";
import { type AssignableWorkspaceRole, assignableRole } from "../workspaces/roles.js";

interface CursorPage<T> {
  data: T[];
  next_page: string | null;
}

export function presentServiceAccount(row: ServiceAccountRow): ServiceAccount {
  return {
    id: row.id,
    type: "service_account",
    name: row.name,
    description: row.description,
    organization_role: row.organization_role as ServiceAccount["organization_role"],
    created_at: row.created_at,
    updated_at: row.updated_at,
    archived_at: row.archived_at,
    created_by_actor_id: row.created_by_actor_id,
    updated_by_actor_id: row.updated_by_actor_id,
    archived_by_actor_id: row.archived_by_actor_id,
  };
}

function presentMembership(row: ServiceAccountMemberRow): ServiceAccountWorkspaceMember {
  return {
    type: "service_account_workspace_member",
    service_account_id: row.service_account_id,
    workspace_id: row.workspace_id,
    workspace_role: row.workspace_role as WorkspaceRole,
    implicit: false,
    created_by_actor_id: row.created_by_actor_id,
  };
}

/** The default workspace's membership every service account has until it is given an explicit one. */
function implicitMembership(
  serviceAccountId: string,
  defaultWorkspaceId: string,
): ServiceAccountWorkspaceMember {
  return {
    type: "service_account_workspace_member",
    service_account_id: serviceAccountId,
    workspace_id: defaultWorkspaceId,
    workspace_role: "workspace_user",
    implicit: true,
    created_by_actor_id: null,
  };
}

const invalidPage = (page: string, why: string) =>
  invalidRequest(`page: ${why}: ${JSON.stringify(page)}`, "invalid_cursor");

const membershipTarget = (workspaceId: string, serviceAccountId: string) =>
  `${workspaceId}/${serviceAccountId}`;

/** The service account, archived or not, or a 404 (another organization's included). */
async function findServiceAccountIn(
  repos: Repositories,
  ctx: RequestContext,
  id: string,
): Promise<ServiceAccountRow> {
  const row = await repos.serviceAccounts.find(ctx.organizationId, id);
  if (!row) {
    throw notFound("service account", id);
  }
  return row;
}

function ensureActive(row: ServiceAccountRow, what: string): void {
  if (row.archived_at !== null) {
    throw invalidRequest(
      `service account ${row.id} is archived and cannot ${what}`,
      "service_account_archived",
    );
  }
}

/**
 * The service account an API key is created for, in the caller's transaction: it must be active
 * and a member of the key's workspace (an explicit member, or any account in the default
 * workspace, where every account is an implicit member).
 */
export async function serviceAccountForKeyIn(
  repos: Repositories,
  ctx: RequestContext,
  serviceAccountId: string,
  workspace: WorkspaceRow,
): Promise<ServiceAccountRow> {
  const row = await findServiceAccountIn(repos, ctx, serviceAccountId);
  ensureActive(row, "be given API keys");
  if (
    workspace.is_default !== 1 &&
    !(await repos.serviceAccounts.findMember(workspace.id, row.id))
  ) {
    throw invalidRequest(
      `service_account_id: service account ${row.id} is not a member of workspace ${workspace.id}; add it to the workspace first`,
    );
  }
  return row;
}

/**
 * Service accounts and their workspace memberships, as Anthropic's Admin API has them. Every
 * change is one transaction with its audit record; archiving an account revokes its API keys in
 * the same transaction, and the gateway refuses them from its next request.
 */
export class ServiceAccountService {
  constructor(private readonly deps: ServiceDeps) {}

  async create(ctx: RequestContext, params: ServiceAccountCreateParams): Promise<ServiceAccount> {
    return this.deps.store.transaction(async (repos) => {
      // Names are unique per organization: read-then-write under the organization's lock.
      await repos.organizations.lock(ctx.organizationId);
      if (await repos.serviceAccounts.findByName(ctx.organizationId, params.name)) {
        throw new AppError(
          "conflict_error",
          `name: a service account named ${JSON.stringify(params.name)} already exists`,
        );
      }
      const now = this.deps.clock.now().toISOString();
      const actor = actingUserId(ctx);
      const row: ServiceAccountRow = {
        id: this.deps.ids.next("serviceAccount"),
        organization_id: ctx.organizationId,
        name: params.name,
        description: params.description ?? null,
        organization_role: params.organization_role ?? "developer",
        created_at: now,
        updated_at: now,
        archived_at: null,
        created_by_actor_id: actor,
        updated_by_actor_id: actor,
        archived_by_actor_id: null,
      };
      await repos.serviceAccounts.insert(row);
      const account = presentServiceAccount(row);
      await recordAudit(repos, this.deps, ctx, {
        action: "service_account.created",
        targetType: "service_account",
        targetId: row.id,
        after: account,
      });
      return account;
    });
  }

  async get(ctx: RequestContext, id: string): Promise<ServiceAccount> {
    return presentServiceAccount(await findServiceAccountIn(this.deps.store.read, ctx, id));
  }

  /** Newest first; archived accounts only with `include_archived`. */
  async list(
    ctx: RequestContext,
    query: ServiceAccountListQuery,
  ): Promise<CursorPage<ServiceAccount>> {
    const repos = this.deps.store.read;
    if (
      query.page !== undefined &&
      !(await repos.serviceAccounts.find(ctx.organizationId, query.page))
    ) {
      throw invalidPage(query.page, "no such page of this list");
    }
    const result = await repos.serviceAccounts.list(
      ctx.organizationId,
      { includeArchived: query.include_archived ?? false },
      { limit: query.limit, after: query.page },
    );
    const last = result.data[result.data.length - 1];
    return {
      data: result.data.map(presentServiceAccount),
      next_page: result.hasMore && last !== undefined ? last.id : null,
    };
  }

  /** `description` and `organization_role` only; an archived account is a 400. */
  async update(
    ctx: RequestContext,
    id: string,
    params: ServiceAccountUpdateParams,
  ): Promise<ServiceAccount> {
    return this.deps.store.transaction(async (repos) => {
      const row = await findServiceAccountIn(repos, ctx, id);
      ensureActive(row, "be updated");
      const changes: Partial<ServiceAccountRow> = {};
      if (params.description !== undefined) {
        // null clears it; Anthropic stores a cleared description as an empty string.
        const description = params.description ?? "";
        if (description !== row.description) {
          changes.description = description;
        }
      }
      if (params.organization_role != null && params.organization_role !== row.organization_role) {
        changes.organization_role = params.organization_role;
      }
      if (Object.keys(changes).length === 0) {
        return presentServiceAccount(row); // nothing to change, nothing to audit
      }
      changes.updated_at = this.deps.clock.now().toISOString();
      changes.updated_by_actor_id = actingUserId(ctx);
      await repos.serviceAccounts.update(id, changes);
      const after = presentServiceAccount({ ...row, ...changes });
      await recordAudit(repos, this.deps, ctx, {
        action: "service_account.updated",
        targetType: "service_account",
        targetId: id,
        before: presentServiceAccount(row),
        after,
      });
      return after;
    });
  }

  /**
   * Archives the account and revokes its API keys, each with its `api_key.revoked` record, in one
   * transaction. Archiving again answers the account as it is, with its first `archived_at`.
   */
  async archive(ctx: RequestContext, id: string): Promise<ServiceAccount> {
    return this.deps.store.transaction(async (repos) => {
      // The lock key creation takes: no key can be issued to the account while it is archived.
      await repos.organizations.lock(ctx.organizationId);
      const row = await findServiceAccountIn(repos, ctx, id);
      if (row.archived_at !== null) {
        return presentServiceAccount(row);
      }
      const now = this.deps.clock.now().toISOString();
      const actor = actingUserId(ctx);
      const changes: Partial<ServiceAccountRow> = {
        archived_at: now,
        archived_by_actor_id: actor,
        updated_at: now,
        updated_by_actor_id: actor,
      };
      await repos.serviceAccounts.update(id, changes);
      const revoked = await revokeKeysIn(
        repos,
        this.deps,
        ctx,
        await repos.apiKeys.listUnarchivedForServiceAccount(id),
        now,
        { reason: "service_account_archived", service_account_id: id },
      );
      const after = presentServiceAccount({ ...row, ...changes });
      await recordAudit(repos, this.deps, ctx, {
        action: "service_account.archived",
        targetType: "service_account",
        targetId: id,
        before: presentServiceAccount(row),
        after: { ...after, revoked_api_key_ids: revoked },
      });
      return after;
    });
  }

  /**
   * The workspaces the account belongs to, by workspace id; the default workspace's implicit
   * membership first on the first page when there is no explicit one. An archived account has
   * none; a `page` that is not one of its memberships is a 400.
   */
  async listWorkspaces(
    ctx: RequestContext,
    serviceAccountId: string,
    query: ServiceAccountMembershipQuery,
  ): Promise<CursorPage<ServiceAccountWorkspaceMember>> {
    const repos = this.deps.store.read;
    const account = await findServiceAccountIn(repos, ctx, serviceAccountId);
    if (query.page !== undefined) {
      if (
        account.archived_at !== null ||
        !(await repos.serviceAccounts.findMember(query.page, account.id))
      ) {
        throw invalidPage(query.page, "no membership of this service account matches the page");
      }
    } else if (account.archived_at !== null) {
      return { data: [], next_page: null };
    }
    const data: ServiceAccountWorkspaceMember[] = [];
    if (query.page === undefined) {
      const defaultWorkspace = await repos.workspaces.findDefault(ctx.organizationId);
      if (
        defaultWorkspace !== undefined &&
        !(await repos.serviceAccounts.findMember(defaultWorkspace.id, account.id))
      ) {
        data.push(implicitMembership(account.id, defaultWorkspace.id));
      }
    }
    const result = await repos.serviceAccounts.listMembershipsOf(account.id, {
      limit: query.limit,
      after: query.page,
    });
    data.push(...result.data.map(presentMembership));
    const last = result.data[result.data.length - 1];
    return { data, next_page: result.hasMore && last !== undefined ? last.workspace_id : null };
  }

  /** A workspace's service accounts (explicit memberships of active accounts), by account id. */
  async listWorkspaceMembers(
    ctx: RequestContext,
    workspaceId: string,
    query: ServiceAccountMembershipQuery,
  ): Promise<CursorPage<ServiceAccountWorkspaceMember>> {
    const repos = this.deps.store.read;
    await this.#openWorkspace(repos, ctx, workspaceId);
    if (query.page !== undefined) {
      const account = await repos.serviceAccounts.find(ctx.organizationId, query.page);
      if (
        !account ||
        account.archived_at !== null ||
        !(await repos.serviceAccounts.findMember(workspaceId, account.id))
      ) {
        throw invalidPage(query.page, "no service account of this workspace matches the page");
      }
    }
    const result = await repos.serviceAccounts.listMembersOf(workspaceId, {
      limit: query.limit,
      after: query.page,
    });
    const last = result.data[result.data.length - 1];
    return {
      data: result.data.map(presentMembership),
      next_page: result.hasMore && last !== undefined ? last.service_account_id : null,
    };
  }

  /** The account's membership of the workspace: explicit, or the default workspace's implicit one. */
  async getMembership(
    ctx: RequestContext,
    workspaceId: string,
    serviceAccountId: string,
  ): Promise<ServiceAccountWorkspaceMember> {
    const repos = this.deps.store.read;
    const workspace = await this.#openWorkspace(repos, ctx, workspaceId);
    const account = await findServiceAccountIn(repos, ctx, serviceAccountId);
    if (account.archived_at !== null) {
      throw notFound("service account", serviceAccountId);
    }
    const row = await repos.serviceAccounts.findMember(workspaceId, serviceAccountId);
    if (row) {
      return presentMembership(row);
    }
    if (workspace.is_default === 1) {
      return implicitMembership(serviceAccountId, workspaceId);
    }
    throw notFound("workspace service account", serviceAccountId);
  }

  /**
   * Makes the account an explicit member of the workspace with `role`; an explicit member has its
   * role replaced. Archived workspaces and archived accounts are refused.
   */
  async addToWorkspace(
    ctx: RequestContext,
    workspaceId: string,
    serviceAccountId: string,
    requested: WorkspaceRole,
  ): Promise<ServiceAccountWorkspaceMember> {
    const role = assignableRole(requested);
    return this.deps.store.transaction(async (repos) => {
      // The lock archiving takes: an account being archived must not gain a membership.
      await repos.organizations.lock(ctx.organizationId);
      await this.#openWorkspace(repos, ctx, workspaceId);
      const account = await findServiceAccountIn(repos, ctx, serviceAccountId);
      ensureActive(account, "be added to a workspace");
      const now = this.deps.clock.now().toISOString();
      const existing = await repos.serviceAccounts.findMember(workspaceId, serviceAccountId);
      if (existing) {
        return this.#changeRole(repos, ctx, existing, role, now);
      }
      const row: ServiceAccountMemberRow = {
        organization_id: ctx.organizationId,
        service_account_id: serviceAccountId,
        workspace_id: workspaceId,
        workspace_role: role,
        created_at: now,
        updated_at: now,
        created_by_actor_id: actingUserId(ctx),
      };
      await repos.serviceAccounts.insertMember(row);
      const member = presentMembership(row);
      await recordAudit(repos, this.deps, ctx, {
        action: "service_account_workspace_member.added",
        targetType: "service_account_workspace_member",
        targetId: membershipTarget(workspaceId, serviceAccountId),
        after: member,
      });
      return member;
    });
  }

  /** Changes an explicit membership's role (the implicit one cannot be: add the account instead). */
  async updateMembership(
    ctx: RequestContext,
    workspaceId: string,
    serviceAccountId: string,
    requested: WorkspaceRole,
  ): Promise<ServiceAccountWorkspaceMember> {
    const role = assignableRole(requested);
    return this.deps.store.transaction(async (repos) => {
      const workspace = await this.#openWorkspace(repos, ctx, workspaceId);
      const account = await findServiceAccountIn(repos, ctx, serviceAccountId);
      ensureActive(account, "have its workspace role changed");
      const existing = await repos.serviceAccounts.findMember(workspaceId, serviceAccountId);
      if (!existing) {
        if (workspace.is_default === 1) {
          throw invalidRequest(
            `service account ${serviceAccountId} is an implicit member of the default workspace; add it explicitly (POST /v1/organizations/workspaces/${workspaceId}/service_accounts) to give it a role`,
          );
        }
        throw notFound("workspace service account", serviceAccountId);
      }
      return this.#changeRole(repos, ctx, existing, role, this.deps.clock.now().toISOString());
    });
  }

  /**
   * Ends an explicit membership; idempotent. The default workspace's implicit membership stays
   * (removing an explicit one there reverts to it). The account's keys in the workspace are left
   * as they are, as a person's are when they leave a workspace.
   */
  async removeFromWorkspace(
    ctx: RequestContext,
    workspaceId: string,
    serviceAccountId: string,
  ): Promise<ServiceAccountWorkspaceMemberDeleteResponse> {
    return this.deps.store.transaction(async (repos) => {
      await this.#openWorkspace(repos, ctx, workspaceId);
      await findServiceAccountIn(repos, ctx, serviceAccountId);
      const row = await repos.serviceAccounts.findMember(workspaceId, serviceAccountId);
      if (row) {
        await repos.serviceAccounts.deleteMember(workspaceId, serviceAccountId);
        await recordAudit(repos, this.deps, ctx, {
          action: "service_account_workspace_member.removed",
          targetType: "service_account_workspace_member",
          targetId: membershipTarget(workspaceId, serviceAccountId),
          before: presentMembership(row),
        });
      }
      return {
        type: "service_account_workspace_member_deleted",
        service_account_id: serviceAccountId,
        workspace_id: workspaceId,
      };
    });
  }

  async #changeRole(
    repos: Repositories,
    ctx: RequestContext,
    row: ServiceAccountMemberRow,
    role: AssignableWorkspaceRole,
    now: string,
  ): Promise<ServiceAccountWorkspaceMember> {
    if (row.workspace_role === role) {
      return presentMembership(row);
    }
    await repos.serviceAccounts.updateMemberRole(
      row.workspace_id,
      row.service_account_id,
      role,
      now,
    );
    const after = presentMembership({ ...row, workspace_role: role, updated_at: now });
    await recordAudit(repos, this.deps, ctx, {
      action: "service_account_workspace_member.updated",
      targetType: "service_account_workspace_member",
      targetId: membershipTarget(row.workspace_id, row.service_account_id),
      before: presentMembership(row),
      after,
    });
    return after;
  }

  /** The workspace, or a 404; archived is a 400 `workspace_archived`. */
  async #openWorkspace(
    repos: Repositories,
    ctx: RequestContext,
    workspaceId: string,
  ): Promise<WorkspaceRow> {
    const workspace = await findWorkspaceIn(repos, ctx, workspaceId);
    ensureOpenForMembers(workspace);
    return workspace;
  }
}
