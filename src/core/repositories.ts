/**
 * What services ask of storage, one interface per repository. src/db implements them with Kysely;
 * nothing here knows the engine. Within a transaction (Storage.transaction) every call sees and
 * commits with the others; writes to keys, workspaces and organizations are published to the
 * ChangeFeed once the transaction commits.
 */
import type { PageRequest, PageResult } from "./pagination.js";
import type {
  AdminKeyRow,
  AdminKeyWithHolder,
  AlertDeliveryAttemptRow,
  AlertDeliveryRow,
  AlertFiringRow,
  AlertRuleRow,
  ApiKeyRow,
  AuditEventRow,
  AuthFailureRow,
  ChangeRecord,
  ConsoleSessionRow,
  ConsoleSessionWithUser,
  IdempotencyKeyRow,
  InviteGrantKind,
  InviteGrantRow,
  InviteRow,
  NewAuditEvent,
  OrganizationRow,
  ServiceAccountMemberRow,
  ServiceAccountRow,
  SignInLinkRow,
  UserRow,
  WorkspaceMemberRow,
  WorkspaceRateLimitRow,
  WorkspaceRow,
} from "./records.js";
import type { UsageDeadLetters, UsageEvents, UsageRollups } from "./usage/usage-store.js";

export interface Repositories {
  organizations: OrganizationRepository;
  users: UserRepository;
  invites: InviteRepository;
  inviteGrants: InviteGrantRepository;
  workspaces: WorkspaceRepository;
  members: WorkspaceMemberRepository;
  apiKeys: ApiKeyRepository;
  adminKeys: AdminKeyRepository;
  audit: AuditRepository;
  usage: UsageEvents;
  usageRollups: UsageRollups;
  usageDeadLetters: UsageDeadLetters;
  alerts: AlertRepository;
  idempotencyKeys: IdempotencyKeyRepository;
  changeLog: ChangeLogRepository;
  sessions: SessionRepository;
  serviceAccounts: ServiceAccountRepository;
  rateLimits: WorkspaceRateLimitRepository;
}

export interface OrganizationRepository {
  insert(row: OrganizationRow): Promise<void>;
  find(id: string): Promise<OrganizationRow | undefined>;
  list(): Promise<OrganizationRow[]>;
  update(id: string, changes: Partial<OrganizationRow>): Promise<void>;
  /**
   * Serializes first-start bootstrap across nodes sharing one database until the transaction
   * ends, so that two nodes starting together create one organization, not two.
   */
  lockBootstrap(): Promise<void>;
  /**
   * Serializes membership changes within one organization until the transaction ends (last-owner
   * and duplicate-invite rules are read-then-write).
   */
  lock(id: string): Promise<void>;
}

export interface UserFilter {
  email?: string | undefined;
  roles?: string[] | undefined;
}

export interface UserRepository {
  insert(row: UserRow): Promise<void>;
  /** A live (not removed) member. */
  findActive(organizationId: string, id: string): Promise<UserRow | undefined>;
  findActiveByEmail(organizationId: string, email: string): Promise<UserRow | undefined>;
  /** Any user row of the organization, removed ones included: a cursor may point at one. */
  exists(organizationId: string, id: string): Promise<boolean>;
  /** Live members. */
  list(organizationId: string, filter: UserFilter, page: PageRequest): Promise<PageResult<UserRow>>;
  /** Emails by user id, removed users included (a key's creator may have left). */
  emailsByIds(ids: string[]): Promise<Map<string, string>>;
  /** The organization's users among `ids`, removed ones included (usage outlives membership). */
  findManyInOrganization(organizationId: string, ids: readonly string[]): Promise<UserRow[]>;
  countActiveWithRole(organizationId: string, role: string): Promise<number>;
  update(id: string, changes: Partial<UserRow>): Promise<void>;
}

export interface InviteFilter {
  email?: string | undefined;
  roles?: string[] | undefined;
  statuses?: Array<"pending" | "accepted" | "expired"> | undefined;
}

export interface InviteRepository {
  insert(row: InviteRow): Promise<void>;
  find(organizationId: string, id: string): Promise<InviteRow | undefined>;
  findByTokenHash(tokenHash: string): Promise<InviteRow | undefined>;
  /** Invites for this email that are neither accepted, deleted nor expired at `now`. */
  findPendingByEmail(organizationId: string, email: string, now: string): Promise<InviteRow[]>;
  /** Deleted invites are gone from lists; accepted and expired ones stay visible. */
  list(
    organizationId: string,
    filter: InviteFilter,
    now: string,
    page: PageRequest,
  ): Promise<PageResult<InviteRow>>;
  update(id: string, changes: Partial<InviteRow>): Promise<void>;
}

/** What an onboarded invitee receives on accepting: workspace memberships and API keys. */
export interface InviteGrantRepository {
  insert(row: InviteGrantRow): Promise<void>;
  /** In target id order. */
  listForInvite(inviteId: string, kind: InviteGrantKind): Promise<InviteGrantRow[]>;
}

export interface WorkspaceFilter {
  includeArchived: boolean;
  includeDefault: boolean;
  ids?: string[] | undefined;
}

export interface WorkspaceRepository {
  insert(row: WorkspaceRow): Promise<void>;
  find(organizationId: string, id: string): Promise<WorkspaceRow | undefined>;
  /** Those of the ids that name workspaces of the organization. */
  findMany(organizationId: string, ids: readonly string[]): Promise<WorkspaceRow[]>;
  /** By id across organizations (the gateway's policy cache). */
  findById(id: string): Promise<WorkspaceRow | undefined>;
  listAll(): Promise<WorkspaceRow[]>;
  findDefault(organizationId: string): Promise<WorkspaceRow | undefined>;
  list(
    organizationId: string,
    filter: WorkspaceFilter,
    page: PageRequest,
  ): Promise<PageResult<WorkspaceRow>>;
  update(id: string, changes: Partial<WorkspaceRow>): Promise<void>;
}

/** A workspace's rate limits, one row per group and limit type that has a value. */
export interface WorkspaceRateLimitRepository {
  listForWorkspace(workspaceId: string): Promise<WorkspaceRateLimitRow[]>;
  /** Every workspace's (the gateway's start and reconciliation). */
  listAll(): Promise<WorkspaceRateLimitRow[]>;
  /** Inserts or replaces the value of the row's group and limit type. */
  put(row: WorkspaceRateLimitRow): Promise<void>;
  delete(workspaceId: string, groupId: string, limitType: string): Promise<void>;
}

export interface WorkspaceMemberRepository {
  insert(row: WorkspaceMemberRow): Promise<void>;
  find(workspaceId: string, userId: string): Promise<WorkspaceMemberRow | undefined>;
  /** Paginated by user id. */
  list(workspaceId: string, page: PageRequest): Promise<PageResult<WorkspaceMemberRow>>;
  listForUser(userId: string): Promise<WorkspaceMemberRow[]>;
  updateRole(workspaceId: string, userId: string, role: string, now: string): Promise<void>;
  delete(workspaceId: string, userId: string): Promise<void>;
  deleteAllForUser(userId: string): Promise<void>;
}

export interface ApiKeyFilter {
  status?: "active" | "inactive" | "archived" | "expired" | undefined;
  workspaceId?: string | undefined;
  createdByUserId?: string | undefined;
  /** Only keys in these workspaces (none when empty). */
  workspaceIds?: readonly string[] | undefined;
  /** Only keys this member created or was issued (never a service account's). */
  heldByUserId?: string | undefined;
  /** Only keys that belong to this service account. */
  serviceAccountId?: string | undefined;
}

export interface ApiKeyRepository {
  insert(row: ApiKeyRow): Promise<void>;
  find(organizationId: string, id: string): Promise<ApiKeyRow | undefined>;
  /** Keys by id across organizations, for the gateway's index to reload what changed. */
  findManyByIds(ids: string[]): Promise<ApiKeyRow[]>;
  /** Every key that can still authenticate some day (not archived), across organizations. */
  listUnarchived(): Promise<ApiKeyRow[]>;
  findByHash(keyHash: string): Promise<ApiKeyRow | undefined>;
  /** `expired` is derived: an active or inactive key whose expiry has passed at `now`. */
  list(
    organizationId: string,
    filter: ApiKeyFilter,
    now: string,
    page: PageRequest,
  ): Promise<PageResult<ApiKeyRow>>;
  /**
   * Every key of the organization, archived ones included, with the principal it was issued to
   * (null: none): whom the usage reports attribute a key's usage to.
   */
  principals(
    organizationId: string,
  ): Promise<Array<Pick<ApiKeyRow, "id" | "owner_user_id" | "service_account_id">>>;
  /**
   * Ids of every key the user created or was issued, archived ones included. A service account's
   * key is held by the account, whoever created it: it is never among them.
   */
  idsHeldBy(organizationId: string, userId: string): Promise<string[]>;
  /** Keys the user created or was issued that are not yet archived, in id order (no service account's). */
  listRevocableForUser(organizationId: string, userId: string): Promise<ApiKeyRow[]>;
  /** In id order. */
  listUnarchivedInWorkspace(workspaceId: string): Promise<ApiKeyRow[]>;
  /** The service account's keys that are not yet archived, in id order. */
  listUnarchivedForServiceAccount(serviceAccountId: string): Promise<ApiKeyRow[]>;
  update(id: string, changes: Partial<ApiKeyRow>): Promise<void>;
  archiveMany(ids: string[], now: string): Promise<void>;
}

export interface AdminKeyFilter {
  status?: "active" | "revoked" | "expired" | "suspended" | undefined;
}

/** A page of `limit` rows after a cursor (the last row of the previous page), in a fixed order. */
export interface CursorRequest {
  limit: number;
  after?: string | undefined;
}

/** Service accounts and their explicit workspace memberships (src/core/service-accounts). */
export interface ServiceAccountRepository {
  insert(row: ServiceAccountRow): Promise<void>;
  find(organizationId: string, id: string): Promise<ServiceAccountRow | undefined>;
  findByName(organizationId: string, name: string): Promise<ServiceAccountRow | undefined>;
  /** Newest first (by id, which sorts by creation time); `after` is an id. */
  list(
    organizationId: string,
    filter: { includeArchived: boolean },
    page: CursorRequest,
  ): Promise<PageResult<ServiceAccountRow>>;
  update(id: string, changes: Partial<ServiceAccountRow>): Promise<void>;
  insertMember(row: ServiceAccountMemberRow): Promise<void>;
  findMember(
    workspaceId: string,
    serviceAccountId: string,
  ): Promise<ServiceAccountMemberRow | undefined>;
  updateMemberRole(
    workspaceId: string,
    serviceAccountId: string,
    role: string,
    now: string,
  ): Promise<void>;
  deleteMember(workspaceId: string, serviceAccountId: string): Promise<void>;
  /** The account's memberships (archived workspaces' too), by workspace id; `after` is a workspace id. */
  listMembershipsOf(
    serviceAccountId: string,
    page: CursorRequest,
  ): Promise<PageResult<ServiceAccountMemberRow>>;
  /** A workspace's memberships of service accounts that are not archived, by account id. */
  listMembersOf(
    workspaceId: string,
    page: CursorRequest,
  ): Promise<PageResult<ServiceAccountMemberRow>>;
}

export interface AdminKeyRepository {
  insert(row: AdminKeyRow): Promise<void>;
  findByHash(keyHash: string): Promise<AdminKeyRow | undefined>;
  /** The key with its holder's current role, in one read: what authentication needs. */
  findByHashWithHolder(keyHash: string): Promise<AdminKeyWithHolder | undefined>;
  find(id: string): Promise<AdminKeyRow | undefined>;
  findWithHolder(id: string): Promise<AdminKeyWithHolder | undefined>;
  /** The organization's key by id, with its holder; another organization's is not found. */
  findInOrganization(organizationId: string, id: string): Promise<AdminKeyWithHolder | undefined>;
  /** In id order; every organization's when none is given. */
  list(organizationId?: string): Promise<AdminKeyWithHolder[]>;
  /** A page of the organization's keys, with their status at `now` (src/contract/admin-keys.ts). */
  page(
    organizationId: string,
    filter: AdminKeyFilter,
    now: string,
    page: PageRequest,
  ): Promise<PageResult<AdminKeyWithHolder>>;
  /**
   * The organization's keys with an owner's powers that work at `now` (neither revoked nor
   * expired; organization-level, or held by an active owner), other than `exceptId`.
   */
  countWithOwnerPowers(organizationId: string, now: string, exceptId: string): Promise<number>;
  /** The user's admin keys that are neither revoked nor expired at `now`. */
  listLiveIdsForUser(userId: string, now: string): Promise<string[]>;
  update(id: string, changes: Partial<AdminKeyRow>): Promise<void>;
  /** Revokes the user's live admin keys; returns their ids. */
  revokeForUser(userId: string, now: string): Promise<string[]>;
  /**
   * Adds aggregated authentication failures: a row per (minute, address) is created or has the
   * counts added to it, so that two flushes (or two nodes) of one minute sum.
   */
  addAuthFailures(rows: AuthFailureRow[]): Promise<void>;
  /** Aggregated failures from `since` on (minute start), oldest first. */
  listAuthFailures(since: string): Promise<AuthFailureRow[]>;
  pruneAuthFailures(before: string): Promise<void>;
}

export interface AuditFilter {
  actorType?: string | undefined;
  actorId?: string | undefined;
  /** The member behind the actor: an admin key they hold or a console session of theirs. */
  actorUserId?: string | undefined;
  action?: string | undefined;
  targetType?: string | undefined;
  targetId?: string | undefined;
  /** occurred_at >= from */
  from?: string | undefined;
  /** occurred_at < to */
  to?: string | undefined;
}

/**
 * Audit records are only ever appended: nothing updates or deletes one. Each organization's
 * records form a hash chain (core/audit-chain.ts).
 */
export interface AuditRepository {
  insert(row: NewAuditEvent): Promise<void>;
  /** Serializes appends to one organization's chain until the transaction ends. */
  lockChain(organizationId: string): Promise<void>;
  /** The organization's latest record: where its chain continues. */
  head(organizationId: string): Promise<Pick<AuditEventRow, "chain_seq" | "hash"> | undefined>;
  exists(organizationId: string, id: string): Promise<boolean>;
  page(
    organizationId: string,
    filter: AuditFilter,
    page: PageRequest,
  ): Promise<PageResult<AuditEventRow>>;
  /** Matching records in id order (oldest first unless `desc`), `batch` at a time, for exports of any size. */
  scan(
    organizationId: string,
    filter: AuditFilter,
    options?: { order?: "asc" | "desc"; batch?: number },
  ): AsyncGenerator<AuditEventRow>;
  /** Organizations that have records ('' holds failures no organization can be told of). */
  chains(): Promise<string[]>;
  /** One organization's records in storage order (`seq`), for verifying its chain. */
  chain(organizationId: string, batch?: number): AsyncGenerator<AuditEventRow>;
  /** In insertion order. */
  list(organizationId: string): Promise<AuditEventRow[]>;
}

export interface DeliveryFilter {
  ruleId?: string | undefined;
  status?: string | undefined;
}

/** Cost alert rules, firings, the delivery outbox and its attempts. */
export interface AlertRepository {
  insertRule(row: AlertRuleRow): Promise<void>;
  updateRule(id: string, changes: Partial<AlertRuleRow>): Promise<void>;
  /** A rule that is not deleted. */
  findRule(organizationId: string, id: string): Promise<AlertRuleRow | undefined>;
  listRules(organizationId: string, page: PageRequest): Promise<PageResult<AlertRuleRow>>;
  /** The enabled rules of an organization: what a batch of its usage is checked against. */
  enabledRules(organizationId: string): Promise<AlertRuleRow[]>;
  /** Threshold keys of a rule that already fired in a period. */
  firedKeys(ruleId: string, periodStart: string): Promise<Set<string>>;
  /** Records a firing unless this rule, threshold and period already fired; true if it is new. */
  insertFiring(row: AlertFiringRow): Promise<boolean>;
  insertDeliveries(rows: readonly AlertDeliveryRow[]): Promise<void>;
  findDelivery(organizationId: string, id: string): Promise<AlertDeliveryRow | undefined>;
  /** In id order. */
  findDeliveries(organizationId: string, ids: readonly string[]): Promise<AlertDeliveryRow[]>;
  listDeliveries(
    organizationId: string,
    filter: DeliveryFilter,
    page: PageRequest,
  ): Promise<PageResult<AlertDeliveryRow>>;
  /**
   * Claims up to `limit` pending deliveries due at `now` (or only those of `ids`) by moving their
   * due time to `leaseUntil`: another dispatcher skips them until then, and if this one dies
   * mid-send they come due again. Rows another node is claiming are skipped.
   */
  claimDue(
    now: string,
    leaseUntil: string,
    limit: number,
    ids?: readonly string[],
  ): Promise<AlertDeliveryRow[]>;
  /**
   * Records the outcome of an attempt on a delivery still pending; false if it was no longer
   * pending (another dispatcher finished it), and nothing is written then.
   */
  finishAttempt(
    id: string,
    changes: Partial<AlertDeliveryRow>,
    attempt: AlertDeliveryAttemptRow,
  ): Promise<boolean>;
  /** By delivery, oldest first. */
  attemptsOf(deliveryIds: readonly string[]): Promise<AlertDeliveryAttemptRow[]>;
}

/** The stored outcome of a request, encrypted (src/core/idempotency.ts). */
export interface StoredResponse {
  response_status: number;
  response_body: string;
  completed_at: string;
}

/** Idempotency-Key records, found by the hash of (organization, key). */
/**
 * The log of committed changes to keys, workspaces and organizations, which database triggers
 * write whoever changes them; nodes follow it to keep their in-memory copies exact.
 */
export interface ChangeLogRepository {
  /** The highest seq written so far; 0 for an empty log. */
  latestSeq(): Promise<number>;
  /**
   * Changes after `afterSeq`, and those among `alsoSeqs` (seqs skipped earlier because their
   * transaction had not committed yet), in seq order, at most `limit`.
   */
  since(afterSeq: number, alsoSeqs: readonly number[], limit: number): Promise<ChangeRecord[]>;
  /** Deletes changes recorded before `before` (RFC 3339); how many. */
  prune(before: string): Promise<number>;
}

export interface IdempotencyKeyRepository {
  /** The record of a key, unless it has expired by `now`. */
  findLive(keyHash: string, now: string): Promise<IdempotencyKeyRow | undefined>;
  /**
   * Records a key, or takes over its record when that has expired by `now`. False when a live
   * record exists: another request holds the key. A concurrent uncommitted insert of the same
   * key may make this wait for that transaction, then answer false if it committed.
   */
  insertUnlessLive(row: IdempotencyKeyRow, now: string): Promise<boolean>;
  /** Stores the response of a request whose work committed with its record. */
  complete(keyHash: string, response: StoredResponse): Promise<boolean>;
  /** Deletes the records expired by `now`; how many. */
  deleteExpired(now: string): Promise<number>;
}

/** The web console's sessions and email sign-in links (src/core/sessions). */
export interface SessionRepository {
  insert(row: ConsoleSessionRow): Promise<void>;
  /** The session whose secret hashes to `secretHash`, ended or not, with its member now. */
  findBySecretHash(secretHash: string): Promise<ConsoleSessionWithUser | undefined>;
  find(id: string): Promise<ConsoleSessionRow | undefined>;
  touch(id: string, lastSeenAt: string): Promise<void>;
  /** Ends the session unless it already ended; false when it had. */
  end(id: string, endedAt: string, reason: string): Promise<boolean>;
  /** The member's sessions not yet ended, in id order. */
  listLiveForUser(userId: string): Promise<ConsoleSessionRow[]>;
  insertLink(row: SignInLinkRow): Promise<void>;
  /** Marks the link used and answers it, when it is unused and unexpired at `now`; else undefined. */
  useLink(tokenHash: string, now: string): Promise<SignInLinkRow | undefined>;
}
