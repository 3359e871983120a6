/**
 * Redis for tests: connections under a key prefix of their own per test run (parallel runs on one
 * Redis never collide), the removal of that prefix's keys, and a port where nothing listens.
 */
import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import { silentLogger } from "../../src/core/logger.js";
import { type RedisConnectionOptions, SharedRedis } from "../../src/redis/connection.js";

/** TEST_REDIS_URL, when the run has a Redis (`.ci/run` starts one). */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL;

export function uniqueRedisPrefix(): string {
  return `steward_test_${process.pid}_${randomBytes(4).toString("hex")}:`;
}

/** A started SharedRedis (its state says whether it connected). */
export async function startSharedRedis(
  url: string,
  options: RedisConnectionOptions = {},
): Promise<SharedRedis> {
  const redis = new SharedRedis(url, silentLogger, options);
  await redis.start();
  return redis;
}

/** Deletes every key under `prefix`, through a connection of its own. */
export async function deleteRedisKeys(url: string, prefix: string): Promise<void> {
  const redis = new SharedRedis(url, silentLogger, { prefix });
  try {
    await redis.client.connect();
    let cursor = "0";
    do {
      const [next, keys] = await redis.client.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
      cursor = next;
      if (keys.length > 0) {
        await redis.client.del(...keys);
      }
    } while (cursor !== "0");
  } finally {
    redis.client.disconnect();
  }
}

/** A port that was just listened on and closed: connecting to it is refused. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
