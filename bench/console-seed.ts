/**
 * A large organization for the console benchmark (bench/console-pages.ts): workspaces, members,
 * pending invites, API keys, alert rules and their deliveries, audit records, and usage events
 * spread over the last days with their rollups. Everything goes through Steward's own services
 * and storage adapters, over a database given migrated: the organization and its members through
 * the services (each its own transaction with its audit record), the audit records through the
 * audit chain's append, and the events as the metering path writes them (`usageEventRow`, priced
 * by the price table, rolled up by `prepareUsageEvents` and stored by `storeUsageEvents`), one
 * transaction per batch. Nothing goes through HTTP or the gateway.
 *
 * The clock the services see starts `days` + 1 before `now` and moves forward as the seeding
 * goes, so records are dated over the whole range (ids stay time-sorted); pending invites and the
 * alert deliveries come last, close to `now`.
 */
import { recordAudit } from "../src/core/audit.js";
import type { RequestContext } from "../src/core/context.js";
import { TimeSortableIds } from "../src/core/ids.js";
import type { Clock } from "../src/core/ports.js";
import { createServices } from "../src/core/services.js";
import { PriceTable, type TokenUsage } from "../src/core/usage/prices.js";
import {
  prepareUsageEvents,
  storeUsageEvents,
  usageEventRow,
} from "../src/core/usage/usage-events.js";
import type { UsageEventRow } from "../src/core/usage/usage-store.js";
import type { Database } from "../src/db/connect.js";
import { Store } from "../src/db/store.js";

export interface SeedParams {
  events: number;
  days: number;
  workspaces: number;
  keys: number;
  users: number;
  models: number;
  auditRecords: number;
  alertRules: number;
  pendingInvites: number;
  /** The random generator's seed: the same parameters give the same rows. */
  seed: number;
  /** Events per transaction. */
  batch: number;
}

export const DEFAULT_SEED_PARAMS: SeedParams = {
  events: 10_000_000,
  days: 90,
  workspaces: 50,
  keys: 2000,
  users: 500,
  models: 10,
  auditRecords: 100_000,
  alertRules: 20,
  pendingInvites: 40,
  seed: 1,
  batch: 10_000,
};

export interface SeededOrganization {
  organizationId: string;
  ownerId: string;
  /** The owner's admin key (secret). */
  adminKey: string;
  workspaceIds: string[];
  apiKeyIds: string[];
  userIds: string[];
  /** Where the events start and end (RFC 3339; end exclusive). */
  eventsFrom: string;
  eventsTo: string;
  /** Sums of what was written, to check the reports against. */
  totals: { events: number; inputTokens: number; outputTokens: number; costNanos: number };
}

export type SeedProgress = (stage: string, done: number, total: number) => void;

/** Ten models of config/prices.json, with their share of requests (the first `models` are used). */
const MODELS: ReadonlyArray<readonly [string, number]> = [
  ["claude-sonnet-4-5", 0.3],
  ["claude-haiku-4-5", 0.2],
  ["claude-opus-4-5", 0.1],
  ["claude-sonnet-4", 0.08],
  ["claude-opus-4-1", 0.05],
  ["claude-3-5-haiku", 0.07],
  ["claude-sonnet-4-6", 0.08],
  ["claude-opus-4-6", 0.04],
  ["claude-3-haiku", 0.05],
  ["claude-opus-4", 0.03],
];

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** A small, fast, seeded generator (mulberry32): the same rows every time for the same seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function cumulativeOf(weights: readonly number[]): Float64Array {
  const total = weights.reduce((a, b) => a + b, 0);
  const out = new Float64Array(weights.length);
  let sum = 0;
  for (const [i, w] of weights.entries()) {
    sum += w;
    out[i] = sum / total;
  }
  out[weights.length - 1] = 1;
  return out;
}

/** Index into a cumulative weight table (last entry 1) for a uniform draw. */
function pick(cumulative: Float64Array, u: number): number {
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((cumulative[mid] as number) > u) {
      hi = mid;
    } else {
      lo = mid + 1;
    }
  }
  return lo;
}

/** A clock the seeding moves forward (never back: ids are time-sorted). */
class SeedClock implements Clock {
  #now: number;
  constructor(start: number) {
    this.#now = start;
  }
  now(): Date {
    return new Date(this.#now);
  }
  advanceTo(at: number): void {
    this.#now = Math.max(this.#now, Math.floor(at));
  }
}

/**
 * Usage events in time order over `[start, start + days)`: busier on weekdays and in working
 * hours (UTC), spread over workspaces and keys unevenly (a few big spenders, a long tail), token
 * counts drawn from log-normal laws, some cache reads and writes, a few web searches, some of the
 * Batch API's tier, the odd long-context request, 1% without a key.
 */
export class EventGenerator {
  readonly #random: () => number;
  readonly #hourCumulative: Float64Array;
  readonly #keyCumulative: Float64Array;
  readonly #modelCumulative: Float64Array;
  readonly #models: string[];
  readonly #prices = PriceTable.load();
  #hour = 0;
  #index = 0;

  constructor(
    private readonly organizationId: string,
    private readonly keys: ReadonlyArray<{ id: string; workspaceId: string }>,
    private readonly start: number,
    private readonly params: Pick<SeedParams, "events" | "days" | "models" | "seed">,
  ) {
    this.#random = rng(params.seed * 7919 + 17);
    const hourWeights: number[] = [];
    for (let h = 0; h < params.days * 24; h++) {
      const at = new Date(start + h * HOUR_MS);
      const weekend = at.getUTCDay() === 0 || at.getUTCDay() === 6;
      // Mostly 07:00-21:00 UTC (Europe's and America's working days), never quite idle.
      const daytime = Math.max(0, Math.sin(((at.getUTCHours() + 0.5 - 7) / 14) * Math.PI));
      hourWeights.push((0.15 + daytime) * (weekend ? 0.35 : 1));
    }
    this.#hourCumulative = cumulativeOf(hourWeights);
    // Zipf-like over workspaces, then over each workspace's keys (keys are dealt round-robin).
    const workspaces = new Map<string, number>();
    for (const key of keys) {
      if (!workspaces.has(key.workspaceId)) {
        workspaces.set(key.workspaceId, workspaces.size);
      }
    }
    const seenInWorkspace = new Map<string, number>();
    this.#keyCumulative = cumulativeOf(
      keys.map((key) => {
        const rank = seenInWorkspace.get(key.workspaceId) ?? 0;
        seenInWorkspace.set(key.workspaceId, rank + 1);
        return 1 / ((workspaces.get(key.workspaceId) as number) + 1) / (rank + 1) ** 0.7;
      }),
    );
    const models = MODELS.slice(0, Math.max(1, Math.min(MODELS.length, params.models)));
    this.#models = models.map(([model]) => model);
    this.#modelCumulative = cumulativeOf(models.map(([, share]) => share));
  }

  get done(): boolean {
    return this.#index >= this.params.events;
  }

  #logNormal(median: number, sigma: number, min: number, max: number): number {
    const u = 1 - this.#random();
    const v = this.#random();
    const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    return Math.min(max, Math.max(min, Math.round(median * Math.exp(sigma * normal))));
  }

  /** The next `count` events (fewer at the end), in time order, as the metering path's rows. */
  next(count: number): UsageEventRow[] {
    const random = this.#random;
    const total = this.params.events;
    const end = Math.min(total, this.#index + count);
    const rows: UsageEventRow[] = [];
    for (; this.#index < end; this.#index++) {
      const q = (this.#index + random()) / total;
      while (
        this.#hour < this.#hourCumulative.length - 1 &&
        (this.#hourCumulative[this.#hour] as number) <= q
      ) {
        this.#hour++;
      }
      const below = this.#hour === 0 ? 0 : (this.#hourCumulative[this.#hour - 1] as number);
      const within =
        ((q - below) / ((this.#hourCumulative[this.#hour] as number) - below)) * HOUR_MS;
      const at = this.start + this.#hour * HOUR_MS + Math.min(HOUR_MS - 1, Math.max(0, within));

      const key = this.keys[pick(this.#keyCumulative, random())] as {
        id: string;
        workspaceId: string;
      };
      const model = this.#models[pick(this.#modelCumulative, random())] as string;
      let input = this.#logNormal(600, 1.3, 1, 150_000);
      const output = this.#logNormal(250, 1.1, 1, 16_000);
      let cacheRead = 0;
      let cache5m = 0;
      let cache1h = 0;
      const r = random();
      if (r < 0.005) {
        input = 200_001 + Math.floor(random() * 600_000);
      } else if (r < 0.45) {
        cacheRead = this.#logNormal(8_000, 1.2, 1_024, 190_000 - input);
      }
      const c = random();
      if (c < 0.1) {
        cache5m = this.#logNormal(3_000, 1.2, 1_024, 100_000);
      } else if (c < 0.13) {
        cache1h = this.#logNormal(3_000, 1.2, 1_024, 100_000);
      }
      const tier = random();
      const usage: TokenUsage = {
        inputTokens: input,
        outputTokens: output,
        cacheCreation5mTokens: cache5m,
        cacheCreation1hTokens: cache1h,
        cacheReadTokens: cacheRead,
        webSearchRequests: random() < 0.02 ? 1 + Math.floor(random() * 5) : 0,
        serviceTier: tier < 0.1 ? "batch" : tier < 0.85 ? "standard" : null,
        inferenceGeo: random() < 0.03 ? "us" : null,
      };
      const gateway = random() < 0.8;
      rows.push(
        usageEventRow(
          {
            organizationId: this.organizationId,
            id: `msg_seed${this.params.seed}_${this.#index.toString(36)}`,
            workspaceId: key.workspaceId,
            apiKeyId: random() < 0.01 ? null : key.id,
            model,
            occurredAt: new Date(Math.floor(at)).toISOString(),
            status: 200,
            errorType: null,
            latencyMs: gateway ? this.#logNormal(2_500, 0.8, 80, 120_000) : 0,
            stream: gateway && random() < 0.6,
            source: gateway ? "gateway" : "ingest",
          },
          usage,
          this.#prices.cost(model, usage),
        ),
      );
    }
    return rows;
  }
}

/** Audit actions as the services write them, for the bulk of the audit log. */
const AUDIT_ACTIONS: ReadonlyArray<readonly [string, string]> = [
  ["api_key.updated", "api_key"],
  ["api_key.created", "api_key"],
  ["workspace.updated", "workspace"],
  ["workspace_member.updated", "workspace_member"],
  ["user.updated", "user"],
  ["usage_events.ingest", "usage_events"],
  ["alert_rule.updated", "alert_rule"],
  ["admin_key.rotated", "admin_key"],
];

/**
 * Seeds one organization into `database` (migrated, empty of it). `now` is where the events end;
 * the services' clock runs from `days` + 1 before it. Calls `progress` as it goes.
 */
export async function seedOrganization(
  database: Database,
  params: SeedParams,
  now: number,
  progress: SeedProgress = () => {},
): Promise<SeededOrganization> {
  const end = Math.floor(now / HOUR_MS) * HOUR_MS;
  const start = end - params.days * DAY_MS;
  const clock = new SeedClock(start - DAY_MS);
  const ids = new TimeSortableIds(clock);
  const store = new Store(database);
  const services = createServices(store, { clock, ids, outbound: { allow: ["127.0.0.1"] } });
  const random = rng(params.seed);

  const created = await services.organizations.create(
    { name: "Benchmark Corporation", ownerEmail: "owner@bench.example", ownerName: "Olive Owner" },
    { type: "system", id: null },
  );
  const organizationId = created.organization.id;
  const ctx: RequestContext = {
    organizationId,
    actor: { type: "admin_key", id: created.adminKeyId, userId: created.ownerId },
    requestId: null,
    clientIp: "192.0.2.10",
    userAgent: "steward-bench",
  };
  const tick = (ms = 1) => clock.advanceTo(clock.now().getTime() + ms);

  // Workspaces: a third with a monthly spend limit (the overview shows each against it).
  const workspaceIds: string[] = [];
  for (let i = 0; i < params.workspaces; i++) {
    tick();
    const workspace = await services.workspaces.create(ctx, {
      name: `Team ${i + 1}`,
      ...(i % 3 === 0 && { usage_limits: { monthly_spend_usd: 2_000 + 500 * i } }),
    });
    workspaceIds.push(workspace.id);
  }
  progress("workspaces", workspaceIds.length, params.workspaces);

  // Members: invited and accepted; each joins two or three workspaces.
  const roles = ["developer", "developer", "developer", "user", "admin", "billing"] as const;
  const workspaceRoles = ["workspace_developer", "workspace_user", "workspace_admin"] as const;
  const userIds: string[] = [];
  for (let i = 0; i < params.users; i++) {
    tick(1000);
    const role = roles[i % roles.length] as (typeof roles)[number];
    const invite = await services.invites.create(ctx, {
      email: `member${i + 1}@bench.example`,
      role: role === "user" ? "developer" : role,
    });
    const user = await services.invites.accept(
      { token: invite.token, name: `Member ${i + 1}` },
      { requestId: null, clientIp: null, userAgent: null },
    );
    userIds.push(user.id);
    if (role === "developer" || role === "user") {
      for (let j = 0; j < 2 + (i % 2); j++) {
        const workspaceId = workspaceIds[(i * 7 + j * 13) % workspaceIds.length] as string;
        await services.members.add(ctx, workspaceId, {
          user_id: user.id,
          workspace_role: workspaceRoles[
            (i + j) % workspaceRoles.length
          ] as (typeof workspaceRoles)[number],
        });
      }
    }
    if ((i + 1) % 100 === 0 || i + 1 === params.users) {
      progress("members", i + 1, params.users);
    }
  }

  // API keys, dealt round-robin over the workspaces; a few inactive.
  const keys: Array<{ id: string; workspaceId: string }> = [];
  for (let i = 0; i < params.keys; i++) {
    tick(1000);
    const workspaceId = workspaceIds[i % workspaceIds.length] as string;
    const key = await services.apiKeys.create(ctx, {
      name: `service-${i + 1}`,
      workspace_id: workspaceId,
    });
    keys.push({ id: key.id, workspaceId });
    if (i % 40 === 39) {
      await services.apiKeys.update(ctx, key.id, { status: "inactive" });
    }
    if ((i + 1) % 500 === 0 || i + 1 === params.keys) {
      progress("api keys", i + 1, params.keys);
    }
  }

  // The audit log's bulk, spread over the range, appended to the chain 1,000 per transaction.
  const auditStep = (end - clock.now().getTime() - 2 * HOUR_MS) / Math.max(1, params.auditRecords);
  for (let done = 0; done < params.auditRecords; ) {
    const count = Math.min(1000, params.auditRecords - done);
    await store.transaction(async (repos) => {
      for (let i = 0; i < count; i++) {
        tick(auditStep);
        const [action, targetType] = AUDIT_ACTIONS[
          Math.floor(random() * AUDIT_ACTIONS.length)
        ] as readonly [string, string];
        const targetId =
          targetType === "api_key"
            ? (keys[Math.floor(random() * keys.length)] as { id: string }).id
            : targetType === "workspace"
              ? (workspaceIds[Math.floor(random() * workspaceIds.length)] as string)
              : null;
        await recordAudit(repos, { clock, ids }, ctx, {
          action,
          targetType,
          targetId,
          after: { seq: done + i, note: "benchmark" },
        });
      }
    });
    done += count;
    if (done % 20_000 === 0 || done === params.auditRecords) {
      progress("audit records", done, params.auditRecords);
    }
  }

  // Pending invites and alert rules, each tested (a queued delivery per channel), near `now`.
  clock.advanceTo(end - HOUR_MS);
  for (let i = 0; i < params.pendingInvites; i++) {
    tick();
    await services.invites.create(ctx, {
      email: `invited${i + 1}@bench.example`,
      role: i % 4 === 0 ? "admin" : "developer",
    });
  }
  for (let i = 0; i < params.alertRules; i++) {
    tick();
    const workspaceId = workspaceIds[i % workspaceIds.length] as string;
    const rule = await services.alerts.create(ctx, {
      name: `Spend watch ${i + 1}`,
      scope: i === 0 ? { type: "organization" } : { type: "workspace", workspace_id: workspaceId },
      period: i % 2 === 0 ? "month" : "day",
      thresholds: [{ type: "usd", amount_usd: 1_000 + 100 * i }],
      // A receiver nobody listens on: each delivery fails and is kept with its attempts.
      channels: [{ type: "webhook", url: `http://127.0.0.1:9/alerts/${i + 1}` }],
      enabled: true,
    });
    for (let t = 0; t < 3; t++) {
      tick();
      await services.alerts.test(ctx, rule.id);
    }
  }
  await services.alerts.close();
  progress("invites and alert rules", params.pendingInvites + params.alertRules, 0);

  // The events, as the metering path writes them: a batch's rows and rollups in one transaction.
  const generator = new EventGenerator(organizationId, keys, start, params);
  const totals = { events: 0, inputTokens: 0, outputTokens: 0, costNanos: 0 };
  let nextReport = Math.ceil(params.events / 20);
  while (!generator.done) {
    const rows = generator.next(params.batch);
    const prepared = prepareUsageEvents(rows);
    const lastUsed = new Map<string, string>();
    for (const row of rows) {
      totals.inputTokens += row.input_tokens;
      totals.outputTokens += row.output_tokens;
      totals.costNanos += row.cost_nanos;
      if (row.api_key_id !== null) {
        lastUsed.set(row.api_key_id, row.occurred_at);
      }
    }
    await store.transaction(async (repos) => {
      const stored = await storeUsageEvents(repos, prepared);
      if (stored.length !== rows.length) {
        throw new Error(`stored ${stored.length} of a batch of ${rows.length} events`);
      }
      await repos.usage.touchApiKeys(lastUsed);
    });
    totals.events += rows.length;
    if (totals.events >= nextReport || generator.done) {
      progress("usage events", totals.events, params.events);
      nextReport += Math.ceil(params.events / 20);
    }
  }

  return {
    organizationId,
    ownerId: created.ownerId,
    adminKey: created.adminKey,
    workspaceIds,
    apiKeyIds: keys.map((key) => key.id),
    userIds,
    eventsFrom: new Date(start).toISOString(),
    eventsTo: new Date(end).toISOString(),
    totals,
  };
}
