import type { UsageEventRow } from "./usage/usage-store.js";
/** What varies by deployment or by test sits behind these small interfaces. */

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that tests move by hand. */
export class ManualClock implements Clock {
  #ms: number;
  constructor(start: Date | string = "2026-01-01T00:00:00.000Z") {
    this.#ms = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.#ms);
  }
  advance(ms: number): void {
    this.#ms += ms;
  }
  set(to: Date | string): void {
    this.#ms = new Date(to).getTime();
  }
}

export type IdKind = keyof typeof ID_PREFIXES;

export interface IdSource {
  next(kind: IdKind): string;
}

/** The one registry of id prefixes. Prefixes follow the real Anthropic API where it has one. */
export const ID_PREFIXES = {
  organization: "org",
  user: "user",
  invite: "invite",
  workspace: "wrkspc",
  apiKey: "apikey",
  adminKey: "adminkey",
  auditEvent: "audit",
  request: "req",
  alertRule: "alertrule",
  alertFiring: "alertfiring",
  alertDelivery: "alertdlv",
  alertAttempt: "alertattempt",
  usageDeadLetter: "usagedl",
  session: "sess",
  serviceAccount: "svac",
} as const;

/**
 * Committed changes that in-memory state elsewhere (the gateway's key index and limits) must
 * follow. The store calls it after a transaction commits and before the service answers, so a
 * revocation is in force by the time the admin sees the response.
 */
export interface ChangeFeed {
  apiKeysChanged(ids: string[]): Promise<void>;
  workspaceChanged(id: string): Promise<void>;
  organizationChanged(id: string): Promise<void>;
}

export const ignoreChanges: ChangeFeed = {
  apiKeysChanged: async () => {},
  workspaceChanged: async () => {},
  organizationChanged: async () => {},
};

/**
 * Hears about usage events once they are committed: the gateway's spend ledger follows usage
 * ingested through the API, and cost alerts are evaluated as usage arrives.
 */
export interface UsageListener {
  usageRecorded(events: readonly UsageEventRow[]): void;
}
