import { createHash } from "node:crypto";
import type { AnchoredHead } from "./audit-anchor.js";
import type { AuditEventRow } from "./records.js";

/** The `prev_hash` of an organization's first record. */
export const AUDIT_GENESIS_HASH = "0".repeat(64);

type Chained = Omit<AuditEventRow, "seq" | "hash">;

/**
 * SHA-256 over the record's every field and its predecessor's hash, as one JSON array in a fixed
 * order (unambiguous, whatever the fields contain). Changing any field, or the record's place in
 * the chain, changes the hash.
 */
export function auditHash(record: Chained): string {
  const fields = [
    record.prev_hash,
    Number(record.chain_seq),
    record.id,
    record.organization_id,
    record.occurred_at,
    record.actor_type,
    record.actor_id,
    record.action,
    record.target_type,
    record.target_id,
    record.outcome,
    record.request_id,
    record.client_ip,
    record.user_agent,
    record.changes,
  ];
  return createHash("sha256").update(JSON.stringify(fields)).digest("hex");
}

export type ChainVerdict =
  | {
      ok: true;
      records: number;
      head: string;
      /** The longest anchored length of the chain, or null when no anchor covers it. */
      anchoredSeq: number | null;
    }
  | {
      ok: false;
      records: number;
      /** The first record that does not fit, or null when the chain's start is missing. */
      id: string | null;
      chainSeq: number;
      reason: string;
    };

/**
 * Checks one organization's chain, given its records in storage order (`seq`): every record's
 * place (`chain_seq` 1, 2, 3… without gaps), link (`prev_hash` is the previous record's hash) and
 * content (its own hash). Names the first record that was altered, removed or moved.
 *
 * Given the chain's anchors (core/audit-anchor.ts), it also checks the chain against them: a
 * record whose hash is not the one anchored at its place (it, or one before it, was rewritten and
 * the hashes after it recomputed), and a chain shorter than its longest anchor (its newest
 * records, or all of them, deleted).
 */
export class AuditChainVerifier {
  #expectedSeq = 1;
  #previousHash = AUDIT_GENESIS_HASH;
  #records = 0;
  #failure: Extract<ChainVerdict, { ok: false }> | undefined;
  readonly #anchors: ReadonlyMap<number, readonly AnchoredHead[]>;
  readonly #anchoredSeq: number | null;

  constructor(anchors: ReadonlyMap<number, readonly AnchoredHead[]> = new Map()) {
    this.#anchors = anchors;
    this.#anchoredSeq = anchors.size === 0 ? null : Math.max(...anchors.keys());
  }

  /** Feeds the next record; returns false once the chain is broken (later records are not read). */
  add(record: AuditEventRow): boolean {
    if (this.#failure) {
      return false;
    }
    this.#records += 1;
    const chainSeq = Number(record.chain_seq);
    const fail = (reason: string) => {
      this.#failure = { ok: false, records: this.#records, id: record.id, chainSeq, reason };
      return false;
    };
    if (chainSeq !== this.#expectedSeq) {
      return fail(
        chainSeq > this.#expectedSeq
          ? `record ${this.#expectedSeq}${chainSeq - this.#expectedSeq > 1 ? ` to ${chainSeq - 1}` : ""} of the chain is missing before it: removed, or moved later (reordered)`
          : `it is out of place: number ${chainSeq} where ${this.#expectedSeq} was expected (reordered or duplicated)`,
      );
    }
    if (record.prev_hash !== this.#previousHash) {
      return fail(
        "its link to the previous record does not match (the previous one was removed, replaced or moved)",
      );
    }
    if (auditHash(record) !== record.hash) {
      return fail("its content does not match its hash (altered)");
    }
    const differing = this.#anchors
      .get(chainSeq)
      ?.find((anchored) => anchored.hash !== record.hash);
    if (differing !== undefined) {
      return fail(
        `its hash is not the one anchored at ${differing.anchoredAt}: it or a record before it was rewritten, and the hashes after it recomputed`,
      );
    }
    this.#expectedSeq += 1;
    this.#previousHash = record.hash;
    return true;
  }

  verdict(): ChainVerdict {
    if (this.#failure) {
      return this.#failure;
    }
    const anchoredSeq = this.#anchoredSeq;
    if (anchoredSeq !== null && this.#records < anchoredSeq) {
      const at = this.#anchors.get(anchoredSeq)?.[0]?.anchoredAt;
      return {
        ok: false,
        records: this.#records,
        id: null,
        chainSeq: this.#records + 1,
        reason:
          this.#records === 0
            ? `the whole chain is missing: its ${anchoredSeq} records anchored at ${at} were deleted`
            : `the newest records, ${this.#records + 1} to ${anchoredSeq}, are missing: deleted after they were anchored at ${at}`,
      };
    }
    return { ok: true, records: this.#records, head: this.#previousHash, anchoredSeq };
  }
}
