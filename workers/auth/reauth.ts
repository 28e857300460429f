import type { Env } from "../env.ts";
import { ApiError } from "../shared/errors.ts";
import { argon2ParamsFrom, verifyPassword } from "./password.ts";
import { beginGuardedAttempt } from "./rate-limit.ts";
import { findUserById } from "./users.ts";

/**
 * The one re-authentication check before an irreversible action on a signed-in account (deleting
 * it): the account password, counted against the same per-account backoff as signing in, so a
 * stolen access token cannot be used to guess it any faster. A wrong password is 403 (the caller
 * is signed in, the proof is wrong), as for a password change. A second factor, once accounts
 * have one, belongs here too.
 */
export async function reauthenticate(env: Env, userId: string, password: string): Promise<void> {
  const guard = await beginGuardedAttempt(env, "login:account", userId);
  const row = await findUserById(env.DB, userId);
  if (!row || !verifyPassword(password, row.passwordHash, argon2ParamsFrom(env.ARGON2_MEMORY_KIB)).ok) {
    throw new ApiError(403, "invalid_credentials", "The password is not correct.");
  }
  await guard.succeeded();
}
