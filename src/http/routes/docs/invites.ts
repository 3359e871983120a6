import { ID, INVITE_TOKEN, invite, user } from "./examples.js";
import { byId, type OperationDoc, type OperationDocs, onAnthropicPath, pageOf } from "./types.js";

const create: OperationDoc = {
  summary: "Invite a person",
  description:
    "Creates a pending invite for an email with an organization role. The answer carries `token`, the invite's one-time secret (`stw-invite01-…`): it is stored only as a hash and shown only here. Hand it to the person, who joins with `POST /v1/invites/accept`; with `SMTP_URL` set it is also emailed to them, after the invite commits (a failed email changes nothing). Invites expire after 7 days. An email that is already a member is a 400 `already_member`; one with a pending invite, 400 `invite_already_exists`.",
  access:
    "Any admin key of the organization; only an owner's key (or an organization-level key) may invite an owner.",
  audit: ["invite.created"],
  request: { email: "bob@acme.example", role: "developer" },
  response: { ...invite, token: INVITE_TOKEN },
};

/** Invitations: `POST /v1/users/invite`, Anthropic's `/v1/organizations/invites`, and acceptance. */
export const inviteDocs: OperationDocs = {
  seedInviteUser: create,
  createInvite: onAnthropicPath(create, "POST /v1/users/invite"),
  listInvites: {
    summary: "List invites",
    description:
      "Lists the organization's invites, oldest first: pending, accepted and expired ones (`expired` is derived from `expires_at` when read, so it is never stale); deleted invites leave the list. Filter by `email`, `roles` and `statuses`. Served on Anthropic's Admin API path.",
    response: pageOf([invite], byId),
  },
  getInvite: {
    summary: "Get an invite",
    description:
      'Answers one invite by id, deleted ones included (`status: "deleted"`). The token is never shown again. Served on Anthropic\'s Admin API path.',
    response: invite,
  },
  deleteInvite: {
    summary: "Delete an invite",
    description:
      "Cancels a pending or expired invite: its token stops working. An invite made by onboarding also takes the API key issued with it (revoked at the gateway at once). An accepted invite is a 400 `invite_not_pending`: remove the member instead. Served on Anthropic's Admin API path.",
    audit: ["invite.deleted", "api_key.revoked"],
    response: { id: ID.invite, type: "invite_deleted", deleted: true },
  },
  acceptInvite: {
    summary: "Accept an invite",
    description:
      "Exchanges an invite's one-time token for a membership: creates the user with the invite's role (and `name`, when given), turns the workspace memberships onboarding granted into real ones, and makes them the principal of an API key onboarding issued. The token works once, before expiry, and not after the invite was deleted; an unknown token is a 401, a used or expired one a 400 `invite_not_pending`.",
    access: "No admin key: the invite's token is the credential.",
    audit: ["invite.accepted", "user.created", "workspace_member.added", "api_key.updated"],
    request: { token: INVITE_TOKEN, name: "Bob Smith" },
    response: {
      ...user,
      id: ID.user,
      email: "bob@acme.example",
      name: "Bob Smith",
      added_at: "2026-04-28T11:20:00.000Z",
      created_at: "2026-04-28T11:20:00.000Z",
      updated_at: "2026-04-28T11:20:00.000Z",
      last_active_at: "2026-04-28T11:20:00.000Z",
    },
  },
};
