import { and, eq, isNull, ne, sql } from "drizzle-orm";
import { getDb } from "../db/client.ts";
import { refreshTokens, sessions, users } from "../db/schema/index.ts";
import { randomToken, seal, sha256Hex, unseal } from "../shared/crypto.ts";
import { newId } from "../shared/ids.ts";
import type { Device } from "./device.ts";

export const REFRESH_TTL_MS = 30 * 24 * 3600 * 1000;

export type IssuedRefresh = { token: string; familyId: string };

/**
 * Starts a new session family (one signed-in device) and returns its first refresh token.
 * `method` says how it signed in: "password" or a sign-in provider's id.
 */
export async function startSession(
  d1: D1Database,
  userId: string,
  device: Device,
  method = "password",
): Promise<IssuedRefresh> {
  const familyId = newId();
  const token = randomToken();
  const now = Date.now();
  const db = getDb(d1);
  await db.batch([
    db.insert(sessions).values({ id: familyId, userId, method, ...device, createdAt: now, lastUsedAt: now }),
    db.insert(refreshTokens).values({
      id: newId(),
      familyId,
      userId,
      tokenHash: await sha256Hex(token),
      createdAt: now,
      expiresAt: now + REFRESH_TTL_MS,
    }),
  ]);
  return { token, familyId };
}

export type RotateResult =
  | { ok: true; userId: string; token: string; familyId: string }
  | { ok: false; reason: "unknown" | "expired" | "revoked" | "reused" };

/**
 * How long a just-rotated refresh token still yields its successor. Two tabs restoring a session
 * together, or a retry after a lost response, present the same token within a second or two; the
 * window is kept short because a thief presenting it in that window also gets the successor (the
 * next rotation by either side then shows up as reuse and ends the family).
 */
export const REFRESH_REUSE_GRACE_MS = 30_000;

async function rowOf(d1: D1Database, presented: string) {
  return getDb(d1)
    .select()
    .from(refreshTokens)
    .where(eq(refreshTokens.tokenHash, await sha256Hex(presented)))
    .get();
}

/** Only the holder of the presented token can open its successor: the row stores a hash, not the token. */
const successorKey = (presented: string) => `refresh-successor:${presented}`;

/**
 * Exchanges a refresh token for a new one in the same family. Within the grace window a token
 * that was just rotated yields the same successor; any later use of a rotated token is a sign of
 * theft and revokes the whole family.
 */
export async function rotateSession(
  d1: D1Database,
  presented: string,
  device: Device,
  now = Date.now(),
): Promise<RotateResult> {
  const row = await rowOf(d1, presented);
  if (!row) return { ok: false, reason: "unknown" };
  if (row.revokedAt) return { ok: false, reason: "revoked" };
  if (row.rotatedAt) return successorOrReuse(d1, row, presented, now);
  if (row.expiresAt <= now) return { ok: false, reason: "expired" };

  const token = randomToken();
  const successorId = newId(now);
  const sealed = await seal(successorKey(presented), token);
  // One transaction: mark the row rotated unless a concurrent refresh already did, and insert the
  // successor (and note the device's use) only if this request is the one whose mark stuck.
  const [marked] = await d1.batch([
    d1
      .prepare(
        `UPDATE refresh_tokens SET rotated_at = ?1, successor_id = ?2, successor_sealed = ?3
         WHERE id = ?4 AND rotated_at IS NULL AND revoked_at IS NULL`,
      )
      .bind(now, successorId, sealed, row.id),
    d1
      .prepare(
        `INSERT INTO refresh_tokens (id, family_id, user_id, token_hash, created_at, expires_at)
         SELECT ?1, ?2, ?3, ?4, ?5, ?6
         WHERE EXISTS (SELECT 1 FROM refresh_tokens WHERE id = ?7 AND successor_id = ?1)`,
      )
      .bind(successorId, row.familyId, row.userId, await sha256Hex(token), now, now + REFRESH_TTL_MS, row.id),
    // The device list's "last used" and place move here, about every 15 minutes of use, rather
    // than with a write on every request.
    d1
      .prepare(
        `UPDATE sessions SET last_used_at = ?1, user_agent = ?2, city = ?3, country = ?4
         WHERE id = ?5 AND EXISTS (SELECT 1 FROM refresh_tokens WHERE id = ?6 AND successor_id = ?7)`,
      )
      .bind(now, device.userAgent, device.city, device.country, row.familyId, row.id, successorId),
  ]);
  if (marked?.meta.changes !== 1) {
    // A concurrent refresh of the same token won: answer with the successor it made.
    const again = await rowOf(d1, presented);
    if (again?.rotatedAt) return successorOrReuse(d1, again, presented, now);
    return { ok: false, reason: "revoked" };
  }
  return { ok: true, userId: row.userId, token, familyId: row.familyId };
}

async function successorOrReuse(
  d1: D1Database,
  row: typeof refreshTokens.$inferSelect,
  presented: string,
  now: number,
): Promise<RotateResult> {
  if (row.rotatedAt && now - row.rotatedAt <= REFRESH_REUSE_GRACE_MS && row.successorId && row.successorSealed) {
    const successor = await getDb(d1).select().from(refreshTokens).where(eq(refreshTokens.id, row.successorId)).get();
    const token =
      successor && !successor.rotatedAt && !successor.revokedAt && successor.expiresAt > now
        ? await unseal(successorKey(presented), row.successorSealed)
        : undefined;
    if (token) return { ok: true, userId: row.userId, token, familyId: row.familyId };
  }
  await revokeFamily(d1, row.familyId);
  return { ok: false, reason: "reused" };
}

/**
 * The user behind an access token, with whether the session (refresh family) it was issued to is
 * still signed in: logging out ends that session's access tokens at once, not 15 minutes later.
 * One D1 round trip, on every authenticated request.
 */
export async function findSessionUser(d1: D1Database, userId: string, familyId: string) {
  return getDb(d1)
    .select({
      user: users,
      sessionAlive: sql<number>`EXISTS (SELECT 1 FROM refresh_tokens
        WHERE family_id = ${familyId} AND user_id = ${userId} AND revoked_at IS NULL)`,
    })
    .from(users)
    .where(eq(users.id, userId))
    .get();
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

const PURGE_BATCH = 500;
const PURGE_MAX_BATCHES = 20;

/**
 * Deletes refresh-token rows that can never be used again: expired ones and those of ended
 * sessions (a revoked token presented later is refused as unknown, just the same). Rotated rows
 * stay until they expire, so reuse of an old token is still detected (their sealed successor opens
 * only with the old token itself, which is not stored). Bounded per run; the hourly cron goes on.
 */
export async function purgeRefreshTokens(d1: D1Database, now = Date.now()): Promise<number> {
  let purged = 0;
  for (let i = 0; i < PURGE_MAX_BATCHES; i++) {
    const [expired, revoked] = await d1.batch([
      d1
        .prepare(
          "DELETE FROM refresh_tokens WHERE id IN (SELECT id FROM refresh_tokens WHERE expires_at <= ?1 LIMIT ?2)",
        )
        .bind(now, PURGE_BATCH),
      d1
        .prepare(
          "DELETE FROM refresh_tokens WHERE id IN (SELECT id FROM refresh_tokens WHERE revoked_at IS NOT NULL LIMIT ?1)",
        )
        .bind(PURGE_BATCH),
    ]);
    const changed = (expired?.meta.changes ?? 0) + (revoked?.meta.changes ?? 0);
    purged += changed;
    if (changed < PURGE_BATCH) break;
  }
  // A device whose refresh tokens are all gone can never refresh again: its row goes too.
  await d1
    .prepare(
      `DELETE FROM sessions WHERE id IN (SELECT s.id FROM sessions s
       WHERE NOT EXISTS (SELECT 1 FROM refresh_tokens r WHERE r.family_id = s.id) LIMIT ?1)`,
    )
    .bind(PURGE_BATCH * PURGE_MAX_BATCHES)
    .run();
  return purged;
}
