import type { Context } from "hono";
import type { AppBindings } from "../env.ts";
import { isDevelopment } from "../shared/secrets-check.ts";

/** What a session keeps about the device that signed in: its User-Agent and approximate place. */
export type Device = { userAgent: string; city: string | null; country: string | null };

const MAX_USER_AGENT = 512;

/**
 * The device of a request. The place comes from the edge's request data (`request.cf`); locally
 * wrangler fills that with a placeholder (Austin, US), so development keeps no place at all.
 */
export function deviceOf(c: Context<AppBindings>): Device {
  const cf = isDevelopment(c.env) ? undefined : (c.req.raw.cf as { city?: unknown; country?: unknown } | undefined);
  const text = (value: unknown) => (typeof value === "string" && value !== "" ? value.slice(0, 100) : null);
  return {
    userAgent: (c.req.header("user-agent") ?? "").slice(0, MAX_USER_AGENT),
    city: text(cf?.city),
    country: text(cf?.country),
  };
}
