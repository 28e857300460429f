// Jobs must be signed: whoever can reach the transcoder could otherwise make it fetch any URL and
// PUT its outputs wherever they like. The Worker (workers/media/transcoder-client.ts) sends
//   x-job-signature: <expires>.<nonce>.<base64url HMAC-SHA-256(secret, "<expires>.<nonce>.<body>")>
// with `expires` in unix seconds. A signature is accepted once, until it expires.

import { createHmac, timingSafeEqual } from "node:crypto";
import { JobError } from "./errors.ts";

export const SIGNATURE_HEADER = "x-job-signature";
/** A signature valid for longer than this is refused: it would be replayable for too long. */
export const MAX_SIGNATURE_TTL_S = 300;
export const MIN_SECRET_LENGTH = 32;

const hmac = (secret: string, message: string) => createHmac("sha256", secret).update(message).digest();

/** The header value for `body`, valid until `expires` (unix seconds). */
export function signJob(secret: string, body: string, expires: number, nonce: string): string {
  return `${expires}.${nonce}.${hmac(secret, `${expires}.${nonce}.${body}`).toString("base64url")}`;
}

const unauthorized = (message: string) => new JobError(401, "unauthorized", message);

/** Remembers accepted nonces until their signatures expire, so none can be used twice. */
export class ReplayGuard {
  private seen = new Map<string, number>();

  /** False when the nonce was already used; records it otherwise. */
  claim(nonce: string, expires: number, now: number): boolean {
    for (const [old, until] of this.seen) if (until < now) this.seen.delete(old);
    if (this.seen.has(nonce)) return false;
    this.seen.set(nonce, expires);
    return true;
  }
}

/** Throws 401 unless `header` is a valid, unexpired, unused signature of `body`. */
export function verifyJobSignature(
  secret: string,
  body: string,
  header: string | undefined,
  replays: ReplayGuard,
  nowMs = Date.now(),
): void {
  const match = /^(\d{1,12})\.([A-Za-z0-9_-]{16,64})\.([A-Za-z0-9_-]{43})$/.exec(header ?? "");
  if (!match) throw unauthorized("Jobs must carry a valid x-job-signature header.");
  const [, expiresText, nonce, signature] = match as unknown as [string, string, string, string];
  const expected = hmac(secret, `${expiresText}.${nonce}.${body}`);
  const given = Buffer.from(signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw unauthorized("The job's signature is not valid.");
  }
  const now = Math.floor(nowMs / 1000);
  const expires = Number(expiresText);
  if (expires < now) throw unauthorized("The job's signature has expired.");
  if (expires > now + MAX_SIGNATURE_TTL_S) throw unauthorized("The job's signature is valid for too long.");
  if (!replays.claim(nonce, expires, now)) throw unauthorized("This signed job was already received.");
}
