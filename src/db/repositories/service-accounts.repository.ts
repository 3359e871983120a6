import { type Kysely, type SelectQueryBuilder, sql } from "kysely";
import type { PageResult } from "../../core/pagination.js";
import type { ServiceAccountMemberRow, ServiceAccountRow } from "../../core/records.js";
import type {
  CursorRequest,
  ServiceAccountRepository as ServiceAccountRepositoryPort,
} from "../../core/repositories.js";
import type { DB } from "../schema.js";

/** `limit` rows past the cursor in the query's order, and whether more follow. */
async function pageOf<D, TB extends keyof D, T>(
  query: SelectQueryBuilder<D, TB, T>,
  limit: number,
): Promise<PageResult<T>> {
  const rows = await query.limit(limit + 1).execute();
  return { data: rows.slice(0, limit), hasMore: rows.length > limit };
}

export class ServiceAccountRepository implements ServiceAccountRepositoryPort {
  constructor(private readonly db: Kysely<DB>) {}

  async insert(row: ServiceAccountRow): Promise<void> {
    await this.db.insertInto("service_accounts").values(row).execute();
  }

  find(organizationId: string, id: string): Promise<ServiceAccountRow | undefined> {
    return this.db
      .selectFrom("service_accounts")
      .selectAll()
      .where("organization_id", "=", organizationId)
      .where("id", "=", id)
      .executeTakeFirst();
  }

  findByName(organizationId: string, name: string): Promise<ServiceAccountRow | undefined> {
    return this.db
      .selectFrom("service_accounts")
      .selectAll()
      .where("organization_id", "=", organizationId)
      .where("name", "=", name)
      .executeTakeFirst();
  }

  list(
    organizationId: string,
    filter: { includeArchived: boolean },
    page: CursorRequest,
  ): Promise<PageResult<ServiceAccountRow>> {
    let q = this.db
      .selectFrom("service_accounts")
      .selectAll()
      .where("organization_id", "=", organizationId);
    if (!filter.includeArchived) {
      q = q.where("archived_at", "is", null);
    }
    if (page.after !== undefined) {
      q = q.where("id", "<", page.after);
    }
    return pageOf(q.orderBy("id", "desc"), page.limit);
  }

  async update(id: string, changes: Partial<ServiceAccountRow>): Promise<void> {
    await this.db.updateTable("service_accounts").set(changes).where("id", "=", id).execute();
  }

  async insertMember(row: ServiceAccountMemberRow): Promise<void> {
    await this.db.insertInto("service_account_workspace_members").values(row).execute();
  }

  findMember(
    workspaceId: string,
    serviceAccountId: string,
  ): Promise<ServiceAccountMemberRow | undefined> {
    return this.db
      .selectFrom("service_account_workspace_members")
      .selectAll()
      .where("workspace_id", "=", workspaceId)
      .where("service_account_id", "=", serviceAccountId)
      .executeTakeFirst();
  }

  async updateMemberRole(
    workspaceId: string,
    serviceAccountId: string,
    role: string,
    now: string,
  ): Promise<void> {
    await this.db
      .updateTable("service_account_workspace_members")
      .set({ workspace_role: role, updated_at: now })
      .where("workspace_id", "=", workspaceId)
      .where("service_account_id", "=", serviceAccountId)
      .execute();
  }

  async deleteMember(workspaceId: string, serviceAccountId: string): Promise<void> {
    await this.db
      .deleteFrom("service_account_workspace_members")
      .where("workspace_id", "=", workspaceId)
      .where("service_account_id", "=", serviceAccountId)
      .execute();
  }

  listMembershipsOf(
    serviceAccountId: string,
    page: CursorRequest,
  ): Promise<PageResult<ServiceAccountMemberRow>> {
    let q = this.db
      .selectFrom("service_account_workspace_members")
      .selectAll()
      .where("service_account_id", "=", serviceAccountId);
    if (page.after !== undefined) {
      q = q.where("workspace_id", ">", page.after);
    }
    return pageOf(q.orderBy("workspace_id"), page.limit);
  }

  listMembersOf(
    workspaceId: string,
    page: CursorRequest,
  ): Promise<PageResult<ServiceAccountMemberRow>> {
    let q = this.db
      .selectFrom("service_account_workspace_members as m")
      .innerJoin("service_accounts as a", "a.id", "m.service_account_id")
      .selectAll("m")
      .where("m.workspace_id", "=", workspaceId)
      .where("a.archived_at", "is", null);
    if (page.after !== undefined) {
      q = q.where("m.service_account_id", ">", page.after);
    }
    return pageOf(q.orderBy(sql.ref("m.service_account_id")), page.limit);
  }
}
