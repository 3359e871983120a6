import { ADMIN_KEY_SECRET, adminKey, ID } from "./examples.js";
import { byId, type OperationDocs, pageOf } from "./types.js";

const OWNERS =
  "Owners only: an owner's console session, an admin key held by an owner, or an organization-level key. Admins, developers and users get 403 (`permission_error`).";

/** Admin keys, on `/v1/organizations/admin_keys`. */
export const adminKeyDocs: OperationDocs = {
  listAdminKeys: {
    summary: "List admin keys",
    description:
      "Lists the organization's admin keys, oldest first, revoked ones included. Filter by `status`: `active`, `revoked`, `expired`, or `suspended` (the holder was removed or no longer has the admin or owner role). Keys show only their hint, never the secret.",
    access: OWNERS,
    response: pageOf([adminKey], byId),
  },
  createAdminKey: {
    summary: "Create an admin key",
    description:
      "Issues an admin key held by a member who is an admin or owner: `user_id`, or the member making the request when left out. The key acts with its holder's current role, is suspended while they lack the admin or owner role, and is revoked when they are removed. The full key (`sk-ant-admin01-…`) is in this response only: Steward keeps its SHA-256 hash. Organization-level keys (without a holder) are created by the host operator only (`steward admin-keys create`), so a request made with one must name `user_id`.",
    access: OWNERS,
    audit: ["admin_key.created"],
    request: { name: "Olivia's deploy key", user_id: ID.owner, expires_at: null },
    response: { ...adminKey, last_used_at: null, key: ADMIN_KEY_SECRET },
  },
  getAdminKey: {
    summary: "Get an admin key",
    description: "Answers one admin key by id, with its hint, never the secret.",
    access: OWNERS,
    response: adminKey,
  },
  updateAdminKey: {
    summary: "Rename an admin key",
    description:
      "Renames the key; sending its current name changes nothing and records nothing. Admin keys have no inactive state: revoke a key to stop it.",
    access: OWNERS,
    audit: ["admin_key.updated"],
    request: { name: "Olivia's CI key" },
    response: { ...adminKey, name: "Olivia's CI key" },
  },
  revokeAdminKey: {
    summary: "Revoke an admin key",
    description:
      "Revokes the key at once: from the next request it answers 401. It stays listed with `status: \"revoked\"`; revoking twice is harmless. The organization's last working key with an owner's powers (organization-level, or held by an owner) can be revoked only from an owner's console session, which stays signed in; with an admin key that is refused (400 `last_owner_admin_key`) so that the owners keep a way into the Admin API. The host operator can always issue a new key (`steward admin-keys create`).",
    access: OWNERS,
    audit: ["admin_key.revoked"],
    response: { id: ID.adminKey, type: "admin_key_deleted", deleted: true },
  },
};
