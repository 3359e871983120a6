import type { APIPromise } from "../core/api-promise.js";
import type { PagePromise } from "../core/pagination.js";
import { APIResource } from "../core/resource.js";
import type { components, operations } from "../generated/api.js";
import type { RequestOptions } from "../internal/request-options.js";
import type { BodyOf, QueryOf, ResponseOf } from "../internal/types.js";

/** A cost alert rule: scope, period, thresholds and channels. */
export type AlertRule = components["schemas"]["AlertRule"];
/** A threshold: `{type: "usd", amount_usd}` or `{type: "percent_of_limit", percent}`. */
export type AlertThreshold = components["schemas"]["AlertThreshold"];
/** A channel as the server shows it (credentials `null`, with a hint). */
export type AlertChannel = components["schemas"]["AlertChannel"];
/** `{name, scope, period?, thresholds, channels, enabled?}`. */
export type AlertRuleCreateParams = BodyOf<operations["createAlertRule"]>;
/** Any of the create fields; `channels` replaces the list. */
export type AlertRuleUpdateParams = BodyOf<operations["updateAlertRule"]>;
/** Paging. */
export type AlertRuleListParams = QueryOf<operations["listAlertRules"]>;
/** `{id, type: "alert_rule_deleted"}`. */
export type AlertRuleDeleteResponse = ResponseOf<operations["deleteAlertRule"]>;
/** `{data: [deliveries]}`: the test message's delivery to each channel, first attempt made. */
export type AlertRuleTestResponse = ResponseOf<operations["testAlertRule"]>;
/** One delivery of an alert (or test) to one channel, with every attempt. */
export type AlertDelivery = components["schemas"]["AlertDelivery"];
/** The alert a delivery carries. */
export type AlertMessage = components["schemas"]["AlertMessage"];
/** Paging and the filters `rule_id`, `status`. */
export type AlertDeliveryListParams = QueryOf<operations["listAlertDeliveries"]>;

/** `admin.alerts.rules`. */
export class Rules extends APIResource {
  /**
   * Alert rules, oldest first.
   *
   * @example
   * ```ts
   * for await (const rule of admin.alerts.rules.list()) {
   *   console.log(rule.name, rule.enabled);
   * }
   * ```
   */
  list(query: AlertRuleListParams = {}, options?: RequestOptions): PagePromise<AlertRule> {
    return this._client._list("alerts.rules.list", { query }, options);
  }

  /**
   * Creates a rule. Webhook secrets (generated when not given) are in this answer only.
   *
   * @example
   * ```ts
   * const rule = await admin.alerts.rules.create({
   *   name: "Team budget",
   *   scope: { type: "workspace", workspace_id: "wrkspc_01…" },
   *   thresholds: [{ type: "percent_of_limit", percent: 80 }, { type: "usd", amount_usd: 1500 }],
   *   channels: [{ type: "webhook", url: "https://hooks.example.com/steward" }],
   * });
   * ```
   */
  create(body: AlertRuleCreateParams, options?: RequestOptions): APIPromise<AlertRule> {
    return this._client._call("alerts.rules.create", { body }, options);
  }

  /**
   * One rule.
   *
   * @example
   * ```ts
   * const rule = await admin.alerts.rules.retrieve("alertrule_01…");
   * ```
   */
  retrieve(ruleId: string, options?: RequestOptions): APIPromise<AlertRule> {
    return this._client._call(
      "alerts.rules.retrieve",
      { params: { alert_rule_id: ruleId } },
      options,
    );
  }

  /**
   * Updates a rule.
   *
   * @example
   * ```ts
   * await admin.alerts.rules.update("alertrule_01…", { enabled: false });
   * ```
   */
  update(
    ruleId: string,
    body: AlertRuleUpdateParams,
    options?: RequestOptions,
  ): APIPromise<AlertRule> {
    return this._client._call(
      "alerts.rules.update",
      { params: { alert_rule_id: ruleId }, body },
      options,
    );
  }

  /**
   * Deletes a rule (its deliveries stay readable).
   *
   * @example
   * ```ts
   * await admin.alerts.rules.delete("alertrule_01…");
   * ```
   */
  delete(ruleId: string, options?: RequestOptions): APIPromise<AlertRuleDeleteResponse> {
    return this._client._call(
      "alerts.rules.delete",
      { params: { alert_rule_id: ruleId } },
      options,
    );
  }

  /**
   * Sends a test message to every channel of the rule and answers the deliveries, first attempt
   * made.
   *
   * @example
   * ```ts
   * const { data } = await admin.alerts.rules.test("alertrule_01…");
   * console.log(data.map((d) => d.status));
   * ```
   */
  test(ruleId: string, options?: RequestOptions): APIPromise<AlertRuleTestResponse> {
    return this._client._call("alerts.rules.test", { params: { alert_rule_id: ruleId } }, options);
  }
}

/** `admin.alerts.deliveries`. */
export class Deliveries extends APIResource {
  /**
   * Deliveries, oldest first; `order: "desc"` for newest first.
   *
   * @example
   * ```ts
   * for await (const delivery of admin.alerts.deliveries.list({ status: "failed" })) {
   *   console.log(delivery.id, delivery.last_error);
   * }
   * const newest = await admin.alerts.deliveries.list({ order: "desc", limit: 10 });
   * ```
   */
  list(query: AlertDeliveryListParams = {}, options?: RequestOptions): PagePromise<AlertDelivery> {
    return this._client._list("alerts.deliveries.list", { query }, options);
  }

  /**
   * One delivery, with every attempt.
   *
   * @example
   * ```ts
   * const delivery = await admin.alerts.deliveries.retrieve("alertdlv_01…");
   * ```
   */
  retrieve(deliveryId: string, options?: RequestOptions): APIPromise<AlertDelivery> {
    return this._client._call(
      "alerts.deliveries.retrieve",
      { params: { alert_delivery_id: deliveryId } },
      options,
    );
  }
}

/** `admin.alerts`: cost alert rules and their deliveries. */
export class AlertsResource extends APIResource {
  readonly rules: Rules = new Rules(this._client);
  readonly deliveries: Deliveries = new Deliveries(this._client);
}
