import { AsyncLocalStorage } from "node:async_hooks";
import type { Kysely } from "kysely";
import { AppError } from "../core/errors.js";
import { type ChangeFeed, ignoreChanges } from "../core/ports.js";
import type { UsageDeadLetters, UsageEvents, UsageRollups } from "../core/usage/usage-store.js";
import type { Database, Dialect } from "./connect.js";
import { AlertRepository } from "./repositories/alerts.repository.js";
import { AdminKeyRepository, ApiKeyRepository } from "./repositories/api-keys.repository.js";
import { AuditRepository } from "./repositories/audit.repository.js";
import { IdempotencyKeyRepository } from "./repositories/idempotency-keys.repository.js";
import { InviteGrantRepository } from "./repositories/invite-grants.repository.js";
import { InviteRepository } from "./repositories/invites.repository.js";
import { OrganizationRepository } from "./repositories/organizations.repository.js";
import { UserRepository } from "./repositories/users.repository.js";
import {
  WorkspaceMemberRepository,
  WorkspaceRepository,
} from "./repositories/workspaces.repository.js";
import type { DB } from "./schema.js";
import type { SqliteConnections } from "./sqlite-thread.js";
import { usageStoreOver } from "./usage/usage-adapters.js";

/** Ids of rows a transaction touched that in-memory state (the gateway) must reload. */
export class ChangeSet {
  readonly apiKeys = new Set<string>();
  readonly workspaces = new Set<string>();
  readonly organizations = new Set<string>();

  get empty(): boolean {
    return this.apiKeys.size + this.workspaces.size + this.organizations.size === 0;
  }
}

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
}

function repositoriesOver(
  db: Kysely<DB>,
  dialect: Dialect,
  changes: ChangeSet,
  sqlite?: SqliteConnections,
): Repositories {
  return {
    organizations: new OrganizationRepository(db, dialect, changes),
    users: new UserRepository(db),
    invites: new InviteRepository(db),
    inviteGrants: new InviteGrantRepository(db),
    workspaces: new WorkspaceRepository(db, changes),
    members: new WorkspaceMemberRepository(db),
    apiKeys: new ApiKeyRepository(db, changes),
    adminKeys: new AdminKeyRepository(db),
    audit: new AuditRepository(db, dialect),
    ...usageStoreOver(db, sqlite),
    alerts: new AlertRepository(db, dialect),
    idempotencyKeys: new IdempotencyKeyRepository(db),
  };
}

// Unique violations that a read-then-write lost to a concurrent request, and PostgreSQL's
// deadlock and serialization failures: the transaction rolled back whole, so a retry is safe.
const CONFLICT_CODES = new Set([
  "23505", // PostgreSQL unique_violation
  "40001", // PostgreSQL serialization_failure
  "40P01", // PostgreSQL deadlock_detected
  "SQLITE_CONSTRAINT_UNIQUE",
  "SQLITE_CONSTRAINT_PRIMARYKEY",
  "SQLITE_BUSY",
]);

function isConcurrencyConflict(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && CONFLICT_CODES.has(code);
}

/**
 * A record that must commit atomically with a request's work: an Idempotency-Key's
 * (src/core/idempotency.ts). Every transaction started in its async context calls `write` first;
 * the claim writes once (in the first transaction that commits), so the record and the mutation
 * it guards commit or roll back together.
 */
export interface TransactionClaim {
  /** Writes the record in this transaction, unless it is already written; true when it wrote. */
  write(repos: Repositories): Promise<boolean>;
  /** The transaction `write` wrote in committed. */
  committed(): void;
  /** The transaction `write` wrote in rolled back: nothing was recorded. */
  rolledBack(): void;
}

const claims = new AsyncLocalStorage<TransactionClaim>();

/** Runs `work` so that the transactions it starts write `claim` (see TransactionClaim). */
export function withTransactionClaim<T>(claim: TransactionClaim, work: () => T): T {
  return claims.run(claim, work);
}

/**
 * The services' view of storage: repositories for reads, and `transaction` for every mutation,
 * so a change and its audit record commit or roll back together.
 */
export class Store {
  readonly read: Repositories;
  #changeFeed: ChangeFeed = ignoreChanges;

  constructor(readonly database: Database) {
    // Writes outside a transaction (last_used_at refreshes) change nothing the gateway caches.
    this.read = repositoriesOver(database.db, database.dialect, new ChangeSet(), database.sqlite);
  }

  /**
   * Who hears about committed changes to keys, workspaces and organizations. Repositories record
   * what they touch, so no write path can forget to tell the gateway.
   */
  set changeFeed(feed: ChangeFeed) {
    this.#changeFeed = feed;
  }

  async transaction<T>(work: (repos: Repositories) => Promise<T>): Promise<T> {
    const changes = new ChangeSet();
    const claim = claims.getStore();
    let claimed = false;
    let result: T;
    try {
      result = await this.database.db.transaction().execute(async (trx) => {
        const repos = repositoriesOver(trx, this.database.dialect, changes, this.database.sqlite);
        claimed = claim !== undefined && (await claim.write(repos));
        return work(repos);
      });
    } catch (error) {
      if (claimed) {
        claim?.rolledBack();
      }
      if (isConcurrencyConflict(error)) {
        throw new AppError(
          "conflict_error",
          "a concurrent request changed the same resource; nothing was written, retry the request",
        );
      }
      throw error;
    }
    if (claimed) {
      claim?.committed();
    }
    // After the commit and before the caller answers: a revocation is in force when the admin
    // sees the response.
    if (!changes.empty) {
      await this.#publish(changes);
    }
    return result;
  }

  async #publish(changes: ChangeSet): Promise<void> {
    const feed = this.#changeFeed;
    for (const id of changes.organizations) {
      await feed.organizationChanged(id);
    }
    for (const id of changes.workspaces) {
      await feed.workspaceChanged(id);
    }
    if (changes.apiKeys.size > 0) {
      await feed.apiKeysChanged([...changes.apiKeys]);
    }
  }
}
