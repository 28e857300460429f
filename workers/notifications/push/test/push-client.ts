import { deriveContentKeys } from "../encrypt.ts";
import { base64url, ecdhWith, exportPoint, fromBase64url, importPrivateKey } from "../p256.ts";

/**
 * The browser's half of RFC 8291, written for the tests with Web Crypto: a push subscription's key
 * pair and auth secret, and the decryption a user agent applies to a push message body.
 */
export type TestPushClient = {
  p256dh: string;
  auth: string;
  privateKey: CryptoKey;
  publicPoint: Uint8Array;
  authSecret: Uint8Array;
};

export async function newTestPushClient(): Promise<TestPushClient> {
  const pair = (await crypto.subtle.generateKey({ name: "ECDH", namedCurve: "P-256" }, true, [
    "deriveBits",
  ])) as CryptoKeyPair;
  const publicPoint = await exportPoint(pair.publicKey);
  const authSecret = crypto.getRandomValues(new Uint8Array(16));
  return {
    p256dh: base64url(publicPoint),
    auth: base64url(authSecret),
    privateKey: pair.privateKey,
    publicPoint,
    authSecret,
  };
}

/** A client from fixed keys (the RFC's user agent). */
export async function testPushClientFrom(privateKey: string, publicKey: string, auth: string): Promise<TestPushClient> {
  const publicPoint = fromBase64url(publicKey);
  return {
    p256dh: publicKey,
    auth,
    privateKey: await importPrivateKey(fromBase64url(privateKey), publicPoint, "ECDH"),
    publicPoint,
    authSecret: fromBase64url(auth),
  };
}

export type Decrypted = { plaintext: Uint8Array; recordSize: number; padding: number; senderPublic: Uint8Array };

/** Decrypts an `aes128gcm` push message body as a browser would; throws on any tampering. */
export async function decryptPushMessage(client: TestPushClient, body: Uint8Array): Promise<Decrypted> {
  const salt = body.slice(0, 16);
  const recordSize = new DataView(body.buffer, body.byteOffset).getUint32(16);
  const idLength = body[20] ?? 0;
  const senderPublic = body.slice(21, 21 + idLength);
  const ciphertext = body.slice(21 + idLength);
  if (ciphertext.length > recordSize) throw new Error("more than one record");
  const senderKey = await crypto.subtle.importKey(
    "raw",
    senderPublic,
    { name: "ECDH", namedCurve: "P-256" },
    false,
    [],
  );
  const sharedSecret = new Uint8Array(await crypto.subtle.deriveBits(ecdhWith(senderKey), client.privateKey, 256));
  const { cek, nonce } = await deriveContentKeys({
    sharedSecret,
    authSecret: client.authSecret,
    receiverPublic: client.publicPoint,
    senderPublic,
    salt,
  });
  const key = await crypto.subtle.importKey("raw", cek, "AES-GCM", false, ["decrypt"]);
  const record = new Uint8Array(await crypto.subtle.decrypt({ name: "AES-GCM", iv: nonce }, key, ciphertext));
  let end = record.length - 1;
  while (end >= 0 && record[end] === 0) end--;
  if (record[end] !== 0x02) throw new Error("no last-record delimiter");
  return { plaintext: record.slice(0, end), recordSize, padding: record.length - 1 - end, senderPublic };
}
