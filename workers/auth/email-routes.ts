import { createRoute } from "@hono/zod-openapi";
import { commonErrors, createRouter, endpoint, errorResponse, jsonBody, jsonResponse } from "../shared/openapi.ts";
import { assertCurrentPassword } from "./accounts.ts";
import { deviceId } from "./device-id.ts";
import {
  ChangeEmailBody,
  PASSWORD_RESET_ACCEPTED,
  PasswordResetAccepted,
  PasswordResetBody,
  PasswordResetConfirmBody,
  PendingEmailChange,
  VerifyEmailBody,
} from "./email-schemas.ts";
import { confirmEmailToken, requestEmailChange, resendVerificationLink } from "./email-verification.ts";
import { completePasswordReset, passwordResetWork } from "./password-reset.ts";
import { clientIp, enforceRateLimit } from "./rate-limit.ts";
import { signedIn } from "./route-presets.ts";

const verifyEmail = createRoute({
  ...endpoint("post", "/auth/verify-email", "auth"),
  description: "Opens a mailed verification or email-change link (single use, 24 hours).",
  request: jsonBody(VerifyEmailBody),
  responses: {
    204: { description: "The address is verified (and, for a change link, now the account's)" },
    409: errorResponse("Another account took the new address meanwhile"),
    ...commonErrors,
  },
});

const resendVerification = createRoute({
  ...endpoint("post", "/me/verify-email", "me"),
  description: "Mails a new verification link to the account's address (rate limited).",
  ...signedIn({
    204: { description: "A new link is on its way" },
    409: errorResponse("The address is already verified"),
    503: errorResponse("The email could not be sent"),
  }),
});

const changeEmail = createRoute({
  ...endpoint("post", "/me/email", "me"),
  description:
    "Starts a change of address: the new address gets a confirmation link (24 hours); the old one is told once it is confirmed.",
  request: jsonBody(ChangeEmailBody),
  ...signedIn({
    202: jsonResponse(PendingEmailChange, "A confirmation link is on its way to the new address"),
    403: errorResponse("The current password is wrong"),
    409: errorResponse("The address is taken, or already the account's"),
    503: errorResponse("The email could not be sent"),
  }),
});

const requestReset = createRoute({
  ...endpoint("post", "/auth/password-reset", "auth"),
  description: "Mails a single-use reset link (1 hour) if an account has the address; answers the same either way.",
  request: jsonBody(PasswordResetBody),
  responses: {
    202: jsonResponse(PasswordResetAccepted, "Accepted (whether or not the address is known)"),
    ...commonErrors,
  },
});

const confirmReset = createRoute({
  ...endpoint("post", "/auth/password-reset/confirm", "auth"),
  description: "Sets a new password from a reset link and ends every session of the account.",
  request: jsonBody(PasswordResetConfirmBody),
  responses: { 204: { description: "Password set; every session ended" }, ...commonErrors },
});

export const emailRoutes = createRouter()
  .openapi(verifyEmail, async (c) => {
    await enforceRateLimit(c.env, "email-link:ip", clientIp(c));
    await confirmEmailToken(c.env, c.req.valid("json").token);
    return c.body(null, 204);
  })
  .openapi(resendVerification, async (c) => {
    await enforceRateLimit(c.env, "verify-email-resend:user", c.var.viewer.id);
    await resendVerificationLink(c.env, c.var.viewer.id);
    return c.body(null, 204);
  })
  .openapi(changeEmail, async (c) => {
    const { email, password } = c.req.valid("json");
    await enforceRateLimit(c.env, "email-change:user", c.var.viewer.id);
    const row = await assertCurrentPassword(c.env, c.var.viewer.id, password);
    await requestEmailChange(c.env, row, email);
    return c.json({ pendingEmail: email }, 202);
  })
  .openapi(requestReset, async (c) => {
    const { email } = c.req.valid("json");
    await enforceRateLimit(c.env, "password-reset:ip", clientIp(c));
    await enforceRateLimit(c.env, "password-reset:device", deviceId(c));
    await enforceRateLimit(c.env, "password-reset:email", email);
    const work = await passwordResetWork(c.env, email);
    if (work) c.executionCtx.waitUntil(work);
    return c.json(PASSWORD_RESET_ACCEPTED, 202);
  })
  .openapi(confirmReset, async (c) => {
    const { token, password } = c.req.valid("json");
    await enforceRateLimit(c.env, "email-link:ip", clientIp(c));
    await completePasswordReset(c.env, token, password);
    return c.body(null, 204);
  });
