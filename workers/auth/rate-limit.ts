import type { Context } from "hono";
import type { AppBindings, Env } from "../env.ts";
import { ApiError } from "../shared/errors.ts";

/** Named limits: [requests, window in seconds]. */
export const RATE_LIMITS = {
  "login:ip": [30, 300],
  "login:account": [10, 900],
  "register:ip": [20, 3600],
  "refresh:ip": [120, 300],
  "upload:user": [60, 3600],
  "chat:user": [30, 10],
  "comment:user": [30, 60],
} as const satisfies Record<string, readonly [number, number]>;
export type RateLimitName = keyof typeof RATE_LIMITS;

export function clientIp(c: Context<AppBindings>): string {
  return c.req.header("cf-connecting-ip") ?? c.req.header("x-forwarded-for")?.split(",")[0]?.trim() ?? "local";
}

/** Counts one request against `name` for `subject`; throws a 429 with Retry-After when over. */
export async function enforceRateLimit(env: Env, name: RateLimitName, subject: string): Promise<void> {
  const [limit, windowSeconds] = RATE_LIMITS[name];
  const stub = env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(`${name}:${subject.toLowerCase()}`));
  const result = await stub.hit(limit, windowSeconds);
  if (!result.allowed) {
    throw new ApiError(
      429,
      "rate_limited",
      `Too many attempts. Try again in ${result.retryAfterSeconds} seconds.`,
      { retryAfterSeconds: result.retryAfterSeconds },
      { "Retry-After": String(result.retryAfterSeconds) },
    );
  }
}
