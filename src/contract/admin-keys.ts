import { z } from "zod";
import { Id, ListQuery, Name, Page, Timestamp, TimestampInput } from "./common.js";

/**
 * Admin keys (`sk-ant-admin01-…`) on the Admin API, for owners: `/v1/organizations/admin_keys`.
 * The host operator's CLI (`steward admin-keys`) presents keys in the same shape.
 */

export const AdminKeyStatus = z
  .enum(["active", "revoked", "expired", "suspended"])
  .describe(
    "`suspended`: its holder was removed or no longer has the admin or owner role; it works again if they do",
  );
export type AdminKeyStatus = z.output<typeof AdminKeyStatus>;

export const AdminKey = z
  .object({
    id: z.string(),
    type: z.literal("admin_key"),
    organization_id: z.string(),
    user_id: z
      .string()
      .nullable()
      .describe("The member the key acts for, with their current role; null: organization-level"),
    name: z.string(),
    partial_key_hint: z.string().describe("sk-ant-admin01-R2D...igAA"),
    status: AdminKeyStatus,
    scope: z
      .enum(["organization", "member"])
      .describe(
        "`member`: acts for `user_id`; `organization`: created by the operator without a holder, with an owner's powers",
      ),
    holder_role: z
      .string()
      .nullable()
      .describe("The holder's current role; null without a holder, or when they were removed"),
    created_at: Timestamp,
    expires_at: Timestamp.nullable(),
    revoked_at: Timestamp.nullable(),
    last_used_at: Timestamp.nullable().describe("To within a minute"),
  })
  .meta({ id: "AdminKey" });
export type AdminKey = z.output<typeof AdminKey>;

export const AdminKeyCreated = AdminKey.extend({
  key: z.string().describe("The full key. Returned only in this response: store it now."),
}).meta({ id: "AdminKeyCreated" });
export type AdminKeyCreated = z.output<typeof AdminKeyCreated>;

export const AdminKeyPage = Page(AdminKey);

export const AdminKeyCreateParams = z
  .strictObject({
    name: Name(200),
    user_id: Id.optional().describe(
      "The member (an admin or owner) the key acts for; the member making the request when left out",
    ),
    expires_at: TimestampInput.nullable().optional().describe("In the future; null: never"),
  })
  .meta({ id: "AdminKeyCreateParams" });
export type AdminKeyCreateParams = z.output<typeof AdminKeyCreateParams>;

export const AdminKeyUpdateParams = z
  .strictObject({ name: Name(200) })
  .meta({ id: "AdminKeyUpdateParams" });
export type AdminKeyUpdateParams = z.output<typeof AdminKeyUpdateParams>;

export const AdminKeyListQuery = ListQuery.extend({
  status: AdminKeyStatus.optional(),
});
export type AdminKeyListQuery = z.output<typeof AdminKeyListQuery>;

export const AdminKeyDeleteResponse = z
  .object({ id: z.string(), type: z.literal("admin_key_deleted"), deleted: z.literal(true) })
  .meta({ id: "AdminKeyDeleteResponse" });
export type AdminKeyDeleteResponse = z.output<typeof AdminKeyDeleteResponse>;
