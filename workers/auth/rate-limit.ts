import type { Context } from "hono";
import type { Env } from "../env.ts";
import { ApiError } from "../shared/errors.ts";
import type { BackoffPolicy } from "./rate-limiter.ts";

/**
 * Named limits: [requests, window in seconds]. Account creation and mailed links are limited
 * loosely per IP address (a whole campus or mobile carrier can share one) and tightly per email
 * address, account and device (see device-id.ts), so one abuser is stopped without locking out
 * their neighbours.
 */
export const RATE_LIMITS = {
  "login:ip": [30, 300],
  "register:ip": [300, 3600],
  "register:device": [5, 3600],
  "register:email": [5, 3600],
  "password-reset:ip": [100, 3600],
  "password-reset:device": [10, 3600],
  "password-reset:email": [3, 3600],
  "email-link:ip": [60, 300],
  "verify-email-resend:user": [3, 3600],
  "email-change:user": [5, 3600],
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

/** What a refused request is told (followed by when to try again); the default suits the rest. */
const RATE_LIMIT_MESSAGES: Partial<Record<RateLimitName, string>> = {
  "register:ip": "Very many accounts were created from your network in the last hour.",
  "register:device": "Several accounts were already created from this browser in the last hour.",
  "register:email": "This email address was tried too many times in the last hour.",
  "password-reset:ip": "Very many password resets were asked for from your network in the last hour.",
  "password-reset:device": "You asked for many password resets from this browser in the last hour.",
  "password-reset:email":
    "Several reset emails were already sent for this address in the last hour; check your inbox and spam folder.",
  "verify-email-resend:user":
    "We already sent you several verification emails in the last hour; check your inbox and spam folder.",
  "email-change:user": "You asked to change your email address several times in the last hour.",
};

/** "42 seconds", "5 minutes", "2 hours": rounded up, so the user never comes back too early. */
export function waitPhrase(seconds: number): string {
  if (seconds < 60) return seconds === 1 ? "1 second" : `${seconds} seconds`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return minutes === 1 ? "1 minute" : `${minutes} minutes`;
  const hours = Math.ceil(minutes / 60);
  return hours === 1 ? "1 hour" : `${hours} hours`;
}

function rateLimited(retryAfterSeconds: number, reason = "Too many attempts."): ApiError {
  return new ApiError(
    429,
    "rate_limited",
    `${reason} Try again in ${waitPhrase(retryAfterSeconds)}.`,
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
  if (!result.allowed) throw rateLimited(result.retryAfterSeconds, RATE_LIMIT_MESSAGES[name]);
}
