import type { Repositories } from "../db/store.js";
import type { RequestContext, ServiceDeps } from "./context.js";

export interface AuditEntry {
  action: string;
  targetType: string;
  targetId: string | null;
  before?: unknown;
  after?: unknown;
  outcome?: "success" | "failure";
}

const SECRET_FIELDS = new Set(["key", "token", "key_hash", "token_hash", "secret", "password"]);

/** Copies a value with every secret-bearing field replaced, at any depth. */
export function redact(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(redact);
  }
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, SECRET_FIELDS.has(k) ? "[REDACTED]" : redact(v)]),
    );
  }
  return value;
}

/**
 * Writes the audit record of a mutation. Call it with the transaction's repositories, so that the
 * record commits, or rolls back, with the change it describes.
 */
export async function recordAudit(
  repos: Repositories,
  deps: Pick<ServiceDeps, "clock" | "ids">,
  ctx: RequestContext,
  entry: AuditEntry,
): Promise<void> {
  await repos.audit.insert({
    id: deps.ids.next("auditEvent"),
    organization_id: ctx.organizationId,
    occurred_at: deps.clock.now().toISOString(),
    actor_type: ctx.actor.type,
    actor_id: ctx.actor.id,
    action: entry.action,
    target_type: entry.targetType,
    target_id: entry.targetId,
    outcome: entry.outcome ?? "success",
    request_id: ctx.requestId,
    client_ip: ctx.clientIp,
    user_agent: ctx.userAgent,
    changes: JSON.stringify(redact({ before: entry.before ?? null, after: entry.after ?? null })),
  });
}
