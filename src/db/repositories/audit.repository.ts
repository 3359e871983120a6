import { type Kysely, sql } from "kysely";
import type { PageRequest, PageResult } from "../../core/pagination.js";
import type { AuditEventRow, NewAuditEvent } from "../../core/records.js";
import type {
  AuditFilter,
  AuditRepository as AuditRepositoryPort,
} from "../../core/repositories.js";
import type { Dialect } from "../connect.js";
import type { DB } from "../schema.js";
import { paginate } from "./pagination.js";

/** The actors a member holds, and the table that says who holds each (`user_id`). */
const HELD_ACTORS = [
  ["admin_key", "admin_keys"],
  ["session", "console_sessions"],
] as const;

/** Appends only: nothing here updates or deletes a record. */
export class AuditRepository implements AuditRepositoryPort {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly dialect: Dialect,
  ) {}

  async insert(row: NewAuditEvent): Promise<void> {
    await this.db.insertInto("audit_events").values(row).execute();
  }

  /**
   * Serializes appends to one organization's chain until the transaction ends. SQLite needs no
   * lock: Kysely runs one SQLite transaction at a time.
   */
  async lockChain(organizationId: string): Promise<void> {
    if (this.dialect === "postgres") {
      await sql`select pg_advisory_xact_lock(hashtext(${`steward.audit:${organizationId}`}))`.execute(
        this.db,
      );
    }
  }

  /** The organization's latest record: where its chain continues. */
  head(organizationId: string): Promise<Pick<AuditEventRow, "chain_seq" | "hash"> | undefined> {
    return this.db
      .selectFrom("audit_events")
      .select(["chain_seq", "hash"])
      .where("organization_id", "=", organizationId)
      .orderBy("chain_seq", "desc")
      .limit(1)
      .executeTakeFirst();
  }

  exists(organizationId: string, id: string): Promise<boolean> {
    return this.db
      .selectFrom("audit_events")
      .select("id")
      .where("organization_id", "=", organizationId)
      .where("id", "=", id)
      .executeTakeFirst()
      .then((row) => row !== undefined);
  }

  page(
    organizationId: string,
    filter: AuditFilter,
    page: PageRequest,
  ): Promise<PageResult<AuditEventRow>> {
    return paginate(this.#filtered(organizationId, filter), "id", page);
  }

  /** Matching records in id order (oldest first unless `desc`), `batch` at a time. */
  async *scan(
    organizationId: string,
    filter: AuditFilter,
    { order = "asc", batch = 1000 }: { order?: "asc" | "desc"; batch?: number } = {},
  ): AsyncGenerator<AuditEventRow> {
    let after: string | undefined;
    for (;;) {
      const { data, hasMore } = await this.page(organizationId, filter, {
        limit: batch,
        order,
        ...(after !== undefined && { after_id: after }),
      });
      yield* data;
      const last = data.at(-1);
      if (!hasMore || last === undefined) {
        return;
      }
      after = last.id;
    }
  }

  /** Organizations that have records ('' holds failures no organization can be told of). */
  async chains(): Promise<string[]> {
    const rows = await this.db
      .selectFrom("audit_events")
      .select("organization_id")
      .distinct()
      .orderBy("organization_id")
      .execute();
    return rows.map((row) => row.organization_id);
  }

  /** One organization's records in storage order (`seq`), for verifying its chain. */
  async *chain(organizationId: string, batch = 1000): AsyncGenerator<AuditEventRow> {
    let after = -1;
    for (;;) {
      const rows = await this.db
        .selectFrom("audit_events")
        .selectAll()
        .where("organization_id", "=", organizationId)
        .where("seq", ">", after)
        .orderBy("seq")
        .limit(batch)
        .execute();
      yield* rows;
      const last = rows.at(-1);
      if (rows.length < batch || last === undefined) {
        return;
      }
      after = Number(last.seq);
    }
  }

  /** In insertion order. */
  list(organizationId: string): Promise<AuditEventRow[]> {
    return this.db
      .selectFrom("audit_events")
      .selectAll()
      .where("organization_id", "=", organizationId)
      .orderBy("seq")
      .execute();
  }

  #filtered(organizationId: string, filter: AuditFilter) {
    let query = this.db
      .selectFrom("audit_events")
      .selectAll()
      .where("organization_id", "=", organizationId);
    if (filter.actorType !== undefined) {
      query = query.where("actor_type", "=", filter.actorType);
    }
    if (filter.actorId !== undefined) {
      query = query.where("actor_id", "=", filter.actorId);
    }
    if (filter.actorUserId !== undefined) {
      const userId = filter.actorUserId;
      // Records store the actor (a key, a session); who holds it is in admin_keys and
      // console_sessions, whose rows are never deleted, so old records still resolve.
      query = query.where((eb) =>
        eb.or(
          HELD_ACTORS.map(([actorType, table]) =>
            eb.and([
              eb("actor_type", "=", actorType),
              eb(
                "actor_id",
                "in",
                eb
                  .selectFrom(table)
                  .select("id")
                  .where("organization_id", "=", organizationId)
                  .where("user_id", "=", userId),
              ),
            ]),
          ),
        ),
      );
    }
    if (filter.action !== undefined) {
      query = query.where("action", "=", filter.action);
    }
    if (filter.targetType !== undefined) {
      query = query.where("target_type", "=", filter.targetType);
    }
    if (filter.targetId !== undefined) {
      query = query.where("target_id", "=", filter.targetId);
    }
    if (filter.from !== undefined) {
      query = query.where("occurred_at", ">=", filter.from);
    }
    if (filter.to !== undefined) {
      query = query.where("occurred_at", "<", filter.to);
    }
    return query;
  }
}
