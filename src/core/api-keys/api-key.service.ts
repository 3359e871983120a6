import type {
  ApiKey,
  ApiKeyCreateParams,
  ApiKeyListQuery,
  ApiKeyUpdateParams,
} from "../../contract/api-keys.js";
import { recordAudit } from "../audit.js";
import { actingUserId, type RequestContext, type ServiceDeps } from "../context.js";
import { invalidRequest, notFound } from "../errors.js";
import { checkCursor, type Page, toPage } from "../pagination.js";
import { accessOf, mayChange, mayRead, refusedFor } from "../policy/access.js";
import { apiKeyStatus, presentApiKey } from "../presenters.js";
import type { ApiKeyRow } from "../records.js";
import type { Repositories } from "../repositories.js";
import {
  API_KEY_PREFIX,
  generateSecret,
  hashSecret,
  partialKey,
  partialKeyHint,
} from "../secrets.js";
import { serviceAccountForKeyIn } from "../service-accounts/service-account.service.js";

/**
 * Archives keys as a consequence of another change (a member removed, a workspace archived), each
 * with its own audit record saying why, in the caller's transaction.
 */
export async function revokeKeysIn(
  repos: Repositories,
  deps: Pick<ServiceDeps, "clock" | "ids">,
  ctx: RequestContext,
  keys: ApiKeyRow[],
  now: string,
  because: Record<string, string>,
): Promise<string[]> {
  const ids = keys.map((k) => k.id);
  await repos.apiKeys.archiveMany(ids, now);
  for (const key of keys) {
    await recordAudit(repos, deps, ctx, {
      action: "api_key.revoked",
      targetType: "api_key",
      targetId: key.id,
      before: { status: key.status },
      after: { status: "archived", ...because },
    });
  }
  return ids;
}

function checkExpiry(deps: Pick<ServiceDeps, "clock">, params: ApiKeyCreateParams): void {
  if (params.expires_at != null && new Date(params.expires_at) <= deps.clock.now()) {
    throw invalidRequest("expires_at: must be in the future");
  }
}

/**
 * Issues a key in the caller's transaction (under the organization's lock): the workspace (the
 * default one when not named) must exist and not be archived, the principal must be a member
 * (`user_id`) or an active service account that belongs to the workspace (`service_account_id`),
 * not both. `created_by` is the user behind the admin key. Records `api_key.created`.
 */
export async function createApiKeyIn(
  repos: Repositories,
  deps: Pick<ServiceDeps, "clock" | "ids">,
  ctx: RequestContext,
  params: ApiKeyCreateParams,
): Promise<ApiKey & { key: string }> {
  checkExpiry(deps, params);
  if (params.user_id !== undefined && params.service_account_id !== undefined) {
    throw invalidRequest(
      "service_account_id: a key belongs to a member (user_id) or to a service account, not both",
    );
  }
  const now = deps.clock.now();
  const expiresAt = params.expires_at == null ? null : new Date(params.expires_at).toISOString();
  const secret = generateSecret(API_KEY_PREFIX);
  const workspace =
    params.workspace_id === undefined
      ? await repos.workspaces.findDefault(ctx.organizationId)
      : await repos.workspaces.find(ctx.organizationId, params.workspace_id);
  if (!workspace) {
    throw notFound("workspace", params.workspace_id ?? "default");
  }
  if (workspace.archived_at !== null) {
    throw invalidRequest(
      `workspace ${workspace.id} is archived and takes no new keys`,
      "workspace_archived",
    );
  }
  if (
    params.user_id !== undefined &&
    !(await repos.users.findActive(ctx.organizationId, params.user_id))
  ) {
    throw notFound("user", params.user_id);
  }
  if (params.service_account_id !== undefined) {
    await serviceAccountForKeyIn(repos, ctx, params.service_account_id, workspace);
  }
  const createdBy = actingUserId(ctx);
  const row: ApiKeyRow = {
    id: deps.ids.next("apiKey"),
    organization_id: ctx.organizationId,
    workspace_id: workspace.id,
    name: params.name,
    key_hash: hashSecret(secret),
    partial_key: partialKey(secret, API_KEY_PREFIX),
    partial_key_hint: partialKeyHint(secret, API_KEY_PREFIX),
    status: "active",
    created_at: now.toISOString(),
    updated_at: now.toISOString(),
    expires_at: expiresAt,
    archived_at: null,
    last_used_at: null,
    created_by_user_id: createdBy,
    owner_user_id: params.user_id ?? null,
    service_account_id: params.service_account_id ?? null,
  };
  await repos.apiKeys.insert(row);
  const emails = await repos.users.emailsByIds(createdBy === null ? [] : [createdBy]);
  const apiKey = presentApiKey(row, now, emails.get(createdBy ?? "") ?? null);
  await recordAudit(repos, deps, ctx, {
    action: "api_key.created",
    targetType: "api_key",
    targetId: row.id,
    after: apiKey,
  });
  return { ...apiKey, key: secret };
}

export class ApiKeyService {
  constructor(private readonly deps: ServiceDeps) {}

  /** Issues a key. The plaintext is in the result only; storage keeps its SHA-256 hash. */
  async create(ctx: RequestContext, params: ApiKeyCreateParams): Promise<ApiKey & { key: string }> {
    checkExpiry(this.deps, params);
    return this.deps.store.transaction(async (repos) => {
      // The lock user removal takes: a key issued to a member being removed must not stay active.
      await repos.organizations.lock(ctx.organizationId);
      return createApiKeyIn(repos, this.deps, ctx, await this.#ownKeyParams(repos, ctx, params));
    });
  }

  /**
   * A developer creates keys in their own workspaces, issued to themselves; owners and admins
   * create any key.
   */
  async #ownKeyParams(
    repos: Repositories,
    ctx: RequestContext,
    params: ApiKeyCreateParams,
  ): Promise<ApiKeyCreateParams> {
    const access = await accessOf(repos, ctx);
    if (access.scope === "organization") {
      return params;
    }
    if (access.scope !== "workspaces") {
      throw refusedFor(access.role, "create API keys");
    }
    if (params.user_id !== undefined && params.user_id !== access.userId) {
      throw refusedFor(access.role, "issue an API key to another member");
    }
    if (params.service_account_id !== undefined) {
      throw refusedFor(access.role, "issue an API key to a service account");
    }
    const workspaceId =
      params.workspace_id ?? (await repos.workspaces.findDefault(ctx.organizationId))?.id;
    if (workspaceId === undefined || !access.workspaceIds.includes(workspaceId)) {
      throw refusedFor(
        access.role,
        `create an API key in workspace ${workspaceId ?? "default"}, which they do not belong to`,
      );
    }
    return { ...params, workspace_id: workspaceId, user_id: access.userId };
  }

  async list(ctx: RequestContext, query: ApiKeyListQuery): Promise<Page<ApiKey>> {
    const repos = this.deps.store.read;
    const access = await accessOf(repos, ctx);
    await checkCursor(
      query,
      async (id) => (await repos.apiKeys.find(ctx.organizationId, id)) !== undefined,
    );
    const now = this.deps.clock.now();
    const result = await repos.apiKeys.list(
      ctx.organizationId,
      {
        status: query.status,
        workspaceId: query.workspace_id,
        createdByUserId: query.created_by_user_id,
        serviceAccountId: query.service_account_id,
        ...(access.scope === "workspaces" && { workspaceIds: access.workspaceIds }),
        ...(access.scope === "own_keys" && { heldByUserId: access.userId }),
      },
      now.toISOString(),
      query,
    );
    const emails = await repos.users.emailsByIds(
      result.data.flatMap((k) => (k.created_by_user_id === null ? [] : [k.created_by_user_id])),
    );
    return toPage(
      result,
      (row) => presentApiKey(row, now, emails.get(row.created_by_user_id ?? "") ?? null),
      (k) => k.id,
    );
  }

  async get(ctx: RequestContext, id: string): Promise<ApiKey> {
    const repos = this.deps.store.read;
    return this.present(repos, await this.find(repos, ctx, id, "read"));
  }

  async update(ctx: RequestContext, id: string, params: ApiKeyUpdateParams): Promise<ApiKey> {
    return this.deps.store.transaction(async (repos) => {
      const row = await this.find(repos, ctx, id, "change");
      const now = this.deps.clock.now();
      const current = apiKeyStatus(row, now);
      const status = params.status ?? undefined;
      // Judge the request against the status the caller sees: a key that expired while active
      // still has "active" stored, and asking for "active" again must not look like a no-op.
      if (status !== undefined && status !== current) {
        if (current === "archived") {
          throw invalidRequest(
            `API key ${id} is archived; archiving is permanent`,
            "api_key_archived",
          );
        }
        if (current === "expired" && status === "active") {
          throw invalidRequest(
            `API key ${id} has expired and cannot be reactivated; issue a new key`,
          );
        }
      }
      const changes: Partial<ApiKeyRow> = {};
      if (params.name != null && params.name !== row.name) {
        changes.name = params.name;
      }
      if (status !== undefined && status !== row.status) {
        changes.status = status;
        if (status === "archived") {
          changes.archived_at = now.toISOString();
        }
      }
      if (Object.keys(changes).length === 0) {
        return this.present(repos, row); // nothing to change, nothing to audit
      }
      changes.updated_at = now.toISOString();
      await repos.apiKeys.update(id, changes);
      const after = await this.present(repos, { ...row, ...changes });
      await recordAudit(repos, this.deps, ctx, {
        action: changes.status === "archived" ? "api_key.revoked" : "api_key.updated",
        targetType: "api_key",
        targetId: id,
        before: await this.present(repos, row),
        after,
      });
      return after;
    });
  }

  /** The seed's DELETE: revokes the key for good (status `archived`). Repeating it is harmless. */
  async revoke(
    ctx: RequestContext,
    id: string,
  ): Promise<{ id: string; type: "api_key_deleted"; deleted: true }> {
    return this.deps.store.transaction(async (repos) => {
      const row = await this.find(repos, ctx, id, "change");
      if (row.status !== "archived") {
        const now = this.deps.clock.now().toISOString();
        await repos.apiKeys.archiveMany([id], now);
        await recordAudit(repos, this.deps, ctx, {
          action: "api_key.revoked",
          targetType: "api_key",
          targetId: id,
          before: { status: row.status },
          after: { status: "archived", archived_at: now },
        });
      }
      return { id, type: "api_key_deleted", deleted: true };
    });
  }

  /**
   * The key, when the caller may see it (else 404, as another organization's) and, to change it,
   * created it or holds it (else 403 naming their role).
   */
  private async find(
    repos: Repositories,
    ctx: RequestContext,
    id: string,
    intent: "read" | "change",
  ): Promise<ApiKeyRow> {
    const row = await repos.apiKeys.find(ctx.organizationId, id);
    const access = await accessOf(repos, ctx);
    if (!row || !mayRead(access, row)) {
      throw notFound("API key", id);
    }
    if (intent === "change" && !mayChange(access, row)) {
      throw refusedFor(
        access.scope === "organization" ? "" : access.role,
        `change API key ${id}: only keys they created or were issued`,
      );
    }
    return row;
  }

  private async present(repos: Repositories, row: ApiKeyRow): Promise<ApiKey> {
    const emails = await repos.users.emailsByIds(
      row.created_by_user_id === null ? [] : [row.created_by_user_id],
    );
    return presentApiKey(
      row,
      this.deps.clock.now(),
      emails.get(row.created_by_user_id ?? "") ?? null,
    );
  }
}
