import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, expectErrorEnvelope, json, registerUser } from "../../test/http.ts";
import { linkToken, mailTo, waitForMail } from "../../test/mail.ts";
import { EMAIL_TOKEN_TTL_MS, issueEmailToken } from "../email-tokens.ts";

const verify = (token: string) => call("POST", "/api/v1/auth/verify-email", { body: { token } });
const me = async (token: string) => json(await call("GET", "/api/v1/me", { token }));

describe("verification at sign-up", () => {
  it("mails a single-use link; opening it verifies the account; a second use is refused", async () => {
    const user = await registerUser({ verified: false });
    expect((await me(user.token)).emailVerified).toBe(false);
    const [mail, ...others] = await mailTo(user.email);
    expect(others).toEqual([]);
    expect(mail?.subject).toBe("Confirm your email address");
    expect(mail?.text).toContain("http://127.0.0.1:8787/verify-email?token=");
    const token = linkToken(mail!);
    const stored = await env.DB.prepare("SELECT token_hash FROM email_tokens WHERE email = ?1")
      .bind(user.email)
      .first<{ token_hash: string }>();
    expect(stored?.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored?.token_hash).not.toContain(token);

    expect((await verify(token)).status).toBe(204);
    expect((await me(user.token)).emailVerified).toBe(true);

    const again = await verify(token);
    expect(again.status).toBe(400);
    const body = await json(again);
    expectErrorEnvelope(body, "invalid_token");
    expect(body.error.message).toMatch(/already used or it expired/);
  });

  it("refuses an expired link, an unknown one, and a password-reset token", async () => {
    const user = await registerUser({ verified: false });
    const expired = await issueEmailToken(
      env.DB,
      { userId: user.id, purpose: "verify_email", email: user.email },
      Date.now() - EMAIL_TOKEN_TTL_MS.verify_email - 1000,
    );
    expect((await verify(expired)).status).toBe(400);
    expect((await verify("no-such-token")).status).toBe(400);
    const reset = await issueEmailToken(env.DB, { userId: user.id, purpose: "password_reset", email: user.email });
    expect((await verify(reset)).status).toBe(400);
    expect((await me(user.token)).emailVerified).toBe(false);
    const empty = await call("POST", "/api/v1/auth/verify-email", { body: {} });
    expect(empty.status).toBe(400);
    expectErrorEnvelope(await json(empty), "validation_failed");
  });

  it("a link still works just before 24 hours and not at 24 hours", async () => {
    const user = await registerUser({ verified: false });
    const issue = (age: number) =>
      issueEmailToken(env.DB, { userId: user.id, purpose: "verify_email", email: user.email }, Date.now() - age);
    expect((await verify(await issue(EMAIL_TOKEN_TTL_MS.verify_email))).status).toBe(400);
    expect((await verify(await issue(EMAIL_TOKEN_TTL_MS.verify_email - 60_000))).status).toBe(204);
  });
});

describe("POST /api/v1/me/verify-email", () => {
  it("mails a new link, three an hour at most, then 429 with Retry-After and a clear message", async () => {
    const user = await registerUser({ verified: false });
    for (let i = 0; i < 3; i++) {
      expect((await call("POST", "/api/v1/me/verify-email", { token: user.token })).status).toBe(204);
    }
    expect(await mailTo(user.email)).toHaveLength(4);
    const limited = await call("POST", "/api/v1/me/verify-email", { token: user.token });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    const body = await json(limited);
    expectErrorEnvelope(body, "rate_limited");
    expect(body.error.message).toMatch(/several verification emails.*Try again in \d+ (minutes?|seconds?|hour)\./);
    expect(await mailTo(user.email)).toHaveLength(4);
    // Any of the links works (the latest is not the only one).
    const links = (await mailTo(user.email)).map(linkToken);
    expect((await verify(links[2]!)).status).toBe(204);
  });

  it("answers 409 once verified, and 401 signed out", async () => {
    const user = await registerUser();
    const response = await call("POST", "/api/v1/me/verify-email", { token: user.token });
    expect(response.status).toBe(409);
    expectErrorEnvelope(await json(response), "email_already_verified");
    expect((await call("POST", "/api/v1/me/verify-email")).status).toBe(401);
  });
});

describe("changing the email address", () => {
  const change = (token: string, body: unknown) => call("POST", "/api/v1/me/email", { token, body });

  it("needs the password, confirms the new address by link, then tells the old one", async () => {
    const user = await registerUser();
    const newEmail = `new_${user.username}@example.test`;
    const wrong = await change(user.token, { email: newEmail, password: "not the password" });
    expect(wrong.status).toBe(403);
    expectErrorEnvelope(await json(wrong), "invalid_credentials");

    const started = await change(user.token, { email: newEmail.toUpperCase(), password: user.password });
    expect(started.status).toBe(202);
    expect(await json(started)).toEqual({ pendingEmail: newEmail });
    // Nothing changes until the new address confirms.
    expect(await me(user.token)).toMatchObject({ email: user.email, emailVerified: true });
    const confirm = await waitForMail(newEmail, "Confirm your new email address");
    expect((await verify(linkToken(confirm))).status).toBe(204);
    expect(await me(user.token)).toMatchObject({ email: newEmail, emailVerified: true });

    const notice = await waitForMail(user.email, "email address was changed");
    expect(notice.text).toContain(newEmail);
    const login = await call("POST", "/api/v1/auth/login", { body: { login: newEmail, password: user.password } });
    expect(login.status).toBe(200);
    expect((await verify(linkToken(confirm))).status).toBe(400);
  });

  it("refuses a taken or unchanged address with 409, and an address taken before the link is opened", async () => {
    const user = await registerUser();
    const other = await registerUser();
    const taken = await change(user.token, { email: other.email, password: user.password });
    expect(taken.status).toBe(409);
    expectErrorEnvelope(await json(taken), "email_taken");
    const same = await change(user.token, { email: user.email, password: user.password });
    expect(same.status).toBe(409);
    expectErrorEnvelope(await json(same), "email_unchanged");

    const contested = `contested_${user.username}@example.test`;
    expect((await change(user.token, { email: contested, password: user.password })).status).toBe(202);
    const link = linkToken(await waitForMail(contested, "Confirm your new email address"));
    await registerUser({ email: contested });
    const late = await verify(link);
    expect(late.status).toBe(409);
    expectErrorEnvelope(await json(late), "email_taken");
    expect((await me(user.token)).email).toBe(user.email);
  });

  it("a verification link for the old address proves nothing once the address changed", async () => {
    const user = await registerUser({ verified: false });
    const oldLink = linkToken((await mailTo(user.email))[0]!);
    const newEmail = `moved_${user.username}@example.test`;
    expect((await change(user.token, { email: newEmail, password: user.password })).status).toBe(202);
    await env.DB.prepare("UPDATE users SET email = ?1 WHERE id = ?2").bind(newEmail, user.id).run();
    expect((await verify(oldLink)).status).toBe(400);
    expect((await me(user.token)).emailVerified).toBe(false);
  });
});
