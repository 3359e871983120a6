/**
 * The one Redis connection a node shares among its gateway ports (rate limiter, spend ledger),
 * with the fault rules every connection here follows: a connect and a command timeout, no
 * offline queue (a command while disconnected fails at once instead of waiting), reconnection
 * with a capped backoff, and every error event handled. `SharedRedis` also says whether Redis is
 * usable right now and how many nodes share it, which is what the degraded policies need
 * (docs/scaling.md).
 */
import { randomUUID } from "node:crypto";
import { Redis, type RedisOptions } from "ioredis";
import type { Logger } from "../core/logger.js";

export interface RedisConnectionOptions {
  /** Fail a command that has not been answered in this time. Default 250 ms. */
  commandTimeoutMs?: number;
  connectTimeoutMs?: number;
  /** How often this node says it is alive; nodes silent for 3 intervals no longer count. */
  heartbeatIntervalMs?: number;
  /** Key prefix, so that several deployments (or test runs) can share one Redis. */
  prefix?: string;
  /** This node's id in the registry; random by default. */
  nodeId?: string;
}

export type RedisState = "up" | "down";

const DEFAULT_COMMAND_TIMEOUT_MS = 250;
const DEFAULT_CONNECT_TIMEOUT_MS = 2_000;
const DEFAULT_HEARTBEAT_INTERVAL_MS = 2_000;

export class SharedRedis {
  readonly client: Redis;
  readonly prefix: string;
  readonly nodeId: string;
  readonly commandTimeoutMs: number;
  #state: RedisState = "down";
  #stateSince = Date.now();
  #liveNodes = 1;
  #heartbeat: NodeJS.Timeout | undefined;
  readonly #heartbeatIntervalMs: number;
  readonly #listeners = new Set<(state: RedisState) => void>();
  #closed = false;

  constructor(
    url: string,
    private readonly log: Logger,
    options: RedisConnectionOptions = {},
  ) {
    this.prefix = options.prefix ?? "steward:";
    this.nodeId = options.nodeId ?? randomUUID();
    this.commandTimeoutMs = options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
    this.#heartbeatIntervalMs = options.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS;
    const redisOptions = {
      lazyConnect: true,
      connectTimeout: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      commandTimeout: this.commandTimeoutMs,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      // Reconnect forever, backing off to a second: Redis coming back must be noticed quickly.
      retryStrategy: (times) => Math.min(1_000, 50 * 2 ** Math.min(times, 5)),
      keepAlive: 10_000,
    } satisfies RedisOptions;
    this.client = new Redis(url, redisOptions);
    // ioredis reconnects by itself and says so on every try; the state changes below are what
    // the node acts on and logs.
    this.client.on("error", () => {});
    this.client.on("ready", () => this.#setState("up"));
    this.client.on("close", () => this.#setState("down"));
    this.client.on("end", () => this.#setState("down"));
  }

  /** Connects (or fails within the connect timeout) and starts the heartbeat. */
  async start(): Promise<void> {
    try {
      await this.client.connect();
    } catch (error) {
      // A node starts without Redis: it runs degraded and the client keeps reconnecting.
      this.log.warn({ err: error }, "redis: unreachable at start; running degraded until it is");
    }
    await this.#beat();
    this.#heartbeat = setInterval(() => void this.#beat(), this.#heartbeatIntervalMs);
    this.#heartbeat.unref();
  }

  get state(): RedisState {
    return this.#state;
  }

  /** Since when (epoch ms) the connection has been in its current state. */
  get stateSince(): number {
    return this.#stateSince;
  }

  /** Nodes that said they were alive recently, this one included; the last known while down. */
  get liveNodes(): number {
    return this.#liveNodes;
  }

  /** Calls `listener` on every change of state; returns the unsubscribe. */
  onStateChange(listener: (state: RedisState) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  key(name: string): string {
    return this.prefix + name;
  }

  async close(): Promise<void> {
    if (this.#closed) {
      return;
    }
    this.#closed = true;
    clearInterval(this.#heartbeat);
    if (this.#state === "up") {
      await this.client.zrem(this.key("nodes"), this.nodeId).catch(() => {});
    }
    this.client.disconnect();
  }

  #setState(state: RedisState): void {
    if (this.#closed || state === this.#state) {
      return;
    }
    this.#state = state;
    this.#stateSince = Date.now();
    if (state === "down") {
      this.log.warn({ liveNodes: this.#liveNodes }, "redis: connection lost; running degraded");
    } else {
      this.log.info({}, "redis: connected");
    }
    for (const listener of this.#listeners) {
      try {
        listener(state);
      } catch (error) {
        this.log.error({ err: error }, "redis: a state listener failed");
      }
    }
  }

  /** Registers this node and counts the live ones (server time, so node clocks do not matter). */
  async #beat(): Promise<void> {
    if (this.#state !== "up") {
      return;
    }
    const nodes = this.key("nodes");
    const staleAfterMs = 3 * this.#heartbeatIntervalMs;
    try {
      const [seconds = 0, micros = 0] = await this.client.time();
      const nowMs = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
      const replies = await this.client
        .multi()
        .zadd(nodes, nowMs, this.nodeId)
        .zremrangebyscore(nodes, "-inf", nowMs - staleAfterMs)
        .zcard(nodes)
        .pexpire(nodes, staleAfterMs * 10)
        .exec();
      const count = Number(replies?.[2]?.[1] ?? 1);
      this.#liveNodes = Math.max(1, count);
    } catch {
      // Down or slow: the state listener has logged it, and the last count stands.
    }
  }
}
