import { z } from "@hono/zod-openapi";
import type { Env } from "../../env.ts";
import { fromBase64url } from "../../shared/crypto.ts";
import { importPublicKey, isUncompressedPoint } from "./p256.ts";

/**
 * A browser's PushSubscription as `subscription.toJSON()` gives it: checked here before it is
 * stored, so a push to it cannot fail for a reason the browser could have been told at once.
 */

function decoded(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9_-]+={0,2}$/.test(text)) return undefined;
  try {
    return fromBase64url(text.replace(/=+$/, ""));
  } catch {
    return undefined;
  }
}

export const SubscriptionBody = z
  .object({
    endpoint: z.string().min(1).max(2048).openapi({ example: "https://fcm.googleapis.com/fcm/send/…" }),
    expirationTime: z.number().nullable().optional(),
    keys: z.object({
      p256dh: z
        .string()
        .max(200)
        .refine((v) => {
          const bytes = decoded(v);
          return !!bytes && isUncompressedPoint(bytes);
        }, "p256dh must be the base64url of a 65-byte uncompressed P-256 public key"),
      auth: z
        .string()
        .max(200)
        .refine((v) => decoded(v)?.length === 16, "auth must be the base64url of a 16-byte secret"),
    }),
    /** The app's language on this device: notifications are worded in it. */
    locale: z
      .string()
      .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, "locale must be a language tag such as en or fr-CA")
      .max(35)
      .optional(),
  })
  .openapi("PushSubscriptionInput");
export type SubscriptionBody = z.infer<typeof SubscriptionBody>;

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** Why `endpoint` cannot be a push service URL, or null when it can. */
export function endpointProblem(endpoint: string, env: Pick<Env, "PUSH_ALLOW_LOOPBACK_ENDPOINTS">): string | null {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return "endpoint must be an absolute URL";
  }
  if (url.username || url.password) return "endpoint must not carry credentials";
  const loopback = LOOPBACK_HOSTS.has(url.hostname);
  if (loopback && env.PUSH_ALLOW_LOOPBACK_ENDPOINTS === "true" && url.protocol === "http:") return null;
  if (url.protocol !== "https:") return "endpoint must be an https URL (a push service's)";
  // A push service has a name; an address or this machine is not one (and would let anyone aim our requests).
  if (loopback || /^[\d.]+$/.test(url.hostname) || url.hostname.startsWith("[")) {
    return "endpoint must name a push service host, not an address";
  }
  return null;
}

/** The stored form of the keys: base64url without padding. */
export function normalisedKeys(body: SubscriptionBody): { p256dh: string; auth: string } {
  return { p256dh: body.keys.p256dh.replace(/=+$/, ""), auth: body.keys.auth.replace(/=+$/, "") };
}

/** Is p256dh a point on the curve (not only 65 bytes that start with 0x04)? */
export async function isOnCurve(p256dh: string): Promise<boolean> {
  try {
    await importPublicKey(fromBase64url(p256dh), "ECDH");
    return true;
  } catch {
    return false;
  }
}
