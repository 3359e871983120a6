import { API_KEY_SECRET, apiKey, ID } from "./examples.js";
import { byId, type OperationDoc, type OperationDocs, onAnthropicPath, pageOf } from "./types.js";

const list: OperationDoc = {
  summary: "List API keys",
  description:
    "Lists the organization's API keys, oldest first, revoked (`archived`) ones included so that the trail of who had which key remains. Filter by `status`, `workspace_id`, `created_by_user_id` or `service_account_id`. Keys show only their hints (`partial_key`, `partial_key_hint`), never the secret.",
  response: pageOf([apiKey], byId),
};

const create: OperationDoc = {
  summary: "Create an API key",
  description:
    "Issues a key for the gateway in a workspace (the default workspace when `workspace_id` is left out). The full key (`sk-ant-api03-…`) is in this response only: Steward keeps its SHA-256 hash. `expires_at` must be in the future. `user_id` names the member the key is issued to (its `principal`), so that removing that member revokes it; `service_account_id` names a service account instead (`principal` `service_account_actor`), which must be a member of the key's workspace (every account is one of the default workspace): offboarding people leaves such a key alone, and archiving the account revokes it. `created_by` is the member behind the admin key. The key works at the gateway as soon as this answers.",
  audit: ["api_key.created"],
  request: {
    name: "Customer Portal Service",
    workspace_id: ID.workspace,
    expires_at: "2027-04-28T00:00:00Z",
    user_id: ID.user,
  },
  response: { ...apiKey, last_used_at: null, key: API_KEY_SECRET },
};

const get: OperationDoc = {
  summary: "Get an API key",
  description: "Answers one API key by id, with its hints, never the secret.",
  response: apiKey,
};

const update: OperationDoc = {
  summary: "Rename or change the status of an API key",
  description:
    "Renames the key or switches its status between `active` and `inactive`; `archived` revokes it for good (an archived key's status cannot change again: 400 `api_key_archived`), and an expired key cannot be reactivated. The gateway applies a status change from its very next request.",
  audit: ["api_key.updated"],
  request: { name: "Customer Portal Service (EU)", status: "inactive" },
  response: { ...apiKey, name: "Customer Portal Service (EU)", status: "inactive" },
};

/** API keys, on `/v1/api_keys` and Anthropic's `/v1/organizations/api_keys`. */
export const apiKeyDocs: OperationDocs = {
  seedListApiKeys: list,
  seedCreateApiKey: create,
  seedGetApiKey: get,
  seedUpdateApiKey: update,
  seedRevokeApiKey: {
    summary: "Revoke an API key",
    description:
      'Archives the key at once: the gateway refuses it from the next request (before this answers). The key stays listed with `status: "archived"`. Revoking twice is harmless. Anthropic\'s path has no delete: send `status: "archived"` to `POST /v1/organizations/api_keys/{api_key_id}`.',
    audit: ["api_key.revoked"],
    response: { id: ID.apiKey, type: "api_key_deleted", deleted: true },
  },
  listApiKeys: onAnthropicPath(list, "GET /v1/api_keys"),
  createApiKey: onAnthropicPath(create, "POST /v1/api_keys", {
    description: `${create.description}\n\nA Steward addition: Anthropic's own Admin API creates keys in its Console only.`,
  }),
  getApiKey: onAnthropicPath(get, "GET /v1/api_keys/{api_key_id}"),
  updateApiKey: onAnthropicPath(update, "PATCH /v1/api_keys/{api_key_id}"),
};
