import type { Kysely } from "kysely";
import type {
  ConsoleSessionRow,
  ConsoleSessionWithUser,
  SignInLinkRow,
} from "../../core/records.js";
import type { SessionRepository as SessionRepositoryPort } from "../../core/repositories.js";
import type { DB } from "../schema.js";

export class SessionRepository implements SessionRepositoryPort {
  constructor(private readonly db: Kysely<DB>) {}

  async insert(row: ConsoleSessionRow): Promise<void> {
    await this.db.insertInto("console_sessions").values(row).execute();
  }

  findBySecretHash(secretHash: string): Promise<ConsoleSessionWithUser | undefined> {
    return this.db
      .selectFrom("console_sessions as s")
      .innerJoin("users as u", "u.id", "s.user_id")
      .selectAll("s")
      .select([
        "u.email as user_email",
        "u.name as user_name",
        "u.role as user_role",
        "u.removed_at as user_removed_at",
      ])
      .where("s.secret_hash", "=", secretHash)
      .executeTakeFirst();
  }

  find(id: string): Promise<ConsoleSessionRow | undefined> {
    return this.db
      .selectFrom("console_sessions")
      .selectAll()
      .where("id", "=", id)
      .executeTakeFirst();
  }

  async touch(id: string, lastSeenAt: string): Promise<void> {
    await this.db
      .updateTable("console_sessions")
      .set({ last_seen_at: lastSeenAt })
      .where("id", "=", id)
      .execute();
  }

  async end(id: string, endedAt: string, reason: string): Promise<boolean> {
    const result = await this.db
      .updateTable("console_sessions")
      .set({ ended_at: endedAt, ended_reason: reason })
      .where("id", "=", id)
      .where("ended_at", "is", null)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  listLiveForUser(userId: string): Promise<ConsoleSessionRow[]> {
    return this.db
      .selectFrom("console_sessions")
      .selectAll()
      .where("user_id", "=", userId)
      .where("ended_at", "is", null)
      .orderBy("id")
      .execute();
  }

  async insertLink(row: SignInLinkRow): Promise<void> {
    await this.db.insertInto("console_sign_in_links").values(row).execute();
  }

  useLink(tokenHash: string, now: string): Promise<SignInLinkRow | undefined> {
    // One statement: of two concurrent uses of a link, only one finds it unused.
    return this.db
      .updateTable("console_sign_in_links")
      .set({ used_at: now })
      .where("token_hash", "=", tokenHash)
      .where("used_at", "is", null)
      .where("expires_at", ">", now)
      .returningAll()
      .executeTakeFirst();
  }
}
