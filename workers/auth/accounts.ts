import { eq, or, sql } from "drizzle-orm";
import { getDb } from "../db/client.ts";
import { users } from "../db/schema/index.ts";
import type { Env } from "../env.ts";
import { ApiError, conflict } from "../shared/errors.ts";
import { newId } from "../shared/ids.ts";
import { argon2ParamsFrom, hashPassword, verifyPassword } from "./password.ts";
import { assertAcceptablePassword, weakPassword } from "./password-policy.ts";
import { beginGuardedAttempt } from "./rate-limit.ts";
import type { UserRow } from "./users.ts";

const INVALID_CREDENTIALS = () => new ApiError(401, "invalid_credentials", "Incorrect login or password.");

// Verified against when the login names nobody, so an unknown user costs the same time as a wrong password.
let decoyHash: string | undefined;

export async function createAccount(
  env: Env,
  input: { email: string; username: string; password: string; displayName?: string },
): Promise<UserRow> {
  assertAcceptablePassword(input.password, input);
  const db = getDb(env.DB);
  const taken = await db
    .select({ email: users.email, username: users.username })
    .from(users)
    .where(or(eq(users.email, input.email), eq(users.username, input.username)))
    .all();
  assertFree(taken, input);
  const now = Date.now();
  try {
    return await db
      .insert(users)
      .values({
        id: newId(now),
        email: input.email,
        username: input.username,
        displayName: input.displayName ?? input.username,
        passwordHash: hashPassword(input.password, argon2ParamsFrom(env.ARGON2_MEMORY_KIB)),
        createdAt: now,
        updatedAt: now,
      })
      .returning()
      .get();
  } catch (error) {
    // Lost a race with another registration of the same email or username.
    if (String((error as Error).cause ?? error).includes("UNIQUE")) {
      const again = await db
        .select({ email: users.email, username: users.username })
        .from(users)
        .where(or(eq(users.email, input.email), eq(users.username, input.username)))
        .all();
      assertFree(again, input);
    }
    throw error;
  }
}

function assertFree(taken: { email: string; username: string }[], input: { email: string; username: string }) {
  if (taken.some((t) => t.email === input.email)) {
    throw conflict("email_taken", "An account with this email already exists.");
  }
  if (taken.some((t) => t.username === input.username)) {
    throw conflict("username_taken", "This username is taken.");
  }
}

/** The account a login names, by email or by username (one account, whichever form is used). */
export async function findLoginAccount(env: Env, login: string): Promise<UserRow | undefined> {
  const key = login.toLowerCase();
  return getDb(env.DB)
    .select()
    .from(users)
    .where(or(eq(users.email, key), eq(users.username, key)))
    .get();
}

/** Checks the password of the account a login named; upgrades the hash when the parameters changed. */
export async function verifyLoginPassword(env: Env, row: UserRow | undefined, password: string): Promise<UserRow> {
  const db = getDb(env.DB);
  const params = argon2ParamsFrom(env.ARGON2_MEMORY_KIB);
  // An account made through a sign-in provider has no password (""): it takes as long as any other refusal.
  if (!row?.passwordHash) {
    decoyHash ??= hashPassword("decoy-password", params);
    verifyPassword(password, decoyHash, params);
    throw INVALID_CREDENTIALS();
  }
  const { ok, needsRehash } = verifyPassword(password, row.passwordHash, params);
  // A disabled account answers exactly like a wrong password: anything else confirms the guess.
  if (!ok || row.status !== "active") throw INVALID_CREDENTIALS();
  if (needsRehash) {
    const passwordHash = hashPassword(password, params);
    await db.update(users).set({ passwordHash }).where(eq(users.id, row.id));
    row.passwordHash = passwordHash;
  }
  return row;
}

/**
 * Re-authentication before a sensitive change (the account's email address): the current password,
 * under the same progressive backoff as a password change, so a stolen access token cannot guess it.
 */
export async function assertCurrentPassword(env: Env, userId: string, password: string): Promise<UserRow> {
  const guard = await beginGuardedAttempt(env, "password:user", userId);
  const row = await getDb(env.DB).select().from(users).where(eq(users.id, userId)).get();
  if (!row || !verifyPassword(password, row.passwordHash, argon2ParamsFrom(env.ARGON2_MEMORY_KIB)).ok) {
    throw new ApiError(403, "invalid_credentials", "The current password is not correct.");
  }
  await guard.succeeded();
  return row;
}

/** Changes the password and bumps the token version, which ends every outstanding access token. */
export async function changePassword(
  env: Env,
  userId: string,
  current: string,
  next: string,
  onCurrentPasswordVerified: () => Promise<void>,
): Promise<UserRow> {
  const db = getDb(env.DB);
  const row = await db.select().from(users).where(eq(users.id, userId)).get();
  const params = argon2ParamsFrom(env.ARGON2_MEMORY_KIB);
  if (!row || !verifyPassword(current, row.passwordHash, params).ok) {
    throw new ApiError(403, "invalid_credentials", "The current password is not correct.");
  }
  await onCurrentPasswordVerified();
  assertAcceptablePassword(next, row);
  if (next === current) throw weakPassword("reused");
  return db
    .update(users)
    .set({
      passwordHash: hashPassword(next, params),
      tokenVersion: sql`${users.tokenVersion} + 1`,
      updatedAt: Date.now(),
    })
    .where(eq(users.id, userId))
    .returning()
    .get();
}
