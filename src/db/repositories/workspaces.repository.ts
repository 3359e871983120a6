import type { Kysely } from "kysely";
import type { PageRequest, PageResult } from "../../core/pagination.js";
import type { WorkspaceMemberRow, WorkspaceRow } from "../../core/records.js";
import type {
  WorkspaceFilter,
  WorkspaceMemberRepository as WorkspaceMemberRepositoryPort,
  WorkspaceRepository as WorkspaceRepositoryPort,
} from "../../core/repositories.js";
import type { DB } from "../schema.js";
import type { ChangeSet } from "../store.js";
import { paginate } from "./pagination.js";

export class WorkspaceRepository implements WorkspaceRepositoryPort {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly changes: ChangeSet,
  ) {}

  async insert(row: WorkspaceRow): Promise<void> {
    await this.db.insertInto("workspaces").values(row).execute();
    this.changes.workspaces.add(row.id);
  }

  find(organizationId: string, id: string): Promise<WorkspaceRow | undefined> {
    return this.db
      .selectFrom("workspaces")
      .selectAll()
      .where("organization_id", "=", organizationId)
      .where("id", "=", id)
      .executeTakeFirst();
  }

  /** Those of the ids that name workspaces of the organization. */
  findMany(organizationId: string, ids: readonly string[]): Promise<WorkspaceRow[]> {
    if (ids.length === 0) {
      return Promise.resolve([]);
    }
    return this.db
      .selectFrom("workspaces")
      .selectAll()
      .where("organization_id", "=", organizationId)
      .where("id", "in", ids)
      .execute();
  }

  /** By id across organizations (the gateway's policy cache). */
  findById(id: string): Promise<WorkspaceRow | undefined> {
    return this.db.selectFrom("workspaces").selectAll().where("id", "=", id).executeTakeFirst();
  }

  listAll(): Promise<WorkspaceRow[]> {
    return this.db.selectFrom("workspaces").selectAll().execute();
  }

  findDefault(organizationId: string): Promise<WorkspaceRow | undefined> {
    return this.db
      .selectFrom("workspaces")
      .selectAll()
      .where("organization_id", "=", organizationId)
      .where("is_default", "=", 1)
      .executeTakeFirst();
  }

  list(
    organizationId: string,
    filter: WorkspaceFilter,
    page: PageRequest,
  ): Promise<PageResult<WorkspaceRow>> {
    let q = this.db
      .selectFrom("workspaces")
      .selectAll()
      .where("organization_id", "=", organizationId);
    if (!filter.includeArchived) {
      q = q.where("archived_at", "is", null);
    }
    if (!filter.includeDefault) {
      q = q.where("is_default", "=", 0);
    }
    if (filter.ids !== undefined && filter.ids.length > 0) {
      q = q.where("id", "in", filter.ids);
    }
    return paginate(q, "id", page);
  }

  async update(id: string, changes: Partial<WorkspaceRow>): Promise<void> {
    await this.db.updateTable("workspaces").set(changes).where("id", "=", id).execute();
    this.changes.workspaces.add(id);
  }
}

export class WorkspaceMemberRepository implements WorkspaceMemberRepositoryPort {
  constructor(private readonly db: Kysely<DB>) {}

  async insert(row: WorkspaceMemberRow): Promise<void> {
    await this.db.insertInto("workspace_members").values(row).execute();
  }

  find(workspaceId: string, userId: string): Promise<WorkspaceMemberRow | undefined> {
    return this.db
      .selectFrom("workspace_members")
      .selectAll()
      .where("workspace_id", "=", workspaceId)
      .where("user_id", "=", userId)
      .executeTakeFirst();
  }

  list(workspaceId: string, page: PageRequest): Promise<PageResult<WorkspaceMemberRow>> {
    const q = this.db
      .selectFrom("workspace_members")
      .selectAll()
      .where("workspace_id", "=", workspaceId);
    return paginate(q, "user_id", page);
  }

  listForUser(userId: string): Promise<WorkspaceMemberRow[]> {
    return this.db
      .selectFrom("workspace_members")
      .selectAll()
      .where("user_id", "=", userId)
      .execute();
  }

  async updateRole(workspaceId: string, userId: string, role: string, now: string): Promise<void> {
    await this.db
      .updateTable("workspace_members")
      .set({ workspace_role: role, updated_at: now })
      .where("workspace_id", "=", workspaceId)
      .where("user_id", "=", userId)
      .execute();
  }

  async delete(workspaceId: string, userId: string): Promise<void> {
    await this.db
      .deleteFrom("workspace_members")
      .where("workspace_id", "=", workspaceId)
      .where("user_id", "=", userId)
      .execute();
  }

  async deleteAllForUser(userId: string): Promise<void> {
    await this.db.deleteFrom("workspace_members").where("user_id", "=", userId).execute();
  }
}
