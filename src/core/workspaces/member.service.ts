import type { ListQuery } from "../../contract/common.js";
import type { WorkspaceMember, WorkspaceRole } from "../../contract/workspaces.js";
import { recordAudit } from "../audit.js";
import type { RequestContext, ServiceDeps } from "../context.js";
import { invalidRequest, notFound } from "../errors.js";
import { checkCursor, type Page, toPage } from "../pagination.js";
import { presentMember } from "../presenters.js";
import type { WorkspaceMemberRow, WorkspaceRow } from "../records.js";
import type { Repositories } from "../repositories.js";
import { assignableRole } from "./roles.js";

export class WorkspaceMemberService {
  constructor(private readonly deps: ServiceDeps) {}

  async add(
    ctx: RequestContext,
    workspaceId: string,
    params: { user_id: string; workspace_role: WorkspaceRole },
  ): Promise<WorkspaceMember> {
    const role = assignableRole(params.workspace_role);
    return this.deps.store.transaction(async (repos) => {
      // The lock user removal takes: a member being removed must not be added back to a workspace.
      await repos.organizations.lock(ctx.organizationId);
      const workspace = await this.findWorkspace(repos, ctx, workspaceId);
      this.ensureOpen(workspace);
      if (!(await repos.users.findActive(ctx.organizationId, params.user_id))) {
        throw notFound("user", params.user_id);
      }
      if (await repos.members.find(workspaceId, params.user_id)) {
        throw invalidRequest(
          `user ${params.user_id} is already a member of workspace ${workspaceId}`,
          "already_member",
        );
      }
      const now = this.deps.clock.now().toISOString();
      const row = {
        organization_id: ctx.organizationId,
        workspace_id: workspaceId,
        user_id: params.user_id,
        workspace_role: role,
        created_at: now,
        updated_at: now,
      };
      await repos.members.insert(row);
      const member = presentMember(row);
      await recordAudit(repos, this.deps, ctx, {
        action: "workspace_member.added",
        targetType: "workspace_member",
        targetId: `${workspaceId}/${params.user_id}`,
        after: member,
      });
      return member;
    });
  }

  async list(
    ctx: RequestContext,
    workspaceId: string,
    query: ListQuery,
  ): Promise<Page<WorkspaceMember>> {
    const repos = this.deps.store.read;
    await this.findWorkspace(repos, ctx, workspaceId);
    await checkCursor(
      query,
      async (userId) => (await repos.members.find(workspaceId, userId)) !== undefined,
    );
    const result = await repos.members.list(workspaceId, query);
    return toPage(result, presentMember, (m) => m.user_id);
  }

  async get(ctx: RequestContext, workspaceId: string, userId: string): Promise<WorkspaceMember> {
    const repos = this.deps.store.read;
    await this.findWorkspace(repos, ctx, workspaceId);
    const row = await repos.members.find(workspaceId, userId);
    if (!row) {
      throw notFound("workspace member", userId);
    }
    return presentMember(row);
  }

  async update(
    ctx: RequestContext,
    workspaceId: string,
    userId: string,
    params: { workspace_role: WorkspaceRole },
  ): Promise<WorkspaceMember> {
    const role = assignableRole(params.workspace_role);
    return this.deps.store.transaction(async (repos) => {
      await repos.organizations.lock(ctx.organizationId); // as user removal does
      const workspace = await this.findWorkspace(repos, ctx, workspaceId);
      this.ensureOpen(workspace);
      const row = await repos.members.find(workspaceId, userId);
      if (!row) {
        throw notFound("workspace member", userId);
      }
      const now = this.deps.clock.now().toISOString();
      await repos.members.updateRole(workspaceId, userId, role, now);
      const after = presentMember({ ...row, workspace_role: role });
      await recordAudit(repos, this.deps, ctx, {
        action: "workspace_member.updated",
        targetType: "workspace_member",
        targetId: `${workspaceId}/${userId}`,
        before: presentMember(row),
        after,
      });
      return after;
    });
  }

  async remove(
    ctx: RequestContext,
    workspaceId: string,
    userId: string,
  ): Promise<{ type: "workspace_member_deleted"; user_id: string; workspace_id: string }> {
    return this.deps.store.transaction(async (repos) => {
      await this.findWorkspace(repos, ctx, workspaceId);
      const row = await repos.members.find(workspaceId, userId);
      if (!row) {
        throw notFound("workspace member", userId);
      }
      await removeMemberIn(repos, this.deps, ctx, row);
      return { type: "workspace_member_deleted", user_id: userId, workspace_id: workspaceId };
    });
  }

  private findWorkspace(
    repos: Repositories,
    ctx: RequestContext,
    workspaceId: string,
  ): Promise<WorkspaceRow> {
    return findWorkspaceIn(repos, ctx, workspaceId);
  }

  private ensureOpen(workspace: WorkspaceRow): void {
    ensureOpenForMembers(workspace);
  }
}

/** Removes a workspace membership in the caller's transaction, with its audit record. */
export async function removeMemberIn(
  repos: Repositories,
  deps: Pick<ServiceDeps, "clock" | "ids">,
  ctx: RequestContext,
  row: WorkspaceMemberRow,
  because: Record<string, string> = {},
): Promise<WorkspaceMember> {
  await repos.members.delete(row.workspace_id, row.user_id);
  const member = presentMember(row);
  await recordAudit(repos, deps, ctx, {
    action: "workspace_member.removed",
    targetType: "workspace_member",
    targetId: `${row.workspace_id}/${row.user_id}`,
    before: member,
    ...(Object.keys(because).length > 0 && { after: because }),
  });
  return member;
}

/** The workspace, or a 404. */
export async function findWorkspaceIn(
  repos: Repositories,
  ctx: RequestContext,
  workspaceId: string,
): Promise<WorkspaceRow> {
  const workspace = await repos.workspaces.find(ctx.organizationId, workspaceId);
  if (!workspace) {
    throw notFound("workspace", workspaceId);
  }
  return workspace;
}

/** An archived workspace takes no new members or role changes (`workspace_archived`). */
export function ensureOpenForMembers(workspace: WorkspaceRow): void {
  if (workspace.archived_at !== null) {
    throw invalidRequest(
      `workspace ${workspace.id} is archived and takes no new members or role changes`,
      "workspace_archived",
    );
  }
}
