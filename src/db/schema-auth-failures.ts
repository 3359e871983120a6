/** Failed admin authentication per address and minute (migrations/0014-auth-failures.ts). */
import type { Selectable } from "kysely";

export interface AuthFailuresTable {
  minute: string; // RFC 3339 start of the minute
  client_address: string; // an IPv4 address, an IPv6 /64, `unknown`, or `other` (overflow)
  failures: number;
  throttled: number; // of `failures`, those answered with a 429
  first_at: string;
  last_at: string;
  last_reason: string;
}

export type AuthFailureRow = Selectable<AuthFailuresTable>;
