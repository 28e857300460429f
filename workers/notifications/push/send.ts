import { fromBase64url } from "../../shared/crypto.ts";
import { encryptPushPayload } from "./encrypt.ts";
import type { PushHeaders } from "./message.ts";
import { type VapidKeys, vapidAuthorization } from "./vapid.ts";

/** What the push service made of one message (RFC 8030 §5 and §6.2 status codes). */
export type SendOutcome =
  | { kind: "delivered"; status: number }
  /** 404/410: the subscription expired or was unsubscribed; delete it. */
  | { kind: "gone"; status: number }
  /** 429, 5xx or no answer: try again later (after Retry-After when given). */
  | { kind: "retry"; status: number | null; retryAfterSeconds: number | null }
  /** Any other 4xx: retrying the same request would fail the same way. */
  | { kind: "rejected"; status: number; detail: string };

export type PushTarget = { endpoint: string; p256dh: string; auth: string };

/** A push service that does not answer within this is treated like a 503. */
const SEND_TIMEOUT_MS = 10_000;

/** Retry-After as seconds (delta or HTTP date); null when absent or unreadable. */
export function retryAfterSeconds(header: string | null, now: number): number | null {
  if (!header) return null;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now) / 1000));
}

/** Encrypts and POSTs one push message to one subscription. */
export async function sendPushMessage(
  target: PushTarget,
  content: { plaintext: Uint8Array; padding: number },
  headers: PushHeaders,
  vapid: VapidKeys,
  now: number,
): Promise<SendOutcome> {
  const body = await encryptPushPayload(
    content.plaintext,
    { p256dh: fromBase64url(target.p256dh), auth: fromBase64url(target.auth) },
    { padding: content.padding },
  );
  let response: Response;
  try {
    response = await fetch(target.endpoint, {
      method: "POST",
      headers: {
        authorization: await vapidAuthorization(vapid, target.endpoint, now),
        "content-type": "application/octet-stream",
        "content-encoding": "aes128gcm",
        ttl: String(headers.ttlSeconds),
        urgency: headers.urgency,
        topic: headers.topic,
      },
      body,
      signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
    });
  } catch {
    return { kind: "retry", status: null, retryAfterSeconds: null };
  }
  const detail = (await response.text().catch(() => "")).slice(0, 200);
  const status = response.status;
  if (status >= 200 && status < 300) return { kind: "delivered", status };
  if (status === 404 || status === 410) return { kind: "gone", status };
  if (status === 429 || status >= 500) {
    return { kind: "retry", status, retryAfterSeconds: retryAfterSeconds(response.headers.get("retry-after"), now) };
  }
  return { kind: "rejected", status, detail };
}
