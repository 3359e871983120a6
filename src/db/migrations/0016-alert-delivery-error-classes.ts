import { type Kysely, sql } from "kysely";
import type { Dialect } from "../connect.js";

/**
 * Cost alert deliveries record a short error class (src/core/alerts/channels.ts, DeliveryError)
 * instead of a text that held the first 200 characters of the receiver's answer and the socket's
 * error (which told an open port from a closed one). The texts already stored are replaced by
 * their class, so that no answer stays readable through the API.
 */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  const classes = sql.join(CLASSES.map((c) => sql.lit(c)));
  await sql`update alert_delivery_attempts
    set error = ${classOf(
      sql.ref("error"),
      sql`exists (select 1 from alert_deliveries as d
        where d.id = alert_delivery_attempts.delivery_id and d.channel like '{"type":"email"%')`,
    )}
    where error is not null and error not in (${classes})`.execute(db);
  await sql`update alert_deliveries
    set last_error = ${classOf(sql.ref("last_error"), sql`channel like '{"type":"email"%'`)}
    where last_error is not null and last_error not in (${classes})`.execute(db);
}

const CLASSES = [
  "refused_address",
  "dns_failed",
  "connection_failed",
  "timeout",
  "tls",
  "redirect",
  "http_4xx",
  "http_5xx",
  "http_error",
  "email_not_configured",
  "email_failed",
];

/** The class of an error text written before this migration (`HTTP 503: …`, `ECONNREFUSED: …`). */
function classOf(column: ReturnType<typeof sql.ref>, isEmail: ReturnType<typeof sql>) {
  return sql`case
    when ${column} like 'HTTP 3%' then 'redirect'
    when ${column} like 'HTTP 4%' then 'http_4xx'
    when ${column} like 'HTTP 5%' then 'http_5xx'
    when ${column} like 'HTTP %' then 'http_error'
    when ${column} like 'timed out%' then 'timeout'
    when ${column} like 'email is not configured%' then 'email_not_configured'
    when ${isEmail} then 'email_failed'
    when ${column} like 'ETIMEDOUT%' or ${column} like 'UND\\_ERR\\_%TIMEOUT%' escape '\\' then 'timeout'
    when ${column} like 'ENOTFOUND%' or ${column} like 'EAI\\_%' escape '\\' then 'dns_failed'
    when ${column} like 'ERR\\_TLS%' escape '\\' or ${column} like 'ERR\\_SSL%' escape '\\'
      or ${column} like 'CERT\\_%' escape '\\' or ${column} like 'UNABLE\\_TO%' escape '\\'
      or ${column} like '%SELF\\_SIGNED%' escape '\\' or ${column} like 'EPROTO%' then 'tls'
    else 'connection_failed'
  end`;
}
