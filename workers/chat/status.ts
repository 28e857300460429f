import { and, desc, eq, gt, inArray } from "drizzle-orm";
import type { AuthUser } from "../auth/types.ts";
import { findProfileUser } from "../catalog/access.ts";
import { followeeIdsSql, isFollowing } from "../catalog/follow-queries.ts";
import { getTrackWithOwner } from "../catalog/tracks.ts";
import { canViewTrack, type Viewer } from "../catalog/visibility.ts";
import type { Db } from "../db/client.ts";
import { userStatus, users } from "../db/schema/index.ts";
import { notFound } from "../shared/errors.ts";
import type { Page } from "../shared/keyset.ts";

/**
 * Global status. A status change is one row write, whatever the follower count; followers read
 * the statuses of the people they follow when they look (one indexed query), never pushed to.
 */

/** Online means a heartbeat within this long (the app sends one a minute while open). */
export const ONLINE_WINDOW_MS = 150_000;
/** A heartbeat that changes nothing is written at most this often. */
const HEARTBEAT_WRITE_MS = 60_000;

export type StatusTrack = { id: string; title: string; artist: string };
export type UserStatus = {
  userId: string;
  username: string;
  displayName: string;
  online: boolean;
  lastSeenAt: string | null;
  /** What they are playing, if they show it and the viewer may see the track. */
  track: StatusTrack | null;
};

type StatusRow = {
  userId: string;
  username: string;
  displayName: string;
  lastSeenAt: number | null;
  trackId: string | null;
  hidden: boolean | null;
};

async function toStatus(db: Db, row: StatusRow, viewer: Viewer, now: number): Promise<UserStatus> {
  const shown = !row.hidden && row.lastSeenAt !== null;
  const online = shown && now - (row.lastSeenAt as number) < ONLINE_WINDOW_MS;
  let track: StatusTrack | null = null;
  if (online && row.trackId) {
    const found = await getTrackWithOwner(db, row.trackId);
    if (found && canViewTrack(found.track, found.owner, viewer))
      track = { id: found.track.id, title: found.track.title, artist: found.track.artist };
  }
  return {
    userId: row.userId,
    username: row.username,
    displayName: row.displayName,
    online,
    lastSeenAt: shown ? new Date(row.lastSeenAt as number).toISOString() : null,
    track,
  };
}

const statusColumns = {
  userId: users.id,
  username: users.username,
  displayName: users.displayName,
  lastSeenAt: userStatus.lastSeenAt,
  trackId: userStatus.trackId,
  hidden: userStatus.hidden,
};

/** Heartbeat and what the viewer plays; a heartbeat that changes nothing is written at most once a minute. */
export async function setStatus(
  db: Db,
  viewer: AuthUser,
  body: { trackId?: string | null; hidden?: boolean },
): Promise<{ trackId: string | null; hidden: boolean }> {
  const now = Date.now();
  const current = await db.select().from(userStatus).where(eq(userStatus.userId, viewer.id)).get();
  const next = {
    trackId: body.trackId === undefined ? (current?.trackId ?? null) : body.trackId,
    hidden: body.hidden ?? current?.hidden ?? false,
  };
  const changed = !current || current.trackId !== next.trackId || current.hidden !== next.hidden;
  if (changed || now - current.lastSeenAt >= HEARTBEAT_WRITE_MS) {
    await db
      .insert(userStatus)
      .values({ userId: viewer.id, lastSeenAt: now, ...next, updatedAt: now })
      .onConflictDoUpdate({ target: userStatus.userId, set: { lastSeenAt: now, ...next, updatedAt: now } });
  }
  return next;
}

/** The people the viewer follows who are online now (up to 100, most recently seen first). */
export async function followingStatuses(db: Db, viewer: AuthUser): Promise<Page<UserStatus>> {
  const now = Date.now();
  const rows = await db
    .select(statusColumns)
    .from(userStatus)
    .innerJoin(users, eq(users.id, userStatus.userId))
    .where(
      and(
        inArray(userStatus.userId, followeeIdsSql(viewer.id)),
        eq(userStatus.hidden, false),
        gt(userStatus.lastSeenAt, now - ONLINE_WINDOW_MS),
      ),
    )
    .orderBy(desc(userStatus.lastSeenAt))
    .limit(100);
  const items = await Promise.all(rows.map((row) => toStatus(db, row, viewer, now)));
  return { items, nextCursor: null };
}

/** One user's status, for themselves and their followers (404 for anyone else). */
export async function statusOf(db: Db, viewer: AuthUser, username: string): Promise<UserStatus> {
  const user = await findProfileUser(db, username, viewer);
  if (user.id !== viewer.id && !(await isFollowing(db, viewer.id, user.id))) throw notFound("Status");
  const row = await db
    .select(statusColumns)
    .from(users)
    .leftJoin(userStatus, eq(userStatus.userId, users.id))
    .where(eq(users.id, user.id))
    .get();
  if (!row) throw notFound("User");
  return toStatus(db, row, viewer, Date.now());
}
