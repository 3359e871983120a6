import type { IncomingHttpHeaders } from "node:http";

/**
 * The headers every Anthropic API client sends, read the same way by the admin API and the
 * gateway: the key from `x-api-key` (the seed's client) or `Authorization: Bearer` (the official
 * SDK), and `anthropic-version`, optional but a date when present.
 */
export function presentedKey(headers: IncomingHttpHeaders): string | undefined {
  const header = headers["x-api-key"];
  if (typeof header === "string" && header !== "") {
    return header.trim();
  }
  const authorization = headers.authorization;
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (match?.[1] !== undefined) {
      return match[1];
    }
  }
  return undefined;
}

export const BAD_VERSION_MESSAGE = "anthropic-version: expected a date such as 2023-06-01";

export function hasBadAnthropicVersion(headers: IncomingHttpHeaders): boolean {
  const version = headers["anthropic-version"];
  return (
    version !== undefined && (typeof version !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(version))
  );
}
