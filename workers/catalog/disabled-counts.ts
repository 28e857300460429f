import { eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { comments, follows, likes, tracks, userStats } from "../db/schema/index.ts";

/**
 * Recounts the counters a user's activity feeds (likes and comments on tracks, follower and
 * following counts), counting only accounts that are not disabled. Run in the same batch as a
 * status change, after it, so disabling an account drops its likes, comments and follows from the
 * counts and enabling it brings them back. The triggers keep the counts between status changes.
 */
export function recountActivityOf(db: Db, userId: string) {
  return [
    db
      .update(tracks)
      .set({
        likeCount: sql`(SELECT COUNT(*) FROM likes AS l JOIN users AS u ON u.id = l.user_id
          WHERE l.track_id = ${tracks.id} AND u.status != 'disabled')`,
      })
      .where(inArray(tracks.id, db.select({ id: likes.trackId }).from(likes).where(eq(likes.userId, userId)))),
    db
      .update(tracks)
      .set({
        commentCount: sql`(SELECT COUNT(*) FROM comments AS c JOIN users AS u ON u.id = c.user_id
          WHERE c.track_id = ${tracks.id} AND u.status != 'disabled')`,
      })
      .where(inArray(tracks.id, db.select({ id: comments.trackId }).from(comments).where(eq(comments.userId, userId)))),
    db
      .update(userStats)
      .set({
        followerCount: sql`(SELECT COUNT(*) FROM follows AS f JOIN users AS u ON u.id = f.follower_id
          WHERE f.followee_id = ${userStats.userId} AND u.status != 'disabled')`,
      })
      .where(
        inArray(
          userStats.userId,
          db.select({ id: follows.followeeId }).from(follows).where(eq(follows.followerId, userId)),
        ),
      ),
    db
      .update(userStats)
      .set({
        followingCount: sql`(SELECT COUNT(*) FROM follows AS f JOIN users AS u ON u.id = f.followee_id
          WHERE f.follower_id = ${userStats.userId} AND u.status != 'disabled')`,
      })
      .where(
        inArray(
          userStats.userId,
          db.select({ id: follows.followerId }).from(follows).where(eq(follows.followeeId, userId)),
        ),
      ),
  ] as const;
}
