import { readFileSync } from "node:fs";
import { z } from "zod";
import {
  DEFAULT_METERING_BATCH_SIZE,
  DEFAULT_METERING_MAX_DELAY_MS,
} from "./gateway/usage-recorder.js";

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
  METERING_BATCH_SIZE: z.coerce
    .number()
    .int()
    .min(1)
    .max(5000)
    .default(DEFAULT_METERING_BATCH_SIZE),
  METERING_MAX_DELAY_MS: z.coerce.number().int().min(1).default(DEFAULT_METERING_MAX_DELAY_MS),
  USAGE_RAW_RETENTION_DAYS: z.coerce.number().int().min(1).default(400),
  USAGE_PRUNE_INTERVAL_MS: z.coerce.number().int().min(1000).default(3_600_000),
  ALERT_DISPATCH_INTERVAL_MS: z.coerce.number().int().min(100).default(1000),
  ALERT_DELIVERY_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  SMTP_URL: z.url({ protocol: /^smtps?$/, error: "expected smtp://… or smtps://…" }).optional(),
  SMTP_FROM: z
    .string()
    .trim()
    .regex(/^(?:[^<>]*<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/, {
      error: "expected an address, steward@example.com or Steward <steward@example.com>",
    })
    .optional(),
  STEWARD_PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
});

export type Config = z.output<typeof Env>;

/** Each of these may come from a file instead, named by the variable with `_FILE` appended. */
export const SECRET_VARIABLES = [
  "STEWARD_BOOTSTRAP_ADMIN_KEY",
  "UPSTREAM_API_KEY",
  "SMTP_URL",
] as const;

const READ_ERRORS: Record<string, string> = {
  ENOENT: "no such file",
  EACCES: "permission denied",
  EISDIR: "it is a directory",
};

/** The secret in `file`, without the newline (or other whitespace) around it. */
function readSecretFile(variable: string, file: string): string {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      (code !== undefined ? READ_ERRORS[code] : undefined) ??
      (error instanceof Error ? error.message : String(error));
    throw new Error(`${variable}: cannot read ${file}: ${reason}`);
  }
  const value = text.trim();
  if (value === "") {
    throw new Error(`${variable}: ${file} is empty`);
  }
  return value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const values: Record<string, string | undefined> = { ...env };
  for (const name of SECRET_VARIABLES) {
    const file = env[`${name}_FILE`];
    if (file !== undefined && file !== "") {
      if (env[name] !== undefined && env[name] !== "") {
        throw new Error(`set ${name} or ${name}_FILE, not both`);
      }
      values[name] = readSecretFile(`${name}_FILE`, file);
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
  if (parsed.data.SMTP_URL !== undefined && parsed.data.SMTP_FROM === undefined) {
    throw new Error("invalid configuration: SMTP_FROM: the sender is required with SMTP_URL");
  }
  return parsed.data;
}
