import { describe, expect, it } from "vitest";
import { encryptPushPayload, MAX_PLAINTEXT_BYTES, RECORD_SIZE } from "../encrypt.ts";
import { base64url, fromBase64url } from "../p256.ts";
import { decryptPushMessage, newTestPushClient, testPushClientFrom } from "./push-client.ts";

// RFC 8291 Appendix A, every value verbatim (base64url, unpadded).
const RFC = {
  plaintext: "V2hlbiBJIGdyb3cgdXAsIEkgd2FudCB0byBiZSBhIHdhdGVybWVsb24",
  asPublic: "BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8",
  asPrivate: "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw",
  uaPublic: "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4",
  uaPrivate: "q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94",
  authSecret: "BTBZMqHH6r4Tts7J_aSIgg",
  salt: "DGv6ra1nlYgDCS1FRnbzlw",
  message:
    "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN",
};

describe("RFC 8291 aes128gcm push message encryption", () => {
  it("encrypts the RFC's Appendix A example to exactly its bytes", async () => {
    const body = await encryptPushPayload(
      fromBase64url(RFC.plaintext),
      { p256dh: fromBase64url(RFC.uaPublic), auth: fromBase64url(RFC.authSecret) },
      {
        salt: fromBase64url(RFC.salt),
        senderKeys: { publicPoint: fromBase64url(RFC.asPublic), privateKey: fromBase64url(RFC.asPrivate) },
      },
    );
    expect(base64url(body)).toBe(RFC.message);
  });

  it("decrypts the RFC's Appendix A message with the user agent's keys", async () => {
    const client = await testPushClientFrom(RFC.uaPrivate, RFC.uaPublic, RFC.authSecret);
    const decrypted = await decryptPushMessage(client, fromBase64url(RFC.message));
    expect(new TextDecoder().decode(decrypted.plaintext)).toBe("When I grow up, I want to be a watermelon");
    expect(decrypted.recordSize).toBe(4096);
    expect(base64url(decrypted.senderPublic)).toBe(RFC.asPublic);
  });

  it("round-trips a payload with a fresh sender key, salt and padding for a generated client", async () => {
    const client = await newTestPushClient();
    const text = new TextEncoder().encode(JSON.stringify({ title: "Ana liked “Night Drive”", n: 1 }));
    const keys = { p256dh: fromBase64url(client.p256dh), auth: fromBase64url(client.auth) };
    const first = await encryptPushPayload(text, keys, { padding: 37 });
    const second = await encryptPushPayload(text, keys, { padding: 37 });
    expect(base64url(first)).not.toBe(base64url(second));
    const decrypted = await decryptPushMessage(client, first);
    expect(decrypted.plaintext).toEqual(text);
    expect(decrypted.padding).toBe(37);
    expect(decrypted.recordSize).toBe(RECORD_SIZE);
    expect(first.length).toBe(86 + text.length + 1 + 37 + 16);
  });

  it("fails to decrypt for another client or after a flipped bit", async () => {
    const client = await newTestPushClient();
    const other = await newTestPushClient();
    const body = await encryptPushPayload(new TextEncoder().encode("secret"), {
      p256dh: client.publicPoint,
      auth: client.authSecret,
    });
    await expect(decryptPushMessage(other, body)).rejects.toThrow();
    const tampered = body.slice();
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 1;
    await expect(decryptPushMessage(client, tampered)).rejects.toThrow();
  });

  it("refuses payloads that do not fit one 4096-byte message and malformed client keys", async () => {
    const client = await newTestPushClient();
    const keys = { p256dh: client.publicPoint, auth: client.authSecret };
    const fits = await encryptPushPayload(new Uint8Array(MAX_PLAINTEXT_BYTES), keys);
    expect(fits.length).toBe(4096);
    await expect(encryptPushPayload(new Uint8Array(MAX_PLAINTEXT_BYTES + 1), keys)).rejects.toThrow(/at most/);
    await expect(encryptPushPayload(new Uint8Array(1), { ...keys, auth: new Uint8Array(15) })).rejects.toThrow();
    await expect(
      encryptPushPayload(new Uint8Array(1), { ...keys, p256dh: new Uint8Array(65).fill(4) }),
    ).rejects.toThrow();
  });
});
