import { API_KEY_SECRET, apiKey, ID, INVITE_TOKEN, invite, member, user } from "./examples.js";
import { type OperationDoc, type OperationDocs, onAnthropicPath } from "./types.js";

const STEWARD_ADDITION =
  "A Steward addition: Anthropic's own API has no onboarding or offboarding.";

const onboard: OperationDoc = {
  summary: "Onboard a person",
  description:
    "In one transaction: invites the person (as `POST /v1/users/invite`), grants them workspace memberships that take effect when they accept (`workspace_memberships`, pending until then), and optionally issues their API key, which works at once and becomes theirs (its `principal`) when they accept. The invite's `token` and the key's `key` are in this response only. Any refusal (`already_member`, `invite_already_exists`, an unknown or archived workspace, an `expires_at` in the past) leaves nothing written. Deleting the invite before it is accepted revokes the key.",
  access:
    "Any admin key of the organization; only an owner's key (or an organization-level key) may onboard an owner.",
  audit: ["invite.created", "workspace_member.invited", "api_key.created", "user.onboarded"],
  request: {
    email: "bob@acme.example",
    role: "developer",
    workspaces: [{ workspace_id: ID.workspace, workspace_role: "workspace_developer" }],
    api_key: { name: "Bob Smith - Payments", workspace_id: ID.workspace },
  },
  response: {
    type: "user_onboarded",
    invite: { ...invite, token: INVITE_TOKEN },
    workspace_memberships: [
      {
        type: "pending_workspace_member",
        invite_id: ID.invite,
        workspace_id: ID.workspace,
        workspace_role: "workspace_developer",
      },
    ],
    api_key: {
      ...apiKey,
      name: "Bob Smith - Payments",
      expires_at: null,
      last_used_at: null,
      principal: null,
      key: API_KEY_SECRET,
    },
  },
};

const offboard: OperationDoc = {
  summary: "Offboard a member",
  description:
    'In one transaction, for an active member: cancels their pending invites, revokes every API key they created or were issued and the admin keys that act for them, removes each of their workspace memberships, and removes them from the organization (the row is kept for history). Revoked keys are refused at the gateway before this answers. With `{"dry_run": true}` it answers exactly what it would do now (the real offboarding, run in a transaction that is rolled back) with `deleted: false` and `dry_run: true`, and changes nothing: no key is revoked and no audit record is written. Without a body, or with `dry_run` false, it offboards. The last owner cannot be offboarded (400 `cannot_remove_last_member`); a member already removed answers 404.',
  access:
    "Any admin key of the organization; only an owner's key (or an organization-level key) may offboard an owner.",
  audit: [
    "invite.deleted",
    "api_key.revoked",
    "workspace_member.removed",
    "admin_key.revoked",
    "user.removed",
    "user.offboarded",
  ],
  request: {},
  response: {
    id: ID.user,
    type: "user_offboarded",
    deleted: true,
    user,
    revoked_api_key_ids: [ID.apiKey],
    revoked_admin_key_ids: [],
    removed_workspace_memberships: [member],
    cancelled_invite_ids: [],
  },
};

/** Onboarding and offboarding, on `/v1/users/…` and the same under `/v1/organizations/users`. */
export const lifecycleDocs: OperationDocs = {
  seedOnboardUser: onboard,
  seedOffboardUser: offboard,
  onboardUser: onAnthropicPath(onboard, "POST /v1/users/onboard", {
    description: `${onboard.description}\n\n${STEWARD_ADDITION}`,
  }),
  offboardUser: onAnthropicPath(offboard, "POST /v1/users/{user_id}/offboard", {
    description: `${offboard.description}\n\n${STEWARD_ADDITION}`,
  }),
};
