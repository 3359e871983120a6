// usage ports: moved by the usage helper (issue 23, point 2). Until they are, core reads the usage
// records and repositories from src/db here, the one file outside src/core/usage that the import
// rule (biome.json) lets reach into src/db. Once core/usage declares them, this file goes.

export type { UsageRepository } from "../db/repositories/usage.repository.js";
export type { UsageDeadLetterRepository } from "../db/repositories/usage-dead-letters.repository.js";
export type { UsageRollupRepository } from "../db/repositories/usage-rollups.repository.js";
export type {
  UsageDeadLetterRow,
  UsageEventRow,
  UsageRollupRow,
} from "../db/schema.js";
