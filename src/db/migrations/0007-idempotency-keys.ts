import { type Kysely, sql } from "kysely";
import type { Dialect } from "../connect.js";

/**
 * Idempotency-Key records (src/core/idempotency.ts): one row per key an organization used in the
 * last 24 hours. Neither the key nor the response is stored in clear: the row is found by a
 * SHA-256 of (organization, key), and the response is encrypted under a key derived from the
 * idempotency key, so only a caller presenting it can read the response back.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const id = dialect === "postgres" ? sql`text collate "C"` : "text";
  await db.schema
    .createTable("idempotency_keys")
    // Unique: of two requests with one key (two nodes), only one can commit its work.
    .addColumn("key_hash", "text", (c) => c.primaryKey())
    .addColumn("organization_id", id, (c) => c.notNull().references("organizations.id"))
    .addColumn("request_hash", "text", (c) => c.notNull()) // HMAC of method, path and body
    .addColumn("status", "text", (c) => c.notNull()) // committed | completed
    .addColumn("response_status", "integer")
    .addColumn("response_body", "text") // AES-256-GCM: base64 of iv, tag and ciphertext
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .addColumn("completed_at", "text")
    .execute();
  // The periodic prune of expired rows.
  await db.schema
    .createIndex("idempotency_keys_expires")
    .on("idempotency_keys")
    .column("expires_at")
    .execute();
}
