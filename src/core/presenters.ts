/**
 * Rows to wire objects. Fields that depend on time (expired invites and keys) are derived here,
 * against the service's clock, so that storage never holds a status that silently goes stale.
 */
import type { ApiKey } from "../contract/api-keys.js";
import type { Invite, InviteStatus } from "../contract/invites.js";
import type { Organization } from "../contract/organizations.js";
import type { OrganizationRole, User } from "../contract/users.js";
import type { Workspace, WorkspaceMember, WorkspaceRole } from "../contract/workspaces.js";
import { microsToUsd } from "./money.js";
import type {
  ApiKeyRow,
  InviteRow,
  OrganizationRow,
  UserRow,
  WorkspaceMemberRow,
  WorkspaceRow,
} from "./records.js";

export function presentOrganization(row: OrganizationRow, currentMonthUsageUsd = 0): Organization {
  return {
    id: row.id,
    type: "organization",
    name: row.name,
    created_at: row.created_at,
    billing: {
      plan: row.plan,
      usage_limit_usd: row.usage_limit_micros === null ? null : microsToUsd(row.usage_limit_micros),
      current_month_usage_usd: currentMonthUsageUsd,
    },
    settings: {
      default_model: row.default_model,
      require_mfa: row.require_mfa === 1,
      allowed_ip_ranges: JSON.parse(row.allowed_ip_ranges) as string[],
    },
  };
}

export function presentUser(row: UserRow): User {
  return {
    id: row.id,
    type: "user",
    email: row.email,
    name: row.name,
    role: row.role as OrganizationRole,
    status: "active",
    added_at: row.created_at,
    created_at: row.created_at,
    updated_at: row.updated_at,
    last_active_at: row.last_active_at,
  };
}

export function inviteStatus(row: InviteRow, now: Date): InviteStatus {
  if (row.deleted_at !== null) {
    return "deleted";
  }
  if (row.accepted_at !== null) {
    return "accepted";
  }
  return row.expires_at <= now.toISOString() ? "expired" : "pending";
}

export function presentInvite(row: InviteRow, now: Date): Invite {
  return {
    id: row.id,
    type: "invite",
    email: row.email,
    role: row.role as OrganizationRole,
    status: inviteStatus(row, now),
    invited_at: row.invited_at,
    expires_at: row.expires_at,
    accepted_at: row.accepted_at,
    rbac_group_ids: [],
  };
}

export function presentWorkspace(row: WorkspaceRow): Workspace {
  return {
    id: row.id,
    type: "workspace",
    name: row.name,
    created_at: row.created_at,
    archived_at: row.archived_at,
    display_color: row.display_color,
    data_residency: {
      workspace_geo: "us",
      allowed_inference_geos: JSON.parse(row.allowed_inference_geos),
      default_inference_geo: row.default_inference_geo as "global" | "us",
    },
    tags: JSON.parse(row.tags) as Record<string, string>,
    compartment_id: null,
    external_key_id: null,
    user_profile_id: null,
    usage_limits: {
      monthly_spend_usd:
        row.monthly_spend_limit_micros === null
          ? null
          : microsToUsd(row.monthly_spend_limit_micros),
      requests_per_minute: row.requests_per_minute,
    },
    is_default: row.is_default === 1,
  };
}

export function presentMember(row: WorkspaceMemberRow): WorkspaceMember {
  return {
    type: "workspace_member",
    user_id: row.user_id,
    workspace_id: row.workspace_id,
    workspace_role: row.workspace_role as WorkspaceRole,
  };
}

export function apiKeyStatus(row: ApiKeyRow, now: Date): ApiKey["status"] {
  if (row.status === "archived") {
    return "archived";
  }
  if (row.expires_at !== null && row.expires_at <= now.toISOString()) {
    return "expired";
  }
  return row.status as "active" | "inactive";
}

export function presentApiKey(row: ApiKeyRow, now: Date, creatorEmail: string | null): ApiKey {
  return {
    id: row.id,
    type: "api_key",
    name: row.name,
    status: apiKeyStatus(row, now),
    workspace_id: row.workspace_id,
    created_at: row.created_at,
    expires_at: row.expires_at,
    archived_at: row.archived_at,
    last_used_at: row.last_used_at,
    created_by:
      row.created_by_user_id === null
        ? null
        : { id: row.created_by_user_id, type: "user", email: creatorEmail },
    principal:
      row.service_account_id !== null
        ? { type: "service_account_actor", service_account_id: row.service_account_id }
        : row.owner_user_id === null
          ? null
          : { type: "user_actor", user_id: row.owner_user_id },
    scope: { type: "workspace", workspace_id: row.workspace_id },
    partial_key: row.partial_key,
    partial_key_hint: row.partial_key_hint,
  };
}
