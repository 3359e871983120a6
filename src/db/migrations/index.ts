import type { Kysely, Migration, MigrationProvider } from "kysely";
import type { Dialect } from "../connect.js";
import * as init from "./0001-init.js";
import * as usageEvents from "./0002-usage-events.js";
import * as usageRollups from "./0003-usage-rollups.js";
import * as auditChain from "./0004-audit-chain.js";
import * as costAlerts from "./0005-cost-alerts.js";
import * as inviteGrants from "./0006-invite-grants.js";
import * as idempotencyKeys from "./0007-idempotency-keys.js";
import * as minuteUsageFromEvents from "./0008-minute-usage-from-events.js";
import * as sqliteEventIdIndex from "./0009-sqlite-event-id-index.js";
import * as sqliteRecentEventIds from "./0010-sqlite-recent-event-ids-in-memory.js";
import * as sqliteEventIdRuns from "./0011-sqlite-event-id-runs.js";
import * as sqliteDropEmptiedIdRuns from "./0012-sqlite-drop-emptied-id-runs.js";
import * as usageDeadLetters from "./0013-usage-dead-letters.js";
import * as authFailures from "./0014-auth-failures.js";
import * as alertDeliveryErrorClasses from "./0016-alert-delivery-error-classes.js";
import * as sqlitePlainEventIdIndex from "./0017-sqlite-plain-event-id-index.js";
import * as changeLog from "./0018-change-log.js";
import * as consoleSessions from "./0019-console-sessions.js";
import * as serviceAccounts from "./0024-service-accounts.js";
import * as auditOrgIdIndex from "./0025-audit-org-id-index.js";
import * as workspaceRateLimits from "./0026-workspace-rate-limits.js";

/** Migrations are listed here, in order, so that they bundle with the code (no directory scan). */
export function migrationsFor(dialect: Dialect): MigrationProvider {
  const migrations: Record<string, Migration> = {
    "0001-init": { up: (db: Kysely<unknown>) => init.up(db, dialect) },
    "0002-usage-events": { up: (db: Kysely<unknown>) => usageEvents.up(db, dialect) },
    "0003-usage-rollups": { up: (db: Kysely<unknown>) => usageRollups.up(db, dialect) },
    "0004-audit-chain": { up: (db: Kysely<unknown>) => auditChain.up(db, dialect) },
    "0005-cost-alerts": { up: (db: Kysely<unknown>) => costAlerts.up(db, dialect) },
    "0006-invite-grants": { up: (db: Kysely<unknown>) => inviteGrants.up(db, dialect) },
    "0007-idempotency-keys": { up: (db: Kysely<unknown>) => idempotencyKeys.up(db, dialect) },
    "0008-minute-usage-from-events": { up: (db: Kysely<unknown>) => minuteUsageFromEvents.up(db) },
    "0009-sqlite-event-id-index": {
      up: (db: Kysely<unknown>) => sqliteEventIdIndex.up(db, dialect),
    },
    "0010-sqlite-recent-event-ids-in-memory": {
      up: (db: Kysely<unknown>) => sqliteRecentEventIds.up(db, dialect),
    },
    "0011-sqlite-event-id-runs": {
      up: (db: Kysely<unknown>) => sqliteEventIdRuns.up(db, dialect),
    },
    "0012-sqlite-drop-emptied-id-runs": {
      up: (db: Kysely<unknown>) => sqliteDropEmptiedIdRuns.up(db, dialect),
    },
    "0013-usage-dead-letters": {
      up: (db: Kysely<unknown>) => usageDeadLetters.up(db, dialect),
    },
    "0014-auth-failures": { up: (db: Kysely<unknown>) => authFailures.up(db, dialect) },
    "0016-alert-delivery-error-classes": {
      up: (db: Kysely<unknown>) => alertDeliveryErrorClasses.up(db, dialect),
    },
    "0017-sqlite-plain-event-id-index": {
      up: (db: Kysely<unknown>) => sqlitePlainEventIdIndex.up(db, dialect),
    },
    "0018-change-log": { up: (db: Kysely<unknown>) => changeLog.up(db, dialect) },
    "0019-console-sessions": { up: (db: Kysely<unknown>) => consoleSessions.up(db, dialect) },
    "0024-service-accounts": { up: (db: Kysely<unknown>) => serviceAccounts.up(db, dialect) },
    "0025-audit-org-id-index": { up: (db: Kysely<unknown>) => auditOrgIdIndex.up(db) },
    "0026-workspace-rate-limits": {
      up: (db: Kysely<unknown>) => workspaceRateLimits.up(db, dialect),
    },
  };
  return { getMigrations: async () => migrations };
}
