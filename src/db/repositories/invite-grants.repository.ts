import type { Kysely } from "kysely";
import type { DB, InviteGrantRow, InviteGrantsTable } from "../schema.js";

export type InviteGrantKind = "workspace_member" | "api_key";

/** What an onboarded invitee receives on accepting: workspace memberships and API keys. */
export class InviteGrantRepository {
  constructor(private readonly db: Kysely<DB>) {}

  async insert(row: InviteGrantsTable): Promise<void> {
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
