import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../shared/crypto.ts";
import { restJson, subsonicUser } from "../../subsonic/test/fixtures.ts";
import { call, expectErrorEnvelope, json, refreshCookieOf, registerUser } from "../../test/http.ts";
import { enableTotp, passwordStep, secondStep, totpCode } from "./mfa-fixtures.ts";
import { freshProviderId, signInWithProvider } from "./oauth-flow.ts";

describe("setting up an authenticator app", () => {
  it("gives a secret and an otpauth URL, stores the secret encrypted, and stays off until confirmed", async () => {
    const user = await registerUser();
    const setup = await call("POST", "/api/v1/me/mfa/totp", { token: user.token });
    expect(setup.status).toBe(200);
    const { secret, otpauthUrl } = await json(setup);
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const url = new URL(otpauthUrl);
    expect(url.protocol).toBe("otpauth:");
    expect(url.searchParams.get("secret")).toBe(secret);
    expect(url.searchParams.get("issuer")).toBe("Veza");
    expect(decodeURIComponent(url.pathname)).toContain(user.username);

    const stored = await env.DB.prepare("SELECT sealed, confirmed_at FROM totp_secrets WHERE user_id = ?")
      .bind(user.id)
      .first<{ sealed: string; confirmed_at: number | null }>();
    expect(stored?.confirmed_at).toBeNull();
    expect(stored?.sealed).not.toContain(secret);

    expect(await json(await call("GET", "/api/v1/me/mfa", { token: user.token }))).toMatchObject({ totp: "pending" });
    // Not active yet: the password alone still signs in.
    const { body } = await passwordStep(user);
    expect(body.accessToken).toBeTruthy();
    expect(body.mfaRequired).toBeUndefined();
  });

  it("refuses a wrong code, then turns on with the app's code and returns ten different recovery codes once", async () => {
    const user = await registerUser();
    const { secret } = await json(await call("POST", "/api/v1/me/mfa/totp", { token: user.token }));
    const wrong = await call("POST", "/api/v1/me/mfa/totp/confirm", {
      token: user.token,
      body: { code: totpCode(secret, 5) },
    });
    expect(wrong.status).toBe(400);
    expectErrorEnvelope(await json(wrong), "invalid_mfa_code");

    const confirm = await call("POST", "/api/v1/me/mfa/totp/confirm", {
      token: user.token,
      body: { code: totpCode(secret) },
    });
    expect(confirm.status).toBe(200);
    const { recoveryCodes } = await json(confirm);
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    for (const code of recoveryCodes) expect(code).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);
    const stored = await env.DB.prepare("SELECT code_hash FROM recovery_codes WHERE user_id = ?").bind(user.id).all();
    expect(stored.results.map((r) => r.code_hash)).not.toContain(recoveryCodes[0]);

    expect(await json(await call("GET", "/api/v1/me/mfa", { token: user.token }))).toEqual({
      totp: "on",
      recoveryCodesLeft: 10,
      passkeys: 0,
    });
    const again = await call("POST", "/api/v1/me/mfa/totp", { token: user.token });
    expect(again.status).toBe(409);
    expectErrorEnvelope(await json(again), "mfa_already_enabled");
  });

  it("refuses to confirm when no setup was started", async () => {
    const user = await registerUser();
    const response = await call("POST", "/api/v1/me/mfa/totp/confirm", { token: user.token, body: { code: "123456" } });
    expect(response.status).toBe(409);
    expectErrorEnvelope(await json(response), "mfa_not_enabled");
  });
});

describe("two-step sign-in", () => {
  it("answers the password with a challenge and no tokens, then signs in with the app's code like a normal login", async () => {
    const user = await enableTotp(await registerUser());
    const { response, body } = await passwordStep(user);
    expect(response.status).toBe(200);
    expect(body).toMatchObject({ mfaRequired: true, methods: ["totp", "recovery_code"] });
    expect(body.challenge).toEqual(expect.any(String));
    expect(body.accessToken).toBeUndefined();
    expect(body.user).toBeUndefined();
    expect(refreshCookieOf(response)).toBeUndefined();

    const done = await secondStep(body.challenge, { code: totpCode(user.secret, 1) });
    expect(done.status).toBe(200);
    const session = await json(done);
    expect(session.user.id).toBe(user.id);
    const devices = await json(await call("GET", "/api/v1/me/sessions", { token: session.accessToken }));
    expect(devices.items.find((d: { current: boolean }) => d.current)?.method).toBe("password+totp");
    const me = await call("GET", "/api/v1/me", { token: session.accessToken });
    expect(me.status).toBe(200);
    const cookie = refreshCookieOf(done);
    expect(cookie).toBeTruthy();
    const refreshed = await call("POST", "/api/v1/auth/refresh", { cookie });
    expect(refreshed.status).toBe(200);
  });

  it("does not accept a code twice: not the one that confirmed the setup, not one that already signed in", async () => {
    const user = await enableTotp(await registerUser());
    const first = await passwordStep(user);
    const replayOfConfirm = await secondStep(first.body.challenge, { code: user.confirmCode });
    expect(replayOfConfirm.status).toBe(401);
    expectErrorEnvelope(await json(replayOfConfirm), "invalid_mfa_code");

    const next = totpCode(user.secret, 1);
    expect((await secondStep(first.body.challenge, { code: next })).status).toBe(200);
    const second = await passwordStep(user);
    const replay = await secondStep(second.body.challenge, { code: next });
    expect(replay.status).toBe(401);
    expectErrorEnvelope(await json(replay), "invalid_mfa_code");
  });

  it("accepts only one of two concurrent answers with the same code", async () => {
    const user = await enableTotp(await registerUser());
    const [a, b] = await Promise.all([passwordStep(user), passwordStep(user)]);
    const code = totpCode(user.secret, 1);
    const answers = await Promise.all([secondStep(a.body.challenge, { code }), secondStep(b.body.challenge, { code })]);
    expect(answers.map((r) => r.status).sort()).toEqual([200, 401]);
  });

  it("refuses a wrong code, and a code for another account's secret", async () => {
    const user = await enableTotp(await registerUser());
    const other = await enableTotp(await registerUser());
    const { body } = await passwordStep(user);
    for (const code of ["000000", totpCode(other.secret, 1)]) {
      const response = await secondStep(body.challenge, { code });
      expect(response.status).toBe(401);
      expectErrorEnvelope(await json(response), "invalid_mfa_code");
    }
  });

  it("takes each recovery code once, typed in any case and spacing", async () => {
    const user = await enableTotp(await registerUser());
    const code = user.recoveryCodes[3]!;
    const first = await passwordStep(user);
    const typed = ` ${code.toUpperCase().replace("-", " ")} `;
    expect((await secondStep(first.body.challenge, { code: typed })).status).toBe(200);
    expect(await json(await call("GET", "/api/v1/me/mfa", { token: user.token }))).toMatchObject({
      recoveryCodesLeft: 9,
    });

    const second = await passwordStep(user);
    const reused = await secondStep(second.body.challenge, { code });
    expect(reused.status).toBe(401);
    expectErrorEnvelope(await json(reused), "invalid_mfa_code");
    expect((await secondStep(second.body.challenge, { code: user.recoveryCodes[4]! })).status).toBe(200);
  });

  it("uses a challenge once: after it signed in, it is refused even with a good code", async () => {
    const user = await enableTotp(await registerUser());
    const { body } = await passwordStep(user);
    expect((await secondStep(body.challenge, { code: user.recoveryCodes[0]! })).status).toBe(200);
    const again = await secondStep(body.challenge, { code: user.recoveryCodes[1]! });
    expect(again.status).toBe(401);
    expectErrorEnvelope(await json(again), "invalid_challenge");
  });

  it("refuses an expired challenge and an unknown one", async () => {
    const user = await enableTotp(await registerUser());
    const { body } = await passwordStep(user);
    await env.DB.prepare("UPDATE auth_challenges SET expires_at = ?1 WHERE id = ?2")
      .bind(Date.now() - 1, await sha256Hex(body.challenge))
      .run();
    const expired = await secondStep(body.challenge, { code: user.recoveryCodes[0]! });
    expect(expired.status).toBe(401);
    expectErrorEnvelope(await json(expired), "invalid_challenge");
    const unknown = await secondStep("not-a-challenge", { code: user.recoveryCodes[0]! });
    expect(unknown.status).toBe(401);
    expectErrorEnvelope(await json(unknown), "invalid_challenge");
    // The refused attempts did not spend the recovery code.
    const fresh = await passwordStep(user);
    expect((await secondStep(fresh.body.challenge, { code: user.recoveryCodes[0]! })).status).toBe(200);
  });

  it("voids a challenge after five wrong codes, and counts them against the login backoff", async () => {
    const user = await enableTotp(await registerUser());
    const { body } = await passwordStep(user);
    for (let i = 0; i < 5; i++) {
      expect((await secondStep(body.challenge, { code: "wrong-guess" })).status).toBe(401);
    }
    const voided = await secondStep(body.challenge, { code: user.recoveryCodes[0]! });
    expect(voided.status).toBe(401);
    expectErrorEnvelope(await json(voided), "invalid_challenge");
    // Password step + five wrong codes: past the five free attempts, the account now waits.
    const slowed = await passwordStep(user);
    expect(slowed.response.status).toBe(429);
    expect(Number(slowed.response.headers.get("retry-after"))).toBeGreaterThan(0);
    expectErrorEnvelope(slowed.body, "rate_limited");
  });

  it("validates the body: a code or a passkey, not neither", async () => {
    const response = await call("POST", "/api/v1/auth/login/mfa", { body: { challenge: "x" } });
    expect(response.status).toBe(400);
    expectErrorEnvelope(await json(response), "validation_failed");
  });

  it("asks for the second step after a sign-in provider too, and sets no cookie before it", async () => {
    const id = freshProviderId();
    const created = await signInWithProvider("github", { id, login: `gh_${id}`, email: `gh${id}@example.test` });
    expect(created.status).toBe(200);
    const first = await json(created);
    const user = await enableTotp({ ...(first.user as { id: string }), token: first.accessToken } as never);
    const again = await signInWithProvider("github", { id, login: `gh_${id}`, email: `gh${id}@example.test` });
    expect(again.status).toBe(200);
    const body = await json(again);
    expect(body).toMatchObject({ result: "mfa_required", mfaRequired: true, methods: ["totp", "recovery_code"] });
    expect(body.accessToken).toBeUndefined();
    expect(refreshCookieOf(again)).toBeUndefined();
    const done = await secondStep(body.challenge, { code: user.recoveryCodes[0]! });
    expect(done.status).toBe(200);
    expect((await json(done)).user.id).toBe(first.user.id);
  });

  it("leaves Subsonic app passwords and API keys working as one step", async () => {
    const user = await subsonicUser();
    await enableTotp(user);
    expect((await restJson("ping", { u: user.username, p: user.appPassword })).status).toBe("ok");
    expect((await restJson("ping", { apiKey: user.apiKey })).status).toBe("ok");
  });
});

describe("turning two-step sign-in off and new recovery codes", () => {
  it("needs the current password to turn it off; then the password alone signs in", async () => {
    const user = await enableTotp(await registerUser());
    const wrong = await call("DELETE", "/api/v1/me/mfa/totp", { token: user.token, body: { password: "not it" } });
    expect(wrong.status).toBe(403);
    expectErrorEnvelope(await json(wrong), "invalid_credentials");
    const off = await call("DELETE", "/api/v1/me/mfa/totp", { token: user.token, body: { password: user.password } });
    expect(off.status).toBe(204);
    expect(await json(await call("GET", "/api/v1/me/mfa", { token: user.token }))).toEqual({
      totp: "off",
      recoveryCodesLeft: 0,
      passkeys: 0,
    });
    const { body } = await passwordStep(user);
    expect(body.accessToken).toBeTruthy();
    const codes = await env.DB.prepare("SELECT count(*) AS n FROM recovery_codes WHERE user_id = ?")
      .bind(user.id)
      .first<{ n: number }>();
    expect(codes?.n).toBe(0);
  });

  it("replaces the recovery codes (with the password): the old ones stop working", async () => {
    const user = await enableTotp(await registerUser());
    const denied = await call("POST", "/api/v1/me/mfa/recovery-codes", {
      token: user.token,
      body: { password: "nope" },
    });
    expect(denied.status).toBe(403);
    const fresh = await call("POST", "/api/v1/me/mfa/recovery-codes", {
      token: user.token,
      body: { password: user.password },
    });
    expect(fresh.status).toBe(200);
    const { recoveryCodes } = await json(fresh);
    expect(recoveryCodes).toHaveLength(10);
    const { body } = await passwordStep(user);
    expect((await secondStep(body.challenge, { code: user.recoveryCodes[0]! })).status).toBe(401);
    expect((await secondStep(body.challenge, { code: recoveryCodes[0] })).status).toBe(200);
  });

  it("tells an account without a password (made through a sign-in provider) to set one first", async () => {
    const user = await enableTotp(await registerUser());
    await env.DB.prepare("UPDATE users SET password_hash = '' WHERE id = ?").bind(user.id).run();
    const response = await call("DELETE", "/api/v1/me/mfa/totp", { token: user.token, body: { password: "anything" } });
    expect(response.status).toBe(403);
    const body = await json(response);
    expectErrorEnvelope(body, "invalid_credentials");
    expect(body.error.message).toContain("no password yet");
  });

  it("answers 409 for new recovery codes while two-step sign-in is off", async () => {
    const user = await registerUser();
    const response = await call("POST", "/api/v1/me/mfa/recovery-codes", {
      token: user.token,
      body: { password: user.password },
    });
    expect(response.status).toBe(409);
    expectErrorEnvelope(await json(response), "mfa_not_enabled");
  });

  it("needs a signed-in user", async () => {
    for (const [method, path] of [
      ["GET", "/api/v1/me/mfa"],
      ["POST", "/api/v1/me/mfa/totp"],
    ] as const) {
      const response = await call(method, path);
      expect(response.status).toBe(401);
    }
  });
});
