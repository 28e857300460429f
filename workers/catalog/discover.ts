import { and, desc, eq, gte, inArray, lt, or, sql, sum } from "drizzle-orm";
import type { AuthUser } from "../auth/types.ts";
import type { Db } from "../db/client.ts";
import { follows, trackDailyPlays, tracks, users } from "../db/schema/index.ts";
import { keysetPage, type Page, type PageRequest, shapePage } from "../shared/keyset.ts";
import type { TrackResponse } from "./schemas.ts";
import { newestTracksPage, toTrackResponses } from "./track-list.ts";
import { trackWithOwnerColumns } from "./tracks.ts";
import type { Viewer } from "./visibility.ts";
import { listableSql } from "./visibility-sql.ts";

const DAY_MS = 86_400_000;
export const TRENDING_DAYS = 7;

/** New listable tracks from the accounts the viewer follows, newest first. */
export function followingFeed(db: Db, viewer: AuthUser, page: PageRequest): Promise<Page<TrackResponse>> {
  const followed = db.select({ id: follows.followeeId }).from(follows).where(eq(follows.followerId, viewer.id));
  return newestTracksPage(db, viewer, [inArray(tracks.ownerId, followed), listableSql], page);
}

/** Recently added listable tracks, newest first. */
export function recentTracks(db: Db, viewer: Viewer, page: PageRequest): Promise<Page<TrackResponse>> {
  return newestTracksPage(db, viewer, [listableSql], page);
}

/** Listable tracks with the most plays over the last 7 days (UTC), then by id. */
export async function trendingTracks(
  db: Db,
  viewer: Viewer,
  page: PageRequest,
): Promise<Page<TrackResponse & { recentPlays: number }>> {
  const firstDay = Math.floor(Date.now() / DAY_MS) - (TRENDING_DAYS - 1);
  const recentPlays = sql<number>`${sum(trackDailyPlays.plays)}`.mapWith(Number);
  const rows = await keysetPage(
    page,
    (after, take) =>
      db
        .select({ ...trackWithOwnerColumns, recentPlays })
        .from(trackDailyPlays)
        .innerJoin(tracks, eq(tracks.id, trackDailyPlays.trackId))
        .innerJoin(users, eq(users.id, tracks.ownerId))
        .where(and(gte(trackDailyPlays.day, firstDay), listableSql))
        .groupBy(trackDailyPlays.trackId)
        // The sort key is an aggregate, so the keyset condition goes in HAVING.
        .having(
          after ? or(lt(recentPlays, after.k), and(eq(recentPlays, after.k), lt(tracks.id, after.id))) : undefined,
        )
        .orderBy(desc(recentPlays), desc(tracks.id))
        .limit(take),
    (r) => ({ k: r.recentPlays, id: r.track.id }),
  );
  return shapePage(rows, async (items) => {
    const trackItems = await toTrackResponses(db, viewer?.id, items);
    return trackItems.map((t, i) => ({ ...t, recentPlays: items[i]!.recentPlays }));
  });
}
