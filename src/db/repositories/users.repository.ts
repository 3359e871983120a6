import type { Kysely } from "kysely";
import type { PageRequest, PageResult } from "../../core/pagination.js";
import type { UserRow } from "../../core/records.js";
import type { UserFilter, UserRepository as UserRepositoryPort } from "../../core/repositories.js";
import type { DB } from "../schema.js";
import { paginate } from "./pagination.js";

export class UserRepository implements UserRepositoryPort {
  constructor(private readonly db: Kysely<DB>) {}

  async insert(row: UserRow): Promise<void> {
    await this.db.insertInto("users").values(row).execute();
  }

  /** A live (not removed) member. */
  findActive(organizationId: string, id: string): Promise<UserRow | undefined> {
    return this.db
      .selectFrom("users")
      .selectAll()
      .where("organization_id", "=", organizationId)
      .where("id", "=", id)
      .where("removed_at", "is", null)
      .executeTakeFirst();
  }

  findActiveByEmail(organizationId: string, email: string): Promise<UserRow | undefined> {
    return this.db
      .selectFrom("users")
      .selectAll()
      .where("organization_id", "=", organizationId)
      .where("email_lower", "=", email.toLowerCase())
      .where("removed_at", "is", null)
      .executeTakeFirst();
  }

  /** Any user row of the organization, removed ones included: a cursor may point at one. */
  async exists(organizationId: string, id: string): Promise<boolean> {
    const row = await this.db
      .selectFrom("users")
      .select("id")
      .where("organization_id", "=", organizationId)
      .where("id", "=", id)
      .executeTakeFirst();
    return row !== undefined;
  }

  list(
    organizationId: string,
    filter: UserFilter,
    page: PageRequest,
  ): Promise<PageResult<UserRow>> {
    let q = this.db
      .selectFrom("users")
      .selectAll()
      .where("organization_id", "=", organizationId)
      .where("removed_at", "is", null);
    if (filter.email !== undefined) {
      q = q.where("email_lower", "=", filter.email.toLowerCase());
    }
    if (filter.roles !== undefined && filter.roles.length > 0) {
      q = q.where("role", "in", filter.roles);
    }
    return paginate(q, "id", page);
  }

  /** Emails by user id, removed users included (a key's creator may have left). */
  async emailsByIds(ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) {
      return new Map();
    }
    const rows = await this.db
      .selectFrom("users")
      .select(["id", "email"])
      .where("id", "in", [...new Set(ids)])
      .execute();
    return new Map(rows.map((r) => [r.id, r.email]));
  }

  async findManyInOrganization(organizationId: string, ids: readonly string[]): Promise<UserRow[]> {
    if (ids.length === 0) {
      return [];
    }
    return this.db
      .selectFrom("users")
      .selectAll()
      .where("organization_id", "=", organizationId)
      .where("id", "in", [...new Set(ids)])
      .execute();
  }

  async countActiveWithRole(organizationId: string, role: string): Promise<number> {
    const row = await this.db
      .selectFrom("users")
      .select((eb) => eb.fn.countAll<number | string>().as("n"))
      .where("organization_id", "=", organizationId)
      .where("role", "=", role)
      .where("removed_at", "is", null)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async update(id: string, changes: Partial<UserRow>): Promise<void> {
    await this.db.updateTable("users").set(changes).where("id", "=", id).execute();
  }
}
