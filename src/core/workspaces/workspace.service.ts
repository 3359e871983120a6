import type {
  Workspace,
  WorkspaceCreateParams,
  WorkspaceListQuery,
  WorkspaceUpdateParams,
} from "../../contract/workspaces.js";
import { revokeKeysIn } from "../api-keys/api-key.service.js";
import { recordAudit } from "../audit.js";
import type { RequestContext, ServiceDeps } from "../context.js";
import { invalidRequest, notFound } from "../errors.js";
import { usdToMicros } from "../money.js";
import { checkCursor, type Page, toPage } from "../pagination.js";
import { accessOf, narrowed } from "../policy/access.js";
import { presentWorkspace } from "../presenters.js";
import type { WorkspaceRow } from "../records.js";
import type { Repositories } from "../repositories.js";

// Anthropic's Console palette; a workspace created without a color gets one picked from its id.
const PALETTE = [
  "#6C5BB9",
  "#D97757",
  "#4B8B5F",
  "#C2A14B",
  "#3E7CB1",
  "#B1486E",
  "#5B8C85",
  "#8A6F4E",
];

function pickColor(id: string): string {
  let hash = 0;
  for (const ch of id) {
    hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  }
  return PALETTE[hash % PALETTE.length] ?? "#6C5BB9";
}

type Geo = "global" | "us";
type AllowedGeos = "unrestricted" | Geo[];

function checkResidency(allowed: AllowedGeos, defaultGeo: Geo): void {
  if (allowed !== "unrestricted" && !allowed.includes(defaultGeo)) {
    throw invalidRequest(
      `data_residency.default_inference_geo: ${defaultGeo} is not one of allowed_inference_geos (${allowed.join(", ")})`,
    );
  }
}

export class WorkspaceService {
  constructor(private readonly deps: ServiceDeps) {}

  async create(ctx: RequestContext, params: WorkspaceCreateParams): Promise<Workspace> {
    const allowed: AllowedGeos = params.data_residency?.allowed_inference_geos ?? "unrestricted";
    const defaultGeo: Geo = params.data_residency?.default_inference_geo ?? "global";
    checkResidency(allowed, defaultGeo);
    return this.deps.store.transaction(async (repos) => {
      const now = this.deps.clock.now().toISOString();
      const id = this.deps.ids.next("workspace");
      const limits = params.usage_limits;
      const row: WorkspaceRow = {
        id,
        organization_id: ctx.organizationId,
        name: params.name,
        is_default: 0,
        created_at: now,
        updated_at: now,
        archived_at: null,
        display_color: params.display_color ?? pickColor(id),
        workspace_geo: "us",
        allowed_inference_geos: JSON.stringify(allowed),
        default_inference_geo: defaultGeo,
        tags: JSON.stringify(params.tags ?? {}),
        monthly_spend_limit_micros:
          limits?.monthly_spend_usd == null ? null : usdToMicros(limits.monthly_spend_usd),
        requests_per_minute: limits?.requests_per_minute ?? null,
      };
      await repos.workspaces.insert(row);
      const workspace = presentWorkspace(row);
      await recordAudit(repos, this.deps, ctx, {
        action: "workspace.created",
        targetType: "workspace",
        targetId: id,
        after: workspace,
      });
      return workspace;
    });
  }

  async list(
    ctx: RequestContext,
    query: WorkspaceListQuery,
    defaults: { includeDefault: boolean },
  ): Promise<Page<Workspace>> {
    const workspaces = this.deps.store.read.workspaces;
    const access = await accessOf(this.deps.store.read, ctx);
    const ids =
      access.scope === "workspaces" ? narrowed(access.workspaceIds, query.ids) : query.ids;
    await checkCursor(
      query,
      async (id) => (await workspaces.find(ctx.organizationId, id)) !== undefined,
    );
    const result = await workspaces.list(
      ctx.organizationId,
      {
        includeArchived: query.include_archived ?? false,
        includeDefault: query.include_default ?? defaults.includeDefault,
        ids,
      },
      query,
    );
    return toPage(result, presentWorkspace, (w) => w.id);
  }

  async get(ctx: RequestContext, id: string): Promise<Workspace> {
    const access = await accessOf(this.deps.store.read, ctx);
    // A developer sees the workspaces they belong to; another is as good as absent.
    if (access.scope === "workspaces" && !access.workspaceIds.includes(id)) {
      throw notFound("workspace", id);
    }
    return presentWorkspace(await this.find(this.deps.store.read, ctx, id));
  }

  async update(ctx: RequestContext, id: string, params: WorkspaceUpdateParams): Promise<Workspace> {
    return this.deps.store.transaction(async (repos) => {
      const row = await this.find(repos, ctx, id);
      if (row.archived_at !== null) {
        throw invalidRequest(
          `workspace ${id} is archived and cannot be changed`,
          "workspace_archived",
        );
      }
      const changes: Partial<WorkspaceRow> = { updated_at: this.deps.clock.now().toISOString() };
      if (params.name !== undefined) {
        changes.name = params.name;
      }
      if (params.display_color !== undefined) {
        changes.display_color = params.display_color;
      }
      if (params.data_residency !== undefined) {
        const current = presentWorkspace(row).data_residency;
        const allowed =
          params.data_residency?.allowed_inference_geos ?? current.allowed_inference_geos;
        const defaultGeo =
          params.data_residency?.default_inference_geo ?? current.default_inference_geo;
        checkResidency(allowed, defaultGeo);
        changes.allowed_inference_geos = JSON.stringify(allowed);
        changes.default_inference_geo = defaultGeo;
      }
      if (params.tags !== undefined) {
        // A null map clears every tag; a null value removes that one tag.
        const tags: Record<string, string> = params.tags === null ? {} : JSON.parse(row.tags);
        for (const [key, value] of Object.entries(params.tags ?? {})) {
          if (value === null) {
            delete tags[key];
          } else {
            tags[key] = value;
          }
        }
        changes.tags = JSON.stringify(tags);
      }
      const limits = params.usage_limits;
      if (limits?.monthly_spend_usd !== undefined) {
        changes.monthly_spend_limit_micros =
          limits.monthly_spend_usd === null ? null : usdToMicros(limits.monthly_spend_usd);
      }
      if (limits?.requests_per_minute !== undefined) {
        changes.requests_per_minute = limits.requests_per_minute;
      }
      await repos.workspaces.update(id, changes);
      const after = presentWorkspace({ ...row, ...changes });
      await recordAudit(repos, this.deps, ctx, {
        action: "workspace.updated",
        targetType: "workspace",
        targetId: id,
        before: presentWorkspace(row),
        after,
      });
      return after;
    });
  }

  /** Archives a workspace and every key in it. The default workspace cannot be archived. */
  async archive(ctx: RequestContext, id: string): Promise<Workspace> {
    return this.deps.store.transaction(async (repos) => {
      const row = await this.find(repos, ctx, id);
      if (row.is_default === 1) {
        throw invalidRequest(
          "the default workspace cannot be archived",
          "default_workspace_protected",
        );
      }
      if (row.archived_at !== null) {
        return presentWorkspace(row);
      }
      const now = this.deps.clock.now().toISOString();
      const keyIds = await revokeKeysIn(
        repos,
        this.deps,
        ctx,
        await repos.apiKeys.listUnarchivedInWorkspace(id),
        now,
        { reason: "workspace_archived", workspace_id: id },
      );
      await repos.workspaces.update(id, { archived_at: now, updated_at: now });
      const after = presentWorkspace({ ...row, archived_at: now, updated_at: now });
      await recordAudit(repos, this.deps, ctx, {
        action: "workspace.archived",
        targetType: "workspace",
        targetId: id,
        before: presentWorkspace(row),
        after: { ...after, archived_api_key_ids: keyIds },
      });
      return after;
    });
  }

  private async find(repos: Repositories, ctx: RequestContext, id: string): Promise<WorkspaceRow> {
    const row = await repos.workspaces.find(ctx.organizationId, id);
    if (!row) {
      throw notFound("workspace", id);
    }
    return row;
  }
}
