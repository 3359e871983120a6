import type { Kysely } from "kysely";
import type { PageRequest, PageResult } from "../../core/pagination.js";
import type { UsageDeadLetterRow, UsageDeadLetters } from "../../core/usage/usage-store.js";
import { paginate } from "../repositories/pagination.js";
import type { DB } from "../schema.js";

/** Usage events that were refused or could not be written (migration 0013), on either engine. */
export class KyselyUsageDeadLetters implements UsageDeadLetters {
  constructor(private readonly db: Kysely<DB>) {}

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
