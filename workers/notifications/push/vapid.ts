import { base64url, fromBase64url, importPrivateKey, isUncompressedPoint } from "./p256.ts";

/**
 * VAPID (RFC 8292): each push request carries `Authorization: vapid t=<JWT>, k=<public key>`, an
 * ES256 JWT whose `aud` is the push service's origin, `exp` at most 24 hours ahead and `sub` a
 * contact (mailto: or https:). Push services bind a subscription to the public key the browser
 * subscribed with (`applicationServerKey`), so rotating the key pair means every device subscribes again.
 */

export type VapidKeys = {
  /** base64url of the 65-byte uncompressed P-256 point, as given to `pushManager.subscribe`. */
  publicKey: string;
  signingKey: CryptoKey;
  subject: string;
};

/** A JWT lives 12 hours: under RFC 8292's 24-hour cap with room for clock skew at the push service. */
export const VAPID_TOKEN_SECONDS = 12 * 60 * 60;

const encoder = new TextEncoder();

export class VapidConfigError extends Error {}

type VapidEnv = { VAPID_PUBLIC_KEY?: string; VAPID_PRIVATE_KEY?: string; VAPID_SUBJECT?: string };

/** Is `subject` a contact RFC 8292 accepts (mailto: or https:)? */
export function isVapidSubject(subject: string): boolean {
  return /^mailto:[^@\s]+@[^@\s]+$/.test(subject) || /^https:\/\/[^\s]+$/.test(subject);
}

const cache = new Map<string, Promise<VapidKeys>>();

/** The configured key pair, imported once per isolate; throws VapidConfigError when it is missing or malformed. */
export function vapidKeys(env: VapidEnv): Promise<VapidKeys> {
  const { VAPID_PUBLIC_KEY: publicKey, VAPID_PRIVATE_KEY: privateKey, VAPID_SUBJECT: subject } = env;
  if (!publicKey || !privateKey || !subject) {
    return Promise.reject(new VapidConfigError("VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY and VAPID_SUBJECT must be set"));
  }
  const cacheKey = `${publicKey}|${privateKey}|${subject}`;
  let keys = cache.get(cacheKey);
  if (!keys) {
    keys = importVapidKeys(publicKey, privateKey, subject);
    cache.set(cacheKey, keys);
    keys.catch(() => cache.delete(cacheKey));
  }
  return keys;
}

async function importVapidKeys(publicKey: string, privateKey: string, subject: string): Promise<VapidKeys> {
  if (!isVapidSubject(subject)) throw new VapidConfigError("VAPID_SUBJECT must be a mailto: or https: URL");
  let point: Uint8Array;
  let scalar: Uint8Array;
  try {
    point = fromBase64url(publicKey);
    scalar = fromBase64url(privateKey);
  } catch {
    throw new VapidConfigError("the VAPID keys must be base64url");
  }
  if (!isUncompressedPoint(point) || scalar.length !== 32) {
    throw new VapidConfigError("VAPID_PUBLIC_KEY must be a 65-byte P-256 point and VAPID_PRIVATE_KEY 32 bytes");
  }
  try {
    return { publicKey, signingKey: await importPrivateKey(scalar, point, "ECDSA"), subject };
  } catch {
    throw new VapidConfigError("the VAPID private key does not match its public key");
  }
}

/** A signed token is reused for the same push service while it has at least this long to live. */
const REUSE_WHILE_SECONDS_LEFT = 60 * 60;
const signed = new WeakMap<VapidKeys, Map<string, { authorization: string; exp: number }>>();

/**
 * `Authorization` header value for a push request to `endpoint`, signed at `now`. One token serves
 * every request to the same push service for hours (RFC 8292 allows reuse), so a fan-out to many
 * devices signs once per push service rather than once per device.
 */
export async function vapidAuthorization(keys: VapidKeys, endpoint: string, now = Date.now()): Promise<string> {
  const aud = new URL(endpoint).origin;
  const nowSeconds = Math.floor(now / 1000);
  let byAudience = signed.get(keys);
  if (!byAudience) {
    byAudience = new Map();
    signed.set(keys, byAudience);
  }
  const cached = byAudience.get(aud);
  const fresh =
    cached && cached.exp - nowSeconds >= REUSE_WHILE_SECONDS_LEFT && cached.exp - nowSeconds <= VAPID_TOKEN_SECONDS;
  if (cached && fresh) return cached.authorization;
  const authorization = await signVapidToken(keys, aud, nowSeconds + VAPID_TOKEN_SECONDS);
  byAudience.set(aud, { authorization, exp: nowSeconds + VAPID_TOKEN_SECONDS });
  return authorization;
}

async function signVapidToken(keys: VapidKeys, aud: string, exp: number): Promise<string> {
  const header = base64url(encoder.encode(JSON.stringify({ typ: "JWT", alg: "ES256" })));
  const claims = { aud, exp, sub: keys.subject };
  const signingInput = `${header}.${base64url(encoder.encode(JSON.stringify(claims)))}`;
  // Web Crypto's ECDSA signature is already the raw r||s (64 bytes) that JWS ES256 wants.
  const signature = await crypto.subtle.sign(
    { name: "ECDSA", hash: "SHA-256" },
    keys.signingKey,
    encoder.encode(signingInput),
  );
  return `vapid t=${signingInput}.${base64url(new Uint8Array(signature))}, k=${keys.publicKey}`;
}
