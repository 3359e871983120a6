import { z } from "zod";
import { ArrayParam, ListQuery, Name, Page, Timestamp } from "./common.js";

export const OrganizationRole = z.enum([
  "owner",
  "admin",
  "developer",
  "billing",
  "user",
  "claude_code_user",
]);
export type OrganizationRole = z.output<typeof OrganizationRole>;

/**
 * Roles a list may filter on: ours, plus the Enterprise roles the official SDK documents
 * (`managed`, `membership_admin`, `primary_owner`), which no Steward member holds, so they match
 * nobody rather than being refused.
 */
export const RoleFilter = z.enum([
  ...OrganizationRole.options,
  "managed",
  "membership_admin",
  "primary_owner",
]);

/** Email addresses are validated, kept as written, and compared case-insensitively. */
export const Email = z.string().trim().max(320).pipe(z.email());

export const User = z
  .object({
    id: z.string(),
    type: z.literal("user"),
    email: z.string(),
    name: z.string(),
    role: OrganizationRole,
    status: z.literal("active"),
    added_at: Timestamp,
    created_at: Timestamp,
    updated_at: Timestamp,
    last_active_at: Timestamp.nullable(),
  })
  .meta({ id: "User" });
export type User = z.output<typeof User>;

export const UserPage = Page(User);

export const UserListQuery = ListQuery.extend({
  email: z.string().optional().describe("Only the member with this email (case-insensitive)"),
  roles: ArrayParam(RoleFilter).optional().describe("Only members with one of these roles"),
});
export type UserListQuery = z.output<typeof UserListQuery>;

export const UserUpdateParams = z
  .strictObject({
    role: OrganizationRole.optional(),
    name: Name(200).optional(),
  })
  .refine((v) => v.role !== undefined || v.name !== undefined, {
    message: "give at least one of role, name",
  })
  .meta({ id: "UserUpdateParams" });
export type UserUpdateParams = z.output<typeof UserUpdateParams>;

/**
 * The update's answer: the user, and the admin keys the role change suspended (the member no
 * longer has a role that may hold admin keys: admin or owner) or let work again.
 */
export const UserUpdated = User.extend({
  suspended_admin_key_ids: z
    .array(z.string())
    .describe("Admin keys held by this member that stop working with this role change"),
  resumed_admin_key_ids: z
    .array(z.string())
    .describe("Admin keys held by this member, suspended before, that work again with this role"),
}).meta({ id: "UserUpdated" });
export type UserUpdated = z.output<typeof UserUpdated>;

export const UserDeleteResponse = z
  .object({
    id: z.string(),
    type: z.literal("user_deleted"),
    deleted: z.literal(true),
    revoked_api_key_ids: z.array(z.string()),
  })
  .meta({ id: "UserDeleteResponse" });
