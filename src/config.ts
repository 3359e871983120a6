import { readFileSync } from "node:fs";
import { z } from "zod";

/**
 * Configuration comes from the environment, parsed once at start. Every variable is documented in
 * the README. A secret may also come from a file named by the same variable with `_FILE` appended.
 */
const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default("0.0.0.0"),
  DATABASE_URL: z.string().min(1).default("sqlite:./data/steward.db"),
  STEWARD_ORG_NAME: z.string().trim().min(1).max(200).default("My Organization"),
  STEWARD_OWNER_EMAIL: z.string().trim().default("owner@steward.local"),
  STEWARD_OWNER_NAME: z.string().trim().min(1).max(200).default("Owner"),
  STEWARD_BOOTSTRAP_ADMIN_KEY: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(1024 * 1024),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(30_000),
  UPSTREAM_URL: z.url({ protocol: /^https?$/ }).default("https://api.anthropic.com"),
  UPSTREAM_API_KEY: z.string().min(1).optional(),
  UPSTREAM_TIMEOUT_MS: z.coerce.number().int().min(1000).default(600_000),
  UPSTREAM_CONNECTIONS: z.coerce.number().int().min(1).default(256),
  GATEWAY_BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(32 * 1024 * 1024),
  TRUST_PROXY: z
    .string()
    .default("")
    .transform((v) =>
      v
        .split(",")
        .map((s) => s.trim())
        .filter((s) => s !== ""),
    ),
  PRICES_FILE: z.string().min(1).optional(),
  METERING_BATCH_SIZE: z.coerce.number().int().min(1).max(5000).default(500),
  METERING_MAX_DELAY_MS: z.coerce.number().int().min(1).default(50),
  USAGE_RAW_RETENTION_DAYS: z.coerce.number().int().min(1).default(400),
  USAGE_MINUTE_RETENTION_DAYS: z.coerce.number().int().min(1).default(35),
  USAGE_PRUNE_INTERVAL_MS: z.coerce.number().int().min(1000).default(3_600_000),
});

export type Config = z.output<typeof Env>;

const SECRET_VARIABLES = ["STEWARD_BOOTSTRAP_ADMIN_KEY", "UPSTREAM_API_KEY"] as const;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const values: Record<string, string | undefined> = { ...env };
  for (const name of SECRET_VARIABLES) {
    const file = env[`${name}_FILE`];
    if (file !== undefined && file !== "") {
      if (env[name] !== undefined) {
        throw new Error(`set ${name} or ${name}_FILE, not both`);
      }
      values[name] = readFileSync(file, "utf8").trim();
    }
  }
  for (const [key, value] of Object.entries(values)) {
    if (value === "") {
      values[key] = undefined; // an empty variable means "not set"
    }
  }
  const parsed = Env.safeParse(values);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`invalid configuration: ${problems}`);
  }
  return parsed.data;
}
