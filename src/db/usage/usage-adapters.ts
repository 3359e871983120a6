import type { Kysely } from "kysely";
import type { UsageDeadLetters, UsageEvents, UsageRollups } from "../../core/usage/usage-store.js";
import type { DB } from "../schema.js";
import type { SqliteConnections } from "../sqlite-thread.js";
import { PostgresUsageEvents, PostgresUsageRollups } from "./postgres-usage-store.js";
import { SqliteUsageEvents, SqliteUsageRollups } from "./sqlite-usage-store.js";
import { KyselyUsageDeadLetters } from "./usage-dead-letters.js";

/** The usage ports over one connection (or transaction), for its engine. */
export interface UsageStore {
  usage: UsageEvents;
  usageRollups: UsageRollups;
  usageDeadLetters: UsageDeadLetters;
}

/** SQLite's adapters when the database is SQLite (its threads are given), else PostgreSQL's. */
export function usageStoreOver(db: Kysely<DB>, sqlite: SqliteConnections | undefined): UsageStore {
  if (sqlite !== undefined) {
    return {
      usage: new SqliteUsageEvents(db, sqlite),
      usageRollups: new SqliteUsageRollups(db, sqlite),
      usageDeadLetters: new KyselyUsageDeadLetters(db),
    };
  }
  const usageRollups = new PostgresUsageRollups(db);
  return {
    usage: new PostgresUsageEvents(db, usageRollups),
    usageRollups,
    usageDeadLetters: new KyselyUsageDeadLetters(db),
  };
}
