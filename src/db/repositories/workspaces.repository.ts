import type { Kysely } from "kysely";
import type { PageRequest, PageResult } from "../../core/pagination.js";
import { GROUPS } from "../../core/rate-limits/groups.js";
import type {
  WorkspaceMemberRow,
  WorkspaceRateLimitRow,
  WorkspaceRow,
} from "../../core/records.js";
import type {
  WorkspaceFilter,
  WorkspaceMemberRepository as WorkspaceMemberRepositoryPort,
  WorkspaceRateLimitRepository as WorkspaceRateLimitRepositoryPort,
  WorkspaceRepository as WorkspaceRepositoryPort,
} from "../../core/repositories.js";
import type { DB } from "../schema.js";
import type { ChangeSet } from "../store.js";
import { paginate } from "./pagination.js";

/**
 * Workspaces with `requests_per_minute` read from their rate limits: the lowest of their groups'
 * (the one a client meets first), or null. It is stored nowhere else.
 */
function selectWorkspaces(db: Kysely<DB>) {
  return db
    .selectFrom("workspaces")
    .selectAll("workspaces")
    .select((eb) =>
      eb
        .selectFrom("workspace_rate_limits")
        .select((sub) => sub.fn.min<number>("workspace_rate_limits.value").as("value"))
        .whereRef("workspace_rate_limits.workspace_id", "=", "workspaces.id")
        .where("workspace_rate_limits.limit_type", "=", "requests_per_minute")
        .$castTo<number | null>()
        .as("requests_per_minute"),
    );
}

/** Sets (or, null, clears) a workspace's `requests_per_minute` in every rate-limit group. */
async function writeRequestsPerMinute(
  db: Kysely<DB>,
  workspace: { id: string; organization_id: string },
  value: number | null,
  now: string,
): Promise<void> {
  await db
    .deleteFrom("workspace_rate_limits")
    .where("workspace_id", "=", workspace.id)
    .where("limit_type", "=", "requests_per_minute")
    .execute();
  if (value === null) {
    return;
  }
  await db
    .insertInto("workspace_rate_limits")
    .values(
      GROUPS.map((group) => ({
        workspace_id: workspace.id,
        group_id: group.id,
        limit_type: "requests_per_minute",
        organization_id: workspace.organization_id,
        value,
        created_at: now,
        updated_at: now,
      })),
    )
    .execute();
}

export class WorkspaceRepository implements WorkspaceRepositoryPort {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly changes: ChangeSet,
  ) {}

  async insert(row: WorkspaceRow): Promise<void> {
    const { requests_per_minute, ...stored } = row;
    await this.db.insertInto("workspaces").values(stored).execute();
    if (requests_per_minute !== null) {
      await writeRequestsPerMinute(this.db, row, requests_per_minute, row.created_at);
    }
    this.changes.workspaces.add(row.id);
  }

  find(organizationId: string, id: string): Promise<WorkspaceRow | undefined> {
    return selectWorkspaces(this.db)
      .where("organization_id", "=", organizationId)
      .where("id", "=", id)
      .executeTakeFirst();
  }

  /** Those of the ids that name workspaces of the organization. */
  findMany(organizationId: string, ids: readonly string[]): Promise<WorkspaceRow[]> {
    if (ids.length === 0) {
      return Promise.resolve([]);
    }
    return selectWorkspaces(this.db)
      .where("organization_id", "=", organizationId)
      .where("id", "in", ids)
      .execute();
  }

  /** By id across organizations (the gateway's policy cache). */
  findById(id: string): Promise<WorkspaceRow | undefined> {
    return selectWorkspaces(this.db).where("id", "=", id).executeTakeFirst();
  }

  listAll(): Promise<WorkspaceRow[]> {
    return selectWorkspaces(this.db).execute();
  }

  findDefault(organizationId: string): Promise<WorkspaceRow | undefined> {
    return selectWorkspaces(this.db)
      .where("organization_id", "=", organizationId)
      .where("is_default", "=", 1)
      .executeTakeFirst();
  }

  list(
    organizationId: string,
    filter: WorkspaceFilter,
    page: PageRequest,
  ): Promise<PageResult<WorkspaceRow>> {
    let q = selectWorkspaces(this.db).where("organization_id", "=", organizationId);
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
    const { requests_per_minute, ...stored } = changes;
    if (Object.keys(stored).length > 0) {
      await this.db.updateTable("workspaces").set(stored).where("id", "=", id).execute();
    }
    if (requests_per_minute !== undefined) {
      const workspace = await this.db
        .selectFrom("workspaces")
        .select(["id", "organization_id", "updated_at"])
        .where("id", "=", id)
        .executeTakeFirstOrThrow();
      await writeRequestsPerMinute(this.db, workspace, requests_per_minute, workspace.updated_at);
    }
    this.changes.workspaces.add(id);
  }
}

export class WorkspaceRateLimitRepository implements WorkspaceRateLimitRepositoryPort {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly changes: ChangeSet,
  ) {}

  listForWorkspace(workspaceId: string): Promise<WorkspaceRateLimitRow[]> {
    return this.db
      .selectFrom("workspace_rate_limits")
      .selectAll()
      .where("workspace_id", "=", workspaceId)
      .orderBy("group_id")
      .orderBy("limit_type")
      .execute();
  }

  listAll(): Promise<WorkspaceRateLimitRow[]> {
    return this.db.selectFrom("workspace_rate_limits").selectAll().execute();
  }

  async put(row: WorkspaceRateLimitRow): Promise<void> {
    await this.db
      .insertInto("workspace_rate_limits")
      .values(row)
      .onConflict((oc) =>
        oc
          .columns(["workspace_id", "group_id", "limit_type"])
          .doUpdateSet({ value: row.value, updated_at: row.updated_at }),
      )
      .execute();
    this.changes.workspaces.add(row.workspace_id);
  }

  async delete(workspaceId: string, groupId: string, limitType: string): Promise<void> {
    await this.db
      .deleteFrom("workspace_rate_limits")
      .where("workspace_id", "=", workspaceId)
      .where("group_id", "=", groupId)
      .where("limit_type", "=", limitType)
      .execute();
    this.changes.workspaces.add(workspaceId);
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
