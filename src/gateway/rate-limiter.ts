/** The rate-limiter port lives in src/core (the email sign-in link limits use it too). */
export { MemoryRateLimiter, type RateDecision, type RateLimiter } from "../core/rate-limiter.js";
