/**
 * The Steward Admin API's types, generated from the server's /openapi.json by
 * scripts/generate-sdk-types.ts (openapi-typescript). Do not edit: run `npm run sdk:generate`.
 */
export interface paths {
  "/v1/invites/accept": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Accept an invite with its one-time token and join the organization */
    post: operations["acceptInvite"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/organizations": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Get the organization of the calling admin key */
    get: operations["seedGetOrganization"];
    put?: never;
    /** Update the organization's name, settings and billing limit */
    post: operations["seedUpdateOrganization"];
    delete?: never;
    options?: never;
    head?: never;
    /** Update the organization's name, settings and billing limit */
    patch: operations["seedPatchOrganization"];
    trace?: never;
  };
  "/v1/organizations/me": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The organization of the calling admin key */
    get: operations["getOrganizationMe"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/users": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations["seedListUsers"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/users/{user_id}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations["seedGetUser"];
    put?: never;
    post?: never;
    /** Remove a member and revoke every API key they created or were issued */
    delete: operations["seedRemoveUser"];
    options?: never;
    head?: never;
    patch: operations["seedUpdateUser"];
    trace?: never;
  };
  "/v1/organizations/users": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations["listUsers"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/organizations/users/{user_id}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations["getUser"];
    put?: never;
    post: operations["updateUser"];
    /** Remove a member (their API keys are revoked, as on the Steward path) */
    delete: operations["removeUser"];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/users/invite": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Invite a person; the response carries the invite's one-time acceptance token */
    post: operations["seedInviteUser"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/organizations/invites": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations["listInvites"];
    put?: never;
    post: operations["createInvite"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/organizations/invites/{invite_id}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations["getInvite"];
    put?: never;
    post?: never;
    delete: operations["deleteInvite"];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/workspaces": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List workspaces, the default workspace included (include_default=false hides it) */
    get: operations["seedListWorkspaces"];
    put?: never;
    post: operations["seedCreateWorkspace"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/workspaces/{workspace_id}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations["seedGetWorkspace"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch: operations["seedUpdateWorkspace"];
    trace?: never;
  };
  "/v1/workspaces/{workspace_id}/archive": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations["seedArchiveWorkspace"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/organizations/workspaces": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List workspaces (archived ones with include_archived, the default with include_default) */
    get: operations["listWorkspaces"];
    put?: never;
    post: operations["createWorkspace"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/organizations/workspaces/{workspace_id}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations["getWorkspace"];
    put?: never;
    post: operations["updateWorkspace"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/organizations/workspaces/{workspace_id}/archive": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Archive a workspace and every API key in it */
    post: operations["archiveWorkspace"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/organizations/workspaces/{workspace_id}/members": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations["listWorkspaceMembers"];
    put?: never;
    post: operations["addWorkspaceMember"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/organizations/workspaces/{workspace_id}/members/{user_id}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations["getWorkspaceMember"];
    put?: never;
    post: operations["updateWorkspaceMember"];
    delete: operations["removeWorkspaceMember"];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/api_keys": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations["seedListApiKeys"];
    put?: never;
    /** Create an API key; the full key is in this response only */
    post: operations["seedCreateApiKey"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/api_keys/{api_key_id}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations["seedGetApiKey"];
    put?: never;
    post?: never;
    /** Revoke an API key at once (its status becomes archived) */
    delete: operations["seedRevokeApiKey"];
    options?: never;
    head?: never;
    patch: operations["seedUpdateApiKey"];
    trace?: never;
  };
  "/v1/organizations/api_keys": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations["listApiKeys"];
    put?: never;
    /** Create an API key (a Steward addition: Anthropic creates keys in its Console only) */
    post: operations["createApiKey"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/organizations/api_keys/{api_key_id}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations["getApiKey"];
    put?: never;
    /** Rename a key or change its status (archived is permanent) */
    post: operations["updateApiKey"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/usage": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Token usage and cost per hour, day or month, with a per-model breakdown
     * @description Answers CSV (one row per bucket and group) with `Accept: text/csv`.
     */
    get: operations["seedGetUsage"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/usage/events": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Record usage that did not pass through the gateway (idempotent by event id)
     * @description Each event is a `UsageEventInput` and is checked on its own: the response counts the stored events and the duplicates, and names each rejected event's index, field and reason.
     */
    post: operations["ingestUsageEvents"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/organizations/usage_dead_letters": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Usage events refused or not writable, oldest first
     * @description Events the gateway metered but did not store and sum: token counts that are not non-negative safe integers, a cost out of range, or a row the database refused (the rest of its batch was written). Each keeps the event's columns; they count in no report and no spend limit's stored spend.
     */
    get: operations["listUsageDeadLetters"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/organizations/usage_report/messages": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Token usage per 1m, 1h or 1d bucket, grouped and filtered by dimension
     * @description Answers CSV (one row per bucket and group) with `Accept: text/csv`. A CSV page says whether more follow in `x-has-more` and `x-next-page`.
     */
    get: operations["getMessagesUsageReport"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/organizations/cost_report": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Cost per day, by workspace and by line item
     * @description Answers CSV (one row per bucket and group) with `Accept: text/csv`. A CSV page says whether more follow in `x-has-more` and `x-next-page`.
     */
    get: operations["getCostReport"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/organizations/audit_logs": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * The organization's audit records, oldest first, with filters
     * @description With `Accept: application/x-ndjson`, every matching record (no paging), one JSON object per line.
     */
    get: operations["listAuditLogs"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/organizations/alert_rules": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations["listAlertRules"];
    put?: never;
    /**
     * Create a cost alert rule
     * @description A webhook channel's `secret` is in this response only (generated when not given).
     */
    post: operations["createAlertRule"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/organizations/alert_rules/{alert_rule_id}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations["getAlertRule"];
    put?: never;
    post: operations["updateAlertRule"];
    delete: operations["deleteAlertRule"];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/organizations/alert_rules/{alert_rule_id}/test": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Send a test message to each of the rule's channels
     * @description Queued in the outbox and attempted at once; the deliveries are returned with that first attempt (a failed one is retried like any alert).
     */
    post: operations["testAlertRule"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/organizations/alert_deliveries": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Alert deliveries with their attempts, oldest first */
    get: operations["listAlertDeliveries"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/organizations/alert_deliveries/{alert_delivery_id}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations["getAlertDelivery"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/users/onboard": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Invite a person, grant them workspace memberships and issue their API key, in one transaction; the key and the invite token are in this response only */
    post: operations["seedOnboardUser"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/users/{user_id}/offboard": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Revoke every API key the member created or was issued, remove them from every workspace, cancel their pending invites and remove them, in one transaction */
    post: operations["seedOffboardUser"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/organizations/users/onboard": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Invite a person, grant them workspace memberships and issue their API key, in one transaction; the key and the invite token are in this response only */
    post: operations["onboardUser"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/organizations/users/{user_id}/offboard": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Revoke every API key the member created or was issued, remove them from every workspace, cancel their pending invites and remove them, in one transaction */
    post: operations["offboardUser"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export type webhooks = Record<string, never>;
export interface components {
  schemas: {
    ErrorInput: {
      /** @constant */
      type: "error";
      error: {
        /** @enum {string} */
        type:
          | "invalid_request_error"
          | "authentication_error"
          | "billing_error"
          | "permission_error"
          | "not_found_error"
          | "conflict_error"
          | "request_too_large"
          | "rate_limit_error"
          | "api_error"
          | "unavailable_error"
          | "timeout_error"
          | "overloaded_error";
        message: string;
        details?: {
          /** @enum {string} */
          error_code:
            | "already_member"
            | "invite_already_exists"
            | "cannot_remove_last_member"
            | "invite_not_pending"
            | "workspace_archived"
            | "default_workspace_protected"
            | "api_key_archived"
            | "invalid_cursor"
            | "idempotency_key_in_use"
            | "idempotency_key_reused"
            | "idempotent_response_unavailable"
            | "workspace_spend_limit_reached"
            | "organization_spend_limit_reached";
        };
      };
      request_id: string;
    };
    AlertThresholdInput:
      | {
          /** @constant */
          type: "usd";
          /** @description Spend in USD */
          amount_usd: number;
        }
      | {
          /** @constant */
          type: "percent_of_limit";
          /** @description Percentage of the scope's monthly limit (organization `billing.usage_limit_usd`, workspace `usage_limits.monthly_spend_usd`) */
          percent: number;
        };
    AlertChannelInput:
      | {
          /** @constant */
          type: "webhook";
          url: string;
          /** @description Only in the response that set it (create, or an update that generated it) */
          secret: string | null;
          secret_hint: string;
        }
      | {
          /** @constant */
          type: "slack";
          /** @description Only in the response to the request that set it */
          webhook_url: string | null;
          webhook_url_hint: string;
        }
      | {
          /** @constant */
          type: "pagerduty";
          /** @description Only in the response to the request that set it */
          routing_key: string | null;
          routing_key_hint: string;
          url: string;
        }
      | {
          /** @constant */
          type: "email";
          to: string[];
        };
    AlertRuleCreateParamsInput: {
      name: string;
      scope:
        | {
            /** @constant */
            type: "organization";
          }
        | {
            /** @constant */
            type: "workspace";
            workspace_id: string;
          };
      /**
       * @description UTC calendar month or day
       * @default month
       * @enum {string}
       */
      period?: "month" | "day";
      thresholds: components["schemas"]["AlertThresholdInput"][];
      channels: (
        | {
            /** @constant */
            type: "webhook";
            /** Format: uri */
            url: string;
            /** @description HMAC-SHA256 signing secret; generated when absent (and kept when an update names the same url) */
            secret?: string;
          }
        | {
            /** @constant */
            type: "slack";
            /** Format: uri */
            webhook_url: string;
          }
        | {
            /** @constant */
            type: "pagerduty";
            routing_key: string;
            /**
             * Format: uri
             * @description Defaults to https://events.pagerduty.com/v2/enqueue
             */
            url?: string;
          }
        | {
            /** @constant */
            type: "email";
            to: string[];
          }
      )[];
      /** @default true */
      enabled?: boolean;
    };
    AlertRuleUpdateParamsInput: {
      name?: string;
      scope?:
        | {
            /** @constant */
            type: "organization";
          }
        | {
            /** @constant */
            type: "workspace";
            workspace_id: string;
          };
      /** @enum {string} */
      period?: "month" | "day";
      thresholds?: components["schemas"]["AlertThresholdInput"][];
      /** @description Replaces the list */
      channels?: (
        | {
            /** @constant */
            type: "webhook";
            /** Format: uri */
            url: string;
            /** @description HMAC-SHA256 signing secret; generated when absent (and kept when an update names the same url) */
            secret?: string;
          }
        | {
            /** @constant */
            type: "slack";
            /** Format: uri */
            webhook_url: string;
          }
        | {
            /** @constant */
            type: "pagerduty";
            routing_key: string;
            /**
             * Format: uri
             * @description Defaults to https://events.pagerduty.com/v2/enqueue
             */
            url?: string;
          }
        | {
            /** @constant */
            type: "email";
            to: string[];
          }
      )[];
      enabled?: boolean;
    };
    AlertRuleInput: {
      id: string;
      /** @constant */
      type: "alert_rule";
      name: string;
      scope: {
        /** @enum {string} */
        type: "organization" | "workspace";
        workspace_id: string | null;
      };
      /** @enum {string} */
      period: "month" | "day";
      thresholds: components["schemas"]["AlertThresholdInput"][];
      channels: components["schemas"]["AlertChannelInput"][];
      enabled: boolean;
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      created_at: string;
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      updated_at: string;
    };
    AlertMessageInput: {
      /** @enum {string} */
      type: "cost_alert" | "cost_alert_test";
      /** @description The firing's id (the delivery's for a test) */
      id: string;
      organization_id: string;
      rule: {
        id: string;
        name: string;
      };
      scope: {
        /** @enum {string} */
        type: "organization" | "workspace";
        id: string;
        name: string;
      };
      period: {
        /** @enum {string} */
        type: "month" | "day";
        /**
         * Format: date-time
         * @example 2025-04-28T10:00:00.000Z
         */
        starting_at: string;
        /**
         * Format: date-time
         * @example 2025-04-28T10:00:00.000Z
         */
        ending_at: string;
      };
      threshold: {
        /** @enum {string} */
        type: "usd" | "percent_of_limit";
        /** @description For a percentage of the limit */
        percent: number | null;
        /** @description The threshold in USD */
        usd: number;
      };
      limit_usd: number | null;
      current_spend_usd: number;
      /** @description How far spend is past the threshold, in percent */
      overage_percent: number;
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      fired_at: string;
      summary: string;
      hint: string;
      /** @description The whole alert as plain text */
      text: string;
    };
    AlertDeliveryInput: {
      id: string;
      /** @constant */
      type: "alert_delivery";
      rule_id: string;
      firing_id: string | null;
      /** @enum {string} */
      kind: "alert" | "test";
      channel: {
        /** @enum {string} */
        type: "webhook" | "slack" | "pagerduty" | "email";
        /** @description Where it goes, secrets left out */
        target: string;
      };
      /** @enum {string} */
      status: "pending" | "delivered" | "failed";
      attempt_count: number;
      attempts: {
        /**
         * Format: date-time
         * @example 2025-04-28T10:00:00.000Z
         */
        attempted_at: string;
        status_code: number | null;
        error: string | null;
        duration_ms: number;
      }[];
      next_attempt_at: string | null;
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      expires_at: string;
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      created_at: string;
      delivered_at: string | null;
      last_error: string | null;
      message: components["schemas"]["AlertMessageInput"];
    };
    ApiKeyInput: {
      id: string;
      /** @constant */
      type: "api_key";
      name: string;
      /** @enum {string} */
      status: "active" | "inactive" | "archived" | "expired";
      workspace_id: string;
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      created_at: string;
      expires_at: string | null;
      archived_at: string | null;
      last_used_at: string | null;
      created_by: {
        id: string;
        /** @constant */
        type: "user";
        email: string | null;
      } | null;
      principal: {
        /** @constant */
        type: "user_actor";
        user_id: string;
      } | null;
      scope: {
        /** @constant */
        type: "workspace";
        workspace_id: string;
      };
      /** @description The seed chapter's hint form: sk-ant-api03-...ABCD */
      partial_key: string;
      /** @description Anthropic's hint form: sk-ant-api03-R2D...igAA */
      partial_key_hint: string;
    };
    ApiKeyCreatedInput: {
      id: string;
      /** @constant */
      type: "api_key";
      name: string;
      /** @enum {string} */
      status: "active" | "inactive" | "archived" | "expired";
      workspace_id: string;
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      created_at: string;
      expires_at: string | null;
      archived_at: string | null;
      last_used_at: string | null;
      created_by: {
        id: string;
        /** @constant */
        type: "user";
        email: string | null;
      } | null;
      principal: {
        /** @constant */
        type: "user_actor";
        user_id: string;
      } | null;
      scope: {
        /** @constant */
        type: "workspace";
        workspace_id: string;
      };
      /** @description The seed chapter's hint form: sk-ant-api03-...ABCD */
      partial_key: string;
      /** @description Anthropic's hint form: sk-ant-api03-R2D...igAA */
      partial_key_hint: string;
      /** @description The full key. Returned only in this response: store it now. */
      key: string;
    };
    ApiKeyCreateParamsInput: {
      name: string;
      /** @description The workspace the key belongs to; the default workspace when omitted */
      workspace_id?: string;
      expires_at?: string | null;
      /** @description The member the key is issued to (its principal); revoked when they leave */
      user_id?: string;
    };
    ApiKeyUpdateParamsInput: {
      name?: string | null;
      status?: ("active" | "inactive" | "archived") | null;
    };
    ApiKeyDeleteResponseInput: {
      id: string;
      /** @constant */
      type: "api_key_deleted";
      /** @constant */
      deleted: true;
    };
    AuditLogInput: {
      id: string;
      /** @constant */
      type: "audit_log";
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      occurred_at: string;
      actor: {
        /** @enum {string} */
        type: "admin_key" | "operator" | "invitee" | "system" | "anonymous";
        id: string | null;
      };
      action: string;
      target: {
        type: string;
        id: string | null;
      };
      /** @enum {string} */
      outcome: "success" | "failure";
      request_id: string | null;
      client_ip: string | null;
      user_agent: string | null;
      /** @description What changed, secrets redacted */
      changes: {
        before: unknown;
        after: unknown;
      };
      /** @description The record's place in its organization's hash chain */
      chain: {
        seq: number;
        prev_hash: string;
        hash: string;
      };
    };
    AuditLogPageInput: {
      data: components["schemas"]["AuditLogInput"][];
      has_more: boolean;
      first_id: string | null;
      last_id: string | null;
    };
    UserInput: {
      id: string;
      /** @constant */
      type: "user";
      email: string;
      name: string;
      /** @enum {string} */
      role: "owner" | "admin" | "developer" | "billing" | "user" | "claude_code_user";
      /** @constant */
      status: "active";
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      added_at: string;
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      created_at: string;
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      updated_at: string;
      last_active_at: string | null;
    };
    UserUpdateParamsInput: {
      /** @enum {string} */
      role?: "owner" | "admin" | "developer" | "billing" | "user" | "claude_code_user";
      name?: string;
    };
    UserUpdatedInput: {
      id: string;
      /** @constant */
      type: "user";
      email: string;
      name: string;
      /** @enum {string} */
      role: "owner" | "admin" | "developer" | "billing" | "user" | "claude_code_user";
      /** @constant */
      status: "active";
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      added_at: string;
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      created_at: string;
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      updated_at: string;
      last_active_at: string | null;
      /** @description Admin keys held by this member that stop working with this role change */
      suspended_admin_key_ids: string[];
      /** @description Admin keys held by this member, suspended before, that work again with this role */
      resumed_admin_key_ids: string[];
    };
    UserDeleteResponseInput: {
      id: string;
      /** @constant */
      type: "user_deleted";
      /** @constant */
      deleted: true;
      revoked_api_key_ids: string[];
    };
    InviteInput: {
      id: string;
      /** @constant */
      type: "invite";
      email: string;
      /** @enum {string} */
      role: "owner" | "admin" | "developer" | "billing" | "user" | "claude_code_user";
      /** @enum {string} */
      status: "pending" | "accepted" | "expired" | "deleted";
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      invited_at: string;
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      expires_at: string;
      accepted_at: string | null;
      rbac_group_ids: string[];
    };
    InviteCreatedInput: {
      id: string;
      /** @constant */
      type: "invite";
      email: string;
      /** @enum {string} */
      role: "owner" | "admin" | "developer" | "billing" | "user" | "claude_code_user";
      /** @enum {string} */
      status: "pending" | "accepted" | "expired" | "deleted";
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      invited_at: string;
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      expires_at: string;
      accepted_at: string | null;
      rbac_group_ids: string[];
      /** @description One-time acceptance token for POST /v1/invites/accept. Returned only in this response. */
      token: string;
    };
    InviteCreateParamsInput: {
      email: string;
      /** @enum {string} */
      role: "owner" | "admin" | "developer" | "billing" | "user" | "claude_code_user";
      rbac_group_ids?: string[];
    };
    InviteDeleteResponseInput: {
      id: string;
      /** @constant */
      type: "invite_deleted";
      /** @constant */
      deleted: true;
    };
    InviteAcceptParamsInput: {
      token: string;
      name?: string;
    };
    WorkspaceInput: {
      id: string;
      /** @constant */
      type: "workspace";
      name: string;
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      created_at: string;
      archived_at: string | null;
      display_color: string;
      data_residency: {
        /** @constant */
        workspace_geo: "us";
        allowed_inference_geos: "unrestricted" | ("global" | "us")[];
        /** @enum {string} */
        default_inference_geo: "global" | "us";
      };
      tags: {
        [key: string]: string;
      };
      usage_limits: {
        monthly_spend_usd: number | null;
        requests_per_minute: number | null;
      };
      is_default: boolean;
    };
    WorkspaceCreateParamsInput: {
      name: string;
      display_color?: string | null;
      data_residency?: {
        workspace_geo?: "us" | null;
        allowed_inference_geos?: ("unrestricted" | ("global" | "us")[]) | null;
        default_inference_geo?: ("global" | "us") | null;
      } | null;
      tags?: {
        [key: string]: string;
      } | null;
      usage_limits?: {
        monthly_spend_usd?: number | null;
        requests_per_minute?: number | null;
      } | null;
    };
    WorkspaceUpdateParamsInput: {
      name?: string;
      display_color?: string;
      data_residency?: {
        allowed_inference_geos?: ("unrestricted" | ("global" | "us")[]) | null;
        default_inference_geo?: ("global" | "us") | null;
      } | null;
      tags?: {
        [key: string]: string | null;
      } | null;
      usage_limits?: {
        monthly_spend_usd?: number | null;
        requests_per_minute?: number | null;
      };
    };
    WorkspaceMemberInput: {
      /** @constant */
      type: "workspace_member";
      user_id: string;
      workspace_id: string;
      /** @enum {string} */
      workspace_role:
        | "workspace_admin"
        | "workspace_developer"
        | "workspace_user"
        | "workspace_billing"
        | "workspace_restricted_developer";
    };
    WorkspaceMemberAddParamsInput: {
      user_id: string;
      /** @enum {string} */
      workspace_role:
        | "workspace_admin"
        | "workspace_developer"
        | "workspace_user"
        | "workspace_restricted_developer";
    };
    WorkspaceMemberUpdateParamsInput: {
      /** @enum {string} */
      workspace_role:
        | "workspace_admin"
        | "workspace_developer"
        | "workspace_user"
        | "workspace_restricted_developer";
    };
    WorkspaceMemberDeleteResponseInput: {
      /** @constant */
      type: "workspace_member_deleted";
      user_id: string;
      workspace_id: string;
    };
    OnboardParamsInput: {
      email: string;
      /** @enum {string} */
      role: "owner" | "admin" | "developer" | "billing" | "user" | "claude_code_user";
      /** @description Workspaces the person joins, with their role there, when they accept the invite */
      workspaces?: {
        workspace_id: string;
        /** @enum {string} */
        workspace_role:
          | "workspace_admin"
          | "workspace_developer"
          | "workspace_user"
          | "workspace_restricted_developer";
      }[];
      /** @description An API key issued to the person: active at once, theirs (its principal) once they accept */
      api_key?: {
        name: string;
        /** @description The workspace the key belongs to; the default workspace when omitted */
        workspace_id?: string;
        expires_at?: string | null;
      };
    };
    PendingWorkspaceMemberInput: {
      /** @constant */
      type: "pending_workspace_member";
      invite_id: string;
      workspace_id: string;
      /** @enum {string} */
      workspace_role:
        | "workspace_admin"
        | "workspace_developer"
        | "workspace_user"
        | "workspace_billing"
        | "workspace_restricted_developer";
    };
    OnboardResponseInput: {
      /** @constant */
      type: "user_onboarded";
      invite: components["schemas"]["InviteCreatedInput"];
      workspace_memberships: components["schemas"]["PendingWorkspaceMemberInput"][];
      /** @description The issued key; its full `key` is returned only in this response */
      api_key: components["schemas"]["ApiKeyCreatedInput"] | null;
    };
    OffboardResponseInput: {
      id: string;
      /** @constant */
      type: "user_offboarded";
      /** @constant */
      deleted: true;
      /** @description The member as they were before offboarding */
      user: components["schemas"]["UserInput"];
      revoked_api_key_ids: string[];
      revoked_admin_key_ids: string[];
      removed_workspace_memberships: components["schemas"]["WorkspaceMemberInput"][];
      cancelled_invite_ids: string[];
    };
    OrganizationInput: {
      id: string;
      /** @constant */
      type: "organization";
      name: string;
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      created_at: string;
      billing: {
        plan: string;
        usage_limit_usd: number | null;
        current_month_usage_usd: number;
      };
      settings: {
        default_model: string | null;
        require_mfa: boolean;
        allowed_ip_ranges: string[];
      };
    };
    OrganizationUpdateParamsInput: {
      name?: string;
      settings?: {
        default_model?: string | null;
        require_mfa?: boolean;
        allowed_ip_ranges?: string[];
      };
      billing?: {
        usage_limit_usd?: number | null;
      };
    };
    SeedUsageReportInput: {
      data: {
        /** @description Uncached input tokens */
        input_tokens: number;
        output_tokens: number;
        /** @description Cache writes, 5-minute and 1-hour */
        cache_creation_tokens: number;
        cache_read_tokens: number;
        web_search_requests: number;
        requests: number;
        total_cost_usd: number;
        /** @description The bucket's label: `2025-04-27T13:00:00Z` (hour), `2025-04-27` (day), `2025-04` (month) */
        date: string;
        /**
         * Format: date-time
         * @description Start of the bucket, inclusive
         * @example 2025-04-28T10:00:00.000Z
         */
        starting_at: string;
        /**
         * Format: date-time
         * @description End of the bucket, exclusive
         * @example 2025-04-28T10:00:00.000Z
         */
        ending_at: string;
        model_breakdown: {
          [key: string]: {
            input_tokens: number;
            output_tokens: number;
            cache_creation_tokens: number;
            cache_read_tokens: number;
            requests: number;
            cost_usd: number;
          };
        };
      }[];
      total: {
        /** @description Uncached input tokens */
        input_tokens: number;
        output_tokens: number;
        /** @description Cache writes, 5-minute and 1-hour */
        cache_creation_tokens: number;
        cache_read_tokens: number;
        web_search_requests: number;
        requests: number;
        total_cost_usd: number;
      };
    };
    MessagesUsageReportInput: {
      data: {
        /**
         * Format: date-time
         * @example 2025-04-28T10:00:00.000Z
         */
        starting_at: string;
        /**
         * Format: date-time
         * @description Exclusive
         * @example 2025-04-28T10:00:00.000Z
         */
        ending_at: string;
        results: {
          uncached_input_tokens: number;
          cache_creation: {
            ephemeral_1h_input_tokens: number;
            ephemeral_5m_input_tokens: number;
          };
          cache_read_input_tokens: number;
          output_tokens: number;
          server_tool_use: {
            web_search_requests: number;
          };
          api_key_id: string | null;
          workspace_id: string | null;
          model: string | null;
          service_tier: string | null;
          context_window: string | null;
          inference_geo: string | null;
        }[];
      }[];
      has_more: boolean;
      next_page: string | null;
    };
    CostReportInput: {
      data: {
        /**
         * Format: date-time
         * @example 2025-04-28T10:00:00.000Z
         */
        starting_at: string;
        /**
         * Format: date-time
         * @description Exclusive
         * @example 2025-04-28T10:00:00.000Z
         */
        ending_at: string;
        results: {
          /** @description Decimal string in cents: `123.45` is $1.2345 */
          amount: string;
          /** @constant */
          currency: "USD";
          workspace_id: string | null;
          /** @description Steward's addition: the API key, when grouped by api_key_id (null there for usage without a key); null otherwise */
          api_key_id: string | null;
          description: string | null;
          cost_type: ("tokens" | "web_search") | null;
          model: string | null;
          service_tier: string | null;
          token_type:
            | (
                | "uncached_input_tokens"
                | "output_tokens"
                | "cache_read_input_tokens"
                | "cache_creation.ephemeral_1h_input_tokens"
                | "cache_creation.ephemeral_5m_input_tokens"
              )
            | null;
          context_window: string | null;
          inference_geo: string | null;
          /** @description Steward's addition: the part of `amount` (cents, like it) charged at the price table's fallback rates because the model is not in the table; `0` when none */
          fallback_amount: string;
        }[];
      }[];
      has_more: boolean;
      next_page: string | null;
    };
    UsageEventInputInput: {
      /** @description Idempotency key: an id already stored is counted once */
      id: string;
      /**
       * Format: date-time
       * @description When the usage happened (RFC 3339)
       */
      timestamp: string;
      workspace_id: string;
      api_key_id?: string | null;
      model: string;
      /** @description Uncached input tokens */
      input_tokens: number;
      output_tokens: number;
      /** @description Cache writes; without the split below they count as 5-minute writes */
      cache_creation_input_tokens?: number | null;
      cache_creation?: {
        /** @default 0 */
        ephemeral_5m_input_tokens?: number;
        /** @default 0 */
        ephemeral_1h_input_tokens?: number;
      } | null;
      cache_read_input_tokens?: number | null;
      web_search_requests?: number | null;
      service_tier?:
        | ("standard" | "batch" | "priority" | "priority_on_demand" | "flex" | "flex_discount")
        | null;
      inference_geo?: ("global" | "us" | "not_available") | null;
      /** @description The event's cost; computed from the price table when absent */
      cost_usd?: number | null;
    };
    UsageEventsIngestResultInput: {
      /** @description Events stored by this call */
      accepted: number;
      /** @description Valid events whose id was already stored: counted once, not again */
      duplicates: number;
      rejected: {
        index: number;
        id: string | null;
        field: string | null;
        message: string;
      }[];
    };
    UsageDeadLetterInput: {
      id: string;
      /** @constant */
      type: "usage_dead_letter";
      /** @description The usage event's id: for the gateway, Steward's request id */
      event_id: string;
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      recorded_at: string;
      /**
       * @description invalid_tokens: the upstream reported a token count that is not a non-negative safe integer; cost_out_of_range: the cost is not a whole number of nano-dollars from 0 to $1,000,000; write_failed: the database refused the event's row (the rest of its batch was written)
       * @enum {string}
       */
      reason: "invalid_tokens" | "cost_out_of_range" | "write_failed";
      /** @description What was wrong: the count, or the database's message */
      detail: string;
      /** @description The usage event as it would have been stored (its columns); not summed anywhere */
      event: {
        [key: string]: unknown;
      };
    };
    Error: {
      /** @constant */
      type: "error";
      error: {
        /** @enum {string} */
        type:
          | "invalid_request_error"
          | "authentication_error"
          | "billing_error"
          | "permission_error"
          | "not_found_error"
          | "conflict_error"
          | "request_too_large"
          | "rate_limit_error"
          | "api_error"
          | "unavailable_error"
          | "timeout_error"
          | "overloaded_error";
        message: string;
        details?: {
          /** @enum {string} */
          error_code:
            | "already_member"
            | "invite_already_exists"
            | "cannot_remove_last_member"
            | "invite_not_pending"
            | "workspace_archived"
            | "default_workspace_protected"
            | "api_key_archived"
            | "invalid_cursor"
            | "idempotency_key_in_use"
            | "idempotency_key_reused"
            | "idempotent_response_unavailable"
            | "workspace_spend_limit_reached"
            | "organization_spend_limit_reached";
        };
      };
      request_id: string;
    };
    AlertThreshold:
      | {
          /** @constant */
          type: "usd";
          /** @description Spend in USD */
          amount_usd: number;
        }
      | {
          /** @constant */
          type: "percent_of_limit";
          /** @description Percentage of the scope's monthly limit (organization `billing.usage_limit_usd`, workspace `usage_limits.monthly_spend_usd`) */
          percent: number;
        };
    AlertChannel:
      | {
          /** @constant */
          type: "webhook";
          url: string;
          /** @description Only in the response that set it (create, or an update that generated it) */
          secret: string | null;
          secret_hint: string;
        }
      | {
          /** @constant */
          type: "slack";
          /** @description Only in the response to the request that set it */
          webhook_url: string | null;
          webhook_url_hint: string;
        }
      | {
          /** @constant */
          type: "pagerduty";
          /** @description Only in the response to the request that set it */
          routing_key: string | null;
          routing_key_hint: string;
          url: string;
        }
      | {
          /** @constant */
          type: "email";
          to: string[];
        };
    AlertRuleCreateParams: {
      name: string;
      scope:
        | {
            /** @constant */
            type: "organization";
          }
        | {
            /** @constant */
            type: "workspace";
            workspace_id: string;
          };
      /**
       * @description UTC calendar month or day
       * @default month
       * @enum {string}
       */
      period: "month" | "day";
      thresholds: components["schemas"]["AlertThreshold"][];
      channels: (
        | {
            /** @constant */
            type: "webhook";
            /** Format: uri */
            url: string;
            /** @description HMAC-SHA256 signing secret; generated when absent (and kept when an update names the same url) */
            secret?: string;
          }
        | {
            /** @constant */
            type: "slack";
            /** Format: uri */
            webhook_url: string;
          }
        | {
            /** @constant */
            type: "pagerduty";
            routing_key: string;
            /**
             * Format: uri
             * @description Defaults to https://events.pagerduty.com/v2/enqueue
             */
            url?: string;
          }
        | {
            /** @constant */
            type: "email";
            to: string[];
          }
      )[];
      /** @default true */
      enabled: boolean;
    };
    AlertRuleUpdateParams: {
      name?: string;
      scope?:
        | {
            /** @constant */
            type: "organization";
          }
        | {
            /** @constant */
            type: "workspace";
            workspace_id: string;
          };
      /** @enum {string} */
      period?: "month" | "day";
      thresholds?: components["schemas"]["AlertThreshold"][];
      /** @description Replaces the list */
      channels?: (
        | {
            /** @constant */
            type: "webhook";
            /** Format: uri */
            url: string;
            /** @description HMAC-SHA256 signing secret; generated when absent (and kept when an update names the same url) */
            secret?: string;
          }
        | {
            /** @constant */
            type: "slack";
            /** Format: uri */
            webhook_url: string;
          }
        | {
            /** @constant */
            type: "pagerduty";
            routing_key: string;
            /**
             * Format: uri
             * @description Defaults to https://events.pagerduty.com/v2/enqueue
             */
            url?: string;
          }
        | {
            /** @constant */
            type: "email";
            to: string[];
          }
      )[];
      enabled?: boolean;
    };
    AlertRule: {
      id: string;
      /** @constant */
      type: "alert_rule";
      name: string;
      scope: {
        /** @enum {string} */
        type: "organization" | "workspace";
        workspace_id: string | null;
      };
      /** @enum {string} */
      period: "month" | "day";
      thresholds: components["schemas"]["AlertThreshold"][];
      channels: components["schemas"]["AlertChannel"][];
      enabled: boolean;
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      created_at: string;
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      updated_at: string;
    };
    AlertMessage: {
      /** @enum {string} */
      type: "cost_alert" | "cost_alert_test";
      /** @description The firing's id (the delivery's for a test) */
      id: string;
      organization_id: string;
      rule: {
        id: string;
        name: string;
      };
      scope: {
        /** @enum {string} */
        type: "organization" | "workspace";
        id: string;
        name: string;
      };
      period: {
        /** @enum {string} */
        type: "month" | "day";
        /**
         * Format: date-time
         * @example 2025-04-28T10:00:00.000Z
         */
        starting_at: string;
        /**
         * Format: date-time
         * @example 2025-04-28T10:00:00.000Z
         */
        ending_at: string;
      };
      threshold: {
        /** @enum {string} */
        type: "usd" | "percent_of_limit";
        /** @description For a percentage of the limit */
        percent: number | null;
        /** @description The threshold in USD */
        usd: number;
      };
      limit_usd: number | null;
      current_spend_usd: number;
      /** @description How far spend is past the threshold, in percent */
      overage_percent: number;
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      fired_at: string;
      summary: string;
      hint: string;
      /** @description The whole alert as plain text */
      text: string;
    };
    AlertDelivery: {
      id: string;
      /** @constant */
      type: "alert_delivery";
      rule_id: string;
      firing_id: string | null;
      /** @enum {string} */
      kind: "alert" | "test";
      channel: {
        /** @enum {string} */
        type: "webhook" | "slack" | "pagerduty" | "email";
        /** @description Where it goes, secrets left out */
        target: string;
      };
      /** @enum {string} */
      status: "pending" | "delivered" | "failed";
      attempt_count: number;
      attempts: {
        /**
         * Format: date-time
         * @example 2025-04-28T10:00:00.000Z
         */
        attempted_at: string;
        status_code: number | null;
        error: string | null;
        duration_ms: number;
      }[];
      next_attempt_at: string | null;
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      expires_at: string;
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      created_at: string;
      delivered_at: string | null;
      last_error: string | null;
      message: components["schemas"]["AlertMessage"];
    };
    ApiKey: {
      id: string;
      /** @constant */
      type: "api_key";
      name: string;
      /** @enum {string} */
      status: "active" | "inactive" | "archived" | "expired";
      workspace_id: string;
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      created_at: string;
      expires_at: string | null;
      archived_at: string | null;
      last_used_at: string | null;
      created_by: {
        id: string;
        /** @constant */
        type: "user";
        email: string | null;
      } | null;
      principal: {
        /** @constant */
        type: "user_actor";
        user_id: string;
      } | null;
      scope: {
        /** @constant */
        type: "workspace";
        workspace_id: string;
      };
      /** @description The seed chapter's hint form: sk-ant-api03-...ABCD */
      partial_key: string;
      /** @description Anthropic's hint form: sk-ant-api03-R2D...igAA */
      partial_key_hint: string;
    };
    ApiKeyCreated: {
      id: string;
      /** @constant */
      type: "api_key";
      name: string;
      /** @enum {string} */
      status: "active" | "inactive" | "archived" | "expired";
      workspace_id: string;
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      created_at: string;
      expires_at: string | null;
      archived_at: string | null;
      last_used_at: string | null;
      created_by: {
        id: string;
        /** @constant */
        type: "user";
        email: string | null;
      } | null;
      principal: {
        /** @constant */
        type: "user_actor";
        user_id: string;
      } | null;
      scope: {
        /** @constant */
        type: "workspace";
        workspace_id: string;
      };
      /** @description The seed chapter's hint form: sk-ant-api03-...ABCD */
      partial_key: string;
      /** @description Anthropic's hint form: sk-ant-api03-R2D...igAA */
      partial_key_hint: string;
      /** @description The full key. Returned only in this response: store it now. */
      key: string;
    };
    ApiKeyCreateParams: {
      name: string;
      /** @description The workspace the key belongs to; the default workspace when omitted */
      workspace_id?: string;
      expires_at?: string | null;
      /** @description The member the key is issued to (its principal); revoked when they leave */
      user_id?: string;
    };
    ApiKeyUpdateParams: {
      name?: string | null;
      status?: ("active" | "inactive" | "archived") | null;
    };
    ApiKeyDeleteResponse: {
      id: string;
      /** @constant */
      type: "api_key_deleted";
      /** @constant */
      deleted: true;
    };
    AuditLog: {
      id: string;
      /** @constant */
      type: "audit_log";
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      occurred_at: string;
      actor: {
        /** @enum {string} */
        type: "admin_key" | "operator" | "invitee" | "system" | "anonymous";
        id: string | null;
      };
      action: string;
      target: {
        type: string;
        id: string | null;
      };
      /** @enum {string} */
      outcome: "success" | "failure";
      request_id: string | null;
      client_ip: string | null;
      user_agent: string | null;
      /** @description What changed, secrets redacted */
      changes: {
        before: unknown;
        after: unknown;
      };
      /** @description The record's place in its organization's hash chain */
      chain: {
        seq: number;
        prev_hash: string;
        hash: string;
      };
    };
    AuditLogPage: {
      data: components["schemas"]["AuditLog"][];
      has_more: boolean;
      first_id: string | null;
      last_id: string | null;
    };
    User: {
      id: string;
      /** @constant */
      type: "user";
      email: string;
      name: string;
      /** @enum {string} */
      role: "owner" | "admin" | "developer" | "billing" | "user" | "claude_code_user";
      /** @constant */
      status: "active";
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      added_at: string;
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      created_at: string;
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      updated_at: string;
      last_active_at: string | null;
    };
    UserUpdateParams: {
      /** @enum {string} */
      role?: "owner" | "admin" | "developer" | "billing" | "user" | "claude_code_user";
      name?: string;
    };
    UserUpdated: {
      id: string;
      /** @constant */
      type: "user";
      email: string;
      name: string;
      /** @enum {string} */
      role: "owner" | "admin" | "developer" | "billing" | "user" | "claude_code_user";
      /** @constant */
      status: "active";
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      added_at: string;
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      created_at: string;
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      updated_at: string;
      last_active_at: string | null;
      /** @description Admin keys held by this member that stop working with this role change */
      suspended_admin_key_ids: string[];
      /** @description Admin keys held by this member, suspended before, that work again with this role */
      resumed_admin_key_ids: string[];
    };
    UserDeleteResponse: {
      id: string;
      /** @constant */
      type: "user_deleted";
      /** @constant */
      deleted: true;
      revoked_api_key_ids: string[];
    };
    Invite: {
      id: string;
      /** @constant */
      type: "invite";
      email: string;
      /** @enum {string} */
      role: "owner" | "admin" | "developer" | "billing" | "user" | "claude_code_user";
      /** @enum {string} */
      status: "pending" | "accepted" | "expired" | "deleted";
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      invited_at: string;
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      expires_at: string;
      accepted_at: string | null;
      rbac_group_ids: string[];
    };
    InviteCreated: {
      id: string;
      /** @constant */
      type: "invite";
      email: string;
      /** @enum {string} */
      role: "owner" | "admin" | "developer" | "billing" | "user" | "claude_code_user";
      /** @enum {string} */
      status: "pending" | "accepted" | "expired" | "deleted";
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      invited_at: string;
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      expires_at: string;
      accepted_at: string | null;
      rbac_group_ids: string[];
      /** @description One-time acceptance token for POST /v1/invites/accept. Returned only in this response. */
      token: string;
    };
    InviteCreateParams: {
      /** Format: email */
      email: string;
      /** @enum {string} */
      role: "owner" | "admin" | "developer" | "billing" | "user" | "claude_code_user";
      rbac_group_ids?: string[];
    };
    InviteDeleteResponse: {
      id: string;
      /** @constant */
      type: "invite_deleted";
      /** @constant */
      deleted: true;
    };
    InviteAcceptParams: {
      token: string;
      name?: string;
    };
    Workspace: {
      id: string;
      /** @constant */
      type: "workspace";
      name: string;
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      created_at: string;
      archived_at: string | null;
      display_color: string;
      data_residency: {
        /** @constant */
        workspace_geo: "us";
        allowed_inference_geos: "unrestricted" | ("global" | "us")[];
        /** @enum {string} */
        default_inference_geo: "global" | "us";
      };
      tags: {
        [key: string]: string;
      };
      usage_limits: {
        monthly_spend_usd: number | null;
        requests_per_minute: number | null;
      };
      is_default: boolean;
    };
    WorkspaceCreateParams: {
      name: string;
      display_color?: string | null;
      data_residency?: {
        workspace_geo?: "us" | null;
        allowed_inference_geos?: ("unrestricted" | ("global" | "us")[]) | null;
        default_inference_geo?: ("global" | "us") | null;
      } | null;
      tags?: {
        [key: string]: string;
      } | null;
      usage_limits?: {
        monthly_spend_usd?: number | null;
        requests_per_minute?: number | null;
      } | null;
    };
    WorkspaceUpdateParams: {
      name?: string;
      display_color?: string;
      data_residency?: {
        allowed_inference_geos?: ("unrestricted" | ("global" | "us")[]) | null;
        default_inference_geo?: ("global" | "us") | null;
      } | null;
      tags?: {
        [key: string]: string | null;
      } | null;
      usage_limits?: {
        monthly_spend_usd?: number | null;
        requests_per_minute?: number | null;
      };
    };
    WorkspaceMember: {
      /** @constant */
      type: "workspace_member";
      user_id: string;
      workspace_id: string;
      /** @enum {string} */
      workspace_role:
        | "workspace_admin"
        | "workspace_developer"
        | "workspace_user"
        | "workspace_billing"
        | "workspace_restricted_developer";
    };
    WorkspaceMemberAddParams: {
      user_id: string;
      /** @enum {string} */
      workspace_role:
        | "workspace_admin"
        | "workspace_developer"
        | "workspace_user"
        | "workspace_restricted_developer";
    };
    WorkspaceMemberUpdateParams: {
      /** @enum {string} */
      workspace_role:
        | "workspace_admin"
        | "workspace_developer"
        | "workspace_user"
        | "workspace_restricted_developer";
    };
    WorkspaceMemberDeleteResponse: {
      /** @constant */
      type: "workspace_member_deleted";
      user_id: string;
      workspace_id: string;
    };
    OnboardParams: {
      /** Format: email */
      email: string;
      /** @enum {string} */
      role: "owner" | "admin" | "developer" | "billing" | "user" | "claude_code_user";
      /** @description Workspaces the person joins, with their role there, when they accept the invite */
      workspaces?: {
        workspace_id: string;
        /** @enum {string} */
        workspace_role:
          | "workspace_admin"
          | "workspace_developer"
          | "workspace_user"
          | "workspace_restricted_developer";
      }[];
      /** @description An API key issued to the person: active at once, theirs (its principal) once they accept */
      api_key?: {
        name: string;
        /** @description The workspace the key belongs to; the default workspace when omitted */
        workspace_id?: string;
        expires_at?: string | null;
      };
    };
    PendingWorkspaceMember: {
      /** @constant */
      type: "pending_workspace_member";
      invite_id: string;
      workspace_id: string;
      /** @enum {string} */
      workspace_role:
        | "workspace_admin"
        | "workspace_developer"
        | "workspace_user"
        | "workspace_billing"
        | "workspace_restricted_developer";
    };
    OnboardResponse: {
      /** @constant */
      type: "user_onboarded";
      invite: components["schemas"]["InviteCreated"];
      workspace_memberships: components["schemas"]["PendingWorkspaceMember"][];
      /** @description The issued key; its full `key` is returned only in this response */
      api_key: components["schemas"]["ApiKeyCreated"] | null;
    };
    OffboardResponse: {
      id: string;
      /** @constant */
      type: "user_offboarded";
      /** @constant */
      deleted: true;
      /** @description The member as they were before offboarding */
      user: components["schemas"]["User"];
      revoked_api_key_ids: string[];
      revoked_admin_key_ids: string[];
      removed_workspace_memberships: components["schemas"]["WorkspaceMember"][];
      cancelled_invite_ids: string[];
    };
    Organization: {
      id: string;
      /** @constant */
      type: "organization";
      name: string;
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      created_at: string;
      billing: {
        plan: string;
        usage_limit_usd: number | null;
        current_month_usage_usd: number;
      };
      settings: {
        default_model: string | null;
        require_mfa: boolean;
        allowed_ip_ranges: string[];
      };
    };
    OrganizationUpdateParams: {
      name?: string;
      settings?: {
        default_model?: string | null;
        require_mfa?: boolean;
        allowed_ip_ranges?: unknown[];
      };
      billing?: {
        usage_limit_usd?: number | null;
      };
    };
    SeedUsageReport: {
      data: {
        /** @description Uncached input tokens */
        input_tokens: number;
        output_tokens: number;
        /** @description Cache writes, 5-minute and 1-hour */
        cache_creation_tokens: number;
        cache_read_tokens: number;
        web_search_requests: number;
        requests: number;
        total_cost_usd: number;
        /** @description The bucket's label: `2025-04-27T13:00:00Z` (hour), `2025-04-27` (day), `2025-04` (month) */
        date: string;
        /**
         * Format: date-time
         * @description Start of the bucket, inclusive
         * @example 2025-04-28T10:00:00.000Z
         */
        starting_at: string;
        /**
         * Format: date-time
         * @description End of the bucket, exclusive
         * @example 2025-04-28T10:00:00.000Z
         */
        ending_at: string;
        model_breakdown: {
          [key: string]: {
            input_tokens: number;
            output_tokens: number;
            cache_creation_tokens: number;
            cache_read_tokens: number;
            requests: number;
            cost_usd: number;
          };
        };
      }[];
      total: {
        /** @description Uncached input tokens */
        input_tokens: number;
        output_tokens: number;
        /** @description Cache writes, 5-minute and 1-hour */
        cache_creation_tokens: number;
        cache_read_tokens: number;
        web_search_requests: number;
        requests: number;
        total_cost_usd: number;
      };
    };
    MessagesUsageReport: {
      data: {
        /**
         * Format: date-time
         * @example 2025-04-28T10:00:00.000Z
         */
        starting_at: string;
        /**
         * Format: date-time
         * @description Exclusive
         * @example 2025-04-28T10:00:00.000Z
         */
        ending_at: string;
        results: {
          uncached_input_tokens: number;
          cache_creation: {
            ephemeral_1h_input_tokens: number;
            ephemeral_5m_input_tokens: number;
          };
          cache_read_input_tokens: number;
          output_tokens: number;
          server_tool_use: {
            web_search_requests: number;
          };
          api_key_id: string | null;
          workspace_id: string | null;
          model: string | null;
          service_tier: string | null;
          context_window: string | null;
          inference_geo: string | null;
        }[];
      }[];
      has_more: boolean;
      next_page: string | null;
    };
    CostReport: {
      data: {
        /**
         * Format: date-time
         * @example 2025-04-28T10:00:00.000Z
         */
        starting_at: string;
        /**
         * Format: date-time
         * @description Exclusive
         * @example 2025-04-28T10:00:00.000Z
         */
        ending_at: string;
        results: {
          /** @description Decimal string in cents: `123.45` is $1.2345 */
          amount: string;
          /** @constant */
          currency: "USD";
          workspace_id: string | null;
          /** @description Steward's addition: the API key, when grouped by api_key_id (null there for usage without a key); null otherwise */
          api_key_id: string | null;
          description: string | null;
          cost_type: ("tokens" | "web_search") | null;
          model: string | null;
          service_tier: string | null;
          token_type:
            | (
                | "uncached_input_tokens"
                | "output_tokens"
                | "cache_read_input_tokens"
                | "cache_creation.ephemeral_1h_input_tokens"
                | "cache_creation.ephemeral_5m_input_tokens"
              )
            | null;
          context_window: string | null;
          inference_geo: string | null;
          /** @description Steward's addition: the part of `amount` (cents, like it) charged at the price table's fallback rates because the model is not in the table; `0` when none */
          fallback_amount: string;
        }[];
      }[];
      has_more: boolean;
      next_page: string | null;
    };
    UsageEventInput: {
      /** @description Idempotency key: an id already stored is counted once */
      id: string;
      /**
       * Format: date-time
       * @description When the usage happened (RFC 3339)
       */
      timestamp: string;
      workspace_id: string;
      api_key_id?: string | null;
      model: string;
      /** @description Uncached input tokens */
      input_tokens: number;
      output_tokens: number;
      /** @description Cache writes; without the split below they count as 5-minute writes */
      cache_creation_input_tokens?: number | null;
      cache_creation?: {
        /** @default 0 */
        ephemeral_5m_input_tokens: number;
        /** @default 0 */
        ephemeral_1h_input_tokens: number;
      } | null;
      cache_read_input_tokens?: number | null;
      web_search_requests?: number | null;
      service_tier?:
        | ("standard" | "batch" | "priority" | "priority_on_demand" | "flex" | "flex_discount")
        | null;
      inference_geo?: ("global" | "us" | "not_available") | null;
      /** @description The event's cost; computed from the price table when absent */
      cost_usd?: number | null;
    };
    UsageEventsIngestResult: {
      /** @description Events stored by this call */
      accepted: number;
      /** @description Valid events whose id was already stored: counted once, not again */
      duplicates: number;
      rejected: {
        index: number;
        id: string | null;
        field: string | null;
        message: string;
      }[];
    };
    UsageDeadLetter: {
      id: string;
      /** @constant */
      type: "usage_dead_letter";
      /** @description The usage event's id: for the gateway, Steward's request id */
      event_id: string;
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      recorded_at: string;
      /**
       * @description invalid_tokens: the upstream reported a token count that is not a non-negative safe integer; cost_out_of_range: the cost is not a whole number of nano-dollars from 0 to $1,000,000; write_failed: the database refused the event's row (the rest of its batch was written)
       * @enum {string}
       */
      reason: "invalid_tokens" | "cost_out_of_range" | "write_failed";
      /** @description What was wrong: the count, or the database's message */
      detail: string;
      /** @description The usage event as it would have been stored (its columns); not summed anywhere */
      event: {
        [key: string]: unknown;
      };
    };
  };
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
  acceptInvite: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["InviteAcceptParamsInput"];
      };
    };
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["User"];
        };
      };
      /** @description Default Response */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  seedGetOrganization: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Organization"];
        };
      };
      /** @description Default Response */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  seedUpdateOrganization: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes the request safe to retry: repeated with the same key, method, path and body within 24 hours, it answers the first response again (with `idempotent-replayed: true`) instead of running twice. 1 to 255 printable ASCII characters; use a random value (a UUID). See docs/api.md, Idempotent requests. */
        "idempotency-key"?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["OrganizationUpdateParamsInput"];
      };
    };
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Organization"];
        };
      };
      /** @description Default Response */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  seedPatchOrganization: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes the request safe to retry: repeated with the same key, method, path and body within 24 hours, it answers the first response again (with `idempotent-replayed: true`) instead of running twice. 1 to 255 printable ASCII characters; use a random value (a UUID). See docs/api.md, Idempotent requests. */
        "idempotency-key"?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["OrganizationUpdateParamsInput"];
      };
    };
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Organization"];
        };
      };
      /** @description Default Response */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  getOrganizationMe: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Organization"];
        };
      };
      /** @description Default Response */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  seedListUsers: {
    parameters: {
      query?: {
        /** @description Page size, 1 to 1000 (default 20) */
        limit?: number;
        /** @description Return the page after this object */
        after_id?: string;
        /** @description Return the page before this object */
        before_id?: string;
        /** @description Only the member with this email (case-insensitive) */
        email?: string;
        /** @description Only members with one of these roles */
        roles?:
          | (
              | "owner"
              | "admin"
              | "developer"
              | "billing"
              | "user"
              | "claude_code_user"
              | "managed"
              | "membership_admin"
              | "primary_owner"
            )
          | (
              | "owner"
              | "admin"
              | "developer"
              | "billing"
              | "user"
              | "claude_code_user"
              | "managed"
              | "membership_admin"
              | "primary_owner"
            )[];
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            data: components["schemas"]["User"][];
            has_more: boolean;
            first_id: string | null;
            last_id: string | null;
          };
        };
      };
      /** @description Default Response */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  seedGetUser: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        user_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["User"];
        };
      };
      /** @description Default Response */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  seedRemoveUser: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes the request safe to retry: repeated with the same key, method, path and body within 24 hours, it answers the first response again (with `idempotent-replayed: true`) instead of running twice. 1 to 255 printable ASCII characters; use a random value (a UUID). See docs/api.md, Idempotent requests. */
        "idempotency-key"?: string;
      };
      path: {
        user_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["UserDeleteResponse"];
        };
      };
      /** @description Default Response */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  seedUpdateUser: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes the request safe to retry: repeated with the same key, method, path and body within 24 hours, it answers the first response again (with `idempotent-replayed: true`) instead of running twice. 1 to 255 printable ASCII characters; use a random value (a UUID). See docs/api.md, Idempotent requests. */
        "idempotency-key"?: string;
      };
      path: {
        user_id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["UserUpdateParamsInput"];
      };
    };
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["UserUpdated"];
        };
      };
      /** @description Default Response */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  listUsers: {
    parameters: {
      query?: {
        /** @description Page size, 1 to 1000 (default 20) */
        limit?: number;
        /** @description Return the page after this object */
        after_id?: string;
        /** @description Return the page before this object */
        before_id?: string;
        /** @description Only the member with this email (case-insensitive) */
        email?: string;
        /** @description Only members with one of these roles */
        roles?:
          | (
              | "owner"
              | "admin"
              | "developer"
              | "billing"
              | "user"
              | "claude_code_user"
              | "managed"
              | "membership_admin"
              | "primary_owner"
            )
          | (
              | "owner"
              | "admin"
              | "developer"
              | "billing"
              | "user"
              | "claude_code_user"
              | "managed"
              | "membership_admin"
              | "primary_owner"
            )[];
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            data: components["schemas"]["User"][];
            has_more: boolean;
            first_id: string | null;
            last_id: string | null;
          };
        };
      };
      /** @description Default Response */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  getUser: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        user_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["User"];
        };
      };
      /** @description Default Response */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  updateUser: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes the request safe to retry: repeated with the same key, method, path and body within 24 hours, it answers the first response again (with `idempotent-replayed: true`) instead of running twice. 1 to 255 printable ASCII characters; use a random value (a UUID). See docs/api.md, Idempotent requests. */
        "idempotency-key"?: string;
      };
      path: {
        user_id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["UserUpdateParamsInput"];
      };
    };
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["UserUpdated"];
        };
      };
      /** @description Default Response */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  removeUser: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes the request safe to retry: repeated with the same key, method, path and body within 24 hours, it answers the first response again (with `idempotent-replayed: true`) instead of running twice. 1 to 255 printable ASCII characters; use a random value (a UUID). See docs/api.md, Idempotent requests. */
        "idempotency-key"?: string;
      };
      path: {
        user_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["UserDeleteResponse"];
        };
      };
      /** @description Default Response */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  seedInviteUser: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes the request safe to retry: repeated with the same key, method, path and body within 24 hours, it answers the first response again (with `idempotent-replayed: true`) instead of running twice. 1 to 255 printable ASCII characters; use a random value (a UUID). See docs/api.md, Idempotent requests. */
        "idempotency-key"?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["InviteCreateParamsInput"];
      };
    };
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["InviteCreated"];
        };
      };
      /** @description Default Response */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  listInvites: {
    parameters: {
      query?: {
        /** @description Page size, 1 to 1000 (default 20) */
        limit?: number;
        /** @description Return the page after this object */
        after_id?: string;
        /** @description Return the page before this object */
        before_id?: string;
        email?: string;
        roles?:
          | (
              | "owner"
              | "admin"
              | "developer"
              | "billing"
              | "user"
              | "claude_code_user"
              | "managed"
              | "membership_admin"
              | "primary_owner"
            )
          | (
              | "owner"
              | "admin"
              | "developer"
              | "billing"
              | "user"
              | "claude_code_user"
              | "managed"
              | "membership_admin"
              | "primary_owner"
            )[];
        statuses?: ("pending" | "accepted" | "expired") | ("pending" | "accepted" | "expired")[];
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            data: components["schemas"]["Invite"][];
            has_more: boolean;
            first_id: string | null;
            last_id: string | null;
          };
        };
      };
      /** @description Default Response */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  createInvite: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes the request safe to retry: repeated with the same key, method, path and body within 24 hours, it answers the first response again (with `idempotent-replayed: true`) instead of running twice. 1 to 255 printable ASCII characters; use a random value (a UUID). See docs/api.md, Idempotent requests. */
        "idempotency-key"?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["InviteCreateParamsInput"];
      };
    };
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["InviteCreated"];
        };
      };
      /** @description Default Response */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  getInvite: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        invite_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Invite"];
        };
      };
      /** @description Default Response */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  deleteInvite: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes the request safe to retry: repeated with the same key, method, path and body within 24 hours, it answers the first response again (with `idempotent-replayed: true`) instead of running twice. 1 to 255 printable ASCII characters; use a random value (a UUID). See docs/api.md, Idempotent requests. */
        "idempotency-key"?: string;
      };
      path: {
        invite_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["InviteDeleteResponse"];
        };
      };
      /** @description Default Response */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  seedListWorkspaces: {
    parameters: {
      query?: {
        /** @description Page size, 1 to 1000 (default 20) */
        limit?: number;
        /** @description Return the page after this object */
        after_id?: string;
        /** @description Return the page before this object */
        before_id?: string;
        /** @description Only these workspaces */
        ids?: string | string[];
        include_archived?: "0" | "1" | "true" | "false";
        include_default?: "0" | "1" | "true" | "false";
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            data: components["schemas"]["Workspace"][];
            has_more: boolean;
            first_id: string | null;
            last_id: string | null;
          };
        };
      };
      /** @description Default Response */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  seedCreateWorkspace: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes the request safe to retry: repeated with the same key, method, path and body within 24 hours, it answers the first response again (with `idempotent-replayed: true`) instead of running twice. 1 to 255 printable ASCII characters; use a random value (a UUID). See docs/api.md, Idempotent requests. */
        "idempotency-key"?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["WorkspaceCreateParamsInput"];
      };
    };
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Workspace"];
        };
      };
      /** @description Default Response */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  seedGetWorkspace: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        workspace_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Workspace"];
        };
      };
      /** @description Default Response */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  seedUpdateWorkspace: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes the request safe to retry: repeated with the same key, method, path and body within 24 hours, it answers the first response again (with `idempotent-replayed: true`) instead of running twice. 1 to 255 printable ASCII characters; use a random value (a UUID). See docs/api.md, Idempotent requests. */
        "idempotency-key"?: string;
      };
      path: {
        workspace_id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["WorkspaceUpdateParamsInput"];
      };
    };
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Workspace"];
        };
      };
      /** @description Default Response */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  seedArchiveWorkspace: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes the request safe to retry: repeated with the same key, method, path and body within 24 hours, it answers the first response again (with `idempotent-replayed: true`) instead of running twice. 1 to 255 printable ASCII characters; use a random value (a UUID). See docs/api.md, Idempotent requests. */
        "idempotency-key"?: string;
      };
      path: {
        workspace_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Workspace"];
        };
      };
      /** @description Default Response */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  listWorkspaces: {
    parameters: {
      query?: {
        /** @description Page size, 1 to 1000 (default 20) */
        limit?: number;
        /** @description Return the page after this object */
        after_id?: string;
        /** @description Return the page before this object */
        before_id?: string;
        /** @description Only these workspaces */
        ids?: string | string[];
        include_archived?: "0" | "1" | "true" | "false";
        include_default?: "0" | "1" | "true" | "false";
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            data: components["schemas"]["Workspace"][];
            has_more: boolean;
            first_id: string | null;
            last_id: string | null;
          };
        };
      };
      /** @description Default Response */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  createWorkspace: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes the request safe to retry: repeated with the same key, method, path and body within 24 hours, it answers the first response again (with `idempotent-replayed: true`) instead of running twice. 1 to 255 printable ASCII characters; use a random value (a UUID). See docs/api.md, Idempotent requests. */
        "idempotency-key"?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["WorkspaceCreateParamsInput"];
      };
    };
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Workspace"];
        };
      };
      /** @description Default Response */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  getWorkspace: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        workspace_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Workspace"];
        };
      };
      /** @description Default Response */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  updateWorkspace: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes the request safe to retry: repeated with the same key, method, path and body within 24 hours, it answers the first response again (with `idempotent-replayed: true`) instead of running twice. 1 to 255 printable ASCII characters; use a random value (a UUID). See docs/api.md, Idempotent requests. */
        "idempotency-key"?: string;
      };
      path: {
        workspace_id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["WorkspaceUpdateParamsInput"];
      };
    };
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Workspace"];
        };
      };
      /** @description Default Response */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  archiveWorkspace: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes the request safe to retry: repeated with the same key, method, path and body within 24 hours, it answers the first response again (with `idempotent-replayed: true`) instead of running twice. 1 to 255 printable ASCII characters; use a random value (a UUID). See docs/api.md, Idempotent requests. */
        "idempotency-key"?: string;
      };
      path: {
        workspace_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Workspace"];
        };
      };
      /** @description Default Response */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  listWorkspaceMembers: {
    parameters: {
      query?: {
        /** @description Page size, 1 to 1000 (default 20) */
        limit?: number;
        /** @description Return the page after this object */
        after_id?: string;
        /** @description Return the page before this object */
        before_id?: string;
      };
      header?: never;
      path: {
        workspace_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            data: components["schemas"]["WorkspaceMember"][];
            has_more: boolean;
            first_id: string | null;
            last_id: string | null;
          };
        };
      };
      /** @description Default Response */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  addWorkspaceMember: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes the request safe to retry: repeated with the same key, method, path and body within 24 hours, it answers the first response again (with `idempotent-replayed: true`) instead of running twice. 1 to 255 printable ASCII characters; use a random value (a UUID). See docs/api.md, Idempotent requests. */
        "idempotency-key"?: string;
      };
      path: {
        workspace_id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["WorkspaceMemberAddParamsInput"];
      };
    };
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["WorkspaceMember"];
        };
      };
      /** @description Default Response */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  getWorkspaceMember: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        workspace_id: string;
        user_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["WorkspaceMember"];
        };
      };
      /** @description Default Response */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  updateWorkspaceMember: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes the request safe to retry: repeated with the same key, method, path and body within 24 hours, it answers the first response again (with `idempotent-replayed: true`) instead of running twice. 1 to 255 printable ASCII characters; use a random value (a UUID). See docs/api.md, Idempotent requests. */
        "idempotency-key"?: string;
      };
      path: {
        workspace_id: string;
        user_id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["WorkspaceMemberUpdateParamsInput"];
      };
    };
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["WorkspaceMember"];
        };
      };
      /** @description Default Response */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  removeWorkspaceMember: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes the request safe to retry: repeated with the same key, method, path and body within 24 hours, it answers the first response again (with `idempotent-replayed: true`) instead of running twice. 1 to 255 printable ASCII characters; use a random value (a UUID). See docs/api.md, Idempotent requests. */
        "idempotency-key"?: string;
      };
      path: {
        workspace_id: string;
        user_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["WorkspaceMemberDeleteResponse"];
        };
      };
      /** @description Default Response */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  seedListApiKeys: {
    parameters: {
      query?: {
        /** @description Page size, 1 to 1000 (default 20) */
        limit?: number;
        /** @description Return the page after this object */
        after_id?: string;
        /** @description Return the page before this object */
        before_id?: string;
        status?: "active" | "inactive" | "archived" | "expired";
        workspace_id?: string;
        created_by_user_id?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            data: components["schemas"]["ApiKey"][];
            has_more: boolean;
            first_id: string | null;
            last_id: string | null;
          };
        };
      };
      /** @description Default Response */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  seedCreateApiKey: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes the request safe to retry: repeated with the same key, method, path and body within 24 hours, it answers the first response again (with `idempotent-replayed: true`) instead of running twice. 1 to 255 printable ASCII characters; use a random value (a UUID). See docs/api.md, Idempotent requests. */
        "idempotency-key"?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["ApiKeyCreateParamsInput"];
      };
    };
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ApiKeyCreated"];
        };
      };
      /** @description Default Response */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  seedGetApiKey: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        api_key_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ApiKey"];
        };
      };
      /** @description Default Response */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  seedRevokeApiKey: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes the request safe to retry: repeated with the same key, method, path and body within 24 hours, it answers the first response again (with `idempotent-replayed: true`) instead of running twice. 1 to 255 printable ASCII characters; use a random value (a UUID). See docs/api.md, Idempotent requests. */
        "idempotency-key"?: string;
      };
      path: {
        api_key_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ApiKeyDeleteResponse"];
        };
      };
      /** @description Default Response */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  seedUpdateApiKey: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes the request safe to retry: repeated with the same key, method, path and body within 24 hours, it answers the first response again (with `idempotent-replayed: true`) instead of running twice. 1 to 255 printable ASCII characters; use a random value (a UUID). See docs/api.md, Idempotent requests. */
        "idempotency-key"?: string;
      };
      path: {
        api_key_id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["ApiKeyUpdateParamsInput"];
      };
    };
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ApiKey"];
        };
      };
      /** @description Default Response */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  listApiKeys: {
    parameters: {
      query?: {
        /** @description Page size, 1 to 1000 (default 20) */
        limit?: number;
        /** @description Return the page after this object */
        after_id?: string;
        /** @description Return the page before this object */
        before_id?: string;
        status?: "active" | "inactive" | "archived" | "expired";
        workspace_id?: string;
        created_by_user_id?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            data: components["schemas"]["ApiKey"][];
            has_more: boolean;
            first_id: string | null;
            last_id: string | null;
          };
        };
      };
      /** @description Default Response */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  createApiKey: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes the request safe to retry: repeated with the same key, method, path and body within 24 hours, it answers the first response again (with `idempotent-replayed: true`) instead of running twice. 1 to 255 printable ASCII characters; use a random value (a UUID). See docs/api.md, Idempotent requests. */
        "idempotency-key"?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["ApiKeyCreateParamsInput"];
      };
    };
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ApiKeyCreated"];
        };
      };
      /** @description Default Response */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  getApiKey: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        api_key_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ApiKey"];
        };
      };
      /** @description Default Response */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  updateApiKey: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes the request safe to retry: repeated with the same key, method, path and body within 24 hours, it answers the first response again (with `idempotent-replayed: true`) instead of running twice. 1 to 255 printable ASCII characters; use a random value (a UUID). See docs/api.md, Idempotent requests. */
        "idempotency-key"?: string;
      };
      path: {
        api_key_id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["ApiKeyUpdateParamsInput"];
      };
    };
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["ApiKey"];
        };
      };
      /** @description Default Response */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  seedGetUsage: {
    parameters: {
      query: {
        /** @description First day, UTC, inclusive */
        start_date: string;
        /** @description Last day, UTC, inclusive */
        end_date: string;
        /** @description Bucket size: hour (at most 31 days), day (at most 366 days), month (at most 36 months) */
        granularity?: "hour" | "day" | "month";
        /** @description Only this workspace's usage */
        workspace_id?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["SeedUsageReport"];
        };
      };
      /** @description Default Response */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  ingestUsageEvents: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes the request safe to retry: repeated with the same key, method, path and body within 24 hours, it answers the first response again (with `idempotent-replayed: true`) instead of running twice. 1 to 255 printable ASCII characters; use a random value (a UUID). See docs/api.md, Idempotent requests. */
        "idempotency-key"?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": {
          /** @description Up to 10,000 events, each a UsageEventInput; each is checked on its own, so one bad event does not sink the batch */
          events: unknown[];
        };
      };
    };
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["UsageEventsIngestResult"];
        };
      };
      /** @description Default Response */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  listUsageDeadLetters: {
    parameters: {
      query?: {
        /** @description Page size, 1 to 1000 (default 20) */
        limit?: number;
        /** @description Return the page after this object */
        after_id?: string;
        /** @description Return the page before this object */
        before_id?: string;
        /** @description Only dead letters with this reason */
        reason?: "invalid_tokens" | "cost_out_of_range" | "write_failed";
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            data: components["schemas"]["UsageDeadLetter"][];
            has_more: boolean;
            first_id: string | null;
            last_id: string | null;
          };
        };
      };
      /** @description Default Response */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  getMessagesUsageReport: {
    parameters: {
      query: {
        /** @description Buckets that start at or after this time, snapped to the start of its minute, hour or day */
        starting_at: string;
        /** @description Buckets that end at or before this time */
        ending_at?: string;
        bucket_width?: "1m" | "1h" | "1d";
        /** @description Buckets per page: 1d default 7, at most 31; 1h default 24, at most 168; 1m default 60, at most 1440 */
        limit?: number;
        /** @description The `next_page` token of the previous response */
        page?: string;
        group_by?:
          | (
              | "api_key_id"
              | "workspace_id"
              | "model"
              | "service_tier"
              | "context_window"
              | "inference_geo"
            )
          | (
              | "api_key_id"
              | "workspace_id"
              | "model"
              | "service_tier"
              | "context_window"
              | "inference_geo"
            )[];
        api_key_ids?: string | string[];
        workspace_ids?: string | string[];
        models?: string | string[];
        service_tiers?:
          | ("standard" | "batch" | "priority" | "priority_on_demand" | "flex" | "flex_discount")
          | ("standard" | "batch" | "priority" | "priority_on_demand" | "flex" | "flex_discount")[];
        context_window?: ("0-200k" | "200k-1M") | ("0-200k" | "200k-1M")[];
        inference_geos?:
          | ("global" | "us" | "not_available")
          | ("global" | "us" | "not_available")[];
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["MessagesUsageReport"];
        };
      };
      /** @description Default Response */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  getCostReport: {
    parameters: {
      query: {
        /** @description Days that start at or after this time (snapped to 00:00 UTC) */
        starting_at: string;
        /** @description Days that end at or before this time */
        ending_at?: string;
        bucket_width?: "1d";
        /** @description Days per page: default 7, at most 31 */
        limit?: number;
        /** @description The `next_page` token of the previous response */
        page?: string;
        group_by?:
          | ("workspace_id" | "description" | "api_key_id")
          | ("workspace_id" | "description" | "api_key_id")[];
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["CostReport"];
        };
      };
      /** @description Default Response */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  listAuditLogs: {
    parameters: {
      query?: {
        /** @description Page size, 1 to 1000 (default 20) */
        limit?: number;
        /** @description Return the page after this object */
        after_id?: string;
        /** @description Return the page before this object */
        before_id?: string;
        /** @description Only records of this kind of actor */
        actor_type?: "admin_key" | "operator" | "invitee" | "system" | "anonymous";
        /** @description Only records of this actor (an admin key id, …) */
        actor_id?: string;
        /** @description Only this action, e.g. `api_key.updated` */
        action?: string;
        target_type?: string;
        target_id?: string;
        /** @description Records at or after this time */
        starting_at?: string;
        /** @description Records before this time */
        ending_at?: string;
        /** @description asc: oldest first (the default); desc: newest first. `after_id` pages on in this order */
        order?: "asc" | "desc";
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["AuditLogPage"];
        };
      };
      /** @description Default Response */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  listAlertRules: {
    parameters: {
      query?: {
        /** @description Page size, 1 to 1000 (default 20) */
        limit?: number;
        /** @description Return the page after this object */
        after_id?: string;
        /** @description Return the page before this object */
        before_id?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            data: components["schemas"]["AlertRule"][];
            has_more: boolean;
            first_id: string | null;
            last_id: string | null;
          };
        };
      };
      /** @description Default Response */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  createAlertRule: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes the request safe to retry: repeated with the same key, method, path and body within 24 hours, it answers the first response again (with `idempotent-replayed: true`) instead of running twice. 1 to 255 printable ASCII characters; use a random value (a UUID). See docs/api.md, Idempotent requests. */
        "idempotency-key"?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["AlertRuleCreateParamsInput"];
      };
    };
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["AlertRule"];
        };
      };
      /** @description Default Response */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  getAlertRule: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        alert_rule_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["AlertRule"];
        };
      };
      /** @description Default Response */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  updateAlertRule: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes the request safe to retry: repeated with the same key, method, path and body within 24 hours, it answers the first response again (with `idempotent-replayed: true`) instead of running twice. 1 to 255 printable ASCII characters; use a random value (a UUID). See docs/api.md, Idempotent requests. */
        "idempotency-key"?: string;
      };
      path: {
        alert_rule_id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["AlertRuleUpdateParamsInput"];
      };
    };
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["AlertRule"];
        };
      };
      /** @description Default Response */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  deleteAlertRule: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes the request safe to retry: repeated with the same key, method, path and body within 24 hours, it answers the first response again (with `idempotent-replayed: true`) instead of running twice. 1 to 255 printable ASCII characters; use a random value (a UUID). See docs/api.md, Idempotent requests. */
        "idempotency-key"?: string;
      };
      path: {
        alert_rule_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            id: string;
            /** @enum {string} */
            type: "alert_rule_deleted";
          };
        };
      };
      /** @description Default Response */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  testAlertRule: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes the request safe to retry: repeated with the same key, method, path and body within 24 hours, it answers the first response again (with `idempotent-replayed: true`) instead of running twice. 1 to 255 printable ASCII characters; use a random value (a UUID). See docs/api.md, Idempotent requests. */
        "idempotency-key"?: string;
      };
      path: {
        alert_rule_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            data: components["schemas"]["AlertDelivery"][];
          };
        };
      };
      /** @description Default Response */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  listAlertDeliveries: {
    parameters: {
      query?: {
        /** @description Page size, 1 to 1000 (default 20) */
        limit?: number;
        /** @description Return the page after this object */
        after_id?: string;
        /** @description Return the page before this object */
        before_id?: string;
        rule_id?: string;
        status?: "pending" | "delivered" | "failed";
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": {
            data: components["schemas"]["AlertDelivery"][];
            has_more: boolean;
            first_id: string | null;
            last_id: string | null;
          };
        };
      };
      /** @description Default Response */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  getAlertDelivery: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        alert_delivery_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["AlertDelivery"];
        };
      };
      /** @description Default Response */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  seedOnboardUser: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes the request safe to retry: repeated with the same key, method, path and body within 24 hours, it answers the first response again (with `idempotent-replayed: true`) instead of running twice. 1 to 255 printable ASCII characters; use a random value (a UUID). See docs/api.md, Idempotent requests. */
        "idempotency-key"?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["OnboardParamsInput"];
      };
    };
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["OnboardResponse"];
        };
      };
      /** @description Default Response */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  seedOffboardUser: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes the request safe to retry: repeated with the same key, method, path and body within 24 hours, it answers the first response again (with `idempotent-replayed: true`) instead of running twice. 1 to 255 printable ASCII characters; use a random value (a UUID). See docs/api.md, Idempotent requests. */
        "idempotency-key"?: string;
      };
      path: {
        user_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["OffboardResponse"];
        };
      };
      /** @description Default Response */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  onboardUser: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes the request safe to retry: repeated with the same key, method, path and body within 24 hours, it answers the first response again (with `idempotent-replayed: true`) instead of running twice. 1 to 255 printable ASCII characters; use a random value (a UUID). See docs/api.md, Idempotent requests. */
        "idempotency-key"?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        "application/json": components["schemas"]["OnboardParamsInput"];
      };
    };
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["OnboardResponse"];
        };
      };
      /** @description Default Response */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  offboardUser: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes the request safe to retry: repeated with the same key, method, path and body within 24 hours, it answers the first response again (with `idempotent-replayed: true`) instead of running twice. 1 to 255 printable ASCII characters; use a random value (a UUID). See docs/api.md, Idempotent requests. */
        "idempotency-key"?: string;
      };
      path: {
        user_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Default Response */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["OffboardResponse"];
        };
      };
      /** @description Default Response */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Default Response */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
}
