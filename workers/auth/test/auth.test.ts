import { env } from "cloudflare:workers";
import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { call, expectErrorEnvelope, freshIp, json, refreshCookieOf, registerUser } from "../../test/http.ts";

describe("register", () => {
  it("creates an account, returns the user and an access token, and sets the refresh cookie", async () => {
    const response = await call("POST", "/api/v1/auth/register", {
      body: { email: "Ada@Example.test", username: "Ada_L", password: "analytical engine", displayName: "Ada" },
    });
    expect(response.status).toBe(201);
    const body = await json(response);
    expect(body.user).toMatchObject({
      email: "ada@example.test",
      username: "ada_l",
      displayName: "Ada",
      role: "listener",
    });
    expect(body.user.passwordHash).toBeUndefined();
    expect(body.accessToken.split(".")).toHaveLength(3);
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith("veza_refresh="));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/Secure/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\/api\/v1\/auth/);
  });

  it("refuses a duplicate email or username with 409", async () => {
    const user = await registerUser();
    const sameEmail = await call("POST", "/api/v1/auth/register", {
      body: { email: user.email.toUpperCase(), username: `${user.username}x`, password: "another password" },
    });
    expect(sameEmail.status).toBe(409);
    expectErrorEnvelope(await json(sameEmail), "email_taken");
    const sameName = await call("POST", "/api/v1/auth/register", {
      body: { email: `other-${user.email}`, username: user.username.toUpperCase(), password: "another password" },
    });
    expect(sameName.status).toBe(409);
    expectErrorEnvelope(await json(sameName), "username_taken");
  });

  it.each([
    ["a missing field", { email: "x@example.test", password: "long enough pw" }],
    ["a bad email", { email: "not-an-email", username: "okname", password: "long enough pw" }],
    ["a short password", { email: "y@example.test", username: "okname2", password: "short" }],
    ["a username with spaces", { email: "z@example.test", username: "no spaces", password: "long enough pw" }],
    [
      "an oversized display name",
      { email: "w@example.test", username: "okname3", password: "long enough pw", displayName: "x".repeat(500) },
    ],
    ["a non-object body", [1, 2, 3]],
  ])("refuses %s with 400 and the field named", async (_label, body) => {
    const response = await call("POST", "/api/v1/auth/register", { body });
    expect(response.status).toBe(400);
    const error = await json(response);
    expectErrorEnvelope(error, "validation_failed");
    expect(error.error.details.issues.length).toBeGreaterThan(0);
  });

  it("answers malformed JSON with 400 and the envelope, not a stack trace", async () => {
    const response = await call("POST", "/api/v1/auth/register", {
      rawBody: '{"email": "a@b.c", ',
      headers: { "content-type": "application/json" },
    });
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(text).not.toMatch(/at .*\.ts/);
    expectErrorEnvelope(JSON.parse(text));
  });

  it("refuses a JSON body over 1 MiB with 413", async () => {
    const response = await call("POST", "/api/v1/auth/register", {
      body: { email: "big@example.test", username: "bigbody", password: "x".repeat(2 * 1024 * 1024) },
    });
    expect(response.status).toBe(413);
    expectErrorEnvelope(await json(response), "payload_too_large");
  });

  it("stores the password as an argon2id PHC string, never in clear", async () => {
    const user = await registerUser({ password: "my secret phrase" });
    const row = await env.DB.prepare("SELECT password_hash FROM users WHERE id = ?")
      .bind(user.id)
      .first<{ password_hash: string }>();
    expect(row?.password_hash).toMatch(/^\$argon2id\$v=19\$m=\d+,t=2,p=1\$/);
    expect(row?.password_hash).not.toContain("my secret phrase");
  });
});

describe("login", () => {
  it("signs in by username or by email", async () => {
    const user = await registerUser();
    for (const login of [user.username, user.email.toUpperCase()]) {
      const response = await call("POST", "/api/v1/auth/login", { body: { login, password: user.password } });
      expect(response.status).toBe(200);
      const body = await json(response);
      expect(body.user.id).toBe(user.id);
      expect(refreshCookieOf(response)).toBeTruthy();
    }
  });

  it("gives the same 401 for a wrong password and an unknown user", async () => {
    const user = await registerUser();
    const wrong = await call("POST", "/api/v1/auth/login", {
      body: { login: user.username, password: "not the password" },
    });
    const unknown = await call("POST", "/api/v1/auth/login", {
      body: { login: "nobody_here_at_all", password: "whatever pw" },
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const [a, b] = [await json(wrong), await json(unknown)];
    expect(a).toEqual(b);
    expectErrorEnvelope(a, "invalid_credentials");
  });

  it("slows repeated failures on one account, counted across email and username, without locking the owner out", async () => {
    const user = await registerUser();
    const attempt = (login: string, password: string) =>
      call("POST", "/api/v1/auth/login", { body: { login, password }, ip: freshIp() });
    // Five free failures, alternating the two login forms: one counter for the account.
    for (let i = 0; i < 6; i++) {
      expect((await attempt(i % 2 ? user.email : user.username, `wrong ${i}`)).status).toBe(401);
    }
    const slowed = await attempt(user.email.toUpperCase(), "wrong again");
    expect(slowed.status).toBe(429);
    expect(slowed.headers.get("retry-after")).toBe("1");
    expectErrorEnvelope(await json(slowed), "rate_limited");
    // Each further failure doubles the wait (1 s, 2 s, …, at most 60 s): never a 15-minute lockout.
    await new Promise((r) => setTimeout(r, 1_100));
    expect((await attempt(user.username, "wrong once more")).status).toBe(401);
    const longer = await attempt(user.username, user.password);
    expect(longer.status).toBe(429);
    expect(longer.headers.get("retry-after")).toBe("2");
    await new Promise((r) => setTimeout(r, 2_100));
    // The owner gets in after the short wait, and success clears the count.
    expect((await attempt(user.email, user.password)).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await attempt(user.username, `fresh ${i}`)).status).toBe(401);
  });

  it("throttles the current-password check of a password change", async () => {
    const user = await registerUser();
    const change = (currentPassword: string) =>
      call("POST", "/api/v1/auth/password", {
        token: user.token,
        body: { currentPassword, newPassword: "a brand new password" },
      });
    for (let i = 0; i < 6; i++) expect((await change(`guess ${i}`)).status).toBe(403);
    const throttled = await change("guess 7");
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get("retry-after"))).toBeGreaterThan(0);
    // Even the right password waits for the delay: the guard runs before the check.
    expect((await change(user.password)).status).toBe(429);
  });

  it("rate limits one IP across accounts", async () => {
    const ip = freshIp();
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) {
      const r = await call("POST", "/api/v1/auth/login", {
        body: { login: `ghost_${i}`, password: "whatever pw" },
        ip,
      });
      statuses.push(r.status);
    }
    expect(statuses.at(-1)).toBe(429);
    expect(statuses.filter((s) => s === 401)).toHaveLength(30);
  });

  it("rehashes a password stored with older parameters on login", async () => {
    const user = await registerUser();
    const { hashPassword } = await import("../password.ts");
    await env.DB.prepare("UPDATE users SET password_hash = ? WHERE id = ?")
      .bind(hashPassword(user.password, { m: 32, t: 2, p: 1 }), user.id)
      .run();
    const response = await call("POST", "/api/v1/auth/login", {
      body: { login: user.username, password: user.password },
    });
    expect(response.status).toBe(200);
    const row = await env.DB.prepare("SELECT password_hash FROM users WHERE id = ?")
      .bind(user.id)
      .first<{ password_hash: string }>();
    expect(row?.password_hash).toMatch(/^\$argon2id\$v=19\$m=64,t=2,p=1\$/);
  });
});

describe("access tokens", () => {
  const secret = new TextEncoder().encode(env.JWT_SECRET);
  const sign = (claims: Record<string, unknown>, options: { exp?: number; secret?: Uint8Array; iss?: string } = {}) =>
    new SignJWT({ role: "listener", ver: 0, ...claims })
      .setProtectedHeader({ alg: "HS256" })
      .setIssuer(options.iss ?? env.JWT_ISSUER)
      .setAudience(env.JWT_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(options.exp ?? Math.floor(Date.now() / 1000) + 600)
      .sign(options.secret ?? secret);

  it("lets a valid token read /me and refuses no token", async () => {
    const user = await registerUser();
    const me = await call("GET", "/api/v1/me", { token: user.token });
    expect(me.status).toBe(200);
    expect((await json(me)).username).toBe(user.username);
    const anonymous = await call("GET", "/api/v1/me");
    expect(anonymous.status).toBe(401);
    expectErrorEnvelope(await json(anonymous), "unauthenticated");
  });

  it("refuses expired, forged, wrong-issuer and alg:none tokens", async () => {
    const user = await registerUser();
    const expired = await sign({ sub: user.id }, { exp: Math.floor(Date.now() / 1000) - 10 });
    const forged = await sign(
      { sub: user.id },
      { secret: new TextEncoder().encode("some-other-secret-of-enough-length") },
    );
    const wrongIssuer = await sign({ sub: user.id }, { iss: "someone-else" });
    const header = btoa(JSON.stringify({ alg: "none", typ: "JWT" })).replace(/=+$/, "");
    const payload = btoa(
      JSON.stringify({
        sub: user.id,
        role: "admin",
        ver: 0,
        iss: env.JWT_ISSUER,
        aud: env.JWT_AUDIENCE,
        exp: Math.floor(Date.now() / 1000) + 600,
      }),
    ).replace(/=+$/, "");
    const none = `${header}.${payload}.`;
    for (const token of [expired, forged, wrongIssuer, none, "garbage"]) {
      const response = await call("GET", "/api/v1/me", { token });
      expect(response.status).toBe(401);
      expectErrorEnvelope(await json(response), "unauthenticated");
    }
    const session = await env.DB.prepare("SELECT family_id FROM refresh_tokens WHERE user_id = ?1")
      .bind(user.id)
      .first<{ family_id: string }>();
    const good = await sign({ sub: user.id, sid: session?.family_id });
    expect((await call("GET", "/api/v1/me", { token: good })).status).toBe(200);
    // A token with no session, or another user's session, is refused.
    expect((await call("GET", "/api/v1/me", { token: await sign({ sub: user.id }) })).status).toBe(401);
    const other = await registerUser();
    const otherSession = await env.DB.prepare("SELECT family_id FROM refresh_tokens WHERE user_id = ?1")
      .bind(other.id)
      .first<{ family_id: string }>();
    const crossed = await sign({ sub: user.id, sid: otherSession?.family_id });
    expect((await call("GET", "/api/v1/me", { token: crossed })).status).toBe(401);
  });
});

describe("refresh and logout", () => {
  it("rotates the refresh token on every use", async () => {
    const user = await registerUser();
    const first = await call("POST", "/api/v1/auth/refresh", { cookie: user.cookie });
    expect(first.status).toBe(200);
    const { accessToken } = await json(first);
    expect((await call("GET", "/api/v1/me", { token: accessToken })).status).toBe(200);
    const rotated = refreshCookieOf(first);
    expect(rotated).toBeTruthy();
    expect(rotated).not.toBe(user.cookie);
    const second = await call("POST", "/api/v1/auth/refresh", { cookie: rotated });
    expect(second.status).toBe(200);
  });

  it("revokes the whole family when a rotated token is presented again after the grace window", async () => {
    const user = await registerUser();
    const first = await call("POST", "/api/v1/auth/refresh", { cookie: user.cookie });
    const current = refreshCookieOf(first) as string;
    await env.DB.prepare("UPDATE refresh_tokens SET rotated_at = rotated_at - 31000 WHERE user_id = ?1")
      .bind(user.id)
      .run();
    const replay = await call("POST", "/api/v1/auth/refresh", { cookie: user.cookie });
    expect(replay.status).toBe(401);
    expectErrorEnvelope(await json(replay), "unauthenticated");
    // The legitimate holder's newer token is dead too.
    expect((await call("POST", "/api/v1/auth/refresh", { cookie: current })).status).toBe(401);
  });

  it("refuses a refresh without a cookie or with an unknown one", async () => {
    expect((await call("POST", "/api/v1/auth/refresh")).status).toBe(401);
    expect((await call("POST", "/api/v1/auth/refresh", { cookie: "veza_refresh=not-a-real-token" })).status).toBe(401);
  });

  it("logout answers 204 and ends the refresh family and that session's access tokens at once", async () => {
    const user = await registerUser();
    const otherDevice = await call("POST", "/api/v1/auth/login", {
      body: { login: user.username, password: user.password },
    });
    const otherToken = (await json(otherDevice)).accessToken;
    expect((await call("GET", "/api/v1/me", { token: user.token })).status).toBe(200);
    const logout = await call("POST", "/api/v1/auth/logout", { cookie: user.cookie });
    expect(logout.status).toBe(204);
    expect((await call("POST", "/api/v1/auth/refresh", { cookie: user.cookie })).status).toBe(401);
    expect((await call("GET", "/api/v1/me", { token: user.token })).status).toBe(401);
    // The other device's session is its own and stays signed in.
    expect((await call("GET", "/api/v1/me", { token: otherToken })).status).toBe(200);
  });
});

describe("/me", () => {
  it("updates display name and bio, and refuses an empty or invalid patch", async () => {
    const user = await registerUser();
    const patched = await call("PATCH", "/api/v1/me", {
      token: user.token,
      body: { displayName: "New Name", bio: "I make sine waves." },
    });
    expect(patched.status).toBe(200);
    expect(await json(patched)).toMatchObject({ displayName: "New Name", bio: "I make sine waves." });
    expect((await call("PATCH", "/api/v1/me", { token: user.token, body: {} })).status).toBe(400);
    expect((await call("PATCH", "/api/v1/me", { token: user.token, body: { bio: "x".repeat(5000) } })).status).toBe(
      400,
    );
  });

  it("changing the password ends other sessions and old access tokens, keeps this one", async () => {
    const user = await registerUser();
    const other = await call("POST", "/api/v1/auth/login", { body: { login: user.username, password: user.password } });
    const otherCookie = refreshCookieOf(other) as string;
    const wrong = await call("POST", "/api/v1/auth/password", {
      token: user.token,
      cookie: user.cookie,
      body: { currentPassword: "nope nope nope", newPassword: "a brand new password" },
    });
    expect(wrong.status).toBe(403);
    const changed = await call("POST", "/api/v1/auth/password", {
      token: user.token,
      cookie: user.cookie,
      body: { currentPassword: user.password, newPassword: "a brand new password" },
    });
    expect(changed.status).toBe(200);
    const { accessToken } = await json(changed);
    expect((await call("GET", "/api/v1/me", { token: user.token })).status).toBe(401);
    expect((await call("GET", "/api/v1/me", { token: accessToken })).status).toBe(200);
    expect((await call("POST", "/api/v1/auth/refresh", { cookie: otherCookie })).status).toBe(401);
    expect((await call("POST", "/api/v1/auth/refresh", { cookie: user.cookie })).status).toBe(200);
    const oldLogin = await call("POST", "/api/v1/auth/login", {
      body: { login: user.username, password: user.password },
    });
    expect(oldLogin.status).toBe(401);
  });
});

describe("roles", () => {
  it("a disabled account cannot use its tokens or sign in", async () => {
    const user = await registerUser();
    await env.DB.prepare("UPDATE users SET status = 'disabled' WHERE id = ?").bind(user.id).run();
    expect((await call("GET", "/api/v1/me", { token: user.token })).status).toBe(401);
    const login = await call("POST", "/api/v1/auth/login", { body: { login: user.username, password: user.password } });
    // Answered exactly like a wrong password: a 403 would confirm the guess.
    expect(login.status).toBe(401);
    expectErrorEnvelope(await json(login), "invalid_credentials");
    expect((await call("POST", "/api/v1/auth/refresh", { cookie: user.cookie })).status).toBe(401);
  });
});
