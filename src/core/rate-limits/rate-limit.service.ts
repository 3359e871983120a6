import type {
  OrganizationRateLimit,
  OrganizationRateLimitListQuery,
  WorkspaceRateLimit,
  WorkspaceRateLimitListQuery,
  WorkspaceRateLimitUpdateParams,
} from "../../contract/rate-limits.js";
import { recordAudit } from "../audit.js";
import type { RequestContext, ServiceDeps } from "../context.js";
import { invalidRequest, notFound } from "../errors.js";
import type { WorkspaceRateLimitRow, WorkspaceRow } from "../records.js";
import type { Repositories } from "../repositories.js";
import {
  GROUPS,
  type GroupType,
  LIMIT_TYPES,
  modelGroupOf,
  type RateLimitGroup,
  rateLimitIdOf,
} from "./groups.js";

interface CursorPage<T> {
  data: T[];
  next_page: string | null;
}

function presentGroup(group: RateLimitGroup): OrganizationRateLimit["group"] {
  return group.type === "model_group"
    ? { id: group.id, type: "model_group", display_name: group.displayName ?? group.id }
    : { id: group.id, type: group.type };
}

const modelsOf = (group: RateLimitGroup) =>
  group.type === "model_group" ? [...(group.models ?? [])] : null;

/**
 * One page of `entries`, each known by its group's id: the page token is the id of the group the
 * next page starts with. Without a limit, everything in one page, as the SDK documents.
 */
function pageOf<T>(
  entries: Array<{ group: RateLimitGroup; entry: T }>,
  query: { limit?: number | undefined; page?: string | undefined },
): CursorPage<T> {
  let start = 0;
  if (query.page !== undefined) {
    start = entries.findIndex((e) => e.group.id === query.page);
    if (start === -1) {
      throw invalidRequest(
        `page: not a page of this list: ${JSON.stringify(query.page)}`,
        "invalid_cursor",
      );
    }
  }
  const end = query.limit === undefined ? entries.length : start + query.limit;
  const next = entries[end];
  return {
    data: entries.slice(start, end).map((e) => e.entry),
    next_page: next === undefined ? null : next.group.id,
  };
}

function groupsOfType(type: GroupType | undefined): readonly RateLimitGroup[] {
  return type === undefined ? GROUPS : GROUPS.filter((group) => group.type === type);
}

/**
 * Rate limits per workspace and rate-limit group (src/core/rate-limits/groups.ts). Steward has no
 * organization-level values of its own: Anthropic's apply to its upstream key, and each
 * workspace's are what the gateway enforces. A workspace's `usage_limits.requests_per_minute`
 * is a view of the same rows (src/db/repositories/workspaces.repository.ts).
 */
export class RateLimitService {
  constructor(private readonly deps: ServiceDeps) {}

  async listOrganization(
    ctx: RequestContext,
    query: OrganizationRateLimitListQuery,
  ): Promise<CursorPage<OrganizationRateLimit>> {
    let groups = groupsOfType(query.group_type);
    if (query.model !== undefined) {
      const id = modelGroupOf(query.model);
      groups = groups.filter((group) => group.id === id);
    }
    return pageOf(
      groups.map((group) => ({
        group,
        entry: {
          id: rateLimitIdOf(ctx.organizationId, group.id),
          type: "rate_limit" as const,
          group: presentGroup(group),
          models: modelsOf(group),
          limits: [],
        },
      })),
      query,
    );
  }

  async listWorkspace(
    ctx: RequestContext,
    workspaceId: string,
    query: WorkspaceRateLimitListQuery,
  ): Promise<CursorPage<WorkspaceRateLimit>> {
    const repos = this.deps.store.read;
    await this.findWorkspace(repos, ctx, workspaceId);
    const rows = await repos.rateLimits.listForWorkspace(workspaceId);
    const entries = groupsOfType(query.group_type)
      .map((group) => ({ group, entry: this.present(ctx, workspaceId, group, rows) }))
      // Groups without a workspace value inherit the organization's, which Steward has none of.
      .filter((e) => query.include_inherited === true || e.entry.limits.length > 0);
    return pageOf(entries, query);
  }

  async update(
    ctx: RequestContext,
    workspaceId: string,
    rateLimitId: string,
    params: WorkspaceRateLimitUpdateParams,
  ): Promise<WorkspaceRateLimit> {
    return this.deps.store.transaction(async (repos) => {
      const workspace = await this.findWorkspace(repos, ctx, workspaceId);
      if (workspace.archived_at !== null) {
        throw invalidRequest(
          `workspace ${workspaceId} is archived and cannot be changed`,
          "workspace_archived",
        );
      }
      const group = GROUPS.find((g) => rateLimitIdOf(ctx.organizationId, g.id) === rateLimitId);
      if (group === undefined) {
        throw notFound("rate_limit", rateLimitId);
      }
      const before = this.present(
        ctx,
        workspaceId,
        group,
        await repos.rateLimits.listForWorkspace(workspaceId),
      );
      const now = this.deps.clock.now().toISOString();
      for (const limit of params.limits) {
        if (limit.value === null) {
          await repos.rateLimits.delete(workspaceId, group.id, limit.type);
        } else {
          await repos.rateLimits.put({
            workspace_id: workspaceId,
            group_id: group.id,
            limit_type: limit.type,
            organization_id: ctx.organizationId,
            value: limit.value,
            created_at: now,
            updated_at: now,
          });
        }
      }
      const after = this.present(
        ctx,
        workspaceId,
        group,
        await repos.rateLimits.listForWorkspace(workspaceId),
      );
      await recordAudit(repos, this.deps, ctx, {
        action: "workspace.rate_limit_updated",
        targetType: "workspace",
        targetId: workspaceId,
        before,
        after,
      });
      return after;
    });
  }

  private present(
    ctx: RequestContext,
    workspaceId: string,
    group: RateLimitGroup,
    rows: readonly WorkspaceRateLimitRow[],
  ): WorkspaceRateLimit {
    const limits = LIMIT_TYPES.flatMap((type) => {
      const row = rows.find((r) => r.group_id === group.id && r.limit_type === type);
      return row === undefined
        ? []
        : [{ type, value: row.value, org_limit: null, source: { type: "workspace" as const } }];
    });
    return {
      type: "workspace_rate_limit",
      workspace_id: workspaceId,
      rate_limit_id: rateLimitIdOf(ctx.organizationId, group.id),
      group: presentGroup(group),
      models: modelsOf(group),
      limits,
    };
  }

  private async findWorkspace(
    repos: Repositories,
    ctx: RequestContext,
    id: string,
  ): Promise<WorkspaceRow> {
    const row = await repos.workspaces.find(ctx.organizationId, id);
    if (!row) {
      throw notFound("workspace", id);
    }
    return row;
  }
}
