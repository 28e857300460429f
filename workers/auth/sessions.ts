import { and, eq, isNull, ne } from "drizzle-orm";
import { getDb } from "../db/client.ts";
import { refreshTokens } from "../db/schema/index.ts";
import { randomToken, sha256Hex } from "../shared/crypto.ts";
import { newId } from "../shared/ids.ts";

export const REFRESH_TTL_MS = 30 * 24 * 3600 * 1000;

export type IssuedRefresh = { token: string; familyId: string };

/** Starts a new session family and returns its first refresh token. */
export async function startSession(d1: D1Database, userId: string): Promise<IssuedRefresh> {
  const familyId = newId();
  const token = randomToken();
  const now = Date.now();
  await getDb(d1)
    .insert(refreshTokens)
    .values({
      id: newId(),
      familyId,
      userId,
      tokenHash: await sha256Hex(token),
      createdAt: now,
      expiresAt: now + REFRESH_TTL_MS,
    });
  return { token, familyId };
}

export type RotateResult =
  | { ok: true; userId: string; token: string; familyId: string }
  | { ok: false; reason: "unknown" | "expired" | "revoked" | "reused" };

/**
 * Exchanges a refresh token for a new one in the same family. A token that was already
 * rotated is a sign of theft: the whole family is revoked.
 */
export async function rotateSession(d1: D1Database, presented: string): Promise<RotateResult> {
  const db = getDb(d1);
  const now = Date.now();
  const row = await db
    .select()
    .from(refreshTokens)
    .where(eq(refreshTokens.tokenHash, await sha256Hex(presented)))
    .get();
  if (!row) return { ok: false, reason: "unknown" };
  if (row.revokedAt) return { ok: false, reason: "revoked" };
  if (row.rotatedAt) {
    await revokeFamily(d1, row.familyId);
    return { ok: false, reason: "reused" };
  }
  if (row.expiresAt <= now) return { ok: false, reason: "expired" };

  const token = randomToken();
  const [marked] = await db.batch([
    db
      .update(refreshTokens)
      .set({ rotatedAt: now })
      .where(and(eq(refreshTokens.id, row.id), isNull(refreshTokens.rotatedAt)))
      .returning({ id: refreshTokens.id }),
    db.insert(refreshTokens).values({
      id: newId(),
      familyId: row.familyId,
      userId: row.userId,
      tokenHash: await sha256Hex(token),
      createdAt: now,
      expiresAt: now + REFRESH_TTL_MS,
    }),
  ]);
  if (marked.length === 0) {
    // Another request rotated it between our read and write: treat as reuse.
    await revokeFamily(d1, row.familyId);
    return { ok: false, reason: "reused" };
  }
  return { ok: true, userId: row.userId, token, familyId: row.familyId };
}

export async function familyOf(d1: D1Database, presented: string): Promise<string | undefined> {
  const row = await getDb(d1)
    .select({ familyId: refreshTokens.familyId })
    .from(refreshTokens)
    .where(eq(refreshTokens.tokenHash, await sha256Hex(presented)))
    .get();
  return row?.familyId;
}

export async function revokeFamily(d1: D1Database, familyId: string): Promise<void> {
  await getDb(d1)
    .update(refreshTokens)
    .set({ revokedAt: Date.now() })
    .where(and(eq(refreshTokens.familyId, familyId), isNull(refreshTokens.revokedAt)));
}

/** Ends every session of a user, except the family given (the caller's own, on a password change). */
export async function revokeUserSessions(d1: D1Database, userId: string, exceptFamilyId?: string): Promise<void> {
  const conditions = [eq(refreshTokens.userId, userId), isNull(refreshTokens.revokedAt)];
  if (exceptFamilyId) conditions.push(ne(refreshTokens.familyId, exceptFamilyId));
  await getDb(d1)
    .update(refreshTokens)
    .set({ revokedAt: Date.now() })
    .where(and(...conditions));
}
