import type { AlertThreshold } from "../../contract/alerts.js";
import type { Clock, IdSource, UsageListener } from "../ports.js";
import type { AlertDeliveryRow, AlertRuleRow } from "../records.js";
import type { Repositories } from "../repositories.js";
import type { Storage } from "../storage.js";
import type { UsageEventRow } from "../usage/usage-store.js";
import {
  type AlertPeriod,
  buildMessage,
  periodOf,
  type StoredChannel,
  thresholdKey,
  thresholdNanos,
} from "./model.js";

/** Deliveries are retried for this long after they are queued. */
export const DELIVERY_WINDOW_MS = 24 * 3_600_000;

interface Pending {
  workspaces: Set<string>;
  /** UTC days (`YYYY-MM-DD`) the events fell on: the periods to check. */
  days: Set<string>;
}

export interface Scope {
  type: "organization" | "workspace";
  id: string;
  name: string;
  limitMicros: number | null;
}

/**
 * The outbox rows of one message to each of a rule's channels, due now and retried for
 * DELIVERY_WINDOW_MS. An alert's deliveries share its firing's id as the message id; a test's
 * messages are each named by their delivery.
 */
export function queueDeliveries(
  ids: IdSource,
  f: {
    kind: "alert" | "test";
    firingId: string | null;
    rule: AlertRuleRow;
    scope: Scope;
    period: { start: string; end: string };
    threshold: AlertThreshold;
    thresholdNanos: number;
    spendNanos: number;
    now: Date;
  },
): AlertDeliveryRow[] {
  const at = f.now.toISOString();
  const expires = new Date(f.now.getTime() + DELIVERY_WINDOW_MS).toISOString();
  return (JSON.parse(f.rule.channels) as StoredChannel[]).map((channel) => {
    const deliveryId = ids.next("alertDelivery");
    const message = buildMessage({
      kind: f.kind,
      id: f.firingId ?? deliveryId,
      organizationId: f.rule.organization_id,
      rule: { id: f.rule.id, name: f.rule.name },
      scope: { type: f.scope.type, id: f.scope.id, name: f.scope.name },
      period: f.rule.period as AlertPeriod,
      periodStart: f.period.start,
      periodEnd: f.period.end,
      threshold: f.threshold,
      thresholdNanos: f.thresholdNanos,
      limitMicros: f.scope.limitMicros,
      spendNanos: f.spendNanos,
      firedAt: at,
    });
    return {
      id: deliveryId,
      organization_id: f.rule.organization_id,
      rule_id: f.rule.id,
      firing_id: f.firingId,
      kind: f.kind,
      channel: JSON.stringify(channel),
      message: JSON.stringify(message),
      status: "pending",
      attempt_count: 0,
      next_attempt_at: at,
      expires_at: expires,
      created_at: at,
      updated_at: at,
      delivered_at: null,
      last_error: null,
    };
  });
}

/** Reads a rule's scope: its name and monthly limit, or undefined if it is gone. */
export async function scopeOf(
  repos: Repositories,
  rule: Pick<AlertRuleRow, "organization_id" | "scope_type" | "workspace_id">,
): Promise<Scope | undefined> {
  if (rule.scope_type === "workspace" && rule.workspace_id !== null) {
    const workspace = await repos.workspaces.find(rule.organization_id, rule.workspace_id);
    return workspace
      ? {
          type: "workspace",
          id: workspace.id,
          name: workspace.name,
          limitMicros:
            workspace.monthly_spend_limit_micros === null
              ? null
              : Number(workspace.monthly_spend_limit_micros),
        }
      : undefined;
  }
  const organization = await repos.organizations.find(rule.organization_id);
  return organization
    ? {
        type: "organization",
        id: organization.id,
        name: organization.name,
        limitMicros:
          organization.usage_limit_micros === null ? null : Number(organization.usage_limit_micros),
      }
    : undefined;
}

/** A scope's recorded spend in a period, in nano-USD, from the day rollups. */
export function spendOf(
  repos: Repositories,
  organizationId: string,
  scope: Scope,
  period: { start: string; end: string },
): Promise<number> {
  return repos.usageRollups.spend(
    organizationId,
    period,
    scope.type === "workspace" ? scope.id : undefined,
  );
}

/**
 * Checks cost alert rules as usage is committed. Each batch marks its organizations, workspaces
 * and days as dirty; one evaluation at a time re-reads the period's spend of every affected rule
 * and records a firing for each threshold crossed, with the outbox rows of its deliveries, in one
 * transaction. The firing's unique key (rule, threshold, period start) makes a crossing fire once,
 * whatever the number of nodes or restarts.
 */
export class AlertEvaluator implements UsageListener {
  #pending = new Map<string, Pending>();
  #running: Promise<void> | undefined;

  constructor(
    private readonly store: Storage,
    private readonly clock: Clock,
    private readonly ids: IdSource,
    private readonly hooks: {
      onError: (error: unknown) => void;
      /** New deliveries are in the outbox. */
      onQueued: () => void;
    },
  ) {}

  usageRecorded(events: readonly UsageEventRow[]): void {
    for (const event of events) {
      let pending = this.#pending.get(event.organization_id);
      if (!pending) {
        pending = { workspaces: new Set(), days: new Set() };
        this.#pending.set(event.organization_id, pending);
      }
      pending.workspaces.add(event.workspace_id);
      pending.days.add(event.occurred_at.slice(0, 10));
    }
    this.#schedule();
  }

  /** Resolves once every batch heard so far has been evaluated. */
  async idle(): Promise<void> {
    while (this.#running) {
      await this.#running;
    }
  }

  #schedule(): void {
    if (this.#running || this.#pending.size === 0) {
      return;
    }
    this.#running = this.#drain().finally(() => {
      this.#running = undefined;
      this.#schedule();
    });
  }

  async #drain(): Promise<void> {
    while (this.#pending.size > 0) {
      const batch = this.#pending;
      this.#pending = new Map();
      for (const [organizationId, pending] of batch) {
        try {
          await this.evaluate(organizationId, pending.workspaces, pending.days);
        } catch (error) {
          this.hooks.onError(error);
        }
      }
    }
  }

  /** Checks the organization's rules that cover the workspaces, in the periods of the days. */
  async evaluate(
    organizationId: string,
    workspaces: ReadonlySet<string>,
    days: ReadonlySet<string>,
  ): Promise<void> {
    const read = this.store.read;
    const rules = await read.alerts.enabledRules(organizationId);
    let queued = false;
    for (const rule of rules) {
      if (rule.scope_type === "workspace" && !workspaces.has(rule.workspace_id ?? "")) {
        continue;
      }
      const period = rule.period as AlertPeriod;
      const starts = new Map<string, { start: string; end: string }>();
      for (const day of days) {
        const p = periodOf(period, new Date(`${day}T00:00:00.000Z`));
        starts.set(p.start, p);
      }
      const scope = await scopeOf(read, rule);
      if (!scope) {
        continue;
      }
      const thresholds = JSON.parse(rule.thresholds) as AlertThreshold[];
      for (const p of starts.values()) {
        const spend = await spendOf(read, organizationId, scope, p);
        const fired = await read.alerts.firedKeys(rule.id, p.start);
        const crossed = thresholds.flatMap((threshold) => {
          const nanos = thresholdNanos(threshold, scope.limitMicros);
          const key = thresholdKey(threshold);
          return nanos !== undefined && spend >= nanos && !fired.has(key)
            ? [{ threshold, nanos, key }]
            : [];
        });
        if (crossed.length > 0) {
          queued = (await this.#fire(rule, scope, p, spend, crossed)) || queued;
        }
      }
    }
    if (queued) {
      this.hooks.onQueued();
    }
  }

  async #fire(
    rule: AlertRuleRow,
    scope: Scope,
    period: { start: string; end: string },
    spend: number,
    crossed: Array<{ threshold: AlertThreshold; nanos: number; key: string }>,
  ): Promise<boolean> {
    return this.store.transaction(async (repos) => {
      const now = this.clock.now();
      const firedAt = now.toISOString();
      let any = false;
      for (const { threshold, nanos, key } of crossed) {
        const id = this.ids.next("alertFiring");
        const fresh = await repos.alerts.insertFiring({
          id,
          organization_id: rule.organization_id,
          rule_id: rule.id,
          threshold_key: key,
          period_start: period.start,
          fired_at: firedAt,
          spend_nanos: spend,
          threshold_nanos: nanos,
        });
        if (!fresh) {
          continue; // another node, or an earlier evaluation, fired it
        }
        any = true;
        const rows = queueDeliveries(this.ids, {
          kind: "alert",
          firingId: id,
          rule,
          scope,
          period,
          threshold,
          thresholdNanos: nanos,
          spendNanos: spend,
          now,
        });
        await repos.alerts.insertDeliveries(rows);
      }
      return any;
    });
  }
}
