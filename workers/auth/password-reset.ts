import { sendEmail } from "../email/send.ts";
import { passwordResetMessage, tokenLink } from "../email/templates/account.ts";
import type { Env } from "../env.ts";
import { errorFields, log } from "../shared/log.ts";
import { findLoginAccount } from "./accounts.ts";
import { consumeEmailToken, findUsableEmailToken, issueEmailToken } from "./email-tokens.ts";
import { invalidEmailToken } from "./email-verification.ts";
import { argon2ParamsFrom, hashPassword } from "./password.ts";
import { assertAcceptablePassword } from "./password-policy.ts";
import { findUserById } from "./users.ts";

export const RESET_PASSWORD_PATH = "/reset-password";

/**
 * Looks the address up and, when an active account has it, returns the work of mailing a reset
 * link. The caller runs that work after answering (waitUntil), so a known address is answered
 * exactly like an unknown one: same body, and no token insert or provider call in the response time.
 */
export async function passwordResetWork(env: Env, email: string): Promise<Promise<void> | undefined> {
  const row = await findLoginAccount(env, email);
  if (!row || row.email !== email || row.status !== "active") return undefined;
  return (async () => {
    try {
      const token = await issueEmailToken(env.DB, { userId: row.id, purpose: "password_reset", email: row.email });
      const link = tokenLink(env.PUBLIC_BASE_URL, RESET_PASSWORD_PATH, token);
      await sendEmail(env, passwordResetMessage({ to: row.email, name: row.displayName }, link));
    } catch (error) {
      log("error", "email.password_reset_not_sent", { userId: row.id, ...errorFields(error) });
    }
  })();
}

/**
 * Sets the new password from a reset link and ends every session: each refresh family is revoked
 * and the token version bumped, so no access token issued before works either. The link's other
 * siblings are voided; it proves the address too, so an unverified one becomes verified.
 */
export async function completePasswordReset(env: Env, token: string, password: string): Promise<void> {
  const found = await findUsableEmailToken(env.DB, token, "password_reset");
  const row = found && (await findUserById(env.DB, found.userId));
  if (!found || !row || row.status !== "active") throw invalidEmailToken();
  // Checked before the token is used up, so a refused password leaves the link working.
  assertAcceptablePassword(password, row);
  const used = await consumeEmailToken(env.DB, token, ["password_reset"]);
  if (!used) throw invalidEmailToken();
  const now = Date.now();
  const verified = used.email === row.email;
  // One batch (D1 runs it as a transaction): the new password never lands without the sessions ending.
  await env.DB.batch([
    env.DB.prepare(
      `UPDATE users SET password_hash = ?1, token_version = token_version + 1, updated_at = ?2,
         email_verified_at = CASE WHEN ?3 AND email_verified_at IS NULL THEN ?2 ELSE email_verified_at END
       WHERE id = ?4`,
    ).bind(hashPassword(password, argon2ParamsFrom(env.ARGON2_MEMORY_KIB)), now, verified ? 1 : 0, row.id),
    env.DB.prepare("UPDATE refresh_tokens SET revoked_at = ?1 WHERE user_id = ?2 AND revoked_at IS NULL").bind(
      now,
      row.id,
    ),
    env.DB.prepare(
      "UPDATE email_tokens SET used_at = ?1 WHERE user_id = ?2 AND purpose = 'password_reset' AND used_at IS NULL",
    ).bind(now, row.id),
  ]);
}
