/**
 * Which API keys exist, looked up by the SHA-256 of the presented key. The gateway asks it on
 * every request, so it is in memory; the write path keeps it exact (see GatewayState). A later
 * implementation shares it across nodes through Redis.
 */
export interface KeyEntry {
  id: string;
  organizationId: string;
  workspaceId: string;
  status: "active" | "inactive";
  /** Epoch milliseconds, or null for never. */
  expiresAt: number | null;
}

export interface KeyIndex {
  get(keyHash: string): KeyEntry | undefined;
  put(keyHash: string, entry: KeyEntry): void;
  delete(keyHash: string): void;
  readonly size: number;
}

export class MemoryKeyIndex implements KeyIndex {
  readonly #entries = new Map<string, KeyEntry>();

  get(keyHash: string): KeyEntry | undefined {
    return this.#entries.get(keyHash);
  }

  put(keyHash: string, entry: KeyEntry): void {
    this.#entries.set(keyHash, entry);
  }

  delete(keyHash: string): void {
    this.#entries.delete(keyHash);
  }

  get size(): number {
    return this.#entries.size;
  }
}
