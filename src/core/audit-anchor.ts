import { createHmac, timingSafeEqual } from "node:crypto";
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";

/**
 * Signed chain heads ("anchors"). A chain checked against itself cannot show its newest records
 * deleted, a whole chain deleted, or a record rewritten with every later hash recomputed: whoever
 * can write the database can do all three and leave a chain that verifies. An anchor is an
 * HMAC-SHA256, made with a key the database does not hold (AUDIT_ANCHOR_KEY), over an
 * organization's chain length and head hash at a moment; anchors are kept outside the database
 * (AUDIT_ANCHOR_FILE, the log). The verifier then knows how long each chain was and what its
 * records hashed to when it was anchored, and an anchor cannot be made without the key.
 */
export interface AuditAnchor {
  type: "audit_anchor";
  organization_id: string;
  /** The chain's length: the `chain_seq` of its head. */
  chain_seq: number;
  /** The head record's `hash`. */
  head_hash: string;
  anchored_at: string;
  /** Names the key that signed it (not secret): anchors of another key are told apart. */
  key_id: string;
  /** HMAC-SHA256 over the fields above, hex. */
  mac: string;
}

/** The shortest AUDIT_ANCHOR_KEY accepted: the key's strength is the anchors' whole strength. */
export const AUDIT_ANCHOR_KEY_MIN_LENGTH = 32;

type Signed = Pick<AuditAnchor, "organization_id" | "chain_seq" | "head_hash" | "anchored_at">;

function macOf(key: string, anchor: Signed): string {
  // One JSON array in a fixed order, with the format's name: unambiguous, whatever the fields hold.
  const fields = [
    "steward.audit-anchor.v1",
    anchor.organization_id,
    anchor.chain_seq,
    anchor.head_hash,
    anchor.anchored_at,
  ];
  return createHmac("sha256", key).update(JSON.stringify(fields)).digest("hex");
}

export function anchorKeyId(key: string): string {
  return createHmac("sha256", key).update("steward.audit-anchor.key-id").digest("hex").slice(0, 16);
}

export function signAnchor(key: string, head: Signed): AuditAnchor {
  return {
    type: "audit_anchor",
    organization_id: head.organization_id,
    chain_seq: head.chain_seq,
    head_hash: head.head_hash,
    anchored_at: head.anchored_at,
    key_id: anchorKeyId(key),
    mac: macOf(key, head),
  };
}

/** What an anchor says about one record of a chain. */
export interface AnchoredHead {
  hash: string;
  anchoredAt: string;
}

/** A line of an anchor file that could not be trusted. */
export interface AnchorProblem {
  file: string;
  line: number;
  reason: string;
}

/**
 * The anchors read from one or more files: per organization, per chain length, the head hashes
 * anchored (more than one only when the chain was rewritten between two anchors).
 */
export class AnchorSet {
  readonly #chains = new Map<string, Map<number, AnchoredHead[]>>();
  readonly problems: AnchorProblem[] = [];
  count = 0;

  add(anchor: AuditAnchor): void {
    let chain = this.#chains.get(anchor.organization_id);
    if (chain === undefined) {
      chain = new Map();
      this.#chains.set(anchor.organization_id, chain);
    }
    const heads = chain.get(anchor.chain_seq) ?? [];
    if (!heads.some((h) => h.hash === anchor.head_hash)) {
      heads.push({ hash: anchor.head_hash, anchoredAt: anchor.anchored_at });
      chain.set(anchor.chain_seq, heads);
    }
    this.count += 1;
  }

  /** Organizations that have an anchor. */
  organizations(): string[] {
    return [...this.#chains.keys()];
  }

  /** One organization's anchors, by chain length (empty when it has none). */
  of(organizationId: string): ReadonlyMap<number, readonly AnchoredHead[]> {
    return this.#chains.get(organizationId) ?? new Map();
  }
}

const HEX64 = /^[0-9a-f]{64}$/;

/** Why `value` is not an anchor signed by `key`, or undefined when it is one. */
function anchorProblem(key: string, value: unknown): string | undefined {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return "not an anchor (a JSON object was expected)";
  }
  const a = value as Record<string, unknown>;
  if (
    a.type !== "audit_anchor" ||
    typeof a.organization_id !== "string" ||
    !Number.isSafeInteger(a.chain_seq) ||
    (a.chain_seq as number) < 1 ||
    typeof a.head_hash !== "string" ||
    !HEX64.test(a.head_hash) ||
    typeof a.anchored_at !== "string" ||
    typeof a.key_id !== "string" ||
    typeof a.mac !== "string"
  ) {
    return "not an anchor (a field is missing or malformed)";
  }
  if (a.key_id !== anchorKeyId(key)) {
    return `signed with another key (key_id ${a.key_id}, this key's is ${anchorKeyId(key)}): rotated, or forged`;
  }
  const expected = Buffer.from(macOf(key, a as unknown as Signed), "hex");
  const given = Buffer.from(a.mac, "hex");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return "its signature does not match its content: forged or altered";
  }
  return undefined;
}

/**
 * Reads anchors from `file`, one JSON object a line: the anchor file, or the server's log lines
 * that carry one (`{"audit_anchor": {…}, …}`). A line that is not a valid anchor of this key is a
 * problem; only a last line without its newline (an append cut short by a crash) is let pass.
 * Throws when the file cannot be read.
 */
export async function readAnchors(key: string, file: string, into: AnchorSet): Promise<void> {
  const stream = createReadStream(file, { encoding: "utf8" });
  const opened = new Promise<void>((resolve, reject) => {
    stream.once("open", () => resolve());
    stream.once("error", reject);
  });
  await opened;
  let endsWithNewline = true;
  stream.on("data", (chunk) => {
    if (chunk.length > 0) {
      endsWithNewline = (chunk as string).endsWith("\n");
    }
  });
  const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  // Each line is judged once the next one shows it is not the last (which may be torn): the
  // file's lines are never all held.
  let held: { line: number; text: string } | undefined;
  let number = 0;
  for await (const text of lines) {
    number += 1;
    if (text.trim() === "") {
      continue;
    }
    if (held !== undefined) {
      addLine(key, file, held.line, held.text, false, into);
    }
    held = { line: number, text };
  }
  if (held !== undefined) {
    addLine(key, file, held.line, held.text, !endsWithNewline, into);
  }
}

function addLine(
  key: string,
  file: string,
  line: number,
  text: string,
  mayBeTorn: boolean,
  into: AnchorSet,
): void {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    if (!mayBeTorn) {
      into.problems.push({ file, line, reason: "not JSON" });
    }
    return; // torn by a crash mid-append: it never was an anchor
  }
  const carried =
    value !== null && typeof value === "object" && Object.hasOwn(value, "audit_anchor")
      ? (value as { audit_anchor: unknown }).audit_anchor
      : value;
  const problem = anchorProblem(key, carried);
  if (problem === undefined) {
    into.add(carried as AuditAnchor);
  } else {
    into.problems.push({ file, line, reason: problem });
  }
}
