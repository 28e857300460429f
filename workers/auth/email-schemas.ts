import { z } from "@hono/zod-openapi";
import { Password } from "./schemas.ts";

export const EmailAddress = z
  .email()
  .max(254)
  .transform((s) => s.toLowerCase());

/** A token from a mailed link (`?token=`). */
export const EmailLinkToken = z.string().trim().min(1).max(200);

export const VerifyEmailBody = z.object({ token: EmailLinkToken });
export const ChangeEmailBody = z.object({ email: EmailAddress, password: z.string().min(1).max(256) });
/** The address that becomes the account's once its link is opened. */
export const PendingEmailChange = z.object({ pendingEmail: z.string() }).openapi("PendingEmailChange");
export const PasswordResetBody = z.object({ email: EmailAddress });
export const PasswordResetConfirmBody = z.object({ token: EmailLinkToken, password: Password });

/** The same answer whether or not an account has the address. */
export const PasswordResetAccepted = z.object({ message: z.string() }).openapi("PasswordResetAccepted");
export const PASSWORD_RESET_ACCEPTED = {
  message: "If an account uses this address, a link to reset its password is on its way. It works for 1 hour.",
};
