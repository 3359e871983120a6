import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from "node:crypto";
import type { ServiceDeps } from "./context.js";
import { AppError } from "./errors.js";
import type { IdempotencyKeyRow } from "./records.js";
import type { Repositories } from "./repositories.js";
import type { TransactionClaim } from "./storage.js";

/** How long a key is remembered: a repeat within this time gets the first response. */
export const IDEMPOTENCY_KEY_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * A record whose work committed this recently but whose response is not stored yet is taken to be
 * still answering (on this node or another); older, its response was lost (the process stopped).
 */
export const IDEMPOTENCY_IN_PROGRESS_MS = 60 * 1000;

/** Expired records are deleted at most this often, by the next request with a key. */
export const IDEMPOTENCY_PRUNE_INTERVAL_MS = 10 * 60 * 1000;

/** 1 to 255 printable ASCII characters (space to tilde). */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x20-\x7e]{1,255}$/;

export const IDEMPOTENCY_KEY_MESSAGE =
  "Idempotency-Key must be 1 to 255 printable ASCII characters";

/**
 * Responses worth replaying: successes, and refusals that reflect a decision about the request
 * (validation, not found, business rules). Not 409 (a concurrent change or a key in use: retry),
 * 408 or 429 (retry later), nor any 5xx: those are not stored, so the request can be retried.
 */
export function isFinalStatus(status: number): boolean {
  if (status >= 200 && status < 300) {
    return true;
  }
  return status >= 400 && status < 500 && status !== 408 && status !== 409 && status !== 429;
}

/** A request that carries an Idempotency-Key. */
export interface IdempotentRequest {
  organizationId: string;
  key: string;
  /** What makes two requests the same one (method, route, path parameters, query, body). */
  fingerprint: unknown;
}

/** What to do with a request that carries a key. */
export type IdempotencyDecision =
  /** First use (or the first one expired): run it; `attempt` records it with its work. */
  | { kind: "execute"; attempt: IdempotencyAttempt }
  /** The key's first request completed: answer its response again. */
  | { kind: "replay"; status: number; body: string }
  /** The key was used for another request: 422. */
  | { kind: "mismatch" };

/** Thrown inside a transaction whose key another request recorded first; it rolls back whole. */
export class IdempotencyKeyTaken extends Error {
  constructor() {
    super("the Idempotency-Key was recorded by a concurrent request");
    this.name = "IdempotencyKeyTaken";
  }
}

export const keyInUse = () =>
  new AppError(
    "conflict_error",
    "a request with this Idempotency-Key is still in progress; retry later",
    { errorCode: "idempotency_key_in_use" },
  );

export const responseUnavailable = () =>
  new AppError(
    "conflict_error",
    "the request with this Idempotency-Key completed (its changes were committed) but its response was not kept, so it cannot be replayed; it will not run again: look up the result instead of retrying",
    { errorCode: "idempotent_response_unavailable" },
  );

interface DerivedKeys {
  /** Where the record is found: SHA-256 of (organization, key). */
  keyHash: string;
  /** AES-256-GCM key for the stored response. */
  responseKey: Buffer;
  /** HMAC key for the request's fingerprint. */
  requestKey: Buffer;
}

function derive(organizationId: string, key: string): DerivedKeys {
  const ikm = Buffer.from(key, "utf8");
  const salt = Buffer.from(organizationId, "utf8");
  const expand = (info: string) => Buffer.from(hkdfSync("sha256", ikm, salt, info, 32));
  return {
    keyHash: createHash("sha256")
      .update(organizationId, "utf8")
      .update("\0")
      .update(key, "utf8")
      .digest("hex"),
    responseKey: expand("steward idempotency response v1"),
    requestKey: expand("steward idempotency request v1"),
  };
}

/**
 * JSON with object keys sorted at every depth, so that key order does not make two requests differ.
 * Written with a stack of its own, not by recursion: a body may nest as deep as its size allows
 * (a route whose schema leaves a field open lets any depth through), past the call stack's limit.
 */
export function canonicalJson(value: unknown): string {
  const out: string[] = [];
  // What is left to write, last first: a string is text written as is, a box a value to encode.
  const todo: Array<string | { value: unknown }> = [{ value }];
  while (todo.length > 0) {
    const next = todo.pop() as string | { value: unknown };
    if (typeof next === "string") {
      out.push(next);
      continue;
    }
    const current = next.value;
    if (Array.isArray(current)) {
      todo.push("]");
      for (let i = current.length - 1; i >= 0; i--) {
        const item = current[i];
        // A hole (JSON.parse makes none) writes nothing between its commas, as `map` and `join` did.
        if (i in current) {
          todo.push(item === undefined ? "null" : { value: item });
        }
        if (i > 0) {
          todo.push(",");
        }
      }
      todo.push("[");
    } else if (current !== null && typeof current === "object") {
      const entries = Object.entries(current)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      todo.push("}");
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, v] = entries[i] as [string, unknown];
        todo.push({ value: v }, `${JSON.stringify(k)}:`);
        if (i > 0) {
          todo.push(",");
        }
      }
      todo.push("{");
    } else {
      out.push(JSON.stringify(current) ?? "null");
    }
  }
  return out.join("");
}

function encrypt(key: Buffer, aad: string, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(aad, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString("base64");
}

function decrypt(key: Buffer, aad: string, stored: string): string {
  const data = Buffer.from(stored, "base64");
  const decipher = createDecipheriv("aes-256-gcm", key, data.subarray(0, 12));
  decipher.setAAD(Buffer.from(aad, "utf8"));
  decipher.setAuthTag(data.subarray(12, 28));
  return Buffer.concat([decipher.update(data.subarray(28)), decipher.final()]).toString("utf8");
}

/** Binds a stored response to its record and status: a row's body cannot be moved to another. */
const responseAad = (keyHash: string, status: number) => `${keyHash}:${status}`;

/**
 * One execution of a request with a key. As the request's TransactionClaim, it writes the key's
 * record in the first transaction of its work, so that the record commits with the work or not
 * at all; `IdempotencyService.finish` then stores the response.
 */
export class IdempotencyAttempt implements TransactionClaim {
  #state: "pending" | "writing" | "committed" = "pending";
  #closed = false;

  constructor(
    readonly organizationId: string,
    readonly keys: DerivedKeys,
    readonly requestHash: string,
    private readonly deps: Pick<ServiceDeps, "clock">,
  ) {}

  /** The record committed with the request's work. */
  get recorded(): boolean {
    return this.#state === "committed";
  }

  record(status: "committed" | "completed", now: Date): IdempotencyKeyRow {
    return {
      key_hash: this.keys.keyHash,
      organization_id: this.organizationId,
      request_hash: this.requestHash,
      status,
      response_status: null,
      response_body: null,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + IDEMPOTENCY_KEY_TTL_MS).toISOString(),
      completed_at: null,
    };
  }

  async write(repos: Repositories): Promise<boolean> {
    if (this.#state !== "pending" || this.#closed) {
      return false;
    }
    this.#state = "writing";
    const now = this.deps.clock.now();
    let recorded: boolean;
    try {
      recorded = await repos.idempotencyKeys.insertUnlessLive(
        this.record("committed", now),
        now.toISOString(),
      );
    } catch (error) {
      this.#state = "pending";
      throw error;
    }
    if (!recorded) {
      this.#state = "pending";
      throw new IdempotencyKeyTaken();
    }
    return true;
  }

  committed(): void {
    this.#state = "committed";
  }

  rolledBack(): void {
    this.#state = "pending";
  }

  /** The request has answered: transactions started later (background work) record nothing. */
  close(): void {
    this.#closed = true;
  }
}

/**
 * Idempotency-Key records: a request repeated with the same key gets the first one's response,
 * and is never run twice. Keys are scoped to the organization, remembered 24 hours, and stored
 * only as a hash; responses are stored encrypted under a key derived from the idempotency key.
 */
export class IdempotencyService {
  /** Keys whose request runs on this node: a repeat meanwhile is refused at once. */
  readonly #running = new Set<string>();
  #nextPruneAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly deps: ServiceDeps) {}

  /**
   * Looks the key up. Throws 409 while a request with the key is in progress, or when its work
   * committed but its response was lost. An `execute` decision holds the key on this node until
   * `finish`.
   */
  async begin(request: IdempotentRequest): Promise<IdempotencyDecision> {
    const keys = derive(request.organizationId, request.key);
    const requestHash = createHmac("sha256", keys.requestKey)
      .update(canonicalJson(request.fingerprint))
      .digest("hex");
    if (this.#running.has(keys.keyHash)) {
      throw keyInUse();
    }
    this.#running.add(keys.keyHash);
    try {
      const now = this.deps.clock.now();
      await this.#pruneIfDue(now);
      const row = await this.deps.store.read.idempotencyKeys.findLive(
        keys.keyHash,
        now.toISOString(),
      );
      if (row) {
        this.#running.delete(keys.keyHash);
        return this.#decide(row, keys, requestHash, now);
      }
    } catch (error) {
      this.#running.delete(keys.keyHash);
      throw error;
    }
    return {
      kind: "execute",
      attempt: new IdempotencyAttempt(request.organizationId, keys, requestHash, this.deps),
    };
  }

  /**
   * A concurrent request recorded the key first (IdempotencyKeyTaken): what this one answers.
   * Nothing of this one was written.
   */
  async afterTaken(
    attempt: IdempotencyAttempt,
  ): Promise<Exclude<IdempotencyDecision, { kind: "execute" }>> {
    this.#release(attempt);
    const now = this.deps.clock.now();
    const row = await this.deps.store.read.idempotencyKeys.findLive(
      attempt.keys.keyHash,
      now.toISOString(),
    );
    if (!row) {
      // The other request's record is gone again (expired at this instant): retry.
      throw keyInUse();
    }
    return this.#decide(row, attempt.keys, attempt.requestHash, now);
  }

  /**
   * The request answered `status` with `body`: stores it when final (isFinalStatus), and lets the
   * key go. A response not stored after the work committed leaves the record without one: a
   * repeat is then refused (409), never run again.
   */
  async finish(attempt: IdempotencyAttempt, status: number, body: string): Promise<void> {
    attempt.close();
    try {
      if (!isFinalStatus(status)) {
        return;
      }
      const now = this.deps.clock.now();
      const response = {
        response_status: status,
        response_body: encrypt(
          attempt.keys.responseKey,
          responseAad(attempt.keys.keyHash, status),
          body,
        ),
        completed_at: now.toISOString(),
      };
      const records = this.deps.store.read.idempotencyKeys;
      if (attempt.recorded) {
        await records.complete(attempt.keys.keyHash, response);
      } else {
        // Nothing was committed (a refusal, or a request that changed nothing): one statement
        // records the key with its response, unless a concurrent request recorded it first.
        await records.insertUnlessLive(
          { ...attempt.record("completed", now), ...response },
          now.toISOString(),
        );
      }
    } finally {
      this.#release(attempt);
    }
  }

  /** Lets the key go without storing anything (the response could not be captured). */
  abandon(attempt: IdempotencyAttempt): void {
    attempt.close();
    this.#release(attempt);
  }

  async #pruneIfDue(now: Date): Promise<void> {
    if (now.getTime() < this.#nextPruneAt) {
      return;
    }
    this.#nextPruneAt = now.getTime() + IDEMPOTENCY_PRUNE_INTERVAL_MS;
    await this.deps.store.read.idempotencyKeys.deleteExpired(now.toISOString());
  }

  #release(attempt: IdempotencyAttempt): void {
    this.#running.delete(attempt.keys.keyHash);
  }

  #decide(
    row: IdempotencyKeyRow,
    keys: DerivedKeys,
    requestHash: string,
    now: Date,
  ): Exclude<IdempotencyDecision, { kind: "execute" }> {
    const stored = Buffer.from(row.request_hash);
    const presented = Buffer.from(requestHash);
    if (stored.length !== presented.length || !timingSafeEqual(stored, presented)) {
      return { kind: "mismatch" };
    }
    if (row.status === "completed" && row.response_status !== null && row.response_body !== null) {
      try {
        const body = decrypt(
          keys.responseKey,
          responseAad(keys.keyHash, row.response_status),
          row.response_body,
        );
        return { kind: "replay", status: row.response_status, body };
      } catch {
        // Altered in storage: it cannot be trusted, and the request must not run again.
        throw responseUnavailable();
      }
    }
    if (now.getTime() - Date.parse(row.created_at) < IDEMPOTENCY_IN_PROGRESS_MS) {
      throw keyInUse();
    }
    throw responseUnavailable();
  }
}
