import { ID, owner, user } from "./examples.js";
import { byId, type OperationDoc, type OperationDocs, onAnthropicPath, pageOf } from "./types.js";

const OWNER_POWERS =
  "Any admin key of the organization; only an owner's key (or an organization-level key) may change an owner or make someone an owner: an admin's key gets 403 `permission_error` and nothing is written.";

const list: OperationDoc = {
  summary: "List members",
  description:
    "Lists the organization's active members, oldest first. Filter by `email` (case-insensitive) or by `roles`; the official SDK's Enterprise roles (`managed`, `membership_admin`, `primary_owner`) are accepted and match nobody. Removed members are not listed.",
  response: pageOf([owner, user], byId, true),
};

const get: OperationDoc = {
  summary: "Get a member",
  description:
    "Answers one member by id. A removed member, or another organization's, answers 404.",
  response: user,
};

const update: OperationDoc = {
  summary: "Change a member's role or name",
  description:
    "Changes the member's organization role and/or name (give at least one). The answer adds the admin keys the change affects: `suspended_admin_key_ids` (the member's admin keys that stop working because their new role is neither admin nor owner) and `resumed_admin_key_ids` (keys that work again). The organization's last owner cannot be demoted (400 `cannot_remove_last_member`).",
  access: OWNER_POWERS,
  audit: ["user.updated"],
  request: { role: "admin" },
  response: {
    ...user,
    role: "admin",
    updated_at: "2026-04-28T10:05:00.000Z",
    suspended_admin_key_ids: [],
    resumed_admin_key_ids: [],
  },
};

const remove: OperationDoc = {
  summary: "Remove a member",
  description:
    "Removes the member from the organization and, in the same transaction, revokes every API key they created or were issued (listed in `revoked_api_key_ids`; refused at the gateway before this answers), drops their workspace memberships and revokes the admin keys that act for them. The row is kept for history (`created_by` on old keys); the member disappears from lists and answers 404. The last owner cannot be removed (400 `cannot_remove_last_member`). To also cancel their pending invites, use offboarding.",
  access: OWNER_POWERS,
  audit: ["user.removed", "api_key.revoked", "admin_key.revoked"],
  response: {
    id: ID.user,
    type: "user_deleted",
    deleted: true,
    revoked_api_key_ids: [ID.apiKey],
  },
};

/** The organization's members, on `/v1/users` and Anthropic's `/v1/organizations/users`. */
export const userDocs: OperationDocs = {
  seedListUsers: list,
  seedGetUser: get,
  seedUpdateUser: update,
  seedRemoveUser: remove,
  listUsers: onAnthropicPath(list, "GET /v1/users"),
  getUser: onAnthropicPath(get, "GET /v1/users/{user_id}"),
  updateUser: onAnthropicPath(update, "PATCH /v1/users/{user_id}", {
    summary: "Change a member's role",
  }),
  removeUser: onAnthropicPath(remove, "DELETE /v1/users/{user_id}", {
    description: `${remove.description} (Anthropic's own API leaves keys alone; Steward revokes them on both paths.)`,
  }),
};
