import type { AuditLog, AuditLogQuery } from "../../contract/audit.js";
import type { AnchorSet } from "../audit-anchor.js";
import { AuditChainVerifier, type ChainVerdict } from "../audit-chain.js";
import type { RequestContext, ServiceDeps } from "../context.js";
import { invalidRequest } from "../errors.js";
import { checkCursor, type Page, toPage } from "../pagination.js";
import type { AuditEventRow } from "../records.js";
import type { AuditFilter } from "../repositories.js";

/**
 * Reading the audit log: pages, exports, and verifying the hash chains. There is no way to change
 * or delete a record through Steward.
 */
export class AuditLogService {
  constructor(private readonly deps: ServiceDeps) {}

  async list(ctx: RequestContext, query: AuditLogQuery): Promise<Page<AuditLog>> {
    const audit = this.deps.store.read.audit;
    await checkCursor(query, (id) => audit.exists(ctx.organizationId, id));
    const page = await audit.page(ctx.organizationId, filterOf(query), query);
    return toPage(page, presentAuditLog, (log) => log.id);
  }

  /** Every matching record in the order asked, read in batches: for NDJSON exports of any size. */
  async *export(ctx: RequestContext, query: AuditLogQuery): AsyncGenerator<AuditLog> {
    const audit = this.deps.store.read.audit;
    for await (const row of audit.scan(ctx.organizationId, filterOf(query), {
      order: query.order,
    })) {
      yield presentAuditLog(row);
    }
  }

  /**
   * Verifies the chain of one organization, or of every organization (and of the failures no
   * organization could be told of, under ''), against the anchors when given: every chain with a
   * record, an organization or an anchor. An organization without a record is a chain deleted
   * whole (its creation is recorded). A name that is none of these is left out: nothing to verify.
   */
  async verify(
    organizationId?: string,
    anchors?: AnchorSet,
  ): Promise<Array<{ organizationId: string } & ChainVerdict>> {
    const read = this.deps.store.read;
    const organizations = new Set((await read.organizations.list()).map((o) => o.id));
    const chains =
      organizationId === undefined
        ? [
            ...new Set([
              ...(await read.audit.chains()),
              ...organizations,
              ...(anchors?.organizations() ?? []),
            ]),
          ].sort()
        : [organizationId];
    const verdicts = [];
    for (const chain of chains) {
      const verifier = new AuditChainVerifier(anchors?.of(chain));
      for await (const row of read.audit.chain(chain)) {
        if (!verifier.add(row)) {
          break;
        }
      }
      const verdict = verifier.verdict();
      if (verdict.ok && verdict.records === 0) {
        if (!organizations.has(chain)) {
          continue;
        }
        verdicts.push({
          organizationId: chain,
          ok: false as const,
          records: 0,
          id: null,
          chainSeq: 1,
          reason:
            "the organization has no audit record, though its creation is always recorded: its whole chain was deleted",
        });
        continue;
      }
      verdicts.push({ organizationId: chain, ...verdict });
    }
    return verdicts;
  }
}

function filterOf(query: AuditLogQuery): AuditFilter {
  const from = query.starting_at === undefined ? undefined : new Date(query.starting_at);
  const to = query.ending_at === undefined ? undefined : new Date(query.ending_at);
  if (from && to && to <= from) {
    throw invalidRequest("querystring.ending_at: must be after starting_at");
  }
  return {
    actorType: query.actor_type,
    actorId: query.actor_id,
    actorUserId: query.actor_user_id,
    action: query.action,
    targetType: query.target_type,
    targetId: query.target_id,
    from: from?.toISOString(),
    to: to?.toISOString(),
  };
}

export function presentAuditLog(row: AuditEventRow): AuditLog {
  const changes = JSON.parse(row.changes) as { before?: unknown; after?: unknown };
  return {
    id: row.id,
    type: "audit_log",
    occurred_at: row.occurred_at,
    actor: { type: row.actor_type as AuditLog["actor"]["type"], id: row.actor_id },
    action: row.action,
    target: { type: row.target_type, id: row.target_id },
    outcome: row.outcome as AuditLog["outcome"],
    request_id: row.request_id,
    client_ip: row.client_ip,
    user_agent: row.user_agent,
    changes: { before: changes.before ?? null, after: changes.after ?? null },
    chain: { seq: Number(row.chain_seq), prev_hash: row.prev_hash, hash: row.hash },
  };
}
