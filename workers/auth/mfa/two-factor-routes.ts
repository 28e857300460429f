import { createRoute } from "@hono/zod-openapi";
import type { AuthenticationResponseJSON } from "@simplewebauthn/server";
import { ApiError } from "../../shared/errors.ts";
import { createRouter, endpoint, errorResponse, jsonBody, jsonResponse } from "../../shared/openapi.ts";
import { reauthenticate } from "../reauth.ts";
import { signedIn } from "../route-presets.ts";
import { signedInResponse } from "../routes.ts";
import { SessionResponse } from "../schemas.ts";
import { listPasskeys } from "./passkeys.ts";
import { deleteRecoveryCodes, recoveryCodesLeft, replaceRecoveryCodes } from "./recovery-codes.ts";
import {
  CurrentPasswordBody,
  LoginMfaBody,
  MfaStatus,
  RecoveryCodesResponse,
  TotpConfirmBody,
  TotpSetup,
} from "./schemas.ts";
import { completeSecondStep } from "./second-step.ts";
import { acceptTotpCode, beginTotpSetup, deleteTotp, findTotp, mfaNotEnabled } from "./totp.ts";

const getStatus = createRoute({
  ...endpoint("get", "/me/mfa", "me"),
  summary: "Two-step sign-in: whether an authenticator app is set up, recovery codes left, passkeys",
  ...signedIn({ 200: jsonResponse(MfaStatus, "Two-step sign-in status") }),
});

const startTotp = createRoute({
  ...endpoint("post", "/me/mfa/totp", "me"),
  summary: "Start setting up an authenticator app (inactive until confirmed with a code)",
  ...signedIn({
    200: jsonResponse(TotpSetup, "The new secret and its otpauth:// URL"),
    409: errorResponse("Already on"),
    503: errorResponse("APP_PASSWORD_KEY is not configured"),
  }),
});

const confirmTotp = createRoute({
  ...endpoint("post", "/me/mfa/totp/confirm", "me"),
  summary: "Turn two-step sign-in on with a code from the app; returns ten single-use recovery codes",
  request: jsonBody(TotpConfirmBody),
  ...signedIn({
    200: jsonResponse(RecoveryCodesResponse, "On; the recovery codes are shown this once"),
    409: errorResponse("No setup was started, or it is already on"),
  }),
});

const disableTotp = createRoute({
  ...endpoint("delete", "/me/mfa/totp", "me"),
  summary: "Turn two-step sign-in off (needs the current password); recovery codes are deleted",
  request: jsonBody(CurrentPasswordBody),
  ...signedIn({ 204: { description: "Off" }, 403: errorResponse("The password is wrong") }),
});

const newRecoveryCodes = createRoute({
  ...endpoint("post", "/me/mfa/recovery-codes", "me"),
  summary: "Replace the recovery codes (needs the current password); the old ones stop working",
  request: jsonBody(CurrentPasswordBody),
  ...signedIn({
    200: jsonResponse(RecoveryCodesResponse, "Ten new codes, shown this once"),
    403: errorResponse("The password is wrong"),
    409: errorResponse("Two-step sign-in is not on"),
  }),
});

const loginMfa = createRoute({
  ...endpoint("post", "/auth/login/mfa", "auth"),
  summary: "The second step of a sign-in: an app code, a recovery code or a passkey",
  request: jsonBody(LoginMfaBody),
  responses: {
    200: jsonResponse(SessionResponse, "Signed in"),
    400: errorResponse("The request is not valid"),
    401: errorResponse("Wrong or used code, rejected passkey, or an expired or used challenge"),
    429: errorResponse("Too many wrong answers for this account; see Retry-After"),
  },
});

export const twoFactorRoutes = createRouter()
  .openapi(getStatus, async (c) => {
    const userId = c.var.viewer.id;
    const [totp, left, keys] = await Promise.all([
      findTotp(c.env.DB, userId),
      recoveryCodesLeft(c.env.DB, userId),
      listPasskeys(c.env.DB, userId),
    ]);
    const state = !totp ? "off" : totp.confirmedAt ? "on" : "pending";
    return c.json({ totp: state, recoveryCodesLeft: state === "on" ? left : 0, passkeys: keys.length } as const, 200);
  })
  .openapi(startTotp, async (c) => {
    const me = c.var.viewer;
    return c.json(await beginTotpSetup(c.env, me.id, me.username), 200);
  })
  .openapi(confirmTotp, async (c) => {
    const userId = c.var.viewer.id;
    const totp = await findTotp(c.env.DB, userId);
    if (!totp) throw mfaNotEnabled("Start the setup first: POST /api/v1/me/mfa/totp.");
    if (totp.confirmedAt) throw mfaNotEnabled("Two-step sign-in is already on.");
    if (!(await acceptTotpCode(c.env, userId, c.req.valid("json").code.replace(/\s/g, ""), { confirming: true }))) {
      throw new ApiError(
        400,
        "invalid_mfa_code",
        "That code is not correct. Check the app's clock and try the next one.",
      );
    }
    return c.json({ recoveryCodes: await replaceRecoveryCodes(c.env.DB, userId) }, 200);
  })
  .openapi(disableTotp, async (c) => {
    const userId = c.var.viewer.id;
    await reauthenticate(c.env, userId, c.req.valid("json").password);
    await deleteTotp(c.env.DB, userId);
    await deleteRecoveryCodes(c.env.DB, userId);
    return c.body(null, 204);
  })
  .openapi(newRecoveryCodes, async (c) => {
    const userId = c.var.viewer.id;
    await reauthenticate(c.env, userId, c.req.valid("json").password);
    if (!(await findTotp(c.env.DB, userId))?.confirmedAt) throw mfaNotEnabled();
    return c.json({ recoveryCodes: await replaceRecoveryCodes(c.env.DB, userId) }, 200);
  })
  .openapi(loginMfa, async (c) => {
    const body = c.req.valid("json");
    const { user, factor } = await completeSecondStep(c.env, {
      challenge: body.challenge,
      code: body.code,
      passkey: body.passkey as AuthenticationResponseJSON | undefined,
    });
    return c.json(await signedInResponse(c, user, `password+${factor}`), 200);
  });
