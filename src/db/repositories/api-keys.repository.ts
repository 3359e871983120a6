import type { Kysely } from "kysely";
import type { AdminKeyRow, AdminKeysTable, ApiKeyRow, ApiKeysTable, DB } from "../schema.js";
import type { ChangeSet } from "../store.js";
import { type PageRequest, type PageResult, paginate } from "./pagination.js";

export interface ApiKeyFilter {
  status?: "active" | "inactive" | "archived" | "expired" | undefined;
  workspaceId?: string | undefined;
  createdByUserId?: string | undefined;
}

export class ApiKeyRepository {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly changes: ChangeSet,
  ) {}

  async insert(row: ApiKeysTable): Promise<void> {
    await this.db.insertInto("api_keys").values(row).execute();
    this.changes.apiKeys.add(row.id);
  }

  find(organizationId: string, id: string): Promise<ApiKeyRow | undefined> {
    return this.db
      .selectFrom("api_keys")
      .selectAll()
      .where("organization_id", "=", organizationId)
      .where("id", "=", id)
      .executeTakeFirst();
  }

  /** Keys by id across organizations, for the gateway's index to reload what changed. */
  findManyByIds(ids: string[]): Promise<ApiKeyRow[]> {
    if (ids.length === 0) {
      return Promise.resolve([]);
    }
    return this.db.selectFrom("api_keys").selectAll().where("id", "in", ids).execute();
  }

  /** Every key that can still authenticate some day (not archived), across organizations. */
  listUnarchived(): Promise<ApiKeyRow[]> {
    return this.db.selectFrom("api_keys").selectAll().where("status", "!=", "archived").execute();
  }

  findByHash(keyHash: string): Promise<ApiKeyRow | undefined> {
    return this.db
      .selectFrom("api_keys")
      .selectAll()
      .where("key_hash", "=", keyHash)
      .executeTakeFirst();
  }

  /** `expired` is derived: an active or inactive key whose expiry has passed. */
  list(
    organizationId: string,
    filter: ApiKeyFilter,
    now: string,
    page: PageRequest,
  ): Promise<PageResult<ApiKeyRow>> {
    let q = this.db
      .selectFrom("api_keys")
      .selectAll()
      .where("organization_id", "=", organizationId);
    if (filter.workspaceId !== undefined) {
      q = q.where("workspace_id", "=", filter.workspaceId);
    }
    if (filter.createdByUserId !== undefined) {
      q = q.where("created_by_user_id", "=", filter.createdByUserId);
    }
    switch (filter.status) {
      case undefined:
        break;
      case "archived":
        q = q.where("status", "=", "archived");
        break;
      case "expired":
        q = q.where("status", "!=", "archived").where("expires_at", "<=", now);
        break;
      default:
        q = q
          .where("status", "=", filter.status)
          .where((eb) => eb.or([eb("expires_at", "is", null), eb("expires_at", ">", now)]));
    }
    return paginate(q, "id", page);
  }

  /** Keys the user created or was issued that are not yet archived. */
  listRevocableForUser(organizationId: string, userId: string): Promise<ApiKeyRow[]> {
    return this.db
      .selectFrom("api_keys")
      .selectAll()
      .where("organization_id", "=", organizationId)
      .where("status", "!=", "archived")
      .where((eb) =>
        eb.or([eb("created_by_user_id", "=", userId), eb("owner_user_id", "=", userId)]),
      )
      .orderBy("id")
      .execute();
  }

  listUnarchivedInWorkspace(workspaceId: string): Promise<ApiKeyRow[]> {
    return this.db
      .selectFrom("api_keys")
      .selectAll()
      .where("workspace_id", "=", workspaceId)
      .where("status", "!=", "archived")
      .orderBy("id")
      .execute();
  }

  async update(id: string, changes: Partial<ApiKeysTable>): Promise<void> {
    await this.db.updateTable("api_keys").set(changes).where("id", "=", id).execute();
    this.changes.apiKeys.add(id);
  }

  async archiveMany(ids: string[], now: string): Promise<void> {
    if (ids.length === 0) {
      return;
    }
    for (const id of ids) {
      this.changes.apiKeys.add(id);
    }
    await this.db
      .updateTable("api_keys")
      .set({ status: "archived", archived_at: now, updated_at: now })
      .where("id", "in", ids)
      .execute();
  }
}

export class AdminKeyRepository {
  constructor(private readonly db: Kysely<DB>) {}

  async insert(row: AdminKeysTable): Promise<void> {
    await this.db.insertInto("admin_keys").values(row).execute();
  }

  findByHash(keyHash: string): Promise<AdminKeyRow | undefined> {
    return this.db
      .selectFrom("admin_keys")
      .selectAll()
      .where("key_hash", "=", keyHash)
      .executeTakeFirst();
  }

  find(id: string): Promise<AdminKeyRow | undefined> {
    return this.db.selectFrom("admin_keys").selectAll().where("id", "=", id).executeTakeFirst();
  }

  list(organizationId?: string): Promise<AdminKeyRow[]> {
    let q = this.db.selectFrom("admin_keys").selectAll();
    if (organizationId !== undefined) {
      q = q.where("organization_id", "=", organizationId);
    }
    return q.orderBy("id").execute();
  }

  async update(id: string, changes: Partial<AdminKeysTable>): Promise<void> {
    await this.db.updateTable("admin_keys").set(changes).where("id", "=", id).execute();
  }

  /** Revokes the user's live admin keys; returns their ids. */
  async revokeForUser(userId: string, now: string): Promise<string[]> {
    const rows = await this.db
      .updateTable("admin_keys")
      .set({ revoked_at: now })
      .where("user_id", "=", userId)
      .where("revoked_at", "is", null)
      .returning("id")
      .execute();
    return rows.map((r) => r.id);
  }
}
