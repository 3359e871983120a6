import type { Kysely } from "kysely";
import type { PageRequest, PageResult } from "../../core/pagination.js";
import type { DB, UsageDeadLetterRow } from "../schema.js";
import { paginate } from "./pagination.js";

/** Usage events that were refused or could not be written (migration 0013). */
export class UsageDeadLetterRepository {
  constructor(private readonly db: Kysely<DB>) {}

  /** Inserts dead letters; an event already kept (same organization and event id) is skipped. */
  async insert(rows: readonly UsageDeadLetterRow[]): Promise<void> {
    if (rows.length === 0) {
      return;
    }
    await this.db
      .insertInto("usage_dead_letters")
      .values([...rows])
      .onConflict((oc) => oc.columns(["organization_id", "event_id"]).doNothing())
      .execute();
  }

  find(organizationId: string, id: string): Promise<UsageDeadLetterRow | undefined> {
    return this.db
      .selectFrom("usage_dead_letters")
      .selectAll()
      .where("organization_id", "=", organizationId)
      .where("id", "=", id)
      .executeTakeFirst();
  }

  list(
    organizationId: string,
    filter: { reason?: string | undefined },
    page: PageRequest,
  ): Promise<PageResult<UsageDeadLetterRow>> {
    let q = this.db
      .selectFrom("usage_dead_letters")
      .selectAll()
      .where("organization_id", "=", organizationId);
    if (filter.reason !== undefined) {
      q = q.where("reason", "=", filter.reason);
    }
    return paginate(q, "id", page);
  }
}
