import { and, count, desc, eq, or, type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { rooms, TRACK_STATUSES, type TrackStatus, trackOutputs, tracks, uploads, users } from "../db/schema/index.ts";
import { decodeCursor, pageFrom } from "../shared/cursor.ts";
import { afterCursor } from "../shared/keyset.ts";

/** A room counts as active when someone wrote in it within this window. */
export const ACTIVE_ROOM_WINDOW_MS = 60 * 60 * 1000;

/** Counts for the admin dashboard: accounts, tracks by status, storage, rooms. */
export async function overviewCounts(db: Db, now = Date.now()) {
  const [accountRows, trackRows, originals, renditions, roomRows] = await db.batch([
    db.select({ role: users.role, status: users.status, n: count() }).from(users).groupBy(users.role, users.status),
    db.select({ status: tracks.status, n: count() }).from(tracks).groupBy(tracks.status),
    db
      .select({ bytes: sql<number>`coalesce(sum(${uploads.size}), 0)` })
      .from(uploads)
      .where(eq(uploads.status, "completed")),
    // Each rendition's size is recorded in its JSON entry (Rendition.bytes).
    db
      .select({ bytes: sql<number>`coalesce(sum(json_extract(r.value, '$.bytes')), 0)` })
      .from(sql`${trackOutputs}, json_each(${trackOutputs.renditions}) AS r`),
    db
      .select({
        total: count(),
        active: sql<number>`coalesce(sum(${rooms.lastMessageAt} > ${now - ACTIVE_ROOM_WINDOW_MS}), 0)`,
      })
      .from(rooms)
      .where(sql`${rooms.kind} != 'dm'`),
  ]);
  const tracksByStatus = Object.fromEntries(TRACK_STATUSES.map((s) => [s, 0])) as Record<TrackStatus, number>;
  for (const row of trackRows) tracksByStatus[row.status] = row.n;
  const sum = (filter: (row: (typeof accountRows)[number]) => boolean) =>
    accountRows.filter(filter).reduce((total, row) => total + row.n, 0);
  const originalBytes = Number(originals[0]?.bytes ?? 0);
  const renditionBytes = Number(renditions[0]?.bytes ?? 0);
  return {
    users: {
      total: sum(() => true),
      disabled: sum((row) => row.status === "disabled"),
      admins: sum((row) => row.role === "admin"),
      artists: sum((row) => row.role === "artist"),
    },
    tracks: tracksByStatus,
    storage: { originalBytes, renditionBytes, totalBytes: originalBytes + renditionBytes },
    rooms: { total: roomRows[0]?.total ?? 0, activeLastHour: Number(roomRows[0]?.active ?? 0) },
  };
}

function prefixPattern(text: string): string {
  return `${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Accounts, newest first; `q` matches the start of the username, display name or email. */
export async function listUsers(db: Db, query: { q?: string; cursor?: string; limit: number }) {
  let search: SQL | undefined;
  if (query.q) {
    const pattern = prefixPattern(query.q);
    search = or(
      sql`${users.username} LIKE ${pattern} ESCAPE '\\'`,
      sql`lower(${users.displayName}) LIKE ${pattern} ESCAPE '\\'`,
      sql`lower(${users.email}) LIKE ${pattern} ESCAPE '\\'`,
    );
  }
  const rows = await db
    .select({
      id: users.id,
      username: users.username,
      displayName: users.displayName,
      email: users.email,
      role: users.role,
      status: users.status,
      createdAt: users.createdAt,
    })
    .from(users)
    .where(and(search, afterCursor(users.createdAt, users.id, decodeCursor(query.cursor))))
    .orderBy(desc(users.createdAt), desc(users.id))
    .limit(query.limit + 1);
  const page = pageFrom(rows, query.limit, (row) => ({ k: row.createdAt, id: row.id }));
  return {
    items: page.items.map((row) => ({ ...row, createdAt: new Date(row.createdAt).toISOString() })),
    nextCursor: page.nextCursor,
  };
}

/** Tracks in one status (any visibility, any owner), most recently changed first. */
export async function listTracksByStatus(db: Db, query: { status: TrackStatus; cursor?: string; limit: number }) {
  const rows = await db
    .select({
      id: tracks.id,
      title: tracks.title,
      artist: tracks.artist,
      status: tracks.status,
      failureReason: tracks.failureReason,
      visibility: tracks.visibility,
      owner: { id: users.id, username: users.username },
      createdAt: tracks.createdAt,
      updatedAt: tracks.updatedAt,
    })
    .from(tracks)
    .innerJoin(users, eq(users.id, tracks.ownerId))
    .where(and(eq(tracks.status, query.status), afterCursor(tracks.updatedAt, tracks.id, decodeCursor(query.cursor))))
    .orderBy(desc(tracks.updatedAt), desc(tracks.id))
    .limit(query.limit + 1);
  const page = pageFrom(rows, query.limit, (row) => ({ k: row.updatedAt, id: row.id }));
  return {
    items: page.items.map((row) => ({
      ...row,
      createdAt: new Date(row.createdAt).toISOString(),
      updatedAt: new Date(row.updatedAt).toISOString(),
    })),
    nextCursor: page.nextCursor,
  };
}
