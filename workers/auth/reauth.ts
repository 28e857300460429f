import type { Env } from "../env.ts";
import { ApiError } from "../shared/errors.ts";
import { argon2ParamsFrom, verifyPassword } from "./password.ts";
import { beginGuardedAttempt } from "./rate-limit.ts";
import { findUserById, type UserRow } from "./users.ts";

/**
 * The one re-authentication check before an irreversible or sensitive action on a signed-in
 * account (deleting it, turning two-step sign-in off, new recovery codes, adding or removing a
 * passkey): the account password, counted against the same per-account backoff as signing in, so
 * a stolen access token cannot be used to guess it any faster. A wrong password is 403 (the caller
 * is signed in, the proof is wrong), as for a password change. Returns the account.
 */
export async function reauthenticate(env: Env, userId: string, password: string): Promise<UserRow> {
  const guard = await beginGuardedAttempt(env, "login:account", userId);
  const row = await findUserById(env.DB, userId);
  // An account made through a sign-in provider has no password until one is set by a reset.
  if (row && !row.passwordHash) {
    throw new ApiError(
      403,
      "invalid_credentials",
      "This account has no password yet: set one with a password reset first.",
    );
  }
  if (!row || !verifyPassword(password, row.passwordHash, argon2ParamsFrom(env.ARGON2_MEMORY_KIB)).ok) {
    throw new ApiError(403, "invalid_credentials", "The password is not correct.");
  }
  await guard.succeeded();
  return row;
}
