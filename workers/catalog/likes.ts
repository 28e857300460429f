import { and, desc, eq } from "drizzle-orm";
import type { AuthUser } from "../auth/types.ts";
import type { Db } from "../db/client.ts";
import { likes, tracks, users } from "../db/schema/index.ts";
import type { Env } from "../env.ts";
import { likeEvent } from "../notifications/events.ts";
import { notify } from "../notifications/notify.ts";
import { afterCursor, keysetPage, type Page, type PageRequest, shapePage } from "../shared/keyset.ts";
import { viewableTrack } from "./access.ts";
import type { TrackResponse } from "./schemas.ts";
import { toTrackResponses } from "./track-list.ts";
import { trackWithOwnerColumns } from "./tracks.ts";
import { viewableSql } from "./visibility-sql.ts";

export type LikeState = { liked: boolean; likeCount: number };

/**
 * Likes (or unlikes) a track the viewer may open; idempotent. The count is the trigger-kept one.
 * A new like tells the track's owner (once per person and track).
 */
export async function setLike(env: Env, db: Db, viewer: AuthUser, trackId: string, liked: boolean): Promise<LikeState> {
  const { track } = await viewableTrack(db, trackId, viewer);
  const change = liked
    ? db
        .insert(likes)
        .values({ userId: viewer.id, trackId: track.id, createdAt: Date.now() })
        .onConflictDoNothing()
        .returning({ trackId: likes.trackId })
    : db
        .delete(likes)
        .where(and(eq(likes.userId, viewer.id), eq(likes.trackId, track.id)))
        .returning({ trackId: likes.trackId });
  const [changed, count] = await db.batch([
    change,
    db.select({ likeCount: tracks.likeCount }).from(tracks).where(eq(tracks.id, track.id)),
  ]);
  if (liked && changed.length > 0) await notify(env, track.ownerId, likeEvent(viewer, track));
  return { liked, likeCount: count[0]?.likeCount ?? 0 };
}

/** The tracks the viewer liked that they may still open, most recent like first. */
export async function likedTracks(db: Db, viewer: AuthUser, page: PageRequest): Promise<Page<TrackResponse>> {
  const rows = await keysetPage(
    page,
    (after, take) =>
      db
        .select({ ...trackWithOwnerColumns, likedAt: likes.createdAt })
        .from(likes)
        .innerJoin(tracks, eq(tracks.id, likes.trackId))
        .innerJoin(users, eq(users.id, tracks.ownerId))
        .where(
          and(eq(likes.userId, viewer.id), viewableSql(viewer), afterCursor(likes.createdAt, likes.trackId, after)),
        )
        .orderBy(desc(likes.createdAt), desc(likes.trackId))
        .limit(take),
    (r) => ({ k: r.likedAt, id: r.track.id }),
  );
  return shapePage(rows, (items) => toTrackResponses(db, viewer.id, items));
}
