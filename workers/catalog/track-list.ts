import { and, desc, eq, type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { tracks, users } from "../db/schema/index.ts";
import { afterCursor, keysetPage, type Page, type PageRequest, shapePage } from "../shared/keyset.ts";
import { findProfileUser, viewableTrack } from "./access.ts";
import type { TrackResponse } from "./schemas.ts";
import {
  likedSet,
  loudnessOf,
  type TrackOwner,
  type TrackRow,
  toTrackResponse,
  trackWithOwnerColumns,
} from "./tracks.ts";
import { canEditTrack, type Viewer } from "./visibility.ts";
import { listableSql } from "./visibility-sql.ts";

/** Track responses for rows already fetched: loudness, and `likedByMe` for a signed-in viewer (a query each). */
export async function toTrackResponses(
  db: Db,
  viewerId: string | undefined,
  rows: { track: TrackRow; owner: TrackOwner }[],
): Promise<TrackResponse[]> {
  const ids = rows.map((r) => r.track.id);
  const [liked, loudness] = await Promise.all([likedSet(db, viewerId, ids), loudnessOf(db, ids)]);
  return rows.map((r) =>
    toTrackResponse(r.track, r.owner, loudness.get(r.track.id), viewerId ? liked.has(r.track.id) : undefined),
  );
}

/**
 * Newest first, keyset-paginated on (createdAt, id): inserts between pages never repeat or skip an
 * item. `conditions` must include the visibility rule the caller's list needs.
 */
export async function newestTracksPage(
  db: Db,
  viewer: Viewer,
  conditions: (SQL | undefined)[],
  page: PageRequest,
): Promise<Page<TrackResponse>> {
  const rows = await keysetPage(
    page,
    (after, take) =>
      db
        .select(trackWithOwnerColumns)
        .from(tracks)
        .innerJoin(users, eq(users.id, tracks.ownerId))
        .where(and(...conditions, afterCursor(tracks.createdAt, tracks.id, after)))
        .orderBy(desc(tracks.createdAt), desc(tracks.id))
        .limit(take),
    (r) => ({ k: r.track.createdAt, id: r.track.id }),
  );
  return shapePage(rows, (items) => toTrackResponses(db, viewer?.id, items));
}

/**
 * One owner's tracks (`owner` is a username; all of them to the owner and admins, the listable
 * ones to anyone else), or every listable track; `genre` narrows either (any case); newest first.
 */
export async function listTracks(
  db: Db,
  viewer: Viewer,
  { owner, genre, ...page }: PageRequest & { owner?: string; genre?: string },
): Promise<Page<TrackResponse>> {
  const ofGenre = genre === undefined ? undefined : sql`${tracks.genre} = ${genre} COLLATE NOCASE`;
  if (!owner) return newestTracksPage(db, viewer, [listableSql, ofGenre], page);
  const ownerRow = await findProfileUser(db, owner, viewer);
  const mine = canEditTrack({ ownerId: ownerRow.id }, viewer);
  return newestTracksPage(db, viewer, [eq(tracks.ownerId, ownerRow.id), mine ? undefined : listableSql, ofGenre], page);
}

/** The track as the viewer sees it (with `likedByMe` when signed in); 404 when they may not open it. */
export async function getTrackForViewer(db: Db, viewer: Viewer, id: string): Promise<TrackResponse> {
  const { track, owner } = await viewableTrack(db, id, viewer);
  const [response] = await toTrackResponses(db, viewer?.id, [{ track, owner }]);
  return response!;
}
