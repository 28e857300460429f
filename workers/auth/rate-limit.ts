import type { Context } from "hono";
import type { Env } from "../env.ts";
import { ApiError } from "../shared/errors.ts";
import type { BackoffPolicy } from "./rate-limiter.ts";

/** Named limits: [requests, window in seconds]. */
export const RATE_LIMITS = {
  "login:ip": [30, 300],
  "register:ip": [20, 3600],
  "refresh:ip": [120, 300],
  /** Starting and finishing sign-ins with GitHub, Google or Discord (two requests per sign-in). */
  "oauth:ip": [60, 300],
  "upload:user": [60, 3600],
  "chat:user": [30, 10],
  "comment:user": [30, 60],
  /** The data export reads everything the account has: a few a day is plenty. */
  "export:user": [5, 3600],
} as const satisfies Record<string, readonly [number, number]>;
export type RateLimitName = keyof typeof RATE_LIMITS;

/** Progressive backoff per account (see RateLimiter.attempt): slows guessing, never locks the owner out. */
export const BACKOFFS = {
  /** Keyed on the account the login names, whether by email or by username. */
  "login:account": { freeAttempts: 5, maxDelaySeconds: 60, forgetAfterSeconds: 900 },
  /** The current-password check of a password change (a stolen access token must not brute-force it). */
  "password:user": { freeAttempts: 5, maxDelaySeconds: 300, forgetAfterSeconds: 3600 },
} as const satisfies Record<string, BackoffPolicy>;
export type BackoffName = keyof typeof BACKOFFS;

function rateLimited(retryAfterSeconds: number): ApiError {
  return new ApiError(
    429,
    "rate_limited",
    `Too many attempts. Try again in ${retryAfterSeconds} seconds.`,
    { retryAfterSeconds },
    { "Retry-After": String(retryAfterSeconds) },
  );
}

/**
 * Starts a guarded attempt (429 with Retry-After while a backoff delay runs). Call `succeeded()`
 * when the secret was right; anything else leaves the attempt counted as a failure.
 */
export async function beginGuardedAttempt(
  env: Env,
  name: BackoffName,
  subject: string,
): Promise<{ succeeded(): Promise<void> }> {
  const stub = env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(`${name}:${subject.toLowerCase()}`));
  const result = await stub.attempt(BACKOFFS[name]);
  if (!result.allowed) throw rateLimited(result.retryAfterSeconds);
  return { succeeded: () => stub.succeeded() };
}

export function clientIp(c: Pick<Context, "req">): string {
  return c.req.header("cf-connecting-ip") ?? c.req.header("x-forwarded-for")?.split(",")[0]?.trim() ?? "local";
}

/** Counts one request against `name` for `subject`; throws a 429 with Retry-After when over. */
export async function enforceRateLimit(env: Env, name: RateLimitName, subject: string): Promise<void> {
  const [limit, windowSeconds] = RATE_LIMITS[name];
  const stub = env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(`${name}:${subject.toLowerCase()}`));
  const result = await stub.hit(limit, windowSeconds);
  if (!result.allowed) throw rateLimited(result.retryAfterSeconds);
}
