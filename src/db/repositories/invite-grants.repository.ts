import type { Kysely } from "kysely";
import type { InviteGrantKind, InviteGrantRow } from "../../core/records.js";
import type { InviteGrantRepository as InviteGrantRepositoryPort } from "../../core/repositories.js";
import type { DB } from "../schema.js";

export class InviteGrantRepository implements InviteGrantRepositoryPort {
  constructor(private readonly db: Kysely<DB>) {}

  async insert(row: InviteGrantRow): Promise<void> {
    await this.db.insertInto("invite_grants").values(row).execute();
  }

  listForInvite(inviteId: string, kind: InviteGrantKind): Promise<InviteGrantRow[]> {
    return this.db
      .selectFrom("invite_grants")
      .selectAll()
      .where("invite_id", "=", inviteId)
      .where("kind", "=", kind)
      .orderBy("target_id")
      .execute();
  }
}
