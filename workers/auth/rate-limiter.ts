import { DurableObject } from "cloudflare:workers";

export type RateLimitResult = { allowed: boolean; remaining: number; retryAfterSeconds: number };

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

  async clear(): Promise<void> {
    await this.ctx.storage.deleteAll();
  }
}
