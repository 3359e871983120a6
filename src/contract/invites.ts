import { z } from "zod";
import { ArrayParam, ListQuery, Name, Page, Timestamp } from "./common.js";
import { Email, OrganizationRole, RoleFilter } from "./users.js";

export const InviteStatus = z.enum(["pending", "accepted", "expired", "deleted"]);
export type InviteStatus = z.output<typeof InviteStatus>;

export const Invite = z
  .object({
    id: z.string(),
    type: z.literal("invite"),
    email: z.string(),
    role: OrganizationRole,
    status: InviteStatus,
    invited_at: Timestamp,
    expires_at: Timestamp,
    accepted_at: Timestamp.nullable(),
    rbac_group_ids: z.array(z.string()),
  })
  .meta({ id: "Invite" });
export type Invite = z.output<typeof Invite>;

export const InviteCreated = Invite.extend({
  token: z
    .string()
    .describe(
      "One-time acceptance token for POST /v1/invites/accept. Returned only in this response.",
    ),
}).meta({ id: "InviteCreated" });

export const InvitePage = Page(Invite);

export const InviteCreateParams = z
  .strictObject({
    email: Email,
    role: OrganizationRole,
    rbac_group_ids: z.array(z.string()).max(0, "RBAC groups are not supported").optional(),
  })
  .meta({ id: "InviteCreateParams" });
export type InviteCreateParams = z.output<typeof InviteCreateParams>;

export const InviteListQuery = ListQuery.extend({
  email: z.string().optional(),
  roles: ArrayParam(RoleFilter).optional(),
  statuses: ArrayParam(z.enum(["pending", "accepted", "expired"])).optional(),
});
export type InviteListQuery = z.output<typeof InviteListQuery>;

export const InviteDeleteResponse = z
  .object({ id: z.string(), type: z.literal("invite_deleted"), deleted: z.literal(true) })
  .meta({ id: "InviteDeleteResponse" });

export const InviteAcceptParams = z
  .strictObject({
    token: z.string().min(1).max(200),
    name: Name(200).optional(),
  })
  .meta({ id: "InviteAcceptParams" });
export type InviteAcceptParams = z.output<typeof InviteAcceptParams>;
