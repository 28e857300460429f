import { base64url, fromBase64url } from "../../shared/crypto.ts";

/** An uncompressed P-256 point: 0x04, then x and y (32 bytes each). */
export const P256_POINT_BYTES = 65;

/** True when `bytes` has the shape of an uncompressed P-256 point (the curve check is Web Crypto's). */
export function isUncompressedPoint(bytes: Uint8Array): boolean {
  return bytes.length === P256_POINT_BYTES && bytes[0] === 0x04;
}

/** The JWK coordinates of an uncompressed point. */
export function pointToJwk(point: Uint8Array): { kty: "EC"; crv: "P-256"; x: string; y: string } {
  if (!isUncompressedPoint(point)) throw new Error("not an uncompressed P-256 point");
  return { kty: "EC", crv: "P-256", x: base64url(point.slice(1, 33)), y: base64url(point.slice(33, 65)) };
}

/** Imports a private scalar (32 bytes, base64url) with its public point for `algorithm`. */
export function importPrivateKey(
  privateKey: Uint8Array,
  publicPoint: Uint8Array,
  algorithm: "ECDSA" | "ECDH",
): Promise<CryptoKey> {
  const usages: string[] = algorithm === "ECDSA" ? ["sign"] : ["deriveBits"];
  return crypto.subtle.importKey(
    "jwk",
    { ...pointToJwk(publicPoint), d: base64url(privateKey), ext: true },
    { name: algorithm, namedCurve: "P-256" },
    false,
    usages,
  );
}

/** Imports an uncompressed point as a public key; throws when it is not on the curve. */
export function importPublicKey(point: Uint8Array, algorithm: "ECDSA" | "ECDH"): Promise<CryptoKey> {
  const usages: string[] = algorithm === "ECDSA" ? ["verify"] : [];
  return crypto.subtle.importKey("raw", point, { name: algorithm, namedCurve: "P-256" }, true, usages);
}

/**
 * ECDH parameters with the peer's public key. The Web Crypto member is `public`; workers-types
 * spells it `$public` (a reserved-word workaround), so the object is typed by hand.
 */
export function ecdhWith(peer: CryptoKey): SubtleCryptoDeriveKeyAlgorithm {
  return { name: "ECDH", public: peer } as unknown as SubtleCryptoDeriveKeyAlgorithm;
}

/** Exports a public key as an uncompressed point. */
export async function exportPoint(key: CryptoKey): Promise<Uint8Array> {
  return new Uint8Array((await crypto.subtle.exportKey("raw", key)) as ArrayBuffer);
}

/** A fresh P-256 key pair as base64url strings: the 65-byte public point and the 32-byte private scalar. */
export async function generateP256KeyPair(): Promise<{ publicKey: string; privateKey: string }> {
  const pair = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, [
    "sign",
    "verify",
  ])) as CryptoKeyPair;
  const jwk = (await crypto.subtle.exportKey("jwk", pair.privateKey)) as JsonWebKey;
  if (!jwk.d) throw new Error("the private key did not export");
  return { publicKey: base64url(await exportPoint(pair.publicKey)), privateKey: jwk.d };
}

export { base64url, fromBase64url };
