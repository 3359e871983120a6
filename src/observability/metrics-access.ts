import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import type { ErrorType } from "../contract/errors.js";

/** Who may read `/metrics` (METRICS_TOKEN, METRICS_LISTEN; docs/operations.md#monitoring). */
export interface MetricsAccess {
  /** A bearer token every scrape must present. */
  token?: string | undefined;
  /**
   * Without a token: whether any client may scrape (the separate listener, whose address the
   * operator chose), or only a client on this machine, directly (the main port's default).
   */
  open: boolean;
}

export type MetricsRefusal = { status: number; type: ErrorType; message: string; bearer: boolean };

const LOOPBACK = /^(?:127\.|::1$|::ffff:127\.)/;

/** SHA-256 of a token: equal lengths for timingSafeEqual, whatever was presented. */
const digest = (text: string) => createHash("sha256").update(text).digest();

/**
 * Why a scrape is refused, or undefined when it may read the metrics. With a token, the
 * `Authorization: Bearer` header must hold it (compared in constant time). Without one, on the
 * main port, only a loopback client that came through no proxy may: a reverse proxy on the same
 * machine would otherwise make every client look local.
 */
export function refusalOf(
  access: MetricsAccess,
  remoteAddress: string | undefined,
  headers: IncomingHttpHeaders,
): MetricsRefusal | undefined {
  if (access.token !== undefined) {
    const presented = /^Bearer +(\S+) *$/i.exec(headers.authorization ?? "")?.[1];
    if (presented !== undefined && timingSafeEqual(digest(presented), digest(access.token))) {
      return undefined;
    }
    return {
      status: 401,
      type: "authentication_error",
      message: "/metrics requires the Authorization: Bearer token set in METRICS_TOKEN",
      bearer: true,
    };
  }
  if (access.open) {
    return undefined;
  }
  const proxied = headers["x-forwarded-for"] !== undefined || headers.forwarded !== undefined;
  if (!proxied && remoteAddress !== undefined && LOOPBACK.test(remoteAddress)) {
    return undefined;
  }
  return {
    status: 403,
    type: "permission_error",
    message:
      "/metrics answers only clients on this machine; set METRICS_TOKEN or METRICS_LISTEN to scrape it from elsewhere",
    bearer: false,
  };
}

/** `host:port` (`[::1]:9464` for IPv6) as listen options. */
export function parseListen(text: string): { host: string; port: number } | undefined {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(text);
  const port = Number(match?.[3]);
  if (match === null || !(port >= 0 && port <= 65535)) {
    return undefined;
  }
  const host = match[1] ?? match[2] ?? "";
  return { host: host === "" ? "0.0.0.0" : host, port };
}
