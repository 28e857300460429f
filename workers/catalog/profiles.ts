import { and, count, desc, eq } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import type { AuthUser } from "../auth/types.ts";
import { avatarUrl } from "../auth/users.ts";
import type { Db } from "../db/client.ts";
import { follows, tracks, userStats, users } from "../db/schema/index.ts";
import type { Env } from "../env.ts";
import { followEvent } from "../notifications/events.ts";
import { notify } from "../notifications/notify.ts";
import { ApiError } from "../shared/errors.ts";
import { afterCursor, keysetPage, type Page, type PageRequest, shapePage } from "../shared/keyset.ts";
import { findProfileUser, type UserRow } from "./access.ts";
import { canEditTrack, type Viewer } from "./visibility.ts";
import { listableSql } from "./visibility-sql.ts";

export type UserSummary = { id: string; username: string; displayName: string; avatarUrl: string | null };
export type FollowState = { following: boolean; followerCount: number };

export function toUserSummary(
  row: Pick<UserRow, "id" | "username" | "displayName" | "avatarKey" | "updatedAt">,
): UserSummary {
  return { id: row.id, username: row.username, displayName: row.displayName, avatarUrl: avatarUrl(row) };
}

/** A profile with its counts; `trackCount` counts what the viewer may see. Disabled accounts: admins only. */
export async function getProfile(db: Db, viewer: Viewer, username: string) {
  const user = await findProfileUser(db, username, viewer);
  const trackFilter = canEditTrack({ ownerId: user.id }, viewer)
    ? eq(tracks.ownerId, user.id)
    : and(eq(tracks.ownerId, user.id), listableSql);
  const [stats, trackCount, followed] = await db.batch([
    db.select().from(userStats).where(eq(userStats.userId, user.id)),
    db.select({ n: count() }).from(tracks).where(trackFilter),
    db
      .select({ one: follows.createdAt })
      .from(follows)
      .where(and(eq(follows.followerId, viewer?.id ?? ""), eq(follows.followeeId, user.id))),
  ]);
  return {
    ...toUserSummary(user),
    bio: user.bio,
    role: user.role,
    createdAt: new Date(user.createdAt).toISOString(),
    followerCount: stats[0]?.followerCount ?? 0,
    followingCount: stats[0]?.followingCount ?? 0,
    trackCount: trackCount[0]?.n ?? 0,
    ...(viewer ? { followedByMe: followed.length > 0 } : {}),
  };
}

/** Follows (or unfollows) an active account; idempotent. Nobody follows themselves. A new follower is told to the followee. */
export async function setFollow(
  env: Env,
  db: Db,
  viewer: AuthUser,
  username: string,
  following: boolean,
): Promise<FollowState> {
  const target = await findProfileUser(db, username, undefined);
  if (following) {
    if (target.id === viewer.id) throw new ApiError(400, "cannot_follow_self", "You cannot follow yourself.");
    const added = await db
      .insert(follows)
      .values({ followerId: viewer.id, followeeId: target.id, createdAt: Date.now() })
      .onConflictDoNothing()
      .returning({ followerId: follows.followerId });
    if (added.length > 0) await notify(env, target.id, followEvent(viewer));
  } else {
    await db.delete(follows).where(and(eq(follows.followerId, viewer.id), eq(follows.followeeId, target.id)));
  }
  return { following, followerCount: await followerCountOf(db, target.id) };
}

async function followerCountOf(db: Db, userId: string): Promise<number> {
  const row = await db.select({ n: userStats.followerCount }).from(userStats).where(eq(userStats.userId, userId)).get();
  return row?.n ?? 0;
}

/** Who follows the user (`followers`) or whom they follow (`following`), newest first; active accounts only. */
export async function listFollows(
  db: Db,
  viewer: Viewer,
  username: string,
  which: "followers" | "following",
  page: PageRequest,
): Promise<Page<UserSummary & { followedAt: string }>> {
  const user = await findProfileUser(db, username, viewer);
  // followers: rows where the user is followed, listing the followers; following: the reverse.
  const [anchor, other]: [SQLiteColumn, SQLiteColumn] =
    which === "followers" ? [follows.followeeId, follows.followerId] : [follows.followerId, follows.followeeId];
  const rows = await keysetPage(
    page,
    (after, take) =>
      db
        .select({ user: users, followedAt: follows.createdAt })
        .from(follows)
        .innerJoin(users, eq(users.id, other))
        .where(and(eq(anchor, user.id), eq(users.status, "active"), afterCursor(follows.createdAt, other, after)))
        .orderBy(desc(follows.createdAt), desc(other))
        .limit(take),
    (r) => ({ k: r.followedAt, id: r.user.id }),
  );
  return shapePage(rows, (items) =>
    items.map((r) => ({ ...toUserSummary(r.user), followedAt: new Date(r.followedAt).toISOString() })),
  );
}
