import { type Database, migratorFor, underMigrationLock } from "./connect.js";

export interface MigrationStatus {
  /** How many of the migrations this code knows the database has run. */
  applied: number;
  /** The ones it has not, in order. */
  pending: string[];
}

/**
 * Where the database's schema stands, read without writing anything (Kysely's bookkeeping tables
 * are not created when missing: then every migration is pending).
 */
export function migrationStatus(database: Database): Promise<MigrationStatus> {
  return underMigrationLock(database, async () => {
    const migrator = await migratorFor(database);
    const migrations = await migrator.getMigrations();
    const pending = migrations.filter((m) => m.executedAt === undefined).map((m) => m.name);
    return { applied: migrations.length - pending.length, pending };
  });
}
