import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import type { AppBindings } from "../env.ts";
import { randomToken } from "../shared/crypto.ts";

export const DEVICE_COOKIE = "veza_device";
const DEVICE_ID = /^[A-Za-z0-9_-]{16,64}$/;
const ONE_YEAR_SECONDS = 365 * 24 * 3600;

/**
 * A random id this browser keeps (HttpOnly cookie on the auth paths), so the tight per-device
 * limits on sign-up and resets count one browser rather than everyone behind its IP address. It
 * identifies nothing about the person; a client that drops it still meets the per-IP limit.
 */
export function deviceId(c: Context<AppBindings>): string {
  const presented = getCookie(c, DEVICE_COOKIE);
  if (presented && DEVICE_ID.test(presented)) return presented;
  const id = randomToken(18);
  setCookie(c, DEVICE_COOKIE, id, {
    path: "/api/v1/auth",
    httpOnly: true,
    secure: true,
    sameSite: "Strict",
    maxAge: ONE_YEAR_SECONDS,
  });
  return id;
}
