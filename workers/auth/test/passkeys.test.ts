import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, expectErrorEnvelope, json, refreshCookieOf, registerUser, type TestUser } from "../../test/http.ts";
import { enableTotp, passwordStep, secondStep } from "./mfa-fixtures.ts";
import { SoftAuthenticator } from "./soft-authenticator.ts";

const ORIGIN = env.PASSKEY_ORIGINS.split(",")[0]!;
const RP_ID = new URL(ORIGIN).hostname;

async function startRegistration(user: TestUser) {
  const response = await call("POST", "/api/v1/me/passkeys/options", {
    token: user.token,
    body: { password: user.password },
  });
  expect(response.status).toBe(200);
  return json(response);
}

/** Registers a new software passkey for the user through the API. */
async function addPasskey(user: TestUser, name = "Test key") {
  const authenticator = await SoftAuthenticator.create();
  const { challenge, options } = await startRegistration(user);
  const response = await call("POST", "/api/v1/me/passkeys", {
    token: user.token,
    body: { challenge, name, response: await authenticator.register(options, ORIGIN) },
  });
  expect(response.status).toBe(201);
  return { authenticator, passkey: await json(response) };
}

async function startPasskeyLogin() {
  const response = await call("POST", "/api/v1/auth/passkey/options");
  expect(response.status).toBe(200);
  return json(response);
}

const passkeyLogin = (challenge: string, response: unknown) =>
  call("POST", "/api/v1/auth/passkey/login", { body: { challenge, response } });

describe("registering passkeys", () => {
  it("asks for the password, then registers several named passkeys that are listed and removable", async () => {
    const user = await registerUser();
    const denied = await call("POST", "/api/v1/me/passkeys/options", {
      token: user.token,
      body: { password: "wrong" },
    });
    expect(denied.status).toBe(403);

    const { options } = await startRegistration(user);
    expect(options).toMatchObject({
      rp: { id: RP_ID, name: "Veza" },
      user: { name: user.username },
      attestation: "none",
    });
    expect(options.authenticatorSelection).toMatchObject({ residentKey: "required", userVerification: "required" });

    const first = await addPasskey(user, "Laptop");
    expect(first.passkey).toMatchObject({ id: first.authenticator.id, name: "Laptop", lastUsedAt: null });
    const second = await addPasskey(user, "Phone");
    // The browser is told which passkeys the account already has, so the same one is not added twice.
    const third = await startRegistration(user);
    expect(third.options.excludeCredentials.map((c: { id: string }) => c.id).sort()).toEqual(
      [first.authenticator.id, second.authenticator.id].sort(),
    );

    const list = await json(await call("GET", "/api/v1/me/passkeys", { token: user.token }));
    expect(list.items.map((p: { name: string }) => p.name)).toEqual(["Phone", "Laptop"]);
    expect(await json(await call("GET", "/api/v1/me/mfa", { token: user.token }))).toMatchObject({ passkeys: 2 });

    const path = `/api/v1/me/passkeys/${encodeURIComponent(first.authenticator.id)}`;
    expect((await call("DELETE", path, { token: user.token, body: { password: "wrong" } })).status).toBe(403);
    expect((await call("DELETE", path, { token: user.token, body: { password: user.password } })).status).toBe(204);
    expect((await call("DELETE", path, { token: user.token, body: { password: user.password } })).status).toBe(404);
    const after = await json(await call("GET", "/api/v1/me/passkeys", { token: user.token }));
    expect(after.items.map((p: { name: string }) => p.name)).toEqual(["Phone"]);
  });

  it("uses a registration challenge once", async () => {
    const user = await registerUser();
    const { challenge, options } = await startRegistration(user);
    const authenticator = await SoftAuthenticator.create();
    const response = await authenticator.register(options, ORIGIN);
    const body = { challenge, name: "Key", response };
    expect((await call("POST", "/api/v1/me/passkeys", { token: user.token, body })).status).toBe(201);
    const again = await call("POST", "/api/v1/me/passkeys", { token: user.token, body: { ...body, name: "Again" } });
    expect(again.status).toBe(401);
    expectErrorEnvelope(await json(again), "invalid_challenge");
  });

  it("refuses a response for another origin, for another challenge, or from another account's ceremony", async () => {
    const user = await registerUser();
    const other = await registerUser();
    const authenticator = await SoftAuthenticator.create();

    const wrongOrigin = await startRegistration(user);
    const fromPhishingSite = await call("POST", "/api/v1/me/passkeys", {
      token: user.token,
      body: {
        challenge: wrongOrigin.challenge,
        name: "Key",
        response: await authenticator.register(wrongOrigin.options, "https://veza.example.evil"),
      },
    });
    expect(fromPhishingSite.status).toBe(400);
    expectErrorEnvelope(await json(fromPhishingSite), "passkey_rejected");

    const a = await startRegistration(user);
    const b = await startRegistration(user);
    const mismatched = await call("POST", "/api/v1/me/passkeys", {
      token: user.token,
      body: { challenge: a.challenge, name: "Key", response: await authenticator.register(b.options, ORIGIN) },
    });
    expect(mismatched.status).toBe(400);

    const theirs = await startRegistration(other);
    const stolen = await call("POST", "/api/v1/me/passkeys", {
      token: user.token,
      body: {
        challenge: theirs.challenge,
        name: "Key",
        response: await authenticator.register(theirs.options, ORIGIN),
      },
    });
    expect(stolen.status).toBe(403);
    expect((await json(await call("GET", "/api/v1/me/passkeys", { token: user.token }))).items).toEqual([]);
  });
});

describe("signing in with a passkey, no password", () => {
  it("signs in like a normal login and records the use", async () => {
    const user = await registerUser();
    const { authenticator } = await addPasskey(user);
    const { challenge, options } = await startPasskeyLogin();
    expect(options.rpId).toBe(RP_ID);
    expect(options.userVerification).toBe("required");
    const response = await passkeyLogin(challenge, await authenticator.assert(options, ORIGIN));
    expect(response.status).toBe(200);
    const body = await json(response);
    expect(body.user.id).toBe(user.id);
    expect((await call("GET", "/api/v1/me", { token: body.accessToken })).status).toBe(200);
    expect(refreshCookieOf(response)).toBeTruthy();
    const list = await json(await call("GET", "/api/v1/me/passkeys", { token: user.token }));
    expect(list.items[0].lastUsedAt).not.toBeNull();
  });

  it("uses a sign-in challenge once: the same answer again is refused", async () => {
    const user = await registerUser();
    const { authenticator } = await addPasskey(user);
    const { challenge, options } = await startPasskeyLogin();
    const assertion = await authenticator.assert(options, ORIGIN);
    expect((await passkeyLogin(challenge, assertion)).status).toBe(200);
    const replay = await passkeyLogin(challenge, assertion);
    expect(replay.status).toBe(401);
    expectErrorEnvelope(await json(replay), "invalid_challenge");
    // Nor does an old answer pass under a new challenge: it signed another one.
    const fresh = await startPasskeyLogin();
    const stale = await passkeyLogin(fresh.challenge, assertion);
    expect(stale.status).toBe(401);
    expectErrorEnvelope(await json(stale), "passkey_rejected");
  });

  it("refuses a forged signature, an unknown passkey, a missing user verification and a removed passkey", async () => {
    const user = await registerUser();
    const { authenticator } = await addPasskey(user);
    const impostor = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign"]);

    const forged = await startPasskeyLogin();
    const forgedAnswer = await authenticator.assert(forged.options, ORIGIN, {
      signWith: (impostor as CryptoKeyPair).privateKey,
    });
    expect((await passkeyLogin(forged.challenge, forgedAnswer)).status).toBe(401);

    const unknown = await startPasskeyLogin();
    const stranger = await SoftAuthenticator.create();
    const strangerAnswer = await passkeyLogin(unknown.challenge, await stranger.assert(unknown.options, ORIGIN));
    expect(strangerAnswer.status).toBe(401);
    expectErrorEnvelope(await json(strangerAnswer), "passkey_rejected");

    const noUv = await startPasskeyLogin();
    const presentOnly = await authenticator.assert(noUv.options, ORIGIN, { userVerified: false });
    expect((await passkeyLogin(noUv.challenge, presentOnly)).status).toBe(401);

    await call("DELETE", `/api/v1/me/passkeys/${encodeURIComponent(authenticator.id)}`, {
      token: user.token,
      body: { password: user.password },
    });
    const removed = await startPasskeyLogin();
    expect((await passkeyLogin(removed.challenge, await authenticator.assert(removed.options, ORIGIN))).status).toBe(
      401,
    );
  });
});

describe("a passkey as the second step", () => {
  it("is offered after the password when two-step sign-in is on, and signs in once per challenge", async () => {
    const user = await enableTotp(await registerUser());
    const { authenticator } = await addPasskey(user);
    const { body } = await passwordStep(user);
    expect(body.methods).toEqual(["totp", "recovery_code", "passkey"]);
    expect(body.passkeyOptions.allowCredentials.map((c: { id: string }) => c.id)).toEqual([authenticator.id]);

    const assertion = await authenticator.assert(body.passkeyOptions, ORIGIN);
    const done = await secondStep(body.challenge, { passkey: assertion });
    expect(done.status).toBe(200);
    expect((await json(done)).user.id).toBe(user.id);
    const replay = await secondStep(body.challenge, { passkey: assertion });
    expect(replay.status).toBe(401);
    expectErrorEnvelope(await json(replay), "invalid_challenge");
  });

  it("does not accept another account's passkey", async () => {
    const user = await enableTotp(await registerUser());
    await addPasskey(user);
    const other = await registerUser();
    const { authenticator: theirs } = await addPasskey(other);
    const { body } = await passwordStep(user);
    const response = await secondStep(body.challenge, { passkey: await theirs.assert(body.passkeyOptions, ORIGIN) });
    expect(response.status).toBe(401);
    expectErrorEnvelope(await json(response), "passkey_rejected");
  });
});
