import { describe, expect, it } from "vitest";
import { argon2ParamsFrom, DEFAULT_ARGON2, hashPassword, parsePhc, verifyPassword } from "./password.ts";

describe("argon2id passwords", () => {
  it("uses the OWASP minimum by default (m=19 MiB, t=2, p=1) and round-trips", () => {
    expect(argon2ParamsFrom(undefined)).toEqual({ m: 19456, t: 2, p: 1 });
    const phc = hashPassword("hunter2 but longer", DEFAULT_ARGON2);
    expect(phc).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(verifyPassword("hunter2 but longer", phc, DEFAULT_ARGON2)).toEqual({ ok: true, needsRehash: false });
    expect(verifyPassword("hunter3 but longer", phc, DEFAULT_ARGON2).ok).toBe(false);
  });

  it("flags a hash made with other parameters for rehash, and rejects garbage", () => {
    const weak = hashPassword("pw pw pw pw", { m: 16, t: 1, p: 1 });
    expect(verifyPassword("pw pw pw pw", weak, DEFAULT_ARGON2)).toEqual({ ok: true, needsRehash: true });
    expect(parsePhc("$2b$10$notargon")).toBeNull();
    expect(verifyPassword("x", "plain text", DEFAULT_ARGON2)).toEqual({ ok: false, needsRehash: false });
  });
});
