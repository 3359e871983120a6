import { createHash } from "node:crypto";
import { failureAddressOf } from "../admin-keys/auth-failures.js";
import { AppError } from "../errors.js";
import type { Clock } from "../ports.js";
import type { RateLimiter } from "../rate-limiter.js";

export interface EmailLinkLimitOptions {
  /** Links asked for one address per period (EMAIL_LINK_LIMIT_PER_ADDRESS). */
  perAddress: number;
  /** Links asked from one client IP per period (EMAIL_LINK_LIMIT_PER_IP). */
  perIp: number;
  /** EMAIL_LINK_LIMIT_PERIOD, in ms. */
  periodMs: number;
}

export const DEFAULT_EMAIL_LINK_LIMITS: EmailLinkLimitOptions = {
  perAddress: 5,
  perIp: 20,
  periodMs: 60 * 60_000,
};

/** A link request over a limit: 429 with `retry-after`, whoever the address belongs to. */
export class EmailLinkThrottledError extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    super(
      "rate_limit_error",
      `too many sign-in links were asked for this address or from this client; retry after ${retryAfterSeconds} s`,
    );
  }
}

/**
 * Limits on asking for sign-in links, so that the endpoint cannot be used to flood an inbox or
 * the SMTP relay: so many per address and so many per client IP a period, counted before the
 * address is looked up, so a refusal says nothing about whether it is a member's.
 *
 * The port's buckets hold `perMinute` and refill `perMinute` a minute; a limit of N a period P is
 * a bucket of N read on a clock that runs 60 s / P times as fast (N a "minute" of P), so the same
 * buckets, in memory or Redis, count it. Addresses are hashed into bucket names: Redis holds no
 * email addresses.
 */
export class EmailLinkLimits {
  readonly #scale: number;

  constructor(
    private readonly buckets: RateLimiter,
    private readonly clock: Clock,
    private readonly options: EmailLinkLimitOptions = DEFAULT_EMAIL_LINK_LIMITS,
  ) {
    this.#scale = 60_000 / options.periodMs;
  }

  /** Counts one request; throws EmailLinkThrottledError when over either limit. */
  async admit(email: string, clientIp: string | null): Promise<void> {
    const nowMs = this.clock.now().getTime() * this.#scale;
    // An IPv6 client counts by its /64, as failed admin-key attempts do.
    await this.#take(`email-link:ip:${failureAddressOf(clientIp)}`, this.options.perIp, nowMs);
    const address = createHash("sha256").update(email.trim().toLowerCase()).digest("hex");
    await this.#take(`email-link:address:${address}`, this.options.perAddress, nowMs);
  }

  async #take(bucket: string, limit: number, nowMs: number): Promise<void> {
    const decision = await this.buckets.take(bucket, limit, nowMs);
    if (!decision.allowed) {
      const realMs = decision.retryAfterMs / this.#scale;
      throw new EmailLinkThrottledError(Math.max(1, Math.ceil(realMs / 1000)));
    }
  }
}
