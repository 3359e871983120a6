import type { Kysely } from "kysely";
import type { IdempotencyKeyRow } from "../../core/records.js";
import type {
  IdempotencyKeyRepository as IdempotencyKeyRepositoryPort,
  StoredResponse,
} from "../../core/repositories.js";
import type { DB } from "../schema.js";

export class IdempotencyKeyRepository implements IdempotencyKeyRepositoryPort {
  constructor(private readonly db: Kysely<DB>) {}

  /** The record of a key, unless it has expired by `now`. */
  findLive(keyHash: string, now: string): Promise<IdempotencyKeyRow | undefined> {
    return this.db
      .selectFrom("idempotency_keys")
      .selectAll()
      .where("key_hash", "=", keyHash)
      .where("expires_at", ">", now)
      .executeTakeFirst();
  }

  /**
   * Records a key, or takes over its record when that has expired by `now`. False when a live
   * record exists: another request holds the key. On PostgreSQL a concurrent uncommitted insert of
   * the same key makes this wait for that transaction, then answer false if it committed.
   */
  async insertUnlessLive(row: IdempotencyKeyRow, now: string): Promise<boolean> {
    const { key_hash: _key, ...fresh } = row;
    const inserted = await this.db
      .insertInto("idempotency_keys")
      .values(row)
      .onConflict((oc) =>
        oc.column("key_hash").doUpdateSet(fresh).where("idempotency_keys.expires_at", "<=", now),
      )
      .returning("key_hash")
      .executeTakeFirst();
    return inserted !== undefined;
  }

  /** Stores the response of a request whose work committed with its record. */
  async complete(keyHash: string, response: StoredResponse): Promise<boolean> {
    const result = await this.db
      .updateTable("idempotency_keys")
      .set({ status: "completed", ...response })
      .where("key_hash", "=", keyHash)
      .where("status", "=", "committed")
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Deletes the records expired by `now`; how many. */
  async deleteExpired(now: string): Promise<number> {
    const result = await this.db
      .deleteFrom("idempotency_keys")
      .where("expires_at", "<=", now)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
