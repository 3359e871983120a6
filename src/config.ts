import { readFileSync } from "node:fs";
import { z } from "zod";
import { DURATION_EXAMPLES, durationMs } from "./cli/durations.js";
import { AUDIT_ANCHOR_KEY_MIN_LENGTH } from "./core/audit-anchor.js";
import { OutboundPolicy } from "./core/net/outbound-guard.js";
import {
  DEFAULT_DATABASE_CONNECT_TIMEOUT_MS,
  DEFAULT_DATABASE_STATEMENT_TIMEOUT_MS,
  DEFAULT_READINESS_TIMEOUT_MS,
} from "./db/connect.js";
import {
  DEFAULT_METERING_BATCH_SIZE,
  DEFAULT_METERING_MAX_DELAY_MS,
  DEFAULT_METERING_MEMORY_LIMIT_EVENTS,
} from "./gateway/usage-recorder.js";
import { parseListen } from "./observability/metrics-access.js";
import { DEFAULT_WORKSPACE_LABELS } from "./observability/usage-metrics.js";

/** A duration in the CLI's syntax (`30m`, `12h`, `1h30m`; a bare number is seconds), as ms. */
const Duration = z.string().transform((text, ctx) => {
  const ms = durationMs(text);
  if (ms === undefined || ms < 60_000) {
    ctx.addIssue({
      code: "custom",
      message: `expected a duration of at least 1m (${DURATION_EXAMPLES})`,
    });
    return z.NEVER;
  }
  return ms;
});

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
  // While the database is unreachable: events held in memory, then appended to the spool.
  METERING_MEMORY_LIMIT_EVENTS: z.coerce
    .number()
    .int()
    .min(1)
    .default(DEFAULT_METERING_MEMORY_LIMIT_EVENTS),
  METERING_SPOOL_DIR: z.string().min(1).optional(),
  DATABASE_CONNECT_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(100)
    .default(DEFAULT_DATABASE_CONNECT_TIMEOUT_MS),
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(100)
    .default(DEFAULT_DATABASE_STATEMENT_TIMEOUT_MS),
  READINESS_TIMEOUT_MS: z.coerce.number().int().min(10).default(DEFAULT_READINESS_TIMEOUT_MS),
  USAGE_RAW_RETENTION_DAYS: z.coerce.number().int().min(1).default(400),
  USAGE_PRUNE_INTERVAL_MS: z.coerce.number().int().min(1000).default(3_600_000),
  AUTH_FAILURE_LIMIT: z.coerce.number().int().min(1).default(20),
  AUTH_FAILURE_WINDOW_MS: z.coerce.number().int().min(1000).default(60_000),
  AUTH_FAILURE_RETENTION_DAYS: z.coerce.number().int().min(1).default(30),
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
  // Internal receivers alert channels may reach (src/core/net/outbound-guard.ts); none by default.
  OUTBOUND_ALLOW: z
    .string()
    .default("")
    .transform((v) =>
      v
        .split(",")
        .map((s) => s.trim())
        .filter((s) => s !== ""),
    )
    .superRefine((allow, ctx) => {
      try {
        new OutboundPolicy({ allow });
      } catch (error) {
        ctx.addIssue({ code: "custom", message: (error as Error).message });
      }
    }),
  // Signs the audit chains' heads (src/core/audit-anchor.ts); the anchors go to the file and log.
  AUDIT_ANCHOR_KEY: z
    .string()
    .min(AUDIT_ANCHOR_KEY_MIN_LENGTH, {
      error: `at least ${AUDIT_ANCHOR_KEY_MIN_LENGTH} characters (e.g. openssl rand -base64 32)`,
    })
    .optional(),
  AUDIT_ANCHOR_FILE: z.string().min(1).optional(),
  /** Shared state for several nodes (global rate limits and spend); none by default. */
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
  REDIS_TIMEOUT_MS: z.coerce.number().int().min(10).max(10_000).default(250),
  /** Every key Steward writes in Redis starts with it, so that deployments can share a Redis. */
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,64}$/, "letters, digits and _ . : - only, at most 64")
    .default("steward:"),
  AUDIT_ANCHOR_INTERVAL_MS: z.coerce.number().int().min(100).default(10_000),
  // The web console's sessions (src/core/sessions): idle and absolute limits, in milliseconds.
  SESSION_IDLE_TIMEOUT: Duration.default(30 * 60_000),
  SESSION_MAX_AGE: Duration.default(12 * 60 * 60_000),
  // Asking for sign-in links by email (src/core/sessions/email-link-limits.ts): per period.
  EMAIL_LINK_LIMIT_PER_ADDRESS: z.coerce.number().int().min(1).max(10_000).default(5),
  EMAIL_LINK_LIMIT_PER_IP: z.coerce.number().int().min(1).max(100_000).default(20),
  EMAIL_LINK_LIMIT_PERIOD: Duration.default(60 * 60_000),
  // Sign-in with an OpenID Connect provider (src/core/sessions/oidc-sign-in.ts); off without an issuer.
  OIDC_ISSUER: z.url({ protocol: /^https?$/ }).optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  OIDC_REDIRECT_URL: z.url({ protocol: /^https?$/ }).optional(),
  OIDC_SCOPES: z.string().trim().min(1).default("openid email profile"),
  OIDC_LABEL: z.string().trim().min(1).max(100).optional(),
  // Monitoring (docs/operations.md#monitoring).
  ACCESS_LOG: z.enum(["stdout", "off"]).default("stdout"),
  /** Share of successful gateway requests logged; errors always are. */
  ACCESS_LOG_SAMPLE: z.coerce.number().min(0).max(1).default(1),
  METRICS_TOKEN: z
    .string()
    .min(16, { error: "at least 16 characters (e.g. openssl rand -hex 32)" })
    .regex(/^\S+$/, { error: "no spaces" })
    .optional(),
  METRICS_LISTEN: z
    .string()
    .transform((text, ctx) => {
      const listen = parseListen(text);
      if (listen === undefined) {
        ctx.addIssue({ code: "custom", message: "expected host:port, e.g. 127.0.0.1:9464" });
        return z.NEVER;
      }
      return listen;
    })
    .optional(),
  METRICS_WORKSPACE_LABELS: z.coerce
    .number()
    .int()
    .min(0)
    .max(10_000)
    .default(DEFAULT_WORKSPACE_LABELS),
  /** Traces go to this OTLP/HTTP endpoint; the exporter reads its other OTEL_* variables itself. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
});

export type Config = z.output<typeof Env>;

/** Each of these may come from a file instead, named by the variable with `_FILE` appended. */
export const SECRET_VARIABLES = [
  "DATABASE_URL", // a PostgreSQL URL holds its password
  "STEWARD_BOOTSTRAP_ADMIN_KEY",
  "UPSTREAM_API_KEY",
  "SMTP_URL",
  "AUDIT_ANCHOR_KEY",
  "REDIS_URL",
  "OIDC_CLIENT_SECRET",
  "METRICS_TOKEN",
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
  const oidc = parsed.data;
  if (oidc.OIDC_ISSUER !== undefined) {
    if (oidc.OIDC_CLIENT_ID === undefined) {
      throw new Error("invalid configuration: OIDC_CLIENT_ID: required with OIDC_ISSUER");
    }
    if (oidc.OIDC_REDIRECT_URL === undefined && oidc.STEWARD_PUBLIC_URL === undefined) {
      throw new Error(
        "invalid configuration: OIDC_REDIRECT_URL: set it, or STEWARD_PUBLIC_URL, with OIDC_ISSUER",
      );
    }
  }
  return parsed.data;
}

/** Where the identity provider sends people back: OIDC_REDIRECT_URL, or the public URL's. */
export function oidcRedirectUrl(config: Config): string {
  return (
    config.OIDC_REDIRECT_URL ??
    `${(config.STEWARD_PUBLIC_URL ?? "").replace(/\/+$/, "")}/auth/oidc/callback`
  );
}
