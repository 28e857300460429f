import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, expectErrorEnvelope, freshIp, json, registerUser } from "../../test/http.ts";
import { linkToken, mailTo, waitForMail } from "../../test/mail.ts";
import { EMAIL_TOKEN_TTL_MS, issueEmailToken } from "../email-tokens.ts";

const NEW_PASSWORD = "a brand new passphrase";
const requestReset = (email: string, options: { ip?: string; cookie?: string } = {}) =>
  call("POST", "/api/v1/auth/password-reset", { body: { email }, ...options });
const confirm = (token: string, password = NEW_PASSWORD) =>
  call("POST", "/api/v1/auth/password-reset/confirm", { body: { token, password } });
const login = (loginName: string, password: string) =>
  call("POST", "/api/v1/auth/login", { body: { login: loginName, password } });

/** Status, body and header names: what a caller can compare between two answers. */
async function observable(response: Response) {
  return {
    status: response.status,
    body: await response.text(),
    headers: [...response.headers.keys()].filter((name) => name !== "x-request-id" && name !== "date").sort(),
    cookies: response.headers.getSetCookie().map((cookie) => cookie.replace(/=[^;]*/, "=…")),
  };
}

describe("POST /api/v1/auth/password-reset", () => {
  it("answers a known and an unknown address exactly alike, and mails only the known one", async () => {
    const user = await registerUser();
    const unknown = `nobody_${user.username}@example.test`;
    const known = await observable(await requestReset(user.email.toUpperCase()));
    const stranger = await observable(await requestReset(unknown));
    expect(known.status).toBe(202);
    expect(stranger).toEqual(known);
    expect(JSON.parse(known.body)).toEqual({
      message: "If an account uses this address, a link to reset its password is on its way. It works for 1 hour.",
    });
    const mail = await waitForMail(user.email, "Reset your Veza password");
    expect(mail.text).toContain("/reset-password?token=");
    expect(await mailTo(unknown)).toEqual([]);
  });

  it("sends nothing for a disabled account, and answers the same", async () => {
    const user = await registerUser();
    await env.DB.prepare("UPDATE users SET status = 'disabled' WHERE id = ?1").bind(user.id).run();
    const response = await requestReset(user.email);
    expect(response.status).toBe(202);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await mailTo(user.email)).filter((m) => m.subject.includes("Reset"))).toEqual([]);
  });

  it("limits each address to three an hour (known or not, alike) with Retry-After and a clear message", async () => {
    const user = await registerUser();
    const unknown = `ghost_${user.username}@example.test`;
    for (const email of [user.email, unknown]) {
      for (let i = 0; i < 3; i++) expect((await requestReset(email)).status).toBe(202);
    }
    const [knownLimited, unknownLimited] = [await requestReset(user.email), await requestReset(unknown)];
    for (const limited of [knownLimited, unknownLimited]) {
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    }
    const [a, b] = [await json(knownLimited), await json(unknownLimited)];
    expectErrorEnvelope(a, "rate_limited");
    expect(a.error.message).toMatch(/Several reset emails were already sent for this address/);
    expect(b.error.message).toBe(a.error.message);
  });

  it("refuses a malformed address with 400", async () => {
    const response = await requestReset("not-an-email");
    expect(response.status).toBe(400);
    expectErrorEnvelope(await json(response), "validation_failed");
  });
});

describe("POST /api/v1/auth/password-reset/confirm", () => {
  it("sets the password and ends every session: refresh cookies and access tokens alike", async () => {
    const user = await registerUser();
    const otherDevice = await json(await login(user.username, user.password));
    await requestReset(user.email);
    const token = linkToken(await waitForMail(user.email, "Reset your Veza password"));

    expect((await confirm(token)).status).toBe(204);

    expect((await call("GET", "/api/v1/me", { token: user.token })).status).toBe(401);
    expect((await call("GET", "/api/v1/me", { token: otherDevice.accessToken })).status).toBe(401);
    expect((await call("POST", "/api/v1/auth/refresh", { cookie: user.cookie })).status).toBe(401);
    expect((await login(user.username, user.password)).status).toBe(401);
    expect((await login(user.username, NEW_PASSWORD)).status).toBe(200);

    const reused = await confirm(token, "yet another passphrase");
    expect(reused.status).toBe(400);
    expectErrorEnvelope(await json(reused), "invalid_token");
  });

  it("applies the password policy without using the link up", async () => {
    const user = await registerUser();
    await requestReset(user.email);
    const token = linkToken(await waitForMail(user.email, "Reset your Veza password"));
    const weak = await confirm(token, "password123");
    expect(weak.status).toBe(400);
    expectErrorEnvelope(await json(weak), "weak_password");
    const short = await confirm(token, "short");
    expect(short.status).toBe(400);
    expect((await confirm(token)).status).toBe(204);
  });

  it("refuses an expired link, a verification token, and voids the other reset links once one is used", async () => {
    const user = await registerUser();
    const issue = (purpose: "password_reset" | "verify_email", age = 0) =>
      issueEmailToken(env.DB, { userId: user.id, purpose, email: user.email }, Date.now() - age);
    expect((await confirm(await issue("password_reset", EMAIL_TOKEN_TTL_MS.password_reset + 1))).status).toBe(400);
    expect((await confirm(await issue("verify_email"))).status).toBe(400);
    const first = await issue("password_reset");
    const second = await issue("password_reset");
    expect((await confirm(first)).status).toBe(204);
    expect((await confirm(second, "one more new passphrase")).status).toBe(400);
    expect((await login(user.username, NEW_PASSWORD)).status).toBe(200);
  });

  it("verifies an unverified address (the link proved it)", async () => {
    const user = await registerUser({ verified: false });
    const token = await issueEmailToken(env.DB, { userId: user.id, purpose: "password_reset", email: user.email });
    expect((await confirm(token)).status).toBe(204);
    const signedIn = await json(await login(user.username, NEW_PASSWORD));
    expect(signedIn.user.emailVerified).toBe(true);
  });

  it("lets many people behind one address reset (the per-IP limit is loose)", async () => {
    const ip = freshIp();
    for (let i = 0; i < 12; i++) {
      const user = await registerUser();
      expect((await requestReset(user.email, { ip })).status).toBe(202);
    }
  });
});
