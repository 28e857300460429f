import { describe, expect, it } from "vitest";
import { call, expectErrorEnvelope, json, registerUser } from "../../test/http.ts";

let n = 0;
const register = (fields: { username?: string; displayName?: string }) => {
  n++;
  const username = fields.username ?? `names_${Date.now().toString(36)}_${n}`;
  return call("POST", "/api/v1/auth/register", {
    body: {
      email: `names${Date.now()}${n}@example.test`,
      password: "correct horse battery staple",
      ...fields,
      username,
    },
  });
};

describe("usernames", () => {
  it("reserves the platform's and staff names, case-insensitively, with a clear 400", async () => {
    for (const username of [
      "admin",
      "ROOT",
      "veza",
      "Support",
      "api",
      "veza_official",
      "Administrator",
      "moderator1",
    ]) {
      const response = await register({ username });
      expect(response.status, username).toBe(400);
      const body = await json(response);
      expectErrorEnvelope(body, "validation_failed");
      expect(JSON.stringify(body.error)).toContain("reserved");
    }
    expect((await register({ username: `rootbeer_${n}` })).status).toBe(201);
  });
});

describe("display names", () => {
  it("refuse invisible, control and text-direction characters, and names passing for staff", async () => {
    const refused = [
      "evil\u202Egnp.exe", // right-to-left override
      "\u200B\u200B\u200B", // zero-width spaces only
      "a\u2066b\u2069", // bidi isolates
      "nul\u0000byte",
      "line\r\nbreak",
      "bo\uFEFFm",
      "\u200D",
      "Veza Admin ✔",
      "official",
      "   ",
    ];
    for (const displayName of refused) {
      const response = await register({ displayName });
      expect(response.status, JSON.stringify(displayName)).toBe(400);
      expectErrorEnvelope(await json(response), "validation_failed");
    }
    const user = await registerUser();
    const patched = await call("PATCH", "/api/v1/me", { token: user.token, body: { displayName: "x\u202Ey" } });
    expect(patched.status).toBe(400);
  });

  it("accept real names in any script and emoji sequences, NFKC-normalised", async () => {
    const cases: [string, string][] = [
      ["Zoë Ødegaard", "Zoë Ødegaard"],
      ["東京の音", "東京の音"],
      ["Family 👨‍👩‍👧", "Family 👨‍👩‍👧"],
      ["میخواهم", "میخواهم"],
      ["Ｆｕｌｌｗｉｄｔｈ", "Fullwidth"],
      ["  spaced out  ", "spaced out"],
    ];
    for (const [displayName, stored] of cases) {
      const response = await register({ displayName });
      expect(response.status, displayName).toBe(201);
      expect((await json(response)).user.displayName).toBe(stored);
    }
  });
});
