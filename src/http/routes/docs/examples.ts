/**
 * The objects the reference's examples are made of: one organization, its people, a workspace, a
 * key. Ids are in Steward's formats (prefixed, time-sortable), taken from a real run, so that an
 * example reads like an answer and the ids agree from one operation to the next.
 * test/openapi.test.ts checks every example against its operation's schema.
 */

export const ID = {
  organization: "org_0111pCKxtgc2HvTKxsSphpcvc",
  owner: "user_0111pCKxtgoE4FHTWnUydEvgX",
  user: "user_0111pCKxtho3Dq6iAZDk5eFmX",
  invite: "invite_0111pCKxthd1xEUqsgJ9atYjk",
  onboardInvite: "invite_0111pCKxtkTFG1rAv3LJJi3Fs",
  defaultWorkspace: "wrkspc_0111pCKxtgt1xwxWTXUJvHA7t",
  workspace: "wrkspc_0111pCKxti5Ee4qSRY78nHH2R",
  apiKey: "apikey_0111pCKxtiR3mn7mJYApmoTxF",
  onboardApiKey: "apikey_0111pCKxtkU994xL7qAWy8Fp4",
  adminKey: "adminkey_0111pCKxtgz66N6mdH62mGqVc",
  alertRule: "alertrule_0111pCKxtj13hQRtGrLMUJipz",
  alertDelivery: "alertdlv_0111pCKxtjA1y1vAAyRtcwVTS",
  alertFiring: "alertfiring_0111pCKxtjB4nG8fQw2sLkZpD",
  audit: "audit_0111pCKxtiS7HVYc16AGHGgaG",
  request: "req_0111pCKxtiQAtVwQ5nDz6AVgY",
  deadLetter: "usagedl_0111pCKxtm2Xk9RbV4cHq7JwE",
  serviceAccount: "svac_0111pCKxtmB7wQ3nT5hZk2LcR",
} as const;

export const organization = {
  id: ID.organization,
  type: "organization",
  name: "Acme Corporation",
  created_at: "2026-01-15T08:00:00.000Z",
  billing: { plan: "self_hosted", usage_limit_usd: 10000, current_month_usage_usd: 2345.67 },
  settings: {
    default_model: "claude-opus-4-5",
    require_mfa: true,
    allowed_ip_ranges: ["203.0.113.0/24", "198.51.100.0/24"],
  },
};

export const owner = {
  id: ID.owner,
  type: "user",
  email: "olivia@acme.example",
  name: "Olivia Owner",
  role: "owner",
  status: "active",
  added_at: "2026-01-15T08:00:00.000Z",
  created_at: "2026-01-15T08:00:00.000Z",
  updated_at: "2026-01-15T08:00:00.000Z",
  last_active_at: "2026-04-28T08:00:00.000Z",
};

export const user = {
  id: ID.user,
  type: "user",
  email: "alice@acme.example",
  name: "Alice Johnson",
  role: "developer",
  status: "active",
  added_at: "2026-03-01T10:00:00.000Z",
  created_at: "2026-03-01T10:00:00.000Z",
  updated_at: "2026-03-01T10:00:00.000Z",
  last_active_at: "2026-04-27T15:30:00.000Z",
};

export const invite = {
  id: ID.invite,
  type: "invite",
  email: "bob@acme.example",
  role: "developer",
  status: "pending",
  invited_at: "2026-04-28T10:00:00.000Z",
  expires_at: "2026-05-05T10:00:00.000Z",
  accepted_at: null,
  rbac_group_ids: [],
};

/** The invite's one-time token, in the create response only. */
export const INVITE_TOKEN =
  "stw-invite01-6SISZoyU99yDZ0-_SCMq8fQ0IG2LSxJ4uYnSUgyDjPNPeZYx8RC9Wrqv_1fQYD7r";

const dataResidency = {
  workspace_geo: "us",
  allowed_inference_geos: "unrestricted",
  default_inference_geo: "global",
};

export const defaultWorkspace = {
  id: ID.defaultWorkspace,
  type: "workspace",
  name: "Default",
  created_at: "2026-01-15T08:00:00.000Z",
  archived_at: null,
  display_color: "#6C5BB9",
  data_residency: dataResidency,
  tags: {},
  compartment_id: null,
  external_key_id: null,
  user_profile_id: null,
  usage_limits: { monthly_spend_usd: null, requests_per_minute: null },
  is_default: true,
};

export const workspace = {
  id: ID.workspace,
  type: "workspace",
  name: "Production",
  created_at: "2026-02-01T09:00:00.000Z",
  archived_at: null,
  display_color: "#D97757",
  data_residency: dataResidency,
  tags: { team: "payments", cost_center: "cc-4410" },
  compartment_id: null,
  external_key_id: null,
  user_profile_id: null,
  usage_limits: { monthly_spend_usd: 5000, requests_per_minute: 1000 },
  is_default: false,
};

export const member = {
  type: "workspace_member",
  user_id: ID.user,
  workspace_id: ID.workspace,
  workspace_role: "workspace_developer",
};

export const apiKey = {
  id: ID.apiKey,
  type: "api_key",
  name: "Customer Portal Service",
  status: "active",
  workspace_id: ID.workspace,
  created_at: "2026-04-28T10:10:00.000Z",
  expires_at: "2027-04-28T00:00:00.000Z",
  archived_at: null,
  last_used_at: "2026-04-28T09:45:00.000Z",
  created_by: { id: ID.owner, type: "user", email: "olivia@acme.example" },
  principal: { type: "user_actor", user_id: ID.user },
  scope: { type: "workspace", workspace_id: ID.workspace },
  partial_key: "sk-ant-api03-...UJNv",
  partial_key_hint: "sk-ant-api03-HSZ...UJNv",
};

/** A new key's secret, in the create response only. */
export const API_KEY_SECRET =
  "sk-ant-api03-HSZ7Me0Eojpe84ZeTSSqwZezOCNw3-ayhk020bamQjeGykXTrRcN5uK5jccsUJNv";

export const adminKey = {
  id: ID.adminKey,
  type: "admin_key",
  organization_id: ID.organization,
  user_id: ID.owner,
  name: "Olivia's deploy key",
  partial_key_hint: "sk-ant-admin01-Qm3...x9Tw",
  status: "active",
  scope: "member",
  holder_role: "owner",
  created_at: "2026-04-28T10:05:00.000Z",
  expires_at: null,
  revoked_at: null,
  last_used_at: "2026-04-28T11:30:00.000Z",
};

/** A new admin key's secret, in the create response only. */
export const ADMIN_KEY_SECRET =
  "sk-ant-admin01-Qm3kV8pLw2NcR7sYd4TzHf6JbX1aE5uGo9Ki0MnPqAvWyZ-cD_rS2tUe8x9Tw";
export const serviceAccount = {
  id: ID.serviceAccount,
  type: "service_account",
  name: "ci-deploy-bot",
  description: "Deploys from CI",
  organization_role: "developer",
  created_at: "2026-04-28T11:00:00.000Z",
  updated_at: "2026-04-28T11:00:00.000Z",
  archived_at: null,
  created_by_actor_id: ID.owner,
  updated_by_actor_id: ID.owner,
  archived_by_actor_id: null,
};

export const serviceAccountMember = {
  type: "service_account_workspace_member",
  service_account_id: ID.serviceAccount,
  workspace_id: ID.workspace,
  workspace_role: "workspace_developer",
  implicit: false,
  created_by_actor_id: ID.owner,
};

export const implicitServiceAccountMember = {
  type: "service_account_workspace_member",
  service_account_id: ID.serviceAccount,
  workspace_id: ID.defaultWorkspace,
  workspace_role: "workspace_user",
  implicit: true,
  created_by_actor_id: null,
};
