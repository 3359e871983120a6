import type { Kysely } from "kysely";
import type { PageRequest, PageResult } from "../../core/pagination.js";
import type { InviteRow } from "../../core/records.js";
import type {
  InviteFilter,
  InviteRepository as InviteRepositoryPort,
} from "../../core/repositories.js";
import type { DB } from "../schema.js";
import { paginate } from "./pagination.js";

export class InviteRepository implements InviteRepositoryPort {
  constructor(private readonly db: Kysely<DB>) {}

  async insert(row: InviteRow): Promise<void> {
    await this.db.insertInto("invites").values(row).execute();
  }

  find(organizationId: string, id: string): Promise<InviteRow | undefined> {
    return this.db
      .selectFrom("invites")
      .selectAll()
      .where("organization_id", "=", organizationId)
      .where("id", "=", id)
      .executeTakeFirst();
  }

  findByTokenHash(tokenHash: string): Promise<InviteRow | undefined> {
    return this.db
      .selectFrom("invites")
      .selectAll()
      .where("token_hash", "=", tokenHash)
      .executeTakeFirst();
  }

  /** Invites for this email that are neither accepted, deleted nor expired at `now`. */
  findPendingByEmail(organizationId: string, email: string, now: string): Promise<InviteRow[]> {
    return this.db
      .selectFrom("invites")
      .selectAll()
      .where("organization_id", "=", organizationId)
      .where("email_lower", "=", email.toLowerCase())
      .where("accepted_at", "is", null)
      .where("deleted_at", "is", null)
      .where("expires_at", ">", now)
      .execute();
  }

  /** Deleted invites are gone from lists; accepted and expired ones stay visible. */
  list(
    organizationId: string,
    filter: InviteFilter,
    now: string,
    page: PageRequest,
  ): Promise<PageResult<InviteRow>> {
    let q = this.db
      .selectFrom("invites")
      .selectAll()
      .where("organization_id", "=", organizationId)
      .where("deleted_at", "is", null);
    if (filter.email !== undefined) {
      q = q.where("email_lower", "=", filter.email.toLowerCase());
    }
    if (filter.roles !== undefined && filter.roles.length > 0) {
      q = q.where("role", "in", filter.roles);
    }
    const statuses = filter.statuses;
    if (statuses !== undefined && statuses.length > 0) {
      q = q.where((eb) =>
        eb.or(
          statuses.map((status) => {
            if (status === "accepted") {
              return eb("accepted_at", "is not", null);
            }
            return eb.and([
              eb("accepted_at", "is", null),
              eb("expires_at", status === "pending" ? ">" : "<=", now),
            ]);
          }),
        ),
      );
    }
    return paginate(q, "id", page);
  }

  async update(id: string, changes: Partial<InviteRow>): Promise<void> {
    await this.db.updateTable("invites").set(changes).where("id", "=", id).execute();
  }
}
