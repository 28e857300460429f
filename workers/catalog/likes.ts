import { and, desc, eq } from "drizzle-orm";
import type { AuthUser } from "../auth/types.ts";
import type { Db } from "../db/client.ts";
import { likes, tracks, users } from "../db/schema/index.ts";
import { afterCursor, keysetPage, type Page, type PageRequest, shapePage } from "../shared/keyset.ts";
import { viewableTrack } from "./access.ts";
import type { TrackResponse } from "./schemas.ts";
import { toTrackResponses } from "./track-list.ts";
import { trackWithOwnerColumns } from "./tracks.ts";
import { viewableSql } from "./visibility-sql.ts";

export type LikeState = { liked: boolean; likeCount: number };

/** Likes (or unlikes) a track the viewer may open; idempotent. The count is the trigger-kept one. */
export async function setLike(db: Db, viewer: AuthUser, trackId: string, liked: boolean): Promise<LikeState> {
  const { track } = await viewableTrack(db, trackId, viewer);
  const change = liked
    ? db.insert(likes).values({ userId: viewer.id, trackId: track.id, createdAt: Date.now() }).onConflictDoNothing()
    : db.delete(likes).where(and(eq(likes.userId, viewer.id), eq(likes.trackId, track.id)));
  const [, count] = await db.batch([
    change,
    db.select({ likeCount: tracks.likeCount }).from(tracks).where(eq(tracks.id, track.id)),
  ]);
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
