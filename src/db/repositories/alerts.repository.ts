import { type Kysely, sql } from "kysely";
import type { PageRequest, PageResult } from "../../core/pagination.js";
import type {
  AlertDeliveryAttemptRow,
  AlertDeliveryRow,
  AlertFiringRow,
  AlertRuleRow,
} from "../../core/records.js";
import type {
  AlertRepository as AlertRepositoryPort,
  DeliveryFilter,
} from "../../core/repositories.js";
import type { Dialect } from "../connect.js";
import type { DB } from "../schema.js";
import { paginate } from "./pagination.js";

export class AlertRepository implements AlertRepositoryPort {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly dialect: Dialect,
  ) {}

  // Rules

  async insertRule(row: AlertRuleRow): Promise<void> {
    await this.db.insertInto("alert_rules").values(row).execute();
  }

  async updateRule(id: string, changes: Partial<AlertRuleRow>): Promise<void> {
    await this.db.updateTable("alert_rules").set(changes).where("id", "=", id).execute();
  }

  findRule(organizationId: string, id: string): Promise<AlertRuleRow | undefined> {
    return this.db
      .selectFrom("alert_rules")
      .selectAll()
      .where("organization_id", "=", organizationId)
      .where("id", "=", id)
      .where("deleted_at", "is", null)
      .executeTakeFirst();
  }

  listRules(organizationId: string, page: PageRequest): Promise<PageResult<AlertRuleRow>> {
    const q = this.db
      .selectFrom("alert_rules")
      .selectAll()
      .where("organization_id", "=", organizationId)
      .where("deleted_at", "is", null);
    return paginate(q, "id", page);
  }

  /** The enabled rules of an organization: what a batch of its usage is checked against. */
  enabledRules(organizationId: string): Promise<AlertRuleRow[]> {
    return this.db
      .selectFrom("alert_rules")
      .selectAll()
      .where("organization_id", "=", organizationId)
      .where("deleted_at", "is", null)
      .where("enabled", "=", 1)
      .orderBy("id")
      .execute();
  }

  // Firings

  /** Threshold keys of a rule that already fired in a period. */
  async firedKeys(ruleId: string, periodStart: string): Promise<Set<string>> {
    const rows = await this.db
      .selectFrom("alert_firings")
      .select("threshold_key")
      .where("rule_id", "=", ruleId)
      .where("period_start", "=", periodStart)
      .execute();
    return new Set(rows.map((row) => row.threshold_key));
  }

  /** Records a firing unless this rule, threshold and period already fired; true if it is new. */
  async insertFiring(row: AlertFiringRow): Promise<boolean> {
    const inserted = await this.db
      .insertInto("alert_firings")
      .values(row)
      .onConflict((oc) => oc.columns(["rule_id", "threshold_key", "period_start"]).doNothing())
      .returning("id")
      .executeTakeFirst();
    return inserted !== undefined;
  }

  // Deliveries

  async insertDeliveries(rows: readonly AlertDeliveryRow[]): Promise<void> {
    if (rows.length > 0) {
      await this.db
        .insertInto("alert_deliveries")
        .values([...rows])
        .execute();
    }
  }

  findDelivery(organizationId: string, id: string): Promise<AlertDeliveryRow | undefined> {
    return this.db
      .selectFrom("alert_deliveries")
      .selectAll()
      .where("organization_id", "=", organizationId)
      .where("id", "=", id)
      .executeTakeFirst();
  }

  findDeliveries(organizationId: string, ids: readonly string[]): Promise<AlertDeliveryRow[]> {
    if (ids.length === 0) {
      return Promise.resolve([]);
    }
    return this.db
      .selectFrom("alert_deliveries")
      .selectAll()
      .where("organization_id", "=", organizationId)
      .where("id", "in", ids)
      .orderBy("id")
      .execute();
  }

  listDeliveries(
    organizationId: string,
    filter: DeliveryFilter,
    page: PageRequest,
  ): Promise<PageResult<AlertDeliveryRow>> {
    let q = this.db
      .selectFrom("alert_deliveries")
      .selectAll()
      .where("organization_id", "=", organizationId);
    if (filter.ruleId !== undefined) {
      q = q.where("rule_id", "=", filter.ruleId);
    }
    if (filter.status !== undefined) {
      q = q.where("status", "=", filter.status);
    }
    return paginate(q, "id", page);
  }

  /**
   * Claims up to `limit` pending deliveries due at `now` (or only those of `ids`) by moving their
   * due time to `leaseUntil`: another dispatcher skips them until then, and if this one dies
   * mid-send they come due again. PostgreSQL skips rows another node is claiming.
   */
  async claimDue(
    now: string,
    leaseUntil: string,
    limit: number,
    ids?: readonly string[],
  ): Promise<AlertDeliveryRow[]> {
    if (ids !== undefined && ids.length === 0) {
      return [];
    }
    let q = this.db
      .selectFrom("alert_deliveries")
      .selectAll()
      .where("status", "=", "pending")
      .where("next_attempt_at", "<=", now);
    if (ids !== undefined) {
      q = q.where("id", "in", ids);
    }
    q = q.orderBy("next_attempt_at").orderBy("id").limit(limit);
    const rows = await (this.dialect === "postgres" ? q.forUpdate().skipLocked() : q).execute();
    if (rows.length > 0) {
      await this.db
        .updateTable("alert_deliveries")
        .set({ next_attempt_at: leaseUntil, updated_at: now })
        .where(
          "id",
          "in",
          rows.map((row) => row.id),
        )
        .execute();
    }
    return rows;
  }

  /**
   * Records the outcome of an attempt on a delivery still pending; false if it was no longer
   * pending (another dispatcher finished it), and nothing is written then.
   */
  async finishAttempt(
    id: string,
    changes: Partial<AlertDeliveryRow>,
    attempt: AlertDeliveryAttemptRow,
  ): Promise<boolean> {
    const result = await this.db
      .updateTable("alert_deliveries")
      .set({ ...changes, attempt_count: sql`attempt_count + 1` })
      .where("id", "=", id)
      .where("status", "=", "pending")
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) {
      return false;
    }
    await this.db.insertInto("alert_delivery_attempts").values(attempt).execute();
    return true;
  }

  async attemptsOf(deliveryIds: readonly string[]): Promise<AlertDeliveryAttemptRow[]> {
    if (deliveryIds.length === 0) {
      return [];
    }
    return this.db
      .selectFrom("alert_delivery_attempts")
      .selectAll()
      .where("delivery_id", "in", deliveryIds)
      .orderBy("delivery_id")
      .orderBy("attempted_at")
      .orderBy("id")
      .execute();
  }
}
