import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { generateP256KeyPair } from "../p256.ts";
import { VAPID_TOKEN_SECONDS, VapidConfigError, vapidAuthorization, vapidKeys } from "../vapid.ts";
import { verifyVapidAuthorization } from "./vapid-verify.ts";

describe("VAPID (RFC 8292)", () => {
  it("signs an ES256 JWT for the push service's origin that verifies with the public key", async () => {
    const keys = await vapidKeys(env);
    const now = Date.UTC(2026, 10, 29, 12, 0, 0);
    const authorization = await vapidAuthorization(keys, "https://push.example.net:8443/wpush/v2/abc?x=1", now);
    const { key, header, claims } = await verifyVapidAuthorization(authorization);
    expect(key).toBe(env.VAPID_PUBLIC_KEY);
    expect(header).toEqual({ typ: "JWT", alg: "ES256" });
    expect(claims.aud).toBe("https://push.example.net:8443");
    expect(claims.sub).toBe(env.VAPID_SUBJECT);
    expect(claims.exp).toBe(now / 1000 + VAPID_TOKEN_SECONDS);
    expect(claims.exp - now / 1000).toBeLessThanOrEqual(24 * 60 * 60);
  });

  it("reuses one token per push service while it has over an hour to live", async () => {
    const keys = await vapidKeys(env);
    const start = Date.UTC(2026, 10, 30, 8, 0, 0);
    const first = await vapidAuthorization(keys, "https://reuse.push.example/a", start);
    expect(await vapidAuthorization(keys, "https://reuse.push.example/b", start + 10 * 3600_000)).toBe(first);
    const other = await vapidAuthorization(keys, "https://other.push.example/a", start);
    expect((await verifyVapidAuthorization(other)).claims.aud).toBe("https://other.push.example");
    const later = await vapidAuthorization(keys, "https://reuse.push.example/a", start + 11.5 * 3600_000);
    expect(later).not.toBe(first);
    expect((await verifyVapidAuthorization(later)).claims.exp).toBe(
      (start + 11.5 * 3600_000) / 1000 + VAPID_TOKEN_SECONDS,
    );
  });

  it("a token signed with another private key does not verify", async () => {
    const other = await generateP256KeyPair();
    const keys = await vapidKeys({ ...env, VAPID_PRIVATE_KEY: other.privateKey, VAPID_PUBLIC_KEY: other.publicKey });
    const authorization = await vapidAuthorization(keys, "https://push.example.net/x");
    const forged = authorization.replace(/k=.*$/, `k=${env.VAPID_PUBLIC_KEY}`);
    await expect(verifyVapidAuthorization(forged)).rejects.toThrow(/does not verify/);
  });

  it("refuses missing, malformed or mismatched keys and a subject that is no contact", async () => {
    const other = await generateP256KeyPair();
    const cases = [
      { VAPID_PUBLIC_KEY: "" },
      { VAPID_PRIVATE_KEY: "dev-only-generated-by-npm-start" },
      { VAPID_PUBLIC_KEY: other.publicKey },
      { VAPID_SUBJECT: "push@veza.example" },
    ];
    for (const change of cases) {
      await expect(vapidKeys({ ...env, ...change }), JSON.stringify(change)).rejects.toBeInstanceOf(VapidConfigError);
    }
  });
});
