/** Idempotency-Key records (see migrations/0007-idempotency-keys.ts); part of `DB` in schema.ts. */
import type { Selectable } from "kysely";

export interface IdempotencyKeysTable {
  key_hash: string; // hex SHA-256 of (organization id, key): the raw key is never stored
  organization_id: string;
  request_hash: string; // hex HMAC-SHA256 of method, path and body, under a key derived from the key
  status: string; // committed (the work committed, no response yet) | completed
  response_status: number | null;
  response_body: string | null; // AES-256-GCM under a key derived from the key: base64(iv|tag|ct)
  created_at: string;
  expires_at: string;
  completed_at: string | null;
}

export type IdempotencyKeyRow = Selectable<IdempotencyKeysTable>;
