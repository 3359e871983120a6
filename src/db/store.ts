import type { Kysely } from "kysely";
import { AppError } from "../core/errors.js";
import { type ChangeFeed, ignoreChanges } from "../core/ports.js";
import type { Repositories } from "../core/repositories.js";
import { currentTransactionClaim, type Storage } from "../core/storage.js";
import { type Database, type Dialect, ping } from "./connect.js";
import { AlertRepository } from "./repositories/alerts.repository.js";
import { AdminKeyRepository, ApiKeyRepository } from "./repositories/api-keys.repository.js";
import { AuditRepository } from "./repositories/audit.repository.js";
import { ChangeLogRepository } from "./repositories/change-log.repository.js";
import { IdempotencyKeyRepository } from "./repositories/idempotency-keys.repository.js";
import { InviteGrantRepository } from "./repositories/invite-grants.repository.js";
import { InviteRepository } from "./repositories/invites.repository.js";
import { OrganizationRepository } from "./repositories/organizations.repository.js";
import { ServiceAccountRepository } from "./repositories/service-accounts.repository.js";
import { SessionRepository } from "./repositories/sessions.repository.js";
import { UserRepository } from "./repositories/users.repository.js";
import {
  WorkspaceMemberRepository,
  WorkspaceRateLimitRepository,
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
    changeLog: new ChangeLogRepository(db),
    sessions: new SessionRepository(db),
    serviceAccounts: new ServiceAccountRepository(db),
    rateLimits: new WorkspaceRateLimitRepository(db, changes),
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

/** Tries of a transaction whose connection turned out dead before its work began. */
const DEAD_CONNECTION_RETRIES = 3;
const LOST_CONNECTION_CODES = new Set(["ECONNRESET", "EPIPE"]);

/** The transaction failed before its work began: nothing was sent but BEGIN. */
class BeforeWork extends Error {
  constructor(override readonly cause: unknown) {
    super("the connection was lost before the transaction began");
  }
}

/** Thrown inside a rehearsal's transaction to roll it back once its work has answered. */
class Rehearsed<T> extends Error {
  constructor(readonly result: T) {
    super("rehearsal rolled back");
  }
}

/** Storage (src/core/storage.ts) over a Kysely database, SQLite or PostgreSQL. */
export class Store implements Storage {
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

  get origin(): string | undefined {
    return this.database.origin;
  }

  get watchChanges(): ((onSignal: () => void) => Promise<() => Promise<void>>) | undefined {
    return this.database.watchChanges?.bind(this.database);
  }

  ping(timeoutMs?: number): Promise<void> {
    return ping(this.database, timeoutMs);
  }

  async transaction<T>(work: (repos: Repositories) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#transactionOnce(work);
      } catch (error) {
        // A pooled connection that died while idle (the database restarted, the network blinked)
        // fails the transaction's BEGIN, before anything was sent: another connection may work.
        if (!(error instanceof BeforeWork) || attempt >= DEAD_CONNECTION_RETRIES) {
          throw error instanceof BeforeWork ? error.cause : error;
        }
      }
    }
  }

  async rehearse<T>(work: (repos: Repositories) => Promise<T>): Promise<T> {
    // Its own change set, never published: the gateway has nothing to reload.
    const changes = new ChangeSet();
    try {
      await this.database.db.transaction().execute(async (trx) => {
        const repos = repositoriesOver(trx, this.database.dialect, changes, this.database.sqlite);
        throw new Rehearsed(await work(repos));
      });
    } catch (error) {
      if (error instanceof Rehearsed) {
        return error.result as T;
      }
      if (isConcurrencyConflict(error)) {
        throw new AppError(
          "conflict_error",
          "a concurrent request changed the same resource; nothing was written, retry the request",
        );
      }
      throw error;
    }
    throw new Error("unreachable: a rehearsal always rolls back");
  }

  async #transactionOnce<T>(work: (repos: Repositories) => Promise<T>): Promise<T> {
    const changes = new ChangeSet();
    let began = false;
    const claim = currentTransactionClaim();
    let claimed = false;
    let result: T;
    try {
      result = await this.database.db.transaction().execute(async (trx) => {
        began = true;
        const repos = repositoriesOver(trx, this.database.dialect, changes, this.database.sqlite);
        claimed = claim !== undefined && (await claim.write(repos));
        return work(repos);
      });
    } catch (error) {
      if (
        !began &&
        LOST_CONNECTION_CODES.has((error as { code?: unknown } | null)?.code as string)
      ) {
        throw new BeforeWork(error);
      }
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
