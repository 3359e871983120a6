import type { Kysely } from "kysely";
import type { ChangeRecord } from "../../core/records.js";
import type { ChangeLogRepository as ChangeLogPort } from "../../core/repositories.js";
import type { DB } from "../schema.js";

export class ChangeLogRepository implements ChangeLogPort {
  constructor(private readonly db: Kysely<DB>) {}

  async latestSeq(): Promise<number> {
    const row = await this.db
      .selectFrom("change_log")
      .select((eb) => eb.fn.max("seq").as("seq"))
      .executeTakeFirst();
    return Number(row?.seq ?? 0);
  }

  since(afterSeq: number, alsoSeqs: readonly number[], limit: number): Promise<ChangeRecord[]> {
    return this.db
      .selectFrom("change_log")
      .select(["seq", "entity", "entity_id", "origin"])
      .where((eb) =>
        alsoSeqs.length === 0
          ? eb("seq", ">", afterSeq)
          : eb.or([eb("seq", ">", afterSeq), eb("seq", "in", [...alsoSeqs])]),
      )
      .orderBy("seq")
      .limit(limit)
      .execute();
  }

  async prune(before: string): Promise<number> {
    const result = await this.db
      .deleteFrom("change_log")
      .where("changed_at", "<", before)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
