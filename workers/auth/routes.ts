import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { AppBindings } from "../env.ts";
import { unauthenticated } from "../shared/errors.ts";
import { commonErrors, createRouter, errorResponse, jsonBody, jsonResponse } from "../shared/openapi.ts";
import { deletionOnSignIn } from "./account-data/sign-in.ts";
import { changePassword, createAccount, findLoginAccount, verifyLoginPassword } from "./accounts.ts";
import { deviceOf } from "./device.ts";
import { deviceId } from "./device-id.ts";
import { sendVerificationLinkAfterSignUp } from "./email-verification.ts";
import { MfaRequiredResponse } from "./mfa/schemas.ts";
import { secondStepFor } from "./mfa/second-step.ts";
import { beginGuardedAttempt, clientIp, enforceRateLimit } from "./rate-limit.ts";
import { signedIn } from "./route-presets.ts";
import { AccessTokenResponse, ChangePasswordBody, LoginBody, RegisterBody, SessionResponse } from "./schemas.ts";
import { familyOf, REFRESH_TTL_MS, revokeFamily, revokeUserSessions, rotateSession, startSession } from "./sessions.ts";
import { issueAccessToken } from "./tokens.ts";
import { findUserById, toSelfUser, type UserRow } from "./users.ts";

export const REFRESH_COOKIE = "veza_refresh";
const COOKIE_PATH = "/api/v1/auth";

function setRefreshCookie(c: Context<AppBindings>, token: string) {
  setCookie(c, REFRESH_COOKIE, token, {
    path: COOKIE_PATH,
    httpOnly: true,
    secure: true,
    sameSite: "Strict",
    maxAge: Math.floor(REFRESH_TTL_MS / 1000),
  });
}

/** Starts a session for the device of the request and answers like a login; `method` names how it signed in. */
export async function signedInResponse(c: Context<AppBindings>, row: UserRow, method = "password") {
  // Signing in during a deletion's grace period cancels it (and is refused once erasing has begun).
  const deletion = await deletionOnSignIn(c, row);
  const session = await startSession(c.env.DB, row.id, deviceOf(c), method);
  setRefreshCookie(c, session.token);
  const accessToken = await issueAccessToken(c.env, {
    sub: row.id,
    role: row.role,
    ver: row.tokenVersion,
    sid: session.familyId,
  });
  return {
    user: toSelfUser(row),
    accessToken,
    ...deletion,
  };
}

const register = createRoute({
  method: "post",
  path: "/auth/register",
  tags: ["auth"],
  request: jsonBody(RegisterBody),
  responses: {
    201: jsonResponse(SessionResponse, "Account created and signed in"),
    409: errorResponse("Email or username taken"),
    ...commonErrors,
  },
});

const login = createRoute({
  method: "post",
  path: "/auth/login",
  tags: ["auth"],
  request: jsonBody(LoginBody),
  responses: {
    200: jsonResponse(
      z.union([SessionResponse, MfaRequiredResponse]),
      "Signed in; or, with two-step sign-in on, the challenge to answer at /auth/login/mfa (no tokens yet)",
    ),
    ...commonErrors,
  },
});

const refresh = createRoute({
  method: "post",
  path: "/auth/refresh",
  tags: ["auth"],
  responses: { 200: jsonResponse(AccessTokenResponse, "A new access token; cookie rotated"), ...commonErrors },
});

const logout = createRoute({
  method: "post",
  path: "/auth/logout",
  tags: ["auth"],
  responses: { 204: { description: "Signed out; the refresh family is revoked" } },
});

const postPassword = createRoute({
  method: "post",
  path: "/auth/password",
  tags: ["auth"],
  request: jsonBody(ChangePasswordBody),
  ...signedIn({
    200: jsonResponse(AccessTokenResponse, "Password changed; other sessions ended; a fresh access token"),
    403: errorResponse("The current password is wrong"),
  }),
});

export const authRoutes = createRouter()
  .openapi(register, async (c) => {
    const body = c.req.valid("json");
    await enforceRateLimit(c.env, "register:ip", clientIp(c));
    await enforceRateLimit(c.env, "register:device", deviceId(c));
    await enforceRateLimit(c.env, "register:email", body.email);
    const row = await createAccount(c.env, body);
    await sendVerificationLinkAfterSignUp(c.env, row);
    return c.json(await signedInResponse(c, row), 201);
  })
  .openapi(login, async (c) => {
    const body = c.req.valid("json");
    await enforceRateLimit(c.env, "login:ip", clientIp(c));
    const account = await findLoginAccount(c.env, body.login);
    // One counter per account whether it is named by email or username; an unknown login gets
    // its own, so the answer does not tell which logins exist.
    const guard = await beginGuardedAttempt(c.env, "login:account", account?.id ?? `unknown:${body.login}`);
    const row = await verifyLoginPassword(c.env, account, body.password);
    // The backoff is cleared only once the second step succeeds too: its wrong codes count here.
    const secondStep = await secondStepFor(c.env, row);
    if (secondStep) return c.json(secondStep, 200);
    await guard.succeeded();
    return c.json(await signedInResponse(c, row), 200);
  })
  .openapi(refresh, async (c) => {
    await enforceRateLimit(c.env, "refresh:ip", clientIp(c));
    const presented = getCookie(c, REFRESH_COOKIE);
    if (!presented) throw unauthenticated("No refresh token: sign in again.");
    const result = await rotateSession(c.env.DB, presented, deviceOf(c));
    if (!result.ok) {
      deleteCookie(c, REFRESH_COOKIE, { path: COOKIE_PATH, secure: true });
      throw unauthenticated(
        result.reason === "reused"
          ? "This refresh token was already used; every session it belonged to has been ended."
          : "The session has ended: sign in again.",
      );
    }
    const row = await findUserById(c.env.DB, result.userId);
    if (!row || row.status !== "active") {
      await revokeFamily(c.env.DB, result.familyId);
      throw unauthenticated("The session has ended: sign in again.");
    }
    setRefreshCookie(c, result.token);
    const accessToken = await issueAccessToken(c.env, {
      sub: row.id,
      role: row.role,
      ver: row.tokenVersion,
      sid: result.familyId,
    });
    return c.json({ accessToken }, 200);
  })
  .openapi(logout, async (c) => {
    const presented = getCookie(c, REFRESH_COOKIE);
    if (presented) {
      const familyId = await familyOf(c.env.DB, presented);
      if (familyId) await revokeFamily(c.env.DB, familyId);
    }
    deleteCookie(c, REFRESH_COOKIE, { path: COOKIE_PATH, secure: true });
    return c.body(null, 204);
  })
  .openapi(postPassword, async (c) => {
    const { currentPassword, newPassword } = c.req.valid("json");
    const me = c.var.viewer;
    const sessionId = c.get("sessionId");
    if (!sessionId) throw unauthenticated();
    const guard = await beginGuardedAttempt(c.env, "password:user", me.id);
    const row = await changePassword(c.env, me.id, currentPassword, newPassword, guard.succeeded);
    // Every other session ends; this one (the access token's) stays signed in.
    await revokeUserSessions(c.env.DB, row.id, sessionId);
    const accessToken = await issueAccessToken(c.env, {
      sub: row.id,
      role: row.role,
      ver: row.tokenVersion,
      sid: sessionId,
    });
    return c.json({ accessToken }, 200);
  });
