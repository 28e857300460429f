import { DurableObject } from "cloudflare:workers";

export type RateLimitResult = { allowed: boolean; remaining: number; retryAfterSeconds: number };
export type BackoffPolicy = { freeAttempts: number; maxDelaySeconds: number; forgetAfterSeconds: number };
type BackoffState = { failures: number; lastAt: number; nextAllowedAt: number };

/**
 * A fixed-window counter, one object per limited key (an IP or an account), so limits hold
 * across every Worker isolate. The window lives in the object's storage and survives eviction.
 */
export class RateLimiter extends DurableObject {
  async hit(limit: number, windowSeconds: number, now = Date.now()): Promise<RateLimitResult> {
    const windowMs = windowSeconds * 1000;
    const windowStart = Math.floor(now / windowMs) * windowMs;
    const stored = await this.ctx.storage.get<{ start: number; count: number }>("window");
    const count = stored && stored.start === windowStart ? stored.count + 1 : 1;
    await this.ctx.storage.put("window", { start: windowStart, count });
    const retryAfterSeconds = Math.max(1, Math.ceil((windowStart + windowMs - now) / 1000));
    return { allowed: count <= limit, remaining: Math.max(0, limit - count), retryAfterSeconds };
  }

  /**
   * Starts one attempt under progressive backoff (login, current-password checks): refused while
   * a delay is running; otherwise counted as a failure until `succeeded()` clears it. After
   * `freeAttempts` failures each further one doubles the wait before the next (1 s, 2 s, 4 s, …,
   * capped), so guessing slows to a crawl while the real owner waits at most the cap, never a
   * lockout. Counting at the start makes concurrent guesses wait their turn too (a Durable
   * Object runs one call at a time). Failures are forgotten after `forgetAfterSeconds` of quiet.
   */
  async attempt(policy: BackoffPolicy, now = Date.now()): Promise<RateLimitResult> {
    let state = await this.ctx.storage.get<BackoffState>("backoff");
    if (state && now - state.lastAt > policy.forgetAfterSeconds * 1000) state = undefined;
    if (state && now < state.nextAllowedAt) {
      return { allowed: false, remaining: 0, retryAfterSeconds: Math.ceil((state.nextAllowedAt - now) / 1000) };
    }
    const failures = (state?.failures ?? 0) + 1;
    const over = failures - policy.freeAttempts;
    const delayMs = over > 0 ? Math.min(policy.maxDelaySeconds, 2 ** (over - 1)) * 1000 : 0;
    await this.ctx.storage.put("backoff", { failures, lastAt: now, nextAllowedAt: now + delayMs });
    return { allowed: true, remaining: Math.max(0, policy.freeAttempts - failures), retryAfterSeconds: 0 };
  }

  async succeeded(): Promise<void> {
    await this.ctx.storage.delete("backoff");
  }

  async clear(): Promise<void> {
    await this.ctx.storage.deleteAll();
  }
}
