import { sendEmail } from "../email/send.ts";
import {
  confirmNewEmailMessage,
  emailChangedNotice,
  tokenLink,
  verifyEmailMessage,
} from "../email/templates/account.ts";
import type { Env } from "../env.ts";
import { ApiError, conflict } from "../shared/errors.ts";
import { errorFields, log } from "../shared/log.ts";
import { consumeEmailToken, issueEmailToken } from "./email-tokens.ts";
import { findUserById, isEmailVerified, markEmailVerified, type UserRow } from "./users.ts";

/** The web app's pages that open the mailed links. */
export const VERIFY_EMAIL_PATH = "/verify-email";

export const invalidEmailToken = () =>
  new ApiError(
    400,
    "invalid_token",
    "This link is not valid any more: it was already used or it expired. Ask for a new one.",
  );

/** Mails a verification link for the account's current address. */
export async function sendVerificationLink(env: Env, row: UserRow): Promise<void> {
  const token = await issueEmailToken(env.DB, { userId: row.id, purpose: "verify_email", email: row.email });
  const link = tokenLink(env.PUBLIC_BASE_URL, VERIFY_EMAIL_PATH, token);
  await sendEmail(env, verifyEmailMessage({ to: row.email, name: row.displayName }, link));
}

/**
 * After sign-up: the account exists whatever happens to the mail, and the user can ask for
 * another link from the banner, so a provider failure is logged, not returned.
 */
export async function sendVerificationLinkAfterSignUp(env: Env, row: UserRow): Promise<void> {
  try {
    await sendVerificationLink(env, row);
  } catch (error) {
    log("warn", "email.verification_not_sent", { userId: row.id, ...errorFields(error) });
  }
}

export async function resendVerificationLink(env: Env, userId: string): Promise<void> {
  const row = await findUserById(env.DB, userId);
  if (!row) throw new ApiError(404, "not_found", "User not found.");
  if (isEmailVerified(row)) throw conflict("email_already_verified", "Your email address is already verified.");
  await sendVerificationLink(env, row);
}

/**
 * Opens a mailed link: a verification link proves the account's address; an email-change link
 * makes its address the account's (and tells the old address). Either way the address is verified.
 */
export async function confirmEmailToken(env: Env, token: string): Promise<void> {
  const used = await consumeEmailToken(env.DB, token, ["verify_email", "change_email"]);
  if (!used) throw invalidEmailToken();
  const row = await findUserById(env.DB, used.userId);
  if (!row || row.status !== "active") throw invalidEmailToken();
  if (used.purpose === "verify_email") {
    // A link for an address the account no longer has proves nothing about the current one.
    if (row.email !== used.email) throw invalidEmailToken();
    await markEmailVerified(env.DB, row.id);
    return;
  }
  await changeAddress(env, row, used.email);
}

async function changeAddress(env: Env, row: UserRow, newEmail: string): Promise<void> {
  if (row.email === newEmail) {
    await markEmailVerified(env.DB, row.id);
    return;
  }
  const now = Date.now();
  try {
    await env.DB.prepare("UPDATE users SET email = ?1, email_verified_at = ?2, updated_at = ?2 WHERE id = ?3")
      .bind(newEmail, now, row.id)
      .run();
  } catch (error) {
    if (String((error as Error).cause ?? error).includes("UNIQUE")) {
      throw conflict("email_taken", "Another account took this address in the meantime; the change was not made.");
    }
    throw error;
  }
  try {
    await sendEmail(env, emailChangedNotice({ to: row.email, name: row.displayName }, newEmail));
  } catch (error) {
    log("warn", "email.change_notice_not_sent", { userId: row.id, ...errorFields(error) });
  }
}

/** Starts an email change: the new address gets a link; nothing changes until it is opened. */
export async function requestEmailChange(env: Env, row: UserRow, newEmail: string): Promise<void> {
  if (newEmail === row.email) throw conflict("email_unchanged", "This is already your email address.");
  const taken = await env.DB.prepare("SELECT 1 FROM users WHERE email = ?1").bind(newEmail).first();
  if (taken) throw conflict("email_taken", "An account with this email already exists.");
  const token = await issueEmailToken(env.DB, { userId: row.id, purpose: "change_email", email: newEmail });
  const link = tokenLink(env.PUBLIC_BASE_URL, VERIFY_EMAIL_PATH, token);
  await sendEmail(env, confirmNewEmailMessage({ to: newEmail, name: row.displayName }, link));
}
