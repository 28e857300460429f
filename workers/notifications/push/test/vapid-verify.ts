import { fromBase64url, importPublicKey } from "../p256.ts";

/**
 * What a push service does with `Authorization: vapid t=…, k=…` (RFC 8292 §3): verifies the ES256
 * JWT with the key in `k` and returns its header and claims; throws when the signature is wrong.
 */
export async function verifyVapidAuthorization(authorization: string) {
  const match = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(authorization);
  if (!match?.[1] || !match[2]) throw new Error(`not a vapid Authorization: ${authorization}`);
  const [jwt, key] = [match[1], match[2]];
  const [header, claims, signature] = jwt.split(".");
  if (!header || !claims || !signature) throw new Error("not a JWS");
  const publicKey = await importPublicKey(fromBase64url(key), "ECDSA");
  const valid = await crypto.subtle.verify(
    { name: "ECDSA", hash: "SHA-256" },
    publicKey,
    fromBase64url(signature),
    new TextEncoder().encode(`${header}.${claims}`),
  );
  if (!valid) throw new Error("VAPID signature does not verify");
  const decode = (part: string) => JSON.parse(new TextDecoder().decode(fromBase64url(part)));
  return { key, header: decode(header), claims: decode(claims) as { aud: string; exp: number; sub: string } };
}
