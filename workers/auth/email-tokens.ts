import { and, eq } from "drizzle-orm";
import { getDb } from "../db/client.ts";
import { type EmailTokenPurpose, emailTokens } from "../db/schema/index.ts";
import { randomToken, sha256Hex } from "../shared/crypto.ts";
import { newId } from "../shared/ids.ts";

export const EMAIL_TOKEN_TTL_MS: Record<EmailTokenPurpose, number> = {
  verify_email: 24 * 3600 * 1000,
  change_email: 24 * 3600 * 1000,
  password_reset: 3600 * 1000,
};

export type EmailTokenRow = typeof emailTokens.$inferSelect;

/** Creates a single-use token for a mailed link; only its hash is stored. */
export async function issueEmailToken(
  d1: D1Database,
  input: { userId: string; purpose: EmailTokenPurpose; email: string },
  now = Date.now(),
): Promise<string> {
  const token = randomToken();
  await getDb(d1)
    .insert(emailTokens)
    .values({
      id: newId(now),
      userId: input.userId,
      purpose: input.purpose,
      email: input.email,
      tokenHash: await sha256Hex(token),
      createdAt: now,
      expiresAt: now + EMAIL_TOKEN_TTL_MS[input.purpose],
    });
  return token;
}

/** A token that is still usable for `purpose`, without using it up (to check a form before using it). */
export async function findUsableEmailToken(
  d1: D1Database,
  token: string,
  purpose: EmailTokenPurpose,
  now = Date.now(),
): Promise<EmailTokenRow | undefined> {
  const row = await getDb(d1)
    .select()
    .from(emailTokens)
    .where(and(eq(emailTokens.tokenHash, await sha256Hex(token)), eq(emailTokens.purpose, purpose)))
    .get();
  return row && row.usedAt === null && row.expiresAt > now ? row : undefined;
}

/**
 * Uses a token up: one conditional UPDATE, so of two concurrent uses exactly one wins. Answers the
 * row when the token was unused, unexpired and of one of `purposes`; undefined otherwise (which
 * of those it was is not told: a guesser learns nothing).
 */
export async function consumeEmailToken(
  d1: D1Database,
  token: string,
  purposes: readonly EmailTokenPurpose[],
  now = Date.now(),
): Promise<EmailTokenRow | undefined> {
  const row = await d1
    .prepare(
      `UPDATE email_tokens SET used_at = ?1
       WHERE token_hash = ?2 AND used_at IS NULL AND expires_at > ?1
         AND purpose IN (${purposes.map((_, i) => `?${i + 3}`).join(", ")})
       RETURNING id, user_id, purpose, email, created_at, expires_at, used_at`,
    )
    .bind(now, await sha256Hex(token), ...purposes)
    .first<{
      id: string;
      user_id: string;
      purpose: EmailTokenPurpose;
      email: string;
      created_at: number;
      expires_at: number;
      used_at: number;
    }>();
  if (!row) return undefined;
  return {
    id: row.id,
    userId: row.user_id,
    purpose: row.purpose,
    email: row.email,
    tokenHash: "",
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    usedAt: row.used_at,
  };
}

/** Deletes tokens that can no longer be used (expired); the hourly cron calls it. */
export async function purgeEmailTokens(d1: D1Database, now = Date.now()): Promise<number> {
  const result = await d1
    .prepare("DELETE FROM email_tokens WHERE id IN (SELECT id FROM email_tokens WHERE expires_at <= ?1 LIMIT 1000)")
    .bind(now)
    .run();
  return result.meta.changes ?? 0;
}
