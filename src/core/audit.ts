import { AUDIT_GENESIS_HASH, auditHash } from "./audit-chain.js";
import type { RequestContext, ServiceDeps } from "./context.js";
import type { AuditEventRow } from "./records.js";
import type { Repositories } from "./repositories.js";

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
  await appendAudit(repos, {
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

/**
 * Appends a record to its organization's hash chain. Appends to one chain are serialized (a
 * lock held until the transaction ends), so two transactions cannot both extend the same head.
 */
async function appendAudit(
  repos: Repositories,
  record: Omit<AuditEventRow, "seq" | "chain_seq" | "prev_hash" | "hash">,
): Promise<void> {
  await repos.audit.lockChain(record.organization_id);
  const head = await repos.audit.head(record.organization_id);
  const chained = {
    ...record,
    chain_seq: (head?.chain_seq ?? 0) + 1,
    prev_hash: head?.hash ?? AUDIT_GENESIS_HASH,
  };
  await repos.audit.insert({ ...chained, hash: auditHash(chained) });
}
