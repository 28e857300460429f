import { and, eq, gt, isNull, lt, sql } from "drizzle-orm";
import { getDb } from "../../db/client.ts";
import { type AuthChallengePurpose, authChallenges } from "../../db/schema/index.ts";
import { randomToken, sha256Hex } from "../../shared/crypto.ts";
import { ApiError } from "../../shared/errors.ts";

/** Long enough to open an authenticator app or find a security key; short enough to be useless later. */
export const CHALLENGE_TTL_MS = 5 * 60 * 1000;
/** Wrong answers one challenge takes before it is void (the password must then be entered again). */
export const MAX_CHALLENGE_FAILURES = 5;

export type AuthChallenge = typeof authChallenges.$inferSelect;

export const invalidChallenge = () =>
  new ApiError(401, "invalid_challenge", "This sign-in step has expired or was already used. Start again.");

/** Stores a new challenge and returns the token the client answers with (only its hash is kept). */
export async function issueChallenge(
  d1: D1Database,
  purpose: AuthChallengePurpose,
  userId: string | null,
  webauthnChallenge: string | null = null,
  now = Date.now(),
): Promise<string> {
  const token = randomToken();
  await getDb(d1)
    .insert(authChallenges)
    .values({
      id: await sha256Hex(token),
      purpose,
      userId,
      webauthnChallenge,
      createdAt: now,
      expiresAt: now + CHALLENGE_TTL_MS,
    });
  return token;
}

function usable(id: string, purpose: AuthChallengePurpose, now: number) {
  return and(
    eq(authChallenges.id, id),
    eq(authChallenges.purpose, purpose),
    isNull(authChallenges.usedAt),
    gt(authChallenges.expiresAt, now),
    lt(authChallenges.failures, MAX_CHALLENGE_FAILURES),
  );
}

/** The challenge a token names while it can still be answered; it stays open (see consumeChallenge). */
export async function openChallenge(
  d1: D1Database,
  purpose: AuthChallengePurpose,
  token: string,
  now = Date.now(),
): Promise<AuthChallenge | undefined> {
  return getDb(d1)
    .select()
    .from(authChallenges)
    .where(usable(await sha256Hex(token), purpose, now))
    .get();
}

/**
 * Marks the challenge used and returns it, in one statement: of two requests answering the same
 * challenge, exactly one gets it back.
 */
export async function consumeChallenge(
  d1: D1Database,
  purpose: AuthChallengePurpose,
  token: string,
  now = Date.now(),
): Promise<AuthChallenge | undefined> {
  return getDb(d1)
    .update(authChallenges)
    .set({ usedAt: now })
    .where(usable(await sha256Hex(token), purpose, now))
    .returning()
    .get();
}

export async function recordChallengeFailure(d1: D1Database, id: string): Promise<void> {
  await getDb(d1)
    .update(authChallenges)
    .set({ failures: sql`${authChallenges.failures} + 1` })
    .where(eq(authChallenges.id, id));
}

/** Deletes challenges that can no longer be answered (hourly cron); bounded per run. */
export async function purgeAuthChallenges(d1: D1Database, now = Date.now()): Promise<number> {
  const result = await d1
    .prepare(
      `DELETE FROM auth_challenges WHERE id IN
        (SELECT id FROM auth_challenges WHERE expires_at <= ?1 OR used_at IS NOT NULL LIMIT 1000)`,
    )
    .bind(now)
    .run();
  return result.meta.changes ?? 0;
}
