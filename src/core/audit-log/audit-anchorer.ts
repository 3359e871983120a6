import { open } from "node:fs/promises";
import { type AuditAnchor, signAnchor } from "../audit-anchor.js";
import type { Clock } from "../ports.js";
import type { Repositories } from "../repositories.js";

export interface AuditAnchorerOptions {
  /** AUDIT_ANCHOR_KEY: signs the anchors. */
  key: string;
  /** AUDIT_ANCHOR_FILE: each anchor is appended as a line, and the file synced to disk. */
  file?: string | undefined;
  /** Told each anchor once it is made (and written): the server logs it. */
  onAnchor?: (anchor: AuditAnchor) => void;
}

/**
 * Makes the anchors (core/audit-anchor.ts): on each pass, a signed head for every chain whose head
 * moved since the last one, appended to the anchor file (one write and one fsync per pass, not
 * per record) and handed to `onAnchor`. The server runs a pass at start, every
 * AUDIT_ANCHOR_INTERVAL_MS, and at shutdown; records written after the last pass are the ones
 * whose deletion no anchor shows.
 */
export class AuditAnchorer {
  /** The heads anchored by this process: a chain is anchored again only when its head moves. */
  readonly #anchored = new Map<string, string>();
  #firstPassDone = false;
  #pass: Promise<unknown> = Promise.resolve();
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly repos: Pick<Repositories, "audit" | "organizations">,
    private readonly clock: Clock,
    private readonly options: AuditAnchorerOptions,
  ) {}

  /** One pass, after any pass in progress; answers the anchors it made. */
  anchor(): Promise<AuditAnchor[]> {
    const pass = this.#pass.then(
      () => this.#anchorMovedHeads(),
      () => this.#anchorMovedHeads(),
    );
    this.#pass = pass.catch(() => {});
    return pass;
  }

  /** A pass every `intervalMs`; a pass that fails is reported and its heads retried next time. */
  start(intervalMs: number, onError: (error: unknown) => void): void {
    this.#timer = setInterval(() => {
      this.anchor().catch(onError);
    }, intervalMs);
    this.#timer.unref();
  }

  /** Stops the passes, then anchors the heads written since the last one (call before closing). */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.anchor();
  }

  /**
   * The chains to look at: every organization's and the unattributed one, by their heads (one
   * indexed lookup each). The first pass also finds any other chain (a scan of the index): not
   * every pass, as the audit log grows without end. Storage numbers are not a guide to what is
   * new: SQLite gives a deleted record's number to the next one.
   */
  async #chains(): Promise<string[]> {
    const organizations = (await this.repos.organizations.list()).map((o) => o.id);
    const others = this.#firstPassDone
      ? [...this.#anchored.keys()]
      : await this.repos.audit.chains();
    return [...new Set(["", ...organizations, ...others])];
  }

  async #anchorMovedHeads(): Promise<AuditAnchor[]> {
    const chains = await this.#chains();
    const anchoredAt = this.clock.now().toISOString();
    const anchors: AuditAnchor[] = [];
    for (const chain of chains) {
      const head = await this.repos.audit.head(chain);
      if (head === undefined || this.#anchored.get(chain) === head.hash) {
        continue;
      }
      anchors.push(
        signAnchor(this.options.key, {
          organization_id: chain,
          chain_seq: Number(head.chain_seq),
          head_hash: head.hash,
          anchored_at: anchoredAt,
        }),
      );
    }
    if (anchors.length > 0 && this.options.file !== undefined) {
      await appendDurably(
        this.options.file,
        anchors.map((anchor) => `${JSON.stringify(anchor)}\n`).join(""),
      );
    }
    for (const anchor of anchors) {
      this.#anchored.set(anchor.organization_id, anchor.head_hash);
      this.options.onAnchor?.(anchor);
    }
    this.#firstPassDone = true;
    return anchors;
  }
}

/** Appends `text` in one write and waits until it is on disk. */
async function appendDurably(file: string, text: string): Promise<void> {
  const handle = await open(file, "a", 0o600);
  try {
    await handle.appendFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
}
