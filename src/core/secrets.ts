import { createHash, randomBytes } from "node:crypto";

/** Key shapes follow Anthropic's: `sk-ant-admin01-…` for admin keys, `sk-ant-api03-…` for API keys. */
export const ADMIN_KEY_PREFIX = "sk-ant-admin01-";
export const API_KEY_PREFIX = "sk-ant-api03-";
export const INVITE_TOKEN_PREFIX = "stw-invite01-";

/** 48 random bytes: 384 bits of entropy, base64url without padding (64 characters). */
export function generateSecret(prefix: string): string {
  return prefix + randomBytes(48).toString("base64url");
}

/** Secrets are stored only as SHA-256 hex digests; the plaintext is shown once and forgotten. */
export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

/** Anthropic's hint form: `sk-ant-api03-R2D...igAA` (three characters of the body, the last four). */
export function partialKeyHint(secret: string, prefix: string): string {
  const body = secret.slice(prefix.length);
  return `${prefix}${body.slice(0, 3)}...${body.slice(-4)}`;
}

/** The seed chapter's form: `sk-ant-api03-...ABCD`. */
export function partialKey(secret: string, prefix: string): string {
  return `${prefix}...${secret.slice(-4)}`;
}
