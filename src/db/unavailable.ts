/**
 * Whether a storage error means "the database cannot be reached or cannot write right now" (a
 * lost or refused connection, a timeout, a full or read-only disk) rather than "this data cannot
 * be written". The first kind is retried whole and never blamed on the data; the second is
 * isolated to the rows that caused it.
 */
const UNAVAILABLE_CODES = new Set([
  // Node's socket errors (pg surfaces them as they are).
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  // PostgreSQL: operator intervention, out of resources, statement timeout or cancel.
  "57P01", // admin_shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now
  "57014", // query_canceled (statement_timeout)
  "53000", // insufficient_resources
  "53100", // disk_full
  "53200", // out_of_memory
  "53300", // too_many_connections
  "25006", // read_only_sql_transaction (a standby)
  // SQLite: the file or the disk, not the rows.
  "SQLITE_FULL",
  "SQLITE_BUSY",
  "SQLITE_LOCKED",
  "SQLITE_NOMEM",
  "SQLITE_CANTOPEN",
  "SQLITE_PROTOCOL",
]);

const UNAVAILABLE_CODE_PREFIXES = ["08", "SQLITE_IOERR", "SQLITE_READONLY", "SQLITE_BUSY"];

// pg-pool and pg raise these as plain Errors without a code.
const UNAVAILABLE_MESSAGES = [
  /^Connection terminated/,
  /timeout exceeded when trying to connect/i,
  /^Query read timeout/,
  /Client has encountered a connection error/,
  /Cannot use a pool after calling end/,
  // Kysely, once the database was closed (a process stopping).
  /driver has already been destroyed/,
  /database is unavailable/i,
  // sqlite-thread.ts: the database's thread is gone (it failed or was closed).
  /^the SQLite thread exited/,
  /^the database is closed$/,
];

export function isStorageUnavailable(error: unknown): boolean {
  if (error === null || typeof error !== "object") {
    return false;
  }
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string") {
    if (UNAVAILABLE_CODES.has(code)) {
      return true;
    }
    if (UNAVAILABLE_CODE_PREFIXES.some((prefix) => code.startsWith(prefix))) {
      return true;
    }
  }
  const message = (error as { message?: unknown }).message;
  if (typeof message === "string" && UNAVAILABLE_MESSAGES.some((re) => re.test(message))) {
    return true;
  }
  const cause = (error as { cause?: unknown }).cause;
  return cause !== undefined && cause !== error && isStorageUnavailable(cause);
}
