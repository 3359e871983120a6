import { type Kysely, sql } from "kysely";
import { ADMIN_KEY_ROLES } from "../../core/admin-keys/admin-roles.js";
import type { PageRequest, PageResult } from "../../core/pagination.js";
import type {
  AdminKeyRow,
  AdminKeyWithHolder,
  ApiKeyRow,
  AuthFailureRow,
} from "../../core/records.js";
import type {
  AdminKeyFilter,
  AdminKeyRepository as AdminKeyRepositoryPort,
  ApiKeyFilter,
  ApiKeyRepository as ApiKeyRepositoryPort,
} from "../../core/repositories.js";
import type { DB } from "../schema.js";
import type { ChangeSet } from "../store.js";
import { paginate } from "./pagination.js";

export class ApiKeyRepository implements ApiKeyRepositoryPort {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly changes: ChangeSet,
  ) {}

  async insert(row: ApiKeyRow): Promise<void> {
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
    if (filter.workspaceIds !== undefined) {
      const ids = filter.workspaceIds;
      q = ids.length === 0 ? q.where(sql<boolean>`1 = 0`) : q.where("workspace_id", "in", ids);
    }
    const holder = filter.heldByUserId;
    if (holder !== undefined) {
      q = q
        .where("service_account_id", "is", null)
        .where((eb) =>
          eb.or([eb("created_by_user_id", "=", holder), eb("owner_user_id", "=", holder)]),
        );
    }
    if (filter.serviceAccountId !== undefined) {
      q = q.where("service_account_id", "=", filter.serviceAccountId);
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

  principals(
    organizationId: string,
  ): Promise<Array<Pick<ApiKeyRow, "id" | "owner_user_id" | "service_account_id">>> {
    return this.db
      .selectFrom("api_keys")
      .select(["id", "owner_user_id", "service_account_id"])
      .where("organization_id", "=", organizationId)
      .orderBy("id")
      .execute();
  }

  /** Keys the user created or was issued (never a service account's), archived ones included. */
  async idsHeldBy(organizationId: string, userId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom("api_keys")
      .select("id")
      .where("organization_id", "=", organizationId)
      .where("service_account_id", "is", null)
      .where((eb) =>
        eb.or([eb("created_by_user_id", "=", userId), eb("owner_user_id", "=", userId)]),
      )
      .execute();
    return rows.map((row) => row.id);
  }

  listRevocableForUser(organizationId: string, userId: string): Promise<ApiKeyRow[]> {
    return this.db
      .selectFrom("api_keys")
      .selectAll()
      .where("organization_id", "=", organizationId)
      .where("status", "!=", "archived")
      .where("service_account_id", "is", null)
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

  listUnarchivedForServiceAccount(serviceAccountId: string): Promise<ApiKeyRow[]> {
    return this.db
      .selectFrom("api_keys")
      .selectAll()
      .where("service_account_id", "=", serviceAccountId)
      .where("status", "!=", "archived")
      .orderBy("id")
      .execute();
  }

  async update(id: string, changes: Partial<ApiKeyRow>): Promise<void> {
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

export class AdminKeyRepository implements AdminKeyRepositoryPort {
  constructor(private readonly db: Kysely<DB>) {}

  async insert(row: AdminKeyRow): Promise<void> {
    await this.db.insertInto("admin_keys").values(row).execute();
  }

  findByHash(keyHash: string): Promise<AdminKeyRow | undefined> {
    return this.db
      .selectFrom("admin_keys")
      .selectAll()
      .where("key_hash", "=", keyHash)
      .executeTakeFirst();
  }

  /** The key with its holder's current role, in one read: what authentication needs. */
  findByHashWithHolder(keyHash: string): Promise<AdminKeyWithHolder | undefined> {
    return this.#withHolder().where("admin_keys.key_hash", "=", keyHash).executeTakeFirst();
  }

  find(id: string): Promise<AdminKeyRow | undefined> {
    return this.db.selectFrom("admin_keys").selectAll().where("id", "=", id).executeTakeFirst();
  }

  findWithHolder(id: string): Promise<AdminKeyWithHolder | undefined> {
    return this.#withHolder().where("admin_keys.id", "=", id).executeTakeFirst();
  }

  findInOrganization(organizationId: string, id: string): Promise<AdminKeyWithHolder | undefined> {
    return this.#withHolder()
      .where("admin_keys.organization_id", "=", organizationId)
      .where("admin_keys.id", "=", id)
      .executeTakeFirst();
  }

  /** Statuses as src/core/admin-keys presents them: revoked, then expired, then suspended. */
  page(
    organizationId: string,
    filter: AdminKeyFilter,
    now: string,
    page: PageRequest,
  ): Promise<PageResult<AdminKeyWithHolder>> {
    let q = this.#withHolder().where("admin_keys.organization_id", "=", organizationId);
    const roles = [...ADMIN_KEY_ROLES];
    if (filter.status === "revoked") {
      q = q.where("admin_keys.revoked_at", "is not", null);
    } else if (filter.status !== undefined) {
      q = q.where("admin_keys.revoked_at", "is", null);
      if (filter.status === "expired") {
        q = q.where("admin_keys.expires_at", "<=", now);
      } else {
        q = q.where((eb) =>
          eb.or([eb("admin_keys.expires_at", "is", null), eb("admin_keys.expires_at", ">", now)]),
        );
        q =
          filter.status === "suspended"
            ? q
                .where("admin_keys.user_id", "is not", null)
                .where((eb) =>
                  eb.or([
                    eb("users.removed_at", "is not", null),
                    eb("users.role", "is", null),
                    eb("users.role", "not in", roles),
                  ]),
                )
            : q.where((eb) =>
                eb.or([
                  eb("admin_keys.user_id", "is", null),
                  eb.and([eb("users.removed_at", "is", null), eb("users.role", "in", roles)]),
                ]),
              );
      }
    }
    return paginate(q, "admin_keys.id", page);
  }

  async countWithOwnerPowers(organizationId: string, now: string, exceptId: string) {
    const row = await this.db
      .selectFrom("admin_keys")
      .leftJoin("users", "users.id", "admin_keys.user_id")
      .select((eb) => eb.fn.countAll<string | number>().as("count"))
      .where("admin_keys.organization_id", "=", organizationId)
      .where("admin_keys.id", "!=", exceptId)
      .where("admin_keys.revoked_at", "is", null)
      .where((eb) =>
        eb.or([eb("admin_keys.expires_at", "is", null), eb("admin_keys.expires_at", ">", now)]),
      )
      .where((eb) =>
        eb.or([
          eb("admin_keys.user_id", "is", null),
          eb.and([eb("users.removed_at", "is", null), eb("users.role", "=", "owner")]),
        ]),
      )
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  list(organizationId?: string): Promise<AdminKeyWithHolder[]> {
    let q = this.#withHolder();
    if (organizationId !== undefined) {
      q = q.where("admin_keys.organization_id", "=", organizationId);
    }
    return q.orderBy("admin_keys.id").execute();
  }

  /** The user's admin keys that are neither revoked nor expired at `now`. */
  async listLiveIdsForUser(userId: string, now: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom("admin_keys")
      .select("id")
      .where("user_id", "=", userId)
      .where("revoked_at", "is", null)
      .where((eb) => eb.or([eb("expires_at", "is", null), eb("expires_at", ">", now)]))
      .orderBy("id")
      .execute();
    return rows.map((r) => r.id);
  }

  // A holder's role and removal, by a left join: a key without a holder has nulls there.
  #withHolder() {
    return this.db
      .selectFrom("admin_keys")
      .leftJoin("users", "users.id", "admin_keys.user_id")
      .selectAll("admin_keys")
      .select(["users.role as holder_role", "users.removed_at as holder_removed_at"]);
  }

  async update(id: string, changes: Partial<AdminKeyRow>): Promise<void> {
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

  /**
   * Adds aggregated authentication failures: a row per (minute, address) is created or has the
   * counts added to it, so that two flushes (or two nodes) of one minute sum.
   */
  async addAuthFailures(rows: AuthFailureRow[]): Promise<void> {
    if (rows.length === 0) {
      return;
    }
    await this.db
      .insertInto("auth_failures")
      .values(rows)
      .onConflict((oc) =>
        oc.columns(["minute", "client_address"]).doUpdateSet({
          failures: sql<number>`auth_failures.failures + excluded.failures`,
          throttled: sql<number>`auth_failures.throttled + excluded.throttled`,
          last_at: sql<string>`excluded.last_at`,
          last_reason: sql<string>`excluded.last_reason`,
        }),
      )
      .execute();
  }

  /** Aggregated failures from `since` on (minute start), oldest first. */
  listAuthFailures(since: string): Promise<AuthFailureRow[]> {
    return this.db
      .selectFrom("auth_failures")
      .selectAll()
      .where("minute", ">=", since)
      .orderBy("minute")
      .orderBy("client_address")
      .execute();
  }

  async pruneAuthFailures(before: string): Promise<void> {
    await this.db.deleteFrom("auth_failures").where("minute", "<", before).execute();
  }
}
