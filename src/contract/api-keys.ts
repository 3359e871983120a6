import { z } from "zod";
import { ListQuery, Name, Page, Timestamp, TimestampInput } from "./common.js";

export const ApiKeyStatus = z.enum(["active", "inactive", "archived", "expired"]);
export type ApiKeyStatus = z.output<typeof ApiKeyStatus>;

export const ApiKey = z
  .object({
    id: z.string(),
    type: z.literal("api_key"),
    name: z.string(),
    status: ApiKeyStatus,
    workspace_id: z.string(),
    created_at: Timestamp,
    expires_at: Timestamp.nullable(),
    archived_at: Timestamp.nullable(),
    last_used_at: Timestamp.nullable(),
    created_by: z
      .object({ id: z.string(), type: z.literal("user"), email: z.string().nullable() })
      .nullable(),
    principal: z
      .discriminatedUnion("type", [
        z.object({ type: z.literal("user_actor"), user_id: z.string() }),
        z.object({ type: z.literal("service_account_actor"), service_account_id: z.string() }),
      ])
      .nullable()
      .describe("Who the key belongs to: a member, a service account, or nobody yet"),
    scope: z.object({ type: z.literal("workspace"), workspace_id: z.string() }),
    partial_key: z.string().describe("The seed chapter's hint form: sk-ant-api03-...ABCD"),
    partial_key_hint: z.string().describe("Anthropic's hint form: sk-ant-api03-R2D...igAA"),
  })
  .meta({ id: "ApiKey" });
export type ApiKey = z.output<typeof ApiKey>;

export const ApiKeyCreated = ApiKey.extend({
  key: z.string().describe("The full key. Returned only in this response: store it now."),
}).meta({ id: "ApiKeyCreated" });

export const ApiKeyPage = Page(ApiKey);

export const ApiKeyCreateParams = z
  .strictObject({
    name: Name(500),
    workspace_id: z
      .string()
      .min(1)
      .optional()
      .describe("The workspace the key belongs to; the default workspace when omitted"),
    expires_at: TimestampInput.nullable().optional(),
    user_id: z
      .string()
      .min(1)
      .optional()
      .describe("The member the key is issued to (its principal); revoked when they leave"),
    service_account_id: z
      .string()
      .min(1)
      .optional()
      .describe(
        "The service account the key belongs to (its principal) instead of a member; it must be a member of the key's workspace. Offboarding people leaves it alone; archiving the account revokes it",
      ),
  })
  .meta({ id: "ApiKeyCreateParams" });
export type ApiKeyCreateParams = z.output<typeof ApiKeyCreateParams>;

export const ApiKeyUpdateParams = z
  .strictObject({
    name: Name(500).nullable().optional(),
    status: z.enum(["active", "inactive", "archived"]).nullable().optional(),
  })
  .meta({ id: "ApiKeyUpdateParams" });
export type ApiKeyUpdateParams = z.output<typeof ApiKeyUpdateParams>;

export const ApiKeyListQuery = ListQuery.extend({
  status: ApiKeyStatus.optional(),
  workspace_id: z.string().min(1).optional(),
  created_by_user_id: z.string().min(1).optional(),
  service_account_id: z
    .string()
    .min(1)
    .optional()
    .describe("Steward's addition: only the keys of this service account"),
});
export type ApiKeyListQuery = z.output<typeof ApiKeyListQuery>;

export const ApiKeyDeleteResponse = z
  .object({ id: z.string(), type: z.literal("api_key_deleted"), deleted: z.literal(true) })
  .meta({ id: "ApiKeyDeleteResponse" });
