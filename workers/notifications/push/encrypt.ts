import { ecdhWith, exportPoint, importPrivateKey, importPublicKey, isUncompressedPoint } from "./p256.ts";

/**
 * RFC 8291 message encryption for Web Push, in the RFC 8188 `aes128gcm` content coding, with Web
 * Crypto only. A push message is one record: header (salt, record size, the sender's ephemeral
 * public key as key id), then AES-128-GCM over the plaintext, the last-record delimiter 0x02 and
 * optional zero padding.
 */

/** The record size we declare; push services accept bodies up to 4096 bytes. */
export const RECORD_SIZE = 4096;
const HEADER_BYTES = 16 + 4 + 1 + 65;
const TAG_BYTES = 16;
/** The largest plaintext that fits one 4096-byte push message (header, delimiter and tag included). */
export const MAX_PLAINTEXT_BYTES = RECORD_SIZE - HEADER_BYTES - TAG_BYTES - 1;

export type ClientKeys = {
  /** The browser's ECDH public key (`p256dh`): an uncompressed P-256 point. */
  p256dh: Uint8Array;
  /** The browser's authentication secret (`auth`): 16 bytes. */
  auth: Uint8Array;
};

export type EncryptOptions = {
  /** Zero bytes appended after the delimiter, hiding the payload's length to the push service. */
  padding?: number;
  /** Fixed salt and sender key pair: only the RFC's test vector needs them; otherwise fresh each time. */
  salt?: Uint8Array;
  senderKeys?: { publicPoint: Uint8Array; privateKey: Uint8Array };
};

const encoder = new TextEncoder();

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

async function hkdf(ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, bytes: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey("raw", ikm, "HKDF", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits({ name: "HKDF", hash: "SHA-256", salt, info }, key, bytes * 8);
  return new Uint8Array(bits);
}

/** The content key and nonce of RFC 8291 §3.4 (shared by encryption and the tests' decryption). */
export async function deriveContentKeys(input: {
  sharedSecret: Uint8Array;
  authSecret: Uint8Array;
  receiverPublic: Uint8Array;
  senderPublic: Uint8Array;
  salt: Uint8Array;
}): Promise<{ cek: Uint8Array; nonce: Uint8Array }> {
  const keyInfo = concat(encoder.encode("WebPush: info\0"), input.receiverPublic, input.senderPublic);
  const ikm = await hkdf(input.sharedSecret, input.authSecret, keyInfo, 32);
  const cek = await hkdf(ikm, input.salt, encoder.encode("Content-Encoding: aes128gcm\0"), 16);
  const nonce = await hkdf(ikm, input.salt, encoder.encode("Content-Encoding: nonce\0"), 12);
  return { cek, nonce };
}

async function senderKeyPair(fixed: EncryptOptions["senderKeys"]) {
  if (fixed) {
    return {
      publicPoint: fixed.publicPoint,
      privateKey: await importPrivateKey(fixed.privateKey, fixed.publicPoint, "ECDH"),
    };
  }
  const pair = (await crypto.subtle.generateKey({ name: "ECDH", namedCurve: "P-256" }, true, [
    "deriveBits",
  ])) as CryptoKeyPair;
  return { publicPoint: await exportPoint(pair.publicKey), privateKey: pair.privateKey };
}

/** Encrypts `plaintext` for one subscription; the result is the request body (`Content-Encoding: aes128gcm`). */
export async function encryptPushPayload(
  plaintext: Uint8Array,
  client: ClientKeys,
  options: EncryptOptions = {},
): Promise<Uint8Array> {
  const padding = options.padding ?? 0;
  if (!isUncompressedPoint(client.p256dh)) throw new Error("p256dh is not an uncompressed P-256 point");
  if (client.auth.length !== 16) throw new Error("auth must be 16 bytes");
  if (plaintext.length + padding > MAX_PLAINTEXT_BYTES) {
    throw new Error(`a push payload holds at most ${MAX_PLAINTEXT_BYTES} bytes`);
  }
  const salt = options.salt ?? crypto.getRandomValues(new Uint8Array(16));
  const sender = await senderKeyPair(options.senderKeys);
  const receiverKey = await importPublicKey(client.p256dh, "ECDH");
  const sharedSecret = new Uint8Array(await crypto.subtle.deriveBits(ecdhWith(receiverKey), sender.privateKey, 256));
  const { cek, nonce } = await deriveContentKeys({
    sharedSecret,
    authSecret: client.auth,
    receiverPublic: client.p256dh,
    senderPublic: sender.publicPoint,
    salt,
  });
  const record = new Uint8Array(plaintext.length + 1 + padding);
  record.set(plaintext);
  record[plaintext.length] = 0x02; // last (and only) record; the padding after it stays zero
  const key = await crypto.subtle.importKey("raw", cek, "AES-GCM", false, ["encrypt"]);
  const ciphertext = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv: nonce }, key, record));

  const header = new Uint8Array(HEADER_BYTES);
  header.set(salt, 0);
  new DataView(header.buffer).setUint32(16, RECORD_SIZE);
  header[20] = sender.publicPoint.length;
  header.set(sender.publicPoint, 21);
  return concat(header, ciphertext);
}
