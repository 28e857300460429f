import { and, desc, eq } from "drizzle-orm";
import type { AuthUser } from "../auth/types.ts";
import type { Db } from "../db/client.ts";
import { plays, tracks, users } from "../db/schema/index.ts";
import { afterCursor, keysetPage, type Page, type PageRequest, shapePage } from "../shared/keyset.ts";
import type { TrackResponse } from "./schemas.ts";
import { toTrackResponses } from "./track-list.ts";
import { trackWithOwnerColumns } from "./tracks.ts";
import { viewableSql } from "./visibility-sql.ts";

export type HistoryEntry = { playedAt: string; listenedMs: number; track: TrackResponse };

/** The viewer's counted listens of tracks they may still open, most recent first. */
export async function listeningHistory(db: Db, viewer: AuthUser, page: PageRequest): Promise<Page<HistoryEntry>> {
  const rows = await keysetPage(
    page,
    (after, take) =>
      db
        .select({
          ...trackWithOwnerColumns,
          play: { id: plays.id, createdAt: plays.createdAt, listenedMs: plays.listenedMs },
        })
        .from(plays)
        .innerJoin(tracks, eq(tracks.id, plays.trackId))
        .innerJoin(users, eq(users.id, tracks.ownerId))
        .where(and(eq(plays.userId, viewer.id), viewableSql(viewer), afterCursor(plays.createdAt, plays.id, after)))
        .orderBy(desc(plays.createdAt), desc(plays.id))
        .limit(take),
    (r) => ({ k: r.play.createdAt, id: r.play.id }),
  );
  return shapePage(rows, async (items) => {
    const trackItems = await toTrackResponses(db, viewer.id, items);
    return items.map((r, i) => ({
      playedAt: new Date(r.play.createdAt).toISOString(),
      listenedMs: r.play.listenedMs,
      track: trackItems[i]!,
    }));
  });
}
