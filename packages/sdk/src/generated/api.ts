/**
 * The Steward Admin API's types, generated from the server's /openapi.json by
 * scripts/generate-sdk-types.ts (openapi-typescript). Do not edit: run `npm run sdk:generate`.
 */
export interface paths {
  "/v1/organizations": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Get the organization
     * @description Answers the organization the calling admin key belongs to: its name, billing (`plan` is `self_hosted`; `usage_limit_usd` is the monthly spend limit the gateway enforces, `null` for none; `current_month_usage_usd` is this UTC month's recorded spend) and settings (`allowed_ip_ranges` is the gateway's IP allow-list, empty for everyone).
     *
     *     **Who may call it:** Any admin key of the organization. Admin keys are held by admins and owners and act with their holder's current role; organization-level keys have an owner's powers.
     */
    get: operations["seedGetOrganization"];
    put?: never;
    /**
     * Update the organization (POST)
     * @description Changes the name, settings and monthly spend limit; fields left out keep their value. `settings.allowed_ip_ranges` replaces the gateway's IP allow-list (IPv4 and IPv6 CIDRs, normalized: `203.0.113.7/24` is kept as `203.0.113.0/24`; `[]` admits every address). `billing.usage_limit_usd` sets the monthly spend limit in USD (`null` removes it). The gateway applies both from its very next request.
     *
     *     The same operation as `PATCH /v1/organizations`, under the method the Python client sends.
     *
     *     **Who may call it:** Any admin key of the organization. Admin keys are held by admins and owners and act with their holder's current role; organization-level keys have an owner's powers.
     *
     *     **Audit:** records `organization.updated` in the same transaction as the change.
     *
     *     **Retries:** send an `Idempotency-Key` header to make a retry safe: repeated within 24 hours, the request answers its first response (`idempotent-replayed: true`) and never runs twice.
     */
    post: operations["seedUpdateOrganization"];
    delete?: never;
    options?: never;
    head?: never;
    /**
     * Update the organization
     * @description Changes the name, settings and monthly spend limit; fields left out keep their value. `settings.allowed_ip_ranges` replaces the gateway's IP allow-list (IPv4 and IPv6 CIDRs, normalized: `203.0.113.7/24` is kept as `203.0.113.0/24`; `[]` admits every address). `billing.usage_limit_usd` sets the monthly spend limit in USD (`null` removes it). The gateway applies both from its very next request.
     *
     *     **Who may call it:** Any admin key of the organization. Admin keys are held by admins and owners and act with their holder's current role; organization-level keys have an owner's powers.
     *
     *     **Audit:** records `organization.updated` in the same transaction as the change.
     *
     *     **Retries:** send an `Idempotency-Key` header to make a retry safe: repeated within 24 hours, the request answers its first response (`idempotent-replayed: true`) and never runs twice.
     */
    patch: operations["seedPatchOrganization"];
    trace?: never;
  };
  "/v1/organizations/me": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Get the organization (Anthropic's path)
     * @description The same operation as `GET /v1/organizations`, on the same data, under Anthropic's Admin API paths (`/v1/organizations/…`), which the official SDK calls.
     *
     *     Answers the organization the calling admin key belongs to: its name, billing (`plan` is `self_hosted`; `usage_limit_usd` is the monthly spend limit the gateway enforces, `null` for none; `current_month_usage_usd` is this UTC month's recorded spend) and settings (`allowed_ip_ranges` is the gateway's IP allow-list, empty for everyone).
     *
     *     **Who may call it:** Any admin key of the organization. Admin keys are held by admins and owners and act with their holder's current role; organization-level keys have an owner's powers.
     */
    get: operations["getOrganizationMe"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/users": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List members
     * @description Lists the organization's active members, oldest first. Filter by `email` (case-insensitive) or by `roles`; the official SDK's Enterprise roles (`managed`, `membership_admin`, `primary_owner`) are accepted and match nobody. Removed members are not listed.
     *
     *     **Who may call it:** Any admin key of the organization. Admin keys are held by admins and owners and act with their holder's current role; organization-level keys have an owner's powers.
     *
     *     **Paging:** `limit` (1 to 1000, default 20) with `after_id` or `before_id`; the answer's `has_more` and `last_id` (or `first_id`) lead to the next page.
     */
    get: operations["seedListUsers"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/users/{user_id}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Get a member
     * @description Answers one member by id. A removed member, or another organization's, answers 404.
     *
     *     **Who may call it:** Any admin key of the organization. Admin keys are held by admins and owners and act with their holder's current role; organization-level keys have an owner's powers.
     */
    get: operations["seedGetUser"];
    put?: never;
    post?: never;
    /**
     * Remove a member
     * @description Removes the member from the organization and, in the same transaction, revokes every API key they created or were issued (listed in `revoked_api_key_ids`; refused at the gateway before this answers), drops their workspace memberships and revokes the admin keys that act for them. The row is kept for history (`created_by` on old keys); the member disappears from lists and answers 404. The last owner cannot be removed (400 `cannot_remove_last_member`). To also cancel their pending invites, use offboarding.
     *
     *     **Who may call it:** Any admin key of the organization; only an owner's key (or an organization-level key) may change an owner or make someone an owner: an admin's key gets 403 `permission_error` and nothing is written.
     *
     *     **Audit:** records `user.removed`, `api_key.revoked`, `admin_key.revoked` in the same transaction as the change.
     *
     *     **Retries:** send an `Idempotency-Key` header to make a retry safe: repeated within 24 hours, the request answers its first response (`idempotent-replayed: true`) and never runs twice.
     */
    delete: operations["seedRemoveUser"];
    options?: never;
    head?: never;
    /**
     * Change a member's role or name
     * @description Changes the member's organization role and/or name (give at least one). The answer adds the admin keys the change affects: `suspended_admin_key_ids` (the member's admin keys that stop working because their new role is neither admin nor owner) and `resumed_admin_key_ids` (keys that work again). The organization's last owner cannot be demoted (400 `cannot_remove_last_member`).
     *
     *     **Who may call it:** Any admin key of the organization; only an owner's key (or an organization-level key) may change an owner or make someone an owner: an admin's key gets 403 `permission_error` and nothing is written.
     *
     *     **Audit:** records `user.updated` in the same transaction as the change.
     *
     *     **Retries:** send an `Idempotency-Key` header to make a retry safe: repeated within 24 hours, the request answers its first response (`idempotent-replayed: true`) and never runs twice.
     */
    patch: operations["seedUpdateUser"];
    trace?: never;
  };
  "/v1/organizations/users": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List members (Anthropic's path)
     * @description The same operation as `GET /v1/users`, on the same data, under Anthropic's Admin API paths (`/v1/organizations/…`), which the official SDK calls.
     *
     *     Lists the organization's active members, oldest first. Filter by `email` (case-insensitive) or by `roles`; the official SDK's Enterprise roles (`managed`, `membership_admin`, `primary_owner`) are accepted and match nobody. Removed members are not listed.
     *
     *     **Who may call it:** Any admin key of the organization. Admin keys are held by admins and owners and act with their holder's current role; organization-level keys have an owner's powers.
     *
     *     **Paging:** `limit` (1 to 1000, default 20) with `after_id` or `before_id`; the answer's `has_more` and `last_id` (or `first_id`) lead to the next page.
     */
    get: operations["listUsers"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/organizations/users/{user_id}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Get a member (Anthropic's path)
     * @description The same operation as `GET /v1/users/{user_id}`, on the same data, under Anthropic's Admin API paths (`/v1/organizations/…`), which the official SDK calls.
     *
     *     Answers one member by id. A removed member, or another organization's, answers 404.
     *
     *     **Who may call it:** Any admin key of the organization. Admin keys are held by admins and owners and act with their holder's current role; organization-level keys have an owner's powers.
     */
    get: operations["getUser"];
    put?: never;
    /**
     * Change a member's role (Anthropic's path)
     * @description The same operation as `PATCH /v1/users/{user_id}`, on the same data, under Anthropic's Admin API paths (`/v1/organizations/…`), which the official SDK calls.
     *
     *     Changes the member's organization role and/or name (give at least one). The answer adds the admin keys the change affects: `suspended_admin_key_ids` (the member's admin keys that stop working because their new role is neither admin nor owner) and `resumed_admin_key_ids` (keys that work again). The organization's last owner cannot be demoted (400 `cannot_remove_last_member`).
     *
     *     **Who may call it:** Any admin key of the organization; only an owner's key (or an organization-level key) may change an owner or make someone an owner: an admin's key gets 403 `permission_error` and nothing is written.
     *
     *     **Audit:** records `user.updated` in the same transaction as the change.
     *
     *     **Retries:** send an `Idempotency-Key` header to make a retry safe: repeated within 24 hours, the request answers its first response (`idempotent-replayed: true`) and never runs twice.
     */
    post: operations["updateUser"];
    /**
     * Remove a member (Anthropic's path)
     * @description The same operation as `DELETE /v1/users/{user_id}`, on the same data, under Anthropic's Admin API paths (`/v1/organizations/…`), which the official SDK calls.
     *
     *     Removes the member from the organization and, in the same transaction, revokes every API key they created or were issued (listed in `revoked_api_key_ids`; refused at the gateway before this answers), drops their workspace memberships and revokes the admin keys that act for them. The row is kept for history (`created_by` on old keys); the member disappears from lists and answers 404. The last owner cannot be removed (400 `cannot_remove_last_member`). To also cancel their pending invites, use offboarding. (Anthropic's own API leaves keys alone; Steward revokes them on both paths.)
     *
     *     **Who may call it:** Any admin key of the organization; only an owner's key (or an organization-level key) may change an owner or make someone an owner: an admin's key gets 403 `permission_error` and nothing is written.
     *
     *     **Audit:** records `user.removed`, `api_key.revoked`, `admin_key.revoked` in the same transaction as the change.
     *
     *     **Retries:** send an `Idempotency-Key` header to make a retry safe: repeated within 24 hours, the request answers its first response (`idempotent-replayed: true`) and never runs twice.
     */
    delete: operations["removeUser"];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/users/invite": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Invite a person
     * @description Creates a pending invite for an email with an organization role. The answer carries `token`, the invite's one-time secret (`stw-invite01-…`): it is stored only as a hash and shown only here. Hand it to the person, who joins with `POST /v1/invites/accept`; with `SMTP_URL` set it is also emailed to them, after the invite commits (a failed email changes nothing). Invites expire after 7 days. An email that is already a member is a 400 `already_member`; one with a pending invite, 400 `invite_already_exists`.
     *
     *     **Who may call it:** Any admin key of the organization; only an owner's key (or an organization-level key) may invite an owner.
     *
     *     **Audit:** records `invite.created` in the same transaction as the change.
     *
     *     **Retries:** send an `Idempotency-Key` header to make a retry safe: repeated within 24 hours, the request answers its first response (`idempotent-replayed: true`) and never runs twice.
     */
    post: operations["seedInviteUser"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/invites/accept": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Accept an invite
     * @description Exchanges an invite's one-time token for a membership: creates the user with the invite's role (and `name`, when given), turns the workspace memberships onboarding granted into real ones, and makes them the principal of an API key onboarding issued. The token works once, before expiry, and not after the invite was deleted; an unknown token is a 401, a used or expired one a 400 `invite_not_pending`.
     *
     *     **Who may call it:** No admin key: the invite's token is the credential.
     *
     *     **Audit:** records `invite.accepted`, `user.created`, `workspace_member.added`, `api_key.updated` in the same transaction as the change.
     */
    post: operations["acceptInvite"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/organizations/invites": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List invites
     * @description Lists the organization's invites, oldest first: pending, accepted and expired ones (`expired` is derived from `expires_at` when read, so it is never stale); deleted invites leave the list. Filter by `email`, `roles` and `statuses`. Served on Anthropic's Admin API path.
     *
     *     **Who may call it:** Any admin key of the organization. Admin keys are held by admins and owners and act with their holder's current role; organization-level keys have an owner's powers.
     *
     *     **Paging:** `limit` (1 to 1000, default 20) with `after_id` or `before_id`; the answer's `has_more` and `last_id` (or `first_id`) lead to the next page.
     */
    get: operations["listInvites"];
    put?: never;
    /**
     * Invite a person (Anthropic's path)
     * @description The same operation as `POST /v1/users/invite`, on the same data, under Anthropic's Admin API paths (`/v1/organizations/…`), which the official SDK calls.
     *
     *     Creates a pending invite for an email with an organization role. The answer carries `token`, the invite's one-time secret (`stw-invite01-…`): it is stored only as a hash and shown only here. Hand it to the person, who joins with `POST /v1/invites/accept`; with `SMTP_URL` set it is also emailed to them, after the invite commits (a failed email changes nothing). Invites expire after 7 days. An email that is already a member is a 400 `already_member`; one with a pending invite, 400 `invite_already_exists`.
     *
     *     **Who may call it:** Any admin key of the organization; only an owner's key (or an organization-level key) may invite an owner.
     *
     *     **Audit:** records `invite.created` in the same transaction as the change.
     *
     *     **Retries:** send an `Idempotency-Key` header to make a retry safe: repeated within 24 hours, the request answers its first response (`idempotent-replayed: true`) and never runs twice.
     */
    post: operations["createInvite"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/organizations/invites/{invite_id}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Get an invite
     * @description Answers one invite by id, deleted ones included (`status: "deleted"`). The token is never shown again. Served on Anthropic's Admin API path.
     *
     *     **Who may call it:** Any admin key of the organization. Admin keys are held by admins and owners and act with their holder's current role; organization-level keys have an owner's powers.
     */
    get: operations["getInvite"];
    put?: never;
    post?: never;
    /**
     * Delete an invite
     * @description Cancels a pending or expired invite: its token stops working. An invite made by onboarding also takes the API key issued with it (revoked at the gateway at once). An accepted invite is a 400 `invite_not_pending`: remove the member instead. Served on Anthropic's Admin API path.
     *
     *     **Who may call it:** Any admin key of the organization. Admin keys are held by admins and owners and act with their holder's current role; organization-level keys have an owner's powers.
     *
     *     **Audit:** records `invite.deleted`, `api_key.revoked` in the same transaction as the change.
     *
     *     **Retries:** send an `Idempotency-Key` header to make a retry safe: repeated within 24 hours, the request answers its first response (`idempotent-replayed: true`) and never runs twice.
     */
    delete: operations["deleteInvite"];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/users/onboard": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Onboard a person
     * @description In one transaction: invites the person (as `POST /v1/users/invite`), grants them workspace memberships that take effect when they accept (`workspace_memberships`, pending until then), and optionally issues their API key, which works at once and becomes theirs (its `principal`) when they accept. The invite's `token` and the key's `key` are in this response only. Any refusal (`already_member`, `invite_already_exists`, an unknown or archived workspace, an `expires_at` in the past) leaves nothing written. Deleting the invite before it is accepted revokes the key.
     *
     *     **Who may call it:** Any admin key of the organization; only an owner's key (or an organization-level key) may onboard an owner.
     *
     *     **Audit:** records `invite.created`, `workspace_member.invited`, `api_key.created`, `user.onboarded` in the same transaction as the change.
     *
     *     **Retries:** send an `Idempotency-Key` header to make a retry safe: repeated within 24 hours, the request answers its first response (`idempotent-replayed: true`) and never runs twice.
     */
    post: operations["seedOnboardUser"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/users/{user_id}/offboard": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Offboard a member
     * @description In one transaction, for an active member: cancels their pending invites, revokes every API key they created or were issued and the admin keys that act for them, removes each of their workspace memberships, and removes them from the organization (the row is kept for history). Revoked keys are refused at the gateway before this answers. With `{"dry_run": true}` it answers exactly what it would do now (the real offboarding, run in a transaction that is rolled back) with `deleted: false` and `dry_run: true`, and changes nothing: no key is revoked and no audit record is written. Without a body, or with `dry_run` false, it offboards. The last owner cannot be offboarded (400 `cannot_remove_last_member`); a member already removed answers 404.
     *
     *     **Who may call it:** Any admin key of the organization; only an owner's key (or an organization-level key) may offboard an owner.
     *
     *     **Audit:** records `invite.deleted`, `api_key.revoked`, `workspace_member.removed`, `admin_key.revoked`, `user.removed`, `user.offboarded` in the same transaction as the change.
     *
     *     **Retries:** send an `Idempotency-Key` header to make a retry safe: repeated within 24 hours, the request answers its first response (`idempotent-replayed: true`) and never runs twice.
     */
    post: operations["seedOffboardUser"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/organizations/users/onboard": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Onboard a person (Anthropic's path)
     * @description The same operation as `POST /v1/users/onboard`, on the same data, under Anthropic's Admin API paths (`/v1/organizations/…`), which the official SDK calls.
     *
     *     In one transaction: invites the person (as `POST /v1/users/invite`), grants them workspace memberships that take effect when they accept (`workspace_memberships`, pending until then), and optionally issues their API key, which works at once and becomes theirs (its `principal`) when they accept. The invite's `token` and the key's `key` are in this response only. Any refusal (`already_member`, `invite_already_exists`, an unknown or archived workspace, an `expires_at` in the past) leaves nothing written. Deleting the invite before it is accepted revokes the key.
     *
     *     A Steward addition: Anthropic's own API has no onboarding or offboarding.
     *
     *     **Who may call it:** Any admin key of the organization; only an owner's key (or an organization-level key) may onboard an owner.
     *
     *     **Audit:** records `invite.created`, `workspace_member.invited`, `api_key.created`, `user.onboarded` in the same transaction as the change.
     *
     *     **Retries:** send an `Idempotency-Key` header to make a retry safe: repeated within 24 hours, the request answers its first response (`idempotent-replayed: true`) and never runs twice.
     */
    post: operations["onboardUser"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/organizations/users/{user_id}/offboard": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Offboard a member (Anthropic's path)
     * @description The same operation as `POST /v1/users/{user_id}/offboard`, on the same data, under Anthropic's Admin API paths (`/v1/organizations/…`), which the official SDK calls.
     *
     *     In one transaction, for an active member: cancels their pending invites, revokes every API key they created or were issued and the admin keys that act for them, removes each of their workspace memberships, and removes them from the organization (the row is kept for history). Revoked keys are refused at the gateway before this answers. With `{"dry_run": true}` it answers exactly what it would do now (the real offboarding, run in a transaction that is rolled back) with `deleted: false` and `dry_run: true`, and changes nothing: no key is revoked and no audit record is written. Without a body, or with `dry_run` false, it offboards. The last owner cannot be offboarded (400 `cannot_remove_last_member`); a member already removed answers 404.
     *
     *     A Steward addition: Anthropic's own API has no onboarding or offboarding.
     *
     *     **Who may call it:** Any admin key of the organization; only an owner's key (or an organization-level key) may offboard an owner.
     *
     *     **Audit:** records `invite.deleted`, `api_key.revoked`, `workspace_member.removed`, `admin_key.revoked`, `user.removed`, `user.offboarded` in the same transaction as the change.
     *
     *     **Retries:** send an `Idempotency-Key` header to make a retry safe: repeated within 24 hours, the request answers its first response (`idempotent-replayed: true`) and never runs twice.
     */
    post: operations["offboardUser"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/workspaces": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List workspaces
     * @description Lists the organization's workspaces, oldest first, the default workspace included (`include_default=false` hides it; `include_archived=true` adds archived ones; `ids` picks some).
     *
     *     **Who may call it:** Any admin key of the organization. Admin keys are held by admins and owners and act with their holder's current role; organization-level keys have an owner's powers.
     *
     *     **Paging:** `limit` (1 to 1000, default 20) with `after_id` or `before_id`; the answer's `has_more` and `last_id` (or `first_id`) lead to the next page.
     */
    get: operations["seedListWorkspaces"];
    put?: never;
    /**
     * Create a workspace
     * @description Creates a workspace with a name (1 to 40 characters) and, optionally, a display color (picked from a palette when not given), tags, data residency and limits. `usage_limits.requests_per_minute` and `usage_limits.monthly_spend_usd` are enforced by the gateway from its very next request (`null` for no limit).
     *
     *     **Who may call it:** Any admin key of the organization. Admin keys are held by admins and owners and act with their holder's current role; organization-level keys have an owner's powers.
     *
     *     **Audit:** records `workspace.created` in the same transaction as the change.
     *
     *     **Retries:** send an `Idempotency-Key` header to make a retry safe: repeated within 24 hours, the request answers its first response (`idempotent-replayed: true`) and never runs twice.
     */
    post: operations["seedCreateWorkspace"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/workspaces/{workspace_id}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Get a workspace
     * @description Answers one workspace by id, archived ones included. Another organization's id answers 404.
     *
     *     **Who may call it:** Any admin key of the organization. Admin keys are held by admins and owners and act with their holder's current role; organization-level keys have an owner's powers.
     */
    get: operations["seedGetWorkspace"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    /**
     * Update a workspace
     * @description Changes the name, display color, data residency, tags or limits; fields left out keep their value. `tags` merges (a `null` value removes a tag, `tags: null` clears them all). `usage_limits.requests_per_minute` and `usage_limits.monthly_spend_usd` are enforced by the gateway from its very next request (`null` for no limit). An archived workspace cannot be changed (400 `workspace_archived`).
     *
     *     **Who may call it:** Any admin key of the organization. Admin keys are held by admins and owners and act with their holder's current role; organization-level keys have an owner's powers.
     *
     *     **Audit:** records `workspace.updated` in the same transaction as the change.
     *
     *     **Retries:** send an `Idempotency-Key` header to make a retry safe: repeated within 24 hours, the request answers its first response (`idempotent-replayed: true`) and never runs twice.
     */
    patch: operations["seedUpdateWorkspace"];
    trace?: never;
  };
  "/v1/workspaces/{workspace_id}/archive": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Archive a workspace
     * @description Archives the workspace and, in the same transaction, every API key in it (refused at the gateway before this answers). An archived workspace takes no new keys, members or changes. Archiving twice is harmless; the default workspace cannot be archived (400 `default_workspace_protected`).
     *
     *     **Who may call it:** Any admin key of the organization. Admin keys are held by admins and owners and act with their holder's current role; organization-level keys have an owner's powers.
     *
     *     **Audit:** records `workspace.archived`, `api_key.revoked` in the same transaction as the change.
     *
     *     **Retries:** send an `Idempotency-Key` header to make a retry safe: repeated within 24 hours, the request answers its first response (`idempotent-replayed: true`) and never runs twice.
     */
    post: operations["seedArchiveWorkspace"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/organizations/workspaces": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List workspaces (Anthropic's path)
     * @description The same operation as `GET /v1/workspaces`, on the same data, under Anthropic's Admin API paths (`/v1/organizations/…`), which the official SDK calls.
     *
     *     Lists the organization's workspaces, oldest first. As at Anthropic, the default workspace is left out unless `include_default=true`, and archived ones unless `include_archived=true`; `ids` picks some.
     *
     *     **Who may call it:** Any admin key of the organization. Admin keys are held by admins and owners and act with their holder's current role; organization-level keys have an owner's powers.
     *
     *     **Paging:** `limit` (1 to 1000, default 20) with `after_id` or `before_id`; the answer's `has_more` and `last_id` (or `first_id`) lead to the next page.
     */
    get: operations["listWorkspaces"];
    put?: never;
    /**
     * Create a workspace (Anthropic's path)
     * @description The same operation as `POST /v1/workspaces`, on the same data, under Anthropic's Admin API paths (`/v1/organizations/…`), which the official SDK calls.
     *
     *     Creates a workspace with a name (1 to 40 characters) and, optionally, a display color (picked from a palette when not given), tags, data residency and limits. `usage_limits.requests_per_minute` and `usage_limits.monthly_spend_usd` are enforced by the gateway from its very next request (`null` for no limit).
     *
     *     **Who may call it:** Any admin key of the organization. Admin keys are held by admins and owners and act with their holder's current role; organization-level keys have an owner's powers.
     *
     *     **Audit:** records `workspace.created` in the same transaction as the change.
     *
     *     **Retries:** send an `Idempotency-Key` header to make a retry safe: repeated within 24 hours, the request answers its first response (`idempotent-replayed: true`) and never runs twice.
     */
    post: operations["createWorkspace"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/organizations/workspaces/{workspace_id}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Get a workspace (Anthropic's path)
     * @description The same operation as `GET /v1/workspaces/{workspace_id}`, on the same data, under Anthropic's Admin API paths (`/v1/organizations/…`), which the official SDK calls.
     *
     *     Answers one workspace by id, archived ones included. Another organization's id answers 404.
     *
     *     **Who may call it:** Any admin key of the organization. Admin keys are held by admins and owners and act with their holder's current role; organization-level keys have an owner's powers.
     */
    get: operations["getWorkspace"];
    put?: never;
    /**
     * Update a workspace (Anthropic's path)
     * @description The same operation as `PATCH /v1/workspaces/{workspace_id}`, on the same data, under Anthropic's Admin API paths (`/v1/organizations/…`), which the official SDK calls.
     *
     *     Changes the name, display color, data residency, tags or limits; fields left out keep their value. `tags` merges (a `null` value removes a tag, `tags: null` clears them all). `usage_limits.requests_per_minute` and `usage_limits.monthly_spend_usd` are enforced by the gateway from its very next request (`null` for no limit). An archived workspace cannot be changed (400 `workspace_archived`).
     *
     *     **Who may call it:** Any admin key of the organization. Admin keys are held by admins and owners and act with their holder's current role; organization-level keys have an owner's powers.
     *
     *     **Audit:** records `workspace.updated` in the same transaction as the change.
     *
     *     **Retries:** send an `Idempotency-Key` header to make a retry safe: repeated within 24 hours, the request answers its first response (`idempotent-replayed: true`) and never runs twice.
     */
    post: operations["updateWorkspace"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/organizations/workspaces/{workspace_id}/archive": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Archive a workspace (Anthropic's path)
     * @description The same operation as `POST /v1/workspaces/{workspace_id}/archive`, on the same data, under Anthropic's Admin API paths (`/v1/organizations/…`), which the official SDK calls.
     *
     *     Archives the workspace and, in the same transaction, every API key in it (refused at the gateway before this answers). An archived workspace takes no new keys, members or changes. Archiving twice is harmless; the default workspace cannot be archived (400 `default_workspace_protected`).
     *
     *     **Who may call it:** Any admin key of the organization. Admin keys are held by admins and owners and act with their holder's current role; organization-level keys have an owner's powers.
     *
     *     **Audit:** records `workspace.archived`, `api_key.revoked` in the same transaction as the change.
     *
     *     **Retries:** send an `Idempotency-Key` header to make a retry safe: repeated within 24 hours, the request answers its first response (`idempotent-replayed: true`) and never runs twice.
     */
    post: operations["archiveWorkspace"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/organizations/rate_limits": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List the organization's rate-limit groups
     * @description Lists one entry per rate-limit group, with the id (`rl_…`) to pass as `rate_limit_id` when setting a workspace's limits. A rate-limit group is a family of models (`model_group`, with its `models`; a model no other group names falls in *Other models*), or an API surface: `token_count`, `batch`, `files`, `web_search`. The gateway enforces a workspace's `requests_per_minute`, `input_tokens_per_minute` and `output_tokens_per_minute` per group: `/v1/messages` in its model's group, `/v1/messages/count_tokens` in `token_count`. Steward has no organization-level values of its own (Anthropic's apply to Steward's upstream key), so `limits` is empty. `group_type` keeps one type of group; `model` keeps the group of that model (dated versions and aliases included).
     *
     *     **Paging:** left out, `limit` answers every entry in one page; with `limit` (1 to 1000), follow `next_page` as `page` (null on the last page).
     *
     *     **Who may call it:** Any admin key of the organization. Admin keys are held by admins and owners and act with their holder's current role; organization-level keys have an owner's powers.
     */
    get: operations["listOrganizationRateLimits"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/organizations/workspaces/{workspace_id}/rate_limits": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List a workspace's rate limits
     * @description Lists the groups for which the workspace has values, with each value (`source.type` `workspace`); `include_inherited=true` lists every group, those without a value with empty `limits` (Steward has no organization values to inherit). `usage_limits.requests_per_minute` of the workspace is a view of these values: the lowest `requests_per_minute` of its groups. A rate-limit group is a family of models (`model_group`, with its `models`; a model no other group names falls in *Other models*), or an API surface: `token_count`, `batch`, `files`, `web_search`. The gateway enforces a workspace's `requests_per_minute`, `input_tokens_per_minute` and `output_tokens_per_minute` per group: `/v1/messages` in its model's group, `/v1/messages/count_tokens` in `token_count`.
     *
     *     **Paging:** left out, `limit` answers every entry in one page; with `limit` (1 to 1000), follow `next_page` as `page` (null on the last page).
     *
     *     **Who may call it:** Any admin key of the organization. Admin keys are held by admins and owners and act with their holder's current role; organization-level keys have an owner's powers.
     */
    get: operations["listWorkspaceRateLimits"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/organizations/workspaces/{workspace_id}/rate_limits/{rate_limit_id}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Set a workspace's rate limits for a group
     * @description Sets (an integer, 0 refuses everything) or clears (`null`) the workspace's value of each limit type named in `limits`, for the group of `rate_limit_id`; types not named keep theirs. Answers the group's entry as the list does. The gateway applies it from its next request, on every node. A `rate_limit_id` that is not one of the organization's is a 404; an archived workspace is a 400 `workspace_archived`. Writing a workspace's `usage_limits.requests_per_minute` sets `requests_per_minute` in every group at once.
     *
     *     **Who may call it:** Any admin key of the organization. Admin keys are held by admins and owners and act with their holder's current role; organization-level keys have an owner's powers.
     *
     *     **Audit:** records `workspace.rate_limit_updated` in the same transaction as the change.
     *
     *     **Retries:** send an `Idempotency-Key` header to make a retry safe: repeated within 24 hours, the request answers its first response (`idempotent-replayed: true`) and never runs twice.
     */
    post: operations["updateWorkspaceRateLimit"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/organizations/workspaces/{workspace_id}/members": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List a workspace's members
     * @description Lists the workspace's members with their workspace role; pages are keyed by `user_id`. Served on Anthropic's Admin API path.
     *
     *     **Who may call it:** Any admin key of the organization. Admin keys are held by admins and owners and act with their holder's current role; organization-level keys have an owner's powers.
     *
     *     **Paging:** `limit` (1 to 1000, default 20) with `after_id` or `before_id`; the answer's `has_more` and `last_id` (or `first_id`) lead to the next page.
     */
    get: operations["listWorkspaceMembers"];
    put?: never;
    /**
     * Add a member to a workspace
     * @description Gives an organization member a role in the workspace: `workspace_admin`, `workspace_developer`, `workspace_user` or `workspace_restricted_developer` (`workspace_billing` comes only from the billing organization role and is refused with a 400 `workspace_role_not_assignable`). Adding a member twice is a 400 `already_member`; an unknown or removed user is a 404; an archived workspace is a 400 `workspace_archived`. Served on Anthropic's Admin API path.
     *
     *     **Who may call it:** Any admin key of the organization. Admin keys are held by admins and owners and act with their holder's current role; organization-level keys have an owner's powers.
     *
     *     **Audit:** records `workspace_member.added` in the same transaction as the change.
     *
     *     **Retries:** send an `Idempotency-Key` header to make a retry safe: repeated within 24 hours, the request answers its first response (`idempotent-replayed: true`) and never runs twice.
     */
    post: operations["addWorkspaceMember"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/organizations/workspaces/{workspace_id}/members/{user_id}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Get a workspace member
     * @description Answers one member's role in the workspace; a user who is not a member answers 404. Served on Anthropic's Admin API path.
     *
     *     **Who may call it:** Any admin key of the organization. Admin keys are held by admins and owners and act with their holder's current role; organization-level keys have an owner's powers.
     */
    get: operations["getWorkspaceMember"];
    put?: never;
    /**
     * Change a workspace member's role
     * @description Sets the member's workspace role (the roles of adding a member). Served on Anthropic's Admin API path.
     *
     *     **Who may call it:** Any admin key of the organization. Admin keys are held by admins and owners and act with their holder's current role; organization-level keys have an owner's powers.
     *
     *     **Audit:** records `workspace_member.updated` in the same transaction as the change.
     *
     *     **Retries:** send an `Idempotency-Key` header to make a retry safe: repeated within 24 hours, the request answers its first response (`idempotent-replayed: true`) and never runs twice.
     */
    post: operations["updateWorkspaceMember"];
    /**
     * Remove a member from a workspace
     * @description Takes the member out of the workspace; they stay in the organization, and their API keys are untouched. Served on Anthropic's Admin API path.
     *
     *     **Who may call it:** Any admin key of the organization. Admin keys are held by admins and owners and act with their holder's current role; organization-level keys have an owner's powers.
     *
     *     **Audit:** records `workspace_member.removed` in the same transaction as the change.
     *
     *     **Retries:** send an `Idempotency-Key` header to make a retry safe: repeated within 24 hours, the request answers its first response (`idempotent-replayed: true`) and never runs twice.
     */
    delete: operations["removeWorkspaceMember"];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/api_keys": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List API keys
     * @description Lists the organization's API keys, oldest first, revoked (`archived`) ones included so that the trail of who had which key remains. Filter by `status`, `workspace_id`, `created_by_user_id` or `service_account_id`. Keys show only their hints (`partial_key`, `partial_key_hint`), never the secret.
     *
     *     **Who may call it:** Any admin key of the organization. Admin keys are held by admins and owners and act with their holder's current role; organization-level keys have an owner's powers.
     *
     *     **Paging:** `limit` (1 to 1000, default 20) with `after_id` or `before_id`; the answer's `has_more` and `last_id` (or `first_id`) lead to the next page.
     */
    get: operations["seedListApiKeys"];
    put?: never;
    /**
     * Create an API key
     * @description Issues a key for the gateway in a workspace (the default workspace when `workspace_id` is left out). The full key (`sk-ant-api03-…`) is in this response only: Steward keeps its SHA-256 hash. `expires_at` must be in the future. `user_id` names the member the key is issued to (its `principal`), so that removing that member revokes it; `service_account_id` names a service account instead (`principal` `service_account_actor`), which must be a member of the key's workspace (every account is one of the default workspace): offboarding people leaves such a key alone, and archiving the account revokes it. `created_by` is the member behind the admin key. The key works at the gateway as soon as this answers.
     *
     *     **Who may call it:** Any admin key of the organization. Admin keys are held by admins and owners and act with their holder's current role; organization-level keys have an owner's powers.
     *
     *     **Audit:** records `api_key.created` in the same transaction as the change.
     *
     *     **Retries:** send an `Idempotency-Key` header to make a retry safe: repeated within 24 hours, the request answers its first response (`idempotent-replayed: true`) and never runs twice.
     */
    post: operations["seedCreateApiKey"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/api_keys/{api_key_id}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Get an API key
     * @description Answers one API key by id, with its hints, never the secret.
     *
     *     **Who may call it:** Any admin key of the organization. Admin keys are held by admins and owners and act with their holder's current role; organization-level keys have an owner's powers.
     */
    get: operations["seedGetApiKey"];
    put?: never;
    post?: never;
    /**
     * Revoke an API key
     * @description Archives the key at once: the gateway refuses it from the next request (before this answers). The key stays listed with `status: "archived"`. Revoking twice is harmless. Anthropic's path has no delete: send `status: "archived"` to `POST /v1/organizations/api_keys/{api_key_id}`.
     *
     *     **Who may call it:** Any admin key of the organization. Admin keys are held by admins and owners and act with their holder's current role; organization-level keys have an owner's powers.
     *
     *     **Audit:** records `api_key.revoked` in the same transaction as the change.
     *
     *     **Retries:** send an `Idempotency-Key` header to make a retry safe: repeated within 24 hours, the request answers its first response (`idempotent-replayed: true`) and never runs twice.
     */
    delete: operations["seedRevokeApiKey"];
    options?: never;
    head?: never;
    /**
     * Rename or change the status of an API key
     * @description Renames the key or switches its status between `active` and `inactive`; `archived` revokes it for good (an archived key's status cannot change again: 400 `api_key_archived`), and an expired key cannot be reactivated. The gateway applies a status change from its very next request.
     *
     *     **Who may call it:** Any admin key of the organization. Admin keys are held by admins and owners and act with their holder's current role; organization-level keys have an owner's powers.
     *
     *     **Audit:** records `api_key.updated` in the same transaction as the change.
     *
     *     **Retries:** send an `Idempotency-Key` header to make a retry safe: repeated within 24 hours, the request answers its first response (`idempotent-replayed: true`) and never runs twice.
     */
    patch: operations["seedUpdateApiKey"];
    trace?: never;
  };
  "/v1/organizations/api_keys": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List API keys (Anthropic's path)
     * @description The same operation as `GET /v1/api_keys`, on the same data, under Anthropic's Admin API paths (`/v1/organizations/…`), which the official SDK calls.
     *
     *     Lists the organization's API keys, oldest first, revoked (`archived`) ones included so that the trail of who had which key remains. Filter by `status`, `workspace_id`, `created_by_user_id` or `service_account_id`. Keys show only their hints (`partial_key`, `partial_key_hint`), never the secret.
     *
     *     **Who may call it:** Any admin key of the organization. Admin keys are held by admins and owners and act with their holder's current role; organization-level keys have an owner's powers.
     *
     *     **Paging:** `limit` (1 to 1000, default 20) with `after_id` or `before_id`; the answer's `has_more` and `last_id` (or `first_id`) lead to the next page.
     */
    get: operations["listApiKeys"];
    put?: never;
    /**
     * Create an API key (Anthropic's path)
     * @description The same operation as `POST /v1/api_keys`, on the same data, under Anthropic's Admin API paths (`/v1/organizations/…`), which the official SDK calls.
     *
     *     Issues a key for the gateway in a workspace (the default workspace when `workspace_id` is left out). The full key (`sk-ant-api03-…`) is in this response only: Steward keeps its SHA-256 hash. `expires_at` must be in the future. `user_id` names the member the key is issued to (its `principal`), so that removing that member revokes it; `service_account_id` names a service account instead (`principal` `service_account_actor`), which must be a member of the key's workspace (every account is one of the default workspace): offboarding people leaves such a key alone, and archiving the account revokes it. `created_by` is the member behind the admin key. The key works at the gateway as soon as this answers.
     *
     *     A Steward addition: Anthropic's own Admin API creates keys in its Console only.
     *
     *     **Who may call it:** Any admin key of the organization. Admin keys are held by admins and owners and act with their holder's current role; organization-level keys have an owner's powers.
     *
     *     **Audit:** records `api_key.created` in the same transaction as the change.
     *
     *     **Retries:** send an `Idempotency-Key` header to make a retry safe: repeated within 24 hours, the request answers its first response (`idempotent-replayed: true`) and never runs twice.
     */
    post: operations["createApiKey"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/organizations/api_keys/{api_key_id}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Get an API key (Anthropic's path)
     * @description The same operation as `GET /v1/api_keys/{api_key_id}`, on the same data, under Anthropic's Admin API paths (`/v1/organizations/…`), which the official SDK calls.
     *
     *     Answers one API key by id, with its hints, never the secret.
     *
     *     **Who may call it:** Any admin key of the organization. Admin keys are held by admins and owners and act with their holder's current role; organization-level keys have an owner's powers.
     */
    get: operations["getApiKey"];
    put?: never;
    /**
     * Rename or change the status of an API key (Anthropic's path)
     * @description The same operation as `PATCH /v1/api_keys/{api_key_id}`, on the same data, under Anthropic's Admin API paths (`/v1/organizations/…`), which the official SDK calls.
     *
     *     Renames the key or switches its status between `active` and `inactive`; `archived` revokes it for good (an archived key's status cannot change again: 400 `api_key_archived`), and an expired key cannot be reactivated. The gateway applies a status change from its very next request.
     *
     *     **Who may call it:** Any admin key of the organization. Admin keys are held by admins and owners and act with their holder's current role; organization-level keys have an owner's powers.
     *
     *     **Audit:** records `api_key.updated` in the same transaction as the change.
     *
     *     **Retries:** send an `Idempotency-Key` header to make a retry safe: repeated within 24 hours, the request answers its first response (`idempotent-replayed: true`) and never runs twice.
     */
    post: operations["updateApiKey"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/organizations/service_accounts": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List service accounts
     * @description Lists the organization's service accounts, newest first; archived ones only with `include_archived=true`. A `page` that is not a service account of the organization is a 400 `invalid_cursor`.
     *
     *     **Paging:** `limit` (1 to 1000, default 20) and `page`, the previous answer's `next_page` (null on the last page).
     *
     *     **Who may call it:** Any admin key of the organization. Admin keys are held by admins and owners and act with their holder's current role; organization-level keys have an owner's powers.
     */
    get: operations["listServiceAccounts"];
    put?: never;
    /**
     * Create a service account
     * @description Creates a named non-human identity (`svac_…`) that API keys can belong to (`service_account_id` when creating a key). `name` is a slug (lowercase letters, digits and hyphens), unique within the organization, archived accounts included: a taken name is a 409. `organization_role` is `developer` (the default) or `admin`; Steward records it, and issues service accounts API keys only, not admin keys. Every service account is an implicit `workspace_user` member of the default workspace.
     *
     *     **Who may call it:** Any admin key of the organization. Admin keys are held by admins and owners and act with their holder's current role; organization-level keys have an owner's powers.
     *
     *     **Audit:** records `service_account.created` in the same transaction as the change.
     *
     *     **Retries:** send an `Idempotency-Key` header to make a retry safe: repeated within 24 hours, the request answers its first response (`idempotent-replayed: true`) and never runs twice.
     */
    post: operations["createServiceAccount"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/organizations/service_accounts/{service_account_id}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Get a service account
     * @description Answers one service account by id, archived or not.
     *
     *     **Who may call it:** Any admin key of the organization. Admin keys are held by admins and owners and act with their holder's current role; organization-level keys have an owner's powers.
     */
    get: operations["getServiceAccount"];
    put?: never;
    /**
     * Update a service account
     * @description Changes `description` (null clears it: it is stored as an empty string) and `organization_role` (null or left out: unchanged). The name cannot change. An archived service account cannot be updated: 400 `service_account_archived`.
     *
     *     **Who may call it:** Any admin key of the organization. Admin keys are held by admins and owners and act with their holder's current role; organization-level keys have an owner's powers.
     *
     *     **Audit:** records `service_account.updated` in the same transaction as the change.
     *
     *     **Retries:** send an `Idempotency-Key` header to make a retry safe: repeated within 24 hours, the request answers its first response (`idempotent-replayed: true`) and never runs twice.
     */
    post: operations["updateServiceAccount"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/organizations/service_accounts/{service_account_id}/archive": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Archive a service account
     * @description Archives the service account and, in the same transaction, revokes every API key it holds (each with its own `api_key.revoked` record): the gateway refuses them from its next request, on every node. Archiving is permanent; archiving again answers the account with its first `archived_at`. Its workspace memberships are kept but no longer listed.
     *
     *     **Who may call it:** Any admin key of the organization. Admin keys are held by admins and owners and act with their holder's current role; organization-level keys have an owner's powers.
     *
     *     **Audit:** records `service_account.archived`, `api_key.revoked` in the same transaction as the change.
     *
     *     **Retries:** send an `Idempotency-Key` header to make a retry safe: repeated within 24 hours, the request answers its first response (`idempotent-replayed: true`) and never runs twice.
     */
    post: operations["archiveServiceAccount"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/organizations/service_accounts/{service_account_id}/workspaces": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List a service account's workspaces
     * @description Lists the workspaces the service account belongs to, with its role in each, by workspace id (archived workspaces included). Without an explicit membership of the default workspace, its implicit `workspace_user` membership (`implicit: true`) comes first on the first page, in addition to `limit` explicit ones. An archived service account has none; a `page` that is not one of its memberships (or of an archived account) is a 400 `invalid_cursor`.
     *
     *     **Paging:** `limit` (1 to 1000, default 20) and `page`, the previous answer's `next_page` (null on the last page).
     *
     *     **Who may call it:** Any admin key of the organization. Admin keys are held by admins and owners and act with their holder's current role; organization-level keys have an owner's powers.
     */
    get: operations["listServiceAccountWorkspaces"];
    put?: never;
    /**
     * Add a service account to a workspace
     * @description Makes the service account a member of a workspace with a role (`workspace_billing` cannot be given: 400 `workspace_role_not_assignable`). If it is already a member, its role is replaced. An archived workspace is a 400 `workspace_archived`, an archived service account a 400 `service_account_archived`. The same operation as `POST /v1/organizations/workspaces/{workspace_id}/service_accounts`.
     *
     *     **Who may call it:** Any admin key of the organization. Admin keys are held by admins and owners and act with their holder's current role; organization-level keys have an owner's powers.
     *
     *     **Audit:** records `service_account_workspace_member.added`, `service_account_workspace_member.updated` in the same transaction as the change.
     *
     *     **Retries:** send an `Idempotency-Key` header to make a retry safe: repeated within 24 hours, the request answers its first response (`idempotent-replayed: true`) and never runs twice.
     */
    post: operations["addServiceAccountWorkspace"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/organizations/service_accounts/{service_account_id}/workspaces/{workspace_id}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /**
     * Remove a service account from a workspace
     * @description Ends the service account's membership of the workspace; removing one that does not exist answers the same. The default workspace's implicit membership cannot be removed (removing an explicit one there reverts to it). The service account's API keys in that workspace keep working, as a person's do when they leave a workspace; archive the account or revoke the keys to stop them. An archived workspace is a 400 `workspace_archived`.
     *
     *     **Who may call it:** Any admin key of the organization. Admin keys are held by admins and owners and act with their holder's current role; organization-level keys have an owner's powers.
     *
     *     **Audit:** records `service_account_workspace_member.removed` in the same transaction as the change.
     *
     *     **Retries:** send an `Idempotency-Key` header to make a retry safe: repeated within 24 hours, the request answers its first response (`idempotent-replayed: true`) and never runs twice.
     */
    delete: operations["removeServiceAccountWorkspace"];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/organizations/workspaces/{workspace_id}/service_accounts": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List a workspace's service accounts
     * @description Lists the service accounts that are explicit members of the workspace, by service account id; archived accounts and the default workspace's implicit memberships are left out. An archived workspace is a 400 `workspace_archived`.
     *
     *     **Paging:** `limit` (1 to 1000, default 20) and `page`, the previous answer's `next_page` (null on the last page).
     *
     *     **Who may call it:** Any admin key of the organization. Admin keys are held by admins and owners and act with their holder's current role; organization-level keys have an owner's powers.
     */
    get: operations["listWorkspaceServiceAccounts"];
    put?: never;
    /**
     * Add a service account to a workspace
     * @description Makes the service account a member of the workspace with a role; an existing member has its role replaced. The same operation as `POST /v1/organizations/service_accounts/{service_account_id}/workspaces`.
     *
     *     **Who may call it:** Any admin key of the organization. Admin keys are held by admins and owners and act with their holder's current role; organization-level keys have an owner's powers.
     *
     *     **Audit:** records `service_account_workspace_member.added`, `service_account_workspace_member.updated` in the same transaction as the change.
     *
     *     **Retries:** send an `Idempotency-Key` header to make a retry safe: repeated within 24 hours, the request answers its first response (`idempotent-replayed: true`) and never runs twice.
     */
    post: operations["addWorkspaceServiceAccount"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/organizations/workspaces/{workspace_id}/service_accounts/{service_account_id}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Get a service account's membership of a workspace
     * @description Answers the service account's role in the workspace; in the default workspace, its implicit `workspace_user` membership when it has no explicit one. An archived service account, or one that is not a member, is a 404; an archived workspace a 400 `workspace_archived`.
     *
     *     **Who may call it:** Any admin key of the organization. Admin keys are held by admins and owners and act with their holder's current role; organization-level keys have an owner's powers.
     */
    get: operations["getWorkspaceServiceAccount"];
    put?: never;
    /**
     * Change a service account's role in a workspace
     * @description Replaces the role of an explicit membership. The default workspace's implicit membership has no role to change: add the account explicitly instead (400). An archived service account is a 400 `service_account_archived`.
     *
     *     **Who may call it:** Any admin key of the organization. Admin keys are held by admins and owners and act with their holder's current role; organization-level keys have an owner's powers.
     *
     *     **Audit:** records `service_account_workspace_member.updated` in the same transaction as the change.
     *
     *     **Retries:** send an `Idempotency-Key` header to make a retry safe: repeated within 24 hours, the request answers its first response (`idempotent-replayed: true`) and never runs twice.
     */
    post: operations["updateWorkspaceServiceAccount"];
    /**
     * Remove a service account from a workspace
     * @description The same operation as `DELETE /v1/organizations/service_accounts/{service_account_id}/workspaces/{workspace_id}`: idempotent, the implicit default-workspace membership stays, and the account's keys in the workspace keep working.
     *
     *     **Who may call it:** Any admin key of the organization. Admin keys are held by admins and owners and act with their holder's current role; organization-level keys have an owner's powers.
     *
     *     **Audit:** records `service_account_workspace_member.removed` in the same transaction as the change.
     *
     *     **Retries:** send an `Idempotency-Key` header to make a retry safe: repeated within 24 hours, the request answers its first response (`idempotent-replayed: true`) and never runs twice.
     */
    delete: operations["removeWorkspaceServiceAccount"];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/organizations/admin_keys": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List admin keys
     * @description Lists the organization's admin keys, oldest first, revoked ones included. Filter by `status`: `active`, `revoked`, `expired`, or `suspended` (the holder was removed or no longer has the admin or owner role). Keys show only their hint, never the secret.
     *
     *     **Who may call it:** Owners only: an owner's console session, an admin key held by an owner, or an organization-level key. Admins, developers and users get 403 (`permission_error`).
     *
     *     **Paging:** `limit` (1 to 1000, default 20) with `after_id` or `before_id`; the answer's `has_more` and `last_id` (or `first_id`) lead to the next page.
     */
    get: operations["listAdminKeys"];
    put?: never;
    /**
     * Create an admin key
     * @description Issues an admin key held by a member who is an admin or owner: `user_id`, or the member making the request when left out. The key acts with its holder's current role, is suspended while they lack the admin or owner role, and is revoked when they are removed. The full key (`sk-ant-admin01-…`) is in this response only: Steward keeps its SHA-256 hash. Organization-level keys (without a holder) are created by the host operator only (`steward admin-keys create`), so a request made with one must name `user_id`.
     *
     *     **Who may call it:** Owners only: an owner's console session, an admin key held by an owner, or an organization-level key. Admins, developers and users get 403 (`permission_error`).
     *
     *     **Audit:** records `admin_key.created` in the same transaction as the change.
     *
     *     **Retries:** send an `Idempotency-Key` header to make a retry safe: repeated within 24 hours, the request answers its first response (`idempotent-replayed: true`) and never runs twice.
     */
    post: operations["createAdminKey"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/organizations/admin_keys/{admin_key_id}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Get an admin key
     * @description Answers one admin key by id, with its hint, never the secret.
     *
     *     **Who may call it:** Owners only: an owner's console session, an admin key held by an owner, or an organization-level key. Admins, developers and users get 403 (`permission_error`).
     */
    get: operations["getAdminKey"];
    put?: never;
    /**
     * Rename an admin key
     * @description Renames the key; sending its current name changes nothing and records nothing. Admin keys have no inactive state: revoke a key to stop it.
     *
     *     **Who may call it:** Owners only: an owner's console session, an admin key held by an owner, or an organization-level key. Admins, developers and users get 403 (`permission_error`).
     *
     *     **Audit:** records `admin_key.updated` in the same transaction as the change.
     *
     *     **Retries:** send an `Idempotency-Key` header to make a retry safe: repeated within 24 hours, the request answers its first response (`idempotent-replayed: true`) and never runs twice.
     */
    post: operations["updateAdminKey"];
    /**
     * Revoke an admin key
     * @description Revokes the key at once: from the next request it answers 401. It stays listed with `status: "revoked"`; revoking twice is harmless. The organization's last working key with an owner's powers (organization-level, or held by an owner) can be revoked only from an owner's console session, which stays signed in; with an admin key that is refused (400 `last_owner_admin_key`) so that the owners keep a way into the Admin API. The host operator can always issue a new key (`steward admin-keys create`).
     *
     *     **Who may call it:** Owners only: an owner's console session, an admin key held by an owner, or an organization-level key. Admins, developers and users get 403 (`permission_error`).
     *
     *     **Audit:** records `admin_key.revoked` in the same transaction as the change.
     *
     *     **Retries:** send an `Idempotency-Key` header to make a retry safe: repeated within 24 hours, the request answers its first response (`idempotent-replayed: true`) and never runs twice.
     */
    delete: operations["revokeAdminKey"];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/usage": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Get usage and cost by day, hour or month
     * @description Token counts, requests and cost per bucket from `start_date` to `end_date` (UTC, both inclusive), with a per-model breakdown and the period's total; `workspace_id` narrows it to one workspace. Buckets: `hour` (at most 31 days), `day` (366 days) or `month` (36 months). Costs are priced when each request is recorded. Gateway usage is written in batches, so a report is up to `METERING_MAX_DELAY_MS` (200 ms by default) behind the requests. With `Accept: text/csv`, the same report as CSV, one row per bucket and group.
     *
     *     **Who may call it:** Any admin key of the organization. Admin keys are held by admins and owners and act with their holder's current role; organization-level keys have an owner's powers.
     */
    get: operations["seedGetUsage"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/usage/events": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Record usage made elsewhere
     * @description Records up to 10,000 usage events that did not pass through the gateway (another proxy, a batch job's own accounting). Each event is checked on its own: the answer counts the stored events and the `duplicates` (an event `id` already stored counts once, so a retried call adds nothing), and names each rejected event's index, field and reason. `cost_usd` is computed from the price table when absent. Ingested usage counts in reports, alerts and this month's spend limits like the gateway's.
     *
     *     **Who may call it:** Any admin key of the organization. Admin keys are held by admins and owners and act with their holder's current role; organization-level keys have an owner's powers.
     *
     *     **Audit:** records `usage_events.ingest` in the same transaction as the change.
     *
     *     **Retries:** send an `Idempotency-Key` header to make a retry safe: repeated within 24 hours, the request answers its first response (`idempotent-replayed: true`) and never runs twice.
     */
    post: operations["ingestUsageEvents"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/organizations/usage_dead_letters": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List usage events that could not be stored
     * @description Lists, oldest first, the usage events the gateway metered but could not store and sum: a token count that is not a non-negative safe integer (`invalid_tokens`; the request was charged its whole reservation instead), a cost out of range (`cost_out_of_range`), or a row the database refused (`write_failed`; the rest of its batch was written). Each keeps the event's columns; they count in no report and no spend limit. Filter by `reason`.
     *
     *     **Who may call it:** Any admin key of the organization. Admin keys are held by admins and owners and act with their holder's current role; organization-level keys have an owner's powers.
     *
     *     **Paging:** `limit` (1 to 1000, default 20) with `after_id` or `before_id`; the answer's `has_more` and `last_id` (or `first_id`) lead to the next page.
     */
    get: operations["listUsageDeadLetters"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/organizations/usage_report/messages": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Get the messages usage report
     * @description Anthropic's usage report: token counts per `1m`, `1h` or `1d` bucket from `starting_at`, grouped by `group_by` (API key, workspace, model, service tier, context window, inference geo) and filtered by the matching list parameters. Pages by `next_page`: pass it as `page` for the next. Gateway usage is written in batches, so a report is up to `METERING_MAX_DELAY_MS` (200 ms by default) behind the requests. With `Accept: text/csv`, the same report as CSV, one row per bucket and group. A CSV page says whether more follow in the `x-has-more` and `x-next-page` headers. Served on Anthropic's Admin API path.
     *
     *     **Who may call it:** Any admin key of the organization. Admin keys are held by admins and owners and act with their holder's current role; organization-level keys have an owner's powers.
     */
    get: operations["getMessagesUsageReport"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/organizations/cost_report": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Get the cost report
     * @description Anthropic's cost report: cost per day from `starting_at`, grouped by `workspace_id`, `description` (model and token type) and/or `api_key_id` (a Steward addition: the cost of each API key). Amounts are decimal strings in cents; `fallback_amount` (a Steward addition) is the part charged at the price table's fallback rates because the model is not in it. Pages by `next_page`: pass it as `page` for the next. With `Accept: text/csv`, the same report as CSV, one row per bucket and group. A CSV page says whether more follow in the `x-has-more` and `x-next-page` headers. Served on Anthropic's Admin API path.
     *
     *     **Who may call it:** Any admin key of the organization. Admin keys are held by admins and owners and act with their holder's current role; organization-level keys have an owner's powers.
     */
    get: operations["getCostReport"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/organizations/analytics/usage": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Get token usage by any grouping
     * @description One row per combination of the `group_by[]` dimensions (at most 5: actor, actor_type, api_key_id, workspace_id, model, service_tier, context_window, inference_geo, product, …) with usage in the range, and per time bucket with `time_bucket_width`; without either, one row for the whole range. Without buckets the range is whole hours (`starting_at` and `ending_at` rounded down); `ending_at` defaults to the earlier of now and `starting_at` + 31 days, and is required with buckets. Rows are ranked by `order_by` (default `total_tokens`) in `order` (default `desc`); `time` orders by bucket. `product` is `messages_api`, or `message_batches_api` for the batch tier. Read from the same rollups as the messages usage and cost reports, and exact against the raw events. Usage is attributed to the member its API key was issued to (the key's `principal`), else to the key itself (`api_actor`); usage ingested without a key, to nobody. Dimensions Steward does not record (Claude products other than the Messages API, Claude Tag and Slack, managed agents, RBAC groups, speed, user profiles, child organizations) read null when grouped, and a filter on them matches nothing. Rows page by `next_page`: pass it as `page`, with the same parameters, for the next. In beta at Anthropic: requests must send `anthropic-beta: analytics-usage-cost-2026-08-24` (the SDK does), or are answered 400.
     *
     *     **Who may call it:** Any admin key of the organization. Admin keys are held by admins and owners and act with their holder's current role; organization-level keys have an owner's powers.
     */
    get: operations["getAnalyticsUsage"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/organizations/analytics/cost": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Get cost by any grouping
     * @description Cost in cents (decimal strings, exact) per combination of the `group_by[]` dimensions with cost in the range, as the usage analytics report groups usage. `cost_type` splits a row into its token and web search cost; `token_type` into the cost of each token kind (`cost_type: tokens`) and web search; split rows do not count toward `limit` and have `requests: null`. Usage ingested with its own `cost_usd` has no split by token kind: it is a `tokens` row with `token_type: null`. `list_amount` equals `amount` (no discounts). Ranked by `order_by` (`amount` by default). Read from the same rollups as the messages usage and cost reports, and exact against the raw events. Usage is attributed to the member its API key was issued to (the key's `principal`), else to the key itself (`api_actor`); usage ingested without a key, to nobody. Dimensions Steward does not record (Claude products other than the Messages API, Claude Tag and Slack, managed agents, RBAC groups, speed, user profiles, child organizations) read null when grouped, and a filter on them matches nothing. Rows page by `next_page`: pass it as `page`, with the same parameters, for the next. In beta at Anthropic: requests must send `anthropic-beta: analytics-usage-cost-2026-08-24` (the SDK does), or are answered 400.
     *
     *     **Who may call it:** Any admin key of the organization. Admin keys are held by admins and owners and act with their holder's current role; organization-level keys have an owner's powers.
     */
    get: operations["getAnalyticsCost"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/organizations/analytics/usage_report": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Get token usage per time bucket
     * @description Anthropic's Claude Enterprise usage report: token usage per `1m`, `1h` or `1d` bucket (default `1d`) from the bucket holding `starting_at`, each bucket's `results` one per group of `group_by[]` (context_window, inference_geo, model; the others read null), highest total first, every group (no cap). `user_ids` keeps the usage of keys issued to those members. Read from the same rollups as the messages usage and cost reports, and exact against the raw events. Usage is attributed to the member its API key was issued to (the key's `principal`), else to the key itself (`api_actor`); usage ingested without a key, to nobody. Dimensions Steward does not record (Claude products other than the Messages API, Claude Tag and Slack, managed agents, RBAC groups, speed, user profiles, child organizations) read null when grouped, and a filter on them matches nothing. Pages by bucket (`limit` buckets per page); pass `next_page` as `page`, with the same parameters, for the next.
     *
     *     **Who may call it:** Any admin key of the organization. Admin keys are held by admins and owners and act with their holder's current role; organization-level keys have an owner's powers.
     */
    get: operations["getAnalyticsUsageReport"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/organizations/analytics/cost_report": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Get cost per time bucket
     * @description Anthropic's Claude Enterprise cost report: cost per bucket, as the usage report buckets usage, split by `cost_type` and `token_type` as the cost analytics report splits it. Read from the same rollups as the messages usage and cost reports, and exact against the raw events. Usage is attributed to the member its API key was issued to (the key's `principal`), else to the key itself (`api_actor`); usage ingested without a key, to nobody. Dimensions Steward does not record (Claude products other than the Messages API, Claude Tag and Slack, managed agents, RBAC groups, speed, user profiles, child organizations) read null when grouped, and a filter on them matches nothing. Pages by bucket (`limit` buckets per page); pass `next_page` as `page`, with the same parameters, for the next.
     *
     *     **Who may call it:** Any admin key of the organization. Admin keys are held by admins and owners and act with their holder's current role; organization-level keys have an owner's powers.
     */
    get: operations["getAnalyticsCostReport"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/organizations/analytics/user_usage_report": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Get token usage per member
     * @description One row per member (and per group of `group_by[]`, and per bucket with `bucket_width`), ranked by `order_by`: the usage of the API keys issued to them. Usage through keys issued to nobody, or without a key, is left out. Removed members keep their rows, marked `deleted`, unless `exclude_deleted_users`. Without `bucket_width` the range is whole hours and the rows' `starting_at`/`ending_at` are null. Dimensions Steward does not record (Claude products other than the Messages API, Claude Tag and Slack, managed agents, RBAC groups, speed, user profiles, child organizations) read null when grouped, and a filter on them matches nothing. Rows page by `next_page`: pass it as `page`, with the same parameters, for the next.
     *
     *     **Who may call it:** Any admin key of the organization. Admin keys are held by admins and owners and act with their holder's current role; organization-level keys have an owner's powers.
     */
    get: operations["getAnalyticsUserUsageReport"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/organizations/analytics/user_cost_report": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Get cost per member
     * @description One row per member, as the per-member usage report, with cost instead of tokens, ranked by `amount`; split by `cost_type` and `token_type` as the cost analytics report splits it. Dimensions Steward does not record (Claude products other than the Messages API, Claude Tag and Slack, managed agents, RBAC groups, speed, user profiles, child organizations) read null when grouped, and a filter on them matches nothing. Rows page by `next_page`: pass it as `page`, with the same parameters, for the next.
     *
     *     **Who may call it:** Any admin key of the organization. Admin keys are held by admins and owners and act with their holder's current role; organization-level keys have an owner's powers.
     */
    get: operations["getAnalyticsUserCostReport"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/organizations/alert_rules": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List cost alert rules
     * @description Lists the organization's cost alert rules, oldest first. Secrets show as hints.
     *
     *     **Who may call it:** Any admin key of the organization. Admin keys are held by admins and owners and act with their holder's current role; organization-level keys have an owner's powers.
     *
     *     **Paging:** `limit` (1 to 1000, default 20) with `after_id` or `before_id`; the answer's `has_more` and `last_id` (or `first_id`) lead to the next page.
     */
    get: operations["listAlertRules"];
    put?: never;
    /**
     * Create a cost alert rule
     * @description Creates a rule that watches the organization's or a workspace's spend over a UTC month or day and fires once per threshold and period: a dollar amount, or a percentage of the scope's monthly limit. Each firing is delivered to every channel (a signed webhook, Slack, PagerDuty, email with `SMTP_URL` set) through an outbox with retries. A webhook channel's signing `secret` is generated when not given and is in this response only.
     *
     *     **Who may call it:** Any admin key of the organization. Admin keys are held by admins and owners and act with their holder's current role; organization-level keys have an owner's powers.
     *
     *     **Audit:** records `alert_rule.created` in the same transaction as the change.
     *
     *     **Retries:** send an `Idempotency-Key` header to make a retry safe: repeated within 24 hours, the request answers its first response (`idempotent-replayed: true`) and never runs twice.
     */
    post: operations["createAlertRule"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/organizations/alert_rules/{alert_rule_id}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Get a cost alert rule
     * @description Answers one cost alert rule by id. Secrets show as hints.
     *
     *     **Who may call it:** Any admin key of the organization. Admin keys are held by admins and owners and act with their holder's current role; organization-level keys have an owner's powers.
     */
    get: operations["getAlertRule"];
    put?: never;
    /**
     * Update a cost alert rule
     * @description Changes the rule; fields left out keep their value, `channels` replaces the list. A webhook channel that names the same `url` keeps its secret unless a new one is given; a generated secret is in this response only. A disabled rule (`enabled: false`) is not evaluated.
     *
     *     **Who may call it:** Any admin key of the organization. Admin keys are held by admins and owners and act with their holder's current role; organization-level keys have an owner's powers.
     *
     *     **Audit:** records `alert_rule.updated` in the same transaction as the change.
     *
     *     **Retries:** send an `Idempotency-Key` header to make a retry safe: repeated within 24 hours, the request answers its first response (`idempotent-replayed: true`) and never runs twice.
     */
    post: operations["updateAlertRule"];
    /**
     * Delete a cost alert rule
     * @description Deletes the rule: it is evaluated no more. Its deliveries stay readable and still name it.
     *
     *     **Who may call it:** Any admin key of the organization. Admin keys are held by admins and owners and act with their holder's current role; organization-level keys have an owner's powers.
     *
     *     **Audit:** records `alert_rule.deleted` in the same transaction as the change.
     *
     *     **Retries:** send an `Idempotency-Key` header to make a retry safe: repeated within 24 hours, the request answers its first response (`idempotent-replayed: true`) and never runs twice.
     */
    delete: operations["deleteAlertRule"];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/organizations/alert_rules/{alert_rule_id}/test": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Send a test alert
     * @description Sends a test message (`cost_alert_test`) to each of the rule's channels: queued in the outbox and attempted at once, and answered with that first attempt. A failed test delivery is retried like any alert.
     *
     *     **Who may call it:** Any admin key of the organization. Admin keys are held by admins and owners and act with their holder's current role; organization-level keys have an owner's powers.
     *
     *     **Audit:** records `alert_rule.tested` in the same transaction as the change.
     *
     *     **Retries:** send an `Idempotency-Key` header to make a retry safe: repeated within 24 hours, the request answers its first response (`idempotent-replayed: true`) and never runs twice.
     */
    post: operations["testAlertRule"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/organizations/alert_deliveries": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List alert deliveries
     * @description Lists the deliveries of alert messages with their attempts, oldest first: `pending` (retried with backoff until `expires_at`), `delivered` or `failed`. Filter by `rule_id` and `status`. Channel targets are shown without their secrets.
     *
     *     **Who may call it:** Any admin key of the organization. Admin keys are held by admins and owners and act with their holder's current role; organization-level keys have an owner's powers.
     *
     *     **Paging:** `limit` (1 to 1000, default 20) with `after_id` or `before_id`; the answer's `has_more` and `last_id` (or `first_id`) lead to the next page.
     */
    get: operations["listAlertDeliveries"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/organizations/alert_deliveries/{alert_delivery_id}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Get an alert delivery
     * @description Answers one delivery by id, with every attempt and the message it carries.
     *
     *     **Who may call it:** Any admin key of the organization. Admin keys are held by admins and owners and act with their holder's current role; organization-level keys have an owner's powers.
     */
    get: operations["getAlertDelivery"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/organizations/audit_logs": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List audit records
     * @description Lists the organization's audit records, oldest first by default (`order=desc`: newest first, and `after_id` pages on to older ones): every admin action on either path family, through the CLI and at bootstrap, with its actor, target, request id, client address, user agent and the change (`changes.before`/`after`, secrets redacted). Filter by actor (`actor_id`, or `actor_user_id`: what a member did through an admin key they hold or a console session of theirs), action, target and time (`starting_at` inclusive, `ending_at` exclusive). Each record's `chain` places it in the organization's hash chain, which `steward audit verify` checks. With `Accept: application/x-ndjson` the answer is every matching record, one JSON object per line, streamed without paging.
     *
     *     **Who may call it:** Any admin key of the organization. Admin keys are held by admins and owners and act with their holder's current role; organization-level keys have an owner's powers.
     *
     *     **Paging:** `limit` (1 to 1000, default 20) with `after_id` or `before_id`; the answer's `has_more` and `last_id` (or `first_id`) lead to the next page.
     */
    get: operations["listAuditLogs"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/auth/methods": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List sign-in methods
     * @description Says which ways to sign in this server offers, for the console's sign-in page: OpenID Connect (when `OIDC_ISSUER` is set and its discovery document could be read), an emailed link (when SMTP is configured), and an admin key (always).
     *
     *     **Who may call it:** Anyone: no credential.
     */
    get: operations["getAuthMethods"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/auth/oidc/start": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Start signing in with the identity provider
     * @description Redirects (302) to the OpenID Connect provider (`OIDC_ISSUER`) with an authorization code request: PKCE (S256), `state` and `nonce`, kept with `return_to` in a 10-minute HttpOnly cookie (`steward_oidc`). `return_to` must be a path under `/console`; anything else is ignored. Without a configured provider the browser goes to `/console/sign-in?error=oidc_failed`; with one not reachable yet, 503.
     *
     *     **Who may call it:** Anyone: a browser signing in.
     */
    get: operations["startOidcSignIn"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/auth/oidc/callback": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Finish signing in with the identity provider
     * @description Where the provider sends the browser back (`OIDC_REDIRECT_URL`). The code is exchanged and the ID token checked (state, nonce, PKCE); its `email` must be verified (`email_verified`), and finds the member, case-insensitively. An email with a pending invite accepts the invite on this first sign-in. An organization with `require_mfa` needs the ID token's `amr` to hold `mfa`, or `otp`, `hwk` or `swk` beside another method. Success: 302 to `return_to` with the session cookie. Failure: 302 to `/console/sign-in?error=` `oidc_failed`, `email_not_verified`, `not_a_member` or `mfa_required`.
     *
     *     **Who may call it:** Anyone: the browser returning from the provider.
     *
     *     **Audit:** records `session.created`, `invite.accepted`, `user.created` in the same transaction as the change.
     */
    get: operations["finishOidcSignIn"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/auth/admin-key": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Sign in with an admin key
     * @description Opens a console session for the member who holds the admin key, who must be an owner or admin. Sets the session cookie `steward_session` (HttpOnly, SameSite=Lax, Path=/, Secure under HTTPS). A key without a holder (organization-level, such as one the operator made without `--user`) is refused with a 403: a session belongs to a person, so sign in with a key held by a member. Failed attempts count toward the same per-address limit as the Admin API's (429 with `retry-after`).
     *
     *     **Who may call it:** Anyone with an admin key held by an owner or admin.
     *
     *     **Audit:** records `session.created` in the same transaction as the change.
     */
    post: operations["signInWithAdminKey"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/auth/email-link": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Email a sign-in link
     * @description Emails a one-time sign-in link (15 minutes) to the member with this address. The answer is 202 `{}` whether or not the address is a member's, and the email is sent after it, so that the answer tells nobody who is a member. Needs `SMTP_URL` and `STEWARD_PUBLIC_URL` (links point there); without them, 400. At most `EMAIL_LINK_LIMIT_PER_ADDRESS` requests per address and `EMAIL_LINK_LIMIT_PER_IP` per client IP (an IPv6 /64) each `EMAIL_LINK_LIMIT_PERIOD` (5, 20 and 1h by default), counted whether or not the address is a member's: over either, 429 `rate_limit_error` with `retry-after` (seconds), the same for any address.
     *
     *     **Who may call it:** Anyone.
     */
    post: operations["requestEmailLink"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/auth/email-link/verify": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Sign in with an emailed link
     * @description The link of the email: used once and within 15 minutes, it redirects (302) to its `return_to` with the session cookie. An unknown, used or expired link goes to `/console/sign-in?error=link_invalid`; an organization with `require_mfa` takes no links (`error=mfa_required`).
     *
     *     **Who may call it:** Anyone holding the link.
     *
     *     **Audit:** records `session.created` in the same transaction as the change.
     */
    get: operations["verifyEmailLink"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/auth/session": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Get the current session
     * @description Answers the session of the request's `steward_session` cookie: its member and role, its `csrf_token` (send it as `x-csrf-token` on every change) and when it ends. A session ends after `SESSION_IDLE_TIMEOUT` without a request, `SESSION_MAX_AGE` after sign-in, on sign-out, and at once when its member is removed, offboarded or their role changes. No session: 401.
     *
     *     **Who may call it:** The session cookie.
     */
    get: operations["getSession"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/auth/sign-out": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Sign out
     * @description Ends the session of the request's cookie on the server and clears the cookie. Needs the session's `x-csrf-token`.
     *
     *     **Who may call it:** The session cookie, with its `x-csrf-token`.
     *
     *     **Audit:** records `session.ended` in the same transaction as the change.
     */
    post: operations["signOut"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/messages": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Send a message to Claude
     * @description Anthropic's Messages API through the gateway: forwarded to the upstream's `POST /v1/messages`, answered with the upstream's status, headers and body as they come, and metered (one usage event per request: tokens by kind, cost, status, latency).
     *
     *     With `stream: true` the answer is `text/event-stream`, passed through chunk by chunk: `message_start` (the input usage), `content_block_start`, `content_block_delta`s, `content_block_stop`, `message_delta` (the stop reason and the cumulative output usage), `message_stop`, with `ping`s between; a failure midway is an `error` event. Usage is read from `message_start` and the last `message_delta`. A client that disconnects is still charged what the upstream reported.
     *
     *     **Admission**, in this order: the key (401), the IP allow-list (403), the workspace's requests per minute (429 with `retry-after`), then the workspace's and organization's monthly spend limits (400). The key is a Steward-issued API key (`sk-ant-api03-…`, `POST /v1/api_keys`) in `x-api-key` or `Authorization: Bearer`; the upstream is called with Steward's own credential, never the client's. Headers (`anthropic-version`, `anthropic-beta`, …) and the body pass through untouched.
     */
    post: operations["createMessage"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/messages/count_tokens": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Count a message's tokens
     * @description Anthropic's token counting through the gateway: forwarded to the upstream, free there and not metered (counted in `/metrics`).
     *
     *     **Admission**, in this order: the key (401), the IP allow-list (403), then the workspace's requests per minute (429 with `retry-after`); spend limits do not apply. The key is a Steward-issued API key (`sk-ant-api03-…`, `POST /v1/api_keys`) in `x-api-key` or `Authorization: Bearer`; the upstream is called with Steward's own credential, never the client's. Headers (`anthropic-version`, `anthropic-beta`, …) and the body pass through untouched.
     */
    post: operations["countMessageTokens"];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/models": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List models
     * @description The upstream's models, forwarded with the query string (`limit`, `after_id`, `before_id`) as received; not metered.
     *
     *     **Admission**, in this order: the key (401), the IP allow-list (403), then the workspace's requests per minute (429 with `retry-after`); spend limits do not apply. The key is a Steward-issued API key (`sk-ant-api03-…`, `POST /v1/api_keys`) in `x-api-key` or `Authorization: Bearer`; the upstream is called with Steward's own credential, never the client's. Headers (`anthropic-version`, `anthropic-beta`, …) and the body pass through untouched.
     */
    get: operations["listModels"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/v1/models/{model_id}": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Get a model
     * @description One model of the upstream, by id or alias; not metered. The id must be a plain id (letters, digits and `. _ : @ -`, at most 100 characters, nothing percent-encoded), or the answer is a 400 before the key is checked.
     *
     *     **Admission**, in this order: the key (401), the IP allow-list (403), then the workspace's requests per minute (429 with `retry-after`); spend limits do not apply. The key is a Steward-issued API key (`sk-ant-api03-…`, `POST /v1/api_keys`) in `x-api-key` or `Authorization: Bearer`; the upstream is called with Steward's own credential, never the client's. Headers (`anthropic-version`, `anthropic-beta`, …) and the body pass through untouched.
     */
    get: operations["getModel"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/healthz": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Check that the process is alive
     * @description Answers 200 while the process runs, without touching the database: a liveness probe (the Dockerfile's HEALTHCHECK, Kubernetes' `livenessProbe`).
     */
    get: operations["getHealth"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/readyz": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Check that the node can serve
     * @description Answers 200 when the database answers, and 503 when it does not within `READINESS_TIMEOUT_MS`: a readiness probe, to take a node out of a load balancer. With a shared Redis (`REDIS_URL`), `redis` says whether it is up; Redis down is `degraded`, not unready, since the node keeps serving valid keys.
     */
    get: operations["getReadiness"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  "/metrics": {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Scrape Prometheus metrics
     * @description Prometheus' text exposition of the gateway's and the process' metrics: requests and refusals, upstream latency, the metering queue and spool, failed admin authentications. Served when the gateway runs. Where it listens and whether it takes a token is set in the configuration; docs/operations.md lists the metrics' names.
     */
    get: operations["getMetrics"];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export type webhooks = Record<string, never>;
export interface components {
  schemas: {
    ErrorInput: {
      /** @constant */
      type: "error";
      error: {
        /** @enum {string} */
        type:
          | "invalid_request_error"
          | "authentication_error"
          | "billing_error"
          | "permission_error"
          | "not_found_error"
          | "conflict_error"
          | "request_too_large"
          | "rate_limit_error"
          | "api_error"
          | "unavailable_error"
          | "timeout_error"
          | "overloaded_error";
        message: string;
        details?: {
          /** @enum {string} */
          error_code:
            | "already_member"
            | "invite_already_exists"
            | "cannot_remove_last_member"
            | "invite_not_pending"
            | "workspace_archived"
            | "default_workspace_protected"
            | "api_key_archived"
            | "last_owner_admin_key"
            | "invalid_cursor"
            | "service_account_archived"
            | "workspace_role_not_assignable"
            | "idempotency_key_in_use"
            | "idempotency_key_reused"
            | "idempotent_response_unavailable"
            | "workspace_spend_limit_reached"
            | "organization_spend_limit_reached";
        };
      };
      request_id: string;
    };
    UserInput: {
      id: string;
      /** @constant */
      type: "user";
      email: string;
      name: string;
      /** @enum {string} */
      role: "owner" | "admin" | "developer" | "billing" | "user" | "claude_code_user";
      /** @constant */
      status: "active";
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      added_at: string;
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      created_at: string;
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      updated_at: string;
      last_active_at: string | null;
    };
    UserUpdateParamsInput: {
      /** @enum {string} */
      role?: "owner" | "admin" | "developer" | "billing" | "user" | "claude_code_user";
      name?: string;
    };
    UserUpdatedInput: {
      id: string;
      /** @constant */
      type: "user";
      email: string;
      name: string;
      /** @enum {string} */
      role: "owner" | "admin" | "developer" | "billing" | "user" | "claude_code_user";
      /** @constant */
      status: "active";
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      added_at: string;
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      created_at: string;
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      updated_at: string;
      last_active_at: string | null;
      /** @description Admin keys held by this member that stop working with this role change */
      suspended_admin_key_ids: string[];
      /** @description Admin keys held by this member, suspended before, that work again with this role */
      resumed_admin_key_ids: string[];
    };
    UserDeleteResponseInput: {
      id: string;
      /** @constant */
      type: "user_deleted";
      /** @constant */
      deleted: true;
      revoked_api_key_ids: string[];
    };
    AuthMethodsInput: {
      oidc: {
        /** @description OIDC_ISSUER is configured and its discovery document was read */
        enabled: boolean;
        /** @description The identity provider's name, for the button */
        label: string | null;
      };
      /** @description SMTP is configured: a sign-in link can be emailed */
      email_link: boolean;
      /**
       * @description An owner or admin can always sign in with their key
       * @constant
       */
      admin_key: true;
    };
    SessionInput: {
      /** @constant */
      type: "session";
      /** @description The session's id (`sess_…`), not its secret */
      id: string;
      user: {
        id: string;
        email: string;
        name: string;
        /** @enum {string} */
        role: "owner" | "admin" | "developer" | "billing" | "user" | "claude_code_user";
      };
      organization_id: string;
      /** @description Send as `x-csrf-token` on every POST, PUT, PATCH and DELETE made with the session */
      csrf_token: string;
      /** @enum {string} */
      method: "admin_key" | "oidc" | "email_link";
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      created_at: string;
      /**
       * Format: date-time
       * @description The absolute limit (SESSION_MAX_AGE after sign-in)
       * @example 2025-04-28T10:00:00.000Z
       */
      expires_at: string;
      /**
       * Format: date-time
       * @description When the session ends unless used before (SESSION_IDLE_TIMEOUT after its last use)
       * @example 2025-04-28T10:00:00.000Z
       */
      idle_expires_at: string;
    };
    AdminKeySignInParamsInput: {
      /** @description An admin key held by an owner or admin */
      key: string;
    };
    EmailLinkParamsInput: {
      email: string;
      return_to?: string;
    };
    EmailLinkSentInput: Record<string, never>;
    MessageCreateParamsInput: {
      /** @description The model, e.g. `claude-sonnet-4-5` */
      model: string;
      /** @description Most output tokens; admission bounds the request's cost with it */
      max_tokens: number;
      messages: ({
        /** @enum {string} */
        role: "user" | "assistant";
        content:
          | string
          | ({
              /** @description `text`, `image`, `document`, `tool_use`, `tool_result`, `thinking`, … */
              type: string;
              text?: string;
            } & {
              [key: string]: unknown;
            })[];
      } & {
        [key: string]: unknown;
      })[];
      system?:
        | string
        | ({
            /** @description `text`, `image`, `document`, `tool_use`, `tool_result`, `thinking`, … */
            type: string;
            text?: string;
          } & {
            [key: string]: unknown;
          })[];
      /** @description Answer as server-sent events (`text/event-stream`) instead of one JSON object */
      stream?: boolean;
      temperature?: number;
      stop_sequences?: string[];
      tools?: ({
        name: string;
      } & {
        [key: string]: unknown;
      })[];
      metadata?: {
        user_id?: string;
      } & {
        [key: string]: unknown;
      };
    } & {
      [key: string]: unknown;
    };
    MessageInput: {
      /** @description The upstream's message id (`msg_…`) */
      id: string;
      /** @constant */
      type: "message";
      /** @constant */
      role: "assistant";
      model: string;
      content: ({
        /** @description `text`, `image`, `document`, `tool_use`, `tool_result`, `thinking`, … */
        type: string;
        text?: string;
      } & {
        [key: string]: unknown;
      })[];
      stop_reason:
        | ("end_turn" | "max_tokens" | "stop_sequence" | "tool_use" | "pause_turn" | "refusal")
        | null;
      stop_sequence: string | null;
      /** @description What Steward meters: tokens by kind, priced when recorded */
      usage: {
        input_tokens: number;
        output_tokens: number;
        cache_creation_input_tokens?: number | null;
        cache_read_input_tokens?: number | null;
      } & {
        [key: string]: unknown;
      };
    } & {
      [key: string]: unknown;
    };
    MessageCountTokensParamsInput: {
      model: string;
      messages: ({
        /** @enum {string} */
        role: "user" | "assistant";
        content:
          | string
          | ({
              /** @description `text`, `image`, `document`, `tool_use`, `tool_result`, `thinking`, … */
              type: string;
              text?: string;
            } & {
              [key: string]: unknown;
            })[];
      } & {
        [key: string]: unknown;
      })[];
      system?:
        | string
        | ({
            /** @description `text`, `image`, `document`, `tool_use`, `tool_result`, `thinking`, … */
            type: string;
            text?: string;
          } & {
            [key: string]: unknown;
          })[];
      tools?: ({
        name: string;
      } & {
        [key: string]: unknown;
      })[];
    } & {
      [key: string]: unknown;
    };
    MessageTokensCountInput: {
      input_tokens: number;
    } & {
      [key: string]: unknown;
    };
    ModelInfoInput: {
      id: string;
      /** @constant */
      type: "model";
      display_name: string;
      /** Format: date-time */
      created_at: string;
    } & {
      [key: string]: unknown;
    };
    ModelInfoPageInput: {
      data: components["schemas"]["ModelInfoInput"][];
      has_more: boolean;
      first_id: string | null;
      last_id: string | null;
    } & {
      [key: string]: unknown;
    };
    AdminKeyInput: {
      id: string;
      /** @constant */
      type: "admin_key";
      organization_id: string;
      /** @description The member the key acts for, with their current role; null: organization-level */
      user_id: string | null;
      name: string;
      /** @description sk-ant-admin01-R2D...igAA */
      partial_key_hint: string;
      /**
       * @description `suspended`: its holder was removed or no longer has the admin or owner role; it works again if they do
       * @enum {string}
       */
      status: "active" | "revoked" | "expired" | "suspended";
      /**
       * @description `member`: acts for `user_id`; `organization`: created by the operator without a holder, with an owner's powers
       * @enum {string}
       */
      scope: "organization" | "member";
      /** @description The holder's current role; null without a holder, or when they were removed */
      holder_role: string | null;
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      created_at: string;
      expires_at: string | null;
      revoked_at: string | null;
      /** @description To within a minute */
      last_used_at: string | null;
    };
    AdminKeyCreatedInput: {
      id: string;
      /** @constant */
      type: "admin_key";
      organization_id: string;
      /** @description The member the key acts for, with their current role; null: organization-level */
      user_id: string | null;
      name: string;
      /** @description sk-ant-admin01-R2D...igAA */
      partial_key_hint: string;
      /**
       * @description `suspended`: its holder was removed or no longer has the admin or owner role; it works again if they do
       * @enum {string}
       */
      status: "active" | "revoked" | "expired" | "suspended";
      /**
       * @description `member`: acts for `user_id`; `organization`: created by the operator without a holder, with an owner's powers
       * @enum {string}
       */
      scope: "organization" | "member";
      /** @description The holder's current role; null without a holder, or when they were removed */
      holder_role: string | null;
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      created_at: string;
      expires_at: string | null;
      revoked_at: string | null;
      /** @description To within a minute */
      last_used_at: string | null;
      /** @description The full key. Returned only in this response: store it now. */
      key: string;
    };
    AdminKeyCreateParamsInput: {
      name: string;
      /** @description The member (an admin or owner) the key acts for; the member making the request when left out */
      user_id?: string;
      /** @description In the future; null: never */
      expires_at?: string | null;
    };
    AdminKeyUpdateParamsInput: {
      name: string;
    };
    AdminKeyDeleteResponseInput: {
      id: string;
      /** @constant */
      type: "admin_key_deleted";
      /** @constant */
      deleted: true;
    };
    AlertThresholdInput:
      | {
          /** @constant */
          type: "usd";
          /** @description Spend in USD */
          amount_usd: number;
        }
      | {
          /** @constant */
          type: "percent_of_limit";
          /** @description Percentage of the scope's monthly limit (organization `billing.usage_limit_usd`, workspace `usage_limits.monthly_spend_usd`) */
          percent: number;
        };
    AlertChannelInput:
      | {
          /** @constant */
          type: "webhook";
          url: string;
          /** @description Only in the response that set it (create, or an update that generated it) */
          secret: string | null;
          secret_hint: string;
        }
      | {
          /** @constant */
          type: "slack";
          /** @description Only in the response to the request that set it */
          webhook_url: string | null;
          webhook_url_hint: string;
        }
      | {
          /** @constant */
          type: "pagerduty";
          /** @description Only in the response to the request that set it */
          routing_key: string | null;
          routing_key_hint: string;
          url: string;
        }
      | {
          /** @constant */
          type: "email";
          to: string[];
        };
    AlertRuleCreateParamsInput: {
      name: string;
      scope:
        | {
            /** @constant */
            type: "organization";
          }
        | {
            /** @constant */
            type: "workspace";
            workspace_id: string;
          };
      /**
       * @description UTC calendar month or day
       * @default month
       * @enum {string}
       */
      period?: "month" | "day";
      thresholds: components["schemas"]["AlertThresholdInput"][];
      channels: (
        | {
            /** @constant */
            type: "webhook";
            /** Format: uri */
            url: string;
            /** @description HMAC-SHA256 signing secret; generated when absent (and kept when an update names the same url) */
            secret?: string;
          }
        | {
            /** @constant */
            type: "slack";
            /** Format: uri */
            webhook_url: string;
          }
        | {
            /** @constant */
            type: "pagerduty";
            routing_key: string;
            /**
             * Format: uri
             * @description Defaults to https://events.pagerduty.com/v2/enqueue
             */
            url?: string;
          }
        | {
            /** @constant */
            type: "email";
            to: string[];
          }
      )[];
      /** @default true */
      enabled?: boolean;
    };
    AlertRuleUpdateParamsInput: {
      name?: string;
      scope?:
        | {
            /** @constant */
            type: "organization";
          }
        | {
            /** @constant */
            type: "workspace";
            workspace_id: string;
          };
      /** @enum {string} */
      period?: "month" | "day";
      thresholds?: components["schemas"]["AlertThresholdInput"][];
      /** @description Replaces the list */
      channels?: (
        | {
            /** @constant */
            type: "webhook";
            /** Format: uri */
            url: string;
            /** @description HMAC-SHA256 signing secret; generated when absent (and kept when an update names the same url) */
            secret?: string;
          }
        | {
            /** @constant */
            type: "slack";
            /** Format: uri */
            webhook_url: string;
          }
        | {
            /** @constant */
            type: "pagerduty";
            routing_key: string;
            /**
             * Format: uri
             * @description Defaults to https://events.pagerduty.com/v2/enqueue
             */
            url?: string;
          }
        | {
            /** @constant */
            type: "email";
            to: string[];
          }
      )[];
      enabled?: boolean;
    };
    AlertRuleInput: {
      id: string;
      /** @constant */
      type: "alert_rule";
      name: string;
      scope: {
        /** @enum {string} */
        type: "organization" | "workspace";
        workspace_id: string | null;
      };
      /** @enum {string} */
      period: "month" | "day";
      thresholds: components["schemas"]["AlertThresholdInput"][];
      channels: components["schemas"]["AlertChannelInput"][];
      enabled: boolean;
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      created_at: string;
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      updated_at: string;
    };
    AlertMessageInput: {
      /** @enum {string} */
      type: "cost_alert" | "cost_alert_test";
      /** @description The firing's id (the delivery's for a test) */
      id: string;
      organization_id: string;
      rule: {
        id: string;
        name: string;
      };
      scope: {
        /** @enum {string} */
        type: "organization" | "workspace";
        id: string;
        name: string;
      };
      period: {
        /** @enum {string} */
        type: "month" | "day";
        /**
         * Format: date-time
         * @example 2025-04-28T10:00:00.000Z
         */
        starting_at: string;
        /**
         * Format: date-time
         * @example 2025-04-28T10:00:00.000Z
         */
        ending_at: string;
      };
      threshold: {
        /** @enum {string} */
        type: "usd" | "percent_of_limit";
        /** @description For a percentage of the limit */
        percent: number | null;
        /** @description The threshold in USD */
        usd: number;
      };
      limit_usd: number | null;
      current_spend_usd: number;
      /** @description How far spend is past the threshold, in percent */
      overage_percent: number;
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      fired_at: string;
      summary: string;
      hint: string;
      /** @description The whole alert as plain text */
      text: string;
    };
    AlertDeliveryInput: {
      id: string;
      /** @constant */
      type: "alert_delivery";
      rule_id: string;
      firing_id: string | null;
      /** @enum {string} */
      kind: "alert" | "test";
      channel: {
        /** @enum {string} */
        type: "webhook" | "slack" | "pagerduty" | "email";
        /** @description Where it goes, secrets left out */
        target: string;
      };
      /** @enum {string} */
      status: "pending" | "delivered" | "failed";
      attempt_count: number;
      attempts: {
        /**
         * Format: date-time
         * @example 2025-04-28T10:00:00.000Z
         */
        attempted_at: string;
        status_code: number | null;
        error: string | null;
        duration_ms: number;
      }[];
      next_attempt_at: string | null;
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      expires_at: string;
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      created_at: string;
      delivered_at: string | null;
      last_error: string | null;
      message: components["schemas"]["AlertMessageInput"];
    };
    SeedUsageReportInput: {
      data: {
        /** @description Uncached input tokens */
        input_tokens: number;
        output_tokens: number;
        /** @description Cache writes, 5-minute and 1-hour */
        cache_creation_tokens: number;
        cache_read_tokens: number;
        web_search_requests: number;
        requests: number;
        total_cost_usd: number;
        /** @description The bucket's label: `2025-04-27T13:00:00Z` (hour), `2025-04-27` (day), `2025-04` (month) */
        date: string;
        /**
         * Format: date-time
         * @description Start of the bucket, inclusive
         * @example 2025-04-28T10:00:00.000Z
         */
        starting_at: string;
        /**
         * Format: date-time
         * @description End of the bucket, exclusive
         * @example 2025-04-28T10:00:00.000Z
         */
        ending_at: string;
        model_breakdown: {
          [key: string]: {
            input_tokens: number;
            output_tokens: number;
            cache_creation_tokens: number;
            cache_read_tokens: number;
            requests: number;
            cost_usd: number;
          };
        };
      }[];
      total: {
        /** @description Uncached input tokens */
        input_tokens: number;
        output_tokens: number;
        /** @description Cache writes, 5-minute and 1-hour */
        cache_creation_tokens: number;
        cache_read_tokens: number;
        web_search_requests: number;
        requests: number;
        total_cost_usd: number;
      };
    };
    MessagesUsageReportInput: {
      data: {
        /**
         * Format: date-time
         * @example 2025-04-28T10:00:00.000Z
         */
        starting_at: string;
        /**
         * Format: date-time
         * @description Exclusive
         * @example 2025-04-28T10:00:00.000Z
         */
        ending_at: string;
        results: {
          uncached_input_tokens: number;
          cache_creation: {
            ephemeral_1h_input_tokens: number;
            ephemeral_5m_input_tokens: number;
          };
          cache_read_input_tokens: number;
          output_tokens: number;
          server_tool_use: {
            web_search_requests: number;
          };
          api_key_id: string | null;
          workspace_id: string | null;
          model: string | null;
          service_tier: string | null;
          context_window: string | null;
          inference_geo: string | null;
        }[];
      }[];
      has_more: boolean;
      next_page: string | null;
    };
    CostReportInput: {
      data: {
        /**
         * Format: date-time
         * @example 2025-04-28T10:00:00.000Z
         */
        starting_at: string;
        /**
         * Format: date-time
         * @description Exclusive
         * @example 2025-04-28T10:00:00.000Z
         */
        ending_at: string;
        results: {
          /** @description Decimal string in cents: `123.45` is $1.2345 */
          amount: string;
          /** @constant */
          currency: "USD";
          workspace_id: string | null;
          /** @description Steward's addition: the API key, when grouped by api_key_id (null there for usage without a key); null otherwise */
          api_key_id: string | null;
          description: string | null;
          cost_type: ("tokens" | "web_search") | null;
          model: string | null;
          service_tier: string | null;
          token_type:
            | (
                | "uncached_input_tokens"
                | "output_tokens"
                | "cache_read_input_tokens"
                | "cache_creation.ephemeral_1h_input_tokens"
                | "cache_creation.ephemeral_5m_input_tokens"
              )
            | null;
          context_window: string | null;
          inference_geo: string | null;
          /** @description Steward's addition: the part of `amount` (cents, like it) charged at the price table's fallback rates because the model is not in the table; `0` when none */
          fallback_amount: string;
        }[];
      }[];
      has_more: boolean;
      next_page: string | null;
    };
    UsageEventInputInput: {
      /** @description Idempotency key: an id already stored is counted once */
      id: string;
      /**
       * Format: date-time
       * @description When the usage happened (RFC 3339)
       */
      timestamp: string;
      workspace_id: string;
      api_key_id?: string | null;
      model: string;
      /** @description Uncached input tokens */
      input_tokens: number;
      output_tokens: number;
      /** @description Cache writes; without the split below they count as 5-minute writes */
      cache_creation_input_tokens?: number | null;
      cache_creation?: {
        /** @default 0 */
        ephemeral_5m_input_tokens?: number;
        /** @default 0 */
        ephemeral_1h_input_tokens?: number;
      } | null;
      cache_read_input_tokens?: number | null;
      web_search_requests?: number | null;
      service_tier?:
        | ("standard" | "batch" | "priority" | "priority_on_demand" | "flex" | "flex_discount")
        | null;
      inference_geo?: ("global" | "us" | "not_available") | null;
      /** @description The event's cost; computed from the price table when absent */
      cost_usd?: number | null;
    };
    UsageEventsIngestResultInput: {
      /** @description Events stored by this call */
      accepted: number;
      /** @description Valid events whose id was already stored: counted once, not again */
      duplicates: number;
      rejected: {
        index: number;
        id: string | null;
        field: string | null;
        message: string;
      }[];
    };
    UsageDeadLetterInput: {
      id: string;
      /** @constant */
      type: "usage_dead_letter";
      /** @description The usage event's id: for the gateway, Steward's request id */
      event_id: string;
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      recorded_at: string;
      /**
       * @description invalid_tokens: the upstream reported a token count that is not a non-negative safe integer; cost_out_of_range: the cost is not a whole number of nano-dollars from 0 to $1,000,000; write_failed: the database refused the event's row (the rest of its batch was written)
       * @enum {string}
       */
      reason: "invalid_tokens" | "cost_out_of_range" | "write_failed";
      /** @description What was wrong: the count, or the database's message */
      detail: string;
      /** @description The usage event as it would have been stored (its columns); not summed anywhere */
      event: {
        [key: string]: unknown;
      };
    };
    AnalyticsUserActorInput: {
      /** @description The member was removed from the organization */
      deleted: boolean;
      email_address: string | null;
      name: string | null;
      /** @constant */
      type: "user_actor";
      user_id: string;
    };
    AnalyticsActorInput:
      | components["schemas"]["AnalyticsUserActorInput"]
      | {
          service_account_id: string;
          /** @constant */
          type: "service_account_actor";
        }
      | {
          api_key_id: string;
          /** @constant */
          type: "api_actor";
        };
    AnalyticsUsageItemInput: {
      /**
       * Format: date-time
       * @description Start of the row's bucket or range, inclusive
       * @example 2025-04-28T10:00:00.000Z
       */
      starting_at: string;
      /**
       * Format: date-time
       * @description End of the row's bucket or range, exclusive
       * @example 2025-04-28T10:00:00.000Z
       */
      ending_at: string;
      group: {
        actor: components["schemas"]["AnalyticsActorInput"] | null;
        actor_type:
          | ("api_actor" | "federated_actor" | "service_account_actor" | "user_actor")
          | null;
        agent_id: string | null;
        api_key_id: string | null;
        claude_tag_category: ("dm" | "engaged" | "monitoring" | "proactive" | "scheduled") | null;
        claude_tag_user_id: string | null;
        context_window: ("0-200k" | "200k-1M") | null;
        deployment_id: string | null;
        environment_id: string | null;
        inference_geo: ("global" | "us") | null;
        model: string | null;
        organization_id: string | null;
        product: string | null;
        rbac_group_id: string | null;
        service_tier:
          | ("standard" | "batch" | "priority" | "priority_on_demand" | "flex" | "flex_discount")
          | null;
        session_id: string | null;
        slack_channel_id: string | null;
        speed: ("fast" | "standard") | null;
        user_profile_id: string | null;
        workspace_id: string | null;
      };
      usage: {
        cache_creation: {
          ephemeral_1h_input_tokens: number;
          ephemeral_5m_input_tokens: number;
        };
        cache_read_input_tokens: number;
        output_tokens: number;
        requests: number | null;
        server_tool_use: {
          web_search_requests: number;
        };
        uncached_input_tokens: number;
        total_tokens: number;
      };
    };
    AnalyticsCostItemInput: {
      /**
       * Format: date-time
       * @description Start of the row's bucket or range, inclusive
       * @example 2025-04-28T10:00:00.000Z
       */
      starting_at: string;
      /**
       * Format: date-time
       * @description End of the row's bucket or range, exclusive
       * @example 2025-04-28T10:00:00.000Z
       */
      ending_at: string;
      group: {
        actor: components["schemas"]["AnalyticsActorInput"] | null;
        actor_type:
          | ("api_actor" | "federated_actor" | "service_account_actor" | "user_actor")
          | null;
        agent_id: string | null;
        api_key_id: string | null;
        claude_tag_category: ("dm" | "engaged" | "monitoring" | "proactive" | "scheduled") | null;
        claude_tag_user_id: string | null;
        context_window: ("0-200k" | "200k-1M") | null;
        deployment_id: string | null;
        environment_id: string | null;
        inference_geo: ("global" | "us") | null;
        model: string | null;
        organization_id: string | null;
        product: string | null;
        rbac_group_id: string | null;
        service_tier:
          | ("standard" | "batch" | "priority" | "priority_on_demand" | "flex" | "flex_discount")
          | null;
        session_id: string | null;
        slack_channel_id: string | null;
        speed: ("fast" | "standard") | null;
        user_profile_id: string | null;
        workspace_id: string | null;
        cost_type: ("code_execution" | "session_usage" | "tokens" | "web_search") | null;
        token_type:
          | (
              | "cache_creation.ephemeral_1h_input_tokens"
              | "cache_creation.ephemeral_5m_input_tokens"
              | "cache_read_input_tokens"
              | "output_tokens"
              | "uncached_input_tokens"
            )
          | null;
      };
      cost: {
        /** @description Decimal string in cents: `123.45` is $1.2345 */
        amount: string;
        /** @constant */
        currency: "USD";
        /** @description Steward applies no discounts: always `amount` */
        list_amount: string;
        /** @description Null on rows split by `cost_type` or `token_type` */
        requests: number | null;
      };
    };
    AnalyticsUsageUsersItemInput: {
      actor: components["schemas"]["AnalyticsUserActorInput"];
      /** @description The row's bucket start; null without bucket_width */
      starting_at: string | null;
      /** @description The row's bucket end; null without bucket_width */
      ending_at: string | null;
      claude_tag_category: ("dm" | "engaged" | "monitoring" | "proactive" | "scheduled") | null;
      claude_tag_user_id: string | null;
      context_window: ("0-200k" | "200k-1M") | null;
      inference_geo: ("global" | "us") | null;
      model: string | null;
      product: string | null;
      rbac_group_id: string | null;
      slack_channel_id: string | null;
      speed: ("fast" | "standard") | null;
      cache_creation: {
        ephemeral_1h_input_tokens: number;
        ephemeral_5m_input_tokens: number;
      };
      cache_read_input_tokens: number;
      output_tokens: number;
      requests: number | null;
      server_tool_use: {
        web_search_requests: number;
      };
      uncached_input_tokens: number;
      total_tokens: number;
    };
    AnalyticsCostUsersItemInput: {
      actor: components["schemas"]["AnalyticsUserActorInput"];
      /** @description The row's bucket start; null without bucket_width */
      starting_at: string | null;
      /** @description The row's bucket end; null without bucket_width */
      ending_at: string | null;
      claude_tag_category: ("dm" | "engaged" | "monitoring" | "proactive" | "scheduled") | null;
      claude_tag_user_id: string | null;
      context_window: ("0-200k" | "200k-1M") | null;
      inference_geo: ("global" | "us") | null;
      model: string | null;
      product: string | null;
      rbac_group_id: string | null;
      slack_channel_id: string | null;
      speed: ("fast" | "standard") | null;
      /** @description Decimal string in cents: `123.45` is $1.2345 */
      amount: string;
      /** @constant */
      currency: "USD";
      /** @description Steward applies no discounts: always `amount` */
      list_amount: string;
      /** @description Null on rows split by `cost_type` or `token_type` */
      requests: number | null;
      cost_type: ("code_execution" | "tokens" | "web_search") | null;
      token_type:
        | (
            | "cache_creation.ephemeral_1h_input_tokens"
            | "cache_creation.ephemeral_5m_input_tokens"
            | "cache_read_input_tokens"
            | "output_tokens"
            | "uncached_input_tokens"
          )
        | null;
    };
    AnalyticsUsagePageInput: {
      data: components["schemas"]["AnalyticsUsageItemInput"][];
      has_more: boolean;
      next_page: string | null;
      /** @description When the answer was read: reports read live rollups */
      data_refreshed_at: string | null;
    };
    AnalyticsCostPageInput: {
      data: components["schemas"]["AnalyticsCostItemInput"][];
      has_more: boolean;
      next_page: string | null;
      /** @description When the answer was read: reports read live rollups */
      data_refreshed_at: string | null;
    };
    AnalyticsUsageReportPageInput: {
      data: {
        /**
         * Format: date-time
         * @description Start of the row's bucket or range, inclusive
         * @example 2025-04-28T10:00:00.000Z
         */
        starting_at: string;
        /**
         * Format: date-time
         * @description End of the row's bucket or range, exclusive
         * @example 2025-04-28T10:00:00.000Z
         */
        ending_at: string;
        results: {
          claude_tag_category: ("dm" | "engaged" | "monitoring" | "proactive" | "scheduled") | null;
          claude_tag_user_id: string | null;
          context_window: ("0-200k" | "200k-1M") | null;
          inference_geo: ("global" | "us") | null;
          model: string | null;
          product: string | null;
          rbac_group_id: string | null;
          slack_channel_id: string | null;
          speed: ("fast" | "standard") | null;
          cache_creation: {
            ephemeral_1h_input_tokens: number;
            ephemeral_5m_input_tokens: number;
          };
          cache_read_input_tokens: number;
          output_tokens: number;
          requests: number | null;
          server_tool_use: {
            web_search_requests: number;
          };
          uncached_input_tokens: number;
        }[];
      }[];
      has_more: boolean;
      next_page: string | null;
      /** @description When the answer was read: reports read live rollups */
      data_refreshed_at: string | null;
    };
    AnalyticsCostReportPageInput: {
      data: {
        /**
         * Format: date-time
         * @description Start of the row's bucket or range, inclusive
         * @example 2025-04-28T10:00:00.000Z
         */
        starting_at: string;
        /**
         * Format: date-time
         * @description End of the row's bucket or range, exclusive
         * @example 2025-04-28T10:00:00.000Z
         */
        ending_at: string;
        results: {
          claude_tag_category: ("dm" | "engaged" | "monitoring" | "proactive" | "scheduled") | null;
          claude_tag_user_id: string | null;
          context_window: ("0-200k" | "200k-1M") | null;
          inference_geo: ("global" | "us") | null;
          model: string | null;
          product: string | null;
          rbac_group_id: string | null;
          slack_channel_id: string | null;
          speed: ("fast" | "standard") | null;
          /** @description Decimal string in cents: `123.45` is $1.2345 */
          amount: string;
          /** @constant */
          currency: "USD";
          /** @description Steward applies no discounts: always `amount` */
          list_amount: string;
          /** @description Null on rows split by `cost_type` or `token_type` */
          requests: number | null;
          cost_type: ("code_execution" | "tokens" | "web_search") | null;
          token_type:
            | (
                | "cache_creation.ephemeral_1h_input_tokens"
                | "cache_creation.ephemeral_5m_input_tokens"
                | "cache_read_input_tokens"
                | "output_tokens"
                | "uncached_input_tokens"
              )
            | null;
        }[];
      }[];
      has_more: boolean;
      next_page: string | null;
      /** @description When the answer was read: reports read live rollups */
      data_refreshed_at: string | null;
    };
    AnalyticsUserUsageReportPageInput: {
      data: components["schemas"]["AnalyticsUsageUsersItemInput"][];
      has_more: boolean;
      next_page: string | null;
      /** @description When the answer was read: reports read live rollups */
      data_refreshed_at: string | null;
    };
    AnalyticsUserCostReportPageInput: {
      data: components["schemas"]["AnalyticsCostUsersItemInput"][];
      has_more: boolean;
      next_page: string | null;
      /** @description When the answer was read: reports read live rollups */
      data_refreshed_at: string | null;
    };
    ApiKeyInput: {
      id: string;
      /** @constant */
      type: "api_key";
      name: string;
      /** @enum {string} */
      status: "active" | "inactive" | "archived" | "expired";
      workspace_id: string;
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      created_at: string;
      expires_at: string | null;
      archived_at: string | null;
      last_used_at: string | null;
      created_by: {
        id: string;
        /** @constant */
        type: "user";
        email: string | null;
      } | null;
      /** @description Who the key belongs to: a member, a service account, or nobody yet */
      principal:
        | (
            | {
                /** @constant */
                type: "user_actor";
                user_id: string;
              }
            | {
                /** @constant */
                type: "service_account_actor";
                service_account_id: string;
              }
          )
        | null;
      scope: {
        /** @constant */
        type: "workspace";
        workspace_id: string;
      };
      /** @description The seed chapter's hint form: sk-ant-api03-...ABCD */
      partial_key: string;
      /** @description Anthropic's hint form: sk-ant-api03-R2D...igAA */
      partial_key_hint: string;
    };
    ApiKeyCreatedInput: {
      id: string;
      /** @constant */
      type: "api_key";
      name: string;
      /** @enum {string} */
      status: "active" | "inactive" | "archived" | "expired";
      workspace_id: string;
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      created_at: string;
      expires_at: string | null;
      archived_at: string | null;
      last_used_at: string | null;
      created_by: {
        id: string;
        /** @constant */
        type: "user";
        email: string | null;
      } | null;
      /** @description Who the key belongs to: a member, a service account, or nobody yet */
      principal:
        | (
            | {
                /** @constant */
                type: "user_actor";
                user_id: string;
              }
            | {
                /** @constant */
                type: "service_account_actor";
                service_account_id: string;
              }
          )
        | null;
      scope: {
        /** @constant */
        type: "workspace";
        workspace_id: string;
      };
      /** @description The seed chapter's hint form: sk-ant-api03-...ABCD */
      partial_key: string;
      /** @description Anthropic's hint form: sk-ant-api03-R2D...igAA */
      partial_key_hint: string;
      /** @description The full key. Returned only in this response: store it now. */
      key: string;
    };
    ApiKeyCreateParamsInput: {
      name: string;
      /** @description The workspace the key belongs to; the default workspace when omitted */
      workspace_id?: string;
      expires_at?: string | null;
      /** @description The member the key is issued to (its principal); revoked when they leave */
      user_id?: string;
      /** @description The service account the key belongs to (its principal) instead of a member; it must be a member of the key's workspace. Offboarding people leaves it alone; archiving the account revokes it */
      service_account_id?: string;
    };
    ApiKeyUpdateParamsInput: {
      name?: string | null;
      status?: ("active" | "inactive" | "archived") | null;
    };
    ApiKeyDeleteResponseInput: {
      id: string;
      /** @constant */
      type: "api_key_deleted";
      /** @constant */
      deleted: true;
    };
    AuditLogInput: {
      id: string;
      /** @constant */
      type: "audit_log";
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      occurred_at: string;
      actor: {
        /** @enum {string} */
        type: "admin_key" | "session" | "operator" | "invitee" | "system" | "anonymous";
        id: string | null;
      };
      action: string;
      target: {
        type: string;
        id: string | null;
      };
      /** @enum {string} */
      outcome: "success" | "failure";
      request_id: string | null;
      client_ip: string | null;
      user_agent: string | null;
      /** @description What changed, secrets redacted */
      changes: {
        before: unknown;
        after: unknown;
      };
      /** @description The record's place in its organization's hash chain */
      chain: {
        seq: number;
        prev_hash: string;
        hash: string;
      };
    };
    AuditLogPageInput: {
      data: components["schemas"]["AuditLogInput"][];
      has_more: boolean;
      first_id: string | null;
      last_id: string | null;
    };
    InviteInput: {
      id: string;
      /** @constant */
      type: "invite";
      email: string;
      /** @enum {string} */
      role: "owner" | "admin" | "developer" | "billing" | "user" | "claude_code_user";
      /** @enum {string} */
      status: "pending" | "accepted" | "expired" | "deleted";
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      invited_at: string;
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      expires_at: string;
      accepted_at: string | null;
      rbac_group_ids: string[];
    };
    InviteCreatedInput: {
      id: string;
      /** @constant */
      type: "invite";
      email: string;
      /** @enum {string} */
      role: "owner" | "admin" | "developer" | "billing" | "user" | "claude_code_user";
      /** @enum {string} */
      status: "pending" | "accepted" | "expired" | "deleted";
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      invited_at: string;
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      expires_at: string;
      accepted_at: string | null;
      rbac_group_ids: string[];
      /** @description One-time acceptance token for POST /v1/invites/accept. Returned only in this response. */
      token: string;
    };
    InviteCreateParamsInput: {
      email: string;
      /** @enum {string} */
      role: "owner" | "admin" | "developer" | "billing" | "user" | "claude_code_user";
      rbac_group_ids?: string[];
    };
    InviteDeleteResponseInput: {
      id: string;
      /** @constant */
      type: "invite_deleted";
      /** @constant */
      deleted: true;
    };
    InviteAcceptParamsInput: {
      token: string;
      name?: string;
    };
    WorkspaceInput: {
      id: string;
      /** @constant */
      type: "workspace";
      name: string;
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      created_at: string;
      archived_at: string | null;
      display_color: string;
      data_residency: {
        /** @constant */
        workspace_geo: "us";
        allowed_inference_geos: "unrestricted" | ("global" | "us")[];
        /** @enum {string} */
        default_inference_geo: "global" | "us";
      };
      tags: {
        [key: string]: string;
      };
      /** @description Always null: Steward has no encryption compartments */
      compartment_id: string | null;
      /** @description Always null: Steward has no customer-managed encryption keys */
      external_key_id: string | null;
      /** @description Always null: Steward has no user profiles */
      user_profile_id: string | null;
      usage_limits: {
        monthly_spend_usd: number | null;
        requests_per_minute: number | null;
      };
      is_default: boolean;
    };
    WorkspaceCreateParamsInput: {
      name: string;
      display_color?: string | null;
      data_residency?: {
        workspace_geo?: "us" | null;
        allowed_inference_geos?: ("unrestricted" | ("global" | "us")[]) | null;
        default_inference_geo?: ("global" | "us") | null;
      } | null;
      tags?: {
        [key: string]: string;
      } | null;
      usage_limits?: {
        monthly_spend_usd?: number | null;
        requests_per_minute?: number | null;
      } | null;
    };
    WorkspaceUpdateParamsInput: {
      name?: string;
      display_color?: string;
      data_residency?: {
        allowed_inference_geos?: ("unrestricted" | ("global" | "us")[]) | null;
        default_inference_geo?: ("global" | "us") | null;
      } | null;
      tags?: {
        [key: string]: string | null;
      } | null;
      usage_limits?: {
        monthly_spend_usd?: number | null;
        requests_per_minute?: number | null;
      };
    };
    WorkspaceMemberInput: {
      /** @constant */
      type: "workspace_member";
      user_id: string;
      workspace_id: string;
      /** @enum {string} */
      workspace_role:
        | "workspace_admin"
        | "workspace_developer"
        | "workspace_user"
        | "workspace_billing"
        | "workspace_restricted_developer";
    };
    WorkspaceMemberAddParamsInput: {
      user_id: string;
      /**
       * @description The role in the workspace; `workspace_billing` cannot be assigned (400 `workspace_role_not_assignable`)
       * @enum {string}
       */
      workspace_role:
        | "workspace_admin"
        | "workspace_developer"
        | "workspace_user"
        | "workspace_billing"
        | "workspace_restricted_developer";
    };
    WorkspaceMemberUpdateParamsInput: {
      /**
       * @description The role in the workspace; `workspace_billing` cannot be assigned (400 `workspace_role_not_assignable`)
       * @enum {string}
       */
      workspace_role:
        | "workspace_admin"
        | "workspace_developer"
        | "workspace_user"
        | "workspace_billing"
        | "workspace_restricted_developer";
    };
    WorkspaceMemberDeleteResponseInput: {
      /** @constant */
      type: "workspace_member_deleted";
      user_id: string;
      workspace_id: string;
    };
    OnboardParamsInput: {
      email: string;
      /** @enum {string} */
      role: "owner" | "admin" | "developer" | "billing" | "user" | "claude_code_user";
      /** @description Workspaces the person joins, with their role there, when they accept the invite */
      workspaces?: {
        workspace_id: string;
        /**
         * @description The role in the workspace; `workspace_billing` cannot be assigned (400 `workspace_role_not_assignable`)
         * @enum {string}
         */
        workspace_role:
          | "workspace_admin"
          | "workspace_developer"
          | "workspace_user"
          | "workspace_billing"
          | "workspace_restricted_developer";
      }[];
      /** @description An API key issued to the person: active at once, theirs (its principal) once they accept */
      api_key?: {
        name: string;
        /** @description The workspace the key belongs to; the default workspace when omitted */
        workspace_id?: string;
        expires_at?: string | null;
      };
    };
    PendingWorkspaceMemberInput: {
      /** @constant */
      type: "pending_workspace_member";
      invite_id: string;
      workspace_id: string;
      /** @enum {string} */
      workspace_role:
        | "workspace_admin"
        | "workspace_developer"
        | "workspace_user"
        | "workspace_billing"
        | "workspace_restricted_developer";
    };
    OnboardResponseInput: {
      /** @constant */
      type: "user_onboarded";
      invite: components["schemas"]["InviteCreatedInput"];
      workspace_memberships: components["schemas"]["PendingWorkspaceMemberInput"][];
      /** @description The issued key; its full `key` is returned only in this response */
      api_key: components["schemas"]["ApiKeyCreatedInput"] | null;
    };
    OffboardParamsInput: {
      /** @description Answer exactly what offboarding would revoke, cancel and remove now, and change nothing (no audit record either) */
      dry_run?: boolean;
    } | null;
    OffboardResponseInput: {
      id: string;
      /** @constant */
      type: "user_offboarded";
      /** @description True when the member was offboarded; false for a dry run, which changed nothing */
      deleted: boolean;
      /**
       * @description Present when this answers a dry run: what offboarding would do
       * @constant
       */
      dry_run?: true;
      /** @description The member as they were before offboarding */
      user: components["schemas"]["UserInput"];
      revoked_api_key_ids: string[];
      revoked_admin_key_ids: string[];
      removed_workspace_memberships: components["schemas"]["WorkspaceMemberInput"][];
      cancelled_invite_ids: string[];
    };
    OrganizationInput: {
      id: string;
      /** @constant */
      type: "organization";
      name: string;
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      created_at: string;
      billing: {
        plan: string;
        usage_limit_usd: number | null;
        current_month_usage_usd: number;
      };
      settings: {
        default_model: string | null;
        require_mfa: boolean;
        allowed_ip_ranges: string[];
      };
    };
    OrganizationUpdateParamsInput: {
      name?: string;
      settings?: {
        default_model?: string | null;
        require_mfa?: boolean;
        allowed_ip_ranges?: string[];
      };
      billing?: {
        usage_limit_usd?: number | null;
      };
    };
    RateLimitGroupInput:
      | {
          /** @description The group's id (`rlg_…`), the same in every organization */
          id: string;
          /** @constant */
          type: "model_group";
          /** @description For display only; it may change */
          display_name: string;
        }
      | {
          /** @description The group's id (`rlg_…`), the same in every organization */
          id: string;
          /** @constant */
          type: "token_count";
        }
      | {
          /** @description The group's id (`rlg_…`), the same in every organization */
          id: string;
          /** @constant */
          type: "batch";
        }
      | {
          /** @description The group's id (`rlg_…`), the same in every organization */
          id: string;
          /** @constant */
          type: "files";
        }
      | {
          /** @description The group's id (`rlg_…`), the same in every organization */
          id: string;
          /** @constant */
          type: "web_search";
        };
    OrganizationRateLimitInput: {
      /** @description The organization's entry for the group (`rl_…`): `rate_limit_id` */
      id: string;
      /** @constant */
      type: "rate_limit";
      group: components["schemas"]["RateLimitGroupInput"];
      /** @description The model names of a model group; null for any other group */
      models: string[] | null;
      /** @description Organization-level values: Steward has none of its own (Anthropic's apply upstream) */
      limits: {
        type: string;
        value: number;
      }[];
    };
    WorkspaceRateLimitInput: {
      /** @constant */
      type: "workspace_rate_limit";
      workspace_id: string;
      rate_limit_id: string;
      group: components["schemas"]["RateLimitGroupInput"];
      /** @description The model names of a model group; null for any other group */
      models: string[] | null;
      limits: {
        type: string;
        value: number;
        org_limit: number | null;
        source: {
          /** @enum {string} */
          type: "workspace" | "organization";
        };
      }[];
    };
    WorkspaceRateLimitUpdateParamsInput: {
      limits: {
        /** @enum {string} */
        type: "requests_per_minute" | "input_tokens_per_minute" | "output_tokens_per_minute";
        /** @description The workspace's value; null clears it */
        value: number | null;
      }[];
    };
    OrganizationRateLimitPageInput: {
      data: components["schemas"]["OrganizationRateLimitInput"][];
      next_page: string | null;
    };
    WorkspaceRateLimitPageInput: {
      data: components["schemas"]["WorkspaceRateLimitInput"][];
      next_page: string | null;
    };
    ServiceAccountInput: {
      id: string;
      /** @constant */
      type: "service_account";
      name: string;
      description: string | null;
      /** @enum {string} */
      organization_role: "admin" | "developer";
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      created_at: string;
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      updated_at: string;
      archived_at: string | null;
      /** @description The member who acted (`user_…`), or null */
      created_by_actor_id: string | null;
      /** @description The member who acted (`user_…`), or null */
      updated_by_actor_id: string | null;
      /** @description The member who acted (`user_…`), or null */
      archived_by_actor_id: string | null;
    };
    ServiceAccountPageInput: {
      data: components["schemas"]["ServiceAccountInput"][];
      next_page: string | null;
    };
    ServiceAccountCreateParamsInput: {
      /** @description Unique within the organization; a taken name is a 409 */
      name: string;
      description?: string | null;
      /**
       * @description `developer` when left out
       * @enum {string}
       */
      organization_role?: "admin" | "developer";
    };
    ServiceAccountUpdateParamsInput: {
      /** @description Left out: unchanged; null clears it (stored as an empty string) */
      description?: string | null;
      /** @description Left out or null: unchanged */
      organization_role?: ("admin" | "developer") | null;
    };
    ServiceAccountWorkspaceMemberInput: {
      /** @constant */
      type: "service_account_workspace_member";
      service_account_id: string;
      workspace_id: string;
      /** @enum {string} */
      workspace_role:
        | "workspace_admin"
        | "workspace_developer"
        | "workspace_user"
        | "workspace_billing"
        | "workspace_restricted_developer";
      /** @description True for the default workspace's implicit `workspace_user` membership every service account has without an explicit one */
      implicit: boolean | null;
      /** @description The member who acted (`user_…`), or null */
      created_by_actor_id: string | null;
    };
    ServiceAccountWorkspaceMemberPageInput: {
      data: components["schemas"]["ServiceAccountWorkspaceMemberInput"][];
      next_page: string | null;
    };
    ServiceAccountWorkspaceAddParamsInput: {
      workspace_id: string;
      /**
       * @description The role in the workspace; `workspace_billing` cannot be assigned (400 `workspace_role_not_assignable`)
       * @enum {string}
       */
      workspace_role:
        | "workspace_admin"
        | "workspace_developer"
        | "workspace_user"
        | "workspace_billing"
        | "workspace_restricted_developer";
    };
    WorkspaceServiceAccountAddParamsInput: {
      service_account_id: string;
      /**
       * @description The role in the workspace; `workspace_billing` cannot be assigned (400 `workspace_role_not_assignable`)
       * @enum {string}
       */
      workspace_role:
        | "workspace_admin"
        | "workspace_developer"
        | "workspace_user"
        | "workspace_billing"
        | "workspace_restricted_developer";
    };
    WorkspaceServiceAccountUpdateParamsInput: {
      /**
       * @description The role in the workspace; `workspace_billing` cannot be assigned (400 `workspace_role_not_assignable`)
       * @enum {string}
       */
      workspace_role:
        | "workspace_admin"
        | "workspace_developer"
        | "workspace_user"
        | "workspace_billing"
        | "workspace_restricted_developer";
    };
    ServiceAccountWorkspaceMemberDeleteResponseInput: {
      /** @constant */
      type: "service_account_workspace_member_deleted";
      service_account_id: string;
      workspace_id: string;
    };
    Error: {
      /** @constant */
      type: "error";
      error: {
        /** @enum {string} */
        type:
          | "invalid_request_error"
          | "authentication_error"
          | "billing_error"
          | "permission_error"
          | "not_found_error"
          | "conflict_error"
          | "request_too_large"
          | "rate_limit_error"
          | "api_error"
          | "unavailable_error"
          | "timeout_error"
          | "overloaded_error";
        message: string;
        details?: {
          /** @enum {string} */
          error_code:
            | "already_member"
            | "invite_already_exists"
            | "cannot_remove_last_member"
            | "invite_not_pending"
            | "workspace_archived"
            | "default_workspace_protected"
            | "api_key_archived"
            | "last_owner_admin_key"
            | "invalid_cursor"
            | "service_account_archived"
            | "workspace_role_not_assignable"
            | "idempotency_key_in_use"
            | "idempotency_key_reused"
            | "idempotent_response_unavailable"
            | "workspace_spend_limit_reached"
            | "organization_spend_limit_reached";
        };
      };
      request_id: string;
    };
    User: {
      id: string;
      /** @constant */
      type: "user";
      email: string;
      name: string;
      /** @enum {string} */
      role: "owner" | "admin" | "developer" | "billing" | "user" | "claude_code_user";
      /** @constant */
      status: "active";
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      added_at: string;
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      created_at: string;
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      updated_at: string;
      last_active_at: string | null;
    };
    UserUpdateParams: {
      /** @enum {string} */
      role?: "owner" | "admin" | "developer" | "billing" | "user" | "claude_code_user";
      name?: string;
    };
    UserUpdated: {
      id: string;
      /** @constant */
      type: "user";
      email: string;
      name: string;
      /** @enum {string} */
      role: "owner" | "admin" | "developer" | "billing" | "user" | "claude_code_user";
      /** @constant */
      status: "active";
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      added_at: string;
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      created_at: string;
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      updated_at: string;
      last_active_at: string | null;
      /** @description Admin keys held by this member that stop working with this role change */
      suspended_admin_key_ids: string[];
      /** @description Admin keys held by this member, suspended before, that work again with this role */
      resumed_admin_key_ids: string[];
    };
    UserDeleteResponse: {
      id: string;
      /** @constant */
      type: "user_deleted";
      /** @constant */
      deleted: true;
      revoked_api_key_ids: string[];
    };
    AuthMethods: {
      oidc: {
        /** @description OIDC_ISSUER is configured and its discovery document was read */
        enabled: boolean;
        /** @description The identity provider's name, for the button */
        label: string | null;
      };
      /** @description SMTP is configured: a sign-in link can be emailed */
      email_link: boolean;
      /**
       * @description An owner or admin can always sign in with their key
       * @constant
       */
      admin_key: true;
    };
    Session: {
      /** @constant */
      type: "session";
      /** @description The session's id (`sess_…`), not its secret */
      id: string;
      user: {
        id: string;
        email: string;
        name: string;
        /** @enum {string} */
        role: "owner" | "admin" | "developer" | "billing" | "user" | "claude_code_user";
      };
      organization_id: string;
      /** @description Send as `x-csrf-token` on every POST, PUT, PATCH and DELETE made with the session */
      csrf_token: string;
      /** @enum {string} */
      method: "admin_key" | "oidc" | "email_link";
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      created_at: string;
      /**
       * Format: date-time
       * @description The absolute limit (SESSION_MAX_AGE after sign-in)
       * @example 2025-04-28T10:00:00.000Z
       */
      expires_at: string;
      /**
       * Format: date-time
       * @description When the session ends unless used before (SESSION_IDLE_TIMEOUT after its last use)
       * @example 2025-04-28T10:00:00.000Z
       */
      idle_expires_at: string;
    };
    AdminKeySignInParams: {
      /** @description An admin key held by an owner or admin */
      key: string;
    };
    EmailLinkParams: {
      /** Format: email */
      email: string;
      return_to?: string;
    };
    EmailLinkSent: Record<string, never>;
    MessageCreateParams: {
      /** @description The model, e.g. `claude-sonnet-4-5` */
      model: string;
      /** @description Most output tokens; admission bounds the request's cost with it */
      max_tokens: number;
      messages: ({
        /** @enum {string} */
        role: "user" | "assistant";
        content:
          | string
          | ({
              /** @description `text`, `image`, `document`, `tool_use`, `tool_result`, `thinking`, … */
              type: string;
              text?: string;
            } & {
              [key: string]: unknown;
            })[];
      } & {
        [key: string]: unknown;
      })[];
      system?:
        | string
        | ({
            /** @description `text`, `image`, `document`, `tool_use`, `tool_result`, `thinking`, … */
            type: string;
            text?: string;
          } & {
            [key: string]: unknown;
          })[];
      /** @description Answer as server-sent events (`text/event-stream`) instead of one JSON object */
      stream?: boolean;
      temperature?: number;
      stop_sequences?: string[];
      tools?: ({
        name: string;
      } & {
        [key: string]: unknown;
      })[];
      metadata?: {
        user_id?: string;
      } & {
        [key: string]: unknown;
      };
    } & {
      [key: string]: unknown;
    };
    Message: {
      /** @description The upstream's message id (`msg_…`) */
      id: string;
      /** @constant */
      type: "message";
      /** @constant */
      role: "assistant";
      model: string;
      content: ({
        /** @description `text`, `image`, `document`, `tool_use`, `tool_result`, `thinking`, … */
        type: string;
        text?: string;
      } & {
        [key: string]: unknown;
      })[];
      stop_reason:
        | ("end_turn" | "max_tokens" | "stop_sequence" | "tool_use" | "pause_turn" | "refusal")
        | null;
      stop_sequence: string | null;
      /** @description What Steward meters: tokens by kind, priced when recorded */
      usage: {
        input_tokens: number;
        output_tokens: number;
        cache_creation_input_tokens?: number | null;
        cache_read_input_tokens?: number | null;
      } & {
        [key: string]: unknown;
      };
    } & {
      [key: string]: unknown;
    };
    MessageCountTokensParams: {
      model: string;
      messages: ({
        /** @enum {string} */
        role: "user" | "assistant";
        content:
          | string
          | ({
              /** @description `text`, `image`, `document`, `tool_use`, `tool_result`, `thinking`, … */
              type: string;
              text?: string;
            } & {
              [key: string]: unknown;
            })[];
      } & {
        [key: string]: unknown;
      })[];
      system?:
        | string
        | ({
            /** @description `text`, `image`, `document`, `tool_use`, `tool_result`, `thinking`, … */
            type: string;
            text?: string;
          } & {
            [key: string]: unknown;
          })[];
      tools?: ({
        name: string;
      } & {
        [key: string]: unknown;
      })[];
    } & {
      [key: string]: unknown;
    };
    MessageTokensCount: {
      input_tokens: number;
    } & {
      [key: string]: unknown;
    };
    ModelInfo: {
      id: string;
      /** @constant */
      type: "model";
      display_name: string;
      /** Format: date-time */
      created_at: string;
    } & {
      [key: string]: unknown;
    };
    ModelInfoPage: {
      data: components["schemas"]["ModelInfo"][];
      has_more: boolean;
      first_id: string | null;
      last_id: string | null;
    } & {
      [key: string]: unknown;
    };
    AdminKey: {
      id: string;
      /** @constant */
      type: "admin_key";
      organization_id: string;
      /** @description The member the key acts for, with their current role; null: organization-level */
      user_id: string | null;
      name: string;
      /** @description sk-ant-admin01-R2D...igAA */
      partial_key_hint: string;
      /**
       * @description `suspended`: its holder was removed or no longer has the admin or owner role; it works again if they do
       * @enum {string}
       */
      status: "active" | "revoked" | "expired" | "suspended";
      /**
       * @description `member`: acts for `user_id`; `organization`: created by the operator without a holder, with an owner's powers
       * @enum {string}
       */
      scope: "organization" | "member";
      /** @description The holder's current role; null without a holder, or when they were removed */
      holder_role: string | null;
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      created_at: string;
      expires_at: string | null;
      revoked_at: string | null;
      /** @description To within a minute */
      last_used_at: string | null;
    };
    AdminKeyCreated: {
      id: string;
      /** @constant */
      type: "admin_key";
      organization_id: string;
      /** @description The member the key acts for, with their current role; null: organization-level */
      user_id: string | null;
      name: string;
      /** @description sk-ant-admin01-R2D...igAA */
      partial_key_hint: string;
      /**
       * @description `suspended`: its holder was removed or no longer has the admin or owner role; it works again if they do
       * @enum {string}
       */
      status: "active" | "revoked" | "expired" | "suspended";
      /**
       * @description `member`: acts for `user_id`; `organization`: created by the operator without a holder, with an owner's powers
       * @enum {string}
       */
      scope: "organization" | "member";
      /** @description The holder's current role; null without a holder, or when they were removed */
      holder_role: string | null;
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      created_at: string;
      expires_at: string | null;
      revoked_at: string | null;
      /** @description To within a minute */
      last_used_at: string | null;
      /** @description The full key. Returned only in this response: store it now. */
      key: string;
    };
    AdminKeyCreateParams: {
      name: string;
      /** @description The member (an admin or owner) the key acts for; the member making the request when left out */
      user_id?: string;
      /** @description In the future; null: never */
      expires_at?: string | null;
    };
    AdminKeyUpdateParams: {
      name: string;
    };
    AdminKeyDeleteResponse: {
      id: string;
      /** @constant */
      type: "admin_key_deleted";
      /** @constant */
      deleted: true;
    };
    AlertThreshold:
      | {
          /** @constant */
          type: "usd";
          /** @description Spend in USD */
          amount_usd: number;
        }
      | {
          /** @constant */
          type: "percent_of_limit";
          /** @description Percentage of the scope's monthly limit (organization `billing.usage_limit_usd`, workspace `usage_limits.monthly_spend_usd`) */
          percent: number;
        };
    AlertChannel:
      | {
          /** @constant */
          type: "webhook";
          url: string;
          /** @description Only in the response that set it (create, or an update that generated it) */
          secret: string | null;
          secret_hint: string;
        }
      | {
          /** @constant */
          type: "slack";
          /** @description Only in the response to the request that set it */
          webhook_url: string | null;
          webhook_url_hint: string;
        }
      | {
          /** @constant */
          type: "pagerduty";
          /** @description Only in the response to the request that set it */
          routing_key: string | null;
          routing_key_hint: string;
          url: string;
        }
      | {
          /** @constant */
          type: "email";
          to: string[];
        };
    AlertRuleCreateParams: {
      name: string;
      scope:
        | {
            /** @constant */
            type: "organization";
          }
        | {
            /** @constant */
            type: "workspace";
            workspace_id: string;
          };
      /**
       * @description UTC calendar month or day
       * @default month
       * @enum {string}
       */
      period: "month" | "day";
      thresholds: components["schemas"]["AlertThreshold"][];
      channels: (
        | {
            /** @constant */
            type: "webhook";
            /** Format: uri */
            url: string;
            /** @description HMAC-SHA256 signing secret; generated when absent (and kept when an update names the same url) */
            secret?: string;
          }
        | {
            /** @constant */
            type: "slack";
            /** Format: uri */
            webhook_url: string;
          }
        | {
            /** @constant */
            type: "pagerduty";
            routing_key: string;
            /**
             * Format: uri
             * @description Defaults to https://events.pagerduty.com/v2/enqueue
             */
            url?: string;
          }
        | {
            /** @constant */
            type: "email";
            to: string[];
          }
      )[];
      /** @default true */
      enabled: boolean;
    };
    AlertRuleUpdateParams: {
      name?: string;
      scope?:
        | {
            /** @constant */
            type: "organization";
          }
        | {
            /** @constant */
            type: "workspace";
            workspace_id: string;
          };
      /** @enum {string} */
      period?: "month" | "day";
      thresholds?: components["schemas"]["AlertThreshold"][];
      /** @description Replaces the list */
      channels?: (
        | {
            /** @constant */
            type: "webhook";
            /** Format: uri */
            url: string;
            /** @description HMAC-SHA256 signing secret; generated when absent (and kept when an update names the same url) */
            secret?: string;
          }
        | {
            /** @constant */
            type: "slack";
            /** Format: uri */
            webhook_url: string;
          }
        | {
            /** @constant */
            type: "pagerduty";
            routing_key: string;
            /**
             * Format: uri
             * @description Defaults to https://events.pagerduty.com/v2/enqueue
             */
            url?: string;
          }
        | {
            /** @constant */
            type: "email";
            to: string[];
          }
      )[];
      enabled?: boolean;
    };
    AlertRule: {
      id: string;
      /** @constant */
      type: "alert_rule";
      name: string;
      scope: {
        /** @enum {string} */
        type: "organization" | "workspace";
        workspace_id: string | null;
      };
      /** @enum {string} */
      period: "month" | "day";
      thresholds: components["schemas"]["AlertThreshold"][];
      channels: components["schemas"]["AlertChannel"][];
      enabled: boolean;
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      created_at: string;
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      updated_at: string;
    };
    AlertMessage: {
      /** @enum {string} */
      type: "cost_alert" | "cost_alert_test";
      /** @description The firing's id (the delivery's for a test) */
      id: string;
      organization_id: string;
      rule: {
        id: string;
        name: string;
      };
      scope: {
        /** @enum {string} */
        type: "organization" | "workspace";
        id: string;
        name: string;
      };
      period: {
        /** @enum {string} */
        type: "month" | "day";
        /**
         * Format: date-time
         * @example 2025-04-28T10:00:00.000Z
         */
        starting_at: string;
        /**
         * Format: date-time
         * @example 2025-04-28T10:00:00.000Z
         */
        ending_at: string;
      };
      threshold: {
        /** @enum {string} */
        type: "usd" | "percent_of_limit";
        /** @description For a percentage of the limit */
        percent: number | null;
        /** @description The threshold in USD */
        usd: number;
      };
      limit_usd: number | null;
      current_spend_usd: number;
      /** @description How far spend is past the threshold, in percent */
      overage_percent: number;
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      fired_at: string;
      summary: string;
      hint: string;
      /** @description The whole alert as plain text */
      text: string;
    };
    AlertDelivery: {
      id: string;
      /** @constant */
      type: "alert_delivery";
      rule_id: string;
      firing_id: string | null;
      /** @enum {string} */
      kind: "alert" | "test";
      channel: {
        /** @enum {string} */
        type: "webhook" | "slack" | "pagerduty" | "email";
        /** @description Where it goes, secrets left out */
        target: string;
      };
      /** @enum {string} */
      status: "pending" | "delivered" | "failed";
      attempt_count: number;
      attempts: {
        /**
         * Format: date-time
         * @example 2025-04-28T10:00:00.000Z
         */
        attempted_at: string;
        status_code: number | null;
        error: string | null;
        duration_ms: number;
      }[];
      next_attempt_at: string | null;
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      expires_at: string;
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      created_at: string;
      delivered_at: string | null;
      last_error: string | null;
      message: components["schemas"]["AlertMessage"];
    };
    SeedUsageReport: {
      data: {
        /** @description Uncached input tokens */
        input_tokens: number;
        output_tokens: number;
        /** @description Cache writes, 5-minute and 1-hour */
        cache_creation_tokens: number;
        cache_read_tokens: number;
        web_search_requests: number;
        requests: number;
        total_cost_usd: number;
        /** @description The bucket's label: `2025-04-27T13:00:00Z` (hour), `2025-04-27` (day), `2025-04` (month) */
        date: string;
        /**
         * Format: date-time
         * @description Start of the bucket, inclusive
         * @example 2025-04-28T10:00:00.000Z
         */
        starting_at: string;
        /**
         * Format: date-time
         * @description End of the bucket, exclusive
         * @example 2025-04-28T10:00:00.000Z
         */
        ending_at: string;
        model_breakdown: {
          [key: string]: {
            input_tokens: number;
            output_tokens: number;
            cache_creation_tokens: number;
            cache_read_tokens: number;
            requests: number;
            cost_usd: number;
          };
        };
      }[];
      total: {
        /** @description Uncached input tokens */
        input_tokens: number;
        output_tokens: number;
        /** @description Cache writes, 5-minute and 1-hour */
        cache_creation_tokens: number;
        cache_read_tokens: number;
        web_search_requests: number;
        requests: number;
        total_cost_usd: number;
      };
    };
    MessagesUsageReport: {
      data: {
        /**
         * Format: date-time
         * @example 2025-04-28T10:00:00.000Z
         */
        starting_at: string;
        /**
         * Format: date-time
         * @description Exclusive
         * @example 2025-04-28T10:00:00.000Z
         */
        ending_at: string;
        results: {
          uncached_input_tokens: number;
          cache_creation: {
            ephemeral_1h_input_tokens: number;
            ephemeral_5m_input_tokens: number;
          };
          cache_read_input_tokens: number;
          output_tokens: number;
          server_tool_use: {
            web_search_requests: number;
          };
          api_key_id: string | null;
          workspace_id: string | null;
          model: string | null;
          service_tier: string | null;
          context_window: string | null;
          inference_geo: string | null;
        }[];
      }[];
      has_more: boolean;
      next_page: string | null;
    };
    CostReport: {
      data: {
        /**
         * Format: date-time
         * @example 2025-04-28T10:00:00.000Z
         */
        starting_at: string;
        /**
         * Format: date-time
         * @description Exclusive
         * @example 2025-04-28T10:00:00.000Z
         */
        ending_at: string;
        results: {
          /** @description Decimal string in cents: `123.45` is $1.2345 */
          amount: string;
          /** @constant */
          currency: "USD";
          workspace_id: string | null;
          /** @description Steward's addition: the API key, when grouped by api_key_id (null there for usage without a key); null otherwise */
          api_key_id: string | null;
          description: string | null;
          cost_type: ("tokens" | "web_search") | null;
          model: string | null;
          service_tier: string | null;
          token_type:
            | (
                | "uncached_input_tokens"
                | "output_tokens"
                | "cache_read_input_tokens"
                | "cache_creation.ephemeral_1h_input_tokens"
                | "cache_creation.ephemeral_5m_input_tokens"
              )
            | null;
          context_window: string | null;
          inference_geo: string | null;
          /** @description Steward's addition: the part of `amount` (cents, like it) charged at the price table's fallback rates because the model is not in the table; `0` when none */
          fallback_amount: string;
        }[];
      }[];
      has_more: boolean;
      next_page: string | null;
    };
    UsageEventInput: {
      /** @description Idempotency key: an id already stored is counted once */
      id: string;
      /**
       * Format: date-time
       * @description When the usage happened (RFC 3339)
       */
      timestamp: string;
      workspace_id: string;
      api_key_id?: string | null;
      model: string;
      /** @description Uncached input tokens */
      input_tokens: number;
      output_tokens: number;
      /** @description Cache writes; without the split below they count as 5-minute writes */
      cache_creation_input_tokens?: number | null;
      cache_creation?: {
        /** @default 0 */
        ephemeral_5m_input_tokens: number;
        /** @default 0 */
        ephemeral_1h_input_tokens: number;
      } | null;
      cache_read_input_tokens?: number | null;
      web_search_requests?: number | null;
      service_tier?:
        | ("standard" | "batch" | "priority" | "priority_on_demand" | "flex" | "flex_discount")
        | null;
      inference_geo?: ("global" | "us" | "not_available") | null;
      /** @description The event's cost; computed from the price table when absent */
      cost_usd?: number | null;
    };
    UsageEventsIngestResult: {
      /** @description Events stored by this call */
      accepted: number;
      /** @description Valid events whose id was already stored: counted once, not again */
      duplicates: number;
      rejected: {
        index: number;
        id: string | null;
        field: string | null;
        message: string;
      }[];
    };
    UsageDeadLetter: {
      id: string;
      /** @constant */
      type: "usage_dead_letter";
      /** @description The usage event's id: for the gateway, Steward's request id */
      event_id: string;
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      recorded_at: string;
      /**
       * @description invalid_tokens: the upstream reported a token count that is not a non-negative safe integer; cost_out_of_range: the cost is not a whole number of nano-dollars from 0 to $1,000,000; write_failed: the database refused the event's row (the rest of its batch was written)
       * @enum {string}
       */
      reason: "invalid_tokens" | "cost_out_of_range" | "write_failed";
      /** @description What was wrong: the count, or the database's message */
      detail: string;
      /** @description The usage event as it would have been stored (its columns); not summed anywhere */
      event: {
        [key: string]: unknown;
      };
    };
    AnalyticsUserActor: {
      /** @description The member was removed from the organization */
      deleted: boolean;
      email_address: string | null;
      name: string | null;
      /** @constant */
      type: "user_actor";
      user_id: string;
    };
    AnalyticsActor:
      | components["schemas"]["AnalyticsUserActor"]
      | {
          service_account_id: string;
          /** @constant */
          type: "service_account_actor";
        }
      | {
          api_key_id: string;
          /** @constant */
          type: "api_actor";
        };
    AnalyticsUsageItem: {
      /**
       * Format: date-time
       * @description Start of the row's bucket or range, inclusive
       * @example 2025-04-28T10:00:00.000Z
       */
      starting_at: string;
      /**
       * Format: date-time
       * @description End of the row's bucket or range, exclusive
       * @example 2025-04-28T10:00:00.000Z
       */
      ending_at: string;
      group: {
        actor: components["schemas"]["AnalyticsActor"] | null;
        actor_type:
          | ("api_actor" | "federated_actor" | "service_account_actor" | "user_actor")
          | null;
        agent_id: string | null;
        api_key_id: string | null;
        claude_tag_category: ("dm" | "engaged" | "monitoring" | "proactive" | "scheduled") | null;
        claude_tag_user_id: string | null;
        context_window: ("0-200k" | "200k-1M") | null;
        deployment_id: string | null;
        environment_id: string | null;
        inference_geo: ("global" | "us") | null;
        model: string | null;
        organization_id: string | null;
        product: string | null;
        rbac_group_id: string | null;
        service_tier:
          | ("standard" | "batch" | "priority" | "priority_on_demand" | "flex" | "flex_discount")
          | null;
        session_id: string | null;
        slack_channel_id: string | null;
        speed: ("fast" | "standard") | null;
        user_profile_id: string | null;
        workspace_id: string | null;
      };
      usage: {
        cache_creation: {
          ephemeral_1h_input_tokens: number;
          ephemeral_5m_input_tokens: number;
        };
        cache_read_input_tokens: number;
        output_tokens: number;
        requests: number | null;
        server_tool_use: {
          web_search_requests: number;
        };
        uncached_input_tokens: number;
        total_tokens: number;
      };
    };
    AnalyticsCostItem: {
      /**
       * Format: date-time
       * @description Start of the row's bucket or range, inclusive
       * @example 2025-04-28T10:00:00.000Z
       */
      starting_at: string;
      /**
       * Format: date-time
       * @description End of the row's bucket or range, exclusive
       * @example 2025-04-28T10:00:00.000Z
       */
      ending_at: string;
      group: {
        actor: components["schemas"]["AnalyticsActor"] | null;
        actor_type:
          | ("api_actor" | "federated_actor" | "service_account_actor" | "user_actor")
          | null;
        agent_id: string | null;
        api_key_id: string | null;
        claude_tag_category: ("dm" | "engaged" | "monitoring" | "proactive" | "scheduled") | null;
        claude_tag_user_id: string | null;
        context_window: ("0-200k" | "200k-1M") | null;
        deployment_id: string | null;
        environment_id: string | null;
        inference_geo: ("global" | "us") | null;
        model: string | null;
        organization_id: string | null;
        product: string | null;
        rbac_group_id: string | null;
        service_tier:
          | ("standard" | "batch" | "priority" | "priority_on_demand" | "flex" | "flex_discount")
          | null;
        session_id: string | null;
        slack_channel_id: string | null;
        speed: ("fast" | "standard") | null;
        user_profile_id: string | null;
        workspace_id: string | null;
        cost_type: ("code_execution" | "session_usage" | "tokens" | "web_search") | null;
        token_type:
          | (
              | "cache_creation.ephemeral_1h_input_tokens"
              | "cache_creation.ephemeral_5m_input_tokens"
              | "cache_read_input_tokens"
              | "output_tokens"
              | "uncached_input_tokens"
            )
          | null;
      };
      cost: {
        /** @description Decimal string in cents: `123.45` is $1.2345 */
        amount: string;
        /** @constant */
        currency: "USD";
        /** @description Steward applies no discounts: always `amount` */
        list_amount: string;
        /** @description Null on rows split by `cost_type` or `token_type` */
        requests: number | null;
      };
    };
    AnalyticsUsageUsersItem: {
      actor: components["schemas"]["AnalyticsUserActor"];
      /** @description The row's bucket start; null without bucket_width */
      starting_at: string | null;
      /** @description The row's bucket end; null without bucket_width */
      ending_at: string | null;
      claude_tag_category: ("dm" | "engaged" | "monitoring" | "proactive" | "scheduled") | null;
      claude_tag_user_id: string | null;
      context_window: ("0-200k" | "200k-1M") | null;
      inference_geo: ("global" | "us") | null;
      model: string | null;
      product: string | null;
      rbac_group_id: string | null;
      slack_channel_id: string | null;
      speed: ("fast" | "standard") | null;
      cache_creation: {
        ephemeral_1h_input_tokens: number;
        ephemeral_5m_input_tokens: number;
      };
      cache_read_input_tokens: number;
      output_tokens: number;
      requests: number | null;
      server_tool_use: {
        web_search_requests: number;
      };
      uncached_input_tokens: number;
      total_tokens: number;
    };
    AnalyticsCostUsersItem: {
      actor: components["schemas"]["AnalyticsUserActor"];
      /** @description The row's bucket start; null without bucket_width */
      starting_at: string | null;
      /** @description The row's bucket end; null without bucket_width */
      ending_at: string | null;
      claude_tag_category: ("dm" | "engaged" | "monitoring" | "proactive" | "scheduled") | null;
      claude_tag_user_id: string | null;
      context_window: ("0-200k" | "200k-1M") | null;
      inference_geo: ("global" | "us") | null;
      model: string | null;
      product: string | null;
      rbac_group_id: string | null;
      slack_channel_id: string | null;
      speed: ("fast" | "standard") | null;
      /** @description Decimal string in cents: `123.45` is $1.2345 */
      amount: string;
      /** @constant */
      currency: "USD";
      /** @description Steward applies no discounts: always `amount` */
      list_amount: string;
      /** @description Null on rows split by `cost_type` or `token_type` */
      requests: number | null;
      cost_type: ("code_execution" | "tokens" | "web_search") | null;
      token_type:
        | (
            | "cache_creation.ephemeral_1h_input_tokens"
            | "cache_creation.ephemeral_5m_input_tokens"
            | "cache_read_input_tokens"
            | "output_tokens"
            | "uncached_input_tokens"
          )
        | null;
    };
    AnalyticsUsagePage: {
      data: components["schemas"]["AnalyticsUsageItem"][];
      has_more: boolean;
      next_page: string | null;
      /** @description When the answer was read: reports read live rollups */
      data_refreshed_at: string | null;
    };
    AnalyticsCostPage: {
      data: components["schemas"]["AnalyticsCostItem"][];
      has_more: boolean;
      next_page: string | null;
      /** @description When the answer was read: reports read live rollups */
      data_refreshed_at: string | null;
    };
    AnalyticsUsageReportPage: {
      data: {
        /**
         * Format: date-time
         * @description Start of the row's bucket or range, inclusive
         * @example 2025-04-28T10:00:00.000Z
         */
        starting_at: string;
        /**
         * Format: date-time
         * @description End of the row's bucket or range, exclusive
         * @example 2025-04-28T10:00:00.000Z
         */
        ending_at: string;
        results: {
          claude_tag_category: ("dm" | "engaged" | "monitoring" | "proactive" | "scheduled") | null;
          claude_tag_user_id: string | null;
          context_window: ("0-200k" | "200k-1M") | null;
          inference_geo: ("global" | "us") | null;
          model: string | null;
          product: string | null;
          rbac_group_id: string | null;
          slack_channel_id: string | null;
          speed: ("fast" | "standard") | null;
          cache_creation: {
            ephemeral_1h_input_tokens: number;
            ephemeral_5m_input_tokens: number;
          };
          cache_read_input_tokens: number;
          output_tokens: number;
          requests: number | null;
          server_tool_use: {
            web_search_requests: number;
          };
          uncached_input_tokens: number;
        }[];
      }[];
      has_more: boolean;
      next_page: string | null;
      /** @description When the answer was read: reports read live rollups */
      data_refreshed_at: string | null;
    };
    AnalyticsCostReportPage: {
      data: {
        /**
         * Format: date-time
         * @description Start of the row's bucket or range, inclusive
         * @example 2025-04-28T10:00:00.000Z
         */
        starting_at: string;
        /**
         * Format: date-time
         * @description End of the row's bucket or range, exclusive
         * @example 2025-04-28T10:00:00.000Z
         */
        ending_at: string;
        results: {
          claude_tag_category: ("dm" | "engaged" | "monitoring" | "proactive" | "scheduled") | null;
          claude_tag_user_id: string | null;
          context_window: ("0-200k" | "200k-1M") | null;
          inference_geo: ("global" | "us") | null;
          model: string | null;
          product: string | null;
          rbac_group_id: string | null;
          slack_channel_id: string | null;
          speed: ("fast" | "standard") | null;
          /** @description Decimal string in cents: `123.45` is $1.2345 */
          amount: string;
          /** @constant */
          currency: "USD";
          /** @description Steward applies no discounts: always `amount` */
          list_amount: string;
          /** @description Null on rows split by `cost_type` or `token_type` */
          requests: number | null;
          cost_type: ("code_execution" | "tokens" | "web_search") | null;
          token_type:
            | (
                | "cache_creation.ephemeral_1h_input_tokens"
                | "cache_creation.ephemeral_5m_input_tokens"
                | "cache_read_input_tokens"
                | "output_tokens"
                | "uncached_input_tokens"
              )
            | null;
        }[];
      }[];
      has_more: boolean;
      next_page: string | null;
      /** @description When the answer was read: reports read live rollups */
      data_refreshed_at: string | null;
    };
    AnalyticsUserUsageReportPage: {
      data: components["schemas"]["AnalyticsUsageUsersItem"][];
      has_more: boolean;
      next_page: string | null;
      /** @description When the answer was read: reports read live rollups */
      data_refreshed_at: string | null;
    };
    AnalyticsUserCostReportPage: {
      data: components["schemas"]["AnalyticsCostUsersItem"][];
      has_more: boolean;
      next_page: string | null;
      /** @description When the answer was read: reports read live rollups */
      data_refreshed_at: string | null;
    };
    ApiKey: {
      id: string;
      /** @constant */
      type: "api_key";
      name: string;
      /** @enum {string} */
      status: "active" | "inactive" | "archived" | "expired";
      workspace_id: string;
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      created_at: string;
      expires_at: string | null;
      archived_at: string | null;
      last_used_at: string | null;
      created_by: {
        id: string;
        /** @constant */
        type: "user";
        email: string | null;
      } | null;
      /** @description Who the key belongs to: a member, a service account, or nobody yet */
      principal:
        | (
            | {
                /** @constant */
                type: "user_actor";
                user_id: string;
              }
            | {
                /** @constant */
                type: "service_account_actor";
                service_account_id: string;
              }
          )
        | null;
      scope: {
        /** @constant */
        type: "workspace";
        workspace_id: string;
      };
      /** @description The seed chapter's hint form: sk-ant-api03-...ABCD */
      partial_key: string;
      /** @description Anthropic's hint form: sk-ant-api03-R2D...igAA */
      partial_key_hint: string;
    };
    ApiKeyCreated: {
      id: string;
      /** @constant */
      type: "api_key";
      name: string;
      /** @enum {string} */
      status: "active" | "inactive" | "archived" | "expired";
      workspace_id: string;
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      created_at: string;
      expires_at: string | null;
      archived_at: string | null;
      last_used_at: string | null;
      created_by: {
        id: string;
        /** @constant */
        type: "user";
        email: string | null;
      } | null;
      /** @description Who the key belongs to: a member, a service account, or nobody yet */
      principal:
        | (
            | {
                /** @constant */
                type: "user_actor";
                user_id: string;
              }
            | {
                /** @constant */
                type: "service_account_actor";
                service_account_id: string;
              }
          )
        | null;
      scope: {
        /** @constant */
        type: "workspace";
        workspace_id: string;
      };
      /** @description The seed chapter's hint form: sk-ant-api03-...ABCD */
      partial_key: string;
      /** @description Anthropic's hint form: sk-ant-api03-R2D...igAA */
      partial_key_hint: string;
      /** @description The full key. Returned only in this response: store it now. */
      key: string;
    };
    ApiKeyCreateParams: {
      name: string;
      /** @description The workspace the key belongs to; the default workspace when omitted */
      workspace_id?: string;
      expires_at?: string | null;
      /** @description The member the key is issued to (its principal); revoked when they leave */
      user_id?: string;
      /** @description The service account the key belongs to (its principal) instead of a member; it must be a member of the key's workspace. Offboarding people leaves it alone; archiving the account revokes it */
      service_account_id?: string;
    };
    ApiKeyUpdateParams: {
      name?: string | null;
      status?: ("active" | "inactive" | "archived") | null;
    };
    ApiKeyDeleteResponse: {
      id: string;
      /** @constant */
      type: "api_key_deleted";
      /** @constant */
      deleted: true;
    };
    AuditLog: {
      id: string;
      /** @constant */
      type: "audit_log";
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      occurred_at: string;
      actor: {
        /** @enum {string} */
        type: "admin_key" | "session" | "operator" | "invitee" | "system" | "anonymous";
        id: string | null;
      };
      action: string;
      target: {
        type: string;
        id: string | null;
      };
      /** @enum {string} */
      outcome: "success" | "failure";
      request_id: string | null;
      client_ip: string | null;
      user_agent: string | null;
      /** @description What changed, secrets redacted */
      changes: {
        before: unknown;
        after: unknown;
      };
      /** @description The record's place in its organization's hash chain */
      chain: {
        seq: number;
        prev_hash: string;
        hash: string;
      };
    };
    AuditLogPage: {
      data: components["schemas"]["AuditLog"][];
      has_more: boolean;
      first_id: string | null;
      last_id: string | null;
    };
    Invite: {
      id: string;
      /** @constant */
      type: "invite";
      email: string;
      /** @enum {string} */
      role: "owner" | "admin" | "developer" | "billing" | "user" | "claude_code_user";
      /** @enum {string} */
      status: "pending" | "accepted" | "expired" | "deleted";
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      invited_at: string;
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      expires_at: string;
      accepted_at: string | null;
      rbac_group_ids: string[];
    };
    InviteCreated: {
      id: string;
      /** @constant */
      type: "invite";
      email: string;
      /** @enum {string} */
      role: "owner" | "admin" | "developer" | "billing" | "user" | "claude_code_user";
      /** @enum {string} */
      status: "pending" | "accepted" | "expired" | "deleted";
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      invited_at: string;
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      expires_at: string;
      accepted_at: string | null;
      rbac_group_ids: string[];
      /** @description One-time acceptance token for POST /v1/invites/accept. Returned only in this response. */
      token: string;
    };
    InviteCreateParams: {
      /** Format: email */
      email: string;
      /** @enum {string} */
      role: "owner" | "admin" | "developer" | "billing" | "user" | "claude_code_user";
      rbac_group_ids?: string[];
    };
    InviteDeleteResponse: {
      id: string;
      /** @constant */
      type: "invite_deleted";
      /** @constant */
      deleted: true;
    };
    InviteAcceptParams: {
      token: string;
      name?: string;
    };
    Workspace: {
      id: string;
      /** @constant */
      type: "workspace";
      name: string;
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      created_at: string;
      archived_at: string | null;
      display_color: string;
      data_residency: {
        /** @constant */
        workspace_geo: "us";
        allowed_inference_geos: "unrestricted" | ("global" | "us")[];
        /** @enum {string} */
        default_inference_geo: "global" | "us";
      };
      tags: {
        [key: string]: string;
      };
      /** @description Always null: Steward has no encryption compartments */
      compartment_id: string | null;
      /** @description Always null: Steward has no customer-managed encryption keys */
      external_key_id: string | null;
      /** @description Always null: Steward has no user profiles */
      user_profile_id: string | null;
      usage_limits: {
        monthly_spend_usd: number | null;
        requests_per_minute: number | null;
      };
      is_default: boolean;
    };
    WorkspaceCreateParams: {
      name: string;
      display_color?: string | null;
      data_residency?: {
        workspace_geo?: "us" | null;
        allowed_inference_geos?: ("unrestricted" | ("global" | "us")[]) | null;
        default_inference_geo?: ("global" | "us") | null;
      } | null;
      tags?: {
        [key: string]: string;
      } | null;
      usage_limits?: {
        monthly_spend_usd?: number | null;
        requests_per_minute?: number | null;
      } | null;
    };
    WorkspaceUpdateParams: {
      name?: string;
      display_color?: string;
      data_residency?: {
        allowed_inference_geos?: ("unrestricted" | ("global" | "us")[]) | null;
        default_inference_geo?: ("global" | "us") | null;
      } | null;
      tags?: {
        [key: string]: string | null;
      } | null;
      usage_limits?: {
        monthly_spend_usd?: number | null;
        requests_per_minute?: number | null;
      };
    };
    WorkspaceMember: {
      /** @constant */
      type: "workspace_member";
      user_id: string;
      workspace_id: string;
      /** @enum {string} */
      workspace_role:
        | "workspace_admin"
        | "workspace_developer"
        | "workspace_user"
        | "workspace_billing"
        | "workspace_restricted_developer";
    };
    WorkspaceMemberAddParams: {
      user_id: string;
      /**
       * @description The role in the workspace; `workspace_billing` cannot be assigned (400 `workspace_role_not_assignable`)
       * @enum {string}
       */
      workspace_role:
        | "workspace_admin"
        | "workspace_developer"
        | "workspace_user"
        | "workspace_billing"
        | "workspace_restricted_developer";
    };
    WorkspaceMemberUpdateParams: {
      /**
       * @description The role in the workspace; `workspace_billing` cannot be assigned (400 `workspace_role_not_assignable`)
       * @enum {string}
       */
      workspace_role:
        | "workspace_admin"
        | "workspace_developer"
        | "workspace_user"
        | "workspace_billing"
        | "workspace_restricted_developer";
    };
    WorkspaceMemberDeleteResponse: {
      /** @constant */
      type: "workspace_member_deleted";
      user_id: string;
      workspace_id: string;
    };
    OnboardParams: {
      /** Format: email */
      email: string;
      /** @enum {string} */
      role: "owner" | "admin" | "developer" | "billing" | "user" | "claude_code_user";
      /** @description Workspaces the person joins, with their role there, when they accept the invite */
      workspaces?: {
        workspace_id: string;
        /**
         * @description The role in the workspace; `workspace_billing` cannot be assigned (400 `workspace_role_not_assignable`)
         * @enum {string}
         */
        workspace_role:
          | "workspace_admin"
          | "workspace_developer"
          | "workspace_user"
          | "workspace_billing"
          | "workspace_restricted_developer";
      }[];
      /** @description An API key issued to the person: active at once, theirs (its principal) once they accept */
      api_key?: {
        name: string;
        /** @description The workspace the key belongs to; the default workspace when omitted */
        workspace_id?: string;
        expires_at?: string | null;
      };
    };
    PendingWorkspaceMember: {
      /** @constant */
      type: "pending_workspace_member";
      invite_id: string;
      workspace_id: string;
      /** @enum {string} */
      workspace_role:
        | "workspace_admin"
        | "workspace_developer"
        | "workspace_user"
        | "workspace_billing"
        | "workspace_restricted_developer";
    };
    OnboardResponse: {
      /** @constant */
      type: "user_onboarded";
      invite: components["schemas"]["InviteCreated"];
      workspace_memberships: components["schemas"]["PendingWorkspaceMember"][];
      /** @description The issued key; its full `key` is returned only in this response */
      api_key: components["schemas"]["ApiKeyCreated"] | null;
    };
    OffboardParams: {
      /** @description Answer exactly what offboarding would revoke, cancel and remove now, and change nothing (no audit record either) */
      dry_run?: boolean;
    } | null;
    OffboardResponse: {
      id: string;
      /** @constant */
      type: "user_offboarded";
      /** @description True when the member was offboarded; false for a dry run, which changed nothing */
      deleted: boolean;
      /**
       * @description Present when this answers a dry run: what offboarding would do
       * @constant
       */
      dry_run?: true;
      /** @description The member as they were before offboarding */
      user: components["schemas"]["User"];
      revoked_api_key_ids: string[];
      revoked_admin_key_ids: string[];
      removed_workspace_memberships: components["schemas"]["WorkspaceMember"][];
      cancelled_invite_ids: string[];
    };
    Organization: {
      id: string;
      /** @constant */
      type: "organization";
      name: string;
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      created_at: string;
      billing: {
        plan: string;
        usage_limit_usd: number | null;
        current_month_usage_usd: number;
      };
      settings: {
        default_model: string | null;
        require_mfa: boolean;
        allowed_ip_ranges: string[];
      };
    };
    OrganizationUpdateParams: {
      name?: string;
      settings?: {
        default_model?: string | null;
        require_mfa?: boolean;
        allowed_ip_ranges?: unknown[];
      };
      billing?: {
        usage_limit_usd?: number | null;
      };
    };
    RateLimitGroup:
      | {
          /** @description The group's id (`rlg_…`), the same in every organization */
          id: string;
          /** @constant */
          type: "model_group";
          /** @description For display only; it may change */
          display_name: string;
        }
      | {
          /** @description The group's id (`rlg_…`), the same in every organization */
          id: string;
          /** @constant */
          type: "token_count";
        }
      | {
          /** @description The group's id (`rlg_…`), the same in every organization */
          id: string;
          /** @constant */
          type: "batch";
        }
      | {
          /** @description The group's id (`rlg_…`), the same in every organization */
          id: string;
          /** @constant */
          type: "files";
        }
      | {
          /** @description The group's id (`rlg_…`), the same in every organization */
          id: string;
          /** @constant */
          type: "web_search";
        };
    OrganizationRateLimit: {
      /** @description The organization's entry for the group (`rl_…`): `rate_limit_id` */
      id: string;
      /** @constant */
      type: "rate_limit";
      group: components["schemas"]["RateLimitGroup"];
      /** @description The model names of a model group; null for any other group */
      models: string[] | null;
      /** @description Organization-level values: Steward has none of its own (Anthropic's apply upstream) */
      limits: {
        type: string;
        value: number;
      }[];
    };
    WorkspaceRateLimit: {
      /** @constant */
      type: "workspace_rate_limit";
      workspace_id: string;
      rate_limit_id: string;
      group: components["schemas"]["RateLimitGroup"];
      /** @description The model names of a model group; null for any other group */
      models: string[] | null;
      limits: {
        type: string;
        value: number;
        org_limit: number | null;
        source: {
          /** @enum {string} */
          type: "workspace" | "organization";
        };
      }[];
    };
    WorkspaceRateLimitUpdateParams: {
      limits: {
        /** @enum {string} */
        type: "requests_per_minute" | "input_tokens_per_minute" | "output_tokens_per_minute";
        /** @description The workspace's value; null clears it */
        value: number | null;
      }[];
    };
    OrganizationRateLimitPage: {
      data: components["schemas"]["OrganizationRateLimit"][];
      next_page: string | null;
    };
    WorkspaceRateLimitPage: {
      data: components["schemas"]["WorkspaceRateLimit"][];
      next_page: string | null;
    };
    ServiceAccount: {
      id: string;
      /** @constant */
      type: "service_account";
      name: string;
      description: string | null;
      /** @enum {string} */
      organization_role: "admin" | "developer";
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      created_at: string;
      /**
       * Format: date-time
       * @example 2025-04-28T10:00:00.000Z
       */
      updated_at: string;
      archived_at: string | null;
      /** @description The member who acted (`user_…`), or null */
      created_by_actor_id: string | null;
      /** @description The member who acted (`user_…`), or null */
      updated_by_actor_id: string | null;
      /** @description The member who acted (`user_…`), or null */
      archived_by_actor_id: string | null;
    };
    ServiceAccountPage: {
      data: components["schemas"]["ServiceAccount"][];
      next_page: string | null;
    };
    ServiceAccountCreateParams: {
      /** @description Unique within the organization; a taken name is a 409 */
      name: string;
      description?: string | null;
      /**
       * @description `developer` when left out
       * @enum {string}
       */
      organization_role?: "admin" | "developer";
    };
    ServiceAccountUpdateParams: {
      /** @description Left out: unchanged; null clears it (stored as an empty string) */
      description?: string | null;
      /** @description Left out or null: unchanged */
      organization_role?: ("admin" | "developer") | null;
    };
    ServiceAccountWorkspaceMember: {
      /** @constant */
      type: "service_account_workspace_member";
      service_account_id: string;
      workspace_id: string;
      /** @enum {string} */
      workspace_role:
        | "workspace_admin"
        | "workspace_developer"
        | "workspace_user"
        | "workspace_billing"
        | "workspace_restricted_developer";
      /** @description True for the default workspace's implicit `workspace_user` membership every service account has without an explicit one */
      implicit: boolean | null;
      /** @description The member who acted (`user_…`), or null */
      created_by_actor_id: string | null;
    };
    ServiceAccountWorkspaceMemberPage: {
      data: components["schemas"]["ServiceAccountWorkspaceMember"][];
      next_page: string | null;
    };
    ServiceAccountWorkspaceAddParams: {
      workspace_id: string;
      /**
       * @description The role in the workspace; `workspace_billing` cannot be assigned (400 `workspace_role_not_assignable`)
       * @enum {string}
       */
      workspace_role:
        | "workspace_admin"
        | "workspace_developer"
        | "workspace_user"
        | "workspace_billing"
        | "workspace_restricted_developer";
    };
    WorkspaceServiceAccountAddParams: {
      service_account_id: string;
      /**
       * @description The role in the workspace; `workspace_billing` cannot be assigned (400 `workspace_role_not_assignable`)
       * @enum {string}
       */
      workspace_role:
        | "workspace_admin"
        | "workspace_developer"
        | "workspace_user"
        | "workspace_billing"
        | "workspace_restricted_developer";
    };
    WorkspaceServiceAccountUpdateParams: {
      /**
       * @description The role in the workspace; `workspace_billing` cannot be assigned (400 `workspace_role_not_assignable`)
       * @enum {string}
       */
      workspace_role:
        | "workspace_admin"
        | "workspace_developer"
        | "workspace_user"
        | "workspace_billing"
        | "workspace_restricted_developer";
    };
    ServiceAccountWorkspaceMemberDeleteResponse: {
      /** @constant */
      type: "service_account_workspace_member_deleted";
      service_account_id: string;
      workspace_id: string;
    };
  };
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
  seedGetOrganization: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "id": "org_0111pCKxtgc2HvTKxsSphpcvc",
           *       "type": "organization",
           *       "name": "Acme Corporation",
           *       "created_at": "2026-01-15T08:00:00.000Z",
           *       "billing": {
           *         "plan": "self_hosted",
           *         "usage_limit_usd": 10000,
           *         "current_month_usage_usd": 2345.67
           *       },
           *       "settings": {
           *         "default_model": "claude-opus-4-5",
           *         "require_mfa": true,
           *         "allowed_ip_ranges": [
           *           "203.0.113.0/24",
           *           "198.51.100.0/24"
           *         ]
           *       }
           *     }
           */
          "application/json": components["schemas"]["Organization"];
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  seedUpdateOrganization: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes the request safe to retry: repeated with the same key, method, path and body within 24 hours, it answers the first response again (with `idempotent-replayed: true`) instead of running twice. 1 to 255 printable ASCII characters; use a random value (a UUID). See docs/api.md, Idempotent requests. */
        "idempotency-key"?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "name": "Acme Corporation",
         *       "settings": {
         *         "require_mfa": true,
         *         "allowed_ip_ranges": [
         *           "203.0.113.0/24",
         *           "198.51.100.0/24"
         *         ]
         *       },
         *       "billing": {
         *         "usage_limit_usd": 10000
         *       }
         *     }
         */
        "application/json": components["schemas"]["OrganizationUpdateParamsInput"];
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "id": "org_0111pCKxtgc2HvTKxsSphpcvc",
           *       "type": "organization",
           *       "name": "Acme Corporation",
           *       "created_at": "2026-01-15T08:00:00.000Z",
           *       "billing": {
           *         "plan": "self_hosted",
           *         "usage_limit_usd": 10000,
           *         "current_month_usage_usd": 2345.67
           *       },
           *       "settings": {
           *         "default_model": "claude-opus-4-5",
           *         "require_mfa": true,
           *         "allowed_ip_ranges": [
           *           "203.0.113.0/24",
           *           "198.51.100.0/24"
           *         ]
           *       }
           *     }
           */
          "application/json": components["schemas"]["Organization"];
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  seedPatchOrganization: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes the request safe to retry: repeated with the same key, method, path and body within 24 hours, it answers the first response again (with `idempotent-replayed: true`) instead of running twice. 1 to 255 printable ASCII characters; use a random value (a UUID). See docs/api.md, Idempotent requests. */
        "idempotency-key"?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "name": "Acme Corporation",
         *       "settings": {
         *         "require_mfa": true,
         *         "allowed_ip_ranges": [
         *           "203.0.113.0/24",
         *           "198.51.100.0/24"
         *         ]
         *       },
         *       "billing": {
         *         "usage_limit_usd": 10000
         *       }
         *     }
         */
        "application/json": components["schemas"]["OrganizationUpdateParamsInput"];
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "id": "org_0111pCKxtgc2HvTKxsSphpcvc",
           *       "type": "organization",
           *       "name": "Acme Corporation",
           *       "created_at": "2026-01-15T08:00:00.000Z",
           *       "billing": {
           *         "plan": "self_hosted",
           *         "usage_limit_usd": 10000,
           *         "current_month_usage_usd": 2345.67
           *       },
           *       "settings": {
           *         "default_model": "claude-opus-4-5",
           *         "require_mfa": true,
           *         "allowed_ip_ranges": [
           *           "203.0.113.0/24",
           *           "198.51.100.0/24"
           *         ]
           *       }
           *     }
           */
          "application/json": components["schemas"]["Organization"];
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  getOrganizationMe: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "id": "org_0111pCKxtgc2HvTKxsSphpcvc",
           *       "type": "organization",
           *       "name": "Acme Corporation",
           *       "created_at": "2026-01-15T08:00:00.000Z",
           *       "billing": {
           *         "plan": "self_hosted",
           *         "usage_limit_usd": 10000,
           *         "current_month_usage_usd": 2345.67
           *       },
           *       "settings": {
           *         "default_model": "claude-opus-4-5",
           *         "require_mfa": true,
           *         "allowed_ip_ranges": [
           *           "203.0.113.0/24",
           *           "198.51.100.0/24"
           *         ]
           *       }
           *     }
           */
          "application/json": components["schemas"]["Organization"];
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  seedListUsers: {
    parameters: {
      query?: {
        /** @description Page size, 1 to 1000 (default 20) */
        limit?: number;
        /** @description Return the page after this object */
        after_id?: string;
        /** @description Return the page before this object */
        before_id?: string;
        /** @description Only the member with this email (case-insensitive) */
        email?: string;
        /** @description Only members with one of these roles */
        roles?:
          | (
              | "owner"
              | "admin"
              | "developer"
              | "billing"
              | "user"
              | "claude_code_user"
              | "managed"
              | "membership_admin"
              | "primary_owner"
            )
          | (
              | "owner"
              | "admin"
              | "developer"
              | "billing"
              | "user"
              | "claude_code_user"
              | "managed"
              | "membership_admin"
              | "primary_owner"
            )[];
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "data": [
           *         {
           *           "id": "user_0111pCKxtgoE4FHTWnUydEvgX",
           *           "type": "user",
           *           "email": "olivia@acme.example",
           *           "name": "Olivia Owner",
           *           "role": "owner",
           *           "status": "active",
           *           "added_at": "2026-01-15T08:00:00.000Z",
           *           "created_at": "2026-01-15T08:00:00.000Z",
           *           "updated_at": "2026-01-15T08:00:00.000Z",
           *           "last_active_at": "2026-04-28T08:00:00.000Z"
           *         },
           *         {
           *           "id": "user_0111pCKxtho3Dq6iAZDk5eFmX",
           *           "type": "user",
           *           "email": "alice@acme.example",
           *           "name": "Alice Johnson",
           *           "role": "developer",
           *           "status": "active",
           *           "added_at": "2026-03-01T10:00:00.000Z",
           *           "created_at": "2026-03-01T10:00:00.000Z",
           *           "updated_at": "2026-03-01T10:00:00.000Z",
           *           "last_active_at": "2026-04-27T15:30:00.000Z"
           *         }
           *       ],
           *       "has_more": true,
           *       "first_id": "user_0111pCKxtgoE4FHTWnUydEvgX",
           *       "last_id": "user_0111pCKxtho3Dq6iAZDk5eFmX"
           *     }
           */
          "application/json": {
            data: components["schemas"]["User"][];
            has_more: boolean;
            first_id: string | null;
            last_id: string | null;
          };
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  seedGetUser: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        user_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "id": "user_0111pCKxtho3Dq6iAZDk5eFmX",
           *       "type": "user",
           *       "email": "alice@acme.example",
           *       "name": "Alice Johnson",
           *       "role": "developer",
           *       "status": "active",
           *       "added_at": "2026-03-01T10:00:00.000Z",
           *       "created_at": "2026-03-01T10:00:00.000Z",
           *       "updated_at": "2026-03-01T10:00:00.000Z",
           *       "last_active_at": "2026-04-27T15:30:00.000Z"
           *     }
           */
          "application/json": components["schemas"]["User"];
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  seedRemoveUser: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes the request safe to retry: repeated with the same key, method, path and body within 24 hours, it answers the first response again (with `idempotent-replayed: true`) instead of running twice. 1 to 255 printable ASCII characters; use a random value (a UUID). See docs/api.md, Idempotent requests. */
        "idempotency-key"?: string;
      };
      path: {
        user_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "id": "user_0111pCKxtho3Dq6iAZDk5eFmX",
           *       "type": "user_deleted",
           *       "deleted": true,
           *       "revoked_api_key_ids": [
           *         "apikey_0111pCKxtiR3mn7mJYApmoTxF"
           *       ]
           *     }
           */
          "application/json": components["schemas"]["UserDeleteResponse"];
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  seedUpdateUser: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes the request safe to retry: repeated with the same key, method, path and body within 24 hours, it answers the first response again (with `idempotent-replayed: true`) instead of running twice. 1 to 255 printable ASCII characters; use a random value (a UUID). See docs/api.md, Idempotent requests. */
        "idempotency-key"?: string;
      };
      path: {
        user_id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "role": "admin"
         *     }
         */
        "application/json": components["schemas"]["UserUpdateParamsInput"];
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "id": "user_0111pCKxtho3Dq6iAZDk5eFmX",
           *       "type": "user",
           *       "email": "alice@acme.example",
           *       "name": "Alice Johnson",
           *       "role": "admin",
           *       "status": "active",
           *       "added_at": "2026-03-01T10:00:00.000Z",
           *       "created_at": "2026-03-01T10:00:00.000Z",
           *       "updated_at": "2026-04-28T10:05:00.000Z",
           *       "last_active_at": "2026-04-27T15:30:00.000Z",
           *       "suspended_admin_key_ids": [],
           *       "resumed_admin_key_ids": []
           *     }
           */
          "application/json": components["schemas"]["UserUpdated"];
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  listUsers: {
    parameters: {
      query?: {
        /** @description Page size, 1 to 1000 (default 20) */
        limit?: number;
        /** @description Return the page after this object */
        after_id?: string;
        /** @description Return the page before this object */
        before_id?: string;
        /** @description Only the member with this email (case-insensitive) */
        email?: string;
        /** @description Only members with one of these roles */
        roles?:
          | (
              | "owner"
              | "admin"
              | "developer"
              | "billing"
              | "user"
              | "claude_code_user"
              | "managed"
              | "membership_admin"
              | "primary_owner"
            )
          | (
              | "owner"
              | "admin"
              | "developer"
              | "billing"
              | "user"
              | "claude_code_user"
              | "managed"
              | "membership_admin"
              | "primary_owner"
            )[];
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "data": [
           *         {
           *           "id": "user_0111pCKxtgoE4FHTWnUydEvgX",
           *           "type": "user",
           *           "email": "olivia@acme.example",
           *           "name": "Olivia Owner",
           *           "role": "owner",
           *           "status": "active",
           *           "added_at": "2026-01-15T08:00:00.000Z",
           *           "created_at": "2026-01-15T08:00:00.000Z",
           *           "updated_at": "2026-01-15T08:00:00.000Z",
           *           "last_active_at": "2026-04-28T08:00:00.000Z"
           *         },
           *         {
           *           "id": "user_0111pCKxtho3Dq6iAZDk5eFmX",
           *           "type": "user",
           *           "email": "alice@acme.example",
           *           "name": "Alice Johnson",
           *           "role": "developer",
           *           "status": "active",
           *           "added_at": "2026-03-01T10:00:00.000Z",
           *           "created_at": "2026-03-01T10:00:00.000Z",
           *           "updated_at": "2026-03-01T10:00:00.000Z",
           *           "last_active_at": "2026-04-27T15:30:00.000Z"
           *         }
           *       ],
           *       "has_more": true,
           *       "first_id": "user_0111pCKxtgoE4FHTWnUydEvgX",
           *       "last_id": "user_0111pCKxtho3Dq6iAZDk5eFmX"
           *     }
           */
          "application/json": {
            data: components["schemas"]["User"][];
            has_more: boolean;
            first_id: string | null;
            last_id: string | null;
          };
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  getUser: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        user_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "id": "user_0111pCKxtho3Dq6iAZDk5eFmX",
           *       "type": "user",
           *       "email": "alice@acme.example",
           *       "name": "Alice Johnson",
           *       "role": "developer",
           *       "status": "active",
           *       "added_at": "2026-03-01T10:00:00.000Z",
           *       "created_at": "2026-03-01T10:00:00.000Z",
           *       "updated_at": "2026-03-01T10:00:00.000Z",
           *       "last_active_at": "2026-04-27T15:30:00.000Z"
           *     }
           */
          "application/json": components["schemas"]["User"];
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  updateUser: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes the request safe to retry: repeated with the same key, method, path and body within 24 hours, it answers the first response again (with `idempotent-replayed: true`) instead of running twice. 1 to 255 printable ASCII characters; use a random value (a UUID). See docs/api.md, Idempotent requests. */
        "idempotency-key"?: string;
      };
      path: {
        user_id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "role": "admin"
         *     }
         */
        "application/json": components["schemas"]["UserUpdateParamsInput"];
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "id": "user_0111pCKxtho3Dq6iAZDk5eFmX",
           *       "type": "user",
           *       "email": "alice@acme.example",
           *       "name": "Alice Johnson",
           *       "role": "admin",
           *       "status": "active",
           *       "added_at": "2026-03-01T10:00:00.000Z",
           *       "created_at": "2026-03-01T10:00:00.000Z",
           *       "updated_at": "2026-04-28T10:05:00.000Z",
           *       "last_active_at": "2026-04-27T15:30:00.000Z",
           *       "suspended_admin_key_ids": [],
           *       "resumed_admin_key_ids": []
           *     }
           */
          "application/json": components["schemas"]["UserUpdated"];
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  removeUser: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes the request safe to retry: repeated with the same key, method, path and body within 24 hours, it answers the first response again (with `idempotent-replayed: true`) instead of running twice. 1 to 255 printable ASCII characters; use a random value (a UUID). See docs/api.md, Idempotent requests. */
        "idempotency-key"?: string;
      };
      path: {
        user_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "id": "user_0111pCKxtho3Dq6iAZDk5eFmX",
           *       "type": "user_deleted",
           *       "deleted": true,
           *       "revoked_api_key_ids": [
           *         "apikey_0111pCKxtiR3mn7mJYApmoTxF"
           *       ]
           *     }
           */
          "application/json": components["schemas"]["UserDeleteResponse"];
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  seedInviteUser: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes the request safe to retry: repeated with the same key, method, path and body within 24 hours, it answers the first response again (with `idempotent-replayed: true`) instead of running twice. 1 to 255 printable ASCII characters; use a random value (a UUID). See docs/api.md, Idempotent requests. */
        "idempotency-key"?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "email": "bob@acme.example",
         *       "role": "developer"
         *     }
         */
        "application/json": components["schemas"]["InviteCreateParamsInput"];
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "id": "invite_0111pCKxthd1xEUqsgJ9atYjk",
           *       "type": "invite",
           *       "email": "bob@acme.example",
           *       "role": "developer",
           *       "status": "pending",
           *       "invited_at": "2026-04-28T10:00:00.000Z",
           *       "expires_at": "2026-05-05T10:00:00.000Z",
           *       "accepted_at": null,
           *       "rbac_group_ids": [],
           *       "token": "stw-invite01-6SISZoyU99yDZ0-_SCMq8fQ0IG2LSxJ4uYnSUgyDjPNPeZYx8RC9Wrqv_1fQYD7r"
           *     }
           */
          "application/json": components["schemas"]["InviteCreated"];
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  acceptInvite: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "token": "stw-invite01-6SISZoyU99yDZ0-_SCMq8fQ0IG2LSxJ4uYnSUgyDjPNPeZYx8RC9Wrqv_1fQYD7r",
         *       "name": "Bob Smith"
         *     }
         */
        "application/json": components["schemas"]["InviteAcceptParamsInput"];
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "id": "user_0111pCKxtho3Dq6iAZDk5eFmX",
           *       "type": "user",
           *       "email": "bob@acme.example",
           *       "name": "Bob Smith",
           *       "role": "developer",
           *       "status": "active",
           *       "added_at": "2026-04-28T11:20:00.000Z",
           *       "created_at": "2026-04-28T11:20:00.000Z",
           *       "updated_at": "2026-04-28T11:20:00.000Z",
           *       "last_active_at": "2026-04-28T11:20:00.000Z"
           *     }
           */
          "application/json": components["schemas"]["User"];
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  listInvites: {
    parameters: {
      query?: {
        /** @description Page size, 1 to 1000 (default 20) */
        limit?: number;
        /** @description Return the page after this object */
        after_id?: string;
        /** @description Return the page before this object */
        before_id?: string;
        email?: string;
        roles?:
          | (
              | "owner"
              | "admin"
              | "developer"
              | "billing"
              | "user"
              | "claude_code_user"
              | "managed"
              | "membership_admin"
              | "primary_owner"
            )
          | (
              | "owner"
              | "admin"
              | "developer"
              | "billing"
              | "user"
              | "claude_code_user"
              | "managed"
              | "membership_admin"
              | "primary_owner"
            )[];
        statuses?: ("pending" | "accepted" | "expired") | ("pending" | "accepted" | "expired")[];
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "data": [
           *         {
           *           "id": "invite_0111pCKxthd1xEUqsgJ9atYjk",
           *           "type": "invite",
           *           "email": "bob@acme.example",
           *           "role": "developer",
           *           "status": "pending",
           *           "invited_at": "2026-04-28T10:00:00.000Z",
           *           "expires_at": "2026-05-05T10:00:00.000Z",
           *           "accepted_at": null,
           *           "rbac_group_ids": []
           *         }
           *       ],
           *       "has_more": false,
           *       "first_id": "invite_0111pCKxthd1xEUqsgJ9atYjk",
           *       "last_id": "invite_0111pCKxthd1xEUqsgJ9atYjk"
           *     }
           */
          "application/json": {
            data: components["schemas"]["Invite"][];
            has_more: boolean;
            first_id: string | null;
            last_id: string | null;
          };
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  createInvite: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes the request safe to retry: repeated with the same key, method, path and body within 24 hours, it answers the first response again (with `idempotent-replayed: true`) instead of running twice. 1 to 255 printable ASCII characters; use a random value (a UUID). See docs/api.md, Idempotent requests. */
        "idempotency-key"?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "email": "bob@acme.example",
         *       "role": "developer"
         *     }
         */
        "application/json": components["schemas"]["InviteCreateParamsInput"];
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "id": "invite_0111pCKxthd1xEUqsgJ9atYjk",
           *       "type": "invite",
           *       "email": "bob@acme.example",
           *       "role": "developer",
           *       "status": "pending",
           *       "invited_at": "2026-04-28T10:00:00.000Z",
           *       "expires_at": "2026-05-05T10:00:00.000Z",
           *       "accepted_at": null,
           *       "rbac_group_ids": [],
           *       "token": "stw-invite01-6SISZoyU99yDZ0-_SCMq8fQ0IG2LSxJ4uYnSUgyDjPNPeZYx8RC9Wrqv_1fQYD7r"
           *     }
           */
          "application/json": components["schemas"]["InviteCreated"];
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  getInvite: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        invite_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "id": "invite_0111pCKxthd1xEUqsgJ9atYjk",
           *       "type": "invite",
           *       "email": "bob@acme.example",
           *       "role": "developer",
           *       "status": "pending",
           *       "invited_at": "2026-04-28T10:00:00.000Z",
           *       "expires_at": "2026-05-05T10:00:00.000Z",
           *       "accepted_at": null,
           *       "rbac_group_ids": []
           *     }
           */
          "application/json": components["schemas"]["Invite"];
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  deleteInvite: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes the request safe to retry: repeated with the same key, method, path and body within 24 hours, it answers the first response again (with `idempotent-replayed: true`) instead of running twice. 1 to 255 printable ASCII characters; use a random value (a UUID). See docs/api.md, Idempotent requests. */
        "idempotency-key"?: string;
      };
      path: {
        invite_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "id": "invite_0111pCKxthd1xEUqsgJ9atYjk",
           *       "type": "invite_deleted",
           *       "deleted": true
           *     }
           */
          "application/json": components["schemas"]["InviteDeleteResponse"];
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  seedOnboardUser: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes the request safe to retry: repeated with the same key, method, path and body within 24 hours, it answers the first response again (with `idempotent-replayed: true`) instead of running twice. 1 to 255 printable ASCII characters; use a random value (a UUID). See docs/api.md, Idempotent requests. */
        "idempotency-key"?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "email": "bob@acme.example",
         *       "role": "developer",
         *       "workspaces": [
         *         {
         *           "workspace_id": "wrkspc_0111pCKxti5Ee4qSRY78nHH2R",
         *           "workspace_role": "workspace_developer"
         *         }
         *       ],
         *       "api_key": {
         *         "name": "Bob Smith - Payments",
         *         "workspace_id": "wrkspc_0111pCKxti5Ee4qSRY78nHH2R"
         *       }
         *     }
         */
        "application/json": components["schemas"]["OnboardParamsInput"];
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "user_onboarded",
           *       "invite": {
           *         "id": "invite_0111pCKxthd1xEUqsgJ9atYjk",
           *         "type": "invite",
           *         "email": "bob@acme.example",
           *         "role": "developer",
           *         "status": "pending",
           *         "invited_at": "2026-04-28T10:00:00.000Z",
           *         "expires_at": "2026-05-05T10:00:00.000Z",
           *         "accepted_at": null,
           *         "rbac_group_ids": [],
           *         "token": "stw-invite01-6SISZoyU99yDZ0-_SCMq8fQ0IG2LSxJ4uYnSUgyDjPNPeZYx8RC9Wrqv_1fQYD7r"
           *       },
           *       "workspace_memberships": [
           *         {
           *           "type": "pending_workspace_member",
           *           "invite_id": "invite_0111pCKxthd1xEUqsgJ9atYjk",
           *           "workspace_id": "wrkspc_0111pCKxti5Ee4qSRY78nHH2R",
           *           "workspace_role": "workspace_developer"
           *         }
           *       ],
           *       "api_key": {
           *         "id": "apikey_0111pCKxtiR3mn7mJYApmoTxF",
           *         "type": "api_key",
           *         "name": "Bob Smith - Payments",
           *         "status": "active",
           *         "workspace_id": "wrkspc_0111pCKxti5Ee4qSRY78nHH2R",
           *         "created_at": "2026-04-28T10:10:00.000Z",
           *         "expires_at": null,
           *         "archived_at": null,
           *         "last_used_at": null,
           *         "created_by": {
           *           "id": "user_0111pCKxtgoE4FHTWnUydEvgX",
           *           "type": "user",
           *           "email": "olivia@acme.example"
           *         },
           *         "principal": null,
           *         "scope": {
           *           "type": "workspace",
           *           "workspace_id": "wrkspc_0111pCKxti5Ee4qSRY78nHH2R"
           *         },
           *         "partial_key": "sk-ant-api03-...UJNv",
           *         "partial_key_hint": "sk-ant-api03-HSZ...UJNv",
           *         "key": "sk-ant-api03-HSZ7Me0Eojpe84ZeTSSqwZezOCNw3-ayhk020bamQjeGykXTrRcN5uK5jccsUJNv"
           *       }
           *     }
           */
          "application/json": components["schemas"]["OnboardResponse"];
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  seedOffboardUser: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes the request safe to retry: repeated with the same key, method, path and body within 24 hours, it answers the first response again (with `idempotent-replayed: true`) instead of running twice. 1 to 255 printable ASCII characters; use a random value (a UUID). See docs/api.md, Idempotent requests. */
        "idempotency-key"?: string;
      };
      path: {
        user_id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        /** @example {} */
        "application/json": components["schemas"]["OffboardParamsInput"];
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "id": "user_0111pCKxtho3Dq6iAZDk5eFmX",
           *       "type": "user_offboarded",
           *       "deleted": true,
           *       "user": {
           *         "id": "user_0111pCKxtho3Dq6iAZDk5eFmX",
           *         "type": "user",
           *         "email": "alice@acme.example",
           *         "name": "Alice Johnson",
           *         "role": "developer",
           *         "status": "active",
           *         "added_at": "2026-03-01T10:00:00.000Z",
           *         "created_at": "2026-03-01T10:00:00.000Z",
           *         "updated_at": "2026-03-01T10:00:00.000Z",
           *         "last_active_at": "2026-04-27T15:30:00.000Z"
           *       },
           *       "revoked_api_key_ids": [
           *         "apikey_0111pCKxtiR3mn7mJYApmoTxF"
           *       ],
           *       "revoked_admin_key_ids": [],
           *       "removed_workspace_memberships": [
           *         {
           *           "type": "workspace_member",
           *           "user_id": "user_0111pCKxtho3Dq6iAZDk5eFmX",
           *           "workspace_id": "wrkspc_0111pCKxti5Ee4qSRY78nHH2R",
           *           "workspace_role": "workspace_developer"
           *         }
           *       ],
           *       "cancelled_invite_ids": []
           *     }
           */
          "application/json": components["schemas"]["OffboardResponse"];
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  onboardUser: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes the request safe to retry: repeated with the same key, method, path and body within 24 hours, it answers the first response again (with `idempotent-replayed: true`) instead of running twice. 1 to 255 printable ASCII characters; use a random value (a UUID). See docs/api.md, Idempotent requests. */
        "idempotency-key"?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "email": "bob@acme.example",
         *       "role": "developer",
         *       "workspaces": [
         *         {
         *           "workspace_id": "wrkspc_0111pCKxti5Ee4qSRY78nHH2R",
         *           "workspace_role": "workspace_developer"
         *         }
         *       ],
         *       "api_key": {
         *         "name": "Bob Smith - Payments",
         *         "workspace_id": "wrkspc_0111pCKxti5Ee4qSRY78nHH2R"
         *       }
         *     }
         */
        "application/json": components["schemas"]["OnboardParamsInput"];
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "user_onboarded",
           *       "invite": {
           *         "id": "invite_0111pCKxthd1xEUqsgJ9atYjk",
           *         "type": "invite",
           *         "email": "bob@acme.example",
           *         "role": "developer",
           *         "status": "pending",
           *         "invited_at": "2026-04-28T10:00:00.000Z",
           *         "expires_at": "2026-05-05T10:00:00.000Z",
           *         "accepted_at": null,
           *         "rbac_group_ids": [],
           *         "token": "stw-invite01-6SISZoyU99yDZ0-_SCMq8fQ0IG2LSxJ4uYnSUgyDjPNPeZYx8RC9Wrqv_1fQYD7r"
           *       },
           *       "workspace_memberships": [
           *         {
           *           "type": "pending_workspace_member",
           *           "invite_id": "invite_0111pCKxthd1xEUqsgJ9atYjk",
           *           "workspace_id": "wrkspc_0111pCKxti5Ee4qSRY78nHH2R",
           *           "workspace_role": "workspace_developer"
           *         }
           *       ],
           *       "api_key": {
           *         "id": "apikey_0111pCKxtiR3mn7mJYApmoTxF",
           *         "type": "api_key",
           *         "name": "Bob Smith - Payments",
           *         "status": "active",
           *         "workspace_id": "wrkspc_0111pCKxti5Ee4qSRY78nHH2R",
           *         "created_at": "2026-04-28T10:10:00.000Z",
           *         "expires_at": null,
           *         "archived_at": null,
           *         "last_used_at": null,
           *         "created_by": {
           *           "id": "user_0111pCKxtgoE4FHTWnUydEvgX",
           *           "type": "user",
           *           "email": "olivia@acme.example"
           *         },
           *         "principal": null,
           *         "scope": {
           *           "type": "workspace",
           *           "workspace_id": "wrkspc_0111pCKxti5Ee4qSRY78nHH2R"
           *         },
           *         "partial_key": "sk-ant-api03-...UJNv",
           *         "partial_key_hint": "sk-ant-api03-HSZ...UJNv",
           *         "key": "sk-ant-api03-HSZ7Me0Eojpe84ZeTSSqwZezOCNw3-ayhk020bamQjeGykXTrRcN5uK5jccsUJNv"
           *       }
           *     }
           */
          "application/json": components["schemas"]["OnboardResponse"];
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  offboardUser: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes the request safe to retry: repeated with the same key, method, path and body within 24 hours, it answers the first response again (with `idempotent-replayed: true`) instead of running twice. 1 to 255 printable ASCII characters; use a random value (a UUID). See docs/api.md, Idempotent requests. */
        "idempotency-key"?: string;
      };
      path: {
        user_id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        /** @example {} */
        "application/json": components["schemas"]["OffboardParamsInput"];
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "id": "user_0111pCKxtho3Dq6iAZDk5eFmX",
           *       "type": "user_offboarded",
           *       "deleted": true,
           *       "user": {
           *         "id": "user_0111pCKxtho3Dq6iAZDk5eFmX",
           *         "type": "user",
           *         "email": "alice@acme.example",
           *         "name": "Alice Johnson",
           *         "role": "developer",
           *         "status": "active",
           *         "added_at": "2026-03-01T10:00:00.000Z",
           *         "created_at": "2026-03-01T10:00:00.000Z",
           *         "updated_at": "2026-03-01T10:00:00.000Z",
           *         "last_active_at": "2026-04-27T15:30:00.000Z"
           *       },
           *       "revoked_api_key_ids": [
           *         "apikey_0111pCKxtiR3mn7mJYApmoTxF"
           *       ],
           *       "revoked_admin_key_ids": [],
           *       "removed_workspace_memberships": [
           *         {
           *           "type": "workspace_member",
           *           "user_id": "user_0111pCKxtho3Dq6iAZDk5eFmX",
           *           "workspace_id": "wrkspc_0111pCKxti5Ee4qSRY78nHH2R",
           *           "workspace_role": "workspace_developer"
           *         }
           *       ],
           *       "cancelled_invite_ids": []
           *     }
           */
          "application/json": components["schemas"]["OffboardResponse"];
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  seedListWorkspaces: {
    parameters: {
      query?: {
        /** @description Page size, 1 to 1000 (default 20) */
        limit?: number;
        /** @description Return the page after this object */
        after_id?: string;
        /** @description Return the page before this object */
        before_id?: string;
        /** @description Only these workspaces */
        ids?: string | string[];
        include_archived?: "0" | "1" | "true" | "false";
        include_default?: "0" | "1" | "true" | "false";
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "data": [
           *         {
           *           "id": "wrkspc_0111pCKxtgt1xwxWTXUJvHA7t",
           *           "type": "workspace",
           *           "name": "Default",
           *           "created_at": "2026-01-15T08:00:00.000Z",
           *           "archived_at": null,
           *           "display_color": "#6C5BB9",
           *           "data_residency": {
           *             "workspace_geo": "us",
           *             "allowed_inference_geos": "unrestricted",
           *             "default_inference_geo": "global"
           *           },
           *           "tags": {},
           *           "compartment_id": null,
           *           "external_key_id": null,
           *           "user_profile_id": null,
           *           "usage_limits": {
           *             "monthly_spend_usd": null,
           *             "requests_per_minute": null
           *           },
           *           "is_default": true
           *         },
           *         {
           *           "id": "wrkspc_0111pCKxti5Ee4qSRY78nHH2R",
           *           "type": "workspace",
           *           "name": "Production",
           *           "created_at": "2026-02-01T09:00:00.000Z",
           *           "archived_at": null,
           *           "display_color": "#D97757",
           *           "data_residency": {
           *             "workspace_geo": "us",
           *             "allowed_inference_geos": "unrestricted",
           *             "default_inference_geo": "global"
           *           },
           *           "tags": {
           *             "team": "payments",
           *             "cost_center": "cc-4410"
           *           },
           *           "compartment_id": null,
           *           "external_key_id": null,
           *           "user_profile_id": null,
           *           "usage_limits": {
           *             "monthly_spend_usd": 5000,
           *             "requests_per_minute": 1000
           *           },
           *           "is_default": false
           *         }
           *       ],
           *       "has_more": false,
           *       "first_id": "wrkspc_0111pCKxtgt1xwxWTXUJvHA7t",
           *       "last_id": "wrkspc_0111pCKxti5Ee4qSRY78nHH2R"
           *     }
           */
          "application/json": {
            data: components["schemas"]["Workspace"][];
            has_more: boolean;
            first_id: string | null;
            last_id: string | null;
          };
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  seedCreateWorkspace: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes the request safe to retry: repeated with the same key, method, path and body within 24 hours, it answers the first response again (with `idempotent-replayed: true`) instead of running twice. 1 to 255 printable ASCII characters; use a random value (a UUID). See docs/api.md, Idempotent requests. */
        "idempotency-key"?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "name": "Production",
         *       "display_color": "#D97757",
         *       "tags": {
         *         "team": "payments",
         *         "cost_center": "cc-4410"
         *       },
         *       "usage_limits": {
         *         "monthly_spend_usd": 5000,
         *         "requests_per_minute": 1000
         *       }
         *     }
         */
        "application/json": components["schemas"]["WorkspaceCreateParamsInput"];
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "id": "wrkspc_0111pCKxti5Ee4qSRY78nHH2R",
           *       "type": "workspace",
           *       "name": "Production",
           *       "created_at": "2026-02-01T09:00:00.000Z",
           *       "archived_at": null,
           *       "display_color": "#D97757",
           *       "data_residency": {
           *         "workspace_geo": "us",
           *         "allowed_inference_geos": "unrestricted",
           *         "default_inference_geo": "global"
           *       },
           *       "tags": {
           *         "team": "payments",
           *         "cost_center": "cc-4410"
           *       },
           *       "compartment_id": null,
           *       "external_key_id": null,
           *       "user_profile_id": null,
           *       "usage_limits": {
           *         "monthly_spend_usd": 5000,
           *         "requests_per_minute": 1000
           *       },
           *       "is_default": false
           *     }
           */
          "application/json": components["schemas"]["Workspace"];
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  seedGetWorkspace: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        workspace_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "id": "wrkspc_0111pCKxti5Ee4qSRY78nHH2R",
           *       "type": "workspace",
           *       "name": "Production",
           *       "created_at": "2026-02-01T09:00:00.000Z",
           *       "archived_at": null,
           *       "display_color": "#D97757",
           *       "data_residency": {
           *         "workspace_geo": "us",
           *         "allowed_inference_geos": "unrestricted",
           *         "default_inference_geo": "global"
           *       },
           *       "tags": {
           *         "team": "payments",
           *         "cost_center": "cc-4410"
           *       },
           *       "compartment_id": null,
           *       "external_key_id": null,
           *       "user_profile_id": null,
           *       "usage_limits": {
           *         "monthly_spend_usd": 5000,
           *         "requests_per_minute": 1000
           *       },
           *       "is_default": false
           *     }
           */
          "application/json": components["schemas"]["Workspace"];
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  seedUpdateWorkspace: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes the request safe to retry: repeated with the same key, method, path and body within 24 hours, it answers the first response again (with `idempotent-replayed: true`) instead of running twice. 1 to 255 printable ASCII characters; use a random value (a UUID). See docs/api.md, Idempotent requests. */
        "idempotency-key"?: string;
      };
      path: {
        workspace_id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "usage_limits": {
         *         "monthly_spend_usd": 7500
         *       },
         *       "tags": {
         *         "cost_center": null
         *       }
         *     }
         */
        "application/json": components["schemas"]["WorkspaceUpdateParamsInput"];
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "id": "wrkspc_0111pCKxti5Ee4qSRY78nHH2R",
           *       "type": "workspace",
           *       "name": "Production",
           *       "created_at": "2026-02-01T09:00:00.000Z",
           *       "archived_at": null,
           *       "display_color": "#D97757",
           *       "data_residency": {
           *         "workspace_geo": "us",
           *         "allowed_inference_geos": "unrestricted",
           *         "default_inference_geo": "global"
           *       },
           *       "tags": {
           *         "team": "payments"
           *       },
           *       "compartment_id": null,
           *       "external_key_id": null,
           *       "user_profile_id": null,
           *       "usage_limits": {
           *         "monthly_spend_usd": 7500,
           *         "requests_per_minute": 1000
           *       },
           *       "is_default": false
           *     }
           */
          "application/json": components["schemas"]["Workspace"];
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  seedArchiveWorkspace: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes the request safe to retry: repeated with the same key, method, path and body within 24 hours, it answers the first response again (with `idempotent-replayed: true`) instead of running twice. 1 to 255 printable ASCII characters; use a random value (a UUID). See docs/api.md, Idempotent requests. */
        "idempotency-key"?: string;
      };
      path: {
        workspace_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "id": "wrkspc_0111pCKxti5Ee4qSRY78nHH2R",
           *       "type": "workspace",
           *       "name": "Production",
           *       "created_at": "2026-02-01T09:00:00.000Z",
           *       "archived_at": "2026-04-28T12:00:00.000Z",
           *       "display_color": "#D97757",
           *       "data_residency": {
           *         "workspace_geo": "us",
           *         "allowed_inference_geos": "unrestricted",
           *         "default_inference_geo": "global"
           *       },
           *       "tags": {
           *         "team": "payments",
           *         "cost_center": "cc-4410"
           *       },
           *       "compartment_id": null,
           *       "external_key_id": null,
           *       "user_profile_id": null,
           *       "usage_limits": {
           *         "monthly_spend_usd": 5000,
           *         "requests_per_minute": 1000
           *       },
           *       "is_default": false
           *     }
           */
          "application/json": components["schemas"]["Workspace"];
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  listWorkspaces: {
    parameters: {
      query?: {
        /** @description Page size, 1 to 1000 (default 20) */
        limit?: number;
        /** @description Return the page after this object */
        after_id?: string;
        /** @description Return the page before this object */
        before_id?: string;
        /** @description Only these workspaces */
        ids?: string | string[];
        include_archived?: "0" | "1" | "true" | "false";
        include_default?: "0" | "1" | "true" | "false";
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "data": [
           *         {
           *           "id": "wrkspc_0111pCKxti5Ee4qSRY78nHH2R",
           *           "type": "workspace",
           *           "name": "Production",
           *           "created_at": "2026-02-01T09:00:00.000Z",
           *           "archived_at": null,
           *           "display_color": "#D97757",
           *           "data_residency": {
           *             "workspace_geo": "us",
           *             "allowed_inference_geos": "unrestricted",
           *             "default_inference_geo": "global"
           *           },
           *           "tags": {
           *             "team": "payments",
           *             "cost_center": "cc-4410"
           *           },
           *           "compartment_id": null,
           *           "external_key_id": null,
           *           "user_profile_id": null,
           *           "usage_limits": {
           *             "monthly_spend_usd": 5000,
           *             "requests_per_minute": 1000
           *           },
           *           "is_default": false
           *         }
           *       ],
           *       "has_more": false,
           *       "first_id": "wrkspc_0111pCKxti5Ee4qSRY78nHH2R",
           *       "last_id": "wrkspc_0111pCKxti5Ee4qSRY78nHH2R"
           *     }
           */
          "application/json": {
            data: components["schemas"]["Workspace"][];
            has_more: boolean;
            first_id: string | null;
            last_id: string | null;
          };
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  createWorkspace: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes the request safe to retry: repeated with the same key, method, path and body within 24 hours, it answers the first response again (with `idempotent-replayed: true`) instead of running twice. 1 to 255 printable ASCII characters; use a random value (a UUID). See docs/api.md, Idempotent requests. */
        "idempotency-key"?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "name": "Production",
         *       "display_color": "#D97757",
         *       "tags": {
         *         "team": "payments",
         *         "cost_center": "cc-4410"
         *       },
         *       "usage_limits": {
         *         "monthly_spend_usd": 5000,
         *         "requests_per_minute": 1000
         *       }
         *     }
         */
        "application/json": components["schemas"]["WorkspaceCreateParamsInput"];
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "id": "wrkspc_0111pCKxti5Ee4qSRY78nHH2R",
           *       "type": "workspace",
           *       "name": "Production",
           *       "created_at": "2026-02-01T09:00:00.000Z",
           *       "archived_at": null,
           *       "display_color": "#D97757",
           *       "data_residency": {
           *         "workspace_geo": "us",
           *         "allowed_inference_geos": "unrestricted",
           *         "default_inference_geo": "global"
           *       },
           *       "tags": {
           *         "team": "payments",
           *         "cost_center": "cc-4410"
           *       },
           *       "compartment_id": null,
           *       "external_key_id": null,
           *       "user_profile_id": null,
           *       "usage_limits": {
           *         "monthly_spend_usd": 5000,
           *         "requests_per_minute": 1000
           *       },
           *       "is_default": false
           *     }
           */
          "application/json": components["schemas"]["Workspace"];
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  getWorkspace: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        workspace_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "id": "wrkspc_0111pCKxti5Ee4qSRY78nHH2R",
           *       "type": "workspace",
           *       "name": "Production",
           *       "created_at": "2026-02-01T09:00:00.000Z",
           *       "archived_at": null,
           *       "display_color": "#D97757",
           *       "data_residency": {
           *         "workspace_geo": "us",
           *         "allowed_inference_geos": "unrestricted",
           *         "default_inference_geo": "global"
           *       },
           *       "tags": {
           *         "team": "payments",
           *         "cost_center": "cc-4410"
           *       },
           *       "compartment_id": null,
           *       "external_key_id": null,
           *       "user_profile_id": null,
           *       "usage_limits": {
           *         "monthly_spend_usd": 5000,
           *         "requests_per_minute": 1000
           *       },
           *       "is_default": false
           *     }
           */
          "application/json": components["schemas"]["Workspace"];
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  updateWorkspace: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes the request safe to retry: repeated with the same key, method, path and body within 24 hours, it answers the first response again (with `idempotent-replayed: true`) instead of running twice. 1 to 255 printable ASCII characters; use a random value (a UUID). See docs/api.md, Idempotent requests. */
        "idempotency-key"?: string;
      };
      path: {
        workspace_id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "usage_limits": {
         *         "monthly_spend_usd": 7500
         *       },
         *       "tags": {
         *         "cost_center": null
         *       }
         *     }
         */
        "application/json": components["schemas"]["WorkspaceUpdateParamsInput"];
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "id": "wrkspc_0111pCKxti5Ee4qSRY78nHH2R",
           *       "type": "workspace",
           *       "name": "Production",
           *       "created_at": "2026-02-01T09:00:00.000Z",
           *       "archived_at": null,
           *       "display_color": "#D97757",
           *       "data_residency": {
           *         "workspace_geo": "us",
           *         "allowed_inference_geos": "unrestricted",
           *         "default_inference_geo": "global"
           *       },
           *       "tags": {
           *         "team": "payments"
           *       },
           *       "compartment_id": null,
           *       "external_key_id": null,
           *       "user_profile_id": null,
           *       "usage_limits": {
           *         "monthly_spend_usd": 7500,
           *         "requests_per_minute": 1000
           *       },
           *       "is_default": false
           *     }
           */
          "application/json": components["schemas"]["Workspace"];
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  archiveWorkspace: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes the request safe to retry: repeated with the same key, method, path and body within 24 hours, it answers the first response again (with `idempotent-replayed: true`) instead of running twice. 1 to 255 printable ASCII characters; use a random value (a UUID). See docs/api.md, Idempotent requests. */
        "idempotency-key"?: string;
      };
      path: {
        workspace_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "id": "wrkspc_0111pCKxti5Ee4qSRY78nHH2R",
           *       "type": "workspace",
           *       "name": "Production",
           *       "created_at": "2026-02-01T09:00:00.000Z",
           *       "archived_at": "2026-04-28T12:00:00.000Z",
           *       "display_color": "#D97757",
           *       "data_residency": {
           *         "workspace_geo": "us",
           *         "allowed_inference_geos": "unrestricted",
           *         "default_inference_geo": "global"
           *       },
           *       "tags": {
           *         "team": "payments",
           *         "cost_center": "cc-4410"
           *       },
           *       "compartment_id": null,
           *       "external_key_id": null,
           *       "user_profile_id": null,
           *       "usage_limits": {
           *         "monthly_spend_usd": 5000,
           *         "requests_per_minute": 1000
           *       },
           *       "is_default": false
           *     }
           */
          "application/json": components["schemas"]["Workspace"];
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  listOrganizationRateLimits: {
    parameters: {
      query?: {
        /** @description Only groups of this type */
        group_type?: "model_group" | "token_count" | "batch" | "files" | "web_search";
        /** @description Only the model group of this model (dated versions and aliases included) */
        model?: string;
        /** @description Page size, 1 to 1000; left out, every entry in one page */
        limit?: number;
        /** @description The `next_page` token of the previous answer */
        page?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "data": [
           *         {
           *           "id": "rl_6ae88636b602a6700ab62dad",
           *           "type": "rate_limit",
           *           "group": {
           *             "id": "rlg_claude_sonnet_4",
           *             "type": "model_group",
           *             "display_name": "Claude Sonnet 4.x"
           *           },
           *           "models": [
           *             "claude-sonnet-4",
           *             "claude-sonnet-4-5",
           *             "claude-sonnet-4-6"
           *           ],
           *           "limits": []
           *         }
           *       ],
           *       "next_page": null
           *     }
           */
          "application/json": components["schemas"]["OrganizationRateLimitPage"];
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  listWorkspaceRateLimits: {
    parameters: {
      query?: {
        /** @description Only groups of this type */
        group_type?: "model_group" | "token_count" | "batch" | "files" | "web_search";
        /** @description Also list the groups without a workspace value (their values inherited from the organization) */
        include_inherited?: "0" | "1" | "true" | "false";
        /** @description Page size, 1 to 1000; left out, every entry in one page */
        limit?: number;
        /** @description The `next_page` token of the previous answer */
        page?: string;
      };
      header?: never;
      path: {
        workspace_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "data": [
           *         {
           *           "type": "workspace_rate_limit",
           *           "workspace_id": "wrkspc_0111pCKxti5Ee4qSRY78nHH2R",
           *           "rate_limit_id": "rl_6ae88636b602a6700ab62dad",
           *           "group": {
           *             "id": "rlg_claude_sonnet_4",
           *             "type": "model_group",
           *             "display_name": "Claude Sonnet 4.x"
           *           },
           *           "models": [
           *             "claude-sonnet-4",
           *             "claude-sonnet-4-5",
           *             "claude-sonnet-4-6"
           *           ],
           *           "limits": [
           *             {
           *               "type": "requests_per_minute",
           *               "value": 1000,
           *               "org_limit": null,
           *               "source": {
           *                 "type": "workspace"
           *               }
           *             },
           *             {
           *               "type": "output_tokens_per_minute",
           *               "value": 80000,
           *               "org_limit": null,
           *               "source": {
           *                 "type": "workspace"
           *               }
           *             }
           *           ]
           *         }
           *       ],
           *       "next_page": null
           *     }
           */
          "application/json": components["schemas"]["WorkspaceRateLimitPage"];
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  updateWorkspaceRateLimit: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes the request safe to retry: repeated with the same key, method, path and body within 24 hours, it answers the first response again (with `idempotent-replayed: true`) instead of running twice. 1 to 255 printable ASCII characters; use a random value (a UUID). See docs/api.md, Idempotent requests. */
        "idempotency-key"?: string;
      };
      path: {
        workspace_id: string;
        rate_limit_id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "limits": [
         *         {
         *           "type": "requests_per_minute",
         *           "value": 1000
         *         },
         *         {
         *           "type": "output_tokens_per_minute",
         *           "value": 80000
         *         },
         *         {
         *           "type": "input_tokens_per_minute",
         *           "value": null
         *         }
         *       ]
         *     }
         */
        "application/json": components["schemas"]["WorkspaceRateLimitUpdateParamsInput"];
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "workspace_rate_limit",
           *       "workspace_id": "wrkspc_0111pCKxti5Ee4qSRY78nHH2R",
           *       "rate_limit_id": "rl_6ae88636b602a6700ab62dad",
           *       "group": {
           *         "id": "rlg_claude_sonnet_4",
           *         "type": "model_group",
           *         "display_name": "Claude Sonnet 4.x"
           *       },
           *       "models": [
           *         "claude-sonnet-4",
           *         "claude-sonnet-4-5",
           *         "claude-sonnet-4-6"
           *       ],
           *       "limits": [
           *         {
           *           "type": "requests_per_minute",
           *           "value": 1000,
           *           "org_limit": null,
           *           "source": {
           *             "type": "workspace"
           *           }
           *         },
           *         {
           *           "type": "output_tokens_per_minute",
           *           "value": 80000,
           *           "org_limit": null,
           *           "source": {
           *             "type": "workspace"
           *           }
           *         }
           *       ]
           *     }
           */
          "application/json": components["schemas"]["WorkspaceRateLimit"];
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  listWorkspaceMembers: {
    parameters: {
      query?: {
        /** @description Page size, 1 to 1000 (default 20) */
        limit?: number;
        /** @description Return the page after this object */
        after_id?: string;
        /** @description Return the page before this object */
        before_id?: string;
      };
      header?: never;
      path: {
        workspace_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "data": [
           *         {
           *           "type": "workspace_member",
           *           "user_id": "user_0111pCKxtho3Dq6iAZDk5eFmX",
           *           "workspace_id": "wrkspc_0111pCKxti5Ee4qSRY78nHH2R",
           *           "workspace_role": "workspace_developer"
           *         }
           *       ],
           *       "has_more": false,
           *       "first_id": "user_0111pCKxtho3Dq6iAZDk5eFmX",
           *       "last_id": "user_0111pCKxtho3Dq6iAZDk5eFmX"
           *     }
           */
          "application/json": {
            data: components["schemas"]["WorkspaceMember"][];
            has_more: boolean;
            first_id: string | null;
            last_id: string | null;
          };
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  addWorkspaceMember: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes the request safe to retry: repeated with the same key, method, path and body within 24 hours, it answers the first response again (with `idempotent-replayed: true`) instead of running twice. 1 to 255 printable ASCII characters; use a random value (a UUID). See docs/api.md, Idempotent requests. */
        "idempotency-key"?: string;
      };
      path: {
        workspace_id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "user_id": "user_0111pCKxtho3Dq6iAZDk5eFmX",
         *       "workspace_role": "workspace_developer"
         *     }
         */
        "application/json": components["schemas"]["WorkspaceMemberAddParamsInput"];
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "workspace_member",
           *       "user_id": "user_0111pCKxtho3Dq6iAZDk5eFmX",
           *       "workspace_id": "wrkspc_0111pCKxti5Ee4qSRY78nHH2R",
           *       "workspace_role": "workspace_developer"
           *     }
           */
          "application/json": components["schemas"]["WorkspaceMember"];
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  getWorkspaceMember: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        workspace_id: string;
        user_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "workspace_member",
           *       "user_id": "user_0111pCKxtho3Dq6iAZDk5eFmX",
           *       "workspace_id": "wrkspc_0111pCKxti5Ee4qSRY78nHH2R",
           *       "workspace_role": "workspace_developer"
           *     }
           */
          "application/json": components["schemas"]["WorkspaceMember"];
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  updateWorkspaceMember: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes the request safe to retry: repeated with the same key, method, path and body within 24 hours, it answers the first response again (with `idempotent-replayed: true`) instead of running twice. 1 to 255 printable ASCII characters; use a random value (a UUID). See docs/api.md, Idempotent requests. */
        "idempotency-key"?: string;
      };
      path: {
        workspace_id: string;
        user_id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "workspace_role": "workspace_admin"
         *     }
         */
        "application/json": components["schemas"]["WorkspaceMemberUpdateParamsInput"];
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "workspace_member",
           *       "user_id": "user_0111pCKxtho3Dq6iAZDk5eFmX",
           *       "workspace_id": "wrkspc_0111pCKxti5Ee4qSRY78nHH2R",
           *       "workspace_role": "workspace_admin"
           *     }
           */
          "application/json": components["schemas"]["WorkspaceMember"];
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  removeWorkspaceMember: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes the request safe to retry: repeated with the same key, method, path and body within 24 hours, it answers the first response again (with `idempotent-replayed: true`) instead of running twice. 1 to 255 printable ASCII characters; use a random value (a UUID). See docs/api.md, Idempotent requests. */
        "idempotency-key"?: string;
      };
      path: {
        workspace_id: string;
        user_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "workspace_member_deleted",
           *       "user_id": "user_0111pCKxtho3Dq6iAZDk5eFmX",
           *       "workspace_id": "wrkspc_0111pCKxti5Ee4qSRY78nHH2R"
           *     }
           */
          "application/json": components["schemas"]["WorkspaceMemberDeleteResponse"];
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  seedListApiKeys: {
    parameters: {
      query?: {
        /** @description Page size, 1 to 1000 (default 20) */
        limit?: number;
        /** @description Return the page after this object */
        after_id?: string;
        /** @description Return the page before this object */
        before_id?: string;
        status?: "active" | "inactive" | "archived" | "expired";
        workspace_id?: string;
        created_by_user_id?: string;
        /** @description Steward's addition: only the keys of this service account */
        service_account_id?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "data": [
           *         {
           *           "id": "apikey_0111pCKxtiR3mn7mJYApmoTxF",
           *           "type": "api_key",
           *           "name": "Customer Portal Service",
           *           "status": "active",
           *           "workspace_id": "wrkspc_0111pCKxti5Ee4qSRY78nHH2R",
           *           "created_at": "2026-04-28T10:10:00.000Z",
           *           "expires_at": "2027-04-28T00:00:00.000Z",
           *           "archived_at": null,
           *           "last_used_at": "2026-04-28T09:45:00.000Z",
           *           "created_by": {
           *             "id": "user_0111pCKxtgoE4FHTWnUydEvgX",
           *             "type": "user",
           *             "email": "olivia@acme.example"
           *           },
           *           "principal": {
           *             "type": "user_actor",
           *             "user_id": "user_0111pCKxtho3Dq6iAZDk5eFmX"
           *           },
           *           "scope": {
           *             "type": "workspace",
           *             "workspace_id": "wrkspc_0111pCKxti5Ee4qSRY78nHH2R"
           *           },
           *           "partial_key": "sk-ant-api03-...UJNv",
           *           "partial_key_hint": "sk-ant-api03-HSZ...UJNv"
           *         }
           *       ],
           *       "has_more": false,
           *       "first_id": "apikey_0111pCKxtiR3mn7mJYApmoTxF",
           *       "last_id": "apikey_0111pCKxtiR3mn7mJYApmoTxF"
           *     }
           */
          "application/json": {
            data: components["schemas"]["ApiKey"][];
            has_more: boolean;
            first_id: string | null;
            last_id: string | null;
          };
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  seedCreateApiKey: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes the request safe to retry: repeated with the same key, method, path and body within 24 hours, it answers the first response again (with `idempotent-replayed: true`) instead of running twice. 1 to 255 printable ASCII characters; use a random value (a UUID). See docs/api.md, Idempotent requests. */
        "idempotency-key"?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "name": "Customer Portal Service",
         *       "workspace_id": "wrkspc_0111pCKxti5Ee4qSRY78nHH2R",
         *       "expires_at": "2027-04-28T00:00:00Z",
         *       "user_id": "user_0111pCKxtho3Dq6iAZDk5eFmX"
         *     }
         */
        "application/json": components["schemas"]["ApiKeyCreateParamsInput"];
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "id": "apikey_0111pCKxtiR3mn7mJYApmoTxF",
           *       "type": "api_key",
           *       "name": "Customer Portal Service",
           *       "status": "active",
           *       "workspace_id": "wrkspc_0111pCKxti5Ee4qSRY78nHH2R",
           *       "created_at": "2026-04-28T10:10:00.000Z",
           *       "expires_at": "2027-04-28T00:00:00.000Z",
           *       "archived_at": null,
           *       "last_used_at": null,
           *       "created_by": {
           *         "id": "user_0111pCKxtgoE4FHTWnUydEvgX",
           *         "type": "user",
           *         "email": "olivia@acme.example"
           *       },
           *       "principal": {
           *         "type": "user_actor",
           *         "user_id": "user_0111pCKxtho3Dq6iAZDk5eFmX"
           *       },
           *       "scope": {
           *         "type": "workspace",
           *         "workspace_id": "wrkspc_0111pCKxti5Ee4qSRY78nHH2R"
           *       },
           *       "partial_key": "sk-ant-api03-...UJNv",
           *       "partial_key_hint": "sk-ant-api03-HSZ...UJNv",
           *       "key": "sk-ant-api03-HSZ7Me0Eojpe84ZeTSSqwZezOCNw3-ayhk020bamQjeGykXTrRcN5uK5jccsUJNv"
           *     }
           */
          "application/json": components["schemas"]["ApiKeyCreated"];
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  seedGetApiKey: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        api_key_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "id": "apikey_0111pCKxtiR3mn7mJYApmoTxF",
           *       "type": "api_key",
           *       "name": "Customer Portal Service",
           *       "status": "active",
           *       "workspace_id": "wrkspc_0111pCKxti5Ee4qSRY78nHH2R",
           *       "created_at": "2026-04-28T10:10:00.000Z",
           *       "expires_at": "2027-04-28T00:00:00.000Z",
           *       "archived_at": null,
           *       "last_used_at": "2026-04-28T09:45:00.000Z",
           *       "created_by": {
           *         "id": "user_0111pCKxtgoE4FHTWnUydEvgX",
           *         "type": "user",
           *         "email": "olivia@acme.example"
           *       },
           *       "principal": {
           *         "type": "user_actor",
           *         "user_id": "user_0111pCKxtho3Dq6iAZDk5eFmX"
           *       },
           *       "scope": {
           *         "type": "workspace",
           *         "workspace_id": "wrkspc_0111pCKxti5Ee4qSRY78nHH2R"
           *       },
           *       "partial_key": "sk-ant-api03-...UJNv",
           *       "partial_key_hint": "sk-ant-api03-HSZ...UJNv"
           *     }
           */
          "application/json": components["schemas"]["ApiKey"];
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  seedRevokeApiKey: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes the request safe to retry: repeated with the same key, method, path and body within 24 hours, it answers the first response again (with `idempotent-replayed: true`) instead of running twice. 1 to 255 printable ASCII characters; use a random value (a UUID). See docs/api.md, Idempotent requests. */
        "idempotency-key"?: string;
      };
      path: {
        api_key_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "id": "apikey_0111pCKxtiR3mn7mJYApmoTxF",
           *       "type": "api_key_deleted",
           *       "deleted": true
           *     }
           */
          "application/json": components["schemas"]["ApiKeyDeleteResponse"];
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  seedUpdateApiKey: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes the request safe to retry: repeated with the same key, method, path and body within 24 hours, it answers the first response again (with `idempotent-replayed: true`) instead of running twice. 1 to 255 printable ASCII characters; use a random value (a UUID). See docs/api.md, Idempotent requests. */
        "idempotency-key"?: string;
      };
      path: {
        api_key_id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "name": "Customer Portal Service (EU)",
         *       "status": "inactive"
         *     }
         */
        "application/json": components["schemas"]["ApiKeyUpdateParamsInput"];
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "id": "apikey_0111pCKxtiR3mn7mJYApmoTxF",
           *       "type": "api_key",
           *       "name": "Customer Portal Service (EU)",
           *       "status": "inactive",
           *       "workspace_id": "wrkspc_0111pCKxti5Ee4qSRY78nHH2R",
           *       "created_at": "2026-04-28T10:10:00.000Z",
           *       "expires_at": "2027-04-28T00:00:00.000Z",
           *       "archived_at": null,
           *       "last_used_at": "2026-04-28T09:45:00.000Z",
           *       "created_by": {
           *         "id": "user_0111pCKxtgoE4FHTWnUydEvgX",
           *         "type": "user",
           *         "email": "olivia@acme.example"
           *       },
           *       "principal": {
           *         "type": "user_actor",
           *         "user_id": "user_0111pCKxtho3Dq6iAZDk5eFmX"
           *       },
           *       "scope": {
           *         "type": "workspace",
           *         "workspace_id": "wrkspc_0111pCKxti5Ee4qSRY78nHH2R"
           *       },
           *       "partial_key": "sk-ant-api03-...UJNv",
           *       "partial_key_hint": "sk-ant-api03-HSZ...UJNv"
           *     }
           */
          "application/json": components["schemas"]["ApiKey"];
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  listApiKeys: {
    parameters: {
      query?: {
        /** @description Page size, 1 to 1000 (default 20) */
        limit?: number;
        /** @description Return the page after this object */
        after_id?: string;
        /** @description Return the page before this object */
        before_id?: string;
        status?: "active" | "inactive" | "archived" | "expired";
        workspace_id?: string;
        created_by_user_id?: string;
        /** @description Steward's addition: only the keys of this service account */
        service_account_id?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "data": [
           *         {
           *           "id": "apikey_0111pCKxtiR3mn7mJYApmoTxF",
           *           "type": "api_key",
           *           "name": "Customer Portal Service",
           *           "status": "active",
           *           "workspace_id": "wrkspc_0111pCKxti5Ee4qSRY78nHH2R",
           *           "created_at": "2026-04-28T10:10:00.000Z",
           *           "expires_at": "2027-04-28T00:00:00.000Z",
           *           "archived_at": null,
           *           "last_used_at": "2026-04-28T09:45:00.000Z",
           *           "created_by": {
           *             "id": "user_0111pCKxtgoE4FHTWnUydEvgX",
           *             "type": "user",
           *             "email": "olivia@acme.example"
           *           },
           *           "principal": {
           *             "type": "user_actor",
           *             "user_id": "user_0111pCKxtho3Dq6iAZDk5eFmX"
           *           },
           *           "scope": {
           *             "type": "workspace",
           *             "workspace_id": "wrkspc_0111pCKxti5Ee4qSRY78nHH2R"
           *           },
           *           "partial_key": "sk-ant-api03-...UJNv",
           *           "partial_key_hint": "sk-ant-api03-HSZ...UJNv"
           *         }
           *       ],
           *       "has_more": false,
           *       "first_id": "apikey_0111pCKxtiR3mn7mJYApmoTxF",
           *       "last_id": "apikey_0111pCKxtiR3mn7mJYApmoTxF"
           *     }
           */
          "application/json": {
            data: components["schemas"]["ApiKey"][];
            has_more: boolean;
            first_id: string | null;
            last_id: string | null;
          };
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  createApiKey: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes the request safe to retry: repeated with the same key, method, path and body within 24 hours, it answers the first response again (with `idempotent-replayed: true`) instead of running twice. 1 to 255 printable ASCII characters; use a random value (a UUID). See docs/api.md, Idempotent requests. */
        "idempotency-key"?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "name": "Customer Portal Service",
         *       "workspace_id": "wrkspc_0111pCKxti5Ee4qSRY78nHH2R",
         *       "expires_at": "2027-04-28T00:00:00Z",
         *       "user_id": "user_0111pCKxtho3Dq6iAZDk5eFmX"
         *     }
         */
        "application/json": components["schemas"]["ApiKeyCreateParamsInput"];
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "id": "apikey_0111pCKxtiR3mn7mJYApmoTxF",
           *       "type": "api_key",
           *       "name": "Customer Portal Service",
           *       "status": "active",
           *       "workspace_id": "wrkspc_0111pCKxti5Ee4qSRY78nHH2R",
           *       "created_at": "2026-04-28T10:10:00.000Z",
           *       "expires_at": "2027-04-28T00:00:00.000Z",
           *       "archived_at": null,
           *       "last_used_at": null,
           *       "created_by": {
           *         "id": "user_0111pCKxtgoE4FHTWnUydEvgX",
           *         "type": "user",
           *         "email": "olivia@acme.example"
           *       },
           *       "principal": {
           *         "type": "user_actor",
           *         "user_id": "user_0111pCKxtho3Dq6iAZDk5eFmX"
           *       },
           *       "scope": {
           *         "type": "workspace",
           *         "workspace_id": "wrkspc_0111pCKxti5Ee4qSRY78nHH2R"
           *       },
           *       "partial_key": "sk-ant-api03-...UJNv",
           *       "partial_key_hint": "sk-ant-api03-HSZ...UJNv",
           *       "key": "sk-ant-api03-HSZ7Me0Eojpe84ZeTSSqwZezOCNw3-ayhk020bamQjeGykXTrRcN5uK5jccsUJNv"
           *     }
           */
          "application/json": components["schemas"]["ApiKeyCreated"];
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  getApiKey: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        api_key_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "id": "apikey_0111pCKxtiR3mn7mJYApmoTxF",
           *       "type": "api_key",
           *       "name": "Customer Portal Service",
           *       "status": "active",
           *       "workspace_id": "wrkspc_0111pCKxti5Ee4qSRY78nHH2R",
           *       "created_at": "2026-04-28T10:10:00.000Z",
           *       "expires_at": "2027-04-28T00:00:00.000Z",
           *       "archived_at": null,
           *       "last_used_at": "2026-04-28T09:45:00.000Z",
           *       "created_by": {
           *         "id": "user_0111pCKxtgoE4FHTWnUydEvgX",
           *         "type": "user",
           *         "email": "olivia@acme.example"
           *       },
           *       "principal": {
           *         "type": "user_actor",
           *         "user_id": "user_0111pCKxtho3Dq6iAZDk5eFmX"
           *       },
           *       "scope": {
           *         "type": "workspace",
           *         "workspace_id": "wrkspc_0111pCKxti5Ee4qSRY78nHH2R"
           *       },
           *       "partial_key": "sk-ant-api03-...UJNv",
           *       "partial_key_hint": "sk-ant-api03-HSZ...UJNv"
           *     }
           */
          "application/json": components["schemas"]["ApiKey"];
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  updateApiKey: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes the request safe to retry: repeated with the same key, method, path and body within 24 hours, it answers the first response again (with `idempotent-replayed: true`) instead of running twice. 1 to 255 printable ASCII characters; use a random value (a UUID). See docs/api.md, Idempotent requests. */
        "idempotency-key"?: string;
      };
      path: {
        api_key_id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "name": "Customer Portal Service (EU)",
         *       "status": "inactive"
         *     }
         */
        "application/json": components["schemas"]["ApiKeyUpdateParamsInput"];
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "id": "apikey_0111pCKxtiR3mn7mJYApmoTxF",
           *       "type": "api_key",
           *       "name": "Customer Portal Service (EU)",
           *       "status": "inactive",
           *       "workspace_id": "wrkspc_0111pCKxti5Ee4qSRY78nHH2R",
           *       "created_at": "2026-04-28T10:10:00.000Z",
           *       "expires_at": "2027-04-28T00:00:00.000Z",
           *       "archived_at": null,
           *       "last_used_at": "2026-04-28T09:45:00.000Z",
           *       "created_by": {
           *         "id": "user_0111pCKxtgoE4FHTWnUydEvgX",
           *         "type": "user",
           *         "email": "olivia@acme.example"
           *       },
           *       "principal": {
           *         "type": "user_actor",
           *         "user_id": "user_0111pCKxtho3Dq6iAZDk5eFmX"
           *       },
           *       "scope": {
           *         "type": "workspace",
           *         "workspace_id": "wrkspc_0111pCKxti5Ee4qSRY78nHH2R"
           *       },
           *       "partial_key": "sk-ant-api03-...UJNv",
           *       "partial_key_hint": "sk-ant-api03-HSZ...UJNv"
           *     }
           */
          "application/json": components["schemas"]["ApiKey"];
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  listServiceAccounts: {
    parameters: {
      query?: {
        /** @description Page size, 1 to 1000 (default 20) */
        limit?: number;
        /** @description The `next_page` token of the previous answer */
        page?: string;
        /** @description Include archived service accounts */
        include_archived?: "0" | "1" | "true" | "false";
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "data": [
           *         {
           *           "id": "svac_0111pCKxtmB7wQ3nT5hZk2LcR",
           *           "type": "service_account",
           *           "name": "ci-deploy-bot",
           *           "description": "Deploys from CI",
           *           "organization_role": "developer",
           *           "created_at": "2026-04-28T11:00:00.000Z",
           *           "updated_at": "2026-04-28T11:00:00.000Z",
           *           "archived_at": null,
           *           "created_by_actor_id": "user_0111pCKxtgoE4FHTWnUydEvgX",
           *           "updated_by_actor_id": "user_0111pCKxtgoE4FHTWnUydEvgX",
           *           "archived_by_actor_id": null
           *         }
           *       ],
           *       "next_page": null
           *     }
           */
          "application/json": components["schemas"]["ServiceAccountPage"];
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  createServiceAccount: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes the request safe to retry: repeated with the same key, method, path and body within 24 hours, it answers the first response again (with `idempotent-replayed: true`) instead of running twice. 1 to 255 printable ASCII characters; use a random value (a UUID). See docs/api.md, Idempotent requests. */
        "idempotency-key"?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "name": "ci-deploy-bot",
         *       "description": "Deploys from CI",
         *       "organization_role": "developer"
         *     }
         */
        "application/json": components["schemas"]["ServiceAccountCreateParamsInput"];
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "id": "svac_0111pCKxtmB7wQ3nT5hZk2LcR",
           *       "type": "service_account",
           *       "name": "ci-deploy-bot",
           *       "description": "Deploys from CI",
           *       "organization_role": "developer",
           *       "created_at": "2026-04-28T11:00:00.000Z",
           *       "updated_at": "2026-04-28T11:00:00.000Z",
           *       "archived_at": null,
           *       "created_by_actor_id": "user_0111pCKxtgoE4FHTWnUydEvgX",
           *       "updated_by_actor_id": "user_0111pCKxtgoE4FHTWnUydEvgX",
           *       "archived_by_actor_id": null
           *     }
           */
          "application/json": components["schemas"]["ServiceAccount"];
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  getServiceAccount: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        service_account_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "id": "svac_0111pCKxtmB7wQ3nT5hZk2LcR",
           *       "type": "service_account",
           *       "name": "ci-deploy-bot",
           *       "description": "Deploys from CI",
           *       "organization_role": "developer",
           *       "created_at": "2026-04-28T11:00:00.000Z",
           *       "updated_at": "2026-04-28T11:00:00.000Z",
           *       "archived_at": null,
           *       "created_by_actor_id": "user_0111pCKxtgoE4FHTWnUydEvgX",
           *       "updated_by_actor_id": "user_0111pCKxtgoE4FHTWnUydEvgX",
           *       "archived_by_actor_id": null
           *     }
           */
          "application/json": components["schemas"]["ServiceAccount"];
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  updateServiceAccount: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes the request safe to retry: repeated with the same key, method, path and body within 24 hours, it answers the first response again (with `idempotent-replayed: true`) instead of running twice. 1 to 255 printable ASCII characters; use a random value (a UUID). See docs/api.md, Idempotent requests. */
        "idempotency-key"?: string;
      };
      path: {
        service_account_id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "description": "Deploys from CI to production",
         *       "organization_role": "developer"
         *     }
         */
        "application/json": components["schemas"]["ServiceAccountUpdateParamsInput"];
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "id": "svac_0111pCKxtmB7wQ3nT5hZk2LcR",
           *       "type": "service_account",
           *       "name": "ci-deploy-bot",
           *       "description": "Deploys from CI to production",
           *       "organization_role": "developer",
           *       "created_at": "2026-04-28T11:00:00.000Z",
           *       "updated_at": "2026-04-28T11:00:00.000Z",
           *       "archived_at": null,
           *       "created_by_actor_id": "user_0111pCKxtgoE4FHTWnUydEvgX",
           *       "updated_by_actor_id": "user_0111pCKxtgoE4FHTWnUydEvgX",
           *       "archived_by_actor_id": null
           *     }
           */
          "application/json": components["schemas"]["ServiceAccount"];
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  archiveServiceAccount: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes the request safe to retry: repeated with the same key, method, path and body within 24 hours, it answers the first response again (with `idempotent-replayed: true`) instead of running twice. 1 to 255 printable ASCII characters; use a random value (a UUID). See docs/api.md, Idempotent requests. */
        "idempotency-key"?: string;
      };
      path: {
        service_account_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "id": "svac_0111pCKxtmB7wQ3nT5hZk2LcR",
           *       "type": "service_account",
           *       "name": "ci-deploy-bot",
           *       "description": "Deploys from CI",
           *       "organization_role": "developer",
           *       "created_at": "2026-04-28T11:00:00.000Z",
           *       "updated_at": "2026-05-02T16:00:00.000Z",
           *       "archived_at": "2026-05-02T16:00:00.000Z",
           *       "created_by_actor_id": "user_0111pCKxtgoE4FHTWnUydEvgX",
           *       "updated_by_actor_id": "user_0111pCKxtgoE4FHTWnUydEvgX",
           *       "archived_by_actor_id": "user_0111pCKxtgoE4FHTWnUydEvgX"
           *     }
           */
          "application/json": components["schemas"]["ServiceAccount"];
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  listServiceAccountWorkspaces: {
    parameters: {
      query?: {
        /** @description Page size, 1 to 1000 (default 20) */
        limit?: number;
        /** @description The `next_page` token of the previous answer */
        page?: string;
      };
      header?: never;
      path: {
        service_account_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "data": [
           *         {
           *           "type": "service_account_workspace_member",
           *           "service_account_id": "svac_0111pCKxtmB7wQ3nT5hZk2LcR",
           *           "workspace_id": "wrkspc_0111pCKxtgt1xwxWTXUJvHA7t",
           *           "workspace_role": "workspace_user",
           *           "implicit": true,
           *           "created_by_actor_id": null
           *         },
           *         {
           *           "type": "service_account_workspace_member",
           *           "service_account_id": "svac_0111pCKxtmB7wQ3nT5hZk2LcR",
           *           "workspace_id": "wrkspc_0111pCKxti5Ee4qSRY78nHH2R",
           *           "workspace_role": "workspace_developer",
           *           "implicit": false,
           *           "created_by_actor_id": "user_0111pCKxtgoE4FHTWnUydEvgX"
           *         }
           *       ],
           *       "next_page": null
           *     }
           */
          "application/json": components["schemas"]["ServiceAccountWorkspaceMemberPage"];
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  addServiceAccountWorkspace: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes the request safe to retry: repeated with the same key, method, path and body within 24 hours, it answers the first response again (with `idempotent-replayed: true`) instead of running twice. 1 to 255 printable ASCII characters; use a random value (a UUID). See docs/api.md, Idempotent requests. */
        "idempotency-key"?: string;
      };
      path: {
        service_account_id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "workspace_id": "wrkspc_0111pCKxti5Ee4qSRY78nHH2R",
         *       "workspace_role": "workspace_developer"
         *     }
         */
        "application/json": components["schemas"]["ServiceAccountWorkspaceAddParamsInput"];
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "service_account_workspace_member",
           *       "service_account_id": "svac_0111pCKxtmB7wQ3nT5hZk2LcR",
           *       "workspace_id": "wrkspc_0111pCKxti5Ee4qSRY78nHH2R",
           *       "workspace_role": "workspace_developer",
           *       "implicit": false,
           *       "created_by_actor_id": "user_0111pCKxtgoE4FHTWnUydEvgX"
           *     }
           */
          "application/json": components["schemas"]["ServiceAccountWorkspaceMember"];
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  removeServiceAccountWorkspace: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes the request safe to retry: repeated with the same key, method, path and body within 24 hours, it answers the first response again (with `idempotent-replayed: true`) instead of running twice. 1 to 255 printable ASCII characters; use a random value (a UUID). See docs/api.md, Idempotent requests. */
        "idempotency-key"?: string;
      };
      path: {
        workspace_id: string;
        service_account_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "service_account_workspace_member_deleted",
           *       "service_account_id": "svac_0111pCKxtmB7wQ3nT5hZk2LcR",
           *       "workspace_id": "wrkspc_0111pCKxti5Ee4qSRY78nHH2R"
           *     }
           */
          "application/json": components["schemas"]["ServiceAccountWorkspaceMemberDeleteResponse"];
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  listWorkspaceServiceAccounts: {
    parameters: {
      query?: {
        /** @description Page size, 1 to 1000 (default 20) */
        limit?: number;
        /** @description The `next_page` token of the previous answer */
        page?: string;
      };
      header?: never;
      path: {
        workspace_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "data": [
           *         {
           *           "type": "service_account_workspace_member",
           *           "service_account_id": "svac_0111pCKxtmB7wQ3nT5hZk2LcR",
           *           "workspace_id": "wrkspc_0111pCKxti5Ee4qSRY78nHH2R",
           *           "workspace_role": "workspace_developer",
           *           "implicit": false,
           *           "created_by_actor_id": "user_0111pCKxtgoE4FHTWnUydEvgX"
           *         }
           *       ],
           *       "next_page": null
           *     }
           */
          "application/json": components["schemas"]["ServiceAccountWorkspaceMemberPage"];
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  addWorkspaceServiceAccount: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes the request safe to retry: repeated with the same key, method, path and body within 24 hours, it answers the first response again (with `idempotent-replayed: true`) instead of running twice. 1 to 255 printable ASCII characters; use a random value (a UUID). See docs/api.md, Idempotent requests. */
        "idempotency-key"?: string;
      };
      path: {
        workspace_id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "service_account_id": "svac_0111pCKxtmB7wQ3nT5hZk2LcR",
         *       "workspace_role": "workspace_developer"
         *     }
         */
        "application/json": components["schemas"]["WorkspaceServiceAccountAddParamsInput"];
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "service_account_workspace_member",
           *       "service_account_id": "svac_0111pCKxtmB7wQ3nT5hZk2LcR",
           *       "workspace_id": "wrkspc_0111pCKxti5Ee4qSRY78nHH2R",
           *       "workspace_role": "workspace_developer",
           *       "implicit": false,
           *       "created_by_actor_id": "user_0111pCKxtgoE4FHTWnUydEvgX"
           *     }
           */
          "application/json": components["schemas"]["ServiceAccountWorkspaceMember"];
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  getWorkspaceServiceAccount: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        workspace_id: string;
        service_account_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "service_account_workspace_member",
           *       "service_account_id": "svac_0111pCKxtmB7wQ3nT5hZk2LcR",
           *       "workspace_id": "wrkspc_0111pCKxti5Ee4qSRY78nHH2R",
           *       "workspace_role": "workspace_developer",
           *       "implicit": false,
           *       "created_by_actor_id": "user_0111pCKxtgoE4FHTWnUydEvgX"
           *     }
           */
          "application/json": components["schemas"]["ServiceAccountWorkspaceMember"];
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  updateWorkspaceServiceAccount: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes the request safe to retry: repeated with the same key, method, path and body within 24 hours, it answers the first response again (with `idempotent-replayed: true`) instead of running twice. 1 to 255 printable ASCII characters; use a random value (a UUID). See docs/api.md, Idempotent requests. */
        "idempotency-key"?: string;
      };
      path: {
        workspace_id: string;
        service_account_id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "workspace_role": "workspace_admin"
         *     }
         */
        "application/json": components["schemas"]["WorkspaceServiceAccountUpdateParamsInput"];
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "service_account_workspace_member",
           *       "service_account_id": "svac_0111pCKxtmB7wQ3nT5hZk2LcR",
           *       "workspace_id": "wrkspc_0111pCKxti5Ee4qSRY78nHH2R",
           *       "workspace_role": "workspace_admin",
           *       "implicit": false,
           *       "created_by_actor_id": "user_0111pCKxtgoE4FHTWnUydEvgX"
           *     }
           */
          "application/json": components["schemas"]["ServiceAccountWorkspaceMember"];
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  removeWorkspaceServiceAccount: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes the request safe to retry: repeated with the same key, method, path and body within 24 hours, it answers the first response again (with `idempotent-replayed: true`) instead of running twice. 1 to 255 printable ASCII characters; use a random value (a UUID). See docs/api.md, Idempotent requests. */
        "idempotency-key"?: string;
      };
      path: {
        workspace_id: string;
        service_account_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "service_account_workspace_member_deleted",
           *       "service_account_id": "svac_0111pCKxtmB7wQ3nT5hZk2LcR",
           *       "workspace_id": "wrkspc_0111pCKxti5Ee4qSRY78nHH2R"
           *     }
           */
          "application/json": components["schemas"]["ServiceAccountWorkspaceMemberDeleteResponse"];
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  listAdminKeys: {
    parameters: {
      query?: {
        /** @description Page size, 1 to 1000 (default 20) */
        limit?: number;
        /** @description Return the page after this object */
        after_id?: string;
        /** @description Return the page before this object */
        before_id?: string;
        /** @description `suspended`: its holder was removed or no longer has the admin or owner role; it works again if they do */
        status?: "active" | "revoked" | "expired" | "suspended";
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "data": [
           *         {
           *           "id": "adminkey_0111pCKxtgz66N6mdH62mGqVc",
           *           "type": "admin_key",
           *           "organization_id": "org_0111pCKxtgc2HvTKxsSphpcvc",
           *           "user_id": "user_0111pCKxtgoE4FHTWnUydEvgX",
           *           "name": "Olivia's deploy key",
           *           "partial_key_hint": "sk-ant-admin01-Qm3...x9Tw",
           *           "status": "active",
           *           "scope": "member",
           *           "holder_role": "owner",
           *           "created_at": "2026-04-28T10:05:00.000Z",
           *           "expires_at": null,
           *           "revoked_at": null,
           *           "last_used_at": "2026-04-28T11:30:00.000Z"
           *         }
           *       ],
           *       "has_more": false,
           *       "first_id": "adminkey_0111pCKxtgz66N6mdH62mGqVc",
           *       "last_id": "adminkey_0111pCKxtgz66N6mdH62mGqVc"
           *     }
           */
          "application/json": {
            data: components["schemas"]["AdminKey"][];
            has_more: boolean;
            first_id: string | null;
            last_id: string | null;
          };
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  createAdminKey: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes the request safe to retry: repeated with the same key, method, path and body within 24 hours, it answers the first response again (with `idempotent-replayed: true`) instead of running twice. 1 to 255 printable ASCII characters; use a random value (a UUID). See docs/api.md, Idempotent requests. */
        "idempotency-key"?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "name": "Olivia's deploy key",
         *       "user_id": "user_0111pCKxtgoE4FHTWnUydEvgX",
         *       "expires_at": null
         *     }
         */
        "application/json": components["schemas"]["AdminKeyCreateParamsInput"];
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "id": "adminkey_0111pCKxtgz66N6mdH62mGqVc",
           *       "type": "admin_key",
           *       "organization_id": "org_0111pCKxtgc2HvTKxsSphpcvc",
           *       "user_id": "user_0111pCKxtgoE4FHTWnUydEvgX",
           *       "name": "Olivia's deploy key",
           *       "partial_key_hint": "sk-ant-admin01-Qm3...x9Tw",
           *       "status": "active",
           *       "scope": "member",
           *       "holder_role": "owner",
           *       "created_at": "2026-04-28T10:05:00.000Z",
           *       "expires_at": null,
           *       "revoked_at": null,
           *       "last_used_at": null,
           *       "key": "sk-ant-admin01-Qm3kV8pLw2NcR7sYd4TzHf6JbX1aE5uGo9Ki0MnPqAvWyZ-cD_rS2tUe8x9Tw"
           *     }
           */
          "application/json": components["schemas"]["AdminKeyCreated"];
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  getAdminKey: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        admin_key_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "id": "adminkey_0111pCKxtgz66N6mdH62mGqVc",
           *       "type": "admin_key",
           *       "organization_id": "org_0111pCKxtgc2HvTKxsSphpcvc",
           *       "user_id": "user_0111pCKxtgoE4FHTWnUydEvgX",
           *       "name": "Olivia's deploy key",
           *       "partial_key_hint": "sk-ant-admin01-Qm3...x9Tw",
           *       "status": "active",
           *       "scope": "member",
           *       "holder_role": "owner",
           *       "created_at": "2026-04-28T10:05:00.000Z",
           *       "expires_at": null,
           *       "revoked_at": null,
           *       "last_used_at": "2026-04-28T11:30:00.000Z"
           *     }
           */
          "application/json": components["schemas"]["AdminKey"];
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  updateAdminKey: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes the request safe to retry: repeated with the same key, method, path and body within 24 hours, it answers the first response again (with `idempotent-replayed: true`) instead of running twice. 1 to 255 printable ASCII characters; use a random value (a UUID). See docs/api.md, Idempotent requests. */
        "idempotency-key"?: string;
      };
      path: {
        admin_key_id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "name": "Olivia's CI key"
         *     }
         */
        "application/json": components["schemas"]["AdminKeyUpdateParamsInput"];
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "id": "adminkey_0111pCKxtgz66N6mdH62mGqVc",
           *       "type": "admin_key",
           *       "organization_id": "org_0111pCKxtgc2HvTKxsSphpcvc",
           *       "user_id": "user_0111pCKxtgoE4FHTWnUydEvgX",
           *       "name": "Olivia's CI key",
           *       "partial_key_hint": "sk-ant-admin01-Qm3...x9Tw",
           *       "status": "active",
           *       "scope": "member",
           *       "holder_role": "owner",
           *       "created_at": "2026-04-28T10:05:00.000Z",
           *       "expires_at": null,
           *       "revoked_at": null,
           *       "last_used_at": "2026-04-28T11:30:00.000Z"
           *     }
           */
          "application/json": components["schemas"]["AdminKey"];
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  revokeAdminKey: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes the request safe to retry: repeated with the same key, method, path and body within 24 hours, it answers the first response again (with `idempotent-replayed: true`) instead of running twice. 1 to 255 printable ASCII characters; use a random value (a UUID). See docs/api.md, Idempotent requests. */
        "idempotency-key"?: string;
      };
      path: {
        admin_key_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "id": "adminkey_0111pCKxtgz66N6mdH62mGqVc",
           *       "type": "admin_key_deleted",
           *       "deleted": true
           *     }
           */
          "application/json": components["schemas"]["AdminKeyDeleteResponse"];
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  seedGetUsage: {
    parameters: {
      query: {
        /** @description First day, UTC, inclusive */
        start_date: string;
        /** @description Last day, UTC, inclusive */
        end_date: string;
        /** @description Bucket size: hour (at most 31 days), day (at most 366 days), month (at most 36 months) */
        granularity?: "hour" | "day" | "month";
        /** @description Only this workspace's usage */
        workspace_id?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "data": [
           *         {
           *           "date": "2026-04-27",
           *           "starting_at": "2026-04-27T00:00:00Z",
           *           "ending_at": "2026-04-28T00:00:00Z",
           *           "input_tokens": 12345678,
           *           "output_tokens": 3456789,
           *           "cache_creation_tokens": 250000,
           *           "cache_read_tokens": 987654,
           *           "web_search_requests": 12,
           *           "requests": 23456,
           *           "total_cost_usd": 456.78,
           *           "model_breakdown": {
           *             "claude-opus-4-5": {
           *               "input_tokens": 5000000,
           *               "output_tokens": 2000000,
           *               "cache_creation_tokens": 250000,
           *               "cache_read_tokens": 900000,
           *               "requests": 8123,
           *               "cost_usd": 380
           *             },
           *             "claude-haiku-4-5": {
           *               "input_tokens": 7345678,
           *               "output_tokens": 1456789,
           *               "cache_creation_tokens": 0,
           *               "cache_read_tokens": 87654,
           *               "requests": 15333,
           *               "cost_usd": 76.78
           *             }
           *           }
           *         }
           *       ],
           *       "total": {
           *         "input_tokens": 12345678,
           *         "output_tokens": 3456789,
           *         "cache_creation_tokens": 250000,
           *         "cache_read_tokens": 987654,
           *         "web_search_requests": 12,
           *         "requests": 23456,
           *         "total_cost_usd": 456.78
           *       }
           *     }
           */
          "application/json": components["schemas"]["SeedUsageReport"];
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  ingestUsageEvents: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes the request safe to retry: repeated with the same key, method, path and body within 24 hours, it answers the first response again (with `idempotent-replayed: true`) instead of running twice. 1 to 255 printable ASCII characters; use a random value (a UUID). See docs/api.md, Idempotent requests. */
        "idempotency-key"?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "events": [
         *         {
         *           "id": "batch-2026-04-27-0001",
         *           "timestamp": "2026-04-27T13:05:00Z",
         *           "workspace_id": "wrkspc_0111pCKxti5Ee4qSRY78nHH2R",
         *           "api_key_id": "apikey_0111pCKxtiR3mn7mJYApmoTxF",
         *           "model": "claude-sonnet-4-5",
         *           "input_tokens": 1200,
         *           "output_tokens": 350,
         *           "cache_read_input_tokens": 4000
         *         },
         *         {
         *           "id": "batch-2026-04-27-0002",
         *           "timestamp": "2026-04-27T13:06:00Z",
         *           "workspace_id": "wrkspc_0111pCKxti5Ee4qSRY78nHH2R",
         *           "model": "claude-sonnet-4-5",
         *           "input_tokens": -1,
         *           "output_tokens": 10
         *         }
         *       ]
         *     }
         */
        "application/json": {
          /** @description Up to 10,000 events, each a UsageEventInput; each is checked on its own, so one bad event does not sink the batch */
          events: unknown[];
        };
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "accepted": 1,
           *       "duplicates": 0,
           *       "rejected": [
           *         {
           *           "index": 1,
           *           "id": "batch-2026-04-27-0002",
           *           "field": "input_tokens",
           *           "message": "Too small: expected number to be >=0"
           *         }
           *       ]
           *     }
           */
          "application/json": components["schemas"]["UsageEventsIngestResult"];
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  listUsageDeadLetters: {
    parameters: {
      query?: {
        /** @description Page size, 1 to 1000 (default 20) */
        limit?: number;
        /** @description Return the page after this object */
        after_id?: string;
        /** @description Return the page before this object */
        before_id?: string;
        /** @description Only dead letters with this reason */
        reason?: "invalid_tokens" | "cost_out_of_range" | "write_failed";
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "data": [
           *         {
           *           "id": "usagedl_0111pCKxtm2Xk9RbV4cHq7JwE",
           *           "type": "usage_dead_letter",
           *           "event_id": "req_0111pCKxtiQAtVwQ5nDz6AVgY",
           *           "recorded_at": "2026-04-27T13:05:00.210Z",
           *           "reason": "invalid_tokens",
           *           "detail": "output_tokens: 1e+21: token counts must be non-negative safe integers",
           *           "event": {
           *             "id": "req_0111pCKxtiQAtVwQ5nDz6AVgY",
           *             "workspace_id": "wrkspc_0111pCKxti5Ee4qSRY78nHH2R",
           *             "api_key_id": "apikey_0111pCKxtiR3mn7mJYApmoTxF",
           *             "model": "claude-sonnet-4-5",
           *             "input_tokens": 1200
           *           }
           *         }
           *       ],
           *       "has_more": false,
           *       "first_id": "usagedl_0111pCKxtm2Xk9RbV4cHq7JwE",
           *       "last_id": "usagedl_0111pCKxtm2Xk9RbV4cHq7JwE"
           *     }
           */
          "application/json": {
            data: components["schemas"]["UsageDeadLetter"][];
            has_more: boolean;
            first_id: string | null;
            last_id: string | null;
          };
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  getMessagesUsageReport: {
    parameters: {
      query: {
        /** @description Buckets that start at or after this time, snapped to the start of its minute, hour or day */
        starting_at: string;
        /** @description Buckets that end at or before this time */
        ending_at?: string;
        bucket_width?: "1m" | "1h" | "1d";
        /** @description Buckets per page: 1d default 7, at most 31; 1h default 24, at most 168; 1m default 60, at most 1440 */
        limit?: number;
        /** @description The `next_page` token of the previous response */
        page?: string;
        group_by?:
          | (
              | "api_key_id"
              | "workspace_id"
              | "model"
              | "service_tier"
              | "context_window"
              | "inference_geo"
            )
          | (
              | "api_key_id"
              | "workspace_id"
              | "model"
              | "service_tier"
              | "context_window"
              | "inference_geo"
            )[];
        api_key_ids?: string | string[];
        workspace_ids?: string | string[];
        models?: string | string[];
        service_tiers?:
          | ("standard" | "batch" | "priority" | "priority_on_demand" | "flex" | "flex_discount")
          | ("standard" | "batch" | "priority" | "priority_on_demand" | "flex" | "flex_discount")[];
        context_window?: ("0-200k" | "200k-1M") | ("0-200k" | "200k-1M")[];
        inference_geos?:
          | ("global" | "us" | "not_available")
          | ("global" | "us" | "not_available")[];
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "data": [
           *         {
           *           "starting_at": "2026-04-27T00:00:00Z",
           *           "ending_at": "2026-04-28T00:00:00Z",
           *           "results": [
           *             {
           *               "uncached_input_tokens": 5000000,
           *               "cache_creation": {
           *                 "ephemeral_1h_input_tokens": 0,
           *                 "ephemeral_5m_input_tokens": 250000
           *               },
           *               "cache_read_input_tokens": 900000,
           *               "output_tokens": 2000000,
           *               "server_tool_use": {
           *                 "web_search_requests": 12
           *               },
           *               "api_key_id": null,
           *               "workspace_id": "wrkspc_0111pCKxti5Ee4qSRY78nHH2R",
           *               "model": "claude-opus-4-5",
           *               "service_tier": null,
           *               "context_window": null,
           *               "inference_geo": null
           *             }
           *           ]
           *         }
           *       ],
           *       "has_more": true,
           *       "next_page": "page_MjAyNi0wNC0yOFQwMDowMDowMFo="
           *     }
           */
          "application/json": components["schemas"]["MessagesUsageReport"];
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  getCostReport: {
    parameters: {
      query: {
        /** @description Days that start at or after this time (snapped to 00:00 UTC) */
        starting_at: string;
        /** @description Days that end at or before this time */
        ending_at?: string;
        bucket_width?: "1d";
        /** @description Days per page: default 7, at most 31 */
        limit?: number;
        /** @description The `next_page` token of the previous response */
        page?: string;
        group_by?:
          | ("workspace_id" | "description" | "api_key_id")
          | ("workspace_id" | "description" | "api_key_id")[];
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "data": [
           *         {
           *           "starting_at": "2026-04-27T00:00:00Z",
           *           "ending_at": "2026-04-28T00:00:00Z",
           *           "results": [
           *             {
           *               "currency": "USD",
           *               "workspace_id": "wrkspc_0111pCKxti5Ee4qSRY78nHH2R",
           *               "api_key_id": null,
           *               "cost_type": "tokens",
           *               "model": "claude-opus-4-5",
           *               "service_tier": "standard",
           *               "context_window": "0-200k",
           *               "inference_geo": "global",
           *               "fallback_amount": "0",
           *               "amount": "7500.00",
           *               "description": "Claude Opus 4.5 Usage - Input Tokens",
           *               "token_type": "uncached_input_tokens"
           *             },
           *             {
           *               "currency": "USD",
           *               "workspace_id": "wrkspc_0111pCKxti5Ee4qSRY78nHH2R",
           *               "api_key_id": null,
           *               "cost_type": "tokens",
           *               "model": "claude-opus-4-5",
           *               "service_tier": "standard",
           *               "context_window": "0-200k",
           *               "inference_geo": "global",
           *               "fallback_amount": "0",
           *               "amount": "15000.00",
           *               "description": "Claude Opus 4.5 Usage - Output Tokens",
           *               "token_type": "output_tokens"
           *             }
           *           ]
           *         }
           *       ],
           *       "has_more": false,
           *       "next_page": null
           *     }
           */
          "application/json": components["schemas"]["CostReport"];
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  getAnalyticsUsage: {
    parameters: {
      query: {
        /** @description Start of the range, inclusive; rounded down to the hour */
        starting_at: string;
        /** @description End of the range, exclusive; required with `time_bucket_width`. Default: the earlier of now and `starting_at` + 31 days. At most 31 days after `starting_at` (24 hours with `1m`) */
        ending_at?: "" | string;
        /** @description One row per time bucket (and group) instead of one per group */
        time_bucket_width?: "" | ("1d" | "1h" | "1m");
        /** @description Rows per page, 1 to 1000 (default 20) */
        limit?: number;
        /** @description The `next_page` token of the previous response */
        page?: string;
        order?: "asc" | "desc";
        /** @description Leave out rows whose actor is a removed user; requires `group_by[]=actor` */
        exclude_deleted_users?: "0" | "1" | "true" | "false";
        /** @description Only usage attributed to these identities: `user_…` (the keys issued to that member) or `apikey_…` (a key issued to nobody) */
        actor_ids?: "";
        /** @description Only usage attributed to these kinds of identity */
        actor_types?: "";
        /** @description Only usage through these API keys; an empty entry also matches usage without a key */
        api_key_ids?: "";
        /** @description Only usage in these workspaces */
        workspace_ids?: "";
        /** @description Only these service tiers */
        service_tiers?: "";
        /** @description Only these products: Steward meters `messages_api` (and `message_batches_api`, the batch tier); the others match nothing */
        products?: "";
        /** @description Steward does not record this dimension: a value here matches nothing. */
        agent_ids?: "";
        /** @description Steward does not record this dimension: a value here matches nothing. */
        deployment_ids?: "";
        /** @description Steward does not record this dimension: a value here matches nothing. */
        environment_ids?: "";
        /** @description Steward does not record this dimension: a value here matches nothing. */
        organization_ids?: "";
        /** @description Steward does not record this dimension: a value here matches nothing. */
        session_ids?: "";
        /** @description Steward does not record this dimension: a value here matches nothing. */
        user_profile_ids?: "";
        /** @description Steward does not record this dimension: a value here matches nothing. */
        claude_tag_categories?: "";
        /** @description Steward does not record this dimension: a value here matches nothing. */
        claude_tag_user_ids?: "";
        /** @description Only these context-window pricing tiers */
        context_windows?: "";
        /** @description Only these inference regions (`not_available`: unset) */
        inference_geos?: "";
        /** @description Only these models */
        models?: "";
        /** @description Steward does not record this dimension: a value here matches nothing. */
        rbac_group_ids?: "";
        /** @description Steward does not record this dimension: a value here matches nothing. */
        slack_channel_ids?: "";
        /** @description Steward does not record this dimension: a value here matches nothing. */
        speeds?: "";
        /** @description Dimensions to break usage out by, at most 5 */
        group_by?: "";
        order_by?: "output_tokens" | "requests" | "time" | "total_tokens" | "uncached_input_tokens";
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "data": [
           *         {
           *           "starting_at": "2026-04-01T00:00:00Z",
           *           "ending_at": "2026-04-28T00:00:00Z",
           *           "group": {
           *             "actor": {
           *               "deleted": false,
           *               "email_address": "ada@example.com",
           *               "name": "Ada Lovelace",
           *               "type": "user_actor",
           *               "user_id": "user_0111pCKxtho3Dq6iAZDk5eFmX"
           *             },
           *             "actor_type": null,
           *             "agent_id": null,
           *             "api_key_id": null,
           *             "claude_tag_category": null,
           *             "claude_tag_user_id": null,
           *             "context_window": null,
           *             "deployment_id": null,
           *             "environment_id": null,
           *             "inference_geo": null,
           *             "model": "claude-opus-4-5",
           *             "organization_id": null,
           *             "product": null,
           *             "rbac_group_id": null,
           *             "service_tier": null,
           *             "session_id": null,
           *             "slack_channel_id": null,
           *             "speed": null,
           *             "user_profile_id": null,
           *             "workspace_id": null
           *           },
           *           "usage": {
           *             "cache_creation": {
           *               "ephemeral_1h_input_tokens": 0,
           *               "ephemeral_5m_input_tokens": 250000
           *             },
           *             "cache_read_input_tokens": 900000,
           *             "output_tokens": 2000000,
           *             "requests": 8123,
           *             "server_tool_use": {
           *               "web_search_requests": 12
           *             },
           *             "uncached_input_tokens": 5000000,
           *             "total_tokens": 8150000
           *           }
           *         }
           *       ],
           *       "has_more": true,
           *       "next_page": "page_cm93OjIw",
           *       "data_refreshed_at": "2026-04-28T00:00:05.120Z"
           *     }
           */
          "application/json": components["schemas"]["AnalyticsUsagePage"];
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  getAnalyticsCost: {
    parameters: {
      query: {
        /** @description Start of the range, inclusive; rounded down to the hour */
        starting_at: string;
        /** @description End of the range, exclusive; required with `time_bucket_width`. Default: the earlier of now and `starting_at` + 31 days. At most 31 days after `starting_at` (24 hours with `1m`) */
        ending_at?: "" | string;
        /** @description One row per time bucket (and group) instead of one per group */
        time_bucket_width?: "" | ("1d" | "1h" | "1m");
        /** @description Rows per page, 1 to 1000 (default 20) */
        limit?: number;
        /** @description The `next_page` token of the previous response */
        page?: string;
        order?: "asc" | "desc";
        /** @description Leave out rows whose actor is a removed user; requires `group_by[]=actor` */
        exclude_deleted_users?: "0" | "1" | "true" | "false";
        /** @description Only usage attributed to these identities: `user_…` (the keys issued to that member) or `apikey_…` (a key issued to nobody) */
        actor_ids?: "";
        /** @description Only usage attributed to these kinds of identity */
        actor_types?: "";
        /** @description Only usage through these API keys; an empty entry also matches usage without a key */
        api_key_ids?: "";
        /** @description Only usage in these workspaces */
        workspace_ids?: "";
        /** @description Only these service tiers */
        service_tiers?: "";
        /** @description Only these products: Steward meters `messages_api` (and `message_batches_api`, the batch tier); the others match nothing */
        products?: "";
        /** @description Steward does not record this dimension: a value here matches nothing. */
        agent_ids?: "";
        /** @description Steward does not record this dimension: a value here matches nothing. */
        deployment_ids?: "";
        /** @description Steward does not record this dimension: a value here matches nothing. */
        environment_ids?: "";
        /** @description Steward does not record this dimension: a value here matches nothing. */
        organization_ids?: "";
        /** @description Steward does not record this dimension: a value here matches nothing. */
        session_ids?: "";
        /** @description Steward does not record this dimension: a value here matches nothing. */
        user_profile_ids?: "";
        /** @description Steward does not record this dimension: a value here matches nothing. */
        claude_tag_categories?: "";
        /** @description Steward does not record this dimension: a value here matches nothing. */
        claude_tag_user_ids?: "";
        /** @description Only these context-window pricing tiers */
        context_windows?: "";
        /** @description Only these inference regions (`not_available`: unset) */
        inference_geos?: "";
        /** @description Only these models */
        models?: "";
        /** @description Steward does not record this dimension: a value here matches nothing. */
        rbac_group_ids?: "";
        /** @description Steward does not record this dimension: a value here matches nothing. */
        slack_channel_ids?: "";
        /** @description Steward does not record this dimension: a value here matches nothing. */
        speeds?: "";
        /** @description Dimensions to break cost out by, at most 5 besides `cost_type` and `token_type` */
        group_by?: "";
        order_by?: "amount" | "list_amount" | "time";
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "data": [
           *         {
           *           "starting_at": "2026-04-01T00:00:00Z",
           *           "ending_at": "2026-04-28T00:00:00Z",
           *           "group": {
           *             "actor": null,
           *             "actor_type": null,
           *             "agent_id": null,
           *             "api_key_id": null,
           *             "claude_tag_category": null,
           *             "claude_tag_user_id": null,
           *             "context_window": null,
           *             "deployment_id": null,
           *             "environment_id": null,
           *             "inference_geo": null,
           *             "model": null,
           *             "organization_id": null,
           *             "product": null,
           *             "rbac_group_id": null,
           *             "service_tier": null,
           *             "session_id": null,
           *             "slack_channel_id": null,
           *             "speed": null,
           *             "user_profile_id": null,
           *             "workspace_id": "wrkspc_0111pCKxti5Ee4qSRY78nHH2R",
           *             "cost_type": null,
           *             "token_type": null
           *           },
           *           "cost": {
           *             "amount": "38000",
           *             "currency": "USD",
           *             "list_amount": "38000",
           *             "requests": 8123
           *           }
           *         }
           *       ],
           *       "has_more": false,
           *       "next_page": null,
           *       "data_refreshed_at": "2026-04-28T00:00:05.120Z"
           *     }
           */
          "application/json": components["schemas"]["AnalyticsCostPage"];
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  getAnalyticsUsageReport: {
    parameters: {
      query: {
        /** @description Buckets from the one holding this time */
        starting_at: string;
        /** @description Buckets that end at or before this time. Default: the earlier of now (its bucket included) and `starting_at` + 31 days. At most 31 days after `starting_at` */
        ending_at?: "" | string;
        bucket_width?: "1d" | "1h" | "1m";
        /** @description Buckets per page: 1d default 7, at most 31; 1h default 24, at most 168; 1m default 60, at most 256 */
        limit?: "" | number;
        /** @description The `next_page` token of the previous response */
        page?: string;
        /** @description Steward does not record this dimension: a value here matches nothing. */
        products?: "";
        /** @description Only usage through API keys issued to these members */
        user_ids?: "";
        /** @description Steward does not record this dimension: a value here matches nothing. */
        claude_tag_categories?: "";
        /** @description Steward does not record this dimension: a value here matches nothing. */
        claude_tag_user_ids?: "";
        /** @description Only these context-window pricing tiers */
        context_windows?: "";
        /** @description Only these inference regions (`not_available`: unset) */
        inference_geos?: "";
        /** @description Only these models */
        models?: "";
        /** @description Steward does not record this dimension: a value here matches nothing. */
        rbac_group_ids?: "";
        /** @description Steward does not record this dimension: a value here matches nothing. */
        slack_channel_ids?: "";
        /** @description Steward does not record this dimension: a value here matches nothing. */
        speeds?: "";
        group_by?:
          | ""
          | (
              | (
                  | "claude_tag_category"
                  | "claude_tag_user_id"
                  | "context_window"
                  | "inference_geo"
                  | "model"
                  | "product"
                  | "rbac_group_id"
                  | "slack_channel_id"
                  | "speed"
                )
              | (
                  | "claude_tag_category"
                  | "claude_tag_user_id"
                  | "context_window"
                  | "inference_geo"
                  | "model"
                  | "product"
                  | "rbac_group_id"
                  | "slack_channel_id"
                  | "speed"
                )[]
            );
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "data": [
           *         {
           *           "starting_at": "2026-04-27T00:00:00Z",
           *           "ending_at": "2026-04-28T00:00:00Z",
           *           "results": [
           *             {
           *               "claude_tag_category": null,
           *               "claude_tag_user_id": null,
           *               "context_window": null,
           *               "inference_geo": null,
           *               "model": "claude-opus-4-5",
           *               "product": null,
           *               "rbac_group_id": null,
           *               "slack_channel_id": null,
           *               "speed": null,
           *               "cache_creation": {
           *                 "ephemeral_1h_input_tokens": 0,
           *                 "ephemeral_5m_input_tokens": 250000
           *               },
           *               "cache_read_input_tokens": 900000,
           *               "output_tokens": 2000000,
           *               "requests": 8123,
           *               "server_tool_use": {
           *                 "web_search_requests": 12
           *               },
           *               "uncached_input_tokens": 5000000
           *             }
           *           ]
           *         }
           *       ],
           *       "has_more": false,
           *       "next_page": null,
           *       "data_refreshed_at": "2026-04-28T00:00:05.120Z"
           *     }
           */
          "application/json": components["schemas"]["AnalyticsUsageReportPage"];
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  getAnalyticsCostReport: {
    parameters: {
      query: {
        /** @description Buckets from the one holding this time */
        starting_at: string;
        /** @description Buckets that end at or before this time. Default: the earlier of now (its bucket included) and `starting_at` + 31 days. At most 31 days after `starting_at` */
        ending_at?: "" | string;
        bucket_width?: "1d" | "1h" | "1m";
        /** @description Buckets per page: 1d default 7, at most 31; 1h default 24, at most 168; 1m default 60, at most 256 */
        limit?: "" | number;
        /** @description The `next_page` token of the previous response */
        page?: string;
        /** @description Steward does not record this dimension: a value here matches nothing. */
        products?: "";
        /** @description Only usage through API keys issued to these members */
        user_ids?: "";
        /** @description Steward does not record this dimension: a value here matches nothing. */
        claude_tag_categories?: "";
        /** @description Steward does not record this dimension: a value here matches nothing. */
        claude_tag_user_ids?: "";
        /** @description Only these context-window pricing tiers */
        context_windows?: "";
        /** @description Only these inference regions (`not_available`: unset) */
        inference_geos?: "";
        /** @description Only these models */
        models?: "";
        /** @description Steward does not record this dimension: a value here matches nothing. */
        rbac_group_ids?: "";
        /** @description Steward does not record this dimension: a value here matches nothing. */
        slack_channel_ids?: "";
        /** @description Steward does not record this dimension: a value here matches nothing. */
        speeds?: "";
        group_by?:
          | ""
          | (
              | (
                  | "claude_tag_category"
                  | "claude_tag_user_id"
                  | "context_window"
                  | "inference_geo"
                  | "model"
                  | "product"
                  | "rbac_group_id"
                  | "slack_channel_id"
                  | "speed"
                  | "cost_type"
                  | "token_type"
                )
              | (
                  | "claude_tag_category"
                  | "claude_tag_user_id"
                  | "context_window"
                  | "inference_geo"
                  | "model"
                  | "product"
                  | "rbac_group_id"
                  | "slack_channel_id"
                  | "speed"
                  | "cost_type"
                  | "token_type"
                )[]
            );
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "data": [
           *         {
           *           "starting_at": "2026-04-27T00:00:00Z",
           *           "ending_at": "2026-04-28T00:00:00Z",
           *           "results": [
           *             {
           *               "claude_tag_category": null,
           *               "claude_tag_user_id": null,
           *               "context_window": null,
           *               "inference_geo": null,
           *               "model": "claude-opus-4-5",
           *               "product": null,
           *               "rbac_group_id": null,
           *               "slack_channel_id": null,
           *               "speed": null,
           *               "amount": "38000",
           *               "currency": "USD",
           *               "list_amount": "38000",
           *               "requests": 8123,
           *               "cost_type": null,
           *               "token_type": null
           *             }
           *           ]
           *         }
           *       ],
           *       "has_more": false,
           *       "next_page": null,
           *       "data_refreshed_at": "2026-04-28T00:00:05.120Z"
           *     }
           */
          "application/json": components["schemas"]["AnalyticsCostReportPage"];
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  getAnalyticsUserUsageReport: {
    parameters: {
      query: {
        /** @description Start of the range, inclusive; rounded down to the hour */
        starting_at: string;
        /** @description End of the range, exclusive; required with `bucket_width`. Default: the earlier of now and `starting_at` + 31 days. At most 31 days after `starting_at` (24 hours with `1m`) */
        ending_at?: "" | string;
        /** @description One row per user and time bucket */
        bucket_width?: "" | ("1d" | "1h" | "1m");
        /** @description Rows per page, 1 to 1000 (default 20) */
        limit?: number;
        /** @description The `next_page` token of the previous response */
        page?: string;
        order?: "asc" | "desc";
        /** @description Leave out removed members' rows */
        exclude_deleted_users?: "0" | "1" | "true" | "false";
        /** @description Steward does not record this dimension: a value here matches nothing. */
        products?: "";
        /** @description Only these members */
        user_ids?: "";
        /** @description Steward does not record this dimension: a value here matches nothing. */
        claude_tag_categories?: "";
        /** @description Steward does not record this dimension: a value here matches nothing. */
        claude_tag_user_ids?: "";
        /** @description Only these context-window pricing tiers */
        context_windows?: "";
        /** @description Only these inference regions (`not_available`: unset) */
        inference_geos?: "";
        /** @description Only these models */
        models?: "";
        /** @description Steward does not record this dimension: a value here matches nothing. */
        rbac_group_ids?: "";
        /** @description Steward does not record this dimension: a value here matches nothing. */
        slack_channel_ids?: "";
        /** @description Steward does not record this dimension: a value here matches nothing. */
        speeds?: "";
        group_by?:
          | ""
          | (
              | (
                  | "claude_tag_category"
                  | "claude_tag_user_id"
                  | "context_window"
                  | "inference_geo"
                  | "model"
                  | "product"
                  | "rbac_group_id"
                  | "slack_channel_id"
                  | "speed"
                )
              | (
                  | "claude_tag_category"
                  | "claude_tag_user_id"
                  | "context_window"
                  | "inference_geo"
                  | "model"
                  | "product"
                  | "rbac_group_id"
                  | "slack_channel_id"
                  | "speed"
                )[]
            );
        order_by?: "output_tokens" | "requests" | "total_tokens" | "uncached_input_tokens";
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "data": [
           *         {
           *           "actor": {
           *             "deleted": false,
           *             "email_address": "ada@example.com",
           *             "name": "Ada Lovelace",
           *             "type": "user_actor",
           *             "user_id": "user_0111pCKxtho3Dq6iAZDk5eFmX"
           *           },
           *           "starting_at": null,
           *           "ending_at": null,
           *           "claude_tag_category": null,
           *           "claude_tag_user_id": null,
           *           "context_window": null,
           *           "inference_geo": null,
           *           "model": "claude-opus-4-5",
           *           "product": null,
           *           "rbac_group_id": null,
           *           "slack_channel_id": null,
           *           "speed": null,
           *           "cache_creation": {
           *             "ephemeral_1h_input_tokens": 0,
           *             "ephemeral_5m_input_tokens": 250000
           *           },
           *           "cache_read_input_tokens": 900000,
           *           "output_tokens": 2000000,
           *           "requests": 8123,
           *           "server_tool_use": {
           *             "web_search_requests": 12
           *           },
           *           "uncached_input_tokens": 5000000,
           *           "total_tokens": 8150000
           *         }
           *       ],
           *       "has_more": true,
           *       "next_page": "page_cm93OjIw",
           *       "data_refreshed_at": "2026-04-28T00:00:05.120Z"
           *     }
           */
          "application/json": components["schemas"]["AnalyticsUserUsageReportPage"];
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  getAnalyticsUserCostReport: {
    parameters: {
      query: {
        /** @description Start of the range, inclusive; rounded down to the hour */
        starting_at: string;
        /** @description End of the range, exclusive; required with `bucket_width`. Default: the earlier of now and `starting_at` + 31 days. At most 31 days after `starting_at` (24 hours with `1m`) */
        ending_at?: "" | string;
        /** @description One row per user and time bucket */
        bucket_width?: "" | ("1d" | "1h" | "1m");
        /** @description Rows per page, 1 to 1000 (default 20) */
        limit?: number;
        /** @description The `next_page` token of the previous response */
        page?: string;
        order?: "asc" | "desc";
        /** @description Leave out removed members' rows */
        exclude_deleted_users?: "0" | "1" | "true" | "false";
        /** @description Steward does not record this dimension: a value here matches nothing. */
        products?: "";
        /** @description Only these members */
        user_ids?: "";
        /** @description Steward does not record this dimension: a value here matches nothing. */
        claude_tag_categories?: "";
        /** @description Steward does not record this dimension: a value here matches nothing. */
        claude_tag_user_ids?: "";
        /** @description Only these context-window pricing tiers */
        context_windows?: "";
        /** @description Only these inference regions (`not_available`: unset) */
        inference_geos?: "";
        /** @description Only these models */
        models?: "";
        /** @description Steward does not record this dimension: a value here matches nothing. */
        rbac_group_ids?: "";
        /** @description Steward does not record this dimension: a value here matches nothing. */
        slack_channel_ids?: "";
        /** @description Steward does not record this dimension: a value here matches nothing. */
        speeds?: "";
        group_by?:
          | ""
          | (
              | (
                  | "claude_tag_category"
                  | "claude_tag_user_id"
                  | "context_window"
                  | "inference_geo"
                  | "model"
                  | "product"
                  | "rbac_group_id"
                  | "slack_channel_id"
                  | "speed"
                  | "cost_type"
                  | "token_type"
                )
              | (
                  | "claude_tag_category"
                  | "claude_tag_user_id"
                  | "context_window"
                  | "inference_geo"
                  | "model"
                  | "product"
                  | "rbac_group_id"
                  | "slack_channel_id"
                  | "speed"
                  | "cost_type"
                  | "token_type"
                )[]
            );
        order_by?: "amount" | "list_amount";
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "data": [
           *         {
           *           "actor": {
           *             "deleted": false,
           *             "email_address": "ada@example.com",
           *             "name": "Ada Lovelace",
           *             "type": "user_actor",
           *             "user_id": "user_0111pCKxtho3Dq6iAZDk5eFmX"
           *           },
           *           "starting_at": null,
           *           "ending_at": null,
           *           "claude_tag_category": null,
           *           "claude_tag_user_id": null,
           *           "context_window": null,
           *           "inference_geo": null,
           *           "model": "claude-opus-4-5",
           *           "product": null,
           *           "rbac_group_id": null,
           *           "slack_channel_id": null,
           *           "speed": null,
           *           "amount": "38000",
           *           "currency": "USD",
           *           "list_amount": "38000",
           *           "requests": 8123,
           *           "cost_type": null,
           *           "token_type": null
           *         }
           *       ],
           *       "has_more": false,
           *       "next_page": null,
           *       "data_refreshed_at": "2026-04-28T00:00:05.120Z"
           *     }
           */
          "application/json": components["schemas"]["AnalyticsUserCostReportPage"];
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  listAlertRules: {
    parameters: {
      query?: {
        /** @description Page size, 1 to 1000 (default 20) */
        limit?: number;
        /** @description Return the page after this object */
        after_id?: string;
        /** @description Return the page before this object */
        before_id?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "data": [
           *         {
           *           "id": "alertrule_0111pCKxtj13hQRtGrLMUJipz",
           *           "type": "alert_rule",
           *           "name": "Monthly spend",
           *           "scope": {
           *             "type": "organization",
           *             "workspace_id": null
           *           },
           *           "period": "month",
           *           "thresholds": [
           *             {
           *               "type": "percent_of_limit",
           *               "percent": 80
           *             },
           *             {
           *               "type": "usd",
           *               "amount_usd": 9500
           *             }
           *           ],
           *           "channels": [
           *             {
           *               "type": "webhook",
           *               "url": "https://hooks.acme.example/steward",
           *               "secret": null,
           *               "secret_hint": "whsec_…1IfM"
           *             },
           *             {
           *               "type": "email",
           *               "to": [
           *                 "finops@acme.example"
           *               ]
           *             }
           *           ],
           *           "enabled": true,
           *           "created_at": "2026-04-01T09:00:00.000Z",
           *           "updated_at": "2026-04-01T09:00:00.000Z"
           *         }
           *       ],
           *       "has_more": false,
           *       "first_id": "alertrule_0111pCKxtj13hQRtGrLMUJipz",
           *       "last_id": "alertrule_0111pCKxtj13hQRtGrLMUJipz"
           *     }
           */
          "application/json": {
            data: components["schemas"]["AlertRule"][];
            has_more: boolean;
            first_id: string | null;
            last_id: string | null;
          };
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  createAlertRule: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes the request safe to retry: repeated with the same key, method, path and body within 24 hours, it answers the first response again (with `idempotent-replayed: true`) instead of running twice. 1 to 255 printable ASCII characters; use a random value (a UUID). See docs/api.md, Idempotent requests. */
        "idempotency-key"?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "name": "Monthly spend",
         *       "scope": {
         *         "type": "organization"
         *       },
         *       "period": "month",
         *       "thresholds": [
         *         {
         *           "type": "percent_of_limit",
         *           "percent": 80
         *         },
         *         {
         *           "type": "usd",
         *           "amount_usd": 9500
         *         }
         *       ],
         *       "channels": [
         *         {
         *           "type": "webhook",
         *           "url": "https://hooks.acme.example/steward"
         *         },
         *         {
         *           "type": "email",
         *           "to": [
         *             "finops@acme.example"
         *           ]
         *         }
         *       ]
         *     }
         */
        "application/json": components["schemas"]["AlertRuleCreateParamsInput"];
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "id": "alertrule_0111pCKxtj13hQRtGrLMUJipz",
           *       "type": "alert_rule",
           *       "name": "Monthly spend",
           *       "scope": {
           *         "type": "organization",
           *         "workspace_id": null
           *       },
           *       "period": "month",
           *       "thresholds": [
           *         {
           *           "type": "percent_of_limit",
           *           "percent": 80
           *         },
           *         {
           *           "type": "usd",
           *           "amount_usd": 9500
           *         }
           *       ],
           *       "channels": [
           *         {
           *           "type": "webhook",
           *           "url": "https://hooks.acme.example/steward",
           *           "secret": "whsec_1x08_zOi9BbTsu_KWpDnN1RbQRvymwrInvUsLaf1IfM",
           *           "secret_hint": "whsec_…1IfM"
           *         },
           *         {
           *           "type": "email",
           *           "to": [
           *             "finops@acme.example"
           *           ]
           *         }
           *       ],
           *       "enabled": true,
           *       "created_at": "2026-04-01T09:00:00.000Z",
           *       "updated_at": "2026-04-01T09:00:00.000Z"
           *     }
           */
          "application/json": components["schemas"]["AlertRule"];
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  getAlertRule: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        alert_rule_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "id": "alertrule_0111pCKxtj13hQRtGrLMUJipz",
           *       "type": "alert_rule",
           *       "name": "Monthly spend",
           *       "scope": {
           *         "type": "organization",
           *         "workspace_id": null
           *       },
           *       "period": "month",
           *       "thresholds": [
           *         {
           *           "type": "percent_of_limit",
           *           "percent": 80
           *         },
           *         {
           *           "type": "usd",
           *           "amount_usd": 9500
           *         }
           *       ],
           *       "channels": [
           *         {
           *           "type": "webhook",
           *           "url": "https://hooks.acme.example/steward",
           *           "secret": null,
           *           "secret_hint": "whsec_…1IfM"
           *         },
           *         {
           *           "type": "email",
           *           "to": [
           *             "finops@acme.example"
           *           ]
           *         }
           *       ],
           *       "enabled": true,
           *       "created_at": "2026-04-01T09:00:00.000Z",
           *       "updated_at": "2026-04-01T09:00:00.000Z"
           *     }
           */
          "application/json": components["schemas"]["AlertRule"];
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  updateAlertRule: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes the request safe to retry: repeated with the same key, method, path and body within 24 hours, it answers the first response again (with `idempotent-replayed: true`) instead of running twice. 1 to 255 printable ASCII characters; use a random value (a UUID). See docs/api.md, Idempotent requests. */
        "idempotency-key"?: string;
      };
      path: {
        alert_rule_id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "enabled": false
         *     }
         */
        "application/json": components["schemas"]["AlertRuleUpdateParamsInput"];
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "id": "alertrule_0111pCKxtj13hQRtGrLMUJipz",
           *       "type": "alert_rule",
           *       "name": "Monthly spend",
           *       "scope": {
           *         "type": "organization",
           *         "workspace_id": null
           *       },
           *       "period": "month",
           *       "thresholds": [
           *         {
           *           "type": "percent_of_limit",
           *           "percent": 80
           *         },
           *         {
           *           "type": "usd",
           *           "amount_usd": 9500
           *         }
           *       ],
           *       "channels": [
           *         {
           *           "type": "webhook",
           *           "url": "https://hooks.acme.example/steward",
           *           "secret": null,
           *           "secret_hint": "whsec_…1IfM"
           *         },
           *         {
           *           "type": "email",
           *           "to": [
           *             "finops@acme.example"
           *           ]
           *         }
           *       ],
           *       "enabled": false,
           *       "created_at": "2026-04-01T09:00:00.000Z",
           *       "updated_at": "2026-04-28T10:30:00.000Z"
           *     }
           */
          "application/json": components["schemas"]["AlertRule"];
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  deleteAlertRule: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes the request safe to retry: repeated with the same key, method, path and body within 24 hours, it answers the first response again (with `idempotent-replayed: true`) instead of running twice. 1 to 255 printable ASCII characters; use a random value (a UUID). See docs/api.md, Idempotent requests. */
        "idempotency-key"?: string;
      };
      path: {
        alert_rule_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "id": "alertrule_0111pCKxtj13hQRtGrLMUJipz",
           *       "type": "alert_rule_deleted"
           *     }
           */
          "application/json": {
            id: string;
            /** @enum {string} */
            type: "alert_rule_deleted";
          };
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  testAlertRule: {
    parameters: {
      query?: never;
      header?: {
        /** @description Makes the request safe to retry: repeated with the same key, method, path and body within 24 hours, it answers the first response again (with `idempotent-replayed: true`) instead of running twice. 1 to 255 printable ASCII characters; use a random value (a UUID). See docs/api.md, Idempotent requests. */
        "idempotency-key"?: string;
      };
      path: {
        alert_rule_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "data": [
           *         {
           *           "id": "alertdlv_0111pCKxtjA1y1vAAyRtcwVTS",
           *           "type": "alert_delivery",
           *           "rule_id": "alertrule_0111pCKxtj13hQRtGrLMUJipz",
           *           "firing_id": null,
           *           "kind": "test",
           *           "channel": {
           *             "type": "webhook",
           *             "target": "https://hooks.acme.example/steward"
           *           },
           *           "status": "delivered",
           *           "attempt_count": 1,
           *           "attempts": [
           *             {
           *               "attempted_at": "2026-04-24T14:02:11.418Z",
           *               "status_code": 200,
           *               "error": null,
           *               "duration_ms": 84
           *             }
           *           ],
           *           "next_attempt_at": null,
           *           "expires_at": "2026-04-25T14:02:11.300Z",
           *           "created_at": "2026-04-24T14:02:11.300Z",
           *           "delivered_at": "2026-04-24T14:02:11.502Z",
           *           "last_error": null,
           *           "message": {
           *             "type": "cost_alert_test",
           *             "id": "alertdlv_0111pCKxtjA1y1vAAyRtcwVTS",
           *             "organization_id": "org_0111pCKxtgc2HvTKxsSphpcvc",
           *             "rule": {
           *               "id": "alertrule_0111pCKxtj13hQRtGrLMUJipz",
           *               "name": "Monthly spend"
           *             },
           *             "scope": {
           *               "type": "organization",
           *               "id": "org_0111pCKxtgc2HvTKxsSphpcvc",
           *               "name": "Acme Corporation"
           *             },
           *             "period": {
           *               "type": "month",
           *               "starting_at": "2026-04-01T00:00:00.000Z",
           *               "ending_at": "2026-05-01T00:00:00.000Z"
           *             },
           *             "threshold": {
           *               "type": "percent_of_limit",
           *               "percent": 80,
           *               "usd": 8000
           *             },
           *             "limit_usd": 10000,
           *             "current_spend_usd": 8012.4,
           *             "overage_percent": 0.2,
           *             "fired_at": "2026-04-24T14:02:11.300Z",
           *             "summary": "[TEST] [COST ALERT] Claude API spend of organization \"Acme Corporation\" is $8,012.40, past $8,000.00 this month (UTC)",
           *             "hint": "Check for anomalous API calls (the usage report grouped by API key: GET /v1/organizations/usage_report/messages?group_by[]=api_key_id); Adjust Workspace usage limits; Optimize model selection (use Haiku instead of Opus for high-frequency calls)",
           *             "text": "Current month usage: $8,012.40 USD\nAlert threshold: $8,000.00 USD (80% of the monthly limit of $10,000.00)\nOverage: 0.2%\nScope: organization \"Acme Corporation\"\nPeriod: month 2026-04 (UTC)\nRule: Monthly spend (alertrule_0111pCKxtj13hQRtGrLMUJipz)\n"
           *           }
           *         }
           *       ]
           *     }
           */
          "application/json": {
            data: components["schemas"]["AlertDelivery"][];
          };
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  listAlertDeliveries: {
    parameters: {
      query?: {
        /** @description Page size, 1 to 1000 (default 20) */
        limit?: number;
        /** @description Return the page after this object */
        after_id?: string;
        /** @description Return the page before this object */
        before_id?: string;
        rule_id?: string;
        status?: "pending" | "delivered" | "failed";
        /** @description asc: oldest first (the default); desc: newest first. `after_id` pages on in this order */
        order?: "asc" | "desc";
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "data": [
           *         {
           *           "id": "alertdlv_0111pCKxtjA1y1vAAyRtcwVTS",
           *           "type": "alert_delivery",
           *           "rule_id": "alertrule_0111pCKxtj13hQRtGrLMUJipz",
           *           "firing_id": "alertfiring_0111pCKxtjB4nG8fQw2sLkZpD",
           *           "kind": "alert",
           *           "channel": {
           *             "type": "webhook",
           *             "target": "https://hooks.acme.example/steward"
           *           },
           *           "status": "delivered",
           *           "attempt_count": 1,
           *           "attempts": [
           *             {
           *               "attempted_at": "2026-04-24T14:02:11.418Z",
           *               "status_code": 200,
           *               "error": null,
           *               "duration_ms": 84
           *             }
           *           ],
           *           "next_attempt_at": null,
           *           "expires_at": "2026-04-25T14:02:11.300Z",
           *           "created_at": "2026-04-24T14:02:11.300Z",
           *           "delivered_at": "2026-04-24T14:02:11.502Z",
           *           "last_error": null,
           *           "message": {
           *             "type": "cost_alert",
           *             "id": "alertfiring_0111pCKxtjB4nG8fQw2sLkZpD",
           *             "organization_id": "org_0111pCKxtgc2HvTKxsSphpcvc",
           *             "rule": {
           *               "id": "alertrule_0111pCKxtj13hQRtGrLMUJipz",
           *               "name": "Monthly spend"
           *             },
           *             "scope": {
           *               "type": "organization",
           *               "id": "org_0111pCKxtgc2HvTKxsSphpcvc",
           *               "name": "Acme Corporation"
           *             },
           *             "period": {
           *               "type": "month",
           *               "starting_at": "2026-04-01T00:00:00.000Z",
           *               "ending_at": "2026-05-01T00:00:00.000Z"
           *             },
           *             "threshold": {
           *               "type": "percent_of_limit",
           *               "percent": 80,
           *               "usd": 8000
           *             },
           *             "limit_usd": 10000,
           *             "current_spend_usd": 8012.4,
           *             "overage_percent": 0.2,
           *             "fired_at": "2026-04-24T14:02:11.300Z",
           *             "summary": "[COST ALERT] Claude API spend of organization \"Acme Corporation\" is $8,012.40, past $8,000.00 this month (UTC)",
           *             "hint": "Check for anomalous API calls (the usage report grouped by API key: GET /v1/organizations/usage_report/messages?group_by[]=api_key_id); Adjust Workspace usage limits; Optimize model selection (use Haiku instead of Opus for high-frequency calls)",
           *             "text": "Current month usage: $8,012.40 USD\nAlert threshold: $8,000.00 USD (80% of the monthly limit of $10,000.00)\nOverage: 0.2%\nScope: organization \"Acme Corporation\"\nPeriod: month 2026-04 (UTC)\nRule: Monthly spend (alertrule_0111pCKxtj13hQRtGrLMUJipz)\n"
           *           }
           *         }
           *       ],
           *       "has_more": false,
           *       "first_id": "alertdlv_0111pCKxtjA1y1vAAyRtcwVTS",
           *       "last_id": "alertdlv_0111pCKxtjA1y1vAAyRtcwVTS"
           *     }
           */
          "application/json": {
            data: components["schemas"]["AlertDelivery"][];
            has_more: boolean;
            first_id: string | null;
            last_id: string | null;
          };
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  getAlertDelivery: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        alert_delivery_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "id": "alertdlv_0111pCKxtjA1y1vAAyRtcwVTS",
           *       "type": "alert_delivery",
           *       "rule_id": "alertrule_0111pCKxtj13hQRtGrLMUJipz",
           *       "firing_id": "alertfiring_0111pCKxtjB4nG8fQw2sLkZpD",
           *       "kind": "alert",
           *       "channel": {
           *         "type": "webhook",
           *         "target": "https://hooks.acme.example/steward"
           *       },
           *       "status": "delivered",
           *       "attempt_count": 1,
           *       "attempts": [
           *         {
           *           "attempted_at": "2026-04-24T14:02:11.418Z",
           *           "status_code": 200,
           *           "error": null,
           *           "duration_ms": 84
           *         }
           *       ],
           *       "next_attempt_at": null,
           *       "expires_at": "2026-04-25T14:02:11.300Z",
           *       "created_at": "2026-04-24T14:02:11.300Z",
           *       "delivered_at": "2026-04-24T14:02:11.502Z",
           *       "last_error": null,
           *       "message": {
           *         "type": "cost_alert",
           *         "id": "alertfiring_0111pCKxtjB4nG8fQw2sLkZpD",
           *         "organization_id": "org_0111pCKxtgc2HvTKxsSphpcvc",
           *         "rule": {
           *           "id": "alertrule_0111pCKxtj13hQRtGrLMUJipz",
           *           "name": "Monthly spend"
           *         },
           *         "scope": {
           *           "type": "organization",
           *           "id": "org_0111pCKxtgc2HvTKxsSphpcvc",
           *           "name": "Acme Corporation"
           *         },
           *         "period": {
           *           "type": "month",
           *           "starting_at": "2026-04-01T00:00:00.000Z",
           *           "ending_at": "2026-05-01T00:00:00.000Z"
           *         },
           *         "threshold": {
           *           "type": "percent_of_limit",
           *           "percent": 80,
           *           "usd": 8000
           *         },
           *         "limit_usd": 10000,
           *         "current_spend_usd": 8012.4,
           *         "overage_percent": 0.2,
           *         "fired_at": "2026-04-24T14:02:11.300Z",
           *         "summary": "[COST ALERT] Claude API spend of organization \"Acme Corporation\" is $8,012.40, past $8,000.00 this month (UTC)",
           *         "hint": "Check for anomalous API calls (the usage report grouped by API key: GET /v1/organizations/usage_report/messages?group_by[]=api_key_id); Adjust Workspace usage limits; Optimize model selection (use Haiku instead of Opus for high-frequency calls)",
           *         "text": "Current month usage: $8,012.40 USD\nAlert threshold: $8,000.00 USD (80% of the monthly limit of $10,000.00)\nOverage: 0.2%\nScope: organization \"Acme Corporation\"\nPeriod: month 2026-04 (UTC)\nRule: Monthly spend (alertrule_0111pCKxtj13hQRtGrLMUJipz)\n"
           *       }
           *     }
           */
          "application/json": components["schemas"]["AlertDelivery"];
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  listAuditLogs: {
    parameters: {
      query?: {
        /** @description Page size, 1 to 1000 (default 20) */
        limit?: number;
        /** @description Return the page after this object */
        after_id?: string;
        /** @description Return the page before this object */
        before_id?: string;
        /** @description Only records of this kind of actor */
        actor_type?: "admin_key" | "session" | "operator" | "invitee" | "system" | "anonymous";
        /** @description Only records of this actor (an admin key id, a session id, …) */
        actor_id?: string;
        /** @description Only records a member did: through an admin key they hold or a console session of theirs */
        actor_user_id?: string;
        /** @description Only this action, e.g. `api_key.updated` */
        action?: string;
        target_type?: string;
        target_id?: string;
        /** @description Records at or after this time */
        starting_at?: string;
        /** @description Records before this time */
        ending_at?: string;
        /** @description asc: oldest first (the default); desc: newest first. `after_id` pages on in this order */
        order?: "asc" | "desc";
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "data": [
           *         {
           *           "id": "audit_0111pCKxtiS7HVYc16AGHGgaG",
           *           "type": "audit_log",
           *           "occurred_at": "2026-04-28T10:10:00.000Z",
           *           "actor": {
           *             "type": "admin_key",
           *             "id": "adminkey_0111pCKxtgz66N6mdH62mGqVc"
           *           },
           *           "action": "api_key.created",
           *           "target": {
           *             "type": "api_key",
           *             "id": "apikey_0111pCKxtiR3mn7mJYApmoTxF"
           *           },
           *           "outcome": "success",
           *           "request_id": "req_0111pCKxtiQAtVwQ5nDz6AVgY",
           *           "client_ip": "203.0.113.7",
           *           "user_agent": "steward-cli/0.1.0",
           *           "changes": {
           *             "before": null,
           *             "after": {
           *               "id": "apikey_0111pCKxtiR3mn7mJYApmoTxF",
           *               "type": "api_key",
           *               "name": "Customer Portal Service",
           *               "status": "active",
           *               "workspace_id": "wrkspc_0111pCKxti5Ee4qSRY78nHH2R",
           *               "created_at": "2026-04-28T10:10:00.000Z",
           *               "expires_at": "2027-04-28T00:00:00.000Z",
           *               "archived_at": null,
           *               "last_used_at": null,
           *               "created_by": {
           *                 "id": "user_0111pCKxtgoE4FHTWnUydEvgX",
           *                 "type": "user",
           *                 "email": "olivia@acme.example"
           *               },
           *               "principal": {
           *                 "type": "user_actor",
           *                 "user_id": "user_0111pCKxtho3Dq6iAZDk5eFmX"
           *               },
           *               "scope": {
           *                 "type": "workspace",
           *                 "workspace_id": "wrkspc_0111pCKxti5Ee4qSRY78nHH2R"
           *               },
           *               "partial_key": "sk-ant-api03-...UJNv",
           *               "partial_key_hint": "sk-ant-api03-HSZ...UJNv"
           *             }
           *           },
           *           "chain": {
           *             "seq": 14,
           *             "prev_hash": "5fdb433230beb59ca454bc4f7f2f2530ad8d6581e3843b43bcc1028dc848dae6",
           *             "hash": "3dc663ab3495c2115d578b6e24107a324f1010927a8d29ca036bf0bfb91ef0ab"
           *           }
           *         }
           *       ],
           *       "has_more": true,
           *       "first_id": "audit_0111pCKxtiS7HVYc16AGHGgaG",
           *       "last_id": "audit_0111pCKxtiS7HVYc16AGHGgaG"
           *     }
           */
          "application/json": components["schemas"]["AuditLogPage"];
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  getAuthMethods: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "oidc": {
           *         "enabled": true,
           *         "label": "Okta"
           *       },
           *       "email_link": true,
           *       "admin_key": true
           *     }
           */
          "application/json": components["schemas"]["AuthMethods"];
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  startOidcSignIn: {
    parameters: {
      query?: {
        return_to?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description To the identity provider */
      302: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  finishOidcSignIn: {
    parameters: {
      query?: {
        code?: string;
        state?: string;
        error?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description To the console, signed in or with an error */
      302: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  signInWithAdminKey: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "key": "sk-ant-admin01-Xk3v…"
         *     }
         */
        "application/json": components["schemas"]["AdminKeySignInParamsInput"];
      };
    };
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "session",
           *       "id": "sess_0111pCKxtm7Yq2WbR5vJk8HsN",
           *       "user": {
           *         "id": "user_0111pCKxtgoE4FHTWnUydEvgX",
           *         "email": "olivia@acme.example",
           *         "name": "Olivia Owner",
           *         "role": "owner"
           *       },
           *       "organization_id": "org_0111pCKxtgc2HvTKxsSphpcvc",
           *       "csrf_token": "h0Vd3lM3o2yR2vQ2mRz1Yw7hKQ3kYb1mJ6a7c9oXq2E",
           *       "method": "admin_key",
           *       "created_at": "2026-04-28T10:00:00.000Z",
           *       "expires_at": "2026-04-28T22:00:00.000Z",
           *       "idle_expires_at": "2026-04-28T10:30:00.000Z"
           *     }
           */
          "application/json": components["schemas"]["Session"];
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  requestEmailLink: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "email": "olivia@acme.example",
         *       "return_to": "/console/usage"
         *     }
         */
        "application/json": components["schemas"]["EmailLinkParamsInput"];
      };
    };
    responses: {
      /** @description Default Response */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /** @example {} */
          "application/json": components["schemas"]["EmailLinkSent"];
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  verifyEmailLink: {
    parameters: {
      query: {
        token: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description To the console, signed in or with an error */
      302: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  getSession: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Success */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "session",
           *       "id": "sess_0111pCKxtm7Yq2WbR5vJk8HsN",
           *       "user": {
           *         "id": "user_0111pCKxtgoE4FHTWnUydEvgX",
           *         "email": "olivia@acme.example",
           *         "name": "Olivia Owner",
           *         "role": "owner"
           *       },
           *       "organization_id": "org_0111pCKxtgc2HvTKxsSphpcvc",
           *       "csrf_token": "h0Vd3lM3o2yR2vQ2mRz1Yw7hKQ3kYb1mJ6a7c9oXq2E",
           *       "method": "admin_key",
           *       "created_at": "2026-04-28T10:00:00.000Z",
           *       "expires_at": "2026-04-28T22:00:00.000Z",
           *       "idle_expires_at": "2026-04-28T10:30:00.000Z"
           *     }
           */
          "application/json": components["schemas"]["Session"];
        };
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  signOut: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Signed out: the session ended */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description A malformed or refused request: the message names the field; `error.details.error_code` tells service refusals apart (`invalid_request_error`) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description No admin key, or one that is unknown, revoked or expired (`authentication_error`) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The admin key may not do this: it is suspended, or the action needs an owner (`permission_error`) */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Not found, or another organization's (`not_found_error`) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description A concurrent change, or a request with this `Idempotency-Key` in progress (`conflict_error`) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is over `BODY_LIMIT_BYTES` (`request_too_large`) */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description This `Idempotency-Key` was used for another request (`idempotency_key_reused`) */
      422: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Too many failed admin keys from this address; `retry-after` says when to try again (`rate_limit_error`) */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description An unexpected error, logged with the request id (`api_error`) */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The database is unavailable, or Steward is shutting down; `retry-after` says when to retry (`unavailable_error`) */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  createMessage: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "model": "claude-sonnet-4-5",
         *       "max_tokens": 1024,
         *       "messages": [
         *         {
         *           "role": "user",
         *           "content": "Summarize our Q1 support tickets in three bullet points."
         *         }
         *       ]
         *     }
         */
        "application/json": components["schemas"]["MessageCreateParamsInput"];
      };
    };
    responses: {
      /** @description The message; with `stream: true`, its events */
      200: {
        headers: {
          /** @description The upstream's request id (Steward's own when Steward answered) */
          "request-id"?: string;
          /** @description Steward's request id: the id of the request's usage event */
          "x-steward-request-id"?: string;
          /** @description The workspace's requests per minute, when it has a limit */
          "anthropic-ratelimit-requests-limit"?: number;
          /** @description Requests left in the bucket */
          "anthropic-ratelimit-requests-remaining"?: number;
          /** @description When the bucket is full again (RFC 3339) */
          "anthropic-ratelimit-requests-reset"?: string;
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "id": "msg_01XFDUDYJgAACzvnptvVoYEL",
           *       "type": "message",
           *       "role": "assistant",
           *       "model": "claude-sonnet-4-5-20250929",
           *       "content": [
           *         {
           *           "type": "text",
           *           "text": "- Login issues fell by a third after the SSO fix\n- Billing questions doubled in March\n- Median first response stayed under two hours"
           *         }
           *       ],
           *       "stop_reason": "end_turn",
           *       "stop_sequence": null,
           *       "usage": {
           *         "input_tokens": 24,
           *         "output_tokens": 41,
           *         "cache_creation_input_tokens": 0,
           *         "cache_read_input_tokens": 0
           *       }
           *     }
           */
          "application/json": components["schemas"]["Message"];
          /**
           * @example event: message_start
           *     data: {"type":"message_start","message":{"id":"msg_01XFDUDYJgAACzvnptvVoYEL","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":24,"output_tokens":1}}}
           *
           *     event: content_block_start
           *     data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}
           *
           *     event: ping
           *     data: {"type": "ping"}
           *
           *     event: content_block_delta
           *     data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"- Login issues fell"}}
           *
           *     event: content_block_stop
           *     data: {"type":"content_block_stop","index":0}
           *
           *     event: message_delta
           *     data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":41}}
           *
           *     event: message_stop
           *     data: {"type":"message_stop"}
           */
          "text/event-stream": string;
        };
      };
      /** @description A malformed request (not JSON, no `model`, no positive integer `max_tokens`, a malformed `anthropic-version`), or (`POST /v1/messages`) a spend limit reached: `error.details.error_code` is `workspace_spend_limit_reached` or `organization_spend_limit_reached` and the message says when access returns (the 1st of next month, 00:00 UTC). A 400, as Anthropic answers a user-set spend limit, so the official SDK does not retry it. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "error",
           *       "request_id": "req_0111pCKxtiQAtVwQ5nDz6AVgY",
           *       "error": {
           *         "type": "invalid_request_error",
           *         "message": "You have reached your specified workspace API usage limits. You will regain access on 2026-05-01 at 00:00 UTC.",
           *         "details": {
           *           "error_code": "workspace_spend_limit_reached"
           *         }
           *       }
           *     }
           */
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The API key is missing, unknown, revoked (archived), inactive, expired, or in an archived workspace. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "error",
           *       "request_id": "req_0111pCKxtiQAtVwQ5nDz6AVgY",
           *       "error": {
           *         "type": "authentication_error",
           *         "message": "invalid x-api-key"
           *       }
           *     }
           */
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The client's address is not in the organization's IP allow-list (`settings.allowed_ip_ranges`). The address is the TCP peer's, or `X-Forwarded-For` from a proxy named in `TRUST_PROXY`. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "error",
           *       "request_id": "req_0111pCKxtiQAtVwQ5nDz6AVgY",
           *       "error": {
           *         "type": "permission_error",
           *         "message": "requests from 192.0.2.44 are not allowed by this organization's IP allow-list"
           *       }
           *     }
           */
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is larger than `GATEWAY_BODY_LIMIT_BYTES` (32 MiB by default). */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "error",
           *       "request_id": "req_0111pCKxtiQAtVwQ5nDz6AVgY",
           *       "error": {
           *         "type": "request_too_large",
           *         "message": "Request body is too large"
           *       }
           *     }
           */
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Over the workspace's requests per minute (a token bucket: a 60 RPM limit admits a burst of 60, then one a second), or the upstream's own rate limit, passed through. */
      429: {
        headers: {
          /** @description Seconds until a request would be admitted */
          "retry-after"?: number;
          /** @description The workspace's requests per minute, when it has a limit */
          "anthropic-ratelimit-requests-limit"?: number;
          /** @description Requests left in the bucket */
          "anthropic-ratelimit-requests-remaining"?: number;
          /** @description When the bucket is full again (RFC 3339) */
          "anthropic-ratelimit-requests-reset"?: string;
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "error",
           *       "request_id": "req_0111pCKxtiQAtVwQ5nDz6AVgY",
           *       "error": {
           *         "type": "rate_limit_error",
           *         "message": "this workspace's limit of 60 requests per minute is reached"
           *       }
           *     }
           */
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The upstream could not be reached. The request is metered with this status. */
      502: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "error",
           *       "request_id": "req_0111pCKxtiQAtVwQ5nDz6AVgY",
           *       "error": {
           *         "type": "api_error",
           *         "message": "the upstream is unreachable"
           *       }
           *     }
           */
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Steward is shutting down: retry on another node. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "error",
           *       "request_id": "req_0111pCKxtiQAtVwQ5nDz6AVgY",
           *       "error": {
           *         "type": "overloaded_error",
           *         "message": "Steward is shutting down"
           *       }
           *     }
           */
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The upstream sent no headers, or no chunk of a stream, within `UPSTREAM_TIMEOUT_MS`. */
      504: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "error",
           *       "request_id": "req_0111pCKxtiQAtVwQ5nDz6AVgY",
           *       "error": {
           *         "type": "timeout_error",
           *         "message": "the upstream did not answer in time"
           *       }
           *     }
           */
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The upstream is overloaded (Anthropic's 529), passed through as it came; other upstream errors (500, …) are passed through too. */
      529: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "error",
           *       "request_id": "req_0111pCKxtiQAtVwQ5nDz6AVgY",
           *       "error": {
           *         "type": "overloaded_error",
           *         "message": "Overloaded"
           *       }
           *     }
           */
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  countMessageTokens: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        /**
         * @example {
         *       "model": "claude-sonnet-4-5",
         *       "messages": [
         *         {
         *           "role": "user",
         *           "content": "Summarize our Q1 support tickets in three bullet points."
         *         }
         *       ]
         *     }
         */
        "application/json": components["schemas"]["MessageCountTokensParamsInput"];
      };
    };
    responses: {
      /** @description The request's input tokens */
      200: {
        headers: {
          /** @description The upstream's request id (Steward's own when Steward answered) */
          "request-id"?: string;
          /** @description Steward's request id: the id of the request's usage event */
          "x-steward-request-id"?: string;
          /** @description The workspace's requests per minute, when it has a limit */
          "anthropic-ratelimit-requests-limit"?: number;
          /** @description Requests left in the bucket */
          "anthropic-ratelimit-requests-remaining"?: number;
          /** @description When the bucket is full again (RFC 3339) */
          "anthropic-ratelimit-requests-reset"?: string;
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "input_tokens": 24
           *     }
           */
          "application/json": components["schemas"]["MessageTokensCount"];
        };
      };
      /** @description A malformed request (not JSON, no `model`, no positive integer `max_tokens`, a malformed `anthropic-version`), or (`POST /v1/messages`) a spend limit reached: `error.details.error_code` is `workspace_spend_limit_reached` or `organization_spend_limit_reached` and the message says when access returns (the 1st of next month, 00:00 UTC). A 400, as Anthropic answers a user-set spend limit, so the official SDK does not retry it. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "error",
           *       "request_id": "req_0111pCKxtiQAtVwQ5nDz6AVgY",
           *       "error": {
           *         "type": "invalid_request_error",
           *         "message": "You have reached your specified workspace API usage limits. You will regain access on 2026-05-01 at 00:00 UTC.",
           *         "details": {
           *           "error_code": "workspace_spend_limit_reached"
           *         }
           *       }
           *     }
           */
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The API key is missing, unknown, revoked (archived), inactive, expired, or in an archived workspace. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "error",
           *       "request_id": "req_0111pCKxtiQAtVwQ5nDz6AVgY",
           *       "error": {
           *         "type": "authentication_error",
           *         "message": "invalid x-api-key"
           *       }
           *     }
           */
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The client's address is not in the organization's IP allow-list (`settings.allowed_ip_ranges`). The address is the TCP peer's, or `X-Forwarded-For` from a proxy named in `TRUST_PROXY`. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "error",
           *       "request_id": "req_0111pCKxtiQAtVwQ5nDz6AVgY",
           *       "error": {
           *         "type": "permission_error",
           *         "message": "requests from 192.0.2.44 are not allowed by this organization's IP allow-list"
           *       }
           *     }
           */
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is larger than `GATEWAY_BODY_LIMIT_BYTES` (32 MiB by default). */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "error",
           *       "request_id": "req_0111pCKxtiQAtVwQ5nDz6AVgY",
           *       "error": {
           *         "type": "request_too_large",
           *         "message": "Request body is too large"
           *       }
           *     }
           */
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Over the workspace's requests per minute (a token bucket: a 60 RPM limit admits a burst of 60, then one a second), or the upstream's own rate limit, passed through. */
      429: {
        headers: {
          /** @description Seconds until a request would be admitted */
          "retry-after"?: number;
          /** @description The workspace's requests per minute, when it has a limit */
          "anthropic-ratelimit-requests-limit"?: number;
          /** @description Requests left in the bucket */
          "anthropic-ratelimit-requests-remaining"?: number;
          /** @description When the bucket is full again (RFC 3339) */
          "anthropic-ratelimit-requests-reset"?: string;
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "error",
           *       "request_id": "req_0111pCKxtiQAtVwQ5nDz6AVgY",
           *       "error": {
           *         "type": "rate_limit_error",
           *         "message": "this workspace's limit of 60 requests per minute is reached"
           *       }
           *     }
           */
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The upstream could not be reached. The request is metered with this status. */
      502: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "error",
           *       "request_id": "req_0111pCKxtiQAtVwQ5nDz6AVgY",
           *       "error": {
           *         "type": "api_error",
           *         "message": "the upstream is unreachable"
           *       }
           *     }
           */
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Steward is shutting down: retry on another node. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "error",
           *       "request_id": "req_0111pCKxtiQAtVwQ5nDz6AVgY",
           *       "error": {
           *         "type": "overloaded_error",
           *         "message": "Steward is shutting down"
           *       }
           *     }
           */
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The upstream sent no headers, or no chunk of a stream, within `UPSTREAM_TIMEOUT_MS`. */
      504: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "error",
           *       "request_id": "req_0111pCKxtiQAtVwQ5nDz6AVgY",
           *       "error": {
           *         "type": "timeout_error",
           *         "message": "the upstream did not answer in time"
           *       }
           *     }
           */
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The upstream is overloaded (Anthropic's 529), passed through as it came; other upstream errors (500, …) are passed through too. */
      529: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "error",
           *       "request_id": "req_0111pCKxtiQAtVwQ5nDz6AVgY",
           *       "error": {
           *         "type": "overloaded_error",
           *         "message": "Overloaded"
           *       }
           *     }
           */
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  listModels: {
    parameters: {
      query?: {
        limit?: number;
        after_id?: string;
        before_id?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of models */
      200: {
        headers: {
          /** @description The upstream's request id (Steward's own when Steward answered) */
          "request-id"?: string;
          /** @description Steward's request id: the id of the request's usage event */
          "x-steward-request-id"?: string;
          /** @description The workspace's requests per minute, when it has a limit */
          "anthropic-ratelimit-requests-limit"?: number;
          /** @description Requests left in the bucket */
          "anthropic-ratelimit-requests-remaining"?: number;
          /** @description When the bucket is full again (RFC 3339) */
          "anthropic-ratelimit-requests-reset"?: string;
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "data": [
           *         {
           *           "id": "claude-sonnet-4-5-20250929",
           *           "type": "model",
           *           "display_name": "Claude Sonnet 4.5",
           *           "created_at": "2025-09-29T00:00:00Z"
           *         },
           *         {
           *           "id": "claude-haiku-4-5-20251001",
           *           "type": "model",
           *           "display_name": "Claude Haiku 4.5",
           *           "created_at": "2025-10-01T00:00:00Z"
           *         }
           *       ],
           *       "has_more": false,
           *       "first_id": "claude-sonnet-4-5-20250929",
           *       "last_id": "claude-haiku-4-5-20251001"
           *     }
           */
          "application/json": components["schemas"]["ModelInfoPage"];
        };
      };
      /** @description A malformed request (not JSON, no `model`, no positive integer `max_tokens`, a malformed `anthropic-version`), or (`POST /v1/messages`) a spend limit reached: `error.details.error_code` is `workspace_spend_limit_reached` or `organization_spend_limit_reached` and the message says when access returns (the 1st of next month, 00:00 UTC). A 400, as Anthropic answers a user-set spend limit, so the official SDK does not retry it. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "error",
           *       "request_id": "req_0111pCKxtiQAtVwQ5nDz6AVgY",
           *       "error": {
           *         "type": "invalid_request_error",
           *         "message": "You have reached your specified workspace API usage limits. You will regain access on 2026-05-01 at 00:00 UTC.",
           *         "details": {
           *           "error_code": "workspace_spend_limit_reached"
           *         }
           *       }
           *     }
           */
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The API key is missing, unknown, revoked (archived), inactive, expired, or in an archived workspace. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "error",
           *       "request_id": "req_0111pCKxtiQAtVwQ5nDz6AVgY",
           *       "error": {
           *         "type": "authentication_error",
           *         "message": "invalid x-api-key"
           *       }
           *     }
           */
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The client's address is not in the organization's IP allow-list (`settings.allowed_ip_ranges`). The address is the TCP peer's, or `X-Forwarded-For` from a proxy named in `TRUST_PROXY`. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "error",
           *       "request_id": "req_0111pCKxtiQAtVwQ5nDz6AVgY",
           *       "error": {
           *         "type": "permission_error",
           *         "message": "requests from 192.0.2.44 are not allowed by this organization's IP allow-list"
           *       }
           *     }
           */
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is larger than `GATEWAY_BODY_LIMIT_BYTES` (32 MiB by default). */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "error",
           *       "request_id": "req_0111pCKxtiQAtVwQ5nDz6AVgY",
           *       "error": {
           *         "type": "request_too_large",
           *         "message": "Request body is too large"
           *       }
           *     }
           */
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Over the workspace's requests per minute (a token bucket: a 60 RPM limit admits a burst of 60, then one a second), or the upstream's own rate limit, passed through. */
      429: {
        headers: {
          /** @description Seconds until a request would be admitted */
          "retry-after"?: number;
          /** @description The workspace's requests per minute, when it has a limit */
          "anthropic-ratelimit-requests-limit"?: number;
          /** @description Requests left in the bucket */
          "anthropic-ratelimit-requests-remaining"?: number;
          /** @description When the bucket is full again (RFC 3339) */
          "anthropic-ratelimit-requests-reset"?: string;
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "error",
           *       "request_id": "req_0111pCKxtiQAtVwQ5nDz6AVgY",
           *       "error": {
           *         "type": "rate_limit_error",
           *         "message": "this workspace's limit of 60 requests per minute is reached"
           *       }
           *     }
           */
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The upstream could not be reached. The request is metered with this status. */
      502: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "error",
           *       "request_id": "req_0111pCKxtiQAtVwQ5nDz6AVgY",
           *       "error": {
           *         "type": "api_error",
           *         "message": "the upstream is unreachable"
           *       }
           *     }
           */
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Steward is shutting down: retry on another node. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "error",
           *       "request_id": "req_0111pCKxtiQAtVwQ5nDz6AVgY",
           *       "error": {
           *         "type": "overloaded_error",
           *         "message": "Steward is shutting down"
           *       }
           *     }
           */
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The upstream sent no headers, or no chunk of a stream, within `UPSTREAM_TIMEOUT_MS`. */
      504: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "error",
           *       "request_id": "req_0111pCKxtiQAtVwQ5nDz6AVgY",
           *       "error": {
           *         "type": "timeout_error",
           *         "message": "the upstream did not answer in time"
           *       }
           *     }
           */
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The upstream is overloaded (Anthropic's 529), passed through as it came; other upstream errors (500, …) are passed through too. */
      529: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "error",
           *       "request_id": "req_0111pCKxtiQAtVwQ5nDz6AVgY",
           *       "error": {
           *         "type": "overloaded_error",
           *         "message": "Overloaded"
           *       }
           *     }
           */
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  getModel: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        model_id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The model */
      200: {
        headers: {
          /** @description The upstream's request id (Steward's own when Steward answered) */
          "request-id"?: string;
          /** @description Steward's request id: the id of the request's usage event */
          "x-steward-request-id"?: string;
          /** @description The workspace's requests per minute, when it has a limit */
          "anthropic-ratelimit-requests-limit"?: number;
          /** @description Requests left in the bucket */
          "anthropic-ratelimit-requests-remaining"?: number;
          /** @description When the bucket is full again (RFC 3339) */
          "anthropic-ratelimit-requests-reset"?: string;
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "id": "claude-sonnet-4-5-20250929",
           *       "type": "model",
           *       "display_name": "Claude Sonnet 4.5",
           *       "created_at": "2025-09-29T00:00:00Z"
           *     }
           */
          "application/json": components["schemas"]["ModelInfo"];
        };
      };
      /** @description A malformed request (not JSON, no `model`, no positive integer `max_tokens`, a malformed `anthropic-version`), or (`POST /v1/messages`) a spend limit reached: `error.details.error_code` is `workspace_spend_limit_reached` or `organization_spend_limit_reached` and the message says when access returns (the 1st of next month, 00:00 UTC). A 400, as Anthropic answers a user-set spend limit, so the official SDK does not retry it. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "error",
           *       "request_id": "req_0111pCKxtiQAtVwQ5nDz6AVgY",
           *       "error": {
           *         "type": "invalid_request_error",
           *         "message": "You have reached your specified workspace API usage limits. You will regain access on 2026-05-01 at 00:00 UTC.",
           *         "details": {
           *           "error_code": "workspace_spend_limit_reached"
           *         }
           *       }
           *     }
           */
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The API key is missing, unknown, revoked (archived), inactive, expired, or in an archived workspace. */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "error",
           *       "request_id": "req_0111pCKxtiQAtVwQ5nDz6AVgY",
           *       "error": {
           *         "type": "authentication_error",
           *         "message": "invalid x-api-key"
           *       }
           *     }
           */
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The client's address is not in the organization's IP allow-list (`settings.allowed_ip_ranges`). The address is the TCP peer's, or `X-Forwarded-For` from a proxy named in `TRUST_PROXY`. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "error",
           *       "request_id": "req_0111pCKxtiQAtVwQ5nDz6AVgY",
           *       "error": {
           *         "type": "permission_error",
           *         "message": "requests from 192.0.2.44 are not allowed by this organization's IP allow-list"
           *       }
           *     }
           */
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The body is larger than `GATEWAY_BODY_LIMIT_BYTES` (32 MiB by default). */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "error",
           *       "request_id": "req_0111pCKxtiQAtVwQ5nDz6AVgY",
           *       "error": {
           *         "type": "request_too_large",
           *         "message": "Request body is too large"
           *       }
           *     }
           */
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Over the workspace's requests per minute (a token bucket: a 60 RPM limit admits a burst of 60, then one a second), or the upstream's own rate limit, passed through. */
      429: {
        headers: {
          /** @description Seconds until a request would be admitted */
          "retry-after"?: number;
          /** @description The workspace's requests per minute, when it has a limit */
          "anthropic-ratelimit-requests-limit"?: number;
          /** @description Requests left in the bucket */
          "anthropic-ratelimit-requests-remaining"?: number;
          /** @description When the bucket is full again (RFC 3339) */
          "anthropic-ratelimit-requests-reset"?: string;
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "error",
           *       "request_id": "req_0111pCKxtiQAtVwQ5nDz6AVgY",
           *       "error": {
           *         "type": "rate_limit_error",
           *         "message": "this workspace's limit of 60 requests per minute is reached"
           *       }
           *     }
           */
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The upstream could not be reached. The request is metered with this status. */
      502: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "error",
           *       "request_id": "req_0111pCKxtiQAtVwQ5nDz6AVgY",
           *       "error": {
           *         "type": "api_error",
           *         "message": "the upstream is unreachable"
           *       }
           *     }
           */
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description Steward is shutting down: retry on another node. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "error",
           *       "request_id": "req_0111pCKxtiQAtVwQ5nDz6AVgY",
           *       "error": {
           *         "type": "overloaded_error",
           *         "message": "Steward is shutting down"
           *       }
           *     }
           */
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The upstream sent no headers, or no chunk of a stream, within `UPSTREAM_TIMEOUT_MS`. */
      504: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "error",
           *       "request_id": "req_0111pCKxtiQAtVwQ5nDz6AVgY",
           *       "error": {
           *         "type": "timeout_error",
           *         "message": "the upstream did not answer in time"
           *       }
           *     }
           */
          "application/json": components["schemas"]["Error"];
        };
      };
      /** @description The upstream is overloaded (Anthropic's 529), passed through as it came; other upstream errors (500, …) are passed through too. */
      529: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "type": "error",
           *       "request_id": "req_0111pCKxtiQAtVwQ5nDz6AVgY",
           *       "error": {
           *         "type": "overloaded_error",
           *         "message": "Overloaded"
           *       }
           *     }
           */
          "application/json": components["schemas"]["Error"];
        };
      };
    };
  };
  getHealth: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The process is alive */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "status": "ok"
           *     }
           */
          "application/json": {
            /** @enum {string} */
            status: "ok";
          };
        };
      };
    };
  };
  getReadiness: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Ready */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "status": "ready",
           *       "redis": "up"
           *     }
           */
          "application/json": {
            /** @enum {string} */
            status: "ready";
            /** @description The shared Redis' state, when used */
            redis?: string;
            degraded?: boolean;
          };
        };
      };
      /** @description The database is unreachable */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example {
           *       "status": "unavailable",
           *       "reason": "database unreachable"
           *     }
           */
          "application/json": {
            /** @enum {string} */
            status: "unavailable";
            reason?: string;
          };
        };
      };
    };
  };
  getMetrics: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The metrics */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          /**
           * @example # HELP steward_gateway_requests_total Gateway requests answered, by route and HTTP status
           *     # TYPE steward_gateway_requests_total counter
           *     steward_gateway_requests_total{route="messages",status="200"} 18234
           */
          "text/plain": string;
        };
      };
    };
  };
}
