import ipaddr from "ipaddr.js";
import type { ChangeFeed } from "../core/ports.js";
import type {
  ApiKeyRow,
  OrganizationRow,
  WorkspaceRateLimitRow,
  WorkspaceRow,
} from "../core/records.js";
import type { Storage } from "../core/storage.js";
import type { KeyIndex } from "./key-index.js";

export type Cidr = [ipaddr.IPv4 | ipaddr.IPv6, number];

export interface OrganizationPolicy {
  id: string;
  /** Empty: every address is allowed. */
  allowedRanges: Cidr[];
  usageLimitNanos: number | null;
}

/** A workspace's limits in one rate-limit group (src/core/rate-limits/groups.ts); null: none. */
export interface GroupLimits {
  requestsPerMinute: number | null;
  inputTokensPerMinute: number | null;
  outputTokensPerMinute: number | null;
}

export interface WorkspacePolicy {
  id: string;
  organizationId: string;
  archived: boolean;
  /** By group id; a group that is absent has no limit. */
  rateLimits: Map<string, GroupLimits>;
  monthlyLimitNanos: number | null;
}

const microsToNanos = (micros: number | null) => (micros === null ? null : micros * 1000);

function organizationPolicy(row: OrganizationRow): OrganizationPolicy {
  const ranges = JSON.parse(row.allowed_ip_ranges) as string[];
  return {
    id: row.id,
    allowedRanges: ranges.map((range) => ipaddr.parseCIDR(range)),
    usageLimitNanos: microsToNanos(row.usage_limit_micros),
  };
}

const LIMIT_FIELDS: Record<string, keyof GroupLimits> = {
  requests_per_minute: "requestsPerMinute",
  input_tokens_per_minute: "inputTokensPerMinute",
  output_tokens_per_minute: "outputTokensPerMinute",
};

function workspacePolicy(
  row: WorkspaceRow,
  limits: readonly WorkspaceRateLimitRow[],
): WorkspacePolicy {
  const rateLimits = new Map<string, GroupLimits>();
  for (const limit of limits) {
    const field = LIMIT_FIELDS[limit.limit_type];
    if (field === undefined) {
      continue;
    }
    let group = rateLimits.get(limit.group_id);
    if (group === undefined) {
      group = { requestsPerMinute: null, inputTokensPerMinute: null, outputTokensPerMinute: null };
      rateLimits.set(limit.group_id, group);
    }
    group[field] = limit.value;
  }
  return {
    id: row.id,
    organizationId: row.organization_id,
    archived: row.archived_at !== null,
    rateLimits,
    monthlyLimitNanos: microsToNanos(row.monthly_spend_limit_micros),
  };
}

const RELOAD_RETRY_FIRST_MS = 500;
const RELOAD_RETRY_MAX_MS = 30_000;

/**
 * What the gateway needs to admit a request, held in memory so the hot path never waits on the
 * database: the key index, and each organization's and workspace's limits. It is the store's
 * change feed: every committed write to a key, workspace or organization reloads those rows
 * before the admin's request returns, so revocations and new limits apply to the next request.
 *
 * While the database is unreachable the gateway goes on serving from memory. A reload that fails
 * (the database went away between a commit and its reload) never fails the admin's request, which
 * committed: the rows are reloaded in the background until it succeeds, and meanwhile a changed
 * key is refused (it may have been revoked), while a changed workspace or organization keeps
 * its previous limits.
 */
export class GatewayState implements ChangeFeed {
  readonly #organizations = new Map<string, OrganizationPolicy>();
  readonly #workspaces = new Map<string, WorkspacePolicy>();
  /** Each indexed key's hash, to refuse a key by id when its change could not be read back. */
  readonly #keyHashes = new Map<string, string>();
  readonly #unloaded = {
    apiKeys: new Set<string>(),
    workspaces: new Set<string>(),
    organizations: new Set<string>(),
  };
  #retryTimer: NodeJS.Timeout | undefined;
  #retryDelayMs = RELOAD_RETRY_FIRST_MS;

  constructor(
    private readonly store: Storage,
    readonly keys: KeyIndex,
    private readonly onReloadError: (error: unknown) => void = () => {},
  ) {}

  /** Stops retrying failed reloads. */
  close(): void {
    clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
  }

  /**
   * Loads every organization, workspace and unarchived key, replacing what was held: the start,
   * and the periodic reconciliation (src/gateway/change-follower.ts), which also drops what was
   * deleted behind the log's back. Everything is read first and swapped in without a pause, so a
   * request never sees half of it.
   */
  async load(): Promise<void> {
    const repos = this.store.read;
    const organizations = await repos.organizations.list();
    const workspaces = await repos.workspaces.listAll();
    const limits = new Map<string, WorkspaceRateLimitRow[]>();
    for (const row of await repos.rateLimits.listAll()) {
      const rows = limits.get(row.workspace_id);
      if (rows === undefined) {
        limits.set(row.workspace_id, [row]);
      } else {
        rows.push(row);
      }
    }
    const keys = await repos.apiKeys.listUnarchived();
    this.#organizations.clear();
    for (const row of organizations) {
      this.#organizations.set(row.id, organizationPolicy(row));
    }
    this.#workspaces.clear();
    for (const row of workspaces) {
      this.#workspaces.set(row.id, workspacePolicy(row, limits.get(row.id) ?? []));
    }
    const present = new Set(keys.map((row) => row.id));
    for (const [id, hash] of this.#keyHashes) {
      if (!present.has(id)) {
        this.keys.delete(hash);
        this.#keyHashes.delete(id);
      }
    }
    for (const row of keys) {
      this.#indexKey(row);
    }
    this.#unloaded.apiKeys.clear();
    this.#unloaded.workspaces.clear();
    this.#unloaded.organizations.clear();
  }

  organization(id: string): OrganizationPolicy | undefined {
    return this.#organizations.get(id);
  }

  workspace(id: string): WorkspacePolicy | undefined {
    return this.#workspaces.get(id);
  }

  async apiKeysChanged(ids: string[]): Promise<void> {
    try {
      const rows = await this.store.read.apiKeys.findManyByIds(ids);
      for (const row of rows) {
        this.#indexKey(row);
      }
      if (rows.length < ids.length) {
        // Deleted rows (SQL typed by an operator): such a key authenticates nothing.
        const found = new Set(rows.map((row) => row.id));
        for (const id of ids) {
          if (!found.has(id)) {
            this.#unindexKey(id);
          }
        }
      }
    } catch (error) {
      for (const id of ids) {
        this.#unloaded.apiKeys.add(id);
        const hash = this.#keyHashes.get(id);
        if (hash !== undefined) {
          this.keys.delete(hash);
        }
      }
      this.#reloadLater(error);
    }
  }

  async workspaceChanged(id: string): Promise<void> {
    try {
      const row = await this.store.read.workspaces.findById(id);
      if (row) {
        const limits = await this.store.read.rateLimits.listForWorkspace(id);
        this.#workspaces.set(id, workspacePolicy(row, limits));
      } else {
        this.#workspaces.delete(id);
      }
    } catch (error) {
      this.#unloaded.workspaces.add(id);
      this.#reloadLater(error);
    }
  }

  async organizationChanged(id: string): Promise<void> {
    try {
      const row = await this.store.read.organizations.find(id);
      if (row) {
        this.#organizations.set(id, organizationPolicy(row));
      } else {
        this.#organizations.delete(id);
      }
    } catch (error) {
      this.#unloaded.organizations.add(id);
      this.#reloadLater(error);
    }
  }

  #reloadLater(error: unknown): void {
    this.onReloadError(error);
    if (this.#retryTimer !== undefined) {
      return;
    }
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      void this.#reloadUnloaded();
    }, this.#retryDelayMs);
    this.#retryTimer.unref();
    this.#retryDelayMs = Math.min(RELOAD_RETRY_MAX_MS, this.#retryDelayMs * 2);
  }

  /** Reloads what failed to; each failure puts its ids back and schedules the next try. */
  async #reloadUnloaded(): Promise<void> {
    const { apiKeys, workspaces, organizations } = this.#unloaded;
    const keyIds = [...apiKeys];
    apiKeys.clear();
    if (keyIds.length > 0) {
      await this.apiKeysChanged(keyIds);
    }
    for (const id of [...workspaces]) {
      workspaces.delete(id);
      await this.workspaceChanged(id);
    }
    for (const id of [...organizations]) {
      organizations.delete(id);
      await this.organizationChanged(id);
    }
    if (apiKeys.size + workspaces.size + organizations.size === 0) {
      this.#retryDelayMs = RELOAD_RETRY_FIRST_MS;
    }
  }

  #unindexKey(id: string): void {
    const hash = this.#keyHashes.get(id);
    if (hash !== undefined) {
      this.keys.delete(hash);
      this.#keyHashes.delete(id);
    }
  }

  #indexKey(row: ApiKeyRow): void {
    if (row.status === "archived") {
      this.#unindexKey(row.id);
      this.keys.delete(row.key_hash);
      return;
    }
    const previous = this.#keyHashes.get(row.id);
    if (previous !== undefined && previous !== row.key_hash) {
      this.keys.delete(previous);
    }
    this.#keyHashes.set(row.id, row.key_hash);
    this.keys.put(row.key_hash, {
      id: row.id,
      organizationId: row.organization_id,
      workspaceId: row.workspace_id,
      status: row.status === "inactive" ? "inactive" : "active",
      expiresAt: row.expires_at === null ? null : Date.parse(row.expires_at),
    });
  }
}

// Clients come back from the same few addresses: each allow-list remembers its answers (a
// reloaded organization has a new list, so its answers start over).
const ANSWERS_LIMIT = 10_000;
const answersByRanges = new WeakMap<Cidr[], Map<string, boolean>>();

/** True when `address` falls in one of `ranges` (IPv4-mapped IPv6 addresses count as IPv4). */
export function addressAllowed(address: string, ranges: Cidr[]): boolean {
  if (ranges.length === 0) {
    return true;
  }
  let answers = answersByRanges.get(ranges);
  if (answers === undefined) {
    answers = new Map();
    answersByRanges.set(ranges, answers);
  }
  let allowed = answers.get(address);
  if (allowed === undefined) {
    allowed = matches(address, ranges);
    if (answers.size >= ANSWERS_LIMIT) {
      answers.clear();
    }
    answers.set(address, allowed);
  }
  return allowed;
}

function matches(address: string, ranges: Cidr[]): boolean {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.process(address);
  } catch {
    return false;
  }
  return ranges.some(
    ([network, bits]) => parsed.kind() === network.kind() && parsed.match(network, bits),
  );
}
