import { and, desc, eq, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { sessions } from "../db/schema/index.ts";
import { afterCursor, keysetPage, type Page, type PageRequest, shapePage } from "../shared/keyset.ts";
import { revokeFamily } from "./sessions.ts";
import { summarizeUserAgent } from "./user-agent.ts";

/** A signed-in device as its owner sees it in settings. */
export type DeviceSession = {
  id: string;
  method: string;
  browser: string | null;
  os: string | null;
  city: string | null;
  country: string | null;
  createdAt: string;
  lastUsedAt: string;
  current: boolean;
};

/** The session still has a refresh token that can be used: not revoked, not rotated, not expired. */
const signedIn = (now: number) =>
  sql`EXISTS (SELECT 1 FROM refresh_tokens r WHERE r.family_id = ${sessions.id}
    AND r.revoked_at IS NULL AND r.rotated_at IS NULL AND r.expires_at > ${now})`;

/** The user's signed-in devices, most recent sign-in first; `currentId` is the caller's own. */
export async function listDeviceSessions(
  db: Db,
  userId: string,
  currentId: string | undefined,
  page: PageRequest,
  now = Date.now(),
): Promise<Page<DeviceSession>> {
  const rows = await keysetPage(
    page,
    (after, take) =>
      db
        .select()
        .from(sessions)
        .where(and(eq(sessions.userId, userId), signedIn(now), afterCursor(sessions.createdAt, sessions.id, after)))
        .orderBy(desc(sessions.createdAt), desc(sessions.id))
        .limit(take)
        .all(),
    (row) => ({ k: row.createdAt, id: row.id }),
  );
  return shapePage(rows, (items) =>
    items.map((row) => ({
      id: row.id,
      method: row.method,
      ...summarizeUserAgent(row.userAgent),
      city: row.city,
      country: row.country,
      createdAt: new Date(row.createdAt).toISOString(),
      lastUsedAt: new Date(row.lastUsedAt).toISOString(),
      current: row.id === currentId,
    })),
  );
}

/**
 * Signs one of the user's devices out: its refresh family ends, so its refresh cookie is refused
 * and its access tokens with it (the auth middleware checks the family on every request).
 * False when the user has no such signed-in device (someone else's counts as none).
 */
export async function revokeDeviceSession(db: Db, d1: D1Database, userId: string, sessionId: string) {
  const row = await db
    .select({ id: sessions.id })
    .from(sessions)
    .where(and(eq(sessions.id, sessionId), eq(sessions.userId, userId), signedIn(Date.now())))
    .get();
  if (!row) return false;
  await revokeFamily(d1, row.id);
  return true;
}
