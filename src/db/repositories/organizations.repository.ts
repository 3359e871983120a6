import { type Kysely, sql } from "kysely";
import type { OrganizationRow } from "../../core/records.js";
import type { OrganizationRepository as OrganizationRepositoryPort } from "../../core/repositories.js";
import type { Dialect } from "../connect.js";
import type { DB } from "../schema.js";
import type { ChangeSet } from "../store.js";

export class OrganizationRepository implements OrganizationRepositoryPort {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly dialect: Dialect,
    private readonly changes: ChangeSet,
  ) {}

  async insert(row: OrganizationRow): Promise<void> {
    await this.db.insertInto("organizations").values(row).execute();
    this.changes.organizations.add(row.id);
  }

  find(id: string): Promise<OrganizationRow | undefined> {
    return this.db.selectFrom("organizations").selectAll().where("id", "=", id).executeTakeFirst();
  }

  list(): Promise<OrganizationRow[]> {
    return this.db.selectFrom("organizations").selectAll().orderBy("id").execute();
  }

  async update(id: string, changes: Partial<OrganizationRow>): Promise<void> {
    await this.db.updateTable("organizations").set(changes).where("id", "=", id).execute();
    this.changes.organizations.add(id);
  }

  /**
   * Serializes first-start bootstrap across nodes sharing one PostgreSQL database, so that two
   * nodes starting together create one organization, not two. Held until the transaction ends.
   */
  async lockBootstrap(): Promise<void> {
    if (this.dialect === "postgres") {
      await sql`select pg_advisory_xact_lock(hashtext('steward.bootstrap'))`.execute(this.db);
    }
  }

  /**
   * Serializes membership changes within one organization (last-owner and duplicate-invite rules
   * are read-then-write). PostgreSQL takes a row lock until the transaction ends; SQLite needs
   * none, since Kysely runs one SQLite transaction at a time. `no key update` is enough to
   * serialize these callers, and does not wait on the key-share locks that inserting a row that
   * references the organization takes: with `for update`, two transactions that had each written
   * such a row (an idempotency key's record) deadlocked on each other's lock.
   */
  async lock(id: string): Promise<void> {
    if (this.dialect === "postgres") {
      await sql`select id from organizations where id = ${id} for no key update`.execute(this.db);
    }
  }
}
