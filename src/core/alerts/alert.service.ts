import type {
  AlertDelivery,
  AlertDeliveryListQuery,
  AlertRule,
  AlertRuleCreateParams,
  AlertRuleUpdateParams,
  AlertThreshold,
} from "../../contract/alerts.js";
import type { ListQuery } from "../../contract/common.js";
import { recordAudit } from "../audit.js";
import type { RequestContext, ServiceDeps } from "../context.js";
import { invalidRequest, notFound } from "../errors.js";
import type { Mailer } from "../mail/mailer.js";
import { OutboundPolicy, type OutboundPolicyOptions } from "../net/outbound-guard.js";
import { checkCursor, type Page, toPage } from "../pagination.js";
import type { AlertDeliveryAttemptRow, AlertDeliveryRow, AlertRuleRow } from "../records.js";
import type { Repositories } from "../repositories.js";
import type { UsageFeed } from "../usage/usage-feed.js";
import { ChannelSender } from "./channels.js";
import {
  AlertDispatcher,
  DEFAULT_DISPATCHER_OPTIONS,
  type DispatcherOptions,
} from "./dispatcher.js";
import { AlertEvaluator, queueDeliveries, scopeOf, spendOf } from "./evaluator.js";
import {
  type AlertPeriod,
  channelTarget,
  channelUrl,
  periodOf,
  presentChannel,
  type StoredChannel,
  storeChannels,
  thresholdNanos,
} from "./model.js";

export interface AlertServiceOptions {
  usageFeed: UsageFeed;
  mailer?: Mailer | undefined;
  dispatcher?: Partial<DispatcherOptions>;
  /**
   * Which destinations channels may reach: internal addresses are refused unless allowed
   * (`OUTBOUND_ALLOW`), when a rule is saved and, authoritatively, as each delivery connects.
   */
  outbound?: OutboundPolicyOptions | undefined;
  /** Told what failed in an evaluation or a delivery, which nobody awaits. */
  onError: (error: unknown) => void;
}

/**
 * Cost alerts: rules (`/v1/organizations/alert_rules`), their evaluation as usage is recorded,
 * and the delivery outbox (`/v1/organizations/alert_deliveries`).
 */
export class AlertService {
  readonly evaluator: AlertEvaluator;
  readonly dispatcher: AlertDispatcher;
  readonly #mailer: Mailer | undefined;
  readonly #policy: OutboundPolicy;
  readonly #sender: ChannelSender;
  readonly #usageFeed: UsageFeed;
  #unsubscribe: (() => void) | undefined;

  constructor(
    private readonly deps: ServiceDeps,
    options: AlertServiceOptions,
  ) {
    const onError = options.onError;
    this.#usageFeed = options.usageFeed;
    this.#mailer = options.mailer;
    this.#policy = new OutboundPolicy(options.outbound);
    const dispatcherOptions = { ...DEFAULT_DISPATCHER_OPTIONS, onError, ...options.dispatcher };
    this.#sender = new ChannelSender({
      timeoutMs: dispatcherOptions.timeoutMs,
      mailer: options.mailer,
      policy: this.#policy,
      onMailError: dispatcherOptions.onError,
    });
    this.dispatcher = new AlertDispatcher(
      deps.store,
      deps.clock,
      deps.ids,
      this.#sender,
      dispatcherOptions,
    );
    this.evaluator = new AlertEvaluator(deps.store, deps.clock, deps.ids, {
      onError: dispatcherOptions.onError,
      onQueued: () => this.dispatcher.kick(),
    });
  }

  /**
   * Evaluates rules as usage is recorded from now on, and delivers from the outbox every
   * `dispatchIntervalMs` (and as soon as one fires) when given; otherwise only when asked to.
   */
  start(dispatchIntervalMs?: number): void {
    this.#unsubscribe ??= this.#usageFeed.subscribe(this.evaluator);
    if (dispatchIntervalMs !== undefined) {
      this.dispatcher.start(dispatchIntervalMs);
    }
  }

  /** Waits for evaluations in flight (tests call it before dispatching). */
  settle(): Promise<void> {
    return this.evaluator.idle();
  }

  /** Stops delivering and waits for the evaluation and the send in progress. */
  async close(): Promise<void> {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    await this.evaluator.idle();
    await this.dispatcher.stop();
    await this.#sender.close();
  }

  // Rules

  async create(ctx: RequestContext, params: AlertRuleCreateParams): Promise<AlertRule> {
    this.#checkChannels(params.channels);
    return this.deps.store.transaction(async (repos) => {
      const workspaceId = params.scope.type === "workspace" ? params.scope.workspace_id : null;
      await this.#checkScope(repos, ctx, workspaceId, params.thresholds);
      const now = this.deps.clock.now().toISOString();
      const { channels, reveal } = storeChannels(params.channels);
      const row: AlertRuleRow = {
        id: this.deps.ids.next("alertRule"),
        organization_id: ctx.organizationId,
        name: params.name,
        scope_type: params.scope.type,
        workspace_id: workspaceId,
        period: params.period,
        thresholds: JSON.stringify(params.thresholds),
        channels: JSON.stringify(channels),
        enabled: params.enabled ? 1 : 0,
        created_at: now,
        updated_at: now,
        deleted_at: null,
      };
      await repos.alerts.insertRule(row);
      await recordAudit(repos, this.deps, ctx, {
        action: "alert_rule.created",
        targetType: "alert_rule",
        targetId: row.id,
        after: auditView(row),
      });
      return presentRule(row, reveal);
    });
  }

  async list(ctx: RequestContext, query: ListQuery): Promise<Page<AlertRule>> {
    const alerts = this.deps.store.read.alerts;
    await checkCursor(
      query,
      async (id) => (await alerts.findRule(ctx.organizationId, id)) !== undefined,
    );
    const page = await alerts.listRules(ctx.organizationId, query);
    return toPage(
      page,
      (row) => presentRule(row),
      (rule) => rule.id,
    );
  }

  async get(ctx: RequestContext, id: string): Promise<AlertRule> {
    return presentRule(await this.#find(this.deps.store.read, ctx, id));
  }

  async update(ctx: RequestContext, id: string, params: AlertRuleUpdateParams): Promise<AlertRule> {
    if (params.channels) {
      this.#checkChannels(params.channels);
    }
    return this.deps.store.transaction(async (repos) => {
      const row = await this.#find(repos, ctx, id);
      const changes: Partial<AlertRuleRow> = { updated_at: this.deps.clock.now().toISOString() };
      if (params.name !== undefined) {
        changes.name = params.name;
      }
      if (params.scope !== undefined) {
        changes.scope_type = params.scope.type;
        changes.workspace_id = params.scope.type === "workspace" ? params.scope.workspace_id : null;
      }
      if (params.period !== undefined) {
        changes.period = params.period;
      }
      if (params.thresholds !== undefined) {
        changes.thresholds = JSON.stringify(params.thresholds);
      }
      let reveal = new Set<number>();
      if (params.channels !== undefined) {
        const stored = storeChannels(params.channels, JSON.parse(row.channels) as StoredChannel[]);
        changes.channels = JSON.stringify(stored.channels);
        reveal = stored.reveal;
      }
      if (params.enabled !== undefined) {
        changes.enabled = params.enabled ? 1 : 0;
      }
      const after = { ...row, ...changes };
      if (params.scope !== undefined || params.thresholds !== undefined) {
        await this.#checkScope(
          repos,
          ctx,
          after.workspace_id,
          JSON.parse(after.thresholds) as AlertThreshold[],
        );
      }
      await repos.alerts.updateRule(id, changes);
      await recordAudit(repos, this.deps, ctx, {
        action: "alert_rule.updated",
        targetType: "alert_rule",
        targetId: id,
        before: auditView(row),
        after: auditView(after),
      });
      return presentRule(after, reveal);
    });
  }

  async delete(
    ctx: RequestContext,
    id: string,
  ): Promise<{ id: string; type: "alert_rule_deleted" }> {
    return this.deps.store.transaction(async (repos) => {
      const row = await this.#find(repos, ctx, id);
      const now = this.deps.clock.now().toISOString();
      // Kept (marked deleted) so that its deliveries still name it; queued ones are still sent.
      await repos.alerts.updateRule(id, { deleted_at: now, updated_at: now });
      await recordAudit(repos, this.deps, ctx, {
        action: "alert_rule.deleted",
        targetType: "alert_rule",
        targetId: id,
        before: auditView(row),
      });
      return { id, type: "alert_rule_deleted" as const };
    });
  }

  /**
   * Queues a test message to each of the rule's channels (the scope's current spend against the
   * rule's first threshold), sends it at once through the outbox, and returns the deliveries;
   * a failed send is retried like any other.
   */
  async test(ctx: RequestContext, id: string): Promise<{ data: AlertDelivery[] }> {
    const ids = await this.deps.store.transaction(async (repos) => {
      const rule = await this.#find(repos, ctx, id);
      const scope = await scopeOf(repos, rule);
      if (!scope) {
        throw invalidRequest(`the rule's workspace ${rule.workspace_id} no longer exists`);
      }
      const now = this.deps.clock.now();
      const period = periodOf(rule.period as AlertPeriod, now);
      const thresholds = JSON.parse(rule.thresholds) as AlertThreshold[];
      const threshold = thresholds[0] as AlertThreshold;
      const nanos = thresholdNanos(threshold, scope.limitMicros) ?? 0;
      const spend = await spendOf(repos, ctx.organizationId, scope, period);
      const rows = queueDeliveries(this.deps.ids, {
        kind: "test",
        firingId: null,
        rule,
        scope,
        period,
        threshold,
        thresholdNanos: nanos,
        spendNanos: spend,
        now,
      });
      await repos.alerts.insertDeliveries(rows);
      await recordAudit(repos, this.deps, ctx, {
        action: "alert_rule.tested",
        targetType: "alert_rule",
        targetId: rule.id,
        after: { deliveries: rows.map((row) => row.id) },
      });
      return rows.map((row) => row.id);
    });
    await this.dispatcher.runDue(ids);
    const rows = await this.deps.store.read.alerts.findDeliveries(ctx.organizationId, ids);
    return { data: await this.#presentDeliveries(rows) };
  }

  // Deliveries

  async listDeliveries(
    ctx: RequestContext,
    query: AlertDeliveryListQuery,
  ): Promise<Page<AlertDelivery>> {
    const alerts = this.deps.store.read.alerts;
    await checkCursor(
      query,
      async (id) => (await alerts.findDelivery(ctx.organizationId, id)) !== undefined,
    );
    const page = await alerts.listDeliveries(
      ctx.organizationId,
      { ruleId: query.rule_id, status: query.status },
      query,
    );
    const data = await this.#presentDeliveries(page.data);
    const first = data[0];
    const last = data[data.length - 1];
    return {
      data,
      has_more: page.hasMore,
      first_id: first?.id ?? null,
      last_id: last?.id ?? null,
    };
  }

  async getDelivery(ctx: RequestContext, id: string): Promise<AlertDelivery> {
    const row = await this.deps.store.read.alerts.findDelivery(ctx.organizationId, id);
    if (!row) {
      throw notFound("alert delivery", id);
    }
    const [delivery] = await this.#presentDeliveries([row]);
    return delivery as AlertDelivery;
  }

  async #presentDeliveries(rows: readonly AlertDeliveryRow[]): Promise<AlertDelivery[]> {
    const attempts = await this.deps.store.read.alerts.attemptsOf(rows.map((row) => row.id));
    const byDelivery = new Map<string, AlertDeliveryAttemptRow[]>();
    for (const attempt of attempts) {
      const list = byDelivery.get(attempt.delivery_id) ?? [];
      list.push(attempt);
      byDelivery.set(attempt.delivery_id, list);
    }
    return rows.map((row) => presentDelivery(row, byDelivery.get(row.id) ?? []));
  }

  async #find(repos: Repositories, ctx: RequestContext, id: string): Promise<AlertRuleRow> {
    const row = await repos.alerts.findRule(ctx.organizationId, id);
    if (!row) {
      throw notFound("alert rule", id);
    }
    return row;
  }

  #checkChannels(channels: AlertRuleCreateParams["channels"]): void {
    // An early, clear refusal of a destination that can only be internal; each delivery's
    // connection is checked again, on the address it connects to (OutboundPolicy).
    for (const [i, channel] of channels.entries()) {
      const target = channelUrl(channel);
      const refusal = target && this.#policy.urlRefusal(target.url);
      if (target && refusal !== undefined) {
        throw invalidRequest(
          `channels[${i}].${target.field}: ${refusal}; alerts are not sent to internal destinations unless the operator allows them (OUTBOUND_ALLOW)`,
        );
      }
    }
    const index = channels.findIndex((channel) => channel.type === "email");
    if (index >= 0 && !this.#mailer) {
      throw invalidRequest(
        `channels.${index}: email alerts need SMTP, and Steward has no SMTP_URL configured`,
      );
    }
  }

  /** The workspace must be the organization's; a percentage needs the scope's monthly limit. */
  async #checkScope(
    repos: Repositories,
    ctx: RequestContext,
    workspaceId: string | null,
    thresholds: readonly AlertThreshold[],
  ): Promise<void> {
    let limit: number | null;
    if (workspaceId !== null) {
      const workspace = await repos.workspaces.find(ctx.organizationId, workspaceId);
      if (!workspace) {
        throw invalidRequest(
          `scope.workspace_id: workspace ${JSON.stringify(workspaceId)} not found`,
        );
      }
      if (workspace.archived_at !== null) {
        throw invalidRequest(`scope.workspace_id: workspace ${workspaceId} is archived`);
      }
      limit = workspace.monthly_spend_limit_micros;
    } else {
      limit = (await repos.organizations.find(ctx.organizationId))?.usage_limit_micros ?? null;
    }
    const index = thresholds.findIndex((t) => t.type === "percent_of_limit");
    if (index >= 0 && limit === null) {
      throw invalidRequest(
        workspaceId === null
          ? `thresholds.${index}: a percentage needs the organization's monthly limit (billing.usage_limit_usd), and it has none`
          : `thresholds.${index}: a percentage needs the workspace's monthly limit (usage_limits.monthly_spend_usd), and it has none`,
      );
    }
  }
}

function presentRule(row: AlertRuleRow, reveal: ReadonlySet<number> = new Set()): AlertRule {
  const channels = JSON.parse(row.channels) as StoredChannel[];
  return {
    id: row.id,
    type: "alert_rule",
    name: row.name,
    scope: {
      type: row.scope_type as "organization" | "workspace",
      workspace_id: row.workspace_id,
    },
    period: row.period as AlertPeriod,
    thresholds: JSON.parse(row.thresholds) as AlertThreshold[],
    channels: channels.map((channel, i) => presentChannel(channel, reveal.has(i))),
    enabled: row.enabled === 1,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

/**
 * A rule for its audit record: the audit helper redacts `secret`; Slack urls and PagerDuty
 * routing keys are credentials too.
 */
function auditView(row: AlertRuleRow): unknown {
  const rule = presentRule(row);
  return {
    ...rule,
    channels: rule.channels.map((channel) =>
      channel.type === "slack"
        ? { ...channel, webhook_url: "[REDACTED]" }
        : channel.type === "pagerduty"
          ? { ...channel, routing_key: "[REDACTED]" }
          : channel,
    ),
  };
}

function presentDelivery(
  row: AlertDeliveryRow,
  attempts: readonly AlertDeliveryAttemptRow[],
): AlertDelivery {
  const channel = JSON.parse(row.channel) as StoredChannel;
  return {
    id: row.id,
    type: "alert_delivery",
    rule_id: row.rule_id,
    firing_id: row.firing_id,
    kind: row.kind as "alert" | "test",
    channel: { type: channel.type, target: channelTarget(channel) },
    status: row.status as AlertDelivery["status"],
    attempt_count: Number(row.attempt_count),
    attempts: attempts.map((a) => ({
      attempted_at: a.attempted_at,
      status_code: a.status_code === null ? null : Number(a.status_code),
      error: a.error,
      duration_ms: Number(a.duration_ms),
    })),
    next_attempt_at: row.status === "pending" ? row.next_attempt_at : null,
    expires_at: row.expires_at,
    created_at: row.created_at,
    delivered_at: row.delivered_at,
    last_error: row.last_error,
    message: JSON.parse(row.message),
  };
}
