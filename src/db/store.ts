import type { Kysely } from "kysely";
import { AppError } from "../core/errors.js";
import type { Database, Dialect } from "./connect.js";
import { AdminKeyRepository, ApiKeyRepository } from "./repositories/api-keys.repository.js";
import { AuditRepository } from "./repositories/audit.repository.js";
import { InviteRepository } from "./repositories/invites.repository.js";
import { OrganizationRepository } from "./repositories/organizations.repository.js";
import { UserRepository } from "./repositories/users.repository.js";
import {
  WorkspaceMemberRepository,
  WorkspaceRepository,
} from "./repositories/workspaces.repository.js";
import type { DB } from "./schema.js";

export interface Repositories {
  organizations: OrganizationRepository;
  users: UserRepository;
  invites: InviteRepository;
  workspaces: WorkspaceRepository;
  members: WorkspaceMemberRepository;
  apiKeys: ApiKeyRepository;
  adminKeys: AdminKeyRepository;
  audit: AuditRepository;
}

function repositoriesOver(db: Kysely<DB>, dialect: Dialect): Repositories {
  return {
    organizations: new OrganizationRepository(db, dialect),
    users: new UserRepository(db),
    invites: new InviteRepository(db),
    workspaces: new WorkspaceRepository(db),
    members: new WorkspaceMemberRepository(db),
    apiKeys: new ApiKeyRepository(db),
    adminKeys: new AdminKeyRepository(db),
    audit: new AuditRepository(db),
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
 * The services' view of storage: repositories for reads, and `transaction` for every mutation,
 * so a change and its audit record commit or roll back together.
 */
export class Store {
  readonly read: Repositories;

  constructor(readonly database: Database) {
    this.read = repositoriesOver(database.db, database.dialect);
  }

  async transaction<T>(work: (repos: Repositories) => Promise<T>): Promise<T> {
    try {
      return await this.database.db
        .transaction()
        .execute((trx) => work(repositoriesOver(trx, this.database.dialect)));
    } catch (error) {
      if (isConcurrencyConflict(error)) {
        throw new AppError(
          "conflict_error",
          "a concurrent request changed the same resource; nothing was written, retry the request",
        );
      }
      throw error;
    }
  }
}
