import { z } from "zod";
import {
  AlertDelivery,
  AlertDeliveryListQuery,
  AlertDeliveryPage,
  AlertRule,
  AlertRuleCreateParams,
  AlertRuleDeleteResponse,
  AlertRuleListQuery,
  AlertRulePage,
  AlertRuleUpdateParams,
  AlertTestResponse,
} from "../../contract/alerts.js";
import { errorResponses } from "../../contract/common.js";
import type { Services } from "../../core/services.js";
import type { ZodApp } from "../types.js";
import { TAG } from "./docs/tags.js";

const BASE = "/v1/organizations";
const RuleIdParams = z.object({ alert_rule_id: z.string().min(1) });
const DeliveryIdParams = z.object({ alert_delivery_id: z.string().min(1) });

/** Cost alert rules and their deliveries (docs/alerts.md). */
export function registerAlertRoutes(app: ZodApp, s: Services): void {
  const tags = [TAG.alerts];
  app.post(
    `${BASE}/alert_rules`,
    {
      config: { idempotent: true },
      schema: {
        operationId: "createAlertRule",
        tags,
        body: AlertRuleCreateParams,
        response: { 200: AlertRule, ...errorResponses },
      },
    },
    (request) => s.alerts.create(request.ctx, request.body),
  );
  app.get(
    `${BASE}/alert_rules`,
    {
      schema: {
        operationId: "listAlertRules",
        tags,
        querystring: AlertRuleListQuery,
        response: { 200: AlertRulePage, ...errorResponses },
      },
    },
    (request) => s.alerts.list(request.ctx, request.query),
  );
  app.get(
    `${BASE}/alert_rules/:alert_rule_id`,
    {
      schema: {
        operationId: "getAlertRule",
        tags,
        params: RuleIdParams,
        response: { 200: AlertRule, ...errorResponses },
      },
    },
    (request) => s.alerts.get(request.ctx, request.params.alert_rule_id),
  );
  app.post(
    `${BASE}/alert_rules/:alert_rule_id`,
    {
      config: { idempotent: true },
      schema: {
        operationId: "updateAlertRule",
        tags,
        params: RuleIdParams,
        body: AlertRuleUpdateParams,
        response: { 200: AlertRule, ...errorResponses },
      },
    },
    (request) => s.alerts.update(request.ctx, request.params.alert_rule_id, request.body),
  );
  app.delete(
    `${BASE}/alert_rules/:alert_rule_id`,
    {
      config: { idempotent: true },
      schema: {
        operationId: "deleteAlertRule",
        tags,
        params: RuleIdParams,
        response: { 200: AlertRuleDeleteResponse, ...errorResponses },
      },
    },
    (request) => s.alerts.delete(request.ctx, request.params.alert_rule_id),
  );
  app.post(
    `${BASE}/alert_rules/:alert_rule_id/test`,
    {
      config: { idempotent: true },
      schema: {
        operationId: "testAlertRule",
        tags,
        params: RuleIdParams,
        response: { 200: AlertTestResponse, ...errorResponses },
      },
    },
    (request) => s.alerts.test(request.ctx, request.params.alert_rule_id),
  );
  app.get(
    `${BASE}/alert_deliveries`,
    {
      schema: {
        operationId: "listAlertDeliveries",
        tags,
        querystring: AlertDeliveryListQuery,
        response: { 200: AlertDeliveryPage, ...errorResponses },
      },
    },
    (request) => s.alerts.listDeliveries(request.ctx, request.query),
  );
  app.get(
    `${BASE}/alert_deliveries/:alert_delivery_id`,
    {
      schema: {
        operationId: "getAlertDelivery",
        tags,
        params: DeliveryIdParams,
        response: { 200: AlertDelivery, ...errorResponses },
      },
    },
    (request) => s.alerts.getDelivery(request.ctx, request.params.alert_delivery_id),
  );
}
