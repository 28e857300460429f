import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../shared/crypto.ts";
import { call, expectErrorEnvelope, freshIp, json, refreshCookieOf, registerUser } from "../../test/http.ts";
import { exchangeCode } from "../oauth/exchange.ts";
import { configuredProvider } from "../oauth/providers.ts";
import { RATE_LIMITS } from "../rate-limit.ts";
import { approveAtProvider, finishSignIn, freshProviderId, signInWithProvider, startSignIn } from "./oauth-flow.ts";

describe("configured providers", () => {
  it("lists only providers with both a client id and a secret", async () => {
    const response = await call("GET", "/api/v1/auth/providers");
    expect(response.status).toBe(200);
    expect(await json(response)).toEqual({
      items: [
        { id: "github", name: "GitHub" },
        { id: "google", name: "Google" },
      ],
      nextCursor: null,
    });
  });

  it("answers a clear 404 on every route of an unconfigured or unknown provider", async () => {
    const user = await registerUser();
    for (const [method, path, options] of [
      ["POST", "/api/v1/auth/oauth/discord/start", {}],
      ["POST", "/api/v1/auth/oauth/discord/callback", { body: { code: "c", state: "s" } }],
      ["POST", "/api/v1/me/identities/discord/start", { token: user.token }],
      ["POST", "/api/v1/auth/oauth/myspace/start", {}],
    ] as const) {
      const response = await call(method, path, options);
      expect(response.status, path).toBe(404);
      const body = await json(response);
      expectErrorEnvelope(body, "provider_not_configured");
      expect(body.error.message).toMatch(path.includes("myspace") ? /no sign-in provider/ : /Discord is not set up/);
    }
  });
});

describe("signing in with a provider", () => {
  it("sends the browser to the provider with PKCE S256, a state and a cookie binding it to the browser", async () => {
    const { url, browserCookie } = await startSignIn("github");
    const authorize = new URL(url);
    expect(authorize.pathname).toBe("/github/login/oauth/authorize");
    expect(authorize.searchParams.get("client_id")).toBe("test-github-client");
    expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
    expect(authorize.searchParams.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(authorize.searchParams.get("state")?.length).toBeGreaterThanOrEqual(32);
    expect(authorize.searchParams.get("redirect_uri")).toBe(`${env.PUBLIC_BASE_URL}/oauth/callback/github`);
    expect(browserCookie).toMatch(/^veza_oauth_browser=.{20,}/);
    const stored = await env.DB.prepare("SELECT * FROM oauth_states").all();
    expect(JSON.stringify(stored.results)).not.toContain(authorize.searchParams.get("state"));
  });

  it("creates an account for a new identity and signs in like a login; the next time signs in to it", async () => {
    const id = freshProviderId();
    const login = `Octo-Cat${id.slice(-5)}`;
    const first = await signInWithProvider("github", {
      id,
      login,
      name: "Octo Cat",
      email: `octo${id}@example.test`,
      verified: true,
    });
    expect(first.status).toBe(200);
    const body = await json(first);
    expect(body).toMatchObject({
      result: "signed_in",
      account: "created",
      user: {
        username: `octo_cat${id.slice(-5)}`,
        displayName: "Octo Cat",
        email: `octo${id}@example.test`,
        // The provider verified the address: no link to open before uploading, commenting or chatting.
        emailVerified: true,
      },
    });
    expect(refreshCookieOf(first)).toBeTruthy();
    const me = await call("GET", "/api/v1/me", { token: body.accessToken });
    expect((await json(me)).id).toBe(body.user.id);
    // The refresh cookie works like a login's.
    expect((await call("POST", "/api/v1/auth/refresh", { cookie: refreshCookieOf(first) })).status).toBe(200);

    const again = await signInWithProvider("github", { id, login });
    expect(again.status).toBe(200);
    expect(await json(again)).toMatchObject({ result: "signed_in", account: "existing", user: { id: body.user.id } });

    const sessions = await json(await call("GET", "/api/v1/me/sessions", { token: body.accessToken }));
    expect(sessions.items.map((s: { method: string }) => s.method)).toEqual(["github", "github"]);
  });

  it("signs in with Google (OpenID userinfo) too", async () => {
    const id = freshProviderId();
    const response = await signInWithProvider("google", {
      id,
      name: "Grace H",
      email: `grace.h${id}@example.test`,
      verified: true,
    });
    expect(response.status).toBe(200);
    expect(await json(response)).toMatchObject({ account: "created", user: { username: `grace_h${id}`.slice(0, 20) } });
  });

  it("makes a taken or reserved login into a free, valid username", async () => {
    const taken = await registerUser();
    const sameLogin = await signInWithProvider("github", {
      id: freshProviderId(),
      login: taken.username,
      email: `x${freshProviderId()}@example.test`,
      verified: true,
    });
    const username = (await json(sameLogin)).user.username as string;
    expect(username).not.toBe(taken.username);
    expect(username).toMatch(new RegExp(`^${taken.username.slice(0, 20)}_`));

    const reserved = await signInWithProvider("github", {
      id: freshProviderId(),
      login: "admin",
      email: `y${freshProviderId()}@example.test`,
    });
    expect((await json(reserved)).user.username).toMatch(/^listener_admin/);
  });

  it("an account made through a provider has no password that can sign in", async () => {
    const id = freshProviderId();
    const email = `nopw${id}@example.test`;
    await signInWithProvider("github", { id, email, verified: true });
    for (const password of ["", " ", "x"]) {
      const login = await call("POST", "/api/v1/auth/login", { body: { login: email, password: password || "-" } });
      expect(login.status).toBe(401);
      expectErrorEnvelope(await json(login), "invalid_credentials");
    }
  });

  it("refuses a provider account without an email with a clear 400", async () => {
    const response = await signInWithProvider("github", { id: freshProviderId(), email: null });
    expect(response.status).toBe(400);
    const body = await json(response);
    expectErrorEnvelope(body, "oauth_email_required");
    expect(body.error.message).toContain("GitHub did not share an email address");
  });

  it("a new account counts against the sign-up limit of the address; signing in to an existing one does not", async () => {
    const ip = freshIp();
    const known = freshProviderId();
    await signInWithProvider("github", { id: known, email: `known${known}@example.test` }, { ip });
    const [limit, windowSeconds] = RATE_LIMITS["register:ip"];
    const limiter = env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(`register:ip:${ip}`));
    for (let i = 0; i < limit; i++) await limiter.hit(limit, windowSeconds);

    const id = freshProviderId();
    const refused = await signInWithProvider("github", { id, email: `limited${id}@example.test` }, { ip });
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toMatch(/^\d+$/);
    expectErrorEnvelope(await json(refused), "rate_limited");
    expect((await signInWithProvider("github", { id: known }, { ip })).status).toBe(200);
  });

  it("refuses a disabled account's identity", async () => {
    const id = freshProviderId();
    const created = await json(await signInWithProvider("github", { id, email: `off${id}@example.test` }));
    await env.DB.prepare("UPDATE users SET status = 'disabled' WHERE id = ?1").bind(created.user.id).run();
    const response = await signInWithProvider("github", { id });
    expect(response.status).toBe(401);
    expect(refreshCookieOf(response)).toBeUndefined();
  });
});

describe("state", () => {
  it("refuses a state that was never issued", async () => {
    const { url, browserCookie } = await startSignIn("github");
    const answer = await approveAtProvider(url, { id: freshProviderId(), email: "s1@example.test" });
    const response = await finishSignIn("github", { ...answer, state: "made-up-state" }, browserCookie);
    expect(response.status).toBe(400);
    expectErrorEnvelope(await json(response), "oauth_state_invalid");
  });

  it("refuses a state presented by another browser (no cookie, or another one)", async () => {
    const victim = await startSignIn("github");
    const other = await startSignIn("github");
    const answer = await approveAtProvider(victim.url, { id: freshProviderId(), email: "s2@example.test" });
    for (const cookie of ["", other.browserCookie]) {
      const response = await finishSignIn("github", answer, cookie);
      expect(response.status).toBe(400);
      expectErrorEnvelope(await json(response), "oauth_state_invalid");
    }
  });

  it("is single use: the same state a second time is refused, even from the right browser", async () => {
    const { url, browserCookie } = await startSignIn("github");
    const id = freshProviderId();
    const answer = await approveAtProvider(url, { id, email: `once${id}@example.test` });
    expect((await finishSignIn("github", answer, browserCookie)).status).toBe(200);
    const replay = await finishSignIn("github", answer, browserCookie);
    expect(replay.status).toBe(400);
    expectErrorEnvelope(await json(replay), "oauth_state_invalid");
  });

  it("is refused once expired, and a state refused for another reason is gone too", async () => {
    const { url, browserCookie } = await startSignIn("github");
    const answer = await approveAtProvider(url, { id: freshProviderId(), email: "s3@example.test" });
    await env.DB.prepare("UPDATE oauth_states SET expires_at = ?1 WHERE state_hash = ?2")
      .bind(Date.now() - 1, await sha256Hex(answer.state))
      .run();
    const late = await finishSignIn("github", answer, browserCookie);
    expect(late.status).toBe(400);
    expectErrorEnvelope(await json(late), "oauth_state_invalid");

    const wrongBrowser = await startSignIn("github");
    const answer2 = await approveAtProvider(wrongBrowser.url, { id: freshProviderId(), email: "s4@example.test" });
    expect((await finishSignIn("github", answer2, "veza_oauth_browser=someone-else")).status).toBe(400);
    // The attempt consumed it: the right browser cannot use it afterwards either.
    expect((await finishSignIn("github", answer2, wrongBrowser.browserCookie)).status).toBe(400);
  });

  it("refuses a state started for another provider", async () => {
    const { url, browserCookie } = await startSignIn("github");
    const answer = await approveAtProvider(url, { id: freshProviderId(), email: "s5@example.test" });
    const response = await finishSignIn("google", answer, browserCookie);
    expect(response.status).toBe(400);
    expectErrorEnvelope(await json(response), "oauth_state_invalid");
  });

  it("answers a malformed callback body with 400 validation_failed", async () => {
    const response = await call("POST", "/api/v1/auth/oauth/github/callback", { body: { code: "" } });
    expect(response.status).toBe(400);
    expectErrorEnvelope(await json(response), "validation_failed");
  });
});

describe("PKCE", () => {
  it("a code issued for another sign-in's challenge is refused by the provider (injected code)", async () => {
    // Same browser, two sign-ins: the code of the first, delivered with the state of the second, is
    // exchanged with the second's verifier, which does not match the first's challenge.
    const first = await startSignIn("github");
    const second = await startSignIn("github", { browserCookie: first.browserCookie });
    const stolen = await approveAtProvider(first.url, { id: freshProviderId(), email: "p1@example.test" });
    const mine = await approveAtProvider(second.url, { id: freshProviderId(), email: "p2@example.test" });
    const response = await finishSignIn("github", { code: stolen.code, state: mine.state }, first.browserCookie);
    expect(response.status).toBe(400);
    const body = await json(response);
    expectErrorEnvelope(body, "oauth_code_rejected");
    expect(body.error.message).toContain("GitHub refused the sign-in");
    expect(refreshCookieOf(response)).toBeUndefined();
  });

  it("the provider refuses a token request without a verifier or with a wrong one", async () => {
    for (const verifier of [undefined, "not-the-verifier-not-the-verifier-not-the-verifier"]) {
      const { url } = await startSignIn("google");
      const { code } = await approveAtProvider(url, { id: freshProviderId(), email: "p3@example.test" });
      const form = new URLSearchParams({
        grant_type: "authorization_code",
        code,
        redirect_uri: `${env.PUBLIC_BASE_URL}/oauth/callback/google`,
        client_id: "test-google-client",
        client_secret: "test-google-secret",
      });
      if (verifier) form.set("code_verifier", verifier);
      const response = await fetch(`${env.OAUTH_GOOGLE_BASE_URL}/token`, { method: "POST", body: form });
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ error: "invalid_grant" });
    }
  });

  it("a wrong client secret is the server's fault (502), not the person's", async () => {
    const { url } = await startSignIn("google");
    const { code } = await approveAtProvider(url, { id: freshProviderId(), email: "p5@example.test" });
    const misconfigured = configuredProvider({ ...env, OAUTH_GOOGLE_CLIENT_SECRET: "not-the-secret" }, "google");
    if (!misconfigured) throw new Error("google is configured in the tests");
    const failure = await exchangeCode(misconfigured, code, "v".repeat(64), "http://x/cb").catch((e) => e);
    expect(failure).toMatchObject({ status: 502, code: "oauth_provider_error" });
    expect(failure.message).toContain("client id or secret");
  });

  it("a refused code from Google (4xx) is the same clear 400", async () => {
    const { url, browserCookie } = await startSignIn("google");
    const { state } = await approveAtProvider(url, { id: freshProviderId(), email: "p4@example.test" });
    const response = await finishSignIn("google", { code: "not-a-code", state }, browserCookie);
    expect(response.status).toBe(400);
    expectErrorEnvelope(await json(response), "oauth_code_rejected");
  });
});

describe("linking by email", () => {
  it("an unverified provider email never joins the account that uses it", async () => {
    const owner = await registerUser();
    const id = freshProviderId();
    const response = await signInWithProvider("github", { id, email: owner.email, verified: false });
    expect(response.status).toBe(409);
    const body = await json(response);
    expectErrorEnvelope(body, "oauth_email_unverified");
    expect(body.error.message).toContain("GitHub has not verified");
    expect(refreshCookieOf(response)).toBeUndefined();
    const linked = await json(await call("GET", "/api/v1/me/identities", { token: owner.token }));
    expect(linked.items).toEqual([]);
    // Upper-case at the provider changes nothing.
    const shouting = await signInWithProvider("google", { id, email: owner.email.toUpperCase(), verified: false });
    expect(shouting.status).toBe(409);
  });

  it("a verified provider email joins the account with that (confirmed) email and signs in to it", async () => {
    const owner = await registerUser();
    const id = freshProviderId();
    const response = await signInWithProvider("google", { id, email: owner.email.toUpperCase(), verified: true });
    expect(response.status).toBe(200);
    const body = await json(response);
    expect(body).toMatchObject({
      result: "signed_in",
      account: "linked_by_email",
      user: { id: owner.id, emailVerified: true },
    });
    const linked = await json(await call("GET", "/api/v1/me/identities", { token: owner.token }));
    expect(linked.items).toMatchObject([{ provider: "google", providerName: "Google", canUnlink: true }]);
    // From then on the identity itself signs in, whatever the email says.
    const again = await signInWithProvider("google", { id, email: "changed@example.test", verified: false });
    expect(await json(again)).toMatchObject({ account: "existing", user: { id: owner.id } });
  });

  it("never joins an account whose address was not confirmed on it (someone may have signed up with it)", async () => {
    const squatter = await registerUser({ verified: false });
    const id = freshProviderId();
    const response = await signInWithProvider("google", { id, email: squatter.email, verified: true });
    expect(response.status).toBe(409);
    const body = await json(response);
    expectErrorEnvelope(body, "oauth_account_unverified");
    expect(body.error.message).toContain("never confirmed");
    expect(refreshCookieOf(response)).toBeUndefined();
    expect((await json(await call("GET", "/api/v1/me/identities", { token: squatter.token }))).items).toEqual([]);
    const me = await json(await call("GET", "/api/v1/me", { token: squatter.token }));
    expect(me.emailVerified).toBe(false);
    // The account's owner can still link it from their settings, having signed in.
    const fromSettings = await signInWithProvider("google", { id, email: squatter.email }, { token: squatter.token });
    expect(await json(fromSettings)).toMatchObject({ result: "linked" });
  });
});

describe("linked accounts in settings", () => {
  it("links a provider account to the signed-in user, whatever its email", async () => {
    const user = await registerUser();
    const id = freshProviderId();
    const response = await signInWithProvider(
      "github",
      { id, login: "linker", email: "elsewhere@example.test" },
      { token: user.token },
    );
    expect(response.status).toBe(200);
    const body = await json(response);
    expect(body).toMatchObject({ result: "linked", identity: { provider: "github", label: "linker" } });
    expect(refreshCookieOf(response)).toBeUndefined();
    const signIn = await signInWithProvider("github", { id });
    expect(await json(signIn)).toMatchObject({ account: "existing", user: { id: user.id } });
  });

  it("refuses to link a provider account that signs in to someone else", async () => {
    const id = freshProviderId();
    await signInWithProvider("github", { id, email: `first${id}@example.test` });
    const other = await registerUser();
    const response = await signInWithProvider("github", { id }, { token: other.token });
    expect(response.status).toBe(409);
    expectErrorEnvelope(await json(response), "identity_in_use");
  });

  it("unlinks, but never the last way to sign in, and never someone else's", async () => {
    const id = freshProviderId();
    const created = await json(await signInWithProvider("github", { id, email: `solo${id}@example.test` }));
    const token = created.accessToken as string;
    const [only] = (await json(await call("GET", "/api/v1/me/identities", { token }))).items;
    expect(only.canUnlink).toBe(false);
    const refused = await call("DELETE", `/api/v1/me/identities/${only.id}`, { token });
    expect(refused.status).toBe(409);
    expectErrorEnvelope(await json(refused), "last_sign_in_method");

    const stranger = await registerUser();
    expect((await call("DELETE", `/api/v1/me/identities/${only.id}`, { token: stranger.token })).status).toBe(404);

    await signInWithProvider("google", { id: freshProviderId(), email: "second@example.test" }, { token });
    const both = (await json(await call("GET", "/api/v1/me/identities", { token }))).items;
    expect(both.map((i: { canUnlink: boolean }) => i.canUnlink)).toEqual([true, true]);
    // Two unlinks at once cannot leave the account with no way in.
    const results = await Promise.all(
      both.map((i: { id: string }) => call("DELETE", `/api/v1/me/identities/${i.id}`, { token })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([204, 409]);
    expect((await json(await call("GET", "/api/v1/me/identities", { token }))).items).toHaveLength(1);
  });

  it("a password account can unlink its only provider", async () => {
    const user = await registerUser();
    const linked = await json(
      await signInWithProvider("github", { id: freshProviderId(), email: "pw@example.test" }, { token: user.token }),
    );
    expect(linked.identity.canUnlink).toBe(true);
    expect((await call("DELETE", `/api/v1/me/identities/${linked.identity.id}`, { token: user.token })).status).toBe(
      204,
    );
  });
});
